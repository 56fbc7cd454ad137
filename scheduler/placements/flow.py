"""Problem A without side rules: an exact min-cost flow, certified by max-flows.

pupil -> placement/period -> company -> sink, plus a bypass arc per pupil whose cost outweighs
any cost difference, so placing more priority always wins.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from scheduler.lottery import TieBreak
from scheduler.placements.concurrency import DayGroups
from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.steer import Steer, Steering

_INT64_MAX = 2**63 - 1


def objective(
    pairs: EligiblePairs, chosen: NDArray[np.int64], priority: NDArray[np.int64]
) -> tuple[int, int]:
    """(placed priority, cost) of a set of chosen pairs."""
    return int(priority[pairs.student[chosen]].sum()), int(pairs.cost[chosen].sum())


def solve_flow(
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: Steer | None = None,
    blocked: NDArray[np.bool_] | None = None,
    groups: DayGroups | None = None,
) -> tuple[NDArray[np.int64], int]:
    """Exact optimum of the round without side rules; returns chosen pair indices and arc count.

    The lexicographic objective becomes one cost per flow: a pupil left on its bypass arc costs
    `unit * priority`. A `unit` above any total cost difference (max cost x pupils) is always
    exact but makes cost scaling slow, so a small `unit` is tried first and certified: the most
    placed priority is known from max-flows (see `most_placed_priority`), and a flow that
    reaches it is cost-optimal among all that do, since any cheaper one with the same placed
    priority would also have a lower combined cost. Only if it falls short does `unit` grow.
    Pinned pupils leave the network with the seats they hold; `blocked` pairs are left out.
    `groups` replaces the day-set nodes of `max_concurrent` (default: the relaxed ones).

    Costs carry the pairs' lottery tickets (`scheduler.lottery`: one ticketed pair per pupil),
    so among the optima the seed's lottery, not the order of the records, decides. When a
    growing `unit` would leave no int64 room for the ticketed costs, the lottery gets coarser
    (at worst off): the optimum stays exact either way, only the tie-break loses resolution.
    """
    steer = steer or Steer.of(pairs, Steering())
    network = FlowNetwork(pairs, steer, blocked, groups)
    if network.n_pupils == 0:
        return steer.pinned, 0
    target = network.most_placed_priority(priority)
    # OR-Tools multiplies every cost by its node count + 1 and refuses (BAD_COST_RANGE) a cost
    # above int64 max / (2 x that factor); the network has sink + 1 nodes.
    room = _INT64_MAX // (2 * (network.sink + 2))
    top_priority = int(priority[network.pupils].max())
    plain_arc, plain_bypass = steer.arc_cost(pairs), steer.bypass_cost()
    most_arc = int(plain_arc[network.usable].max(initial=0))
    most_bypass = int(plain_bypass.max(initial=0))
    reach = 8  # `unit` in largest costs: grows until the flow reaches the target
    tie: TieBreak | None = TieBreak(network.n_pupils)
    while tie is not None:
        # Python integers first: the ticketed costs must fit before numpy computes them.
        max_cost = (most_arc + most_bypass) * tie.scale + tie.scale - 1
        always_exact = max_cost * network.n_pupils + 1
        unit = min(always_exact, reach * max_cost + 1)
        if unit * top_priority + most_bypass * tie.scale > room:
            tie = tie.coarser()
            continue
        arc_cost = tie.costs(plain_arc, pairs.tickets)
        bypass_cost = plain_bypass * tie.scale
        try:
            while unit * top_priority + most_bypass * tie.scale <= room:
                chosen = network.min_cost(arc_cost, priority, unit, bypass_cost)
                if int(priority[pairs.student[chosen]].sum()) == target or unit == always_exact:
                    return np.sort(np.concatenate((chosen, steer.pinned))), network.n_arcs
                reach *= 32
                unit = min(always_exact, reach * max_cost + 1)
        except CostRange:
            pass  # the node potentials overflowed inside OR-Tools: smaller costs, same optimum
        tie = tie.coarser()
    raise OverflowError("priorities too large for an exact min-cost flow")


class CostRange(ArithmeticError):
    """OR-Tools' BAD_COST_RANGE: the costs fit its first check (x (nodes + 1)), but its node
    potentials overflowed while solving; its documentation says to retry with smaller costs."""


class FlowNetwork:
    """pupil -> (placement, period) slot -> company -> sink, over the usable eligible pairs."""

    def __init__(
        self,
        pairs: EligiblePairs,
        steer: Steer | None = None,
        blocked: NDArray[np.bool_] | None = None,
        groups: DayGroups | None = None,
    ) -> None:
        """`groups` are the day-set nodes (default: the relaxed ones of `pairs.concurrency`)."""
        n_periods = max(1, len(pairs.periods))
        self.pairs = pairs
        steer = steer or Steer.of(pairs, Steering())
        pinned_pupil = np.zeros(len(pairs.students), dtype=bool)
        pinned_pupil[pairs.student[steer.pinned]] = True
        capacity, company_limit = steer.capacity, steer.company_limit
        open_pairs = (capacity[pairs.placement, pairs.period] > 0) & ~pinned_pupil[pairs.student]
        if blocked is not None:
            open_pairs &= ~blocked
        self.usable = np.nonzero(open_pairs)[0]
        usable = self.usable
        self.pupils, pupil_node = np.unique(pairs.student[usable], return_inverse=True)
        slots, slot_node = np.unique(
            pairs.placement[usable].astype(np.int64) * n_periods + pairs.period[usable],
            return_inverse=True,
        )
        companies, company_node = np.unique(
            pairs.placement_company[slots // n_periods], return_inverse=True
        )
        self.n_pupils = n_pupils = len(self.pupils)
        n_slots, n_companies = len(slots), len(companies)
        # A company's max_concurrent day sets the flow holds (`concurrency`): slot -> day set
        # -> company, a laminar family under the company's max_students node.
        day_groups = groups or pairs.concurrency.relaxed(len(pairs.company_ids), len(pairs.periods))
        slot_company = pairs.placement_company[slots // n_periods]
        slot_group = day_groups.group[slot_company, slots % n_periods]
        groups_used, group_node = np.unique(slot_group[slot_group >= 0], return_inverse=True)
        n_groups = len(groups_used)
        self.sink = sink = n_pupils + n_slots + n_companies + n_groups
        slot_caps = capacity[slots // n_periods, slots % n_periods]
        company_caps = np.bincount(company_node, weights=slot_caps, minlength=n_companies)
        limits = company_limit[companies]
        company_caps = np.where(limits >= 0, np.minimum(company_caps, limits), company_caps)
        first_group = n_pupils + n_slots + n_companies
        grouped = slot_group >= 0
        slot_head = n_pupils + n_slots + company_node
        slot_head[grouped] = first_group + group_node
        group_company = np.zeros(n_groups, dtype=np.int64)
        group_company[group_node] = company_node[grouped]
        group_caps = self._group_capacities(day_groups, groups_used, steer)
        # Pupil -> slot arcs first, so their flows are the first len(usable) arcs.
        self.tails = np.concatenate(
            (
                pupil_node,
                n_pupils + np.arange(n_slots),
                n_pupils + n_slots + np.arange(n_companies),
                first_group + np.arange(n_groups),
            )
        ).astype(np.int32)
        self.heads = np.concatenate(
            (
                n_pupils + slot_node,
                slot_head,
                np.full(n_companies, sink),
                n_pupils + n_slots + group_company,
            )
        ).astype(np.int32)
        self.capacities = np.concatenate(
            (np.ones(len(usable)), slot_caps, company_caps, group_caps)
        ).astype(np.int64)
        self.n_arcs = len(self.tails) + n_pupils

    def _group_capacities(
        self, day_groups: DayGroups, used: NDArray[np.int64], steer: Steer
    ) -> NDArray[np.int64]:
        """Each node's limit, less the pins already there (`Steer` checked that they fit the
        company's limits; a restricted node they overfill lets nobody more through)."""
        limits = day_groups.limit[used].copy()
        pinned = steer.pinned
        if len(pinned) and len(used):
            pairs = self.pairs
            at = day_groups.group[
                pairs.placement_company[pairs.placement[pinned]], pairs.period[pinned]
            ]
            counts = np.bincount(at[at >= 0], minlength=len(day_groups.limit))
            limits -= counts[used]
        return np.maximum(limits, 0)

    def most_placed_priority(self, priority: NDArray[np.int64]) -> int:
        """The largest total priority that can be placed at once, by max-flows.

        Pupil sets that can be placed together form a matroid (a gammoid of this network), so
        the best total weight is sum over priority levels w of w x (how many of priority >= w
        can be placed, less those of priority > w): one max-flow per distinct priority.
        """
        source = self.sink + 1
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(self.tails, self.heads, self.capacities)
        pupil_priority = priority[self.pupils]
        feeds = flow.add_arcs_with_capacity(
            np.full(self.n_pupils, source, dtype=np.int32),
            np.arange(self.n_pupils, dtype=np.int32),
            np.zeros(self.n_pupils, dtype=np.int64),
        )
        total, placed_above = 0, 0
        for level in sorted(set(pupil_priority.tolist()), reverse=True):
            flow.set_arcs_capacity(feeds, (pupil_priority >= level).astype(np.int64))
            if flow.solve(source, self.sink) != flow.OPTIMAL:
                raise RuntimeError("max-flow failed")
            placed = flow.optimal_flow()
            total += level * (placed - placed_above)
            placed_above = placed
        return total

    def min_cost(
        self,
        arc_cost: NDArray[np.int64],
        priority: NDArray[np.int64],
        unit: int,
        bypass_cost: NDArray[np.int64],
    ) -> NDArray[np.int64]:
        """Min-cost flow, bypass arcs costing `unit * priority + bypass_cost`; chosen pairs."""
        bypass = unit * priority[self.pupils] + bypass_cost[self.pupils]
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate((self.tails, np.arange(self.n_pupils, dtype=np.int32))),
            np.concatenate((self.heads, np.full(self.n_pupils, self.sink, dtype=np.int32))),
            np.concatenate((self.capacities, np.ones(self.n_pupils, dtype=np.int64))),
            np.concatenate(
                (
                    arc_cost[self.usable],
                    np.zeros(len(self.tails) - len(self.usable), dtype=np.int64),
                    bypass,
                )
            ),
        )
        supplies = np.zeros(self.sink + 1, dtype=np.int64)
        supplies[: self.n_pupils] = 1
        supplies[self.sink] = -self.n_pupils
        flow.set_nodes_supplies(np.arange(self.sink + 1, dtype=np.int32), supplies)
        status = flow.solve()
        if status == flow.BAD_COST_RANGE:
            raise CostRange(f"costs up to {int(bypass.max(initial=0)):,} overflowed")
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow ended with status {status}")
        used = flow.flows(arcs[: len(self.usable)]) > 0
        return self.usable[used].astype(np.int64)
