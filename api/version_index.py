"""The round page's index of a solution version: one row per pupil and one summary.

A region's round document and solution weigh about 12 MB at 20,000 pupils; reading them costs
more than a page may. A version never changes once stored (only an erasure rewrites it, and
drops its index), so what the page shows is computed from the pair once, when the version is
stored (`api.jobs.store_result`, `api.services.rounds.publish` copies it), or at its first view
for a version stored before this index existed. The page then reads a page of pupils with its
filters in one query, and the small summary.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, insert, literal
from sqlalchemy import select as select_columns
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from api import dashboard_index
from api.db import stored_or_built
from api.models import SolutionVersion, VersionDashboard, VersionPupil, VersionSummary
from api.school_labels import school_label
from scheduler import explain
from scheduler.contract.round import DEFAULT_HOURS
from scheduler.said import to_json


def unread(*columns: Any) -> list[Any]:
    """Loader options that leave these (large JSON) columns unread until something uses them.
    SQLModel types a column attribute as its value, so the attribute is taken untyped here."""
    return [defer(column) for column in columns]


# The summary's columns a page needs; the rest waits until pin choices ask for it.
LIGHT = unread(VersionSummary.taken, VersionSummary.offer)
# The columns copied from a proposal's index to its publication's.
SUMMARY_COLUMNS = ("status", "students", "placements", "placed", "unplaced", "activities",
                   "requesters", "coverage", "load", "facets", "taken", "offer")  # fmt: skip
DASHBOARD_COLUMNS = ("schools", "activities", "offer_kinds", "months", "cofinancing", "advice",
                     "unplanned")  # fmt: skip
PUPIL_COLUMNS = ("student", "school", "profile", "placed", "company", "placement", "period",
                 "rank", "travel_min", "reason", "detail", "said", "record")  # fmt: skip


def coverage(document: Mapping[str, Any], solution: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per school: pupils in the round, placed, unplaced by reason, and the placed share."""
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    pupils = Counter(school_of.values())
    placed = Counter(school_of.get(a["student"]) for a in solution.get("assignments", []))
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for u in solution.get("unassigned", []):
        reasons[school_of.get(u["student"], "")][u["reason"]] += 1
    rows = []
    for school in document.get("schools", []):
        code = school["id"]
        total = pupils[code]
        rows.append(
            {
                "code": code,
                "name": school.get("name") or code,
                "pupils": total,
                "placed": placed[code],
                "unplaced": total - placed[code],
                "share": round(100 * placed[code] / total) if total else 0,
                "reasons": dict(reasons[code]),
            }
        )
    return rows


def company_load(document: Mapping[str, Any], solution: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per company with pupils or activity hours: seats used of seats offered (and its cap),
    activity hours in its busiest month against its hours-per-month budget. A company nobody
    goes to has no load to show: at region size it would be thousands of empty rows."""
    seats: Counter[str] = Counter()
    for p in document.get("placements", []):
        seats[p["company"]] += sum(p.get("capacity", {}).values())
    used = Counter(a["company"] for a in solution.get("assignments", []))
    offer_hours = {
        o["id"]: o.get("hours", DEFAULT_HOURS.get(o.get("kind", ""), 0))
        for o in document.get("offers", [])
    }
    month_hours: dict[str, Counter[str]] = defaultdict(Counter)
    for a in solution.get("activities", []):
        month_hours[a["company"]][a["date"][:7]] += offer_hours.get(a["offer"], 0)
    rows = []
    for company in document.get("companies", []):
        code = company["id"]
        busiest = max(month_hours[code].values(), default=0)
        if not used[code] and not busiest:
            continue
        offered = seats[code]
        cap = company.get("max_students")
        limit = min(offered, cap) if cap is not None else offered
        budget = company.get("hours_per_month")
        rows.append(
            {
                "code": code,
                "name": company.get("name") or code,
                "offered": offered,
                "max_students": cap,
                "used": used[code],
                "load": round(100 * used[code] / limit) if limit else 0,
                "busiest_month_hours": busiest,
                "hours_per_month": budget,
                "over_budget": budget is not None and busiest > budget,
            }
        )
    rows.sort(key=lambda r: (-r["load"], -r["busiest_month_hours"], r["code"]))
    return rows


def placement_details(document: Mapping[str, Any], solution: Mapping[str, Any]) -> dict[str, Any]:
    """Student -> the detail of its `unassigned` entry as the solver derived it, as JSON: the
    scheduler re-derives it from the pair (`scheduler.explain.placement_details`), so no page
    ever parses the document's English."""
    if not solution.get("unassigned"):
        return {}
    found = explain.placement_details(document, solution)
    return {student: to_json(detail) for student, detail in found.items()}


def pupil_rows(document: Mapping[str, Any], solution: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per pupil of the round: where the solution put it, or why not."""
    assigned = {a["student"]: a for a in solution.get("assignments", [])}
    unassigned = {u["student"]: u for u in solution.get("unassigned", [])}
    said = placement_details(document, solution)
    rows = []
    for s in document.get("students", []):
        a, u = assigned.get(s["id"]), unassigned.get(s["id"], {})
        rows.append(
            {
                "student": s["id"],
                "school": s["school"],
                "profile": s["profile"],
                "placed": a is not None,
                "company": a["company"] if a else "",
                "placement": a["placement"] if a else "",
                "period": a["period"] if a else "",
                "rank": a.get("rank") if a else None,
                "travel_min": a.get("travel_min") if a else None,
                "reason": u.get("reason", ""),
                "detail": u.get("detail", ""),
                "said": said.get(s["id"]),
                "record": s,
            }
        )
    return rows


def school_facet(school: Mapping[str, Any]) -> list[str]:
    """A school as the school filter offers it: its code, and its name with its place (one
    school's locations share a name)."""
    label = school_label(dict(school))
    return [
        str(label["code"]),
        f"{label['name']}, {label['place']}" if label["place"] else str(label["name"]),
    ]


def build(session: Session, version: SolutionVersion) -> VersionSummary:
    """Index `version` (the caller commits)."""
    version_id = version.id
    assert version_id is not None
    document, solution = version.round_document, version.solution
    names = {c["id"]: c.get("name") or c["id"] for c in document.get("companies", [])}
    rows = pupil_rows(document, solution)
    load = company_load(document, solution)
    taken: Counter[str] = Counter(
        f"{a['placement']}|{a['period']}" for a in solution.get("assignments", [])
    )
    summary = VersionSummary(
        version_id=version_id,
        status=str(solution.get("status", "")),
        students=len(rows),
        placements=len(document.get("placements", [])),
        placed=len(solution.get("assignments", [])),
        unplaced=len(solution.get("unassigned", [])),
        activities=len(solution.get("activities", [])),
        requesters=len(document.get("classes", [])) + len(document.get("teachers", [])),
        coverage=coverage(document, solution),
        load=load,
        facets={
            "schools": [school_facet(s) for s in document.get("schools", [])],
            "companies": [[r["code"], names[r["code"]]] for r in load if r["used"]],
            "reasons": sorted({r["reason"] for r in rows if r["reason"]}),
            "profiles": sorted({r["profile"] for r in rows}),
        },
        taken={"seats": dict(taken), "companies": {r["code"]: r["used"] for r in load}},
        offer={k: v for k, v in document.items() if k != "students"},
    )
    session.add(summary)
    if rows:
        session.execute(insert(VersionPupil), [{"version_id": version_id, **r} for r in rows])
    session.flush()
    if session.get(VersionDashboard, version_id) is None:
        dashboard_index.build(session, version)
    return summary


def summary(session: Session, version_id: int) -> VersionSummary:
    """The stored summary of a version, indexing the version first if it has none yet. Its
    two large parts (`taken`, `offer`) are read only when used: only pin choices need them."""
    return stored_or_built(
        session,
        lambda: session.get(VersionSummary, version_id, options=LIGHT),
        lambda: build(session, dashboard_index.stored_version(session, version_id)),
    )


def pupil_said(session: Session, version_id: int, student: str) -> Any:
    """One pupil's stored detail (`VersionPupil.said`), indexing the version first if needed."""
    summary(session, version_id)
    query = select(VersionPupil.said).where(
        VersionPupil.version_id == version_id, VersionPupil.student == student
    )
    return session.exec(query).first()


def counts(session: Session, version_ids: Iterable[int]) -> dict[int, tuple[str, int, int]]:
    """(status, placed, unplaced) per version, for a list of versions (indexing any not yet)."""
    ids = list(version_ids)
    query = select(
        VersionSummary.version_id,
        VersionSummary.status,
        VersionSummary.placed,
        VersionSummary.unplaced,
    ).where(col(VersionSummary.version_id).in_(ids))
    found = {v: (s, p, u) for v, s, p, u in session.exec(query).all()}
    for missing in set(ids) - found.keys():
        made = summary(session, missing)
        found[missing] = (made.status, made.placed, made.unplaced)
    return found


def copy(session: Session, source_id: int, target_id: int) -> None:
    """Give `target_id` the index of `source_id`, a version with the same two documents (a
    publication of a proposal): a copy inside the database instead of a second reading. A
    source not indexed yet leaves the target to be indexed at its first view."""
    tables = (
        (VersionSummary, SUMMARY_COLUMNS),
        (VersionPupil, PUPIL_COLUMNS),
        (VersionDashboard, DASHBOARD_COLUMNS),
    )
    for table, names in tables:
        columns = [col(getattr(table, name)) for name in names]
        rows = select_columns(literal(target_id), *columns).where(
            col(table.version_id) == source_id
        )
        session.execute(insert(table).from_select(["version_id", *names], rows))
    session.flush()


def drop(session: Session, version_ids: Iterable[int]) -> None:
    """Forget the index of these versions (an erasure rewrote them); rebuilt at the next view."""
    ids = list(version_ids)
    session.execute(delete(VersionPupil).where(col(VersionPupil.version_id).in_(ids)))
    session.execute(delete(VersionSummary).where(col(VersionSummary.version_id).in_(ids)))
    session.execute(delete(VersionDashboard).where(col(VersionDashboard.version_id).in_(ids)))
