"""Problem B: plan the year's excursions, guest lessons and teacher internships (SPEC section 4).

Objective, lexicographic: (1) the most demanded activities planned, (2) the least travel minutes
in total, (3) each company's hours spread evenly over the months, measured as the sum over
companies of their busiest month's hours (`activity_hours_spread`). Each phase runs with the
previous optimum fixed (`activity_model.solve_lexicographic`).

How the work is split (each choice measured with `benchmarks/activities.py`):

1. `build_candidates` prunes to the dated candidates that pass every per-candidate rule, and
   `start_plan` turns them into a feasible plan at once (nearest offer first, earliest date;
   again with the requesters that lost out served first). Every model starts from the best plan
   so far as its hint, so a solver that runs out of time never makes the plan worse.
2. Up to DIRECT_LIMIT candidates (a few schools, every test round), one `DatedModel` over all
   of them: exact, and proven optimal when the time allows.
3. Beyond, a decomposition: a `PairModel` over the NEAREST_PAIRS nearest offers per requester
   and kind decides across the region who goes where, without the date symmetry; a
   `DatedModel` over just its pairs puts them on dates; a requester the dates leave short is
   re-planned over all its candidates (one large-neighbourhood step around the damage), and
   the greedy completes the plan.
4. The rest of the time goes to large-neighbourhood search by school: its requesters re-planned
   over their nearest offers with every other activity fixed (its classes share the project
   days and activity afternoon that dates compete for), school after school, until the time is
   up or a full round gains nothing. Steps are small enough for CP-SAT to prove most of them.
5. Whatever the solvers leave, the greedy completes, so every unplanned demand has only blocked
   candidates left, and `activity_reasons.unplanned` names what blocks them.

`activities_bound` is the demand that passes every per-requester filter, or the direct model's
proven bound when lower. `activities_travel_bound` is the least travel any plan of as many
activities as this one can have, from a min-cost flow relaxation (`travel_bound`). `status` is
OPTIMAL only when the direct model proves all three phases optimal, or the plan reaches that
bound with nothing else to prove (no candidates).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from scheduler.activities.candidates import (
    CandidateIndex,
    Candidates,
    build_candidates,
    nearest_pairs,
)
from scheduler.activities.dated_model import DatedModel
from scheduler.activities.escorts import assign_escorts
from scheduler.activities.model import (
    LexicographicModel,
    Phase,
    better,
    greedy,
    plan_objective,
    solve_lexicographic,
    start_plan,
)
from scheduler.activities.pair_model import PairModel
from scheduler.activities.reasons import Ledger, unplanned
from scheduler.activities.travel_bound import travel_bound
from scheduler.contract.solution import Activity, ActivityKey, Section
from scheduler.domain import Round, SteeringError
from scheduler.progress import Progress, ProgressFn, ignore
from scheduler.search_clock import SearchClock

# Measured on generated regions (benchmarks/activities.py): a DatedModel over all ~19,000
# candidates of 5 schools proves neither the activities nor the travel in 10 seconds, while the
# pair model settles both in under 4 and its pairs date with at most one activity lost.
DIRECT_LIMIT = 5_000
# Time shares of the three phases (activities, travel, spread). The pair model leaves the
# spread to the dates: at pair level it only bounds it, and never proved it in time.
PHASE_SHARES = (0.3, 0.5, 0.2)
PAIR_PHASE_SHARES = (0.3, 0.7, 0.0)
# Moments, as shares of the time limit, by which the pair model, the dates and the repair end;
# the school neighbourhoods take the rest.
PAIR_MODEL_SHARE, DATES_SHARE, REPAIR_SHARE = 0.35, 0.5, 0.6
# A school neighbourhood sees, per requester and kind, the NEAREST_PAIRS nearest offers with
# many dates and those with at most RARE_DATES (project or open days); a requester left short
# sees all. Measured at 35 schools: 6 beats 10 and all, which spend the time on presolve.
NEAREST_PAIRS, RARE_DATES = 6, 6
LNS_STEP_SECONDS = 1.0  # per school; at 35 schools two steps in three prove their travel in it


@dataclass(frozen=True)
class ActivityResult:
    cands: Candidates
    chosen: NDArray[np.int64]  # candidate indices of the plan
    ledger: Ledger  # the plan's use of every rule, for the reasons
    status: str
    planned: int
    travel: int
    spread: int
    bound: int
    travel_bound: int  # the least travel any plan of `planned` activities can have (proven)
    method: str
    variables: int  # the largest model solved
    phases: dict[str, list[Phase]]  # per model solved; "lns" sums its steps
    seconds: float
    # With kept activities: how many, and the bound on the activities given them (`bound` is
    # the round's own, and `status` OPTIMAL means optimal given them, as for pinned pupils).
    kept: int = 0
    bound_given_kept: int | None = None


@dataclass(frozen=True)
class _Budget:
    started: float  # wall clock, for progress and the reported seconds
    clock: SearchClock  # what the time limit counts: `begun` and `deadline` are on it
    begun: float
    deadline: float
    workers: int
    progress: ProgressFn

    def until(self, share: float) -> float:
        """The moment `share` of the whole time limit has passed."""
        return self.begun + (self.deadline - self.begun) * share

    def left(self) -> bool:
        return self.clock.now() < self.deadline

    def solve(
        self,
        model: LexicographicModel,
        plan: NDArray[np.int64],
        ceiling: int,
        label: str,
        until: float,
        shares: tuple[float, float, float] = PHASE_SHARES,
    ) -> tuple[NDArray[np.int64], list[Phase]]:
        """The three phases of `model` from `plan`, until the moment `until`."""
        return solve_lexicographic(
            model,
            plan,
            ceiling=ceiling,
            label=label,
            deadline=until,
            shares=shares,
            workers=self.workers,
            progress=self.progress,
            started=self.started,
            clock=self.clock,
        )


def solve_activities(
    round_: Round,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    progress: ProgressFn = ignore,
    kept: Collection[ActivityKey] = (),
    deterministic: bool = False,
) -> ActivityResult:
    """The activity plan of a round with a calendar, within about `time_limit` seconds.

    With `kept` (a re-solve or repair of a published calendar) those activities stay exactly
    as they are and only the demand they leave open is planned around them: see `_around`.
    `deterministic` counts `time_limit` in CP-SAT work units on one worker (`SearchClock`).
    """
    started = time.monotonic()
    clock = SearchClock(deterministic=deterministic)
    begun = clock.now()
    budget = _Budget(started, clock, begun, begun + time_limit, workers, progress)
    progress(Progress("activities", "finding candidates", 0.0))
    cands = build_candidates(round_)
    if kept:
        return _around(cands, kept_candidates(cands, kept), budget)
    plan = start_plan(cands)
    progress(
        Progress(
            "activities",
            f"{len(cands):,} candidates, a first plan of {len(plan)}",
            time.monotonic() - started,
        )
    )
    phases: dict[str, list[Phase]] = {}
    bound = cands.filter_bound
    variables, optimal = 0, len(cands) == 0
    if len(cands) == 0:
        method = "none: no candidates"
    elif len(cands) <= DIRECT_LIMIT:
        method = "direct"
        model = DatedModel(cands, np.arange(len(cands), dtype=np.int64))
        plan, phases["dated"] = budget.solve(model, plan, bound, "dated", budget.deadline)
        variables = model.variables
        proven = phases["dated"][0].bound
        bound = bound if proven is None else min(bound, proven)
        optimal = all(p.status == "OPTIMAL" for p in phases["dated"])
        if optimal:
            plan, optimal = _settle_ties(cands, model, plan, budget)
    else:
        method = f"pairs, dates and school neighbourhoods over the {NEAREST_PAIRS} nearest"
        plan, variables = _decomposed(cands, plan, budget, phases)
        plan, lns_variables = _by_school(cands, plan, budget, phases)
        variables = max(variables, lns_variables)
    return _completed(cands, plan, optimal, bound, method, variables, phases, started)


def _settle_ties(
    cands: Candidates, model: DatedModel, plan: NDArray[np.int64], budget: _Budget
) -> tuple[NDArray[np.int64], bool]:
    """Among the plans as good as `plan` on all three objectives (the model holds them after
    `solve_lexicographic`), the one the round's seed draws (SPEC section 8): a plan reported
    OPTIMAL is then the same plan for any order of the round's lists and any run, however
    many workers searched. Unproven in the time left, `plan` stays and is not called OPTIMAL,
    since another run might have picked another of the equal plans."""
    model.model.minimize(model.lottery(cands.round.seed))
    model.model.clear_hints()
    model.hint(plan)
    clock = budget.clock
    solver = clock.solver(max(0.05, budget.deadline - clock.now()), budget.workers)
    status = solver.solve(model.model)
    clock.spent(solver)
    if status == cp_model.OPTIMAL:
        return model.read(solver), True
    return plan, False


def _completed(
    cands: Candidates,
    plan: NDArray[np.int64],
    optimal: bool,
    bound: int,
    method: str,
    variables: int,
    phases: dict[str, list[Phase]],
    started: float,
) -> ActivityResult:
    """The result of `plan` completed by the greedy (what the solvers left short in time, so
    every short demand has only blocked candidates left): OPTIMAL only if the solvers proved
    it and the greedy found nothing to add."""
    ledger = Ledger(cands)
    for i in plan.tolist():
        ledger.add(i)
    before = plan_objective(cands, plan)
    greedy(cands, ledger=ledger)
    plan = np.array(ledger.chosen, dtype=np.int64)
    planned, travel, spread = plan_objective(cands, plan)
    return ActivityResult(
        cands,
        plan,
        ledger,
        "OPTIMAL" if optimal and (planned, travel, spread) == before else "FEASIBLE",
        planned,
        travel,
        spread,
        max(bound, planned),
        travel_bound(cands, planned),
        method,
        variables,
        phases,
        round(time.monotonic() - started, 3),
    )


def kept_candidates(cands: Candidates, kept: Collection[ActivityKey]) -> NDArray[np.int64]:
    """The candidate index of every kept activity; `SteeringError` naming one the round no
    longer allows (its requester, offer, date or daypart gone, or a rule now broken)."""
    index = CandidateIndex(cands)
    ledger = Ledger(cands)
    for key in sorted(kept):
        who, what, day, part = key
        found = index.find(who, what, date.fromisoformat(day), part)
        if found is None:
            raise SteeringError(
                f"kept activity {who} at {what} on {day} {part}: no longer possible"
            )
        if not ledger.fits(found):
            raise SteeringError(
                f"kept activity {who} at {what} on {day} {part}: breaks "
                f"{', '.join(ledger.blockers(found)) or 'the demand'} with the other kept ones"
            )
        ledger.add(found)
    return np.array(ledger.chosen, dtype=np.int64)


def _around(cands: Candidates, kept: NDArray[np.int64], budget: _Budget) -> ActivityResult:
    """The plan that keeps `kept` and plans the most of the open demand around it, then the
    least travel, then the flattest months: a published calendar stays what companies and
    schools were told, and a repair only fills what a decline opened.

    One `DatedModel` over the candidates that still fit beside the kept activities, of the
    requesters with demand left, with the kept ones fixed; the greedy gives its hint and
    completes what the time leaves. Beyond DIRECT_LIMIT such candidates, the greedy alone.
    """
    ledger = Ledger(cands)
    for i in kept.tolist():
        ledger.add(i)
    kind = cands.offer_kind[cands.cand_offer]
    room = cands.demand.copy()
    np.subtract.at(room, (cands.cand_requester[kept], kind[kept]), 1)
    wanting = np.flatnonzero(room[cands.cand_requester, kind] > 0)
    open_ = np.array([i for i in wanting.tolist() if ledger.fits(i)], dtype=np.int64)
    start = np.array(greedy(cands, ledger=ledger).chosen[len(kept) :], dtype=np.int64)
    phases: dict[str, list[Phase]] = {}
    variables, optimal = 0, len(open_) == 0
    method = f"around {len(kept)} kept activities"
    given = len(kept)
    if 0 < len(open_) <= DIRECT_LIMIT:
        wanted = set(zip(cands.cand_requester[open_].tolist(), kind[open_].tolist(), strict=True))
        ceiling = sum(int(room[r, k]) for r, k in wanted)
        model = DatedModel(cands, open_, fixed=kept)
        start, phases["around"] = budget.solve(model, start, ceiling, "around", budget.deadline)
        variables = model.variables
        proven = phases["around"][0].bound
        given += ceiling if proven is None else min(ceiling, proven)
        optimal = all(p.status == "OPTIMAL" for p in phases["around"])
        if optimal:
            start, optimal = _settle_ties(cands, model, start, budget)
    elif len(open_):
        method += ", greedy: too many open candidates for one model"
        given = cands.filter_bound
    plan = np.concatenate((kept, start))
    result = _completed(
        cands, plan, optimal, cands.filter_bound, method, variables, phases, budget.started
    )
    return replace(result, kept=len(kept), bound_given_kept=max(given, result.planned))


def _decomposed(
    cands: Candidates,
    start: NDArray[np.int64],
    budget: _Budget,
    phases: dict[str, list[Phase]],
) -> tuple[NDArray[np.int64], int]:
    """Pairs first, then dates, then a repair of what the dates left short: (plan, variables)."""
    keep = nearest_pairs(cands, start, NEAREST_PAIRS, RARE_DATES)
    sub, index = cands.restricted(keep)
    pair_model = PairModel(sub, RARE_DATES)
    pairs, phases["pairs"] = budget.solve(
        pair_model,
        pair_model.solution_of(np.searchsorted(index, start)),
        cands.filter_bound,
        "pairs",
        budget.until(PAIR_MODEL_SHARE),
        PAIR_PHASE_SHARES,
    )
    caps = pair_model.pair_counts(pairs)
    ledger = Ledger(sub, caps)
    for i in pair_model.rare_chosen(pairs).tolist():
        if ledger.fits(i):
            ledger.add(i)
    by_travel = sorted(caps, key=lambda p: (int(sub.pair_travel[p]), p))
    hint = np.array(greedy(sub, pairs=by_travel, ledger=ledger).chosen, dtype=np.int64)
    dated = DatedModel(sub, np.flatnonzero(np.isin(sub.cand_pair, list(caps))), caps)
    plan, phases["dated"] = budget.solve(
        dated, hint, sum(caps.values()), "dates", budget.until(DATES_SHARE)
    )
    plan = index[plan]
    variables = max(pair_model.variables, dated.variables)
    got = np.bincount(cands.cand_pair[plan], minlength=len(cands.pair_requester))
    short = {int(cands.pair_requester[keep[p]]) for p, n in caps.items() if got[keep[p]] < n}
    if short:
        plan, phases["repair"], repair_variables = _repair(cands, plan, short, budget)
        variables = max(variables, repair_variables)
    ledger = Ledger(cands)
    for i in plan.tolist():
        ledger.add(i)
    plan = np.array(greedy(cands, ledger=ledger).chosen, dtype=np.int64)
    if better(plan_objective(cands, start), plan_objective(cands, plan)):
        plan = start
    return plan, variables


def _repair(
    cands: Candidates, plan: NDArray[np.int64], short: set[int], budget: _Budget
) -> tuple[NDArray[np.int64], list[Phase], int]:
    """Every requester in `short` re-planned over all its candidates, the others keeping their
    pairs with their dates free to move."""
    pairs, counts = np.unique(cands.cand_pair[plan], return_counts=True)
    caps = dict(zip(pairs.tolist(), counts.tolist(), strict=True))
    loose = np.flatnonzero(np.isin(cands.pair_requester, list(short)))
    caps.update({int(p): int(cands.demand.max()) for p in loose})
    model = DatedModel(cands, np.flatnonzero(np.isin(cands.cand_pair, list(caps))), caps)
    repaired, phases = budget.solve(
        model, plan, cands.filter_bound, "repair", budget.until(REPAIR_SHARE)
    )
    return repaired, phases, model.variables


def _short(cands: Candidates, plan: NDArray[np.int64]) -> set[int]:
    """Requesters planned below their demand of a kind they have candidates for."""
    planned = np.zeros_like(cands.demand)
    np.add.at(planned, (cands.cand_requester[plan], cands.offer_kind[cands.cand_offer[plan]]), 1)
    kinds = cands.offer_kind[cands.pair_offer]
    short = planned[cands.pair_requester, kinds] < cands.demand[cands.pair_requester, kinds]
    return set(cands.pair_requester[short].tolist())


def _by_school(
    cands: Candidates,
    plan: NDArray[np.int64],
    budget: _Budget,
    phases: dict[str, list[Phase]],
) -> tuple[NDArray[np.int64], int]:
    """Large-neighbourhood search: each school's requesters re-planned over their nearest
    pairs' candidates with every other activity fixed, school after school, until the time is
    up or a full round gains nothing. A school's classes share its project days and activity
    afternoon, so that is where dates compete; offers it shares with other schools are seen
    as taken by them."""
    allowed = np.zeros(len(cands.pair_requester), dtype=bool)
    allowed[nearest_pairs(cands, plan, NEAREST_PAIRS, RARE_DATES)] = True
    allowed |= np.isin(cands.pair_requester, list(_short(cands, plan)))
    school_of = [r.school for r in cands.requesters]
    schools = sorted(set(school_of))
    requester_school = np.array([schools.index(s) for s in school_of], dtype=np.int64)
    steps: list[Phase] = []
    variables = 0
    improved = True
    while improved and budget.left():
        improved = False
        for school in range(len(schools)):
            if not budget.left():
                break
            inside = requester_school == school
            mine = inside[cands.cand_requester[plan]]
            model = DatedModel(
                cands,
                np.flatnonzero(inside[cands.cand_requester] & allowed[cands.cand_pair]),
                fixed=plan[~mine],
            )
            found, step = budget.solve(
                model,
                plan[mine],
                int(cands.filter_room[inside].sum()),
                f"school {schools[school]}",
                min(budget.deadline, budget.clock.now() + LNS_STEP_SECONDS),
            )
            variables = max(variables, model.variables)
            candidate = np.concatenate((plan[~mine], found))
            if better(plan_objective(cands, candidate), plan_objective(cands, plan)):
                plan, improved = candidate, True
            steps += step
    phases["lns"] = _summed(steps)
    return plan, variables


def _summed(steps: list[Phase]) -> list[Phase]:
    """One line per objective over many neighbourhood steps: how many proved, total seconds."""
    summary = []
    for name in ("activities", "travel", "spread"):
        mine = [p for p in steps if p.name == name]
        proven = sum(p.status == "OPTIMAL" for p in mine)
        summary.append(
            Phase(
                name, f"{proven}/{len(mine)} OPTIMAL", len(mine), None, sum(p.seconds for p in mine)
            )
        )
    return summary


def activity_section(result: ActivityResult) -> Section:
    """Status, objective, activities, unplanned and stats of problem B (see `solve.py`)."""
    cands = result.cands
    chosen = result.chosen[
        np.lexsort((cands.cand_slot[result.chosen], cands.cand_requester[result.chosen]))
    ]
    activities: list[Activity] = []
    escorts = _named_escorts(cands, chosen)
    for i in chosen.tolist():
        offer = cands.offers[int(cands.cand_offer[i])]
        day, part = cands.grid.daypart(int(cands.cand_slot[i]))
        activity: Activity = {
            "requester": cands.requesters[int(cands.cand_requester[i])].id,
            "offer": offer.id,
            "company": offer.company,
            "kind": offer.kind,
            "date": day.isoformat(),
            "daypart": part,
            "travel_min": int(cands.pair_travel[cands.cand_pair[i]]),
        }
        if i in escorts:
            activity["escorts"] = escorts[i]
        activities.append(activity)
    return {
        "status": "OPTIMAL" if result.status == "OPTIMAL" else "FEASIBLE",
        "objective": {
            "activities_planned": result.planned,
            "activities_bound": result.bound,
            "activity_travel_min": result.travel,
            "activity_hours_spread": result.spread,
            "activities_travel_bound": result.travel_bound,
        },
        "entries": {"activities": activities, "unplanned": unplanned(cands, result.ledger)},
        "variables": result.variables,
        "stats": {
            "activities": {
                "method": result.method,
                "seconds": result.seconds,
                "demand": int(cands.demand.sum()),
                "filter_bound": cands.filter_bound,
                **(
                    {"kept": result.kept, "bound_given_kept": result.bound_given_kept}
                    if result.kept
                    else {}
                ),
                "pairs": len(cands.pair_requester),
                "candidates": len(cands),
                "phases": {
                    model: [
                        {
                            "objective": p.name,
                            "status": p.status,
                            "value": p.value,
                            "bound": p.bound,
                            "seconds": p.seconds,
                        }
                        for p in phases
                    ]
                    for model, phases in result.phases.items()
                },
            },
        },
    }


def _named_escorts(cands: Candidates, chosen: NDArray[np.int64]) -> dict[int, list[str]]:
    """The escorts of every excursion in the plan `chosen`, by candidate index (none for a
    teacher's own excursion); empty without `escort_ratio`."""
    if cands.round.defaults.escort_ratio is None:
        return {}
    excursions: list[tuple[int, int, str, int]] = []
    busy: set[tuple[str, int]] = set()
    index: dict[tuple[str, int], int] = {}
    unescorted: dict[int, list[str]] = {}
    for i in chosen.tolist():
        requester = cands.requesters[int(cands.cand_requester[i])]
        slot = int(cands.cand_slot[i])
        excursion = cands.offers[int(cands.cand_offer[i])].kind == "excursion"
        if not requester.is_class:
            busy.add((requester.id, slot))
            if excursion:
                unescorted[i] = []
        elif excursion:
            need = int(cands.cand_escort_load[i])
            excursions.append((int(cands.cand_school[i]), slot, requester.id, need))
            index[(requester.id, slot)] = i
    named = assign_escorts(cands.escorts, excursions, busy, cands.round.seed)
    return unescorted | {index[key]: teachers for key, teachers in named.items()}
