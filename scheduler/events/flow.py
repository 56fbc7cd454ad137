"""Which sessions each pupil gets, as one min-cost flow (OR-Tools `SimpleMinCostFlow`).

Network: source -> pupil (capacity its count, at most the event's rounds and the distinct rounds
its choices run in) -> session (capacity 1, cost rank - 1) -> sink (capacity seats x rounds the
session runs). A request with `distinct_sectors` passes through a (pupil, first sector) node of
capacity 1 before the sessions of that sector, which is the sector rule exactly. A maximum flow
of least cost is the lexicographic optimum of the choice: most sessions granted, then least
rank sum; ties go by the seeded lottery (`scheduler.lottery`).

When every session runs every round, any such choice fits the rounds (`layout`), so the flow is
the optimum of the event. Otherwise it relaxes the rounds to a total per session and is a proven
bound: no plan grants more than its flow, and no plan granting k sessions has a rank sum below
that of the least-cost flow of exactly k units (`units`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.events.problem import EventProblem
from scheduler.lottery import TieBreak

_INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class SessionChoice:
    chosen: tuple[int, ...]  # candidate indices the flow grants, ascending
    granted: int
    rank_sum: int
    arcs: int


def choose_sessions(problem: EventProblem, *, units: int | None = None) -> SessionChoice:
    """The least-cost maximum flow, or with `units` the least-cost flow of exactly that many
    (at most the maximum)."""
    candidates = problem.candidates
    if not candidates:
        return SessionChoice((), 0, 0, 0)
    n_requests = len(problem.requests)
    source, first_pupil = 0, 1
    node_count = first_pupil + n_requests
    sector_node: dict[tuple[int, str], int] = {}
    pupil_rounds: list[set[int]] = [set() for _ in range(n_requests)]
    for c in candidates:
        session = problem.sessions[c.session]
        pupil_rounds[c.request] |= set(session.rounds)
        sector = session.first_sector
        distinct = problem.requests[c.request].distinct_sectors
        if distinct and sector is not None and (c.request, sector) not in sector_node:
            sector_node[(c.request, sector)] = node_count
            node_count += 1
    first_session = node_count
    sink = first_session + len(problem.sessions)
    supply = [min(problem.supply(r), len(pupil_rounds[r])) for r in range(n_requests)]

    tie: TieBreak | None = TieBreak(max(1, sum(supply)))
    most_rank = max(c.rank for c in candidates)
    while tie is not None and most_rank * tie.scale > _INT64_MAX // (4 * (sink + 2)):
        tie = tie.coarser()
    if tie is None:
        raise OverflowError("event choice lists too long for an exact min-cost flow")

    tails: list[int] = []
    heads: list[int] = []
    capacities: list[int] = []
    costs: list[int] = []
    rank_step = np.array([c.rank - 1 for c in candidates], dtype=np.int64)
    drawn = np.array([c.ticket for c in candidates], dtype=np.int64)
    for c in candidates:
        sector = problem.sessions[c.session].first_sector
        through = sector_node.get((c.request, sector)) if sector is not None else None
        tails.append(first_pupil + c.request if through is None else through)
        heads.append(first_session + c.session)
        capacities.append(1)
    costs.extend(tie.costs(rank_step, drawn).tolist())
    for (request, _), node in sector_node.items():
        tails.append(first_pupil + request)
        heads.append(node)
        capacities.append(1)
        costs.append(0)
    for r in range(n_requests):
        tails.append(source)
        heads.append(first_pupil + r)
        capacities.append(supply[r])
        costs.append(0)
    for s, session in enumerate(problem.sessions):
        tails.append(first_session + s)
        heads.append(sink)
        capacities.append(session.capacity * len(session.rounds))
        costs.append(0)

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    total = sum(supply) if units is None else units
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost() if units is None else flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"event min-cost flow ended with status {status}")
    used = flow.flows(arcs[: len(candidates)]) > 0
    chosen = tuple(int(k) for k in np.flatnonzero(used))
    return SessionChoice(
        chosen=chosen,
        granted=len(chosen),
        rank_sum=int(rank_step[list(chosen)].sum()) if chosen else 0,
        arcs=len(tails),
    )
