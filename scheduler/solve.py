"""Solve every problem a round holds and write its solution document (SPEC sections 3-9).

Each problem contributes a `Section` (`contract.solution`); `merge_sections` makes the one
document: OPTIMAL only when every part is proven optimal, the objectives side by side.
"""

from __future__ import annotations

import time
from collections.abc import Collection

from scheduler.activities.search import activity_section, solve_activities
from scheduler.contract.solution import (
    SOLUTION_FORMAT,
    ActivityKey,
    Assignment,
    Section,
    Solution,
    Unassigned,
)
from scheduler.domain import Round
from scheduler.electives.network import elective_section, solve_electives
from scheduler.events.solve import event_section, solve_events
from scheduler.placements.envy import solve_no_envy
from scheduler.placements.reasons import unassigned_reasons
from scheduler.placements.result import PlacementResult
from scheduler.placements.solve import solve_placements
from scheduler.placements.steer import Steering
from scheduler.progress import ProgressFn, ignore
from scheduler.said import ENGLISH, render


def solve_round(
    round_: Round,
    *,
    time_limit: float = 30.0,
    workers: int = 8,
    progress: ProgressFn = ignore,
    steering: Steering | None = None,
    kept_activities: Collection[ActivityKey] = (),
    no_envy: bool = False,
    deterministic: bool = False,
) -> Solution:
    """The solution document for `round_`, one section per problem the round holds.

    `time_limit` bounds each CP-SAT part; exact flows run to their optimum. `steering` pins
    placements and keeps a re-solve close to an earlier proposal; `kept_activities` stay as they
    are while the rest of the activity demand is planned around them. `no_envy` places pupils
    without justified envy (`scheduler.envy`), at the cost of the fewer placed it may mean.
    `deterministic` counts `time_limit` in CP-SAT work units on one worker with a fixed seed
    (`SearchClock`), so the answer does not depend on how busy the machine is.
    """
    started = time.monotonic()
    sections: list[Section] = []
    if round_.asks_for_placements:
        if no_envy and steering is not None:
            raise ValueError("a re-solve with pins or a previous proposal cannot be envy-free")
        if no_envy:
            result = solve_no_envy(
                round_,
                time_limit=time_limit,
                workers=workers,
                progress=progress,
                deterministic=deterministic,
            )
        else:
            result = solve_placements(
                round_,
                time_limit=time_limit,
                progress=progress,
                steering=steering,
                deterministic=deterministic,
            )
        sections.append(placement_section(round_, result))
    if round_.elective_requests:
        sections.append(elective_section(round_, solve_electives(round_, progress=progress)))
    if round_.classes or round_.teachers:
        activities = solve_activities(
            round_,
            time_limit=time_limit,
            workers=workers,
            progress=progress,
            kept=kept_activities,
            deterministic=deterministic,
        )
        sections.append(activity_section(activities))
    if round_.event_requests:
        events = solve_events(
            round_,
            time_limit=time_limit,
            workers=workers,
            progress=progress,
            deterministic=deterministic,
        )
        sections.append(event_section(round_, events))
    solution = merge_sections(round_.name, sections)
    solution["stats"]["solve_seconds"] = round(time.monotonic() - started, 3)
    solution["stats"]["seed"] = round_.seed
    return solution


def merge_sections(round_name: str, sections: list[Section]) -> Solution:
    """One document from per-problem sections: OPTIMAL only if every part is proven optimal."""
    solution: Solution = {
        "format": SOLUTION_FORMAT,
        "round": round_name,
        "status": "OPTIMAL",
        "objective": {},
        "assignments": [],
        "unassigned": [],
        "stats": {"variables": 0},
    }
    for section in sections:
        if section["status"] != "OPTIMAL":
            solution["status"] = "FEASIBLE"
        solution["objective"].update(section["objective"])
        solution["stats"]["variables"] += section["variables"]
        solution["stats"].update(section["stats"])
        solution.update(section["entries"])  # type: ignore[typeddict-item]  # keys of Solution
    return solution


def placement_section(round_: Round, result: PlacementResult) -> Section:
    """Status, objective, assignments, unassigned and stats of problem A."""
    pairs = result.pairs
    chosen = result.chosen[pairs.student[result.chosen].argsort(kind="stable")]
    assignments: list[Assignment] = []
    for k in chosen.tolist():
        placement = pairs.placements[pairs.placement[k]]
        rank = int(pairs.rank[k])
        assignments.append(
            {
                "student": pairs.students[pairs.student[k]].id,
                "placement": placement.id,
                "company": placement.company,
                "period": pairs.periods[pairs.period[k]],
                "rank": rank or None,
                "travel_min": int(pairs.minutes[k]),
                "cost": int(pairs.cost[k]),
            }
        )
    unassigned: list[Unassigned] = [
        {"student": student, "reason": reason, "detail": render(detail, ENGLISH)}
        for student, (reason, detail) in unassigned_reasons(round_, result).items()
    ]
    placements_stats = {"method": result.method, "eligible_pairs": len(pairs)}
    if result.changes is not None:
        placements_stats["changes"] = result.changes
    return {
        "status": "OPTIMAL" if result.status == "OPTIMAL" else "FEASIBLE",
        "objective": {
            "placed_priority": result.placed_priority,
            "cost": result.cost,
            "bound": result.bound,
        },
        "entries": {"assignments": assignments, "unassigned": unassigned},
        "variables": result.variables,
        "stats": {"placements": placements_stats},
    }
