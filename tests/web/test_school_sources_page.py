"""The school's connections page: each source in Dutch, its last import and that report."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session
from web_helpers import PASSWORD, Browser

from api.auth import hash_password
from api.db import make_engine, saved_id
from api.imports.report import ImportProblem, ImportReport
from api.models import ImportSource, Region, Role, School, SourceKind, User

REPORT = ImportReport(
    source="somtoday",
    left_out={"BSN": 519, "geboortedatum": 520},
    problems=[
        ImportProblem(
            record="leerlingen[3] (leerlingnummer 450003)",
            field="plaatsingen[].opleiding.profielafkorting",
            reason="Input should be 'BWI', 'PIE', ...",
        )
    ],
).model_dump(mode="json")


def test_the_school_sees_each_source_its_last_import_and_report(web_client, web_settings):
    engine = make_engine(web_settings.database_url)
    try:
        with Session(engine) as session:
            region = Region(name="Regio Zwolle")
            session.add(region)
            session.flush()
            school = School(
                code="05FB00", name="Hof van Zuid", lat=52.5, lon=6.08, region_id=saved_id(region)
            )
            session.add(school)
            session.flush()
            session.add(
                User(
                    email="coordinator@hofvanzuid.nl",
                    role=Role.school,
                    region_id=saved_id(region),
                    school_id=saved_id(school),
                    hashed_password=hash_password(PASSWORD),
                )
            )
            session.add(
                ImportSource(
                    region_id=saved_id(region),
                    school_id=saved_id(school),
                    kind=SourceKind.somtoday,
                    credentials="sealed",
                    last_status="refused",
                    settings={"organisation": "3f2c1b0a-9e8d-4c7b-8a69-5f4e3d2c1b0a", "weeks": 2},
                    last_import_at=datetime(2027, 1, 6, 9, 30, tzinfo=UTC),
                    last_report=REPORT,
                )
            )
            session.add(
                ImportSource(
                    region_id=saved_id(region),
                    school_id=saved_id(school),
                    kind=SourceKind.zermelo,
                    credentials="sealed",
                    settings={"portal": "hofvanzuid", "weeks": 1},
                    last_status="running",
                    import_phase="studentsindepartments",
                    import_progress=0.3,
                )
            )
            session.commit()
    finally:
        engine.dispose()
    browser = Browser(web_client.app, "coordinator@hofvanzuid.nl")
    page = browser.get("/app/school/systems")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Koppelingen met Zermelo en Somtoday</h1>" in text
    assert 'href="/app/school/systems"' in text  # in the school's menu
    assert "Somtoday Connect" in text
    # A running import shows its phase and share done, and its section polls until it ends.
    assert "Import loopt: 30%" in text and 'value="0.3"' in text
    assert 'hx-trigger="every 2s" hx-select="#source-zermelo"' in text
    assert "Laatste import: 06-01-2027 09:30 (geweigerd)" in text
    assert "Er is niets opgeslagen." in text and "BSN (519), geboortedatum (520)" in text
    assert "<td>leerlingen[3] (leerlingnummer 450003)</td>" in text
    assert "<td>plaatsingen[].opleiding.profielafkorting</td>" in text
    assert "Nu importeren" in text and "Koppeling intrekken" in text
    # Connecting without a platform key is refused before any school system is contacted.
    page = browser.post(
        "/app/school/systems/zermelo", data={"portal": "hofvanzuid", "code": "1", "weeks": "2"}
    )
    assert "Koppelingen met roostersystemen zijn op dit platform nog niet ingesteld" in page.text


def test_a_school_connects_zermelo_and_imports_through_the_page(web_settings, tmp_path):
    """The page end to end against the recorded Zermelo: connect, import, read the report."""
    from cryptography.fernet import Fernet
    from fastapi.testclient import TestClient
    from school_system_server import ZERMELO_CODE, RecordedSystems, serving

    from api.app import create_app
    from fixtures.school_systems import generate_school

    # The page imports the weeks from next Monday: the recorded lessons and the school year
    # are placed around today, so the test reads the same on any date.
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=7 - today.weekday())
    school = generate_school(seed=3, pupils=60, monday=monday)
    year = {"start": str(monday - timedelta(days=28)), "end": str(monday + timedelta(days=56))}
    engine = make_engine(web_settings.database_url)
    try:
        with Session(engine) as session:
            region = Region(name="Regio Zwolle", calendar={**year, "holidays": []})
            session.add(region)
            session.flush()
            row = School(
                code="05FB00", name="Hof van Zuid", lat=52.5, lon=6.08, region_id=saved_id(region)
            )
            session.add(row)
            session.flush()
            session.add(
                User(
                    email="coordinator@hofvanzuid.nl",
                    role=Role.school,
                    region_id=saved_id(region),
                    school_id=saved_id(row),
                    hashed_password=hash_password(PASSWORD),
                )
            )
            session.commit()
    finally:
        engine.dispose()
    with serving(RecordedSystems(school)) as base:
        settings = web_settings.model_copy(
            update={
                "school_source_key": Fernet.generate_key().decode(),
                "zermelo_api_url": f"{base}/zermelo/{{portal}}/api/v3",
            }
        )
        with TestClient(create_app(settings, runner="inline")) as client:
            browser = Browser(client.app, "coordinator@hofvanzuid.nl")
            page = browser.post(
                "/app/school/systems/zermelo",
                data={"portal": "hofvanzuid", "code": ZERMELO_CODE, "weeks": "1"},
            )
            assert "Gekoppeld." in page.text
            source_id = re.search(r"/app/school/systems/(\d+)/import", page.text)
            assert source_id is not None
            page = browser.post(f"/app/school/systems/{source_id.group(1)}/import")
    assert "Import gestart" in page.text
    assert "(verwerkt)" in page.text
    created = 60 + len(school.groups) + len(school.teachers)
    assert f"{created} nieuw, 0 bijgewerkt, 0 ongewijzigd" in page.text
