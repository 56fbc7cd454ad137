"""Solver invariants over generated tiny rounds: verify holds, the optimum is the brute force."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from rounds import brute_force_placement, tiny_rounds

from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.solve import solve_placements
from scheduler.solve import solve_round
from scheduler.travel import student_travel_minutes
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tiny_rounds())
def test_flow_solutions_verify_and_match_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    objective = solution["objective"]
    assert (objective["placed_priority"], objective["cost"]) == brute_force_placement(round_)


@SETTINGS
@given(tiny_rounds(side_rules=True))
def test_side_rule_solutions_verify_and_match_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    assert solution["status"] == "OPTIMAL"
    assert (objective["placed_priority"], objective["cost"]) == brute_force_placement(round_)
    assert objective["bound"] == objective["cost"]


@SETTINGS
@given(tiny_rounds())
def test_mip_and_flow_agree_without_side_rules(doc):
    round_ = parse_round(doc)
    flow = solve_placements(round_)
    mip = solve_placements(round_, use_mip=True, time_limit=5, deterministic=True)
    assert mip.status == "OPTIMAL"
    assert (flow.placed_priority, flow.cost) == (mip.placed_priority, mip.cost)


@SETTINGS
@given(tiny_rounds())
def test_eligible_pairs_are_exactly_the_spec_rule(doc):
    round_ = parse_round(doc)
    pairs = eligible_pairs(round_)
    found = {
        (pairs.students[s].id, pairs.placements[p].id, pairs.periods[t], int(m))
        for s, p, t, m in zip(
            pairs.student, pairs.placement, pairs.period, pairs.minutes, strict=True
        )
    }
    expected = set()
    for s in round_.students.values():
        for p in round_.placements.values():
            minutes = student_travel_minutes(round_, s, p.company)
            if (
                p.admits(s.profile, s.track, s.year)
                and not s.excludes(p)
                and minutes <= s.max_travel_min
                and (s.accept_unranked or p.id in s.preferences)
            ):
                expected |= {(s.id, p.id, t, minutes) for t in s.periods if t in p.capacity}
    assert found == expected
    assert np.all(pairs.cost >= 0)
