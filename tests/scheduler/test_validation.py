"""A round is validated once; every problem names its record and field."""

import pytest
from rounds import company, placement, round_doc, school, student

from scheduler.validation import InvalidRound, parse_round


def problems(doc) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidRound) as caught:
        parse_round(doc)
    return [(p.record, p.field, p.message) for p in caught.value.problems]


def test_defaults_are_resolved_once():
    r = parse_round(round_doc(defaults={"max_travel_min": 30, "mode": "walk"}))
    st1 = r.students["st1"]
    assert (st1.mode, st1.max_travel_min, st1.periods, st1.priority) == ("walk", 30, ("P1",), 1)
    assert st1.accept_unranked and st1.home is None
    assert r.weights.rank_cost == (0, 10, 30, 60, 100)
    assert r.travel.overhead_min["public_transport"] == 10


def test_missing_field_names_record_and_field():
    doc = round_doc(students=[student(), {"id": "st2", "profile": "PIE", "track": "kb", "year": 3}])
    assert problems(doc) == [("students[1] (id 'st2')", "school", "required field is missing")]


def test_mistyped_field_is_not_coerced():
    doc = round_doc(students=[student(year="3")])
    [(record, field, message)] = problems(doc)
    assert (record, field) == ("students[0] (id 'st1')", "year")
    assert "'3'" in message


def test_unknown_references_are_named():
    doc = round_doc(
        placements=[placement(company="C9")],
        students=[student(school="S7", preferences=["PL1", "PL404"])],
        together=[["st1", "ghost"]],
    )
    assert problems(doc) == [
        ("placements[0] (id 'PL1')", "company", "unknown company 'C9'"),
        ("students[0] (id 'st1')", "school", "unknown school 'S7'"),
        ("students[0] (id 'st1')", "preferences[1]", "unknown placement 'PL404'"),
        ("together[0]", "1", "unknown student 'ghost'"),
    ]


def test_duplicate_ids_point_at_the_first_use():
    doc = round_doc(companies=[company("C1"), company("C2"), company("C1")])
    assert problems(doc) == [
        ("companies[2] (id 'C1')", "id", "duplicate id, first used by companies[0]")
    ]


def test_negative_capacity_is_rejected():
    [(record, field, message)] = problems(round_doc(placements=[placement(capacity={"P1": -1})]))
    assert (record, field) == ("placements[0] (id 'PL1')", "capacity.P1")
    assert "greater than or equal to 0" in message


def test_every_problem_is_reported_at_once():
    doc = round_doc(
        schools=[school(lat=123)],
        students=[student(year=-1), student("st2", mode="rocket")],
    )
    fields = {(record, field) for record, field, _ in problems(doc)}
    assert fields == {
        ("schools[0] (id 'S1')", "lat"),
        ("students[0] (id 'st1')", "year"),
        ("students[1] (id 'st2')", "mode"),
    }


def test_a_wrong_type_hides_no_unknown_reference():
    """Regression: a mistyped capacity stopped validation before the unknown company was seen."""
    doc = round_doc(
        placements=[placement("PL1", capacity={"P1": "2"}), placement("PL2", company="C9")],
    )
    assert [(record, field) for record, field, _ in problems(doc)] == [
        ("placements[0] (id 'PL1')", "capacity.P1"),
        ("placements[1] (id 'PL2')", "company"),
    ]


def test_a_malformed_record_is_still_known_and_keeps_its_position():
    doc = round_doc(
        companies=[company("C1", lat="north")],
        placements=[placement("PL1", company="C1")],
        students=[student("st1", year="3"), student("st2"), student("st2")],
        together=[["st1", "st2"]],
    )
    assert [(record, field, message) for record, field, message in problems(doc)][1:] == [
        ("students[0] (id 'st1')", "year", "Input should be a valid integer (got '3')"),
        ("students[2] (id 'st2')", "id", "duplicate id, first used by students[1]"),
    ]


@pytest.mark.parametrize(
    ("record", "field", "code"),
    [
        ("students", "profile", "Mobiliteit"),
        ("students", "track", "basis"),
        ("placements", "profiles", "Mobiliteit"),
        ("placements", "tracks", "KB"),
    ],
)
def test_an_unknown_profile_or_track_code_names_the_allowed_codes(record, field, code):
    doc = round_doc()
    doc[record][0][field] = [code] if field.endswith("s") else code
    [(where, named, message)] = problems(doc)
    assert (where.split("[")[0], named) == (record, field)
    allowed = "bb, kb, gl, tl" if "track" in field else "BWI, PIE, MT, MVI, MaT, ZW, EO, HBR"
    assert f"unknown {field.rstrip('s')} code {code!r}; allowed: {allowed}" in message


@pytest.mark.parametrize("document", [[], "round", None, 3])
def test_a_round_must_be_an_object(document):
    assert problems(document) == [("round", "", "the document must be a JSON object")]


def test_wrong_format_is_rejected():
    [(record, field, _)] = problems(round_doc(format="stagebureau.round/9"))
    assert (record, field) == ("round", "format")


def test_activity_data_needs_a_calendar():
    doc = round_doc(classes=[{"id": "K1", "school": "S1", "size": 20}])
    assert problems(doc) == [
        ("round", "calendar", "required when classes, teachers or offers are given")
    ]


def test_impossible_dates_are_named():
    doc = round_doc(calendar={"start": "2027-02-30", "end": "2027-06-25"})
    assert problems(doc) == [("calendar", "start", "'2027-02-30' is not a calendar date")]


def test_a_class_and_a_teacher_cannot_share_an_id():
    doc = round_doc(
        calendar={"start": "2027-01-11", "end": "2027-01-15"},
        classes=[{"id": "X1", "school": "S1", "size": 20}],
        teachers=[{"id": "X1", "school": "S1"}],
    )
    assert problems(doc) == [
        (
            "teachers[0] (id 'X1')",
            "id",
            "also the id of classes[0]; a requester id names one requester",
        )
    ]
