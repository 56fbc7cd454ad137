"""CP-SAT for an event day whose sessions run in only some rounds: the layout the flow cannot
promise.

One boolean per (eligible choice, round the session runs); at most one per pupil and round, per
pupil and session, per pupil and first sector (with `distinct_sectors`), `count` per pupil and
`capacity` per session and round. The lexicographic objective is one weighted sum: a session
granted is worth more than the largest rank sum the pupils could reach. The search starts from
the greedy plan, so it only ever improves on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.events.plan import Plan
from scheduler.events.problem import EventProblem
from scheduler.search_clock import SearchClock

# Above this many (choice, round) booleans building the model costs seconds and the search
# rarely improves on the start within a bureau's time limit (`benchmarks/events.py`).
MAX_LAYOUT_VARIABLES = 20_000


def layout_variables(problem: EventProblem) -> int:
    """The booleans `improve_layout` would create: one per choice and round its session runs."""
    return sum(len(problem.sessions[c.session].rounds) for c in problem.candidates)


@dataclass(frozen=True, slots=True)
class ModelOutcome:
    plan: Plan
    optimal: bool
    variables: int


def improve_layout(
    problem: EventProblem, start: Plan, *, seconds: float, workers: int, clock: SearchClock
) -> ModelOutcome:
    """The best plan CP-SAT finds within `seconds` of `clock`, never worse than `start`."""
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    per_pupil_round: defaultdict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_session_round: defaultdict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_pupil_sector: defaultdict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
    per_pupil: defaultdict[int, list[cp_model.IntVar]] = defaultdict(list)
    terms: list[tuple[cp_model.IntVar, int]] = []
    most_rank: defaultdict[int, int] = defaultdict(int)
    for c in problem.candidates:
        most_rank[c.request] = max(most_rank[c.request], c.rank - 1)
    weight = 1 + sum(problem.supply(r) * most for r, most in most_rank.items())
    for k, c in enumerate(problem.candidates):
        session = problem.sessions[c.session]
        request = problem.requests[c.request]
        granted = []
        for t in session.rounds:
            var = model.new_bool_var(f"x_{k}_{t}")
            x[(k, t)] = var
            granted.append(var)
            per_pupil_round[(c.request, t)].append(var)
            per_session_round[(c.session, t)].append(var)
            per_pupil[c.request].append(var)
            terms.append((var, weight - (c.rank - 1)))
            model.add_hint(var, start.round_of.get(k) == t)
        model.add_at_most_one(granted)
        if request.distinct_sectors and session.first_sector is not None:
            per_pupil_sector[(c.request, session.first_sector)].extend(granted)
    for group in [*per_pupil_round.values(), *per_pupil_sector.values()]:
        if len(group) > 1:
            model.add_at_most_one(group)
    for (s, _), group in per_session_round.items():
        if len(group) > problem.sessions[s].capacity:
            model.add(sum(group) <= problem.sessions[s].capacity)
    for r, group in per_pupil.items():
        if len(group) > problem.requests[r].count:
            model.add(sum(group) <= problem.requests[r].count)
    model.maximize(sum(coefficient * var for var, coefficient in terms))

    solver = clock.solver(seconds, workers)
    status = solver.solve(model)
    clock.spent(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ModelOutcome(start, False, len(x))
    plan = Plan(problem)
    for (k, t), var in x.items():
        if solver.boolean_value(var):
            plan.add(k, t)
    better = (plan.granted, -plan.rank_sum) >= (start.granted, -start.rank_sum)
    return ModelOutcome(plan if better else start, status == cp_model.OPTIMAL and better, len(x))
