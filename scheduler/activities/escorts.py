"""Escorts for excursions (SPEC section 8): who may escort when, and who escorts what.

With `defaults.escort_ratio`, a class's excursion needs `ceil(size / escort_ratio)` teachers of
its school who are free then and may escort; a teacher does one thing per daypart. Every such
teacher of a school free at a daypart is an equally good escort for every excursion of that
school then, so the rule is a count: per (school, daypart) the escorts the excursions need plus
the own activities of the teachers who may escort fit in the teachers who may escort and are free
(`EscortPool.capacity`). The models hold that count (`rules.escorts`), the ledger checks it, and
after the solve `assign_escorts` names the escorts, which the count guarantees it can.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler.calendar import DaypartGrid
from scheduler.domain import Round
from scheduler.lottery import tickets


def escort_need(size: int, ratio: int) -> int:
    """Escorts an excursion of `size` pupils needs: one per `ratio` pupils, rounded up."""
    return -(-size // ratio)


@dataclass(frozen=True)
class EscortPool:
    """The teachers who may escort, per school and daypart of the grid.

    `capacity[school, slot]` counts the teachers of `schools[school]` with `escort` true who are
    free at `slot`; `teachers` are those teachers, ordered by id, with their school and free
    dayparts alongside.
    """

    schools: tuple[str, ...]
    teachers: tuple[str, ...]
    teacher_school: NDArray[np.int64]
    teacher_free: NDArray[np.bool_]  # [teacher, slot]
    capacity: NDArray[np.int64]  # [school, slot]


def escort_pool(round_: Round, grid: DaypartGrid) -> EscortPool:
    """Who may escort when; an empty pool (no capacity anywhere) without `escort_ratio`."""
    schools = tuple(
        sorted(
            {
                *(k.school for k in round_.classes.values()),
                *(t.school for t in round_.teachers.values()),
            }
        )
    )
    escorts = (
        sorted((t for t in round_.teachers.values() if t.escort), key=lambda t: t.id)
        if round_.defaults.escort_ratio is not None
        else []
    )
    school_index = {s: i for i, s in enumerate(schools)}
    teacher_school = np.array([school_index[t.school] for t in escorts], dtype=np.int64)
    teacher_free = np.array([grid.mask(t.free) for t in escorts], dtype=bool).reshape(
        len(escorts), grid.slots
    )
    capacity = np.zeros((len(schools), grid.slots), dtype=np.int64)
    np.add.at(capacity, teacher_school, teacher_free.astype(np.int64))
    return EscortPool(schools, tuple(t.id for t in escorts), teacher_school, teacher_free, capacity)


def assign_escorts(
    pool: EscortPool,
    excursions: list[tuple[int, int, str, int]],
    busy: set[tuple[str, int]],
    seed: int,
) -> dict[tuple[str, int], list[str]]:
    """Name the escorts of planned excursions: per (school, slot), the excursions in requester
    order each take the free teachers who may escort and have no activity of their own then, in
    the order of a lottery drawn from the round's `seed` per (slot, teacher). The draw spreads
    the escorting over a school's teachers, depends on no list's order, and keeps each
    daypart's escorts independent of every other daypart, so a repair that re-plans some
    dayparts leaves the escorts of the others as they were. The count rule leaves enough; an
    excursion it does not is left with fewer, which `verify` reports.

    `excursions` are (school, slot, requester id, escorts needed); `busy` holds (teacher id,
    slot) of the teachers' own activities. Returns the escorts per (requester id, slot),
    ordered by id.
    """
    by_school: defaultdict[int, list[int]] = defaultdict(list)
    for t, school in enumerate(pool.teacher_school.tolist()):
        by_school[school].append(t)
    named: dict[tuple[str, int], list[str]] = {}
    taken: set[tuple[int, int]] = set()
    for school, slot, requester, need in sorted(excursions, key=lambda e: (e[1], e[0], e[2])):
        free = [
            t
            for t in by_school[school]
            if pool.teacher_free[t, slot]
            and (t, slot) not in taken
            and (pool.teachers[t], slot) not in busy
        ]
        keys = np.array([slot * len(pool.teachers) + t for t in free], dtype=np.int64)
        drawn = dict(zip(free, tickets(seed, keys).tolist(), strict=True))
        chosen = sorted(free, key=lambda t: (drawn[t], t))[:need]
        taken |= {(t, slot) for t in chosen}
        named[(requester, slot)] = sorted(pool.teachers[t] for t in chosen)
    return named
