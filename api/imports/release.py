"""A timetable change carried into a round: the new `free` lists written into the round
document, and the planned activities they no longer allow released from the solution.

A repair starts from a published (or proposed) version and keeps every activity it finds in
that version's solution (`scheduler.steering.plan`). After a school imports new timetables, an
activity in a daypart its class or teacher is now busy must not be kept: released, its demand
is open again and the repair plans it anew within the new free dayparts; every other activity
stays where the companies and schools already have it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from scheduler.calendar import covers


def released(
    document: Mapping[str, Any], solution: Mapping[str, Any], free: Mapping[str, Sequence[str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(document with the new `free` lists, solution without the activities they forbid)."""
    new_document, new_solution = copy.deepcopy(dict(document)), copy.deepcopy(dict(solution))
    for requester in new_document.get("classes", []) + new_document.get("teachers", []):
        if requester["id"] in free:
            requester["free"] = list(free[requester["id"]])
    new_solution["activities"] = [
        a for a in new_solution.get("activities", []) if not clashes(a, free)
    ]
    return new_document, new_solution


def clashes(activity: Mapping[str, Any], free: Mapping[str, Sequence[str]]) -> bool:
    """Whether an activity falls in a daypart its requester is, by `free`, no longer free."""
    code = activity["requester"]
    return code in free and not covers(free[code], date.fromisoformat(activity["date"]),
                                       activity["daypart"])  # fmt: skip
