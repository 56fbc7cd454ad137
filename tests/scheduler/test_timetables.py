"""The parallel-timetable check, and the `timetables` field that feeds the solver the same grid."""

import pytest
from rounds import KM, round_doc, school, student

from scheduler.electives.timetables import timetable_report
from scheduler.validation import InvalidRound, parse_round

# S2 is 3 km from S1 (16 min by bike), S3 20 km (105 min): beyond any switch.
SCHOOLS = [school("S1"), school("S2", lat=52.0 + 3 * KM), school("S3", lat=52.0 + 20 * KM)]
ELECTIVES = [
    {"id": "E1", "school": "S1", "slot": "tue-pm", "capacity": 10},
    {"id": "E2", "school": "S2", "slot": "wed-pm", "capacity": 10, "profiles": ["PIE"]},
    {"id": "E3", "school": "S3", "slot": "thu-pm", "capacity": 10},
]


def region(**extra) -> dict:
    return round_doc(
        schools=SCHOOLS,
        companies=[],
        placements=[],
        students=[
            student("a", school="S1"),
            student("b", school="S1"),
            student("c", school="S1", profile="BWI"),
            student("d", school="S2"),
        ],
        electives=ELECTIVES,
        elective_requests=[
            {"student": "a", "choices": ["E2"]},
            {"student": "b", "choices": ["E2", "E1"]},
            {"student": "c", "choices": ["E2"]},
            {"student": "d", "choices": ["E1"]},
        ],
        **extra,
    )


def test_reach_needs_travel_and_a_free_slot():
    report = timetable_report(parse_round(region()), {"S1": ["tue-pm"], "S2": ["tue-pm"]})
    s1, s2, s3 = report.reach
    assert (s1.school, s1.slots, s1.electives, s1.closed) == ("S1", ("tue-pm",), ("E1",), ("E2",))
    assert (s2.slots, s2.electives, s2.closed) == (("tue-pm",), ("E1",), ("E2",))
    assert (s3.slots, s3.electives, s3.closed) == (("thu-pm",), ("E3",), ())  # S3: no grid


def test_moves_name_the_schools_and_the_pupils_who_would_gain():
    report = timetable_report(parse_round(region()), {"S1": ["tue-pm"], "S2": ["tue-pm"]})
    assert not report.parallel
    [move] = report.moves
    assert (move.elective, move.slot) == ("E2", "wed-pm")
    # a and b request E2 at S1; c does too, but E2 does not admit its profile.
    assert move.schools == (("S1", 2), ("S2", 0))
    assert move.pupils == 2


def test_parallel_grid_needs_no_moves():
    grid = {s: ["tue-pm", "wed-pm", "thu-pm"] for s in ("S1", "S2", "S3")}
    report = timetable_report(parse_round(region()), grid)
    assert report.parallel and report.moves == ()
    assert report.reach[0].electives == ("E1", "E2")


def test_a_school_out_of_reach_is_never_asked_to_move():
    # S1 frees neither wed-pm (E2, 16 min away) nor thu-pm (E3, 105 min away): only E2 counts.
    report = timetable_report(parse_round(region()), {"S1": ["tue-pm"]})
    assert [(m.elective, m.schools) for m in report.moves] == [("E2", (("S1", 2),))]
    assert report.reach[0].closed == ("E2",)


def test_the_round_timetables_are_the_default_grid():
    round_ = parse_round(region(timetables={"S1": ["tue-pm"]}))
    assert timetable_report(round_) == timetable_report(round_, {"S1": ["tue-pm"]})


def test_unknown_school_in_grid_is_refused():
    with pytest.raises(ValueError, match="S9"):
        timetable_report(parse_round(region()), {"S9": ["tue-pm"]})


def test_unknown_school_in_round_timetables_names_record_and_field():
    with pytest.raises(InvalidRound) as caught:
        parse_round(region(timetables={"S1": ["tue-pm"], "S9": ["tue-pm"]}))
    assert [(p.record, p.field, p.message) for p in caught.value.problems] == [
        ("timetables", "S9", "unknown school 'S9'")
    ]


def test_timetable_slots_must_be_weekly_slots():
    with pytest.raises(InvalidRound) as caught:
        parse_round(region(timetables={"S1": ["2027-03-11/am"]}))
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == ("timetables", "S1.0")
