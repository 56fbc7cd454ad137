"""Dated periods on the region and `max_concurrent` on a company (SPEC section 8), through the
HTTP API: stored and checked, in the round the solver gets, and as days in the calendars."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from api_world import ok

# Three school weeks of January 2027; a holiday week takes the middle one off.
P3 = {"id": "P3", "start": "2027-01-11", "end": "2027-01-29", "hours_per_day": 6}
CALENDAR = {"start": "2026-08-31", "end": "2027-07-16", "holidays": [["2027-01-18", "2027-01-22"]]}


def patch_region(world, **change):  # type: ignore[no-untyped-def]
    region = ok(world.client.get("/region", headers=world.bureau))
    return world.client.patch(
        "/region", headers=world.bureau, json={"version": region["version"], **change}
    )


def test_a_bad_period_is_422_naming_its_position_and_field_and_changes_nothing(world):
    before = ok(world.client.get("/region", headers=world.bureau))
    bad = [P3, {"id": "L1", "start": "2027-01-11", "end": "2027-01-04", "weekdays": ["sat"]}]
    response = patch_region(world, periods=bad)
    assert response.status_code == 422, response.text
    found = {(tuple(p["loc"]), p["msg"].split(" ")[0]) for p in response.json()["detail"]}
    assert found == {(("body", "periods", 1, "end"), "ends"),
                     (("body", "periods", 1, "weekdays[0]"), "unknown")}  # fmt: skip
    assert ok(world.client.get("/region", headers=world.bureau)) == before


def test_max_concurrent_and_dated_periods_reach_the_solution_and_the_calendars(world):
    c, b = world.client, world.bureau
    ok(patch_region(world, calendar=CALENDAR, periods=[P3]))
    company = ok(c.get(f"/companies/{world.ids['C1']}", headers=world.company))
    body = {"version": company["version"], "max_concurrent": 1}
    assert (
        ok(c.patch(f"/companies/{world.ids['C1']}", headers=world.company, json=body))[
            "max_concurrent"
        ]
        == 1
    )
    zero = {"version": company["version"] + 1, "max_concurrent": 0}
    assert (
        c.patch(f"/companies/{world.ids['C1']}", headers=world.company, json=zero).status_code
        == 422
    )
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    document = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    assert document["periods"] == [P3]
    assert {x["id"]: x.get("max_concurrent") for x in document["companies"]} == {
        "C1": 1,
        "C2": None,
    }
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    solution = ok(c.get(f"/rounds/{rid}/published", headers=b))
    at_c1 = [a for a in solution["assignments"] if a["company"] == "C1"]
    assert len(at_c1) == 1  # PL1 has 2 seats in P3, but C1 takes one pupil a day
    response = c.get(f"/rounds/{rid}/calendar/company/{world.ids['C1']}.ics", headers=world.company)
    assert response.status_code == 200, response.text
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    days = sorted(e.decoded("dtstart").date().isoformat() for e in events)
    assert days == [f"2027-01-{d}" for d in (11, 12, 13, 14, 15, 25, 26, 27, 28, 29)]
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(hours=6)
               for e in events)  # fmt: skip
    assert at_c1[0]["student"] in str(events[0]["summary"])
    school = c.get(f"/rounds/{rid}/calendar/school/{world.ids['S1']}.ics", headers=world.school)
    pupils_at_s1 = {a["student"] for a in solution["assignments"]} & {"st1", "st2", "st3"}
    school_events = list(icalendar.Calendar.from_ical(school.content).walk("VEVENT"))
    assert len(school_events) == 10 * len(pupils_at_s1)
    pupil = at_c1[0]["student"]
    own = c.get(f"/rounds/{rid}/calendar/pupil/{world.ids[pupil]}.ics", headers=b)
    assert len(list(icalendar.Calendar.from_ical(own.content).walk("VEVENT"))) == 10
    forbidden = c.get(f"/rounds/{rid}/calendar/pupil/{world.ids[pupil]}.ics", headers=world.company)
    assert forbidden.status_code == 403
