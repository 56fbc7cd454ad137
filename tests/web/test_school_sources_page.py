"""The school's connections page: each source in Dutch, its last import and that report."""

from __future__ import annotations

from datetime import UTC, datetime

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
            school = School(code="05FB00", name="Hof van Zuid", lat=52.5, lon=6.08,
                            region_id=saved_id(region))  # fmt: skip
            session.add(school)
            session.flush()
            session.add(User(email="coordinator@hofvanzuid.nl", role=Role.school,
                             region_id=saved_id(region), school_id=saved_id(school),
                             hashed_password=hash_password(PASSWORD)))  # fmt: skip
            session.add(ImportSource(
                region_id=saved_id(region), school_id=saved_id(school),
                kind=SourceKind.somtoday, credentials="sealed", last_status="refused",
                settings={"organisation": "3f2c1b0a-9e8d-4c7b-8a69-5f4e3d2c1b0a", "weeks": 2},
                last_import_at=datetime(2027, 1, 6, 9, 30, tzinfo=UTC), last_report=REPORT,
            ))  # fmt: skip
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
    assert "Import loopt: studentsindepartments" in text and 'value="0.3"' in text
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
    assert "SCHOOL_SOURCE_KEY" in page.text
