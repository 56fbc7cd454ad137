"""Declines as SPEC sections 7 and 8 say: "not this pupil at this company", the seat open to
the next pupil, a standing record of the region that every later solve honours until the bureau
lifts it; the bureau answering for a company; the answer deadline and what is still unanswered;
the school seeing a declined pupil as not placed at once."""

from __future__ import annotations

from datetime import date, timedelta

from api_world import ok
from sqlmodel import Session

from api.models import SolutionVersion


def published_round(world, name: str = "r1", **publish) -> int:
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": name}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b, json=publish or None))
    return rid


def at(solution: dict, placement: str) -> list[str]:
    return sorted(a["student"] for a in solution["assignments"] if a["placement"] == placement)


def decline(world, rid: int, student: str, headers=None) -> dict:
    body = {"student": student, "status": "declined", "reason": "past de werkplek niet"}
    return ok(world.client.post(f"/rounds/{rid}/responses", headers=headers or world.company,
                                json=body), 201)  # fmt: skip


def stored_round_document(engine, version_id: int) -> dict:
    with Session(engine) as session:
        version = session.get(SolutionVersion, version_id)
        assert version is not None
        return version.round_document


def excluded_of(document: dict, student: str) -> list[str]:
    return next(s for s in document["students"] if s["id"] == student).get("excluded", [])


def test_a_decline_keeps_the_seat_open_for_the_next_pupil(world):
    """Regression: a decline used to take the seat out, so PL1 repaired with one pupil less."""
    c, b = world.client, world.bureau
    rid = published_round(world)  # 5 pupils for 3 seats: PL1 (C1) 2, PL2 (C2) 1
    before = at(ok(c.get(f"/rounds/{rid}/published", headers=b)), "PL1")
    assert len(before) == 2
    decline(world, rid, before[0])
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert repaired["version"]["kind"] == "repair"
    assert before[0] not in at(repaired, "PL1")
    assert len(at(repaired, "PL1")) == 2, "the seat went to the next eligible pupil"


def test_a_standing_decline_holds_for_every_later_solve_until_the_bureau_lifts_it(world, engine):
    c, b = world.client, world.bureau
    rid = published_round(world)
    declined = at(ok(c.get(f"/rounds/{rid}/published", headers=b)), "PL1")[0]
    decline(world, rid, declined)
    standing = ok(c.get("/declines", headers=b))
    assert [(d["student"], d["company"]) for d in standing] == [(declined, "C1")]
    assert ok(c.get("/declines", headers=world.company)) == standing
    assert ok(c.get("/declines", headers=world.other_company)) == []
    school_of_pupil = world.school if declined in ("st1", "st2", "st3") else world.other_school
    assert ok(c.get("/declines", headers=school_of_pupil)) == standing

    # A fresh solve of the same round, and a new round opened afterwards, both honour it.
    for round_id in (rid, ok(c.post("/rounds", headers=b, json={"name": "r2"}), 201)["id"]):
        assert ok(c.post(f"/rounds/{round_id}/solve", headers=b), 202)["status"] == "succeeded"
        proposal = ok(c.get(f"/rounds/{round_id}/proposal", headers=b))
        assert declined not in at(proposal, "PL1")
        assert excluded_of(stored_round_document(engine, proposal["version"]["id"]),
                           declined) == ["C1"]  # fmt: skip

    assert c.delete(f"/declines/{standing[0]['id']}", headers=world.school).status_code == 403
    lifted = ok(c.delete(f"/declines/{standing[0]['id']}", headers=b))
    assert lifted["lifted_at"] is not None
    assert ok(c.get("/declines", headers=b)) == []
    assert [d["id"] for d in ok(c.get("/declines?lifted=true", headers=b))] == [lifted["id"]]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert excluded_of(stored_round_document(engine, proposal["version"]["id"]), declined) == []
    audit = ok(c.get("/audit?entity=decline", headers=b))
    assert {e["action"] for e in audit} >= {"create", "lift"}


def test_the_bureau_answers_for_a_company_and_the_audit_names_who(world):
    c, b = world.client, world.bureau
    rid = published_round(world)
    pupil = at(ok(c.get(f"/rounds/{rid}/published", headers=b)), "PL2")[0]  # company C2's
    answer = {"student": pupil, "status": "confirmed", "reason": "per telefoon bevestigd"}
    stored = ok(c.post(f"/rounds/{rid}/responses", headers=b, json=answer), 201)
    assert stored["company_id"] == world.ids["C2"]
    entry = ok(c.get(f"/audit?entity=assignment&entity_id={pupil}", headers=b))[0]
    me = ok(c.get("/users/me", headers=b))
    assert entry["user_id"] == me["id"] and entry["after"]["on_behalf_of"] == "C2"
    # A company still answers only for itself.
    refused = c.post(f"/rounds/{rid}/responses", headers=world.company, json=answer)
    assert refused.status_code == 422
    assert c.post(f"/rounds/{rid}/responses", headers=world.school, json=answer).status_code == 403


def test_a_publication_carries_an_answer_deadline_and_lists_what_is_unanswered(world):
    c, b = world.client, world.bureau
    rid = published_round(world, answer_deadline="2030-01-31")
    assert ok(c.get(f"/rounds/{rid}", headers=b))["answer_deadline"] == "2030-01-31"
    waiting = ok(c.get(f"/rounds/{rid}/unanswered", headers=b))
    assert (waiting["answer_deadline"], waiting["overdue"]) == ("2030-01-31", False)
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    assert sorted(i["student"] for i in waiting["items"]) == sorted(
        a["student"] for a in published["assignments"]
    )
    first = at(published, "PL1")[0]
    body = {"student": first, "status": "confirmed"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=body), 201)
    waiting = ok(c.get(f"/rounds/{rid}/unanswered", headers=b))
    assert first not in {i["student"] for i in waiting["items"]}
    assert len(waiting["items"]) == len(published["assignments"]) - 1
    assert c.get(f"/rounds/{rid}/unanswered", headers=world.company).status_code == 403

    late = published_round(world, "r2", answer_deadline="2020-01-31")
    assert ok(c.get(f"/rounds/{late}/unanswered", headers=b))["overdue"] is True
    default = published_round(world, "r3")
    expected = (date.today() + timedelta(days=14)).isoformat()
    assert ok(c.get(f"/rounds/{default}", headers=b))["answer_deadline"] == expected


def test_the_school_sees_a_declined_pupil_as_not_placed_at_once(world):
    c, b = world.client, world.bureau
    rid = published_round(world)
    declined = at(ok(c.get(f"/rounds/{rid}/published", headers=b)), "PL1")[0]
    school = world.school if declined in ("st1", "st2", "st3") else world.other_school
    assert declined in {a["student"] for a in ok(c.get(f"/rounds/{rid}/assignments",
                                                       headers=school))}  # fmt: skip
    decline(world, rid, declined)
    # The publication itself is unchanged until the bureau publishes the repair...
    assert declined in at(ok(c.get(f"/rounds/{rid}/published", headers=b)), "PL1")
    # ...but the school no longer counts on the seat.
    seen = {a["student"] for a in ok(c.get(f"/rounds/{rid}/assignments", headers=school))}
    assert declined not in seen
