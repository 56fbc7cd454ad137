"""A company that leaves (issue 15): the bureau marks it stopped from a date, a repair moves
only its pupils and visits, the report says who moved where, schools and companies see their
own part, and a stop can be lifted until a repair that honoured it is published."""

from __future__ import annotations

from api_world import KM, LAT, LON, activity_world, ok

STOP = {"stopped_from": "2027-03-01", "reason": "bankrupt", "note": "faillissement uitgesproken"}


def add_spare_company(world) -> None:
    """C3 with three seats at PL3: five pupils fill six seats, so one seat stays free."""
    c, b = world.client, world.bureau
    body = {"code": "C3", "name": "Bedrijf C3", "lat": LAT + 1.5 * KM, "lon": LON,
            "sectors": ["bouw"]}  # fmt: skip
    world.ids["C3"] = ok(c.post("/companies", headers=b, json=body), 201)["id"]
    body = {"code": "PL3", "company_id": world.ids["C3"], "capacity": {"P3": 3}}
    ok(c.post("/placements", headers=b, json=body), 201)


def test_a_stop_repair_moves_only_the_stopped_company_s_pupils_and_visits(world):
    c, b = world.client, world.bureau
    add_spare_company(world)
    rid = activity_world(world)  # pupils and excursions, solved and published
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    assert len(published["assignments"]) == 5
    leaving = sorted(a["student"] for a in published["assignments"] if a["company"] == "C1")
    visits_gone = [a for a in published["activities"] if a["company"] == "C1"]
    assert len(leaving) == 2 and visits_gone

    stop = ok(c.post("/company-stops", headers=b, json={**STOP, "company_id": world.ids["C1"]}),
              201)  # fmt: skip
    assert (stop["company"], stop["stopped_from"], stop["reason"]) == ("C1", "2027-03-01",
                                                                       "bankrupt")  # fmt: skip
    job = ok(c.post(f"/rounds/{rid}/stop-repair", headers=b), 202)
    assert job["status"] == "succeeded", job["message"]
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert repaired["version"]["kind"] == "repair"

    # Everyone and everything not at C1 stays exactly as published; nothing is at C1 any more.
    assert [a for a in repaired["assignments"] if a["student"] not in leaving] == [
        a for a in published["assignments"] if a["student"] not in leaving
    ]
    assert not any(a["company"] == "C1" for a in repaired["assignments"])
    kept = [a for a in published["activities"] if a["company"] != "C1"]
    assert all(a in repaired["activities"] for a in kept)
    assert not any(a["company"] == "C1" for a in repaired["activities"])
    assert repaired["version"]["changes"] == 2

    # The report names both pupils: one to the spare seat at PL3, one unplaced with its reason.
    report = ok(c.get(f"/rounds/{rid}/stop-moves", headers=b))
    assert report["stops"] == [{"company": "C1", "stopped_from": "2027-03-01"}]
    assert [p["student"] for p in report["pupils"]] == leaving
    destinations = sorted(str(p["to"] and p["to"]["placement"]) for p in report["pupils"])
    assert destinations == ["None", "PL3"]
    assert [p["reason"] for p in report["pupils"] if p["to"] is None] == ["CAPACITY"]
    assert len(report["visits"]) == len(visits_gone)
    for visit in report["visits"]:
        assert visit["from"]["company"] == "C1"
        assert (visit["to"] or {}).get("company") == "C2" or visit["reason"]

    # Lifted before publication, the repair is withdrawn; marked again, it is repaired again.
    ok(c.delete(f"/company-stops/{stop['id']}", headers=b))
    round_ = ok(c.get(f"/rounds/{rid}", headers=b))
    assert round_["proposal_version_id"] == round_["published_version_id"]
    stop = ok(c.post("/company-stops", headers=b, json={**STOP, "company_id": world.ids["C1"]}),
              201)  # fmt: skip
    assert ok(c.post(f"/rounds/{rid}/stop-repair", headers=b), 202)["status"] == "succeeded"
    assert ok(c.get(f"/rounds/{rid}/stop-moves", headers=b))["pupils"] == report["pupils"]

    # Published: each school sees its own moves, each company those away from or to it.
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    schools = {"S1": world.school, "S2": world.other_school}
    for code, headers in schools.items():
        mine = ok(c.get(f"/rounds/{rid}/stop-moves", headers=headers))
        assert [p["student"] for p in mine["pupils"]] == [
            p["student"] for p in report["pupils"] if p["school"] == code
        ]
        assert all(v["school"] == code for v in mine["visits"])
    company = ok(c.get(f"/rounds/{rid}/stop-moves", headers=world.company))
    assert [p["student"] for p in company["pupils"]] == leaving
    assert all("reason" not in p and "school" not in p for p in company["pupils"])
    assert ok(c.get(f"/rounds/{rid}/stop-moves", headers=world.other_company))["pupils"] == []

    # Published, the stop can no longer be lifted: its pupils and visits have moved.
    refused = c.delete(f"/company-stops/{stop['id']}", headers=b)
    assert refused.status_code == 409 and "published" in refused.json()["detail"]


def test_only_the_bureau_marks_a_stop_and_bad_input_names_the_field(world):
    c, b = world.client, world.bureau
    body = {**STOP, "company_id": world.ids["C1"]}
    for headers in (world.school, world.company):
        assert c.post("/company-stops", headers=headers, json=body).status_code == 403
    refused = c.post("/company-stops", headers=b, json={**body, "stopped_from": "1-3-2027"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "stopped_from"]
    refused = c.post("/company-stops", headers=b, json={**body, "company_id": 999})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "company_id"]
    refused = c.post("/company-stops", headers=b, json={**body, "reason": "verhuisd"})
    assert refused.json()["detail"][0]["loc"] == ["body", "reason"]
    assert ok(c.get("/company-stops", headers=b)) == []  # nothing stored

    stop = ok(c.post("/company-stops", headers=b, json=body), 201)
    assert c.post("/company-stops", headers=b, json=body).status_code == 409
    assert ok(c.get("/company-stops", headers=world.company)) == [stop]
    assert ok(c.get("/company-stops", headers=world.other_company)) == []

    # A round solved while C1 stands stopped gives it no pupils; lifted, the next solve does.
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert not any(a["company"] == "C1" for a in proposal["assignments"])
    assert c.delete(f"/company-stops/{stop['id']}", headers=world.school).status_code == 403
    assert ok(c.delete(f"/company-stops/{stop['id']}", headers=b))["lifted_at"] is not None
    assert ok(c.get("/company-stops", headers=b)) == []
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert sum(a["company"] == "C1" for a in proposal["assignments"]) == 2
    audit = ok(c.get("/audit?entity=company_stop", headers=b))
    assert {e["action"] for e in audit} == {"create", "lift"}
