"""Why each unplaced pupil of a placement result stayed unplaced (SPEC section 3 reasons).

Works on the solver's eligible pairs, vectorised, because a national round leaves thousands
unplaced; `verify` checks every reason by its own scalar path. A detail is a `Said` (key and
parameters): the document's English is its rendering, a page renders it in its own language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    return pair_reasons(round_, result.pairs, result.chosen)


def solution_reasons(
    round_: Round, assignments: Iterable[Mapping[str, Any]]
) -> dict[str, tuple[str, Said]]:
    """The reasons the solver gave for a stored solution's unplaced pupils, re-derived from the
    round and the solution's `assignments` by the same code: the eligible pairs rebuilt, the
    chosen positions found among them. An assignment outside the pairs (a round edited since)
    is left out of the seat counts."""
    pairs = eligible_pairs(round_)
    n_placements, n_periods = len(pairs.placements), max(1, len(pairs.periods))
    keys = (pairs.student.astype(np.int64) * n_placements + pairs.placement) * n_periods
    keys += pairs.period
    order = np.argsort(keys, kind="stable")
    student_index = {s.id: i for i, s in enumerate(pairs.students)}
    placement_index = {p.id: i for i, p in enumerate(pairs.placements)}
    period_index = {t: i for i, t in enumerate(pairs.periods)}
    wanted = [
        (student_index[a["student"]] * n_placements + placement_index[a["placement"]]) * n_periods
        + period_index[a["period"]]
        for a in assignments
        if a["student"] in student_index
        and a["placement"] in placement_index
        and a["period"] in period_index
    ]
    sought = np.array(wanted, dtype=np.int64)
    at = np.searchsorted(keys[order], sought).clip(max=max(0, len(order) - 1))
    found = order[at][keys[order][at] == sought] if len(order) else order
    return pair_reasons(round_, pairs, found.astype(np.int64))


def pair_reasons(
    round_: Round, pairs: EligiblePairs, chosen: NDArray[np.int64]
) -> dict[str, tuple[str, Said]]:
    """(reason, detail) of every pupil of `pairs` without a position in `chosen`."""
    placed = np.zeros(len(pairs.students), dtype=bool)
    placed[pairs.student[chosen]] = True
    slot_used = np.zeros(pairs.capacity.shape, dtype=np.int64)
    np.add.at(slot_used, (pairs.placement[chosen], pairs.period[chosen]), 1)
    company_used = np.bincount(
        pairs.placement_company[pairs.placement[chosen]],
        minlength=len(pairs.company_ids),
    )
    slot_full = slot_used >= pairs.capacity
    company_full = (pairs.company_limit >= 0) & (company_used >= pairs.company_limit)
    crowded_on = _crowded_days(pairs, chosen)
    day_full = np.zeros((len(pairs.company_ids), max(1, len(pairs.periods))), dtype=bool)
    for company, period in crowded_on:
        day_full[company, period] = True
    by_student = _positions_by_student(pairs.student, len(pairs.students))
    blockers = _side_rule_blockers(round_)
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


def _crowded_days(
    pairs: EligiblePairs, chosen: NDArray[np.int64]
) -> dict[tuple[int, int], tuple[int, str]]:
    """(company, period) -> (max_concurrent, day) where one more pupil in that period would
    crowd a day: some day set holding the period is at its limit (SPEC 8)."""
    sets = pairs.concurrency.sets
    if not sets:
        return {}
    company = pairs.placement_company[pairs.placement[chosen]].astype(np.int64)
    use = use_per_set(pairs.concurrency, company, pairs.period[chosen].astype(np.int64))
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


def _side_rule_blockers(round_: Round) -> dict[str, Said]:
    blockers: dict[str, Said] = {}
    for a, b in round_.together:
        blockers.setdefault(a, said("detail.together", other=b))
        blockers.setdefault(b, said("detail.together", other=a))
    for a, b in round_.apart:
        blockers.setdefault(a, said("detail.apart", other=b))
        blockers.setdefault(b, said("detail.apart", other=a))
    return blockers


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
