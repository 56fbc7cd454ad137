"""Problem C: cross-school electives (regio-leren), solved to the exact optimum by a min-cost flow.

Network (SPEC section 5): pupil -> (pupil, slot) -> elective -> sink, plus a bypass arc pupil ->
sink. The (pupil, slot) node with an incoming capacity of 1 is what turns "at most one elective
per slot" into a capacity, so every `count` stays a flow problem and integral flows are exact.
One integer cost carries the lexicographic objective: an elective arc costs
(rank - 1) x W2 + travel minutes, a bypass unit (an elective not granted) costs W1, with W2 larger
than any total travel and W1 larger than any total of the rest, both bounded per pupil from its
own arcs so that the figures stay as small as the round allows (OR-Tools scales costs by the node
count, so they must leave room in an int64). Ties between equally good grants go by the round's
seeded lottery (`scheduler.lottery`), never by the order of the records.

Eligible (request, choice): the elective admits the pupil's profile (`profiles` empty = any), its
school is within `defaults.max_switch_min` minutes by bike from the pupil's own school (0 minutes
at the pupil's own school), and, when the round's `timetables` lists the pupil's school, the
elective's slot is one its pupils are free in (a school absent from `timetables` is unrestricted).

Reasons for a request granted fewer than `count`, the first that holds, in this order:
- NO_CHOICE_ADMITS: no choice admits the pupil's profile (or the request lists no choice);
- TOO_FAR: some admit it, but each of those is more than `max_switch_min` minutes away;
- NOT_IN_TIMETABLE: some admit it within reach, but none is in a slot its school frees;
- SLOT_CLASH: every eligible choice is in a slot where the pupil already has an elective: its
  choices span fewer distinct slots than `count`;
- CAPACITY: there are eligible choices in slots still free for the pupil, and every one of them
  is full in this solution.
Each reason presumes the ones before it fail, so exactly one holds; none holding means a free,
eligible choice has room, which an optimal solution never leaves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from scheduler.contract.reasons import ElectiveReason
from scheduler.contract.round import SWITCH_MODE
from scheduler.contract.solution import ElectiveGrant, ElectiveShortfall, Section
from scheduler.domain import Elective, ElectiveRequest, Round
from scheduler.lottery import TieBreak, tickets
from scheduler.progress import Progress, ProgressFn, ignore
from scheduler.said import DETAIL_LIMIT, ENGLISH, Said, render, said
from scheduler.travel import school_travel_minutes

# Why a (request, choice) candidate is not eligible; the first failing rule wins.
ELIGIBLE, BLOCK_PROFILE, BLOCK_TOO_FAR, BLOCK_TIMETABLE = 0, 1, 2, 3

_INT64_MAX = 2**63 - 1


def switch_minutes(round_: Round, school: str, other_school: str) -> int:
    """Minutes by bike for a pupil of `school` to an elective at `other_school`; 0 at its own."""
    if school == other_school:
        return 0
    return school_travel_minutes(round_, school, other_school, SWITCH_MODE)


@dataclass(frozen=True, slots=True)
class ElectiveCandidates:
    """Every (request, choice) of the round, eligible or not, as parallel arrays.

    Candidates are in request order, then choice order, so a request's candidates are one
    contiguous run starting at `start[request]`.
    """

    requests: tuple[ElectiveRequest, ...]
    electives: tuple[Elective, ...]
    slots: tuple[str, ...]
    elective_slot: NDArray[np.int64]  # slot index per elective
    capacity: NDArray[np.int64]  # per elective
    start: NDArray[np.int64]  # first candidate of each request (length requests + 1)
    request: NDArray[np.int64]
    elective: NDArray[np.int64]
    rank: NDArray[np.int64]  # 1 for the first choice
    minutes: NDArray[np.int64]
    block: NDArray[np.int8]  # ELIGIBLE or the first rule that fails
    tickets: NDArray[np.int64]  # lottery tickets that break ties (`scheduler.lottery`)

    def __len__(self) -> int:
        return len(self.request)


def elective_candidates(round_: Round) -> ElectiveCandidates:
    """The candidates of a round with their travel minutes and eligibility, vectorised."""
    requests = round_.elective_requests
    electives = tuple(round_.electives.values())
    elective_index = {e.id: i for i, e in enumerate(electives)}
    slots = tuple(sorted({e.slot for e in electives}))
    slot_index = {slot: i for i, slot in enumerate(slots)}
    elective_slot = np.array([slot_index[e.slot] for e in electives], dtype=np.int64)

    lengths = np.array([len(r.choices) for r in requests], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    total = int(start[-1])
    request = np.repeat(np.arange(len(requests), dtype=np.int64), lengths)
    rank = np.arange(total, dtype=np.int64) - start[request] + 1
    elective = np.fromiter(
        (elective_index[c] for r in requests for c in r.choices), dtype=np.int64, count=total
    )
    students = [round_.students[r.student] for r in requests]

    school_ids = tuple(round_.schools)
    school_index = {s: i for i, s in enumerate(school_ids)}
    own = np.array([school_index[s.school] for s in students], dtype=np.int64)[request]
    host = np.array([school_index[e.school] for e in electives], dtype=np.int64)[elective]
    minutes = _switch_minutes_array(round_, school_ids, own, host)

    profiles = sorted({s.profile for s in students}.union(*(e.profiles for e in electives)))
    profile_index = {p: i for i, p in enumerate(profiles)}
    admits = np.ones((len(electives), len(profiles)), dtype=bool)
    for i, e in enumerate(electives):
        if e.profiles:
            admits[i] = [p in e.profiles for p in profiles]
    student_profile = np.array([profile_index[s.profile] for s in students], dtype=np.int64)

    free = np.ones((len(school_ids), len(slots)), dtype=bool)
    for school, grid in round_.timetables.items():
        free[school_index[school]] = [slot in grid for slot in slots]

    block = np.select(
        [
            ~admits[elective, student_profile[request]],
            minutes > round_.defaults.max_switch_min,
            ~free[own, elective_slot[elective]],
        ],
        [BLOCK_PROFILE, BLOCK_TOO_FAR, BLOCK_TIMETABLE],
        ELIGIBLE,
    ).astype(np.int8)
    return ElectiveCandidates(
        requests=requests,
        electives=electives,
        slots=slots,
        elective_slot=elective_slot,
        capacity=np.array([e.capacity for e in electives], dtype=np.int64),
        start=start,
        request=request,
        elective=elective,
        rank=rank,
        minutes=minutes,
        block=block,
        # Requests are in pupil id order and electives in id order: the ticket is the choice's.
        tickets=tickets(round_.seed, request * max(1, len(electives)) + elective),
    )


def _switch_minutes_array(
    round_: Round, school_ids: tuple[str, ...], own: NDArray[np.int64], host: NDArray[np.int64]
) -> NDArray[np.int64]:
    """`switch_minutes` per candidate, computed once per distinct pair of schools."""
    n = max(1, len(school_ids))
    pairs, inverse = np.unique(own * n + host, return_inverse=True)
    table = np.array(
        [switch_minutes(round_, school_ids[p // n], school_ids[p % n]) for p in pairs.tolist()],
        dtype=np.int64,
    )
    return table[inverse.reshape(-1)] if len(pairs) else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class ElectiveNetwork:
    """The min-cost flow of a round's electives as arc arrays; the pair arcs come first."""

    usable: NDArray[np.int64]  # candidate index of each pair arc
    tails: NDArray[np.int32]
    heads: NDArray[np.int32]
    capacities: NDArray[np.int64]
    costs: NDArray[np.int64]
    supplies: NDArray[np.int64]  # per node; the sink is the last node

    @property
    def nodes(self) -> int:
        return len(self.supplies)


def elective_network(candidates: ElectiveCandidates) -> ElectiveNetwork:
    """Nodes pupils, (pupil, slot)s, electives and a sink; raises OverflowError if costs can't fit.

    Only eligible candidates with capacity and a positive count become arcs; a pupil's supply is
    its count, capped at its number of distinct eligible slots (more could never be granted).
    """
    c = candidates
    count = np.array([r.count for r in c.requests], dtype=np.int64)
    usable = np.flatnonzero(
        (c.block == ELIGIBLE) & (c.capacity[c.elective] > 0) & (count[c.request] > 0)
    ).astype(np.int64)
    if len(usable) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return ElectiveNetwork(
            usable, empty.astype(np.int32), empty.astype(np.int32), empty, empty, empty
        )
    n_slots = len(c.slots)
    pupils, pupil_node = np.unique(c.request[usable], return_inverse=True)
    pupil_slots, pupil_slot_node = np.unique(
        pupil_node * n_slots + c.elective_slot[c.elective[usable]], return_inverse=True
    )
    electives, elective_node = np.unique(c.elective[usable], return_inverse=True)
    n_pupils, n_pupil_slots, n_electives = len(pupils), len(pupil_slots), len(electives)
    sink = n_pupils + n_pupil_slots + n_electives
    supply = np.minimum(count[pupils], np.bincount(pupil_slots // n_slots, minlength=n_pupils))

    minutes = c.minutes[usable]
    rank_step = c.rank[usable] - 1
    most_minutes = np.zeros(n_pupils, dtype=np.int64)
    np.maximum.at(most_minutes, pupil_node, minutes)
    most_rank_step = np.zeros(n_pupils, dtype=np.int64)
    np.maximum.at(most_rank_step, pupil_node, rank_step)
    # Python integers, so that the bounds themselves cannot overflow before they are checked.
    travel_bound = int((supply * most_minutes).sum())
    rank_weight = travel_bound + 1
    bypass_cost = rank_weight * int((supply * most_rank_step).sum()) + travel_bound + 1
    # The lottery among equal grants: as fine as the int64 room allows, off at worst.
    tie: TieBreak | None = TieBreak(int(supply.sum()))
    while tie is not None and bypass_cost * tie.scale > _INT64_MAX // (2 * (sink + 2)):
        tie = tie.coarser()
    if tie is None:
        raise OverflowError(
            f"elective costs up to {bypass_cost} do not fit an exact min-cost flow over "
            f"{sink + 1} nodes; shorten the choice lists or split the round"
        )

    tails = np.concatenate(
        (
            n_pupils + pupil_slot_node,
            pupil_slots // n_slots,
            n_pupils + n_pupil_slots + np.arange(n_electives),
            np.arange(n_pupils),
        )
    )
    heads = np.concatenate(
        (
            n_pupils + n_pupil_slots + elective_node,
            n_pupils + np.arange(n_pupil_slots),
            np.full(n_electives, sink),
            np.full(n_pupils, sink),
        )
    )
    capacities = np.concatenate(
        (
            np.ones(len(usable) + n_pupil_slots, dtype=np.int64),
            c.capacity[electives],
            supply,
        )
    )
    costs = np.concatenate(
        (
            tie.costs(rank_step * rank_weight + minutes, c.tickets[usable]),
            np.zeros(n_pupil_slots + n_electives, dtype=np.int64),
            np.full(n_pupils, bypass_cost * tie.scale, dtype=np.int64),
        )
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_pupils] = supply
    supplies[sink] = -int(supply.sum())
    return ElectiveNetwork(
        usable, tails.astype(np.int32), heads.astype(np.int32), capacities, costs, supplies
    )


def solve_network(network: ElectiveNetwork) -> NDArray[np.bool_]:
    """Which pair arcs carry flow in a min-cost flow of `network`."""
    if len(network.usable) == 0:
        return np.zeros(0, dtype=bool)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, network.costs
    )
    flow.set_nodes_supplies(np.arange(network.nodes, dtype=np.int32), network.supplies)
    status = flow.solve()
    if status == flow.BAD_COST_RANGE:
        raise OverflowError("elective costs overflowed inside the min-cost flow")
    if status != flow.OPTIMAL:
        raise RuntimeError(f"elective min-cost flow ended with status {status}")
    return flow.flows(arcs[: len(network.usable)]) > 0


@dataclass(frozen=True, slots=True)
class ElectiveResult:
    candidates: ElectiveCandidates
    chosen: NDArray[np.int64]  # granted candidate indices, in candidate order
    granted: int
    rank_sum: int  # sum of (rank - 1)
    travel_min: int
    variables: int  # arcs of the flow


def solve_electives(round_: Round, *, progress: ProgressFn = ignore) -> ElectiveResult:
    """The exact lexicographic optimum of SPEC section 5 for the round's elective requests."""
    started = time.monotonic()
    progress(Progress("electives", "finding eligible choices", 0.0))
    candidates = elective_candidates(round_)
    network = elective_network(candidates)
    progress(
        Progress(
            "electives",
            f"min-cost flow over {len(network.tails):,} arcs",
            time.monotonic() - started,
        )
    )
    chosen = np.sort(network.usable[solve_network(network)])
    return ElectiveResult(
        candidates=candidates,
        chosen=chosen,
        granted=len(chosen),
        rank_sum=int((candidates.rank[chosen] - 1).sum()),
        travel_min=int(candidates.minutes[chosen].sum()),
        variables=len(network.tails),
    )


def elective_section(round_: Round, result: ElectiveResult) -> Section:
    """Status, objective, electives, elective_unassigned and stats of problem C."""
    c = result.candidates
    electives: list[ElectiveGrant] = [
        {
            "student": c.requests[c.request[k]].student,
            "elective": c.electives[c.elective[k]].id,
            "rank": int(c.rank[k]),
            "travel_min": int(c.minutes[k]),
        }
        for k in result.chosen.tolist()
    ]
    shortfalls: list[ElectiveShortfall] = [
        {
            "student": student,
            "missing": missing,
            "reason": reason,
            "detail": render(detail, ENGLISH),
        }
        for student, missing, reason, detail in elective_shortfalls(round_, result)
    ]
    return {
        "status": "OPTIMAL",
        "objective": {
            "electives_granted": result.granted,
            "elective_rank_sum": result.rank_sum,
            "elective_travel_min": result.travel_min,
        },
        "entries": {"electives": electives, "elective_unassigned": shortfalls},
        "variables": result.variables,
        "stats": {
            "electives": {
                "method": "min_cost_flow",
                "eligible_pairs": int((c.block == ELIGIBLE).sum()),
            },
        },
    }


def elective_shortfalls(round_: Round, result: ElectiveResult) -> list[tuple[str, int, str, Said]]:
    """(student, missing, reason, detail) for every request granted fewer than its count."""
    return candidate_shortfalls(round_, result.candidates, result.chosen)


def solution_shortfalls(
    round_: Round, grants: Iterable[Mapping[str, Any]]
) -> list[tuple[str, int, str, Said]]:
    """The shortfalls the solver gave for a stored solution's `electives`, re-derived by the same
    code from the round's candidates and the granted (student, elective) pairs among them."""
    c = elective_candidates(round_)
    granted = {(g["student"], g["elective"]) for g in grants}
    chosen = [
        k
        for k, (r, e) in enumerate(zip(c.request.tolist(), c.elective.tolist(), strict=True))
        if (c.requests[r].student, c.electives[e].id) in granted
    ]
    return candidate_shortfalls(round_, c, np.array(chosen, dtype=np.int64))


def candidate_shortfalls(
    round_: Round, c: ElectiveCandidates, chosen: NDArray[np.int64]
) -> list[tuple[str, int, str, Said]]:
    counts = np.array([r.count for r in c.requests], dtype=np.int64)
    granted = np.bincount(c.request[chosen], minlength=len(c.requests))
    used = np.bincount(c.elective[chosen], minlength=len(c.electives))
    # A candidate is "held" when the pupil already has an elective in its slot.
    request_slot = c.request * max(1, len(c.slots)) + c.elective_slot[c.elective]
    held = np.isin(request_slot, request_slot[chosen])
    shortfalls = []
    for r in np.flatnonzero(granted < counts).tolist():
        reason, detail = _reason(round_, c, r, held, used)
        shortfalls.append((c.requests[r].student, int(counts[r] - granted[r]), reason, detail))
    return shortfalls


def _reason(
    round_: Round,
    c: ElectiveCandidates,
    r: int,
    held: NDArray[np.bool_],
    used: NDArray[np.int64],
) -> tuple[str, Said]:
    """The first reason of the module docstring that holds for request `r`, with a detail."""
    request = c.requests[r]
    student = round_.students[request.student]
    rows = np.arange(c.start[r], c.start[r + 1])
    block = c.block[rows]
    if (block == BLOCK_PROFILE).all():
        if not len(rows):
            return ElectiveReason.NO_CHOICE_ADMITS, said("detail.elective_no_choices")
        return ElectiveReason.NO_CHOICE_ADMITS, said(
            "detail.elective_no_admits", electives=_names(c, rows), profile=student.profile
        )
    if not np.isin(block, (ELIGIBLE, BLOCK_TIMETABLE)).any():
        far = rows[block == BLOCK_TOO_FAR]

        def where(k: int) -> Said:
            school = c.electives[c.elective[k]].school
            return said("detail.elective_far", school=school, minutes=int(c.minutes[k]))

        return ElectiveReason.TOO_FAR, said(
            "detail.elective_too_far",
            minutes=round_.defaults.max_switch_min,
            mode=said(f"mode.{SWITCH_MODE}"),
            school=student.school,
            electives=_names(c, far, where),
        )
    if not (block == ELIGIBLE).any():
        grid = sorted(round_.timetables.get(student.school, ()))
        closed = rows[block == BLOCK_TIMETABLE]
        return ElectiveReason.NOT_IN_TIMETABLE, said(
            "detail.elective_timetable",
            school=student.school,
            slots=", ".join(grid) or said("detail.elective_no_slot"),
            electives=_names(c, closed, lambda k: c.slots[c.elective_slot[c.elective[k]]]),
        )
    eligible = rows[block == ELIGIBLE]
    still_free = eligible[~held[eligible]]
    if len(still_free) == 0:
        slots = sorted({c.slots[c.elective_slot[c.elective[k]]] for k in eligible})
        return ElectiveReason.SLOT_CLASH, said(
            "detail.elective_clash",
            electives=_names(c, eligible),
            count=len(slots),
            slots=", ".join(slots),
            asked=request.count,
        )
    capacity = c.capacity[c.elective[still_free]]
    if (used[c.elective[still_free]] < capacity).any():
        raise RuntimeError(
            f"elective flow left {request.student} short while a choice has room: not optimal"
        )

    def use(k: int) -> Said:
        e = c.elective[k]
        return said("detail.use", used=int(used[e]), capacity=int(c.capacity[e]))

    return ElectiveReason.CAPACITY, said(
        "detail.elective_full", electives=_names(c, still_free, use)
    )


def _names(
    c: ElectiveCandidates, rows: NDArray[np.int64], note: Callable[[int], Any] | None = None
) -> Any:
    """`E1 (note), E5 (note)`, at most DETAIL_LIMIT of them, then "and N more"."""
    names = [
        said("detail.noted", name=c.electives[c.elective[k]].id, note=note(k))
        if note
        else c.electives[c.elective[k]].id
        for k in rows[:DETAIL_LIMIT].tolist()
    ]
    if len(rows) > DETAIL_LIMIT:
        return said("detail.more", items=names, more=len(rows) - DETAIL_LIMIT)
    return names
