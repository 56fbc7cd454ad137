"""Timetable events to free dayparts: a weekly daypart (`tue-pm`) is free for a class or a
teacher when none of its lessons in the imported weeks overlaps it (SPEC section 4: `am`
08:30-12:00, `pm` 12:30-16:00, Europe/Amsterdam time).

A daypart busy in any imported week counts as busy every week, so a visit planned on a weekly
pattern never lands on a lesson; a cancelled lesson keeps nobody busy (its importer drops it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from scheduler.calendar import DAYPART_TIMES, TIMEZONE
from scheduler.contract.round import DAYPARTS, WEEKDAYS

LOCAL = ZoneInfo(TIMEZONE)
WEEKLY_DAYPARTS: tuple[str, ...] = tuple(f"{d}-{p}" for d in WEEKDAYS for p in DAYPARTS)


def busy_dayparts(lessons: Iterable[tuple[datetime, datetime]]) -> set[str]:
    """The weekly dayparts (`mon-am`, ...) that some lesson overlaps, in local time."""
    busy: set[str] = set()
    for start, end in lessons:
        start, end = start.astimezone(LOCAL), end.astimezone(LOCAL)
        if start.date() != end.date() or start.weekday() >= len(WEEKDAYS):
            continue  # a lesson past midnight or at the weekend touches no school daypart
        for part in DAYPARTS:
            part_start, part_end = DAYPART_TIMES[part]
            if _overlaps(start.time(), end.time(), part_start, part_end):
                busy.add(f"{WEEKDAYS[start.weekday()]}-{part}")
    return busy


def free_dayparts(lessons: Iterable[tuple[datetime, datetime]]) -> list[str]:
    """The weekly dayparts no lesson overlaps, in calendar order."""
    busy = busy_dayparts(lessons)
    return [slot for slot in WEEKLY_DAYPARTS if slot not in busy]


def _overlaps(start: time, end: time, part_start: time, part_end: time) -> bool:
    return start < part_end and part_start < end
