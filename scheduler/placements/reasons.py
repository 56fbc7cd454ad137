"""Why each unplaced pupil of a placement result stayed unplaced (SPEC section 3 reasons).

Works on the solver's eligible pairs, vectorised, because a national round leaves thousands
unplaced; `verify` checks every reason by its own scalar path.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scheduler.contract.reasons import PlacementReason
from scheduler.domain import Placement, Round, Student
from scheduler.placements.concurrency import use_per_set
from scheduler.placements.eligibility import EligiblePairs
from scheduler.placements.result import PlacementResult

_DETAIL_LIMIT = 5  # slots named in a CAPACITY detail before "and N more"


def admitting_placements(round_: Round, student: Student) -> list[Placement]:
    """Placements whose profile, track, year and periods admit the pupil, travel aside."""
    periods = set(student.periods)
    return [
        p
        for p in round_.placements.values()
        if p.admits(student.profile, student.track, student.year) and periods & p.capacity.keys()
    ]


def unassigned_reasons(round_: Round, result: PlacementResult) -> dict[str, tuple[str, str]]:
    """(reason, detail) for every pupil the result leaves unplaced, in round order."""
    pairs = result.pairs
    placed = np.zeros(len(pairs.students), dtype=bool)
    placed[pairs.student[result.chosen]] = True
    slot_used = np.zeros(pairs.capacity.shape, dtype=np.int64)
    np.add.at(slot_used, (pairs.placement[result.chosen], pairs.period[result.chosen]), 1)
    company_used = np.bincount(
        pairs.placement_company[pairs.placement[result.chosen]],
        minlength=len(pairs.company_ids),
    )
    slot_full = slot_used >= pairs.capacity
    company_full = (pairs.company_limit >= 0) & (company_used >= pairs.company_limit)
    crowded_on = _crowded_days(pairs, result.chosen)
    day_full = np.zeros((len(pairs.company_ids), max(1, len(pairs.periods))), dtype=bool)
    for company, period in crowded_on:
        day_full[company, period] = True
    by_student = _positions_by_student(pairs.student, len(pairs.students))
    blockers = _side_rule_blockers(round_)
    reasons: dict[str, tuple[str, str]] = {}
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
                    _capacity_detail(pairs, own, slot_full, company_full, crowded_on),
                )
            else:
                open_slots = [
                    f"{pairs.placements[p[k]].id}/{pairs.periods[t[k]]}"
                    for k in np.flatnonzero(~full)[:_DETAIL_LIMIT]
                ]
                rule = blockers.get(student.id, "min_students of the placements with room")
                reasons[student.id] = (
                    PlacementReason.CONSTRAINT,
                    f"room at {', '.join(open_slots)} but {rule} blocked it",
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


def _crowded_days(pairs: EligiblePairs, chosen: NDArray[np.int64]) -> dict[tuple[int, int], str]:
    """(company, period) -> "at max_concurrent m on <day>" where one more pupil in that period
    would crowd a day: some day set holding the period is at its limit (SPEC 8)."""
    sets = pairs.concurrency.sets
    if not sets:
        return {}
    company = pairs.placement_company[pairs.placement[chosen]].astype(np.int64)
    use = use_per_set(pairs.concurrency, company, pairs.period[chosen].astype(np.int64))
    crowded: dict[tuple[int, int], str] = {}
    for s, used in zip(sets, use.tolist(), strict=True):
        if used >= s.limit:
            for t in sorted(s.periods):
                crowded.setdefault(
                    (s.company, t), f"at max_concurrent {s.limit} on {s.day.isoformat()}"
                )
    return crowded


def _capacity_detail(pairs, own, slot_full, company_full, crowded_on) -> str:
    names = []
    for k in own:
        p, t = pairs.placement[k], pairs.period[k]
        c = pairs.placement_company[p]
        slot = f"{pairs.placements[p].id}/{pairs.periods[t]}"
        if slot_full[p, t]:
            names.append(f"{slot} full ({pairs.capacity[p, t]})")
        elif (int(c), int(t)) in crowded_on:
            names.append(f"{slot}: {pairs.company_ids[c]} {crowded_on[int(c), int(t)]}")
        else:
            names.append(f"{slot}: {pairs.company_ids[c]} at max_students {pairs.company_limit[c]}")
    more = f" and {len(names) - _DETAIL_LIMIT} more" if len(names) > _DETAIL_LIMIT else ""
    return "every reachable eligible placement is taken: " + "; ".join(names[:_DETAIL_LIMIT]) + more


def _side_rule_blockers(round_: Round) -> dict[str, str]:
    blockers: dict[str, str] = {}
    for a, b in round_.together:
        blockers.setdefault(a, f"together with {b}")
        blockers.setdefault(b, f"together with {a}")
    for a, b in round_.apart:
        blockers.setdefault(a, f"apart from {b}")
        blockers.setdefault(b, f"apart from {a}")
    return blockers


def _unreachable_reason(
    student: Student, admitted: bool, reachable: bool, excluded_eligible: bool
) -> tuple[str, str]:
    excluded = ", ".join(sorted(student.excluded))
    if excluded_eligible:
        return PlacementReason.NO_ELIGIBLE, (
            f"every eligible placement is excluded for the pupil (excluded: {excluded})"
        )
    if not admitted:
        return PlacementReason.NO_ELIGIBLE, (
            f"no placement admits profile {student.profile}, track {student.track}, "
            f"year {student.year} in period(s) {', '.join(student.periods) or 'none'}"
            + (f" but those it excludes ({excluded})" if excluded else "")
        )
    if not reachable:
        return PlacementReason.TOO_FAR, (
            f"placements admit the pupil, but none within {student.max_travel_min} min "
            f"by {student.mode}"
        )
    return PlacementReason.NOT_PREFERRED, (
        "reachable placements admit the pupil, but it accepts only its preferences"
        + (f" ({', '.join(student.preferences)})" if student.preferences else " and listed none")
    )
