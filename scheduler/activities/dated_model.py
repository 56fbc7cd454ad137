"""`DatedModel`: one boolean per dated candidate (requester, offer, date, daypart) with every
hard rule of SPEC section 4 (`rules`), over a subset of the candidates and optionally with
other requesters' activities fixed, which makes it the step of a large-neighbourhood search.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.activities import rules
from scheduler.activities.candidates import Candidates, escorts_taken
from scheduler.activities.rules import key
from scheduler.arrays import positions_by_value
from scheduler.lottery import tickets


class DatedModel:
    """One boolean per dated candidate in `subset` (candidate indices), every hard rule.

    `pair_cap` limits a (requester, offer) pair's activities, so that a plan of fixed pairs is
    dated without changing its travel. `fixed` are activities that stay (a large-neighbourhood
    step, or a published calendar kept around a repair): they take their offers' dayparts,
    months and company hours, count towards the companies' busiest months, and use up their
    requesters' demand. Fixed activities of a requester in `subset` must leave only candidates
    that fit beside them (the ledger's `fits`): their days and sectors are not modelled.
    """

    def __init__(
        self,
        cands: Candidates,
        subset: NDArray[np.int64],
        pair_cap: dict[int, int] | None = None,
        fixed: NDArray[np.int64] | None = None,
    ) -> None:
        c = self.cands = cands
        fixed = fixed if fixed is not None else np.zeros(0, dtype=np.int64)
        months = len(c.grid.months)
        taken = c.cand_offer[fixed] * c.grid.slots + c.cand_slot[fixed]
        subset = subset[~np.isin(c.cand_offer[subset] * c.grid.slots + c.cand_slot[subset], taken)]
        self.subset = subset
        self._fixed_hours = np.zeros((len(c.companies), months), dtype=np.int64)
        fixed_offer = c.cand_offer[fixed]
        np.add.at(
            self._fixed_hours,
            (c.offer_company[fixed_offer], c.cand_month[fixed]),
            c.offer_hours[fixed_offer],
        )
        fixed_per_month = np.zeros((len(c.offers), months), dtype=np.int64)
        np.add.at(fixed_per_month, (fixed_offer, c.cand_month[fixed]), 1)

        model = self.model = cp_model.CpModel()
        r, o, slot = c.cand_requester[subset], c.cand_offer[subset], c.cand_slot[subset]
        self.x = x = [
            model.new_bool_var(f"x[{c.requesters[a].id},{c.offers[b].id},{s}]")
            for a, b, s in zip(r.tolist(), o.tolist(), slot.tolist(), strict=True)
        ]
        dated = rules.Dated(model, x, c, subset)
        rules.offer_once_per_daypart(dated)
        busy = rules.requester_once_per_daypart_and_gap(dated)
        fixed_demand = np.zeros_like(c.demand)
        np.add.at(fixed_demand, (c.cand_requester[fixed], c.offer_kind[fixed_offer]), 1)
        rules.demand(dated, c.demand - fixed_demand)
        rules.offer_per_month(dated, fixed_per_month)
        self.company_month = rules.company_hours(dated, self._fixed_hours)
        rules.distinct_sectors(dated)
        rules.escorts(dated, escorts_taken(c, fixed))
        if pair_cap is not None:
            rules.pair_caps(dated, pair_cap)
        self._company, self._month = dated.company, dated.month
        self._hours = c.offer_hours[o]
        self._companies = np.unique(self._company)
        self._travel = c.pair_travel[c.cand_pair[subset]]
        self.variables = len(x) + busy

    def objective(self, name: str) -> cp_model.LinearExpr | int:
        if name == "activities":
            return sum(self.x)
        if name == "travel":
            return cp_model.LinearExpr.weighted_sum(self.x, self._travel.tolist())
        return self._spread()

    def _spread(self) -> cp_model.LinearExpr | int:
        """Sum over the companies with candidates of their busiest month, fixed hours included."""
        peaks = {}
        for b in self._companies.tolist():
            low = int(self._fixed_hours[b].max())
            top = low + int(self._hours[self._company == b].sum())
            peaks[b] = self.model.new_int_var(low, top, f"peak[{self.cands.companies[b]}]")
        for group in self.company_month:
            b, m = int(self._company[group[0]]), int(self._month[group[0]])
            hours = cp_model.LinearExpr.weighted_sum(
                [self.x[i] for i in group], self._hours[group].tolist()
            )
            self.model.add(hours + int(self._fixed_hours[b, m]) <= peaks[b])
        return sum(peaks.values())

    def lottery(self, seed: int) -> cp_model.LinearExpr:
        """The tickets of the chosen candidates (`scheduler.lottery`): minimised last, among the
        plans equally good on every objective, it picks one by the round's seed alone."""
        drawn = tickets(seed, self.subset.astype(np.int64))
        return cp_model.LinearExpr.weighted_sum(self.x, drawn.tolist())

    def hint(self, solution: NDArray[np.int64]) -> None:
        on = np.isin(self.subset, solution)
        for var, value in zip(self.x, on.tolist(), strict=True):
            self.model.add_hint(var, value)

    def read(self, solver: cp_model.CpSolver) -> NDArray[np.int64]:
        values = np.array([solver.boolean_value(v) for v in self.x], dtype=bool)
        return self.subset[values]

    def evaluate(self, solution: NDArray[np.int64]) -> dict[str, int]:
        """The objective values as the model counts them: activities and travel of the
        solution, the busiest months of the model's companies with the fixed hours."""
        c = self.cands
        hours = self._fixed_hours.copy()
        offer = c.cand_offer[solution]
        np.add.at(hours, (c.offer_company[offer], c.cand_month[solution]), c.offer_hours[offer])
        return {
            "activities": len(solution),
            "travel": int(c.pair_travel[c.cand_pair[solution]].sum()),
            "spread": int(hours[self._companies].max(axis=1, initial=0).sum()),
        }

    @property
    def travel_limit(self) -> int:
        """More travel than any plan of the model has: per (requester, kind) its demand times
        its longest candidate."""
        c = self.cands
        pairs = c.cand_pair[self.subset]
        requester, kind = c.pair_requester[pairs], c.offer_kind[c.pair_offer[pairs]]
        total = 0
        for group in positions_by_value(key(requester, kind)):
            demand = int(c.demand[requester[group[0]], kind[group[0]]])
            total += demand * int(c.pair_travel[pairs[group]].max())
        return total
