"""together / apart pairs: a school pairs its own pupils, the bureau any two of its region; the
pairs are audited, go into the round snapshot, and the solution keeps them."""

from __future__ import annotations

from api_world import ok
from sqlmodel import Session, select

from api.models import AuditEntry, PupilPair
from scheduler.validation import parse_round
from scheduler.verify import verify


def pair(world, kind: str, a: str, b: str) -> dict:
    return {"kind": kind, "pupil_a_id": world.ids[a], "pupil_b_id": world.ids[b]}


def test_school_pairs_its_own_pupils_and_the_bureau_any_of_its_region(world, engine):
    c = world.client
    # Stored in id order, whichever way round it was given, and owned by the pupils' school.
    mine = ok(
        c.post("/pupil-pairs", headers=world.school, json=pair(world, "apart", "st2", "st1")), 201
    )
    assert (mine["pupil_a_id"], mine["pupil_b_id"]) == (world.ids["st1"], world.ids["st2"])
    assert mine["school_id"] == world.ids["S1"]
    # A school may not pair another school's pupil; the bureau may, across schools.
    across = pair(world, "together", "st3", "st4")
    assert c.post("/pupil-pairs", headers=world.school, json=across).status_code == 403
    assert c.post("/pupil-pairs", headers=world.company, json=across).status_code == 403
    bureau_pair = ok(c.post("/pupil-pairs", headers=world.bureau, json=across), 201)
    assert bureau_pair["school_id"] is None
    # A cross-school pair is the bureau's: neither school sees or changes it.
    assert [p["id"] for p in ok(c.get("/pupil-pairs", headers=world.school))] == [mine["id"]]
    assert ok(c.get("/pupil-pairs", headers=world.other_school)) == []
    assert len(ok(c.get("/pupil-pairs", headers=world.bureau))) == 2
    url = f"/pupil-pairs/{bureau_pair['id']}"
    assert c.get(url, headers=world.other_school).status_code == 404
    # Refusals name the field: a pupil with itself, an unknown pupil, a second rule for two.
    self_pair = c.post(
        "/pupil-pairs", headers=world.school, json=pair(world, "apart", "st1", "st1")
    )
    assert self_pair.status_code == 422
    assert self_pair.json()["detail"][0]["loc"] == ["body", "pupil_b_id"]
    unknown = {**pair(world, "apart", "st1", "st2"), "pupil_b_id": 10**6}
    response = c.post("/pupil-pairs", headers=world.school, json=unknown)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "pupil_b_id"
    again = c.post("/pupil-pairs", headers=world.school, json=pair(world, "together", "st1", "st2"))
    assert again.status_code == 409
    assert "st1 and st2 are already paired (apart" in again.json()["detail"][0]["msg"]
    # A school may not move its pair onto another school's pupil; it may change the kind.
    url = f"/pupil-pairs/{mine['id']}"
    move = {"version": mine["version"], "pupil_b_id": world.ids["st4"]}
    assert c.patch(url, headers=world.school, json=move).status_code == 403
    changed = ok(c.patch(url, headers=world.school, json={"version": 1, "kind": "together"}))
    assert changed["kind"] == "together" and changed["version"] == 2
    with Session(engine) as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "pupil_pair").order_by(AuditEntry.id)  # type: ignore[arg-type]
        ).all()
    assert [e.action for e in entries] == ["create", "create", "update"]
    assert (entries[-1].before["kind"], entries[-1].after["kind"]) == ("apart", "together")


def test_pairs_go_into_the_round_and_its_solution_keeps_them(world):
    c, b = world.client, world.bureau
    ok(
        c.post("/pupil-pairs", headers=world.school, json=pair(world, "together", "st1", "st3")),
        201,
    )
    ok(c.post("/pupil-pairs", headers=b, json=pair(world, "apart", "st2", "st5")), 201)
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    document = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    assert document["together"] == [["st1", "st3"]]
    assert document["apart"] == [["st2", "st5"]]
    solution = ok(c.get(f"/rounds/{rid}/export/solution.json", headers=b))
    assert solution["stats"]["placements"]["method"] == "mip"
    assert verify(parse_round(document), solution) == []


def test_deleting_a_pupil_takes_its_pairs_along(world, engine):
    c = world.client
    ok(c.post("/pupil-pairs", headers=world.school, json=pair(world, "apart", "st1", "st3")), 201)
    ok(c.delete(f"/pupils/{world.ids['st3']}", headers=world.school, params={"version": 1}), 204)
    assert ok(c.get("/pupil-pairs", headers=world.school)) == []
    with Session(engine) as session:
        assert session.exec(select(PupilPair)).all() == []
