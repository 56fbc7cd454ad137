"""The side-rule MIP: feasible, a proven bound on every answer, and the optimum on team rounds."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from rounds import brute_force_placement, company, placement, round_doc, student, tiny_rounds

from fixtures.side_rules import generate_side_rule_round
from fixtures.teams import generate_team_round
from scheduler.placements import side_rules
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tiny_rounds(side_rules=True))
def test_a_search_cut_short_still_reports_a_proven_bound(doc):
    """One branch-and-bound node: whatever comes back is feasible and its bound holds."""
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=0.001, deterministic=True)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    placed, cost = brute_force_placement(round_)
    assert objective["bound"] is not None
    assert objective["bound"] <= objective["cost"]
    if objective["placed_priority"] == placed:
        assert objective["bound"] <= cost
    if solution["status"] == "OPTIMAL":
        assert (objective["placed_priority"], objective["cost"]) == (placed, cost)


def test_a_team_below_its_minimum_stays_closed_and_its_pupils_go_elsewhere():
    doc = round_doc(
        companies=[company("C1"), company("C2")],
        placements=[
            placement("PL1", "C1", {"P1": 4}, min_students=3),
            placement("PL2", "C2", {"P1": 4}, min_students=2),
        ],
        students=[student(s, preferences=["PL1", "PL2"]) for s in ("a", "b")],
    )
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=10, deterministic=True)
    assert verify(round_, solution) == []
    assert {a["placement"] for a in solution["assignments"]} == {"PL2"}
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["bound"] == solution["objective"]["cost"]


@pytest.mark.parametrize("accept_unranked", [False, True])
def test_team_rounds_are_solved_to_the_proven_optimum(accept_unranked):
    round_ = parse_round(generate_team_round(students=150, seed=3, accept_unranked=accept_unranked))
    solution = solve_round(round_, time_limit=30, deterministic=True)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["bound"] == solution["objective"]["cost"]


def test_a_side_rule_region_is_solved_to_the_proven_optimum():
    round_ = parse_round(generate_side_rule_round(students=300, schools=8, seed=2))
    solution = solve_round(round_, time_limit=30, deterministic=True)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["bound"] == solution["objective"]["cost"]


def test_a_region_cut_short_still_reports_a_proven_bound():
    round_ = parse_round(generate_side_rule_round(students=300, schools=8, seed=2))
    solution = solve_round(round_, time_limit=0.001, deterministic=True)
    assert verify(round_, solution) == []
    assert solution["objective"]["bound"] is not None
    assert solution["objective"]["bound"] <= solution["objective"]["cost"]


def test_a_team_round_of_600_is_proven_optimal_in_a_short_budget():
    round_ = parse_round(generate_team_round(students=600, seed=1))
    solution = solve_round(round_, time_limit=5, deterministic=True)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["bound"] == solution["objective"]["cost"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tiny_rounds(side_rules=True))
def test_a_shortlist_that_misses_the_optimum_still_ends_at_the_optimum(monkeypatch, doc):
    """The shortlist MIP only starts the full one: with a shortlist of every other usable pair
    (pins kept), which often misses the optimum's pairs, the answer is still the optimum."""

    def every_other_pair(pairs, usable, cost, pinned, *starts):
        return np.union1d(usable[::2], pinned)

    monkeypatch.setattr(side_rules, "shortlisted_pairs", every_other_pair)
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=30, deterministic=True)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    assert solution["status"] == "OPTIMAL"
    assert (objective["placed_priority"], objective["cost"]) == brute_force_placement(round_)
    assert objective["bound"] == objective["cost"]
