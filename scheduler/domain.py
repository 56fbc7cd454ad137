"""Immutable domain objects of a round.

A round document is validated once (see `validation.parse_round`) into these objects with every
default resolved, so solvers, `verify` and `explain` never look at raw JSON or at defaults again.
Collections keyed by id are ordered by id (pairs and elective requests too), never by their
place in the document, so no solver can favour a record for being listed first (SPEC section 8)
and every output list comes out in the same order for any order of the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from scheduler.contract import round as contract


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class TravelSettings:
    circuity: float = contract.CIRCUITY
    speed_kmh: Mapping[str, float] = field(default_factory=lambda: dict(contract.SPEED_KMH))
    overhead_min: Mapping[str, float] = field(default_factory=lambda: dict(contract.OVERHEAD_MIN))


@dataclass(frozen=True, slots=True)
class Weights:
    rank_cost: tuple[int, ...] = contract.RANK_COST
    unranked_cost: int = contract.UNRANKED_COST
    travel_minute_cost: int = contract.TRAVEL_MINUTE_COST

    def preference_cost(self, rank: int | None) -> int:
        """Cost of the placement at 1-based `rank` (None: unranked); past the list, its last."""
        if rank is None:
            return self.unranked_cost
        return self.rank_cost[min(rank, len(self.rank_cost)) - 1]


@dataclass(frozen=True, slots=True)
class Defaults:
    max_travel_min: int = contract.MAX_TRAVEL_MIN
    mode: str = contract.MODE
    max_switch_min: int = contract.MAX_SWITCH_MIN


@dataclass(frozen=True, slots=True)
class School:
    id: str
    name: str
    location: Point
    periods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    name: str
    location: Point
    sectors: tuple[str, ...]
    max_students: int | None
    hours_per_month: int | None


@dataclass(frozen=True, slots=True)
class Placement:
    id: str
    company: str
    capacity: Mapping[str, int]
    profiles: frozenset[str]
    tracks: frozenset[str]
    min_year: int
    min_students: int

    def admits(self, profile: str, track: str, year: int) -> bool:
        """Profile, track and year rules; an empty list admits everyone."""
        return (
            (not self.profiles or profile in self.profiles)
            and (not self.tracks or track in self.tracks)
            and year >= self.min_year
        )


@dataclass(frozen=True, slots=True)
class Student:
    id: str
    school: str
    profile: str
    track: str
    year: int
    home: Point | None
    mode: str
    max_travel_min: int
    preferences: tuple[str, ...]
    accept_unranked: bool
    priority: int
    periods: tuple[str, ...]
    excluded: frozenset[str] = frozenset()  # company and placement ids (SPEC 8)

    def excludes(self, placement: Placement) -> bool:
        """Is `placement` closed to the pupil, by its own id or its company's?"""
        return placement.id in self.excluded or placement.company in self.excluded

    def rank_of(self, placement: str) -> int | None:
        """1-based rank of `placement` among the preferences, None when unranked."""
        try:
            return self.preferences.index(placement) + 1
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Calendar:
    start: date
    end: date
    holidays: tuple[tuple[date, date], ...]
    min_gap_days: int


@dataclass(frozen=True, slots=True)
class SchoolClass:
    id: str
    school: str
    year: int
    profile: str | None
    size: int
    free: tuple[str, ...]
    demand: Mapping[str, int]
    distinct_sectors: bool


@dataclass(frozen=True, slots=True)
class Teacher:
    id: str
    school: str
    free: tuple[str, ...]
    demand: Mapping[str, int]
    sectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    company: str
    kind: str
    sectors: tuple[str, ...]
    profiles: frozenset[str]
    available: tuple[str, ...]
    max_group_size: int | None
    hours: int
    max_per_month: int | None
    max_travel_min: int
    # A company's declines: requesters it will not host here, dayparts it is no longer open.
    refused: frozenset[str] = frozenset()
    closed: frozenset[tuple[date, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class Elective:
    id: str
    school: str
    slot: str
    capacity: int
    profiles: frozenset[str]


@dataclass(frozen=True, slots=True)
class ElectiveRequest:
    student: str
    choices: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class Event:
    """An event day (SPEC section 9): sessions run in rounds 1..`rounds`."""

    id: str
    name: str
    date: date | None
    rounds: int
    location: Point | None


@dataclass(frozen=True, slots=True)
class Session:
    """A company's session at an event, with the rounds it runs resolved (ascending)."""

    id: str
    event: str
    company: str
    capacity: int
    rounds: tuple[int, ...]
    sectors: tuple[str, ...]
    profiles: frozenset[str]

    def admits(self, profile: str) -> bool:
        """An empty `profiles` admits every profile."""
        return not self.profiles or profile in self.profiles

    @property
    def first_sector(self) -> str | None:
        """The sector `distinct_sectors` compares; a session without sectors clashes with none."""
        return self.sectors[0] if self.sectors else None


@dataclass(frozen=True, slots=True)
class EventRequest:
    """A pupil's choices at one event, `count` resolved (absent: one per round)."""

    student: str
    event: str
    choices: tuple[str, ...]
    count: int
    distinct_sectors: bool


@dataclass(frozen=True, slots=True)
class Round:
    name: str
    travel: TravelSettings
    weights: Weights
    defaults: Defaults
    schools: Mapping[str, School]
    companies: Mapping[str, Company]
    placements: Mapping[str, Placement]
    students: Mapping[str, Student]
    together: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    travel_matrix: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    calendar: Calendar | None = None
    classes: Mapping[str, SchoolClass] = field(default_factory=dict)
    teachers: Mapping[str, Teacher] = field(default_factory=dict)
    offers: Mapping[str, Offer] = field(default_factory=dict)
    electives: Mapping[str, Elective] = field(default_factory=dict)
    elective_requests: tuple[ElectiveRequest, ...] = ()
    # School id -> weekly slots its pupils are free for electives; a school absent is unrestricted.
    timetables: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Draws the lottery between equally good answers (`scheduler.lottery`).
    seed: int = 0
    # Problem D: event days, their sessions, and the pupils' requests in (student, event) order.
    events: Mapping[str, Event] = field(default_factory=dict)
    sessions: Mapping[str, Session] = field(default_factory=dict)
    event_requests: tuple[EventRequest, ...] = ()

    @property
    def asks_for_placements(self) -> bool:
        """Problem A applies, unless the pupils are listed only for their elective or event
        requests."""
        return bool(self.placements) or bool(
            self.students and not self.elective_requests and not self.event_requests
        )

    def origin(self, student: Student) -> Point:
        """Where a pupil travels from: its home if given, else its school."""
        return student.home or self.schools[student.school].location


class SteeringError(ValueError):
    """What must stay cannot hold: a pin unknown, not eligible, over the seats or against a rule,
    or a kept activity the round no longer allows. `students` names the pinned pupils at fault,
    so the platform can point at them without reading the message."""

    def __init__(self, message: str, students: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.students = tuple(students)
