"""Timetables from iCalendar: a school's class and teacher calendars become their free dayparts.

A school links a calendar feed per class or teacher (a Zermelo, Magister or Somtoday link) or
uploads an `.ics` file. The lessons are read for the region's school year (`api.imports.ical`),
turned into weekly free dayparts with dated exceptions (`api.imports.dayparts`), and written as
the `free` list of the class or teacher, which every later round takes.

All or nothing: importing a school's feeds runs in the background (`api.services.import_runs`)
on the school's record of its feed imports (an ical source without link or class, which keeps
the run's progress and report); it fetches every enabled feed first, and one that cannot be
fetched or read refuses the whole import, naming the class or teacher and the problem; nothing
is written then. A clean import writes every timetable, its source's report and the
audit entries in one transaction. The report lists, per class and teacher, what became free and
what no longer is, and which activities of the region's newest published or proposed round now
fall in a daypart the class or teacher is no longer free (the clashes a repair must release).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Literal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id, session_scope
from api.imports import release
from api.imports.dayparts import DerivedTimetable, derive_free, school_days
from api.imports.fetch import FeedRefused, fetch_feed
from api.imports.ical import UnreadableCalendar, lessons
from api.imports.report import (
    Clash,
    ImportProblem,
    ImportReport,
    RecordChange,
    free_changes,
)
from api.jobs import Runner
from api.models import (
    ImportSource,
    Job,
    JobKind,
    Region,
    Round,
    School,
    SchoolClass,
    SolutionVersion,
    SourceKind,
    Teacher,
    User,
)
from api.services import import_runs, sources
from api.services.errors import Conflict
from api.services.pins import round_pins
from api.services.records import commit
from api.services.rounds import get_round
from api.services.solves import start_job
from api.services.sources import refuse
from api.settings import Settings
from scheduler.domain import Calendar
from scheduler.validation import InvalidRound, parse_calendar


@dataclass(frozen=True)
class Fetched:
    """One source's calendar, read: the class or teacher it is for and its lessons' outcome."""

    source: ImportSource
    row: SchoolClass | Teacher
    derived: DerivedTimetable
    lessons: int


FETCHES_AT_ONCE = 8

# What a calendar says about each lesson beyond its time, none of which is stored.
LESSON_DETAILS = "lesgegevens (onderwerp, lokaal, docenten)"


def school_year(session: Session, school: School) -> Calendar:
    """The region's school year, which the weekly rule is carried over."""
    region = session.get(Region, school.region_id)
    if region is None or not region.calendar:
        reason = "the bureau has not set the school year (first and last day, holidays) yet"
        refuse([ImportProblem(record="schooljaar", field="calendar", reason=reason,
                              type="import.no_school_year")])  # fmt: skip
    try:
        return parse_calendar(region.calendar)
    except InvalidRound as error:
        refuse([ImportProblem(record="schooljaar", field="calendar", reason=str(error),
                              type="import.bad_school_year",
                              ctx={"error": str(error)})])  # fmt: skip


def start_feed_import(
    session: Session, user: User, school_id: int | None
) -> tuple[ImportSource, list[int]]:
    """Mark an import of every enabled calendar link of a school as running, on the school's
    record of its feed imports; returns it and the links `run_feed_import` reads. A school
    without links or without a school year is refused here, before anything runs."""
    school = sources.source_school(session, user, school_id)
    linked = [
        saved_id(s)
        for s in sources.list_sources(session, user, school.id)
        if s.kind == SourceKind.ical and s.enabled and s.url
    ]
    if not linked:
        refuse([ImportProblem(record="bronnen", reason="no calendar link is switched on",
                              type="import.no_links")])  # fmt: skip
    school_year(session, school)
    run = sources.file_source(session, school, SourceKind.ical, {"links": len(linked)})
    return import_runs.mark_running(session, run), linked


def run_feed_import(
    engine: Engine, settings: Settings, run_id: int, user_id: int, linked: list[int]
) -> str:
    """Fetch every linked calendar, then import them all or nothing (`api.services.import_runs`);
    one feed that cannot be fetched or read refuses the import, naming its class or teacher."""

    def read(progress: import_runs.Progress) -> dict[int, bytes]:
        with session_scope(engine) as session:
            links = {i: session.get(ImportSource, i) for i in linked}
            urls = {i: s.url or "" for i, s in links.items() if s is not None}
            names = {i: _name(s) for i, s in links.items() if s is not None}
        bodies: dict[int, bytes] = {}
        problems: list[ImportProblem] = []
        # The feeds are fetched side by side: a school's 40 classes would otherwise wait on 40
        # calendar servers one after the other.
        with ThreadPoolExecutor(max_workers=FETCHES_AT_ONCE) as pool:
            fetches = pool.map(lambda i: (i, _fetch(urls[i], settings)), urls)
            for done, (source_id, body) in enumerate(fetches, start=1):
                if isinstance(body, FeedRefused):
                    problems.append(ImportProblem.of(names[source_id], body, field="url"))
                else:
                    bodies[source_id] = body
                progress(f"feeds fetched: {done} of {len(urls)}", done / len(urls))
        if problems:
            raise import_runs.RunRefused(problems)
        return bodies

    def store(
        session: Session, user: User, run: ImportSource, bodies: dict[int, bytes]
    ) -> ImportReport:
        school = session.get(School, run.school_id)
        assert school is not None  # a source's school outlives it
        calendar = school_year(session, school)
        fetched: list[Fetched] = []
        problems: list[ImportProblem] = []
        for source_id, body in bodies.items():
            source = session.get(ImportSource, source_id)
            if source is None:
                continue  # a link removed while the feeds were fetched
            outcome = _read(session, school, source, body, calendar)
            if isinstance(outcome, ImportProblem):
                problems.append(outcome)
            else:
                fetched.append(outcome)
        if problems:
            raise import_runs.RunRefused(problems)
        return _store(session, user, school, fetched)

    return import_runs.run(engine, run_id, user_id, read, store)


def feeds_run(source: ImportSource) -> bool:
    """The school's record of its feed imports (no link, no class or teacher of its own)."""
    return source.kind == SourceKind.ical and not source.url and not source.requester_code


def _fetch(url: str, settings: Settings) -> bytes | FeedRefused:
    try:
        return fetch_feed(
            url,
            max_bytes=settings.import_max_bytes,
            timeout_s=settings.import_timeout_s,
            allow_private=settings.import_allow_private_hosts,
        )
    except FeedRefused as error:
        return error


def import_calendar_file(
    session: Session,
    user: User,
    school_id: int | None,
    requester_kind: Literal["class", "teacher"],
    code: str,
    name: str,
    stream: BinaryIO,
    max_bytes: int,
) -> ImportReport:
    """Import one class's or teacher's timetable from an uploaded `.ics` file."""
    school = sources.source_school(session, user, school_id)
    if sources.requester(session, school, requester_kind, code) is None:
        refuse([ImportProblem(record=f"{requester_kind} {code}", field="code",
                              reason=f"no {requester_kind} {code!r} at this school",
                              type="import.no_requester", ctx={"code": code})])  # fmt: skip
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        refuse([ImportProblem(record=name, reason="the file is too large",
                              type="import.file_too_large",
                              ctx={"mb": max_bytes // (1024 * 1024)})])  # fmt: skip
    calendar = school_year(session, school)
    source = sources.file_source(
        session, school, SourceKind.ical, {"file": name}, requester_kind, code
    )
    outcome = _read(session, school, source, content, calendar)
    if isinstance(outcome, ImportProblem):
        refuse([outcome])
    report = _store(session, user, school, [outcome])
    commit(session)
    return report


def _name(source: ImportSource) -> str:
    return f"{source.requester_kind} {source.requester_code}"


def _read(
    session: Session, school: School, source: ImportSource, content: bytes, calendar: Calendar
) -> Fetched | ImportProblem:
    """A calendar's lessons turned into free dayparts, or the problem that stops it."""
    row = sources.requester(session, school, source.requester_kind, source.requester_code)
    if row is None:
        return ImportProblem(record=_name(source), field="requester_code",
                             reason="the class or teacher is no longer at this school",
                             type="import.requester_gone")  # fmt: skip
    try:
        found = lessons(content, calendar.start, calendar.end)
    except UnreadableCalendar as error:
        return ImportProblem.of(_name(source), error, field="calendar")
    if not found:
        reason = "no lessons in the school year: is this the right calendar?"
        return ImportProblem(record=_name(source), field="calendar", reason=reason,
                             type="import.no_lessons")  # fmt: skip
    derived = derive_free(found, calendar)
    if derived.window is None or not school_days(calendar, *derived.window):
        # Read as "never free" it would wipe the timetable: a feed of the holidays only.
        reason = "the lessons fall in weeks without a school day of the region's school year"
        return ImportProblem(record=_name(source), field="calendar", reason=reason,
                             type="import.lessons_in_holidays")  # fmt: skip
    return Fetched(source=source, row=row, derived=derived, lessons=len(found))


def _store(session: Session, user: User, school: School, fetched: list[Fetched]) -> ImportReport:
    """Write every timetable, the reports and the audit entries; the caller commits once."""
    changes: list[RecordChange] = []
    for item in fetched:
        row, derived = item.row, item.derived
        now_free, no_longer = free_changes(row.free, derived.free)
        change = RecordChange(
            kind="class" if isinstance(row, SchoolClass) else "teacher",
            code=row.code,
            action="updated" if now_free or no_longer else "unchanged",
            now_free=now_free,
            no_longer_free=no_longer,
            exceptions=[_exception_text(e.daypart, e.free, e.what) for e in derived.exceptions],
        )
        if change.action == "updated":
            before = audit.snapshot(row)
            row.free = list(derived.free)
            row.version += 1
            session.add(row)
            entity = "school_class" if change.kind == "class" else "teacher"
            audit.record(session, user, "update", entity, row.id, before=before,
                         after=audit.snapshot(row))  # fmt: skip
        changes.append(change)
    report = ImportReport(source=SourceKind.ical.value)
    report.count(changes)
    report.left_out = {LESSON_DETAILS: sum(f.lessons for f in fetched)}
    report.clashes = clashes(
        session, school.region_id, {f.row.code: list(f.derived.free) for f in fetched}
    )
    for item in fetched:  # each source's own part of the report
        mine = [c for c in changes if c.code == item.row.code]
        item_report = ImportReport(
            source=report.source,
            at=report.at,
            left_out={LESSON_DETAILS: item.lessons},
            clashes=[c for c in report.clashes if c.requester == item.row.code],
        )
        item_report.count(mine)
        sources.record_import(session, user, item.source, item_report)
    return report


def _exception_text(daypart: str, free: bool, what: str) -> str:
    return f"{daypart} vrij" if free else f"{daypart} bezet" + (f": {what}" if what else "")


def clashes(session: Session, region_id: int, free: dict[str, list[str]]) -> list[Clash]:
    """Activities of the region's newest round with a published or proposed version that fall
    in a daypart their class or teacher is no longer free (by the new `free` lists)."""
    round_ = session.exec(
        select(Round)
        .where(
            Round.region_id == region_id,
            col(Round.published_version_id).is_not(None)
            | col(Round.proposal_version_id).is_not(None),
        )
        .order_by(col(Round.id).desc())
    ).first()
    if round_ is None:
        return []
    found: dict[tuple[str, str, str, str], Clash] = {}
    for version_id in (round_.published_version_id, round_.proposal_version_id):
        version = session.get(SolutionVersion, version_id) if version_id is not None else None
        if version is None:
            continue
        for activity in version.document.get("activities", []):
            if release.clashes(activity, free):
                code, part = activity["requester"], activity["daypart"]
                key = (code, activity["offer"], activity["date"], part)
                found.setdefault(key, Clash(round_id=round_.id or 0, version_id=version.id or 0,
                    requester=code, offer=activity["offer"], company=activity["company"],
                    kind=activity["kind"], date=activity["date"], daypart=part))  # fmt: skip
    return list(found.values())


# --- what the bureau does about the clashes ----------------------------------------------------


def current_free(session: Session, region_id: int) -> dict[str, list[str]]:
    """The `free` list of every class and teacher of the region as stored now."""
    rows: list[SchoolClass | Teacher] = [
        *session.exec(select(SchoolClass).where(SchoolClass.region_id == region_id)),
        *session.exec(select(Teacher).where(Teacher.region_id == region_id)),
    ]
    return {row.code: list(row.free) for row in rows}


def _repair_base(session: Session, round_: Round) -> SolutionVersion:
    """The version a timetable repair starts from: the round's newest, published or proposed
    (after a repair its proposal already holds the new timetables, so nothing clashes)."""
    newest = [v for v in (round_.published_version_id, round_.proposal_version_id) if v]
    version_id = max(newest) if newest else None
    version = session.get(SolutionVersion, version_id) if version_id is not None else None
    if version is None:
        raise Conflict(
            "the round has no published or proposed version to repair", code="repair.no_version"
        )
    return version


def changed_timetables(
    session: Session, round_: Round, base: SolutionVersion
) -> dict[str, list[str]]:
    """The classes and teachers of the round whose stored `free` differs from the round's."""
    now = current_free(session, round_.region_id)
    requesters = base.round_document.get("classes", []) + base.round_document.get("teachers", [])
    return {
        r["id"]: now[r["id"]]
        for r in requesters
        if r["id"] in now and sorted(now[r["id"]]) != sorted(r.get("free", []))
    }


def round_clashes(session: Session, user: User, round_id: int) -> list[Clash]:
    """The round's planned activities that today's timetables no longer allow."""
    round_ = get_round(session, user, round_id)
    base = _repair_base(session, round_)
    changed = changed_timetables(session, round_, base)
    return [
        Clash.model_validate({**a, "round_id": round_id, "version_id": saved_id(base)})
        for a in base.document.get("activities", [])
        if release.clashes(a, changed)
    ]


def repair_clashes(
    session: Session, user: User, round_id: int, settings: Settings, runner: Runner
) -> Job:
    """A repair of the round with today's timetables: the clashing activities are released
    and planned anew where the class or teacher is free, every other activity kept."""
    round_ = get_round(session, user, round_id)
    base = _repair_base(session, round_)
    changed = changed_timetables(session, round_, base)
    if not any(release.clashes(a, changed) for a in base.document.get("activities", [])):
        raise Conflict(
            "no planned activity clashes with the current timetables", code="repair.no_clash"
        )
    params = {
        "base_version_id": base.id,
        "timetables": changed,
        "pins": [
            p.model_dump(include={"student", "placement", "period"})
            for p in round_pins(session, round_id)
        ],
    }
    return start_job(session, round_, JobKind.repair, settings, runner, user, params)
