"""The time a solve's CP-SAT parts budget against: seconds for people, work units for tests.

A bureau gives a solve a number of seconds, and on a busy machine those seconds buy less search.
A test must not depend on that: with `deterministic`, the budget counts CP-SAT's deterministic
time (work units, roughly seconds on a quiet machine) summed over the solves so far, each solve
runs one worker with a fixed seed, and so the same round gets the same search, and the same
answer, on a quiet laptop and on a loaded CI machine.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model


class SearchClock:
    """`now()` in wall-clock seconds, or in deterministic work spent by the solves so far."""

    def __init__(self, *, deterministic: bool = False, seed: int = 0) -> None:
        self.deterministic = deterministic
        self.seed = seed
        self._work = 0.0

    def now(self) -> float:
        return self._work if self.deterministic else time.monotonic()

    def solver(self, seconds: float, workers: int) -> cp_model.CpSolver:
        """A CP-SAT solver limited to `seconds` of this clock's time."""
        solver = cp_model.CpSolver()
        if self.deterministic:
            solver.parameters.max_deterministic_time = seconds
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = self.seed
        else:
            solver.parameters.max_time_in_seconds = seconds
            solver.parameters.num_workers = max(1, workers)
        return solver

    def spent(self, solver: cp_model.CpSolver) -> None:
        """Charge what `solver` used: in deterministic time its own count, never zero, so a loop
        of solves that each finish at once still ends."""
        if self.deterministic:
            self._work += max(solver.deterministic_time, 1e-3)
