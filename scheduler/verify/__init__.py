"""Check a solution document against its round: every hard rule, the objective and the reasons.

The independent check of every solver: written from the SPEC directly, it imports only the
contract, the domain, travel and the calendar, never a solver module (an import-linter contract
in `make lint` keeps it so), so a solver bug cannot hide itself behind shared code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scheduler.contract.solution import SOLUTION_FORMAT
from scheduler.domain import Round
from scheduler.verify.activities import verify_activities
from scheduler.verify.electives import verify_electives
from scheduler.verify.events import verify_events
from scheduler.verify.placements import verify_placements
from scheduler.verify.violation import Violation

__all__ = ["Violation", "verify"]


def verify(round_: Round, solution: Mapping[str, Any]) -> list[Violation]:
    """Every way the solution breaks the SPEC; empty when it holds."""
    found: list[Violation] = []
    if solution.get("format") != SOLUTION_FORMAT:
        found.append(Violation("format", "solution", f"format is not {SOLUTION_FORMAT!r}"))
    if solution.get("status") not in ("OPTIMAL", "FEASIBLE"):
        found.append(Violation("format", "solution", "status is neither OPTIMAL nor FEASIBLE"))
    if round_.asks_for_placements or solution.get("assignments") or solution.get("unassigned"):
        found += verify_placements(round_, solution)
    if round_.elective_requests or solution.get("electives") or solution.get("elective_unassigned"):
        found += verify_electives(round_, solution)
    if round_.classes or round_.teachers or solution.get("activities") or solution.get("unplanned"):
        found += verify_activities(round_, solution)
    if round_.event_requests or solution.get("event_sessions") or solution.get("event_unassigned"):
        found += verify_events(round_, solution)
    return found
