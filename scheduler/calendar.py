"""School days and dayparts of an activity round (SPEC section 4).

A daypart is `am` (08:30-12:00) or `pm` (12:30-16:00) of a school day: Monday to Friday from the
calendar's `start` to its `end`, outside every `holidays` range (inclusive). `free` and
`available` list weekly patterns (`tue-pm`: every school Tuesday afternoon) or dated dayparts
(`2027-03-11/am`: only if that date is a school day).

Two views of the same rule, kept apart on purpose: `covers` and `is_school_day` answer for one
daypart with nothing but date arithmetic (what `verify` uses), while `DaypartGrid` numbers every
daypart of the round once and turns a pattern list into a boolean mask over them (what the solver
uses to find candidates for thousands of requesters and offers at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

import numpy as np
from numpy.typing import NDArray

from scheduler.contract.round import DAYPARTS, WEEKDAYS
from scheduler.domain import Calendar

# SPEC section 4: am is 08:30-12:00, pm 12:30-16:00.
DAYPART_TIMES = {"am": (time(8, 30), time(12, 0)), "pm": (time(12, 30), time(16, 0))}
TIMEZONE = "Europe/Amsterdam"  # the local time of every daypart


@dataclass(frozen=True, slots=True)
class Pattern:
    """One entry of a `free` or `available` list: weekly (`weekday`) or dated (`day`)."""

    part: str
    weekday: int | None = None  # 0 = Monday
    day: date | None = None

    @classmethod
    def parse(cls, text: str) -> Pattern:
        """`tue-pm` or `2027-03-11/am`; the schema has checked the shape already."""
        if "/" in text:
            day, part = text.split("/")
            return cls(part, day=date.fromisoformat(day))
        weekday, part = text.split("-")
        return cls(part, weekday=WEEKDAYS.index(weekday))

    def matches(self, day: date, part: str) -> bool:
        if part != self.part:
            return False
        return self.day == day if self.day is not None else day.weekday() == self.weekday


def is_school_day(calendar: Calendar, day: date) -> bool:
    """A weekday within start..end and outside every holiday range."""
    return (
        calendar.start <= day <= calendar.end
        and day.weekday() < 5
        and not any(first <= day <= last for first, last in calendar.holidays)
    )


def covers(patterns: Iterable[str], day: date, part: str) -> bool:
    """Whether a `free`/`available` list includes the daypart (school day or not)."""
    return any(Pattern.parse(p).matches(day, part) for p in patterns)


def month_key(day: date) -> str:
    """The calendar month a daypart counts towards for `max_per_month` and `hours_per_month`."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class DaypartGrid:
    """Every daypart of a round's school days, numbered in time order (slot 2i am, 2i+1 pm)."""

    days: tuple[date, ...]  # the school days, ascending
    months: tuple[str, ...]  # distinct month keys, ascending
    day_month: NDArray[np.int64]  # month index of each school day
    day_ordinal: NDArray[np.int64]  # date.toordinal() of each school day
    day_weekday: NDArray[np.int64]  # 0 = Monday
    day_index: dict[date, int]  # school day -> its position in `days`

    @classmethod
    def of(cls, calendar: Calendar) -> DaypartGrid:
        days = []
        day = calendar.start
        while day <= calendar.end:
            if is_school_day(calendar, day):
                days.append(day)
            day += timedelta(days=1)
        months = tuple(sorted({month_key(d) for d in days}))
        month_index = {m: i for i, m in enumerate(months)}
        return cls(
            days=tuple(days),
            months=months,
            day_month=np.array([month_index[month_key(d)] for d in days], dtype=np.int64),
            day_ordinal=np.array([d.toordinal() for d in days], dtype=np.int64),
            day_weekday=np.array([d.weekday() for d in days], dtype=np.int64),
            day_index={d: i for i, d in enumerate(days)},
        )

    @property
    def slots(self) -> int:
        return 2 * len(self.days)

    def slot(self, day: date, part: str) -> int | None:
        """The slot of a daypart, None when the date is no school day."""
        index = self.day_index.get(day)
        return None if index is None else 2 * index + DAYPARTS.index(part)

    def daypart(self, slot: int) -> tuple[date, str]:
        return self.days[slot // 2], DAYPARTS[slot % 2]

    def mask(self, patterns: Iterable[str]) -> NDArray[np.bool_]:
        """The slots a pattern list covers: weekly ones on every school day of that weekday."""
        grid = np.zeros((len(self.days), 2), dtype=bool)
        for text in patterns:
            pattern = Pattern.parse(text)
            part = DAYPARTS.index(pattern.part)
            if pattern.day is None:
                grid[self.day_weekday == pattern.weekday, part] = True
            else:
                index = self.day_index.get(pattern.day)
                if index is not None:
                    grid[index, part] = True
        return grid.reshape(-1)


def period_days(
    start: date,
    end: date,
    weekdays: Iterable[str] = (),
    holidays: Iterable[tuple[date, date]] = (),
) -> tuple[date, ...]:
    """The placement days of a dated period (SPEC section 8): the weekdays (Monday to Friday,
    or only those listed) from `start` to `end` inclusive, outside every holiday range."""
    allowed = {WEEKDAYS.index(w) for w in weekdays} or set(range(5))
    ranges = tuple(holidays)
    days = []
    day = start
    while day <= end:
        if day.weekday() in allowed and not any(first <= day <= last for first, last in ranges):
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)
