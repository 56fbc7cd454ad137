"""Problem A with `min_students`, `together` and `apart`: a MIP over the eligible pairs.

The flow optimum is a relaxation (its placed priority is an upper bound and, at that priority,
its cost a lower bound), and the flow solution repaired to feasibility is the hint and the
fallback answer. `SideRuleModel`, the same rules in CP-SAT, is what `--no-envy` builds on.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.domain import Round, SteeringError
from scheduler.placements.concurrency import over_the_limit, use_per_set
from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.flow import objective, solve_flow
from scheduler.placements.relaxed_bound import relaxed_cost_bound
from scheduler.placements.result import PlacementResult
from scheduler.placements.rules import Usable, hard_rules
from scheduler.placements.shortlist import shortlisted_pairs
from scheduler.placements.steer import Steer
from scheduler.placements.time_budget import flow_fits, mip_fits
from scheduler.progress import Progress, ProgressFn
from scheduler.search_clock import SearchClock

if TYPE_CHECKING:  # MathOpt costs 0.1 s to import: only rounds with side rules pay it
    from scheduler.placements.side_rule_mip import SideRuleMip

SHORTLIST_SHARE = 0.4  # of the time limit, for the MIP over the shortlisted pairs


def feasible_start(
    round_: Round,
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: Steer,
    chosen: NDArray[np.int64],
) -> NDArray[np.int64]:
    """A feasible placement near the flow optimum, to start CP-SAT from (and fall back on).

    Each round blocks what broke a rule, so the flow re-places everyone else into the room it
    leaves: a placement short of min_students is closed, a split together pair is kept out, and
    of an apart pair at one company the lower priority is kept away from it. Blocking only
    grows, so this ends; `repair` then drops whatever is still broken. A company's
    `max_concurrent` that is no flow is held by restricted day-set nodes fitted to the relaxed
    optimum (`Concurrency.restricted`), and `fill_room` places whoever still fits after all.
    """
    keep = frozenset(int(s) for s in pairs.student[steer.pinned])
    pinned_pair = np.isin(pairs.student, list(keep))
    company = pairs.placement_company[pairs.placement]
    blocked = np.zeros(len(pairs), dtype=bool)
    groups = None
    if not pairs.concurrency.exact_as_flow:
        # The relaxed optimum may crowd a day: re-place within nodes that hold every limit.
        use = np.zeros((len(pairs.company_ids), max(1, len(pairs.periods))), dtype=np.int64)
        np.add.at(use, (company[chosen], pairs.period[chosen]), 1)
        groups = pairs.concurrency.restricted(use)
        chosen, _ = solve_flow(pairs, priority, steer, groups=groups)
    for _ in range(len(pairs.placements) + len(round_.together) + len(round_.apart)):
        kept = {int(pairs.student[c]): int(c) for c in chosen}
        short, together, apart = _rule_breaks(round_, pairs, kept)
        before = int(blocked.sum())
        for p in short:
            blocked |= (pairs.placement == p) & ~pinned_pair
        for a, b in together:
            blocked |= np.isin(pairs.student, [s for s in (a, b) if s not in keep])
        for a, b in apart:
            victim = min((a, b), key=lambda i: (i not in keep, -priority[i]))
            if victim not in keep:
                at = company[kept[victim]]
                blocked |= (pairs.student == victim) & (company == at)
        if int(blocked.sum()) == before:
            break
        chosen, _ = solve_flow(pairs, priority, steer, blocked, groups)
    return fill_room(round_, pairs, priority, repair(round_, pairs, chosen, keep))


def repair(
    round_: Round,
    pairs: EligiblePairs,
    chosen: NDArray[np.int64],
    keep: frozenset[int] = frozenset(),
) -> NDArray[np.int64]:
    """Drop assignments until min_students, together and apart all hold.

    Dropping never breaks a capacity, so the fixed point is feasible; it is the hint CP-SAT starts
    from and the answer if CP-SAT finds nothing better in time. Pupils in `keep` (pinned) are
    never dropped; if only dropping one of them would help, the rule stays broken (see
    `broken_rules`).
    """
    kept = {int(pairs.student[c]): int(c) for c in chosen}
    priority = {i: s.priority for i, s in enumerate(pairs.students)}

    def drop(student: int) -> bool:
        if student in keep or student not in kept:
            return False
        del kept[student]
        return True

    priorities = np.array([s.priority for s in pairs.students], dtype=np.int64)
    changed = True
    while changed:
        changed = False
        current = np.array(sorted(kept.values()), dtype=np.int64)
        for c in current[_crowded(pairs, current, priorities, keep)].tolist():
            changed |= drop(int(pairs.student[c]))
        short, together, apart = _rule_breaks(round_, pairs, kept)
        for student, c in list(kept.items()):
            if int(pairs.placement[c]) in short:
                changed |= drop(student)
        for a, b in together:
            changed |= drop(a) | drop(b)
        for a, b in apart:
            for victim in sorted((a, b), key=lambda i: (i in keep, priority[i])):
                if drop(victim):
                    changed = True
                    break
    return np.array(sorted(kept.values()), dtype=np.int64)


def fill_room(
    round_: Round, pairs: EligiblePairs, priority: NDArray[np.int64], chosen: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Place every unplaced pupil that still fits, highest priority and cheapest pair first:
    a seat free, its company under `max_students` and no day over `max_concurrent`. A start
    fitted to restricted nodes may leave such room, and an unplaced pupil beside room has no
    reason SPEC accepts. Pupils of a together or apart pair and placements with a minimum are
    left as they are (a rule may be what keeps them out)."""
    paired = {s for pair in (*round_.together, *round_.apart) for s in pair}
    seats = pairs.capacity.copy()
    np.subtract.at(seats, (pairs.placement[chosen], pairs.period[chosen]), 1)
    company_room = pairs.company_limit.copy()
    company = pairs.placement_company[pairs.placement].astype(np.int64)
    limited = company_room >= 0
    company_room[limited] -= np.bincount(company[chosen], minlength=len(company_room))[limited]
    sets = pairs.concurrency.sets
    set_room = np.array([s.limit for s in sets], dtype=np.int64) - use_per_set(
        pairs.concurrency, company[chosen], pairs.period[chosen].astype(np.int64)
    )
    sets_of: dict[tuple[int, int], list[int]] = {}
    for k, s in enumerate(sets):
        for t in s.periods:
            sets_of.setdefault((s.company, t), []).append(k)
    placed = np.zeros(len(pairs.students), dtype=bool)
    placed[pairs.student[chosen]] = True
    minimum = np.array([p.min_students for p in pairs.placements], dtype=np.int64)
    candidates = np.flatnonzero(
        ~placed[pairs.student]
        & (seats[pairs.placement, pairs.period] > 0)
        & (minimum[pairs.placement] <= 1)
        & ~np.isin(pairs.student, [i for i, s in enumerate(pairs.students) if s.id in paired])
    )
    order = candidates[np.lexsort((pairs.cost[candidates], -priority[pairs.student[candidates]]))]
    added = []
    for k in order.tolist():
        pupil, p, t, c = (
            int(pairs.student[k]),
            int(pairs.placement[k]),
            int(pairs.period[k]),
            int(company[k]),
        )
        within = sets_of.get((c, t), [])
        if (
            placed[pupil]
            or seats[p, t] <= 0
            or (limited[c] and company_room[c] <= 0)
            or any(set_room[j] <= 0 for j in within)
        ):
            continue
        placed[pupil] = True
        seats[p, t] -= 1
        company_room[c] -= 1
        set_room[within] -= 1
        added.append(k)
    return np.sort(np.concatenate((chosen, np.array(added, dtype=np.int64))))


def broken_rules(round_: Round, pairs: EligiblePairs, chosen: NDArray[np.int64]) -> bool:
    kept = {int(pairs.student[c]): int(c) for c in chosen}
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    return any(_rule_breaks(round_, pairs, kept)) or bool(
        _crowded(pairs, chosen, priority, frozenset()).any()
    )


def _crowded(
    pairs: EligiblePairs,
    chosen: NDArray[np.int64],
    priority: NDArray[np.int64],
    keep: frozenset[int],
) -> NDArray[np.bool_]:
    """Per chosen pair: one too many on some day at its company (`max_concurrent`)."""
    if not pairs.concurrency.sets or not len(chosen):
        return np.zeros(len(chosen), dtype=bool)
    student = pairs.student[chosen]
    return over_the_limit(
        pairs.concurrency,
        pairs.placement_company[pairs.placement[chosen]].astype(np.int64),
        pairs.period[chosen].astype(np.int64),
        priority[student],
        pairs.cost[chosen],
        np.isin(student, list(keep)),
    )


def _rule_breaks(
    round_: Round, pairs: EligiblePairs, kept: Mapping[int, int]
) -> tuple[set[int], list[tuple[int, int]], list[tuple[int, int]]]:
    """Placements short of min_students, together pairs split, apart pairs joined."""
    index = {s.id: i for i, s in enumerate(pairs.students)}
    minimum = np.array([p.min_students for p in pairs.placements], dtype=np.int64)
    counts = np.bincount(
        [pairs.placement[c] for c in kept.values()], minlength=len(pairs.placements)
    )
    short = {int(p) for p in np.nonzero((counts > 0) & (counts < minimum))[0]}

    def company_of(student: int) -> int | None:
        c = kept.get(student)
        return None if c is None else int(pairs.placement_company[pairs.placement[c]])

    together = [
        (index[a], index[b])
        for a, b in round_.together
        if company_of(index[a]) != company_of(index[b])
    ]
    apart = [
        (index[a], index[b])
        for a, b in round_.apart
        if company_of(index[a]) is not None and company_of(index[a]) == company_of(index[b])
    ]
    return short, together, apart


class PlacementListener(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution as placed priority, cost and cost bound."""

    def __init__(self, progress: ProgressFn, unit: int, total: int, started: float) -> None:
        super().__init__()
        self._progress, self._unit, self._total, self._started = progress, unit, total, started

    def on_solution_callback(self) -> None:
        unplaced, cost = divmod(round(self.objective_value), self._unit)
        bound = self.best_objective_bound - self._unit * unplaced
        self._progress(
            Progress(
                "placements",
                f"CP-SAT: placed priority {self._total - unplaced}",
                time.monotonic() - self._started,
                best=cost,
                bound=bound if bound >= 0 else None,
            )
        )


def solve_with_side_rules(
    round_: Round,
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: Steer,
    relaxed: NDArray[np.int64],
    relaxed_objective: tuple[int, int],
    time_limit: float,
    progress: ProgressFn,
    started: float,
    clock: SearchClock,
) -> PlacementResult:
    """One MIP on one weighted objective: `unit` x unplaced priority + changes and cost.

    `unit` exceeds any total of the rest, so the weighted optimum is the lexicographic one, and
    the MIP's dual bound proves the placed priority and bounds the cost in one solve. When the
    priority is not proven (or a previous proposal puts changes before cost), a second MIP
    bounds the cost of any solution placing at least as much priority, so a bound is always
    reported. The flow relaxation's cost bounds the cost too when its priority is reached.
    `time_limit` counts the start and the model's build too: when the whole MIP would not fit
    what is left (`time_budget`), the start is the answer (`start_with_relaxed_bound`).
    """
    from scheduler.placements.side_rule_mip import SideRuleMip

    begun = clock.now()
    usable = np.flatnonzero(pairs.capacity[pairs.placement, pairs.period] > 0)
    budgeted = not pairs.concurrency.exact_as_flow  # lint rounds: see `time_budget`
    if not budgeted or flow_fits(len(usable), time_limit):
        hint = feasible_start(round_, pairs, priority, steer, relaxed)
    else:  # out of time already: the relaxed optimum cut down to the rules, then topped up
        keep = frozenset(int(s) for s in pairs.student[steer.pinned])
        hint = fill_room(round_, pairs, priority, repair(round_, pairs, relaxed, keep))
    in_model = np.unique(pairs.student[usable])
    total = int(priority[in_model].sum())
    arc_cost = steer.arc_cost(pairs)
    bypass_cost = steer.bypass_cost()
    unit = int(arc_cost[usable].max(initial=0) + bypass_cost.max(initial=0)) * len(in_model) + 1
    # weighted objective = offset + per_pair . x
    per_pair = arc_cost - bypass_cost[pairs.student] - unit * priority[pairs.student]
    offset = unit * total + int(bypass_cost.sum())
    shortlist = shortlisted_pairs(pairs, usable, arc_cost, steer.pinned, relaxed, hint)
    if (
        budgeted
        and not mip_fits(len(usable), time_limit - (clock.now() - begun))
        and not broken_rules(round_, pairs, hint)
    ):
        left = time_limit - (clock.now() - begun)
        if len(shortlist) < len(usable) and mip_fits(len(shortlist), left):
            # The shortlist's MIP may improve the start; the rest of the time bounds it.
            first = SideRuleMip(round_, pairs, steer, among=shortlist).minimise(
                per_pair, hint=hint, seconds=SHORTLIST_SHARE * left, clock=clock
            )
            if first.chosen is not None and per_pair[first.chosen].sum() < per_pair[hint].sum():
                hint = fill_room(round_, pairs, priority, first.chosen)
        progress(
            Progress(
                "placements",
                f"no time for a MIP over {len(usable):,} pairs: the start, bounded by the "
                "relaxed flows",
                time.monotonic() - started,
                best=objective(pairs, hint, priority)[1],
            )
        )
        return start_with_relaxed_bound(
            pairs, priority, steer, hint, relaxed_objective, begun + time_limit, clock, len(usable)
        )
    mip = SideRuleMip(round_, pairs, steer)
    hint_placed, hint_cost = objective(pairs, hint, priority)
    progress(
        Progress(
            "placements",
            f"MIP (HiGHS) over {len(mip.usable):,} pairs from placed priority {hint_placed}",
            time.monotonic() - started,
            best=hint_cost,
        )
    )
    searched_first = len(shortlist) < len(mip.usable)
    if searched_first:
        # The shortlist's optimum starts the full MIP, which then mostly proves the bound.
        first = SideRuleMip(round_, pairs, steer, among=shortlist).minimise(
            per_pair,
            hint=hint,
            seconds=SHORTLIST_SHARE * (time_limit - (clock.now() - begun)),
            clock=clock,
        )
        if first.chosen is not None and (
            per_pair[first.chosen].sum() < per_pair[hint].sum() or broken_rules(round_, pairs, hint)
        ):
            hint = first.chosen
    first_share = 1.0 if steer.change_weight == 0 else 0.8
    answer = mip.minimise(
        per_pair,
        hint=hint,
        seconds=first_share * (time_limit - (clock.now() - begun)),
        clock=clock,
        presolve=not searched_first,
    )
    if answer.chosen is None and broken_rules(round_, pairs, hint):
        raise SteeringError("the pins break a min_students, together or apart rule")
    best = hint
    if answer.chosen is not None and (
        per_pair[answer.chosen].sum() <= per_pair[hint].sum() or broken_rules(round_, pairs, hint)
    ):
        best = answer.chosen
    if not (answer.optimal and best is answer.chosen):  # a search cut short may leave room
        best = fill_room(round_, pairs, priority, best)
    placed, cost = objective(pairs, best, priority)
    weighted_bound = int(np.ceil(offset + answer.bound - 1e-6)) if answer.bound > -np.inf else 0
    # No solution places more priority than `placed` once the weighted bound says so.
    placed_proven = placed == relaxed_objective[0] or weighted_bound >= unit * (total - placed)
    bound = None
    if placed_proven and steer.change_weight == 0:
        bounds = [weighted_bound - unit * (total - placed)]
        if placed == relaxed_objective[0]:
            bounds.append(relaxed_objective[1])
        bound = min(cost, max(bounds))
    optimal = answer.optimal and best is answer.chosen
    if bound is None and (
        not budgeted or mip_fits(len(mip.usable), time_limit - (clock.now() - begun))
    ):
        bound = min(
            cost,
            cost_bound(
                mip, pairs, priority, best, placed, time_limit, begun, clock, not searched_first
            ),
        )
    elif bound is None:  # no time for a second MIP: the relaxation's flows bound the cost
        deadline = begun + time_limit
        bound = min(
            cost,
            relaxed_cost_bound(
                pairs,
                priority,
                steer,
                placed,
                lambda: flow_fits(len(mip.usable), deadline - clock.now()),
            ),
        )
    return PlacementResult(
        pairs,
        best,
        # A bound at a priority not proven the most says nothing of answers placing more.
        "OPTIMAL"
        if optimal or (placed_proven and bound == cost and steer.change_weight == 0)
        else "FEASIBLE",
        placed,
        cost,
        bound,
        "mip",
        mip.variables,
        steer.changes(pairs, best),
    )


def start_with_relaxed_bound(
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: Steer,
    start: NDArray[np.int64],
    relaxed_objective: tuple[int, int],
    deadline: float,
    clock: SearchClock,
    usable_pairs: int,
) -> PlacementResult:
    """The feasible start as the answer, when the MIP would not fit the time left (`time_budget`).

    Its bound means what the MIP's does: no answer placing at least its priority costs less.
    The relaxed flow's cost proves that when the start places the relaxation's priority (and
    then a start that costs no more is `OPTIMAL`); otherwise the relaxation's Lagrangian
    (`relaxed_bound`) gets the flows that fit before the deadline (`time_budget`).
    """
    placed, cost = objective(pairs, start, priority)
    relaxed_placed, relaxed_cost = relaxed_objective
    if placed == relaxed_placed and steer.change_weight == 0:
        bound = relaxed_cost
    else:
        bound = relaxed_cost_bound(
            pairs, priority, steer, placed, lambda: flow_fits(usable_pairs, deadline - clock.now())
        )
    bound = min(cost, bound)
    optimal = placed == relaxed_placed and bound == cost and steer.change_weight == 0
    return PlacementResult(
        pairs,
        start,
        "OPTIMAL" if optimal else "FEASIBLE",
        placed,
        cost,
        bound,
        "min_cost_flow",
        usable_pairs,
        steer.changes(pairs, start),
    )


def cost_bound(
    mip: SideRuleMip,
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    best: NDArray[np.int64],
    placed: int,
    time_limit: float,
    begun: float,
    clock: SearchClock,
    presolve: bool,
) -> int:
    """A proven lower bound on the cost of any solution placing at least `placed` priority.

    Every such solution is one of the MIP with that floor, so its dual bound (the LP relaxation
    at the least) holds; what is left of the time limit goes to it, at least a second (without
    `presolve` on a model too large for it, as the first MIP).
    """
    answer = mip.minimise(
        pairs.cost,
        hint=best,
        seconds=max(1.0, time_limit - (clock.now() - begun)),
        clock=clock,
        at_least=(priority[pairs.student], placed),
        presolve=presolve,
    )
    return max(0, int(np.ceil(answer.bound - 1e-6))) if answer.bound > -np.inf else 0


class SideRuleModel:
    """CP-SAT over the usable eligible pairs with every hard rule of SPEC section 3 (`rules`)."""

    def __init__(self, round_: Round, pairs: EligiblePairs) -> None:
        self.pairs = pairs
        self.usable = np.nonzero(pairs.capacity[pairs.placement, pairs.period] > 0)[0]
        u = self.usable
        model = self.model = cp_model.CpModel()
        students, placements, periods = pairs.students, pairs.placements, pairs.periods
        self.x = [
            model.new_bool_var(
                f"x[{students[pairs.student[i]].id},{placements[pairs.placement[i]].id},"
                f"{periods[pairs.period[i]]}]"
            )
            for i in u
        ]
        x = self.x
        usable = Usable(round_, pairs, u)
        self.opened = {p: model.new_bool_var(f"open[{placements[p].id}]") for p in usable.opened}
        columns = [*x, *self.opened.values()]
        for row in hard_rules(usable):
            terms = [columns[k] for k in row.columns.tolist()]
            expression = cp_model.LinearExpr.weighted_sum(
                terms, row.coefficients.astype(np.int64).tolist()
            )
            if row.lower > -np.inf:
                model.add(expression >= int(row.lower))
            if row.upper < np.inf:
                model.add(expression <= int(row.upper))
        self.variables = len(x) + len(self.opened)

    def weighted(self, per_pair: NDArray[np.int64]) -> cp_model.LinearExpr:
        """Sum over the model's pairs of `per_pair` x chosen."""
        return cp_model.LinearExpr.weighted_sum(self.x, per_pair[self.usable].tolist())

    def pin(self, pinned: NDArray[np.int64]) -> None:
        position = {int(i): k for k, i in enumerate(self.usable)}
        for i in pinned.tolist():
            self.model.add(self.x[position[i]] == 1)

    def hint(self, chosen: NDArray[np.int64]) -> None:
        self.model.clear_hints()
        on = np.isin(self.usable, chosen)
        for var, value in zip(self.x, on.tolist(), strict=True):
            self.model.add_hint(var, value)
        used = set(self.pairs.placement[chosen].tolist())
        for p, opened in self.opened.items():
            self.model.add_hint(opened, p in used)

    def solve(
        self,
        expression: cp_model.LinearExpr,
        *,
        time_limit: float,
        workers: int,
        listener: cp_model.CpSolverSolutionCallback,
        clock: SearchClock,
    ) -> tuple[cp_model.CpSolverStatus, NDArray[np.int64] | None, int]:
        """Minimise `expression`: the status, chosen pair indices (if any) and the bound."""
        self.model.minimize(expression)
        solver = clock.solver(time_limit, workers)
        status = solver.solve(self.model, listener)
        clock.spent(solver)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, 0
        bound = int(np.ceil(solver.best_objective_bound - 1e-6))
        values = np.array([solver.boolean_value(v) for v in self.x], dtype=bool)
        return status, self.usable[values].astype(np.int64), bound
