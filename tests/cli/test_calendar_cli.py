"""`stagebureau calendar`: year calendars that a standard iCalendar parser reads back right."""

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from activity_rounds import activity_round, klass, offer, teacher
from rounds import KM, company, school

from api.cli import main

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Late March to mid April 2027: the clocks go forward on 28 March.
ROUND = activity_round(
    classes=[klass("K1", free=["tue-pm"]), klass("K2", free=["thu-am"])],
    teachers=[teacher("T1", free=["wed-am"])],
    companies=[
        company("C1", name="Bouwbedrijf De Vries"),
        company("C2", 52.0 + 3 * KM, 5.0, name="Installatiebedrijf Smit"),
    ],
    offers=[
        offer("O1", "C1", available=["tue-pm"]),
        offer("O2", "C2", "guest_lesson", available=["thu-am"]),
        offer("O3", "C2", "teacher_internship", available=["wed-am"]),
    ],
    schools=[school("S1", name="Maaswaal College")],
    calendar={"start": "2027-03-22", "end": "2027-04-09", "min_gap_days": 0},
)
ROUND["classes"][1]["demand"] = {"guest_lesson": 1}


@pytest.fixture
def solved(tmp_path: Path) -> tuple[Path, Path, dict]:
    round_file, solution_file = tmp_path / "round.json", tmp_path / "solution.json"
    round_file.write_text(json.dumps(ROUND))
    assert main(["solve", str(round_file), "-o", str(solution_file), "-q"]) == 0
    solution = json.loads(solution_file.read_text())
    assert len(solution["activities"]) == 3
    return round_file, solution_file, solution


def calendar(solved, tmp_path: Path, *party: str) -> icalendar.Calendar:
    round_file, solution_file, _ = solved
    out = tmp_path / "party.ics"
    assert main(["calendar", str(round_file), str(solution_file), *party, "-o", str(out)]) == 0
    return icalendar.Calendar.from_ical(out.read_bytes())


def test_a_company_calendar_has_its_activities_at_the_daypart_times(solved, tmp_path):
    parsed = calendar(solved, tmp_path, "--company", "C2")
    events = list(parsed.walk("VEVENT"))
    by_offer = {a["offer"]: a for a in solved[2]["activities"]}
    assert len(events) == 2
    assert [tz.tz_name for tz in parsed.timezones] == ["Europe/Amsterdam"]
    for event in events:
        activity = by_offer[event["uid"].split("-")[1]]
        day = datetime.fromisoformat(activity["date"]).date()
        start = datetime.combine(day, time(8, 30) if activity["daypart"] == "am" else time(12, 30))
        assert event.start == start.replace(tzinfo=AMSTERDAM)
        assert event.end - event.start == timedelta(hours=3, minutes=30)
        assert event.start.tzinfo.key == "Europe/Amsterdam"
    lesson = next(e for e in events if "Guest lesson" in str(e["summary"]))
    internship = next(e for e in events if "Teacher internship" in str(e["summary"]))
    assert "Maaswaal College" in str(lesson["location"])  # a guest lesson is at the school
    assert "Installatiebedrijf Smit" in str(internship["location"])
    assert "class K2" in str(lesson["summary"]) and "teacher T1" in str(internship["summary"])


def test_the_utc_offset_follows_summer_time(solved, tmp_path):
    [event] = calendar(solved, tmp_path, "--class", "K1").walk("VEVENT")
    offset = event.start.utcoffset()
    summer = event.start.date() >= datetime(2027, 3, 28).date()
    assert offset == timedelta(hours=2 if summer else 1)
    assert "Bouwbedrijf De Vries" in str(event["location"]) and event["geo"] is not None
    assert "Bouwbedrijf De Vries" in str(event["summary"])  # the other party


def test_a_school_calendar_holds_all_its_requesters(solved, tmp_path):
    events = calendar(solved, tmp_path, "--school", "S1").walk("VEVENT")
    assert sorted(e["uid"].split("-")[0] for e in events) == ["K1", "K2", "T1"]
    [event] = calendar(solved, tmp_path, "--teacher", "T1").walk("VEVENT")
    assert "Installatiebedrijf Smit" in str(event["location"])


def test_an_unknown_party_exits_2_with_a_clear_message(solved, tmp_path, capsys):
    round_file, solution_file, _ = solved
    code = main(["calendar", str(round_file), str(solution_file), "--company", "C9"])
    assert code == 2
    assert "no company with id 'C9'" in capsys.readouterr().err


def test_exactly_one_party(solved):
    round_file, solution_file, _ = solved
    with pytest.raises(SystemExit) as exit_:
        main(["calendar", str(round_file), str(solution_file), "--class", "K1", "--company", "C1"])
    assert exit_.value.code == 2
