"""A national round solved as independent components in parallel worker processes.

Two pupils interact only through seats and companies they could both take, so the pupil ->
company graph of the eligible pairs (seats with room only) splits the round into components
that share nothing: the optimum of the round is the union of the components' optima, and each
component is an ordinary min-cost flow (`scheduler.placement.solve_flow`). Components are
packed largest first into one job per worker, each job is solved in its own process, and the
chosen pairs are mapped back: the merged answer has exactly the placed priority and cost of one
flow over the whole round.

What the measurement found (benchmarks/README.md): at the fixtures' density (bike, 45 minutes,
~10 km) the country is one component: every pupil of `generate_national` with a seat in reach
is linked to almost every other through chains of shared companies across region borders. A
split then only adds the cost of shipping the pairs to workers, so when one component holds
most of the pairs the round is solved as one flow in this process. Splitting by STO region
would change the round (a pupil near a border could no longer take the neighbouring region's
placement), so this module does not do it.

Rounds with together, apart or min_students are not split (their rules cross pairs); callers
use `solve_placements` for them.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from scheduler.domain import Round
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.placements.flow import objective, solve_flow
from scheduler.placements.result import PlacementResult
from scheduler.placements.solve import has_side_constraints

# Above this share of the pairs in one component, parallel parts cannot repay shipping them.
SPLIT_WORTH = 0.8


@dataclass(frozen=True, slots=True)
class Components:
    """Per pupil its component (-1: no seat with room), and each component's pair count."""

    of_pupil: NDArray[np.int64]
    sizes: NDArray[np.int64]  # pairs per component

    @property
    def outside_largest(self) -> int:
        """Pupils with a seat in reach that are not in the largest component."""
        placeable = self.of_pupil[self.of_pupil >= 0]
        return int(len(placeable) - np.bincount(placeable).max()) if len(placeable) else 0

    @property
    def largest_share(self) -> float:
        """Share of the placeable pupils in the largest component."""
        placeable = self.of_pupil[self.of_pupil >= 0]
        if len(placeable) == 0:
            return 0.0
        return float(np.bincount(placeable).max() / len(placeable))


def components(pairs: EligiblePairs) -> Components:
    """Connected components of the pupil -> company graph over seats with room."""
    n_students = len(pairs.students)
    usable = pairs.capacity[pairs.placement, pairs.period] > 0
    company = pairs.placement_company[pairs.placement[usable]].astype(np.int64)
    n_nodes = n_students + len(pairs.company_ids)
    graph = coo_matrix(
        (np.ones(len(company), dtype=np.int8), (pairs.student[usable], n_students + company)),
        shape=(n_nodes, n_nodes),
    )
    _, label = connected_components(graph, directed=False)
    of_pupil = np.full(n_students, -1, dtype=np.int64)
    with_pairs = np.unique(pairs.student[usable])
    _, of_pupil[with_pairs] = np.unique(label[with_pairs], return_inverse=True)
    sizes = np.bincount(of_pupil[pairs.student[usable]], minlength=int(of_pupil.max()) + 1)
    return Components(of_pupil, sizes.astype(np.int64))


def solve_split(
    round_: Round, *, workers: int = 2, pairs: EligiblePairs | None = None
) -> PlacementResult:
    """The flow optimum of a round without side rules, solved by components in `workers`.

    The objective equals `solve_placements` on the same round; with several optima the
    assignment may differ, as it may between two solvers.
    """
    if has_side_constraints(round_):
        raise ValueError("a round with together, apart or min_students is not split")
    pairs = pairs if pairs is not None else eligible_pairs(round_)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    parts = components(pairs)
    if parts.sizes.max(initial=0) > SPLIT_WORTH * parts.sizes.sum():
        whole, _ = solve_flow(pairs, priority)
        placed, cost = objective(pairs, whole, priority)
        return PlacementResult(
            pairs, whole, "OPTIMAL", placed, cost, cost, "min_cost_flow", len(pairs)
        )
    pair_component = parts.of_pupil[pairs.student]
    subsets = [np.flatnonzero(np.isin(pair_component, job)) for job in _pack(parts, workers)]
    chosen: list[NDArray[np.int64]] = []
    if len(subsets) <= 1 or workers <= 1:
        chosen = [subset[_solve_part(subset_pairs(pairs, subset))] for subset in subsets]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            found = pool.map(_solve_part, [subset_pairs(pairs, subset) for subset in subsets])
            chosen = [subset[local] for subset, local in zip(subsets, found, strict=True)]
    merged = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
    placed, cost = objective(pairs, merged, priority)
    return PlacementResult(
        pairs, merged, "OPTIMAL", placed, cost, cost, "min_cost_flow_split", len(pairs)
    )


def _pack(parts: Components, workers: int) -> list[NDArray[np.int64]]:
    """Components into at most `workers` jobs of similar size, largest first."""
    order = np.argsort(-parts.sizes, kind="stable")
    load = np.zeros(max(1, workers), dtype=np.int64)
    members: list[list[int]] = [[] for _ in range(len(load))]
    for component in order.tolist():
        lightest = int(np.argmin(load))
        load[lightest] += parts.sizes[component]
        members[lightest].append(component)
    return [np.array(m, dtype=np.int64) for m in members if m]


def subset_pairs(pairs: EligiblePairs, keep: NDArray[np.int64]) -> EligiblePairs:
    """The pairs `keep` as a round of their own: pupils, placements and companies renumbered."""
    students, student = np.unique(pairs.student[keep], return_inverse=True)
    placements, placement = np.unique(pairs.placement[keep], return_inverse=True)
    companies, placement_company = np.unique(
        pairs.placement_company[placements], return_inverse=True
    )
    return EligiblePairs(
        students=tuple(pairs.students[i] for i in students.tolist()),
        placements=tuple(pairs.placements[i] for i in placements.tolist()),
        periods=pairs.periods,
        placement_company=placement_company.astype(np.int32),
        company_ids=tuple(pairs.company_ids[i] for i in companies.tolist()),
        student=student.astype(np.int32),
        placement=placement.astype(np.int32),
        period=pairs.period[keep],
        minutes=pairs.minutes[keep],
        rank=pairs.rank[keep],
        cost=pairs.cost[keep],
        capacity=pairs.capacity[placements],
        company_limit=pairs.company_limit[companies],
        reachable=pairs.reachable[students],
        admitted_somewhere=pairs.admitted_somewhere[students],
        tickets=pairs.tickets[keep],
        excluded_eligible=pairs.excluded_eligible[students],
        concurrency=pairs.concurrency.of_companies(companies.astype(np.int64)),
    )


def _solve_part(part: EligiblePairs) -> NDArray[np.int64]:
    """One job's flow optimum, as indices into its pairs (runs in a worker process)."""
    priority = np.array([s.priority for s in part.students], dtype=np.int64)
    chosen, _ = solve_flow(part, priority)
    return chosen
