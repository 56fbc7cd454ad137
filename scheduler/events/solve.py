"""Solve the event days of a round (SPEC section 9) and write their section of the solution.

Per event: the min-cost flow chooses the sessions (`flow`). When every session runs every
round that choice is laid out by an edge colouring (`layout`) and is the exact optimum. Else
the flow is a bound: a greedy layout of its choice, filled up, is compared with it, and only
when it falls short does CP-SAT (`model`) search for a better plan in its share of the time
limit, when its model is small enough to gain something in that time (on a 3,000-pupil day,
about 40,000 booleans, `benchmarks/events.py` saw it run 20 s without improving on the repaired
greedy layout). The status is OPTIMAL when the plan meets the bound or CP-SAT proves it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from scheduler.contract.solution import EventSession, EventShortfall, Section
from scheduler.domain import Round
from scheduler.events.flow import choose_sessions
from scheduler.events.layout import colour_rounds, lay_out_greedily
from scheduler.events.model import MAX_LAYOUT_VARIABLES, improve_layout, layout_variables
from scheduler.events.plan import Plan
from scheduler.events.problem import event_problems
from scheduler.events.reasons import shortfall_reasons
from scheduler.progress import Progress, ProgressFn, ignore
from scheduler.said import ENGLISH, render
from scheduler.search_clock import SearchClock


@dataclass(frozen=True, slots=True)
class EventResult:
    plan: Plan
    optimal: bool
    method: str  # "min_cost_flow", "flow_and_greedy" or "cp_sat"
    start_granted: int  # what the flow's choice laid out greedily granted, before CP-SAT
    granted_bound: int
    rank_bound: int  # least rank sum of any plan granting `plan.granted`
    variables: int


def solve_events(
    round_: Round,
    *,
    time_limit: float = 30.0,
    workers: int = 8,
    progress: ProgressFn = ignore,
    deterministic: bool = False,
) -> list[EventResult]:
    """One result per event with requests, in event id order."""
    started = time.monotonic()
    clock = SearchClock(deterministic=deterministic, seed=round_.seed)
    problems = event_problems(round_)
    results = []
    bounded = sum(1 for p in problems if not p.every_round)
    deadline = clock.now() + time_limit
    for problem in problems:
        progress(
            Progress(
                "events",
                f"{problem.event.id}: min-cost flow over {len(problem.candidates):,} choices",
                time.monotonic() - started,
            )
        )
        choice = choose_sessions(problem)
        if problem.every_round:
            plan = colour_rounds(problem, choice.chosen)
            results.append(
                EventResult(
                    plan,
                    True,
                    "min_cost_flow",
                    plan.granted,
                    choice.granted,
                    choice.rank_sum,
                    choice.arcs,
                )
            )
            continue
        plan = lay_out_greedily(problem, choice.chosen)
        plan.fill_with_moves()
        method, variables, start_granted = "flow_and_greedy", choice.arcs, plan.granted
        optimal = (plan.granted, plan.rank_sum) == (choice.granted, choice.rank_sum)
        if not optimal and layout_variables(problem) <= MAX_LAYOUT_VARIABLES:
            seconds = max(0.0, deadline - clock.now()) / bounded
            progress(
                Progress(
                    "events",
                    f"{problem.event.id}: CP-SAT from {plan.granted:,} of {choice.granted:,}",
                    time.monotonic() - started,
                )
            )
            outcome = improve_layout(problem, plan, seconds=seconds, workers=workers, clock=clock)
            plan, optimal, method = outcome.plan, outcome.optimal, "cp_sat"
            variables += outcome.variables
            plan.fill()
        bounded -= 1
        rank_bound = (
            plan.rank_sum if optimal else choose_sessions(problem, units=plan.granted).rank_sum
        )
        results.append(
            EventResult(plan, optimal, method, start_granted, choice.granted, rank_bound, variables)
        )
    return results


def event_section(round_: Round, results: list[EventResult]) -> Section:
    """Status, objective, event_sessions, event_unassigned and stats of problem D."""
    sessions: list[EventSession] = []
    shortfalls: list[EventShortfall] = []
    for result in results:
        problem = result.plan.problem
        for k in sorted(result.plan.round_of):
            c = problem.candidates[k]
            session = problem.sessions[c.session]
            sessions.append(
                {
                    "student": problem.requests[c.request].student,
                    "event": problem.event.id,
                    "session": session.id,
                    "company": session.company,
                    "round": result.plan.round_of[k],
                    "rank": c.rank,
                }
            )
        for r, missing, reason, detail in shortfall_reasons(round_, result.plan):
            shortfalls.append(
                {
                    "student": problem.requests[r].student,
                    "event": problem.event.id,
                    "missing": missing,
                    "reason": reason,
                    "detail": render(detail, ENGLISH),
                }
            )
    sessions.sort(key=lambda e: (e["student"], e["event"], e["round"]))
    shortfalls.sort(key=lambda e: (e["student"], e["event"]))
    return {
        "status": "OPTIMAL" if all(r.optimal for r in results) else "FEASIBLE",
        "objective": {
            "event_sessions_granted": sum(r.plan.granted for r in results),
            "event_rank_sum": sum(r.plan.rank_sum for r in results),
            "event_sessions_bound": sum(r.granted_bound for r in results),
            "event_rank_sum_bound": sum(r.rank_bound for r in results),
        },
        "entries": {"event_sessions": sessions, "event_unassigned": shortfalls},
        "variables": sum(r.variables for r in results),
        "stats": {
            "events": {
                r.plan.problem.event.id: {
                    "method": r.method,
                    "optimal": r.optimal,
                    "granted_bound": r.granted_bound,
                    "rank_sum_bound": r.rank_bound,
                    "greedy_granted": r.start_granted,
                }
                for r in results
            }
        },
    }
