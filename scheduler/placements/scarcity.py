"""Where would one more seat help most? The exact gain of +1 seat at every (placement, period).

A bureau short of seats wants to know which companies to ask. "One more seat at (p, t)" means:
one more pupil may be placed at placement p in period t, beyond its capacity and beyond its
company's `max_students` (a company asked for a seat lends one, not a seat it cannot staff).
Its gain is the rise of the lexicographic objective: placed priority, then cost.

All gains come from one shortest-path computation instead of one re-solve per seat. Take the
flow network of `scheduler.placement` at its optimum, with the always-exact bypass weight W
(so the optimum of W x unplaced priority + cost is the lexicographic one) and its residual
graph. One more seat is one new arc slot(p, t) -> sink of capacity 1 and cost 0; the new optimum
differs from the old by one cycle through that arc (the old one has no negative cycle, and the
new arc carries one unit), so the gain is -min(0, d(sink -> slot)), d the shortest distance in
the old residual graph. Distances from the sink to every slot are one Bellman-Ford, run
vectorised over all arcs until nothing changes (it has negative arcs: the residual of a used
arc runs backwards at minus its cost). This is what the dual values of the seat capacities
would say, without needing node potentials that OR-Tools' min-cost flow does not expose.

Valid for rounds without side rules; with them it is the gain in the flow relaxation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler.placements.result import PlacementResult

_UNREACHED = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, slots=True)
class SeatGain:
    """What one more seat at (`placement`, `period`) would bring."""

    placement: str
    company: str
    period: str
    placed_priority: int  # rise in placed priority (0 or the priority of one more pupil)
    cost: int  # change in total cost (negative: cheaper)
    capacity: int  # the seats it has now


def one_more_seat(result: PlacementResult, *, top: int | None = None) -> list[SeatGain]:
    """The seats whose +1 raises the objective, best first (placed priority, then cost).

    `result` must be an optimum of its round (a flow or a proven CP-SAT optimum); the gains
    are relative to it.
    """
    pairs = result.pairs
    n_students, n_periods = len(pairs.students), max(1, len(pairs.periods))
    n_slots = len(pairs.placements) * n_periods
    n_companies = len(pairs.company_ids)
    slot_base, company_base = n_students, n_students + n_slots
    sink = company_base + n_companies
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    weight = 2 * int(np.abs(pairs.cost).max(initial=0)) * (n_students + 1) + 1

    chosen = np.zeros(len(pairs), dtype=bool)
    chosen[result.chosen] = True
    slot = pairs.placement.astype(np.int64) * n_periods + pairs.period
    slot_used = np.bincount(slot[chosen], minlength=n_slots)
    slot_cap = np.where(pairs.capacity >= 0, pairs.capacity, 0).ravel()
    company_of_slot = np.repeat(pairs.placement_company.astype(np.int64), n_periods)
    company_used = np.bincount(company_of_slot, weights=slot_used, minlength=n_companies).astype(
        np.int64
    )
    limit = pairs.company_limit
    placed = np.zeros(n_students, dtype=bool)
    placed[pairs.student[chosen]] = True
    in_network = np.zeros(n_students, dtype=bool)
    in_network[pairs.student] = True

    pupil = pairs.student.astype(np.int64)
    slot_node = slot_base + slot
    all_slots = np.arange(n_slots, dtype=np.int64)
    companies = np.arange(n_companies, dtype=np.int64)
    leaving = np.flatnonzero(in_network & placed)
    coming = np.flatnonzero(in_network & ~placed)
    arcs = [
        # pupil -> slot where free, slot -> pupil (minus its cost) where used
        (pupil[~chosen], slot_node[~chosen], pairs.cost[~chosen]),
        (slot_node[chosen], pupil[chosen], -pairs.cost[chosen]),
        # slot -> company with room, company -> slot where used
        _arcs(slot_base + all_slots, company_base + company_of_slot, slot_used < slot_cap),
        _arcs(company_base + company_of_slot, slot_base + all_slots, slot_used > 0),
        # company -> sink below max_students, sink -> company where used
        _arcs(company_base + companies, sink, (limit < 0) | (company_used < limit)),
        _arcs(sink, company_base + companies, company_used > 0),
        # the bypass: a placed pupil may leave (pupil -> sink), an unplaced one come (reverse)
        (leaving, np.full(len(leaving), sink), weight * priority[leaving]),
        (np.full(len(coming), sink), coming, -weight * priority[coming]),
    ]
    tails = np.concatenate([np.broadcast_to(a[0], len(a[2])) for a in arcs]).astype(np.int64)
    heads = np.concatenate([np.broadcast_to(a[1], len(a[2])) for a in arcs]).astype(np.int64)
    costs = np.concatenate([a[2] for a in arcs]).astype(np.int64)
    distance = _bellman_ford(tails, heads, costs, sink + 1, sink)

    offered = np.flatnonzero(
        (pairs.capacity.ravel() >= 0) & (np.bincount(slot, minlength=n_slots) > 0)
    )
    gains = []
    for s in offered.tolist():
        d = int(distance[slot_base + s])
        if d >= 0:
            continue
        more = round(-d / weight)
        p, t = divmod(s, n_periods)
        placement = pairs.placements[p]
        gains.append(
            SeatGain(
                placement.id,
                placement.company,
                pairs.periods[t],
                more,
                d + weight * more,
                int(slot_cap[s]),
            )
        )
    gains.sort(key=lambda g: (-g.placed_priority, g.cost, g.placement, g.period))
    return gains if top is None else gains[:top]


def _arcs(
    tails: NDArray[np.int64] | int, heads: NDArray[np.int64] | int, keep: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Zero-cost residual arcs, kept where `keep` holds."""
    tails = np.broadcast_to(tails, keep.shape)[keep]
    heads = np.broadcast_to(heads, keep.shape)[keep]
    return tails, heads, np.zeros(len(tails), dtype=np.int64)


def _bellman_ford(
    tails: NDArray[np.int64],
    heads: NDArray[np.int64],
    costs: NDArray[np.int64],
    n_nodes: int,
    source: int,
) -> NDArray[np.int64]:
    """Shortest distances from `source` (a graph without negative cycles), all arcs per pass.

    A pass is a gather, an add and a scattered minimum in numpy; only arcs whose tail improved
    in the last pass are relaxed again, so it ends after as many passes as the longest
    shortest path has arcs.
    """
    distance = np.full(n_nodes, _UNREACHED, dtype=np.int64)
    distance[source] = 0
    changed = np.zeros(n_nodes, dtype=bool)
    changed[source] = True
    for _ in range(n_nodes + 1):  # n - 1 improving passes at most, then one that finds none
        live = np.flatnonzero(changed[tails])
        if len(live) == 0:
            return distance
        candidate = distance[tails[live]] + costs[live]
        target = heads[live]
        best = np.full(n_nodes, _UNREACHED, dtype=np.int64)
        np.minimum.at(best, target, candidate)
        changed = best < distance
        distance = np.minimum(distance, best)
    raise RuntimeError("negative cycle: the flow given is not optimal")
