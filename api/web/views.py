"""What the pages show, computed from stored rounds and versions: no business rule lives here.

The difference between two versions and the map are read off a version's round document and
solution (the verifiable pair the solver wrote), so a page shows exactly what an export of the
same version would; the round page's coverage, load and pupil lists come from the version's
index (`api.version_index`), computed from the same pair.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from api.models import (
    ACTIVE_JOB_STATUSES,
    Job,
    Pupil,
    Round,
    School,
    SolutionVersion,
)

DEFAULT_PERIODS = ["P1", "P2", "P3", "P4"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKLY_DAYPARTS = [f"{d}-{p}" for d in WEEKDAYS for p in ("am", "pm")]


def region_periods(session: Session, region_id: int) -> list[str]:
    """The periods the region's schools plan placements in (P1-P4 when none say)."""
    periods: set[str] = set()
    for school_periods in session.exec(
        select(School.periods).where(School.region_id == region_id)
    ).all():
        periods.update(school_periods or [])
    return sorted(periods) or list(DEFAULT_PERIODS)


def latest_published(session: Session, region_id: int) -> tuple[Round, SolutionVersion] | None:
    """The newest round of the region with a published version, and that version."""
    round_ = session.exec(
        select(Round)
        .where(Round.region_id == region_id, col(Round.published_version_id).is_not(None))
        .order_by(col(Round.id).desc())
    ).first()
    if round_ is None:
        return None
    version = session.get(SolutionVersion, round_.published_version_id)
    return (round_, version) if version is not None else None


def job_seconds(job: Job, now: datetime) -> float:
    """How long the job has waited (queued) or run (running) by the clock on the wall: the
    solver's own elapsed time says nothing while a job waits for a worker or builds its model."""
    since = job.started_at or job.created_at
    if since.tzinfo is None:  # SQLite hands back naive timestamps; they are UTC
        since = since.replace(tzinfo=UTC)
    return max(0.0, (now - since).total_seconds())


def job_percent(job: Job) -> int:
    """A solve's progress as a share of its time limit (exact flows finish far sooner)."""
    if job.status not in ACTIVE_JOB_STATUSES:
        return 100
    limit = float(job.params.get("time_limit", 30.0)) or 30.0
    return max(2, min(95, round(100 * job.elapsed / limit)))


def first_names(session: Session, region_id: int, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.exec(
        select(Pupil.code, Pupil.first_name).where(
            Pupil.region_id == region_id,
            col(Pupil.code).in_(codes),
        )
    ).all()
    return dict(rows)


def activity_diff(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Visits planned in only one of two versions' activities, per class or teacher and kind:
    what a repair moved, for the bureau to see before it publishes."""

    def visits(activities: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for a in activities:
            label = f"{a['offer']} {a['date']} {a['daypart']}"
            found.setdefault((a["requester"], a["kind"]), set()).add(label)
        return found

    old, new = visits(before), visits(after)
    rows = []
    for requester, kind in sorted(old.keys() | new.keys()):
        was, now = old.get((requester, kind), set()), new.get((requester, kind), set())
        if was != now:
            rows.append(
                {
                    "requester": requester,
                    "kind": kind,
                    "before": ", ".join(sorted(was - now)),
                    "after": ", ".join(sorted(now - was)),
                }
            )
    return rows


OVERLAP_DEG = 0.0005  # about 50 m: locations closer than this would hide one another
SPREAD_DEG = 0.0025  # ... so they are drawn on a circle of about 250 m around their centre


def spread(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Points (`lat`, `lon`) with those that would overlap moved apart on a small circle
    around where they stand, in code order, so each can be seen and clicked (four locations
    of one school at one address)."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, p in enumerate(points):
        groups[(round(p["lat"] / OVERLAP_DEG), round(p["lon"] / OVERLAP_DEG))].append(i)
    placed = [dict(p) for p in points]
    for members in groups.values():
        if len(members) < 2:
            continue
        squash = math.cos(math.radians(points[members[0]]["lat"]))
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members)
            placed[i]["lat"] = points[i]["lat"] + SPREAD_DEG * math.sin(angle)
            placed[i]["lon"] = points[i]["lon"] + SPREAD_DEG * math.cos(angle) / squash
    return placed


def outline(points: list[tuple[float, float]], pad: float) -> str:
    """The region's outline for the offline map: the convex hull of its points (Andrew's
    monotone chain), pushed out by `pad` from their centre, as SVG polygon points."""
    unique = sorted(set(points))
    if len(unique) < 3:
        return ""

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(ordered: list[tuple[float, float]]) -> list[tuple[float, float]]:
        chain: list[tuple[float, float]] = []
        for p in ordered:
            while len(chain) >= 2 and turn(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain[:-1]

    hull = half(unique) + half(unique[::-1])
    cx = sum(x for x, _ in hull) / len(hull)
    cy = sum(y for _, y in hull) / len(hull)
    pushed = []
    for x, y in hull:
        length = math.hypot(x - cx, y - cy) or 1.0
        pushed.append(f"{x + pad * (x - cx) / length:.1f},{y + pad * (y - cy) / length:.1f}")
    return " ".join(pushed)


def project_map(
    schools: list[dict[str, Any]],
    companies: list[dict[str, Any]],
    pairs: Mapping[tuple[str, str], int] | None = None,
    width: int = 640,
    height: int = 420,
    margin: int = 24,
) -> dict[str, Any]:
    """Schools and companies projected into an SVG box (equirectangular at the region's mean
    latitude: over a region's tens of kilometres that is true to shape), with one line per
    school-company pair in `pairs` (its pupils), its width by their number."""
    points = [(s["lat"], s["lon"]) for s in schools] + [(c["lat"], c["lon"]) for c in companies]
    if not points:
        return {"width": width, "height": height, "outline": "", "schools": [], "companies": [],
                "links": []}  # fmt: skip
    mean_lat = sum(p[0] for p in points) / len(points)
    squash = math.cos(math.radians(mean_lat))
    xs = [lon * squash for _, lon in points]
    ys = [lat for lat, _ in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = min((width - 2 * margin), (height - 2 * margin)) / span
    x0, y1 = min(xs), max(ys)
    # Centre the drawing in the box.
    left = (width - (max(xs) - x0) * scale) / 2
    top = (height - (y1 - min(ys)) * scale) / 2

    def place(lat: float, lon: float) -> tuple[float, float]:
        return (
            round(left + (lon * squash - x0) * scale, 1),
            round(top + (y1 - lat) * scale, 1),
        )

    school_xy = {s["id"]: place(s["lat"], s["lon"]) for s in schools}
    company_xy = {c["id"]: place(c["lat"], c["lon"]) for c in companies}
    shape = outline([*school_xy.values(), *company_xy.values()], margin / 2)
    pairs = {(s, c): n for (s, c), n in (pairs or {}).items()
             if s in school_xy and c in company_xy}  # fmt: skip
    heaviest = max(pairs.values(), default=1)
    return {
        "width": width,
        "height": height,
        "outline": shape,
        "schools": [
            {
                "id": s["id"],
                "name": s.get("name") or s["id"],
                "place": s.get("place", ""),
                "brin": s.get("brin", ""),
                "lat": s["lat"],
                "lon": s["lon"],
                "x": school_xy[s["id"]][0],
                "y": school_xy[s["id"]][1],
            }
            for s in schools
        ],
        "companies": [
            {
                "id": c["id"],
                "name": c.get("name") or c["id"],
                "lat": c["lat"],
                "lon": c["lon"],
                "x": company_xy[c["id"]][0],
                "y": company_xy[c["id"]][1],
            }
            for c in companies
        ],
        "links": [
            {
                "school": s,
                "company": c,
                "pupils": n,
                "x1": school_xy[s][0],
                "y1": school_xy[s][1],
                "x2": company_xy[c][0],
                "y2": company_xy[c][1],
                "width": round(1 + 5 * n / heaviest, 1),
            }
            for (s, c), n in sorted(pairs.items())
        ],
    }


def activities_by_month(
    activities: Sequence[Mapping[str, Any]],
) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Activities grouped by calendar month, in date order."""
    months: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for a in sorted(activities, key=lambda a: (a["date"], a["daypart"])):
        months[a["date"][:7]].append(a)
    return sorted(months.items())


def month_label(month: str, lang: str) -> str:
    names = {
        "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"),
        "en": ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"),
    }  # fmt: skip
    day = date.fromisoformat(f"{month}-01")
    return f"{names.get(lang, names['nl'])[day.month - 1]} {day.year}"
