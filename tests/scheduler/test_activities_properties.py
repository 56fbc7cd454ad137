"""Activity invariants over generated tiny rounds: every plan verifies, the optimum is the brute
force, and the rules verify relies on hold on their own (holidays, free dayparts, hours)."""

from collections import Counter
from datetime import date

import pytest
from activity_rounds import brute_force_activities, tiny_activity_rounds
from hypothesis import HealthCheck, given, settings

from scheduler.activities import search as activities
from scheduler.calendar import covers, is_school_day
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(SETTINGS, max_examples=150)
@given(tiny_activity_rounds())
def test_plans_verify_and_match_the_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=10, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    objective = solution["objective"]
    best = brute_force_activities(round_)
    assert (
        objective["activities_planned"],
        objective["activity_travel_min"],
        objective["activity_hours_spread"],
    ) == best
    assert objective["activities_bound"] >= objective["activities_planned"]
    assert objective["activities_travel_bound"] <= best[1]


@SETTINGS
@given(tiny_activity_rounds())
def test_the_travel_bound_is_below_the_optimum_and_the_plan(doc):
    """Bound <= the brute force's least travel at the plan's count <= the plan's travel, on
    the decomposition (which does not prove its travel) as on the direct model."""
    round_ = parse_round(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(activities, "DIRECT_LIMIT", 0)
        solution = solve_round(round_, time_limit=5, deterministic=True, workers=2)
    objective = solution["objective"]
    planned, least_travel, _ = brute_force_activities(round_)
    assert objective["activities_planned"] == planned
    assert objective["activities_travel_bound"] <= least_travel
    assert least_travel <= objective["activity_travel_min"]


@SETTINGS
@given(tiny_activity_rounds())
def test_nothing_in_a_holiday_outside_a_free_daypart_or_over_the_hours(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=10, deterministic=True, workers=2)
    hours: Counter = Counter()
    for a in solution["activities"]:
        day = date.fromisoformat(a["date"])
        requester = round_.classes.get(a["requester"]) or round_.teachers[a["requester"]]
        offer = round_.offers[a["offer"]]
        assert is_school_day(round_.calendar, day)
        assert not any(first <= day <= last for first, last in round_.calendar.holidays)
        assert covers(requester.free, day, a["daypart"])
        assert covers(offer.available, day, a["daypart"])
        hours[(offer.company, day.month)] += offer.hours
    for (company, _), used in hours.items():
        limit = round_.companies[company].hours_per_month
        assert limit is None or used <= limit


@SETTINGS
@given(tiny_activity_rounds())
def test_decomposed_plans_verify_and_plan_what_the_brute_force_plans(doc):
    round_ = parse_round(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(activities, "DIRECT_LIMIT", 0)
        solution = solve_round(round_, time_limit=5, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    assert solution["objective"]["activities_planned"] == brute_force_activities(round_)[0]
