"""Cofinancing: the in-kind hours companies give a round, valued at the region's hourly rate
against its target share of the regional plan's budget (the STO subsidy's 10% rule).

The hours depend only on a stored version (and the region's placements and events as they are
when counted, `api.cofinancing_hours`); the value and the target depend on settings that may
change. So the round page's dashboard counts the hours once per version and values them when
shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from api.cofinancing_hours import KINDS, company_hours
from api.models import Region, SolutionVersion


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
