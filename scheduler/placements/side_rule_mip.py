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
from ortools.math_opt import model_parameters_pb2, model_pb2, result_pb2, solution_pb2
from ortools.math_opt.core.python import solver as core_solver
from ortools.math_opt.python import mathopt

from scheduler.domain import Round
from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.rules import Usable, hard_rules
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
    """Every hard rule of SPEC section 3 (`rules`) over the usable eligible pairs, pins fixed
    to 1: one binary per usable pair and one `open` binary per placement with a minimum."""

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
        usable = Usable(round_, pairs, u)
        rows = self._rows = _Rows()
        for row in hard_rules(usable):
            rows.add(row.columns, row.coefficients, row.lower, row.upper)
        self.opened = usable.opened
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
        # Straight to the solver as protos: MathOpt's Python objects (a Variable per column to
        # hint and to read back) cost more than HiGHS on 200,000 pairs.
        model = self._proto(per_pair[self.usable].astype(np.float64), extra)
        start = self._values(hint)
        model_params = model_parameters_pb2.ModelSolveParametersProto()
        solution_hint = model_params.solution_hints.add()
        solution_hint.variable_values.ids.extend(range(self.variables))
        solution_hint.variable_values.values.extend(start.tolist())
        params = clock.mip_parameters(seconds)
        if not presolve:
            params.presolve = mathopt.Emphasis.OFF
        result = core_solver.solve(
            model,
            mathopt.SolverType.HIGHS.value,
            mathopt.StreamableSolverInitArguments().to_proto(),
            params.to_proto(),
            model_params,
            None,
            mathopt.CallbackRegistration().to_proto(),
            None,
            None,
        )
        clock.spent_on_mip(result.solve_stats.node_count)
        bound = result.termination.objective_bounds.dual_bound
        chosen = None
        feasible = [
            found.primal_solution
            for found in result.solutions
            if found.HasField("primal_solution")
            and found.primal_solution.feasibility_status == solution_pb2.SOLUTION_STATUS_FEASIBLE
        ]
        if feasible:
            values = np.zeros(self.variables)
            values[np.array(feasible[0].variable_values.ids, dtype=np.int64)] = np.array(
                feasible[0].variable_values.values
            )
            chosen = self.usable[values[: len(self.usable)] > 0.5].astype(np.int64)
        return MipAnswer(
            chosen, bound, result.termination.reason == result_pb2.TERMINATION_REASON_OPTIMAL
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
