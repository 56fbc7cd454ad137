"""The bureau's round page at region size: a page of pupils at a time, filtered in the database,
and one pupil's pin choices computed when the bureau asks for them.

Everything here reads the version's index (`api.version_index`), never the whole round document
and solution: at 20,000 pupils those take longer to read than the page may take to answer.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

import numpy as np
from sqlalchemy import JSON, func, type_coerce
from sqlmodel import Session, col, select

from api.db import saved_id
from api.models import (
    CompanyResponse,
    Pupil,
    PupilMinimal,
    ResponseStatus,
    Round,
    SolutionVersion,
    User,
    VersionPupil,
    VersionSummary,
)
from api.services.errors import Conflict, Invalid, NotFound
from api.version_index import counts, summary, unread
from scheduler.domain import Round as DomainRound
from scheduler.domain import Student
from scheduler.placements.eligibility import eligible_pairs
from scheduler.travel import EARTH_RADIUS_KM, reach_km
from scheduler.validation import parse_round

PAGE_SIZE = 50
# Pupil codes per query when a list is read in parts (SQLite allows a few hundred parameters).
BATCH = 500
# What of a round document decides where one pupil may go (SPEC 3 and 8); the rest of it
# (activities, electives, events, pairs of pupils) plays no part in a pin.
PLACEMENT_KEYS = ("format", "name", "travel", "weights", "defaults", "schools", "companies",
                  "placements", "travel_matrix", "seed", "periods", "calendar")  # fmt: skip


@dataclass(frozen=True)
class PupilFilters:
    """The filters of a pupil list; empty means any."""

    school: str = ""
    reason: str = ""
    profile: str = ""
    company: str = ""
    search: str = ""
    page: int = 1

    def query(self, **changes: Any) -> dict[str, str]:
        """These filters as query parameters (with `changes`), leaving out the empty ones."""
        values = {"school": self.school, "reason": self.reason, "profile": self.profile,
                  "company": self.company, "q": self.search, "page": str(self.page)}  # fmt: skip
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v and (k != "page" or v != "1")}


@dataclass
class PupilPage:
    """One page of a filtered pupil list."""

    rows: list[dict[str, Any]]
    total: int
    filters: PupilFilters
    pages: int = field(default=1)


def light_round(session: Session, user: User, round_id: int) -> Round:
    """A round of the user's region without its frozen document (read only if something asks
    for it: a draft's counts); any other round is not found."""
    round_ = session.get(Round, round_id, options=unread(Round.document))
    if round_ is None or round_.region_id != user.region_id:
        raise NotFound(
            f"no round {round_id} in your region",
            code="round.not_found",
            params={"round": round_id},
        )
    return round_


def pupil_changes(session: Session, before_id: int, after_id: int) -> list[dict[str, Any]]:
    """Pupils whose placement or period differs between two versions of a round (placed or
    not), in code order, from the versions' indexes: no solution is read."""

    def seats(version_id: int) -> dict[str, str]:
        query = select(
            col(VersionPupil.student), col(VersionPupil.placement), col(VersionPupil.period)
        ).where(VersionPupil.version_id == version_id)
        # Plain rows, not the ORM's: a third of the time on a region's 20,000 pupils.
        rows = session.connection().execute(query).all()
        return {student: f"{p} / {t}" if p else "" for student, p, t in rows}

    old, new = seats(before_id), seats(after_id)
    return [
        {"student": s, "before": old.get(s, ""), "after": new.get(s, "")}
        for s in sorted(old.keys() | new.keys())
        if old.get(s, "") != new.get(s, "")
    ]


def version_activities(session: Session, version_id: int) -> list[dict[str, Any]]:
    """A version's planned activities: that part of its solution alone, by the database's JSON
    path (the whole is megabytes in a region)."""
    path = type_coerce(SolutionVersion.solution, JSON)[("activities",)]
    found = session.exec(select(path).where(SolutionVersion.id == version_id)).first()
    return list(found or [])


def round_header(round_: Round, found: VersionSummary | None) -> dict[str, Any]:
    """What the page says of the round: its state and size (from the proposal's index when
    there is one, so the frozen document stays unread)."""
    fields = ("id", "name", "region_id", "status", "version", "created_at",
              "proposal_version_id", "published_version_id", "answer_deadline")  # fmt: skip
    header = {name: getattr(round_, name) for name in fields}
    if found is not None:
        return {**header, "students": found.students, "placements": found.placements}
    document = round_.document
    students, placements = document.get("students", []), document.get("placements", [])
    return {**header, "students": len(students), "placements": len(placements)}


def version_rows(session: Session, round_id: int) -> list[dict[str, Any]]:
    """The round's versions in order, with their counts from the index: no document read."""
    versions = session.exec(
        select(SolutionVersion)
        .where(SolutionVersion.round_id == round_id)
        .options(*unread(SolutionVersion.round_document, SolutionVersion.solution))
        .order_by(col(SolutionVersion.number))
    ).all()
    numbers = counts(session, [saved_id(v) for v in versions])
    fields = ("id", "round_id", "number", "state", "kind", "changes", "based_on_id",
              "created_at", "published_at")  # fmt: skip
    return [
        {**{name: getattr(v, name) for name in fields},
         **dict(zip(("status", "placed", "unplaced"), numbers[saved_id(v)], strict=True))}
        for v in versions
    ]  # fmt: skip


def proposal_summary(session: Session, user: User, round_id: int) -> tuple[Round, VersionSummary]:
    """The round and the index summary of its current proposal."""
    round_ = light_round(session, user, round_id)
    if round_.proposal_version_id is None:
        raise Conflict("no proposal yet: start a solve", code="round.no_proposal")
    return round_, summary(session, round_.proposal_version_id)


def read_filters(facets: dict[str, Any], given: dict[str, str], placed: bool) -> PupilFilters:
    """Filters from query parameters, each checked against what the version holds: a value it
    does not hold is refused naming the field (a list that silently shows nothing would look
    like an answer)."""
    known = {
        "school": {code for code, _ in facets.get("schools", [])},
        "profile": set(facets.get("profiles", [])),
        "reason": set() if placed else set(facets.get("reasons", [])),
        "company": {code for code, _ in facets.get("companies", [])} if placed else set(),
    }
    problems = []
    values: dict[str, Any] = {}
    for name, allowed in known.items():
        value = given.get(name, "").strip()
        if value and value not in allowed:
            problems.append({"loc": ["query", name], "msg": value[:64], "type": "unknown_" + name})
        values[name] = value
    values["search"] = given.get("q", "").strip()[:64]
    page = given.get("page", "").strip() or "1"
    if not page.isdigit() or int(page) < 1:
        problems.append({"loc": ["query", "page"], "msg": page[:20], "type": "bad_page"})
    else:
        values["page"] = int(page)
    if problems:
        raise Invalid(problems, code="round.bad_filter")
    return PupilFilters(**values)


def pupil_page(
    session: Session, user: User, version_id: int, placed: bool | None, filters: PupilFilters
) -> PupilPage:
    """A page of the version's placed or unplaced pupils (None: both) that pass `filters`, in
    code order, with each shown pupil's first name (and nobody else's)."""
    conditions = [col(VersionPupil.version_id) == version_id]
    if placed is not None:
        conditions.append(col(VersionPupil.placed) == placed)
    for name in ("school", "reason", "profile", "company"):
        value = getattr(filters, name)
        if value:
            conditions.append(col(getattr(VersionPupil, name)) == value)
    if filters.search:
        pattern = filters.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(col(VersionPupil.student).ilike(f"%{pattern}%", escape="\\"))
    total = session.exec(select(func.count()).select_from(VersionPupil).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    found = session.exec(
        select(VersionPupil)
        .where(*conditions)
        .order_by(col(VersionPupil.student))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    codes = [p.student for p in found]
    names = dict(
        session.exec(
            select(Pupil.code, Pupil.first_name).where(
                Pupil.region_id == user.region_id, col(Pupil.code).in_(codes)
            )
        ).all()
    )
    rows = [
        {**p.model_dump(exclude={"record", "id", "version_id"}),
         "first_name": names.get(p.student, "")}
        for p in found
    ]  # fmt: skip
    shown = PupilFilters(**{**filters.__dict__, "page": page})
    return PupilPage(rows=rows, total=total, filters=shown, pages=pages)


def company_page(load: list[dict[str, Any]], page: int) -> tuple[list[dict[str, Any]], int, int]:
    """(rows, page, pages) of the companies with load, fullest first."""
    pages = max(1, -(-len(load) // PAGE_SIZE))
    page = min(max(1, page), pages)
    return load[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page, pages


class PlacementOffer:
    """A version's placements and companies as pin choices read them: decoded from the
    version's index once per server process (`placement_offer` keeps a few), each company's
    place as arrays and its placements at hand, so one pupil's choices parse only what that
    pupil could take (`pupil_round`)."""

    def __init__(self, offer: dict[str, Any], taken: dict[str, Any] | None = None) -> None:
        self.document = {k: v for k, v in offer.items() if k in PLACEMENT_KEYS}
        self.companies = {c["id"]: c for c in self.document.get("companies", [])}
        self.lat = np.radians([float(c["lat"]) for c in self.companies.values()])
        self.lon = np.radians([float(c["lon"]) for c in self.companies.values()])
        self.placements = {p["id"]: p for p in self.document.get("placements", [])}
        self.of_company: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in self.placements.values():
            self.of_company[p["company"]].append(p)
        self.taken = taken or {}

    def pupil_round(self, record: dict[str, Any]) -> DomainRound:
        """The round as one pupil's pin choices see it: the version's schools, periods and
        travel settings, the pupil, and only the placements it could be eligible for, parsed
        by the scheduler. Parsing a region's 10,000 placements took a second under load; what
        is left out here can never be eligible: a placement whose profiles leave the pupil's
        out, or whose company lies beyond the pupil's reach (`scheduler.travel.reach_km`, the
        exact inversion of its travel time) and has no `travel_matrix` figure for it. The
        placements and companies it names (wishes, exclusions) stay, as its validation reads
        them. `eligible_pairs` then applies every rule to what is left, so the choices are
        those of the whole round."""
        named = set(record.get("preferences", [])) | set(record.get("excluded", []))
        kept = {ref: self.placements[ref] for ref in named & self.placements.keys()}
        first = self._one_pupil(record, kept, named)
        pupil = first.students[record["id"]]
        within = self._within_reach(first, pupil)
        matrix = self.document.get("travel_matrix") or {}
        rows = [matrix.get(pupil.id)] + ([matrix.get(pupil.school)] if pupil.home is None else [])
        within |= {company for row in rows for company in row or {}}
        for company in within:
            for p in self.of_company.get(company, []):
                profiles = p.get("profiles") or []
                if not profiles or pupil.profile in profiles:
                    kept[p["id"]] = p
        return self._one_pupil(record, kept, named)

    def _one_pupil(
        self, record: dict[str, Any], placements: dict[str, dict[str, Any]], named: set[str]
    ) -> DomainRound:
        """The document with `record` as its one pupil and only `placements` (and their
        companies and those `named`) as its offer, parsed."""
        codes = {p["company"] for p in placements.values()} | (named & self.companies.keys())
        mini = {**self.document, "placements": [placements[ref] for ref in sorted(placements)],
                "companies": [self.companies[c] for c in sorted(codes)],
                "students": [record]}  # fmt: skip
        return parse_round(mini)

    def _within_reach(self, round_: DomainRound, pupil: Student) -> set[str]:
        """The companies no farther from the pupil than its travel limit reaches (a metre of
        slack for rounding: `eligible_pairs` decides on exact minutes)."""
        origin = round_.origin(pupil)
        km = reach_km(round_.travel, pupil.max_travel_min, pupil.mode) + 0.001
        lat0, lon0 = math.radians(origin.lat), math.radians(origin.lon)
        h = (np.sin((self.lat - lat0) / 2) ** 2
             + np.cos(lat0) * np.cos(self.lat) * np.sin((self.lon - lon0) / 2) ** 2)  # fmt: skip
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
        codes = list(self.companies)
        return {codes[i] for i in np.flatnonzero(distance <= km).tolist()}


# The offers of the versions pinned last, per server process. A version never changes (an
# erasure rewrites only pupils, who are not in here), so nothing goes stale; a few are kept:
# decoding a region's offer from the index takes 0.1 to 0.3 s, a pin choice after it 0.1 s.
# The key names the database and the version's creation, since ids start again in a new one.
_offers: OrderedDict[tuple[str, int, str], PlacementOffer] = OrderedDict()
_offers_lock = Lock()
OFFERS_KEPT = 4


def placement_offer(session: Session, found: VersionSummary) -> PlacementOffer:
    created = session.exec(
        select(SolutionVersion.created_at).where(SolutionVersion.id == found.version_id)
    ).one()
    key = (str(session.get_bind().engine.url), found.version_id, created.isoformat())
    with _offers_lock:
        cached = _offers.get(key)
        if cached is not None:
            _offers.move_to_end(key)
            return cached
    made = PlacementOffer(found.offer, found.taken)
    with _offers_lock:
        _offers[key] = made
        while len(_offers) > OFFERS_KEPT:
            _offers.popitem(last=False)
    return made


def pin_choices(session: Session, user: User, round_id: int, student: str) -> list[dict[str, Any]]:
    """Where the bureau may pin `student` in the current proposal: only placements and periods
    the pupil is eligible for (profile, track, year, wishes, not excluded), can reach within its
    travel limit and shares a period with, by the scheduler's own rules
    (`scheduler.placements.eligibility`); each with its seats taken and its company's cap.
    Wishes first, then by travel time."""
    round_ = light_round(session, user, round_id)
    if round_.proposal_version_id is None:
        raise Conflict("no proposal yet: start a solve", code="round.no_proposal")
    # Only the parts pin choices read (a region's company load alone is 800 KB of JSON), and
    # those only when the version's offer is not kept yet.
    unused = (VersionSummary.coverage, VersionSummary.load, VersionSummary.facets)
    options = unread(*unused, VersionSummary.taken, VersionSummary.offer)
    found = session.get(VersionSummary, round_.proposal_version_id, options=options)
    if found is None:  # a version stored before the index: indexed now
        found = summary(session, round_.proposal_version_id)
    row = session.exec(
        select(VersionPupil).where(
            VersionPupil.version_id == found.version_id, VersionPupil.student == student
        )
    ).first()
    if row is None:
        raise NotFound([{"loc": ["query", "student"], "msg": student[:64], "type": "no_pupil"}])
    offer = placement_offer(session, found)
    pairs = eligible_pairs(offer.pupil_round(row.record))
    seats, companies = offer.taken.get("seats", {}), offer.taken.get("companies", {})
    here = f"{row.placement}|{row.period}"
    choices = []
    for i in range(len(pairs)):
        placement = pairs.placements[pairs.placement[i]]
        period = pairs.periods[pairs.period[i]]
        slot = f"{placement.id}|{period}"
        # The pupil's own seat is not taken from it: pinning it there keeps it.
        taken = seats.get(slot, 0) - (slot == here)
        company_taken = companies.get(placement.company, 0) - (row.company == placement.company)
        capacity = int(pairs.capacity[pairs.placement[i], pairs.period[i]])
        cap = offer.companies.get(placement.company, {}).get("max_students")
        choices.append(
            {
                "slot": slot,
                "placement": placement.id,
                "period": period,
                "company": placement.company,
                "company_name": offer.companies.get(placement.company, {}).get("name")
                or placement.company,
                "rank": int(pairs.rank[i]) or None,
                "travel_min": int(pairs.minutes[i]),
                "capacity": capacity,
                "taken": taken,
                "company_taken": company_taken,
                "max_students": cap,
                "full": taken >= capacity or (cap is not None and company_taken >= cap),
                "current": slot == here,
            }
        )
    choices.sort(key=lambda c: (c["rank"] is None, c["rank"] or 0, c["travel_min"], c["slot"]))
    return choices


def standing_pupil_answers(
    session: Session, round_id: int, version_id: int
) -> dict[str, CompanyResponse]:
    """The companies' newest answer per pupil that the version still holds, as
    `api.services.answers.Answers` reads them, but against the version's index: the pupils'
    seats come from their rows instead of the whole solution."""
    responses = session.exec(
        select(CompanyResponse)
        .where(CompanyResponse.round_id == round_id)
        .order_by(col(CompanyResponse.id))
    ).all()
    students = sorted({r.student for r in responses})
    seats: dict[str, tuple[str, str]] = {}
    for start in range(0, len(students), BATCH):
        rows = session.exec(
            select(VersionPupil.student, VersionPupil.placement, VersionPupil.period).where(
                VersionPupil.version_id == version_id,
                col(VersionPupil.placed),
                col(VersionPupil.student).in_(students[start : start + BATCH]),
            )
        ).all()
        seats.update({student: (placement, period) for student, placement, period in rows})
    return {r.student: r for r in responses if seats.get(r.student) == (r.placement, r.period)}


def waiting_pupils(session: Session, round_: Round, version_id: int, today: date) -> dict[str, Any]:
    """What the companies have not answered of a published version without activities: how
    many pupils, the first page of them, the deadline and whether it passed; and how many
    pupils they declined. Read from the index, so a region's 15,000 assignments cost a count."""
    answered = standing_pupil_answers(session, saved_id(round_), version_id)
    placed = [col(VersionPupil.version_id) == version_id, col(VersionPupil.placed)]
    total = session.exec(select(func.count()).select_from(VersionPupil).where(*placed)).one()
    items: list[dict[str, Any]] = []
    offset = 0
    while len(items) < PAGE_SIZE:
        rows = session.exec(
            select(VersionPupil.student, VersionPupil.company, VersionPupil.placement,
                   VersionPupil.period)
            .where(*placed).order_by(col(VersionPupil.student)).offset(offset).limit(BATCH)
        ).all()  # fmt: skip
        items += [
            {"kind": "pupil", "student": s, "company": c, "placement": p, "period": t}
            for s, c, p, t in rows
            if s not in answered
        ]
        if len(rows) < BATCH:
            break
        offset += BATCH
    deadline = round_.answer_deadline
    waiting = total - len(answered)
    return {
        "answer_deadline": deadline,
        "overdue": bool(waiting) and deadline is not None and today > deadline,
        "total": waiting,
        "items": items[:PAGE_SIZE],
        "declined": sum(r.status == ResponseStatus.declined for r in answered.values()),
    }


def latest_published_round(session: Session, region_id: int) -> Round | None:
    """The newest round of the region with a published version, without its frozen document."""
    return session.exec(
        select(Round)
        .where(Round.region_id == region_id, col(Round.published_version_id).is_not(None))
        .options(*unread(Round.document))
        .order_by(col(Round.id).desc())
    ).first()


def company_pupils(
    session: Session, user: User, version_id: int, found: VersionSummary, company: str
) -> list[PupilMinimal]:
    """A company's pupils in a version as `PupilMinimal` (first name, school, profile, seat),
    as `api.services.answers.company_pupils` gives them, read from the version's index."""
    rows = session.exec(
        select(VersionPupil.student, VersionPupil.school, VersionPupil.placement,
               VersionPupil.period)
        .where(VersionPupil.version_id == version_id, col(VersionPupil.placed),
               VersionPupil.company == company)
        .order_by(col(VersionPupil.student))
    ).all()  # fmt: skip
    records = {
        p.code: p
        for p in session.exec(
            select(Pupil).where(
                Pupil.region_id == user.region_id, col(Pupil.code).in_([r[0] for r in rows])
            )
        ).all()
    }
    school_name = dict(map(tuple, found.facets.get("schools", [])))
    return [
        PupilMinimal(
            student=student,
            first_name=records[student].first_name if student in records else "",
            school=school_name.get(school, ""),
            profile=records[student].profile if student in records else "",
            placement=placement,
            period=period,
        )
        for student, school, placement, period in rows
    ]
