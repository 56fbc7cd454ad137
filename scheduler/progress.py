"""Progress events a long solve reports to whoever runs it (a terminal, a job record)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    problem: str  # "placements", "activities", "electives"
    phase: str  # what the solver does now, in words
    elapsed: float  # seconds since this problem's solve started
    best: float | None = None  # objective of the best solution so far, when there is one
    bound: float | None = None  # proven bound on that objective, when there is one


ProgressFn = Callable[[Progress], None]


def ignore(_: Progress) -> None:
    """The default listener."""
