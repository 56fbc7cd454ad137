"""The working-time rules for minors on placement (issue 16), checked before anyone signs an
agreement.

Under 16 (the rules for 14 and 15): at most 7 hours a day and 35 a week, school time counting as
working time, never between 19:00 and 07:00, not on Sunday. At 16 and 17: at most 9 hours a
shift and 45 a week, never between 23:00 and 06:00. From 18 no youth rule applies. The age is
the pupil's age on each working day, so a birthday counts from that day on. A week (ISO,
Monday to Sunday) is held to the strictest limit of the ages on its working days: its hours
include the days at the younger age.

Pure: no platform, no clock. A violation is a code and its numbers, never a sentence: the pages
put it in Dutch or English.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class Rule(StrEnum):
    day_hours = "day_hours"  # under 16: work and school together longer than a day allows
    shift_hours = "shift_hours"  # 16 and 17: one shift longer than allowed
    week_hours = "week_hours"  # a week's hours (under 16 with school time) over the limit
    night = "night"  # work in the hours a minor may not work
    sunday = "sunday"  # under 16: work on a Sunday


@dataclass(frozen=True, slots=True)
class YouthLimits:
    """The limits of one age group, as the issue states them."""

    day_hours: float | None  # work and school time together on one day
    shift_hours: float | None  # work time of one shift
    week_hours: float
    school_counts: bool  # school time counts as working time
    earliest: time  # no work before
    latest: time  # no work after
    sunday: bool  # work on Sunday allowed


UNDER_16 = YouthLimits(7, None, 35, True, time(7, 0), time(19, 0), False)
AGED_16_17 = YouthLimits(None, 9, 45, False, time(6, 0), time(23, 0), True)


@dataclass(frozen=True, slots=True)
class WorkDay:
    """One working day of the schedule: from `start` to `end` with `break_minutes` unpaid."""

    day: date
    start: time
    end: time
    break_minutes: int = 0

    @property
    def hours(self) -> float:
        """Working time: the shift's length less its break."""
        span = datetime.combine(self.day, self.end) - datetime.combine(self.day, self.start)
        return max(span.total_seconds() / 3600 - self.break_minutes / 60, 0.0)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: on `day` (the week's Monday for a week rule), at `age`, `hours` found
    against `limit` (for `night` the hours are the shift's start and end as decimal hours)."""

    rule: Rule
    day: date
    age: int
    hours: float
    limit: float
    week: str = ""  # ISO week "2027-W03" of a week rule


def age_on(birth: date, day: date) -> int:
    """Whole years on `day`: a birthday counts from that day (29 February from 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def limits_at(age: int) -> YouthLimits | None:
    """The youth rules at `age`: under 16 those for 14 and 15, none from 18."""
    if age < 16:
        return UNDER_16
    if age < 18:
        return AGED_16_17
    return None


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def decimal_hours(moment: time) -> float:
    return moment.hour + moment.minute / 60


def check_working_time(
    birth: date,
    schedule: Iterable[WorkDay],
    school_day_hours: Mapping[date, float] | None = None,
    school_week_hours: Mapping[str, float] | None = None,
) -> list[Violation]:
    """Every violation of the youth rules by `schedule`, day rules first, in date order.

    `school_day_hours` gives the lessons on a working day, `school_week_hours` the lessons of an
    ISO week ("2027-W03") with working days; both count only where school time counts."""
    school_day = school_day_hours or {}
    school_week = school_week_hours or {}
    days = sorted(schedule, key=lambda d: d.day)
    found: list[Violation] = []
    weeks: dict[str, list[WorkDay]] = defaultdict(list)
    for work in days:
        weeks[iso_week(work.day)].append(work)
        found.extend(_day_violations(work, age_on(birth, work.day), school_day.get(work.day, 0)))
    for week, week_days in weeks.items():
        found.extend(_week_violations(birth, week, week_days, school_week.get(week, 0)))
    return found


def _day_violations(work: WorkDay, age: int, school_hours: float) -> list[Violation]:
    limits = limits_at(age)
    if limits is None:
        return []
    found = []
    if limits.day_hours is not None:
        total = work.hours + (school_hours if limits.school_counts else 0)
        if total > limits.day_hours:
            found.append(Violation(Rule.day_hours, work.day, age, total, limits.day_hours))
    if limits.shift_hours is not None and work.hours > limits.shift_hours:
        found.append(Violation(Rule.shift_hours, work.day, age, work.hours, limits.shift_hours))
    if work.start < limits.earliest or work.end > limits.latest:
        found.append(
            Violation(Rule.night, work.day, age, decimal_hours(work.start), decimal_hours(work.end))
        )
    if not limits.sunday and work.day.weekday() == 6:
        found.append(Violation(Rule.sunday, work.day, age, work.hours, 0))
    return found


def _week_violations(
    birth: date, week: str, week_days: list[WorkDay], school_hours: float
) -> list[Violation]:
    ages = [age_on(birth, w.day) for w in week_days]
    youngest = min(ages)
    limits = limits_at(youngest)
    if limits is None:
        return []
    total = sum(w.hours for w in week_days) + (school_hours if limits.school_counts else 0)
    if total <= limits.week_hours:
        return []
    monday = date.fromisocalendar(*week_days[0].day.isocalendar()[:2], 1)
    return [Violation(Rule.week_hours, monday, youngest, total, limits.week_hours, week)]
