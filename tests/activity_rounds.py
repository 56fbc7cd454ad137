"""Builders of tiny activity rounds (SPEC problem B), a hypothesis strategy and a brute force."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from rounds import KM, company, round_doc, school

from scheduler.contract.round import ACTIVITY_MODE
from scheduler.domain import Round, SchoolClass
from scheduler.travel import school_travel_minutes

# Monday 1 to Friday 12 March 2027: two school weeks in one month.
TWO_WEEKS = {"start": "2027-03-01", "end": "2027-03-12", "holidays": [], "min_gap_days": 0}


def klass(id: str = "K1", school: str = "S1", **kw: Any) -> dict:
    return {
        "id": id,
        "school": school,
        "year": 3,
        "profile": "PIE",
        "size": 20,
        "free": ["tue-pm"],
        "demand": {"excursion": 1},
        **kw,
    }


def teacher(id: str = "T1", school: str = "S1", **kw: Any) -> dict:
    return {
        "id": id,
        "school": school,
        "free": ["tue-pm"],
        "demand": {"teacher_internship": 1},
        **kw,
    }


def offer(id: str = "O1", company: str = "C1", kind: str = "excursion", **kw: Any) -> dict:
    return {"id": id, "company": company, "kind": kind, "available": ["tue-pm"], **kw}


def activity_round(
    classes: list[dict] | None = None,
    teachers: list[dict] | None = None,
    offers: list[dict] | None = None,
    companies: list[dict] | None = None,
    calendar: dict | None = None,
    **extra: Any,
) -> dict:
    return round_doc(
        companies=companies if companies is not None else [company()],
        placements=[],
        students=[],
        calendar=calendar if calendar is not None else dict(TWO_WEEKS),
        classes=classes if classes is not None else [klass()],
        teachers=teachers or [],
        offers=offers if offers is not None else [offer()],
        **extra,
    )


@st.composite
def tiny_activity_rounds(draw: st.DrawFn) -> dict:
    """Rounds small enough to brute-force, with every rule able to bite: a week across a month's
    end (so monthly rules split), few dayparts, scarce hours and tight travel."""
    coords = st.tuples(st.floats(-10 * KM, 10 * KM), st.floats(-10 * KM, 10 * KM))
    companies = []
    for i in range(draw(st.integers(1, 2))):
        dlat, dlon = draw(coords)
        extra = {}
        if draw(st.booleans()):
            extra["hours_per_month"] = draw(st.integers(3, 8))
        sectors = draw(st.sampled_from([["bouw"], ["energie"], ["bouw", "energie"], []]))
        companies.append(company(f"C{i}", 52.0 + dlat, 5.0 + dlon, sectors=sectors, **extra))
    patterns = st.lists(
        st.sampled_from(["tue-pm", "thu-pm", "thu-am", "2027-03-02/pm", "2027-02-25/pm"]),
        min_size=1,
        max_size=3,
        unique=True,
    )
    n_classes = draw(st.integers(0, 3))
    offers = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(["excursion", "excursion", "guest_lesson", "teacher_internship"])
        )
        extra = {}
        if draw(st.booleans()):
            extra["max_per_month"] = draw(st.integers(1, 2))
        if draw(st.booleans()):
            extra["max_group_size"] = draw(st.sampled_from([15, 25]))
        offers.append(
            offer(
                f"O{i}",
                f"C{draw(st.integers(0, len(companies) - 1))}",
                "teacher_internship" if i == 0 and not n_classes else kind,
                available=draw(patterns),
                profiles=draw(st.sampled_from([[], [], ["PIE"], ["BWI"]])),
                sectors=draw(st.sampled_from([["bouw"], ["energie"]])),
                hours=draw(st.integers(2, 4)),
                max_travel_min=draw(st.sampled_from([20, 45])),
                **extra,
            )
        )
    classes = [
        klass(
            f"K{i}",
            size=draw(st.integers(12, 28)),
            profile=draw(st.sampled_from(["PIE", "BWI"])),
            free=draw(patterns),
            demand={
                "excursion": draw(st.integers(1, 2)),
                **({"guest_lesson": 1} if draw(st.booleans()) else {}),
            },
            distinct_sectors=draw(st.booleans()),
        )
        for i in range(n_classes)
    ]
    teachers = [
        teacher(
            f"T{i}", free=draw(patterns), sectors=draw(st.sampled_from([[], ["bouw"], ["ict"]]))
        )
        for i in range(draw(st.integers(0 if n_classes else 1, 1)))
    ]
    calendar = {
        "start": "2027-02-24",
        "end": draw(st.sampled_from(["2027-03-02", "2027-03-05"])),
        "holidays": draw(st.sampled_from([[], [["2027-03-01", "2027-03-01"]]])),
        "min_gap_days": draw(st.sampled_from([0, 1, 3])),
    }
    return activity_round(classes, teachers, offers, companies, calendar, schools=[school("S1")])


@st.composite
def tiny_escort_rounds(draw: st.DrawFn) -> dict:
    """Tiny activity rounds with `escort_ratio` (SPEC section 8) and a few teachers, some who
    may not escort, some with an internship of their own, so escorts bind often."""
    doc = draw(tiny_activity_rounds().filter(lambda d: d["classes"]))
    patterns = st.lists(
        st.sampled_from(["tue-pm", "thu-pm", "thu-am", "2027-03-02/pm"]),
        min_size=1,
        max_size=3,
        unique=True,
    )
    teachers = [
        teacher(
            f"T{i}",
            free=draw(patterns),
            escort=draw(st.sampled_from([True, True, False])),
            demand=draw(st.sampled_from([{}, {"teacher_internship": 1}])),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    if not any(o["kind"] == "teacher_internship" for o in doc["offers"]):
        doc["offers"].append(offer("OT", "C0", "teacher_internship", available=draw(patterns)))
    doc["teachers"] = teachers
    doc["defaults"] = {"escort_ratio": draw(st.sampled_from([10, 15, 30]))}
    return doc


def brute_force_activities(round_: Round, kept: Collection[tuple] = ()) -> tuple[int, int, int]:
    """(most activities, least travel at that, flattest months at both) over every set of
    candidates that holds the `kept` (requester, offer, date, daypart) activities: the rules of
    SPEC section 4, executed, with the offers' declines."""
    cal = round_.calendar
    days = [cal.start + timedelta(n) for n in range((cal.end - cal.start).days + 1)]
    school_days = [
        d for d in days if d.weekday() < 5 and not any(a <= d <= b for a, b in cal.holidays)
    ]
    requesters = [*round_.classes.values(), *round_.teachers.values()]
    candidates = []
    for r in requesters:
        for o in round_.offers.values():
            if r.demand.get(o.kind, 0) <= 0 or not _admits(r, o):
                continue
            minutes = school_travel_minutes(round_, r.school, o.company, ACTIVITY_MODE[o.kind])
            if minutes > o.max_travel_min:
                continue
            for d in school_days:
                for part in ("am", "pm"):
                    if (
                        _covers(r.free, d, part)
                        and _covers(o.available, d, part)
                        and (d, part) not in o.closed
                    ):
                        candidates.append((r, o, d, part, minutes))
    fixed = [c for c in candidates if (c[0].id, c[1].id, c[2].isoformat(), c[3]) in set(kept)]
    assert len(fixed) == len(kept) and _feasible(round_, fixed), "kept activities must be possible"
    candidates = [c for c in candidates if c not in fixed]
    best = _value(round_, fixed)

    def search(start: int, chosen: list) -> None:
        nonlocal best
        value = _value(round_, chosen)
        if (value[0], -value[1], -value[2]) > (best[0], -best[1], -best[2]):
            best = value
        for i in range(start, len(candidates)):
            chosen.append(candidates[i])
            if _feasible(round_, chosen):
                search(i + 1, chosen)
            chosen.pop()

    search(0, list(fixed))
    return best


def _admits(r: Any, o: Any) -> bool:
    if r.id in o.refused:
        return False
    if isinstance(r, SchoolClass):
        return (o.max_group_size is None or r.size <= o.max_group_size) and (
            not o.profiles or r.profile in o.profiles
        )
    size_ok = o.max_group_size is None or o.max_group_size >= 1
    return size_ok and (not r.sectors or bool(set(r.sectors) & set(o.sectors)))


def _covers(patterns: tuple[str, ...], d: date, part: str) -> bool:
    names = ("mon", "tue", "wed", "thu", "fri")
    return any(
        p == f"{names[d.weekday()]}-{part}" or p == f"{d.isoformat()}/{part}" for p in patterns
    )


def _feasible(round_: Round, chosen: list) -> bool:
    gap = round_.calendar.min_gap_days
    per_requester: dict[str, list] = {}
    for r, o, d, part, _ in chosen:
        per_requester.setdefault(r.id, []).append((o, d, part))
    for r_id, acts in per_requester.items():
        requester = round_.classes.get(r_id) or round_.teachers[r_id]
        if len({(d, p) for _, d, p in acts}) < len(acts):
            return False
        if any(abs((a[1] - b[1]).days) < gap for i, a in enumerate(acts) for b in acts[i + 1 :]):
            return False
        kinds = Counter(o.kind for o, _, _ in acts)
        if any(n > requester.demand.get(k, 0) for k, n in kinds.items()):
            return False
        if isinstance(requester, SchoolClass) and requester.distinct_sectors:
            sectors = [
                (round_.companies[o.company].sectors or (None,))[0]
                for o, _, _ in acts
                if o.kind == "excursion"
            ]
            if len(set(sectors)) < len(sectors):
                return False
    if len({(o.id, d, p) for _, o, d, p, _ in chosen}) < len(chosen):
        return False
    per_month = Counter((o.id, d.month) for _, o, d, _, _ in chosen)
    if any(
        round_.offers[o].max_per_month is not None and n > round_.offers[o].max_per_month
        for (o, _), n in per_month.items()
    ):
        return False
    if not _escorts_fit(round_, chosen):
        return False
    hours = Counter()
    for _, o, d, _, _ in chosen:
        hours[(o.company, d.month)] += o.hours
    return not any(
        round_.companies[c].hours_per_month is not None and h > round_.companies[c].hours_per_month
        for (c, _), h in hours.items()
    )


def _escorts_fit(round_: Round, chosen: list) -> bool:
    """SPEC section 8 executed: the escorts of each daypart's excursions are named, teacher by
    teacher, from the school's teachers who may escort, are free and have no own activity then;
    a teacher escorts at most one excursion a daypart."""
    ratio = round_.defaults.escort_ratio
    if ratio is None:
        return True
    busy = {(r.id, d, part) for r, _, d, part, _ in chosen if r.id in round_.teachers}
    taken: set[tuple[str, date, str]] = set()
    for r, o, d, part, _ in chosen:
        if o.kind != "excursion" or not isinstance(r, SchoolClass):
            continue
        need = -(-r.size // ratio)
        pool = [
            t.id
            for t in round_.teachers.values()
            if t.school == r.school
            and t.escort
            and _covers(t.free, d, part)
            and (t.id, d, part) not in busy | taken
        ]
        if len(pool) < need:
            return False
        taken |= {(t, d, part) for t in pool[:need]}
    return True


def _value(round_: Round, chosen: list) -> tuple[int, int, int]:
    hours: Counter = Counter()
    for _, o, d, _, _ in chosen:
        hours[(o.company, d.month)] += o.hours
    peak: dict[str, int] = {}
    for (c, _), h in hours.items():
        peak[c] = max(peak.get(c, 0), h)
    return len(chosen), sum(m for *_, m in chosen), sum(peak.values())
