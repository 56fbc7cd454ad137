"""Fairness of a placement solution: placed share per school, justified envy and waste.

Definitions (the bureau's words, made exact):

- A **seat** is one (placement, period). A pupil is *eligible* for a seat when SPEC section 3
  says so: admitted by profile, track and year, the period is among its own and the
  placement's, travel within its limit, the placement ranked or `accept_unranked`, and
  neither it nor its company in the pupil's `excluded` list (SPEC section 8).
- A pupil **prefers** placement q over its outcome when q ranks better in its list (rank r
  beats every rank above r, any ranked placement beats an unranked one), or when the pupil is
  unplaced and eligible for q. Unranked placements tie with each other, and so do two periods
  of one placement: travel minutes and cost never make a preference, only the pupil's list.
- **Justified envy**: a pupil prefers q, is eligible for a seat (q, t), and that seat is held
  by a pupil of strictly *lower* priority. Equal priorities tie: a lottery between equals is
  fair, so it is no envy. A company at `max_students` whose pupils sit at its other
  placements is not envy either: envy is about one seat, as a school-choice seat is.
- **Waste**: the preferred seat is empty (and its company below `max_students`). Waste is not
  envy: nobody was ranked above the pupil, the seat was simply not given. The lexicographic
  optimum never leaves an unplaced pupil next to an empty eligible seat, but it may leave a
  placed pupil below an empty better-ranked seat when travel makes that seat cost more.

An envy-free (stable) solution always exists: the empty assignment, and more usefully serial
dictatorship by priority, have none. `scheduler.envy` finds the envy-free solution that places
the most priority at the least cost.

The checker works from the round and the solution document, pupil by pupil with the scalar
travel formula (as `verify` does), and shares no code with the no-envy model, so the model
cannot hide a mistake from it. Only pupils who prefer something get looked at: a pupil at its
first choice prefers nothing, a placed pupil prefers only the placements above it in its list,
and only unplaced pupils who accept unranked placements need the search over reachable
companies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from scheduler.domain import Placement, Round, Student
from scheduler.travel import student_travel_minutes
from scheduler.verify.placements import (
    ReachIndex,  # the solver-independent reach search of `verify`
)

if TYPE_CHECKING:
    from scheduler.placements.result import PlacementResult
    from scheduler.placements.scarcity import SeatGain


@dataclass(frozen=True, slots=True)
class SchoolShare:
    school: str
    name: str
    pupils: int
    placed: int

    @property
    def share(self) -> float:
        return self.placed / self.pupils if self.pupils else 1.0


@dataclass(frozen=True, slots=True)
class Envy:
    """`student` prefers the seat (`placement`, `period`) held by lower-priority `holder`."""

    student: str
    priority: int
    placement: str
    period: str
    holder: str  # the lowest-priority holder of the seat (first by id among equals)
    holder_priority: int


@dataclass(frozen=True, slots=True)
class Waste:
    """`student` prefers the seat (`placement`, `period`), which has room."""

    student: str
    placement: str
    period: str


@dataclass(frozen=True, slots=True)
class FairnessReport:
    schools: tuple[SchoolShare, ...]
    envy: tuple[Envy, ...]  # one entry per (pupil, seat)
    waste: tuple[Waste, ...]

    @property
    def envious_pupils(self) -> int:
        return len({e.student for e in self.envy})

    @property
    def share_range(self) -> tuple[float, float]:
        """(lowest, highest) placed share over the schools that have pupils."""
        shares = [s.share for s in self.schools if s.pupils]
        return (min(shares), max(shares)) if shares else (1.0, 1.0)


def fairness_report(round_: Round, solution: Mapping[str, Any]) -> FairnessReport:
    """Placed share per school, justified envy and waste of `solution` (see the module doc)."""
    assignments = list(solution.get("assignments") or [])
    outcome = {a["student"]: a for a in assignments}
    return FairnessReport(
        schools=_school_shares(round_, outcome),
        envy=tuple(justified_envy(round_, solution)),
        waste=tuple(_waste(round_, outcome, assignments)),
    )


def justified_envy(round_: Round, solution: Mapping[str, Any]) -> Iterator[Envy]:
    """Every (pupil, seat) with justified envy, in round order of the pupils."""
    assignments = list(solution.get("assignments") or [])
    holders: dict[tuple[str, str], tuple[int, str]] = {}
    for a in assignments:
        student = round_.students[a["student"]]
        seat = (a["placement"], a["period"])
        holders[seat] = min(
            holders.get(seat, (student.priority, student.id)), (student.priority, student.id)
        )
    if not holders:
        return
    lowest = min(priority for priority, _ in holders.values())
    outcome = {a["student"]: a for a in assignments}
    reach = ReachIndex(round_)
    for student in round_.students.values():
        if student.priority <= lowest:
            continue
        for placement, period in _preferred_seats(round_, student, outcome.get(student.id), reach):
            held = holders.get((placement.id, period))
            if held is not None and held[0] < student.priority:
                yield Envy(student.id, student.priority, placement.id, period, held[1], held[0])


def _waste(
    round_: Round, outcome: Mapping[str, Mapping[str, Any]], assignments: list[Mapping[str, Any]]
) -> Iterator[Waste]:
    slot_use = Counter((a["placement"], a["period"]) for a in assignments)
    company_use = Counter(round_.placements[a["placement"]].company for a in assignments)
    reach = ReachIndex(round_)
    for student in round_.students.values():
        for placement, period in _preferred_seats(round_, student, outcome.get(student.id), reach):
            company = round_.companies[placement.company]
            if slot_use[(placement.id, period)] < placement.capacity[period] and (
                company.max_students is None or company_use[company.id] < company.max_students
            ):
                yield Waste(student.id, placement.id, period)


def _preferred_seats(
    round_: Round, student: Student, mine: Mapping[str, Any] | None, reach: ReachIndex
) -> Iterator[tuple[Placement, str]]:
    """The seats the pupil is eligible for at placements it prefers over its outcome."""
    if mine is not None:
        rank = student.rank_of(mine["placement"])
        listed = student.preferences[: rank - 1] if rank else student.preferences
        candidates = [round_.placements[p] for p in listed]
        checked_travel = False
    elif student.accept_unranked:
        admitting = reach.admitting(student)
        candidates = [
            p
            for company in reach.companies_within_limit(student, admitting)
            for p in admitting[company]
        ]
        checked_travel = True
    else:
        candidates = [round_.placements[p] for p in student.preferences]
        checked_travel = False
    periods = set(student.periods)
    for placement in candidates:
        if student.excludes(placement) or not placement.admits(
            student.profile, student.track, student.year
        ):
            continue
        if not checked_travel and (
            student_travel_minutes(round_, student, placement.company) > student.max_travel_min
        ):
            continue
        for period in placement.capacity:
            if period in periods:
                yield placement, period


def _school_shares(
    round_: Round, outcome: Mapping[str, Mapping[str, Any]]
) -> tuple[SchoolShare, ...]:
    pupils: Counter[str] = Counter()
    placed: defaultdict[str, int] = defaultdict(int)
    for student in round_.students.values():
        pupils[student.school] += 1
        placed[student.school] += student.id in outcome
    return tuple(
        SchoolShare(school.id, school.name, pupils[school.id], placed[school.id])
        for school in round_.schools.values()
        if pupils[school.id]
    )


def fairness_text(
    round_: Round,
    solution: Mapping[str, Any],
    *,
    compare: bool = True,
    time_limit: float = 30.0,
    workers: int = 8,
    seats: int = 10,
) -> str:
    """What `stagebureau fairness` prints: shares, envy and waste of `solution`; with `compare`,
    the same figures for the most-placed optimum and the envy-free one, and the seats where
    one more would help most."""
    from scheduler.placements.envy import NoEnvyFree, solve_no_envy
    from scheduler.placements.solve import solve_placements
    from scheduler.solve import merge_sections, placement_section

    report = fairness_report(round_, solution)
    low, high = report.share_range
    lines = [f"Placed share per school (lowest {low:.0%}, highest {high:.0%}):"]
    for s in sorted(report.schools, key=lambda s: (s.share, s.school)):
        lines.append(f"  {s.school:<8} {s.placed:>6}/{s.pupils:<6} {s.share:>6.1%}  {s.name}")
    lines.append(
        f"Justified envy: {len(report.envy)} (pupil, seat) pair(s), {report.envious_pupils} "
        "pupil(s) see a seat they prefer held by a pupil of lower priority."
    )
    for e in report.envy[:10]:
        lines.append(
            f"  {e.student} (priority {e.priority}) prefers {e.placement}/{e.period}, held by "
            f"{e.holder} (priority {e.holder_priority})"
        )
    if len(report.envy) > 10:
        lines.append(f"  ... and {len(report.envy) - 10} more")
    lines.append(
        f"Waste: {len(report.waste)} preferred seat(s) left empty next to a pupil who wanted it."
    )
    if not compare:
        return "\n".join(lines)
    optimum = solve_placements(round_, time_limit=time_limit)
    results = [("most placed", optimum)]
    try:
        results.append(
            (
                "envy-free (--no-envy)",
                solve_no_envy(round_, time_limit=time_limit, workers=workers, pairs=optimum.pairs),
            )
        )
    except NoEnvyFree as error:
        lines.append(f"Envy-free: none: {error}.")
    rows = [("this solution", solution)] + [
        (label, merge_sections(round_.name, [placement_section(round_, result)]))
        for label, result in results
    ]
    lines.append("Compared (placed pupils, placed priority, cost, envy pairs, status):")
    for label, document in rows:
        objective = document.get("objective") or {}
        envy = sum(1 for _ in justified_envy(round_, document))
        lines.append(
            f"  {label:<22} {len(document.get('assignments') or []):>7} "
            f"{objective.get('placed_priority', '-'):>8} {objective.get('cost', '-'):>10} "
            f"{envy:>6}  {document.get('status', '-')}"
        )
    gains, relaxed_gains = seat_gains(round_, optimum, top=seats)
    relaxed = " (of the flow relaxation: the round has side rules)" * relaxed_gains
    lines.append(f"One more seat would help most at{relaxed}:")
    for g in gains:
        lines.append(
            f"  {g.placement}/{g.period} at {g.company} (now {g.capacity}): placed priority "
            f"+{g.placed_priority}, cost {g.cost:+d}"
        )
    if not gains:
        lines.append("  nowhere: no seat more would place more priority or cost less")
    return "\n".join(lines)


def seat_gains(
    round_: Round,
    optimum: PlacementResult | None = None,
    *,
    top: int = 10,
    time_limit: float = 30.0,
) -> tuple[list[SeatGain], bool]:
    """The seats where one more would help most (`scheduler.placements.scarcity`), and whether
    the gains are those of the flow relaxation (a round with side rules), where they are exact
    only without the rules. `optimum` is the round's placement optimum when already solved."""
    from scheduler.placements.eligibility import eligible_pairs
    from scheduler.placements.flow import solve_flow
    from scheduler.placements.result import PlacementResult
    from scheduler.placements.scarcity import one_more_seat
    from scheduler.placements.solve import has_side_constraints, solve_placements

    relaxed = has_side_constraints(round_)
    if optimum is None and not relaxed:
        optimum = solve_placements(round_, time_limit=time_limit)
    if relaxed:  # the seat gains are exact for the flow relaxation only
        pairs = optimum.pairs if optimum is not None else eligible_pairs(round_)
        priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
        chosen, _ = solve_flow(pairs, priority)
        optimum = PlacementResult(pairs, chosen, "OPTIMAL", 0, 0, None, "min_cost_flow", 0)
    assert optimum is not None
    return one_more_seat(optimum, top=top), relaxed
