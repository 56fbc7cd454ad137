"""Pupils, classes and teachers from an EDEXML 2.1 file, minimised at the door, all or nothing.

EDEXML is what Dutch school administrations (Magister, Somtoday, ParnasSys) export. Its groups
become the school's classes, its pupils the school's pupils and its teachers the school's
teachers, each by its EDEXML key (a code that exists already is updated). Of a pupil only the
code, first name (`roepnaam`), class and year are taken from the file, its profile and track
from its class (a group named "3KB-PIE" is track kb, profile PIE; a class entered before keeps
its own profile), and a postcode only as its PC4 centroid; surnames, birth dates, e-mail and
the rest are never stored, and the report counts what was left out.

Every code is prefixed with the school's (`api.services.import_codes`), as Zermelo's and
Somtoday's are. The file is read and stored in the background (`api.services.import_runs`):
one problem anywhere refuses the whole file, naming the record (`leerling 1234`) and the field,
and the refusal is the import's report on the school's EDEXML source.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, BinaryIO

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from api import audit
from api.db import saved_id
from api.imports.edexml import Edex, Group, read_edexml
from api.imports.minimise import Minimised, minimise, tally
from api.imports.report import ImportProblem, ImportReport, RecordChange
from api.models import (
    ImportSource,
    Pupil,
    PupilCreate,
    School,
    SchoolClass,
    SchoolClassCreate,
    SourceKind,
    Teacher,
    TeacherCreate,
    User,
)
from api.services import import_runs, sources
from api.services.errors import plain_ctx
from api.services.import_codes import platform_code
from api.services.sources import refuse
from scheduler.contract.round import PROFILES, TRACKS


def group_profile_track(name: str) -> tuple[str | None, str | None]:
    """The profile and track a group's name carries ("3KB-PIE": PIE, kb), if any."""
    words = re.split(r"[^A-Z]+", name.upper())  # "3KB-PIE" -> ["", "KB", "PIE"]
    profile = next((p for p in PROFILES if p.upper() in words), None)
    track = next((t for t in TRACKS if t.upper() in words), None)
    return profile, track


def start_edexml_import(
    session: Session, user: User, school_id: int | None, name: str, stream: BinaryIO, limit: int
) -> tuple[ImportSource, bytes]:
    """Take the uploaded file and mark its import as running on the school's EDEXML source;
    `run_edexml_import` reads and stores it. Only a file too large is refused here."""
    school = sources.source_school(session, user, school_id)
    content = stream.read(limit + 1)
    if len(content) > limit:
        refuse(
            [
                ImportProblem(
                    record="bestand",
                    reason="the file is too large",
                    type="import.file_too_large",
                    ctx={"mb": limit // (1024 * 1024)},
                )
            ]
        )
    source = sources.file_source(session, school, SourceKind.edexml, {"file": name})
    return import_runs.mark_running(session, source), content


def run_edexml_import(engine: Engine, source_id: int, user_id: int, content: bytes) -> str:
    """Read the file, then add or update the school's classes, pupils and teachers, all or
    nothing (`api.services.import_runs`)."""

    def read(progress: import_runs.Progress) -> Edex:
        progress("reading the file", 0.1)
        edex, problems = read_edexml(content)
        if problems:
            raise import_runs.RunRefused(problems)
        progress(f"storing {len(edex.pupils)} pupils", 0.5)
        return edex

    def store(session: Session, user: User, source: ImportSource, edex: Edex) -> ImportReport:
        school = session.get(School, source.school_id)
        assert school is not None  # a source's school outlives it
        plan = _Plan(session, user, school, edex)
        if plan.problems:
            raise import_runs.RunRefused(plan.problems)
        report = ImportReport(source=SourceKind.edexml.value)
        report.count(plan.store())
        # Pupils are counted, not listed: a stored report must not keep a pupil's code after
        # the pupil is erased (SPEC section 7).
        report.records = [r for r in report.records if r.kind != "pupil"]
        report.left_out = tally(plan.minimised) | _teacher_left_out(edex)
        return report

    return import_runs.run(engine, source_id, user_id, read, store)


def _teacher_left_out(edex: Edex) -> dict[str, int]:
    counted = Counter(f"leerkracht.{f}" for t in edex.teachers for f in t.offered if f != "key")
    return dict(sorted(counted.items()))


Body = SchoolClassCreate | PupilCreate | TeacherCreate


class _Plan:
    """Every record the file makes, checked before anything is written."""

    def __init__(self, session: Session, user: User, school: School, edex: Edex) -> None:
        self.session, self.user, self.school = session, user, school
        self.problems: list[ImportProblem] = []
        self.minimised: list[Minimised] = []
        self.created: list[tuple[str, Any]] = []  # (audit entity, row) awaiting their ids
        region = user.region_id
        self.classes = _by_code(session, SchoolClass, region)
        self.pupils = _by_code(session, Pupil, region)
        self.teachers = _by_code(session, Teacher, region)
        sizes = Counter(p["group"] for p in edex.pupils if p["group"])
        self.class_rows: dict[str, SchoolClassCreate] = {}
        self.group_class: dict[str, str] = {}
        self.class_names: dict[str, str] = {}  # a class's code -> its group's name
        for key, size in sorted(sizes.items()):
            self._class(edex.groups[key], size)
        self.pupil_rows = [r for p in edex.pupils if (r := self._pupil(p)) is not None]
        self.teacher_rows = [
            TeacherCreate(code=platform_code(school, t.key), name=t.name, school_id=school.id)
            for t in edex.teachers
            if self._own(self.teachers, platform_code(school, t.key), f"leerkracht {t.key}")
        ]

    def _own(self, existing: dict[str, Any], code: str, record: str) -> bool:
        """A code may not take over another school's record."""
        old = existing.get(code)
        if old is not None and old.school_id != self.school.id:
            reason = f"code {code!r} belongs to another school"
            self.problems.append(
                ImportProblem(
                    record=record,
                    field="key",
                    reason=reason,
                    type="import.code_elsewhere",
                    ctx={"code": code},
                )
            )
            return False
        return True

    def _class(self, group: Group, size: int) -> None:
        code = platform_code(self.school, group.name)
        record = f"groep {group.key} ({group.name})"
        if not group.name.strip():
            self.problems.append(
                ImportProblem(record=record, field="naam", reason="empty", type="import.missing")
            )
            return
        if not self._own(self.classes, code, record):
            return
        old = self.classes.get(code)
        profile, _ = group_profile_track(group.name)
        year = int(group.year) if group.year.isdigit() else (old.year if old else None)
        if old is not None and old.profile:
            profile = old.profile  # a class entered before keeps its own profile
        values = {"code": code, "size": size, "school_id": self.school.id, "year": year,
                  "profile": profile}  # fmt: skip
        try:
            self.class_rows[code] = SchoolClassCreate.model_validate(values)
        except ValidationError as error:
            self.problems += _problems(record, error)
        self.group_class[group.key] = code
        self.class_names[code] = group.name

    def _pupil(self, offered: dict[str, Any]) -> tuple[PupilCreate, str | None] | None:
        """A pupil's create body and its class's code, minimised; None with problems noted."""
        record = f"leerling {offered['code']}"
        group = offered.pop("group")
        code = self.group_class.get(group)
        offered["class"] = code
        pupil = minimise(offered)
        self.minimised.append(pupil)
        pupil_code = platform_code(self.school, offered["code"])
        if not self._own(self.pupils, pupil_code, record):
            return None
        old = self.pupils.get(pupil_code)
        klass = self.class_rows.get(code or "")
        # The group's own name: a school code's letters ("05KB00") name no track.
        profile, track = group_profile_track(self.class_names.get(code or "", ""))
        values = {
            **{k: v for k, v in pupil.kept.items() if k != "class"},
            "code": pupil_code,
            "school_id": self.school.id,
            "profile": old.profile if old else (klass.profile if klass else None) or profile,
            "track": old.track if old else track,
        }
        if values.get("year") is None:
            values["year"] = old.year if old else (klass.year if klass else None)
        try:
            return PupilCreate.model_validate(values), code
        except ValidationError as error:
            self.problems += _problems(record, error)
            return None

    def store(self) -> list[RecordChange]:
        """Write every record, each audited; the caller commits. New rows of a kind are
        flushed together (one round trip, not one per pupil), then their creations audited."""
        changes = [
            self._write("class", SchoolClass, r, self.classes) for r in self.class_rows.values()
        ]
        self._audit_created()
        for pupil, code in self.pupil_rows:
            pupil.class_id = saved_id(self.classes[code]) if code else None
            changes.append(self._write("pupil", Pupil, pupil, self.pupils))
        changes += [self._write("teacher", Teacher, t, self.teachers) for t in self.teacher_rows]
        self._audit_created()
        return changes

    def _audit_created(self) -> None:
        self.session.flush()
        for entity, row in self.created:
            audit.record(self.session, self.user, "create", entity, row.id,
                         after=audit.snapshot(row))  # fmt: skip
        self.created.clear()

    def _write(self, kind: Any, table: Any, body: Body, existing: dict[str, Any]) -> RecordChange:
        code = body.code
        old = existing.get(code)
        entity = {"class": "school_class", "pupil": "pupil", "teacher": "teacher"}[kind]
        if old is None:
            row = table(**body.model_dump(), region_id=self.user.region_id)
            self.session.add(row)
            existing[code] = row
            self.created.append((entity, row))
            return RecordChange(kind=kind, code=code, action="created")
        before = audit.snapshot(old)
        changed = {k: v for k, v in body.model_dump(exclude_unset=True).items()
                   if getattr(old, k) != v}  # fmt: skip
        if not changed:
            return RecordChange(kind=kind, code=code, action="unchanged")
        for key, value in changed.items():
            setattr(old, key, value)
        old.version += 1
        self.session.add(old)
        audit.record(self.session, self.user, "update", entity, old.id, before=before,
                     after=audit.snapshot(old))  # fmt: skip
        return RecordChange(kind=kind, code=code, action="updated")


def _by_code(session: Session, table: Any, region_id: int) -> dict[str, Any]:
    return {r.code: r for r in session.exec(select(table).where(table.region_id == region_id))}


def _problems(record: str, error: ValidationError) -> list[ImportProblem]:
    return [
        ImportProblem(
            record=record,
            field=".".join(str(p) for p in e["loc"]),
            reason=e["msg"],
            type=e["type"],
            ctx=plain_ctx(e.get("ctx", {})),
        )
        for e in error.errors()
    ]
