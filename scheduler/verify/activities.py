"""Check the activity plan of a solution (SPEC section 4): every hard rule, the objective, and the
reason of every unplanned demand.

Written from the SPEC directly, activity by activity with the scalar travel formula and the
scalar calendar predicates (`is_school_day`, `covers`), sharing no code path with the solver (no
candidate arrays, no ledger), so a solver bug cannot hide itself. Reason codes are those of
`activity_reasons`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from scheduler.calendar import covers, is_school_day, month_key
from scheduler.contract.reasons import BLOCKING_RULES, ActivityReason
from scheduler.contract.round import ACTIVITY_MODE, DAYPARTS
from scheduler.domain import Offer, Round, SchoolClass, Teacher
from scheduler.travel import school_travel_minutes
from scheduler.verify.violation import Violation, referenced

Requester = SchoolClass | Teacher


def verify_activities(round_: Round, solution: Mapping[str, Any]) -> list[Violation]:
    """Every way the solution's activities and unplanned entries break SPEC section 4."""
    return _ActivityCheck(round_, solution).run()


def admits(requester: Requester, offer: Offer) -> bool:
    """Group size (a teacher counts 1), a class's profile, a teacher's sectors; never a
    requester the offer's company declined."""
    if requester.id in offer.refused:
        return False
    if isinstance(requester, SchoolClass):
        return (offer.max_group_size is None or requester.size <= offer.max_group_size) and (
            not offer.profiles or requester.profile in offer.profiles
        )
    return (offer.max_group_size is None or offer.max_group_size >= 1) and (
        not requester.sectors or bool(set(requester.sectors) & set(offer.sectors))
    )


def activity_minutes(round_: Round, requester: Requester, offer: Offer) -> int:
    """Travel between the requester's school and the offer's company by the kind's mode."""
    return school_travel_minutes(round_, requester.school, offer.company, ACTIVITY_MODE[offer.kind])


class _ActivityCheck:
    def __init__(self, round_: Round, solution: Mapping[str, Any]) -> None:
        self.round = round_
        self.activities = list(solution.get("activities") or [])
        self.unplanned = list(solution.get("unplanned") or [])
        self.objective = solution.get("objective") or {}
        self.found: list[Violation] = []
        self.requesters: dict[str, Requester] = {**round_.teachers, **round_.classes}
        self.gap = round_.calendar.min_gap_days if round_.calendar else 0
        # The plan, as checked activities: what the reasons are judged against.
        self.req_dayparts: defaultdict[str, set[tuple[date, str]]] = defaultdict(set)
        self.req_dates: defaultdict[str, list[date]] = defaultdict(list)
        self.req_kind: Counter[tuple[str, str]] = Counter()
        self.req_sectors: defaultdict[str, list[str | None]] = defaultdict(list)
        self.offer_dayparts: Counter[tuple[str, date, str]] = Counter()
        self.offer_month: Counter[tuple[str, str]] = Counter()
        self.company_month: Counter[tuple[str, str]] = Counter()
        self._covered: dict[tuple[str, str], set[tuple[date, str]]] = {}
        # Escorts (SPEC section 8): the ratio, who may escort per school, who escorts when.
        self.ratio = round_.defaults.escort_ratio
        self.may_escort: defaultdict[str, list[Teacher]] = defaultdict(list)
        for teacher in sorted(round_.teachers.values(), key=lambda t: t.id):
            if teacher.escort:
                self.may_escort[teacher.school].append(teacher)
        self.escorting: Counter[tuple[str, date, str]] = Counter()
        self._free_escort_cache: dict[tuple[str, date, str], list[Teacher]] = {}

    def flag(self, rule: str, record: str, message: str) -> None:
        self.found.append(Violation(rule, record, message))

    def run(self) -> list[Violation]:
        if self.round.calendar is None:
            if self.activities or self.unplanned:
                self.flag("calendar", "round", "activities without a calendar")
            return self.found
        travel = 0
        for i, a in enumerate(self.activities):
            minutes = self._activity(f"activities[{i}] ({a.get('requester')})", a)
            travel += minutes or 0
        self._capacities()
        self._objective(travel)
        self._unplanned()
        return self.found

    def _activity(self, record: str, a: Mapping[str, Any]) -> int | None:
        round_ = self.round
        requester = referenced(self.requesters, a, "requester")
        offer = referenced(round_.offers, a, "offer")
        if requester is None or offer is None:
            self.flag("reference", record, "unknown requester or offer")
            return None
        try:
            day = date.fromisoformat(str(a.get("date")))
        except ValueError:
            self.flag("format", record, f"date {a.get('date')!r} is not a date")
            return None
        part = a.get("daypart")
        if part not in DAYPARTS:
            self.flag("format", record, f"daypart {part!r} is neither am nor pm")
            return None
        if a.get("company") != offer.company:
            self.flag("reference", record, f"company is {offer.company}, not {a.get('company')}")
        if a.get("kind") != offer.kind:
            self.flag("kind", record, f"{offer.id} offers {offer.kind}, not {a.get('kind')}")
        if requester.demand.get(offer.kind, 0) <= 0:
            self.flag("kind", record, f"the requester demands no {offer.kind}")
        assert round_.calendar is not None  # run() checks no activity without a calendar
        if not is_school_day(round_.calendar, day):
            self.flag("calendar", record, f"{day} is no school day of the round")
        if not covers(requester.free, day, part):
            self.flag("free", record, f"the requester is not free on {day} {part}")
        if not covers(offer.available, day, part) or (day, part) in offer.closed:
            self.flag("available", record, f"{offer.id} is not available on {day} {part}")
        if not admits(requester, offer):
            self.flag("admission", record, f"{offer.id} does not admit this requester")
        minutes = activity_minutes(round_, requester, offer)
        if minutes > offer.max_travel_min:
            self.flag("travel", record, f"{minutes} min exceeds the limit {offer.max_travel_min}")
        if a.get("travel_min") != minutes:
            self.flag("travel", record, f"travel_min is {minutes}, not {a.get('travel_min')}")
        month = month_key(day)
        self.req_dayparts[requester.id].add((day, part))
        self.req_dates[requester.id].append(day)
        self.req_kind[(requester.id, offer.kind)] += 1
        if offer.kind == "excursion":
            self.req_sectors[requester.id].append(self._first_sector(offer.company))
        self.offer_dayparts[(offer.id, day, part)] += 1
        self.offer_month[(offer.id, month)] += 1
        self.company_month[(offer.company, month)] += offer.hours
        self._escorts(record, requester, offer, day, part, a.get("escorts"))
        return minutes

    def _escorts(
        self, record: str, requester: Requester, offer: Offer, day: date, part: str, escorts: Any
    ) -> None:
        """An excursion of a class has its `ceil(size / escort_ratio)` escorts: distinct
        teachers of its school, free then, who may escort; nothing else has escorts."""
        escorted = self.ratio is not None and offer.kind == "excursion"
        if not escorted or not isinstance(requester, SchoolClass):
            if escorts:
                self.flag("escorts", record, "escorts where none are needed")
            return
        assert self.ratio is not None
        if not isinstance(escorts, list) or not all(isinstance(t, str) for t in escorts):
            self.flag("escorts", record, f"escorts {escorts!r} is not a list of teacher ids")
            return
        need = -(-requester.size // self.ratio)
        if len(set(escorts)) < len(escorts):
            self.flag("escorts", record, f"an escort is listed twice in {escorts}")
        if len(set(escorts)) < need:
            self.flag("escorts", record, f"{len(set(escorts))} escort(s), {need} needed")
        for teacher_id in sorted(set(escorts)):
            teacher = self.round.teachers.get(teacher_id)
            if teacher is None:
                self.flag("escorts", record, f"escort {teacher_id} is no teacher of the round")
                continue
            if teacher.school != requester.school:
                self.flag("escorts", record, f"escort {teacher_id} teaches at another school")
            if not covers(teacher.free, day, part):
                self.flag("escorts", record, f"escort {teacher_id} is not free on {day} {part}")
            if not teacher.escort:
                self.flag("escorts", record, f"escort {teacher_id} may not escort")
            self.escorting[(teacher_id, day, part)] += 1

    def _first_sector(self, company: str) -> str | None:
        sectors = self.round.companies[company].sectors
        return sectors[0] if sectors else None

    def _capacities(self) -> None:
        round_ = self.round
        for (offer, day, part), used in self.offer_dayparts.items():
            if used > 1:
                self.flag("offer_daypart", offer, f"{used} activities on {day} {part}")
        for (offer, month), used in self.offer_month.items():
            cap = round_.offers[offer].max_per_month
            if cap is not None and used > cap:
                self.flag("max_per_month", offer, f"{used} activities in {month}, max {cap}")
        for (company, month), hours in self.company_month.items():
            limit = round_.companies[company].hours_per_month
            if limit is not None and hours > limit:
                self.flag("hours_per_month", company, f"{hours} h in {month}, max {limit}")
        for requester, dates in self.req_dates.items():
            if len(self.req_dayparts[requester]) < len(dates):
                self.flag("requester_daypart", requester, "two activities in one daypart")
            ordered = sorted(dates)
            for first, second in pairwise(ordered):
                if (second - first).days < self.gap:
                    self.flag(
                        "min_gap_days",
                        requester,
                        f"{first} and {second} are closer than {self.gap} days",
                    )
        for (teacher, day, part), count in self.escorting.items():
            if count > 1:
                self.flag("teacher_daypart", teacher, f"escorts {count} excursions on {day} {part}")
            if (day, part) in self.req_dayparts[teacher]:
                self.flag(
                    "teacher_daypart", teacher, f"escorts and has its own activity {day} {part}"
                )
        for (requester, kind), used in self.req_kind.items():
            demand = self.requesters[requester].demand.get(kind, 0)
            if used > demand:
                self.flag("demand", requester, f"{used} {kind} activities, demand {demand}")
        for requester, sectors in self.req_sectors.items():
            who = self.requesters[requester]
            if (
                isinstance(who, SchoolClass)
                and who.distinct_sectors
                and len(set(sectors)) < len(sectors)
            ):
                self.flag("distinct_sectors", requester, f"excursion sectors {sectors} repeat")

    def _objective(self, travel: int) -> None:
        objective = self.objective
        hours: defaultdict[str, list[int]] = defaultdict(list)
        for (company, _), used in self.company_month.items():
            hours[company].append(used)
        expected = {
            "activities_planned": len(self.activities),
            "activity_travel_min": travel,
            "activity_hours_spread": sum(max(months) for months in hours.values()),
        }
        for key, value in expected.items():
            if objective.get(key) != value:
                self.flag(
                    "objective",
                    f"objective.{key}",
                    f"recomputed {value}, reported {objective.get(key)}",
                )
        travel_bound = objective.get("activities_travel_bound")
        if travel_bound is not None and (
            not isinstance(travel_bound, int) or travel_bound > travel
        ):
            self.flag(
                "objective",
                "objective.activities_travel_bound",
                f"travel bound {travel_bound} exceeds the {travel} travel minutes planned",
            )
        bound = objective.get("activities_bound")
        if not isinstance(bound, int) or bound < len(self.activities):
            self.flag(
                "objective",
                "objective.activities_bound",
                f"bound {bound} is below the {len(self.activities)} activities planned",
            )

    def _unplanned(self) -> None:
        expected = {
            (r.id, kind): demand - self.req_kind[(r.id, kind)]
            for r in self.requesters.values()
            for kind, demand in r.demand.items()
            if demand > self.req_kind[(r.id, kind)]
        }
        seen: Counter[tuple[str, str]] = Counter()
        for u in self.unplanned:
            key = (u.get("requester"), u.get("kind"))
            seen[key] += 1
            record = f"unplanned {key[0]}/{key[1]}"
            if key not in expected:
                self.flag("unplanned", record, "listed, but its demand is met (or unknown)")
                continue
            if seen[key] > 1:
                self.flag("unplanned", record, "listed twice")
            if u.get("missing") != expected[key]:
                self.flag(
                    "unplanned", record, f"missing is {expected[key]}, not {u.get('missing')}"
                )
            self._reason(record, self.requesters[key[0]], key[1], u.get("reason"))
        for key in expected:
            if key not in seen:
                self.flag("unplanned", f"{key[0]}/{key[1]}", "demand not met and not listed")

    def _reason(self, record: str, requester: Requester, kind: str, reason: Any) -> None:
        round_ = self.round
        offers = [o for o in round_.offers.values() if o.kind == kind and admits(requester, o)]
        reachable = [
            o for o in offers if activity_minutes(round_, requester, o) <= o.max_travel_min
        ]
        free = self._school_dayparts(("requester", requester.id), requester.free)
        candidates = [
            (o, day, part)
            for o in reachable
            for day, part in sorted(free & self._school_dayparts(("offer", o.id), o.available))
            if (day, part) not in o.closed
        ]
        escorted = [c for c in candidates if self._escort_pool(requester, kind, *c[1:]) >= 0]
        if not offers:
            holds = reason == ActivityReason.NO_OFFER
        elif not reachable:
            holds = reason == ActivityReason.TOO_FAR
        elif not candidates:
            holds = reason == ActivityReason.NO_COMMON_DAYPART
        elif not escorted:
            holds = reason == ActivityReason.NO_ESCORT
        else:
            candidates = escorted
            blocked = [self._blockers(requester, *c) for c in candidates]
            open_ = sum(not b for b in blocked)
            if open_:
                self.flag(
                    "reason",
                    record,
                    f"{open_} candidate daypart(s) break no rule: the demand could be planned",
                )
                return
            if reason == ActivityReason.COMBINED:
                holds = True
            else:
                holds = reason in BLOCKING_RULES and all(reason in b for b in blocked)
        if not holds:
            self.flag("reason", record, f"reason {reason} does not hold")

    def _school_dayparts(
        self, owner: tuple[str, str], patterns: tuple[str, ...]
    ) -> set[tuple[date, str]]:
        """The school dayparts a `free` or `available` list covers, once per owner."""
        if owner not in self._covered:
            calendar = self.round.calendar
            assert calendar is not None  # run() judges no reason without a calendar
            span = (calendar.end - calendar.start).days + 1
            days = (calendar.start + timedelta(n) for n in range(span))
            self._covered[owner] = {
                (d, p)
                for d in days
                if is_school_day(calendar, d)
                for p in DAYPARTS
                if covers(patterns, d, p)
            }
        return self._covered[owner]

    def _blockers(self, requester: Requester, offer: Offer, day: date, part: str) -> set[str]:
        """Which rules forbid adding this activity to the plan."""
        found: set[str] = set()
        if (day, part) in self.req_dayparts[requester.id] or any(
            abs((day - other).days) < self.gap for other in self.req_dates[requester.id]
        ):
            found.add(ActivityReason.GAP)
        if (
            offer.kind == "excursion"
            and isinstance(requester, SchoolClass)
            and requester.distinct_sectors
            and self._first_sector(offer.company) in self.req_sectors[requester.id]
        ):
            found.add(ActivityReason.SECTORS)
        month = month_key(day)
        limit = self.round.companies[offer.company].hours_per_month
        if limit is not None and self.company_month[(offer.company, month)] + offer.hours > limit:
            found.add(ActivityReason.HOURS_EXHAUSTED)
        cap = offer.max_per_month
        if self.offer_dayparts[(offer.id, day, part)] or (
            cap is not None and self.offer_month[(offer.id, month)] >= cap
        ):
            found.add(ActivityReason.OFFER_FULL)
        load = self._escort_load(requester, offer.kind)
        if load and self._spare_escorts(requester.school, day, part) < load:
            found.add(ActivityReason.NO_ESCORT)
        return found

    def _escort_load(self, requester: Requester, kind: str) -> int:
        """The school's escorts an activity takes at its daypart: a class's excursion its
        escorts, an own activity of a teacher who may escort 1 (it cannot escort then)."""
        if self.ratio is None:
            return 0
        if isinstance(requester, SchoolClass):
            return -(-requester.size // self.ratio) if kind == "excursion" else 0
        return 1 if requester.escort else 0

    def _escort_pool(self, requester: Requester, kind: str, day: date, part: str) -> int:
        """Teachers of the school free then who may escort, less what the activity takes."""
        if self.ratio is None:
            return 0
        free = self._free_escorts(requester.school, day, part)
        return len(free) - self._escort_load(requester, kind)

    def _spare_escorts(self, school: str, day: date, part: str) -> int:
        """Teachers of the school free then who may escort and neither escort nor have an
        activity of their own then."""
        return sum(
            not self.escorting[(t.id, day, part)] and (day, part) not in self.req_dayparts[t.id]
            for t in self._free_escorts(school, day, part)
        )

    def _free_escorts(self, school: str, day: date, part: str) -> list[Teacher]:
        """The teachers of the school who may escort and are free then, once per daypart."""
        key = (school, day, part)
        if key not in self._free_escort_cache:
            self._free_escort_cache[key] = [
                t for t in self.may_escort[school] if covers(t.free, day, part)
            ]
        return self._free_escort_cache[key]
