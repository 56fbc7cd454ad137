"""Problem A: assign pupils to (placement, period) with the lexicographic objective of SPEC 3.

Without `min_students`, `together` and `apart` the round is a min-cost flow
(pupil -> placement/period -> company -> sink, plus a bypass arc per pupil whose cost outweighs
any cost difference, so placing more priority always wins) and is solved exactly.
With them, the same sparse eligible pairs become a CP-SAT model: the flow optimum is a relaxation
(its placed priority is an upper bound and, at that priority, its cost a lower bound), and the
flow solution repaired to feasibility is the hint and the fallback answer.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow
from ortools.sat.python import cp_model

from .arrays import positions_by_value
from .domain import Round
from .eligibility import EligiblePairs, eligible_pairs
from .progress import Progress, ProgressFn, ignore
from .search_clock import SearchClock

_INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Steering:
    """A re-solve of an earlier proposal: pins that must stay, and the proposal to stay close to.

    Both map a pupil id to (placement id, period). With `previous`, the objective becomes: most
    placed priority, then fewest changes (a pupil of `previous` moved or dropped), then least
    cost; so a decline or a pin moves nobody else without need.
    """

    pinned: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    previous: Mapping[str, tuple[str, str]] = field(default_factory=dict)


class SteeringError(ValueError):
    """Pins that cannot hold: unknown, not eligible, over capacity or against a rule."""


@dataclass(frozen=True, slots=True)
class PlacementResult:
    pairs: EligiblePairs
    chosen: NDArray[np.int64]  # indices into `pairs`, at most one per pupil
    status: str  # "OPTIMAL" or "FEASIBLE"
    placed_priority: int
    cost: int
    bound: int | None  # lower bound on cost at this placed priority
    method: str  # "min_cost_flow" or "cp_sat"
    variables: int
    changes: int | None = None  # pupils of the previous proposal moved or dropped


def has_side_constraints(round_: Round) -> bool:
    return bool(round_.together or round_.apart) or any(
        p.min_students > 1 for p in round_.placements.values()
    )


def solve_placements(
    round_: Round,
    *,
    time_limit: float = 30.0,
    workers: int = 8,
    progress: ProgressFn = ignore,
    pairs: EligiblePairs | None = None,
    use_cp_sat: bool = False,
    steering: Steering | None = None,
    deterministic: bool = False,
) -> PlacementResult:
    """The optimal placement of a round (or, with side rules, the best found in `time_limit`).

    `use_cp_sat` takes the CP-SAT path even without side rules, to cross-check the two.
    `deterministic` counts `time_limit` in CP-SAT work units on one worker (`SearchClock`).
    """
    started = time.monotonic()
    clock = SearchClock(deterministic=deterministic)
    begun = clock.now()
    if pairs is None:
        progress(Progress("placements", "finding eligible pairs", 0.0))
        pairs = eligible_pairs(round_)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    steer = _Steer.of(pairs, steering or Steering())
    progress(
        Progress(
            "placements", f"min-cost flow over {len(pairs):,} pairs", time.monotonic() - started
        )
    )
    chosen, arcs = solve_flow(pairs, priority, steer)
    placed, cost = objective(pairs, chosen, priority)
    if not (use_cp_sat or has_side_constraints(round_)):
        return PlacementResult(
            pairs,
            chosen,
            "OPTIMAL",
            placed,
            cost,
            cost,
            "min_cost_flow",
            arcs,
            steer.changes(pairs, chosen),
        )
    remaining = max(0.1, time_limit - (clock.now() - begun))
    return _solve_with_side_rules(
        round_,
        pairs,
        priority,
        steer,
        chosen,
        (placed, cost),
        remaining,
        workers,
        progress,
        started,
        clock,
    )


class _Steer:
    """A `Steering` resolved against the eligible pairs, and the objective terms it adds."""

    def __init__(
        self,
        pinned: NDArray[np.int64],
        stay: NDArray[np.bool_],
        had_previous: NDArray[np.bool_],
        change_weight: int,
        capacity: NDArray[np.int64],
        company_limit: NDArray[np.int64],
    ) -> None:
        self.pinned = pinned  # pair indices that must be chosen
        self.stay = stay  # per pair: the pupil's previous (placement, period)
        self.had_previous = had_previous  # per pupil
        self.change_weight = change_weight  # above any total cost, so changes come first
        self.capacity = capacity  # seats left by the pins, per (placement, period)
        self.company_limit = company_limit  # max_students left by the pins, -1 unlimited

    @classmethod
    def of(cls, pairs: EligiblePairs, steering: Steering) -> _Steer:
        index = {s.id: i for i, s in enumerate(pairs.students)}
        placement_index = {p.id: i for i, p in enumerate(pairs.placements)}
        period_index = {t: i for i, t in enumerate(pairs.periods)}
        n_periods = max(1, len(pairs.periods))
        order = sorted_keys = None
        if steering.pinned or steering.previous:  # the plain solve needs no lookup
            key = (
                pairs.student.astype(np.int64) * len(pairs.placements) + pairs.placement
            ) * n_periods + pairs.period
            order = np.argsort(key, kind="stable")
            sorted_keys = key[order]

        def pair_of(student: str, slot: tuple[str, str]) -> int | None:
            placement, period = slot
            if placement not in placement_index or period not in period_index:
                return None
            wanted = (index[student] * len(pairs.placements) + placement_index[placement]) * (
                n_periods
            ) + period_index[period]
            at = int(np.searchsorted(sorted_keys, wanted))
            found = at < len(sorted_keys) and sorted_keys[at] == wanted
            return int(order[at]) if found else None

        pinned = []
        for student, slot in steering.pinned.items():
            if student not in index:
                raise SteeringError(f"pin of unknown pupil {student!r}")
            at = pair_of(student, slot)
            if at is None:
                raise SteeringError(
                    f"pin {student} -> {slot[0]}/{slot[1]}: not an eligible placement and "
                    "period for this pupil (profile, track, year, period, travel, preferences)"
                )
            pinned.append(at)
        pinned_arr = np.array(sorted(pinned), dtype=np.int64)
        capacity = pairs.capacity.copy()
        np.subtract.at(capacity, (pairs.placement[pinned_arr], pairs.period[pinned_arr]), 1)
        company_limit = pairs.company_limit.copy()
        pinned_companies = pairs.placement_company[pairs.placement[pinned_arr]]
        limited = company_limit >= 0
        company_limit[limited] -= np.bincount(pinned_companies, minlength=len(company_limit))[
            limited
        ]
        over = [
            f"{pairs.placements[p].id}/{pairs.periods[t]}"
            for p, t in zip(*np.nonzero((capacity < 0) & (pairs.capacity >= 0)), strict=True)
        ] + [pairs.company_ids[c] for c in np.flatnonzero(limited & (company_limit < 0))]
        if over:
            raise SteeringError(f"more pins than seats at {', '.join(over)}")
        stay = np.zeros(len(pairs), dtype=bool)
        had_previous = np.zeros(len(pairs.students), dtype=bool)
        for student, slot in steering.previous.items():
            if student in index:
                had_previous[index[student]] = True
                at = pair_of(student, slot)
                if at is not None:
                    stay[at] = True
        weight = (
            int(pairs.cost.max(initial=0)) * len(pairs.students) + 1 if had_previous.any() else 0
        )
        return cls(pinned_arr, stay, had_previous, weight, capacity, company_limit)

    def arc_cost(self, pairs: EligiblePairs) -> NDArray[np.int64]:
        """Per pair: its cost, plus the change weight when it moves a pupil of the proposal."""
        moves = self.had_previous[pairs.student] & ~self.stay
        return pairs.cost + self.change_weight * moves

    def bypass_cost(self) -> NDArray[np.int64]:
        """Per pupil: what leaving it unplaced adds besides its priority (dropping is a change)."""
        return self.change_weight * self.had_previous.astype(np.int64)

    def changes(self, pairs: EligiblePairs, chosen: NDArray[np.int64]) -> int | None:
        if not self.had_previous.any():
            return None
        return int(self.had_previous.sum() - self.stay[chosen].sum())


def objective(
    pairs: EligiblePairs, chosen: NDArray[np.int64], priority: NDArray[np.int64]
) -> tuple[int, int]:
    """(placed priority, cost) of a set of chosen pairs."""
    return int(priority[pairs.student[chosen]].sum()), int(pairs.cost[chosen].sum())


def solve_flow(
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: _Steer | None = None,
    blocked: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64], int]:
    """Exact optimum of the round without side rules; returns chosen pair indices and arc count.

    The lexicographic objective becomes one cost per flow: a pupil left on its bypass arc costs
    `unit * priority`. A `unit` above any total cost difference (max cost x pupils) is always
    exact but makes cost scaling slow, so a small `unit` is tried first and certified: the most
    placed priority is known from max-flows (see `most_placed_priority`), and a flow that
    reaches it is cost-optimal among all that do, since any cheaper one with the same placed
    priority would also have a lower combined cost. Only if it falls short does `unit` grow.
    Pinned pupils leave the network with the seats they hold; `blocked` pairs are left out.
    """
    steer = steer or _Steer.of(pairs, Steering())
    arc_cost = steer.arc_cost(pairs)
    bypass_cost = steer.bypass_cost()
    network = FlowNetwork(pairs, steer, blocked)
    if network.n_pupils == 0:
        return steer.pinned, 0
    target = network.most_placed_priority(priority)
    max_cost = int(arc_cost[network.usable].max(initial=0)) + int(bypass_cost.max(initial=0))
    always_exact = max_cost * network.n_pupils + 1
    unit = min(always_exact, 8 * max_cost + 1)
    while True:
        chosen = network.min_cost(arc_cost, priority, unit, bypass_cost)
        if int(priority[pairs.student[chosen]].sum()) == target or unit == always_exact:
            return np.sort(np.concatenate((chosen, steer.pinned))), network.n_arcs
        unit = min(always_exact, unit * 32)


class FlowNetwork:
    """pupil -> (placement, period) slot -> company -> sink, over the usable eligible pairs."""

    def __init__(
        self,
        pairs: EligiblePairs,
        steer: _Steer | None = None,
        blocked: NDArray[np.bool_] | None = None,
    ) -> None:
        n_periods = max(1, len(pairs.periods))
        self.pairs = pairs
        steer = steer or _Steer.of(pairs, Steering())
        pinned_pupil = np.zeros(len(pairs.students), dtype=bool)
        pinned_pupil[pairs.student[steer.pinned]] = True
        capacity, company_limit = steer.capacity, steer.company_limit
        open_pairs = (capacity[pairs.placement, pairs.period] > 0) & ~pinned_pupil[pairs.student]
        if blocked is not None:
            open_pairs &= ~blocked
        self.usable = np.nonzero(open_pairs)[0]
        usable = self.usable
        self.pupils, pupil_node = np.unique(pairs.student[usable], return_inverse=True)
        slots, slot_node = np.unique(
            pairs.placement[usable].astype(np.int64) * n_periods + pairs.period[usable],
            return_inverse=True,
        )
        companies, company_node = np.unique(
            pairs.placement_company[slots // n_periods], return_inverse=True
        )
        self.n_pupils = n_pupils = len(self.pupils)
        n_slots, n_companies = len(slots), len(companies)
        self.sink = sink = n_pupils + n_slots + n_companies
        slot_caps = capacity[slots // n_periods, slots % n_periods]
        company_caps = np.bincount(company_node, weights=slot_caps, minlength=n_companies)
        limits = company_limit[companies]
        company_caps = np.where(limits >= 0, np.minimum(company_caps, limits), company_caps)
        # Pupil -> slot arcs first, so their flows are the first len(usable) arcs.
        self.tails = np.concatenate(
            (pupil_node, n_pupils + np.arange(n_slots), n_pupils + n_slots + np.arange(n_companies))
        ).astype(np.int32)
        self.heads = np.concatenate(
            (n_pupils + slot_node, n_pupils + n_slots + company_node, np.full(n_companies, sink))
        ).astype(np.int32)
        self.capacities = np.concatenate((np.ones(len(usable)), slot_caps, company_caps)).astype(
            np.int64
        )
        self.n_arcs = len(self.tails) + n_pupils

    def most_placed_priority(self, priority: NDArray[np.int64]) -> int:
        """The largest total priority that can be placed at once, by max-flows.

        Pupil sets that can be placed together form a matroid (a gammoid of this network), so
        the best total weight is sum over priority levels w of w x (how many of priority >= w
        can be placed, less those of priority > w): one max-flow per distinct priority.
        """
        source = self.sink + 1
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(self.tails, self.heads, self.capacities)
        pupil_priority = priority[self.pupils]
        feeds = flow.add_arcs_with_capacity(
            np.full(self.n_pupils, source, dtype=np.int32),
            np.arange(self.n_pupils, dtype=np.int32),
            np.zeros(self.n_pupils, dtype=np.int64),
        )
        total, placed_above = 0, 0
        for level in sorted(set(pupil_priority.tolist()), reverse=True):
            flow.set_arcs_capacity(feeds, (pupil_priority >= level).astype(np.int64))
            if flow.solve(source, self.sink) != flow.OPTIMAL:
                raise RuntimeError("max-flow failed")
            placed = flow.optimal_flow()
            total += level * (placed - placed_above)
            placed_above = placed
        return total

    def min_cost(
        self,
        arc_cost: NDArray[np.int64],
        priority: NDArray[np.int64],
        unit: int,
        bypass_cost: NDArray[np.int64],
    ) -> NDArray[np.int64]:
        """Min-cost flow, bypass arcs costing `unit * priority + bypass_cost`; chosen pairs."""
        bypass = unit * priority[self.pupils] + bypass_cost[self.pupils]
        if int(bypass.max()) > _INT64_MAX // (self.sink + 2):
            raise OverflowError("priorities too large for an exact min-cost flow")
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate((self.tails, np.arange(self.n_pupils, dtype=np.int32))),
            np.concatenate((self.heads, np.full(self.n_pupils, self.sink, dtype=np.int32))),
            np.concatenate((self.capacities, np.ones(self.n_pupils, dtype=np.int64))),
            np.concatenate(
                (
                    arc_cost[self.usable],
                    np.zeros(len(self.tails) - len(self.usable), dtype=np.int64),
                    bypass,
                )
            ),
        )
        supplies = np.zeros(self.sink + 1, dtype=np.int64)
        supplies[: self.n_pupils] = 1
        supplies[self.sink] = -self.n_pupils
        flow.set_nodes_supplies(np.arange(self.sink + 1, dtype=np.int32), supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow ended with status {status}")
        used = flow.flows(arcs[: len(self.usable)]) > 0
        return self.usable[used].astype(np.int64)


def feasible_start(
    round_: Round,
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: _Steer,
    chosen: NDArray[np.int64],
) -> NDArray[np.int64]:
    """A feasible placement near the flow optimum, to start CP-SAT from (and fall back on).

    Each round blocks what broke a rule, so the flow re-places everyone else into the room it
    leaves: a placement short of min_students is closed, a split together pair is kept out, and
    of an apart pair at one company the lower priority is kept away from it. Blocking only
    grows, so this ends; `repair` then drops whatever pins still leave broken.
    """
    keep = frozenset(int(s) for s in pairs.student[steer.pinned])
    pinned_pair = np.isin(pairs.student, list(keep))
    company = pairs.placement_company[pairs.placement]
    blocked = np.zeros(len(pairs), dtype=bool)
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
        chosen, _ = solve_flow(pairs, priority, steer, blocked)
    return repair(round_, pairs, chosen, keep)


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

    changed = True
    while changed:
        changed = False
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


def broken_rules(round_: Round, pairs: EligiblePairs, chosen: NDArray[np.int64]) -> bool:
    kept = {int(pairs.student[c]): int(c) for c in chosen}
    return any(_rule_breaks(round_, pairs, kept))


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


def _solve_with_side_rules(
    round_: Round,
    pairs: EligiblePairs,
    priority: NDArray[np.int64],
    steer: _Steer,
    relaxed: NDArray[np.int64],
    relaxed_objective: tuple[int, int],
    time_limit: float,
    workers: int,
    progress: ProgressFn,
    started: float,
    clock: SearchClock,
) -> PlacementResult:
    """CP-SAT on one weighted objective: `unit` x unplaced priority + changes and cost.

    `unit` exceeds any total of the rest, so the weighted optimum is the lexicographic one. The
    flow relaxation caps the placed priority (a valid cut that lets CP-SAT prove it) and, when the
    solution reaches that cap, bounds its cost from below.
    """
    hint = feasible_start(round_, pairs, priority, steer, relaxed)
    model = SideRuleModel(round_, pairs)
    model.pin(steer.pinned)
    in_model = np.unique(pairs.student[model.usable])
    total = int(priority[in_model].sum())
    arc_cost = steer.arc_cost(pairs)
    bypass_cost = steer.bypass_cost()
    rest = (
        model.weighted(arc_cost)
        + int(bypass_cost.sum())
        - model.weighted(bypass_cost[pairs.student])
    )
    unit = (
        int(arc_cost[model.usable].max(initial=0) + bypass_cost.max(initial=0)) * len(in_model) + 1
    )
    placed_expr = model.weighted(priority[pairs.student])
    model.model.add(placed_expr <= relaxed_objective[0])
    model.hint(hint)
    status, values, weighted_bound = model.solve(
        unit * (total - placed_expr) + rest,
        time_limit=time_limit,
        workers=workers,
        listener=PlacementListener(progress, unit, total, started),
        clock=clock,
    )
    if values is None and broken_rules(round_, pairs, hint):
        raise SteeringError("the pins break a min_students, together or apart rule")
    best = hint
    if values is not None:
        placed, cost = objective(pairs, values, priority)
        hint_placed, hint_cost = objective(pairs, hint, priority)
        if (placed, -cost) >= (hint_placed, -hint_cost) or broken_rules(round_, pairs, hint):
            best = values
    placed, cost = objective(pairs, best, priority)
    # No solution places more priority than `placed` once the weighted bound says so.
    placed_proven = placed == relaxed_objective[0] or weighted_bound >= unit * (total - placed)
    bound = None
    if placed_proven and steer.change_weight == 0:
        bounds = [weighted_bound - unit * (total - placed)]
        if placed == relaxed_objective[0]:
            bounds.append(relaxed_objective[1])
        bound = min(cost, max(bounds))
    optimal = status == cp_model.OPTIMAL and best is values
    if optimal and bound is None:
        bound = cost
    return PlacementResult(
        pairs,
        best,
        "OPTIMAL" if optimal or bound == cost else "FEASIBLE",
        placed,
        cost,
        bound,
        "cp_sat",
        model.variables,
        steer.changes(pairs, best),
    )


class SideRuleModel:
    """CP-SAT over the usable eligible pairs with every hard rule of SPEC section 3."""

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
        student = pairs.student[u].astype(np.int64)
        placement = pairs.placement[u].astype(np.int64)
        company = pairs.placement_company[placement].astype(np.int64)
        for group in positions_by_value(student):
            if len(group) > 1:
                model.add_at_most_one(x[i] for i in group)
        slot = placement * max(1, len(periods)) + pairs.period[u]
        for group in positions_by_value(slot):
            cap = int(pairs.capacity[placement[group[0]], pairs.period[u[group[0]]]])
            if len(group) > cap:
                model.add(sum(x[i] for i in group) <= cap)
        for group in positions_by_value(company):
            c = int(company[group[0]])
            limit = int(pairs.company_limit[c])
            if 0 <= limit < len(group):
                model.add(sum(x[i] for i in group) <= limit)
        self.opened: dict[int, cp_model.IntVar] = {}
        for group in positions_by_value(placement):
            p = int(placement[group[0]])
            minimum = placements[p].min_students
            if minimum > 1:
                opened = self.opened[p] = model.new_bool_var(f"open[{placements[p].id}]")
                model.add(sum(x[i] for i in group) >= minimum * opened)
                for i in group:
                    model.add_implication(x[i], opened)
        at_company: dict[tuple[int, int], list[int]] = {}
        for i, (s, c) in enumerate(zip(student.tolist(), company.tolist(), strict=True)):
            at_company.setdefault((s, c), []).append(i)
        index = {s.id: i for i, s in enumerate(students)}
        reachable: dict[int, set[int]] = {}
        for s, c in at_company:
            reachable.setdefault(s, set()).add(c)

        def placed_at(s: int, c: int) -> cp_model.LinearExprT:
            return sum(x[i] for i in at_company.get((s, c), []))

        for a, b in round_.together:
            ia, ib = index[a], index[b]
            for c in reachable.get(ia, set()) | reachable.get(ib, set()):
                model.add(placed_at(ia, c) == placed_at(ib, c))
        for a, b in round_.apart:
            ia, ib = index[a], index[b]
            for c in reachable.get(ia, set()) & reachable.get(ib, set()):
                model.add(placed_at(ia, c) + placed_at(ib, c) <= 1)
        self.variables = len(x) + len(self.opened)

    def weighted(self, per_pair: NDArray[np.int64]) -> cp_model.LinearExprT:
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
        expression: cp_model.LinearExprT,
        *,
        time_limit: float,
        workers: int,
        listener: cp_model.CpSolverSolutionCallback,
        clock: SearchClock,
    ) -> tuple[int, NDArray[np.int64] | None, int]:
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
