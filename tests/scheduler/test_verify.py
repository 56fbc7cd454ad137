"""`verify` catches each kind of broken solution, naming the rule."""

import copy

import pytest
from rounds import KM, company, placement, round_doc, student

from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

DOC = round_doc(
    companies=[company("C1", max_students=2), company("far", 52.0 + 30 * KM, 5.0)],
    placements=[
        placement("PL1", "C1", {"P1": 1}),
        placement("PL2", "C1", {"P1": 1}, min_students=1),
        placement("PLfar", "far", {"P1": 5}),
    ],
    students=[
        student("a", preferences=["PL1"]),
        student("b", preferences=["PL2"]),
        student("c", profile="BWI", max_travel_min=20),
    ],
)


@pytest.fixture(scope="module")
def solved() -> tuple:
    round_ = parse_round(DOC)
    solution = solve_round(round_)
    assert verify(round_, solution) == []
    return round_, solution


def rules_broken(round_, solution) -> set[str]:
    return {v.rule for v in verify(round_, solution)}


def tamper(solution: dict, change) -> dict:
    copied = copy.deepcopy(solution)
    change(copied)
    return copied


def test_a_wrong_reason_is_caught(solved):
    round_, solution = solved
    assert [(u["student"], u["reason"]) for u in solution["unassigned"]] == [("c", "CAPACITY")]
    bad = tamper(solution, lambda s: s["unassigned"][0].update(reason="NO_ELIGIBLE"))
    assert rules_broken(round_, bad) == {"reason"}


def test_travel_and_cost_are_recomputed(solved):
    round_, solution = solved
    bad = tamper(solution, lambda s: s["assignments"][0].update(travel_min=99))
    assert rules_broken(round_, bad) == {"travel"}


def test_moving_a_pupil_over_capacity(solved):
    round_, solution = solved

    def move(s):
        s["assignments"][1].update(placement="PL1", rank=None, cost=150)

    assert rules_broken(round_, tamper(solution, move)) == {"capacity", "objective"}


def test_company_limit_over_all_its_placements(solved):
    _, solution = solved
    doc = copy.deepcopy(DOC)
    doc["companies"][0]["max_students"] = 1
    assert "max_students" in rules_broken(parse_round(doc), solution)


def test_a_placed_pupil_too_far_away(solved):
    round_, solution = solved

    def place_c(s):
        s["unassigned"] = []
        s["assignments"].append(
            {
                "student": "c",
                "placement": "PLfar",
                "company": "far",
                "period": "P1",
                "rank": None,
                "travel_min": 0,
                "cost": 150,
            }
        )

    assert {"travel", "objective"} <= rules_broken(round_, tamper(solution, place_c))


def test_together_and_apart_are_checked(solved):
    _, solution = solved
    doc = dict(DOC, together=[["a", "c"]], apart=[["a", "b"]])
    assert {"together", "apart"} <= rules_broken(parse_round(doc), solution)


def test_a_missing_pupil_and_a_wrong_format(solved):
    round_, solution = solved
    bad = tamper(solution, lambda s: (s["assignments"].pop(), s.update(format="other")))
    assert {"coverage", "format", "objective"} <= rules_broken(round_, bad)


def test_a_reference_that_is_no_id_is_flagged_not_a_crash(solved):
    round_, solution = solved
    bad = tamper(solution, lambda s: s["assignments"][0].update(placement=["PL1"]))
    assert "reference" in rules_broken(round_, bad)
