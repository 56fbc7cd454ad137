"""Timetable events to free dayparts: what a class's or teacher's lessons leave free.

Every source of lessons (an `.ics` feed, Zermelo, Somtoday) ends here as a list of `Busy`
stretches of time; this module turns them into a SPEC `free` list (section 4): weekly patterns
(`tue-pm`) for the school year, and dated dayparts (`2027-03-11/am`) for the exceptions.

A daypart (am 08:30-12:00, pm 12:30-16:00, Amsterdam time) is busy when any lesson overlaps it
and free otherwise. A feed mostly covers a few weeks, not the year, so the rule of each weekday
and daypart is read from the school days the source covers (its *window*): free when it is free
on more than half of them. That rule is carried over the whole school year. Deviations inside
the window are kept as dated exceptions:

- free where the rule says busy (lessons dropped for a test week): listed as a dated daypart;
- busy where the rule says free (an excursion already planned, a test): a `free` list cannot
  say "every Tuesday afternoon but this one", so the weekly pattern is written out as the dated
  dayparts of every school Tuesday of the year except the busy ones.

So the `free` list never claims a daypart the source showed taken. A weekday the window holds
no school day of (a feed of one week with Easter Monday in it) is taken as busy: nothing says
it is free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar import DAYPART_TIMES, TIMEZONE, is_school_day
from scheduler.contract.round import DAYPARTS, WEEKDAYS
from scheduler.domain import Calendar

SCHOOL_TIME = ZoneInfo(TIMEZONE)


@dataclass(frozen=True, slots=True)
class Busy:
    """A stretch of time a class or teacher is taken: a lesson, a test, a planned excursion.

    Times with a zone are converted to Amsterdam time; times without one are taken as school
    (Amsterdam) time already, as iCalendar's "floating" times are meant."""

    start: datetime
    end: datetime
    what: str = ""  # the lesson's summary, for the report


@dataclass(frozen=True, slots=True)
class DatedException:
    """A daypart inside the source's window that breaks its weekday's rule."""

    day: date
    part: str
    free: bool  # True: free although the rule says busy; False: taken although usually free
    what: str = ""  # what took it (the summaries of the lessons), when taken

    @property
    def daypart(self) -> str:
        return f"{self.day.isoformat()}/{self.part}"


@dataclass(frozen=True)
class DerivedTimetable:
    """The outcome of one class's or teacher's lessons, ready to store and to report."""

    free: tuple[str, ...]  # the SPEC `free` list
    weekly: tuple[str, ...]  # the weekly slots free as a rule (`tue-pm`)
    exceptions: tuple[DatedException, ...]
    window: tuple[date, date] | None  # the school days the source covered; None: no lessons


def local(moment: datetime) -> datetime:
    """A moment as naive Amsterdam wall-clock time (naive input is taken as that already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(SCHOOL_TIME).replace(tzinfo=None)


def busy_dayparts(events: Iterable[Busy]) -> dict[tuple[date, str], str]:
    """Every (date, daypart) some event overlaps, with the events' summaries ("; ")."""
    taken: dict[tuple[date, str], list[str]] = {}
    for event in events:
        start, end = local(event.start), local(event.end)
        day = start.date()
        while day <= end.date():
            for part in DAYPARTS:
                first, last = DAYPART_TIMES[part]
                if start < datetime.combine(day, last) and end > datetime.combine(day, first):
                    names = taken.setdefault((day, part), [])
                    if event.what and event.what not in names:
                        names.append(event.what)
            day += timedelta(days=1)
    return {key: "; ".join(names) for key, names in taken.items()}


def covered_window(events: Iterable[Busy], calendar: Calendar) -> tuple[date, date] | None:
    """The whole school weeks (Monday to Friday) from the first lesson to the last, within the
    school year: the days the source speaks about."""
    days = [local(e.start).date() for e in events]
    if not days:
        return None
    first = max(min(days) - timedelta(days=min(days).weekday()), calendar.start)
    last_monday = max(days) - timedelta(days=max(days).weekday())
    last = min(last_monday + timedelta(days=4), calendar.end)
    return (first, last) if first <= last else None


def school_days(calendar: Calendar, first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if is_school_day(calendar, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def derive_free(
    events: Iterable[Busy], calendar: Calendar, window: tuple[date, date] | None = None
) -> DerivedTimetable:
    """The free dayparts `events` leave in the school year `calendar` (module docstring).

    `window` is the stretch of days the source speaks about; by default the whole weeks from
    its first lesson to its last."""
    events = list(events)
    window = window or covered_window(events, calendar)
    if window is None:
        return DerivedTimetable(free=(), weekly=(), exceptions=(), window=None)
    taken = busy_dayparts(events)
    covered = school_days(calendar, *window)
    weekly = _weekly_rule(covered, taken)
    exceptions = tuple(
        DatedException(day, part, free=(day, part) not in taken, what=taken.get((day, part), ""))
        for day in covered
        for part in DAYPARTS
        if ((day, part) not in taken) != (_slot(day, part) in weekly)
    )
    broken = {_slot(e.day, e.part) for e in exceptions if not e.free}
    written_out = {
        f"{day.isoformat()}/{part}"
        for day in school_days(calendar, calendar.start, calendar.end)
        for part in DAYPARTS
        if _slot(day, part) in broken and (day, part) not in taken
    }
    free = [s for s in weekly if s not in broken]
    free += sorted(written_out | {e.daypart for e in exceptions if e.free})
    return DerivedTimetable(
        free=tuple(free), weekly=tuple(weekly), exceptions=exceptions, window=window
    )


def _slot(day: date, part: str) -> str:
    return f"{WEEKDAYS[day.weekday()]}-{part}"


def _weekly_rule(covered: list[date], taken: Mapping[tuple[date, str], str]) -> list[str]:
    """The weekly slots free on more than half of the covered school days of their weekday,
    in weekday order."""
    rule = []
    for weekday, name in enumerate(WEEKDAYS):
        days = [d for d in covered if d.weekday() == weekday]
        for part in DAYPARTS:
            free = sum((d, part) not in taken for d in days)
            if days and 2 * free > len(days):
                rule.append(f"{name}-{part}")
    return rule
