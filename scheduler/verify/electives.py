"""Check the electives of a solution against SPEC section 5: every hard rule, objective, reasons.

Written pupil by pupil from the SPEC with the scalar travel formula, sharing no code path with the
solver (no candidate arrays, no flow), so that a solver bug cannot hide itself. The reasons are
those of `scheduler.electives`; exactly one holds for a pupil left short, and it must be the one
given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from scheduler.contract.reasons import ElectiveReason
from scheduler.contract.round import SWITCH_MODE
from scheduler.domain import Elective, ElectiveRequest, Round, Student
from scheduler.travel import school_travel_minutes
from scheduler.verify.violation import Violation, referenced


def verify_electives(round_: Round, solution: Mapping[str, Any]) -> list[Violation]:
    """Every way the solution's electives break the SPEC; empty when they hold."""
    return _ElectiveCheck(round_, solution).run()


class _ElectiveCheck:
    def __init__(self, round_: Round, solution: Mapping[str, Any]) -> None:
        self.round = round_
        self.entries = list(solution.get("electives") or [])
        self.shortfalls = list(solution.get("elective_unassigned") or [])
        self.objective = solution.get("objective") or {}
        self.requests = {r.student: r for r in round_.elective_requests}
        self.found: list[Violation] = []
        self.held: dict[str, list[Elective]] = {}
        self.use: Counter[str] = Counter()

    def flag(self, rule: str, record: str, message: str) -> None:
        self.found.append(Violation(rule, record, message))

    def run(self) -> list[Violation]:
        granted = rank_sum = travel = 0
        for i, entry in enumerate(self.entries):
            checked = self._entry(f"electives[{i}] ({entry.get('student')})", entry)
            if checked is not None:
                granted += 1
                rank_sum += checked[0] - 1
                travel += checked[1]
        self._per_pupil()
        self._capacities()
        self._objective(granted, rank_sum, travel)
        self._shortfalls()
        return self.found

    def minutes(self, student: Student, elective: Elective) -> int:
        if student.school == elective.school:
            return 0
        return school_travel_minutes(self.round, student.school, elective.school, SWITCH_MODE)

    def _entry(self, record: str, entry: Mapping[str, Any]) -> tuple[int, int] | None:
        request = referenced(self.requests, entry, "student")
        elective = referenced(self.round.electives, entry, "elective")
        if request is None or elective is None:
            self.flag("reference", record, "no elective request of this pupil, or no such elective")
            return None
        student = self.round.students[request.student]
        if elective.id not in request.choices:
            self.flag("choice", record, f"{elective.id} is not among the pupil's choices")
            return None
        rank = request.choices.index(elective.id) + 1
        if entry.get("rank") != rank:
            self.flag("preference", record, f"rank is {rank}, not {entry.get('rank')}")
        if elective.profiles and student.profile not in elective.profiles:
            self.flag("eligibility", record, f"{elective.id} does not admit {student.profile}")
        minutes = self.minutes(student, elective)
        limit = self.round.defaults.max_switch_min
        if minutes > limit:
            self.flag("travel", record, f"{minutes} min exceeds max_switch_min {limit}")
        if entry.get("travel_min") != minutes:
            self.flag("travel", record, f"travel_min is {minutes}, not {entry.get('travel_min')}")
        grid = self.round.timetables.get(student.school)
        if grid is not None and elective.slot not in grid:
            self.flag(
                "timetable", record, f"{student.school} does not free {elective.slot} for electives"
            )
        self.held.setdefault(student.id, []).append(elective)
        self.use[elective.id] += 1
        return rank, minutes

    def _per_pupil(self) -> None:
        for student, held in self.held.items():
            count = self.requests[student].count
            if len(held) > count:
                self.flag("count", student, f"{len(held)} electives, count {count}")
            for elective, times in Counter(e.id for e in held).items():
                if times > 1:
                    self.flag("count", student, f"{elective} granted {times} times")
            for slot, times in Counter(e.slot for e in held).items():
                if times > 1:
                    self.flag("slot", student, f"{times} electives in slot {slot}")

    def _capacities(self) -> None:
        for elective_id, used in self.use.items():
            capacity = self.round.electives[elective_id].capacity
            if used > capacity:
                self.flag("capacity", elective_id, f"{used} pupils, capacity {capacity}")

    def _objective(self, granted: int, rank_sum: int, travel: int) -> None:
        for key, value in (
            ("electives_granted", granted),
            ("elective_rank_sum", rank_sum),
            ("elective_travel_min", travel),
        ):
            if self.objective.get(key) != value:
                self.flag(
                    "objective",
                    f"objective.{key}",
                    f"recomputed {value}, reported {self.objective.get(key)}",
                )

    def _shortfalls(self) -> None:
        reported: Counter[str] = Counter()
        for i, entry in enumerate(self.shortfalls):
            record = f"elective_unassigned[{i}] ({entry.get('student')})"
            request = referenced(self.requests, entry, "student")
            if request is None:
                self.flag("reference", record, "no elective request for this pupil")
                continue
            reported[request.student] += 1
            held = self.held.get(request.student, [])
            missing = request.count - len(held)
            if missing <= 0:
                self.flag("coverage", record, "listed, but granted its full count")
                continue
            if entry.get("missing") != missing:
                self.flag("coverage", record, f"missing is {missing}, not {entry.get('missing')}")
            expected = self._reason(request, held)
            if entry.get("reason") != expected:
                self.flag(
                    "reason",
                    record,
                    f"reason {entry.get('reason')} does not hold: "
                    + (
                        f"expected {expected}"
                        if expected
                        else "an eligible choice in a free slot has room"
                    ),
                )
        for student, times in reported.items():
            if times > 1:
                self.flag("coverage", student, f"in elective_unassigned {times} times")
        for request in self.round.elective_requests:
            short = len(self.held.get(request.student, [])) < request.count
            if short and not reported[request.student]:
                self.flag(
                    "coverage", request.student, "granted fewer than count, but no reason given"
                )

    def _reason(self, request: ElectiveRequest, held: list[Elective]) -> str | None:
        """The one reason of `scheduler.electives` that holds, None when none does."""
        student = self.round.students[request.student]
        choices = [self.round.electives[c] for c in request.choices]
        admitting = [e for e in choices if not e.profiles or student.profile in e.profiles]
        if not admitting:
            return ElectiveReason.NO_CHOICE_ADMITS
        limit = self.round.defaults.max_switch_min
        reachable = [e for e in admitting if self.minutes(student, e) <= limit]
        if not reachable:
            return ElectiveReason.TOO_FAR
        grid = self.round.timetables.get(student.school)
        eligible = [e for e in reachable if grid is None or e.slot in grid]
        if not eligible:
            return ElectiveReason.NOT_IN_TIMETABLE
        held_slots = {e.slot for e in held}
        free = [e for e in eligible if e.slot not in held_slots]
        if not free:
            return ElectiveReason.SLOT_CLASH
        if all(self.use[e.id] >= e.capacity for e in free):
            return ElectiveReason.CAPACITY
        return None
