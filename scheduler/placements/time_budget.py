"""Whether the side-rule MIP, or one more min-cost flow, fits the time a solve has left.

HiGHS honours its time limit between simplex iterations and nodes, but not inside the first LP
of a large model, and building the rows and the proto is not counted by it at all: on the
region round of 5,000 pupils with lint periods (221,309 pairs) a 30 s limit took 43 s, at
20,000 pupils (3.7 million pairs) 313 s, and neither got past the root LP. So before building
the MIP the solve estimates its cost from its size and, when it does not fit, answers with the
feasible start and the relaxation's bound instead (`side_rules.solve_with_side_rules`); when
not even the start's restricted flow fits, with the relaxed optimum cut down to the limits.

The rates are measured, not derived (benchmarks/dated_periods.py, benchmarks/README.md): on
the busy 2-core machine the lint round of 1,000 pupils (8,727 pairs) was built and proven
optimal in 3 s and the shortlist of the one of 5,000 pupils (37,169 pairs) searched within
10 s, but the whole model of 5,000 pupils (221,309 pairs) did not finish its root LP in 30 s,
nor the shortlist of 20,000 pupils in 100 s: HiGHS's time grows faster than the pairs, so the
estimate has a square term. A min-cost flow took 1 s over 221,309 pairs and 23 s over 3.7
million. In deterministic mode the same rates count work units (`SearchClock`), so a test
chooses either side with its limit.

Only lint rounds (a company's day sets not laminar) take this path: on team rounds the same
HiGHS proves 210,000 pairs optimal in seconds (benchmarks/side_rules.py).
"""

from __future__ import annotations

MIP_PAIRS_PER_SECOND = 5_000  # usable pairs the MIP builds and gets a root LP of, per second
MIP_PAIRS_SQUARED = 15_000  # and the square of pairs / this, in seconds: LPs grow faster
FLOW_PAIRS_PER_SECOND = 100_000  # usable pairs a min-cost flow solves, per second


def mip_fits(usable_pairs: int, seconds_left: float) -> bool:
    """Building the MIP over `usable_pairs` and solving its root LP fits `seconds_left`."""
    estimate = usable_pairs / MIP_PAIRS_PER_SECOND + (usable_pairs / MIP_PAIRS_SQUARED) ** 2
    return estimate <= seconds_left


def flow_fits(usable_pairs: int, seconds_left: float) -> bool:
    """One more min-cost flow over `usable_pairs` fits `seconds_left`."""
    return usable_pairs / FLOW_PAIRS_PER_SECOND <= seconds_left
