"""The round page's dashboard of a solution version, counted once like its index
(`api.version_index`): schools with place and BRIN, activities planned and not with their
reasons, each class's and teacher's shortfall with its detail, activity hours per month and the
cofinancing hours. A version never changes once stored, so none of this is counted per request;
only the cofinancing's value and target are worked out when shown, since the hourly rate and
the region's budget may change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from api import cofinancing_hours
from api.db import stored_or_built
from api.models import Region, Round, SolutionVersion, VersionDashboard
from api.school_labels import school_label
from scheduler import explain
from scheduler.contract.round import DEFAULT_HOURS
from scheduler.said import to_json

ACTIVITY_KINDS = ("excursion", "guest_lesson", "teacher_internship")
TOP_COMPANIES = 10


def activities(solution: Mapping[str, Any]) -> dict[str, Any]:
    """Per activity kind asked for: visits planned, and those not planned by reason code."""
    planned = Counter(a["kind"] for a in solution.get("activities", []))
    missing: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for u in solution.get("unplanned", []):
        missing[u["kind"]] += u["missing"]
        reasons[u["kind"]][u["reason"]] += u["missing"]
    return {
        kind: {"planned": planned[kind], "unplanned": missing[kind], "reasons": dict(reasons[kind])}
        for kind in ACTIVITY_KINDS
        if planned[kind] or missing[kind]
    }


def shortfalls(document: Mapping[str, Any], solution: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each `unplanned` entry with its requester's school and its detail as JSON (`said`, None
    where the derivation does not find the entry's code).

    The details are derived again from the pair by the solver's own code
    (`scheduler.explain.activity_details`), never parsed from the document's English. That
    rebuilds the round's activity candidates and the plan's ledger: half a second of CPU at
    region size (389,000 candidates, 175 shortfalls), where a page has milliseconds, so it runs
    here, once per version when the job stores it, and the pages read the result."""
    entries = solution.get("unplanned") or []
    if not entries:
        return []
    details = explain.activity_details(document, solution)
    school = {
        r["id"]: r["school"] for key in ("classes", "teachers") for r in document.get(key, [])
    }
    rows = []
    for u in entries:
        detail = details.get((u["requester"], u["kind"]))
        rows.append(
            {
                "requester": u["requester"],
                "school": school.get(u["requester"], ""),
                "kind": u["kind"],
                "missing": u["missing"],
                "reason": u["reason"],
                "said": None if detail is None else to_json(detail),
            }
        )
    return rows


def month_hours(document: Mapping[str, Any], solution: Mapping[str, Any]) -> list[Any]:
    """Activity hours per calendar month and kind, in month order."""
    offer_hours = {
        o["id"]: o.get("hours", DEFAULT_HOURS.get(o.get("kind", ""), 0))
        for o in document.get("offers", [])
    }
    months: dict[str, Counter[str]] = defaultdict(Counter)
    for a in solution.get("activities", []):
        months[a["date"][:7]][a["kind"]] += offer_hours.get(a["offer"], 0)
    return [[month, dict(months[month])] for month in sorted(months)]


def in_kind_hours(session: Session, version: SolutionVersion) -> dict[str, Any]:
    """The version's in-kind hours per kind, and the companies giving most."""
    round_ = session.get(Round, version.round_id)
    region = session.get(Region, round_.region_id) if round_ else None
    assert region is not None, f"solution version {version.id} has no region"
    per_company = cofinancing_hours.company_hours(session, region, version)
    names = {c["id"]: c.get("name") or c["id"] for c in version.round_document.get("companies", [])}
    totals = {k: round(sum(h[k] for h in per_company.values()), 2) for k in cofinancing_hours.KINDS}
    top = sorted(per_company.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        "hours": totals,
        "companies": [
            {"code": code, "name": names.get(code, code), "hours": round(sum(h.values()), 2)}
            for code, h in top[:TOP_COMPANIES]
            if sum(h.values())
        ],
    }


def build(session: Session, version: SolutionVersion) -> VersionDashboard:
    """Count the dashboard of `version` (the caller commits)."""
    assert version.id is not None
    document, solution = version.round_document, version.solution
    dashboard = VersionDashboard(
        version_id=version.id,
        schools=[school_label(s) for s in document.get("schools", [])],
        activities=activities(solution),
        offer_kinds={o["id"]: o.get("kind", "") for o in document.get("offers", [])},
        months=month_hours(document, solution),
        cofinancing=in_kind_hours(session, version),
        unplanned=shortfalls(document, solution),
    )
    session.add(dashboard)
    session.flush()
    return dashboard


def read(session: Session, version_id: int) -> VersionDashboard:
    """The stored dashboard of a version, counted first for a version stored before it (its
    shortfalls derived first for one counted before they were kept)."""
    found = session.get(VersionDashboard, version_id)
    if found is not None and found.unplanned is None:
        version = stored_version(session, version_id)
        found.unplanned = shortfalls(version.round_document, version.solution)
        session.add(found)
        session.commit()
    return stored_or_built(
        session,
        lambda: found or session.get(VersionDashboard, version_id),
        lambda: build(session, stored_version(session, version_id)),
    )


def stored_version(session: Session, version_id: int) -> SolutionVersion:
    """A version that must exist: its index or dashboard is asked for by its id."""
    version = session.get(SolutionVersion, version_id)
    assert version is not None, f"no solution version {version_id}"
    return version
