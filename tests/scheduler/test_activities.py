"""One rule of SPEC section 4 per test, on rounds small enough to check by hand."""

import pytest
from activity_rounds import activity_round, klass, offer, teacher
from rounds import KM, company, school

from scheduler.activities import search as activities
from scheduler.solve import solve_round
from scheduler.travel import school_travel_minutes
from scheduler.validation import parse_round
from scheduler.verify import verify


def solve(doc: dict) -> dict:
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=10, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    return solution


def planned(solution: dict) -> list[tuple[str, str, str, str]]:
    return [(a["requester"], a["offer"], a["date"], a["daypart"]) for a in solution["activities"]]


def reasons(solution: dict) -> dict[tuple[str, str], str]:
    return {(u["requester"], u["kind"]): u["reason"] for u in solution["unplanned"]}


def test_an_activity_at_a_common_free_daypart():
    solution = solve(activity_round())
    [activity] = solution["activities"]
    assert (activity["date"], activity["daypart"]) in {("2027-03-02", "pm"), ("2027-03-09", "pm")}
    assert (activity["company"], activity["kind"], activity["travel_min"]) == (
        "C1",
        "excursion",
        0,
    )
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["activities_planned"] == 1
    assert solution["objective"]["activities_bound"] == 1


def test_nothing_in_a_holiday_and_its_ranges_are_inclusive():
    doc = activity_round(
        calendar={
            "start": "2027-03-01",
            "end": "2027-03-12",
            "holidays": [["2027-03-02", "2027-03-02"]],
        }
    )
    assert planned(solve(doc)) == [("K1", "O1", "2027-03-09", "pm")]
    doc["calendar"]["holidays"] = [["2027-03-01", "2027-03-12"]]
    assert reasons(solve(doc)) == {("K1", "excursion"): "NO_COMMON_DAYPART"}


def test_dated_dayparts_only_on_school_days():
    doc = activity_round(
        classes=[klass(free=["2027-03-06/am", "2027-03-04/am"])],  # a Saturday, a Thursday
        offers=[offer(available=["thu-am", "2027-03-06/am"])],
    )
    assert planned(solve(doc)) == [("K1", "O1", "2027-03-04", "am")]


def test_requester_must_be_free():
    doc = activity_round(classes=[klass(free=["wed-am"])])
    solution = solve(doc)
    assert reasons(solution) == {("K1", "excursion"): "NO_COMMON_DAYPART"}
    assert "wed-am" in solution["unplanned"][0]["detail"]


def test_kind_must_match_the_demand():
    doc = activity_round(classes=[klass(demand={"guest_lesson": 1})])
    assert reasons(solve(doc)) == {("K1", "guest_lesson"): "NO_OFFER"}


@pytest.mark.parametrize(
    "class_fields, offer_fields",
    [
        ({"size": 26}, {"max_group_size": 25}),
        ({"profile": "ZW"}, {"profiles": ["PIE", "BWI"]}),
    ],
)
def test_group_size_and_profile_admit_a_class(class_fields, offer_fields):
    doc = activity_round(classes=[klass(**class_fields)], offers=[offer(**offer_fields)])
    assert reasons(solve(doc)) == {("K1", "excursion"): "NO_OFFER"}


def test_a_teacher_counts_one_and_needs_a_shared_sector():
    internship = offer(kind="teacher_internship", max_group_size=1, sectors=["energie"])
    doc = activity_round(classes=[], teachers=[teacher(sectors=["bouw"])], offers=[internship])
    assert reasons(solve(doc)) == {("T1", "teacher_internship"): "NO_OFFER"}
    doc["teachers"][0]["sectors"] = ["bouw", "energie"]
    assert [a["requester"] for a in solve(doc)["activities"]] == ["T1"]


def test_travel_within_the_offers_limit_by_coach_or_car():
    far = company("C1", 52.0 + 25 * KM, 5.0)
    doc = activity_round(companies=[far], offers=[offer(max_travel_min=45)])
    round_ = parse_round(doc)
    by_coach = school_travel_minutes(round_, "S1", "C1", "coach")
    assert by_coach > 45
    assert reasons(solve(doc)) == {("K1", "excursion"): "TOO_FAR"}
    doc["offers"][0]["max_travel_min"] = by_coach
    [activity] = solve(doc)["activities"]
    assert activity["travel_min"] == by_coach


def test_travel_matrix_replaces_the_formula():
    doc = activity_round(travel_matrix={"S1": {"C1": 50}})
    assert reasons(solve(doc)) == {("K1", "excursion"): "TOO_FAR"}
    doc["offers"][0]["max_travel_min"] = 50
    assert solve(doc)["activities"][0]["travel_min"] == 50


def test_one_activity_per_offer_per_daypart():
    doc = activity_round(
        classes=[klass("K1"), klass("K2")],
        calendar={"start": "2027-03-01", "end": "2027-03-05"},
    )
    solution = solve(doc)
    assert len(solution["activities"]) == 1
    assert list(reasons(solution).values()) == ["OFFER_FULL"]


def test_max_per_month_per_offer():
    doc = activity_round(classes=[klass("K1"), klass("K2")], offers=[offer(max_per_month=1)])
    solution = solve(doc)
    assert len(solution["activities"]) == 1
    assert list(reasons(solution).values()) == ["OFFER_FULL"]


def test_hours_per_month_per_company_over_its_offers():
    doc = activity_round(
        classes=[klass("K1"), klass("K2", free=["thu-am"])],
        companies=[company(hours_per_month=7)],
        offers=[offer("O1", hours=4), offer("O2", hours=4, available=["thu-am"])],
    )
    solution = solve(doc)
    assert len(solution["activities"]) == 1
    assert list(reasons(solution).values()) == ["HOURS_EXHAUSTED"]
    assert solution["unplanned"][0]["missing"] == 1


def test_hours_default_by_kind():
    round_ = parse_round(
        activity_round(offers=[offer("O1"), offer("O2", kind="guest_lesson"), offer("O3", hours=2)])
    )
    assert [o.hours for o in round_.offers.values()] == [4, 3, 2]
    assert round_.calendar.min_gap_days == 0


def test_min_gap_days_between_two_activities_of_a_requester():
    doc = activity_round(classes=[klass(demand={"excursion": 2})])
    doc["calendar"]["min_gap_days"] = 7
    assert planned(solve(doc)) == [
        ("K1", "O1", "2027-03-02", "pm"),
        ("K1", "O1", "2027-03-09", "pm"),
    ]
    doc["calendar"]["min_gap_days"] = 8
    solution = solve(doc)
    assert len(solution["activities"]) == 1
    assert reasons(solution) == {("K1", "excursion"): "GAP"}


def test_one_activity_per_requester_per_daypart():
    doc = activity_round(
        classes=[klass(demand={"excursion": 1, "guest_lesson": 1})],
        offers=[offer("O1"), offer("O2", kind="guest_lesson")],
        calendar={"start": "2027-03-01", "end": "2027-03-05"},
    )
    solution = solve(doc)
    assert len(solution["activities"]) == 1
    assert list(reasons(solution).values()) == ["GAP"]


def test_demand_caps_each_kind():
    doc = activity_round(offers=[offer("O1"), offer("O2", available=["thu-pm"])])
    doc["classes"][0]["free"] = ["tue-pm", "thu-pm"]
    assert len(solve(doc)["activities"]) == 1


def test_distinct_sectors_compares_first_sectors():
    companies = [
        company("C1", sectors=["bouw", "energie"]),
        company("C2", sectors=["bouw"]),
        company("C3", 52.0 + 3 * KM, 5.0, sectors=["energie", "bouw"]),
    ]
    offers = [offer("O1", "C1"), offer("O2", "C2", available=["thu-pm"])]
    doc = activity_round(
        classes=[klass(free=["tue-pm", "thu-pm"], demand={"excursion": 2}, distinct_sectors=True)],
        companies=companies,
        offers=offers,
    )
    solution = solve(doc)
    assert len(solution["activities"]) == 1
    assert reasons(solution) == {("K1", "excursion"): "SECTORS"}
    doc["offers"][1]["company"] = "C3"
    assert len(solve(doc)["activities"]) == 2
    doc["classes"][0]["distinct_sectors"] = False
    doc["offers"][1]["company"] = "C2"
    assert len(solve(doc)["activities"]) == 2


def test_combined_reason_when_no_single_rule_blocks_every_candidate():
    free = ["tue-pm", "thu-pm"]
    doc = activity_round(
        classes=[klass("K1", free=free), klass("K2", free=free), klass("K3", free=free)],
        companies=[company("C1"), company("C2", hours_per_month=3)],
        offers=[
            offer("O1", "C1", max_per_month=1),
            offer("O2", "C2", available=["thu-pm"], hours=3),
        ],
    )
    solution = solve(doc)
    assert len(solution["activities"]) == 2
    [unplanned] = solution["unplanned"]
    assert unplanned["reason"] == "COMBINED"
    assert "hours" in unplanned["detail"] and "taken" in unplanned["detail"]


def test_travel_is_the_second_objective():
    companies = [company("near", 52.0 + 2 * KM, 5.0), company("far", 52.0 + 8 * KM, 5.0)]
    doc = activity_round(companies=companies, offers=[offer("Ofar", "far"), offer("Onear", "near")])
    [activity] = solve(doc)["activities"]
    assert activity["offer"] == "Onear"


def test_spread_evens_a_companys_months():
    doc = activity_round(
        classes=[klass("K1", free=["tue-pm"]), klass("K2", free=["tue-pm"])],
        calendar={"start": "2027-03-23", "end": "2027-04-09"},  # three Tuesdays, two months
    )
    solution = solve(doc)
    months = sorted(a["date"][:7] for a in solution["activities"])
    assert months == ["2027-03", "2027-04"]
    assert solution["objective"]["activity_hours_spread"] == 4


def test_a_round_without_offers_plans_nothing_and_says_why():
    solution = solve(activity_round(offers=[]))
    assert solution["activities"] == []
    assert solution["objective"]["activities_bound"] == 0
    assert reasons(solution) == {("K1", "excursion"): "NO_OFFER"}


def test_the_decomposition_plans_what_the_direct_model_plans(monkeypatch):
    classes = [
        klass(f"K{i}", free=["tue-pm", "thu-am"], demand={"excursion": 2, "guest_lesson": 1})
        for i in range(6)
    ]
    offers = [
        offer("O1", "C1", available=["tue-pm", "thu-am"], max_per_month=3),
        offer("O2", "C2", available=["tue-pm"]),
        offer("O3", "C2", kind="guest_lesson", available=["thu-am", "tue-pm"]),
    ]
    doc = activity_round(
        classes=classes,
        offers=offers,
        companies=[company("C1"), company("C2", 52.0 + 2 * KM, 5.0, hours_per_month=9)],
        schools=[school("S1"), school("S2", 52.0 + 1 * KM, 5.0)],
        calendar={"start": "2027-03-01", "end": "2027-04-30", "min_gap_days": 7},
    )
    for i, c in enumerate(doc["classes"]):
        c["school"] = "S1" if i % 2 else "S2"
    direct = solve(doc)
    monkeypatch.setattr(activities, "DIRECT_LIMIT", 0)
    decomposed = solve(doc)
    assert decomposed["stats"]["activities"]["method"].startswith("pairs")
    assert (
        decomposed["objective"]["activities_planned"] == direct["objective"]["activities_planned"]
    )
