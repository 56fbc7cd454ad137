"""Event days (SPEC section 9) between database rows and the round document, both ways.

Only what the solver reads crosses over: an event's times of day, a session's title and a
request's database ids stay in the database (`api.services.event_days` reads them back for
programmes and cofinancing).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from api.db import saved_id
from api.models import Company, Event, EventRequest, EventSession, Pupil, Region


def event_day_records(
    session: Session,
    region: Region,
    pupil_code: dict[int, str],
    company_code: dict[int, str],
) -> dict[str, list[dict[str, Any]]]:
    """The region's `events`, `sessions` and `event_requests` lists; none when it has no events."""
    events = session.exec(
        select(Event).where(Event.region_id == region.id).order_by(col(Event.id))
    ).all()
    if not events:
        return {}
    event_code = {e.id: e.code for e in events}
    sessions = session.exec(
        select(EventSession)
        .where(EventSession.region_id == region.id)
        .order_by(col(EventSession.id))
    ).all()
    requests = session.exec(
        select(EventRequest)
        .where(EventRequest.region_id == region.id)
        .order_by(col(EventRequest.id))
    ).all()
    return {
        "events": [event_record(e) for e in events],
        "sessions": [session_record(s, event_code, company_code) for s in sessions],
        "event_requests": [
            request_record(r, event_code, pupil_code) for r in requests if r.pupil_id in pupil_code
        ],
    }


def event_record(event: Event) -> dict[str, Any]:
    record: dict[str, Any] = {"id": event.code, "name": event.name, "rounds": event.rounds}
    if event.date:  # an event imported from a document without one
        record["date"] = event.date
    if event.lat is not None and event.lon is not None:
        record.update(lat=event.lat, lon=event.lon)
    return record


def session_record(
    entry: EventSession, event_code: dict[int | None, str], company_code: dict[int, str]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": entry.code,
        "event": event_code[entry.event_id],
        "company": company_code[entry.company_id],
        "capacity": entry.capacity,
        "sectors": list(entry.sectors),
        "profiles": list(entry.profiles),
    }
    if entry.rounds is not None:
        record["rounds"] = sorted(entry.rounds)
    return record


def request_record(
    request: EventRequest, event_code: dict[int | None, str], pupil_code: dict[int, str]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "student": pupil_code[request.pupil_id],
        "event": event_code[request.event_id],
        "choices": list(request.choices),
        "distinct_sectors": request.distinct_sectors,
    }
    if request.count is not None:
        record["count"] = request.count
    return record


def import_event_days(
    session: Session,
    region_id: int,
    document: dict[str, Any],
    companies: dict[str, Company],
    pupils: dict[str, Pupil],
) -> None:
    """Add a round document's events, sessions and event requests to the region (after its
    companies and pupils, whose rows are given by code). The caller flushes and commits."""
    events = {}
    for e in document.get("events", []):
        events[e["id"]] = Event(
            region_id=region_id,
            code=e["id"],
            name=e.get("name") or e["id"],
            date=e.get("date") or "",
            rounds=e["rounds"],
            lat=e.get("lat"),
            lon=e.get("lon"),
        )
        session.add(events[e["id"]])
    session.flush()
    for s in document.get("sessions", []):
        session.add(
            EventSession(
                region_id=region_id,
                code=s["id"],
                event_id=saved_id(events[s["event"]]),
                company_id=saved_id(companies[s["company"]]),
                capacity=s["capacity"],
                rounds=list(s["rounds"]) if s.get("rounds") is not None else None,
                sectors=list(s.get("sectors", [])),
                profiles=list(s.get("profiles", [])),
            )
        )
    for r in document.get("event_requests", []):
        pupil = pupils[r["student"]]
        session.add(
            EventRequest(
                region_id=region_id,
                school_id=pupil.school_id,
                pupil_id=saved_id(pupil),
                event_id=saved_id(events[r["event"]]),
                choices=list(r["choices"]),
                count=r.get("count"),
                distinct_sectors=r.get("distinct_sectors", False),
            )
        )
