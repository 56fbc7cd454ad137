"""Why a pupil got what it got: the story `stagebureau explain` tells, placements, electives and
event days.

Re-derived for one pupil from the round and the solution document alone, so it also explains
solutions made elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from scheduler.domain import ElectiveRequest, EventRequest, Placement, Round, Student
from scheduler.placements.reasons import admitting_placements
from scheduler.travel import student_travel_minutes


def explain_student(round_: Round, solution: Mapping[str, Any], student_id: str) -> str:
    """A plain account of one pupil's outcome, derived from the round and the solution alone."""
    student = round_.students.get(student_id)
    if student is None:
        raise KeyError(f"no pupil {student_id!r} in round {round_.name!r}")
    lines = _placement_story(round_, solution, student) if round_.asks_for_placements else []
    request = next((r for r in round_.elective_requests if r.student == student_id), None)
    if request is not None:
        lines += _elective_story(solution, request)
    for event_request in round_.event_requests:
        if event_request.student == student_id:
            lines += _event_story(round_, solution, event_request)
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
        entry: dict[str, Any] = next(
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
        admitting = [p for p in admitting_placements(round_, student) if not student.excludes(p)]
        reachable = [
            p
            for p in admitting
            if student_travel_minutes(round_, student, p.company) <= student.max_travel_min
        ]
        lines.append(
            f"  {len(admitting)} placement(s) admit the pupil, {len(reachable)} within "
            f"{student.max_travel_min} min by {student.mode}."
            + (f" Excluded: {', '.join(sorted(student.excluded))}." if student.excluded else "")
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


def _event_story(round_: Round, solution: Mapping[str, Any], request: EventRequest) -> list[str]:
    """Per round what the pupil attends at the event, then why not its other choices."""
    event = round_.events[request.event]
    student = round_.students[request.student]
    mine = {
        e["round"]: e
        for e in solution.get("event_sessions", [])
        if e.get("student") == request.student and e.get("event") == event.id
    }
    use = Counter((e["session"], e["round"]) for e in solution.get("event_sessions", []))
    lines = [
        f"At {event.name or event.id} ({event.id}) {request.student} asked for {request.count} "
        f"session(s) from {', '.join(request.choices) or 'no choices'}"
        + (", each of another sector" if request.distinct_sectors else "")
        + f", and got {len(mine)}:"
    ]
    for number in range(1, event.rounds + 1):
        entry = mine.get(number)
        lines.append(
            f"  round {number}: "
            + (
                f"{entry['session']} at {_company_name(round_, entry['company'])} "
                f"(choice {entry['rank']})"
                if entry
                else "free"
            )
        )
    have = {e["session"] for e in mine.values()}
    taken = {round_.sessions[s].first_sector for s in have if round_.sessions[s].first_sector}
    free = [t for t in range(1, event.rounds + 1) if t not in mine]
    for rank, choice in enumerate(request.choices, start=1):
        if choice in have:
            continue
        session = round_.sessions[choice]
        if not session.admits(student.profile):
            why = f"does not admit profile {student.profile}"
        elif not set(free) & set(session.rounds):
            why = f"runs only in rounds {', '.join(map(str, session.rounds))}, already filled"
        elif request.distinct_sectors and session.first_sector in taken:
            why = f"sector {session.first_sector} already taken by another of its sessions"
        else:
            open_rounds = [t for t in free if t in session.rounds]
            why = "full in " + ", ".join(
                f"round {t} ({use[(choice, t)]}/{session.capacity})" for t in open_rounds
            )
            if any(use[(choice, t)] < session.capacity for t in open_rounds):
                why = "had room; taking it would have cost the event a session or a better rank"
        lines.append(f"  choice {rank} {choice}: {why}")
    short = next(
        (
            u
            for u in solution.get("event_unassigned", [])
            if u.get("student") == request.student and u.get("event") == event.id
        ),
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
    if student.excludes(placement):
        which = placement.id if placement.id in student.excluded else placement.company
        return f"excluded: {which} is in the pupil's excluded list"
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
