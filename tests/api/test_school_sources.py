"""Zermelo and Somtoday Connect imports end to end: a recorded school of 520 pupils served by a
local HTTP server in each system's documented format, read, checked and stored whole; and
every way an import must refuse (a token the system no longer takes, a paging error, a
malformed answer, a record the platform cannot take) storing nothing."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from school_system_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORGANISATION,
    ZERMELO_CODE,
    RecordedSystems,
    serving,
)
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.db import make_engine, saved_id
from api.imports import credentials
from api.models import (
    AuditEntry,
    ImportSource,
    Pupil,
    Region,
    Role,
    School,
    SchoolClass,
    Teacher,
    User,
)
from api.services import pupil_imports, school_sources
from api.services.errors import Conflict, Forbidden, Invalid, NotFound
from api.settings import Settings
from fixtures.school_systems import generate_school

MONDAY, TODAY = date(2027, 1, 11), date(2027, 1, 6)  # an import on the 6th reads from the 11th
SCHOOL_YEAR = {"start": "2026-08-31", "end": "2027-07-09", "holidays": [], "min_gap_days": 0}
WEEKLY = [f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri") for p in ("am", "pm")]
SCHOOL = generate_school(seed=7, pupils=520, monday=MONDAY, weeks=1)


@pytest.fixture(scope="module")
def recorded() -> Iterator[tuple[RecordedSystems, str]]:
    systems = RecordedSystems(SCHOOL)
    with serving(systems) as base:
        yield systems, base


@pytest.fixture
def systems(recorded: tuple[RecordedSystems, str]) -> Iterator[RecordedSystems]:
    systems = recorded[0]
    yield systems
    systems.fault, systems.accepted = None, "valid-token"


@pytest.fixture
def source_settings(recorded: tuple[RecordedSystems, str]) -> Settings:
    """The platform pointed at the recorded systems (`run_import` is given its engine)."""
    base = recorded[1]
    return Settings(
        school_source_key=Fernet.generate_key().decode(),
        zermelo_api_url=f"{base}/zermelo/{{portal}}/api/v3",
        somtoday_token_url=f"{base}/somtoday/oauth2/token",
        somtoday_api_url=f"{base}/somtoday/rest/v1",
        school_source_retries=0,
        school_source_timeout_s=10,
    )


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """SQLite only, for refusals: they store nothing, whatever the database."""
    path = tmp_path / "stagebureau.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def school(engine: Engine) -> tuple[int, int]:
    return add_school(engine)


@pytest.fixture
def sqlite_school(sqlite_engine: Engine) -> tuple[int, int]:
    return add_school(sqlite_engine)


def add_school(engine: Engine) -> tuple[int, int]:
    """(school id, id of its coordinator) in a region of their own."""
    with Session(engine) as session:
        region = Region(name="Regio Zwolle", calendar=SCHOOL_YEAR)
        session.add(region)
        session.flush()
        school = School(
            code=SCHOOL.brin, name=SCHOOL.name, lat=52.5, lon=6.08, region_id=saved_id(region)
        )
        session.add(school)
        session.flush()
        user = User(
            email="coordinator@hofvanzuid.nl",
            role=Role.school,
            region_id=saved_id(region),
            school_id=saved_id(school),
            hashed_password="-",
        )
        session.add(user)
        session.commit()
        return saved_id(school), saved_id(user)


def connect(engine: Engine, settings: Settings, school: tuple[int, int], kind: str) -> int:
    with Session(engine) as session:
        user = session.get(User, school[1])
        assert user is not None
        if kind == "zermelo":
            source = school_sources.connect_zermelo(
                session, user, settings, school[0], portal="hofvanzuid", code=ZERMELO_CODE, weeks=1
            )
        else:
            source = school_sources.connect_somtoday(
                session,
                user,
                settings,
                school[0],
                organisation=ORGANISATION,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                weeks=1,
            )
        return saved_id(source)


def run(engine: Engine, settings: Settings, school: tuple[int, int], source_id: int) -> str:
    with Session(engine) as session:
        user = session.get(User, school[1])
        assert user is not None
        school_sources.start_import(session, user, source_id)
    return school_sources.run_import(engine, settings, source_id, school[1], today=TODAY)


def report_of(engine: Engine, source_id: int) -> dict[str, Any]:
    with Session(engine) as session:
        source = session.get(ImportSource, source_id)
        assert source is not None and source.last_report is not None
        return source.last_report


def stored_counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Pupil, SchoolClass, Teacher)
        )


def expected_free(busy: tuple[str, ...]) -> list[str]:
    return [slot for slot in WEEKLY if slot not in busy]


@pytest.mark.parametrize("kind", ["zermelo", "somtoday"])
def test_a_recorded_school_of_520_pupils_imports_whole_with_its_free_dayparts(
    engine, source_settings, school, systems, kind
):
    source_id = connect(engine, source_settings, school, kind)
    assert run(engine, source_settings, school, source_id) == "imported"
    report = report_of(engine, source_id)
    made = Counter((r["kind"], r["action"]) for r in report["records"])
    assert made == {
        ("class", "created"): len(SCHOOL.groups),
        ("teacher", "created"): len(SCHOOL.teachers),
    }
    assert report["created"] == 520 + len(SCHOOL.groups) + len(SCHOOL.teachers)
    assert report["notes"][0] == "pupils: 520 new, 0 updated, 0 unchanged"
    assert report["problems"] == []
    with Session(engine) as session:
        classes = {k.code: k for k in session.exec(select(SchoolClass))}
        pupils = {p.code: p for p in session.exec(select(Pupil))}
        teachers = {t.code: t for t in session.exec(select(Teacher))}
    # Lessons keep a class and its teachers busy; the cancelled lesson keeps nobody busy.
    for group in SCHOOL.groups:
        klass = classes[f"05FB00-{group.name}"]
        assert klass.free == expected_free(group.busy), group.name
        assert group.cancelled in klass.free
        assert (klass.year, klass.profile) == (group.year, group.profile)
    assert {t.code: t.free for t in teachers.values()} == {
        f"05FB00-{t.code}": expected_free(t.busy) for t in SCHOOL.teachers
    }  # staff without lessons (ADM01 in Zermelo) are no teachers to plan for
    by_number = {p.number: p for p in SCHOOL.pupils}
    groups = {g.name: g for g in SCHOOL.groups}
    for code, pupil in pupils.items():
        recorded = by_number[int(code.removeprefix("05FB00-"))]
        group = groups[recorded.group]
        assert (pupil.first_name, pupil.profile, pupil.track, pupil.year) == (
            recorded.first_name,
            group.profile,
            group.track,
            group.year,
        )
        assert pupil.class_id == classes[f"05FB00-{recorded.group}"].id
        # Only Somtoday shares an address, and then only its PC4 area's centre is kept.
        has_home = kind == "somtoday" and recorded.postcode is not None
        assert (pupil.home_lat is not None) == has_home
    if kind == "somtoday":  # what it sent beyond that is named and counted, never stored
        left_out = report["left_out"]
        assert left_out["BSN"] == left_out["achternaam"] == left_out["geboortedatum"] == 520
        assert left_out["adres.straat"] == sum(p.postcode is not None for p in SCHOOL.pupils)
    else:  # Zermelo is asked only for the fields the platform uses
        assert report["left_out"] == {}
        assert "asked only for" in report["notes"][1] and "lastName" not in report["notes"][1]
    # Importing again finds the same records: a renamed pupil is updated, the rest left as is.
    with Session(engine) as session:
        renamed = pupils[f"05FB00-{SCHOOL.pupils[0].number}"]
        session.add(renamed)
        renamed.first_name = "Old name"
        session.commit()
    assert run(engine, source_settings, school, source_id) == "imported"
    again = report_of(engine, source_id)
    assert (again["created"], again["updated"]) == (0, 1)
    assert again["notes"][0] == "pupils: 0 new, 1 updated, 519 unchanged"
    assert "05FB00-4500" not in str(again)  # no pupil's code in a report
    assert stored_counts(engine) == (520, len(SCHOOL.groups), len(SCHOOL.teachers))


@pytest.mark.parametrize("kind", ["zermelo", "somtoday"])
@pytest.mark.parametrize(
    ("fault", "says"),
    [("token", "refused the token"), ("paging", "paging"), ("malformed", "malformed")],
)
def test_an_unreadable_source_stores_nothing_and_says_why(
    sqlite_engine, source_settings, sqlite_school, systems, kind, fault, says
):
    source_id = connect(sqlite_engine, source_settings, sqlite_school, kind)
    if fault == "token":
        systems.accepted = "only-a-token-issued-later"
    else:
        systems.fault = fault
    assert run(sqlite_engine, source_settings, sqlite_school, source_id) == "failed"
    report = report_of(sqlite_engine, source_id)
    [problem] = report["problems"]
    assert problem["record"] == kind.capitalize() and says in problem["reason"]
    assert stored_counts(sqlite_engine) == (0, 0, 0)
    with Session(sqlite_engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.after is not None and entry.after["status"] == "failed"


def test_a_record_the_platform_cannot_take_refuses_the_whole_import_naming_it(
    sqlite_engine, source_settings, sqlite_school, systems
):
    source_id = connect(sqlite_engine, source_settings, sqlite_school, "somtoday")
    leerling = systems.somtoday["leerlingen"][3]
    opleiding = leerling["plaatsingen"][0]["opleiding"]
    saved = dict(opleiding)
    opleiding.update(afkorting="KB", profielafkorting="Techniek breed")
    try:
        assert run(sqlite_engine, source_settings, sqlite_school, source_id) == "refused"
    finally:
        opleiding.clear()
        opleiding.update(saved)
    [problem] = report_of(sqlite_engine, source_id)["problems"]
    assert problem["record"] == f"leerlingen[3] (leerlingnummer {leerling['leerlingnummer']})"
    assert problem["field"] == "plaatsingen[].opleiding.profielafkorting"
    assert problem["reason"].startswith("no vmbo profile code recognised; one of BWI, PIE")
    assert stored_counts(sqlite_engine) == (0, 0, 0)


def test_credentials_are_sealed_audited_without_secrets_and_revocable(
    sqlite_engine, source_settings, sqlite_school, systems
):
    source_id = connect(sqlite_engine, source_settings, sqlite_school, "somtoday")
    with Session(sqlite_engine) as session:
        source = session.get(ImportSource, source_id)
        assert source is not None and source.credentials is not None
        assert CLIENT_SECRET not in source.credentials
        assert credentials.unseal(source_settings.school_source_key, source.credentials) == {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
        with pytest.raises(credentials.CredentialsError):
            credentials.unseal(Fernet.generate_key().decode(), source.credentials)
        entries = session.exec(select(AuditEntry)).all()
        assert entries and all(CLIENT_SECRET not in str(e.after) for e in entries)
        user = session.get(User, sqlite_school[1])
        assert user is not None
        school_sources.start_import(session, user, source_id)
        with pytest.raises(Conflict):  # one import of a source at a time
            school_sources.start_import(session, user, source_id)
        school_sources.revoke(session, user, source_id)
        with pytest.raises(Conflict):
            school_sources.start_import(session, user, source_id)
        # Another school's coordinator cannot see or touch the source.
        other = School(code="07XY00", name="Elders", lat=52.0, lon=6.0, region_id=user.region_id)
        session.add(other)
        session.flush()
        stranger = User(
            email="x@elders.nl",
            role=Role.school,
            region_id=user.region_id,
            school_id=saved_id(other),
            hashed_password="-",
        )
        with pytest.raises((Forbidden, NotFound)):
            school_sources.revoke(session, stranger, source_id)


def test_a_wrong_partner_code_is_refused_at_connecting(
    sqlite_engine, source_settings, sqlite_school, systems
):
    with Session(sqlite_engine) as session:
        user = session.get(User, sqlite_school[1])
        assert user is not None
        with pytest.raises(Invalid) as refused:
            school_sources.connect_zermelo(
                session,
                user,
                source_settings,
                sqlite_school[0],
                portal="hofvanzuid",
                code="0000 0000 0000",
            )
        assert "refused the credentials (400)" in str(refused.value.detail)
        with pytest.raises(Invalid):  # a portal name is a host name, nothing else
            school_sources.connect_zermelo(
                session,
                user,
                source_settings,
                sqlite_school[0],
                portal="evil.example/x#",
                code=ZERMELO_CODE,
            )
    with Session(sqlite_engine) as session:
        assert session.exec(select(ImportSource)).all() == []


def test_a_busy_source_is_read_again_but_a_token_request_is_never_repeated(
    sqlite_engine, source_settings, sqlite_school, systems
):
    settings = source_settings.model_copy(update={"school_source_retries": 1})
    source_id = connect(sqlite_engine, settings, sqlite_school, "zermelo")
    systems.fault, systems.requests[:] = "busy", []
    assert run(sqlite_engine, settings, sqlite_school, source_id) == "imported"
    assert systems.requests[:2] == ["GET /zermelo/hofvanzuid/api/v3/branchesofschools"] * 2
    # A token request answered 503 is not sent again: an authorisation code is single-use.
    systems.fault, systems.requests[:] = "busy", []
    with Session(sqlite_engine) as session, pytest.raises(Invalid, match="refused the credentials"):
        user = session.get(User, sqlite_school[1])
        assert user is not None
        school_sources.connect_somtoday(
            session,
            user,
            settings,
            sqlite_school[0],
            organisation=ORGANISATION,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
    assert systems.requests == ["POST /somtoday/oauth2/token"]


def test_an_import_in_the_holidays_is_refused_rather_than_read_as_never_free(
    sqlite_engine, source_settings, sqlite_school, systems
):
    source_id = connect(sqlite_engine, source_settings, sqlite_school, "zermelo")
    with Session(sqlite_engine) as session:
        user = session.get(User, sqlite_school[1])
        assert user is not None
        school_sources.start_import(session, user, source_id)
    summer = date(2027, 7, 20)  # after the school year's last day
    assert (
        school_sources.run_import(
            sqlite_engine, source_settings, source_id, sqlite_school[1], today=summer
        )
        == "refused"
    )
    [problem] = report_of(sqlite_engine, source_id)["problems"]
    assert (problem["record"], problem["field"]) == ("schooljaar", "calendar")
    assert "hold no school day" in problem["reason"]
    assert stored_counts(sqlite_engine) == (0, 0, 0)


def test_a_pupil_from_edexml_and_later_from_zermelo_is_one_record(
    sqlite_engine, source_settings, sqlite_school, systems
):
    """One code scheme: the EDEXML `key` (the pupil number) and Zermelo's `student` code are
    both stored as `<school code>-<number>`, so the second import updates the first's pupil
    and class instead of adding them again."""
    first = SCHOOL.pupils[0]
    group = next(g for g in SCHOOL.groups if g.name == first.group)
    content = (
        f'<EDEX><groepen><groep key="g"><naam>{group.name}</naam>'
        f"<jaargroep>{group.year}</jaargroep></groep></groepen><leerlingen>"
        f'<leerling key="{first.number}"><roepnaam>Ander</roepnaam><groep key="g"/></leerling>'
        "</leerlingen></EDEX>"
    ).encode()
    with Session(sqlite_engine) as session:
        user = session.get(User, sqlite_school[1])
        assert user is not None
        source, read = pupil_imports.start_edexml_import(
            session, user, sqlite_school[0], "s.xml", BytesIO(content), 10_000
        )
        edexml_id = saved_id(source)
    run_edexml = pupil_imports.run_edexml_import
    assert run_edexml(sqlite_engine, edexml_id, sqlite_school[1], read) == "imported"
    code = f"05FB00-{first.number}"
    with Session(sqlite_engine) as session:
        assert session.exec(select(Pupil.code)).all() == [code]
    source_id = connect(sqlite_engine, source_settings, sqlite_school, "zermelo")
    assert run(sqlite_engine, source_settings, sqlite_school, source_id) == "imported"
    assert (
        report_of(sqlite_engine, source_id)["notes"][0] == "pupils: 519 new, 1 updated, 0 unchanged"
    )
    assert stored_counts(sqlite_engine) == (520, len(SCHOOL.groups), len(SCHOOL.teachers))
    with Session(sqlite_engine) as session:
        pupil = session.exec(select(Pupil).where(Pupil.code == code)).one()
    assert pupil.first_name == first.first_name  # Zermelo's name replaced the file's
