"""Are a region's timetables really parallel? What each school's pupils can reach, what would open.

Regio-leren works only when a pupil is free at the hour an elective runs at another school and
can get there within `defaults.max_switch_min` by bike. Given each school's weekly slot grid (the
slots its pupils are free for electives), `timetable_report` says per school which elective slots
and electives its pupils reach in time, and per elective which schools are close enough but keep
its slot closed: the schools that would have to move a slot to open the elective to their
pupils, with the number of requesting pupils each would gain. A school absent from the grid is
unrestricted, exactly as the solver treats the round's `timetables`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scheduler.domain import Round
from scheduler.electives.network import switch_minutes


@dataclass(frozen=True, slots=True)
class SchoolReach:
    school: str
    slots: tuple[str, ...]  # elective slots its pupils reach in time, sorted
    electives: tuple[str, ...]  # electives its pupils reach in time, in round order
    closed: tuple[str, ...]  # electives close enough, but in a slot its grid lacks


@dataclass(frozen=True, slots=True)
class SlotMove:
    elective: str
    slot: str
    schools: tuple[tuple[str, int], ...]  # (school, requesting pupils who would gain), most first
    pupils: int  # requesting pupils who would gain, over all those schools


@dataclass(frozen=True, slots=True)
class TimetableReport:
    reach: tuple[SchoolReach, ...]  # per school of the round, in round order
    moves: tuple[SlotMove, ...]  # per elective some close school keeps closed, most gain first

    @property
    def parallel(self) -> bool:
        """True when no school within reach of an elective keeps its slot closed."""
        return not self.moves


def timetable_report(
    round_: Round, grid: Mapping[str, Iterable[str]] | None = None
) -> TimetableReport:
    """Reach and needed slot moves for the round's electives under `grid` (default: its own).

    A pupil "would gain" an elective when it requests it and the elective admits its profile;
    moving a slot cannot help a school beyond `max_switch_min`, so such schools are not listed.
    """
    if grid is None:
        grid = round_.timetables
    unknown = sorted(set(grid) - set(round_.schools))
    if unknown:
        raise ValueError(f"grid names unknown school(s): {', '.join(unknown)}")
    free = {school: frozenset(slots) for school, slots in grid.items()}
    requesting: Counter[tuple[str, str]] = Counter()
    for request in round_.elective_requests:
        student = round_.students[request.student]
        for choice in request.choices:
            profiles = round_.electives[choice].profiles
            if not profiles or student.profile in profiles:
                requesting[(student.school, choice)] += 1

    minutes: dict[tuple[str, str], int] = {}
    reach = []
    closed_for: dict[str, list[str]] = {}
    for school in round_.schools:
        reachable, closed = [], []
        for elective in round_.electives.values():
            key = (school, elective.school)
            if key not in minutes:
                minutes[key] = switch_minutes(round_, school, elective.school)
            if minutes[key] > round_.defaults.max_switch_min:
                continue
            if school not in free or elective.slot in free[school]:
                reachable.append(elective)
            else:
                closed.append(elective.id)
                closed_for.setdefault(elective.id, []).append(school)
        reach.append(
            SchoolReach(
                school=school,
                slots=tuple(sorted({e.slot for e in reachable})),
                electives=tuple(e.id for e in reachable),
                closed=tuple(closed),
            )
        )
    moves = []
    for elective_id, schools in closed_for.items():
        gains = sorted(
            ((school, requesting[(school, elective_id)]) for school in schools),
            key=lambda gain: (-gain[1], gain[0]),
        )
        moves.append(
            SlotMove(
                elective=elective_id,
                slot=round_.electives[elective_id].slot,
                schools=tuple(gains),
                pupils=sum(pupils for _, pupils in gains),
            )
        )
    moves.sort(key=lambda move: (-move.pupils, move.elective))
    return TimetableReport(tuple(reach), tuple(moves))
