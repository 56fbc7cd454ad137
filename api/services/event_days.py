"""Event days after the solve: who attends which session in which round, read off the stored
solution version for each role, and the programmes made of it.

Everyone gets a programme: a pupil its rounds (what, with which company, when), a company its
lists per session and round, a school the overview of its pupils. Pupils are minors, so a
company's lists carry a first name, a school and a profile and nothing else; a school sees its
own pupils only. Schools and companies read the published version; the bureau also the
proposal it is reviewing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from api import spreadsheets
from api.cofinancing_hours import DEFAULT_ROUND_MINUTES
from api.db import saved_id
from api.models import (
    Company,
    Event,
    EventRequest,
    EventSession,
    Pupil,
    Role,
    Round,
    School,
    SolutionVersion,
    User,
)
from api.services.errors import Conflict, Forbidden, NotFound
from scheduler import explain
from scheduler.said import to_json
from scheduler.validation import parse_round


@dataclass(frozen=True)
class Line:
    """One pupil in one session in one round of an event."""

    round: int
    start: str  # "09:00", or "" when the event has no times
    end: str
    session: str
    title: str
    company: str
    company_name: str
    student: str
    first_name: str
    school: str
    school_name: str
    profile: str
    rank: int


@dataclass(frozen=True)
class Shortfall:
    """A request granted fewer sessions than it asked for, and the solver's reason."""

    student: str
    first_name: str
    school: str
    missing: int
    reason: str
    said: Any = None  # the solver's detail, as `scheduler.said.to_json` keeps it


# What an event day's reasons need of a round document, beside the pupils that asked.
EVENT_KEYS = ("format", "name", "seed", "travel", "weights", "defaults", "travel_matrix",
              "schools", "companies", "calendar", "periods", "events", "sessions",
              "event_requests")  # fmt: skip


def shortfall_details(
    document: dict[str, Any], solution: dict[str, Any]
) -> dict[tuple[str, str], Any]:
    """(pupil, event) -> the detail of its `event_unassigned` entry, re-derived by the scheduler
    (`scheduler.explain.shortfall_details`) from the event part of the round: its pupils without
    their placement wishes, so a region's round is not validated whole for one event page."""
    asking = {r["student"] for r in document.get("event_requests", [])}
    part = {k: v for k, v in document.items() if k in EVENT_KEYS}
    part["students"] = [
        {k: v for k, v in s.items() if k not in ("preferences", "excluded")}
        for s in document.get("students", [])
        if s["id"] in asking
    ]
    found = explain.shortfall_details(parse_round(part), solution).events
    return {key: to_json(detail) for key, detail in found.items()}


@dataclass(frozen=True)
class Outcome:
    """An event's carrousel as one user may see it."""

    event: Event
    round: Round
    version: SolutionVersion
    lines: list[Line]
    shortfalls: list[Shortfall]


def get_event(session: Session, user: User, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None or event.region_id != user.region_id:
        raise NotFound(
            f"no event {event_id} in your region",
            code="event.not_found",
            params={"event": event_id},
        )
    return event


def round_times(event: Event, number: int) -> tuple[str, str]:
    """Start and end of round `number` ("" when the event has no start time)."""
    if event.start_time is None:
        return "", ""
    length = event.round_minutes or DEFAULT_ROUND_MINUTES
    first = datetime.strptime(event.start_time, "%H:%M")
    start = first + timedelta(minutes=(number - 1) * (length + event.changeover_minutes))
    return start.strftime("%H:%M"), (start + timedelta(minutes=length)).strftime("%H:%M")


def event_version(
    session: Session, user: User, event: Event
) -> tuple[Round, SolutionVersion] | None:
    """The round and version holding the event's carrousel: the linked round's, else the newest
    round's that solved the event; published only, except for the bureau."""
    query = select(Round).where(Round.region_id == user.region_id)
    if event.round_id is not None:
        query = query.where(Round.id == event.round_id)
    for round_ in session.exec(query.order_by(col(Round.id).desc())).all():
        wanted = round_.published_version_id
        if user.role == Role.bureau:
            wanted = round_.proposal_version_id or wanted
        version = session.get(SolutionVersion, wanted) if wanted else None
        if version is not None and any(
            e.get("id") == event.code for e in version.round_document.get("events", [])
        ):
            return round_, version
    return None


def outcome(session: Session, user: User, event_id: int) -> Outcome:
    """The event's sessions per pupil and round and its shortfalls, in the user's scope."""
    event = get_event(session, user, event_id)
    found = event_version(session, user, event)
    if found is None:
        raise Conflict("no solved round holds this event yet", code="event.not_solved")
    round_, version = found
    # The raw document: its event keys are typed by the contract only where problem D is known.
    document, solution = version.round_document, version.solution
    students = {s["id"]: s for s in document.get("students", [])}
    school_names = {s["id"]: s.get("name") or s["id"] for s in document.get("schools", [])}
    company_names = {c["id"]: c.get("name") or c["id"] for c in document.get("companies", [])}
    mine = _in_scope(session, user, students)
    titles = dict(
        session.exec(
            select(EventSession.code, EventSession.title).where(EventSession.event_id == event.id)
        ).all()
    )
    entries = [
        e
        for e in solution.get("event_sessions", [])
        if e["event"] == event.code and mine(e["student"], e["company"])
    ]
    shorts = [
        u
        for u in solution.get("event_unassigned", [])
        if u["event"] == event.code and mine(u["student"], None)
    ]
    names = _first_names(session, user.region_id, [e["student"] for e in entries + shorts])
    lines = []
    for e in entries:
        pupil = students.get(e["student"], {})
        start, end = round_times(event, e["round"])
        lines.append(
            Line(
                round=e["round"],
                start=start,
                end=end,
                session=e["session"],
                title=titles.get(e["session"], "") or e["session"],
                company=e["company"],
                company_name=company_names.get(e["company"], e["company"]),
                student=e["student"],
                first_name=names.get(e["student"], ""),
                school=pupil.get("school", ""),
                school_name=school_names.get(pupil.get("school", ""), ""),
                profile=pupil.get("profile", ""),
                rank=e["rank"],
            )
        )
    lines.sort(key=lambda line: (line.school, line.student, line.round))
    said = shortfall_details(document, solution) if shorts else {}
    shortfalls = [
        Shortfall(
            student=u["student"],
            first_name=names.get(u["student"], ""),
            school=students.get(u["student"], {}).get("school", ""),
            missing=u["missing"],
            reason=u["reason"],
            said=said.get((u["student"], u["event"])),
        )
        for u in sorted(shorts, key=lambda u: u["student"])
    ]
    return Outcome(event, round_, version, lines, shortfalls)


def _in_scope(
    session: Session, user: User, students: dict[str, Any]
) -> Callable[[str, str | None], bool]:
    """Which (pupil, company) a user may see: the bureau all, a school its own pupils, a
    company the pupils of its own sessions."""
    if user.role == Role.school:
        school = session.get(School, user.school_id)
        code = school.code if school else None
        return lambda student, _company: students.get(student, {}).get("school") == code
    if user.role == Role.company:
        company = session.get(Company, user.company_id)
        code = company.code if company else None
        return lambda _student, company_code: company_code is not None and company_code == code
    return lambda _student, _company: True


def _first_names(session: Session, region_id: int, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.exec(
        select(Pupil.code, Pupil.first_name).where(
            Pupil.region_id == region_id, col(Pupil.code).in_(sorted(set(codes)))
        )
    ).all()
    return dict(rows)


# --- what each role's programme shows -----------------------------------------------------------

PUPIL_COLUMNS = ["student", "first_name", "school_name", "round", "start", "end", "session",
                 "title", "company_name", "rank"]  # fmt: skip
# A company's lists: a first name, a school and a profile per pupil, no more (pupils are minors).
COMPANY_COLUMNS = ["session", "title", "round", "start", "end", "first_name", "school_name",
                   "profile"]  # fmt: skip


def programme_columns(user: User) -> list[str]:
    return COMPANY_COLUMNS if user.role == Role.company else PUPIL_COLUMNS


def programme_rows(user: User, result: Outcome) -> list[dict[str, Any]]:
    """The programme as table rows with the columns the user's role may see."""
    columns = programme_columns(user)
    lines = result.lines
    if user.role == Role.company:
        lines = sorted(lines, key=lambda line: (line.session, line.round, line.first_name))
    return [{c: row[c] for c in columns} for row in map(asdict, lines)]


def programme_file(
    user: User, result: Outcome, fmt: str, labels: Callable[[str], str] = str
) -> tuple[bytes, str, str]:
    """The programme table as a CSV or XLSX file: (content, media type, file name); `labels`
    names the columns (a page's language; the API keeps the column keys)."""
    columns = programme_columns(user)
    header = [labels(c) for c in columns]
    cells = [[row[c] for c in columns] for row in programme_rows(user, result)]
    name = f"programma-{result.event.code}"
    if fmt == "csv":
        return spreadsheets.csv_bytes(header, cells), "text/csv; charset=utf-8", f"{name}.csv"
    return spreadsheets.xlsx_bytes(name, header, cells), spreadsheets.XLSX, f"{name}.xlsx"


def pupil_lines(result: Outcome, student: str) -> list[Line]:
    lines = [line for line in result.lines if line.student == student]
    if not lines and all(s.student != student for s in result.shortfalls):
        raise NotFound(
            f"no pupil {student} at this event in your scope",
            code="event.no_pupil",
            params={"pupil": student},
        )
    return lines


def company_lists(result: Outcome) -> list[dict[str, Any]]:
    """Per session and round: who comes (first name, school, profile)."""
    groups: dict[tuple[str, int], list[Line]] = defaultdict(list)
    for line in result.lines:
        groups[(line.session, line.round)].append(line)
    return [
        {
            "session": session_code,
            "title": group[0].title,
            "company_name": group[0].company_name,
            "round": number,
            "start": group[0].start,
            "end": group[0].end,
            "pupils": [
                {"first_name": p.first_name, "school_name": p.school_name, "profile": p.profile}
                for p in sorted(group, key=lambda p: (p.school_name, p.first_name))
            ],
        }
        for (session_code, number), group in sorted(groups.items())
    ]


def pupil_programmes(result: Outcome) -> list[dict[str, Any]]:
    """Per pupil (a school's overview): its rounds and what it misses."""
    per_pupil: dict[str, list[Line]] = defaultdict(list)
    for line in result.lines:
        per_pupil[line.student].append(line)
    missing = {s.student: s for s in result.shortfalls}
    names = {line.student: line.first_name for line in result.lines} | {
        s.student: s.first_name for s in result.shortfalls
    }
    return [
        {
            "student": student,
            "first_name": names[student],
            "lines": sorted(per_pupil.get(student, []), key=lambda line: line.round),
            "shortfall": missing.get(student),
        }
        for student in sorted(names)
    ]


def reason_counts(result: Outcome) -> dict[str, int]:
    return dict(Counter(s.reason for s in result.shortfalls))


# --- requests as the school enters them --------------------------------------------------------


def requests_of(session: Session, user: User, event: Event) -> list[EventRequest]:
    """The event's requests the user may see: a school's own pupils', the bureau's all."""
    if user.role == Role.company:
        raise Forbidden(
            "a company does not see the pupils' choices", code="event.company_no_choices"
        )
    query = select(EventRequest).where(EventRequest.event_id == saved_id(event))
    if user.role == Role.school:
        query = query.where(EventRequest.school_id == user.school_id)
    return list(session.exec(query.order_by(col(EventRequest.id))).all())
