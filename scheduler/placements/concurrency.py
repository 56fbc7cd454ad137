"""A company's `max_concurrent` (SPEC section 8) as limits on sets of its periods.

On a day, the pupils on placement at a company are those assigned to a period running that day
(its `active` periods), and at most `max_concurrent` may be there. Each day's active set lies
inside a *maximal* one (an active set no other day's contains), and a limit on a maximal set
implies it on its subsets, so one limit per distinct maximal set says everything: a lint period
(every Wednesday of a term) crossing three block periods gives three sets {lint, block}, not a
hundred days.

When a company's maximal sets are pairwise disjoint (its periods are day-disjoint, identical or
nested in a chain) the sets are a laminar family under the company's `max_students`, so each
becomes a node of the min-cost flow and the round stays exact (`in_flow`). Otherwise the flow
takes a disjoint subfamily (a relaxation: the flow's optimum still bounds the round's) and the
side-rule MIP gets every set as a row (`rules.max_concurrent`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from numpy.typing import NDArray

from scheduler.domain import Round


@dataclass(frozen=True, slots=True)
class DaySet:
    """Periods of one company on placement together on some day, and the company's limit."""

    company: int  # index into the pairs' companies
    periods: frozenset[int]  # indices into the pairs' periods
    limit: int
    day: date  # a day on which exactly these periods run (named in reasons)
    in_flow: bool  # a node of the min-cost flow, not only a row of the MIP


@dataclass(frozen=True, slots=True)
class Concurrency:
    """Every company's maximal day sets; empty when no company has `max_concurrent`."""

    sets: tuple[DaySet, ...] = ()

    @property
    def exact_as_flow(self) -> bool:
        """The min-cost flow holds every limit: no side-rule model needed for them."""
        return all(s.in_flow for s in self.sets)

    def relaxed(self, n_companies: int, n_periods: int) -> DayGroups:
        """The sets the flow holds as its nodes: every limit when the family is laminar, a
        disjoint part of them (so a relaxation) otherwise."""
        group = np.full((n_companies, max(1, n_periods)), -1, dtype=np.int64)
        limits: list[int] = []
        for s in self.sets:
            if s.in_flow:
                group[s.company, sorted(s.periods)] = len(limits)
                limits.append(s.limit)
        return DayGroups(group, np.array(limits, dtype=np.int64))

    def restricted(self, use: NDArray[np.int64]) -> DayGroups:
        """Flow nodes that hold every limit (a restriction, so any flow is feasible), fitted to
        `use` ([company, period] pupils of a relaxed optimum).

        A period in two or more of a company's maximal sets (a lint period crossing blocks)
        gets a node of its own with the seats `use` gave it, cut until every set holds; the
        rest of each set (disjoint from the rest of the others) shares what its limit leaves.
        A laminar company's sets have no such period: its nodes are the relaxed ones.
        """
        group = np.full(use.shape, -1, dtype=np.int64)
        limits: list[int] = []
        by_company: dict[int, list[DaySet]] = {}
        for s in self.sets:
            by_company.setdefault(s.company, []).append(s)
        for company, sets in by_company.items():
            seen: dict[int, int] = {}
            for s in sets:
                for t in s.periods:
                    seen[t] = seen.get(t, 0) + 1
            crossing = {t for t, n in seen.items() if n > 1}
            seats = {t: int(use[company, t]) for t in crossing}
            for s in sets:
                mine = sorted(s.periods & crossing, key=lambda t: (-seats[t], t))
                excess = sum(seats[t] for t in mine) - s.limit
                for t in mine:
                    cut = min(excess, seats[t])
                    seats[t] -= max(cut, 0)
                    excess -= max(cut, 0)
            for t in sorted(crossing):
                group[company, t] = len(limits)
                limits.append(seats[t])
            for s in sets:
                rest = sorted(s.periods - crossing)
                if rest:
                    group[company, rest] = len(limits)
                    limits.append(s.limit - sum(seats[t] for t in s.periods & crossing))
        return DayGroups(group, np.array(limits, dtype=np.int64))

    def of_companies(self, companies: NDArray[np.int64]) -> Concurrency:
        """The sets of `companies` (old indices, ascending), renumbered as their positions."""
        position = {int(c): k for k, c in enumerate(companies.tolist())}
        return Concurrency(
            tuple(
                replace(s, company=position[s.company]) for s in self.sets if s.company in position
            )
        )


@dataclass(frozen=True)
class DayGroups:
    """Nodes of the min-cost flow between (placement, period) slots and companies."""

    group: NDArray[np.int64]  # [company, period] -> its node, -1 when none
    limit: NDArray[np.int64]  # per node, the pupils it lets through


def concurrency_of(
    round_: Round, company_ids: Iterable[str], periods: Iterable[str]
) -> Concurrency:
    """The maximal day sets of every company with `max_concurrent`, over the dated periods its
    placements offer. Companies offering the same periods share one computation."""
    period_index = {t: i for i, t in enumerate(periods)}
    offered: dict[str, set[str]] = {}
    for p in round_.placements.values():
        offered.setdefault(p.company, set()).update(p.capacity)
    found: dict[tuple[str, ...], list[tuple[frozenset[str], date, bool]]] = {}
    sets = []
    for c, company_id in enumerate(company_ids):
        limit = round_.companies[company_id].max_concurrent
        dated = tuple(
            sorted(
                t
                for t in offered.get(company_id, ())
                if t in round_.periods and round_.periods[t].days and t in period_index
            )
        )
        if limit is None or not dated:
            continue
        if dated not in found:
            found[dated] = maximal_day_sets({t: round_.periods[t].days for t in dated})
        sets += [
            DaySet(c, frozenset(period_index[t] for t in members), limit, day, in_flow)
            for members, day, in_flow in found[dated]
        ]
    return Concurrency(tuple(sets))


def maximal_day_sets(
    days: Mapping[str, Iterable[date]],
) -> list[tuple[frozenset[str], date, bool]]:
    """(maximal active set, a day it runs, whether the flow holds it) of one company's periods.

    The flow takes the sets greedily, largest first, while they stay pairwise disjoint: all of
    them when the family is laminar.
    """
    active: dict[date, set[str]] = {}
    for period, period_days in days.items():
        for day in period_days:
            active.setdefault(day, set()).add(period)
    first_day: dict[frozenset[str], date] = {}
    for day in sorted(active):
        first_day.setdefault(frozenset(active[day]), day)
    distinct = sorted(first_day, key=lambda s: (-len(s), first_day[s], sorted(s)))
    maximal = [s for s in distinct if not any(s < other for other in distinct)]
    taken: set[str] = set()
    result = []
    for members in maximal:
        in_flow = not (members & taken)
        if in_flow:
            taken |= members
        result.append((members, first_day[members], in_flow))
    return sorted(result, key=lambda r: (r[1], sorted(r[0])))


def use_per_set(
    concurrency: Concurrency, company: NDArray[np.int64], period: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Per day set, how many of the given (company, period) placements of pupils fall in it."""
    at = _by_company(company)
    use = np.zeros(len(concurrency.sets), dtype=np.int64)
    for k, s in enumerate(concurrency.sets):
        mine = at.get(s.company)
        if mine is not None:
            use[k] = int(np.count_nonzero(np.isin(period[mine], list(s.periods))))
    return use


def _by_company(company: NDArray[np.int64]) -> dict[int, NDArray[np.int64]]:
    """Company -> the positions that place a pupil there: a set looks at its company's only."""
    if not len(company):
        return {}
    order = np.argsort(company, kind="stable")
    values, starts = np.unique(company[order], return_index=True)
    return {
        int(c): part for c, part in zip(values.tolist(), np.split(order, starts[1:]), strict=True)
    }


def over_the_limit(
    concurrency: Concurrency,
    company: NDArray[np.int64],
    period: NDArray[np.int64],
    priority: NDArray[np.int64],
    cost: NDArray[np.int64],
    keep: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Which of the given placements to drop so that every day set holds its limit: in each
    set over it, the lowest priority first and among those the dearest, never one in `keep`
    (pins). Dropping only empties sets, so one pass over the sets is enough."""
    drop = np.zeros(len(company), dtype=bool)
    at = _by_company(company)
    for s in concurrency.sets:
        mine = at.get(s.company)
        if mine is None:
            continue
        inside = mine[np.isin(period[mine], list(s.periods)) & ~drop[mine]]
        over = len(inside) - s.limit
        if over <= 0:
            continue
        free = inside[~keep[inside]]
        victims = free[np.lexsort((-cost[free], priority[free]))][:over]
        drop[victims] = True
    return drop
