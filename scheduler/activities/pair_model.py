"""`PairModel`: activities per (requester, offer) pair and per (offer, month), the dates
aggregated away, for the region-wide choice of which requester goes to which offer; a
`DatedModel` restricted to its pairs then dates them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.activities import rules
from scheduler.activities.candidates import Candidates, spaced_count
from scheduler.activities.model import min_gap_days, pair_upper
from scheduler.activities.rules import distinct_excursion, key
from scheduler.arrays import positions_by_value


class PairModel:
    """Activities per (requester, offer) pair and per (offer, month), without dates.

    An integer per pair says how often the requester goes there, one per (offer, month) how
    many activities the offer hosts then. Demand, distinct sectors, `max_per_month`, the
    company's monthly hours and the objective stay exact; the per-daypart rules and the gaps
    become counts (a pair at most as often as it has dates `min_gap_days` apart, an offer-month
    at most once per daypart it has candidates on). Every dated plan maps onto it, so over all
    pairs its optimum bounds the real one. A weekly slot repeats some twenty times in a
    half-year, so this removes most of the date symmetry: about 15 times fewer variables.

    A pair with at most `rare` candidates (only project or open days in common) keeps them as
    dated booleans under the per-daypart and gap rules: left to counts, two such pairs would
    book one class's single project day twice, or one offer's open day for two classes.
    """

    def __init__(self, cands: Candidates, rare: int) -> None:
        c = self._cands = cands
        model = self.model = cp_model.CpModel()
        gap = min_gap_days(c)
        r, o = c.pair_requester, c.pair_offer
        kind = c.offer_kind[o]
        upper = pair_upper(c)
        self.y = y = [
            model.new_int_var(0, int(u), f"y[{c.requesters[a].id},{c.offers[b].id}]")
            for a, b, u in zip(r.tolist(), o.tolist(), upper.tolist(), strict=True)
        ]
        self.rare = np.flatnonzero(c.pair_dates[c.cand_pair] <= rare)
        self.x = x = [
            model.new_bool_var(f"x[{c.requesters[a].id},{c.offers[b].id},{s}]")
            for a, b, s in zip(
                c.cand_requester[self.rare].tolist(),
                c.cand_offer[self.rare].tolist(),
                c.cand_slot[self.rare].tolist(),
                strict=True,
            )
        ]
        rare_dates = rules.Dated(model, x, c, self.rare)
        rules.offer_once_per_daypart(rare_dates)
        busy = rules.requester_once_per_daypart_and_gap(rare_dates)
        # Escorts bind where a school's classes crowd one daypart, its project days: the rare
        # dates alone must fit its escorts (the other pairs' dates are left to the dates model).
        rules.escorts(rare_dates, np.zeros_like(c.escorts.capacity))
        for group in positions_by_value(c.cand_pair[self.rare]):
            model.add(y[int(c.cand_pair[self.rare[group[0]]])] == sum(x[i] for i in group))
        v_upper = self._offer_months(upper)
        for group in positions_by_value(key(r, kind)):
            demand = int(c.demand[r[group[0]], kind[group[0]]])
            if int(upper[group].sum()) > demand:
                model.add(sum(y[p] for p in group) <= demand)
        by_requester = np.searchsorted(c.cand_requester, np.arange(len(c.requesters) + 1))
        for group in positions_by_value(r):
            a = int(r[group[0]])
            slots = c.cand_slot[by_requester[a] : by_requester[a + 1]]
            room = spaced_count(slots, gap, c.grid)
            if int(upper[group].sum()) > room:
                model.add(sum(y[p] for p in group) <= room)
        excursion = distinct_excursion(c, r, kind)
        sector = c.company_sector[c.offer_company[o]]
        for group in positions_by_value(key(r[excursion], sector[excursion] + 1)):
            if len(group) > 1:
                model.add(sum(y[p] for p in np.flatnonzero(excursion)[group]) <= 1)
        self._v_upper = v_upper
        self.variables = len(y) + len(x) + busy + len(self.v)

    def _offer_months(self, upper: NDArray[np.int64]) -> NDArray[np.int64]:
        """`v[offer, month]`: at most once per daypart with candidates, `max_per_month`, and as
        often as the company's monthly hours allow one; the pairs of an offer sum to its
        months, a month holds at least its rare pairs' dates, the company's hours hold."""
        c, model, y, x = self._cands, self.model, self.y, self.x
        months = len(c.grid.months)
        keys = np.unique((c.cand_offer * months + c.cand_month) * c.grid.slots + c.cand_slot)
        om, slots_per_om = np.unique(keys // c.grid.slots, return_counts=True)
        self.om_offer, self.om_month = om // months, om % months
        self.v: list[cp_model.IntVar] = []
        caps = []
        for b, month, slots in zip(
            self.om_offer.tolist(), self.om_month.tolist(), slots_per_om.tolist(), strict=True
        ):
            offer = c.offers[b]
            cap = min(slots, offer.max_per_month if offer.max_per_month is not None else slots)
            limit = c.round.companies[offer.company].hours_per_month
            if limit is not None and offer.hours:
                cap = min(cap, limit // offer.hours)
            self.v.append(model.new_int_var(0, cap, f"v[{offer.id},{c.grid.months[month]}]"))
            caps.append(cap)
        for pairs, offer_months in zip(
            positions_by_value(c.pair_offer), _split_by(self.om_offer, c.pair_offer), strict=True
        ):
            model.add(sum(y[p] for p in pairs) == sum(self.v[m] for m in offer_months))
        rare_om = np.searchsorted(om, c.cand_offer[self.rare] * months + c.cand_month[self.rare])
        for group in positions_by_value(rare_om):
            model.add(sum(x[i] for i in group) <= self.v[int(rare_om[group[0]])])
        self._company = c.offer_company[self.om_offer]
        self._hours = c.offer_hours[self.om_offer]
        self.company_month = positions_by_value(key(self._company, self.om_month))
        for group in self.company_month:
            limit = c.round.companies[c.companies[self._company[group[0]]]].hours_per_month
            if limit is not None:
                hours = cp_model.LinearExpr.weighted_sum(
                    [self.v[i] for i in group], self._hours[group].tolist()
                )
                model.add(hours <= limit)
        return np.array(caps, dtype=np.int64)

    def objective(self, name: str) -> cp_model.LinearExpr | int:
        if name == "activities":
            return sum(self.y)
        if name == "travel":
            return cp_model.LinearExpr.weighted_sum(self.y, self._cands.pair_travel.tolist())
        top: dict[int, int] = {}
        for group in self.company_month:
            b = int(self._company[group[0]])
            top[b] = max(top.get(b, 0), int((self._hours[group] * self._v_upper[group]).sum()))
        companies = self._cands.companies
        peaks = {b: self.model.new_int_var(0, t, f"peak[{companies[b]}]") for b, t in top.items()}
        for group in self.company_month:
            hours = cp_model.LinearExpr.weighted_sum(
                [self.v[i] for i in group], self._hours[group].tolist()
            )
            self.model.add(hours <= peaks[int(self._company[group[0]])])
        return sum(peaks.values())

    def solution_of(self, plan: NDArray[np.int64]) -> NDArray[np.int64]:
        """The (y, x, v) values of a dated plan."""
        c = self._cands
        y = np.bincount(c.cand_pair[plan], minlength=len(self.y))
        x = np.isin(self.rare, plan).astype(np.int64)
        months = len(c.grid.months)
        om = c.cand_offer[plan] * months + c.cand_month[plan]
        index = self.om_offer * months + self.om_month
        v = np.bincount(np.searchsorted(index, om), minlength=len(self.v))
        return np.concatenate((y, x, v)).astype(np.int64)

    def pair_counts(self, solution: NDArray[np.int64]) -> dict[int, int]:
        return {p: int(n) for p, n in enumerate(solution[: len(self.y)].tolist()) if n}

    def rare_chosen(self, solution: NDArray[np.int64]) -> NDArray[np.int64]:
        """The dated candidates the solution picks for its rare pairs."""
        return self.rare[solution[len(self.y) : len(self.y) + len(self.x)] > 0]

    def hint(self, solution: NDArray[np.int64]) -> None:
        for var, value in zip(self.y + self.x + self.v, solution.tolist(), strict=True):
            self.model.add_hint(var, value)

    def read(self, solver: cp_model.CpSolver) -> NDArray[np.int64]:
        return np.array([solver.value(var) for var in self.y + self.x + self.v], dtype=np.int64)

    def evaluate(self, solution: NDArray[np.int64]) -> dict[str, int]:
        """The objective of a solution; its spread as the (offer, month) counts place hours."""
        c = self._cands
        y, v = solution[: len(self.y)], solution[len(self.y) + len(self.x) :]
        hours = np.zeros((len(c.companies), len(c.grid.months)), dtype=np.int64)
        np.add.at(hours, (self._company, self.om_month), self._hours * v)
        return {
            "activities": int(y.sum()),
            "travel": int((y * c.pair_travel).sum()),
            "spread": int(hours.max(axis=1, initial=0).sum()),
        }

    @property
    def travel_limit(self) -> int:
        """More travel than any plan has: per (requester, kind) its demand times its longest
        pair."""
        c = self._cands
        kind = c.offer_kind[c.pair_offer]
        total = 0
        for group in positions_by_value(key(c.pair_requester, kind)):
            demand = int(c.demand[c.pair_requester[group[0]], kind[group[0]]])
            total += demand * int(c.pair_travel[group].max())
        return total


def _split_by(owner: NDArray[np.int64], present: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """For each distinct value of `present` in ascending order, the positions of the sorted
    `owner` holding it."""
    values = np.unique(present)
    bounds = np.searchsorted(owner, np.concatenate((values, values + 1)))
    return [np.arange(bounds[i], bounds[len(values) + i]) for i in range(len(values))]
