"""The working-time rules for minors (issue 16): one test per rule and age, and the birthday
that changes the rules within a placement."""

from datetime import date, time, timedelta

import pytest

from scheduler.working_time import Rule, WorkDay, age_on, check_working_time

MONDAY = date(2027, 3, 8)  # ISO week 2027-W10


def born_aged(age: int, on: date = MONDAY) -> date:
    """A birth date that makes the pupil `age` on `on` (birthday long before)."""
    return date(on.year - age, 1, 1)


def week(start: str, end: str, days: int = 5, break_minutes: int = 30) -> list[WorkDay]:
    """`days` working days from MONDAY, each `start`-`end` with the break."""
    return [
        WorkDay(
            MONDAY + timedelta(i), time.fromisoformat(start), time.fromisoformat(end), break_minutes
        )
        for i in range(days)
    ]


def rules(violations) -> list[Rule]:
    return [v.rule for v in violations]


@pytest.mark.parametrize("age", [14, 15])
def test_under_16_day_hours_at_most_7_with_school_time(age):
    birth = born_aged(age)
    assert check_working_time(birth, week("08:30", "16:00", days=4)) == []  # 7.0 h a day
    found = check_working_time(birth, week("08:30", "16:01", days=1))
    assert rules(found) == [Rule.day_hours]
    assert found[0].age == age and found[0].limit == 7
    # Two lesson hours on the day make 6.5 working hours too many.
    day = week("08:30", "15:30", days=1)
    found = check_working_time(birth, day, school_day_hours={MONDAY: 2})
    assert rules(found) == [Rule.day_hours] and found[0].hours == pytest.approx(8.5)


@pytest.mark.parametrize("age", [14, 15])
def test_under_16_week_hours_at_most_35_with_school_time(age):
    birth = born_aged(age)
    five_sevens = week("08:30", "16:00")  # 5 x 7 = 35 h
    assert check_working_time(birth, five_sevens) == []
    found = check_working_time(birth, five_sevens, school_week_hours={"2027-W10": 1})
    assert rules(found) == [Rule.week_hours]
    assert (found[0].week, found[0].day, found[0].hours, found[0].limit) == (
        "2027-W10",
        MONDAY,
        36,
        35,
    )


@pytest.mark.parametrize("age", [14, 15])
@pytest.mark.parametrize(("start", "end"), [("06:59", "12:00"), ("12:00", "19:01")])
def test_under_16_never_between_19_and_7(age, start, end):
    found = check_working_time(born_aged(age), week(start, end, days=1, break_minutes=0))
    assert Rule.night in rules(found)
    assert check_working_time(born_aged(age), week("07:00", "12:00", days=1)) == []
    assert check_working_time(born_aged(age), week("14:00", "19:00", days=1)) == []


@pytest.mark.parametrize("age", [14, 15])
def test_under_16_not_on_sunday(age):
    sunday = MONDAY + timedelta(6)
    found = check_working_time(born_aged(age), [WorkDay(sunday, time(9), time(13))])
    assert rules(found) == [Rule.sunday] and found[0].day == sunday
    saturday = MONDAY + timedelta(5)
    assert check_working_time(born_aged(age), [WorkDay(saturday, time(9), time(13))]) == []


@pytest.mark.parametrize("age", [16, 17])
def test_16_and_17_shift_at_most_9_hours_school_not_counted(age):
    birth = born_aged(age)
    # 9 h of work a day; the issue counts school time only under 16.
    assert check_working_time(birth, week("07:30", "17:00", days=1), {MONDAY: 3}) == []
    found = check_working_time(birth, week("07:30", "17:01", days=1))
    assert rules(found) == [Rule.shift_hours] and found[0].limit == 9


@pytest.mark.parametrize("age", [16, 17])
def test_16_and_17_week_at_most_45_hours(age):
    birth = born_aged(age)
    assert check_working_time(birth, week("07:30", "17:00")) == []  # 5 x 9 = 45 h
    six_days = week("08:00", "16:00", days=6, break_minutes=0)  # 48 h, Monday to Saturday
    found = check_working_time(birth, six_days)
    assert rules(found) == [Rule.week_hours] and found[0].hours == 48 and found[0].limit == 45


@pytest.mark.parametrize("age", [16, 17])
@pytest.mark.parametrize(
    ("start", "end", "night"),
    [
        ("05:59", "12:00", True),
        ("06:00", "12:00", False),
        ("15:00", "23:00", False),
        ("15:00", "23:01", True),
    ],
)
def test_16_and_17_never_between_23_and_6(age, start, end, night):
    found = check_working_time(born_aged(age), week(start, end, days=1, break_minutes=60))
    assert (Rule.night in rules(found)) is night


@pytest.mark.parametrize("age", [16, 17])
def test_16_and_17_may_work_on_sunday(age):
    sunday = MONDAY + timedelta(6)
    assert check_working_time(born_aged(age), [WorkDay(sunday, time(9), time(17))]) == []


def test_from_18_no_youth_rule():
    long_days = week("05:00", "23:30", days=7, break_minutes=0)
    assert check_working_time(born_aged(18), long_days, school_week_hours={"2027-W10": 20}) == []


def test_a_birthday_counts_from_that_day():
    birth = date(2011, 3, 10)  # 16 on Wednesday 10 March 2027
    assert age_on(birth, MONDAY + timedelta(1)) == 15
    assert age_on(birth, MONDAY + timedelta(2)) == 16
    eight_hours = week("08:00", "16:30", days=5)  # 8 h a day, 40 h
    found = check_working_time(birth, eight_hours)
    day_rules = [(v.rule, v.day, v.age) for v in found if v.rule == Rule.day_hours]
    # Monday and Tuesday at 15 break the 7-hour day; from Wednesday 8 h is within 9.
    assert day_rules == [(Rule.day_hours, MONDAY, 15), (Rule.day_hours, MONDAY + timedelta(1), 15)]
    # The week holds days at 15, so its 35 hours govern it.
    assert [(v.hours, v.limit, v.age) for v in found if v.rule == Rule.week_hours] == [(40, 35, 15)]
    # A birthday before the week: the 16-year-old rules all week.
    assert check_working_time(date(2011, 3, 8), eight_hours) == []


def test_an_18th_birthday_lifts_the_rules_that_day():
    birth = date(2009, 3, 9)  # 18 on Tuesday
    days = [WorkDay(MONDAY, time(5), time(12)), WorkDay(MONDAY + timedelta(1), time(5), time(12))]
    found = check_working_time(birth, days)
    assert [(v.rule, v.day) for v in found] == [(Rule.night, MONDAY)]


def test_29_february_birthday_counts_from_1_march():
    birth = date(2012, 2, 29)
    assert age_on(birth, date(2027, 2, 28)) == 14
    assert age_on(birth, date(2027, 3, 1)) == 15
