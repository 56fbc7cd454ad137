"""Check the event days of a solution against SPEC section 9: every rule, objective, reasons.

Written request by request from the SPEC, sharing no code with the solver (no candidates, no
plan, no flow), so that a solver bug cannot hide itself. The reasons are those documented in
`scheduler.events.reasons`, re-derived here: the first that holds for one more session.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from scheduler.contract.reasons import EventReason
from scheduler.domain import EventRequest, Round, Session
from scheduler.verify.violation import Violation, text


def verify_events(round_: Round, solution: Mapping[str, Any]) -> list[Violation]:
    """Every way the solution's event sessions break the SPEC; empty when they hold."""
    found: list[Violation] = []

    def flag(rule: str, record: str, message: str) -> None:
        found.append(Violation(rule, record, message))

    requests = {(r.student, r.event): r for r in round_.event_requests}
    held: defaultdict[tuple[str, str], list[tuple[Session, int]]] = defaultdict(list)
    use: Counter[tuple[str, int]] = Counter()
    granted = rank_sum = 0
    for i, entry in enumerate(solution.get("event_sessions") or []):
        record = f"event_sessions[{i}] ({entry.get('student')}, {entry.get('session')})"
        key = (text(entry, "student") or "", text(entry, "event") or "")
        request = requests.get(key)
        session = round_.sessions.get(text(entry, "session") or "")
        number = entry.get("round")
        if request is None or session is None or type(number) is not int:
            flag(
                "reference",
                record,
                "no request of this pupil for this event, no such session, or no round number",
            )
            continue
        if session.event != request.event or session.id not in request.choices:
            flag("choice", record, f"{session.id} is not among the pupil's choices at {key[1]}")
            continue
        rank = request.choices.index(session.id) + 1
        if entry.get("rank") != rank:
            flag("preference", record, f"rank is {rank}, not {entry.get('rank')}")
        if entry.get("company") != session.company:
            flag("reference", record, f"company is {session.company}, not {entry.get('company')}")
        if number not in session.rounds:
            flag("rounds", record, f"{session.id} does not run in round {number}")
        profile = round_.students[request.student].profile
        if not session.admits(profile):
            flag("eligibility", record, f"{session.id} does not admit profile {profile}")
        held[key].append((session, number))
        use[(session.id, number)] += 1
        granted += 1
        rank_sum += rank - 1

    for (student, event), sessions in sorted(held.items()):
        record = f"{student} at {event}"
        request = requests[(student, event)]
        ids = Counter(s.id for s, _ in sessions)
        for twice in sorted(s for s, n in ids.items() if n > 1):
            flag("once", record, f"{twice} is granted {ids[twice]} times")
        rounds = Counter(t for _, t in sessions)
        for busy in sorted(t for t, n in rounds.items() if n > 1):
            flag("one_per_round", record, f"{rounds[busy]} sessions in round {busy}")
        if len(sessions) > request.count:
            flag("count", record, f"{len(sessions)} sessions for a count of {request.count}")
        if request.distinct_sectors:
            sectors = Counter(s.sectors[0] for s, _ in sessions if s.sectors)
            for sector in sorted(s for s, n in sectors.items() if n > 1):
                flag("distinct_sectors", record, f"{sectors[sector]} sessions of sector {sector}")
    for (session_id, number), n in sorted(use.items()):
        capacity = round_.sessions[session_id].capacity
        if n > capacity:
            flag("capacity", f"{session_id} round {number}", f"{n} pupils, capacity {capacity}")

    objective = solution.get("objective") or {}
    for name, value in (("event_sessions_granted", granted), ("event_rank_sum", rank_sum)):
        if objective.get(name) != value:
            flag("objective", name, f"is {objective.get(name)}, recomputed {value}")
    bound = objective.get("event_sessions_bound")
    if isinstance(bound, int) and granted > bound:
        flag("objective", "event_sessions_bound", f"{bound} is below the {granted} granted")
    rank_bound = objective.get("event_rank_sum_bound")
    if isinstance(rank_bound, int) and rank_sum < rank_bound:
        flag("objective", "event_rank_sum_bound", f"{rank_bound} is above the rank sum {rank_sum}")
    _check_shortfalls(round_, solution, requests, held, use, flag)
    return found


def _check_shortfalls(round_, solution, requests, held, use, flag) -> None:
    """Every request granted fewer than its count is listed once, with its missing number and
    the reason that holds; no other request is listed."""
    listed: dict[tuple[str, str], Mapping[str, Any]] = {}
    for i, entry in enumerate(solution.get("event_unassigned") or []):
        key = (text(entry, "student") or "", text(entry, "event") or "")
        record = f"event_unassigned[{i}] ({key[0]}, {key[1]})"
        if key not in requests:
            flag("reference", record, "no request of this pupil for this event")
        elif key in listed:
            flag("unassigned", record, "listed twice")
        listed[key] = entry
    for key, request in requests.items():
        record = f"{request.student} at {request.event}"
        missing = request.count - len(held.get(key, []))
        entry = listed.get(key)
        if missing <= 0:
            if entry is not None:
                flag("unassigned", record, "granted its count, yet listed in event_unassigned")
            continue
        if entry is None:
            flag("unassigned", record, f"{missing} short but not in event_unassigned")
            continue
        if entry.get("missing") != missing:
            flag("unassigned", record, f"missing is {missing}, not {entry.get('missing')}")
        reason = _reason(round_, request, held.get(key, []), use)
        if reason is None:
            flag("reason", record, "a choice it does not have has a seat in a round it has free")
        elif entry.get("reason") != reason:
            flag("reason", record, f"reason is {reason}, not {entry.get('reason')}")


def _reason(
    round_: Round,
    request: EventRequest,
    sessions: list[tuple[Session, int]],
    use: Counter[tuple[str, int]],
) -> str | None:
    have = {s.id for s, _ in sessions}
    profile = round_.students[request.student].profile
    free = set(range(1, round_.events[request.event].rounds + 1)) - {t for _, t in sessions}
    left = [round_.sessions[c] for c in request.choices if c not in have]
    left = [s for s in left if s.admits(profile)]
    if not left:
        return EventReason.NO_CHOICE_ADMITS
    left = [s for s in left if free & set(s.rounds)]
    if not left:
        return EventReason.ROUNDS
    if request.distinct_sectors:
        taken = {s.sectors[0] for s, _ in sessions if s.sectors}
        left = [s for s in left if not s.sectors or s.sectors[0] not in taken]
        if not left:
            return EventReason.SECTORS
    if any(use[(s.id, t)] < s.capacity for s in left for t in free & set(s.rounds)):
        return None
    return EventReason.CAPACITY
