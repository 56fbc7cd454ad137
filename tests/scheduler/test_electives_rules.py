"""One rule of SPEC section 5 per test, on rounds small enough to check by hand."""

import pytest
from rounds import KM, company, placement, round_doc, school, student

from scheduler.electives.network import elective_candidates, elective_network, solve_electives
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

# S2 is 3 km north of S1 (16 min by bike), S3 is 20 km north (105 min).
SCHOOLS = [school("S1"), school("S2", lat=52.0 + 3 * KM), school("S3", lat=52.0 + 20 * KM)]


def elective(id: str, school: str = "S1", slot: str = "tue-pm", capacity: int = 1, **kw) -> dict:
    return {"id": id, "school": school, "slot": slot, "capacity": capacity, **kw}


def request(student: str, choices: list[str], count: int = 1) -> dict:
    return {"student": student, "choices": choices, "count": count}


def electives_round(electives: list[dict], requests: list[dict], students=None, **extra) -> dict:
    ids = [r["student"] for r in requests]
    return round_doc(
        schools=SCHOOLS,
        companies=[],
        placements=[],
        students=students if students is not None else [student(i) for i in ids],
        electives=electives,
        elective_requests=requests,
        **extra,
    )


def solve(doc: dict) -> dict:
    round_ = parse_round(doc)
    solution = solve_round(round_)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    return solution


def granted(solution: dict) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for e in solution["electives"]:
        result.setdefault(e["student"], []).append(e["elective"])
    return result


def reasons(solution: dict) -> dict[str, tuple[str, int]]:
    return {u["student"]: (u["reason"], u["missing"]) for u in solution["elective_unassigned"]}


def test_capacity_per_elective():
    doc = electives_round(
        [elective("E1", capacity=2)], [request(f"p{i}", ["E1"]) for i in range(3)]
    )
    solution = solve(doc)
    assert len(solution["electives"]) == 2
    assert list(reasons(solution).values()) == [("CAPACITY", 1)]
    assert "E1 (2/2)" in solution["elective_unassigned"][0]["detail"]


def test_capacity_zero_is_eligible_but_full():
    solution = solve(electives_round([elective("E1", capacity=0)], [request("a", ["E1"])]))
    assert reasons(solution) == {"a": ("CAPACITY", 1)}


def test_profile_must_be_admitted():
    doc = electives_round(
        [elective("E1", profiles=["BWI"]), elective("E2", capacity=1, profiles=["PIE", "BWI"])],
        [request("a", ["E1"]), request("b", ["E1", "E2"])],
    )
    solution = solve(doc)
    assert granted(solution) == {"b": ["E2"]}
    assert reasons(solution) == {"a": ("NO_CHOICE_ADMITS", 1)}


def test_travel_within_max_switch_min_from_own_school():
    doc = electives_round(
        [elective("E2", "S2"), elective("E3", "S3")],
        [request("a", ["E2"]), request("b", ["E3"])],
    )
    solution = solve(doc)
    assert solution["electives"] == [
        {"student": "a", "elective": "E2", "rank": 1, "travel_min": 16}
    ]
    assert reasons(solution) == {"b": ("TOO_FAR", 1)}
    assert "S3, 105 min" in solution["elective_unassigned"][0]["detail"]


def test_travel_counts_from_the_school_not_the_home():
    home_near_s3 = {"lat": 52.0 + 20 * KM, "lon": 5.0}
    doc = electives_round(
        [elective("E3", "S3")],
        [request("a", ["E3"])],
        students=[student("a", home=home_near_s3)],
    )
    assert reasons(solve(doc)) == {"a": ("TOO_FAR", 1)}


def test_own_school_is_zero_minutes_even_with_a_matrix_entry():
    doc = electives_round(
        [elective("E1", "S1")], [request("a", ["E1"])], travel_matrix={"S1": {"S1": 99}}
    )
    assert solve(doc)["electives"][0]["travel_min"] == 0


def test_travel_matrix_between_schools_applies():
    doc = electives_round(
        [elective("E3", "S3")], [request("a", ["E3"])], travel_matrix={"S3": {"S1": 25}}
    )
    assert solve(doc)["electives"][0]["travel_min"] == 25


def test_max_switch_min_comes_from_defaults():
    doc = electives_round(
        [elective("E2", "S2")], [request("a", ["E2"])], defaults={"max_switch_min": 15}
    )
    assert reasons(solve(doc)) == {"a": ("TOO_FAR", 1)}


def test_at_most_one_elective_per_slot():
    doc = electives_round(
        [
            elective("E1", slot="tue-pm"),
            elective("E2", slot="tue-pm"),
            elective("E3", slot="thu-pm"),
        ],
        [request("a", ["E1", "E2", "E3"], count=3)],
    )
    solution = solve(doc)
    assert granted(solution) == {"a": ["E1", "E3"]}
    assert reasons(solution) == {"a": ("SLOT_CLASH", 1)}


def test_count_bounds_the_electives_of_a_pupil():
    doc = electives_round(
        [elective("E1", slot="tue-pm"), elective("E2", slot="thu-pm")],
        [request("a", ["E1", "E2"], count=1), request("b", ["E2"], count=0)],
    )
    solution = solve(doc)
    assert granted(solution) == {"a": ["E1"]}
    assert solution["elective_unassigned"] == []


def test_granted_count_beats_rank():
    # Giving a its first choice E1 would leave b, who only wants E1, without an elective.
    doc = electives_round(
        [elective("E1"), elective("E2", slot="thu-pm")],
        [request("a", ["E1", "E2"]), request("b", ["E1"])],
    )
    solution = solve(doc)
    assert granted(solution) == {"a": ["E2"], "b": ["E1"]}
    assert solution["objective"]["elective_rank_sum"] == 1


def test_rank_beats_travel():
    doc = electives_round(
        [elective("E2", "S2"), elective("E1", "S1")],
        [request("a", ["E2", "E1"])],
    )
    solution = solve(doc)
    assert solution["electives"] == [
        {"student": "a", "elective": "E2", "rank": 1, "travel_min": 16}
    ]
    objective = solution["objective"]
    assert (objective["elective_rank_sum"], objective["elective_travel_min"]) == (0, 16)


def test_travel_breaks_ties_at_equal_rank():
    # Either pupil can take either seat at rank 1 cost; the S2 pupil should take the S2 seat.
    doc = electives_round(
        [elective("E1", "S1", capacity=1), elective("E2", "S2", capacity=1)],
        [request("a", ["E1", "E2"]), request("b", ["E2", "E1"])],
        students=[student("a"), student("b", school="S2")],
    )
    solution = solve(doc)
    assert solution["objective"]["elective_travel_min"] == 0


def test_timetable_limits_the_slots_of_a_school():
    doc = electives_round(
        [elective("E1", slot="wed-pm"), elective("E2", slot="tue-pm")],
        [request("a", ["E1"]), request("b", ["E1", "E2"])],
        timetables={"S1": ["tue-pm", "thu-pm"]},
    )
    solution = solve(doc)
    assert granted(solution) == {"b": ["E2"]}
    assert reasons(solution) == {"a": ("NOT_IN_TIMETABLE", 1)}
    assert "S1 frees thu-pm, tue-pm" in solution["elective_unassigned"][0]["detail"]


def test_school_absent_from_timetables_is_unrestricted():
    doc = electives_round(
        [elective("E1", "S2", slot="wed-pm")],
        [request("a", ["E1"])],
        timetables={"S2": ["tue-pm"]},
    )
    assert granted(solve(doc)) == {"a": ["E1"]}


def test_request_without_choices_is_explained():
    solution = solve(electives_round([elective("E1")], [request("a", [])]))
    assert solution["elective_unassigned"][0]["detail"] == "the request lists no choices"


def test_round_with_placements_and_electives_gets_both_sections():
    doc = round_doc(
        schools=SCHOOLS,
        companies=[company()],
        placements=[placement(capacity={"P1": 1})],
        students=[student("a"), student("b")],
        electives=[elective("E1", "S2")],
        elective_requests=[request("a", ["E1"]), request("b", ["E1"])],
    )
    solution = solve(doc)
    assert len(solution["assignments"]) == 1 and len(solution["unassigned"]) == 1
    assert len(solution["electives"]) == 1 and len(solution["elective_unassigned"]) == 1
    assert {"placed_priority", "cost", "electives_granted"} <= solution["objective"].keys()
    assert solution["stats"]["electives"]["method"] == "min_cost_flow"


def test_costs_too_large_for_the_flow_are_refused():
    huge = 10**17
    doc = electives_round(
        [elective("E3", "S3", capacity=2), elective("E2", "S2", slot="thu-pm")],
        [request("a", ["E2", "E3"], count=2), request("b", ["E3", "E2"], count=2)],
        defaults={"max_switch_min": huge},
        travel_matrix={"S1": {"S3": huge, "S2": huge}},
    )
    with pytest.raises(OverflowError, match="do not fit"):
        solve_electives(parse_round(doc))


def test_pupil_supply_is_capped_at_its_distinct_slots():
    doc = electives_round([elective("E1"), elective("E2")], [request("a", ["E1", "E2"], count=5)])
    network = elective_network(elective_candidates(parse_round(doc)))
    assert network.supplies[0] == 1


def test_verify_flags_every_broken_rule():
    doc = electives_round(
        [elective("E1"), elective("E2"), elective("E3", slot="wed-pm", capacity=5)],
        [request("a", ["E1", "E2", "E3"], count=3), request("b", ["E1"])],
        timetables={"S1": ["tue-pm"]},
    )
    round_ = parse_round(doc)
    solution = solve_round(round_)
    broken = {
        **solution,
        "objective": {**solution["objective"], "electives_granted": 4, "elective_rank_sum": 3},
        "electives": [
            {"student": "a", "elective": "E1", "rank": 1, "travel_min": 0},
            {"student": "a", "elective": "E2", "rank": 2, "travel_min": 0},
            {"student": "a", "elective": "E3", "rank": 3, "travel_min": 0},
            {"student": "b", "elective": "E1", "rank": 1, "travel_min": 0},
        ],
        "elective_unassigned": [{"student": "b", "missing": 1, "reason": "CAPACITY"}],
    }
    rules = {v.rule for v in verify(round_, broken)}
    assert rules == {"slot", "capacity", "timetable", "coverage"}
