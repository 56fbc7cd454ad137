"""The hard rules of SPEC section 4 over dated candidates, one function per rule.

Each rule reads the candidates a model holds (`Dated`: the model, one boolean per candidate in
`subset`, and that subset's columns) and adds its constraints, so it can be built, tested and
explained alone (tests/scheduler/test_activity_rules.py builds each on its own). `DatedModel`
is these rules together; `PairModel` reuses the per-daypart, gap and escort rules for its rare
dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.activities.candidates import Candidates
from scheduler.arrays import positions_by_value
from scheduler.contract.round import ACTIVITY_KINDS

_EXCURSION = ACTIVITY_KINDS.index("excursion")


def key(*columns: NDArray[np.int64]) -> NDArray[np.int64]:
    """One int64 per row of several small non-negative integer columns."""
    joined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        joined = joined * (int(column.max(initial=0)) + 2) + column + 1
    return joined


def distinct_excursion(
    cands: Candidates, requester: NDArray[np.int64], kind: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Which rows are excursions of a class whose excursions need distinct first sectors."""
    distinct = np.array([r.distinct_sectors for r in cands.requesters], dtype=bool)
    return distinct[requester] & (kind == _EXCURSION)


@dataclass(frozen=True)
class Dated:
    """A model's booleans over the dated candidates `subset`, and the columns rules group by."""

    model: cp_model.CpModel
    x: list[cp_model.IntVar]
    cands: Candidates
    subset: NDArray[np.int64]

    @property
    def requester(self) -> NDArray[np.int64]:
        return self.cands.cand_requester[self.subset]

    @property
    def offer(self) -> NDArray[np.int64]:
        return self.cands.cand_offer[self.subset]

    @property
    def slot(self) -> NDArray[np.int64]:
        return self.cands.cand_slot[self.subset]

    @property
    def month(self) -> NDArray[np.int64]:
        return self.cands.cand_month[self.subset]

    @property
    def kind(self) -> NDArray[np.int64]:
        return self.cands.offer_kind[self.offer]

    @property
    def company(self) -> NDArray[np.int64]:
        return self.cands.offer_company[self.offer]

    def at_most(self, rows: NDArray[np.int64], limit: int) -> None:
        """At most `limit` of the candidates at `rows` (nothing when they cannot exceed it)."""
        if len(rows) > limit:
            if limit == 1:
                self.model.add_at_most_one(self.x[i] for i in rows)
            else:
                self.model.add(sum(self.x[i] for i in rows) <= limit)


def offer_once_per_daypart(d: Dated) -> None:
    """An offer hosts at most one activity per daypart."""
    for rows in positions_by_value(key(d.offer, d.slot)):
        d.at_most(rows, 1)


def requester_once_per_daypart_and_gap(d: Dated) -> int:
    """A requester has at most one activity per daypart, and two of its activities are at least
    `min_gap_days` apart.

    With a gap, `busy[r, day]` says whether the requester has an activity that day (at most
    one), and any `min_gap_days` consecutive days hold at most one busy day. Windows start at
    each candidate day; one that adds no day to the previous window is implied by it. Returns
    the number of `busy` variables.
    """
    cands = d.cands
    calendar = cands.round.calendar
    gap = calendar.min_gap_days if calendar else 0
    requester, slot = d.requester, d.slot
    if gap <= 0:
        for rows in positions_by_value(key(requester, slot)):
            d.at_most(rows, 1)
        return 0
    ordinal = cands.grid.day_ordinal[slot // 2]
    created = 0
    for rows in positions_by_value(requester):
        days, day_of = np.unique(ordinal[rows], return_inverse=True)
        if len(days) == 1:
            d.model.add_at_most_one(d.x[i] for i in rows)
            continue
        name = cands.requesters[requester[rows[0]]].id
        busy = [d.model.new_bool_var(f"busy[{name},{day}]") for day in range(len(days))]
        for day in range(len(days)):
            d.model.add(sum(d.x[i] for i in rows[day_of == day]) == busy[day])
        created += len(busy)
        last_end = -1
        for day in range(len(days)):
            end = int(np.searchsorted(days, days[day] + gap, side="left"))
            if end - day > 1 and end > last_end:
                d.model.add_at_most_one(busy[day:end])
            last_end = max(last_end, end)
    return created


def demand(d: Dated, left: NDArray[np.int64]) -> None:
    """A requester gets at most its `demand[kind]` activities of each kind (`left`: per
    requester and kind, what fixed activities have not used yet)."""
    requester, kind = d.requester, d.kind
    for rows in positions_by_value(key(requester, kind)):
        d.at_most(rows, int(left[requester[rows[0]], kind[rows[0]]]))


def offer_per_month(d: Dated, fixed: NDArray[np.int64]) -> None:
    """An offer hosts at most `max_per_month` activities a calendar month (`fixed`: per offer
    and month, those already taken by fixed activities)."""
    offer, month = d.offer, d.month
    for rows in positions_by_value(key(offer, month)):
        b, m = int(offer[rows[0]]), int(month[rows[0]])
        cap = d.cands.offers[b].max_per_month
        if cap is not None:
            d.at_most(rows, cap - int(fixed[b, m]))


def company_hours(d: Dated, fixed: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """A company's activities take at most its `hours_per_month` in a calendar month (`fixed`:
    per company and month, the hours of fixed activities). Returns the (company, month) groups,
    which the spread objective sums over."""
    cands, company, month = d.cands, d.company, d.month
    hours = cands.offer_hours[d.offer]
    groups = positions_by_value(key(company, month))
    for rows in groups:
        b, m = int(company[rows[0]]), int(month[rows[0]])
        limit = cands.round.companies[cands.companies[b]].hours_per_month
        room = None if limit is None else limit - int(fixed[b, m])
        if room is not None and int(hours[rows].sum()) > room:
            terms = [d.x[i] for i in rows]
            d.model.add(cp_model.LinearExpr.weighted_sum(terms, hours[rows].tolist()) <= room)
    return groups


def distinct_sectors(d: Dated) -> None:
    """A class with `distinct_sectors` visits companies of pairwise different first sectors."""
    requester, kind = d.requester, d.kind
    excursion = np.flatnonzero(distinct_excursion(d.cands, requester, kind))
    sector = d.cands.company_sector[d.company]
    for rows in positions_by_value(key(requester[excursion], sector[excursion] + 1)):
        d.at_most(excursion[rows], 1)


def pair_caps(d: Dated, caps: dict[int, int]) -> None:
    """A (requester, offer) pair gets at most `caps[pair]` activities: a plan of fixed pairs is
    dated without changing its travel."""
    pair = d.cands.cand_pair[d.subset]
    for rows in positions_by_value(pair):
        d.at_most(rows, caps[int(pair[rows[0]])])


def escorts(d: Dated, fixed: NDArray[np.int64]) -> None:
    """Per school and daypart, the escorts its classes' excursions need plus the own activities
    of its teachers who may escort fit in those teachers free then (SPEC section 8; `fixed`:
    per school and slot, what fixed activities take). Every such teacher can escort every
    excursion of the school then, so the count is exact: escorts can be named after the solve."""
    load = d.cands.cand_escort_load[d.subset]
    loaded = np.flatnonzero(load > 0)
    school, slot = d.cands.cand_school[d.subset][loaded], d.slot[loaded]
    capacity = d.cands.escorts.capacity
    for rows in positions_by_value(key(school, slot)):
        at = loaded[rows]
        s, t = int(school[rows[0]]), int(slot[rows[0]])
        room = int(capacity[s, t]) - int(fixed[s, t])
        if int(load[at].sum()) > room:
            terms = [d.x[i] for i in at]
            d.model.add(cp_model.LinearExpr.weighted_sum(terms, load[at].tolist()) <= room)
