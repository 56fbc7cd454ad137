"""What a placement solve returns, whichever method found it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler.placements.eligibility import EligiblePairs


@dataclass(frozen=True, slots=True)
class PlacementResult:
    pairs: EligiblePairs
    chosen: NDArray[np.int64]  # indices into `pairs`, at most one per pupil
    status: str  # "OPTIMAL" or "FEASIBLE"
    placed_priority: int
    cost: int
    bound: int | None  # lower bound on cost at this placed priority
    method: str  # "min_cost_flow" or "cp_sat"
    variables: int
    changes: int | None = None  # pupils of the previous proposal moved or dropped
