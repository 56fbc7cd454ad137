"""Why a pupil got what it got: the story `stagebureau explain` tells, placements, electives and
event days.

Re-derived for one pupil from the round and the solution document alone, so it also explains
solutions made elsewhere. The story is told as `Said` lines, a message key with its parameters,
so the command line renders it in English (`ENGLISH`) and the pages in the reader's language
(`api.web.stories`), from the same derivation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scheduler.activities.candidates import build_candidates
from scheduler.activities.reasons import ACTIVITY_KEYS, solution_ledger, unplanned_reasons
from scheduler.contract.reasons import ElectiveReason, EventReason, PlacementReason
from scheduler.contract.round import ACTIVITY_KINDS
from scheduler.domain import ElectiveRequest, EventRequest, Placement, Round, Student
from scheduler.electives.network import solution_shortfalls
from scheduler.events.reasons import shortfall_reasons, solution_plans
from scheduler.placements.reasons import admitting_placements, solution_reasons
from scheduler.said import ENGLISH as DETAIL_ENGLISH
from scheduler.said import Said, render, said
from scheduler.travel import student_travel_minutes
from scheduler.validation import parse_round

__all__ = [
    "ENGLISH",
    "Details",
    "Said",
    "activity_details",
    "explain_student",
    "placement_details",
    "render",
    "said",
    "shortfall_details",
]


ENGLISH: dict[str, str] = {
    **DETAIL_ENGLISH,
    "explain.placed": "{student} is placed at {placement} ({company}) in period {period}: "
    "{rank}, {minutes} min by {mode}, cost {cost}.",
    "explain.rank": "preference {rank} of {of}",
    "explain.no_rank": "not a preference",
    "explain.not_placed": "{student} is not placed: {reason}{detail}",
    "explain.no_reason": "no reason given",
    "explain.placement_detail": " - {detail}",
    "explain.preference": "  preference {rank} {placement}: {why}",
    "explain.admitting": "  {admitting} placement(s) admit the pupil, {reachable} within "
    "{minutes} min by {mode}.{excluded}",
    "explain.excluded_list": " Excluded: {excluded}.",
    "explain.elective_asked": "{student} asked for {count} elective(s) from {choices} and got "
    "{got}:",
    "explain.no_choices": "no choices",
    "explain.elective_granted": "  {elective} (choice {rank}, {minutes} min by bike)",
    "explain.elective_short": "  {missing} short: {reason}{detail}",
    "explain.event_short": "  {missing} short: {reason}{detail}",
    "explain.short_detail": " - {detail}",
    "explain.event_asked": "At {event} ({id}) {student} asked for {count} session(s) from "
    "{choices}{distinct}, and got {got}:",
    "explain.distinct": ", each of another sector",
    "explain.event_round": "  round {round}: {what}",
    "explain.event_session": "{session} at {company} (choice {rank})",
    "explain.event_free": "free",
    "explain.choice": "  choice {rank} {choice}: {why}",
    "why.session_profile": "does not admit profile {profile}",
    "why.session_rounds": "runs only in rounds {rounds}, already filled",
    "why.session_sector": "sector {sector} already taken by another of its sessions",
    "why.session_full": "full in {rounds}",
    "why.session_round_use": "round {round} ({used}/{capacity})",
    "why.session_room": "had room; taking it would have cost the event a session or a better rank",
    "why.excluded": "excluded: {which} is in the pupil's excluded list",
    "why.admits": "does not admit profile {profile}, track {track}, year {year}",
    "why.no_period": "no common period (offers {periods})",
    "why.none": "none",
    "why.too_far": "too far: {minutes} min by {mode}, limit {limit}",
    "why.max_students": "{company} is at max_students {limit}",
    "why.full": "full in {periods}",
    "why.slot_use": "{period} ({used}/{capacity})",
    "why.crowded": "{period} ({company} at max_concurrent {limit} on {day})",
    "why.room": "had room; taking it would have cost the round placed priority, cost or a rule",
    **{f"reason.{code}": code for code in PlacementReason},
    **{f"elective_reason.{code}": code for code in ElectiveReason},
    **{f"event_reason.{code}": code for code in EventReason},
}


@dataclass(frozen=True)
class Details:
    """The structured details of a stored solution's reasons, as the solver derived them, for
    `story`: per pupil of `unassigned` (`placement_details`) and of `elective_unassigned`, per
    (pupil, event) of `event_unassigned` (`shortfall_details`). An entry whose code the
    derivation does not find (written by someone other than the solver) has none."""

    placements: dict[str, Said] = field(default_factory=dict)
    electives: dict[str, Said] = field(default_factory=dict)
    events: dict[tuple[str, str], Said] = field(default_factory=dict)


def placement_details(document: Mapping[str, Any], solution: Mapping[str, Any]) -> dict[str, Said]:
    """Student -> the detail of its `unassigned` entry, from the round document and the
    solution (`scheduler.placements.reasons.solution_reasons`)."""
    entries = solution.get("unassigned", [])
    if not entries:
        return {}
    derived = solution_reasons(document, solution)
    return {
        u["student"]: derived[u["student"]][1]
        for u in entries
        if u.get("student") in derived and derived[u["student"]][0] == u.get("reason")
    }


def shortfall_details(round_: Round, solution: Mapping[str, Any]) -> Details:
    """The elective and event-day details of a stored solution, re-derived from the round and
    the solution by the code that wrote their English `detail` (so without reading it)."""
    electives: dict[str, Said] = {}
    if solution.get("elective_unassigned"):
        found = {
            s: (r, d) for s, _, r, d in solution_shortfalls(round_, solution.get("electives", []))
        }
        electives = {
            u["student"]: found[u["student"]][1]
            for u in solution["elective_unassigned"]
            if found.get(u["student"], ("",))[0] == u.get("reason")
        }
    events: dict[tuple[str, str], Said] = {}
    if solution.get("event_unassigned"):
        written = {
            (u["student"], u["event"]): u.get("reason") for u in solution["event_unassigned"]
        }
        for plan in solution_plans(round_, solution.get("event_sessions", [])):
            for r, _, reason, detail in shortfall_reasons(round_, plan):
                key = (plan.problem.requests[r].student, plan.problem.event.id)
                if written.get(key) == reason:
                    events[key] = detail
    return Details(electives=electives, events=events)


def activity_details(
    document: Mapping[str, Any], solution: Mapping[str, Any]
) -> dict[tuple[str, str], Said]:
    """(requester, kind) -> the detail of its `unplanned` entry, re-derived by the code that
    wrote the English: the candidates built again from the activity part of the round document
    (`ACTIVITY_KEYS`: a region's pupils are most of its parsing time and no part of problem B),
    the plan's ledger from the solution's `activities`
    (`scheduler.activities.reasons.solution_ledger`). An entry whose code the derivation does
    not find, or a plan that is not the solver's, gets none."""
    entries = solution.get("unplanned") or []
    if not entries:
        return {}
    round_ = parse_round({k: document[k] for k in ACTIVITY_KEYS if k in document})
    if round_.calendar is None:
        return {}
    cands = build_candidates(round_)
    ledger = solution_ledger(cands, solution.get("activities") or [])
    if ledger is None:
        return {}
    written = {(u.get("requester"), u.get("kind")): u.get("reason") for u in entries}
    found: dict[tuple[str, str], Said] = {}
    for r, k, _, reason, detail in unplanned_reasons(cands, ledger):
        key = (cands.requesters[r].id, ACTIVITY_KINDS[k])
        if written.get(key) == reason:
            found[key] = detail
    return found


def explain_student(round_: Round, solution: Mapping[str, Any], student_id: str) -> str:
    """A plain account of one pupil's outcome, derived from the round and the solution alone."""
    return "\n".join(render(line, ENGLISH) for line in story(round_, solution, student_id))


def story(
    round_: Round,
    solution: Mapping[str, Any],
    student_id: str,
    details: Details | None = None,
) -> list[Said]:
    """The lines of `explain_student`, before they are put into words: with `details` (for a
    page in another language) each reason's detail is its `Said`, else the document's English."""
    student = round_.students.get(student_id)
    if student is None:
        raise KeyError(f"no pupil {student_id!r} in round {round_.name!r}")
    lines = (
        _placement_story(round_, solution, student, details) if round_.asks_for_placements else []
    )
    request = next((r for r in round_.elective_requests if r.student == student_id), None)
    if request is not None:
        detail = _detail(
            solution,
            "elective_unassigned",
            None if details is None else details.electives,
            student_id,
        )
        lines += _elective_story(solution, request, detail)
    for event_request in round_.event_requests:
        if event_request.student == student_id:
            key = (student_id, event_request.event)
            detail = (
                details.events.get(key, "")
                if details is not None
                else next(
                    (
                        u.get("detail", "")
                        for u in solution.get("event_unassigned", [])
                        if (u.get("student"), u.get("event")) == key
                    ),
                    "",
                )
            )
            lines += _event_story(round_, solution, event_request, detail)
    return lines


def _detail(
    solution: Mapping[str, Any],
    part: str,
    details: Mapping[str, Said] | None,
    student: str,
) -> Said | str:
    """A pupil's detail in `part`: its `Said` when `details` are given, else the English."""
    if details is not None:
        return details.get(student, "")
    entry: Mapping[str, Any] = next(
        (u for u in solution.get(part, []) if u.get("student") == student), {}
    )
    return str(entry.get("detail", ""))


def _mode(student: Student) -> Said:
    return said(f"mode.{student.mode}")


def _reason(family: str, entry: Mapping[str, Any]) -> Said:
    code = entry.get("reason")
    return said(f"{family}.{code}") if code else said("explain.no_reason")


def _placement_story(
    round_: Round, solution: Mapping[str, Any], student: Student, details: Details | None
) -> list[Said]:
    assignments = solution.get("assignments", [])
    mine = next((a for a in assignments if a.get("student") == student.id), None)
    slot_use = Counter((a["placement"], a["period"]) for a in assignments)
    company_use = Counter(a["company"] for a in assignments)
    day_use = Counter(
        (a["company"], day)
        for a in assignments
        if a.get("period") in round_.periods
        for day in round_.periods[a["period"]].days
    )
    lines = []
    if mine is not None:
        rank = mine.get("rank")
        lines.append(
            said(
                "explain.placed",
                student=student.id,
                placement=mine["placement"],
                company=_company_name(round_, mine["company"]),
                period=mine["period"],
                rank=said("explain.rank", rank=rank, of=len(student.preferences))
                if rank
                else said("explain.no_rank"),
                minutes=mine["travel_min"],
                mode=_mode(student),
                cost=mine["cost"],
            )
        )
        better = student.preferences[: (rank - 1) if rank else len(student.preferences)]
    else:
        entry: Mapping[str, Any] = next(
            (u for u in solution.get("unassigned", []) if u.get("student") == student.id), {}
        )
        detail = _detail(
            solution, "unassigned", None if details is None else details.placements, student.id
        )
        lines.append(
            said(
                "explain.not_placed",
                student=student.id,
                reason=_reason("reason", entry),
                detail=said("explain.placement_detail", detail=detail) if detail else "",
            )
        )
        better = student.preferences
    for r, placement_id in enumerate(better, start=1):
        why = _why_not(
            round_, student, round_.placements[placement_id], slot_use, company_use, day_use
        )
        lines.append(said("explain.preference", rank=r, placement=placement_id, why=why))
    if mine is None and student.accept_unranked:
        admitting = [p for p in admitting_placements(round_, student) if not student.excludes(p)]
        reachable = [
            p
            for p in admitting
            if student_travel_minutes(round_, student, p.company) <= student.max_travel_min
        ]
        excluded = ", ".join(sorted(student.excluded))
        lines.append(
            said(
                "explain.admitting",
                admitting=len(admitting),
                reachable=len(reachable),
                minutes=student.max_travel_min,
                mode=_mode(student),
                excluded=said("explain.excluded_list", excluded=excluded) if excluded else "",
            )
        )
    return lines


def _short(key: str, family: str, short: Mapping[str, Any], detail: Said | str) -> Said:
    return said(
        key,
        missing=short["missing"],
        reason=_reason(family, short),
        detail=said("explain.short_detail", detail=detail) if detail else "",
    )


def _choices(choices: list[str] | tuple[str, ...]) -> str | Said:
    return ", ".join(choices) or said("explain.no_choices")


def _elective_story(
    solution: Mapping[str, Any], request: ElectiveRequest, detail: Said | str
) -> list[Said]:
    granted = [e for e in solution.get("electives", []) if e.get("student") == request.student]
    lines = [
        said(
            "explain.elective_asked",
            student=request.student,
            count=request.count,
            choices=_choices(request.choices),
            got=len(granted),
        )
    ]
    lines += [
        said(
            "explain.elective_granted",
            elective=e["elective"],
            rank=e["rank"],
            minutes=e["travel_min"],
        )
        for e in granted
    ]
    short = next(
        (u for u in solution.get("elective_unassigned", []) if u.get("student") == request.student),
        None,
    )
    if short is not None:
        lines.append(_short("explain.elective_short", "elective_reason", short, detail))
    return lines


def _event_story(
    round_: Round, solution: Mapping[str, Any], request: EventRequest, detail: Said | str
) -> list[Said]:
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
        said(
            "explain.event_asked",
            event=event.name or event.id,
            id=event.id,
            student=request.student,
            count=request.count,
            choices=_choices(request.choices),
            distinct=said("explain.distinct") if request.distinct_sectors else "",
            got=len(mine),
        )
    ]
    for number in range(1, event.rounds + 1):
        entry = mine.get(number)
        what = (
            said(
                "explain.event_session",
                session=entry["session"],
                company=_company_name(round_, entry["company"]),
                rank=entry["rank"],
            )
            if entry
            else said("explain.event_free")
        )
        lines.append(said("explain.event_round", round=number, what=what))
    have = {e["session"] for e in mine.values()}
    taken = {round_.sessions[s].first_sector for s in have if round_.sessions[s].first_sector}
    free = [t for t in range(1, event.rounds + 1) if t not in mine]
    for rank, choice in enumerate(request.choices, start=1):
        if choice in have:
            continue
        session = round_.sessions[choice]
        if not session.admits(student.profile):
            why = said("why.session_profile", profile=student.profile)
        elif not set(free) & set(session.rounds):
            why = said("why.session_rounds", rounds=", ".join(map(str, session.rounds)))
        elif request.distinct_sectors and session.first_sector in taken:
            why = said("why.session_sector", sector=session.first_sector)
        else:
            open_rounds = [t for t in free if t in session.rounds]
            why = said(
                "why.session_full",
                rounds=[
                    said(
                        "why.session_round_use",
                        round=t,
                        used=use[(choice, t)],
                        capacity=session.capacity,
                    )
                    for t in open_rounds
                ],
            )
            if any(use[(choice, t)] < session.capacity for t in open_rounds):
                why = said("why.session_room")
        lines.append(said("explain.choice", rank=rank, choice=choice, why=why))
    short = next(
        (
            u
            for u in solution.get("event_unassigned", [])
            if u.get("student") == request.student and u.get("event") == event.id
        ),
        None,
    )
    if short is not None:
        lines.append(_short("explain.event_short", "event_reason", short, detail))
    return lines


def _company_name(round_: Round, company: str) -> str:
    return round_.companies[company].name or company


def _why_not(
    round_: Round,
    student: Student,
    placement: Placement,
    slot_use: Counter,
    company_use: Counter,
    day_use: Counter,
) -> Said:
    if student.excludes(placement):
        which = placement.id if placement.id in student.excluded else placement.company
        return said("why.excluded", which=which)
    if not placement.admits(student.profile, student.track, student.year):
        return said("why.admits", profile=student.profile, track=student.track, year=student.year)
    periods = [t for t in student.periods if t in placement.capacity]
    if not periods:
        return said("why.no_period", periods=", ".join(placement.capacity) or said("why.none"))
    minutes = student_travel_minutes(round_, student, placement.company)
    if minutes > student.max_travel_min:
        return said(
            "why.too_far", minutes=minutes, mode=_mode(student), limit=student.max_travel_min
        )
    company = round_.companies[placement.company]
    if company.max_students is not None and company_use[company.id] >= company.max_students:
        return said("why.max_students", company=company.id, limit=company.max_students)
    taken = {
        t: said(
            "why.slot_use",
            period=t,
            used=slot_use[(placement.id, t)],
            capacity=placement.capacity[t],
        )
        for t in periods
        if slot_use[(placement.id, t)] >= placement.capacity[t]
    }
    if company.max_concurrent is not None:
        for t in periods:
            day = _crowded_day(round_, company.id, company.max_concurrent, t, day_use)
            if t not in taken and day is not None:
                taken[t] = said(
                    "why.crowded",
                    period=t,
                    company=company.id,
                    limit=company.max_concurrent,
                    day=day,
                )
    if len(taken) == len(periods):
        return said("why.full", periods=[taken[t] for t in periods])
    return said("why.room")


def _crowded_day(
    round_: Round, company: str, most: int, period: str, day_use: Counter
) -> str | None:
    """The first day of `period` on which the company already has `most` pupils (SPEC 8)."""
    dated = round_.periods.get(period)
    days = dated.days if dated is not None else ()
    return next((d.isoformat() for d in days if day_use[(company, d)] >= most), None)
