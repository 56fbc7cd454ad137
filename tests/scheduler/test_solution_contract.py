"""Every solution `solve_round` writes is the typed document of `scheduler.contract.solution`,
key for key: no key missing, none the SPEC does not know, every value of its type."""

import pytest
from activity_rounds import tiny_activity_rounds
from elective_rounds import tiny_elective_rounds
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError
from rounds import tiny_rounds

from scheduler.contract.solution import SOLUTION
from scheduler.solve import solve_round
from scheduler.validation import parse_round

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tiny_rounds())
def test_a_placement_solution_is_the_typed_document(doc):
    solution = solve_round(parse_round(doc), time_limit=2, deterministic=True)
    assert SOLUTION.validate_python(solution) == solution


@SETTINGS
@given(tiny_activity_rounds())
def test_an_activity_solution_is_the_typed_document(doc):
    solution = solve_round(parse_round(doc), time_limit=2, deterministic=True)
    assert "activities" in solution and "unplanned" in solution
    assert SOLUTION.validate_python(solution) == solution


@SETTINGS
@given(tiny_elective_rounds())
def test_an_elective_solution_is_the_typed_document(doc):
    solution = solve_round(parse_round(doc), time_limit=2, deterministic=True)
    assert "electives" in solution and "elective_unassigned" in solution
    assert SOLUTION.validate_python(solution) == solution


def test_a_key_the_spec_does_not_know_is_refused():
    solution = {"format": "stagebureau.solution/1", "round": "r", "status": "OPTIMAL",
                "objective": {}, "assignments": [], "unassigned": [], "stats": {}}  # fmt: skip
    assert SOLUTION.validate_python(solution) == solution
    for broken in ({**solution, "asignments": []}, {**solution, "objective": {"placed": 1}},
                   {**solution, "status": "GOOD"}):  # fmt: skip
        with pytest.raises(ValidationError):
            SOLUTION.validate_python(broken)
