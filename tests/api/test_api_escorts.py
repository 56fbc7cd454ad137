"""Escorts over HTTP (SPEC section 8): the bureau sets the region's escort ratio, a school marks
who may escort, the solved round names escorts, and an escort's year calendar holds the
excursion it escorts."""

from __future__ import annotations

from api_world import MARCH, ok
from icalendar import Calendar
from sqlmodel import Session

from api.models import SolutionVersion
from scheduler.validation import parse_round
from scheduler.verify import verify


def test_a_round_of_a_region_with_an_escort_ratio_names_escorts(world, engine):
    c, b, school = world.client, world.bureau, world.school
    region = ok(c.get("/region", headers=b))
    body = {"version": region["version"], "calendar": MARCH, "escort_ratio": 12}
    assert ok(c.patch("/region", headers=b, json=body))["escort_ratio"] == 12
    ok(c.post("/classes", headers=school, json={"code": "K1", "year": 3, "size": 20,
                                                "free": ["tue-pm"], "demand": {"excursion": 1}}),
       201)  # fmt: skip
    teachers = {}
    for code, escort in (("T1", True), ("T2", False), ("T3", True)):
        body = {"code": code, "name": f"docent {code}", "free": ["tue-pm"], "escort": escort}
        teachers[code] = ok(c.post("/teachers", headers=school, json=body), 201)
    assert teachers["T2"]["escort"] is False
    ok(c.post("/offers", headers=world.company,
              json={"code": "EX1", "kind": "excursion", "available": ["tue-pm"]}), 201)  # fmt: skip
    rid = ok(c.post("/rounds", headers=b, json={"name": "escorted"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    [excursion] = proposal["activities"]
    assert excursion["escorts"] == ["T1", "T3"]  # 20 pupils at 1 per 12; T2 may not escort
    with Session(engine) as session:
        version = session.get(SolutionVersion, proposal["version"]["id"])
        document, solution = version.round_document, version.solution
    assert document["defaults"]["escort_ratio"] == 12
    assert [t["escort"] for t in document["teachers"]] == [True, False, True]
    assert verify(parse_round(document), solution) == []

    calendar = c.get(f"/rounds/{rid}/calendar/teacher/{teachers['T3']['id']}.ics", headers=b)
    assert calendar.status_code == 200
    [event] = Calendar.from_ical(calendar.content).walk("VEVENT")
    assert "Escorts: T1, T3" in str(event["description"])
    idle = c.get(f"/rounds/{rid}/calendar/teacher/{teachers['T2']['id']}.ics", headers=b)
    assert "BEGIN:VEVENT" not in idle.text

    # A teacher who may no longer escort, the ratio cleared: a new round has no escorts at all.
    body = {"version": teachers["T3"]["version"], "escort": False}
    assert (
        ok(c.patch(f"/teachers/{teachers['T3']['id']}", headers=school, json=body))["escort"]
        is False
    )
    region = ok(c.get("/region", headers=b))
    ok(c.patch("/region", headers=b, json={"version": region["version"], "escort_ratio": None}))
    rid = ok(c.post("/rounds", headers=b, json={"name": "plain"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    [plain] = ok(c.get(f"/rounds/{rid}/proposal", headers=b))["activities"]
    assert "escorts" not in plain


def test_an_escort_ratio_below_one_is_refused_and_changes_nothing(world):
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    refused = c.patch("/region", headers=b, json={"version": region["version"], "escort_ratio": 0})
    assert refused.status_code == 422
    assert "escort_ratio" in refused.text
    assert ok(c.get("/region", headers=b))["escort_ratio"] is None
