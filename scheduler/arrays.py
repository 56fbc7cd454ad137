"""Small numpy helpers the models share."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def positions_by_value(keys: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Positions of `keys` grouped by value, in key order: one constraint per group."""
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return np.split(order, cuts)
