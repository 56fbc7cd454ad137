"""With `deterministic`, the time limit counts CP-SAT work: a busy machine changes nothing."""

import itertools
import time

import pytest

from fixtures.activities import add_activities
from fixtures.region import generate_region
from scheduler.solve import solve_round
from scheduler.validation import parse_round


def _without_stats(solution: dict) -> dict:
    return {key: value for key, value in solution.items() if key != "stats"}


@pytest.fixture(scope="module")
def region_round():
    """Side rules (CP-SAT placements) and activities (CP-SAT plans) in one round."""
    doc = add_activities(generate_region(students=150, schools=2, seed=11), seed=11)
    doc["together"] = [[doc["students"][0]["id"], doc["students"][1]["id"]]]
    doc["placements"][0]["min_students"] = 2
    return parse_round(doc)


def test_a_machine_a_thousand_times_slower_gets_the_same_answer(region_round, monkeypatch):
    quiet = solve_round(region_round, time_limit=3, workers=2, deterministic=True)
    ticks = itertools.count()
    # Every look at the wall clock finds 1000 s more gone: budgets kept in seconds would be
    # spent at once, so only a budget in work units reaches the same answer.
    monkeypatch.setattr(time, "monotonic", lambda: 1000.0 * next(ticks))
    busy = solve_round(region_round, time_limit=3, workers=2, deterministic=True)
    assert _without_stats(busy) == _without_stats(quiet)
    assert quiet["stats"]["placements"]["method"] == "mip"
    assert quiet["objective"]["activities_planned"] > 0
