"""Cofinancing: the in-kind hours companies give a round, valued at the region's hourly rate
against its target share of the regional plan's budget (the STO subsidy's 10% rule).

The hours depend only on a stored version (and the region's placements and events as they are
when counted); the value and the target depend on settings that may change. So the hours are
counted once per version for the round page (`api.version_index`), and valued when shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from api.db import saved_id
from api.models import Placement, Region, SolutionVersion
from api.services.event_days import session_hours
from scheduler.contract.round import DEFAULT_HOURS

KINDS = ("placement", "guest_lesson", "excursion", "teacher_internship", "event_session")
SUPERVISION_HOURS = 16.0  # per pupil placed, for a placement that names none


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


def target_eur(region: Region, share: float) -> float:
    return round(region.plan_budget_eur * share, 2)


def valued(hours: Mapping[str, float], region: Region, rate: float, share: float) -> dict[str, Any]:
    """Hours per kind valued at `rate`, against the region's target: what the round page's
    cofinancing section and chart show."""
    total_hours = round(sum(hours.values()), 2)
    value = round(total_hours * rate, 2)
    target = target_eur(region, share)
    return {
        "hours": {k: hours.get(k, 0.0) for k in KINDS},
        "total_hours": total_hours,
        "hourly_rate_eur": rate,
        "value_eur": value,
        "plan_budget_eur": region.plan_budget_eur,
        "target_share": share,
        "target_eur": target,
        "reached_percent": round(100 * value / target) if target else None,
        "shortfall_eur": round(max(0.0, target - value), 2),
    }


def report(
    session: Session, region: Region, version: SolutionVersion, rate: float, share: float
) -> dict[str, Any]:
    """Each company's hours valued at `rate`, and the total against the region's target."""
    names = {c["id"]: c.get("name", "") for c in version.round_document.get("companies", [])}
    companies = []
    for code, per_kind in company_hours(session, region, version).items():
        total = sum(per_kind.values())
        companies.append(
            {"company": code, "name": names[code], "hours": per_kind, "total_hours": total,
             "value_eur": round(total * rate, 2)}
        )  # fmt: skip
    total_value = round(sum(c["value_eur"] for c in companies), 2)
    target = target_eur(region, share)
    return {
        "round_id": version.round_id,
        "version_id": version.id,
        "hourly_rate_eur": rate,
        "plan_budget_eur": region.plan_budget_eur,
        "target_share": share,
        "target_eur": target,
        "total_value_eur": total_value,
        "target_reached_share": round(total_value / target, 4) if target else None,
        "companies": companies,
    }
