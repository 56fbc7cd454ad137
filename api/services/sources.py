"""A school's import sources: where its timetables and pupils come from, switched on and off.

One record per source (a calendar link of one class or teacher, an EDEXML file, a Zermelo or
Somtoday connection) with what its last import did. A school sees and changes only its own
sources; the bureau those of every school of its region. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NoReturn
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id
from api.imports.fetch import FeedRefused, feed_address
from api.imports.report import ImportProblem, ImportReport, refusal_detail
from api.models import (
    ImportSource,
    ImportSourceBase,
    School,
    SchoolClass,
    SourceKind,
    Teacher,
    User,
)
from api.services.errors import Conflict, Forbidden, Invalid, NotFound, field_error
from api.services.records import commit


def refuse(problems: Iterable[ImportProblem]) -> NoReturn:
    """422 naming every problem's record and field; nothing of the import is written."""
    raise Invalid(refusal_detail(problems), code="source.refused")


def source_school(session: Session, user: User, school_id: int | None) -> School:
    """The school whose sources the user reads and writes: its own, or one of the bureau's."""
    school_id = school_id if school_id is not None else user.school_id
    school = session.get(School, school_id) if school_id is not None else None
    if school is None or school.region_id != user.region_id:
        raise NotFound(
            f"no school {school_id} in your region",
            code="school.not_found",
            params={"school": school_id},
        )
    if user.school_id not in (None, school.id):
        raise Forbidden("a school reads and writes its own sources only", code="source.school_own")
    return school


def _snapshot(source: ImportSource) -> dict[str, Any]:
    """The source as the audit trail keeps it: a calendar link carries a secret token, so only
    its scheme and host are written there; the report, kept on the source, is left out."""
    data = audit.snapshot(source)
    parts = urlsplit(source.url or "")
    data["url"] = f"{parts.scheme}://{parts.hostname}/..." if parts.hostname else None
    data.pop("last_report", None)
    return data


def list_sources(session: Session, user: User, school_id: int | None) -> list[ImportSource]:
    school = source_school(session, user, school_id)
    query = select(ImportSource).where(ImportSource.school_id == school.id)
    return list(session.exec(query.order_by(col(ImportSource.id))).all())


def get_source(session: Session, user: User, source_id: int) -> ImportSource:
    source = session.get(ImportSource, source_id)
    if source is None or source.region_id != user.region_id:
        raise NotFound(
            f"no source {source_id} in your region",
            code="source.not_found",
            params={"source": source_id},
        )
    source_school(session, user, source.school_id)
    return source


def requester(
    session: Session, school: School, kind: str | None, code: str | None
) -> SchoolClass | Teacher | None:
    """The class or teacher of the school with `code`, if there is one."""
    if kind == "class":
        return session.exec(
            select(SchoolClass).where(SchoolClass.school_id == school.id, SchoolClass.code == code)
        ).first()
    return session.exec(
        select(Teacher).where(Teacher.school_id == school.id, Teacher.code == code)
    ).first()


def check_source(session: Session, school: School, body: ImportSourceBase) -> None:
    """A calendar source names a class or teacher of the school and a fetchable link."""
    if body.kind != SourceKind.ical:
        return
    if body.requester_kind is None or not body.requester_code:
        raise field_error(
            "requester_code",
            "a calendar belongs to one class or teacher",
            kind="source.one_requester",
        )
    if requester(session, school, body.requester_kind, body.requester_code) is None:
        raise field_error(
            "requester_code",
            f"no {body.requester_kind} {body.requester_code!r} at school {school.code}",
            kind="source.unknown_requester",
            ctx={"requester": body.requester_code, "school": school.code},
        )
    if body.url:
        try:
            feed_address(body.url)
        except FeedRefused as error:
            raise field_error("url", str(error), kind="source.bad_url") from None


def create_source(
    session: Session, user: User, school_id: int | None, body: ImportSourceBase
) -> ImportSource:
    school = source_school(session, user, school_id)
    check_source(session, school, body)
    source = ImportSource(**body.model_dump(), region_id=user.region_id, school_id=saved_id(school))
    session.add(source)
    session.flush()
    audit.record(session, user, "create", "import_source", source.id, after=_snapshot(source))
    commit(session)
    session.refresh(source)
    return source


def switch_source(
    session: Session, user: User, source_id: int, enabled: bool, version: int
) -> ImportSource:
    """Switch a source on or off; an import of a switched-off source is refused."""
    source = get_source(session, user, source_id)
    if source.version != version:
        raise Conflict(
            f"source {source_id}: stale version {version}, now {source.version}",
            code="source.stale_version",
            params={"source": source_id},
        )
    before = _snapshot(source)
    source.enabled = enabled
    source.version += 1
    session.add(source)
    audit.record(session, user, "update", "import_source", source.id, before=before,
                 after=_snapshot(source))  # fmt: skip
    commit(session)
    session.refresh(source)
    return source


def delete_source(session: Session, user: User, source_id: int) -> None:
    source = get_source(session, user, source_id)
    audit.record(session, user, "delete", "import_source", source.id, before=_snapshot(source))
    session.delete(source)
    commit(session)


def record_import(session: Session, user: User, source: ImportSource, report: ImportReport) -> None:
    """Store a successful import's report on its source, audited, in the import's transaction."""
    before = _snapshot(source)
    source.last_import_at = report.at
    source.last_status = "imported"
    source.last_report = report.model_dump(mode="json")
    source.version += 1
    session.add(source)
    after: dict[str, Any] = {
        "source": source.id,
        "kind": str(source.kind),
        "created": report.created,
        "updated": report.updated,
        "left_out": report.left_out,
        "clashes": len(report.clashes),
    }
    audit.record(session, user, "import", "import_source", source.id, before=before, after=after)


def file_source(
    session: Session,
    school: School,
    kind: SourceKind,
    settings: dict[str, Any],
    requester_kind: Literal["class", "teacher"] | None = None,
    requester_code: str | None = None,
) -> ImportSource:
    """The source record an uploaded file reports on: one per kind (and class or teacher)."""
    query = select(ImportSource).where(
        ImportSource.school_id == school.id,
        ImportSource.kind == kind,
        col(ImportSource.url).is_(None),
    )
    source = next(
        (s for s in session.exec(query).all() if s.requester_code == requester_code), None
    )
    if source is None:
        source = ImportSource(
            kind=kind,
            requester_kind=requester_kind,
            requester_code=requester_code,
            region_id=school.region_id,
            school_id=saved_id(school),
        )
    source.settings = settings
    return source
