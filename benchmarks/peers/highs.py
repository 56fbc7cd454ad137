"""The placement round as a MIP on HiGHS (`highspy`), built straight from arrays.

One binary per eligible pair with room; per pupil at most one pair, per seat at most its
capacity, per limited company at most `max_students`. The lexicographic objective is one
weighted sum (unplaced priority x a weight above any total cost, plus cost) with a relative
gap of 0, so a proven optimum is the exact one. The constraint matrix is totally unimodular
(a pupil side and a laminar seat/company side), so the LP relaxation is already integral and
HiGHS finishes at the root.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy.sparse import coo_matrix

from benchmarks.peers.common import Answer, Problem


def solve(problem: Problem, time_limit: float) -> Answer:
    n = len(problem.usable)
    if n == 0:
        return Answer(np.zeros(0, dtype=np.int64), True, 0)
    weight = problem.lexicographic_weight()
    pupils, pupil_row = np.unique(problem.student, return_inverse=True)
    seats, seat_row = np.unique(problem.seat, return_inverse=True)
    limited = problem.limited_companies()
    company_row = np.full(len(problem.company_limit), -1)
    company_row[limited] = np.arange(len(limited))
    rows = [pupil_row, len(pupils) + seat_row]
    in_limited = company_row[problem.company] >= 0
    columns = [np.arange(n), np.arange(n), np.flatnonzero(in_limited)]
    rows.append(len(pupils) + len(seats) + company_row[problem.company[in_limited]])
    n_rows = len(pupils) + len(seats) + len(limited)
    matrix = coo_matrix(
        (np.ones(sum(len(c) for c in columns)), (np.concatenate(rows), np.concatenate(columns))),
        shape=(n_rows, n),
    ).tocsc()
    upper = np.concatenate(
        (np.ones(len(pupils)), problem.seat_capacity[seats], problem.company_limit[limited])
    ).astype(np.float64)

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, n_rows
    lp.col_cost_ = (problem.cost - weight * problem.priority[problem.student]).astype(np.float64)
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
    lp.row_lower_, lp.row_upper_ = np.full(n_rows, -highspy.kHighsInf), upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)  # costs are integers
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    values = np.asarray(h.getSolution().col_value)
    chosen = np.flatnonzero(values > 0.5) if len(values) == n else np.zeros(0, dtype=np.int64)
    return Answer(
        chosen, status == highspy.HighsModelStatus.kOptimal, n, h.modelStatusToString(status)
    )
