"""A confirmed placement with its agreement, built over HTTP on the API tests' world: period P3
dated over two weeks of March 2027 (a holiday on the Friday of the first), a round solved and
published, and company C1 confirming one of school S1's pupils."""

from __future__ import annotations

from dataclasses import dataclass

from api_world import World, ok, wait_for_job

P3 = {"id": "P3", "start": "2027-03-08", "end": "2027-03-19"}
CALENDAR = {"start": "2026-08-31", "end": "2027-07-16", "holidays": [["2027-03-12", "2027-03-12"]]}
AT_14 = "2012-10-01"  # 14 in March 2027: a parent signs, at most 7 hours a day and 35 a week
AT_16 = "2010-10-01"


@dataclass
class Placed:
    round_id: int
    student: str
    pupil_id: int
    agreement: dict


def confirmed_placement(world: World) -> Placed:
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    change = {"version": region["version"], "calendar": CALENDAR, "periods": [P3]}
    ok(c.patch("/region", headers=b, json=change))
    rid = ok(c.post("/rounds", headers=b, json={"name": "maart"}), 201)["id"]
    job = wait_for_job(c, b, ok(c.post(f"/rounds/{rid}/solve", headers=b), 202))
    assert job["status"] == "succeeded", job
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    own = {"st1", "st2", "st3"}
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))["assignments"]
    student = next(a["student"] for a in published if a["company"] == "C1" and a["student"] in own)
    confirm = {"student": student, "status": "confirmed"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=confirm), 201)
    [agreement] = ok(c.get("/agreements", headers=world.company))
    return Placed(rid, student, world.ids[student], agreement)


def fill_in(world: World, placed: Placed, birth_date: str = AT_14, **company_part) -> dict:
    """The company's and the school's parts filled in and the birth date stored: signable
    unless `company_part` breaks a rule."""
    c, aid = world.client, placed.agreement["id"]
    agreement = ok(c.get(f"/agreements/{aid}", headers=world.company))
    body = {
        "version": agreement["version"],
        "supervisor_name": "Henk Smit",
        "supervisor_phone": "053 123 4567",
        **company_part,
    }
    agreement = ok(c.patch(f"/agreements/{aid}", headers=world.company, json=body))
    body = {
        "version": agreement["version"],
        "school_contact_name": "Mw. De Vries",
        "school_hours_per_week": 4,
    }
    ok(c.patch(f"/agreements/{aid}", headers=world.school, json=body))
    ok(
        c.put(
            f"/pupils/{placed.pupil_id}/birth-date",
            headers=world.school,
            json={"birth_date": birth_date},
        )
    )
    return ok(c.get(f"/agreements/{aid}", headers=world.company))
