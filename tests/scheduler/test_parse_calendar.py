"""`parse_calendar`: a calendar on its own, checked by the same rules as in a round."""

from __future__ import annotations

from datetime import date

import pytest
from rounds import round_doc

from scheduler.validation import InvalidRound, parse_calendar, parse_round


def problems(calendar) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidRound) as error:
        parse_calendar(calendar)
    return [(p.record, p.field, p.message) for p in error.value.problems]


def test_a_valid_calendar_becomes_the_domain_calendar():
    calendar = parse_calendar(
        {"start": "2027-01-11", "end": "2027-06-25", "holidays": [["2027-02-22", "2027-02-26"]],
         "min_gap_days": 7}
    )  # fmt: skip
    assert calendar.start == date(2027, 1, 11) and calendar.end == date(2027, 6, 25)
    assert calendar.holidays == ((date(2027, 2, 22), date(2027, 2, 26)),)
    assert calendar.min_gap_days == 7
    assert parse_calendar({"start": "2027-01-11", "end": "2027-01-11"}).min_gap_days == 0


def test_every_rule_names_its_field():
    assert problems({"start": "2027-01-11", "end": "2027-01-04"}) == [
        ("calendar", "end", "ends (2027-01-04) before it starts (2027-01-11)")
    ]
    assert problems({"start": "2027-01-11", "end": "2027-02-30"}) == [
        ("calendar", "end", "'2027-02-30' is not a calendar date")
    ]
    assert problems(
        {"start": "2027-01-11", "end": "2027-06-25", "holidays": [["2027-03-05", "2027-03-01"]]}
    ) == [("calendar", "holidays[0]", "range 2027-03-05..2027-03-01 ends before it starts")]
    [(record, field, message)] = problems({"start": "2027-01-11", "end": "x"})
    assert (record, field) == ("calendar", "end") and "(got 'x')" in message
    [(record, field, _)] = problems(
        {"start": "2027-01-11", "end": "2027-06-25", "min_gap_days": -1}
    )
    assert (record, field) == ("calendar", "min_gap_days")
    assert problems({"end": "2027-06-25"}) == [("calendar", "start", "required field is missing")]
    assert problems([]) == [("round", "calendar", "the calendar must be a JSON object")]


def test_an_impossible_date_is_named_once():
    # Not also "ends before it starts": an impossible date has no order.
    assert problems({"start": "2027-01-11", "end": "2027-02-31"}) == [
        ("calendar", "end", "'2027-02-31' is not a calendar date")
    ]


def test_the_same_rules_as_in_a_round():
    bad = {"start": "2027-01-11", "end": "2027-01-04", "holidays": [["2027-13-01", "2027-01-20"]]}
    with pytest.raises(InvalidRound) as in_round:
        parse_round(round_doc(calendar=bad))
    assert [(p.record, p.field, p.message) for p in in_round.value.problems] == problems(bad)
