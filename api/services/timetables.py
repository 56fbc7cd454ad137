"""A school's timetable: the free dayparts of its classes and teachers, read and written whole.

SPEC rounds carry timetables as the `free` lists of classes and teachers; a school coordinator
edits them together. Each entry names the version it was read at, and one stale entry refuses
the whole write, so two coordinators never overwrite each other.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from api import audit
from api.db import saved_id
from api.models import Daypart, School, SchoolClass, Teacher, User
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.records import commit


class TimetableEntry(BaseModel):
    kind: Literal["class", "teacher"]
    id: int
    code: str = ""
    free: list[Daypart]
    version: int = Field(ge=1)


class Timetable(BaseModel):
    school_id: int
    entries: list[TimetableEntry]


# The entity the audit entries of each entry kind name: its table's name.
ENTRY_ENTITY = {"class": "school_class", "teacher": "teacher"}


def timetable_school(session: Session, user: User, school_id: int) -> School:
    """A school of the user's region whose timetable the user may read and write."""
    school = session.get(School, school_id)
    if school is None or school.region_id != user.region_id:
        raise NotFound(
            f"no school {school_id} in your region",
            code="school.not_found",
            params={"school": school_id},
        )
    if user.school_id not in (None, school_id):
        raise Forbidden(
            "a school reads and writes its own timetable only", code="timetable.school_own"
        )
    return school


def read_timetable(session: Session, user: User, school_id: int) -> Timetable:
    """The free dayparts of every class and teacher of a school."""
    timetable_school(session, user, school_id)
    entries = [
        TimetableEntry(kind="class", id=saved_id(k), code=k.code, free=k.free, version=k.version)
        for k in session.exec(select(SchoolClass).where(SchoolClass.school_id == school_id))
    ] + [
        TimetableEntry(kind="teacher", id=saved_id(t), code=t.code, free=t.free, version=t.version)
        for t in session.exec(select(Teacher).where(Teacher.school_id == school_id))
    ]
    return Timetable(school_id=school_id, entries=entries)


def write_timetable(session: Session, user: User, school_id: int, body: Timetable) -> Timetable:
    """Replace the free dayparts of the listed classes and teachers, all or nothing."""
    timetable_school(session, user, school_id)
    for i, entry in enumerate(body.entries):
        row = _entry_row(session, entry)
        if row is None or row.school_id != school_id:
            raise field_error(
                f"entries.{i}.id",
                f"no {entry.kind} {entry.id} at this school",
                kind="timetable.unknown_entry",
                ctx={"id": entry.id},
            )
        if row.version != entry.version:
            session.rollback()
            raise Conflict(
                f"entries.{i}: stale version {entry.version}, now {row.version}",
                code="timetable.stale_version",
            )
        before = audit.snapshot(row)
        row.free = list(entry.free)
        row.version += 1
        session.add(row)
        audit.record(session, user, "update", ENTRY_ENTITY[entry.kind], row.id, before=before,
                     after=audit.snapshot(row))  # fmt: skip
    commit(session)
    return read_timetable(session, user, school_id)


def _entry_row(session: Session, entry: TimetableEntry) -> SchoolClass | Teacher | None:
    """The class or teacher an entry names: ids count per table, so its kind picks the table."""
    if entry.kind == "class":
        return session.get(SchoolClass, entry.id)
    return session.get(Teacher, entry.id)
