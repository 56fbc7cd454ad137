"""The school's sources page: links and files per class or teacher, each import's report in
Dutch (what became free, what was left out), and a refusal shown as record, field, problem."""

from __future__ import annotations

from api_world import MARCH, activity_world, ok
from school_system_files import AFTERNOONS, MORNINGS, TUESDAY_AFTERNOONS, edexml, ics
from sqlmodel import Session, select

from api.db import make_engine
from api.models import ImportSource


def test_school_links_a_calendar_uploads_files_and_reads_each_report(as_role, web_world):
    w = web_world
    region = ok(w.client.get("/region", headers=w.bureau))
    ok(w.client.patch("/region", headers=w.bureau,
                      json={"version": region["version"], "calendar": MARCH}))  # fmt: skip
    body = {"code": "3KB-A", "year": 3, "size": 20, "free": ["tue-pm"]}
    ok(w.client.post("/classes", headers=w.school, json=body), 201)
    school = as_role("school")

    page = school.get("/app/school/sources")
    assert "Roosters en leerlingen uit het schoolsysteem" in page.text
    assert "Nog geen bronnen gekoppeld." in page.text
    link = {"requester": "class:3KB-A", "url": "webcal://rooster.example.nl/k.ics"}
    page = school.post("/app/school/sources/add", link)
    assert "rooster.example.nl" in page.text and "/k.ics" not in page.text  # the token stays hidden
    (source,) = ok(w.client.get(f"/schools/{w.ids['S1']}/sources", headers=w.school))
    switch = {"enabled": "off", "version": "1"}
    page = school.post(f"/app/school/sources/{source['id']}/switch", switch)
    assert "Aanzetten" in page.text
    page = school.post(f"/app/school/sources/{source['id']}/switch", switch)  # a stale form
    assert f"Bron {source['id']} is intussen gewijzigd; laad de pagina opnieuw." in page.text
    page = school.post(f"/app/school/sources/{source['id']}/delete")
    assert "Nog geen bronnen gekoppeld." in page.text

    calendar = ics(MORNINGS, AFTERNOONS, TUESDAY_AFTERNOONS)
    page = school.post("/app/school/sources/ical", {"requester": "class:3KB-A"},
                       files={"file": ("3kb-a.ics", calendar, "text/calendar")})  # fmt: skip
    assert "niet meer vrij: tue-pm" in page.text
    assert "Niet bewaard" in page.text

    page = school.post("/app/school/sources/edexml", files={"file": ("s.xml", edexml(3, {1: ""}))})
    assert "Niet geïmporteerd" in page.text
    assert "<td>leerling ll0001</td><td>roepnaam</td>" in page.text
    page = school.post("/app/school/sources/edexml", files={"file": ("s.xml", edexml(3))})
    assert "geboortedatum (3)" in page.text and "achternaam (3)" in page.text
    page = school.get("/app/school/sources")
    assert "EDEXML-bestand" in page.text and "s.xml" in page.text  # each source, its last import


def test_a_running_import_shows_its_progress_and_polls(as_role, web_world, web_settings):
    """The card of an import running in the background: phase, share done, htmx polling of
    its own section and, without script, a refresh link."""
    school = as_role("school")
    school.post("/app/school/sources/edexml", files={"file": ("s.xml", edexml(3))})
    engine = make_engine(web_settings.database_url)
    try:
        with Session(engine) as session:
            source = session.exec(select(ImportSource)).one()
            source.last_status, source.import_phase = "running", "storing 3 pupils"
            source.import_progress = 0.5
            session.add(source)
            session.commit()
            card = f"run-{source.id}"
    finally:
        engine.dispose()
    text = school.get("/app/school/sources").text
    assert f'id="{card}" hx-get="/app/school/sources" hx-trigger="every 2s"' in text
    assert "Import loopt: 50%" in text and 'value="0.5"' in text
    assert '<noscript><p><a href="/app/school/sources">Vernieuwen</a>' in text


def test_bureau_sees_the_timetable_clashes_and_plans_them_anew(as_role, web_world):
    rid = activity_world(web_world)  # K1 and K2 free on Tuesday afternoons, visits planned
    school, bureau = as_role("school"), as_role("bureau")
    calendar = ics(MORNINGS, AFTERNOONS, TUESDAY_AFTERNOONS)
    page = school.post("/app/school/sources/ical", {"requester": "class:K1"},
                       files={"file": ("k1.ics", calendar, "text/calendar")})  # fmt: skip
    assert "Deze geplande activiteiten vallen nu in een bezet dagdeel" in page.text
    page = bureau.get(f"/app/bureau/rounds/{rid}")
    assert "Roosterconflicten opnieuw inplannen (1)" in page.text
    page = bureau.post(f"/app/bureau/rounds/{rid}/repair-timetables")
    assert "Herstel gestart." in page.text
    assert "Roosterconflicten opnieuw inplannen" not in page.text  # the new proposal fits
