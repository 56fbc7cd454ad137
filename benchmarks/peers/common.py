"""What every peer adapter shares: the problem as arrays over the eligible pairs, and its answer.

Every solver, stagebureau's included, runs in its own process through `python -m
benchmarks.peers.solve NAME ROUND CHOSEN --time-limit S`: it reads the same round, computes
the same eligible pairs (`scheduler.eligibility`, so the comparison is about the solvers, not
about who filters pupils x placements faster), solves, and hands back the chosen pairs; the
runner turns them into a SPEC solution document (reasons included) for `stagebureau verify`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler.placements.eligibility import EligiblePairs


@dataclass(frozen=True, slots=True)
class Problem:
    """Problem A core as arrays over the pairs whose seat has room (capacity > 0)."""

    pairs: EligiblePairs
    usable: NDArray[np.int64]  # indices into pairs
    student: NDArray[np.int64]  # per usable pair
    seat: NDArray[np.int64]  # per usable pair: placement * periods + period
    company: NDArray[np.int64]  # per usable pair
    cost: NDArray[np.int64]  # per usable pair
    key: NDArray[np.int64]  # per usable pair: rank, or one past the longest list if unranked
    priority: NDArray[np.int64]  # per pupil
    seat_capacity: NDArray[np.int64]  # per seat index
    company_limit: NDArray[np.int64]  # per company, -1 unlimited

    @classmethod
    def of(cls, pairs: EligiblePairs) -> Problem:
        usable = np.flatnonzero(pairs.capacity[pairs.placement, pairs.period] > 0)
        n_periods = max(1, len(pairs.periods))
        placement = pairs.placement[usable].astype(np.int64)
        unranked = int(pairs.rank.max(initial=0)) + 1
        rank = pairs.rank[usable].astype(np.int64)
        return cls(
            pairs=pairs,
            usable=usable,
            student=pairs.student[usable].astype(np.int64),
            seat=placement * n_periods + pairs.period[usable],
            company=pairs.placement_company[placement].astype(np.int64),
            cost=pairs.cost[usable],
            key=np.where(rank > 0, rank, unranked),
            priority=np.array([s.priority for s in pairs.students], dtype=np.int64),
            seat_capacity=np.maximum(pairs.capacity, 0).ravel(),
            company_limit=pairs.company_limit,
        )

    def lexicographic_weight(self) -> int:
        """A weight per unit of unplaced priority above any total cost: one objective, exact."""
        pupils = len(np.unique(self.student))
        return int(self.cost.max(initial=0)) * pupils + 1

    def limited_companies(self) -> NDArray[np.int64]:
        """Companies whose max_students is below what their seats could take anyway."""
        seats = np.bincount(
            self.company, minlength=len(self.company_limit)
        )  # pairs per company bound the pupils it can get
        return np.flatnonzero((self.company_limit >= 0) & (self.company_limit < seats))


@dataclass(frozen=True, slots=True)
class Answer:
    """A peer's result: chosen usable-pair positions and whether the peer proved optimality."""

    chosen: NDArray[np.int64]  # positions into Problem.usable
    proven_optimal: bool
    variables: int
    note: str = ""
