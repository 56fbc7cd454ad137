"""Database tables and the API bodies around them, in the families of the FastAPI template.

Each record kind has `XBase` (fields a client may set), `XCreate` (the POST body), `XUpdate`
(the PATCH body: every field optional plus the `version` the client last read, so a stale write
is refused with 409 instead of silently overwriting), `X(table=True)` and `XPublic` (what a
reader gets back). Records of a region carry `region_id`; those of one school or company also
carry `school_id` / `company_id`, which is what the server-side scoping filters on.

Identifiers: `id` is the database key used in URLs; `code` is the record's id inside a SPEC
round document (placement "PL7", pupil "st1"), unique within its region. Pupils are minors, so a
pupil record holds a first name and nothing else that identifies a person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, cast

import sqlalchemy as sa
from pydantic import StringConstraints, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import UniqueConstraint
from sqlmodel import JSON, AutoString, Field, SQLModel

from scheduler.contract.round import (
    DAYPART_PATTERN,
    WEEKLY_SLOT_PATTERN,
    ActivityKind,
    HalfDay,
    Mode,
    Profile,
    Track,
)
from scheduler.contract.solution import Solution

Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Period = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Daypart = Annotated[str, StringConstraints(pattern=DAYPART_PATTERN)]
WeeklySlot = Annotated[str, StringConstraints(pattern=WEEKLY_SLOT_PATTERN)]


def utcnow() -> datetime:
    """Timestamps are stored in UTC, without relying on the database's clock."""
    return datetime.now(UTC)


class Role(StrEnum):
    bureau = "bureau"
    school = "school"
    company = "company"


class RoundStatus(StrEnum):
    draft = "draft"
    solving = "solving"
    proposed = "proposed"
    published = "published"


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"


ACTIVE_JOB_STATUSES = (JobStatus.queued, JobStatus.running)


class JobKind(StrEnum):
    solve = "solve"  # a fresh solve of the round's snapshot
    resolve = "resolve"  # keep the pins, move the rest as little as possible
    repair = "repair"  # after a company declined: re-place the declined pupils only
    advice = "advice"  # where one more seat helps most, counted for a version (no new version)


class VersionState(StrEnum):
    proposal = "proposal"
    published = "published"


class ResponseStatus(StrEnum):
    confirmed = "confirmed"
    declined = "declined"


class PairKind(StrEnum):
    together = "together"  # placed at the same company, or both unplaced
    apart = "apart"  # never at the same company


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """A column of enum members stored as their plain string values (no database ENUM type)."""
    return sa.Enum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Versioned(SQLModel):
    """Optimistic concurrency: every write bumps `version`, a write naming an older one is 409."""

    version: int = Field(default=1, ge=1)


class UpdateBody(SQLModel):
    """Base of every PATCH body: the version the client read, checked against the stored one."""

    version: int = Field(ge=1, description="the record's version as last read; 409 if stale")


# --- regions and users ------------------------------------------------------------------------


class RegionBase(SQLModel):
    name: Name = Field(sa_type=AutoString, unique=True, index=True)
    # The regional plan's budget: companies cofinance `cofinancing_target_share` of it.
    plan_budget_eur: float = Field(default=0.0, ge=0)
    max_travel_min: int = Field(default=45, ge=0, le=600)
    mode: Mode = Field(default="bike", sa_type=AutoString)
    calendar: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # Dates of placement periods (SPEC section 8: id, start, end, weekdays, hours_per_day).
    periods: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    # Pupils per escorting teacher on an excursion (SPEC section 8); None: no escorts planned.
    escort_ratio: int | None = Field(default=None, ge=1, le=100)


class RegionCreate(RegionBase):
    pass


class RegionUpdate(UpdateBody):
    name: Name | None = None
    plan_budget_eur: float | None = Field(default=None, ge=0)
    max_travel_min: int | None = Field(default=None, ge=0, le=600)
    mode: Mode | None = None
    calendar: dict[str, Any] | None = None
    periods: list[dict[str, Any]] | None = None
    escort_ratio: int | None = Field(default=None, ge=1, le=100)


class Region(RegionBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)


class RegionPublic(RegionBase):
    id: int
    version: int


class UserBase(SQLModel):
    email: Annotated[
        str, StringConstraints(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    ] = Field(sa_type=AutoString, unique=True, index=True)
    role: Role = Field(sa_type=enum_type(Role))
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id")
    company_id: int | None = Field(default=None, foreign_key="company.id")


class UserCreate(UserBase):
    password: Annotated[str, StringConstraints(min_length=8, max_length=200)]


class User(UserBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    hashed_password: str = Field(sa_type=AutoString)
    is_active: bool = True


class UserPublic(UserBase):
    id: int
    is_active: bool


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as its SHA-256 so a database leak yields no live tokens."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(sa_type=AutoString, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class TokenPublic(SQLModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


# --- schools and their demand -----------------------------------------------------------------


class SchoolBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    name: Name = Field(sa_type=AutoString)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    periods: list[Period] = Field(default_factory=list, sa_type=JSON)
    # Street, number, postcode and place, for the LOCATION of calendar events held here.
    address: str | None = Field(default=None, max_length=200, sa_type=AutoString)


class SchoolCreate(SchoolBase):
    pass


class SchoolUpdate(UpdateBody):
    name: Name | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    periods: list[Period] | None = None
    address: str | None = Field(default=None, max_length=200)


class School(SchoolBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)


class SchoolPublic(SchoolBase):
    id: int
    region_id: int
    version: int


class SchoolClassBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    year: int = Field(ge=1, le=6)
    profile: Profile | None = Field(default=None, sa_type=AutoString)
    size: int = Field(ge=1, le=200)
    free: list[Daypart] = Field(default_factory=list, sa_type=JSON)
    demand: dict[ActivityKind, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, sa_type=JSON
    )
    distinct_sectors: bool = False


class SchoolClassCreate(SchoolClassBase):
    school_id: int | None = Field(default=None, description="omit as a school user: your own")


class SchoolClassUpdate(UpdateBody):
    year: int | None = Field(default=None, ge=1, le=6)
    profile: Profile | None = None
    size: int | None = Field(default=None, ge=1, le=200)
    free: list[Daypart] | None = None
    demand: dict[ActivityKind, Annotated[int, Field(ge=0)]] | None = None
    distinct_sectors: bool | None = None


class SchoolClass(SchoolClassBase, Versioned, table=True):
    __tablename__ = "school_class"
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)


class SchoolClassPublic(SchoolClassBase):
    id: int
    school_id: int
    version: int


class TeacherBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    name: Name = Field(sa_type=AutoString)
    free: list[Daypart] = Field(default_factory=list, sa_type=JSON)
    demand: dict[ActivityKind, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, sa_type=JSON
    )
    sectors: list[Name] = Field(default_factory=list, sa_type=JSON)
    escort: bool = Field(default=True, description="may escort its school's excursions")


class TeacherCreate(TeacherBase):
    school_id: int | None = Field(default=None, description="omit as a school user: your own")


class TeacherUpdate(UpdateBody):
    name: Name | None = None
    free: list[Daypart] | None = None
    demand: dict[ActivityKind, Annotated[int, Field(ge=0)]] | None = None
    sectors: list[Name] | None = None
    escort: bool | None = None


class Teacher(TeacherBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)


class TeacherPublic(TeacherBase):
    id: int
    school_id: int
    version: int


class PupilBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    first_name: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        sa_type=AutoString
    )
    profile: Profile = Field(sa_type=AutoString)
    track: Track = Field(sa_type=AutoString)
    year: int = Field(ge=1, le=6)
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lon: float | None = Field(default=None, ge=-180, le=180)
    mode: Mode | None = Field(default=None, sa_type=AutoString)
    max_travel_min: int | None = Field(default=None, ge=0, le=600)
    preferences: list[Code] = Field(default_factory=list, sa_type=JSON)
    accept_unranked: bool = True
    priority: int = Field(default=1, ge=0, le=1000)
    periods: list[Period] | None = Field(default=None, sa_type=JSON)
    class_id: int | None = Field(default=None, foreign_key="school_class.id")

    @field_validator("home_lon")
    @classmethod
    def _home_whole(cls, lon: float | None, info: Any) -> float | None:
        """A home is both coordinates or neither; the error's own type lets a page say so in
        its language (`invalid.home_pair`), which a bare `value_error` could not."""
        if (lon is None) != (info.data.get("home_lat") is None):
            raise PydanticCustomError("home_pair", "give home_lat and home_lon together")
        return lon


class PupilCreate(PupilBase):
    school_id: int | None = Field(default=None, description="omit as a school user: your own")


class PupilUpdate(UpdateBody):
    first_name: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    profile: Profile | None = None
    track: Track | None = None
    year: int | None = Field(default=None, ge=1, le=6)
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lon: float | None = Field(default=None, ge=-180, le=180)
    mode: Mode | None = None
    max_travel_min: int | None = Field(default=None, ge=0, le=600)
    preferences: list[Code] | None = None
    accept_unranked: bool | None = None
    priority: int | None = Field(default=None, ge=0, le=1000)
    periods: list[Period] | None = None
    class_id: int | None = None


class Pupil(PupilBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)


class PupilPublic(PupilBase):
    id: int
    school_id: int
    version: int


class PupilMinimal(SQLModel):
    """All a company sees of a pupil placed with it: no home, no track, no preferences."""

    student: str
    first_name: str
    school: str
    profile: str
    placement: str
    period: str


class AssignmentPublic(SQLModel):
    """A published assignment as the bureau, and a school for its own pupils, see it."""

    student: str
    placement: str
    company: str
    period: str
    rank: int | None = None
    travel_min: int | None = None
    cost: int | None = None
    company_name: str = ""


class ElectiveBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    name: str = Field(default="", max_length=200, sa_type=AutoString)
    slot: WeeklySlot = Field(sa_type=AutoString)
    capacity: int = Field(ge=0, le=1000)
    profiles: list[Profile] = Field(default_factory=list, sa_type=JSON)


class ElectiveCreate(ElectiveBase):
    school_id: int | None = Field(default=None, description="omit as a school user: your own")


class ElectiveUpdate(UpdateBody):
    name: str | None = Field(default=None, max_length=200)
    slot: WeeklySlot | None = None
    capacity: int | None = Field(default=None, ge=0, le=1000)
    profiles: list[Profile] | None = None


class Elective(ElectiveBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)


class ElectivePublic(ElectiveBase):
    id: int
    school_id: int
    version: int


class ElectiveRequestBase(SQLModel):
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    choices: list[Code] = Field(min_length=1, max_length=20, sa_type=JSON)
    count: int = Field(default=1, ge=1, le=10)


class ElectiveRequestCreate(ElectiveRequestBase):
    pass


class ElectiveRequestUpdate(UpdateBody):
    choices: list[Code] | None = Field(default=None, min_length=1, max_length=20)
    count: int | None = Field(default=None, ge=1, le=10)


class ElectiveRequest(ElectiveRequestBase, Versioned, table=True):
    __tablename__ = "elective_request"
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)


class ElectiveRequestPublic(ElectiveRequestBase):
    id: int
    school_id: int
    version: int


class PupilPairBase(SQLModel):
    kind: PairKind = Field(sa_type=enum_type(PairKind))
    # Deleting (or erasing) a pupil takes its pairs along: a pair of one pupil means nothing.
    pupil_a_id: int = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)
    pupil_b_id: int = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)


class PupilPairCreate(PupilPairBase):
    pass


class PupilPairUpdate(UpdateBody):
    kind: PairKind | None = None
    pupil_a_id: int | None = None
    pupil_b_id: int | None = None


class PupilPair(PupilPairBase, Versioned, table=True):
    """A `together` or `apart` rule between two pupils of a region (SPEC section 3).

    Stored with `pupil_a_id < pupil_b_id`, one rule per two pupils (so never both together and
    apart). `school_id` is the school of both pupils; a pair across two schools has none and only
    the bureau sees and changes it.
    """

    __tablename__ = "pupil_pair"
    __table_args__ = (UniqueConstraint("pupil_a_id", "pupil_b_id"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)


class PupilPairPublic(PupilPairBase):
    id: int
    school_id: int | None
    version: int


# --- companies and their capacity -------------------------------------------------------------


class CompanyBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    name: Name = Field(sa_type=AutoString)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    sectors: list[Name] = Field(default_factory=list, sa_type=JSON)
    max_students: int | None = Field(default=None, ge=0, le=10000)
    hours_per_month: int | None = Field(default=None, ge=0, le=1000)
    contact: str = Field(default="", max_length=200, sa_type=AutoString)
    # On any one day at most this many of its pupils on placement (SPEC section 8).
    max_concurrent: int | None = Field(default=None, ge=1, le=10000)
    # Street, number, postcode and place, for the LOCATION of calendar events held here.
    address: str | None = Field(default=None, max_length=200, sa_type=AutoString)


class CompanyCreate(CompanyBase):
    pass


class CompanyUpdate(UpdateBody):
    name: Name | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    sectors: list[Name] | None = None
    max_students: int | None = Field(default=None, ge=0, le=10000)
    hours_per_month: int | None = Field(default=None, ge=0, le=1000)
    contact: str | None = Field(default=None, max_length=200)
    max_concurrent: int | None = Field(default=None, ge=1, le=10000)
    address: str | None = Field(default=None, max_length=200)


class Company(CompanyBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)


class CompanyPublic(CompanyBase):
    id: int
    region_id: int
    version: int


class PlacementBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    title: str = Field(default="", max_length=200, sa_type=AutoString)
    capacity: dict[Period, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=dict, sa_type=JSON
    )
    profiles: list[Profile] = Field(default_factory=list, sa_type=JSON)
    tracks: list[Track] = Field(default_factory=list, sa_type=JSON)
    min_year: int = Field(default=0, ge=0, le=6)
    min_students: int = Field(default=0, ge=0, le=1000)
    # In-kind supervision hours per pupil placed, for the cofinancing report.
    hours_per_pupil: float = Field(default=16.0, ge=0, le=2000)


class PlacementCreate(PlacementBase):
    company_id: int | None = Field(default=None, description="omit as a company user: your own")


class PlacementUpdate(UpdateBody):
    title: str | None = Field(default=None, max_length=200)
    capacity: dict[Period, Annotated[int, Field(ge=0, le=1000)]] | None = None
    profiles: list[Profile] | None = None
    tracks: list[Track] | None = None
    min_year: int | None = Field(default=None, ge=0, le=6)
    min_students: int | None = Field(default=None, ge=0, le=1000)
    hours_per_pupil: float | None = Field(default=None, ge=0, le=2000)


class Placement(PlacementBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)


class PlacementPublic(PlacementBase):
    id: int
    company_id: int
    version: int


class OfferBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    kind: ActivityKind = Field(sa_type=AutoString)
    sectors: list[Name] = Field(default_factory=list, sa_type=JSON)
    profiles: list[Profile] = Field(default_factory=list, sa_type=JSON)
    available: list[Daypart] = Field(default_factory=list, sa_type=JSON)
    max_group_size: int | None = Field(default=None, ge=1, le=1000)
    hours: int | None = Field(default=None, ge=0, le=100)
    max_per_month: int | None = Field(default=None, ge=0, le=100)
    max_travel_min: int | None = Field(default=None, ge=0, le=600)


class OfferCreate(OfferBase):
    company_id: int | None = Field(default=None, description="omit as a company user: your own")


class OfferUpdate(UpdateBody):
    sectors: list[Name] | None = None
    profiles: list[Profile] | None = None
    available: list[Daypart] | None = None
    max_group_size: int | None = Field(default=None, ge=1, le=1000)
    hours: int | None = Field(default=None, ge=0, le=100)
    max_per_month: int | None = Field(default=None, ge=0, le=100)
    max_travel_min: int | None = Field(default=None, ge=0, le=600)


class Offer(OfferBase, Versioned, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)


class OfferPublic(OfferBase):
    id: int
    company_id: int
    version: int


# --- event days (problem D) -------------------------------------------------------------------

ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
EventRound = Annotated[int, Field(ge=1, le=12)]


class EventBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    name: Name = Field(sa_type=AutoString)
    date: IsoDate = Field(sa_type=AutoString)
    rounds: int = Field(ge=1, le=12)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    # When the rounds are (for the programmes and the cofinancing hours; not the solver's).
    start_time: ClockTime | None = Field(default=None, sa_type=AutoString)
    round_minutes: int | None = Field(default=None, ge=5, le=480)
    changeover_minutes: int = Field(default=0, ge=0, le=120)
    # The round whose solution holds this event's carrousel; none: the newest that has it.
    round_id: int | None = Field(default=None, foreign_key="round.id")


class EventCreate(EventBase):
    pass


class EventUpdate(UpdateBody):
    name: Name | None = None
    date: IsoDate | None = None
    rounds: int | None = Field(default=None, ge=1, le=12)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    start_time: ClockTime | None = None
    round_minutes: int | None = Field(default=None, ge=5, le=480)
    changeover_minutes: int | None = Field(default=None, ge=0, le=120)
    round_id: int | None = None


class Event(EventBase, Versioned, table=True):
    """An event day of the region (a techniekdag, a bedrijvencarrousel), SPEC section 9."""

    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)


class EventPublic(EventBase):
    id: int
    region_id: int
    version: int


class EventSessionBase(SQLModel):
    code: Code = Field(sa_type=AutoString, index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    title: str = Field(default="", max_length=200, sa_type=AutoString)
    capacity: int = Field(ge=0, le=1000)
    # The rounds the session runs in; none: every round of the event.
    rounds: list[EventRound] | None = Field(default=None, sa_type=JSON)
    sectors: list[Name] = Field(default_factory=list, sa_type=JSON)
    profiles: list[Profile] = Field(default_factory=list, sa_type=JSON)


class EventSessionCreate(EventSessionBase):
    company_id: int | None = Field(default=None, description="omit as a company user: your own")


class EventSessionUpdate(UpdateBody):
    title: str | None = Field(default=None, max_length=200)
    capacity: int | None = Field(default=None, ge=0, le=1000)
    rounds: list[EventRound] | None = None
    sectors: list[Name] | None = None
    profiles: list[Profile] | None = None


class EventSession(EventSessionBase, Versioned, table=True):
    """A company's session at an event day: pupils attend it in one of its rounds."""

    __tablename__ = "event_session"
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)


class EventSessionPublic(EventSessionBase):
    id: int
    company_id: int
    version: int


class EventRequestBase(SQLModel):
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    # Session codes, first choice first.
    choices: list[Code] = Field(min_length=1, max_length=20, sa_type=JSON)
    # How many sessions the pupil attends; none: one in every round of the event.
    count: int | None = Field(default=None, ge=1, le=12)
    distinct_sectors: bool = False


class EventRequestCreate(EventRequestBase):
    pass


class EventRequestUpdate(UpdateBody):
    choices: list[Code] | None = Field(default=None, min_length=1, max_length=20)
    count: int | None = Field(default=None, ge=1, le=12)
    distinct_sectors: bool | None = None


class EventRequest(EventRequestBase, Versioned, table=True):
    """A pupil's ranked session choices at one event day (one request per pupil and event)."""

    __tablename__ = "event_request"
    __table_args__ = (UniqueConstraint("pupil_id", "event_id"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)


class EventRequestPublic(EventRequestBase):
    id: int
    school_id: int
    version: int


# --- rounds, solve jobs and solution versions --------------------------------------------------


class RoundBase(SQLModel):
    name: Name = Field(sa_type=AutoString)


class RoundCreate(RoundBase):
    pass


class Round(RoundBase, Versioned, table=True):
    """A frozen snapshot of the region as a SPEC round document, and where its solving stands."""

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    status: RoundStatus = Field(default=RoundStatus.draft, sa_type=enum_type(RoundStatus))
    document: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    proposal_version_id: int | None = Field(default=None)
    published_version_id: int | None = Field(default=None)
    # By when the companies answer what the last publication assigned them (SPEC section 7).
    answer_deadline: date | None = Field(default=None)


class RoundPublic(RoundBase):
    id: int
    region_id: int
    status: RoundStatus
    version: int
    created_at: datetime
    proposal_version_id: int | None
    published_version_id: int | None
    answer_deadline: date | None = None
    students: int = 0
    placements: int = 0


class PinBase(SQLModel):
    student: Code = Field(sa_type=AutoString)
    placement: Code = Field(sa_type=AutoString)
    period: Period = Field(sa_type=AutoString)


class PinCreate(PinBase):
    pass


class Pin(PinBase, table=True):
    """An assignment the bureau fixed: every re-solve keeps it."""

    __table_args__ = (UniqueConstraint("round_id", "student"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class PinPublic(PinBase):
    id: int
    round_id: int


_ACTIVE = "status IN (" + ", ".join(f"'{s.value}'" for s in ACTIVE_JOB_STATUSES) + ")"
# The one-more-seat advice changes no round: it runs beside a solve, one at a time per round.
_ACTIVE_JOB = sa.text(f"{_ACTIVE} AND kind != '{JobKind.advice.value}'")
_ACTIVE_ADVICE = sa.text(f"{_ACTIVE} AND kind = '{JobKind.advice.value}'")


class Job(SQLModel, table=True):
    """A solve in the background, stored so a crash or a restart can be seen and recovered.

    At most one job per round is queued or running: a partial unique index holds it in the
    database itself, so two requests racing to start one cannot both succeed. The advice
    (`JobKind.advice`) writes no version, so it has an index of its own and runs beside them.
    """

    __table_args__ = (
        sa.Index(
            "ix_job_one_active_per_round",
            "round_id",
            unique=True,
            sqlite_where=_ACTIVE_JOB,
            postgresql_where=_ACTIVE_JOB,
        ),
        sa.Index(
            "ix_job_one_advice_per_round",
            "round_id",
            unique=True,
            sqlite_where=_ACTIVE_ADVICE,
            postgresql_where=_ACTIVE_ADVICE,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    kind: JobKind = Field(sa_type=enum_type(JobKind))
    status: JobStatus = Field(default=JobStatus.queued, sa_type=enum_type(JobStatus), index=True)
    phase: str = Field(default="queued", sa_type=AutoString)
    elapsed: float = 0.0
    best_objective: float | None = None
    bound: float | None = None
    message: str = Field(default="", sa_type=AutoString)
    # What the solve starts from: pins, declines and the version it re-solves (JSON).
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    runner: str = Field(default="local", sa_type=AutoString)  # local | celery | inline
    worker: str = Field(default="", sa_type=AutoString)  # pid or task id
    # The worker that holds the job: set when it claims the job, compared in the same UPDATE
    # that writes its result, so a worker given up on (restart, redelivery) writes nothing.
    attempt: str = Field(default="", sa_type=AutoString)
    # The process group of a local worker (its own session), ended at the next start-up.
    process_group: int | None = None
    cancel_requested: bool = False
    result_version_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None


class JobPublic(SQLModel):
    id: int
    round_id: int
    kind: JobKind
    status: JobStatus
    phase: str
    elapsed: float
    best_objective: float | None
    bound: float | None
    message: str
    cancel_requested: bool
    result_version_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class SolutionVersion(SQLModel, table=True):
    """One solution of a round with the exact round document it solves (a verifiable pair).

    Published versions are never changed again; a new publication adds a new row.
    """

    __tablename__ = "solution_version"
    __table_args__ = (UniqueConstraint("round_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    number: int
    state: VersionState = Field(default=VersionState.proposal, sa_type=enum_type(VersionState))
    kind: JobKind = Field(sa_type=enum_type(JobKind))
    round_document: dict[str, Any] = Field(sa_type=JSON)
    solution: dict[str, Any] = Field(sa_type=JSON)
    # Assignments that differ from the version it re-solved (None for a fresh solve).
    changes: int | None = None
    based_on_id: int | None = None
    job_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    published_by_id: int | None = Field(default=None, foreign_key="user.id")

    @property
    def document(self) -> Solution:
        """The stored solution as the typed document the solver wrote (`contract.solution`),
        so every key a reader takes from it is checked."""
        return cast("Solution", self.solution)


class SolutionVersionPublic(SQLModel):
    id: int
    round_id: int
    number: int
    state: VersionState
    kind: JobKind
    changes: int | None
    based_on_id: int | None
    created_at: datetime
    published_at: datetime | None
    status: str
    objective: dict[str, Any]
    placed: int
    unplaced: int


class ResponseBase(SQLModel):
    student: Code = Field(sa_type=AutoString)
    status: ResponseStatus = Field(sa_type=enum_type(ResponseStatus))
    reason: str = Field(default="", max_length=500, sa_type=AutoString)


class ResponseCreate(ResponseBase):
    pass


class CompanyResponse(ResponseBase, table=True):
    """A company's confirmation or decline of one published assignment."""

    __tablename__ = "company_response"
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    version_id: int = Field(foreign_key="solution_version.id")
    company_id: int = Field(foreign_key="company.id", index=True)
    placement: str = Field(sa_type=AutoString)
    period: str = Field(sa_type=AutoString)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class CompanyResponsePublic(ResponseBase):
    id: int
    round_id: int
    version_id: int
    company_id: int
    placement: str
    period: str
    created_at: datetime


class ActivityResponseCreate(SQLModel):
    """A company's answer to one published activity, named as the solution names it."""

    requester: Code = Field(sa_type=AutoString, description="the class or teacher")
    offer: Code = Field(sa_type=AutoString)
    date: IsoDate = Field(sa_type=AutoString)
    daypart: HalfDay = Field(sa_type=AutoString)
    status: ResponseStatus = Field(sa_type=enum_type(ResponseStatus))
    reason: str = Field(default="", max_length=500, sa_type=AutoString)


class ActivityResponse(ActivityResponseCreate, table=True):
    """A company's confirmation or decline of one published class or teacher activity."""

    __tablename__ = "activity_response"
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    version_id: int = Field(foreign_key="solution_version.id")
    company_id: int = Field(foreign_key="company.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class ActivityResponsePublic(ActivityResponseCreate):
    id: int
    round_id: int
    version_id: int
    company_id: int
    created_at: datetime


class Decline(SQLModel, table=True):
    """A company's standing "not this pupil" (SPEC section 7): from the moment it is said, every
    solve and repair of the region keeps the pupil away from the company (the pupil's
    `excluded` list), while the seat stays open to other pupils, until the bureau lifts it."""

    __tablename__ = "decline"
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id")
    reason: str = Field(default="", max_length=500, sa_type=AutoString)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    lifted_at: datetime | None = Field(default=None)
    lifted_by_id: int | None = Field(default=None, foreign_key="user.id")


class StopReason(StrEnum):
    """Why a company stops hosting pupils and visits."""

    bankrupt = "bankrupt"
    recognition_withdrawn = "recognition_withdrawn"  # SBB erkenning ingetrokken
    no_longer_hosting = "no_longer_hosting"
    other = "other"


class CompanyStopCreate(SQLModel):
    """The bureau marks a company as stopped: from `stopped_from` on it hosts no one."""

    company_id: int
    stopped_from: date = Field(description="the first day the company hosts no pupil or visit")
    reason: StopReason = Field(sa_type=enum_type(StopReason))
    note: str = Field(default="", max_length=500, sa_type=AutoString)


class CompanyStop(CompanyStopCreate, table=True):
    """A company's stop, a standing record of the region like a decline: every solve and repair
    from then on gives it no seats or visits from `stopped_from` on, until the bureau lifts it
    (possible while no repair that honoured it is published)."""

    __tablename__ = "company_stop"
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    lifted_at: datetime | None = Field(default=None)
    lifted_by_id: int | None = Field(default=None, foreign_key="user.id")


class CompanyStopPublic(CompanyStopCreate):
    id: int
    company: str = Field(description="the company's code")
    company_name: str = ""
    created_at: datetime
    lifted_at: datetime | None


class MovedSeat(SQLModel):
    placement: str
    company: str
    period: str


class MovedVisitSlot(SQLModel):
    offer: str
    company: str
    date: str
    daypart: str


class PupilMove(SQLModel):
    """A pupil a company stop displaced: its seat, its new one (`to` null: none, `reason` says
    why). A company gets no `school`, `reason` or `detail`."""

    student: str
    school: str | None = None
    from_: MovedSeat = Field(alias="from")
    to: MovedSeat | None
    reason: str | None = None
    detail: str | None = None


class VisitMove(SQLModel):
    """A class's or teacher's visit a company stop displaced, and its new visit of that kind."""

    requester: str
    kind: str
    school: str | None = None
    from_: MovedVisitSlot = Field(alias="from")
    to: MovedVisitSlot | None
    reason: str | None = None
    detail: str | None = None


class StopMovesPublic(SQLModel):
    """Who a repair after a company stop moved, in the reader's scope (`version_id` null: no
    such repair yet)."""

    version_id: int | None
    stops: list[dict[str, str]]
    pupils: list[PupilMove]
    visits: list[VisitMove]


class DeclinePublic(SQLModel):
    id: int
    pupil_id: int
    student: str = Field(description="the pupil's code")
    company_id: int
    company: str = Field(description="the company's code")
    round_id: int | None
    reason: str
    created_at: datetime
    created_by_id: int | None
    lifted_at: datetime | None


class Unanswered(SQLModel):
    """A published pupil or activity its company has not answered yet."""

    kind: Literal["pupil", "activity"]
    company_id: int
    company: str
    student: str | None = None
    placement: str | None = None
    period: str | None = None
    requester: str | None = None
    offer: str | None = None
    date: str | None = None
    daypart: str | None = None


class UnansweredPublic(SQLModel):
    """What the companies still owe the bureau for a published round, and by when."""

    answer_deadline: date | None
    overdue: bool
    items: list[Unanswered]


class PublishBody(SQLModel):
    """How the bureau publishes: by when the companies answer (default: `answer_days` on)."""

    answer_deadline: date | None = None
    proposal: int | None = Field(
        default=None,
        ge=1,
        description="the number of the proposal you reviewed: refused (409) when a newer "
        "proposal has taken its place since",
    )


# --- calendar feeds and audit -------------------------------------------------------------------


class CalendarFeed(SQLModel, table=True):
    """A subscribable calendar URL; only the SHA-256 of its secret token is stored."""

    __tablename__ = "calendar_feed"
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    party_kind: str = Field(sa_type=AutoString)  # company | school | class | teacher
    party_id: int
    token_hash: str = Field(sa_type=AutoString, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Who changed what when, with the record before and after."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, index=True)
    region_id: int | None = Field(default=None, index=True)
    action: str = Field(sa_type=AutoString)
    entity: str = Field(sa_type=AutoString)
    entity_id: str = Field(default="", sa_type=AutoString)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class AuditEntryPublic(SQLModel):
    id: int
    at: datetime
    user_id: int | None
    region_id: int | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


# --- sources of a school's data: timetable feeds and school-system files -----------------------


class SourceKind(StrEnum):
    ical = "ical"  # an `.ics` calendar (feed URL or file) of one class or teacher
    edexml = "edexml"  # an EDEXML 2.1 file: pupils, groups, teachers
    zermelo = "zermelo"
    somtoday = "somtoday"


class ImportSourceBase(SQLModel):
    kind: SourceKind = Field(sa_type=enum_type(SourceKind))
    # For a timetable of one class or teacher: which (the class's or teacher's code).
    requester_kind: Literal["class", "teacher"] | None = Field(default=None, sa_type=AutoString)
    requester_code: Code | None = Field(default=None, sa_type=AutoString)
    url: str | None = Field(default=None, max_length=2000, sa_type=AutoString)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    enabled: bool = True


class ImportSource(ImportSourceBase, Versioned, table=True):
    """Where a school's timetables or pupils come from, switched on and off by the school, with
    what its last import did (`api.imports.report.ImportReport`, stored as JSON)."""

    __tablename__ = "import_source"
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    last_import_at: datetime | None = None
    last_status: str = Field(default="", sa_type=AutoString)  # imported | refused | progress
    last_report: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # A Zermelo or Somtoday connection's credentials, sealed (`api.imports.credentials`): a
    # database copy alone opens no school's administration. None: not connected, or revoked.
    credentials: str | None = Field(default=None, sa_type=sa.Text)
    # The import running in the background (`api.services.school_sources`): what it reads now,
    # the share done, and when it began (a run older than half an hour died with its server).
    import_phase: str = Field(default="", sa_type=AutoString)
    import_progress: float = 0.0
    import_started_at: datetime | None = None


class ImportSourcePublic(ImportSourceBase):
    id: int
    school_id: int
    version: int
    last_import_at: datetime | None
    last_status: str
    last_report: dict[str, Any] | None
    # A running import's phase and share done (`api.services.import_runs`), for polling.
    import_phase: str = ""
    import_progress: float = 0.0


# --- notifications: the mail outbox and each user's choice of instant or daily mail ------------


class NotificationKind(StrEnum):
    round_published = "round_published"
    company_declined = "company_declined"
    repair_moved = "repair_moved"
    answer_deadline = "answer_deadline"
    agreement_to_sign = "agreement_to_sign"


class NotifyMode(StrEnum):
    instant = "instant"  # one mail per message, as soon as the sender runs
    digest = "digest"  # one mail a day with every message of that day


MailLanguage = Literal["nl", "en"]


class NotificationPreferenceBase(SQLModel):
    notify_mode: NotifyMode = Field(default=NotifyMode.instant, sa_type=enum_type(NotifyMode))
    # The language of the user's mail; the pages' language cookie is the browser's, not the user's.
    language: MailLanguage = Field(default="nl", sa_type=AutoString)


class NotificationPreference(NotificationPreferenceBase, table=True):
    """A user's choice of how mail reaches them; a user without a row gets instant Dutch mail."""

    __tablename__ = "notification_preference"
    user_id: int = Field(foreign_key="user.id", primary_key=True)


class NotificationPreferenceUpdate(SQLModel):
    """A user's change of their own choice; a field not named stays as it is."""

    model_config = {"extra": "forbid"}  # a misspelt field is refused, not ignored
    notify_mode: NotifyMode | None = None
    language: MailLanguage | None = None


class NotificationPreferencePublic(NotificationPreferenceBase):
    pass


class OutboxMessage(SQLModel, table=True):
    """One mail to one user, written in the transaction of the change it tells about, so a mail
    server that is down loses nothing: the sender (`api.services.outbox`) takes due rows, and a
    failure leaves the row with its error and a later `next_attempt_at`."""

    __tablename__ = "outbox_message"
    __table_args__ = (UniqueConstraint("user_id", "once_key"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind))
    subject: str = Field(sa_type=AutoString)
    body: str = Field(sa_type=sa.Text)
    link: str | None = Field(default=None, sa_type=AutoString)
    # Part of the user's daily digest (chosen when the row was written) rather than its own mail.
    digest: bool = False
    # A message that must go out only once however often its cause is seen (a deadline reminder).
    once_key: str | None = Field(default=None, sa_type=AutoString)
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime = Field(index=True)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, index=True)
    # A sender's lease on the row while it talks to the mail server; another sender skips it.
    claim: str | None = Field(default=None, sa_type=AutoString)
    claimed_until: datetime | None = None


class OutboxMessagePublic(SQLModel):
    id: int
    user_id: int
    email: str
    kind: NotificationKind
    subject: str
    created_at: datetime
    next_attempt_at: datetime
    attempts: int
    last_error: str


class TodoItem(SQLModel):
    """One line of a to-do list: what waits (`kind`, with its numbers and names in `detail`),
    how many, and the page where it is done."""

    kind: str
    count: int
    link: str
    detail: dict[str, Any] = Field(default_factory=dict)


# --- feedback after every activity (issue 16) ---------------------------------------------------


class FeedbackKind(StrEnum):
    """What a feedback item is about: a pupil's placement, a class's or teacher's activity
    (the SPEC's three kinds), or a company's session at an event day."""

    placement = "placement"
    excursion = "excursion"
    guest_lesson = "guest_lesson"
    teacher_internship = "teacher_internship"
    event_session = "event_session"


class FeedbackParty(StrEnum):
    company = "company"
    school = "school"


class Again(StrEnum):
    """Would you do it again: ja, nee, misschien on the pages."""

    yes = "yes"
    no = "no"
    maybe = "maybe"


Score = Annotated[int, Field(ge=1, le=5)]
Remark = Annotated[str, StringConstraints(max_length=300)]
ItemKey = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class FeedbackCreate(SQLModel):
    """A company's or school's short form about one published item (see `GET /feedback/items`
    for the `round_id`, `kind` and `item` of each)."""

    round_id: int
    kind: FeedbackKind = Field(sa_type=enum_type(FeedbackKind))
    item: ItemKey = Field(sa_type=AutoString, description="the item's key, as the items list it")
    score: Score = Field(description="how did it go, 1 (bad) to 5 (very good)")
    again: Again = Field(sa_type=enum_type(Again), description="would you do it again")
    level_ok: bool | None = Field(
        default=None, description="a school only: was the programme right for the pupils' level"
    )
    remark: Remark = Field(default="", sa_type=AutoString, description="read by the bureau only")


class FeedbackUpdate(UpdateBody):
    score: Score | None = None
    again: Again | None = None
    level_ok: bool | None = None
    remark: Remark | None = None


class Feedback(FeedbackCreate, Versioned, table=True):
    """One party's answer about one published item: the item's company answers once, and
    every school whose class, teacher or pupils took part answers once."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("round_id", "kind", "item", "party", "party_id"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    party: FeedbackParty = Field(sa_type=enum_type(FeedbackParty))
    # The answering company's or school's id: one answer per party per item.
    party_id: int
    company_id: int = Field(foreign_key="company.id", index=True)  # the item's company
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime | None = None


class FeedbackPublic(SQLModel):
    id: int
    round_id: int
    kind: FeedbackKind
    item: str
    party: FeedbackParty
    company: str = Field(description="the item's company (code)")
    school: str | None = Field(description="the answering school (code); null for a company")
    score: int
    again: Again
    level_ok: bool | None
    remark: str | None = Field(description="null where only the bureau reads it")
    version: int
    created_at: datetime


class PupilFeedbackCreate(SQLModel):
    """A pupil's three questions, filled in by its school, by pupil code (no name)."""

    round_id: int
    kind: FeedbackKind = Field(sa_type=enum_type(FeedbackKind))
    item: ItemKey = Field(sa_type=AutoString)
    pupil: Code = Field(sa_type=AutoString, description="the pupil's code")
    learned: Score = Field(description="what did you learn, 1 (nothing) to 5 (a lot)")
    interesting: Score = Field(description="was it interesting, 1 (not at all) to 5 (very)")
    recommend: bool = Field(description="would you recommend it to another pupil")


class PupilFeedbackUpdate(UpdateBody):
    learned: Score | None = None
    interesting: Score | None = None
    recommend: bool | None = None


class PupilFeedback(Versioned, table=True):
    """A pupil's answers about one item. Only its school reads them one by one; companies and
    the bureau read them aggregated over at least five pupils."""

    __tablename__ = "pupil_feedback"
    __table_args__ = (UniqueConstraint("round_id", "kind", "item", "pupil_id"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    kind: FeedbackKind = Field(sa_type=enum_type(FeedbackKind))
    item: str = Field(sa_type=AutoString)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    learned: int
    interesting: int
    recommend: bool
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime | None = None


class PupilFeedbackPublic(SQLModel):
    id: int
    round_id: int
    kind: FeedbackKind
    item: str
    pupil: str
    learned: int
    interesting: int
    recommend: bool
    version: int


class FeedbackItemPublic(SQLModel):
    """A published item feedback is given about, in the reader's scope."""

    round_id: int
    kind: FeedbackKind
    item: str = Field(
        description="the key a form names: the pupil, requester/offer/date/daypart or event/session"
    )
    company: str
    company_name: str = ""
    schools: list[str] = Field(description="the schools taking part")
    requester: str | None = None
    student: str | None = None
    event: str | None = None
    session: str | None = None
    date: str | None = Field(description="the day it took place or ended; null: undated")
    due: bool = Field(description="it has taken place: feedback may be given")
    answered: bool | None = Field(description="your party answered it (null for the bureau)")


class FeedbackFigures(SQLModel):
    """How one side's answers add up."""

    answers: int = 0
    mean_score: float | None = None
    again_share: float | None = Field(default=None, description="share answering yes")
    level_ok_share: float | None = None


class PupilFigures(SQLModel):
    """The pupils' answers added up; null figures below the threshold (no pupil identifiable)."""

    answers: int = 0
    mean_learned: float | None = None
    mean_interesting: float | None = None
    recommend_share: float | None = None


class FeedbackRow(SQLModel):
    company: str
    company_name: str
    kind: FeedbackKind
    company_side: FeedbackFigures
    school_side: FeedbackFigures
    pupils: PupilFigures


class SaidNo(SQLModel):
    """An item where a side would not do it again."""

    round_id: int
    kind: FeedbackKind
    item: str
    company: str
    company_again: Again | None
    school_again: list[Again]


class FeedbackOverview(SQLModel):
    rows: list[FeedbackRow]
    said_no: list[SaidNo]
    pupil_threshold: int


# --- the bureau's menu of demand and the companies' sign-ups (menukaart, intekenlijst) ------


class MenuItemStatus(StrEnum):
    draft = "draft"  # generated or edited; only the bureau sees it
    published = "published"  # on the menu: companies sign up, schools read it


class MenuItemBase(SQLModel):
    """What the bureau says it needs, in the words it publishes: editable after generation."""

    title: Name = Field(sa_type=AutoString)
    description: str = Field(default="", max_length=2000, sa_type=AutoString)
    window_start: date
    window_end: date
    # How many activities (groups) the bureau wants companies to offer for the item.
    wanted: int = Field(ge=0, le=10000)
    sectors: list[Name] = Field(default_factory=list, sa_type=JSON)


class MenuItemUpdate(UpdateBody):
    title: Name | None = None
    description: str | None = Field(default=None, max_length=2000)
    window_start: date | None = None
    window_end: date | None = None
    wanted: int | None = Field(default=None, ge=0, le=10000)
    sectors: list[Name] | None = None


class MenuItem(MenuItemBase, Versioned, table=True):
    """One line of the region's menu: demand of one kind, profile or sectors and window,
    counted from the schools' classes and teachers (`api.services.menu.generate`)."""

    __tablename__ = "menu_item"
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    code: Code = Field(sa_type=AutoString)
    # What generation grouped on (kind, profile, teachers' sectors, window as generated), so a
    # new generation refreshes this item's counts even after the bureau edited its window.
    group_key: str = Field(sa_type=AutoString)
    kind: ActivityKind = Field(sa_type=AutoString)
    profile: Profile | None = Field(default=None, sa_type=AutoString)
    requesters: int = 0  # classes or teachers asking
    activities: int = 0  # activities they ask for in all
    schools: int = 0  # schools they belong to (a count only: no names on the menu)
    status: MenuItemStatus = Field(default=MenuItemStatus.draft, sa_type=enum_type(MenuItemStatus))
    published_at: datetime | None = None


class MenuItemPublic(MenuItemBase):
    id: int
    code: str
    kind: str
    profile: str | None
    requesters: int
    activities: int
    schools: int
    status: MenuItemStatus
    version: int
    published_at: datetime | None
    capacity: int = Field(default=0, description="groups the standing sign-ups offer in all")
    sign_ups: int = Field(default=0, description="companies signed up")


class MenuSignUpCreate(SQLModel):
    """What a company can offer for a menu item; it becomes an offer of the item's kind."""

    company_id: int | None = Field(default=None, description="omit as a company user: your own")
    dayparts: list[Daypart] = Field(
        min_length=1,
        max_length=200,
        description="weekly (tue-pm) or dated (2027-03-11/am) dayparts within the item's "
        "window; a weekly one stands for every school day of it in the window",
    )
    max_per_month: int | None = Field(default=None, ge=1, le=100)
    max_group_size: int | None = Field(default=None, ge=1, le=1000)
    hours: int | None = Field(default=None, ge=0, le=100)
    sectors: list[Name] | None = Field(
        default=None, description="default: the item's sectors the company has, else its own"
    )


_STANDING_SIGN_UP = sa.text("withdrawn_at IS NULL AND offer_id IS NOT NULL")


class MenuSignUp(SQLModel, table=True):
    """A company's sign-up on a menu item (intekenlijst) and the offer it became.

    It stands while it is not withdrawn and its offer exists (an offer deleted by hand leaves
    it behind, `offer_id` null). One standing sign-up per company and item: a partial unique
    index holds it in the database, so two requests racing cannot both sign up.
    """

    __tablename__ = "menu_sign_up"
    __table_args__ = (
        sa.Index(
            "ix_menu_sign_up_one_standing",
            "item_id",
            "company_id",
            unique=True,
            sqlite_where=_STANDING_SIGN_UP,
            postgresql_where=_STANDING_SIGN_UP,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    item_id: int = Field(foreign_key="menu_item.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    offer_id: int | None = Field(default=None, foreign_key="offer.id", ondelete="SET NULL")
    dayparts: list[str] = Field(default_factory=list, sa_type=JSON)
    capacity: int = 0  # groups the offer can host within the window
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    withdrawn_at: datetime | None = None


class MenuSignUpPublic(SQLModel):
    id: int
    item_id: int
    item: str = Field(description="the item's code")
    company_id: int
    company: str = Field(description="the company's code")
    company_name: str = ""
    offer_id: int | None
    offer: str | None = Field(description="the offer's code")
    dayparts: list[str]
    capacity: int
    created_at: datetime
    withdrawn_at: datetime | None


# --- placement requests: a pupil's way into a round and on to a signed agreement ---------------


class RequestStatus(StrEnum):
    """Where a pupil's placement request stands; the allowed steps between these are one table,
    `api.services.request_statuses.TRANSITIONS`."""

    draft = "draft"  # the school (or the pupil with it) fills in the wishes
    submitted = "submitted"  # handed to the mentor
    approved = "approved"  # the mentor agreed: the request enters the round's next solve
    in_round = "in_round"  # a solve of the round started with it: locked
    placed = "placed"  # the published round placed the pupil
    unplaced = "unplaced"  # the published round found no seat: the school looks further
    declined = "declined"  # the company declined the pupil: it needs a new placement
    confirmed = "confirmed"  # the company confirmed the pupil
    agreement_signed = "agreement_signed"  # the placement agreement is signed
    done = "done"  # the placement is over (the school closes the request)
    withdrawn = "withdrawn"  # the school took the request back before the round solved


# One request per pupil and round that is not withdrawn: a partial unique index decides, so two
# requests racing past the service's check cannot both be stored.
_OPEN_REQUEST = sa.text(f"status != '{RequestStatus.withdrawn.value}'")


class PlacementRequestBase(SQLModel):
    # The wishes this request enters the round with: placement codes, first choice first.
    preferences: list[Code] = Field(default_factory=list, sa_type=JSON)
    accept_unranked: bool = True


class PlacementRequestCreate(SQLModel):
    pupil_id: int
    round_id: int
    preferences: list[Code] | None = Field(
        default=None, description="omit: the pupil's wishes as stored now"
    )
    accept_unranked: bool | None = Field(default=None, description="omit: the pupil's own")


class PlacementRequestUpdate(UpdateBody):
    preferences: list[Code] | None = None
    accept_unranked: bool | None = None


class RequestStep(UpdateBody):
    """The body of a step (submit, approve, return, withdraw, done): the version the client
    read, and for a return the mentor's word on what to change."""

    note: str = Field(default="", max_length=500)


class PlacementRequest(PlacementRequestBase, Versioned, table=True):
    """A pupil's request for a placement in one round, with when each step was taken."""

    __tablename__ = "placement_request"
    __table_args__ = (
        sa.Index(
            "ix_placement_request_one_open",
            "pupil_id",
            "round_id",
            unique=True,
            sqlite_where=_OPEN_REQUEST,
            postgresql_where=_OPEN_REQUEST,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    pupil_id: int = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    status: RequestStatus = Field(default=RequestStatus.draft, sa_type=enum_type(RequestStatus))
    status_since: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=500, sa_type=AutoString)
    # Where the last publication of the round placed the pupil (none: not placed).
    placement: str | None = Field(default=None, sa_type=AutoString)
    period: str | None = Field(default=None, sa_type=AutoString)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    placed_at: datetime | None = None
    confirmed_at: datetime | None = None
    signed_at: datetime | None = None
    done_at: datetime | None = None


class PlacementRequestPublic(PlacementRequestBase):
    id: int
    pupil_id: int
    student: str = Field(description="the pupil's code")
    school_id: int
    round_id: int
    status: RequestStatus
    status_since: datetime
    stuck: bool = Field(description="waiting too long in draft or submitted, unplaced or declined")
    note: str
    placement: str | None
    period: str | None
    version: int
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    approved_by_id: int | None
    placed_at: datetime | None
    confirmed_at: datetime | None
    signed_at: datetime | None
    done_at: datetime | None


class SchoolRequestCounts(SQLModel):
    """One school's requests of a round: how many per status, and how many are stuck."""

    school_id: int
    school: str
    name: str
    counts: dict[RequestStatus, int]
    stuck: int


class RequestOverview(SQLModel):
    round_id: int
    stuck_days: int
    schools: list[SchoolRequestCounts]


# --- placement agreements (stageovereenkomst) and the birth dates they need (issue 16) ---------

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TimeOfDay = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
PersonName = Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]


class AgreementStatus(StrEnum):
    open = "open"  # being filled in and signed
    signed = "signed"  # every party has signed
    withdrawn = "withdrawn"  # the company declined the pupil after confirming


class AgreementParty(StrEnum):
    school = "school"
    company = "company"
    pupil = "pupil"
    parent = "parent"  # a parent or guardian: required when the pupil is under 16 at the start


class PupilBirthDate(SQLModel, table=True):
    """A pupil's birth date, kept apart from the pupil record: only for a pupil with a confirmed
    placement (the working-time rules need its age), read and written by its school alone."""

    __tablename__ = "pupil_birth_date"
    pupil_id: int = Field(foreign_key="pupil.id", primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    birth_date: date
    version: int = Field(default=1, ge=1)


class BirthDateBody(SQLModel):
    birth_date: date
    version: int | None = Field(default=None, ge=1, description="required when one is stored")


class BirthDatePublic(SQLModel):
    pupil_id: int
    birth_date: date
    version: int


class AgreementSchedule(SQLModel):
    """What the company enters: when and how long the pupil works, and who supervises it."""

    first_day: date | None = None
    last_day: date | None = None
    weekdays: list[Weekday] | None = None
    day_start: TimeOfDay | None = None
    day_end: TimeOfDay | None = None
    break_minutes: int | None = Field(default=None, ge=0, le=240)
    supervisor_name: str | None = Field(default=None, max_length=120)
    supervisor_phone: str | None = Field(default=None, max_length=40)
    supervisor_email: str | None = Field(default=None, max_length=200)


class AgreementSchoolPart(SQLModel):
    """What the school enters: its contact, and the lessons that count as working time."""

    school_contact_name: str | None = Field(default=None, max_length=120)
    school_contact_phone: str | None = Field(default=None, max_length=40)
    school_contact_email: str | None = Field(default=None, max_length=200)
    school_hours_per_day: float | None = Field(default=None, ge=0, le=12)
    school_hours_per_week: float | None = Field(default=None, ge=0, le=60)


class AgreementUpdate(AgreementSchedule, AgreementSchoolPart, UpdateBody):
    pass


class Agreement(Versioned, table=True):
    """The three-party placement agreement of one confirmed placement. No pupil name: the
    printed agreement leaves a line for it. Signatures: party -> {user_id, name, at}."""

    __table_args__ = (UniqueConstraint("round_id", "pupil_id", "placement", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    version_id: int = Field(foreign_key="solution_version.id")
    school_id: int = Field(foreign_key="school.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    student: str = Field(sa_type=AutoString)
    placement: str = Field(sa_type=AutoString)
    period: str = Field(sa_type=AutoString)
    status: AgreementStatus = Field(
        default=AgreementStatus.open, sa_type=enum_type(AgreementStatus), index=True
    )
    first_day: date | None = None
    last_day: date | None = None
    weekdays: list[str] = Field(default_factory=list, sa_type=JSON)
    # The round calendar's holiday ranges [first, last]: no placement day falls in them.
    holidays: list[list[str]] = Field(default_factory=list, sa_type=JSON)
    day_start: str = Field(default="08:30", sa_type=AutoString)
    day_end: str = Field(default="16:00", sa_type=AutoString)
    break_minutes: int = 30
    supervisor_name: str = Field(default="", sa_type=AutoString)
    supervisor_phone: str = Field(default="", sa_type=AutoString)
    supervisor_email: str = Field(default="", sa_type=AutoString)
    school_contact_name: str = Field(default="", sa_type=AutoString)
    school_contact_phone: str = Field(default="", sa_type=AutoString)
    school_contact_email: str = Field(default="", sa_type=AutoString)
    school_hours_per_day: float = 0.0
    school_hours_per_week: float = 0.0
    signatures: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    signed_at: datetime | None = None


class SignatureBody(SQLModel):
    party: AgreementParty
    name: PersonName = Field(description="the name of the person who signs, as typed")
    version: int = Field(ge=1, description="the agreement's version as last read; 409 if stale")


class AgreementProblem(SQLModel):
    """Why the agreement cannot be signed yet: a working-time rule broken (`rule` with its day
    or week and hours) or something missing (`rule` "missing", `field`)."""

    rule: str
    field: str = ""
    day: date | None = None
    week: str = ""
    hours: float | None = None
    limit: float | None = None


class AgreementPublic(SQLModel):
    id: int
    round_id: int
    school_id: int
    company_id: int
    pupil_id: int
    student: str
    placement: str
    period: str
    status: AgreementStatus
    first_day: date | None
    last_day: date | None
    weekdays: list[str]
    days: list[date] = []
    day_start: str
    day_end: str
    break_minutes: int
    supervisor_name: str
    supervisor_phone: str
    supervisor_email: str
    school_contact_name: str
    school_contact_phone: str
    school_contact_email: str
    school_hours_per_day: float
    school_hours_per_week: float
    signatures: dict[str, Any]
    parties: list[AgreementParty] = []  # who must sign (a parent only for a pupil under 16)
    problems: list[AgreementProblem] = []
    version: int
    created_at: datetime
    signed_at: datetime | None


class VersionSummary(SQLModel, table=True):
    """What the bureau's round page shows of one solution version as a whole, computed once
    from its round document and solution (`api.version_index`): reading a region's documents
    on every view would cost seconds at 20,000 pupils."""

    __tablename__ = "version_summary"
    version_id: int = Field(foreign_key="solution_version.id", primary_key=True)
    status: str = Field(sa_type=AutoString)  # the solution's: OPTIMAL, FEASIBLE, ...
    students: int
    placements: int
    placed: int
    unplaced: int
    # Planned class and teacher activities: without any, no timetable can clash with the version.
    activities: int
    # Classes and teachers in the round: without any, a school's results have no class part.
    requesters: int
    # Per school: pupils, placed, share and unplaced by reason (`api.version_index.coverage`).
    coverage: list[dict[str, Any]] = Field(sa_type=JSON)
    # Only companies with pupils or activity hours, fullest first (`company_load`).
    load: list[dict[str, Any]] = Field(sa_type=JSON)
    # The values the pupil lists filter on: schools and companies as [code, name], reasons,
    # profiles.
    facets: dict[str, Any] = Field(sa_type=JSON)
    # Seats taken per "placement|period" and pupils per company: what a pin choice shows.
    taken: dict[str, Any] = Field(sa_type=JSON)
    # The round document without its pupils: what one pupil's pin choices are checked against.
    offer: dict[str, Any] = Field(sa_type=JSON)


class VersionPupil(SQLModel, table=True):
    """One pupil of a solution version as the round page lists it: a page of the list is one
    query with its filters, not a pass over every pupil of the region."""

    __tablename__ = "version_pupil"
    __table_args__ = (sa.Index("ix_version_pupil_list", "version_id", "placed", "student"),)
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="solution_version.id")
    student: str = Field(sa_type=AutoString)
    school: str = Field(sa_type=AutoString)
    profile: str = Field(sa_type=AutoString)
    placed: bool
    company: str = Field(default="", sa_type=AutoString)
    placement: str = Field(default="", sa_type=AutoString)
    period: str = Field(default="", sa_type=AutoString)
    rank: int | None = None
    travel_min: int | None = None
    reason: str = Field(default="", sa_type=AutoString)
    detail: str = Field(default="", sa_type=sa.Text)
    # The detail as the solver derived it, a `scheduler.said.Said` as JSON (`to_json`): pages
    # render it in their language. None when the solver did not write the entry.
    said: Any = Field(default=None, sa_type=JSON, nullable=True)
    # The pupil's record in the round document: its pin choices are computed from it alone.
    record: dict[str, Any] = Field(sa_type=JSON)


# --- school intake: a file waiting for the school's confirmation --------------------------------


class IntakeDraft(SQLModel, table=True):
    """An uploaded pupils or teachers file between its preview and the school's "Importeren":
    nothing of it is a record yet. Kept only as long as `api.services.intake.DRAFT_TTL`, and
    deleted when imported, so a pupil's extra columns (surname, address) do not linger."""

    __tablename__ = "intake_draft"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_type=AutoString, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    school_id: int = Field(foreign_key="school.id")
    kind: str = Field(sa_type=AutoString)
    file_name: str = Field(sa_type=AutoString)
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utcnow)


# --- the bureau's dashboard: what the round page shows beyond pupils and companies -----------


class VersionDashboard(SQLModel, table=True):
    """The round page's dashboard of one solution version (`api.dashboard_index`): schools with
    place and BRIN, activities planned and not, hours per month and cofinancing hours, counted
    once from the version (like `VersionSummary`), and the one-more-seat advice once asked for."""

    __tablename__ = "version_dashboard"
    version_id: int = Field(foreign_key="solution_version.id", primary_key=True)
    # Per school of the round: code, name, place (the nearest named place) and BRIN code.
    schools: list[dict[str, Any]] = Field(sa_type=JSON)
    # Per activity kind asked for: planned, not planned in total and by reason code.
    activities: dict[str, Any] = Field(sa_type=JSON)
    # The kind of each activity offer: what a company's decline of an activity was.
    offer_kinds: dict[str, str] = Field(sa_type=JSON)
    # Activity hours per calendar month and kind, in month order: [[month, {kind: hours}]].
    months: list[Any] = Field(sa_type=JSON)
    # In-kind hours per kind and the companies giving most (`api.services.cofinancing`).
    cofinancing: dict[str, Any] = Field(sa_type=JSON)
    # The seats where one more would help most: None until the bureau asks (a placement solve).
    advice: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # Each class's and teacher's shortfall: requester, school, kind, missing, reason and its
    # detail as the solver derived it (`said`); None for a version counted before the details
    # were, derived at its next view (`api.dashboard_index.read`).
    unplanned: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)


class SeatAdvicePublic(SQLModel):
    """One seat of the advice: one more at `placement` in `period` places `more` pupils more
    (0 or 1) and changes the total cost by `cost`; `capacity` is its seats now."""

    placement: str
    company: str
    period: str
    more: int
    cost: int
    capacity: int


class AdvicePublic(SQLModel):
    """The one-more-seat advice kept with a proposal (`api.seat_advice`). `relaxed`: the round
    has side rules, and the gains are those of its flow without them."""

    version_id: int
    relaxed: bool
    seats: list[SeatAdvicePublic]
