"""The region's school year: `PATCH /region` checks the calendar by the solver's rules, and
`api.school_year` turns the `holidays` package's days into the calendar's holiday ranges."""

from __future__ import annotations

from datetime import date

import pytest
from api_world import ok

from api import school_year
from api.school_year import holiday_names, holidays_between, years_without_school_holidays

YEAR = {"start": "2027-01-11", "end": "2027-06-25", "holidays": [], "min_gap_days": 7}


def patch_calendar(world, calendar):  # type: ignore[no-untyped-def]
    region = ok(world.client.get("/region", headers=world.bureau))
    body = {"version": region["version"], "calendar": calendar}
    return world.client.patch("/region", headers=world.bureau, json=body)


def test_a_valid_calendar_is_stored_and_null_clears_it(world):
    assert ok(patch_calendar(world, YEAR))["calendar"] == YEAR
    assert ok(patch_calendar(world, None))["calendar"] is None


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"end": "2027-01-04"}, ["end"], "ends (2027-01-04) before it starts (2027-01-11)"),
        ({"start": "2027-02-30"}, ["start"], "'2027-02-30' is not a calendar date"),
        ({"start": "11-01-2027"}, ["start"], "String should match pattern"),
        ({"min_gap_days": -1}, ["min_gap_days"], "greater than or equal to 0"),
        ({"min_gap_days": "7"}, ["min_gap_days"], "valid integer"),
        ({"holidays": [["2027-02-26", "2027-02-22"]]}, ["holidays[0]"], "ends before it starts"),
        ({"holidays": [["2027-02-22"]]}, ["holidays", "0"], "at least 2 items"),
        ({"holidays": [["2027-02-22", "2027-13-01"]]}, ["holidays[0][1]"], "not a calendar date"),
        ({"end": None}, ["end"], "valid string"),
    ],
)
def test_a_bad_calendar_is_422_naming_the_field_and_changes_nothing(world, change, loc, message):
    before = ok(world.client.get("/region", headers=world.bureau))
    response = patch_calendar(world, {**YEAR, **change})
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "calendar", *loc]
    assert message in problem["msg"]
    assert ok(world.client.get("/region", headers=world.bureau)) == before


def test_a_calendar_without_dates_names_both(world):
    response = patch_calendar(world, {"holidays": []})
    assert response.status_code == 422
    assert [p["loc"] for p in response.json()["detail"]] == [
        ["body", "calendar", "start"],
        ["body", "calendar", "end"],
    ]


def test_zuid_2027_merges_weekdays_into_ranges_with_their_names():
    ranges = holidays_between("Zuid", date(2027, 1, 11), date(2027, 6, 25))
    assert ranges == [
        (date(2027, 2, 15), date(2027, 2, 19), "Voorjaarsvakantie"),
        # Goede vrijdag and Tweede paasdag: only a weekend between them, so one range.
        (date(2027, 3, 26), date(2027, 3, 29), "Goede vrijdag, Eerste paasdag, Tweede paasdag"),
        (date(2027, 4, 26), date(2027, 4, 30), "Meivakantie, Koningsdag"),
        (date(2027, 5, 6), date(2027, 5, 6), "Hemelvaartsdag"),
        (date(2027, 5, 17), date(2027, 5, 17), "Tweede pinksterdag"),
    ]
    # The package gives Voorjaarsvakantie from Saturday to Sunday; ranges start and end on
    # weekdays, and Eerste pinksterdag (a Sunday alone) gives none.
    assert all(first.weekday() < 5 and last.weekday() < 5 for first, last, _ in ranges)


def test_holiday_regions_differ_and_a_whole_school_year_has_every_holiday():
    ranges = holidays_between("Noord", date(2026, 8, 24), date(2027, 7, 9))
    by_name = {name: (first, last) for first, last, name in ranges}
    assert by_name["Herfstvakantie"] == (date(2026, 10, 12), date(2026, 10, 16))
    christmas = by_name["Kerstvakantie, Eerste kerstdag, Tweede kerstdag, Nieuwjaarsdag"]
    assert christmas == (date(2026, 12, 21), date(2027, 1, 1))  # one range over the weekends
    assert by_name["Voorjaarsvakantie"] == (date(2027, 2, 22), date(2027, 2, 26))
    # Zomervakantie Noord starts on Saturday 10 July 2027: after the last day, so not listed.
    assert not [name for name in by_name if "Zomervakantie" in name]


def test_ranges_are_clipped_to_start_and_end():
    assert holidays_between("Zuid", date(2027, 2, 17), date(2027, 2, 24)) == [
        (date(2027, 2, 17), date(2027, 2, 19), "Voorjaarsvakantie")
    ]
    assert holidays_between("Zuid", date(2027, 2, 20), date(2027, 2, 21)) == []  # a weekend
    assert holidays_between("Zuid", date(2027, 2, 21), date(2027, 2, 20)) == []


def test_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown holiday region 'Oost'"):
        holidays_between("Oost", date(2027, 1, 1), date(2027, 12, 31))


def test_names_of_stored_ranges_and_years_the_package_does_not_know():
    names = holiday_names(date(2027, 1, 11), date(2027, 6, 25))
    assert names[("2027-02-15", "2027-02-19")] == "Voorjaarsvakantie"  # Zuid
    assert names[("2027-02-22", "2027-02-26")] == "Voorjaarsvakantie"  # Noord, Midden
    assert names[("2027-05-06", "2027-05-06")] == "Hemelvaartsdag"
    assert ("2027-02-22", "2027-02-25") not in names
    assert years_without_school_holidays("Zuid", date(2026, 8, 24), date(2027, 7, 9)) == []
    assert years_without_school_holidays("Zuid", date(2031, 8, 25), date(2032, 7, 9)) == [
        2031,
        2032,
    ]
    assert set(school_year.REGIONS) == {"Noord", "Midden", "Zuid"}
