"""Refusals that named less in Dutch than in English, or not in Dutch at all, reach a Dutch page
in Dutch (issue 14): an import's problems (a broken EDEXML file, an unreadable calendar, a
Zermelo that refuses the partner code or answers malformed), a feedback form whose hidden
fields were changed, an agreement that cannot be signed yet (what is missing, by its Dutch
name) and a job whose version is gone. Each is said by its type or code from the catalogs; the
API and the stored report keep their English."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from agreement_world import confirmed_placement
from api_world import MARCH, ok
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from school_system_files import edexml
from school_system_server import ZERMELO_CODE, RecordedSystems, serving
from sqlmodel import Session, select
from test_dutch_pages import english_in
from test_refusal_pages import alerts
from web_helpers import PASSWORD, Browser

from api.app import create_app
from api.auth import hash_password
from api.db import make_engine, saved_id
from api.locale import catalog
from api.models import ImportSource, JobKind, Region, Role, Round, School, User
from api.services.errors import Conflict
from api.services.solves import create_job
from api.settings import Settings
from api.web.refusals import refusal_items, why
from fixtures.school_systems import generate_school

TAG = re.compile(r"<[^>]+>")


def problem_cells(page: str) -> list[str]:
    """The "problem" column of every problems table on the page: (record, field, problem)."""
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page, re.S)
    return [html.unescape(TAG.sub("", problem)).strip() for _, _, problem in rows]


def test_a_refused_file_import_speaks_dutch_on_the_sources_page(as_role, web_world, web_settings):
    w = web_world
    region = ok(w.client.get("/region", headers=w.bureau))
    ok(w.client.patch("/region", headers=w.bureau,
                      json={"version": region["version"], "calendar": MARCH}))  # fmt: skip
    ok(
        w.client.post("/classes", headers=w.school, json={"code": "3KB-A", "year": 3, "size": 20}),
        201,
    )
    school = as_role("school")

    # An EDEXML file with a pupil without a name: the import runs in the background.
    page = school.post("/app/school/sources/edexml", files={"file": ("s.xml", edexml(3, {1: ""}))})
    said = problem_cells(page.text)
    assert said == ["geen roepnaam en geen voornamen"], said
    assert "no voornamen" not in page.text

    # A file that is no XML at all.
    page = school.post("/app/school/sources/edexml", files={"file": ("s.xml", b"<EDEX><leer")})
    (said,) = problem_cells(page.text)
    assert said.startswith("dit is geen geldig XML-bestand ("), said
    assert "not well-formed" not in page.text

    # A calendar file that is no calendar: refused at once, in the page's table.
    page = school.post("/app/school/sources/ical", {"requester": "class:3KB-A"},
                       files={"file": ("k.ics", b"BEGIN:VCARD\r\nEND:VCARD\r\n")})  # fmt: skip
    result = page.text.split('id="import-result"', 1)[1].split("</section>", 1)[0]
    (said,) = problem_cells(result)
    assert said.startswith("dit is geen"), said
    assert "<td>class 3KB-A</td><td>agenda</td>" in result  # the field in the page's words
    assert "iCalendar" in said and "not a" not in page.text

    # The stored report keeps the English reason with the type the page said it by.
    engine = make_engine(web_settings.database_url)
    try:
        with Session(engine) as session:
            source = session.exec(
                select(ImportSource).where(ImportSource.settings["file"].as_string() == "s.xml")
            ).one()
            (problem,) = (source.last_report or {})["problems"]
    finally:
        engine.dispose()
    assert problem["type"] == "import.xml_malformed"
    assert problem["reason"].startswith("not well-formed XML")

    # In English for whoever chose it.
    school.client.cookies.set("lang", "en")
    page = school.get("/app/school/sources")
    assert any(cell.startswith("not well-formed XML (") for cell in problem_cells(page.text))


@pytest.fixture
def zermelo_school(web_settings: Settings) -> Iterator[tuple[Browser, RecordedSystems]]:
    """A school signed in on the systems page, and a recorded Zermelo serving its data."""
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=7 - today.weekday())
    year = {"start": str(monday - timedelta(days=28)), "end": str(monday + timedelta(days=56))}
    engine = make_engine(web_settings.database_url)
    try:
        with Session(engine) as session:
            region = Region(name="Regio Zwolle", calendar={**year, "holidays": []})
            session.add(region)
            session.flush()
            row = School(code="05FB00", name="Hof van Zuid", lat=52.5, lon=6.08,
                         region_id=saved_id(region))  # fmt: skip
            session.add(row)
            session.flush()
            session.add(User(email="coordinator@hofvanzuid.nl", role=Role.school,
                             region_id=saved_id(region), school_id=saved_id(row),
                             hashed_password=hash_password(PASSWORD)))  # fmt: skip
            session.commit()
    finally:
        engine.dispose()
    systems = RecordedSystems(generate_school(seed=3, pupils=20, monday=monday))
    with serving(systems) as base:
        settings = web_settings.model_copy(
            update={
                "school_source_key": Fernet.generate_key().decode(),
                "zermelo_api_url": f"{base}/zermelo/{{portal}}/api/v3",
            }
        )
        with TestClient(create_app(settings, runner="inline")) as client:
            yield Browser(client.app, "coordinator@hofvanzuid.nl"), systems


def test_a_failing_zermelo_connection_and_import_speak_dutch(zermelo_school):
    browser, systems = zermelo_school
    # A partner code Zermelo does not take: the Dutch names the system, its status and reason.
    connect = {"portal": "hofvanzuid", "code": "0000 0000", "weeks": "1"}
    page = browser.post("/app/school/systems/zermelo", data=connect)
    said = alerts(page.text)
    assert "Zermelo nam deze gegevens niet aan (" in said, said
    assert "refused the credentials" not in page.text

    page = browser.post("/app/school/systems/zermelo", data={**connect, "code": ZERMELO_CODE})
    assert "Gekoppeld." in page.text
    source_id = re.search(r"/app/school/systems/(\d+)/import", page.text).group(1)  # type: ignore[union-attr]
    systems.fault = "malformed"
    page = browser.post(f"/app/school/systems/{source_id}/import")
    assert "(niet gelezen)" in page.text
    (said,) = problem_cells(page.text)
    assert said.startswith(
        "Het antwoord van Zermelo op studentsindepartments heeft niet de beschreven vorm (bij "
    ), said
    assert "malformed" not in page.text
    assert english_in(said, {"Zermelo", "studentsindepartments", "response", "data"}) == [], said

    # Imported after all: the report's notes are said in Dutch too.
    systems.fault = None
    page = browser.post(f"/app/school/systems/{source_id}/import")
    assert "(verwerkt)" in page.text
    assert "leerlingen: 20 nieuw, 0 bijgewerkt, 0 ongewijzigd" in page.text
    assert "Zermelo is alleen gevraagd naar deze gegevens van elke leerling: student," in page.text
    assert "was asked only" not in page.text and "pupils: 20 new" not in page.text


def test_a_tampered_feedback_form_is_refused_in_dutch(as_role, web_world):
    company = as_role("company")
    form = {"feedback_id": "7; drop", "version": "1", "score": "4", "again": "yes"}
    page = company.post("/app/company/feedback", form)
    said = alerts(page.text)
    assert "antwoord: 7; drop is geen antwoord van deze pagina; laad de pagina opnieuw" in said
    assert "invalid literal" not in page.text

    # A new answer with its hidden fields changed: each field named, in Dutch, nothing stored.
    form = {"round_id": "een", "kind": "feest", "item": "x", "score": "zeven", "again": "yes"}
    page = company.post("/app/company/feedback", form)
    said = alerts(page.text)
    assert "ronde: moet een heel getal zijn" in said and "cijfer: moet een heel getal zijn" in said
    assert "Input should be" not in page.text and "validation error" not in page.text
    assert english_in(said, {"een", "feest", "zeven", "x"}) == [], said


def test_an_agreement_that_cannot_be_signed_yet_names_what_is_missing(as_role, web_world):
    """The Dutch says what the English says: which entries are missing, by their Dutch names."""
    placed = confirmed_placement(web_world)
    aid = placed.agreement["id"]
    page = as_role("company").post(
        f"/app/agreements/{aid}/sign", {"version": "1", "party": "company", "name": "Henk Smit"}
    )
    said = alerts(page.text)
    assert (
        f"Overeenkomst {aid} van leerling {placed.student} kan nog niet worden ondertekend: "
        "Ontbreekt: " in said
    ), said
    assert "cannot be signed" not in page.text and "missing first_day" not in page.text
    assert english_in(said, {placed.student}) == [], said
    assert "Ontbreekt: praktijkbegeleider." in said and "Ontbreekt: contactpersoon school." in said
    body = {"version": 1, "party": "company", "name": "Henk Smit"}
    answer = web_world.client.post(
        f"/agreements/{aid}/signatures", headers=web_world.company, json=body
    )
    assert answer.status_code == 409  # the API keeps its English
    assert "cannot be signed: missing supervisor_name" in answer.json()["detail"]


def test_a_job_that_cannot_start_names_the_version_it_starts_from(web_world, web_settings):
    rid = ok(web_world.client.post("/rounds", headers=web_world.bureau, json={"name": "R"}), 201)
    engine = make_engine(web_settings.database_url)
    try:
        with Session(engine) as session:
            round_ = session.get(Round, rid["id"])
            assert round_ is not None
            with pytest.raises(Conflict) as refused:
                create_job(session, round_, JobKind.resolve, web_settings, "inline", None,
                           {"base_version_id": 424242})  # fmt: skip
    finally:
        engine.dispose()
    nl = {str(m.id): str(m.string) for m in catalog("nl") if m.id}
    (item,) = refusal_items(refused.value)
    said = why(item, lambda key: nl.get(key, key))
    assert "versie 424242, waar hij van uitgaat, bestaat niet meer in deze ronde" in said, said
    assert str(refused.value) == "the version to re-solve is gone"
