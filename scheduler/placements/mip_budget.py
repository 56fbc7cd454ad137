"""Whether the side-rule MIP can be built and searched in the time a solve has left.

HiGHS honours its time limit between simplex iterations and nodes, but not inside the first LP
of a large model, and building the rows and the proto is not counted by it at all: on the
region round of 5,000 pupils with lint periods (221,309 pairs) a 30 s limit took 43 s, at
20,000 pupils (3.7 million pairs) 313 s, and neither got past the root LP. So before building
the MIP the solve estimates its cost from its size and, when it does not fit, answers with the
feasible start and the relaxation's bound instead (`side_rules.solve_with_side_rules`).

The rate is measured, not derived (benchmarks/dated_periods.py, benchmarks/README.md): on the
busy 2-core machine the lint round of 1,000 pupils (8,727 pairs) was built and proven optimal
in 3 s, the one of 5,000 pupils did not finish its root LP in 30 s. In deterministic mode the
same rate counts work units (`SearchClock`), so a test forces either side with its limit.
"""

from __future__ import annotations

PAIRS_PER_SECOND = 5_000  # usable pairs the MIP builds and gets a root LP of, per second


def mip_seconds(usable_pairs: int) -> float:
    """The estimated time to build the MIP over `usable_pairs` and solve its root LP."""
    return usable_pairs / PAIRS_PER_SECOND


def mip_fits(usable_pairs: int, seconds_left: float) -> bool:
    return mip_seconds(usable_pairs) <= seconds_left
