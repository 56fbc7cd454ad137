"""The lexicographic driver of problem B's CP-SAT models, and the greedy around them.

`solve_lexicographic` runs the three objectives of a model in turn. `greedy` and `start_plan`
give the first feasible plan, the hints, and the completion of a plan after the solver.

The models themselves are `dated_model.DatedModel` and `pair_model.PairModel`; the rules they
are made of are `rules`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.activities.candidates import Candidates, spaced_count
from scheduler.activities.reasons import Ledger
from scheduler.activities.rules import distinct_excursion
from scheduler.progress import Progress, ProgressFn
from scheduler.search_clock import SearchClock

PHASES = ("activities", "travel", "spread")


def greedy(
    cands: Candidates,
    *,
    pairs: Iterable[int] | None = None,
    ledger: Ledger | None = None,
) -> Ledger:
    """Nearest offers first, earliest fitting date first: a feasible plan, maximal over `pairs`.

    With `ledger` it extends that plan (within the ledger's pair caps), which is also how a
    solver's plan is completed so that every short demand has only blocked candidates left
    (what its reason rests on).
    """
    ledger = ledger if ledger is not None else Ledger(cands)
    order = np.argsort(cands.pair_travel, kind="stable") if pairs is None else list(pairs)
    start = np.searchsorted(cands.cand_pair, np.arange(len(cands.pair_requester) + 1))
    for p in order:
        r, o = int(cands.pair_requester[p]), int(cands.pair_offer[p])
        if ledger.req_kind[(r, int(cands.offer_kind[o]))] >= cands.demand[r, cands.offer_kind[o]]:
            continue
        for i in range(start[p], start[p + 1]):
            if ledger.fits(i):
                ledger.add(i)
    return ledger


def start_plan(cands: Candidates, rounds: int = 3) -> NDArray[np.int64]:
    """The greedy, re-run with the requesters it left short served first (they are the ones
    with few options, which nearer-first hands to others); the best of the runs."""
    by_travel = np.argsort(cands.pair_travel, kind="stable")
    best = np.array(greedy(cands, pairs=by_travel).chosen, dtype=np.int64)
    first: set[int] = set()
    plan = best
    for _ in range(rounds):
        planned = np.zeros_like(cands.demand)
        np.add.at(
            planned, (cands.cand_requester[plan], cands.offer_kind[cands.cand_offer[plan]]), 1
        )
        kind = cands.offer_kind[cands.pair_offer]
        short = planned[cands.pair_requester, kind] < cands.demand[cands.pair_requester, kind]
        if set(cands.pair_requester[short].tolist()) <= first:
            break
        first |= set(cands.pair_requester[short].tolist())
        served = np.isin(cands.pair_requester, list(first))[by_travel]
        order = np.concatenate((by_travel[served], by_travel[~served]))
        plan = np.array(greedy(cands, pairs=order).chosen, dtype=np.int64)
        if better(plan_objective(cands, plan), plan_objective(cands, best)):
            best = plan
    return best


def better(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Whether objective values `a` beat `b` lexicographically."""
    return (a[0], -a[1], -a[2]) > (b[0], -b[1], -b[2])


def plan_objective(cands: Candidates, chosen: NDArray[np.int64]) -> tuple[int, int, int]:
    """(activities, travel minutes, sum over companies of their busiest month's hours)."""
    if len(chosen) == 0:
        return 0, 0, 0
    offer = cands.cand_offer[chosen]
    hours = np.zeros((len(cands.companies), len(cands.grid.months)), dtype=np.int64)
    np.add.at(
        hours, (cands.offer_company[offer], cands.cand_month[chosen]), cands.offer_hours[offer]
    )
    travel = int(cands.pair_travel[cands.cand_pair[chosen]].sum())
    return len(chosen), travel, int(hours.max(axis=1).sum())


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    status: str  # OPTIMAL, FEASIBLE, UNKNOWN (no solution in time: previous kept) or SKIPPED
    value: int
    bound: int | None  # proven bound on this phase's objective given the earlier ones, if any
    seconds: float


class LexicographicModel(Protocol):
    model: cp_model.CpModel

    def objective(self, name: str) -> cp_model.LinearExpr | int: ...

    def hint(self, solution: NDArray[np.int64]) -> None: ...

    def read(self, solver: cp_model.CpSolver) -> NDArray[np.int64]: ...

    def evaluate(self, solution: NDArray[np.int64]) -> dict[str, int]: ...

    @property
    def travel_limit(self) -> int: ...


class _Listener(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressFn, phase: str, started: float) -> None:
        super().__init__()
        self._progress, self._phase, self._started = progress, phase, started

    def on_solution_callback(self) -> None:
        self._progress(
            Progress(
                "activities",
                self._phase,
                time.monotonic() - self._started,
                best=self.objective_value,
                bound=self.best_objective_bound,
            )
        )


def solve_lexicographic(
    m: LexicographicModel,
    solution: NDArray[np.int64],
    *,
    ceiling: int,
    label: str,
    deadline: float,
    shares: tuple[float, float, float],
    workers: int,
    progress: ProgressFn,
    started: float,
    clock: SearchClock,
) -> tuple[NDArray[np.int64], list[Phase]]:
    """Each phase in turn, from the feasible `solution`; `ceiling` is a known upper bound on
    the activities (the filter bound, or the pairs a dating must place).

    The first phase maximises `weight * activities - travel` with `weight` above any plan's
    travel, so it returns the most activities and, among those, the least travel it finds: the
    travel phase then starts from a good plan rather than an arbitrary one, and is skipped when
    the first is proven. A phase gets its `shares` part of the time left; its value is fixed
    before the next one, so later phases never trade an earlier objective away.
    """
    values = m.evaluate(solution)
    count, travel = m.objective("activities"), m.objective("travel")
    weight = m.travel_limit + 1
    m.model.add(count <= ceiling)
    phases = []
    phase_started = time.monotonic()
    if values["activities"] >= ceiling:
        phases.append(Phase("activities", "OPTIMAL", values["activities"], ceiling, 0.0))
        proven_travel = False
    else:
        m.model.maximize(weight * count - travel)
        listener = _Listener(progress, f"{label}: activities, then travel", started)
        status, solver = _run(
            m, solution, clock, deadline, shares[0] / sum(shares), workers, listener
        )
        if status in _FOUND:
            found = m.read(solver)
            found_values = m.evaluate(found)
            key = ("activities", "travel")
            if (found_values[key[0]], -found_values[key[1]]) >= (values[key[0]], -values[key[1]]):
                solution, values = found, found_values
            best_bound = int(np.floor(solver.best_objective_bound + 1e-6))
            ceiling = min(ceiling, -(-best_bound // weight))  # weight exceeds any travel
        proven_travel = status == cp_model.OPTIMAL
        phases.append(
            Phase(
                "activities",
                "OPTIMAL" if values["activities"] == ceiling else _status(status),
                values["activities"],
                ceiling,
                round(time.monotonic() - phase_started, 3),
            )
        )
    m.model.add(count >= values["activities"])
    for position, name in ((1, "travel"), (2, "spread")):
        phase_started = time.monotonic()
        expression = travel if name == "travel" else m.objective(name)
        if name == "travel" and proven_travel:
            phases.append(Phase(name, "OPTIMAL", values[name], values[name], 0.0))
        elif shares[position] == 0:
            phases.append(Phase(name, "SKIPPED", values[name], None, 0.0))
        else:
            m.model.minimize(expression)
            share = shares[position] / sum(shares[position:])
            listener = _Listener(progress, f"{label}: {name}", started)
            status, solver = _run(m, solution, clock, deadline, share, workers, listener)
            bound = None
            if status in _FOUND:
                found = m.read(solver)
                found_values = m.evaluate(found)
                if found_values[name] <= values[name]:
                    solution, values = found, found_values
                bound = min(values[name], int(np.ceil(solver.best_objective_bound - 1e-6)))
            phases.append(
                Phase(
                    name,
                    "OPTIMAL" if bound == values[name] else _status(status),
                    values[name],
                    bound,
                    round(time.monotonic() - phase_started, 3),
                )
            )
        m.model.add(expression <= values[name])
    return solution, phases


_FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _status(status: cp_model.CpSolverStatus) -> str:
    return "FEASIBLE" if status in _FOUND else "UNKNOWN"


def _run(
    m: LexicographicModel,
    hint: NDArray[np.int64],
    clock: SearchClock,
    deadline: float,
    share: float,
    workers: int,
    listener: cp_model.CpSolverSolutionCallback,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """Solve `m` from `hint` for `share` of the time left on `clock` until `deadline`."""
    m.model.clear_hints()
    m.hint(hint)
    solver = clock.solver(max(0.05, (deadline - clock.now()) * share), workers)
    status = solver.solve(m.model, listener)
    clock.spent(solver)
    return status, solver


def min_gap_days(cands: Candidates) -> int:
    return cands.round.calendar.min_gap_days if cands.round.calendar else 0


def pair_upper(cands: Candidates) -> NDArray[np.int64]:
    """Per pair, the most activities any plan gives it: the demand of its kind, one for an
    excursion of a class with distinct sectors, and no more than its dates `min_gap_days` apart."""
    c = cands
    start = np.searchsorted(c.cand_pair, np.arange(len(c.pair_requester) + 1))
    r = c.pair_requester
    kind = c.offer_kind[c.pair_offer]
    upper = c.demand[r, kind].copy()
    upper[distinct_excursion(c, r, kind)] = 1
    gap = min_gap_days(c)
    for p in np.flatnonzero(upper > 1).tolist():
        slots = c.cand_slot[start[p] : start[p + 1]]
        upper[p] = min(upper[p], spaced_count(slots, gap, c.grid))
    return upper
