"""The CP-SAT models of problem B, their lexicographic driver, and the greedy around them.

`DatedModel` has one boolean per dated candidate (requester, offer, date, daypart) with every
hard rule of SPEC section 4, over a subset of the candidates and optionally with other
requesters' activities fixed, which makes it the step of a large-neighbourhood search.
`solve_lexicographic` runs its three objectives in turn. `greedy` and `start_plan` give the
first feasible plan, the hints, and the completion of a plan after the solver.

`PairModel` aggregates the dates away for a region-wide choice of which requester goes to
which offer; a `DatedModel` restricted to its pairs then dates them.
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
from scheduler.arrays import positions_by_value
from scheduler.contract.round import ACTIVITY_KINDS
from scheduler.progress import Progress, ProgressFn
from scheduler.search_clock import SearchClock

PHASES = ("activities", "travel", "spread")
_EXCURSION = ACTIVITY_KINDS.index("excursion")


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


def _key(*columns: NDArray[np.int64]) -> NDArray[np.int64]:
    """One int64 per row of several small non-negative integer columns."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * (int(column.max(initial=0)) + 2) + column + 1
    return key


def _dated_rules(
    model: cp_model.CpModel,
    x: list[cp_model.IntVar],
    cands: Candidates,
    subset: NDArray[np.int64],
) -> int:
    """The rules between dated candidates `subset` (with variables `x`) of requesters and
    offers: one activity per requester and per offer per daypart, and the requester's gaps.

    With a gap, `busy[r, day]` says whether the requester has an activity that day (at most
    one), and any `min_gap_days` consecutive days hold at most one busy day. Windows start at
    each candidate day; one that adds no day to the previous window is implied by it. Returns
    the number of `busy` variables.
    """
    r, o, slot = cands.cand_requester[subset], cands.cand_offer[subset], cands.cand_slot[subset]
    for group in positions_by_value(_key(o, slot)):
        if len(group) > 1:
            model.add_at_most_one(x[i] for i in group)
    gap = cands.round.calendar.min_gap_days if cands.round.calendar else 0
    if gap <= 0:
        for group in positions_by_value(_key(r, slot)):
            if len(group) > 1:
                model.add_at_most_one(x[i] for i in group)
        return 0
    ordinal = cands.grid.day_ordinal[slot // 2]
    created = 0
    for group in positions_by_value(r):
        days, day_of = np.unique(ordinal[group], return_inverse=True)
        if len(days) == 1:
            model.add_at_most_one(x[i] for i in group)
            continue
        name = cands.requesters[r[group[0]]].id
        busy = [model.new_bool_var(f"busy[{name},{d}]") for d in range(len(days))]
        for d in range(len(days)):
            model.add(sum(x[i] for i in group[day_of == d]) == busy[d])
        created += len(busy)
        last_end = -1
        for d in range(len(days)):
            end = int(np.searchsorted(days, days[d] + gap, side="left"))
            if end - d > 1 and end > last_end:
                model.add_at_most_one(busy[d:end])
            last_end = max(last_end, end)
    return created


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
        r = c.cand_requester[subset]
        o = c.cand_offer[subset]
        month = c.cand_month[subset]
        company = c.offer_company[o]
        kind = c.offer_kind[o]
        self.x = x = [
            model.new_bool_var(f"x[{c.requesters[a].id},{c.offers[b].id},{s}]")
            for a, b, s in zip(r.tolist(), o.tolist(), c.cand_slot[subset].tolist(), strict=True)
        ]
        busy = _dated_rules(model, x, c, subset)
        fixed_demand = np.zeros_like(c.demand)
        np.add.at(fixed_demand, (c.cand_requester[fixed], c.offer_kind[fixed_offer]), 1)
        left = c.demand - fixed_demand
        for group in positions_by_value(_key(r, kind)):
            demand = int(left[r[group[0]], kind[group[0]]])
            if len(group) > demand:
                model.add(sum(x[i] for i in group) <= demand)
        for group in positions_by_value(_key(o, month)):
            b, m = int(o[group[0]]), int(month[group[0]])
            cap = c.offers[b].max_per_month
            if cap is not None and len(group) > cap - fixed_per_month[b, m]:
                model.add(sum(x[i] for i in group) <= cap - fixed_per_month[b, m])
        hours = c.offer_hours[o]
        self.company_month = positions_by_value(_key(company, month))
        for group in self.company_month:
            b, m = int(company[group[0]]), int(month[group[0]])
            limit = c.round.companies[c.companies[b]].hours_per_month
            room = None if limit is None else limit - int(self._fixed_hours[b, m])
            if room is not None and int(hours[group].sum()) > room:
                model.add(
                    cp_model.LinearExpr.weighted_sum([x[i] for i in group], hours[group].tolist())
                    <= room
                )
        excursion = distinct_excursion(c, r, kind)
        sector = c.company_sector[company]
        for group in positions_by_value(_key(r[excursion], sector[excursion] + 1)):
            if len(group) > 1:
                model.add(sum(x[i] for i in np.flatnonzero(excursion)[group]) <= 1)
        if pair_cap is not None:
            pair = c.cand_pair[subset]
            for group in positions_by_value(pair):
                cap = pair_cap[int(pair[group[0]])]
                if len(group) > cap:
                    model.add(sum(x[i] for i in group) <= cap)
        self._company, self._month, self._hours = company, month, hours
        self._companies = np.unique(company)
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
        for group in positions_by_value(_key(requester, kind)):
            demand = int(c.demand[requester[group[0]], kind[group[0]]])
            total += demand * int(c.pair_travel[pairs[group]].max())
        return total


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
        busy = _dated_rules(model, x, c, self.rare)
        for group in positions_by_value(c.cand_pair[self.rare]):
            model.add(y[int(c.cand_pair[self.rare[group[0]]])] == sum(x[i] for i in group))
        v_upper = self._offer_months(upper)
        for group in positions_by_value(_key(r, kind)):
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
        for group in positions_by_value(_key(r[excursion], sector[excursion] + 1)):
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
        self.company_month = positions_by_value(_key(self._company, self.om_month))
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
        for group in positions_by_value(_key(c.pair_requester, kind)):
            demand = int(c.demand[c.pair_requester[group[0]], kind[group[0]]])
            total += demand * int(c.pair_travel[group].max())
        return total


def _split_by(owner: NDArray[np.int64], present: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """For each distinct value of `present` in ascending order, the positions of the sorted
    `owner` holding it."""
    values = np.unique(present)
    bounds = np.searchsorted(owner, np.concatenate((values, values + 1)))
    return [np.arange(bounds[i], bounds[len(values) + i]) for i in range(len(values))]


def distinct_excursion(
    cands: Candidates, requester: NDArray[np.int64], kind: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Which entries are excursions of a class with `distinct_sectors`."""
    distinct = np.array([cands.requesters[a].distinct_sectors for a in requester.tolist()])
    return distinct.astype(bool) & (kind == _EXCURSION)
