"""Re-solves and repairs as the solver core's own steering, and the pins a round cannot hold.

A re-solve or a repair is solved by `scheduler.solve.solve_round` on the real round with
`Steering(pinned, previous)`: pins stay, then as few pupils of the previous proposal as possible
move or drop out, then least cost (SPEC section 7, "the rest changes as little as possible").
The stored solution is the solver's own, status and bound included, and its
`stats.placements.changes` (pupils of `previous` moved or dropped) is the version's `changes`.

- A **re-solve** solves the round document of the version it starts from, with the bureau's pins
  and that version's assignments as `previous`.
- A **repair** after companies declined solves that document with each declined seat taken out
  (the placement's capacity in that period less one) and the placement dropped from the declined
  pupil's wishes; confirmed assignments and the bureau's pins are pinned, the published
  assignments are `previous`. A declined pupil's previous seat no longer exists (`GONE`), so it
  counts as one change wherever it lands and staying with the company that declined it earns it
  nothing. Should it still land on that placement (as an unranked choice), the round is solved
  once more with that pupil accepting only its wishes, which the placement is no longer among.

Activities (problem B) are a published year calendar that companies and schools plan by, so a
re-solve or repair keeps every activity of the version it starts from (`kept_activities`) and
plans only the demand left open around them. A company's decline of a class or teacher is
written into the effective round as the offer's `declined` entry: that offer no longer hosts
the requester, nor is it open on that daypart (not this class, and not then). The declined
activity is not kept, nor is any other visit of that requester to that offer (the company's
newest word about the class), so its requester is planned again elsewhere if anything fits.

`check_pins` runs before a job is created, so a pin the round cannot hold (an unknown pupil, a
placement and period no longer eligible, more pins than seats, two pins against a together or
apart rule) is refused with the solver core's reason, naming the pin, and nothing changes.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scheduler.activities.search import ActivityKey
from scheduler.placements.solve import solve_placements
from scheduler.placements.steer import Steering, SteeringError
from scheduler.progress import ProgressFn, ignore
from scheduler.solve import solve_round
from scheduler.validation import parse_round

Slot = tuple[str, str]  # (placement, period)

# The previous seat of a declined pupil: no placement has it, so the pupil cannot "stay".
GONE: Slot = ("", "")

# What problem A needs of a round document: pins are checked on these and the pinned pupils.
PLACEMENT_KEYS = (
    "format", "name", "travel", "weights", "defaults", "travel_matrix", "schools", "companies",
    "placements",
)  # fmt: skip


class PinConflict(Exception):
    """Pins the round cannot hold: `students` are the pupils whose pins are at fault."""

    def __init__(self, message: str, students: Iterable[str]) -> None:
        super().__init__(message)
        self.message, self.students = message, list(students)


@dataclass(frozen=True)
class Plan:
    """What a job solves: the round document its solution must satisfy, and how to steer it."""

    document: dict[str, Any]
    steering: Steering | None = None
    declines: tuple[Mapping[str, str], ...] = field(default_factory=tuple)
    kept_activities: tuple[ActivityKey, ...] = ()


def assignment_map(solution: Mapping[str, Any]) -> dict[str, Slot]:
    """Pupil -> (placement, period) of a solution document."""
    return {a["student"]: (a["placement"], a["period"]) for a in solution.get("assignments", [])}


def repaired_round(document: Mapping[str, Any], declines: Iterable[Mapping[str, str]]) -> dict:
    """`document` with each declined seat taken out, as the effective round of a repair."""
    result = copy.deepcopy(dict(document))
    placements = {p["id"]: p for p in result.get("placements", [])}
    students = {s["id"]: s for s in result.get("students", [])}
    for decline in declines:
        placement = placements.get(decline["placement"])
        if placement is not None and decline["period"] in placement["capacity"]:
            seats = placement["capacity"][decline["period"]]
            placement["capacity"][decline["period"]] = max(0, seats - 1)
        student = students.get(decline["student"])
        if student is not None:
            student["preferences"] = [
                p for p in student.get("preferences", []) if p != decline["placement"]
            ]
    return result


def activity_key(activity: Mapping[str, Any]) -> ActivityKey:
    """(requester, offer, date, daypart) of an activity or an activity decline."""
    return (activity["requester"], activity["offer"], activity["date"], activity["daypart"])


def declined_round(document: Mapping[str, Any], declines: Iterable[Mapping[str, str]]) -> dict:
    """`document` with each declined activity written into its offer's `declined` list."""
    result = copy.deepcopy(dict(document))
    offers = {o["id"]: o for o in result.get("offers", [])}
    for decline in declines:
        offer = offers.get(decline["offer"])
        if offer is not None:
            entry = {k: decline[k] for k in ("requester", "date", "daypart")}
            if entry not in offer.setdefault("declined", []):
                offer["declined"].append(entry)
    return result


def plan(
    document: Mapping[str, Any],
    base_solution: Mapping[str, Any] | None = None,
    pins: Iterable[Mapping[str, str]] = (),
    declines: Iterable[Mapping[str, str]] = (),
    activity_declines: Iterable[Mapping[str, str]] = (),
) -> Plan:
    """A fresh solve of `document` (no `base_solution`), else a re-solve or, with `declines` of
    pupils or `activity_declines` of classes and teachers, a repair of `base_solution`, keeping
    `pins` (a declined pupil's pin no longer counts) and every activity not declined."""
    if base_solution is None:
        return Plan(dict(document))
    activity_declines = tuple(activity_declines)
    refused = {(d["requester"], d["offer"]) for d in activity_declines}
    kept = tuple(
        key
        for key in map(activity_key, base_solution.get("activities", []))
        if key[:2] not in refused
    )
    declines = tuple(declines)
    declined = {d["student"] for d in declines}
    pinned = {
        p["student"]: (p["placement"], p["period"]) for p in pins if p["student"] not in declined
    }
    previous = {
        s: GONE if s in declined else slot for s, slot in assignment_map(base_solution).items()
    }
    effective = repaired_round(document, declines) if declines else dict(document)
    if activity_declines:
        effective = declined_round(effective, activity_declines)
    return Plan(effective, Steering(pinned=pinned, previous=previous), declines, kept)


def solve(
    job: Plan,
    *,
    time_limit: float,
    workers: int,
    deterministic: bool = False,
    progress: ProgressFn = ignore,
) -> tuple[Plan, dict[str, Any]]:
    """Solve a plan; returns the plan the solution answers (see `back_with_decliner`) and it."""

    def solved(plan: Plan) -> dict[str, Any]:
        return solve_round(
            parse_round(plan.document),
            time_limit=time_limit,
            workers=workers,
            progress=progress,
            steering=plan.steering,
            kept_activities=plan.kept_activities,
            deterministic=deterministic,
        )

    solution = solved(job)
    returned = back_with_decliner(job, solution)
    if returned:
        job = replace(job, document=accepting_only_wishes(job.document, returned))
        solution = solved(job)
    return job, solution


def back_with_decliner(job: Plan, solution: Mapping[str, Any]) -> set[str]:
    """Declined pupils the solution puts on the very placement that declined them."""
    placed = assignment_map(solution)
    return {
        d["student"] for d in job.declines if placed.get(d["student"], GONE)[0] == d["placement"]
    }


def accepting_only_wishes(document: Mapping[str, Any], students: set[str]) -> dict[str, Any]:
    """`document` with `students` accepting only the placements they wish for."""
    result = copy.deepcopy(dict(document))
    for student in result.get("students", []):
        if student["id"] in students:
            student["accept_unranked"] = False
    return result


def check_pins(document: Mapping[str, Any], pins: Mapping[str, Slot]) -> None:
    """Raise `PinConflict` when `pins` cannot hold in `document`, naming the pins at fault.

    The solver core judges eligibility and seats (per placement and period, and a company's
    `max_students`) on a round of the pinned pupils alone: the same pairs and seats, found in
    milliseconds. A together or apart rule between two pins is checked here. Whether pins leave
    a min_students or together rule satisfiable with other pupils, only the full solve can
    tell; its job then fails with the solver's reason and stores nothing.
    """
    if not pins:
        return
    students = {s["id"]: s for s in document.get("students", [])}
    for student in pins:
        if student not in students:
            raise PinConflict(f"pin of {student}: no such pupil in this round", [student])
    sub_round = {key: document[key] for key in PLACEMENT_KEYS if key in document}
    sub_round["students"] = [students[s] for s in students if s in pins]
    # Alone, the pinned pupils cannot fill a placement: its minimum is the full solve's concern.
    sub_round["placements"] = [{**p, "min_students": 0} for p in document.get("placements", [])]
    try:
        solve_placements(parse_round(sub_round), steering=Steering(pinned=dict(pins)))
    except SteeringError as error:
        message = str(error)
        named = [s for s in pins if f"pin {s} " in message or f"pupil {s!r}" in message]
        raise PinConflict(message, named or crowded(document, pins) or sorted(pins)) from None
    company = {p["id"]: p["company"] for p in document.get("placements", [])}
    for a, b in document.get("apart", []):
        if a in pins and b in pins and company[pins[a][0]] == company[pins[b][0]]:
            raise PinConflict(
                f"pins {a} and {b} are both at company {company[pins[a][0]]}, "
                "but the two must be apart",
                [a, b],
            )
    for a, b in document.get("together", []):
        if a in pins and b in pins and company[pins[a][0]] != company[pins[b][0]]:
            raise PinConflict(
                f"pins {a} (company {company[pins[a][0]]}) and {b} (company "
                f"{company[pins[b][0]]}) split a pair that must be together",
                [a, b],
            )


def crowded(document: Mapping[str, Any], pins: Mapping[str, Slot]) -> list[str]:
    """Pupils pinned to a placement and period, or a company, with more pins than seats."""
    placements = {p["id"]: p for p in document.get("placements", [])}
    limits = {c["id"]: c.get("max_students") for c in document.get("companies", [])}
    by_slot: dict[Slot, list[str]] = defaultdict(list)
    by_company: dict[str, list[str]] = defaultdict(list)
    for student, (placement, period) in pins.items():
        if placement in placements:
            by_slot[placement, period].append(student)
            by_company[placements[placement]["company"]].append(student)
    over = [
        student
        for (placement, period), pinned in by_slot.items()
        if len(pinned) > placements[placement]["capacity"].get(period, 0)
        for student in pinned
    ] + [
        student
        for company, pinned in by_company.items()
        if limits.get(company) is not None and len(pinned) > limits[company]
        for student in pinned
    ]
    return sorted(set(over))
