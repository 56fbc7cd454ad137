"""The seeded lottery that breaks ties between equally good answers (SPEC section 8).

Every candidate of an exact problem (a pupil's placement and period, a pupil's elective
choice) holds a ticket drawn from the round's `seed` and the candidate's position among records
ordered by id, never from its place in the document. The solver then minimises
`scale x cost + ticket` instead of `cost`, which picks the lowest ticket total among the
solutions of least cost and nothing else:

A solution uses at most `terms` ticketed candidates (one per pupil in the placement flow, the
supplied electives in the elective flow), each ticket in [0, 2^bits - 1], so its ticket total T
lies in [0, terms x (2^bits - 1)] = [0, scale - 1]. For solutions A and B with integer costs
C_A < C_B: scale x C_A + T_A <= scale x C_A + scale - 1 < scale x (C_A + 1) <= scale x C_B + T_B.
So the ticketed order refines the cost order and another seed never changes the cost.

The ticketed costs are `scale` times larger, and OR-Tools' min-cost flow multiplies costs by
the node count as it scales them, so a caller short of int64 room takes `coarser()`: fewer
bits, a smaller scale, the same proof; at 0 bits the scale is 1 and the costs are the plain ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

LOTTERY_BITS = 10
# Bits given up per step when the costs do not fit: the placement flow's unit grows 32-fold.
_STEP_BITS = 5
_MASK64 = (1 << 64) - 1


def tickets(seed: int, keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """A ticket in [0, 2^LOTTERY_BITS) per key: splitmix64 of the seed, then of seed + key.

    A pure function of (seed, key), so a subset of the candidates (a component of a national
    round, a priority level of the envy-free solve) keeps the tickets it had in the whole.
    """
    mixed = _splitmix64(np.array([seed & _MASK64], dtype=np.uint64))
    with np.errstate(over="ignore"):
        drawn = _splitmix64(keys.astype(np.uint64) + mixed)
    return (drawn >> np.uint64(64 - LOTTERY_BITS)).astype(np.int64)


def _splitmix64(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class TieBreak:
    """Costs scaled so that tickets decide only between solutions of equal cost."""

    terms: int  # the most ticketed candidates one solution can use
    bits: int = LOTTERY_BITS

    @property
    def scale(self) -> int:
        return self.terms * ((1 << self.bits) - 1) + 1

    def costs(self, cost: NDArray[np.int64], drawn: NDArray[np.int64]) -> NDArray[np.int64]:
        """`scale x cost + ticket`, the ticket cut to this tie-break's bits."""
        return cost * self.scale + (drawn >> (LOTTERY_BITS - self.bits))

    def coarser(self) -> TieBreak | None:
        """The same lottery with fewer bits (a smaller scale); None once it is already off."""
        if self.bits == 0:
            return None
        return TieBreak(self.terms, max(0, self.bits - _STEP_BITS))
