"""The round document of SPEC sections 3-5 as pydantic models: shapes and types only.

Strict types, so a mistyped field (a year of "3", a capacity of 2.5) is an error rather than a
silent coercion. Unknown fields are ignored, so documents may carry extra information.
Cross-record rules (unknown references, duplicate ids) live in `validation`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .domain import ACTIVITY_KINDS

Id = Annotated[str, StringConstraints(min_length=1)]
Count = Annotated[int, Field(ge=0)]
Minutes = Annotated[int, Field(ge=0)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
ISODate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
# A weekly daypart ("tue-pm") or a dated one ("2027-03-11/am").
Daypart = Annotated[
    str, StringConstraints(pattern=r"^((mon|tue|wed|thu|fri)-(am|pm)|\d{4}-\d{2}-\d{2}/(am|pm))$")
]
WeeklySlot = Annotated[str, StringConstraints(pattern=r"^(mon|tue|wed|thu|fri)-(am|pm)$")]
ActivityKind = Literal["excursion", "guest_lesson", "teacher_internship"]
assert set(ActivityKind.__args__) == set(ACTIVITY_KINDS)  # type: ignore[attr-defined]


class Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class LatLon(Model):
    lat: Latitude
    lon: Longitude


class TravelDoc(Model):
    circuity: Annotated[float, Field(gt=0)] = 1.3
    speed_kmh: dict[str, Annotated[float, Field(gt=0)]] = {}
    overhead_min: dict[str, Annotated[float, Field(ge=0)]] = {}


class WeightsDoc(Model):
    rank_cost: Annotated[list[Count], Field(min_length=1)] = [0, 10, 30, 60, 100]
    unranked_cost: Count = 150
    travel_minute_cost: Count = 1


class DefaultsDoc(Model):
    max_travel_min: Minutes = 45
    mode: str = "bike"
    max_switch_min: Minutes = 30


class SchoolDoc(Model):
    id: Id
    name: str = ""
    lat: Latitude
    lon: Longitude
    periods: list[Id] = []


class CompanyDoc(Model):
    id: Id
    name: str = ""
    lat: Latitude
    lon: Longitude
    sectors: list[str] = []
    max_students: Count | None = None
    hours_per_month: Count | None = None


class PlacementDoc(Model):
    id: Id
    company: Id
    capacity: dict[str, Count]
    profiles: list[str] = []
    tracks: list[str] = []
    min_year: Count = 0
    min_students: Count = 0


class StudentDoc(Model):
    id: Id
    school: Id
    profile: str
    track: str
    year: Count
    home: LatLon | None = None
    mode: str | None = None
    max_travel_min: Minutes | None = None
    preferences: list[Id] = []
    accept_unranked: bool = True
    priority: Annotated[int, Field(ge=1)] = 1
    periods: list[Id] | None = None


class CalendarDoc(Model):
    start: ISODate
    end: ISODate
    holidays: list[Annotated[list[ISODate], Field(min_length=2, max_length=2)]] = []
    min_gap_days: Count = 0


class ClassDoc(Model):
    id: Id
    school: Id
    year: Count = 0
    profile: str | None = None
    size: Annotated[int, Field(ge=1)]
    free: list[Daypart] = []
    demand: dict[ActivityKind, Count] = {}
    distinct_sectors: bool = False


class TeacherDoc(Model):
    id: Id
    school: Id
    free: list[Daypart] = []
    demand: dict[ActivityKind, Count] = {}
    sectors: list[str] = []


class DeclineDoc(Model):
    """A company's "no" to one planned activity: it hosts that requester no more at this offer
    and is no longer available on that daypart (a repair after a decline writes these)."""

    requester: Id
    date: ISODate
    daypart: Literal["am", "pm"]


class OfferDoc(Model):
    id: Id
    company: Id
    kind: ActivityKind
    sectors: list[str] = []
    profiles: list[str] = []
    available: list[Daypart] = []
    max_group_size: Count | None = None
    hours: Count | None = None
    max_per_month: Count | None = None
    max_travel_min: Minutes | None = None
    declined: list[DeclineDoc] = []


class ElectiveDoc(Model):
    id: Id
    school: Id
    slot: WeeklySlot
    capacity: Count
    profiles: list[str] = []


class ElectiveRequestDoc(Model):
    student: Id
    choices: list[Id]
    count: Count = 1


class RoundDoc(Model):
    format: Literal["stagebureau.round/1"] = "stagebureau.round/1"
    name: str = ""
    travel: TravelDoc = TravelDoc()
    weights: WeightsDoc = WeightsDoc()
    defaults: DefaultsDoc = DefaultsDoc()
    travel_matrix: dict[Id, dict[Id, Minutes]] = {}
    schools: list[SchoolDoc] = []
    companies: list[CompanyDoc] = []
    placements: list[PlacementDoc] = []
    students: list[StudentDoc] = []
    together: list[Annotated[list[Id], Field(min_length=2, max_length=2)]] = []
    apart: list[Annotated[list[Id], Field(min_length=2, max_length=2)]] = []
    calendar: CalendarDoc | None = None
    classes: list[ClassDoc] = []
    teachers: list[TeacherDoc] = []
    offers: list[OfferDoc] = []
    electives: list[ElectiveDoc] = []
    elective_requests: list[ElectiveRequestDoc] = []
    # Per school, the weekly slots its pupils are free for electives (problem C extension).
    timetables: dict[Id, list[WeeklySlot]] = {}
