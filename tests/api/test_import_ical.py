"""An iCalendar timetable read into free dayparts: recurrence, exceptions, cancellations,
holidays and time zones, as school systems write them."""

from __future__ import annotations

from datetime import date

import pytest

from api.imports.dayparts import derive_free
from api.imports.fetch import FeedRefused, feed_address, fetch_feed
from api.imports.ical import UnreadableCalendar, lessons
from scheduler.domain import Calendar

# Four school weeks from Monday 1 March to Friday 2 April 2027; 8-12 March is a holiday week.
MARCH = Calendar(
    start=date(2027, 3, 1),
    end=date(2027, 4, 2),
    holidays=((date(2027, 3, 8), date(2027, 3, 12)),),
    min_gap_days=0,
)

TIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//NL\n{TIMEZONE}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def weekly(uid: str, start: str, end: str, days: str, extra: str = "") -> str:
    """A lesson every week on `days` (BYDAY), first on Monday 1 March 2027."""
    return (
        f"UID:{uid}\nSUMMARY:{uid}\nDTSTART;TZID=Europe/Amsterdam:20270301T{start}\n"
        f"DTEND;TZID=Europe/Amsterdam:20270301T{end}\n"
        f"RRULE:FREQ=WEEKLY;BYDAY={days};UNTIL=20270402T230000Z\n{extra}"
    )


MORNINGS = weekly("ochtend", "083000", "120000", "MO,TU,WE,TH,FR")
AFTERNOONS = weekly("middag", "130000", "150000", "MO,WE,TH,FR")  # Tuesdays free


def free(content: bytes) -> tuple[str, ...]:
    return derive_free(lessons(content, MARCH.start, MARCH.end), MARCH).free


def test_weekly_lessons_expand_and_the_holiday_week_counts_for_nothing() -> None:
    assert free(calendar(MORNINGS, AFTERNOONS)) == ("tue-pm",)


def test_an_exdate_frees_one_lesson_and_a_cancelled_lesson_takes_no_time() -> None:
    afternoons = AFTERNOONS + "EXDATE;TZID=Europe/Amsterdam:20270317T130000\n"
    cancelled = (
        "UID:gym\nSUMMARY:gym\nSTATUS:CANCELLED\n"
        "DTSTART;TZID=Europe/Amsterdam:20270316T130000\nDTEND;TZID=Europe/Amsterdam:20270316T150000"
    )
    assert free(calendar(MORNINGS, afternoons, cancelled)) == ("tue-pm", "2027-03-17/pm")


def test_a_moved_lesson_recurrence_id_takes_its_new_time() -> None:
    moved = (
        "UID:middag\nSUMMARY:middag\nRECURRENCE-ID;TZID=Europe/Amsterdam:20270315T130000\n"
        "DTSTART;TZID=Europe/Amsterdam:20270316T130000\nDTEND;TZID=Europe/Amsterdam:20270316T150000"
    )
    # Monday 15 March is free, Tuesday 16 March taken: the Tuesday rule is written out.
    assert free(calendar(MORNINGS, AFTERNOONS, moved)) == (
        "2027-03-02/pm",
        "2027-03-15/pm",
        "2027-03-23/pm",
        "2027-03-30/pm",
    )


def test_a_transparent_all_day_note_takes_nothing_an_opaque_excursion_the_day() -> None:
    note = "UID:note\nSUMMARY:Week 11\nTRANSP:TRANSPARENT\nDTSTART;VALUE=DATE:20270315\n"
    excursion = "UID:ex\nSUMMARY:Excursie\nDTSTART;VALUE=DATE:20270302\nDTEND;VALUE=DATE:20270303"
    assert free(calendar(MORNINGS, AFTERNOONS, note)) == ("tue-pm",)
    derived = derive_free(
        lessons(calendar(MORNINGS, AFTERNOONS, excursion), MARCH.start, MARCH.end), MARCH
    )
    assert derived.free == ("2027-03-16/pm", "2027-03-23/pm", "2027-03-30/pm")
    assert [(e.daypart, e.what) for e in derived.exceptions] == [("2027-03-02/pm", "Excursie")]


@pytest.mark.parametrize("day", ["20270112", "20270608"])  # winter (CET) and summer (CEST)
def test_a_lesson_at_0830_local_lands_in_am_in_winter_and_summer(day: str) -> None:
    utc_start = "073000Z" if day.startswith("202701") else "063000Z"
    utc_end = "082000Z" if day.startswith("202701") else "072000Z"
    in_utc = f"UID:utc\nDTSTART:{day}T{utc_start}\nDTEND:{day}T{utc_end}"
    zone = "TZID=Europe/Amsterdam"
    in_zone = f"UID:zone\nDTSTART;{zone}:{day}T083000\nDTEND;{zone}:{day}T092000"
    when = date.fromisoformat(f"{day[:4]}-{day[4:6]}-{day[6:]}")
    for event in (in_utc, in_zone):
        (found,) = lessons(calendar(event), when, when)
        school_day = Calendar(when, when, (), 0)
        derived = derive_free([found], school_day)
        assert derived.exceptions == () and derived.weekly == (
            f"{('mon', 'tue', 'wed', 'thu', 'fri')[when.weekday()]}-pm",
        )


def test_bytes_that_are_no_calendar_are_refused_with_a_reason() -> None:
    with pytest.raises(UnreadableCalendar, match="iCalendar"):
        lessons(b"<html>login</html>", MARCH.start, MARCH.end)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/k1.ics", "not on the public internet"),
        ("http://[::1]/k1.ics", "not on the public internet"),
        ("http://10.0.0.7/k1.ics", "not on the public internet"),
        ("file:///etc/passwd", "only http(s)"),
    ],
)
def test_production_fetches_no_feed_inside_its_own_network(url: str, reason: str) -> None:
    with pytest.raises(FeedRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        fetch_feed(url, max_bytes=1000, timeout_s=1, allow_private=False)


def test_a_webcal_link_is_read_as_https() -> None:
    assert feed_address("webcal://rooster.example.nl/k1.ics?t=1") == (
        "https://rooster.example.nl/k1.ics?t=1"
    )
