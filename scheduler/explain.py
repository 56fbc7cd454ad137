"""Why a pupil got what it got: reasons for the unplaced and a story for `explain`.

`unassigned_reasons` works on the solver's eligible pairs, vectorised, because a national round
leaves thousands unplaced. `explain_student` re-derives everything for one pupil from the round
and the solution document alone, so it also explains solutions made elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .domain import ElectiveRequest, Placement, Round, Student
from .placement import PlacementResult
from .travel import student_travel_minutes

NO_ELIGIBLE = "NO_ELIGIBLE"
TOO_FAR = "TOO_FAR"
NOT_PREFERRED = "NOT_PREFERRED"
CAPACITY = "CAPACITY"
CONSTRAINT = "CONSTRAINT"

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
            full = slot_full[p, t] | company_full[c]
            if full.all():
                reasons[student.id] = (
                    CAPACITY,
                    _capacity_detail(pairs, own, slot_full, company_full),
                )
            else:
                open_slots = [
                    f"{pairs.placements[p[k]].id}/{pairs.periods[t[k]]}"
                    for k in np.flatnonzero(~full)[:_DETAIL_LIMIT]
                ]
                rule = blockers.get(student.id, "min_students of the placements with room")
                reasons[student.id] = (
                    CONSTRAINT,
                    f"room at {', '.join(open_slots)} but {rule} blocked it",
                )
            continue
        reasons[student.id] = _unreachable_reason(
            student, pairs.admitted_somewhere[i], pairs.reachable[i]
        )
    return reasons


def _positions_by_student(student: NDArray[np.int32], n: int) -> list[NDArray[np.int64]]:
    order = np.argsort(student, kind="stable")
    bounds = np.searchsorted(student[order], np.arange(n + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(n)]


def _capacity_detail(pairs, own, slot_full, company_full) -> str:
    names = []
    for k in own:
        p, t = pairs.placement[k], pairs.period[k]
        c = pairs.placement_company[p]
        slot = f"{pairs.placements[p].id}/{pairs.periods[t]}"
        if slot_full[p, t]:
            names.append(f"{slot} full ({pairs.capacity[p, t]})")
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


def _unreachable_reason(student: Student, admitted: bool, reachable: bool) -> tuple[str, str]:
    if not admitted:
        return NO_ELIGIBLE, (
            f"no placement admits profile {student.profile}, track {student.track}, "
            f"year {student.year} in period(s) {', '.join(student.periods) or 'none'}"
        )
    if not reachable:
        return TOO_FAR, (
            f"placements admit the pupil, but none within {student.max_travel_min} min "
            f"by {student.mode}"
        )
    return NOT_PREFERRED, (
        "reachable placements admit the pupil, but it accepts only its preferences"
        + (f" ({', '.join(student.preferences)})" if student.preferences else " and listed none")
    )


def explain_student(round_: Round, solution: Mapping[str, Any], student_id: str) -> str:
    """A plain account of one pupil's outcome, derived from the round and the solution alone."""
    student = round_.students.get(student_id)
    if student is None:
        raise KeyError(f"no pupil {student_id!r} in round {round_.name!r}")
    lines = _placement_story(round_, solution, student) if round_.asks_for_placements else []
    request = next((r for r in round_.elective_requests if r.student == student_id), None)
    if request is not None:
        lines += _elective_story(solution, request)
    return "\n".join(lines)


def _placement_story(round_: Round, solution: Mapping[str, Any], student: Student) -> list[str]:
    assignments = solution.get("assignments", [])
    mine = next((a for a in assignments if a.get("student") == student.id), None)
    slot_use = Counter((a["placement"], a["period"]) for a in assignments)
    company_use = Counter(a["company"] for a in assignments)
    lines = []
    if mine is not None:
        rank = mine.get("rank")
        lines.append(
            f"{student.id} is placed at {mine['placement']} "
            f"({_company_name(round_, mine['company'])}) in period {mine['period']}: "
            + (f"preference {rank} of {len(student.preferences)}" if rank else "not a preference")
            + f", {mine['travel_min']} min by {student.mode}, cost {mine['cost']}."
        )
        better = student.preferences[: (rank - 1) if rank else len(student.preferences)]
    else:
        entry = next(
            (u for u in solution.get("unassigned", []) if u.get("student") == student.id), {}
        )
        lines.append(
            f"{student.id} is not placed: {entry.get('reason', 'no reason given')}"
            + (f" - {entry['detail']}" if entry.get("detail") else "")
        )
        better = student.preferences
    for r, placement_id in enumerate(better, start=1):
        why = _why_not(round_, student, round_.placements[placement_id], slot_use, company_use)
        lines.append(f"  preference {r} {placement_id}: {why}")
    if mine is None and student.accept_unranked:
        admitting = admitting_placements(round_, student)
        reachable = [
            p
            for p in admitting
            if student_travel_minutes(round_, student, p.company) <= student.max_travel_min
        ]
        lines.append(
            f"  {len(admitting)} placement(s) admit the pupil, {len(reachable)} within "
            f"{student.max_travel_min} min by {student.mode}."
        )
    return lines


def _elective_story(solution: Mapping[str, Any], request: ElectiveRequest) -> list[str]:
    granted = [e for e in solution.get("electives", []) if e.get("student") == request.student]
    lines = [
        f"{request.student} asked for {request.count} elective(s) from "
        f"{', '.join(request.choices) or 'no choices'} and got {len(granted)}:"
    ]
    lines += [
        f"  {e['elective']} (choice {e['rank']}, {e['travel_min']} min by bike)" for e in granted
    ]
    short = next(
        (u for u in solution.get("elective_unassigned", []) if u.get("student") == request.student),
        None,
    )
    if short is not None:
        lines.append(
            f"  {short['missing']} short: {short.get('reason', 'no reason given')}"
            + (f" - {short['detail']}" if short.get("detail") else "")
        )
    return lines


def _company_name(round_: Round, company: str) -> str:
    return round_.companies[company].name or company


def _why_not(
    round_: Round,
    student: Student,
    placement: Placement,
    slot_use: Counter,
    company_use: Counter,
) -> str:
    if not placement.admits(student.profile, student.track, student.year):
        return (
            f"does not admit profile {student.profile}, track {student.track}, year {student.year}"
        )
    periods = [t for t in student.periods if t in placement.capacity]
    if not periods:
        return f"no common period (offers {', '.join(placement.capacity) or 'none'})"
    minutes = student_travel_minutes(round_, student, placement.company)
    if minutes > student.max_travel_min:
        return f"too far: {minutes} min by {student.mode}, limit {student.max_travel_min}"
    company = round_.companies[placement.company]
    if company.max_students is not None and company_use[company.id] >= company.max_students:
        return f"{company.id} is at max_students {company.max_students}"
    full = [t for t in periods if slot_use[(placement.id, t)] >= placement.capacity[t]]
    if len(full) == len(periods):
        return "full in " + ", ".join(
            f"{t} ({slot_use[(placement.id, t)]}/{placement.capacity[t]})" for t in periods
        )
    return "had room; taking it would have cost the round placed priority, cost or a rule"
