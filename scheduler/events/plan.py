"""A pupil-by-round plan of one event, built up session by session by the layouts and repairs.

`fits` is SPEC 9's hard rules for one more (candidate, round) given what is planned already;
every solver adds only through it, so every plan is feasible by construction.
"""

from __future__ import annotations

from collections import Counter

from scheduler.events.problem import EventProblem


class Plan:
    def __init__(self, problem: EventProblem) -> None:
        self.problem = problem
        self.round_of: dict[int, int] = {}  # candidate -> round
        n = len(problem.requests)
        self.rounds_taken: list[set[int]] = [set() for _ in range(n)]
        self.sectors_taken: list[set[str]] = [set() for _ in range(n)]
        self.held: list[set[int]] = [set() for _ in range(n)]
        self.use: Counter[tuple[int, int]] = Counter()  # (session, round) -> pupils

    def fits(self, candidate: int, round_number: int) -> bool:
        c = self.problem.candidates[candidate]
        session = self.problem.sessions[c.session]
        request = self.problem.requests[c.request]
        return (
            round_number in session.rounds
            and round_number not in self.rounds_taken[c.request]
            and c.session not in self.held[c.request]
            and len(self.held[c.request]) < request.count
            and self.use[(c.session, round_number)] < session.capacity
            and not (
                request.distinct_sectors
                and session.first_sector is not None
                and session.first_sector in self.sectors_taken[c.request]
            )
        )

    def add(self, candidate: int, round_number: int) -> None:
        c = self.problem.candidates[candidate]
        self.round_of[candidate] = round_number
        self.rounds_taken[c.request].add(round_number)
        self.held[c.request].add(c.session)
        self.use[(c.session, round_number)] += 1
        sector = self.problem.sessions[c.session].first_sector
        if sector is not None:
            self.sectors_taken[c.request].add(sector)

    def remove(self, candidate: int) -> None:
        c = self.problem.candidates[candidate]
        round_number = self.round_of.pop(candidate)
        self.rounds_taken[c.request].discard(round_number)
        self.held[c.request].discard(c.session)
        self.use[(c.session, round_number)] -= 1
        sector = self.problem.sessions[c.session].first_sector
        if sector is not None and not any(
            self.problem.sessions[s].first_sector == sector for s in self.held[c.request]
        ):
            self.sectors_taken[c.request].discard(sector)

    @property
    def granted(self) -> int:
        return len(self.round_of)

    @property
    def rank_sum(self) -> int:
        return sum(self.problem.candidates[k].rank - 1 for k in self.round_of)

    def fill(self) -> None:
        """Grant every (choice, round) that still fits, each pupil its best choices first.

        One pass suffices: what one pupil gets only takes room from the others, so a choice
        that did not fit once never fits later. Afterwards every shortfall has a reason
        (`scheduler.events.reasons`).
        """
        for candidate, c in enumerate(self.problem.candidates):
            if candidate in self.round_of:
                continue
            for round_number in self.problem.sessions[c.session].rounds:
                if self.fits(candidate, round_number):
                    self.add(candidate, round_number)
                    break

    def fill_with_moves(self) -> None:
        """`fill`, then grant a choice whose only seats are in rounds the pupil fills by moving
        the session it has there to another round it has free (where that session has a seat):
        the one-step alternating path of an edge colouring, which the greedy layout lacks."""
        self.fill()
        by_request: dict[int, list[int]] = {}
        for candidate, c in enumerate(self.problem.candidates):
            by_request.setdefault(c.request, []).append(candidate)
        for request, candidates in by_request.items():
            for candidate in candidates:
                if candidate not in self.round_of:
                    self._move_to_grant(request, candidate, candidates)
        self.fill()  # a move frees a seat in the round it leaves

    def _move_to_grant(self, request: int, candidate: int, candidates: list[int]) -> None:
        session = self.problem.sessions[self.problem.candidates[candidate].session]
        at_round = {t: k for k in candidates if (t := self.round_of.get(k)) is not None}
        for t in session.rounds:
            held = at_round.get(t)
            if held is None or self.use[(self.problem.candidates[candidate].session, t)] >= (
                session.capacity
            ):
                continue
            self.remove(held)
            if self.fits(candidate, t):
                self.add(candidate, t)
                other = self.problem.sessions[self.problem.candidates[held].session]
                for elsewhere in other.rounds:
                    if self.fits(held, elsewhere):
                        self.add(held, elsewhere)
                        return
                self.remove(candidate)
            self.add(held, t)
