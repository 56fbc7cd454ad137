"""Problem A: assign pupils to (placement, period) with the lexicographic objective of SPEC 3.

Without `min_students`, `together` and `apart` the round is a min-cost flow
(pupil -> placement/period -> company -> sink, plus a bypass arc per pupil whose cost outweighs
any cost difference, so placing more priority always wins) and is solved exactly.
With them, the same sparse eligible pairs become a CP-SAT model: the flow optimum is a relaxation
(its placed priority is an upper bound and, at that priority, its cost a lower bound), and the
flow solution repaired to feasibility is the hint and the fallback answer.
"""

from __future__ import annotations

import time

import numpy as np

from scheduler.domain import Round
from scheduler.placements.concurrency import concurrency_of
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.placements.flow import objective, solve_flow
from scheduler.placements.result import PlacementResult
from scheduler.placements.side_rules import solve_with_side_rules
from scheduler.placements.steer import Steer, Steering
from scheduler.progress import Progress, ProgressFn, ignore
from scheduler.search_clock import SearchClock


def has_side_constraints(round_: Round, pairs: EligiblePairs | None = None) -> bool:
    """Rules no min-cost flow holds: min_students, together, apart, and a company's
    `max_concurrent` over periods that overlap without nesting (`concurrency`)."""
    if bool(round_.together or round_.apart) or any(
        p.min_students > 1 for p in round_.placements.values()
    ):
        return True
    if pairs is not None:
        return not pairs.concurrency.exact_as_flow
    periods = sorted({t for p in round_.placements.values() for t in p.capacity})
    return not concurrency_of(round_, round_.companies, periods).exact_as_flow


def solve_placements(
    round_: Round,
    *,
    time_limit: float = 30.0,
    progress: ProgressFn = ignore,
    pairs: EligiblePairs | None = None,
    use_mip: bool = False,
    steering: Steering | None = None,
    deterministic: bool = False,
) -> PlacementResult:
    """The optimal placement of a round (or, with side rules, the best found in `time_limit`).

    `use_mip` takes the side-rule MIP even without side rules, to cross-check the two.
    `deterministic` counts `time_limit` in MIP nodes instead of seconds (`SearchClock`).
    """
    started = time.monotonic()
    clock = SearchClock(deterministic=deterministic)
    begun = clock.now()
    if pairs is None:
        progress(Progress("placements", "finding eligible pairs", 0.0))
        pairs = eligible_pairs(round_)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    steer = Steer.of(pairs, steering or Steering())
    progress(
        Progress(
            "placements", f"min-cost flow over {len(pairs):,} pairs", time.monotonic() - started
        )
    )
    chosen, arcs = solve_flow(pairs, priority, steer)
    placed, cost = objective(pairs, chosen, priority)
    if not (use_mip or has_side_constraints(round_, pairs)):
        return PlacementResult(
            pairs,
            chosen,
            "OPTIMAL",
            placed,
            cost,
            cost,
            "min_cost_flow",
            arcs,
            steer.changes(pairs, chosen),
        )
    remaining = max(0.0, time_limit - (clock.now() - begun))
    return solve_with_side_rules(
        round_,
        pairs,
        priority,
        steer,
        chosen,
        (placed, cost),
        remaining,
        progress,
        started,
        clock,
    )
