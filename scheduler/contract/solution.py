"""The solution document of SPEC sections 3-9: its format id.

A solution is one JSON object with a section per problem the round holds (assignments and
unassigned, activities and unplanned, electives and elective_unassigned), one objective and one
status; `scheduler.solve.solve_round` writes it and `scheduler.verify` checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SOLUTION_FORMAT = "stagebureau.solution/1"

Slot = tuple[str, str]  # (placement, period) of an assignment
ActivityKey = tuple[str, str, str, str]  # (requester, offer, date, daypart) of an activity


def assignment_map(solution: Mapping[str, Any]) -> dict[str, Slot]:
    """Pupil -> (placement, period) of a solution document."""
    return {a["student"]: (a["placement"], a["period"]) for a in solution.get("assignments", [])}


def activity_key(activity: Mapping[str, Any]) -> ActivityKey:
    """(requester, offer, date, daypart) of an activity or an activity decline."""
    return (activity["requester"], activity["offer"], activity["date"], activity["daypart"])
