"""Check problem A of a solution: every hard rule, the objective and every unplaced reason.

Written from SPEC section 3 directly, pupil by pupil with the scalar travel formula, sharing no
code path with the solver (no eligible-pair arrays, no flow), so a solver bug cannot hide itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

import numpy as np

from scheduler.contract.reasons import PlacementReason
from scheduler.domain import Placement, Round, Student
from scheduler.travel import (
    EARTH_RADIUS_KM,
    reach_km,
    student_travel_minutes,
    travel_minutes_array,
)
from scheduler.verify.violation import Violation, referenced, text


def verify_placements(round_: Round, solution: Mapping[str, Any]) -> list[Violation]:
    """Every way the assignments and unassigned pupils break SPEC section 3."""
    return _PlacementCheck(round_, solution).run()


class _PlacementCheck:
    def __init__(self, round_: Round, solution: Mapping[str, Any]) -> None:
        self.round = round_
        self.assignments = list(solution.get("assignments") or [])
        self.unassigned = list(solution.get("unassigned") or [])
        self.objective = solution.get("objective") or {}
        self.found: list[Violation] = []
        self.slot_use: Counter[tuple[str, str]] = Counter()
        self.company_use: Counter[str] = Counter()
        self.placement_use: Counter[str] = Counter()
        self.company_of: dict[str, str] = {}
        self.day_use: Counter[tuple[str, date]] = Counter()  # companies with max_concurrent
        self.paired = {s for pair in (*round_.together, *round_.apart) for s in pair}

    def flag(self, rule: str, record: str, message: str) -> None:
        self.found.append(Violation(rule, record, message))

    def run(self) -> list[Violation]:
        self._coverage()
        placed_priority = cost = 0
        for i, a in enumerate(self.assignments):
            checked = self._assignment(f"assignments[{i}] ({a.get('student')})", a)
            if checked is not None:
                placed_priority += checked[0]
                cost += checked[1]
        self._capacities()
        self._side_rules()
        self._objective(placed_priority, cost)
        self._reasons()
        return self.found

    def _coverage(self) -> None:
        seen = Counter(
            [a.get("student") for a in self.assignments]
            + [u.get("student") for u in self.unassigned]
        )
        for student, times in seen.items():
            if student not in self.round.students:
                self.flag("coverage", str(student), "unknown pupil in the solution")
            elif times > 1:
                self.flag("coverage", student, f"appears {times} times")
        for student in self.round.students:
            if student not in seen:
                self.flag("coverage", student, "appears neither in assignments nor in unassigned")

    def _assignment(self, record: str, a: Mapping[str, Any]) -> tuple[int, int] | None:
        round_ = self.round
        student = referenced(round_.students, a, "student")
        placement = referenced(round_.placements, a, "placement")
        if student is None or placement is None:
            self.flag("reference", record, "unknown pupil or placement")
            return None
        period = text(a, "period")
        if a.get("company") != placement.company:
            self.flag(
                "reference", record, f"company is {placement.company}, not {a.get('company')}"
            )
        if not placement.admits(student.profile, student.track, student.year):
            self.flag("eligibility", record, f"{placement.id} does not admit this pupil")
        if student.excludes(placement):
            self.flag(
                "exclusion",
                record,
                f"{placement.id} of {placement.company} is excluded for the pupil",
            )
        if period not in placement.capacity:
            self.flag("eligibility", record, f"{placement.id} has no period {period}")
        if period not in student.periods:
            self.flag("eligibility", record, f"the pupil is not available in period {period}")
        minutes = student_travel_minutes(round_, student, placement.company)
        if minutes > student.max_travel_min:
            self.flag("travel", record, f"{minutes} min exceeds the limit {student.max_travel_min}")
        if a.get("travel_min") != minutes:
            self.flag("travel", record, f"travel_min is {minutes}, not {a.get('travel_min')}")
        rank = student.rank_of(placement.id)
        if rank is None and not student.accept_unranked:
            self.flag(
                "preference", record, "unranked placement for a pupil who accepts only ranked"
            )
        if a.get("rank") != rank:
            self.flag("preference", record, f"rank is {rank}, not {a.get('rank')}")
        cost = round_.weights.preference_cost(rank) + round_.weights.travel_minute_cost * minutes
        if a.get("cost") != cost:
            self.flag("objective", record, f"cost is {cost}, not {a.get('cost')}")
        if period is not None:
            self.slot_use[(placement.id, period)] += 1
        self.company_use[placement.company] += 1
        if period is not None and round_.companies[placement.company].max_concurrent is not None:
            for day in self._days(period):
                self.day_use[(placement.company, day)] += 1
        self.placement_use[placement.id] += 1
        self.company_of[student.id] = placement.company
        return student.priority, cost

    def _capacities(self) -> None:
        for (placement_id, period), used in self.slot_use.items():
            capacity = self.round.placements[placement_id].capacity.get(period, 0)
            if used > capacity:
                self.flag(
                    "capacity", f"{placement_id}/{period}", f"{used} pupils, capacity {capacity}"
                )
        for company_id, used in self.company_use.items():
            limit = self.round.companies[company_id].max_students
            if limit is not None and used > limit:
                self.flag("max_students", company_id, f"{used} pupils, max_students {limit}")
        for (company_id, day), used in sorted(self.day_use.items()):
            most = self.round.companies[company_id].max_concurrent
            if most is not None and used > most:
                self.flag(
                    "max_concurrent",
                    f"{company_id}/{day.isoformat()}",
                    f"{used} pupils on placement that day, max_concurrent {most}",
                )
        for placement_id, used in self.placement_use.items():
            minimum = self.round.placements[placement_id].min_students
            if 0 < used < minimum:
                self.flag("min_students", placement_id, f"{used} pupils, min_students {minimum}")

    def _side_rules(self) -> None:
        for a, b in self.round.together:
            if self.company_of.get(a) != self.company_of.get(b):
                self.flag(
                    "together",
                    f"{a}+{b}",
                    f"placed at {self.company_of.get(a)} and {self.company_of.get(b)}",
                )
        for a, b in self.round.apart:
            if a in self.company_of and self.company_of.get(a) == self.company_of.get(b):
                self.flag("apart", f"{a}+{b}", f"both at {self.company_of[a]}")

    def _objective(self, placed_priority: int, cost: int) -> None:
        objective = self.objective
        if objective.get("placed_priority") != placed_priority:
            self.flag(
                "objective",
                "objective.placed_priority",
                f"recomputed {placed_priority}, reported {objective.get('placed_priority')}",
            )
        if objective.get("cost") != cost:
            self.flag(
                "objective",
                "objective.cost",
                f"recomputed {cost}, reported {objective.get('cost')}",
            )
        bound = objective.get("bound")
        if bound is not None and bound > cost:
            self.flag("objective", "objective.bound", f"bound {bound} exceeds the cost {cost}")

    def _reasons(self) -> None:
        reach = ReachIndex(self.round)
        for u in self.unassigned:
            student = referenced(self.round.students, u, "student")
            if student is None:
                continue
            expected = self._reason_options(student, reach)
            if u.get("reason") not in expected:
                self.flag(
                    "reason",
                    student.id,
                    f"reason {u.get('reason')} does not hold: "
                    + (
                        f"expected {' or '.join(sorted(expected))}"
                        if expected
                        else "a reachable eligible slot has room and no rule blocks it"
                    ),
                )

    def _reason_options(self, student: Student, reach: ReachIndex) -> set[str]:
        every = reach.admitting(student)
        admitting = {
            company: kept
            for company, placements in every.items()
            if (kept := [p for p in placements if not student.excludes(p)])
        }
        eligible = self._eligible(student, reach, admitting)
        if not eligible:
            if student.excluded and self._eligible(student, reach, every):
                return {PlacementReason.NO_ELIGIBLE}  # every eligible one is excluded
            if not admitting:
                return {PlacementReason.NO_ELIGIBLE}
            if not reach.companies_within_limit(student, admitting):
                return {PlacementReason.TOO_FAR}
            return {PlacementReason.NOT_PREFERRED}
        has_room = any(
            self.slot_use[(p.id, t)] < p.capacity[t]
            and self._company_has_room(p.company)
            and self._days_have_room(p.company, t)
            for p, t in eligible
        )
        if not has_room:
            return {PlacementReason.CAPACITY}
        return {PlacementReason.CONSTRAINT} if self._side_rule_applies(student, eligible) else set()

    def _eligible(
        self, student: Student, reach: ReachIndex, admitting: dict[str, list[Placement]]
    ) -> list[tuple[Placement, str]]:
        """(placement, period) pairs of `admitting` within reach that the pupil accepts."""
        return [
            (p, t)
            for company in reach.companies_within_limit(student, admitting)
            for p in admitting[company]
            if student.accept_unranked or p.id in student.preferences
            for t in student.periods
            if t in p.capacity
        ]

    def _company_has_room(self, company: str) -> bool:
        limit = self.round.companies[company].max_students
        return limit is None or self.company_use[company] < limit

    def _days_have_room(self, company: str, period: str) -> bool:
        """One more pupil in `period` keeps every one of its days within `max_concurrent`."""
        most = self.round.companies[company].max_concurrent
        return most is None or all(
            self.day_use[(company, day)] < most for day in self._days(period)
        )

    def _days(self, period: str) -> tuple[date, ...]:
        """The period's days as SPEC section 8 states them; none for a period without dates."""
        listed = self.round.periods.get(period)
        if listed is None:
            return ()
        holidays = self.round.calendar.holidays if self.round.calendar is not None else ()
        return _placement_days(listed.start, listed.end, listed.weekdays, holidays)

    def _side_rule_applies(self, student: Student, eligible: list[tuple[Placement, str]]) -> bool:
        return student.id in self.paired or any(p.min_students > 1 for p, _ in eligible)


_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri")


@cache
def _placement_days(
    start: date, end: date, weekdays: tuple[str, ...], holidays: tuple[tuple[date, date], ...]
) -> tuple[date, ...]:
    """Monday to Friday (or the listed weekdays) from start to end, outside every holiday."""
    wanted = weekdays or _WEEKDAY_NAMES
    days = []
    day = start
    while day <= end:
        on_weekday = day.weekday() < 5 and _WEEKDAY_NAMES[day.weekday()] in wanted
        if on_weekday and not any(first <= day <= last for first, last in holidays):
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


class ReachIndex:
    """Which placements admit a pupil and which companies lie within its travel limit.

    Placements are grouped by their admission rules and companies sorted by latitude, so that a
    national round with thousands of unplaced pupils is checked in seconds: a company further
    north or south than the pupil can travel is never measured (latitude difference alone is a
    lower bound on the great-circle distance).
    """

    def __init__(self, round_: Round) -> None:
        self.round = round_
        groups: dict[tuple, list[Placement]] = {}
        for p in round_.placements.values():
            key = (p.profiles, p.tracks, p.min_year, frozenset(p.capacity))
            groups.setdefault(key, []).append(p)
        self.groups = list(groups.values())
        self.cache: dict[tuple, dict[str, list[Placement]]] = {}
        self.company_ids = list(round_.companies)
        self.lat = np.array([c.location.lat for c in round_.companies.values()])
        self.lon = np.array([c.location.lon for c in round_.companies.values()])
        self.by_lat = np.argsort(self.lat)
        self.sorted_lat = self.lat[self.by_lat]

    def admitting(self, student: Student) -> dict[str, list[Placement]]:
        """Company -> its placements that admit the pupil in one of its periods."""
        key = (student.profile, student.track, student.year, student.periods)
        if key not in self.cache:
            periods = set(student.periods)
            found: dict[str, list[Placement]] = {}
            for group in self.groups:
                if group[0].admits(student.profile, student.track, student.year) and (
                    periods & group[0].capacity.keys()
                ):
                    for p in group:
                        found.setdefault(p.company, []).append(p)
            self.cache[key] = found
        return self.cache[key]

    def companies_within_limit(
        self, student: Student, admitting: dict[str, list[Placement]]
    ) -> set[str]:
        travel = self.round.travel
        origin = self.round.origin(student)
        band = reach_km(travel, student.max_travel_min, student.mode) * 1.01 + 0.01
        degrees = np.degrees(band / EARTH_RADIUS_KM)
        lo, hi = np.searchsorted(self.sorted_lat, [origin.lat - degrees, origin.lat + degrees])
        candidates = [i for i in self.by_lat[lo:hi].tolist() if self.company_ids[i] in admitting]
        minutes = travel_minutes_array(
            travel,
            np.full(len(candidates), origin.lat),
            np.full(len(candidates), origin.lon),
            self.lat[candidates],
            self.lon[candidates],
            travel.speed_kmh[student.mode],
            travel.overhead_min[student.mode],
        )
        found = {
            self.company_ids[i]
            for i, m in zip(candidates, minutes.tolist(), strict=True)
            if m <= student.max_travel_min
        }
        matrix = self.round.travel_matrix
        rows = [matrix.get(student.id, {})]
        if student.home is None:
            rows.append(matrix.get(student.school, {}))
        for company in {c for row in rows for c in row if c in admitting}:
            if student_travel_minutes(self.round, student, company) <= student.max_travel_min:
                found.add(company)
            else:
                found.discard(company)
        return found
