"""The time a solve's CP-SAT parts budget against: seconds for people, work units for tests.

A bureau gives a solve a number of seconds, and on a busy machine those seconds buy less search.
A test must not depend on that: with `deterministic`, the budget counts CP-SAT's deterministic
time (work units, roughly seconds on a quiet machine) summed over the solves so far, each solve
runs one worker with a fixed seed, and so the same round gets the same search, and the same
answer, on a quiet laptop and on a loaded CI machine.
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:  # MathOpt costs 0.1 s to import: only rounds with side rules pay it
    from ortools.math_opt.python import mathopt

# A MIP solver has no deterministic clock of its own: in deterministic mode a second of budget
# buys this many branch-and-bound nodes, and each node is charged back at the same rate.
MIP_NODES_PER_SECOND = 1000


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

    def mip_parameters(self, seconds: float) -> mathopt.SolveParameters:
        """MathOpt parameters for a MIP limited to `seconds` of this clock's time, solved to a
        gap below 1 (every objective here is integral)."""
        from ortools.math_opt.python import mathopt

        exact = {"relative_gap_tolerance": 0.0, "absolute_gap_tolerance": 0.5}
        if self.deterministic:
            nodes = max(1, int(seconds * MIP_NODES_PER_SECOND))
            return mathopt.SolveParameters(node_limit=nodes, random_seed=self.seed, **exact)
        return mathopt.SolveParameters(
            time_limit=datetime.timedelta(seconds=max(0.1, seconds)), **exact
        )

    def spent_on_mip(self, nodes: int) -> None:
        """Charge a MIP solve its nodes (at least one: the root)."""
        if self.deterministic:
            self._work += max(nodes, 1) / MIP_NODES_PER_SECOND
