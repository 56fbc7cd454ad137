"""The same MIP as `highs.py`, modelled the way most MIP users write one: PuLP, solved by CBC.

PuLP builds the model as Python objects and hands CBC an MPS file, so model building counts
as much as the solve on large rounds; that is part of what a bureau would live with.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pulp

from benchmarks.peers.common import Answer, Problem


def solve(problem: Problem, time_limit: float) -> Answer:
    n = len(problem.usable)
    weight = problem.lexicographic_weight()
    model = pulp.LpProblem("placement", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{i}", cat=pulp.LpBinary) for i in range(n)]
    coefficient = (problem.cost - weight * problem.priority[problem.student]).tolist()
    model += pulp.lpSum(c * v for c, v in zip(coefficient, x, strict=True))
    by_pupil, by_seat, by_company = defaultdict(list), defaultdict(list), defaultdict(list)
    limited = set(problem.limited_companies().tolist())
    for i, (s, q, c) in enumerate(
        zip(problem.student.tolist(), problem.seat.tolist(), problem.company.tolist(), strict=True)
    ):
        by_pupil[s].append(x[i])
        by_seat[q].append(x[i])
        if c in limited:
            by_company[c].append(x[i])
    for members in by_pupil.values():
        model += pulp.lpSum(members) <= 1
    for q, members in by_seat.items():
        model += pulp.lpSum(members) <= int(problem.seat_capacity[q])
    for c, members in by_company.items():
        model += pulp.lpSum(members) <= int(problem.company_limit[c])
    status = model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=0, threads=1))
    chosen = np.array([i for i, v in enumerate(x) if (v.value() or 0) > 0.5], dtype=np.int64)
    proven = pulp.LpStatus[status] == "Optimal" and model.sol_status == pulp.LpSolutionOptimal
    return Answer(chosen, proven, n, pulp.LpStatus[status])
