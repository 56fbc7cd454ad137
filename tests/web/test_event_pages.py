"""The event-day pages over HTTP: the bureau creates an event day, a company adds a session,
a school enters choices by hand and by file; after the solve each role reads its programme."""

from __future__ import annotations

from api_world import ok
from event_world import event_world


def test_each_role_does_its_part_of_an_event_day_on_the_pages(as_role, web_world):
    bureau, company, school = as_role("bureau"), as_role("company"), as_role("school")
    form = {"name": "Bedrijvencarrousel", "date": "2027-05-12", "rounds": "2",
            "start_time": "13:00", "round_minutes": "40", "changeover_minutes": "5"}  # fmt: skip
    page = bureau.post("/app/bureau/events", data=form)
    assert "Evenement opgeslagen" in page.text and "Bedrijvencarrousel" in page.text
    refused = bureau.post("/app/bureau/events", data={**form, "rounds": "0"})
    assert "Niet opgeslagen" in refused.text and "rounds" in refused.text
    event_id = ok(web_world.client.get("/events", headers=web_world.bureau))[0]["id"]

    body = {"event_id": str(event_id), "title": "Lasrobot", "capacity": "2", "rounds": ["2"]}
    page = company.post("/app/company/events/sessions", data=body)
    assert "Sessie opgeslagen" in page.text and "Lasrobot (SE1)" in page.text
    session_id = ok(web_world.client.get("/event-sessions", headers=web_world.company))[0]["id"]
    edit = {"version": "1", "title": "Lasrobot", "capacity": "3"}
    page = company.post(f"/app/company/events/sessions/{session_id}", data=edit)
    assert "3 plaatsen per ronde" in page.text
    stale = company.post(f"/app/company/events/sessions/{session_id}", data=edit)
    assert "Niet opgeslagen" in stale.text
    assert "Dit is intussen door iemand anders gewijzigd; laad de pagina opnieuw" in stale.text
    assert (
        "Lasrobot"
        not in as_role("other_company")
        .get("/app/company/events")
        .text.split("Onze sessies")[1]
        .split("Sessie toevoegen")[0]
    )

    choice = {"pupil_id": str(web_world.ids["st1"]), "choice_1": "SE1", "count": "1"}
    page = school.post(f"/app/school/events/{event_id}/requests", data=choice)
    assert "Keuze opgeslagen" in page.text and "st1 Kindst1" in page.text
    template = school.get(f"/app/school/events/{event_id}/template.csv")
    assert template.text.lstrip("\ufeff").startswith("leerling;roepnaam;keuze 1")
    bad = "pupil;choice_1\nst2;SE9\nst4;SE1\n"
    page = school.client.post(
        f"/app/school/events/{event_id}/upload",
        data={"csrf": school.csrf},
        files={"file": ("keuzes.csv", bad.encode(), "text/csv")},
    )
    assert "niet verwerkt" in page.text and "SE9" in page.text and "st4" in page.text
    assert school.get("/app/bureau/events").status_code == 403


def test_programmes_after_the_solve_show_each_role_its_own(as_role, web_world):
    event_id = event_world(web_world)
    c, b = web_world.client, web_world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "dag"}), 201)["id"]
    ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)
    bureau = as_role("bureau").get(f"/app/bureau/events/{event_id}")
    assert "Sessies toegekend" in bureau.text
    assert "<td>2 / 5</td>" in bureau.text  # SE1: first choice of two pupils, chosen by all five
    # Each shortfall says the solver's detail in Dutch: which rounds, which sessions.
    assert "(elke plek is bezet in ronde 2 (vrij voor de leerling): SE2)" in bureau.text
    assert "(vrij in ronde 3, maar SE2 (ronde 1, 2) draaien alleen in rondes" in bureau.text
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    outcome = ok(c.get(f"/events/{event_id}/outcome", headers=b))

    school = as_role("school")
    page = school.get(f"/app/school/events?event={event_id}")
    assert (
        'id="pupil-programmes"' in page.text and "st4" not in page.text.split("pupil-programmes")[1]
    )
    one = school.get(f"/app/events/{event_id}/programme?student=st1")
    st1 = [s for s in outcome["sessions"] if s["student"] == "st1"]
    assert one.text.count("<tr><td>") == len(st1) and "@media print" not in one.text
    assert school.get(f"/app/events/{event_id}/programme?student=st4").status_code == 404

    company = as_role("company")
    lists = company.get(f"/app/events/{event_id}/programme")
    assert "Robots" not in lists.text  # C2's session
    assert "Kindst" in lists.text and 'id="programme-st' not in lists.text  # no pupil codes
    ics = company.get(f"/app/events/{event_id}/programme.ics")
    assert ics.headers["content-type"].startswith("text/calendar") and "Robots" not in ics.text
