"""School days and dayparts: the calendar rules of SPEC section 4, both views agreeing."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.calendar import DaypartGrid, Pattern, covers, is_school_day, month_key
from scheduler.domain import Calendar

# Monday 22 February to Friday 12 March 2027, with a week's holiday and one public holiday.
CALENDAR = Calendar(
    date(2027, 2, 22),
    date(2027, 3, 12),
    ((date(2027, 2, 22), date(2027, 2, 26)), (date(2027, 3, 10), date(2027, 3, 10))),
    7,
)


def test_school_days_are_weekdays_outside_inclusive_holidays():
    grid = DaypartGrid.of(CALENDAR)
    assert grid.days[0] == date(2027, 3, 1)
    assert date(2027, 3, 10) not in grid.days
    assert date(2027, 3, 6) not in grid.days  # a Saturday
    assert len(grid.days) == 9
    assert grid.slots == 18
    assert grid.months == ("2027-03",)


def test_weekly_patterns_cover_every_school_day_of_their_weekday():
    grid = DaypartGrid.of(CALENDAR)
    mask = grid.mask(["wed-pm"])
    assert [grid.daypart(s) for s in mask.nonzero()[0]] == [(date(2027, 3, 3), "pm")]
    mask = grid.mask(["tue-am"])
    assert [grid.daypart(s) for s in mask.nonzero()[0]] == [
        (date(2027, 3, 2), "am"),
        (date(2027, 3, 9), "am"),
    ]


def test_dated_patterns_only_on_school_days():
    grid = DaypartGrid.of(CALENDAR)
    assert not grid.mask(["2027-03-10/am", "2027-02-23/pm", "2027-03-06/am"]).any()
    assert [grid.daypart(s) for s in grid.mask(["2027-03-11/pm"]).nonzero()[0]] == [
        (date(2027, 3, 11), "pm")
    ]
    assert grid.slot(date(2027, 3, 10), "am") is None


def test_patterns_parse_weekly_and_dated():
    assert Pattern.parse("thu-pm") == Pattern("pm", weekday=3)
    assert Pattern.parse("2027-03-11/am") == Pattern("am", day=date(2027, 3, 11))
    assert month_key(date(2027, 3, 11)) == "2027-03"


PATTERNS = st.lists(
    st.one_of(
        st.builds(
            "{}-{}".format,
            st.sampled_from(["mon", "tue", "wed", "thu", "fri"]),
            st.sampled_from(["am", "pm"]),
        ),
        st.builds(
            "{}/{}".format,
            st.dates(date(2027, 2, 20), date(2027, 3, 14)).map(date.isoformat),
            st.sampled_from(["am", "pm"]),
        ),
    ),
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(PATTERNS)
def test_the_grid_mask_is_the_scalar_rule(patterns):
    grid = DaypartGrid.of(CALENDAR)
    mask = grid.mask(patterns)
    expected = set()
    day = CALENDAR.start
    while day <= CALENDAR.end:
        for part in ("am", "pm"):
            if is_school_day(CALENDAR, day) and covers(patterns, day, part):
                expected.add((day, part))
        day += timedelta(days=1)
    assert {grid.daypart(s) for s in mask.nonzero()[0]} == expected
