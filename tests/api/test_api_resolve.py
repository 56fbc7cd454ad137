"""Re-solves and repairs through the solver core's steering: a decline moves only whom it must,
the stored proposal keeps the solver's proof and change count, and pins the round cannot hold
are refused before any job starts, naming them, with nothing changed."""

from __future__ import annotations

from api_world import ok
from sqlmodel import Session, select

from api.models import Pin, SolutionVersion
from scheduler.steering import plan, solve_plan
from scheduler.validation import parse_round
from scheduler.verify import verify


def slots(solution: dict) -> dict[str, tuple[str, str]]:
    return {a["student"]: (a["placement"], a["period"]) for a in solution["assignments"]}


def solved_round(world, publish: bool = False) -> int:
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    if publish:
        ok(c.post(f"/rounds/{rid}/publish", headers=b))
    return rid


def test_a_decline_moves_only_the_declined_pupil_when_a_seat_is_spare(world, engine):
    c, b = world.client, world.bureau
    # Six seats for five pupils: PL1 (2, company C1), PL2 (1) and PL3 (3) at company C2.
    spare = {"code": "PL3", "capacity": {"P3": 3}, "profiles": ["PIE"]}
    ok(c.post("/placements", headers=world.other_company, json=spare), 201)
    rid = solved_round(world, publish=True)
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    assert len(published["assignments"]) == 5
    mine = ok(c.get(f"/rounds/{rid}/assignments", headers=world.company))
    declined = mine[0]["student"]
    decline = {"student": declined, "status": "declined", "reason": "te jong"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=decline), 201)

    job = ok(c.get(f"/rounds/{rid}/jobs", headers=b))[-1]
    assert (job["kind"], job["status"]) == ("repair", "succeeded"), job
    assert job["message"].endswith("1 changed")
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    before, after = slots(published), slots(repaired)
    assert after[declined][0] in ("PL2", "PL3")  # placed again, elsewhere than PL1
    assert {s: after[s] for s in after if s != declined} == {
        s: before[s] for s in before if s != declined
    }
    assert repaired["version"]["changes"] == repaired["stats"]["placements"]["changes"] == 1
    # The solver's own proof is kept: no re-costing, no dropped bound.
    assert repaired["status"] == "OPTIMAL"
    assert repaired["objective"]["bound"] == repaired["objective"]["cost"]
    with Session(engine) as session:
        version = session.get(SolutionVersion, repaired["version"]["id"])
        document, solution = version.round_document, version.solution
    # Not this pupil at this company: the seat stays, the company is in the pupil's `excluded`.
    assert next(p for p in document["placements"] if p["id"] == "PL1")["capacity"] == {"P3": 2}
    assert next(s for s in document["students"] if s["id"] == declined)["excluded"] == ["C1"]
    assert verify(parse_round(document), solution) == []
    versions = ok(c.get(f"/rounds/{rid}/versions", headers=b))
    assert [v["changes"] for v in versions] == [None, None, 1]


def test_pins_the_round_cannot_hold_are_refused_naming_them_and_change_nothing(world, engine):
    c, b = world.client, world.bureau
    rid = solved_round(world)
    pins = f"/rounds/{rid}/pins"
    ok(c.post(pins, headers=b, json={"student": "st4", "placement": "PL2", "period": "P3"}), 201)
    # PL2 has one seat: a second pin there is refused when it is made, naming both pins.
    second = c.post(pins, headers=b, json={"student": "st5", "placement": "PL2", "period": "P3"})
    assert second.status_code == 409, second.text
    assert [e["loc"] for e in second.json()["detail"]] == [["pins", "st4"], ["pins", "st5"]]
    assert "more pins than seats at PL2/P3" in second.json()["detail"][0]["msg"]

    # Pins that no longer hold (made against an earlier document, say) stop a re-solve.
    round_before = ok(c.get(f"/rounds/{rid}", headers=b))
    with Session(engine) as session:
        session.add(Pin(round_id=rid, student="st5", placement="PL2", period="P3"))
        session.commit()
    refused = c.post(f"/rounds/{rid}/resolve", headers=b)
    assert refused.status_code == 409, refused.text
    assert [e["loc"] for e in refused.json()["detail"]] == [["pins", "st4"], ["pins", "st5"]]
    with Session(engine) as session:
        stale = session.exec(select(Pin).where(Pin.student == "st5")).one()
        stale.period = "P9"  # a period PL2 does not offer: not eligible any more
        session.add(stale)
        session.commit()
    refused = c.post(f"/rounds/{rid}/resolve", headers=b)
    assert refused.status_code == 409, refused.text
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["pins", "st5"]
    assert "pin st5 -> PL2/P9: not an eligible placement" in problem["msg"]
    # Nothing changed: no job, the round as it was, no new version.
    assert ok(c.get(f"/rounds/{rid}", headers=b)) == round_before
    assert len(ok(c.get(f"/rounds/{rid}/jobs", headers=b))) == 1
    assert len(ok(c.get(f"/rounds/{rid}/versions", headers=b))) == 1


def test_a_declined_pupil_never_lands_back_at_the_company_that_declined_it():
    # PL1 keeps a free seat after the decline, and a (accepting unranked placements) has no
    # other: the company in its `excluded` list keeps it away, and b keeps its seat.
    document = {
        "name": "decline",
        "schools": [{"id": "S1", "lat": 52.22, "lon": 6.89, "periods": ["P3"]}],
        "companies": [{"id": "C1", "lat": 52.23, "lon": 6.89}],
        "placements": [{"id": "PL1", "company": "C1", "capacity": {"P3": 3}}],
        "students": [
            {"id": s, "school": "S1", "profile": "PIE", "track": "kb", "year": 3,
             "preferences": ["PL1"]}
            for s in ("a", "b")
        ],
    }  # fmt: skip
    base = {
        "assignments": [
            {"student": s, "placement": "PL1", "company": "C1", "period": "P3"} for s in "ab"
        ]
    }
    decline = {"student": "a", "placement": "PL1", "period": "P3"}
    job = plan(document, base, declines=[decline])
    solution = solve_plan(job, time_limit=5, workers=1, deterministic=True)
    assert slots(solution) == {"b": ("PL1", "P3")}
    assert solution["stats"]["placements"]["changes"] == 1
    student = next(s for s in job.document["students"] if s["id"] == "a")
    assert student["excluded"] == ["C1"] and student["preferences"] == ["PL1"]
    assert next(p for p in job.document["placements"])["capacity"] == {"P3": 3}
    assert verify(parse_round(job.document), solution) == []


def test_pins_splitting_a_together_pair_are_refused(world):
    c, b = world.client, world.bureau
    pair = {"kind": "together", "pupil_a_id": world.ids["st1"], "pupil_b_id": world.ids["st2"]}
    ok(c.post("/pupil-pairs", headers=world.school, json=pair), 201)
    rid = solved_round(world)
    ok(c.post(f"/rounds/{rid}/pins", headers=b,
              json={"student": "st1", "placement": "PL1", "period": "P3"}), 201)  # fmt: skip
    split = c.post(f"/rounds/{rid}/pins", headers=b,
                   json={"student": "st2", "placement": "PL2", "period": "P3"})  # fmt: skip
    assert split.status_code == 409
    assert [e["loc"] for e in split.json()["detail"]] == [["pins", "st1"], ["pins", "st2"]]
    assert "split a pair that must be together" in split.json()["detail"][0]["msg"]


def test_pins_only_the_full_solve_can_refuse_fail_the_job_and_store_nothing(world):
    c, b = world.client, world.bureau
    # PL1 may only open with 3 pupils but has 2 seats: a pin there can never hold.
    url = f"/placements/{world.ids['PL1']}"
    version = ok(c.get(url, headers=b))["version"]
    ok(c.patch(url, headers=b, json={"version": version, "min_students": 3}))
    rid = solved_round(world)
    ok(c.post(f"/rounds/{rid}/pins", headers=b,
              json={"student": "st1", "placement": "PL1", "period": "P3"}), 201)  # fmt: skip
    job = ok(c.post(f"/rounds/{rid}/resolve", headers=b), 202)
    assert job["status"] == "failed"
    assert job["message"].startswith("what must stay cannot hold: ")
    assert "min_students" in job["message"]
    assert ok(c.get(f"/rounds/{rid}", headers=b))["status"] == "proposed"
    assert len(ok(c.get(f"/rounds/{rid}/versions", headers=b))) == 1


def test_a_decline_lifts_the_bureau_pin_on_that_seat(world):
    c, b = world.client, world.bureau
    rid = solved_round(world, publish=True)
    mine = ok(c.get(f"/rounds/{rid}/assignments", headers=world.company))
    seat = mine[0]
    pin = {"student": seat["student"], "placement": seat["placement"], "period": seat["period"]}
    ok(c.post(f"/rounds/{rid}/pins", headers=b, json=pin), 201)
    decline = {"student": seat["student"], "status": "declined", "reason": "vol"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=decline), 201)

    assert ok(c.get(f"/rounds/{rid}/pins", headers=b)) == []
    entries = ok(c.get("/audit", headers=b))
    assert any(e["action"] == "delete" and e["entity"] == "pin" for e in entries), entries
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert slots(repaired).get(seat["student"], ("",))[0] != seat["placement"]
