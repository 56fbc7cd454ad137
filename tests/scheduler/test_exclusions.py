"""Exclusions (SPEC section 8): a pupil's `excluded` companies and placements, one rule a test."""

import pytest
from rounds import company, placement, round_doc, student

from scheduler.explain import explain_student
from scheduler.placements.steer import Steering, SteeringError
from scheduler.solve import solve_round
from scheduler.validation import InvalidRound, parse_round
from scheduler.verify import verify

# C1 holds PL1 and PL2, C2 holds PL3; every placement one seat, near the school.
DOC = round_doc(
    companies=[company("C1"), company("C2")],
    placements=[placement("PL1", "C1"), placement("PL2", "C1"), placement("PL3", "C2")],
)


def solve(**student_kw) -> tuple:
    doc = {**DOC, "students": [student("a", **student_kw)]}
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True)
    assert verify(round_, solution) == []
    return round_, solution


def test_an_excluded_placement_is_not_eligible():
    _, solution = solve(preferences=["PL1", "PL2"], excluded=["PL1"])
    assert [a["placement"] for a in solution["assignments"]] == ["PL2"]


def test_every_placement_of_an_excluded_company_is_not_eligible():
    _, solution = solve(preferences=["PL1", "PL2"], excluded=["C1"])
    assert [a["placement"] for a in solution["assignments"]] == ["PL3"]


def test_every_eligible_placement_excluded_is_no_eligible_naming_the_exclusion():
    round_, solution = solve(preferences=["PL3"], accept_unranked=False, excluded=["PL3"])
    [entry] = solution["unassigned"]
    assert entry["reason"] == "NO_ELIGIBLE"
    assert "excluded" in entry["detail"] and "PL3" in entry["detail"]
    assert "excluded: PL3 is in the pupil's excluded list" in explain_student(round_, solution, "a")


def test_excluding_everything_that_admits_the_pupil_is_no_eligible():
    _, solution = solve(excluded=["C1", "C2"], max_travel_min=0)
    [entry] = solution["unassigned"]
    assert entry["reason"] == "NO_ELIGIBLE"
    assert "C1, C2" in entry["detail"]


def test_an_unknown_excluded_id_names_record_and_field():
    doc = {**DOC, "students": [student("a", excluded=["PL3", "C9"])]}
    with pytest.raises(InvalidRound) as caught:
        parse_round(doc)
    assert [(p.record, p.field, p.message) for p in caught.value.problems] == [
        ("students[0] (id 'a')", "excluded[1]", "unknown company or placement 'C9'")
    ]


def test_verify_flags_an_assignment_to_an_excluded_placement_and_a_wrong_reason():
    _, solution = solve(preferences=["PL1"])
    excluded = parse_round(
        {**DOC, "students": [student("a", preferences=["PL1"], excluded=["C1"])]}
    )
    assert {v.rule for v in verify(excluded, solution)} == {"exclusion"}
    emptied = {
        **solution,
        "assignments": [],
        "unassigned": [{"student": "a", "reason": "CAPACITY"}],
        "objective": {"placed_priority": 0, "cost": 0},
    }
    only_c1 = parse_round(
        {
            **DOC,
            "students": [student("a", preferences=["PL1"], accept_unranked=False, excluded=["C1"])],
        }
    )
    assert [(v.rule, v.record) for v in verify(only_c1, emptied)] == [("reason", "a")]
    right = {**emptied, "unassigned": [{"student": "a", "reason": "NO_ELIGIBLE"}]}
    assert verify(only_c1, right) == []


def test_a_pin_onto_an_excluded_placement_is_refused_naming_it():
    round_ = parse_round({**DOC, "students": [student("a", excluded=["C2"])]})
    with pytest.raises(SteeringError, match="PL3 of C2 is excluded"):
        solve_round(round_, steering=Steering(pinned={"a": ("PL3", "P1")}))
