"""Validate a round document once into immutable domain objects.

Every problem is collected before anything is raised, so one run tells a bureau everything that
is wrong with a document, each problem naming its record (collection, index and id) and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError

from scheduler import domain as d
from scheduler.calendar import period_days
from scheduler.contract.round import (
    DEFAULT_HOURS,
    MAX_HOURS_PER_DAY,
    PROFILES,
    TRACKS,
    WEEKDAYS,
    CalendarDoc,
    RoundDoc,
)

DEFAULT_TRAVEL = d.TravelSettings()
# Collections whose records are named by their pupil rather than an id of their own.
_REQUESTS = ("elective_requests", "event_requests")
_Record = TypeVar("_Record")


@dataclass(frozen=True, slots=True)
class Problem:
    record: str
    field: str
    message: str
    code: str = ""  # for a reader in another language: what is wrong, with `params` (dates)
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f"{self.record}, field '{self.field}'" if self.field else self.record
        return f"{where}: {self.message}"


class InvalidRound(ValueError):
    """A round document that breaks the SPEC; `problems` lists every finding."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def parse_round(document: Any) -> d.Round:
    """Turn a decoded round document into a `Round`, or raise `InvalidRound`."""
    if not isinstance(document, dict):
        raise InvalidRound([Problem("round", "", "the document must be a JSON object")])
    try:
        doc = RoundDoc.model_validate(document)
    except ValidationError as error:
        raise InvalidRound(_all_problems(document, error)) from None
    problems: list[Problem] = []
    round_ = _build_round(doc, _Checker(problems))
    if problems:
        raise InvalidRound(problems)
    return round_


def _all_problems(document: dict[str, Any], error: ValidationError) -> list[Problem]:
    """The schema's problems, then the cross-record problems of every record that passed it, so
    a mistyped field in one record hides nothing that is wrong elsewhere.

    Records that fail the schema are left out of the second pass; references to their ids are
    taken as known (the record exists, it is only malformed), and labels keep the positions
    the records have in the file.
    """
    problems = [_schema_problem(document, e) for e in error.errors()]
    broken: dict[str, set[int]] = {}
    dropped: set[str] = set()
    for e in error.errors():
        loc = e["loc"]
        field = loc[0] if loc and isinstance(loc[0], str) else None
        if (
            field is not None
            and len(loc) >= 2
            and isinstance(loc[1], int)
            and isinstance(document.get(field), list)
        ):
            broken.setdefault(field, set()).add(loc[1])
        elif loc:
            dropped.add(str(loc[0]))
    rest = {key: value for key, value in document.items() if key not in dropped}
    positions: dict[str, list[int]] = {}
    unchecked: set[str] = set()
    for collection, indices in broken.items():
        items = document[collection]
        positions[collection] = [i for i in range(len(items)) if i not in indices]
        rest[collection] = [items[i] for i in positions[collection]]
        key = "student" if collection in _REQUESTS else "id"
        unchecked |= {
            items[i][key]
            for i in indices
            if isinstance(items[i], dict) and isinstance(items[i].get(key), str)
        }
    try:
        doc = RoundDoc.model_validate(rest)
    except ValidationError:  # what is left still fails: the schema's problems come first
        return problems
    more: list[Problem] = []
    _build_round(doc, _Checker(more, positions, frozenset(unchecked)))
    return problems + [p for p in more if not (p.record == "round" and p.field in dropped)]


def parse_calendar(document: Any) -> d.Calendar:
    """Check a round's `calendar` object alone, by the same rules as `parse_round`.

    For callers that keep a calendar apart from any round (a region's school year) and want it
    refused when it is entered, not when the next round is opened. Problems name record
    "calendar" and the field ("end", "min_gap_days", "holidays[2][0]", ...).
    """
    if not isinstance(document, dict):
        raise InvalidRound([Problem("round", "calendar", "the calendar must be a JSON object")])
    try:
        doc = CalendarDoc.model_validate(document)
    except ValidationError as error:
        wrapped = {"calendar": document}
        raise InvalidRound(
            [
                _schema_problem(wrapped, {**e, "loc": ("calendar", *e["loc"])})
                for e in error.errors()
            ]
        ) from None
    problems: list[Problem] = []
    calendar = _calendar_of(doc, _Checker(problems))
    if problems:
        raise InvalidRound(problems)
    return calendar


def parse_periods(periods: Any, calendar: Any = None) -> dict[str, d.Period]:
    """Check a region's dated periods alone (SPEC section 8), by the same rules as
    `parse_round`, with the calendar whose holidays they leave out; problems name record
    "periods[i] (id ...)" and the field."""
    document: dict[str, Any] = {"periods": periods}
    if calendar:
        document["calendar"] = calendar
    return dict(parse_round(document).periods)


def record_label(document: Mapping[str, Any], collection: str, index: int) -> str:
    """`students[3] (id 'st4')`: the record as a person finds it back in the file."""
    key = "student" if collection in _REQUESTS else "id"
    try:
        ident = document[collection][index].get(key)
    except (KeyError, IndexError, TypeError, AttributeError):
        ident = None
    return (
        _label(collection, index, ident, key)
        if isinstance(ident, str)
        else f"{collection}[{index}]"
    )


def _schema_problem(document: Mapping[str, Any], error: Any) -> Problem:
    loc = list(error["loc"])
    if len(loc) >= 2 and isinstance(loc[1], int):
        record = record_label(document, str(loc[0]), loc[1])
        rest = loc[2:]
    elif loc:
        record, rest = str(loc[0]), loc[1:]
    else:
        record, rest = "round", []
    field = ".".join(str(part) for part in rest)
    message = error["msg"]
    if error["type"] == "missing":
        message = "required field is missing"
    elif "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {error['input']!r})"
    if not field and len(loc) == 1 and record != "round":
        field, record = record, "round"
    params = tuple((str(k), str(v)) for k, v in (error.get("ctx") or {}).items())
    return Problem(record, field, message, str(error["type"]), params)


class _Checker:
    """Collects cross-record problems while the domain objects are built.

    `positions` maps a collection's records back to their places in the file when some were
    left out, and references to `unchecked` ids (records the schema refused) count as known.
    """

    def __init__(
        self,
        problems: list[Problem],
        positions: Mapping[str, Sequence[int]] | None = None,
        unchecked: frozenset[str] = frozenset(),
    ) -> None:
        self.problems = problems
        self.positions = positions or {}
        self.unchecked = unchecked

    def add(self, record: str, field: str, message: str, code: str = "", **params: str) -> None:
        self.problems.append(Problem(record, field, message, code, tuple(params.items())))

    def label(self, collection: str, index: int, ident: str, key: str = "id") -> str:
        return _label(collection, self.position(collection, index), ident, key)

    def position(self, collection: str, index: int) -> int:
        places = self.positions.get(collection)
        return index if places is None else places[index]

    def unique(self, collection: str, ids: Iterable[str]) -> None:
        first: dict[str, int] = {}
        for index, ident in enumerate(ids):
            if ident in first:
                self.add(
                    self.label(collection, index, ident),
                    "id",
                    f"duplicate id, first used by {collection}[{first[ident]}]",
                )
            else:
                first[ident] = self.position(collection, index)

    def known(self, record: str, field: str, ref: str, targets: Mapping[str, Any], kind: str):
        if ref not in targets and ref not in self.unchecked:
            self.add(record, field, f"unknown {kind} {ref!r}")

    def vocabulary(self, record: str, field: str, codes: Iterable[str], kind: str) -> None:
        """Profile and track codes are the SPEC's: a Dutch name ("Mobiliteit") is a typo here."""
        allowed = TRACKS if kind == "track" else PROFILES
        for code in codes:
            if code not in allowed:
                self.add(
                    record, field, f"unknown {kind} code {code!r}; allowed: {', '.join(allowed)}"
                )

    def iso_date(self, record: str, field: str, text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.add(record, field, f"{text!r} is not a calendar date", "date.invalid", text=text)
            return date.min


def _label(collection: str, index: int, ident: str, key: str = "id") -> str:
    return f"{collection}[{index}] ({key} {ident!r})"


def _build_round(doc: RoundDoc, check: _Checker) -> d.Round:
    travel = d.TravelSettings(
        circuity=doc.travel.circuity,
        speed_kmh={**DEFAULT_TRAVEL.speed_kmh, **doc.travel.speed_kmh},
        overhead_min={**DEFAULT_TRAVEL.overhead_min, **doc.travel.overhead_min},
    )
    defaults = d.Defaults(
        doc.defaults.max_travel_min,
        doc.defaults.mode,
        doc.defaults.max_switch_min,
        doc.defaults.escort_ratio,
    )
    if defaults.mode not in travel.speed_kmh:
        check.add("defaults", "mode", f"unknown travel mode {defaults.mode!r}")
    for collection in (
        "schools",
        "companies",
        "placements",
        "students",
        "classes",
        "teachers",
        "offers",
        "electives",
        "periods",
        "events",
        "sessions",
    ):
        check.unique(collection, (item.id for item in getattr(doc, collection)))
    # Classes and teachers are both "requester" in the solution, so one id must name one of them.
    class_ids = {k.id: check.position("classes", i) for i, k in enumerate(doc.classes)}
    for i, t in enumerate(doc.teachers):
        if t.id in class_ids:
            check.add(
                check.label("teachers", i, t.id),
                "id",
                f"also the id of classes[{class_ids[t.id]}]; a requester id names one requester",
            )

    schools = {
        s.id: d.School(s.id, s.name, d.Point(s.lat, s.lon), tuple(s.periods)) for s in doc.schools
    }
    companies = {
        c.id: d.Company(
            c.id,
            c.name,
            d.Point(c.lat, c.lon),
            tuple(c.sectors),
            c.max_students,
            c.hours_per_month,
            c.max_concurrent,
        )
        for c in doc.companies
    }
    for i, c in enumerate(doc.companies):
        if c.max_concurrent is not None and c.max_concurrent < 1:
            check.add(
                check.label("companies", i, c.id),
                "max_concurrent",
                f"must be at least 1 (got {c.max_concurrent}); leave it out for no daily limit",
            )
    placements: dict[str, d.Placement] = {}
    for i, p in enumerate(doc.placements):
        record = check.label("placements", i, p.id)
        check.known(record, "company", p.company, companies, "company")
        check.vocabulary(record, "profiles", p.profiles, "profile")
        check.vocabulary(record, "tracks", p.tracks, "track")
        placements[p.id] = d.Placement(
            p.id,
            p.company,
            dict(p.capacity),
            frozenset(p.profiles),
            frozenset(p.tracks),
            p.min_year,
            p.min_students,
        )
    students = _students(doc, check, schools, companies, placements, defaults, travel)
    calendar = _calendar(doc, check)
    return d.Round(
        name=doc.name,
        seed=doc.seed,
        travel=travel,
        weights=d.Weights(
            tuple(doc.weights.rank_cost), doc.weights.unranked_cost, doc.weights.travel_minute_cost
        ),
        defaults=defaults,
        schools=_by_id(schools),
        companies=_by_id(companies),
        placements=_by_id(placements),
        students=_by_id(students),
        together=_pairs(doc.together, "together", check, students),
        apart=_pairs(doc.apart, "apart", check, students),
        travel_matrix={
            o: dict(sorted(row.items())) for o, row in sorted(doc.travel_matrix.items())
        },
        calendar=calendar,
        periods=_by_id(_periods(doc, check, calendar)),
        classes=_by_id(_classes(doc, check, schools)),
        teachers=_by_id(_teachers(doc, check, schools)),
        offers=_by_id(_offers(doc, check, companies, defaults)),
        electives=_by_id(_electives(doc, check, schools)),
        elective_requests=tuple(
            sorted(_elective_requests(doc, check, students), key=lambda r: r.student)
        ),
        timetables=_timetables(doc, check, schools),
        **_event_days(doc, check, companies, students),
    )


def _by_id(records: Mapping[str, _Record]) -> dict[str, _Record]:
    """Records in id order: the order of the document must not decide anything (SPEC 8)."""
    return dict(sorted(records.items()))


def _students(doc, check, schools, companies, placements, defaults, travel) -> dict[str, d.Student]:
    students: dict[str, d.Student] = {}
    for i, s in enumerate(doc.students):
        record = check.label("students", i, s.id)
        check.known(record, "school", s.school, schools, "school")
        check.vocabulary(record, "profile", [s.profile], "profile")
        check.vocabulary(record, "track", [s.track], "track")
        mode = s.mode or defaults.mode
        if mode not in travel.speed_kmh:
            check.add(record, "mode", f"unknown travel mode {mode!r}")
        seen: set[str] = set()
        for r, ref in enumerate(s.preferences):
            check.known(record, f"preferences[{r}]", ref, placements, "placement")
            if ref in seen:
                check.add(record, f"preferences[{r}]", f"placement {ref!r} is listed twice")
            seen.add(ref)
        for r, ref in enumerate(s.excluded):
            if ref not in companies and ref not in placements and ref not in check.unchecked:
                check.add(record, f"excluded[{r}]", f"unknown company or placement {ref!r}")
        school = schools.get(s.school)
        periods = s.periods if s.periods is not None else (school.periods if school else ())
        students[s.id] = d.Student(
            id=s.id,
            school=s.school,
            profile=s.profile,
            track=s.track,
            year=s.year,
            home=d.Point(s.home.lat, s.home.lon) if s.home else None,
            mode=mode,
            max_travel_min=(
                s.max_travel_min if s.max_travel_min is not None else defaults.max_travel_min
            ),
            preferences=tuple(s.preferences),
            accept_unranked=s.accept_unranked,
            priority=s.priority,
            periods=tuple(periods),
            excluded=frozenset(s.excluded),
        )
    return students


def _pairs(pairs, collection, check, students) -> tuple[tuple[str, str], ...]:
    """The pairs with their members in id order, listed in id order (SPEC 8: order decides
    nothing, not even which member of an apart pair a repair keeps away first)."""
    result = []
    for i, (a, b) in enumerate(pairs):
        for position, ref in enumerate((a, b)):
            check.known(f"{collection}[{i}]", str(position), ref, students, "student")
        if a == b:
            check.add(f"{collection}[{i}]", "1", f"pairs student {a!r} with itself")
        result.append((min(a, b), max(a, b)))
    return tuple(sorted(result))


def _calendar(doc: RoundDoc, check: _Checker) -> d.Calendar | None:
    if doc.calendar is None:
        if doc.classes or doc.teachers or doc.offers:
            check.add("round", "calendar", "required when classes, teachers or offers are given")
        return None
    return _calendar_of(doc.calendar, check)


def _calendar_of(c: CalendarDoc, check: _Checker) -> d.Calendar:
    start = check.iso_date("calendar", "start", c.start)
    end = check.iso_date("calendar", "end", c.end)
    if date.min < end < start:  # date.min: not a date, already named
        why = f"ends ({c.end}) before it starts ({c.start})"
        check.add("calendar", "end", why, "date.end_before_start", start=c.start, end=c.end)
    holidays = []
    for i, (first, last) in enumerate(c.holidays):
        begin = check.iso_date("calendar", f"holidays[{i}][0]", first)
        until = check.iso_date("calendar", f"holidays[{i}][1]", last)
        if date.min < until < begin:
            why = f"range {first}..{last} ends before it starts"
            check.add("calendar", f"holidays[{i}]", why, "date.range_reversed", start=first,
                      end=last)  # fmt: skip
        holidays.append((begin, until))
    return d.Calendar(start, end, tuple(holidays), c.min_gap_days)


def _periods(doc: RoundDoc, check: _Checker, calendar: d.Calendar | None) -> dict[str, d.Period]:
    """Dated periods with their days; the calendar's holidays are no placement days."""
    holidays = calendar.holidays if calendar is not None else ()
    periods = {}
    for i, t in enumerate(doc.periods):
        record = check.label("periods", i, t.id)
        start = check.iso_date(record, "start", t.start)
        end = check.iso_date(record, "end", t.end)
        if date.min < end < start:
            why = f"ends ({t.end}) before it starts ({t.start})"
            check.add(record, "end", why, "date.end_before_start", start=t.start, end=t.end)
        for w, weekday in enumerate(t.weekdays):
            if weekday not in WEEKDAYS:
                check.add(
                    record,
                    f"weekdays[{w}]",
                    f"unknown weekday {weekday!r}; allowed: {', '.join(WEEKDAYS)}",
                )
        if not 1 <= t.hours_per_day <= MAX_HOURS_PER_DAY:
            check.add(
                record,
                "hours_per_day",
                f"{t.hours_per_day} is out of range 1..{MAX_HOURS_PER_DAY}",
            )
        weekdays = tuple(w for w in WEEKDAYS if w in t.weekdays)
        dated = date.min < start <= end  # else already named above
        days = period_days(start, end, weekdays, holidays) if dated else ()
        periods[t.id] = d.Period(t.id, start, end, weekdays, t.hours_per_day, days)
    return periods


def _dayparts(record: str, field: str, patterns: list[str], check: _Checker) -> tuple[str, ...]:
    for i, pattern in enumerate(patterns):
        if "/" in pattern:
            check.iso_date(record, f"{field}[{i}]", pattern.split("/")[0])
    return tuple(patterns)


def _classes(doc, check, schools) -> dict[str, d.SchoolClass]:
    classes = {}
    for i, k in enumerate(doc.classes):
        record = check.label("classes", i, k.id)
        check.known(record, "school", k.school, schools, "school")
        check.vocabulary(record, "profile", [k.profile] if k.profile else [], "profile")
        classes[k.id] = d.SchoolClass(
            k.id,
            k.school,
            k.year,
            k.profile,
            k.size,
            _dayparts(record, "free", k.free, check),
            dict(k.demand),
            k.distinct_sectors,
        )
    return classes


def _teachers(doc, check, schools) -> dict[str, d.Teacher]:
    teachers = {}
    for i, t in enumerate(doc.teachers):
        record = check.label("teachers", i, t.id)
        check.known(record, "school", t.school, schools, "school")
        teachers[t.id] = d.Teacher(
            t.id,
            t.school,
            _dayparts(record, "free", t.free, check),
            dict(t.demand),
            tuple(t.sectors),
            t.escort,
        )
    return teachers


def _offers(doc, check, companies, defaults) -> dict[str, d.Offer]:
    requesters = {r.id: r for r in [*doc.classes, *doc.teachers]}
    offers = {}
    for i, o in enumerate(doc.offers):
        record = check.label("offers", i, o.id)
        check.known(record, "company", o.company, companies, "company")
        check.vocabulary(record, "profiles", o.profiles, "profile")
        offers[o.id] = d.Offer(
            id=o.id,
            company=o.company,
            kind=o.kind,
            sectors=tuple(o.sectors),
            profiles=frozenset(o.profiles),
            available=_dayparts(record, "available", o.available, check),
            max_group_size=o.max_group_size,
            hours=o.hours if o.hours is not None else DEFAULT_HOURS[o.kind],
            max_per_month=o.max_per_month,
            max_travel_min=(
                o.max_travel_min if o.max_travel_min is not None else defaults.max_travel_min
            ),
            refused=frozenset(decline.requester for decline in o.declined),
            closed=frozenset(
                (check.iso_date(record, f"declined[{j}].date", decline.date), decline.daypart)
                for j, decline in enumerate(o.declined)
            ),
        )
        for j, decline in enumerate(o.declined):
            check.known(
                record,
                f"declined[{j}].requester",
                decline.requester,
                requesters,
                "class or teacher",
            )
    return offers


def _electives(doc, check, schools) -> dict[str, d.Elective]:
    electives = {}
    for i, e in enumerate(doc.electives):
        record = check.label("electives", i, e.id)
        check.known(record, "school", e.school, schools, "school")
        check.vocabulary(record, "profiles", e.profiles, "profile")
        electives[e.id] = d.Elective(e.id, e.school, e.slot, e.capacity, frozenset(e.profiles))
    return electives


def _elective_requests(doc, check, students) -> tuple[d.ElectiveRequest, ...]:
    requests = []
    seen: dict[str, int] = {}
    electives = {e.id for e in doc.electives}
    for i, r in enumerate(doc.elective_requests):
        record = check.label("elective_requests", i, r.student, "student")
        check.known(record, "student", r.student, students, "student")
        if r.student in seen:
            check.add(
                record, "student", f"second request, first is elective_requests[{seen[r.student]}]"
            )
        seen.setdefault(r.student, check.position("elective_requests", i))
        for c, choice in enumerate(r.choices):
            check.known(record, f"choices[{c}]", choice, electives, "elective")
        if len(set(r.choices)) != len(r.choices):
            check.add(record, "choices", "an elective is listed twice")
        requests.append(d.ElectiveRequest(r.student, tuple(r.choices), r.count))
    return tuple(requests)


def _timetables(doc, check, schools) -> dict[str, frozenset[str]]:
    for school in doc.timetables:
        check.known("timetables", school, school, schools, "school")
    return {school: frozenset(slots) for school, slots in doc.timetables.items()}


def _event_days(doc, check, companies, students) -> dict[str, Any]:
    """Events, sessions and event requests (SPEC section 9), as keyword arguments of `Round`."""
    events: dict[str, d.Event] = {}
    for i, e in enumerate(doc.events):
        record = check.label("events", i, e.id)
        if (e.lat is None) != (e.lon is None):
            check.add(record, "lat" if e.lat is None else "lon", "give both lat and lon, or none")
        events[e.id] = d.Event(
            id=e.id,
            name=e.name,
            date=check.iso_date(record, "date", e.date) if e.date is not None else None,
            rounds=e.rounds,
            location=d.Point(e.lat, e.lon) if e.lat is not None and e.lon is not None else None,
        )
    sessions: dict[str, d.Session] = {}
    for i, s in enumerate(doc.sessions):
        record = check.label("sessions", i, s.id)
        check.known(record, "event", s.event, events, "event")
        check.known(record, "company", s.company, companies, "company")
        check.vocabulary(record, "profiles", s.profiles, "profile")
        event = events.get(s.event)
        rounds = s.rounds if s.rounds is not None else range(1, event.rounds + 1 if event else 1)
        for r, number in enumerate(s.rounds or ()):
            if event is not None and number > event.rounds:
                check.add(
                    record,
                    f"rounds[{r}]",
                    f"round {number} is outside 1..{event.rounds} of event {event.id!r}",
                )
        if s.rounds is not None and len(set(s.rounds)) != len(s.rounds):
            check.add(record, "rounds", "a round is listed twice")
        sessions[s.id] = d.Session(
            id=s.id,
            event=s.event,
            company=s.company,
            capacity=s.capacity,
            rounds=tuple(sorted(set(rounds))),
            sectors=tuple(s.sectors),
            profiles=frozenset(s.profiles),
        )
    requests: list[d.EventRequest] = []
    first: dict[tuple[str, str], int] = {}
    for i, r in enumerate(doc.event_requests):
        record = check.label("event_requests", i, r.student, "student")
        check.known(record, "student", r.student, students, "student")
        check.known(record, "event", r.event, events, "event")
        if (r.student, r.event) in first:
            check.add(
                record,
                "event",
                f"second request of this pupil for event {r.event!r}, first is "
                f"event_requests[{first[(r.student, r.event)]}]",
            )
        first.setdefault((r.student, r.event), check.position("event_requests", i))
        for c, choice in enumerate(r.choices):
            session = sessions.get(choice)
            if session is None:
                check.known(record, f"choices[{c}]", choice, sessions, "session")
            elif session.event != r.event:
                check.add(
                    record,
                    f"choices[{c}]",
                    f"session {choice!r} belongs to event {session.event!r}, not {r.event!r}",
                )
        if len(set(r.choices)) != len(r.choices):
            check.add(record, "choices", "a session is listed twice")
        event = events.get(r.event)
        count = r.count if r.count is not None else (event.rounds if event else 0)
        requests.append(
            d.EventRequest(r.student, r.event, tuple(r.choices), count, r.distinct_sectors)
        )
    return {
        "events": _by_id(events),
        "sessions": _by_id(sessions),
        "event_requests": tuple(sorted(requests, key=lambda q: (q.student, q.event))),
    }
