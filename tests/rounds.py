"""Builders of tiny round documents and hypothesis strategies for them, shared by the tests."""

from __future__ import annotations

import copy
import itertools
import random
from typing import Any

from hypothesis import strategies as st

from scheduler.domain import Round
from scheduler.travel import student_travel_minutes

# About 1 km = 0.009 degrees of latitude near 52 N.
KM = 0.009


def school(id: str = "S1", lat: float = 52.0, lon: float = 5.0, periods=("P1",), **kw) -> dict:
    return {
        "id": id,
        "name": f"school {id}",
        "lat": lat,
        "lon": lon,
        "periods": list(periods),
        **kw,
    }


def company(id: str = "C1", lat: float = 52.0, lon: float = 5.0, **kw) -> dict:
    return {"id": id, "name": f"company {id}", "lat": lat, "lon": lon, "sectors": ["energie"], **kw}


def placement(id: str = "PL1", company: str = "C1", capacity=None, **kw) -> dict:
    return {"id": id, "company": company, "capacity": capacity or {"P1": 1}, **kw}


def student(id: str = "st1", school: str = "S1", **kw) -> dict:
    return {"id": id, "school": school, "profile": "PIE", "track": "kb", "year": 3, **kw}


def round_doc(schools=None, companies=None, placements=None, students=None, **extra: Any) -> dict:
    return {
        "format": "stagebureau.round/1",
        "name": "test round",
        "schools": schools if schools is not None else [school()],
        "companies": companies if companies is not None else [company()],
        "placements": placements if placements is not None else [placement()],
        "students": students if students is not None else [student()],
        **extra,
    }


@st.composite
def tiny_rounds(draw: st.DrawFn, side_rules: bool = False, max_students: int = 5) -> dict:
    """Rounds small enough to brute-force, dense enough to make capacity and travel bite."""
    n_companies = draw(st.integers(1, 3))
    coords = st.tuples(st.floats(-12 * KM, 12 * KM), st.floats(-12 * KM, 12 * KM))
    companies = []
    for i in range(n_companies):
        dlat, dlon = draw(coords)
        extra = {}
        if draw(st.booleans()):
            extra["max_students"] = draw(st.integers(0, 3))
        companies.append(company(f"C{i}", 52.0 + dlat, 5.0 + dlon, **extra))
    placements = []
    for i in range(draw(st.integers(1, 3))):
        periods = draw(st.lists(st.sampled_from(["P1", "P2"]), min_size=1, max_size=2, unique=True))
        extra = {
            "profiles": draw(st.sampled_from([[], ["PIE"], ["BWI"], ["PIE", "BWI"]])),
            "tracks": draw(st.sampled_from([[], ["kb"], ["bb", "gl"]])),
            "min_year": draw(st.sampled_from([0, 3, 4])),
        }
        if side_rules:
            extra["min_students"] = draw(st.integers(0, 3))
        placements.append(
            placement(
                f"PL{i}",
                f"C{draw(st.integers(0, n_companies - 1))}",
                {t: draw(st.integers(0, 2)) for t in periods},
                **extra,
            )
        )
    students = []
    closable = [c["id"] for c in companies] + [p["id"] for p in placements]
    n_students = draw(st.integers(1, max_students))
    for i in range(n_students):
        dlat, dlon = draw(coords)
        prefs = draw(
            st.lists(st.sampled_from([p["id"] for p in placements]), max_size=3, unique=True)
        )
        students.append(
            student(
                f"st{i}",
                profile=draw(st.sampled_from(["PIE", "BWI"])),
                track=draw(st.sampled_from(["kb", "bb", "gl"])),
                year=draw(st.sampled_from([3, 4])),
                home={"lat": 52.0 + dlat, "lon": 5.0 + dlon},
                max_travel_min=draw(st.sampled_from([20, 45, 60])),
                preferences=prefs,
                accept_unranked=draw(st.booleans()),
                priority=draw(st.integers(1, 3)),
                periods=draw(
                    st.lists(st.sampled_from(["P1", "P2"]), min_size=1, max_size=2, unique=True)
                ),
                excluded=draw(st.lists(st.sampled_from(closable), max_size=2, unique=True)),
            )
        )
    doc = round_doc([school(periods=("P1", "P2"))], companies, placements, students)
    origins = [s["id"] for s in students] + ["S1"]
    if draw(st.booleans()):
        for s in students[: draw(st.integers(0, 2))]:
            del s["home"]  # so the school's matrix row applies to them
        entries = st.tuples(
            st.sampled_from(origins),
            st.sampled_from([c["id"] for c in companies]),
            st.integers(0, 70),
        )
        doc["travel_matrix"] = {}
        for origin, target, minutes in draw(st.lists(entries, max_size=4)):
            doc["travel_matrix"].setdefault(origin, {})[target] = minutes
    if side_rules and n_students >= 2:
        ids = [s["id"] for s in students]
        pairs = st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1]),
            max_size=2,
        )
        doc["together"] = [list(p) for p in draw(pairs)]
        doc["apart"] = [list(p) for p in draw(pairs)]
    return doc


def brute_force_placement(
    round_: Round,
    pinned: dict[str, tuple[str, str]] | None = None,
    previous: dict[str, tuple[str, str]] | None = None,
    at_least: int | None = None,
) -> tuple[int, int] | tuple[int, int, int]:
    """(max placed priority, min cost at it) by trying every assignment: the spec, executed.

    With `pinned` those pupils must be where they are pinned; with `previous` the answer is
    (placed priority, fewest changes, least cost), a change being a pupil of `previous` that is
    moved or dropped. With `at_least` it is (at_least, the least cost of any assignment placing
    at least that priority): what a reported `bound` may not exceed.
    """
    pinned, previous = pinned or {}, previous or {}
    options = []
    for s in round_.students.values():
        mine: list[tuple[str, str, str, int] | None] = [None]
        for p in round_.placements.values():
            if not p.admits(s.profile, s.track, s.year) or s.excludes(p):
                continue
            rank = s.rank_of(p.id)
            if rank is None and not s.accept_unranked:
                continue
            minutes = student_travel_minutes(round_, s, p.company)
            if minutes > s.max_travel_min:
                continue
            cost = (
                round_.weights.preference_cost(rank) + round_.weights.travel_minute_cost * minutes
            )
            mine += [(p.id, t, p.company, cost) for t in s.periods if p.capacity.get(t, 0) > 0]
        if s.id in pinned:
            mine = [m for m in mine if m and (m[0], m[1]) == pinned[s.id]]
        options.append(mine)
    students = list(round_.students.values())
    best = None
    for combo in itertools.product(*options):
        if not _feasible(round_, students, combo):
            continue
        placed = sum(s.priority for s, c in zip(students, combo, strict=True) if c)
        if at_least is not None:
            if placed < at_least:
                continue
            placed = at_least
        cost = sum(c[3] for c in combo if c)
        changes = sum(
            1
            for s, c in zip(students, combo, strict=True)
            if s.id in previous and (c is None or (c[0], c[1]) != previous[s.id])
        )
        key = (placed, -changes, -cost)
        if best is None or key > best:
            best = key
    assert best is not None, "no feasible assignment"
    if previous:
        return best[0], -best[1], -best[2]
    return best[0], -best[2]


def _feasible(round_: Round, students, combo) -> bool:
    slots: dict[tuple[str, str], int] = {}
    per_company: dict[str, int] = {}
    per_placement: dict[str, int] = {}
    company_of = {}
    for s, choice in zip(students, combo, strict=True):
        if choice is None:
            continue
        placement_id, period, company_id, _ = choice
        slots[(placement_id, period)] = slots.get((placement_id, period), 0) + 1
        per_company[company_id] = per_company.get(company_id, 0) + 1
        per_placement[placement_id] = per_placement.get(placement_id, 0) + 1
        company_of[s.id] = company_id
    if any(n > round_.placements[p].capacity[t] for (p, t), n in slots.items()):
        return False
    for c, n in per_company.items():
        limit = round_.companies[c].max_students
        if limit is not None and n > limit:
            return False
    on_day: dict[tuple[str, object], int] = {}
    for choice in combo:
        if choice is not None and choice[1] in round_.periods:
            for day in round_.periods[choice[1]].days:
                on_day[(choice[2], day)] = on_day.get((choice[2], day), 0) + 1
    for (c, _), n in on_day.items():
        most = round_.companies[c].max_concurrent
        if most is not None and n > most:
            return False
    if any(0 < n < round_.placements[p].min_students for p, n in per_placement.items()):
        return False
    if any(company_of.get(a) != company_of.get(b) for a, b in round_.together):
        return False
    return not any(
        a in company_of and company_of.get(a) == company_of.get(b) for a, b in round_.apart
    )


# Lists of a round whose order means nothing (a pupil's `preferences` and an elective request's
# `choices` are rankings, so they are not among them).
UNORDERED_LISTS = (
    "schools",
    "companies",
    "placements",
    "students",
    "together",
    "apart",
    "classes",
    "teachers",
    "offers",
    "electives",
    "elective_requests",
)


def shuffled(doc: dict, rnd: random.Random) -> dict:
    """The same round with every unordered list, pair and `travel_matrix` key shuffled."""
    doc = copy.deepcopy(doc)
    for key in UNORDERED_LISTS:
        if key in doc:
            rnd.shuffle(doc[key])
    for key in ("together", "apart"):
        for pair in doc.get(key, []):
            rnd.shuffle(pair)
    if "travel_matrix" in doc:
        rows = list(doc["travel_matrix"].items())
        rnd.shuffle(rows)
        doc["travel_matrix"] = {}
        for origin, row in rows:
            targets = list(row.items())
            rnd.shuffle(targets)
            doc["travel_matrix"][origin] = dict(targets)
    return doc


def without_stats(solution: dict) -> dict:
    """A solution document less its `stats`, which may differ between two orders (SPEC 8)."""
    return {key: value for key, value in solution.items() if key != "stats"}
