"""Between database rows and the SPEC documents the solver core reads and writes.

`region_document` freezes a region into a round document (the snapshot a round keeps);
`import_document` fills a region from one (the demo, and a bureau moving from files to the
platform). Only the fields SPEC defines cross over: a pupil's first name stays in the database.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from api.db import saved_id
from api.event_converters import event_day_records, import_event_days
from api.models import (
    Company,
    CompanyStop,
    Decline,
    Elective,
    ElectiveRequest,
    Offer,
    PairKind,
    Placement,
    Pupil,
    PupilPair,
    Region,
    School,
    SchoolClass,
    Teacher,
)
from scheduler import company_stops
from scheduler.contract.round import ROUND_FORMAT, default_weights

# Invented first names for pupils imported from a round document, which carries none.
FIRST_NAMES = (
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Noah", "Luuk", "Bram", "Jesse",
    "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Evi", "Lotte",
    "Thijs", "Ruben", "Lars", "Stijn", "Jayden", "Anna", "Fenna", "Lieke", "Iris", "Noor",
)  # fmt: skip


def region_document(session: Session, region: Region, name: str) -> dict[str, Any]:
    """The region as a SPEC round document named `name`: every problem it has data for."""

    def rows(table: Any) -> list[Any]:
        query = select(table).where(table.region_id == region.id).order_by(table.id)
        return list(session.exec(query).all())

    schools = rows(School)
    companies = rows(Company)
    placements = rows(Placement)
    pupils = rows(Pupil)
    classes = rows(SchoolClass)
    teachers = rows(Teacher)
    offers = rows(Offer)
    electives = rows(Elective)
    requests = rows(ElectiveRequest)
    pairs = rows(PupilPair)
    school_code = {s.id: s.code for s in schools}
    company_code = {c.id: c.code for c in companies}
    pupil_code = {p.id: p.code for p in pupils}

    document: dict[str, Any] = {
        "format": ROUND_FORMAT,
        "name": name,
        "weights": default_weights(),
        "defaults": _defaults(region),
        "schools": [
            {"id": s.code, "name": s.name, "lat": s.lat, "lon": s.lon, "periods": list(s.periods)}
            for s in schools
        ],
        "companies": [_company_record(c) for c in companies],
        "placements": [_placement_record(p, company_code) for p in placements],
        "students": [_student_record(p, school_code) for p in pupils],
    }
    for kind in PairKind:
        listed = [
            [pupil_code[p.pupil_a_id], pupil_code[p.pupil_b_id]] for p in pairs if p.kind == kind
        ]
        if listed:
            document[str(kind)] = listed
    if region.calendar:
        document["calendar"] = dict(region.calendar)
    if region.periods:
        document["periods"] = [dict(period) for period in region.periods]
    if classes:
        document["classes"] = [_class_record(k, school_code) for k in classes]
    if teachers:
        document["teachers"] = [
            {
                "id": t.code,
                "school": school_code[t.school_id],
                "free": list(t.free),
                "demand": dict(t.demand),
                "sectors": list(t.sectors),
                "escort": t.escort,
            }
            for t in teachers
        ]
    if offers:
        document["offers"] = [_offer_record(o, company_code) for o in offers]
    if electives:
        document["electives"] = [
            {
                "id": e.code,
                "school": school_code[e.school_id],
                "slot": e.slot,
                "capacity": e.capacity,
                "profiles": list(e.profiles),
            }
            for e in electives
        ]
    if requests:
        document["elective_requests"] = [
            {"student": pupil_code[r.pupil_id], "choices": list(r.choices), "count": r.count}
            for r in requests
        ]
    document.update(event_day_records(session, region, pupil_code, company_code))
    return document


def _defaults(region: Region) -> dict[str, Any]:
    """The region's travel defaults, and its escort ratio when the bureau set one (SPEC 8)."""
    defaults: dict[str, Any] = {"max_travel_min": region.max_travel_min, "mode": region.mode}
    if region.escort_ratio is not None:
        defaults["escort_ratio"] = region.escort_ratio
    return defaults


def _company_record(c: Company) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": c.code,
        "name": c.name,
        "lat": c.lat,
        "lon": c.lon,
        "sectors": list(c.sectors),
    }
    if c.max_students is not None:
        record["max_students"] = c.max_students
    if c.hours_per_month is not None:
        record["hours_per_month"] = c.hours_per_month
    if c.max_concurrent is not None:
        record["max_concurrent"] = c.max_concurrent
    return record


def _placement_record(p: Placement, company_code: dict[int, str]) -> dict[str, Any]:
    return {
        "id": p.code,
        "company": company_code[p.company_id],
        "capacity": dict(p.capacity),
        "profiles": list(p.profiles),
        "tracks": list(p.tracks),
        "min_year": p.min_year,
        "min_students": p.min_students,
    }


def _student_record(p: Pupil, school_code: dict[int, str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": p.code,
        "school": school_code[p.school_id],
        "profile": p.profile,
        "track": p.track,
        "year": p.year,
    }
    if p.home_lat is not None and p.home_lon is not None:
        record["home"] = {"lat": p.home_lat, "lon": p.home_lon}
    if p.mode is not None:
        record["mode"] = p.mode
    if p.max_travel_min is not None:
        record["max_travel_min"] = p.max_travel_min
    record["preferences"] = list(p.preferences)
    record["accept_unranked"] = p.accept_unranked
    record["priority"] = p.priority
    if p.periods is not None:
        record["periods"] = list(p.periods)
    return record


def _class_record(k: SchoolClass, school_code: dict[int, str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": k.code,
        "school": school_code[k.school_id],
        "year": k.year,
        "size": k.size,
        "free": list(k.free),
        "demand": dict(k.demand),
        "distinct_sectors": k.distinct_sectors,
    }
    if k.profile is not None:
        record["profile"] = k.profile
    return record


def _offer_record(o: Offer, company_code: dict[int, str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": o.code,
        "company": company_code[o.company_id],
        "kind": o.kind,
        "sectors": list(o.sectors),
        "profiles": list(o.profiles),
        "available": list(o.available),
    }
    for key in ("max_group_size", "hours", "max_per_month", "max_travel_min"):
        value = getattr(o, key)
        if value is not None:
            record[key] = value
    return record


def import_document(session: Session, region: Region, document: dict[str, Any]) -> dict[str, int]:
    """Add the schools, companies, placements, pupils, together/apart pairs and event days of a
    round document to `region`.

    Pupils get an invented first name (documents carry none). Returns counts per kind. The
    caller commits; codes already in the region raise an integrity error there.
    """
    rid = region.id
    assert rid is not None
    schools = {}
    for s in document.get("schools", []):
        school = School(
            region_id=rid,
            code=s["id"],
            name=s.get("name") or s["id"],
            lat=s["lat"],
            lon=s["lon"],
            periods=list(s.get("periods", [])),
        )
        session.add(school)
        schools[s["id"]] = school
    companies = {}
    for c in document.get("companies", []):
        company = Company(
            region_id=rid,
            code=c["id"],
            name=c.get("name") or c["id"],
            lat=c["lat"],
            lon=c["lon"],
            sectors=list(c.get("sectors", [])),
            max_students=c.get("max_students"),
            hours_per_month=c.get("hours_per_month"),
            max_concurrent=c.get("max_concurrent"),
        )
        session.add(company)
        companies[c["id"]] = company
    session.flush()
    for p in document.get("placements", []):
        session.add(
            Placement(
                region_id=rid,
                company_id=saved_id(companies[p["company"]]),
                code=p["id"],
                capacity=dict(p["capacity"]),
                profiles=list(p.get("profiles", [])),
                tracks=list(p.get("tracks", [])),
                min_year=p.get("min_year", 0),
                min_students=p.get("min_students", 0),
            )
        )
    pupils = {}
    for i, s in enumerate(document.get("students", [])):
        home = s.get("home")
        pupils[s["id"]] = Pupil(
            region_id=rid,
            school_id=saved_id(schools[s["school"]]),
            code=s["id"],
            first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
            profile=s["profile"],
            track=s["track"],
            year=s["year"],
            home_lat=home["lat"] if home else None,
            home_lon=home["lon"] if home else None,
            mode=s.get("mode"),
            max_travel_min=s.get("max_travel_min"),
            preferences=list(s.get("preferences", [])),
            accept_unranked=s.get("accept_unranked", True),
            priority=s.get("priority", 1),
            periods=list(s["periods"]) if "periods" in s else None,
        )
        session.add(pupils[s["id"]])
    session.flush()
    paired: set[tuple[int, int]] = set()
    for kind in PairKind:
        for a, b in document.get(str(kind), []):
            first, second = sorted((pupils[a], pupils[b]), key=saved_id)
            key = (saved_id(first), saved_id(second))
            if first is second or key in paired:
                continue  # one rule per two pupils, as the table holds them
            paired.add(key)
            session.add(
                PupilPair(
                    region_id=rid,
                    kind=kind,
                    pupil_a_id=key[0],
                    pupil_b_id=key[1],
                    school_id=first.school_id if first.school_id == second.school_id else None,
                )
            )
    import_event_days(session, rid, document, companies, pupils)
    session.flush()
    return {
        "schools": len(schools),
        "companies": len(companies),
        "placements": len(document.get("placements", [])),
        "students": len(document.get("students", [])),
    }


def standing_exclusions(session: Session, region_id: int) -> dict[str, list[str]]:
    """Pupil code -> the codes of the companies that stand by their decline of it."""
    rows = session.exec(
        select(Pupil.code, Company.code)
        .join(Decline, col(Decline.pupil_id) == col(Pupil.id))
        .join(Company, col(Decline.company_id) == col(Company.id))
        .where(Decline.region_id == region_id, col(Decline.lifted_at).is_(None))
    ).all()
    excluded: dict[str, set[str]] = defaultdict(set)
    for pupil, company in rows:
        excluded[pupil].add(company)
    return {pupil: sorted(companies) for pupil, companies in sorted(excluded.items())}


def standing_stops(session: Session, region_id: int) -> list[tuple[int, company_stops.CompanyStop]]:
    """(record id, stop by company code) of each company stop the bureau has not lifted: every
    solve and repair of the region writes them over the round (`scheduler.company_stops`)."""
    rows = session.exec(
        select(CompanyStop, Company.code)
        .join(Company, col(CompanyStop.company_id) == col(Company.id))
        .where(CompanyStop.region_id == region_id, col(CompanyStop.lifted_at).is_(None))
        .order_by(col(CompanyStop.id))
    ).all()
    return [
        (saved_id(stop), company_stops.CompanyStop(code, stop.stopped_from)) for stop, code in rows
    ]
