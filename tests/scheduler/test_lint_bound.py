"""Lint periods across blocks when the MIP does not fit the time: the start and a proven bound."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rounds import KM, brute_force_placement, company, placement, round_doc, school, student

from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.relaxed_bound import relaxed_cost_bound
from scheduler.placements.steer import Steer, Steering
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

# Deterministic limits below the MIP's estimate (`time_budget`): at 0 not even one more flow
# fits (the relaxed optimum cut down), at 0.0005 the restricted flow of a tiny round does.
OUT_OF_TIME, NO_TIME_FOR_THE_MIP = 0.0, 0.0005

PERIODS = {
    "L": {"start": "2027-01-04", "end": "2027-01-29", "weekdays": ["wed"]},
    "B1": {"start": "2027-01-04", "end": "2027-01-15"},
    "B2": {"start": "2027-01-18", "end": "2027-01-29"},
}


@st.composite
def lint_rounds(draw: st.DrawFn) -> dict:
    """Tiny rounds where a lint period of Wednesdays crosses two blocks at companies with a
    daily limit (no laminar family: the side-rule path), pupils of mixed priority and cost."""
    companies = [
        company(f"C{i}", 52.0 + i * 3 * KM, 5.0, max_concurrent=draw(st.integers(1, 2)))
        for i in range(draw(st.integers(1, 2)))
    ]
    placements = [
        placement(
            f"PL{i}",
            f"C{i % len(companies)}",
            {t: draw(st.integers(0, 2)) for t in PERIODS},
        )
        for i in range(draw(st.integers(1, 2)))
    ]
    students = [
        student(
            f"st{i}",
            home={"lat": 52.0 + draw(st.integers(0, 4)) * KM, "lon": 5.0},
            preferences=draw(
                st.lists(st.sampled_from([p["id"] for p in placements]), max_size=2, unique=True)
            ),
            priority=draw(st.integers(1, 3)),
            periods=draw(st.lists(st.sampled_from(list(PERIODS)), min_size=1, unique=True)),
        )
        for i in range(draw(st.integers(2, 4)))
    ]
    return round_doc(
        [school(periods=tuple(PERIODS))],
        companies,
        placements,
        students,
        periods=[{"id": t, **days} for t, days in PERIODS.items()],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lint_rounds())
def test_the_relaxed_bound_holds_at_every_placed_priority(doc):
    """No answer placing at least `floor` priority costs less than the bound at `floor`."""
    round_ = parse_round(doc)
    pairs = eligible_pairs(round_)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    steer = Steer.of(pairs, Steering())
    most, _ = brute_force_placement(round_)
    for floor in range(1, most + 1):
        _, least = brute_force_placement(round_, at_least=floor)
        assert relaxed_cost_bound(pairs, priority, steer, floor, lambda: True) <= least
        # Out of time before any flow: the cheapest pairs' bound alone.
        assert relaxed_cost_bound(pairs, priority, steer, floor, lambda: False) <= least


@pytest.mark.parametrize("limit", [OUT_OF_TIME, NO_TIME_FOR_THE_MIP])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=lint_rounds())
def test_without_time_for_the_mip_the_start_comes_back_verified_with_a_proven_bound(limit, doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=limit, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    placed, cost = objective["placed_priority"], objective["cost"]
    assert objective["bound"] <= brute_force_placement(round_, at_least=placed)[1]
    if solution["status"] == "OPTIMAL":
        assert (placed, cost) == brute_force_placement(round_)


def _crossed_lint_round(pupils: int, max_concurrent: int) -> dict:
    """One company, one placement with three seats in each of L, B1 and B2."""
    return round_doc(
        [school(periods=tuple(PERIODS))],
        [company(max_concurrent=max_concurrent)],
        [placement(capacity=dict.fromkeys(PERIODS, 3))],
        [student(f"st{i}", preferences=["PL1"]) for i in range(pupils)],
        periods=[{"id": t, **days} for t, days in PERIODS.items()],
    )


@pytest.mark.parametrize("limit", [OUT_OF_TIME, NO_TIME_FOR_THE_MIP])
def test_a_start_that_meets_the_relaxation_is_optimal_without_the_mip(limit):
    # Room for all: the relaxation's cost is the start's, a proof without any MIP.
    round_ = parse_round(_crossed_lint_round(pupils=3, max_concurrent=2))
    assert not eligible_pairs(round_).concurrency.exact_as_flow
    solution = solve_round(round_, time_limit=limit, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    assert solution["stats"]["placements"]["method"] == "min_cost_flow"
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["bound"] == solution["objective"]["cost"]


@pytest.mark.parametrize("limit", [OUT_OF_TIME, NO_TIME_FOR_THE_MIP])
def test_a_start_below_the_relaxation_is_feasible_with_a_proven_bound(limit):
    # L + B1 <= 1 and L + B2 <= 1: the relaxation holds one of the two sets and places 4 (one
    # in that set, three in the other block), the round at most 2. The start cannot prove what
    # it places, so it is FEASIBLE, with the least cost at its priority as the bound.
    round_ = parse_round(_crossed_lint_round(pupils=4, max_concurrent=1))
    solution = solve_round(round_, time_limit=limit, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    placed = objective["placed_priority"]
    assert placed in (1, 2) and solution["status"] == "FEASIBLE"
    assert objective["bound"] == brute_force_placement(round_, at_least=placed)[1]
    # Given the time, the MIP proves it.
    proven = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert (proven["stats"]["placements"]["method"], proven["status"]) == ("mip", "OPTIMAL")
    assert proven["objective"]["placed_priority"] == 2


def test_time_for_the_shortlist_but_not_the_whole_mip_improves_the_start():
    # Three placements open to all: nine pairs a pupil, the shortlist keeps five unranked ones
    # (and the starts'), so at 0.004 work units the shortlist's MIP fits and the whole does not.
    doc = round_doc(
        [school(periods=tuple(PERIODS))],
        [company(max_concurrent=1)],
        [placement(f"PL{i}", capacity=dict.fromkeys(PERIODS, 1)) for i in range(3)],
        [student(f"st{i}", accept_unranked=True, priority=1 + i % 2) for i in range(3)],
        periods=[{"id": t, **days} for t, days in PERIODS.items()],
    )
    round_ = parse_round(doc)
    messages = []
    solution = solve_round(
        round_,
        time_limit=0.004,
        deterministic=True,
        workers=1,
        progress=lambda p: messages.append(p.phase),
    )
    assert verify(round_, solution) == []
    assert any(m.startswith("no time for a MIP over 27 pairs") for m in messages)
    objective = solution["objective"]
    placed, cost = objective["placed_priority"], objective["cost"]
    assert objective["bound"] <= brute_force_placement(round_, at_least=placed)[1]
    assert (placed, cost) == brute_force_placement(round_)


@pytest.mark.parametrize("limit", [OUT_OF_TIME, NO_TIME_FOR_THE_MIP])
def test_a_pin_in_the_lint_period_holds_without_the_mip_and_the_bound_counts_it(limit):
    # st0 pinned to L fills both Wednesdays' sets: nobody else fits, and the bound knows.
    round_ = parse_round(_crossed_lint_round(pupils=3, max_concurrent=1))
    pinned = {"st0": ("PL1", "L")}
    solution = solve_round(
        round_, time_limit=limit, deterministic=True, workers=1, steering=Steering(pinned=pinned)
    )
    assert verify(round_, solution) == []
    assert [(a["student"], a["period"]) for a in solution["assignments"]] == [("st0", "L")]
    assert solution["stats"]["placements"]["method"] == "min_cost_flow"
    objective = solution["objective"]
    least = brute_force_placement(round_, pinned=pinned, at_least=objective["placed_priority"])
    assert objective["bound"] <= least[1]
