"""The lessons of an iCalendar timetable (a Zermelo, Magister or Somtoday calendar link, or an
exported `.ics` file) as `Busy` stretches of school time.

Parsed with `icalendar`; recurring lessons (RRULE, RDATE, EXDATE, and single lessons moved or
changed through RECURRENCE-ID) are expanded by `recurring-ical-events`, which also reads
`X-WR-TIMEZONE`. A lesson that does not take the class's time is skipped: STATUS:CANCELLED (a
cancelled lesson leaves its hour free) and TRANSP:TRANSPARENT (an entry marked "free", such as
an informative all-day note). An all-day entry that is not transparent (an excursion, a test
day) takes the whole day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar
import recurring_ical_events

from api.imports.dayparts import Busy
from api.imports.errors import CodedError


class UnreadableCalendar(CodedError):
    """The bytes are no iCalendar document: the message says why, for the import report."""


def lessons(content: bytes, first: date, last: date) -> list[Busy]:
    """Every lesson of the calendar from `first` to `last` (inclusive) that takes time."""
    try:
        calendar = icalendar.Calendar.from_ical(content)
        events = recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    except Exception as error:  # the parsers raise many kinds, all meaning "not readable"
        raise UnreadableCalendar(
            f"not a readable iCalendar file: {error}",
            code="import.calendar_unreadable",
            params={"error": str(error)},
        ) from None
    if calendar.name != "VCALENDAR":
        raise UnreadableCalendar(
            "not an iCalendar file: no VCALENDAR", code="import.calendar_no_vcalendar"
        )
    return [_busy(event) for event in events if _takes_time(event)]


def _takes_time(event: icalendar.Event) -> bool:
    status = str(event.get("STATUS", "")).upper()
    transparency = str(event.get("TRANSP", "")).upper()
    return status != "CANCELLED" and transparency != "TRANSPARENT"


def _busy(event: icalendar.Event) -> Busy:
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND") if "DTEND" in event else None
    if end is None and "DURATION" in event:
        end = start + event.decoded("DURATION")
    what = str(event.get("SUMMARY", ""))
    if not isinstance(start, datetime):  # an all-day entry: its days, the end exclusive
        last = end if isinstance(end, date) and end > start else start + timedelta(days=1)
        return Busy(datetime.combine(start, time()), datetime.combine(last, time()), what)
    return Busy(start, end if isinstance(end, datetime) else start, what)
