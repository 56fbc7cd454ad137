"""An event day's programme as an iCalendar file: one entry per session and round the reader
takes part in (a pupil's rounds, a company's sessions, a school's pupils), at the event's place
and, when the event gives its times, at the round's hours (else as an all-day entry).

Written by the `icalendar` library, as the year calendars (`api.calendars`) are.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, vGeo
from icalendar import Event as CalendarEntry

from api.calendars import PRODUCT_ID
from api.models import Event
from api.services.event_days import Line
from scheduler.calendar import TIMEZONE


def event_calendar(
    event: Event, lines: list[Line], title: str, *, stamp: datetime | None = None
) -> bytes:
    """The calendar named `title` of `lines` (one entry per session and round among them).

    `stamp` is every entry's DTSTAMP (default now), a parameter so equal inputs give equal files.
    """
    stamp = stamp or datetime.now(UTC)
    zone = ZoneInfo(TIMEZONE)
    day = date.fromisoformat(event.date)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{title} ({event.name})")
    calendar.add("x-wr-timezone", TIMEZONE)
    groups: dict[tuple[int, str], list[Line]] = defaultdict(list)
    for line in lines:
        groups[(line.round, line.session)].append(line)
    for (number, session_code), group in sorted(groups.items()):
        first = group[0]
        entry = CalendarEntry()
        entry.add("uid", f"{event.code}-{session_code}-{number}-{title}@stagebureau")
        entry.add("dtstamp", stamp.astimezone(UTC))
        if first.start:
            entry.add("dtstart", datetime.combine(day, _clock(first.start), tzinfo=zone))
            entry.add("dtend", datetime.combine(day, _clock(first.end), tzinfo=zone))
        else:
            entry.add("dtstart", day)
        entry.add("summary", f"{event.name}, ronde {number}: {first.title} ({first.company_name})")
        entry.add("location", event.name)
        if event.lat is not None and event.lon is not None:
            entry.add("geo", vGeo((event.lat, event.lon)))
        pupils = ", ".join(f"{p.first_name} ({p.school_name})" for p in group)
        entry.add("description", f"Sessie {session_code} bij {first.company_name}\n{pupils}")
        calendar.add_component(entry)
    if groups and event.start_time:
        calendar.add_missing_timezones(first_date=day, last_date=day)
    return calendar.to_ical()


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
