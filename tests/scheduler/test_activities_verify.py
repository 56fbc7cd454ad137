"""`verify` on activity plans: each broken rule, objective or reason is named."""

import copy

import pytest
from activity_rounds import activity_round, klass, offer
from rounds import company

from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

DOC = activity_round(
    classes=[
        klass("K1", free=["tue-pm", "thu-pm"]),
        klass("K2", free=["tue-pm"]),
        klass("K3", free=["thu-pm"]),
    ],
    companies=[company("C1", hours_per_month=8)],
    offers=[offer("O1", available=["tue-pm", "thu-pm"], max_per_month=2)],
    calendar={"start": "2027-03-01", "end": "2027-03-12", "min_gap_days": 3},
)


@pytest.fixture(scope="module")
def solved() -> tuple:
    round_ = parse_round(DOC)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    assert len(solution["activities"]) == 2 and len(solution["unplanned"]) == 1
    return round_, solution


def rules(round_, solution) -> set[str]:
    return {v.rule for v in verify(round_, solution)}


@pytest.mark.parametrize(
    "change, rule",
    [
        (lambda s: s["activities"][0].update(date="2027-03-06"), "calendar"),  # a Saturday
        (lambda s: s["activities"][0].update(daypart="am"), "free"),
        (lambda s: s["activities"][0].update(travel_min=7), "travel"),
        (lambda s: s["activities"][0].update(kind="guest_lesson"), "kind"),
        (lambda s: s["activities"][0].update(offer="O9"), "reference"),
        (lambda s: s["objective"].update(activity_travel_min=99), "objective"),
        (lambda s: s["objective"].update(activities_bound=1), "objective"),
        (lambda s: s["objective"].update(activities_travel_bound=10**6), "objective"),
        (lambda s: s["unplanned"].append(dict(s["unplanned"][0])), "unplanned"),
        (lambda s: s["unplanned"].clear(), "unplanned"),
        (lambda s: s["unplanned"][0].update(reason="TOO_FAR"), "reason"),
        (lambda s: s["unplanned"][0].update(missing=2), "unplanned"),
    ],
)
def test_a_broken_plan_is_named(solved, change, rule):
    round_, solution = solved
    broken = copy.deepcopy(solution)
    change(broken)
    assert rule in rules(round_, broken)


def test_capacity_rules_are_checked(solved):
    round_, solution = solved
    broken = copy.deepcopy(solution)
    first = broken["activities"][0]
    twin = {**first, "requester": "K2" if first["requester"] == "K1" else "K1"}
    broken["activities"].append(twin)
    found = rules(round_, broken)
    assert {"offer_daypart", "min_gap_days", "demand"} & found
    assert "offer_daypart" in found


def test_a_reason_that_hides_a_plannable_activity_fails(solved):
    round_, solution = solved
    dropped = copy.deepcopy(solution)
    gone = dropped["activities"].pop()
    dropped["objective"]["activities_planned"] -= 1
    dropped["objective"]["activity_travel_min"] -= gone["travel_min"]
    dropped["objective"]["activity_hours_spread"] -= 4
    dropped["unplanned"].append(
        {"requester": gone["requester"], "kind": "excursion", "missing": 1, "reason": "COMBINED"}
    )
    messages = [str(v) for v in verify(round_, dropped) if v.rule == "reason"]
    assert any("could be planned" in m for m in messages)
