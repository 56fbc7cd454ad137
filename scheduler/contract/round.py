"""The round document of SPEC sections 3-9: its vocabularies, defaults and shapes.

The models are strict, so a mistyped field (a year of "3", a capacity of 2.5) is an error rather
than a silent coercion. Unknown fields are ignored, so documents may carry extra information.
Cross-record rules (unknown references, duplicate ids, codes outside a vocabulary) live in
`validation`, which reports every problem at once.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ROUND_FORMAT: Final = "stagebureau.round/1"

# Vocabularies (SPEC section 1 and 4): one home, imported by the solvers, the API and the pages.
Profile = Literal["BWI", "PIE", "MT", "MVI", "MaT", "ZW", "EO", "HBR", "GR", "DP", "TECH"]
Track = Literal["bb", "kb", "gl", "tl"]
Mode = Literal["walk", "bike", "public_transport", "car", "coach"]
ActivityKind = Literal["excursion", "guest_lesson", "teacher_internship"]
HalfDay = Literal["am", "pm"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri"]
PROFILES: tuple[str, ...] = get_args(Profile)
TRACKS: tuple[str, ...] = get_args(Track)
MODES: tuple[str, ...] = get_args(Mode)
ACTIVITY_KINDS: tuple[str, ...] = get_args(ActivityKind)
DAYPARTS: tuple[str, ...] = get_args(HalfDay)
WEEKDAYS: tuple[str, ...] = get_args(Weekday)

# Defaults of SPEC sections 2-5, for a field a document leaves out.
CIRCUITY = 1.3
SPEED_KMH = {"walk": 5.0, "bike": 15.0, "public_transport": 25.0, "car": 40.0, "coach": 40.0}
OVERHEAD_MIN = {"walk": 0.0, "bike": 0.0, "public_transport": 10.0, "car": 0.0, "coach": 0.0}
RANK_COST = (0, 10, 30, 60, 100)
UNRANKED_COST = 150
TRAVEL_MINUTE_COST = 1
MAX_TRAVEL_MIN = 45
MODE = "bike"
MAX_SWITCH_MIN = 30
DEFAULT_HOURS = {"excursion": 4, "guest_lesson": 3, "teacher_internship": 4}
# Travel mode of an activity between school and company (SPEC section 4), and of a pupil
# switching schools for an elective (section 5).
ACTIVITY_MODE = {"excursion": "coach", "guest_lesson": "car", "teacher_internship": "car"}
SWITCH_MODE = "bike"


def default_weights() -> dict[str, object]:
    """The `weights` object of a round document that states the defaults."""
    return {
        "rank_cost": list(RANK_COST),
        "unranked_cost": UNRANKED_COST,
        "travel_minute_cost": TRAVEL_MINUTE_COST,
    }


Id = Annotated[str, StringConstraints(min_length=1)]
Count = Annotated[int, Field(ge=0)]
Minutes = Annotated[int, Field(ge=0)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
ISODate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
# A weekly daypart ("tue-pm") or a dated one ("2027-03-11/am").
DAYPART_PATTERN = r"^((mon|tue|wed|thu|fri)-(am|pm)|\d{4}-\d{2}-\d{2}/(am|pm))$"
WEEKLY_SLOT_PATTERN = r"^(mon|tue|wed|thu|fri)-(am|pm)$"
Daypart = Annotated[str, StringConstraints(pattern=DAYPART_PATTERN)]
WeeklySlot = Annotated[str, StringConstraints(pattern=WEEKLY_SLOT_PATTERN)]


class Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class LatLon(Model):
    lat: Latitude
    lon: Longitude


class TravelDoc(Model):
    circuity: Annotated[float, Field(gt=0)] = CIRCUITY
    speed_kmh: dict[str, Annotated[float, Field(gt=0)]] = {}
    overhead_min: dict[str, Annotated[float, Field(ge=0)]] = {}


class WeightsDoc(Model):
    rank_cost: Annotated[list[Count], Field(min_length=1)] = list(RANK_COST)
    unranked_cost: Count = UNRANKED_COST
    travel_minute_cost: Count = TRAVEL_MINUTE_COST


class DefaultsDoc(Model):
    max_travel_min: Minutes = MAX_TRAVEL_MIN
    mode: str = MODE
    max_switch_min: Minutes = MAX_SWITCH_MIN


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
    excluded: list[Id] = []  # companies and placements the pupil may not go to (SPEC 8)


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
    daypart: HalfDay


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


class EventDoc(Model):
    """An event day (SPEC section 9): companies run sessions in `rounds` rounds."""

    id: Id
    name: str = ""
    date: ISODate | None = None
    rounds: Annotated[int, Field(ge=1)]
    lat: Latitude | None = None
    lon: Longitude | None = None


class SessionDoc(Model):
    """A company's session at an event; `rounds` absent = every round of the event."""

    id: Id
    event: Id
    company: Id
    capacity: Count
    rounds: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)] | None = None
    sectors: list[str] = []
    profiles: list[str] = []


class EventRequestDoc(Model):
    """A pupil's choices at one event; `count` absent = one session per round of the event."""

    student: Id
    event: Id
    choices: list[Id]
    count: Count | None = None
    distinct_sectors: bool = False


class RoundDoc(Model):
    format: Literal["stagebureau.round/1"] = ROUND_FORMAT
    name: str = ""
    # Draws the lottery that breaks ties between equally good answers (SPEC section 8).
    seed: int = 0
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
    events: list[EventDoc] = []
    sessions: list[SessionDoc] = []
    event_requests: list[EventRequestDoc] = []
