"""Escorts for excursions (SPEC section 8): the optimum equals the brute force with escorts,
every plan verifies, a teacher does one thing per daypart, NO_ESCORT is honest, bad input is
refused, and a round without `escort_ratio` is planned as before."""

from collections import Counter

import pytest
from activity_rounds import (
    activity_round,
    brute_force_activities,
    klass,
    offer,
    teacher,
    tiny_escort_rounds,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.activities import search as activities
from scheduler.solve import solve_round
from scheduler.validation import InvalidRound, parse_round
from scheduler.verify import verify

ONE_TUESDAY = ["2027-03-02/pm"]


def solved(doc: dict) -> dict:
    return solve_round(parse_round(doc), time_limit=10, deterministic=True, workers=1)


def escort_round(classes: list[dict], teachers: list[dict], ratio: int = 20, **kw) -> dict:
    doc = activity_round(classes, teachers, **kw)
    doc["defaults"] = {"escort_ratio": ratio}
    return doc


def teachers_per_daypart(solution: dict) -> Counter:
    """How many things each teacher does per daypart: escorts and own activities."""
    things: Counter = Counter()
    for a in solution["activities"]:
        for t in [*a.get("escorts", []), *([a["requester"]] if a["requester"][0] == "T" else [])]:
            things[(t, a["date"], a["daypart"])] += 1
    return things


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_escort_rounds())
def test_escorted_plans_verify_and_match_the_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=10, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    objective = solution["objective"]
    assert (
        objective["activities_planned"],
        objective["activity_travel_min"],
        objective["activity_hours_spread"],
    ) == brute_force_activities(round_)
    assert all(n == 1 for n in teachers_per_daypart(solution).values())
    for a in solution["activities"]:
        if a["kind"] == "excursion" and a["requester"] in round_.classes:
            size = round_.classes[a["requester"]].size
            assert len(a["escorts"]) == -(-size // doc["defaults"]["escort_ratio"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_escort_rounds(), st.data())
def test_a_repair_with_escorts_keeps_the_rest_and_is_optimal_around_it(doc, data):
    first = solved(doc)
    assume(first["activities"])
    dropped = data.draw(st.sampled_from(first["activities"]))
    kept = {key(a) for a in first["activities"] if a is not dropped}
    round_ = parse_round(doc)
    solution = solve_round(
        round_, time_limit=10, deterministic=True, workers=1, kept_activities=kept
    )
    assert verify(round_, solution) == []
    assert kept <= {key(a) for a in solution["activities"]}
    assert solution["status"] == "OPTIMAL"
    objective = solution["objective"]
    assert (
        objective["activities_planned"],
        objective["activity_travel_min"],
        objective["activity_hours_spread"],
    ) == brute_force_activities(round_, kept)


def key(activity: dict) -> tuple[str, str, str, str]:
    return (activity["requester"], activity["offer"], activity["date"], activity["daypart"])


def test_a_class_larger_than_its_schools_escorts_allow_is_unplanned_no_escort():
    teachers = [teacher("T1", demand={}), teacher("T2", demand={})]
    doc = escort_round([klass(size=31)], teachers, ratio=15)
    solution = solved(doc)
    assert solution["activities"] == []
    [entry] = solution["unplanned"]
    assert entry["reason"] == "NO_ESCORT"
    assert "3 teacher(s)" in entry["detail"]
    assert verify(parse_round(doc), solution) == []


def test_escorts_taken_by_another_excursion_leave_the_second_class_no_escort():
    classes = [klass("K1", free=ONE_TUESDAY), klass("K2", free=ONE_TUESDAY)]
    offers = [offer("O1", available=ONE_TUESDAY), offer("O2", available=ONE_TUESDAY)]
    doc = escort_round(classes, [teacher("T1", demand={}, free=ONE_TUESDAY)], offers=offers)
    solution = solved(doc)
    [planned] = solution["activities"]
    assert planned["escorts"] == ["T1"]
    [entry] = solution["unplanned"]
    assert (entry["requester"], entry["reason"]) == ("K2", "NO_ESCORT")
    assert verify(parse_round(doc), solution) == []


def test_a_teacher_who_may_not_escort_or_is_not_free_is_never_an_escort():
    teachers = [
        teacher("T1", demand={}, escort=False),
        teacher("T2", demand={}, free=["thu-pm"]),
        teacher("T3", demand={}),
        teacher("T4", demand={}, school="S2"),
    ]
    doc = escort_round([klass(size=20)], teachers, ratio=20, schools=None)
    doc["schools"] = [*doc["schools"], {**doc["schools"][0], "id": "S2"}]
    solution = solved(doc)
    [planned] = solution["activities"]
    assert planned["escorts"] == ["T3"]


def test_an_escort_is_not_sent_while_it_has_its_own_internship():
    """T1's internship and K1's excursion share the only Tuesday: T2 escorts."""
    offers = [
        offer("O1", available=ONE_TUESDAY),
        offer("OT", kind="teacher_internship", available=ONE_TUESDAY),
    ]
    teachers = [teacher("T1", free=ONE_TUESDAY), teacher("T2", demand={}, free=ONE_TUESDAY)]
    solution = solved(escort_round([klass(free=ONE_TUESDAY)], teachers, offers=offers))
    escorts = {a["requester"]: a.get("escorts") for a in solution["activities"]}
    assert escorts == {"K1": ["T2"], "T1": None}


def test_verify_reports_escorts_that_break_the_rules():
    classes = [klass("K1", free=ONE_TUESDAY), klass("K2", free=ONE_TUESDAY)]
    offers = [offer("O1", available=ONE_TUESDAY), offer("O2", available=ONE_TUESDAY)]
    teachers = [teacher("T1", demand={}), teacher("T2", demand={}, escort=False)]
    doc = escort_round(classes, teachers, offers=offers)
    round_ = parse_round(doc)
    solution = solved(doc)
    assert verify(round_, solution) == []
    by_class = {a["requester"]: a for a in solution["activities"]}
    assert by_class["K1"]["escorts"] == ["T1"] and "K2" not in by_class
    second = {**by_class["K1"], "requester": "K2", "offer": "O2", "escorts": ["T1"]}
    solution["activities"].append(second)
    solution["unplanned"] = []
    solution["objective"]["activities_planned"] = 2
    rules = {v.rule for v in verify(round_, solution)}
    assert "teacher_daypart" in rules
    second["escorts"] = ["T2"]
    assert any("may not escort" in v.message for v in verify(round_, solution))
    second["escorts"] = []
    assert any("0 escort(s), 1 needed" in v.message for v in verify(round_, solution))


def test_verify_refuses_no_escort_where_escorts_were_free():
    doc = escort_round([klass()], [teacher("T1", demand={})])
    solution = solved(doc)
    solution["activities"], solution["objective"]["activities_planned"] = [], 0
    solution["objective"]["activity_travel_min"] = solution["objective"][
        "activity_hours_spread"
    ] = 0
    solution["unplanned"] = [
        {"requester": "K1", "kind": "excursion", "missing": 1, "reason": "NO_ESCORT", "detail": ""}
    ]
    assert {v.rule for v in verify(parse_round(doc), solution)} == {"reason"}


@pytest.mark.parametrize(
    ("defaults", "teacher_escort", "field"),
    [
        ({"escort_ratio": 0}, True, "escort_ratio"),
        ({"escort_ratio": "12"}, True, "escort_ratio"),
        ({"escort_ratio": 12.5}, True, "escort_ratio"),
        ({"escort_ratio": 12}, "yes", "escort"),
    ],
)
def test_a_bad_ratio_or_escort_flag_is_refused_naming_the_field(defaults, teacher_escort, field):
    doc = activity_round([klass()], [teacher("T1", escort=teacher_escort)])
    doc["defaults"] = defaults
    with pytest.raises(InvalidRound) as refused:
        parse_round(doc)
    assert field in str(refused.value)


def test_without_a_ratio_nothing_changes_and_a_loose_ratio_only_adds_escorts():
    classes = [klass("K1"), klass("K2", free=["tue-pm", "thu-am"])]
    offers = [offer("O1"), offer("O2", available=["tue-pm", "thu-am"])]
    teachers = [teacher("T1", demand={}, free=["tue-pm", "thu-am"]), teacher("T2", demand={})]
    plain = solved(activity_round(classes, teachers, offers=offers))
    assert all("escorts" not in a for a in plain["activities"])
    loose = solved(escort_round(classes, teachers, ratio=30, offers=offers))
    assert [{k: v for k, v in a.items() if k != "escorts"} for a in loose["activities"]] == (
        plain["activities"]
    )
    assert all(len(a["escorts"]) == 1 for a in loose["activities"])


def test_escorts_depend_on_the_seed_and_never_on_the_order_of_the_teachers():
    classes = [klass("K1", size=40), klass("K2", free=["thu-am"])]
    offers = [offer("O1"), offer("O2", available=["thu-am"])]
    teachers = [teacher(f"T{i}", demand={}, free=["tue-pm", "thu-am"]) for i in range(6)]
    doc = escort_round(classes, teachers, offers=offers)
    escorts = [a["escorts"] for a in solved(doc)["activities"]]
    assert [len(e) for e in escorts] == [2, 1]
    assert [a["escorts"] for a in solved({**doc, "teachers": teachers[::-1]})["activities"]] == (
        escorts
    )
    drawn = {
        str(a["escorts"]) for seed in range(4) for a in solved({**doc, "seed": seed})["activities"]
    }
    assert len(drawn) > 2  # the lottery spreads the escorting over the teachers


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_escort_rounds())
def test_decomposed_escorted_plans_verify_and_plan_what_the_brute_force_plans(doc):
    round_ = parse_round(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(activities, "DIRECT_LIMIT", 0)
        solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    assert solution["objective"]["activities_planned"] == brute_force_activities(round_)[0]
