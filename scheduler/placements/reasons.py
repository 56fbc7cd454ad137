"""Why each unplaced pupil of a placement result stayed unplaced (SPEC section 3 reasons).

Works on the solver's eligible pairs, vectorised, because a national round leaves thousands
unplaced; `verify` checks every reason by its own scalar path. A detail is a `Said` (key and
parameters): the document's English is its rendering, a page renders it in its own language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scheduler.contract.reasons import PlacementReason
from scheduler.domain import Placement, Round, Student
from scheduler.placements.concurrency import use_per_set
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.placements.result import PlacementResult
from scheduler.said import DETAIL_LIMIT as _DETAIL_LIMIT
from scheduler.said import Said, said
from scheduler.validation import parse_round


def admitting_placements(round_: Round, student: Student) -> list[Placement]:
    """Placements whose profile, track, year and periods admit the pupil, travel aside."""
    periods = set(student.periods)
    return [
        p
        for p in round_.placements.values()
        if p.admits(student.profile, student.track, student.year) and periods & p.capacity.keys()
    ]


def unassigned_reasons(round_: Round, result: PlacementResult) -> dict[str, tuple[str, Said]]:
    """(reason, detail) for every pupil the result leaves unplaced, in round order."""
    pairs, chosen = result.pairs, result.chosen
    placed = np.zeros(len(pairs.students), dtype=bool)
    placed[pairs.student[chosen]] = True
    taken = Taken(pairs.placement[chosen].astype(np.int64), pairs.period[chosen].astype(np.int64))
    blockers = side_rule_blockers(round_.together, round_.apart)
    return pair_reasons(pairs, placed, taken, blockers)


# What the reasons need of a round document beside its unplaced pupils.
REASON_KEYS = ("format", "name", "seed", "travel", "weights", "defaults", "travel_matrix",
               "schools", "companies", "placements", "calendar", "periods")  # fmt: skip


def solution_reasons(
    document: Mapping[str, Any], solution: Mapping[str, Any]
) -> dict[str, tuple[str, Said]]:
    """The reasons the solver gave for a stored solution's unplaced pupils, re-derived by the
    same code from the round document and the solution's `assignments`. Only the pupils without
    an assignment are validated and paired (a quarter of a region's, and the costly part); the
    seats in use are counted from the assignments. An assignment whose placement or period the
    round does not hold is left out of the counts."""
    assignments = solution.get("assignments", [])
    placed = {a["student"] for a in assignments}
    part = {k: document[k] for k in REASON_KEYS if k in document}
    part["students"] = [s for s in document.get("students", []) if s["id"] not in placed]
    round_ = parse_round(part)
    pairs = eligible_pairs(round_)
    placement_index = {p.id: i for i, p in enumerate(pairs.placements)}
    period_index = {t: i for i, t in enumerate(pairs.periods)}
    held = [
        (placement_index[a["placement"]], period_index[a["period"]])
        for a in assignments
        if a["placement"] in placement_index and a["period"] in period_index
    ]
    taken = Taken(
        np.array([p for p, _ in held], dtype=np.int64),
        np.array([t for _, t in held], dtype=np.int64),
    )
    blockers = side_rule_blockers(document.get("together", []), document.get("apart", []))
    return pair_reasons(pairs, np.zeros(len(pairs.students), dtype=bool), taken, blockers)


@dataclass(frozen=True, slots=True)
class Taken:
    """The seats in use: placement and period index (into the pairs' own) per placed pupil."""

    placement: NDArray[np.int64]
    period: NDArray[np.int64]


def pair_reasons(
    pairs: EligiblePairs, placed: NDArray[np.bool_], taken: Taken, blockers: Mapping[str, Said]
) -> dict[str, tuple[str, Said]]:
    """(reason, detail) of every pupil of `pairs` not `placed`, with `taken` seats in use."""
    slot_used = np.zeros(pairs.capacity.shape, dtype=np.int64)
    np.add.at(slot_used, (taken.placement, taken.period), 1)
    company_used = np.bincount(
        pairs.placement_company[taken.placement], minlength=len(pairs.company_ids)
    )
    slot_full = slot_used >= pairs.capacity
    company_full = (pairs.company_limit >= 0) & (company_used >= pairs.company_limit)
    crowded_on = _crowded_days(pairs, taken)
    day_full = np.zeros((len(pairs.company_ids), max(1, len(pairs.periods))), dtype=bool)
    for company, period in crowded_on:
        day_full[company, period] = True
    by_student = _positions_by_student(pairs.student, len(pairs.students))
    reasons: dict[str, tuple[str, Said]] = {}
    for i, student in enumerate(pairs.students):
        if placed[i]:
            continue
        own = by_student[i]
        if len(own):
            p, t = pairs.placement[own], pairs.period[own]
            c = pairs.placement_company[p]
            full = slot_full[p, t] | company_full[c] | day_full[c, t]
            if full.all():
                reasons[student.id] = (
                    PlacementReason.CAPACITY,
                    _capacity_detail(pairs, own, slot_full, crowded_on),
                )
            else:
                open_slots = [
                    f"{pairs.placements[p[k]].id}/{pairs.periods[t[k]]}"
                    for k in np.flatnonzero(~full)[:_DETAIL_LIMIT]
                ]
                rule = blockers.get(student.id, _MIN_STUDENTS)
                reasons[student.id] = (
                    PlacementReason.CONSTRAINT,
                    said("detail.constraint", slots=open_slots, rule=rule),
                )
            continue
        reasons[student.id] = _unreachable_reason(
            student, pairs.admitted_somewhere[i], pairs.reachable[i], pairs.excluded_eligible[i]
        )
    return reasons


def _positions_by_student(student: NDArray[np.int32], n: int) -> list[NDArray[np.int64]]:
    order = np.argsort(student, kind="stable")
    bounds = np.searchsorted(student[order], np.arange(n + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(n)]


def _crowded_days(pairs: EligiblePairs, taken: Taken) -> dict[tuple[int, int], tuple[int, str]]:
    """(company, period) -> (max_concurrent, day) where one more pupil in that period would
    crowd a day: some day set holding the period is at its limit (SPEC 8)."""
    sets = pairs.concurrency.sets
    if not sets:
        return {}
    company = pairs.placement_company[taken.placement].astype(np.int64)
    use = use_per_set(pairs.concurrency, company, taken.period)
    crowded: dict[tuple[int, int], tuple[int, str]] = {}
    for s, used in zip(sets, use.tolist(), strict=True):
        if used >= s.limit:
            for t in sorted(s.periods):
                crowded.setdefault((s.company, t), (s.limit, s.day.isoformat()))
    return crowded


def _capacity_detail(
    pairs: EligiblePairs,
    own: NDArray[np.int64],
    slot_full: NDArray[np.bool_],
    crowded_on: dict[tuple[int, int], tuple[int, str]],
) -> Said:
    """Per slot of the pupil, what fills it: its seats, a crowded day, or the company's cap."""
    causes = []
    for k in own[:_DETAIL_LIMIT].tolist():
        p, t = int(pairs.placement[k]), int(pairs.period[k])
        c = int(pairs.placement_company[p])
        slot = f"{pairs.placements[p].id}/{pairs.periods[t]}"
        company = pairs.company_ids[c]
        if slot_full[p, t]:
            causes.append(said("detail.slot_full", slot=slot, capacity=int(pairs.capacity[p, t])))
        elif (c, t) in crowded_on:
            limit, day = crowded_on[c, t]
            causes.append(
                said("detail.slot_crowded", slot=slot, company=company, limit=limit, day=day)
            )
        else:
            limit = int(pairs.company_limit[c])
            causes.append(said("detail.slot_max_students", slot=slot, company=company, limit=limit))
    shown = said("join.semicolon", items=causes)
    if len(own) > _DETAIL_LIMIT:
        shown = said("detail.more", items=shown, more=len(own) - _DETAIL_LIMIT)
    return said("detail.capacity", slots=shown)


_MIN_STUDENTS = said("detail.min_students")


def side_rule_blockers(
    together: Iterable[Sequence[str]], apart: Iterable[Sequence[str]]
) -> dict[str, Said]:
    """Per pupil in a side rule, the first rule that can have blocked it (CONSTRAINT), the
    rules in the order `scheduler.validation` keeps them (id order), so that a document's pairs
    as written and a parsed round's name the same one."""
    blockers: dict[str, Said] = {}
    for a, b in _in_id_order(together):
        blockers.setdefault(a, said("detail.together", other=b))
        blockers.setdefault(b, said("detail.together", other=a))
    for a, b in _in_id_order(apart):
        blockers.setdefault(a, said("detail.apart", other=b))
        blockers.setdefault(b, said("detail.apart", other=a))
    return blockers


def _in_id_order(pairs: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    return sorted((min(a, b), max(a, b)) for a, b in pairs)


def _unreachable_reason(
    student: Student, admitted: bool, reachable: bool, excluded_eligible: bool
) -> tuple[str, Said]:
    excluded = ", ".join(sorted(student.excluded))
    if excluded_eligible:
        return PlacementReason.NO_ELIGIBLE, said("detail.all_excluded", excluded=excluded)
    if not admitted:
        return PlacementReason.NO_ELIGIBLE, said(
            "detail.no_eligible",
            profile=student.profile,
            track=student.track,
            year=student.year,
            periods=", ".join(student.periods) or said("detail.none"),
            excluded=said("detail.but_excluded", excluded=excluded) if excluded else "",
        )
    if not reachable:
        return PlacementReason.TOO_FAR, said(
            "detail.too_far", minutes=student.max_travel_min, mode=said(f"mode.{student.mode}")
        )
    if not student.preferences:
        return PlacementReason.NOT_PREFERRED, said("detail.no_preferences")
    return PlacementReason.NOT_PREFERRED, said(
        "detail.only_preferences", preferences=", ".join(student.preferences)
    )
