"""Lessons to free dayparts, and the minimisation every school-system import goes through."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from api.imports.dayparts import Busy, busy_dayparts, derive_free
from api.imports.minimise import minimise, tally
from scheduler.calendar import covers, is_school_day
from scheduler.contract.round import DAYPARTS, WEEKDAYS
from scheduler.domain import Calendar

# Four school weeks from Monday 1 March 2027; the week of 15 March is a holiday.
CALENDAR = Calendar(
    start=date(2027, 3, 1),
    end=date(2027, 3, 26),
    holidays=((date(2027, 3, 15), date(2027, 3, 19)),),
    min_gap_days=0,
)


def lesson(day: date, start: str, end: str, what: str = "les") -> Busy:
    return Busy(
        datetime.fromisoformat(f"{day.isoformat()}T{start}"),
        datetime.fromisoformat(f"{day.isoformat()}T{end}"),
        what,
    )


def weekly_lessons(weekday: int, start: str, end: str) -> list[Busy]:
    """The lesson on `weekday` of every week of the calendar."""
    first = CALENDAR.start + timedelta(days=weekday)
    return [lesson(first + timedelta(weeks=w), start, end) for w in range(4)]


def test_a_lesson_takes_the_dayparts_it_overlaps_only() -> None:
    day = date(2027, 3, 2)
    assert busy_dayparts([lesson(day, "11:30", "13:00", "wiskunde")]) == {
        (day, "am"): "wiskunde",
        (day, "pm"): "wiskunde",
    }
    assert busy_dayparts([lesson(day, "12:00", "12:30")]) == {}  # the lunch break


def test_weekly_lessons_leave_the_other_dayparts_free_as_weekly_slots() -> None:
    events = [
        e
        for weekday in range(5)
        for e in weekly_lessons(weekday, "08:30", "12:00")
        + ([] if weekday in (1, 3) else weekly_lessons(weekday, "13:00", "15:00"))
    ]
    derived = derive_free(events, CALENDAR)
    assert derived.free == ("tue-pm", "thu-pm")
    assert derived.exceptions == ()


def test_a_planned_excursion_writes_the_weekly_slot_out_without_its_day() -> None:
    events = [e for weekday in range(5) for e in weekly_lessons(weekday, "08:30", "12:00")]
    events += [e for weekday in (0, 2, 3, 4) for e in weekly_lessons(weekday, "13:00", "15:00")]
    events.append(lesson(date(2027, 3, 9), "12:30", "16:00", "excursie"))
    derived = derive_free(events, CALENDAR)
    assert derived.weekly == ("tue-pm",)
    assert derived.free == ("2027-03-02/pm", "2027-03-23/pm")  # not 9 March, not the holiday
    (taken,) = derived.exceptions
    assert (taken.daypart, taken.free, taken.what) == ("2027-03-09/pm", False, "excursie")
    assert not covers(derived.free, date(2027, 3, 9), "pm")


def test_a_dropped_lesson_is_a_dated_free_daypart() -> None:
    events = [e for weekday in range(5) for e in weekly_lessons(weekday, "08:30", "16:00")]
    events = [e for e in events if e.start.date() != date(2027, 3, 24)]  # a study day
    derived = derive_free(events, CALENDAR)
    assert derived.weekly == ()
    assert derived.free == ("2027-03-24/am", "2027-03-24/pm")


def test_times_with_a_zone_are_read_in_amsterdam_time_winter_and_summer() -> None:
    utc = UTC
    winter = Busy(
        datetime(2027, 1, 12, 7, 30, tzinfo=utc), datetime(2027, 1, 12, 8, 20, tzinfo=utc)
    )
    summer = Busy(datetime(2027, 6, 8, 6, 30, tzinfo=utc), datetime(2027, 6, 8, 7, 20, tzinfo=utc))
    assert set(busy_dayparts([winter, summer])) == {
        (date(2027, 1, 12), "am"),
        (date(2027, 6, 8), "am"),
    }


def test_minimise_keeps_what_the_platform_uses_and_names_the_rest() -> None:
    offered = {
        "code": "123",
        "first_name": "Daan",
        "surname": "Jansen",
        "birth_date": "2011-04-01",
        "postcode": "7511 AB",
        "street": "Oude Markt 1",
        "bsn": "",
        "profile": "PIE",
    }
    pupil = minimise(offered)
    assert set(pupil.kept) == {"code", "first_name", "profile", "home_lat", "home_lon"}
    assert 52.1 < pupil.kept["home_lat"] < 52.3  # Enschede's centre, not the street
    assert pupil.left_out == ("birth_date", "postcode", "street", "surname")
    assert tally([pupil, pupil]) == {"birth_date": 2, "postcode": 2, "street": 2, "surname": 2}


# Property: whatever lessons a source shows, the derived `free` list says exactly what they
# leave free on every school day the source covers, and the weekly rule on every other day.
YEAR = Calendar(
    start=date(2027, 3, 1),
    end=date(2027, 5, 28),
    holidays=((date(2027, 4, 26), date(2027, 4, 30)),),
    min_gap_days=0,
)
WINDOW_DAYS = [date(2027, 3, 1) + timedelta(days=d) for d in range(26)]  # four weeks from 1 March


@given(
    taken=st.sets(st.tuples(st.sampled_from(WINDOW_DAYS), st.sampled_from(DAYPARTS)), min_size=1)
)
@settings(max_examples=30, deadline=None)
def test_the_free_list_matches_the_lessons_in_the_window_and_the_rule_after_it(taken) -> None:
    events = [
        lesson(day, *(("09:00", "10:00") if part == "am" else ("13:00", "14:00")))
        for day, part in taken
    ]
    derived = derive_free(events, YEAR, window=(WINDOW_DAYS[0], WINDOW_DAYS[-1]))
    day = YEAR.start
    while day <= YEAR.end:
        if is_school_day(YEAR, day):
            for part in DAYPARTS:
                expected = (
                    (day, part) not in taken
                    if day <= WINDOW_DAYS[-1]
                    else f"{WEEKDAYS[day.weekday()]}-{part}" in derived.weekly
                )
                assert covers(derived.free, day, part) == expected, (day, part)
        day += timedelta(days=1)
