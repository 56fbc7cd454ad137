"""A published round whose activities and event day lie in the past and whose placements lie
in the future, dated around today: feedback is due for the first and not yet for the second."""

from __future__ import annotations

from datetime import date, timedelta

from api_world import World, ok
from event_world import event_world

from api.models import utcnow

CLASS_PUPILS = ["st6", "st7", "st8", "st9", "st10", "st11"]


def days(n: int) -> str:
    return (utcnow().date() + timedelta(days=n)).isoformat()


def feedback_world(world: World) -> int:
    """The world's region with a school year of the last five weeks (Tuesday afternoons free),
    placement period P3 dated a month ahead, class K1 of S1 with six pupils and K3 of S2 each
    wanting an excursion, an excursion offer at each company, event day EV1 three days ago;
    solved and published. Returns the round's id."""
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    calendar = {"start": days(-35), "end": days(-1), "holidays": [], "min_gap_days": 0}
    periods = [{"id": "P3", "start": days(30), "end": days(60)}]
    body = {"version": region["version"], "calendar": calendar, "periods": periods}
    ok(c.patch("/region", headers=b, json=body))
    classes = {}
    for headers, code in ((world.school, "K1"), (world.other_school, "K3")):
        body = {"code": code, "year": 3, "size": 20, "free": ["tue-pm"], "demand": {"excursion": 1}}
        classes[code] = ok(c.post("/classes", headers=headers, json=body), 201)["id"]
    for code in CLASS_PUPILS:
        body = {"code": code, "first_name": f"Kind{code}", "profile": "PIE", "track": "kb",
                "year": 3, "class_id": classes["K1"], "accept_unranked": False}  # fmt: skip
        world.ids[code] = ok(c.post("/pupils", headers=world.school, json=body), 201)["id"]
    for headers, code in ((world.company, "EX1"), (world.other_company, "EX2")):
        body = {"code": code, "kind": "excursion", "available": ["tue-pm"]}
        ok(c.post("/offers", headers=headers, json=body), 201)
    event_id = event_world(world)
    event = ok(c.get(f"/events/{event_id}", headers=b))
    ok(c.patch(f"/events/{event_id}", headers=b, json={"version": event["version"],
                                                       "date": days(-3)}))  # fmt: skip
    rid = ok(c.post("/rounds", headers=b, json={"name": "jaar"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    return rid


def is_past(day: str) -> bool:
    return date.fromisoformat(day) < utcnow().date()
