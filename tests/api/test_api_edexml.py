"""EDEXML 2.1 files: 500 pupils import in the background with their groups and teachers, codes
prefixed with the school's like every source's, only what the platform uses is stored, and a
malformed file ends as a refused import whose report names the record, nothing stored."""

from __future__ import annotations

import pytest
from api_world import ok
from school_system_files import GROUPS, edexml
from sqlmodel import Session, col, select

from api.imports.edexml import read_edexml
from api.models import AuditEntry, Pupil, SchoolClass, Teacher

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def upload(world, content: bytes) -> dict:
    """The upload answers 202 with the running import (run inline in tests: already ended)."""
    files = {"file": ("school.xml", content, "application/xml")}
    return ok(
        world.client.post(f"/schools/{world.ids['S1']}/edexml", headers=world.school, files=files),
        202,
    )


def report_of(world, content: bytes) -> dict:
    source = upload(world, content)
    polled = ok(world.client.get(f"/sources/{source['id']}", headers=world.school))
    assert polled["last_status"] == "imported", polled["last_report"]
    assert (polled["import_phase"], polled["import_progress"]) == ("imported", 1.0)
    return polled["last_report"]


def test_500_pupils_import_with_their_classes_and_only_what_is_used_is_stored(world, engine):
    report = report_of(world, edexml(500))
    assert report["created"] == 500 + len(GROUPS) + 1
    assert report["left_out"]["geboortedatum"] == 500
    assert report["left_out"]["achternaam"] == 500
    assert report["left_out"]["emailadres"] == 500
    assert {r["kind"] for r in report["records"]} == {"class", "teacher"}  # pupils counted only
    with Session(engine) as session:
        pupils = session.exec(select(Pupil).where(col(Pupil.code).startswith("S1-ll"))).all()
        classes = {k.id: k for k in session.exec(select(SchoolClass)).all()}
        teacher = session.exec(select(Teacher).where(Teacher.code == "S1-doc1")).one()
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert len(pupils) == 500 and len(audit) == 1
    first = next(p for p in pupils if p.code == "S1-ll0001")
    klass = classes[first.class_id]
    assert (klass.code, klass.size, klass.profile) == ("S1-3BB-PIE", 125, "PIE")
    assert (first.first_name, first.profile, first.track, first.year) == ("Kind1", "PIE", "bb", 3)
    assert 52.1 < (first.home_lat or 0) < 52.3  # the PC4 centroid of 7512, Enschede
    stored = " ".join(str(v) for p in pupils for v in p.model_dump().values())
    assert "Jansen" not in stored and "2011-" not in stored and "@" not in stored
    assert teacher.name == "Els Bakker"
    # Importing the same file again changes nothing.
    again = report_of(world, edexml(500))
    assert again["created"] == 0 and again["updated"] == 0


@SQLITE_ONLY
def test_a_malformed_pupil_refuses_the_whole_file_in_the_background_naming_it(world, engine):
    source = upload(world, edexml(20, broken={7: ""}))
    assert source["last_status"] == "refused"
    (problem,) = source["last_report"]["problems"]
    assert (problem["record"], problem["field"]) == ("leerling ll0007", "roepnaam")
    with Session(engine) as session:
        assert session.exec(select(Pupil).where(col(Pupil.code).startswith("S1-"))).first() is None
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert audit.after and audit.after["status"] == "refused"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EDEX>&e;</EDEX>', "refused XML"),
        (b"<EDEX><leerlingen><leerling key='a'>", "not well-formed"),
        (b"<ROOT/>", "not <EDEX>"),
        (b"<EDEX><school><xsdversie>1.0.3</xsdversie></school></EDEX>", "takes EDEXML 2.x"),
        (
            b'<EDEX><leerlingen><leerling key="a"><roepnaam>A</roepnaam></leerling>'
            b'<leerling key="a"><roepnaam>B</roepnaam></leerling></leerlingen></EDEX>',
            "twice in the file",
        ),
    ],
)
def test_unsafe_or_foreign_xml_is_refused(content, reason):
    """The reader alone (no database): the route refuses on any problem it returns."""
    _, problems = read_edexml(content)
    assert reason in problems[0].reason


@SQLITE_ONLY
def test_a_pupil_whose_group_names_no_track_is_refused_naming_the_field(world):
    content = edexml(3).replace(b"3KB-PIE", b"3A")
    source = upload(world, content)
    assert source["last_status"] == "refused"
    found = {(p["record"], p["field"]) for p in source["last_report"]["problems"]}
    assert ("leerling ll0000", "track") in found
