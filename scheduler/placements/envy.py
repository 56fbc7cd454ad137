"""The best placement without justified envy (`solve --no-envy`), on CP-SAT.

Envy, preference and ties are defined in `scheduler.fairness`. A bureau may prefer a solution
in which no pupil sees a seat it wanted go to a pupil of lower priority, even if that places
fewer pupils; this module finds the envy-free solution with the most placed priority and then
the least cost, so the price of envy-freeness can be read off against the plain optimum.

Model (weak stability with ties, in the form of the stable-marriage-with-ties literature: a
seat held by someone ranked lower forces the pupil to be at least as well off), over the
model's eligible pairs x[s, q, t] with every hard rule of `SideRuleModel`:

- key(s, q) is the rank of q in s's list, or one past the longest list when unranked;
- at_least[s, k] = sum of x[s, q, t] over s's pairs with key <= k: "s got key k or better";
- lower[q, t, l] = sum of x[s', q, t] over the pupils s' of priority below l: "(q, t) has
  holders of priority below l";
- for each pair (s, q, t): lower[q, t, priority(s)] <= capacity(q, t) x at_least[s, key(s, q)]
  (summed rather than one implication per holder: a tighter LP relaxation for the bound).

Only pupils above the lowest priority can envy, so a round of equal priorities adds nothing,
and the fixtures' rounds (88 % at priority 1) add little envy rules. An unplaced pupil must
find every seat it could take full (or its company full): not for envy's sake (an empty seat
is waste, not envy) but so that every SPEC reason still holds; rules that may keep a pupil
out (together, apart, min_students) lift that.

The most placed priority without envy is NP-hard in general (ties), and CP-SAT alone stalls
on rounds of thousands of pupils, so it starts from `priority_levels`: serial dictatorship
between priority levels and a min-cost flow within each, envy-free and without waste by
construction (on the 1,000-pupil benchmark round it already has the proven optimum's placed
priority; benchmarks/README.md). With side rules it starts from `envy_free_starts` (the same
construction on the pairs no side rule touches) when the model accepts one; searched from
nothing it found no solution on 1,500 pupils. The model itself can be infeasible: a pupil above
the lowest priority whose `together` partner reaches none of its companies can never be placed,
and envies every lower holder of a seat it could take, which may leave a lower pupil beside a
free seat with no reason `verify` accepts; the answer is then empty (the side-rule fixture
rounds of 600 pupils and more, seed 1; benchmarks/README.md).

When every pupil has one priority no envy rule exists and the plain optimum has no waste, so
the plain solver answers (`_without_envy_rules`): searched from nothing, the no-envy model
placed nobody on a 600-pupil side-rule round where the plain solver places 407.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.domain import Round
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.placements.envy_free_start import model_accepts, side_rule_free_pairs
from scheduler.placements.flow import objective, solve_flow
from scheduler.placements.result import PlacementResult
from scheduler.placements.side_rules import PlacementListener, SideRuleModel
from scheduler.placements.solve import has_side_constraints, solve_placements
from scheduler.progress import Progress, ProgressFn, ignore
from scheduler.search_clock import SearchClock

METHOD = "cp_sat_no_envy"


class NoEnvyFree(ValueError):
    """The round has no envy-free placement at all (the side rules make every one envious)."""


PRIORITY_SHARE = 0.6  # of the time limit for phase 1 (placed priority alone)


def solve_no_envy(
    round_: Round,
    *,
    time_limit: float = 30.0,
    workers: int = 8,
    progress: ProgressFn = ignore,
    pairs: EligiblePairs | None = None,
    deterministic: bool = False,
) -> PlacementResult:
    """The envy-free placement with the most placed priority, then the least cost."""
    result, _ = solve_no_envy_with_bound(
        round_,
        time_limit=time_limit,
        workers=workers,
        progress=progress,
        pairs=pairs,
        deterministic=deterministic,
    )
    return result


def solve_no_envy_with_bound(
    round_: Round,
    *,
    time_limit: float = 30.0,
    workers: int = 8,
    progress: ProgressFn = ignore,
    pairs: EligiblePairs | None = None,
    deterministic: bool = False,
) -> tuple[PlacementResult, int]:
    """`solve_no_envy`, and the most placed priority any envy-free solution can have (proven).

    The bound tells the price of envy-freeness when the answer is not proven optimal.
    """
    started = time.monotonic()
    clock = SearchClock(deterministic=deterministic)
    begun = clock.now()
    if pairs is None:
        progress(Progress("placements", "finding eligible pairs", 0.0))
        pairs = eligible_pairs(round_)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    # The unrestricted flow optimum caps the placed priority: a valid cut that helps the proof.
    relaxed, _ = solve_flow(pairs, priority)
    cap, relaxed_cost = objective(pairs, relaxed, priority)
    seated = pairs.capacity[pairs.placement, pairs.period] > 0
    if len(np.unique(priority[pairs.student[seated]])) <= 1:
        return _without_envy_rules(round_, pairs, cap, time_limit, workers, progress, deterministic)
    progress(Progress("placements", "building the no-envy model", time.monotonic() - started))
    model = SideRuleModel(round_, pairs)
    add_no_envy(model.model, pairs, model.usable, model.x, _waste_rule(round_, pairs, model.usable))
    in_model = np.unique(pairs.student[model.usable])
    total = int(priority[in_model].sum())
    unit = int(pairs.cost[model.usable].max(initial=0)) * len(in_model) + 1
    placed_expr = model.weighted(priority[pairs.student])
    model.model.add(placed_expr <= cap)
    hint = best = np.zeros(0, dtype=np.int64)
    if not has_side_constraints(round_):
        hint = best = priority_levels(pairs, priority)
    else:
        # An accepted start is the answer's floor, not phase 1's hint: from the empty hint,
        # CP-SAT's 8 workers ended higher on 1,500 pupils (benchmarks/README.md).
        accepted = (
            s for s in envy_free_starts(round_, pairs, priority) if model_accepts(model, s, clock)
        )
        best = next(accepted, best)
    model.hint(hint)

    # Phase 1, the placed priority alone: its small objective closes far sooner than the
    # weighted one, and its bound caps phase 2.
    remaining = time_limit - (clock.now() - begun)
    status, values, missing_bound = model.solve(
        total - placed_expr,
        time_limit=max(0.1, PRIORITY_SHARE * remaining),
        workers=workers,
        listener=_PlacedListener(progress, total, started),
        clock=clock,
    )
    if status == cp_model.INFEASIBLE:
        raise NoEnvyFree(
            "no placement of this round is free of justified envy: each leaves some pupil "
            "envious of a lower priority in a seat it wants, or beside a free seat, which "
            "happens when a together, apart or min_students rule keeps a pupil out of the seat"
        )
    if values is not None:
        best = _better(pairs, priority, best, values)
    placed, _ = objective(pairs, best, priority)
    most = min(cap, total - missing_bound)
    model.model.add(placed_expr >= placed)
    model.model.add(placed_expr <= most)
    model.hint(best)

    # Phase 2: at least that priority, then the least cost.
    status, values, weighted_bound = model.solve(
        unit * (total - placed_expr) + model.weighted(pairs.cost),
        time_limit=max(0.1, time_limit - (clock.now() - begun)),
        workers=workers,
        listener=PlacementListener(progress, unit, total, started),
        clock=clock,
    )
    if values is not None:
        best = _better(pairs, priority, best, values)
    placed, cost = objective(pairs, best, priority)
    bound = None
    if placed == most:
        bounds = [0, weighted_bound - unit * (total - placed)]
        if placed == cap:
            bounds.append(relaxed_cost)  # the optimum without the envy rules costs no more
        bound = min(cost, max(bounds))
    optimal = (status == cp_model.OPTIMAL and values is not None) or bound == cost
    result = PlacementResult(
        pairs,
        best,
        "OPTIMAL" if optimal else "FEASIBLE",
        placed,
        cost,
        bound,
        METHOD,
        model.variables,
    )
    return result, most


def envy_free_starts(
    round_: Round, pairs: EligiblePairs, priority: NDArray[np.int64]
) -> Iterator[NDArray[np.int64]]:
    """`priority_levels` on each pair set of `side_rule_free_pairs`, as indices of `pairs`."""
    from scheduler.placements.national import subset_pairs

    for keep in side_rule_free_pairs(round_, pairs, priority):
        part = subset_pairs(pairs, keep)
        yield np.sort(keep[priority_levels(part, priority[np.unique(pairs.student[keep])])])


def _without_envy_rules(
    round_: Round,
    pairs: EligiblePairs,
    cap: int,
    time_limit: float,
    workers: int,
    progress: ProgressFn,
    deterministic: bool,
) -> tuple[PlacementResult, int]:
    """The no-envy answer when every pupil who could sit anywhere has one priority.

    No envy rule can bind then, and the most-placed optimum leaves no unplaced pupil beside a
    free seat it could take (it would place one more), so the envy-free optimum is the plain
    one: solved by the plain solver (the exact flow, or CP-SAT from the repaired flow), not by
    the no-envy model, whose CP-SAT search from scratch lost placed pupils and cost on large
    rounds. A plain answer short of the optimum may leave such a pupil; `fill_waste` seats it.
    """
    plain = solve_placements(
        round_,
        time_limit=time_limit,
        progress=progress,
        pairs=pairs,
        deterministic=deterministic,
    )
    chosen = fill_waste(pairs, plain.chosen, _waste_rule(round_, pairs, np.arange(len(pairs))))
    most = plain.placed_priority if plain.bound is not None else cap
    if len(chosen) == len(plain.chosen):
        return replace(plain, method=METHOD), most
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    placed, cost = objective(pairs, chosen, priority)
    result = PlacementResult(pairs, chosen, "FEASIBLE", placed, cost, None, METHOD, plain.variables)
    return result, max(most, placed)


def fill_waste(
    pairs: EligiblePairs, chosen: NDArray[np.int64], waste_rule: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """`chosen` plus, cheapest first, every unplaced pupil beside a seat with room (and room at
    its company) where `waste_rule` (per pair) says it may not be left out.

    Seating such a pupil breaks no rule (the waste rule is lifted wherever a side rule could
    object), and seats only fill up, so one pass in cost order leaves no such pupil.
    """
    n_periods = max(1, len(pairs.periods))
    seat = pairs.placement.astype(np.int64) * n_periods + pairs.period
    company = pairs.placement_company[pairs.placement].astype(np.int64)
    seats_left = np.maximum(pairs.capacity, 0).ravel().copy()
    np.subtract.at(seats_left, seat[chosen], 1)
    unlimited = np.iinfo(np.int64).max // 4
    company_left = np.where(pairs.company_limit >= 0, pairs.company_limit, unlimited)
    np.subtract.at(company_left, company[chosen], 1)
    placed = np.zeros(len(pairs.students), dtype=bool)
    placed[pairs.student[chosen]] = True
    added = []
    for i in np.flatnonzero(waste_rule)[np.argsort(pairs.cost[waste_rule], kind="stable")]:
        s = int(pairs.student[i])
        if placed[s] or seats_left[seat[i]] <= 0 or company_left[company[i]] <= 0:
            continue
        placed[s] = True
        seats_left[seat[i]] -= 1
        company_left[company[i]] -= 1
        added.append(int(i))
    return np.sort(np.concatenate([chosen, np.array(added, dtype=np.int64)]))


def _better(
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
) -> NDArray[np.int64]:
    """The lexicographically better of two solutions (phase 1 ignores cost)."""
    (placed_a, cost_a), (placed_b, cost_b) = (
        objective(pairs, a, priority),
        objective(pairs, b, priority),
    )
    return b if (placed_b, -cost_b) > (placed_a, -cost_a) else a


class _PlacedListener(cp_model.CpSolverSolutionCallback):
    """Reports each improving placed priority of phase 1."""

    def __init__(self, progress: ProgressFn, total: int, started: float) -> None:
        super().__init__()
        self._progress, self._total, self._started = progress, total, started

    def on_solution_callback(self) -> None:
        self._progress(
            Progress(
                "placements",
                f"CP-SAT no envy: placed priority {self._total - round(self.objective_value)}",
                time.monotonic() - self._started,
            )
        )


def _waste_rule(
    round_: Round, pairs: EligiblePairs, usable: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Per usable pair: must an unplaced pupil find this seat full? Not where `verify` accepts
    a side rule as the reason (a together or apart pupil, a placement with min_students)."""
    index = {s.id: i for i, s in enumerate(pairs.students)}
    paired = np.zeros(len(pairs.students), dtype=bool)
    for a, b in (*round_.together, *round_.apart):
        paired[[index[a], index[b]]] = True
    minimum = np.array([p.min_students for p in pairs.placements], dtype=np.int64)
    return ~paired[pairs.student[usable]] & (minimum[pairs.placement[usable]] <= 1)


def preference_key(pairs: EligiblePairs) -> NDArray[np.int64]:
    """Per pair: its rank, or one past the longest list when unranked (all unranked tie)."""
    unranked = int(pairs.rank.max(initial=0)) + 1
    return np.where(pairs.rank > 0, pairs.rank, unranked).astype(np.int64)


def add_no_envy(
    model: cp_model.CpModel,
    pairs: EligiblePairs,
    usable: NDArray[np.int64],
    x: list[cp_model.IntVar],
    waste_rule: NDArray[np.bool_],
) -> None:
    """Add the no-envy and no-waste rules over the model's pairs `usable` (variables `x`).

    `waste_rule` (per usable pair) says where an unplaced pupil must find the seat or its
    company full; pairs where a side rule may keep the pupil out are left free of it.
    """
    if len(usable) == 0:
        return
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    student = pairs.student[usable].astype(np.int64)
    prio = priority[student]
    lowest = int(prio.min())
    key = preference_key(pairs)[usable]
    n_periods = max(1, len(pairs.periods))
    placement = pairs.placement[usable].astype(np.int64)
    seat = placement * n_periods + pairs.period[usable]

    # at_least[s, k] as a chain: at_least[s, k] = at_least[s, previous k] + pairs with key k;
    # the last link says "s is placed".
    at_least: dict[tuple[int, int], cp_model.IntVar] = {}
    placed: dict[int, cp_model.IntVar] = {}
    by_student_key: dict[int, dict[int, list[int]]] = {}
    for i, (s, k) in enumerate(zip(student.tolist(), key.tolist(), strict=True)):
        by_student_key.setdefault(s, {}).setdefault(k, []).append(i)
    for s, by_key in by_student_key.items():
        previous: cp_model.IntVar | int = 0
        for k in sorted(by_key):
            var = model.new_bool_var(f"at_least[{pairs.students[s].id},{k}]")
            model.add(var == sum(x[i] for i in by_key[k]) + previous)
            at_least[(s, k)] = previous = var
        placed[s] = at_least[(s, max(by_key))]

    # Per seat: lower[level] = "a holder of priority below level", which forces every pupil
    # of that level eligible here to be at least as well off; and full, which an unplaced
    # eligible pupil needs (or its company full) unless a side rule may keep it out.
    company = pairs.placement_company[placement].astype(np.int64)
    company_full: dict[int, cp_model.IntVar] = {}
    order = np.argsort(seat, kind="stable")
    for group in np.split(order, np.flatnonzero(np.diff(seat[order])) + 1):
        p, t = int(placement[group[0]]), int(pairs.period[usable[group[0]]])
        name = f"{pairs.placements[p].id},{pairs.periods[t]}"
        cap = int(pairs.capacity[p, t])
        for level in sorted({int(v) for v in prio[group].tolist() if v > lowest}):
            holders = group[prio[group] < level]
            if len(holders) == 0:
                continue
            lower = model.new_int_var(0, cap, f"lower[{name},{level}]")
            model.add(lower == sum(x[i] for i in holders.tolist()))
            for i in group[prio[group] == level].tolist():
                model.add(lower <= cap * at_least[(int(student[i]), int(key[i]))])
        guarded = group[waste_rule[group]]
        if len(guarded) == 0:
            continue
        full = model.new_bool_var(f"full[{name}]")
        model.add(sum(x[i] for i in group) >= cap).only_enforce_if(full)
        c = int(company[group[0]])
        either = [full]
        if pairs.company_limit[c] >= 0:
            if c not in company_full:
                company_full[c] = model.new_bool_var(f"full[{pairs.company_ids[c]}]")
                at_company = np.flatnonzero(company == c)
                model.add(
                    sum(x[i] for i in at_company.tolist()) >= int(pairs.company_limit[c])
                ).only_enforce_if(company_full[c])
            either.append(company_full[c])
        for i in guarded.tolist():
            model.add_bool_or([placed[int(student[i])], *either])


def priority_levels(pairs: EligiblePairs, priority: NDArray[np.int64]) -> NDArray[np.int64]:
    """An envy-free placement built level by level: serial dictatorship between priority
    levels, the most placed (then least cost) within one.

    From the highest priority down: the pupils of one level get a min-cost flow placing as
    many of them as the seats left allow, on seats no higher pupil prefers to its outcome;
    then, while one of them prefers a seat that still has room (and its company too), it moves
    there; then every seat one of them prefers is closed to the lower levels. Nobody lower
    ever holds a seat a higher pupil prefers, so there is no justified envy; every seat a
    pupil prefers is full (or its company is) when the level ends, and seats only fill up
    later, so no unplaced pupil is left beside a seat it could take either.
    """
    from scheduler.placements.national import subset_pairs

    key = preference_key(pairs)
    n_periods = max(1, len(pairs.periods))
    seat = pairs.placement.astype(np.int64) * n_periods + pairs.period
    company = pairs.placement_company[pairs.placement].astype(np.int64)
    seats_left = np.maximum(pairs.capacity, 0).ravel()
    unlimited = np.iinfo(np.int64).max // 4
    company_left = np.where(pairs.company_limit >= 0, pairs.company_limit, unlimited)
    closed = np.zeros(len(seats_left), dtype=bool)  # to every lower level
    outcome = np.full(len(pairs.students), -1, dtype=np.int64)  # chosen pair per pupil
    pair_priority = priority[pairs.student]
    for level in sorted(set(pair_priority.tolist()), reverse=True):
        mine = np.flatnonzero(pair_priority == level)
        open_ = mine[~closed[seat[mine]] & (seats_left[seat[mine]] > 0)]
        if len(open_):
            part = subset_pairs(pairs, open_)
            placements = np.unique(pairs.placement[open_])
            companies = np.unique(pairs.placement_company[placements])
            part = replace(
                part,
                capacity=seats_left.reshape(pairs.capacity.shape)[placements],
                company_limit=np.where(
                    company_left[companies] >= unlimited, -1, company_left[companies]
                ),
            )
            local, _ = solve_flow(part, priority[np.unique(pairs.student[open_])])
            for i in open_[local].tolist():
                outcome[pairs.student[i]] = i
                seats_left[seat[i]] -= 1
                company_left[company[i]] -= 1
        _move_up(mine, outcome, key, seat, company, seats_left, company_left, closed, pairs)
        own_key = np.where(
            outcome[pairs.student[mine]] >= 0,
            key[np.maximum(outcome[pairs.student[mine]], 0)],
            np.iinfo(np.int64).max,
        )
        closed[seat[mine[key[mine] < own_key]]] = True
    chosen = outcome[outcome >= 0]
    return np.sort(chosen)


def _move_up(
    mine: NDArray[np.int64],
    outcome: NDArray[np.int64],
    key: NDArray[np.int64],
    seat: NDArray[np.int64],
    company: NDArray[np.int64],
    seats_left: NDArray[np.int64],
    company_left: NDArray[np.int64],
    closed: NDArray[np.bool_],
    pairs: EligiblePairs,
) -> None:
    """Move placed pupils of one level to a seat they prefer while one has room.

    Each move strictly improves a pupil's key, so it ends; unplaced pupils have no such seat
    (the flow placed as many as it could).
    """
    order = mine[np.lexsort((pairs.cost[mine], key[mine]))]  # best seats first, per pupil
    moved = True
    while moved:
        moved = False
        for i in order.tolist():
            s = int(pairs.student[i])
            current = int(outcome[s])
            if current < 0 or key[i] >= key[current] or closed[seat[i]]:
                continue
            same_company = company[i] == company[current]
            if seats_left[seat[i]] <= 0 or (company_left[company[i]] <= 0 and not same_company):
                continue
            seats_left[seat[current]] += 1
            company_left[company[current]] += 1
            seats_left[seat[i]] -= 1
            company_left[company[i]] -= 1
            outcome[s] = i
            moved = True
