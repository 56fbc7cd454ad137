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

from collections.abc import Callable, Iterable

from scheduler.contract.reasons import EventReason
from scheduler.domain import Round, Session
from scheduler.events.plan import Plan

_DETAIL_LIMIT = 5  # sessions named in a detail before "and N more"


def shortfall_reasons(round_: Round, plan: Plan) -> list[tuple[int, int, str, str]]:
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
        if not admitting:
            detail = (
                f"none of {_names(rest)} admits profile {profile}"
                if rest
                else f"it listed {len(request.choices)} choice(s) for a count of {request.count}"
            )
            found.append((r, missing, EventReason.NO_CHOICE_ADMITS.value, detail))
            continue
        in_free_round = [s for s in admitting if free_rounds.intersection(s.rounds)]
        if not in_free_round:
            detail = (
                f"all {problem.event.rounds} rounds of {problem.event.id} are filled"
                if not free_rounds
                else f"rounds {_rounds(free_rounds)} are free, but "
                + _names(admitting, lambda s: "rounds " + _rounds(s.rounds))
                + " run only in rounds it fills"
            )
            found.append((r, missing, EventReason.ROUNDS.value, detail))
            continue
        sectors = plan.sectors_taken[r] if request.distinct_sectors else set()
        new_sector = [s for s in in_free_round if s.first_sector not in sectors]
        if not new_sector:
            detail = (
                f"{_names(in_free_round, lambda s: str(s.first_sector))} share a first sector "
                "with a session it has"
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
        detail = f"every seat is taken in rounds {_rounds(free_rounds)} (free for it): " + _names(
            new_sector
        )
        found.append((r, missing, EventReason.CAPACITY.value, detail))
    return found


def _rounds(rounds: Iterable[int]) -> str:
    return ", ".join(str(t) for t in sorted(rounds))


def _names(sessions: list[Session], note: Callable[[Session], str] | None = None) -> str:
    named = [s.id + (f" ({note(s)})" if note else "") for s in sessions[:_DETAIL_LIMIT]]
    more = f" and {len(sessions) - _DETAIL_LIMIT} more" if len(sessions) > _DETAIL_LIMIT else ""
    return ", ".join(named) + more
