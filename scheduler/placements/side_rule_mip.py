"""Problem A with `min_students`, `together` and `apart` as one MIP on HiGHS (OR-Tools' MathOpt).

Measured against the CP-SAT model on side-rule and team-formation rounds (benchmarks/
side_rules.py), the MIP's LP bound closes what CP-SAT's search leaves open: team rounds of 2,000
pupils are proven optimal in seconds where CP-SAT stays above the optimum, and HiGHS searches on
one thread, so a second busy process on a 2-core machine costs it little. The model goes to
MathOpt as a proto built from numpy arrays: a Python object per variable would cost more than
the solve on rounds of 200,000 pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from scheduler.arrays import positions_by_value
from scheduler.domain import Round
from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.steer import Steer
from scheduler.search_clock import SearchClock


@dataclass(frozen=True, slots=True)
class MipAnswer:
    chosen: NDArray[np.int64] | None  # pair indices of the best solution, None when none found
    bound: float  # proven lower bound on the objective, -inf when none
    optimal: bool


@dataclass(slots=True)
class _Rows:
    """A sparse constraint matrix gathered row by row as (row, column, coefficient) triples."""

    first: int = 0  # the index of this block's first row
    row: list[NDArray[np.int64]] = field(default_factory=list)
    column: list[NDArray[np.int64]] = field(default_factory=list)
    value: list[NDArray[np.float64]] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(
        self, columns: NDArray[np.int64], values: NDArray[np.float64], lower: float, upper: float
    ) -> None:
        self.row.append(np.full(len(columns), self.first + len(self.lower), dtype=np.int64))
        self.column.append(np.asarray(columns, dtype=np.int64))
        self.value.append(np.asarray(values, dtype=np.float64))
        self.lower.append(lower)
        self.upper.append(upper)


class SideRuleMip:
    """Every hard rule of SPEC section 3 over the usable eligible pairs, pins fixed to 1.

    One binary per usable pair and one `open` binary per placement with `min_students` m > 1:
    its pupils number at least m x open and at most its seats x open.
    """

    def __init__(
        self,
        round_: Round,
        pairs: EligiblePairs,
        steer: Steer,
        among: NDArray[np.int64] | None = None,
    ) -> None:
        """`among` (sorted pair indices, pins included) restricts the model to those pairs."""
        self.pairs = pairs
        self.usable = np.nonzero(pairs.capacity[pairs.placement, pairs.period] > 0)[0]
        if among is not None:
            self.usable = np.intersect1d(self.usable, among)
        u = self.usable
        student = pairs.student[u].astype(np.int64)
        placement = pairs.placement[u].astype(np.int64)
        company = pairs.placement_company[placement].astype(np.int64)
        period = pairs.period[u].astype(np.int64)
        rows = self._rows = _Rows()
        ones = np.ones(len(u))

        def at_most(group: NDArray[np.int64], limit: int) -> None:
            if len(group) > limit:
                rows.add(group, ones[group], -np.inf, float(limit))

        for group in positions_by_value(student):
            at_most(group, 1)
        for group in positions_by_value(placement * max(1, len(pairs.periods)) + period):
            at_most(group, int(pairs.capacity[placement[group[0]], period[group[0]]]))
        for group in positions_by_value(company):
            limit = int(pairs.company_limit[company[group[0]]])
            if limit >= 0:
                at_most(group, limit)
        self.opened: list[int] = []
        for group in positions_by_value(placement):
            p = int(placement[group[0]])
            minimum = pairs.placements[p].min_students
            if minimum > 1:
                seats = int(np.clip(pairs.capacity[p], 0, None).sum())
                opened = len(u) + len(self.opened)
                self.opened.append(p)
                columns = np.append(group, opened)
                rows.add(columns, np.append(ones[group], -minimum), 0.0, np.inf)
                rows.add(columns, np.append(ones[group], -min(seats, len(group))), -np.inf, 0.0)
        at_company: dict[tuple[int, int], list[int]] = {}
        for k, key in enumerate(zip(student.tolist(), company.tolist(), strict=True)):
            at_company.setdefault(key, []).append(k)
        reachable: dict[int, set[int]] = {}
        for s, c in at_company:
            reachable.setdefault(s, set()).add(c)
        index = {s.id: i for i, s in enumerate(pairs.students)}
        for a, b in round_.together:
            ia, ib = index[a], index[b]
            for c in sorted(reachable.get(ia, set()) | reachable.get(ib, set())):
                first, second = at_company.get((ia, c), []), at_company.get((ib, c), [])
                values = np.concatenate((np.ones(len(first)), -np.ones(len(second))))
                rows.add(np.array(first + second, dtype=np.int64), values, 0.0, 0.0)
        for a, b in round_.apart:
            ia, ib = index[a], index[b]
            for c in sorted(reachable.get(ia, set()) & reachable.get(ib, set())):
                both = np.array(at_company[(ia, c)] + at_company[(ib, c)], dtype=np.int64)
                rows.add(both, np.ones(len(both)), -np.inf, 1.0)
        self.lower = np.zeros(len(u) + len(self.opened))
        self.lower[np.searchsorted(u, steer.pinned)] = 1.0
        self.variables = len(self.lower)

    def minimise(
        self,
        per_pair: NDArray[np.int64],
        *,
        hint: NDArray[np.int64],
        seconds: float,
        clock: SearchClock,
        at_least: tuple[NDArray[np.int64], int] | None = None,
        presolve: bool = True,
    ) -> MipAnswer:
        """Minimise the sum over chosen pairs of `per_pair` (integers, so a gap below 1 is
        optimal), starting from the feasible `hint`; `at_least` = (per-pair weight, floor)
        adds the row weight . x >= floor. Without `presolve` HiGHS goes straight to the root
        LP: on 200,000 pairs its presolve alone outran a 30 s limit."""
        extra = _Rows(first=len(self._rows.lower))
        if at_least is not None:
            weight, floor = at_least
            extra.add(
                np.arange(len(self.usable)),
                weight[self.usable].astype(np.float64),
                float(floor),
                np.inf,
            )
        model = mathopt.Model.from_model_proto(
            self._proto(per_pair[self.usable].astype(np.float64), extra)
        )
        variables = [model.get_variable(i) for i in range(self.variables)]
        start = self._values(hint)
        hints = mathopt.SolutionHint(
            variable_values=dict(zip(variables, start.tolist(), strict=True))
        )
        params = clock.mip_parameters(seconds)
        if not presolve:
            params.presolve = mathopt.Emphasis.OFF
        result = mathopt.solve(
            model,
            mathopt.SolverType.HIGHS,
            params=params,
            model_params=mathopt.ModelSolveParameters(solution_hints=[hints]),
        )
        clock.spent_on_mip(result.solve_stats.node_count)
        bound = result.termination.objective_bounds.dual_bound
        chosen = None
        if result.has_primal_feasible_solution():
            values = np.array(result.variable_values(variables[: len(self.usable)]))
            chosen = self.usable[values > 0.5].astype(np.int64)
        return MipAnswer(
            chosen, bound, result.termination.reason == mathopt.TerminationReason.OPTIMAL
        )

    def _values(self, chosen: NDArray[np.int64]) -> NDArray[np.float64]:
        values = np.zeros(self.variables)
        values[: len(self.usable)] = np.isin(self.usable, chosen)
        used = set(self.pairs.placement[chosen].tolist())
        values[len(self.usable) :] = [p in used for p in self.opened]
        return values

    def _proto(self, objective: NDArray[np.float64], extra: _Rows) -> model_pb2.ModelProto:
        rows = self._rows
        row = np.concatenate([np.empty(0, np.int64), *rows.row, *extra.row])
        column = np.concatenate([np.empty(0, np.int64), *rows.column, *extra.column])
        value = np.concatenate([np.empty(0), *rows.value, *extra.value])
        order = np.lexsort((column, row))
        proto = model_pb2.ModelProto()
        n = self.variables
        proto.variables.ids.extend(range(n))
        proto.variables.lower_bounds.extend(self.lower.tolist())
        proto.variables.upper_bounds.extend([1.0] * n)
        proto.variables.integers.extend([True] * n)
        proto.objective.linear_coefficients.ids.extend(np.flatnonzero(objective).tolist())
        proto.objective.linear_coefficients.values.extend(objective[objective != 0].tolist())
        n_rows = len(rows.lower) + len(extra.lower)
        proto.linear_constraints.ids.extend(range(n_rows))
        proto.linear_constraints.lower_bounds.extend(rows.lower + extra.lower)
        proto.linear_constraints.upper_bounds.extend(rows.upper + extra.upper)
        matrix = proto.linear_constraint_matrix
        matrix.row_ids.extend(row[order].tolist())
        matrix.column_ids.extend(column[order].tolist())
        matrix.coefficients.extend(value[order].tolist())
        return proto
