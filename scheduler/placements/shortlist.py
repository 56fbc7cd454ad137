"""The pairs a side-rule MIP searches first: each pupil's ranked list and its few cheapest others.

On a round where pupils accept unranked placements the model holds every placement in reach
(210,028 pairs on a 2,000-pupil team round), and HiGHS's presolve and root cuts on it outran a
30 s limit without improving the start. Nearly every optimal placement is a ranked one or one of
the cheapest unranked (an unranked placement costs `unranked_cost` plus travel, so a further
one only pays when the nearer ones are closed or full): the MIP over this shortlist solves in
seconds and its answer, feasible for the whole round, starts the full MIP, which then only has to
prove a bound. Nothing is lost by the restriction: the full MIP still searches every pair.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scheduler.placements.eligibility import EligiblePairs

UNRANKED_PER_PUPIL = 5  # measured on open team rounds: 3 and 6 end within 0.1% of each other


def shortlisted_pairs(
    pairs: EligiblePairs,
    usable: NDArray[np.int64],
    cost: NDArray[np.int64],
    *starts: NDArray[np.int64],
) -> NDArray[np.int64]:
    """The usable pairs that are ranked, in one of `starts` (pins, the flow optimum, the repaired
    start), or among their pupil's `UNRANKED_PER_PUPIL` cheapest unranked pairs by `cost` (per
    pair, changes to a proposal included); sorted."""
    keep = np.zeros(len(pairs), dtype=bool)
    keep[usable[pairs.rank[usable] > 0]] = True
    for start in starts:
        keep[start] = True
    unranked = usable[pairs.rank[usable] == 0]
    by_pupil = unranked[np.lexsort((cost[unranked], pairs.student[unranked]))]
    pupil = pairs.student[by_pupil]
    place_in_list = np.arange(len(by_pupil)) - np.searchsorted(pupil, pupil)
    keep[by_pupil[place_in_list < UNRANKED_PER_PUPIL]] = True
    in_model = np.zeros(len(pairs), dtype=bool)
    in_model[usable] = True
    return np.flatnonzero(keep & in_model).astype(np.int64)
