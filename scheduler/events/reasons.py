"""Why a pupil got fewer sessions of an event than it asked for (SPEC section 9).

The reason is about one more session: the first of these that holds for the choices the pupil
does not have yet (in choice order):
- NO_CHOICE_ADMITS: none of them admits the pupil's profile (or there are none left: it listed
  fewer admitting choices than its count);
- ROUNDS: some admit it, but each runs only in rounds the pupil already fills (or all the
  event's rounds are filled: its count exceeds them);
- SECTORS: some run in a round it has free, but with `distinct_sectors` each shares its first
  sector with a session it has;
- CAPACITY: the rest are full in every round the pupil has free.
Each presumes the ones before it fail, so exactly one holds unless a choice has a seat in a
round the pupil has free, which `Plan.fill` never leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from scheduler.contract.reasons import EventReason
from scheduler.domain import Round, Session
from scheduler.events.plan import Plan
from scheduler.events.problem import event_problems
from scheduler.said import DETAIL_LIMIT, Said, said


def shortfall_reasons(round_: Round, plan: Plan) -> list[tuple[int, int, str, Said]]:
    """(request, missing, reason, detail) for every request of the plan's event left short."""
    problem = plan.problem
    by_id = {s.id: i for i, s in enumerate(problem.sessions)}
    found = []
    for r, request in enumerate(problem.requests):
        missing = request.count - len(plan.held[r])
        if missing <= 0:
            continue
        profile = round_.students[request.student].profile
        rest = [
            problem.sessions[by_id[choice]]
            for choice in request.choices
            if by_id[choice] not in plan.held[r]
        ]
        admitting = [s for s in rest if s.admits(profile)]
        free_rounds = set(range(1, problem.event.rounds + 1)) - plan.rounds_taken[r]
        detail: Said
        if not admitting:
            detail = (
                said("detail.event_no_admits", sessions=_names(rest), profile=profile)
                if rest
                else said("detail.event_too_few", choices=len(request.choices), count=request.count)
            )
            found.append((r, missing, EventReason.NO_CHOICE_ADMITS.value, detail))
            continue
        in_free_round = [s for s in admitting if free_rounds.intersection(s.rounds)]
        if not in_free_round:
            detail = (
                said("detail.event_all_rounds", rounds=problem.event.rounds, event=problem.event.id)
                if not free_rounds
                else said(
                    "detail.event_rounds",
                    free=_rounds(free_rounds),
                    sessions=_names(
                        admitting,
                        lambda s: said("detail.event_rounds_note", rounds=_rounds(s.rounds)),
                    ),
                )
            )
            found.append((r, missing, EventReason.ROUNDS.value, detail))
            continue
        sectors = plan.sectors_taken[r] if request.distinct_sectors else set()
        new_sector = [s for s in in_free_round if s.first_sector not in sectors]
        if not new_sector:
            detail = said(
                "detail.event_sectors",
                sessions=_names(in_free_round, lambda s: str(s.first_sector)),
            )
            found.append((r, missing, EventReason.SECTORS.value, detail))
            continue
        index = [by_id[s.id] for s in new_sector]
        if any(
            plan.use[(i, t)] < problem.sessions[i].capacity
            for i in index
            for t in free_rounds.intersection(problem.sessions[i].rounds)
        ):
            raise RuntimeError(f"{request.student} left short at {request.event} with a seat free")
        detail = said("detail.event_full", free=_rounds(free_rounds), sessions=_names(new_sector))
        found.append((r, missing, EventReason.CAPACITY.value, detail))
    return found


def solution_plans(round_: Round, sessions: Iterable[Mapping[str, Any]]) -> list[Plan]:
    """Per event of the round, the plan a stored solution's `event_sessions` hold, rebuilt
    through the problem's candidates so that `shortfall_reasons` re-derives what the solver
    said. A held session that is no candidate (a round edited since) is left out."""
    rows = list(sessions)
    plans = []
    for problem in event_problems(round_):
        student = [request.student for request in problem.requests]
        candidate = {
            (student[c.request], problem.sessions[c.session].id): k
            for k, c in enumerate(problem.candidates)
        }
        plan = Plan(problem)
        for row in rows:
            k = candidate.get((row["student"], row["session"]))
            if row["event"] == problem.event.id and k is not None:
                plan.add(k, int(row["round"]))
        plans.append(plan)
    return plans


def _rounds(rounds: Iterable[int]) -> str:
    return ", ".join(str(t) for t in sorted(rounds))


def _names(sessions: list[Session], note: Callable[[Session], Any] | None = None) -> Any:
    named = [
        said("detail.noted", name=s.id, note=note(s)) if note else s.id
        for s in sessions[:DETAIL_LIMIT]
    ]
    if len(sessions) > DETAIL_LIMIT:
        return said("detail.more", items=named, more=len(sessions) - DETAIL_LIMIT)
    return named
