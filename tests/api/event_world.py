"""An event day in the API tests' world (tests/api/api_world.py), entered as each role would:
the bureau creates it, the companies their sessions, the schools their pupils' choices."""

from __future__ import annotations

from api_world import LAT, LON, World, ok

EVENT = {"code": "EV1", "name": "Techniekdag Twente", "date": "2027-04-14", "rounds": 3,
         "lat": LAT, "lon": LON, "start_time": "09:00", "round_minutes": 45,
         "changeover_minutes": 15}  # fmt: skip


def event_world(world: World) -> int:
    """EV1 with sessions SE1 (C1, 2 seats, every round), SE2 (C1, 1 seat, rounds 1-2) and SE3
    (C2, 2 seats, every round); st1-st3 (S1) and st4, st5 (S2) choose. Returns the event id."""
    c = world.client
    event = ok(c.post("/events", headers=world.bureau, json=EVENT), 201)
    world.ids["EV1"] = event["id"]
    sessions = (
        (world.company, {"code": "SE1", "title": "Zonnepanelen leggen", "capacity": 2,
                         "sectors": ["energie"]}),
        (world.company, {"code": "SE2", "title": "Lassen", "capacity": 1, "rounds": [1, 2],
                         "sectors": ["maken"]}),
        (world.other_company, {"code": "SE3", "title": "Robots", "capacity": 2,
                               "sectors": ["ict"]}),
    )  # fmt: skip
    for headers, body in sessions:
        made = ok(
            c.post("/event-sessions", headers=headers, json={**body, "event_id": event["id"]}), 201
        )
        world.ids[body["code"]] = made["id"]
    choices = {
        "st1": ["SE1", "SE2", "SE3"],
        "st2": ["SE2", "SE1"],
        "st3": ["SE3", "SE1", "SE2"],
        "st4": ["SE1", "SE3"],
        "st5": ["SE2", "SE3", "SE1"],
    }
    for code, chosen in choices.items():
        headers = world.school if code in ("st1", "st2", "st3") else world.other_school
        body = {"pupil_id": world.ids[code], "event_id": event["id"], "choices": chosen}
        world.ids[f"request-{code}"] = ok(
            c.post("/event-requests", headers=headers, json=body), 201
        )["id"]
    return event["id"]
