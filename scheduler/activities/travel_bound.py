"""A proven lower bound on the travel minutes of any plan with a given number of activities.

The large rounds end with a plan found by search, not proven; this bound says how far its
travel can be from the best. It relaxes the pair model (`PairModel`) to a min-cost flow of
exactly that many units, whose optimum is integral and found exactly by OR-Tools:

    source -> requester (its dates min_gap_days apart) -> (requester, kind) (its demand)
    -> (requester, kind, first sector) (1 for an excursion of a class with distinct
    sectors) -> offer, one arc per pair (cost: travel minutes, capacity: `pair_upper`)
    -> company (its monthly hours over its cheapest offer, summed) -> sink

Every plan maps onto a flow of that size and the same travel: each capacity counts only what
one rule of SPEC section 4 allows (at most one activity per requester per daypart and per
offer per daypart, the spacing of one requester's activities, demand, distinct sectors,
`max_per_month`, the company's monthly hours). So the flow's cost is at most the travel of
every plan with that many activities. What it drops: which daypart (two requesters may want
the same offer's one daypart), and the mix of hours within a company's month.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from scheduler.activities.candidates import Candidates, spaced_count
from scheduler.activities.model import min_gap_days, pair_upper
from scheduler.activities.rules import distinct_excursion


def travel_bound(cands: Candidates, planned: int) -> int:
    """The least travel of any plan of `planned` activities (a lower bound, 0 if none)."""
    if planned <= 0 or len(cands) == 0:
        return 0
    c = cands
    r, o = c.pair_requester, c.pair_offer
    kind = c.offer_kind[o]
    distinct = distinct_excursion(c, r, kind)
    sector_group = np.where(distinct, c.company_sector[c.offer_company[o]] + 1, -1)
    requesters = np.unique(r)
    wants, want_node = np.unique(np.stack((r, kind)), axis=1, return_inverse=True)
    groups, group_node = np.unique(np.stack((r, kind, sector_group)), axis=1, return_inverse=True)
    offers, offer_node = np.unique(o, return_inverse=True)
    companies, company_node = np.unique(c.offer_company[offers], return_inverse=True)

    first = 2  # 0 is the source, 1 the sink
    at_requester = first
    at_want = at_requester + len(requesters)
    at_group = at_want + wants.shape[1]
    at_offer = at_group + groups.shape[1]
    at_company = at_offer + len(offers)
    unlimited = int(planned)

    flow = min_cost_flow.SimpleMinCostFlow()

    def arcs(tail: NDArray[np.int64], head: NDArray[np.int64], cap, cost=None) -> None:
        cap = np.minimum(np.asarray(cap, dtype=np.int64), unlimited)
        cost = np.zeros(len(tail), dtype=np.int64) if cost is None else cost
        flow.add_arcs_with_capacity_and_unit_cost(tail, head, cap, cost)

    gap = min_gap_days(c)
    by_requester = np.searchsorted(c.cand_requester, np.arange(len(c.requesters) + 1))
    room = [
        spaced_count(c.cand_slot[by_requester[a] : by_requester[a + 1]], gap, c.grid)
        for a in requesters.tolist()
    ]
    arcs(np.zeros(len(requesters), dtype=np.int64), at_requester + np.arange(len(requesters)), room)
    want_requester = np.searchsorted(requesters, wants[0])
    arcs(
        at_requester + want_requester,
        at_want + np.arange(wants.shape[1]),
        c.demand[wants[0], wants[1]],
    )
    group_want = np.zeros(groups.shape[1], dtype=np.int64)
    group_want[group_node.ravel()] = want_node.ravel()
    group_cap = np.where(groups[2] >= 0, 1, c.demand[groups[0], groups[1]])
    arcs(at_want + group_want, at_group + np.arange(groups.shape[1]), group_cap)
    arcs(
        at_group + group_node.ravel(),
        at_offer + offer_node.ravel(),
        pair_upper(c),
        c.pair_travel.astype(np.int64),
    )
    arcs(
        at_offer + np.arange(len(offers)), at_company + company_node.ravel(), _offer_caps(c, offers)
    )
    arcs(
        at_company + np.arange(len(companies)),
        np.ones(len(companies), dtype=np.int64),
        _company_caps(c, companies, unlimited),
    )
    flow.set_node_supply(0, int(planned))
    flow.set_node_supply(1, -int(planned))
    if flow.solve() != flow.OPTIMAL:
        return 0  # cannot happen while the plan itself is a flow; 0 is still a bound
    return int(flow.optimal_cost())


def _offer_months(c: Candidates) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(offer, month, distinct dayparts with candidates) per offer-month that has candidates."""
    months = len(c.grid.months)
    keys = np.unique((c.cand_offer * months + c.cand_month) * c.grid.slots + c.cand_slot)
    om, slots = np.unique(keys // c.grid.slots, return_counts=True)
    return om // months, om % months, slots


def _offer_caps(c: Candidates, offers: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per offer, summed over its months: one activity per daypart, `max_per_month`, and what
    the company's monthly hours allow of this offer."""
    offer, _, slots = _offer_months(c)
    cap = slots.copy()
    for i, b in enumerate(offer.tolist()):
        o = c.offers[b]
        if o.max_per_month is not None:
            cap[i] = min(cap[i], o.max_per_month)
        limit = c.round.companies[o.company].hours_per_month
        if limit is not None and o.hours:
            cap[i] = min(cap[i], limit // o.hours)
    return np.bincount(offer, weights=cap, minlength=len(c.offers))[offers].astype(np.int64)


def _company_caps(c: Candidates, companies: NDArray[np.int64], unlimited: int) -> NDArray[np.int64]:
    """Per company, summed over months: its monthly hours over the fewest hours of an offer it
    has candidates for that month (unlimited without hours_per_month or a zero-hour offer)."""
    offer, month, _ = _offer_months(c)
    caps = np.full(len(companies), unlimited, dtype=np.int64)
    for k, company in enumerate(companies.tolist()):
        limit = c.round.companies[c.companies[company]].hours_per_month
        mine = c.offer_company[offer] == company
        if limit is None or not mine.any():
            continue
        total = 0
        for m in np.unique(month[mine]).tolist():
            least = int(c.offer_hours[offer[mine & (month == m)]].min())
            total += unlimited if least == 0 else limit // least
        caps[k] = min(total, unlimited)
    return caps
