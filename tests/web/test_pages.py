"""The pages over HTTP without a browser: sign-in, roles, CSRF, and each role's work end to end
(jobs run inline here, so a solve is done when the request that starts it returns)."""

from __future__ import annotations

import io
import re

from api_world import activity_world, ok
from openpyxl import Workbook, load_workbook
from web_helpers import login_csrf


def test_pages_redirect_to_sign_in_without_a_session(web_client):
    response = web_client.get("/app/company", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/app/login?next=/app/company"
    page = web_client.get("/app/login")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text and "Inloggen" in page.text


def test_sign_in_with_a_wrong_password_says_so(web_client, web_world):
    form = {"email": "company@testregio.nl", "password": "wrong-password"}
    page = web_client.post("/app/login", data={**form, "csrf": login_csrf(web_client)})
    assert page.status_code == 400
    assert "klopt niet" in page.text
    assert "sb_session" not in page.cookies


def test_sign_in_sends_each_role_home_and_sign_out_revokes(as_role):
    for role, heading in (("bureau", "Rondes"), ("school", "Leerlingen en klassen"),
                          ("company", "Ons aanbod")):  # fmt: skip
        browser = as_role(role)
        assert f"<h1>{heading}" in browser.home.text
    browser = as_role("company")
    page = browser.post("/app/logout")
    assert "Inloggen" in page.text
    assert browser.get("/app/company", follow_redirects=False).status_code == 303


def test_english_is_one_click_away(as_role):
    browser = as_role("company")
    page = browser.get("/app/lang/en?next=/app/company")
    assert '<html lang="en">' in page.text and "Our offer" in page.text
    assert "Ons aanbod" not in page.text


def test_a_role_cannot_open_another_roles_pages(as_role):
    company = as_role("company")
    page = company.get("/app/bureau")
    assert page.status_code == 403
    assert "niet voor uw rol" in page.text
    assert as_role("school").get("/app/company/pupils").status_code == 403


def test_a_form_without_the_csrf_value_is_refused(as_role):
    browser = as_role("company")
    page = browser.client.post("/app/company/profile", data={"contact": "X", "version": "1"})
    assert page.status_code == 403


def test_company_enters_and_edits_its_capacity(as_role, web_world):
    w = web_world
    company = as_role("company")
    page = company.get("/app/company")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    page = company.post(
        "/app/company/profile",
        {"version": version, "contact": "Jan Jansen", "hours_per_month": "8", "max_students": "3"},
    )
    assert "Bedrijfsgegevens opgeslagen" in page.text
    page = company.post(
        "/app/company/placements",
        {"title": "Monteur", "cap_P3": "2", "profiles": ["PIE", "BWI"], "tracks": ["kb"]},
    )
    assert "Stageplek opgeslagen" in page.text and "Monteur" in page.text
    page = company.post(
        "/app/company/offers",
        {"kind": "excursion", "available": ["tue-pm", "thu-am"], "dates": "2027-03-11/am",
         "max_group_size": "25", "hours": "3"},
    )  # fmt: skip
    assert "Activiteit toegevoegd" in page.text
    stored = ok(w.client.get(f"/companies/{w.ids['C1']}", headers=w.company))
    assert (stored["contact"], stored["hours_per_month"], stored["max_students"]) == (
        "Jan Jansen", 8, 3)  # fmt: skip
    placements = ok(w.client.get("/placements", headers=w.company))
    new = next(p for p in placements if p["title"] == "Monteur")
    assert new["capacity"] == {"P3": 2} and new["profiles"] == ["PIE", "BWI"]
    offers = ok(w.client.get("/offers", headers=w.company))
    assert offers[0]["available"] == ["tue-pm", "thu-am", "2027-03-11/am"]
    # Editing at a stale version is refused with the reason, nothing changes.
    page = company.post(
        f"/app/company/placements/{new['id']}", {"version": "99", "title": "X", "cap_P3": "5"}
    )
    assert "Niet opgeslagen" in page.text
    assert "Dit is intussen door iemand anders gewijzigd" in page.text
    page = company.post(
        f"/app/company/placements/{new['id']}",
        {"version": str(new["version"]), "title": "Monteur", "cap_P3": "4"},
    )
    assert ok(w.client.get(f"/placements/{new['id']}", headers=w.company))["capacity"] == {"P3": 4}
    # A bad value is shown, not stored.
    page = company.post("/app/company/offers", {"kind": "excursion", "dates": "someday"})
    assert "Niet opgeslagen" in page.text


def test_company_picks_dates_reads_codes_and_period_dates_in_dutch(as_role, web_world):
    w = web_world
    region = ok(w.client.get("/region", headers=w.bureau))
    period = {"id": "P3", "start": "2027-01-18", "end": "2027-02-05"}
    ok(w.client.patch("/region", headers=w.bureau,
                      json={"version": region["version"], "periods": [period]}))  # fmt: skip
    company = as_role("company")
    page = company.get("/app/company")
    assert 'Plaatsen in P3 <span class="muted">(18-01-2027 t/m 05-02-2027)</span>' in page.text
    assert '<abbr title="Produceren, installeren en energie">PIE</abbr>' in page.text
    assert "Kaderberoepsgerichte leerweg" in page.text
    assert "PL1 (PL1)" not in page.text
    page = company.post(
        "/app/company/offers",
        {"kind": "excursion", "date_1": "2027-03-11", "part_1": "pm", "date_2": "",
         "dates": "2027-04-08/am"},
    )  # fmt: skip
    assert "Activiteit toegevoegd" in page.text
    assert "donderdag 11-03-2027 middag, donderdag 08-04-2027 ochtend" in page.text
    offers = ok(w.client.get("/offers", headers=w.company))
    assert offers[-1]["available"] == ["2027-03-11/pm", "2027-04-08/am"]
    # A typed day that is no date, or no calendar day, is refused in Dutch; nothing is stored.
    for typed in ("11-03-2027", "2027-02-30/am"):
        page = company.post("/app/company/offers", {"kind": "excursion", "dates": typed})
        assert f"Losse dagdelen: &#39;{typed}&#39; is geen datum met dagdeel" in page.text
        assert "pattern" not in page.text
    assert len(ok(w.client.get("/offers", headers=w.company))) == len(offers)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_school_downloads_templates_and_pupils_only_come_in_through_the_preview(as_role, web_world):
    w = web_world
    school = as_role("school")
    csv_template = school.get("/app/school/templates/pupils.csv")
    assert csv_template.status_code == 200
    header = csv_template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("code;roepnaam;profiel;leerweg;leerjaar")  # a Dutch page
    book = load_workbook(io.BytesIO(school.get("/app/school/templates/classes.xlsx").content))
    assert [c.value for c in next(book.active.iter_rows())][:4] == ["klas", "leerjaar", "profiel",
                                                                   "aantal leerlingen"]  # fmt: skip
    # Pupils go through the preview (tests/web/test_intake_pages.py): never straight in.
    good = xlsx([["code", "first_name", "profile", "track", "year", "preferences"],
                 ["st8", "Lot", "PIE", "kb", 3, "PL1"]])  # fmt: skip
    page = school.post("/app/school/upload/pupils", files={"file": ("p.xlsx", good)})
    assert page.status_code == 422
    assert len(ok(w.client.get("/pupils", headers=w.school))) == 3  # nothing written


def test_a_school_keeps_its_own_address_and_a_stale_or_long_one_changes_nothing(as_role, web_world):
    w = web_world
    school = as_role("school")
    page = school.get("/app/school")
    assert "Schoolgegevens" in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    address = "Lyceumlaan 30, 7522 GK Enschede"
    page = school.post("/app/school/profile", {"version": version, "address": address})
    assert "Schoolgegevens opgeslagen" in page.text and f'value="{address}"' in page.text
    stored = ok(w.client.get("/schools", headers=w.bureau))
    assert [s["address"] for s in stored if s["address"]] == [address]
    # The form was read at the old version: refused in Dutch, the address kept.
    page = school.post("/app/school/profile", {"version": version, "address": "Elders 1"})
    assert page.status_code == 409 and "Elders 1" not in page.text
    page = school.post(
        "/app/school/profile", {"version": str(int(version) + 1), "address": "x" * 201}
    )
    assert page.status_code == 422 and "address" in page.text
    stored = ok(w.client.get("/schools", headers=w.bureau))
    assert [s["address"] for s in stored if s["address"]] == [address]


def test_school_uploads_classes_then_their_timetable(as_role, web_world):
    w = web_world
    school = as_role("school")
    classes = "code;year;profile;size;free;excursion\n3KB-A;3;PIE;24;tue-pm;1\n3KB-B;3;PIE;0;;\n"
    page = school.post("/app/school/upload/classes", files={"file": ("k.csv", classes)})
    assert "niet verwerkt" in page.text and "<td>3</td><td>size</td>" in page.text
    classes = "code;year;profile;size;free;excursion\n3KB-A;3;PIE;24;tue-pm;1\n"
    page = school.post("/app/school/upload/classes", files={"file": ("k.csv", classes)})
    assert "Verwerkt: 1 nieuw" in page.text
    page = school.post(
        "/app/school/upload/timetables",
        files={"file": ("t.csv", "code;free\n3KB-A;mon-am wed-pm\nNOPE;tue-am\n")},
    )
    assert "geen klas of docent NOPE op deze school" in page.text
    page = school.post(
        "/app/school/upload/timetables",
        files={"file": ("t.csv", "code;free\n3KB-A;mon-am wed-pm\n")},
    )
    assert "Verwerkt: 0 nieuw, 1 bijgewerkt" in page.text
    stored = ok(w.client.get("/classes", headers=w.school))
    assert stored[0]["free"] == ["mon-am", "wed-pm"] and stored[0]["demand"] == {"excursion": 1}


def test_bureau_runs_pins_and_publishes_a_round_that_schools_and_companies_see(as_role, web_world):
    bureau = as_role("bureau")
    page = bureau.post("/app/bureau/rounds", {"name": "Testregio 2027 r1"})
    assert "Testregio 2027 r1" in page.text and "concept" in page.text
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    page = bureau.post(f"/app/bureau/rounds/{round_id}/solve")
    # Inline runner: the job is done; the dashboard shows the proposal.
    assert 'id="coverage"' in page.text and 'id="unplaced"' in page.text
    assert re.search(r'id="placed-count">3<', page.text)
    assert "Alle bereikbare plekken zijn vol" in page.text
    listed = page.text.split('id="unplaced-list"')[1].split('id="placed-list"')[0]
    unplaced = re.findall(r'<tr data-student="(st\d)">', listed)
    assert len(unplaced) == 2
    # The pin control fetches only the placements the pupil may take (htmx, on opening).
    choices = bureau.get(f"/app/bureau/rounds/{round_id}/pin-choices/{unplaced[0]}",
                         headers={"HX-Request": "true"})  # fmt: skip
    assert 'value="PL2|P3"' in choices.text and "<html" not in choices.text
    page = bureau.post(
        f"/app/bureau/rounds/{round_id}/pins", {"student": unplaced[0], "slot": "PL2|P3"}
    )
    assert "Vastgezet." in page.text and f"{unplaced[0]} → PL2 P3" in page.text
    page = bureau.post(f"/app/bureau/rounds/{round_id}/resolve")
    assert "Herberekening gestart" in page.text or 'id="publish"' in page.text
    page = bureau.post(f"/app/bureau/rounds/{round_id}/publish")
    assert "Gepubliceerd." not in page.text and "vinkje" in page.text  # not confirmed
    proposal = re.search(r'name="proposal" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    page = bureau.post(
        f"/app/bureau/rounds/{round_id}/publish", {"confirm": "yes", "proposal": proposal}
    )
    assert "Gepubliceerd." in page.text and "gepubliceerd" in page.text
    assert f"(van voorstel {proposal})" in page.text
    diff = bureau.get(f"/app/bureau/rounds/{round_id}/diff")
    assert diff.status_code == 200 and "Verschil tussen versies" in diff.text
    versions = re.findall(r'<option value="(\d+)"', diff.text)
    diff = bureau.get(
        f"/app/bureau/rounds/{round_id}/diff?before={versions[0]}&after={versions[1]}"
    )
    assert f"<td>{unplaced[0]}</td><td>Niet geplaatst</td><td>PL2 / P3</td>" in diff.text
    assert "<svg" in bureau.get(f"/app/bureau/map?round_id={round_id}").text
    menu = bureau.get("/app/bureau/menu?profile=PIE")
    assert "Bedrijf C1" in menu.text and "P3 × 2" in menu.text

    # The company confirms one pupil and declines another; a repair starts for the decline.
    company = as_role("company")
    page = company.get("/app/company/pupils")
    pupils = re.findall(r'id="pupil-(st\d)"', page.text)
    assert pupils
    answer = {"round_id": str(round_id), "student": pupils[0], "status": "confirmed"}
    page = company.post("/app/company/pupils/respond", answer)
    assert "Bevestigd." in page.text
    calendar = company.get("/app/company/calendar")
    assert "Jaarkalender" in calendar.text and "P3: " in calendar.text
    page = company.post("/app/company/calendar/subscribe")
    assert re.search(r'value="http://testserver/feeds/[^"]+\.ics"', page.text)
    assert company.get("/app/company/calendar.ics").text.startswith("BEGIN:VCALENDAR")

    school = as_role("school")
    results = school.get("/app/school/results")
    assert 'id="pupil-results"' in results.text
    assert "Bedrijf C1 (PL1)" in results.text or "Bedrijf C2 (PL2)" in results.text
    story = school.get("/app/school/results/st1")
    assert story.status_code == 200 and "st1 is" in story.text
    assert school.get("/app/school/results/st4").status_code == 404  # another school's pupil


def test_progress_partial_redirects_when_the_job_is_over(as_role, web_client):
    bureau = as_role("bureau")
    page = bureau.post("/app/bureau/rounds", {"name": "r"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    bureau.post(f"/app/bureau/rounds/{round_id}/solve")
    jobs = bureau.get(f"/rounds/{round_id}/jobs")  # the API needs a bearer token: 401
    assert jobs.status_code == 401
    partial = bureau.get("/app/bureau/jobs/1/progress", headers={"HX-Request": "true"})
    assert partial.headers["HX-Redirect"].startswith(f"/app/bureau/rounds/{round_id}?done=job_")


def test_pages_stay_out_of_the_openapi_document(web_client):
    paths = web_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/app")]


def test_company_confirms_and_declines_class_visits_and_the_bureau_can_repair(as_role, web_world):
    round_id = activity_world(web_world)
    company = as_role("company")
    page = company.get("/app/company/pupils")
    visits = re.findall(r'id="visit-(K\d)-(2027-03-\d\d)-pm"', page.text)
    assert visits, page.text
    (first, first_day), *rest = visits
    answer = {"round_id": str(round_id), "offer": "EX1", "daypart": "pm"}
    if rest:
        confirmed = {**answer, "requester": rest[0][0], "date": rest[0][1], "status": "confirmed"}
        page = company.post("/app/company/activities/respond", confirmed)
        assert "Bevestigd." in page.text
    declined = {**answer, "requester": first, "date": first_day, "status": "declined",
                "reason": "geen begeleider"}  # fmt: skip
    page = company.post("/app/company/activities/respond", declined)
    assert "geen begeleider" in page.text  # the answer stands, with its reason
    wrong = {**declined, "requester": "K9"}
    page = company.post("/app/company/activities/respond", wrong)
    assert 'role="alert"' in page.text and "K9" in page.text

    # The decline set off a repair (inline runner: done); the bureau sees a new proposal that
    # sends the class to the other company and keeps every other visit.
    bureau = as_role("bureau")
    page = bureau.get(f"/app/bureau/rounds/{round_id}")
    assert page.status_code == 200
    w = web_world
    jobs = ok(w.client.get(f"/rounds/{round_id}/jobs", headers=w.bureau))
    assert (jobs[-1]["kind"], jobs[-1]["status"]) == ("repair", "succeeded"), jobs[-1]
    proposal = ok(w.client.get(f"/rounds/{round_id}/proposal", headers=w.bureau))
    [moved] = [a for a in proposal["activities"] if a["requester"] == first]
    assert moved["offer"] == "EX2"
    diff = bureau.get(f"/app/bureau/rounds/{round_id}/diff")
    assert "Bezoeken gewijzigd: 1" in diff.text
    assert (
        f"<td>{first}</td><td>Bedrijfsbezoek</td><td>EX1 {first_day} pm</td>"
        f"<td>EX2 {moved['date']} pm</td>"
    ) in diff.text


def test_company_confirms_all_its_pupils_at_once_and_reads_when_and_how_many_come(
    as_role, web_world
):
    w = web_world
    round_id = activity_world(w)
    company = as_role("company")
    page = company.get("/app/company/pupils")
    pupils = re.findall(r'<li class="card" id="pupil-(\w+)">', page.text)
    assert len(pupils) >= 2, page.text
    assert f"Bevestig alle {len(pupils)} leerlingen" in page.text
    # Visits say when (the daypart's hours) and how many come.
    assert '<span class="visit-time">12:30–16:00</span>' in page.text
    assert re.search(r"· \d+ leerlingen ·", page.text)
    # A pupil declined (in another tab, say) stays declined; "bevestig alles" confirms the rest.
    declined = {"round_id": str(round_id), "student": pupils[0], "status": "declined",
                "reason": "te jong voor de werkplaats"}  # fmt: skip
    company.post("/app/company/pupils/respond", declined)
    page = company.post("/app/company/pupils/confirm-all", {"round_id": str(round_id)})
    assert "Alle leerlingen bevestigd." in page.text and "Bevestig alle" not in page.text
    answers = ok(w.client.get(f"/rounds/{round_id}/responses", headers=w.company))
    status = {a["student"]: a["status"] for a in answers}
    assert status == {pupils[0]: "declined", **{p: "confirmed" for p in pupils[1:]}}
    # The company's address goes into its calendar's LOCATION, so an agenda can route there.
    page = company.get("/app/company")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    page = company.post(
        "/app/company/profile", {"version": version, "address": "Stationsplein 1, 7511 JD Enschede"}
    )
    assert "Bedrijfsgegevens opgeslagen" in page.text
    ics = company.get("/app/company/calendar.ics").text.replace("\r\n ", "")
    assert "LOCATION:Bedrijf C1\\, Stationsplein 1\\, 7511 JD Enschede" in ics, ics[:2000]
    # Nothing left to confirm: the API says so, a school may not.
    again = w.client.post(f"/rounds/{round_id}/responses/confirm-all", headers=w.company)
    assert ok(again) == {"confirmed": 0}
    assert (
        w.client.post(f"/rounds/{round_id}/responses/confirm-all", headers=w.school).status_code
        == 403
    )


def test_company_revokes_its_calendar_addresses_from_the_calendar_page(as_role, web_world):
    c, b = web_world.client, web_world.bureau
    rid = c.post("/rounds", headers=b, json={"name": "r1"}).json()["id"]
    assert c.post(f"/rounds/{rid}/solve", headers=b).json()["status"] == "succeeded"
    c.post(f"/rounds/{rid}/publish", headers=b).raise_for_status()
    company = as_role("company")
    page = company.post("/app/company/calendar/subscribe")
    url = re.search(r'value="http://testserver(/feeds/[^"]+\.ics)"', page.text).group(1)
    assert c.get(url).status_code == 200
    assert 'action="/app/company/calendar/unsubscribe"' in page.text
    page = company.post("/app/company/calendar/unsubscribe")
    assert "werken niet meer" in page.text
    assert c.get(url).status_code == 404


def test_bureau_sets_the_deadline_answers_for_a_company_and_lifts_the_decline(as_role, web_world):
    bureau = as_role("bureau")
    page = bureau.post("/app/bureau/rounds", {"name": "Testregio 2027 r2"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    page = bureau.post(f"/app/bureau/rounds/{round_id}/solve")
    assert 'name="answer_deadline"' in page.text
    page = bureau.post(
        f"/app/bureau/rounds/{round_id}/publish",
        {"answer_deadline": "2030-01-31", "confirm": "yes"},
    )
    assert "Gepubliceerd." in page.text
    assert "Reageren uiterlijk: 2030-01-31" in page.text and 'id="unanswered"' in page.text
    waiting = re.findall(r'name="student" value="(st\d)">\s*<input type="hidden" name="status" '
                         r'value="declined"', page.text)  # fmt: skip
    assert len(waiting) == 3  # three pupils placed, none answered yet
    school_pupil = next(s for s in waiting if s in ("st1", "st2", "st3"))
    page = bureau.post(f"/app/bureau/rounds/{round_id}/answers",
                       {"student": school_pupil, "status": "declined"})  # fmt: skip
    assert "Antwoord namens het bedrijf vastgelegd." in page.text
    assert re.search(rf"<li>{school_pupil} · C\d", page.text)  # a standing decline now

    results = as_role("school").get("/app/school/results")
    row = re.search(rf"\({school_pupil}\)</span></a></td>(.*?)</tr>", results.text, re.S)
    assert row and "Afgewezen door het bedrijf" in row.group(1)

    decline_id = re.search(r"/app/bureau/declines/(\d+)/lift", page.text).group(1)  # type: ignore[union-attr]
    page = bureau.post(f"/app/bureau/declines/{decline_id}/lift?round_id={round_id}")
    assert "Afwijzing opgeheven." in page.text and 'id="declines"' not in page.text


def test_a_waiting_solve_says_it_waits_and_for_how_long(as_role, web_world, web_settings):
    """Honest progress: a job no worker has taken yet shows that, with the time on the wall."""
    from datetime import timedelta

    from sqlmodel import Session

    from api.db import make_engine
    from api.models import Job, JobKind, utcnow

    c, b = web_world.client, web_world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r-wacht"}), 201)["id"]
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        region_id = session.exec(select_region_id(rid)).one()
        job = Job(
            region_id=region_id,
            round_id=rid,
            kind=JobKind.solve,
            created_at=utcnow() - timedelta(seconds=42),
        )
        session.add(job)
        session.commit()
        job_id = job.id
    engine.dispose()
    page = as_role("bureau").get(f"/app/bureau/jobs/{job_id}/progress")
    assert "in de wachtrij" in page.text
    waited = int(re.search(r"Wacht al (\d+) s", page.text).group(1))  # type: ignore[union-attr]
    assert 42 <= waited < 600


def select_region_id(round_id: int):
    from sqlmodel import select

    from api.models import Round

    return select(Round.region_id).where(Round.id == round_id)
