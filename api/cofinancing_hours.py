"""The in-kind hours companies give a round, counted from a stored version: placements
(supervision per pupil), planned activities and event-day sessions. The cofinancing service
values them (`api.services.cofinancing`); the round page's dashboard counts them once per
version (`api.dashboard_index`), which is why this module stands apart from the services: the
version index, which the services use, builds the dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, select

from api.db import saved_id
from api.models import Event, Placement, Region, SolutionVersion
from scheduler.contract.round import DEFAULT_HOURS

KINDS = ("placement", "guest_lesson", "excursion", "teacher_internship", "event_session")
SUPERVISION_HOURS = 16.0  # per pupil placed, for a placement that names none
# The hours a session counts per round it runs with pupils, when the event gives no round
# length: a carrousel round is usually well under an hour, so this never overstates much.
DEFAULT_ROUND_MINUTES = 45


def session_hours(session: Session, region_id: int, solution: dict[str, Any]) -> dict[str, float]:
    """In-kind hours per company code: each (session, round) it ran with pupils counts the
    event's round length (`DEFAULT_ROUND_MINUTES` when it gives none)."""
    minutes = {
        code: length or DEFAULT_ROUND_MINUTES
        for code, length in session.exec(
            select(Event.code, Event.round_minutes).where(Event.region_id == region_id)
        ).all()
    }
    ran = {
        (e["company"], e["event"], e["session"], e["round"])
        for e in solution.get("event_sessions", [])
    }
    hours: dict[str, float] = defaultdict(float)
    for company, event, _session, _round in ran:
        hours[company] += minutes.get(event, DEFAULT_ROUND_MINUTES) / 60
    return dict(hours)


def company_hours(
    session: Session, region: Region, version: SolutionVersion
) -> dict[str, dict[str, float]]:
    """Hours per company code and kind: placements (supervision per pupil), planned activities
    and event-day sessions (each round a session ran with pupils); every company of the round,
    those without hours at zero."""
    document, solution = version.round_document, version.solution
    hours_per_pupil = {
        p.code: p.hours_per_pupil
        for p in session.exec(select(Placement).where(Placement.region_id == region.id)).all()
    }
    offer_hours = {
        o["id"]: o.get("hours", DEFAULT_HOURS.get(o.get("kind", ""), 0))
        for o in document.get("offers", [])
    }
    hours: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a in solution.get("assignments", []):
        hours[a["company"]]["placement"] += hours_per_pupil.get(a["placement"], SUPERVISION_HOURS)
    for activity in solution.get("activities", []):
        hours[activity["company"]][activity["kind"]] += offer_hours.get(activity["offer"], 0)
    for company, total in session_hours(session, saved_id(region), version.solution).items():
        hours[company]["event_session"] += total
    return {
        c["id"]: {k: round(hours[c["id"]][k], 2) for k in KINDS}
        for c in document.get("companies", [])
    }
