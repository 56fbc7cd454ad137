"""The hard rules of SPEC section 3 as linear rows over the eligible pairs, one function per rule.

A rule reads the usable pairs of a model (`Usable`) and yields `Row`s: a weighted sum of chosen
pairs (columns 0..n-1) and of `open` literals of placements with a minimum (columns n..) kept
between two bounds. Both models of problem A are these rows: the MIP on HiGHS
(`side_rule_mip.SideRuleMip`) takes them as its matrix, the CP-SAT model `--no-envy` builds on
(`side_rules.SideRuleModel`) as linear constraints. So a rule is written, tested and explained
once (tests/scheduler/test_placement_rules_alone.py builds each on its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from scheduler.arrays import positions_by_value
from scheduler.domain import Round
from scheduler.placements.eligibility import EligiblePairs


@dataclass(frozen=True)
class Row:
    """lower <= sum(coefficients x columns) <= upper."""

    columns: NDArray[np.int64]
    coefficients: NDArray[np.float64]
    lower: float
    upper: float


@dataclass(frozen=True)
class Usable:
    """The pairs a model holds (`usable`, indices into `pairs`), and the `open` literals its
    placements with a minimum get, numbered after the pairs."""

    round_: Round
    pairs: EligiblePairs
    usable: NDArray[np.int64]

    @cached_property
    def student(self) -> NDArray[np.int64]:
        return self.pairs.student[self.usable].astype(np.int64)

    @cached_property
    def placement(self) -> NDArray[np.int64]:
        return self.pairs.placement[self.usable].astype(np.int64)

    @cached_property
    def company(self) -> NDArray[np.int64]:
        return self.pairs.placement_company[self.placement].astype(np.int64)

    @cached_property
    def period(self) -> NDArray[np.int64]:
        return self.pairs.period[self.usable].astype(np.int64)

    @cached_property
    def opened(self) -> list[int]:
        """The placements with `min_students` > 1 among the usable pairs, in column order."""
        placements = self.pairs.placements
        return [
            int(p)
            for p in np.unique(self.placement).tolist()
            if placements[int(p)].min_students > 1
        ]

    def at_most(self, rows: NDArray[np.int64], limit: int) -> Iterator[Row]:
        if len(rows) > limit:
            yield Row(rows, np.ones(len(rows)), -np.inf, float(limit))

    @cached_property
    def at_company(self) -> dict[tuple[int, int], list[int]]:
        """(pupil, company) -> the columns that place the pupil there."""
        found: dict[tuple[int, int], list[int]] = {}
        for k, key in enumerate(zip(self.student.tolist(), self.company.tolist(), strict=True)):
            found.setdefault(key, []).append(k)
        return found

    @cached_property
    def reachable(self) -> dict[int, set[int]]:
        """Pupil -> the companies some usable pair places it at."""
        found: dict[int, set[int]] = {}
        for s, c in self.at_company:
            found.setdefault(s, set()).add(c)
        return found

    def companies_of(self, student: int) -> set[int]:
        return self.reachable.get(student, set())


def one_placement_per_pupil(u: Usable) -> Iterator[Row]:
    """A pupil gets at most one (placement, period)."""
    for rows in positions_by_value(u.student):
        yield from u.at_most(rows, 1)


def seats(u: Usable) -> Iterator[Row]:
    """A (placement, period) holds at most its capacity."""
    pairs = u.pairs
    for rows in positions_by_value(u.placement * max(1, len(pairs.periods)) + u.period):
        yield from u.at_most(rows, int(pairs.capacity[u.placement[rows[0]], u.period[rows[0]]]))


def company_limit(u: Usable) -> Iterator[Row]:
    """A company takes at most its `max_students` over all its placements and periods."""
    for rows in positions_by_value(u.company):
        limit = int(u.pairs.company_limit[u.company[rows[0]]])
        if limit >= 0:
            yield from u.at_most(rows, limit)


def min_students(u: Usable) -> Iterator[Row]:
    """A placement with `min_students` m > 1 gets 0 or at least m pupils: its pupils number at
    least m x open and at most its seats x open."""
    column = {p: len(u.usable) + k for k, p in enumerate(u.opened)}
    for rows in positions_by_value(u.placement):
        p = int(u.placement[rows[0]])
        if p not in column:
            continue
        minimum = u.pairs.placements[p].min_students
        seats_ = int(np.clip(u.pairs.capacity[p], 0, None).sum())
        columns = np.append(rows, column[p])
        ones = np.ones(len(rows))
        yield Row(columns, np.append(ones, -minimum), 0.0, np.inf)
        yield Row(columns, np.append(ones, -min(seats_, len(rows))), -np.inf, 0.0)


def together(u: Usable) -> Iterator[Row]:
    """A together pair is placed at the same company, or both unplaced."""
    index = {s.id: i for i, s in enumerate(u.pairs.students)}
    for a, b in u.round_.together:
        ia, ib = index[a], index[b]
        for c in sorted(u.companies_of(ia) | u.companies_of(ib)):
            first, second = u.at_company.get((ia, c), []), u.at_company.get((ib, c), [])
            values = np.concatenate((np.ones(len(first)), -np.ones(len(second))))
            yield Row(np.array(first + second, dtype=np.int64), values, 0.0, 0.0)


def apart(u: Usable) -> Iterator[Row]:
    """An apart pair is never at the same company."""
    index = {s.id: i for i, s in enumerate(u.pairs.students)}
    for a, b in u.round_.apart:
        ia, ib = index[a], index[b]
        for c in sorted(u.companies_of(ia) & u.companies_of(ib)):
            both = np.array(u.at_company[(ia, c)] + u.at_company[(ib, c)], dtype=np.int64)
            yield Row(both, np.ones(len(both)), -np.inf, 1.0)


def max_concurrent(u: Usable) -> Iterator[Row]:
    """A company has at most `max_concurrent` pupils on placement on any one day: one row per
    maximal set of its periods running together on some day (`concurrency`), which implies
    the limit on every day."""
    sets = u.pairs.concurrency.sets
    if not sets:
        return
    by_company = {int(u.company[rows[0]]): rows for rows in positions_by_value(u.company)}
    for day_set in sets:
        rows = by_company.get(day_set.company)
        if rows is not None:
            inside = rows[np.isin(u.period[rows], list(day_set.periods))]
            yield from u.at_most(inside, day_set.limit)


RULES = (
    one_placement_per_pupil,
    seats,
    company_limit,
    min_students,
    together,
    apart,
    max_concurrent,
)


def hard_rules(u: Usable) -> Iterator[Row]:
    """Every hard rule of SPEC section 3 (exclusions and admission are in the pairs already)."""
    for rule in RULES:
        yield from rule(u)
