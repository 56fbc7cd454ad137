"""One rule of SPEC section 3 per test, on rounds small enough to check by hand."""

from rounds import KM, company, placement, round_doc, school, student

from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify


def solve(doc: dict) -> dict:
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=10, deterministic=True)
    assert verify(round_, solution) == []
    return solution


def placed(solution: dict) -> dict[str, tuple[str, str]]:
    return {a["student"]: (a["placement"], a["period"]) for a in solution["assignments"]}


def reasons(solution: dict) -> dict[str, str]:
    return {u["student"]: u["reason"] for u in solution["unassigned"]}


def test_capacity_per_placement_and_period():
    doc = round_doc(
        placements=[placement(capacity={"P1": 2})],
        students=[student(f"st{i}") for i in range(3)],
    )
    solution = solve(doc)
    assert len(solution["assignments"]) == 2
    assert list(reasons(solution).values()) == ["CAPACITY"]
    assert "PL1/P1 full (2)" in solution["unassigned"][0]["detail"]


def test_company_max_students_over_all_its_placements():
    doc = round_doc(
        companies=[company(max_students=1)],
        placements=[placement("PL1"), placement("PL2")],
        students=[student("a"), student("b")],
    )
    solution = solve(doc)
    assert len(solution["assignments"]) == 1
    assert "C1 at max_students 1" in solution["unassigned"][0]["detail"]


def test_priority_beats_cost():
    doc = round_doc(
        companies=[company("near", 52.0, 5.0), company("far", 52.0 + 6 * KM, 5.0)],
        placements=[placement("PLnear", "near"), placement("PLfar", "far")],
        students=[
            student("low", preferences=["PLnear"]),
            student("high", priority=2, accept_unranked=False, preferences=["PLnear"]),
        ],
    )
    solution = solve(doc)
    assert placed(solution) == {"high": ("PLnear", "P1"), "low": ("PLfar", "P1")}
    assert solution["objective"]["placed_priority"] == 3


def test_preferences_order_the_cost():
    doc = round_doc(
        placements=[placement("PL1"), placement("PL2")],
        students=[student(preferences=["PL2", "PL1"])],
    )
    [assignment] = solve(doc)["assignments"]
    assert (assignment["placement"], assignment["rank"], assignment["cost"]) == ("PL2", 1, 0)


def test_ranks_past_the_cost_list_cost_its_last_entry():
    doc = round_doc(
        placements=[placement(f"PL{i}", capacity={"P1": int(i == 3)}) for i in range(4)],
        students=[student(preferences=["PL0", "PL1", "PL2", "PL3"])],
        weights={"rank_cost": [0, 5], "unranked_cost": 50, "travel_minute_cost": 1},
    )
    [assignment] = solve(doc)["assignments"]
    assert (assignment["rank"], assignment["cost"]) == (4, 5)


def test_unranked_placement_has_null_rank():
    [assignment] = solve(round_doc())["assignments"]
    assert assignment["rank"] is None and assignment["cost"] == 150


def test_a_pupil_that_accepts_only_its_preferences():
    doc = round_doc(students=[student(accept_unranked=False)])
    assert reasons(solve(doc)) == {"st1": "NOT_PREFERRED"}


def test_too_far():
    doc = round_doc(companies=[company(lat=52.0 + 20 * KM)], students=[student(max_travel_min=30)])
    assert reasons(solve(doc)) == {"st1": "TOO_FAR"}


def test_no_eligible_by_profile_track_year_or_period():
    doc = round_doc(
        placements=[
            placement("PLprofile", profiles=["BWI"]),
            placement("PLtrack", tracks=["gl"]),
            placement("PLyear", min_year=4),
            placement("PLperiod", capacity={"P2": 3}),
        ],
    )
    assert reasons(solve(doc)) == {"st1": "NO_ELIGIBLE"}


def test_capacity_zero_is_eligible_but_full():
    doc = round_doc(placements=[placement(capacity={"P1": 0})])
    assert reasons(solve(doc)) == {"st1": "CAPACITY"}


def test_min_students_opens_a_placement_only_for_enough_pupils():
    doc = round_doc(
        placements=[placement(capacity={"P1": 3}, min_students=2, profiles=["PIE"])],
        students=[student("a"), student("b", profile="BWI")],
    )
    solution = solve(doc)
    assert placed(solution) == {}
    assert reasons(solution) == {"a": "CONSTRAINT", "b": "NO_ELIGIBLE"}
    doc["students"][1]["profile"] = "PIE"
    assert len(solve(doc)["assignments"]) == 2


def test_together_means_same_company_or_both_unplaced():
    doc = round_doc(
        companies=[company("C1"), company("C2")],
        placements=[placement("PL1", "C1"), placement("PL2", "C2")],
        students=[student("a", preferences=["PL1"]), student("b", preferences=["PL1"])],
        together=[["a", "b"]],
    )
    assert placed(solve(doc)) == {}
    doc["placements"][0]["capacity"] = {"P1": 2}
    assert placed(solve(doc)) == {"a": ("PL1", "P1"), "b": ("PL1", "P1")}


def test_apart_never_at_the_same_company():
    doc = round_doc(
        companies=[company("C1"), company("C2", 52.0 + 2 * KM, 5.0)],
        placements=[placement("PL1", "C1", {"P1": 2}), placement("PL2", "C2")],
        students=[student("a"), student("b")],
        apart=[["a", "b"]],
    )
    companies = {a["company"] for a in solve(doc)["assignments"]}
    assert companies == {"C1", "C2"}


def test_travel_matrix_replaces_the_formula():
    doc = round_doc(
        companies=[company(lat=52.0 + 20 * KM)],
        students=[student(max_travel_min=30)],
        travel_matrix={"st1": {"C1": 25}},
    )
    [assignment] = solve(doc)["assignments"]
    assert assignment["travel_min"] == 25
    doc["travel_matrix"] = {"st1": {"C1": 31}}
    assert reasons(solve(doc)) == {"st1": "TOO_FAR"}


def test_pupil_periods_default_to_the_school():
    doc = round_doc(
        schools=[school(periods=("P2",))], placements=[placement(capacity={"P1": 1, "P2": 1})]
    )
    assert placed(solve(doc)) == {"st1": ("PL1", "P2")}


def test_every_pupil_appears_exactly_once():
    doc = round_doc(students=[student(f"st{i}") for i in range(4)])
    solution = solve(doc)
    ids = [a["student"] for a in solution["assignments"]] + [
        u["student"] for u in solution["unassigned"]
    ]
    assert sorted(ids) == ["st0", "st1", "st2", "st3"]


def test_one_more_placed_pupil_is_worth_a_long_chain_of_worse_moves():
    # Placing `new` at PL0 pushes each of ten pupils one placement along to its second choice:
    # a cost rise of ten times the largest arc cost, more than a small bypass weight covers.
    chain = 10
    doc = round_doc(
        placements=[placement(f"PL{i}") for i in range(chain + 1)],
        students=[
            student(f"s{i}", preferences=[f"PL{i}", f"PL{i + 1}"], accept_unranked=False)
            for i in range(chain)
        ]
        + [student("new", preferences=["PL0"], accept_unranked=False)],
        weights={"rank_cost": [0, 100], "unranked_cost": 100, "travel_minute_cost": 1},
    )
    solution = solve(doc)
    assert solution["unassigned"] == []
    assert solution["objective"] == {"placed_priority": 11, "cost": 1000, "bound": 1000}
