"""Year calendars (jaarkalender): one party's planned activities as an RFC 5545 iCalendar file.

A pure function from a round, a solution document and a party (company, school, class or
teacher) to bytes, shared by `stagebureau calendar` and the HTTP export. Each activity is one
event at its daypart's local times (Europe/Amsterdam, with its VTIMEZONE in the file), at the
place it happens (the company for an excursion or a teacher internship, the school for a guest
lesson) and naming the other party. A teacher's calendar also holds the excursions it escorts
(SPEC section 8), whose description names every escort. A placement in a period with dates
(SPEC section 8) is one event per placement day, from 08:30 for the period's `hours_per_day`, in
the calendars of its company, its pupil's school and the pupil; a placement in an undated period
has no days to show. The `icalendar` library writes the text, so escaping, line folding and time
zones follow the RFC without hand-written code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vGeo

from scheduler.calendar import DAYPART_TIMES, TIMEZONE
from scheduler.domain import Point, Round

PARTIES = ("company", "school", "class", "teacher", "pupil")
PLACEMENT_START = time(8, 30)  # a placement day starts with the school day
KIND_LABELS = {
    "excursion": "Excursion (bedrijfsbezoek)",
    "guest_lesson": "Guest lesson (gastles)",
    "teacher_internship": "Teacher internship (docentenstage)",
}
# The file's words (key -> format string), English for the command line and the API's feeds;
# a page passes its language's from the catalogs, which hold the same `ics.*` keys.
ENGLISH: dict[str, str] = {
    "ics.calname": "Year calendar {name} ({round})",
    "ics.placement_summary": "Placement (stage): pupil {student} ({school}) at {company}",
    "ics.placement_period": "Placement {placement}, period {period} ({start} to {end}), "
    "{hours} h a day",
    "ics.company": "Company: {company} ({code})",
    "ics.sectors": ", sectors {sectors}",
    "ics.school_pupil": "School: {school} ({code}), pupil {student}",
    "ics.travel": "Travel: {minutes} min",
    "ics.class": "class {code}",
    "ics.teacher": "teacher {code}",
    "ics.activity_summary": "{kind}: {who} ({school}) with {company}",
    "ics.offer": "{kind}, offer {offer}, {hours} h",
    "ics.school_who": "School: {school} ({code}), {who}",
    "ics.travel_between": "Travel: {minutes} min between school and company",
    "ics.escorts": "Escorts: {escorts}",
    **{f"ics.kind.{kind}": label for kind, label in KIND_LABELS.items()},
}
PRODUCT_ID = "-//stagebureau//year calendar//EN"


class UnknownParty(ValueError):
    """The party is not in the round, or its kind is not one of PARTIES."""


def year_calendar(
    round_: Round,
    solution: Mapping[str, Any],
    party: tuple[str, str],
    *,
    stamp: datetime | None = None,
    words: Mapping[str, str] = ENGLISH,
    addresses: Mapping[tuple[str, str], str] | None = None,
) -> bytes:
    """The iCalendar file of `party` (kind, id): one event per activity that concerns it.

    `stamp` is every event's DTSTAMP (the moment the calendar was made; default now), a
    parameter so that equal inputs can give equal files. `words` are the file's words (`ENGLISH`'s
    keys), so a page can give the reader's language. `addresses` ((kind, id) -> street address
    of a school or company, as the platform stores them) go in LOCATION where known, so a
    calendar app can route there; elsewhere the name and coordinates.
    """
    say = _sayer(words)
    where = _where(addresses or {})
    kind, ident = party
    name = _party_name(round_, kind, ident)
    stamp = stamp or datetime.now(UTC)
    zone = ZoneInfo(TIMEZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", say("ics.calname", name=name, round=round_.name))
    calendar.add("x-wr-timezone", TIMEZONE)
    days = []
    for activity in _activities_of(round_, solution, kind, ident):
        day = date.fromisoformat(activity["date"])
        days.append(day)
        calendar.add_component(_event(round_, activity, day, zone, stamp, say, where))
    for assignment in _placements_of(round_, solution, kind, ident):
        period = round_.periods[assignment["period"]]
        days += period.days
        for day in period.days:
            calendar.add_component(
                _placement_event(round_, assignment, day, zone, stamp, say, where)
            )
    if days:
        span = days + ([round_.calendar.start, round_.calendar.end] if round_.calendar else [])
        calendar.add_missing_timezones(first_date=min(span), last_date=max(span))
    return calendar.to_ical()


Say = Callable[..., str]
# (kind, id, name, point) -> the LOCATION of an event there.
Where = Callable[[str, str, str, Point], str]


def _where(addresses: Mapping[tuple[str, str], str]) -> Where:
    def where(kind: str, ident: str, name: str, point: Point) -> str:
        address = addresses.get((kind, ident))
        return f"{name}, {address}" if address else f"{name} ({_coordinates(point)})"

    return where


def _sayer(words: Mapping[str, str]) -> Say:
    def say(key: str, **params: Any) -> str:
        return words.get(key, ENGLISH[key]).format(**params)

    return say


def _party_name(round_: Round, kind: str, ident: str) -> str:
    records: Mapping[str, Any] = {
        "company": round_.companies,
        "school": round_.schools,
        "class": round_.classes,
        "teacher": round_.teachers,
        "pupil": round_.students,
    }.get(kind, {})
    if kind not in PARTIES:
        raise UnknownParty(f"unknown party kind {kind!r}: one of {', '.join(PARTIES)}")
    if ident not in records:
        raise UnknownParty(f"no {kind} with id {ident!r} in round {round_.name!r}")
    record = records[ident]
    return getattr(record, "name", "") or ident


def _activities_of(
    round_: Round, solution: Mapping[str, Any], kind: str, ident: str
) -> list[Mapping[str, Any]]:
    """The party's activities in date and daypart order."""
    school_of = {k.id: k.school for k in round_.classes.values()} | {
        t.id: t.school for t in round_.teachers.values()
    }
    mine = []
    for a in solution.get("activities") or []:
        if a.get("requester") not in school_of or a.get("offer") not in round_.offers:
            raise ValueError(f"activity {a} names an unknown requester or offer")
        if (
            (kind == "company" and a.get("company") == ident)
            or (kind == "school" and school_of[a["requester"]] == ident)
            or (kind in ("class", "teacher") and a["requester"] == ident)
            or (kind == "teacher" and ident in (a.get("escorts") or []))
        ):
            mine.append(a)
    return sorted(mine, key=lambda a: (a["date"], a["daypart"], a["requester"]))


def _placements_of(
    round_: Round, solution: Mapping[str, Any], kind: str, ident: str
) -> list[Mapping[str, Any]]:
    """The party's assignments in a dated period, by pupil (a class or teacher has none)."""
    mine = []
    for a in solution.get("assignments") or []:
        student = round_.students.get(a.get("student", ""))
        if student is None or a.get("period") not in round_.periods:
            continue
        if (
            (kind == "company" and a.get("company") == ident)
            or (kind == "school" and student.school == ident)
            or (kind == "pupil" and student.id == ident)
        ):
            mine.append(a)
    return sorted(mine, key=lambda a: (a["period"], a["student"]))


def _placement_event(
    round_: Round,
    assignment: Mapping[str, Any],
    day: date,
    zone: ZoneInfo,
    stamp: datetime,
    say: Say,
    where: Where,
) -> Event:
    """One placement day of one pupil, at the company."""
    period = round_.periods[assignment["period"]]
    company = round_.companies[assignment["company"]]
    student = round_.students[assignment["student"]]
    school = round_.schools[student.school]
    start = datetime.combine(day, PLACEMENT_START, tzinfo=zone)
    event = Event()
    event.add("uid", f"{student.id}-{assignment['placement']}-{day.isoformat()}@stagebureau")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=period.hours_per_day))
    event.add(
        "summary",
        say(
            "ics.placement_summary",
            student=student.id,
            school=school.name or school.id,
            company=company.name or company.id,
        ),
    )
    event.add(
        "location", where("company", company.id, company.name or company.id, company.location)
    )
    event.add("geo", vGeo((company.location.lat, company.location.lon)))
    event.add(
        "description",
        "\n".join(
            [
                say(
                    "ics.placement_period",
                    placement=assignment["placement"],
                    period=period.id,
                    start=period.start.isoformat(),
                    end=period.end.isoformat(),
                    hours=period.hours_per_day,
                ),
                say("ics.company", company=company.name or company.id, code=company.id),
                say(
                    "ics.school_pupil",
                    school=school.name or school.id,
                    code=school.id,
                    student=student.id,
                ),
                say("ics.travel", minutes=assignment.get("travel_min")),
            ]
        ),
    )
    event.add("categories", ["placement"])
    return event


def _event(
    round_: Round,
    activity: Mapping[str, Any],
    day: date,
    zone: ZoneInfo,
    stamp: datetime,
    say: Say,
    where: Where,
) -> Event:
    offer = round_.offers[activity["offer"]]
    company = round_.companies[offer.company]
    requester = round_.classes.get(activity["requester"]) or round_.teachers[activity["requester"]]
    school = round_.schools[requester.school]
    who = say("ics.class" if activity["requester"] in round_.classes else "ics.teacher",
              code=requester.id)  # fmt: skip
    kind = say(f"ics.kind.{offer.kind}")
    at_school = offer.kind == "guest_lesson"  # the company's guest comes to the class
    place_kind, place_id, place, point = (
        ("school", school.id, school.name or school.id, school.location)
        if at_school
        else ("company", company.id, company.name or company.id, company.location)
    )
    start, end = DAYPART_TIMES[activity["daypart"]]
    event = Event()
    event.add(
        "uid", f"{requester.id}-{offer.id}-{day.isoformat()}-{activity['daypart']}@stagebureau"
    )
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", datetime.combine(day, start, tzinfo=zone))
    event.add("dtend", datetime.combine(day, end, tzinfo=zone))
    event.add(
        "summary",
        say(
            "ics.activity_summary",
            kind=kind,
            who=who,
            school=school.name or school.id,
            company=company.name or company.id,
        ),
    )
    event.add("location", where(place_kind, place_id, place, point))
    event.add("geo", vGeo((point.lat, point.lon)))
    event.add(
        "description",
        "\n".join(
            [
                say("ics.offer", kind=kind, offer=offer.id, hours=offer.hours),
                say("ics.company", company=company.name or company.id, code=company.id)
                + (
                    say("ics.sectors", sectors=", ".join(company.sectors))
                    if company.sectors
                    else ""
                ),
                say("ics.school_who", school=school.name or school.id, code=school.id, who=who),
                say("ics.travel_between", minutes=activity.get("travel_min")),
                *(
                    [say("ics.escorts", escorts=", ".join(activity["escorts"]))]
                    if activity.get("escorts")
                    else []
                ),
            ]
        ),
    )
    event.add("categories", [offer.kind])
    return event


def _coordinates(point: Point) -> str:
    return f"{point.lat:.5f}, {point.lon:.5f}"
