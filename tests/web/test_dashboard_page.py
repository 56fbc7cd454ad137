"""The bureau's dashboard on the round page (issue 14): activities planned, not planned and
declined; cofinancing against the region's target; the one-more-seat advice in plain Dutch;
charts with their tables; downloads of every export; schools with place and BRIN code; the
region map on the PDOK background with its SVG outline as the fallback; honest progress."""

from __future__ import annotations

import json
import re

from api_world import activity_world, ok
from sqlmodel import Session
from test_dutch_pages import english_in

from api.db import make_engine
from api.models import Job, JobKind, JobStatus, Region, Role, utcnow
from api.provision import create_user
from api.security_headers import PAGE_POLICY
from fixtures.region import generate_region
from tests.web.web_helpers import PASSWORD, Browser

CHARTS = re.compile(r'<script type="application/json" id="dashboard-charts">(.*?)</script>', re.S)
MAP = re.compile(r'<script type="application/json" id="map-data">(.*?)</script>', re.S)


def section(html: str, heading: str) -> str:
    return html.split(f'id="{heading}"', 1)[1].split("</section>", 1)[0]


def test_activities_cofinancing_charts_and_downloads(as_role, web_world):
    w = web_world
    round_id = activity_world(w)
    bureau = as_role("bureau")
    page = bureau.get(f"/app/bureau/rounds/{round_id}")
    activities = section(page.text, "h-activities")
    row = activities.split('id="activity-excursion"', 1)[1].split("</tr>", 1)[0]
    assert "Bedrijfsbezoek" in row and '<td class="planned">3</td>' in row, row
    assert '<td class="declined">0</td>' in row
    # The cofinancing figure is the API's report, against 10% of the plan's EUR 100,000.
    report = ok(w.client.get(f"/rounds/{round_id}/cofinancing", headers=w.bureau))
    text = section(page.text, "h-cofinancing")
    value = f"€ {round(report['total_value_eur']):,}".replace(",", ".")
    assert value in text and "€ 10.000" in text and "10%" in text, text
    # Each chart has its data block and a text alternative.
    charts = json.loads(CHARTS.search(page.text).group(1))  # type: ignore[union-attr]
    assert charts["cofinancing"]["values"] == [report["total_value_eur"], 10_000.0]
    assert sum(sum(s["values"]) for s in charts["months"]["series"]) > 0
    assert page.text.count('role="img" aria-labelledby="c-') == 5
    assert 'id="month-hours"' in page.text
    # Schools carry place and BRIN wherever listed; here the codes are no vestigingscodes.
    assert "Vmbo S1" in section(page.text, "h-coverage")

    # Every download link answers with its file.
    downloads = section(page.text, "h-downloads")
    links = re.findall(r'href="(/app/bureau/rounds/\d+/downloads/[^"]+)"', downloads)
    assert len(links) == 3 + 2 * 3, links
    for link in links:
        answer = bureau.get(link.replace("&amp;", "&"))
        assert answer.status_code == 200, (link, answer.text[:200])
        assert "attachment" in answer.headers["content-disposition"]
    base = f"/app/bureau/rounds/{round_id}/downloads"
    company = bureau.get(f"{base}/company?code=C1&fmt=ics")
    assert company.status_code == 200 and b"BEGIN:VCALENDAR" in company.content
    school = bureau.get(f"{base}/school?code=S1&fmt=csv")
    # Downloaded from a Dutch page: Dutch headers and reasons; the API's export keeps the codes.
    lines = school.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("leerling;voornaam;stageplek;bedrijf")
    [st1] = [line for line in lines if line.startswith("st1;")]
    assert st1.startswith("st1;Kindst1;;;;;;;Alle bereikbare plekken zijn vol;"), st1
    assert "bezet: PL1/P3 vol (2); PL2/P3 vol (1)" in st1  # the index's detail, in Dutch
    assert english_in(st1.replace(";", "\n"), {"st1", "Kindst1", "PL1", "P3"}) == [], st1
    bureau.client.cookies.set("lang", "en")
    school = bureau.get(f"{base}/school?code=S1&fmt=csv")
    assert school.text.lstrip("\ufeff").startswith("pupil;first name;placement;company")
    bureau.client.cookies.set("lang", "nl")
    unknown = bureau.get(f"{base}/school?code=S9&fmt=csv")
    assert unknown.status_code == 404 and "veld code" in unknown.text and "S9" in unknown.text
    assert bureau.get(f"{base}/school?code=S1&fmt=pdf").status_code == 422

    # A company declines a visit after publication: the bureau reads it per kind.
    company_page = as_role("company")
    visit = re.search(
        r'id="visit-(K\d)-(2027-03-\d\d)-pm"', company_page.get("/app/company/pupils").text
    )
    assert visit is not None
    company_page.post(
        "/app/company/activities/respond",
        {"round_id": str(round_id), "offer": "EX1", "daypart": "pm", "requester": visit[1],
         "date": visit[2], "status": "declined", "reason": "geen begeleider"},
    )  # fmt: skip
    page = bureau.get(f"/app/bureau/rounds/{round_id}")
    row = section(page.text, "h-activities").split('id="activity-excursion"', 1)[1]
    assert '<td class="declined">1</td>' in row.split("</tr>", 1)[0]


def test_one_more_seat_advice_in_plain_dutch(web_client, web_settings):
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        region = Region(name="Krap")
        session.add(region)
        session.flush()
        from api.converters import import_document

        import_document(session, region, generate_region(students=120, schools=2, seed=3))
        session.commit()
    create_user(engine, email="bureau@krap.nl", password=PASSWORD, role=Role.bureau,
                region="Krap")  # fmt: skip
    engine.dispose()
    bureau = Browser(web_client.app, "bureau@krap.nl")
    page = bureau.post("/app/bureau/rounds", {"name": "Krap 2027"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    page = bureau.post(f"/app/bureau/rounds/{round_id}/solve")
    assert 'id="advice"' not in page.text and 'id="advise"' in page.text
    # Two locations of one school (BRIN 02IB): told apart by place and location code.
    coverage = section(page.text, "h-coverage")
    for code in ("02IB00", "02IB07"):
        assert re.search(
            rf', [A-Z][\w\' -]+ <span class="muted">BRIN 02IB · {code}</span>', coverage
        )
    assert int(re.search(r'id="unplaced-count">(\d+)<', page.text).group(1))  # type: ignore[union-attr]
    page = bureau.post(f"/app/bureau/rounds/{round_id}/advice")  # counted inline in tests
    assert "Advies gevraagd" in page.text and 'id="advice-progress"' not in page.text
    advice = section(page.text, "h-advice")
    sentence = r"Eén plek extra bij [^<]+ \(PL\d+\) in periode P\d plaatst 1 leerling meer\."
    assert len(re.findall(sentence, advice)) == 10, advice


def test_the_map_draws_on_pdok_tiles_with_the_outline_as_fallback(as_role, web_world):
    round_id = activity_world(web_world)
    page = as_role("bureau").get(f"/app/bureau/map?round_id={round_id}")
    assert 'id="leaflet-map"' in page.text and 'id="region-map"' in page.text
    assert '<polygon class="outline" points="' in page.text  # the offline map's outline
    assert '<script src="/static/leaflet.js" defer></script>' in page.text
    data = json.loads(MAP.search(page.text).group(1))  # type: ignore[union-attr]
    assert data["tiles"].startswith("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/")
    assert data["attribution"] == "Kaartgegevens © Kadaster"
    assert {s["label"].split(",")[0] for s in data["schools"]} == {"Vmbo S1", "Vmbo S2"}
    assert data["links"] and all(link["pupils"] > 0 for link in data["links"])


def test_schools_at_one_address_are_moved_apart_and_labelled_with_place_and_brin():
    from api.web.bureau import labelled_schools, school_text

    four = [{"id": f"00AH0{i}", "name": "Het Stedelijk", "lat": 52.2337, "lon": 6.8838}
            for i in range(4)]  # fmt: skip
    spread = labelled_schools(four)
    assert len({(s["lat"], s["lon"]) for s in spread}) == 4
    assert all(abs(s["lat"] - 52.2337) < 0.01 for s in spread)
    assert school_text(spread[0]) == "Het Stedelijk, Enschede (BRIN 00AH)"


def test_static_scripts_are_served_and_the_policy_allows_only_pdok_images(web_client):
    for name in ("leaflet.js", "leaflet.css", "chart.umd.min.js", "dashboard_charts.js",
                 "region_map.js", "leaflet.LICENSE", "chart.LICENSE"):  # fmt: skip
        assert web_client.get(f"/static/{name}").status_code == 200, name
    policy = web_client.get("/app/login").headers["Content-Security-Policy"]
    assert policy == PAGE_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["img-src"] == "'self' data: https://service.pdok.nl"
    assert directives["default-src"] == "'self'"  # scripts and styles from this site only


def test_progress_names_the_phase_in_dutch_with_best_and_bound(as_role, web_world, web_settings):
    round_id = ok(
        web_world.client.post("/rounds", headers=web_world.bureau, json={"name": "p"}), 201
    )["id"]
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        job = Job(round_id=round_id, region_id=web_world.region_id, kind=JobKind.solve,
                  status=JobStatus.running, phase="placements: CP-SAT: placed priority 40",
                  elapsed=3.5, best_objective=1234.0, bound=1200.0, started_at=utcnow(),
                  runner="inline")  # fmt: skip
        session.add(job)
        session.commit()
        job_id = job.id
    engine.dispose()
    page = as_role("bureau").get(f"/app/bureau/jobs/{job_id}/progress")
    # the phase in Dutch; the solver's own (English) words stay off a Dutch page
    assert "stageplekken verdelen" in page.text and "placed priority" not in page.text
    assert "1234" in page.text and "ondergrens 1200" in page.text and "3%" in page.text


def test_downloads_and_advice_of_a_round_without_proposal_are_refused(as_role, web_world):
    w = web_world
    round_id = ok(w.client.post("/rounds", headers=w.bureau, json={"name": "leeg"}), 201)["id"]
    bureau = as_role("bureau")
    base = f"/app/bureau/rounds/{round_id}"
    for answer in (
        bureau.get(f"{base}/downloads/solution.json"),
        bureau.get(f"{base}/downloads/school?code=S1&fmt=csv"),
        bureau.post(f"{base}/advice"),
    ):
        assert answer.status_code == 409 and "nog geen voorstel" in answer.text
    assert bureau.get(f"/app/bureau/rounds/{round_id + 99}/downloads/round.json").status_code == 404
    # A school has no bureau downloads: its own pupils come from its results page.
    assert as_role("school").get(f"{base}/downloads/round.json").status_code == 403


def test_a_school_name_cannot_close_the_pages_data_blocks(as_role, web_world):
    w = web_world
    school = ok(w.client.get(f"/schools/{w.ids['S1']}", headers=w.bureau))
    evil = "</script><script>alert(1)</script>"
    body = {"version": school["version"], "name": evil}
    ok(w.client.patch(f"/schools/{w.ids['S1']}", headers=w.bureau, json=body))
    round_id = activity_world(w)
    bureau = as_role("bureau")
    for url in (f"/app/bureau/rounds/{round_id}", f"/app/bureau/map?round_id={round_id}"):
        page = bureau.get(url)
        assert evil not in page.text and "<script>alert" not in page.text
        block = (CHARTS if "rounds" in url else MAP).search(page.text)
        assert block is not None and evil in json.dumps(json.loads(block.group(1)))  # escaped
