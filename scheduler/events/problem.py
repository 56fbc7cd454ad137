"""One event day as a solver sees it: its requests, sessions and the eligible choices.

A choice is eligible when its session admits the pupil's profile, has a seat and runs in some
round; everything else a solver decides. Requests are in pupil id order and sessions in id
order (SPEC 8), so the candidates, and every answer built from them, are the same for any order
of the document.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.domain import Event, EventRequest, Round, Session
from scheduler.lottery import tickets


@dataclass(frozen=True, slots=True)
class Candidate:
    """An eligible (request, session) pair; `rank` 1 is the pupil's first choice."""

    request: int
    session: int
    rank: int
    ticket: int  # the lottery ticket that breaks ties (`scheduler.lottery`)


@dataclass(frozen=True, slots=True)
class EventProblem:
    event: Event
    requests: tuple[EventRequest, ...]
    sessions: tuple[Session, ...]
    candidates: tuple[Candidate, ...]  # in request order, then rank order

    @property
    def every_round(self) -> bool:
        """Does every session run in every round? Then the flow's choice is exact."""
        full = tuple(range(1, self.event.rounds + 1))
        return all(s.rounds == full for s in self.sessions)

    def supply(self, request: int) -> int:
        """The most sessions request `request` can be granted: its count, capped by the event's
        rounds."""
        return min(self.requests[request].count, self.event.rounds)


def event_problems(round_: Round) -> list[EventProblem]:
    """One problem per event that has requests, in event id order."""
    problems = []
    for event in round_.events.values():
        requests = tuple(r for r in round_.event_requests if r.event == event.id)
        if not requests:
            continue
        sessions = tuple(s for s in round_.sessions.values() if s.event == event.id)
        index = {s.id: i for i, s in enumerate(sessions)}
        pairs = [
            (r, index[choice], rank)
            for r, request in enumerate(requests)
            for rank, choice in enumerate(request.choices, start=1)
            if sessions[index[choice]].admits(round_.students[request.student].profile)
            and sessions[index[choice]].capacity > 0
            and sessions[index[choice]].rounds
        ]
        keys = np.array([r * max(1, len(sessions)) + s for r, s, _ in pairs], dtype=np.int64)
        drawn = tickets(round_.seed, keys).tolist() if pairs else []
        candidates = tuple(
            Candidate(r, s, rank, ticket) for (r, s, rank), ticket in zip(pairs, drawn, strict=True)
        )
        problems.append(EventProblem(event, requests, sessions, candidates))
    return problems
