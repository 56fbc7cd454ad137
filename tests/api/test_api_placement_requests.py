"""Placement requests: the transition table, the school's and mentor's steps over HTTP, the lock
a solve puts on them, what a publication and the companies' answers make of them, one open
request per pupil and round in the database itself, and the pupil's export and erasure."""

from __future__ import annotations

from itertools import product

import pytest
from agreement_world import AT_16, Placed, fill_in
from api_world import ok
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.models import (
    JobKind,
    PlacementRequest,
    PlacementRequestUpdate,
    RequestStatus,
    RequestStep,
    Round,
    User,
)
from api.services import placement_requests, solves
from api.services.errors import Conflict
from api.services.request_statuses import STAMPED, TRANSITIONS, step
from api.teardown import delete_region

R = RequestStatus


def test_every_allowed_step_works_and_every_other_is_refused_naming_both_statuses():
    assert set(TRANSITIONS) == set(RequestStatus)
    for source, target in product(RequestStatus, RequestStatus):
        request = PlacementRequest(
            id=7, region_id=1, school_id=1, pupil_id=1, round_id=1, status=source
        )
        if target in TRANSITIONS[source]:
            step(request, target)
            assert (request.status, request.version) == (target, 2)
            if target in STAMPED:
                assert getattr(request, STAMPED[target]) == request.status_since
        else:
            with pytest.raises(Conflict) as refused:
                step(request, target)
            assert refused.value.status == 409
            assert f"request 7 is {source}: it cannot become {target}" in refused.value.detail
            assert (request.status, request.version) == (source, 1)


def _draft(world, round_id: int, code: str, headers=None, **wishes) -> dict:
    body = {"pupil_id": world.ids[code], "round_id": round_id, **wishes}
    return ok(world.client.post("/requests", headers=headers or world.school, json=body), 201)


def _step(world, request: dict, action: str, headers=None, status: int = 200, **body) -> dict:
    response = world.client.post(
        f"/requests/{request['id']}/{action}",
        headers=headers or world.school,
        json={"version": request["version"], **body},
    )
    return ok(response, status)


def _approved(world, round_id: int, code: str, **wishes) -> dict:
    request = _draft(world, round_id, code, **wishes)
    return _step(world, _step(world, request, "submit"), "approve")


def _status(world, request: dict) -> dict:
    return ok(world.client.get(f"/requests/{request['id']}", headers=world.bureau))


def test_a_request_from_draft_to_done(world, engine):
    c, b, s = world.client, world.bureau, world.school
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    first = _draft(world, rid, "st1")
    assert (first["status"], first["student"], first["preferences"]) == ("draft", "st1", ["PL1"])
    second = _draft(world, rid, "st2", preferences=["PL2"], accept_unranked=False)

    # Bad input is refused naming the field, and changes nothing.
    again = c.post("/requests", headers=s, json={"pupil_id": world.ids["st1"], "round_id": rid})
    assert again.status_code == 409 and f"request {first['id']}" in str(again.json()["detail"])
    wish = c.patch(f"/requests/{first['id']}", headers=s, json={"version": 1, "preferences": ["X"]})
    assert wish.status_code == 422 and wish.json()["detail"][0]["loc"] == [
        "body",
        "preferences",
        "0",
    ]
    nulled = c.patch(
        f"/requests/{first['id']}", headers=s, json={"version": 1, "preferences": None}
    )
    assert nulled.status_code == 422 and nulled.json()["detail"][0]["loc"] == [
        "body",
        "preferences",
    ]
    foreign = {"pupil_id": world.ids["st4"], "round_id": rid}
    assert c.post("/requests", headers=s, json=foreign).status_code == 403
    assert c.get("/requests", headers=world.company).status_code == 403
    assert [r["student"] for r in ok(c.get("/requests", headers=world.other_school))] == []
    early = c.post(f"/rounds/{rid}/solve", headers=b)
    assert early.status_code == 409 and "none is approved" in early.json()["detail"]
    skipped = _step(world, second, "approve", status=409)
    assert f"request {second['id']} is draft: it cannot become approved" in skipped["detail"]

    submitted = _step(world, first, "submit")
    todo = {i["kind"]: i for i in ok(c.get("/todo", headers=s))}
    assert (todo["requests_to_approve"]["count"], todo["requests_to_approve"]["link"]) == (
        1, "/app/school/requests")  # fmt: skip
    assert ok(c.get("/todo", headers=world.other_school)) == []
    returned = _step(world, submitted, "return", note="kies een tweede wens")
    assert (returned["status"], returned["note"]) == ("draft", "kies een tweede wens")
    first = _approved_again = _step(world, _step(world, returned, "submit"), "approve")
    assert _approved_again["approved_at"] and _approved_again["submitted_at"]

    # Only the approved pupil enters the solve, and the round's requests lock.
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    planned = [a["student"] for a in proposal["assignments"] + proposal["unassigned"]]
    assert planned == ["st1"]
    assert _status(world, first)["status"] == "in_round"
    locked = c.patch(f"/requests/{second['id']}", headers=s, json={"version": 1, "preferences": []})
    assert locked.status_code == 409 and "locked" in locked.json()["detail"]
    assert _step(world, second, "submit", status=409)["detail"].endswith("since its solve started")
    assert (
        c.post(
            "/requests", headers=s, json={"pupil_id": world.ids["st3"], "round_id": rid}
        ).status_code
        == 409
    )

    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    placed = _status(world, first)
    assert (placed["status"], placed["placement"], placed["period"]) == ("placed", "PL1", "P3")
    answer = {"student": "st1", "status": "confirmed"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=answer), 201)
    confirmed = _status(world, first)
    assert confirmed["status"] == "confirmed" and confirmed["confirmed_at"]
    assert _step(world, confirmed, "done", status=409)["detail"].startswith(
        f"request {first['id']} is confirmed: it cannot become done"
    )

    # The confirmation opened the placement agreement; its last signature moves the request on.
    [agreement] = ok(c.get("/agreements", headers=world.company))
    placed_at = Placed(round_id=rid, student="st1", pupil_id=world.ids["st1"], agreement=agreement)
    agreement = fill_in(world, placed_at, AT_16, first_day="2027-03-08", last_day="2027-03-12")
    for headers, party in ((world.company, "company"), (s, "school"), (s, "pupil")):
        body = {"party": party, "name": "Henk Smit", "version": agreement["version"]}
        agreement = ok(c.post(f"/agreements/{agreement['id']}/signatures", headers=headers,
                              json=body))  # fmt: skip
    assert agreement["status"] == "signed"
    assert _status(world, first)["status"] == "agreement_signed"
    # Other hours clear the signatures; signed again, the request stays where it is.
    body = {"version": agreement["version"], "day_end": "15:00"}
    agreement = ok(c.patch(f"/agreements/{agreement['id']}", headers=world.company, json=body))
    assert agreement["status"] == "open"
    for headers, party in ((world.company, "company"), (s, "school"), (s, "pupil")):
        body = {"party": party, "name": "Henk Smit", "version": agreement["version"]}
        agreement = ok(c.post(f"/agreements/{agreement['id']}/signatures", headers=headers,
                              json=body))  # fmt: skip
    assert _status(world, first)["status"] == "agreement_signed"
    with Session(engine) as session:
        placement_requests.mark_agreement_signed(session, world.ids["st3"], rid)  # no request
        session.commit()
    done = _step(world, _status(world, first), "done")
    assert done["status"] == "done" and done["done_at"]

    trail = ok(c.get("/audit", headers=b, params={"entity": "placement_request"}))
    steps = [e["action"] for e in reversed(trail) if e["entity_id"] == str(first["id"])]
    assert steps == ["create", "submit", "return", "submit", "approve", "enter_round", "placed",
                     "confirmed", "agreement_signed", "done"]  # fmt: skip

    overview = ok(c.get(f"/rounds/{rid}/request-overview", headers=b))
    by_school = {s["school"]: s["counts"] for s in overview["schools"]}
    assert (by_school["S1"]["done"], by_school["S1"]["draft"], by_school["S2"]["draft"]) == (
        1,
        1,
        0,
    )
    mine = ok(c.get(f"/rounds/{rid}/request-overview", headers=s))
    assert [s["school"] for s in mine["schools"]] == ["S1"]


def test_a_decline_sends_the_request_back_and_the_repair_places_it_again(world, engine):
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    request = _approved(world, rid, "st2", preferences=["PL1", "PL2"])
    ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    assert _status(world, request)["placement"] == "PL1"

    decline = {"student": "st2", "status": "declined", "reason": "vol"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=decline), 201)
    declined = _status(world, request)
    assert declined["status"] == "declined" and declined["stuck"]
    stuck = ok(c.get("/requests", headers=world.school, params={"round_id": rid, "stuck": True}))
    assert [r["student"] for r in stuck] == ["st2"]
    with Session(engine) as session, pytest.raises(Conflict, match="is declined: it cannot"):
        placement_requests.mark_agreement_signed(session, world.ids["st2"], rid)

    ok(c.post(f"/rounds/{rid}/publish", headers=b))  # the repair the decline started
    again = _status(world, request)
    assert (again["status"], again["placement"]) == ("placed", "PL2")
    assert not again["stuck"]


def test_requests_lock_while_the_round_solves(world, engine, settings):
    c, b, s = world.client, world.bureau, world.school
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    approved = _approved(world, rid, "st1")
    draft = _draft(world, rid, "st2")
    with Session(engine) as session:  # a solve queued and not yet run: the round is solving
        round_ = session.get(Round, rid)
        assert round_ is not None
        solves.create_job(session, round_, JobKind.solve, settings, "inline", None)
        session.commit()
    assert ok(c.get(f"/rounds/{rid}", headers=b))["status"] == "solving"
    assert _status(world, approved)["status"] == "in_round"
    edit = c.patch(f"/requests/{draft['id']}", headers=s, json={"version": 1, "preferences": []})
    assert edit.status_code == 409
    assert edit.json()["detail"] == (
        f"request {draft['id']}: round {rid} is solving, its requests are locked since its "
        "solve started"
    )
    assert _step(world, draft, "withdraw", status=409)["detail"].startswith(
        f"request {draft['id']}"
    )
    assert _status(world, draft) == {**_status(world, draft), "status": "draft", "version": 1}


def test_one_open_request_per_pupil_and_round_is_held_by_the_database(world, engine):
    """...and the requests go when their region is removed (the demo replaces its own)."""
    rid = ok(world.client.post("/rounds", headers=world.bureau, json={"name": "r1"}), 201)["id"]
    first = _draft(world, rid, "st1")
    _step(world, first, "withdraw")
    second = _draft(world, rid, "st1")  # a withdrawn request leaves room for a new one
    assert second["id"] != first["id"]
    with Session(engine) as session:
        stored = session.get(PlacementRequest, second["id"])
        assert stored is not None
        twin = PlacementRequest(
            region_id=stored.region_id, school_id=stored.school_id,
            pupil_id=stored.pupil_id, round_id=rid,
        )  # fmt: skip
        session.add(twin)
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        open_ = select(PlacementRequest).where(PlacementRequest.status != R.withdrawn)
        assert len(session.exec(open_).all()) == 1
        delete_region(session, world.region_id)
        session.commit()
        assert session.exec(select(PlacementRequest)).all() == []


def test_requests_go_with_the_pupils_export_and_erasure(world):
    c, s = world.client, world.school
    rid = ok(c.post("/rounds", headers=world.bureau, json={"name": "r1"}), 201)["id"]
    request = _step(world, _draft(world, rid, "st1"), "submit")
    pupil = world.ids["st1"]
    exported = ok(c.get(f"/pupils/{pupil}/export", headers=s))
    assert [r["id"] for r in exported["placement_requests"]] == [request["id"]]
    actions = [e["action"] for e in exported["audit"] if e["entity"] == "placement_request"]
    assert actions == ["create", "submit"]
    ok(c.post(f"/pupils/{pupil}/erase", headers=s))
    assert c.get(f"/requests/{request['id']}", headers=s).status_code == 404
    assert ok(c.get("/requests", headers=world.bureau)) == []


def test_an_edit_and_a_step_on_one_version_at_once_never_both_land(world, engine):
    """Both read one version: the wishes change, and the submit made on the old wishes is
    refused (409) rather than sending what the school no longer asks for."""
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    draft = _draft(world, rid, "st1")
    with Session(engine) as first, Session(engine) as second:
        school = first.exec(select(User).where(User.role == "school")).first()
        mentor = second.exec(select(User).where(User.role == "school")).first()
        read = (first.get(PlacementRequest, draft["id"]), second.get(PlacementRequest, draft["id"]))
        assert read[0].version == read[1].version == draft["version"]
        edit = PlacementRequestUpdate(version=draft["version"], preferences=["PL2"])
        placement_requests.update_request(first, school, draft["id"], edit)
        step = RequestStep(version=draft["version"])
        with pytest.raises(Conflict, match="changed meanwhile"):
            placement_requests.take_step(second, mentor, draft["id"], "submit", step)
    stored = _status(world, draft)
    assert (stored["status"], stored["preferences"]) == ("draft", ["PL2"])
