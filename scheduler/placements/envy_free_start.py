"""Envy-free starts for `--no-envy` with side rules: the pairs they are built on, and the check.

Repairing the flow optimum to the side rules breaks envy-freeness (dropping a pupil frees a seat
and leaves it envious), and CP-SAT searched from nothing found no solution of the no-envy model
in its budget on rounds of 1,500 pupils: the answer was the empty placement.
`priority_levels` (serial dictatorship between priority levels, a min-cost flow within each) is
envy-free and leaves no unplaced pupil beside a seat it could take; run on the pairs no side
rule can touch (no placement with `min_students` above 1, no pupil of a `together` or `apart`
pair), it keeps every side rule too: those placements stay empty and those pupils unplaced,
which `verify` accepts as `CONSTRAINT`. A paired pupil left out envies the lower holders of the
seats it could take, unless it has the lowest priority; so the first start places the higher
paired pupils as if unpaired (which may split a pair), the second leaves every paired pupil out
(which may leave envy), and the no-envy model itself says which, if either, holds.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.domain import Round
from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.side_rules import SideRuleModel
from scheduler.search_clock import SearchClock


def side_rule_free_pairs(
    round_: Round, pairs: EligiblePairs, priority: NDArray[np.int64]
) -> Iterator[NDArray[np.int64]]:
    """The pairs at placements without a minimum above 1, first less the paired pupils of the
    lowest priority only, then less every paired pupil (`envy.envy_free_starts` runs
    `priority_levels` on each)."""
    index = {s.id: i for i, s in enumerate(pairs.students)}
    paired = np.zeros(len(pairs.students), dtype=bool)
    for a, b in (*round_.together, *round_.apart):
        paired[[index[a], index[b]]] = True
    minimum = np.array([p.min_students for p in pairs.placements], dtype=np.int64)
    open_ = minimum[pairs.placement] <= 1
    lowest = paired & (priority == (priority.min() if len(priority) else 0))
    for left_out in (lowest, paired):
        keep = np.flatnonzero(open_ & ~left_out[pairs.student]).astype(np.int64)
        if len(keep):
            yield keep


def model_accepts(model: SideRuleModel, chosen: NDArray[np.int64], clock: SearchClock) -> bool:
    """Does `chosen` keep every rule of `model` (side rules, no envy, no waste)? CP-SAT with
    every pair fixed only has to propagate."""
    if not np.isin(chosen, model.usable).all():
        return False
    fixed = model.model.clone()
    on = np.isin(model.usable, chosen)
    for var, value in zip(model.x, on.tolist(), strict=True):
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == int(value))
    solver = clock.solver(1.0, 1)
    status = solver.solve(fixed)
    clock.spent(solver)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
