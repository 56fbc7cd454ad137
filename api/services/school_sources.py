"""A school's Zermelo and Somtoday Connect connections, and the imports through them.

The school connects a source (its Zermelo portal and partner code, or its Somtoday
organisation and the platform's client credentials), switches it on and off, revokes it, and
starts an import. Both are `ImportSource` records (`api.services.sources`) whose credentials
are sealed (`api.imports.credentials`). An import reads the whole school first, then stores
classes, teachers (their free dayparts by `api.imports.dayparts`) and pupils (minimised by
`api.imports.minimise`) in one transaction, or nothing: one unreadable answer (a refused token,
a paging error, a malformed page) or one record the platform cannot take (no profile, a code of
another school) refuses the import, and the report (`api.imports.report`) names each record and
field as the source names them. Every import, stored or not, leaves its report on the source
and an audit entry.
"""

from __future__ import annotations

import logging
import re
import uuid as uuids
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from api import audit
from api.db import saved_id, session_scope
from api.imports import credentials
from api.imports.dayparts import SCHOOL_TIME, derive_free, school_days
from api.imports.minimise import tally
from api.imports.report import (
    ImportProblem,
    ImportReport,
    RecordChange,
    RecordKind,
    free_changes,
    problems_of,
)
from api.imports.snapshot import SchoolSnapshot
from api.imports.somtoday import SomtodayClient
from api.imports.transport import SourceError, Transport
from api.imports.zermelo import ZermeloClient
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
from api.services.errors import Conflict, Invalid, NotFound, field_error, plain_ctx
from api.services.import_codes import platform_code
from api.services.records import commit
from api.services.timetable_imports import clashes, school_year
from api.settings import Settings
from scheduler.contract.round import PROFILES
from scheduler.domain import Calendar

log = logging.getLogger(__name__)

SYSTEMS = {SourceKind.zermelo: "Zermelo", SourceKind.somtoday: "Somtoday"}
PORTAL = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # a zportal.nl host name, nothing else
# What a pupil cannot be stored without, and what to tell the school when its source gave none
# (the English reason and the problem's type, `refusal.<type>` of the catalogs).
REQUIRED = {
    "first_name": ("no first name (roepnaam)", "import.no_first_name"),
    "profile": (
        f"no vmbo profile code recognised; one of {', '.join(PROFILES)}",
        "import.no_profile",
    ),
    "track": ("no track (leerweg) recognised: bb, kb, gl or tl", "import.no_track"),
    "year": ("no school year (leerjaar) recognised", "import.no_year"),
}


# --- connecting, switching and revoking ---------------------------------------------------------


def school_systems(session: Session, user: User, school_id: int | None) -> list[ImportSource]:
    """The school's Zermelo and Somtoday sources."""
    return [s for s in sources.list_sources(session, user, school_id) if s.kind in SYSTEMS]


def connect_zermelo(
    session: Session,
    user: User,
    settings: Settings,
    school_id: int | None,
    *,
    portal: str,
    code: str,
    branch: str = "",
    weeks: int = 2,
) -> ImportSource:
    """Trade the partner code from the school's Zermelo portal for a token, stored sealed."""
    school = sources.source_school(session, user, school_id)
    _check_key(settings)
    portal = portal.strip().lower()
    if not PORTAL.match(portal):
        raise field_error(
            "portal", "the portal name as in https://<portal>.zportal.nl", kind="source.portal"
        )
    _check_weeks(weeks)
    transport = _transport(settings, SourceKind.zermelo)
    try:
        client = ZermeloClient(transport, settings.zermelo_api_url.format(portal=portal))
        token = client.exchange_code(code)
    except SourceError as error:
        raise field_error("code", str(error), kind=error.code, ctx=error.params) from None
    finally:
        transport.close()
    where = {"portal": portal, "branch": branch.strip(), "weeks": weeks}
    return _save(session, user, settings, school, SourceKind.zermelo, where, {"token": token})


def connect_somtoday(
    session: Session,
    user: User,
    settings: Settings,
    school_id: int | None,
    *,
    organisation: str,
    client_id: str,
    client_secret: str,
    location: str = "",
    weeks: int = 2,
) -> ImportSource:
    """Check the client credentials with Somtoday once, then store them sealed."""
    school = sources.source_school(session, user, school_id)
    _check_key(settings)
    try:
        organisation = str(uuids.UUID(organisation.strip()))
    except ValueError:
        raise field_error(
            "organisation", "the organisation's UUID from Somtoday", kind="source.organisation"
        ) from None
    _check_weeks(weeks)
    secret = {"client_id": client_id.strip(), "client_secret": client_secret.strip()}
    transport = _transport(settings, SourceKind.somtoday)
    try:
        client = SomtodayClient(transport, settings.somtoday_token_url, settings.somtoday_api_url)
        client.token(organisation, secret["client_id"], secret["client_secret"])
    except SourceError as error:
        raise field_error("client_secret", str(error), kind=error.code, ctx=error.params) from None
    finally:
        transport.close()
    where = {"organisation": organisation, "location": location.strip(), "weeks": weeks}
    return _save(session, user, settings, school, SourceKind.somtoday, where, secret)


def _check_key(settings: Settings) -> None:
    """No school system is contacted when its credentials could not be stored."""
    try:
        credentials.check_key(settings.school_source_key)
    except credentials.CredentialsError as error:
        raise Conflict(str(error), code="source.key_missing") from None


def _check_weeks(weeks: int) -> None:
    if not 1 <= weeks <= 8:
        raise field_error("weeks", "read 1 to 8 weeks of timetable", kind="source.weeks")


def _save(
    session: Session,
    user: User,
    settings: Settings,
    school: School,
    kind: SourceKind,
    where: dict[str, Any],
    secret: dict[str, str],
) -> ImportSource:
    """One source per school and system: connecting again replaces its settings and secret."""
    source = next(
        (s for s in sources.list_sources(session, user, school.id) if s.kind == kind), None
    )
    before = audit.snapshot(source)
    if source is None:
        source = ImportSource(kind=kind, region_id=school.region_id, school_id=saved_id(school))
    else:
        source.version += 1
    source.settings, source.enabled = where, True
    source.credentials = credentials.seal(settings.school_source_key, secret)
    session.add(source)
    session.flush()
    audit.record(
        session,
        user,
        "connect",
        "import_source",
        source.id,
        before=before,
        after=audit.snapshot(source),
    )
    commit(session)
    session.refresh(source)
    return source


def school_system(session: Session, user: User, source_id: int) -> ImportSource:
    """A Zermelo or Somtoday source of a school the user may manage."""
    source = sources.get_source(session, user, source_id)
    if source.kind not in SYSTEMS:
        raise NotFound(
            f"source {source_id} is no Zermelo or Somtoday connection",
            code="source.not_a_system",
            params={"source": source_id},
        )
    return source


def revoke(session: Session, user: User, source_id: int) -> ImportSource:
    """Forget the credentials and switch the source off; reconnecting asks for new ones."""
    source = school_system(session, user, source_id)
    before = audit.snapshot(source)
    source.credentials, source.enabled = None, False
    source.version += 1
    session.add(source)
    audit.record(
        session,
        user,
        "revoke",
        "import_source",
        source.id,
        before=before,
        after=audit.snapshot(source),
    )
    commit(session)
    return source


# --- importing ----------------------------------------------------------------------------------


def start_import(session: Session, user: User, source_id: int) -> ImportSource:
    """Mark an import as running (one per source at a time); `run_import` does the work."""
    source = school_system(session, user, source_id)
    if not source.enabled or source.credentials is None:
        raise Conflict(
            "switch the source on (and connect it) before importing", code="source.switched_off"
        )
    return import_runs.mark_running(session, source)


def run_import(
    engine: Engine, settings: Settings, source_id: int, user_id: int, today: date | None = None
) -> str:
    """Read the whole school from its system, then store everything or nothing
    (`api.services.import_runs`). An unreadable source ends the run as failed, a record the
    platform cannot take as refused."""
    today = today or datetime.now(SCHOOL_TIME).date()
    # The coming weeks, from next Monday: the weeks visits are planned in, not the past.
    first = today + timedelta(days=7 - today.weekday())

    def read(progress: import_runs.Progress) -> tuple[SchoolSnapshot, list[date]]:
        with session_scope(engine) as session:
            source = session.get(ImportSource, source_id)
            if source is None:
                removed = ImportProblem(record="bron", reason="removed", type="import.removed")
                raise import_runs.RunRefused([removed])
            kind, where, sealed = source.kind, dict(source.settings), source.credentials or ""
        mondays = week_mondays(first, int(where.get("weeks", 2)))
        try:
            secret = credentials.unseal(settings.school_source_key, sealed)
            return _read(settings, kind, where, secret, mondays, progress), mondays
        except (SourceError, credentials.CredentialsError) as error:
            problem = ImportProblem.of(SYSTEMS[kind], error)
            raise import_runs.RunRefused([problem], "failed") from None

    def store(
        session: Session, user: User, source: ImportSource, found: tuple[SchoolSnapshot, list[date]]
    ) -> ImportReport:
        snapshot, mondays = found
        school = session.get(School, source.school_id)
        if school is None:
            removed = ImportProblem(record="school", reason="removed", type="import.removed")
            raise import_runs.RunRefused([removed])
        return store_snapshot(
            session, user, school, snapshot, (mondays[0], mondays[-1] + timedelta(days=4))
        )

    return import_runs.run(engine, source_id, user_id, read, store)


def _read(
    settings: Settings,
    kind: SourceKind,
    where: dict[str, Any],
    secret: dict[str, Any],
    mondays: list[date],
    progress: Callable[[str, float], None],
) -> SchoolSnapshot:
    transport = _transport(settings, kind)
    try:
        if kind == SourceKind.zermelo:
            api_url = settings.zermelo_api_url.format(portal=where["portal"])
            start = datetime.combine(mondays[0], time(0), SCHOOL_TIME)
            window = (start, start + timedelta(weeks=len(mondays)))
            return ZermeloClient(transport, api_url).read(
                secret["token"], where.get("branch"), window, progress
            )
        somtoday = SomtodayClient(transport, settings.somtoday_token_url, settings.somtoday_api_url)
        token = somtoday.token(where["organisation"], secret["client_id"], secret["client_secret"])
        return somtoday.read(token, where.get("location"), mondays, progress)
    finally:
        transport.close()


def _transport(settings: Settings, kind: SourceKind) -> Transport:
    return Transport(
        SYSTEMS[kind], timeout_s=settings.import_timeout_s, retries=settings.school_source_retries
    )


# --- storing, all or nothing --------------------------------------------------------------------


# What one record kind stores: code -> (how the source names the record, validated fields).
Records = dict[str, tuple[str, dict[str, Any]]]
Stored = type[SchoolClass] | type[Teacher] | type[Pupil]
KIND_OF: dict[Stored, RecordKind] = {SchoolClass: "class", Teacher: "teacher", Pupil: "pupil"}


def store_snapshot(
    session: Session,
    user: User,
    school: School,
    snapshot: SchoolSnapshot,
    window: tuple[date, date],
) -> ImportReport:
    """Validate every record, then create or update classes, teachers and pupils (each write
    audited). Any problem anywhere refuses the whole import (`RunRefused`, every problem
    listed) before anything is written. Pupils of the school the source no longer lists are
    kept (they may carry wishes and placements) and counted in the report's notes."""
    problems: list[ImportProblem] = []
    try:
        calendar = school_year(session, school)
    except Invalid as error:
        raise import_runs.RunRefused(problems_of(error.detail, error.code, error.params)) from None
    if not school_days(calendar, *window):  # a holiday would read as "never free"
        raise import_runs.RunRefused(
            [
                ImportProblem(
                    record="schooljaar",
                    field="calendar",
                    reason=(
                        f"the weeks read ({window[0]} to {window[1]}) hold no school day "
                        "of the region's school year: import in term time"
                    ),
                    type="import.no_school_day",
                    ctx={"first": window[0].isoformat(), "last": window[1].isoformat()},
                )
            ]
        )
    pupils = _pupils(school, snapshot, problems)
    classes = _classes(school, snapshot, pupils, calendar, window, problems)
    teachers = _teachers(school, snapshot, calendar, window, problems)
    existing: dict[Stored, dict[str, Any]] = {}
    for table, records in ((SchoolClass, classes), (Teacher, teachers), (Pupil, pupils)):
        existing[table] = _by_code(session, table, school.region_id)
        for code, (record, _) in records.items():
            old = existing[table].get(code)
            if old is not None and old.school_id != school.id:
                problems.append(
                    ImportProblem(
                        record=record,
                        field="code",
                        reason=f"{code!r} belongs to another school",
                        type="import.code_elsewhere",
                        ctx={"code": code},
                    )
                )
    if problems:
        raise import_runs.RunRefused(problems)
    changes = _upsert(session, user, SchoolClass, classes, existing[SchoolClass])
    class_ids = {code: saved_id(row) for code, row in existing[SchoolClass].items()}
    for _, values in pupils.values():
        values["class_id"] = class_ids.get(values.pop("class_code"))
    changes += _upsert(session, user, Teacher, teachers, existing[Teacher])
    changes += _upsert(session, user, Pupil, pupils, existing[Pupil])
    report = ImportReport(source="")
    # Classes and teachers are listed with their timetable changes; pupils only counted, so a
    # report holds no pupil's code (an erased pupil leaves no trace here).
    report.count(c for c in changes if c.kind != "pupil")
    pupil_actions = Counter(c.action for c in changes if c.kind == "pupil")
    report.created += pupil_actions["created"]
    report.updated += pupil_actions["updated"]
    report.unchanged += pupil_actions["unchanged"]
    created, updated, unchanged = (pupil_actions[a] for a in ("created", "updated", "unchanged"))
    report.note(
        f"pupils: {created} new, {updated} updated, {unchanged} unchanged",
        "sources.note.pupils",
        created=created,
        updated=updated,
        unchanged=unchanged,
    )
    report.left_out = tally([p.pupil for p in snapshot.pupils])
    if snapshot.asked:
        asked = ", ".join(snapshot.asked)
        report.note(
            f"{snapshot.system} was asked only for these fields of each pupil: {asked}",
            "sources.note.asked",
            system=snapshot.system,
            fields=asked,
        )
    kept = sum(
        1
        for code, row in existing[Pupil].items()
        if row.school_id == school.id and code not in pupils
    )
    if kept:
        report.note(
            f"{kept} pupil(s) of the school not in the source kept as they are",
            "sources.note.kept",
            count=kept,
        )
    free = {
        code: values["free"]
        for records in (classes, teachers)
        for code, (_, values) in records.items()
    }
    report.clashes = clashes(session, school.region_id, free)
    return report


def _by_code(session: Session, table: Stored, region_id: int) -> dict[str, Any]:
    """The region's rows of a table by code (codes are unique in a region)."""
    rows: Sequence[Any] = session.exec(select(table).where(table.region_id == region_id)).all()
    return {row.code: row for row in rows}


def _pupils(school: School, snapshot: SchoolSnapshot, problems: list[ImportProblem]) -> Records:
    fields = snapshot.source_fields
    records: Records = {}
    for source_pupil in snapshot.pupils:
        record, kept = source_pupil.record, dict(source_pupil.pupil.kept)
        if not kept.get("code"):
            problems.append(ImportProblem(record=record, field=fields["code"], reason="missing",
                                          type="import.missing"))  # fmt: skip
            continue
        code = platform_code(school, kept.pop("code"))
        group = kept.pop("class", None)
        missing = [f for f in REQUIRED if kept.get(f) in (None, "")]
        if missing:
            problems += [
                ImportProblem(record=record, field=fields[f], reason=REQUIRED[f][0],
                              type=REQUIRED[f][1], ctx={"profiles": ", ".join(PROFILES)})
                for f in missing
            ]  # fmt: skip
            continue
        try:
            body = PupilCreate.model_validate({**kept, "code": code, "school_id": school.id})
        except ValidationError as error:
            problems += _named(record, error, fields)
            continue
        if code in records:
            problems.append(ImportProblem(record=record, field=fields["code"], reason="twice",
                                          type="import.twice"))  # fmt: skip
        values = body.model_dump(exclude_unset=True)
        values["class_code"] = platform_code(school, str(group)) if group else None
        records[code] = (record, values)
    return records


def _classes(
    school: School,
    snapshot: SchoolSnapshot,
    pupils: Records,
    calendar: Calendar,
    window: tuple[date, date],
    problems: list[ImportProblem],
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
            "free": list(derive_free(group.lessons, calendar, window).free),
        }
        try:
            body = SchoolClassCreate.model_validate(values)
        except ValidationError as error:
            problems += _named(group.record, error, {})
            continue
        records[code] = (group.record, body.model_dump(exclude_unset=True))
    for code in sorted(set(members) - set(records)):
        problems.append(
            ImportProblem(
                record=f"class {code}",
                field="class",
                reason="the source lists no such group",
                type="import.no_group",
            )
        )
    return records


def _teachers(
    school: School,
    snapshot: SchoolSnapshot,
    calendar: Calendar,
    window: tuple[date, date],
    problems: list[ImportProblem],
) -> Records:
    records: Records = {}
    for teacher in snapshot.teachers:
        code = platform_code(school, teacher.code)
        values = {
            "code": code,
            "name": teacher.name[:200],
            "school_id": school.id,
            "free": list(derive_free(teacher.lessons, calendar, window).free),
        }
        try:
            body = TeacherCreate.model_validate(values)
        except ValidationError as error:
            problems += _named(teacher.record, error, {})
            continue
        records[code] = (teacher.record, body.model_dump(exclude_unset=True))
    return records


def _named(record: str, error: ValidationError, fields: dict[str, str]) -> list[ImportProblem]:
    """Each problem of a record, naming the source's own field and the value it gave."""
    named = []
    for e in error.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        given = e.get("input")
        reason = e["msg"] + ("" if isinstance(given, dict) else f" (got {given!r})")
        named.append(ImportProblem(record=record, field=fields.get(field, field), reason=reason,
                                   type=e["type"], ctx=plain_ctx(e.get("ctx", {}))))  # fmt: skip
    return named


def _upsert(
    session: Session, user: User, table: Stored, records: Records, existing: dict[str, Any]
) -> list[RecordChange]:
    """Create new codes, update known ones with the fields the source gave (a pupil keeps its
    wishes), each write audited; a record the source gives as stored stays as it is.
    `existing` learns the created rows."""
    entity, kind = str(table.__tablename__), KIND_OF[table]
    changes: list[RecordChange] = []
    new = []
    for code, (_, values) in records.items():
        old = existing.get(code)
        if old is None:
            new.append(table(**values, region_id=user.region_id))
            continue
        changed = {k: v for k, v in values.items() if getattr(old, k) != v}
        now_free, no_longer = (
            free_changes(old.free, values["free"]) if "free" in values else ([], [])
        )
        action: Literal["updated", "unchanged"] = "updated" if changed else "unchanged"
        changes.append(
            RecordChange(
                kind=kind,
                code=code,
                action=action,
                now_free=now_free,
                no_longer_free=no_longer,
            )
        )
        if not changed:
            continue
        before = audit.snapshot(old)
        for key, value in changed.items():
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
        changes.append(
            RecordChange(
                kind=kind,
                code=row.code,
                action="created",
                now_free=list(getattr(row, "free", [])),
            )
        )
    return changes


def week_mondays(first: date, weeks: int) -> list[date]:
    """The Mondays of `weeks` weeks from the week holding `first`."""
    monday = first - timedelta(days=first.weekday())
    return [monday + timedelta(weeks=n) for n in range(weeks)]
