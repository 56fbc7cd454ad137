"""The solution document of SPEC sections 3-9, typed: one section per problem.

A solution is one JSON object with a section per problem the round holds (assignments and
unassigned, activities and unplanned, electives and elective_unassigned), one objective and one
status; `scheduler.solve.solve_round` writes it and `scheduler.verify` checks it.

The document is typed as `TypedDict`s rather than classes: every reader (the platform, the
exports, the tests, `verify`) keeps it as the JSON it is stored and sent as, while mypy checks
each key a producer writes or a consumer reads, and pydantic validates a stored one
(`SOLUTION`). A new key is one edit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NotRequired

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

SOLUTION_FORMAT = "stagebureau.solution/1"

Status = Literal["OPTIMAL", "FEASIBLE"]
STRICT = ConfigDict(extra="forbid")  # a key the SPEC does not know is a producer's mistake
Slot = tuple[str, str]  # (placement, period) of an assignment
ActivityKey = tuple[str, str, str, str]  # (requester, offer, date, daypart) of an activity


@with_config(STRICT)
class Assignment(TypedDict):
    """A pupil placed (problem A); `rank` is null for a placement it did not list."""

    student: str
    placement: str
    company: str
    period: str
    rank: int | None
    travel_min: int
    cost: int


@with_config(STRICT)
class Unassigned(TypedDict):
    """A pupil left unplaced, and why (`contract.reasons.PlacementReason`)."""

    student: str
    reason: str
    detail: str


@with_config(STRICT)
class Activity(TypedDict):
    """A planned excursion, guest lesson or teacher internship (problem B)."""

    requester: str
    offer: str
    company: str
    kind: str
    date: str
    daypart: str
    travel_min: int


@with_config(STRICT)
class Unplanned(TypedDict):
    """Demand of a class or teacher left short, and why (`ActivityReason`)."""

    requester: str
    kind: str
    missing: int
    reason: str
    detail: str


@with_config(STRICT)
class ElectiveGrant(TypedDict):
    """An elective granted to a pupil (problem C)."""

    student: str
    elective: str
    rank: int
    travel_min: int


@with_config(STRICT)
class ElectiveShortfall(TypedDict):
    """A request granted fewer electives than asked for, and why (`ElectiveReason`)."""

    student: str
    missing: int
    reason: str
    detail: str


@with_config(STRICT)
class EventSession(TypedDict):
    """A session a pupil attends at an event day, in one round (problem D)."""

    student: str
    event: str
    session: str
    company: str
    round: int
    rank: int


@with_config(STRICT)
class EventShortfall(TypedDict):
    """A request granted fewer sessions than asked for, and why (`EventReason`)."""

    student: str
    event: str
    missing: int
    reason: str
    detail: NotRequired[str]


@with_config(STRICT)
class Objective(TypedDict, total=False):
    """The objective keys of every problem the round holds (SPEC sections 3-5 and 9)."""

    placed_priority: int
    cost: int
    bound: int | None
    activities_planned: int
    activities_bound: int
    activity_travel_min: int
    activity_hours_spread: int
    activities_travel_bound: int
    electives_granted: int
    elective_rank_sum: int
    elective_travel_min: int
    event_sessions_granted: int
    event_rank_sum: int
    # Proven bounds (beyond the SPEC): no solution grants more sessions than
    # `event_sessions_bound`, and none granting `event_sessions_granted` has a smaller rank sum
    # than `event_rank_sum_bound`; both equal the achieved figures when the part is exact.
    event_sessions_bound: int
    event_rank_sum_bound: int


@with_config(STRICT)
class Section(TypedDict):
    """One problem's part of a solution, before `solve_round` merges them: its status, its
    objective keys, its lists (`entries`, by their document keys), the size of its largest
    model and its own statistics."""

    status: Status
    objective: Objective
    entries: dict[str, list[Any]]
    variables: int
    stats: dict[str, Any]


@with_config(STRICT)
class Solution(TypedDict):
    """The whole document. `assignments` and `unassigned` are always there (empty without
    pupils); the other sections only when the round holds their problem."""

    format: str
    round: str
    status: Status
    objective: Objective
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    activities: NotRequired[list[Activity]]
    unplanned: NotRequired[list[Unplanned]]
    electives: NotRequired[list[ElectiveGrant]]
    elective_unassigned: NotRequired[list[ElectiveShortfall]]
    event_sessions: NotRequired[list[EventSession]]
    event_unassigned: NotRequired[list[EventShortfall]]
    stats: dict[str, Any]


# Validates a document read from elsewhere (a stored version, a file) into a `Solution`.
SOLUTION: TypeAdapter[Solution] = TypeAdapter(Solution)


def assignment_map(solution: Mapping[str, Any]) -> dict[str, Slot]:
    """Pupil -> (placement, period) of a solution document."""
    return {a["student"]: (a["placement"], a["period"]) for a in solution.get("assignments", [])}


def activity_key(activity: Mapping[str, Any]) -> ActivityKey:
    """(requester, offer, date, daypart) of an activity or an activity decline."""
    return (activity["requester"], activity["offer"], activity["date"], activity["daypart"])
