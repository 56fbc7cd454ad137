"""A school's connections to Zermelo and Somtoday Connect, and the imports through them.

The school connects a source (its Zermelo portal and partner code, or its Somtoday
organisation and the platform's client credentials), switches it on and off, revokes it, and
starts an import. An import reads the whole school first, then stores classes, teachers (with
their free dayparts) and pupils in one transaction, or nothing: one unreadable answer (a
refused token, a paging error, a malformed page) or one record the platform cannot take (no
profile, a code of another school) refuses the import, and the report names each record and
field. Every import, stored or refused, leaves its report on the source and an audit entry.
Pupils keep only the fields the platform uses: first name, class, profile, track, year and the
centroid of their postcode area.
"""

from __future__ import annotations

import logging
import re
import uuid as uuids
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from api import audit
from api.db import saved_id, session_scope
from api.imports import credentials
from api.imports.free_dayparts import LOCAL, free_dayparts
from api.imports.snapshot import SchoolSnapshot
from api.imports.somtoday import SomtodayClient, week_mondays
from api.imports.transport import SourceError, Transport
from api.imports.zermelo import ZermeloClient
from api.models import (
    ImportStatus,
    Pupil,
    PupilCreate,
    School,
    SchoolClass,
    SchoolClassCreate,
    SchoolSource,
    SchoolSourceKind,
    Teacher,
    TeacherCreate,
    User,
    utcnow,
)
from api.services.errors import Conflict, NotFound, field_error
from api.services.records import commit
from api.services.timetables import timetable_school
from api.settings import Settings

log = logging.getLogger(__name__)

STALE_RUN = timedelta(minutes=30)  # the longest an import may run before it counts as dead
PORTAL = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # a zportal.nl host name, nothing else
CODE_CHARS = re.compile(r"[^A-Za-z0-9_.:-]+")
MAX_PROBLEMS = 200  # a report lists this many refused records, then counts the rest
STORED_FIELDS = ["first_name", "class", "profile", "track", "year", "home (PC4 centroid)"]


# --- connecting, switching and revoking ---------------------------------------------------------


def sources(session: Session, user: User, school_id: int) -> list[SchoolSource]:
    """The school's connected sources (a school sees its own, the bureau any of its region)."""
    timetable_school(session, user, school_id)
    return list(session.exec(select(SchoolSource).where(SchoolSource.school_id == school_id)))


def connect_zermelo(
    session: Session,
    user: User,
    settings: Settings,
    school_id: int,
    *,
    portal: str,
    code: str,
    branch: str = "",
    weeks: int = 2,
) -> SchoolSource:
    """Trade the partner code from the school's Zermelo portal for a token, stored sealed."""
    school = timetable_school(session, user, school_id)
    _check_key(settings)
    portal = portal.strip().lower()
    if not PORTAL.match(portal):
        raise field_error("portal", "the portal name as in https://<portal>.zportal.nl")
    _check_weeks(weeks)
    transport = _transport(settings, "Zermelo")
    try:
        client = ZermeloClient(transport, settings.zermelo_api_url.format(portal=portal))
        token = client.exchange_code(code)
    except SourceError as error:
        raise field_error("code", str(error)) from None
    finally:
        transport.close()
    return _save(
        session,
        user,
        settings,
        school,
        SchoolSourceKind.zermelo,
        {"portal": portal, "branch": branch.strip(), "weeks": weeks},
        {"token": token},
    )


def connect_somtoday(
    session: Session,
    user: User,
    settings: Settings,
    school_id: int,
    *,
    organisation: str,
    client_id: str,
    client_secret: str,
    location: str = "",
    weeks: int = 2,
) -> SchoolSource:
    """Check the client credentials with Somtoday once, then store them sealed."""
    school = timetable_school(session, user, school_id)
    _check_key(settings)
    try:
        organisation = str(uuids.UUID(organisation.strip()))
    except ValueError:
        raise field_error("organisation", "the organisation's UUID from Somtoday") from None
    _check_weeks(weeks)
    transport = _transport(settings, "Somtoday")
    try:
        client = SomtodayClient(transport, settings.somtoday_token_url, settings.somtoday_api_url)
        client.token(organisation, client_id.strip(), client_secret.strip())
    except SourceError as error:
        raise field_error("client_secret", str(error)) from None
    finally:
        transport.close()
    return _save(
        session,
        user,
        settings,
        school,
        SchoolSourceKind.somtoday,
        {"organisation": organisation, "location": location.strip(), "weeks": weeks},
        {"client_id": client_id.strip(), "client_secret": client_secret.strip()},
    )


def _check_key(settings: Settings) -> None:
    try:
        credentials.check_key(settings.school_source_key)
    except credentials.CredentialsError as error:
        raise Conflict(str(error)) from None


def _check_weeks(weeks: int) -> None:
    if not 1 <= weeks <= 8:
        raise field_error("weeks", "read 1 to 8 weeks of timetable")


def _save(
    session: Session,
    user: User,
    settings: Settings,
    school: School,
    kind: SchoolSourceKind,
    where: dict[str, Any],
    secret: dict[str, str],
) -> SchoolSource:
    sealed = credentials.seal(settings.school_source_key, secret)
    source = session.exec(
        select(SchoolSource).where(SchoolSource.school_id == school.id, SchoolSource.kind == kind)
    ).first()
    before = audit.snapshot(source)
    if source is None:
        source = SchoolSource(region_id=school.region_id, school_id=saved_id(school), kind=kind)
    source.settings, source.credentials, source.enabled = where, sealed, True
    session.add(source)
    session.flush()
    audit.record(
        session,
        user,
        "connect",
        "school_source",
        source.id,
        before=before,
        after=audit.snapshot(source),
    )
    commit(session)
    session.refresh(source)
    return source


def own_source(session: Session, user: User, source_id: int) -> SchoolSource:
    """A source of a school the user may manage."""
    source = session.get(SchoolSource, source_id)
    if source is None or source.region_id != user.region_id:
        raise NotFound(f"no source {source_id} in your region")
    timetable_school(session, user, source.school_id)
    return source


def switch(session: Session, user: User, source_id: int, enabled: bool) -> SchoolSource:
    """Switch a source on or off; off, it is never read (its credentials are kept)."""
    source = own_source(session, user, source_id)
    before = audit.snapshot(source)
    source.enabled = enabled
    session.add(source)
    audit.record(
        session,
        user,
        "enable" if enabled else "disable",
        "school_source",
        source.id,
        before=before,
        after=audit.snapshot(source),
    )
    commit(session)
    return source


def revoke(session: Session, user: User, source_id: int) -> SchoolSource:
    """Forget the credentials and switch the source off; reconnecting asks for new ones."""
    source = own_source(session, user, source_id)
    before = audit.snapshot(source)
    source.credentials, source.enabled = None, False
    session.add(source)
    audit.record(
        session,
        user,
        "revoke",
        "school_source",
        source.id,
        before=before,
        after=audit.snapshot(source),
    )
    commit(session)
    return source


# --- importing ----------------------------------------------------------------------------------


def start_import(session: Session, user: User, source_id: int) -> SchoolSource:
    """Mark an import as running (at most one per source); `run_import` does the work."""
    source = own_source(session, user, source_id)
    if not source.enabled or source.credentials is None:
        raise Conflict("switch the source on (and connect it) before importing")
    started = source.import_started_at
    # A run older than `STALE_RUN` died with its server: it may be started again.
    if (
        source.import_status == ImportStatus.running
        and started is not None
        and (utcnow() - (started if started.tzinfo else started.replace(tzinfo=UTC)) < STALE_RUN)
    ):
        raise Conflict("an import of this source is running already")
    source.import_status, source.import_phase, source.import_progress = (
        ImportStatus.running,
        "queued",
        0.0,
    )
    source.import_started_at = utcnow()
    session.add(source)
    commit(session)
    return source


def run_import(
    engine: Engine, settings: Settings, source_id: int, user_id: int, today: date | None = None
) -> ImportStatus:
    """Read the source, then store everything or nothing; the report lands on the source.

    Runs outside any request (a thread of the server, or inline in tests): it opens its own
    sessions, writes its progress as it reads, and ends the source's run in every case, an
    unforeseen error included (else the source would stay `running`)."""
    try:
        return _import(engine, settings, source_id, user_id, today)
    except Exception as error:
        log.exception("import of school source %s stopped", source_id)
        message = f"the import stopped ({type(error).__name__}: {error}); nothing was stored"
        return _finish(engine, source_id, user_id, ImportStatus.failed, {"message": message})


def _import(
    engine: Engine, settings: Settings, source_id: int, user_id: int, today: date | None
) -> ImportStatus:
    with session_scope(engine) as session:
        source = session.get(SchoolSource, source_id)
        user = session.get(User, user_id)
        if source is None or user is None:
            return ImportStatus.failed
        kind, where, sealed = source.kind, dict(source.settings), source.credentials
    today = today or datetime.now(LOCAL).date()
    # The coming weeks, from next Monday: the weeks visits are planned in, not the past.
    mondays = week_mondays(today + timedelta(days=7 - today.weekday()), int(where.get("weeks", 2)))
    report: dict[str, Any] = {
        "source": str(kind),
        "weeks": [m.isoformat() for m in mondays],
        "stored_fields": {"pupils": STORED_FIELDS},
    }
    try:
        secret = credentials.unseal(settings.school_source_key, sealed or "")
        snapshot = _read(settings, kind, where, secret, mondays, _progress(engine, source_id))
    except (SourceError, credentials.CredentialsError) as error:
        return _finish(
            engine,
            source_id,
            user_id,
            ImportStatus.failed,
            {**report, "message": f"{error}; nothing was stored"},
        )
    report |= {"left_out": snapshot.left_out, "requested_fields": snapshot.requested_fields}
    with session_scope(engine) as session:
        source = session.get(SchoolSource, source_id)
        user = session.get(User, user_id)
        school = session.get(School, source.school_id) if source else None
        if source is None or user is None or school is None:
            return ImportStatus.failed
        try:
            counts = store_snapshot(session, user, school, snapshot)
        except RecordsRefused as error:
            session.rollback()
            problems = error.problems
            report |= {
                "message": f"{len(problems)} record(s) refused; nothing was stored",
                "problems": problems[:MAX_PROBLEMS],
                "problem_count": len(problems),
            }
            return _finish(engine, source_id, user_id, ImportStatus.refused, report)
        report |= {"message": "imported", **counts}
        _settle(session, source, user, ImportStatus.succeeded, report)
    return ImportStatus.succeeded


def _read(
    settings: Settings,
    kind: SchoolSourceKind,
    where: dict[str, Any],
    secret: dict[str, Any],
    mondays: list[date],
    progress: Callable[[str, float], None],
) -> SchoolSnapshot:
    system = "Zermelo" if kind == SchoolSourceKind.zermelo else "Somtoday"
    transport = _transport(settings, system)
    try:
        if kind == SchoolSourceKind.zermelo:
            zermelo = ZermeloClient(
                transport, settings.zermelo_api_url.format(portal=where["portal"])
            )
            start = datetime.combine(mondays[0], time(0), LOCAL)
            window = (start, start + timedelta(weeks=len(mondays)))
            snapshot = zermelo.read(secret["token"], where.get("branch"), window, progress)
        else:
            somtoday = SomtodayClient(
                transport, settings.somtoday_token_url, settings.somtoday_api_url
            )
            token = somtoday.token(
                where["organisation"], secret["client_id"], secret["client_secret"]
            )
            snapshot = somtoday.read(token, where.get("location"), mondays, progress)
    finally:
        transport.close()
    return snapshot


def _transport(settings: Settings, system: str) -> Transport:
    return Transport(
        system, timeout_s=settings.school_source_timeout_s, retries=settings.school_source_retries
    )


def _progress(engine: Engine, source_id: int) -> Callable[[str, float], None]:
    """Writes the phase and share done to the source, so the page can show the run."""

    def write(phase: str, share: float) -> None:
        with session_scope(engine) as session:
            source = session.get(SchoolSource, source_id)
            if source is not None:
                source.import_phase, source.import_progress = phase[:200], round(share, 3)
                session.add(source)

    return write


def _finish(
    engine: Engine, source_id: int, user_id: int, status: ImportStatus, report: dict[str, Any]
) -> ImportStatus:
    with session_scope(engine) as session:
        source, user = session.get(SchoolSource, source_id), session.get(User, user_id)
        if source is not None and user is not None:
            _settle(session, source, user, status, report)
    return status


def _settle(
    session: Session, source: SchoolSource, user: User, status: ImportStatus, report: dict[str, Any]
) -> None:
    """End the run: status, report and an audit entry of the import (stored or refused)."""
    report = {**report, "status": str(status), "at": utcnow().isoformat()}
    source.import_status, source.import_phase = status, str(status)
    source.import_progress, source.last_import_at, source.last_report = 1.0, utcnow(), report
    session.add(source)
    summary: dict[str, Any] = {
        k: report[k] for k in ("status", "message", "pupils", "classes", "teachers") if k in report
    }
    audit.record(session, user, "import", "school_source", source.id, after=summary)
    commit(session)


# --- storing, all or nothing --------------------------------------------------------------------


class RecordsRefused(Exception):
    """Records of the source the platform cannot take, each named as its source names it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} record(s) refused")
        self.problems = problems


# What one record kind stores: code -> (how the source names the record, validated fields).
Records = dict[str, tuple[str, dict[str, Any]]]
Stored = type[SchoolClass] | type[Teacher] | type[Pupil]


def store_snapshot(
    session: Session, user: User, school: School, snapshot: SchoolSnapshot
) -> dict[str, dict[str, int]]:
    """Validate every record, then create or update classes, teachers and pupils (each write
    audited). Any problem anywhere refuses the whole import (`RecordsRefused`, every problem
    listed) before anything is written. Pupils of the school the source no longer lists are
    kept (they may carry wishes and placements) and counted for the report."""
    problems: list[str] = []
    pupils = _pupils(school, snapshot, problems)
    classes = _classes(school, snapshot, pupils, problems)
    teachers = _teachers(school, snapshot, problems)
    existing: dict[Stored, dict[str, Any]] = {}
    for table, records in ((SchoolClass, classes), (Teacher, teachers), (Pupil, pupils)):
        existing[table] = _by_code(session, table, school.region_id)
        for code, (record, _) in records.items():
            old = existing[table].get(code)
            if old is not None and old.school_id != school.id:
                problems.append(f"{record}: code {code!r} belongs to another school")
    if problems:
        raise RecordsRefused(problems)
    counts = {"classes": _upsert(session, user, SchoolClass, classes, existing[SchoolClass])}
    class_ids = {code: saved_id(row) for code, row in existing[SchoolClass].items()}
    for _, values in pupils.values():
        values["class_id"] = class_ids.get(values.pop("class_code"))
    counts["teachers"] = _upsert(session, user, Teacher, teachers, existing[Teacher])
    counts["pupils"] = _upsert(session, user, Pupil, pupils, existing[Pupil])
    counts["pupils"]["not_in_source"] = sum(
        1
        for code, row in existing[Pupil].items()
        if row.school_id == school.id and code not in pupils
    )
    return counts


def _by_code(session: Session, table: Stored, region_id: int) -> dict[str, Any]:
    """The region's rows of a table by code (codes are unique in a region)."""
    rows: Sequence[Any] = session.exec(select(table).where(table.region_id == region_id)).all()
    return {row.code: row for row in rows}


def platform_code(school: School, code: str) -> str:
    """A source's code as a platform code: prefixed with the school's, since pupil numbers
    and class names repeat between the schools of a region."""
    return CODE_CHARS.sub("-", f"{school.code}-{code.strip()}")[:64]


def _pupils(school: School, snapshot: SchoolSnapshot, problems: list[str]) -> Records:
    fields = snapshot.source_fields
    records: Records = {}
    for pupil in snapshot.pupils:
        if not pupil.code:
            problems.append(f"{pupil.record}, field '{fields['code']}': missing")
            continue
        code = platform_code(school, pupil.code)
        values: dict[str, Any] = {
            "code": code,
            "first_name": pupil.first_name,
            "profile": pupil.profile,
            "track": pupil.track,
            "year": pupil.year,
            "school_id": school.id,
        }
        if pupil.home is not None:
            values["home_lat"], values["home_lon"] = pupil.home
        try:
            body = PupilCreate.model_validate(values)
        except ValidationError as error:
            problems += _named(pupil.record, error, fields)
            continue
        if code in records:
            problems.append(f"{pupil.record}, field '{fields['code']}': {pupil.code!r} twice")
        stored = body.model_dump(exclude_unset=True)
        stored["class_code"] = platform_code(school, pupil.group) if pupil.group else None
        records[code] = (pupil.record, stored)
    return records


def _classes(
    school: School, snapshot: SchoolSnapshot, pupils: Records, problems: list[str]
) -> Records:
    """A class per group with pupils: its size, most common year and (if shared) profile."""
    members: dict[str, list[dict[str, Any]]] = {}
    for _, values in pupils.values():
        if values["class_code"]:
            members.setdefault(values["class_code"], []).append(values)
    records: Records = {}
    for group in snapshot.groups:
        code = platform_code(school, group.name)
        own = members.get(code, [])
        if not own:
            continue  # a group without pupils of this import is no class to plan for
        profiles = {p["profile"] for p in own}
        values = {
            "code": code,
            "school_id": school.id,
            "size": len(own),
            "year": Counter(p["year"] for p in own).most_common(1)[0][0],
            "profile": profiles.pop() if len(profiles) == 1 else None,
            "free": free_dayparts(group.lessons),
        }
        try:
            records[code] = (
                group.record,
                SchoolClassCreate.model_validate(values).model_dump(exclude_unset=True),
            )
        except ValidationError as error:
            problems += _named(group.record, error, {})
    for code in sorted(set(members) - set(records)):
        problems.append(f"pupils of class {code!r}: the source lists no such group")
    return records


def _teachers(school: School, snapshot: SchoolSnapshot, problems: list[str]) -> Records:
    records: Records = {}
    for teacher in snapshot.teachers:
        code = platform_code(school, teacher.code)
        values = {
            "code": code,
            "name": teacher.name[:200],
            "school_id": school.id,
            "free": free_dayparts(teacher.lessons),
        }
        try:
            records[code] = (
                teacher.record,
                TeacherCreate.model_validate(values).model_dump(exclude_unset=True),
            )
        except ValidationError as error:
            problems += _named(teacher.record, error, {})
    return records


def _named(record: str, error: ValidationError, fields: dict[str, str]) -> list[str]:
    """Each problem of a record as a sentence naming the source's own field."""
    named = []
    for e in error.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        given = e.get("input")
        named.append(
            f"{record}, field '{fields.get(field, field)}': {e['msg']}"
            + (f" (got {given!r})" if not isinstance(given, dict) else "")
        )
    return named


def _upsert(
    session: Session,
    user: User,
    table: Stored,
    records: Records,
    existing: dict[str, Any],
) -> dict[str, int]:
    """Create new codes, update known ones with the fields the source gave (a pupil keeps its
    wishes), each write audited; a record the source gives as stored stays as it is.
    `existing` learns the created rows."""
    entity = str(table.__tablename__)
    new = []
    unchanged = 0
    for code, (_, values) in records.items():
        old = existing.get(code)
        if old is None:
            new.append(table(**values, region_id=user.region_id))
            continue
        if all(getattr(old, key) == value for key, value in values.items()):
            unchanged += 1  # nothing changed: no new version, nothing to audit
            continue
        before = audit.snapshot(old)
        for key, value in values.items():
            setattr(old, key, value)
        old.version += 1
        session.add(old)
        audit.record(
            session, user, "update", entity, old.id, before=before, after=audit.snapshot(old)
        )
    session.add_all(new)
    session.flush()  # one round trip gives every new row its id
    for row in new:
        existing[row.code] = row
        audit.record(session, user, "create", entity, row.id, after=audit.snapshot(row))
    updated = len(records) - len(new) - unchanged
    return {"created": len(new), "updated": updated, "unchanged": unchanged}
