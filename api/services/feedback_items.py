"""What feedback is given about: every item a published version holds, read off the stored
version the calendars and answers read (a pupil's placement, a class's or teacher's activity,
a company's session at an event day), with the day it took place.

An item is named as the answers code names it: a placement by its pupil's code, an activity by
`requester/offer/date/daypart`, an event session by `event/session`. A placement's day is the
last day of its dated period, an activity's its date, an event session's the event's date; an
item without a date (a placement in an undated period) has taken place once it is published. A
pupil or activity its company declined did not happen and is no item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from api.models import (
    Company,
    Event,
    FeedbackKind,
    Role,
    Round,
    School,
    SolutionVersion,
    User,
)
from api.services.answers import Answers

SEPARATOR = "/"  # never part of a code (`api.models.Code`), so a key splits back unambiguously


@dataclass(frozen=True)
class Item:
    """One published item and who took part: its company, the schools (several at an event
    session), and the pupils who may fill in the three questions (none for a teacher)."""

    round_id: int
    kind: FeedbackKind
    key: str
    company: str
    company_name: str
    schools: tuple[str, ...]
    day: date | None
    requester: str | None = None
    student: str | None = None
    event: str | None = None
    session: str | None = None
    attendees: tuple[str, ...] = ()  # pupils of an event session

    def due(self, today: date) -> bool:
        """It has taken place: its day is past, or it has no day and is published."""
        return self.day is None or self.day < today

    def label(self) -> str:
        """The item as people name it, e.g. `excursion K1 at EX1, 2027-03-09 pm`."""
        if self.kind == FeedbackKind.placement:
            return f"placement of {self.student} at {self.company}"
        if self.kind == FeedbackKind.event_session:
            return f"session {self.session} at {self.event}"
        _, offer, day, daypart = self.key.split(SEPARATOR)
        return f"{self.kind} {self.requester} at {offer}, {day} {daypart}"


def activity_item_key(activity: dict[str, Any]) -> str:
    return SEPARATOR.join(
        (activity["requester"], activity["offer"], activity["date"], activity["daypart"])
    )


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def published_rounds(session: Session, region_id: int) -> list[tuple[Round, SolutionVersion]]:
    """Every round of the region with its published version, oldest first."""
    return list(
        session.exec(
            select(Round, SolutionVersion)
            .join(SolutionVersion, col(SolutionVersion.id) == col(Round.published_version_id))
            .where(Round.region_id == region_id)
            .order_by(col(Round.id))
        ).all()
    )


def event_rounds(
    session: Session, region_id: int, published: list[tuple[Round, SolutionVersion]]
) -> dict[str, int]:
    """Per event code the round whose publication holds its carrousel: the round the event is
    tied to, else the newest published one that solved it (as `event_days.event_version`)."""
    owner: dict[str, int] = {}
    for round_, version in published:
        for event in version.round_document.get("events", []):
            owner[event["id"]] = round_.id or 0
    tied = session.exec(
        select(Event.code, Event.round_id).where(
            Event.region_id == region_id, col(Event.round_id).is_not(None)
        )
    ).all()
    for code, round_id in tied:
        owner[code] = round_id or 0
    return owner


def version_items(
    session: Session, round_: Round, version: SolutionVersion, events: dict[str, int]
) -> list[Item]:
    """The items of one published version, its declined pupils and activities left out."""
    document, solution = version.round_document, version.solution
    round_id = round_.id or 0
    names = {c["id"]: c.get("name") or c["id"] for c in document.get("companies", [])}
    school_of = {s["id"]: s.get("school", "") for s in document.get("students", [])}
    for requester in (*document.get("classes", []), *document.get("teachers", [])):
        school_of[requester["id"]] = requester.get("school", "")
    period_end = {p["id"]: _day(p.get("end")) for p in document.get("periods", [])}
    event_day = {e["id"]: _day(e.get("date")) for e in document.get("events", [])}
    answers = Answers(session, round_, version)
    declined_pupils = {d["student"] for d in answers.declined_pupils}
    declined_activities = {activity_item_key(d) for d in answers.declined_activities}
    items: list[Item] = []
    for a in solution.get("assignments", []):
        if a["student"] in declined_pupils:
            continue
        items.append(
            Item(
                round_id, FeedbackKind.placement, a["student"], a["company"],
                names.get(a["company"], a["company"]), (school_of.get(a["student"], ""),),
                period_end.get(a["period"]), student=a["student"],
            )
        )  # fmt: skip
    for a in solution.get("activities", []):
        key = activity_item_key(a)
        if key in declined_activities:
            continue
        items.append(
            Item(
                round_id, FeedbackKind(a["kind"]), key, a["company"],
                names.get(a["company"], a["company"]), (school_of.get(a["requester"], ""),),
                _day(a["date"]), requester=a["requester"],
            )
        )  # fmt: skip
    sessions: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for entry in solution.get("event_sessions", []):
        if events.get(entry["event"]) == round_id:
            sessions[(entry["event"], entry["session"])].append(entry)
    for (event, code), entries in sorted(sessions.items()):
        company = entries[0]["company"]
        pupils = tuple(sorted({e["student"] for e in entries}))
        items.append(
            Item(
                round_id, FeedbackKind.event_session, f"{event}{SEPARATOR}{code}", company,
                names.get(company, company), tuple(sorted({school_of.get(p, "") for p in pupils})),
                event_day.get(event), event=event, session=code, attendees=pupils,
            )
        )  # fmt: skip
    return items


def region_items(session: Session, region_id: int) -> list[Item]:
    """Every item of the region's published versions."""
    published = published_rounds(session, region_id)
    events = event_rounds(session, region_id, published)
    return [
        item
        for round_, version in published
        for item in version_items(session, round_, version, events)
    ]


def party_code(session: Session, user: User) -> str | None:
    """The code of the user's own company or school (None for the bureau)."""
    if user.role == Role.company:
        company = session.get(Company, user.company_id)
        return company.code if company is not None else ""
    if user.role == Role.school:
        school = session.get(School, user.school_id)
        return school.code if school is not None else ""
    return None


def items_in_scope(session: Session, user: User) -> list[Item]:
    """The items a user may see: the bureau every one, a company those at it, a school those
    its classes, teachers or pupils took part in."""
    items = region_items(session, user.region_id)
    code = party_code(session, user)
    if user.role == Role.company:
        return [i for i in items if i.company == code]
    if user.role == Role.school:
        return [i for i in items if code in i.schools]
    return items
