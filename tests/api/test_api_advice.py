"""The one-more-seat advice over the API (issue 14): `POST /rounds/{id}/advice` queues the
count as a job, `GET /rounds/{id}/advice` reads what it kept with the proposal. An advice
changes no round, so a solve runs beside it; the database holds one active advice per round."""

from __future__ import annotations

import pytest
from api_world import ok
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.models import Job, JobKind, JobStatus


def test_the_advice_is_asked_read_and_refused_by_the_api(world, engine):
    c, b = world.client, world.bureau
    round_id = ok(c.post("/rounds", headers=b, json={"name": "r"}), 201)["id"]
    for answer in (c.get(f"/rounds/{round_id}/advice", headers=b),
                   c.post(f"/rounds/{round_id}/advice", headers=b)):  # fmt: skip
        assert answer.status_code == 409 and "no proposal" in answer.json()["detail"]
    ok(c.post(f"/rounds/{round_id}/solve", headers=b), 202)
    proposal = ok(c.get(f"/rounds/{round_id}", headers=b))["proposal_version_id"]
    missing = c.get(f"/rounds/{round_id}/advice", headers=b)
    assert missing.status_code == 404 and "no advice" in missing.json()["detail"]

    job = ok(c.post(f"/rounds/{round_id}/advice", headers=b), 202)  # counted inline here
    assert (job["kind"], job["status"], job["result_version_id"]) == ("advice", "succeeded", None)
    advice = ok(c.get(f"/rounds/{round_id}/advice", headers=b))
    assert advice["version_id"] == proposal and advice["relaxed"] is False
    assert all(set(s) == {"placement", "company", "period", "more", "cost", "capacity"}
               for s in advice["seats"])  # fmt: skip
    # The round is as it was: an advice writes no version.
    after = ok(c.get(f"/rounds/{round_id}", headers=b))
    assert (after["status"], after["proposal_version_id"]) == ("proposed", proposal)

    # An advice still counting for an earlier proposal: refused, naming it; a solve may start.
    with Session(engine) as session:
        held = Job(region_id=world.region_id, round_id=round_id, kind=JobKind.advice,
                   params={"version_id": proposal - 1})  # fmt: skip
        session.add(held)
        session.commit()
        held_id = held.id
    refused = c.post(f"/rounds/{round_id}/advice", headers=b)
    assert refused.status_code == 409
    [problem] = refused.json()["detail"]
    assert problem["type"] == "advice.earlier_proposal" and problem["ctx"] == {"job": held_id}
    ok(c.post(f"/rounds/{round_id}/resolve", headers=b), 202)
    # The database itself keeps a second active advice of the round out.
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(Job(region_id=world.region_id, round_id=round_id, kind=JobKind.advice,
                        status=JobStatus.running))  # fmt: skip
        session.commit()
