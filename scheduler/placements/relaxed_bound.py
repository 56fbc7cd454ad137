"""A proven lower bound on cost from the flow relaxation, at a placed priority it may exceed.

The min-cost flow without the rules it cannot hold (`min_students`, `together`, `apart`, and
the day sets of `max_concurrent` that are not laminar) is a relaxation of problem A: every
feasible answer is one of its flows. When an answer places the relaxation's priority, the
relaxation's cost is a lower bound on cost. When it places less (a lint period across blocks
usually costs a few pupils), the relaxation's optimum places too much to say anything, but its
Lagrangian does: for every integer `price` >= 0,

    F(price) = min over flows x of  cost(x) + price x (priority left unplaced by x)

is one min-cost flow (a bypass arc per pupil costing `price` x its priority), and any answer
placing at least `need` priority has cost >= F(price) - price x (total - need). The best price
is where the flow's placed priority crosses `need`; a bisection over prices finds it, each
step one flow, so the bound is as good as the time allows and valid after any step. Before any
flow, each pupil's cheapest pair gives a weaker bound for free (`cheapest_pairs_bound`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.flow import FlowNetwork
from scheduler.placements.steer import Steer

MAX_PRICES = 12  # flows at most: enough to bisect prices up to the largest pair cost


def relaxed_cost_bound(
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: Steer,
    placed: int,
    time_left: Callable[[], bool],
) -> int:
    """A lower bound on the cost of any answer placing at least `placed` priority (pins
    included): the cheapest pairs' bound at once, then the Lagrangian of the relaxed flow over
    prices while `time_left()` says another flow may start. Cost here is the SPEC's cost,
    without changes."""
    network = FlowNetwork(pairs, steer)
    pinned_cost = int(pairs.cost[steer.pinned].sum())
    need = placed - int(priority[pairs.student[steer.pinned]].sum())
    if network.n_pupils == 0 or need <= 0:
        return pinned_cost
    total = int(priority[network.pupils].sum())
    no_change = np.zeros(len(pairs.students), dtype=np.int64)

    def bound_at(price: int) -> tuple[int, int]:
        """(the bound at `price`, the priority its flow places)."""
        chosen = network.min_cost(pairs.cost, priority, price, no_change)
        flow_placed = int(priority[pairs.student[chosen]].sum())
        value = int(pairs.cost[chosen].sum()) + price * (total - flow_placed)
        return value - price * (total - need), flow_placed

    low, high = 0, None  # prices whose flows place less than `need`, and at least
    price = int(pairs.cost[network.usable].max(initial=0)) + 1  # any one placement pays
    best = cheapest_pairs_bound(network, priority, need)
    for _ in range(MAX_PRICES):
        if not time_left():
            break
        bound, flow_placed = bound_at(price)
        best = max(best, bound)
        if flow_placed >= need:
            high = price
        else:
            low = price
        if high is not None and high - low <= 1:
            break
        price = 2 * low if high is None else (low + high) // 2
    return pinned_cost + best


def cheapest_pairs_bound(network: FlowNetwork, priority: NDArray[np.int64], need: int) -> int:
    """Every placed pupil costs at least its cheapest usable pair, so placing `need` priority
    costs at least the cheapest pupils per unit of priority that reach it (the LP of that
    knapsack cover, taking the last pupil in part). Seats are ignored: a weak bound, but one
    that costs no flow, for a solve out of time."""
    pairs = network.pairs
    pupil = np.searchsorted(network.pupils, pairs.student[network.usable])
    cheapest = np.full(network.n_pupils, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(cheapest, pupil, pairs.cost[network.usable])
    weight = priority[network.pupils]
    order = np.argsort(cheapest / weight, kind="stable")
    reached = np.cumsum(weight[order])
    last = min(int(np.searchsorted(reached, need)), len(order) - 1)
    whole = order[:last]
    short = need - int(weight[whole].sum())
    part = -(-short * int(cheapest[order[last]]) // int(weight[order[last]]))  # rounded up
    return int(cheapest[whole].sum()) + max(0, part)
