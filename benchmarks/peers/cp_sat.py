"""A plain CP-SAT model of the round: what one writes first with OR-Tools, no flow behind it.

Booleans per eligible pair with room, at-most-one per pupil, linear capacity per seat and per
limited company, one weighted objective (unplaced priority x a weight above any total cost,
plus cost), 8 search workers as stagebureau's own CP-SAT path uses.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from benchmarks.peers.common import Answer, Problem

WORKERS = 8


def solve(problem: Problem, time_limit: float) -> Answer:
    n = len(problem.usable)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    for members in _groups(problem.student):
        model.add_at_most_one(x[i] for i in members)
    for members in _groups(problem.seat):
        capacity = int(problem.seat_capacity[problem.seat[members[0]]])
        if len(members) > capacity:
            model.add(sum(x[i] for i in members) <= capacity)
    limited = set(problem.limited_companies().tolist())
    for members in _groups(problem.company):
        company = int(problem.company[members[0]])
        if company in limited:
            model.add(sum(x[i] for i in members) <= int(problem.company_limit[company]))
    weight = problem.lexicographic_weight()
    model.minimize(
        cp_model.LinearExpr.weighted_sum(
            x, (problem.cost - weight * problem.priority[problem.student]).tolist()
        )
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = WORKERS
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Answer(np.zeros(0, dtype=np.int64), False, n, solver.status_name(status))
    chosen = np.array([i for i in range(n) if solver.boolean_value(x[i])], dtype=np.int64)
    return Answer(chosen, status == cp_model.OPTIMAL, n, solver.status_name(status))


def _groups(keys: np.ndarray) -> list[list[int]]:
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return [chunk.tolist() for chunk in np.split(order, cuts)] if len(keys) else []
