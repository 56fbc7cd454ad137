"""Pins, minimal change and repair, expressed as round documents the solver core already solves.

The solver core has no notion of a pinned assignment or of a previous solution yet, so a
re-solve builds two documents:

- the *effective* round: the round the new solution must satisfy, SPEC-valid on its own. For a
  pin or a plain re-solve it is the previous version's round; for a repair after a company
  declined, it is that round with each declined seat removed (the capacity of the placement
  and period less one, and the placement dropped from the pupil's wishes).
- the *steered* round, which only the solver sees: a pinned pupil admits only its pinned
  placement and period and carries a priority above all others together (so it is always
  placed); every other pupil that had an assignment gets it as first wish, and every rank
  past the first costs `STAY` more (`rank_cost` and `unranked_cost` shifted), so moving a
  pupil costs more than any difference in travel: a pupil moves only when that places more
  priority, which is the "as little as possible" of SPEC section 7.

The solver's assignments are then re-costed against the effective round (rank, travel, cost and
objective recomputed), so the stored solution verifies against the stored effective round with
`scheduler.verify`. Eligibility is the same in both documents for every unpinned pupil, so the
solver's reasons for the unplaced hold in the effective round too. The status is FEASIBLE and
the bound is dropped: optimality was proven for the steered round, not the effective one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from scheduler.domain import Round
from scheduler.travel import student_travel_minutes

# More than any travel-cost difference between two placements (600 min at cost 1).
STAY = 1000

Slot = tuple[str, str]  # (placement, period)


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


def steered_round(
    effective: Mapping[str, Any],
    pins: Mapping[str, Slot],
    previous: Mapping[str, Slot],
) -> dict[str, Any]:
    """The document the solver gets: pins fixed, previous assignments strongly preferred."""
    result = copy.deepcopy(dict(effective))
    students = result.get("students", [])
    boost = sum(s.get("priority", 1) for s in students) + 1
    if previous:
        weights = dict(result.get("weights") or {})
        rank_cost = list(weights.get("rank_cost", [0, 10, 30, 60, 100]))
        weights["rank_cost"] = [0] + [STAY + c for c in rank_cost]
        weights["unranked_cost"] = STAY + weights.get("unranked_cost", 150)
        result["weights"] = weights
    for student in students:
        sid = student["id"]
        if sid in pins:
            placement, period = pins[sid]
            student["preferences"] = [placement]
            student["accept_unranked"] = False
            student["periods"] = [period]
            student["priority"] = boost + student.get("priority", 1)
        elif sid in previous:
            kept = previous[sid][0]
            others = [p for p in student.get("preferences", []) if p != kept]
            student["preferences"] = [kept, *others]
    return result


def recost(round_: Round, steered_solution: Mapping[str, Any]) -> dict[str, Any]:
    """The steered solver's answer as a solution of the effective round `round_`."""
    assignments = []
    placed_priority = cost = 0
    for a in steered_solution.get("assignments", []):
        student = round_.students[a["student"]]
        placement = round_.placements[a["placement"]]
        minutes = student_travel_minutes(round_, student, placement.company)
        rank = student.rank_of(placement.id)
        item_cost = (
            round_.weights.preference_cost(rank) + round_.weights.travel_minute_cost * minutes
        )
        assignments.append({**a, "rank": rank, "travel_min": minutes, "cost": item_cost})
        placed_priority += student.priority
        cost += item_cost
    solution = copy.deepcopy(dict(steered_solution))
    solution["assignments"] = assignments
    solution["status"] = "FEASIBLE"
    solution["objective"] = {
        **solution.get("objective", {}),
        "placed_priority": placed_priority,
        "cost": cost,
        "bound": None,
    }
    return solution


def count_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> int:
    """Pupils whose placement or period differs between two solutions (placed or not)."""
    old, new = assignment_map(before), assignment_map(after)
    return sum(old.get(s) != new.get(s) for s in old.keys() | new.keys())
