"""Re-planning a published activity calendar: kept activities stay, declines are honoured, and
the demand left open is planned as well as a brute force over plans holding the kept ones."""

import pytest
from activity_rounds import (
    activity_round,
    brute_force_activities,
    klass,
    offer,
    tiny_activity_rounds,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.activities.search import solve_activities
from scheduler.domain import SteeringError
from scheduler.solve import solve_round
from scheduler.validation import InvalidRound, parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def key(activity: dict) -> tuple[str, str, str, str]:
    return (activity["requester"], activity["offer"], activity["date"], activity["daypart"])


def declined(doc: dict, activity: dict) -> dict:
    """`doc` with the company of `activity` declining it, as a repair writes it."""
    for o in doc["offers"]:
        if o["id"] == activity["offer"]:
            o.setdefault("declined", []).append(
                {k: activity[k] for k in ("requester", "date", "daypart")}
            )
    return doc


@SETTINGS
@given(tiny_activity_rounds(), st.data())
def test_a_repair_keeps_the_rest_and_is_optimal_around_it(doc, data):
    first = solve_round(parse_round(doc), time_limit=10, deterministic=True, workers=2)
    assume(first["activities"])
    planned = first["activities"]
    refused = data.draw(st.sampled_from(planned))
    # A decline refuses the class at that offer: none of its visits there can be kept.
    others = [a for a in planned if key(a)[:2] != key(refused)[:2]]
    kept = (
        {key(a) for a in data.draw(st.lists(st.sampled_from(others), unique_by=key))}
        if others
        else set()
    )
    round_ = parse_round(declined(doc, refused))
    solution = solve_round(
        round_, time_limit=10, deterministic=True, workers=2, kept_activities=kept
    )
    assert verify(round_, solution) == []
    got = {key(a) for a in solution["activities"]}
    assert kept <= got
    assert not any(
        a["requester"] == refused["requester"] and a["offer"] == refused["offer"]
        for a in solution["activities"]
    )
    assert not any(
        (a["offer"], a["date"], a["daypart"])
        == (refused["offer"], refused["date"], refused["daypart"])
        for a in solution["activities"]
    )
    objective = solution["objective"]
    assert solution["status"] == "OPTIMAL"  # given the kept activities
    best_given_kept = brute_force_activities(round_, kept)
    assert (
        objective["activities_planned"],
        objective["activity_travel_min"],
        objective["activity_hours_spread"],
    ) == best_given_kept
    # activities_bound stays a bound of the round itself; the kept-relative one is in stats.
    assert objective["activities_bound"] >= brute_force_activities(round_)[0]
    if kept:
        stats = solution["stats"]["activities"]
        assert stats["kept"] == len(kept)
        assert stats["bound_given_kept"] == best_given_kept[0]


def test_a_declined_class_goes_to_the_next_offer_and_nobody_else_moves():
    doc = activity_round(
        classes=[klass("K1"), klass("K2", free=["thu-pm"])],
        offers=[
            offer("O1", available=["tue-pm", "thu-pm"]),
            offer("O2", company="C2", available=["tue-pm"]),
        ],
        companies=[
            {"id": "C1", "lat": 52.0, "lon": 5.0, "sectors": ["bouw"]},
            {"id": "C2", "lat": 52.05, "lon": 5.05, "sectors": ["bouw"]},
        ],
    )
    first = solve_round(parse_round(doc), time_limit=5, deterministic=True, workers=2)
    k1 = next(a for a in first["activities"] if a["requester"] == "K1")
    k2 = next(a for a in first["activities"] if a["requester"] == "K2")
    assert k1["offer"] == "O1"  # the nearer company
    round_ = parse_round(declined(doc, k1))
    repaired = solve_round(
        round_, time_limit=5, deterministic=True, workers=2, kept_activities={key(k2)}
    )
    assert verify(round_, repaired) == []
    by_requester = {a["requester"]: a for a in repaired["activities"]}
    assert by_requester["K2"] == k2
    assert by_requester["K1"]["offer"] == "O2"


def test_a_class_declined_by_the_only_offer_is_unplanned_with_that_said():
    doc = declined(
        activity_round(),
        {"requester": "K1", "offer": "O1", "date": "2027-03-02", "daypart": "pm"},
    )
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    assert solution["activities"] == []
    [entry] = solution["unplanned"]
    assert entry["reason"] == "NO_OFFER"
    assert "declined at O1" in entry["detail"]


def test_a_declined_daypart_is_closed_for_every_class():
    # K2 was declined on 2 March: K1 may still go to O1, but not on that afternoon.
    doc = declined(
        activity_round(classes=[klass("K1"), klass("K2")]),
        {"requester": "K2", "offer": "O1", "date": "2027-03-02", "daypart": "pm"},
    )
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    assert [(a["requester"], a["date"]) for a in solution["activities"]] == [("K1", "2027-03-09")]


def test_a_kept_activity_the_round_no_longer_allows_is_refused_by_name():
    round_ = parse_round(activity_round())
    with pytest.raises(SteeringError, match="K1 at O1 on 2027-03-03 pm"):
        solve_activities(round_, kept={("K1", "O1", "2027-03-03", "pm")})  # a Wednesday
    with pytest.raises(SteeringError, match="K1 at O1 on 2027-03-09 pm: breaks"):
        solve_activities(
            round_, kept={("K1", "O1", "2027-03-02", "pm"), ("K1", "O1", "2027-03-09", "pm")}
        )


def test_verify_catches_a_plan_that_ignores_a_decline():
    doc = activity_round()
    planned = solve_round(parse_round(doc), time_limit=5, deterministic=True, workers=2)
    [activity] = planned["activities"]
    round_ = parse_round(declined(doc, activity))
    rules = {v.rule for v in verify(round_, planned)}
    assert {"admission", "available"} <= rules


def test_a_decline_naming_an_unknown_class_or_a_bad_date_is_refused():
    doc = activity_round()
    doc["offers"][0]["declined"] = [
        {"requester": "K9", "date": "2027-03-02", "daypart": "pm"},
        {"requester": "K1", "date": "2027-02-30", "daypart": "pm"},
    ]
    with pytest.raises(InvalidRound) as caught:
        parse_round(doc)
    text = str(caught.value)
    assert "offers[0] (id 'O1')" in text
    assert "declined[0].requester" in text and "K9" in text
    assert "declined[1].date" in text
