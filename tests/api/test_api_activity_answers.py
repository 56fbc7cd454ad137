"""Companies confirm or decline the classes and teachers planned with them: a decline sets off a
repair that keeps every other activity of the published calendar, honours the decline (not this
class at that offer, and not that daypart) and plans the class elsewhere when anything fits."""

from __future__ import annotations

from activity_rounds import activity_round, klass, offer
from api_world import activity_world, ok
from sqlmodel import Session

from api.models import SolutionVersion
from scheduler.steering import plan
from scheduler.validation import parse_round
from scheduler.verify import verify


def key(a: dict) -> tuple:
    return (a["requester"], a["offer"], a["date"], a["daypart"])


def answer(activity: dict, status: str, **extra: str) -> dict:
    """The body of a company's answer about a published activity."""
    return {**dict(zip(("requester", "offer", "date", "daypart"), key(activity), strict=True)),
            "status": status, **extra}  # fmt: skip


def test_a_declined_visit_is_planned_elsewhere_and_nothing_else_moves(world, engine):
    c, b = world.client, world.bureau
    rid = activity_world(world)
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    assert len(published["activities"]) == 3  # four Tuesdays' afternoons, two offers
    mine = [a for a in published["activities"] if a["company"] == "C1"]
    declined = mine[0]
    confirmed = next((a for a in mine if a is not declined), None)
    if confirmed is not None:
        body = answer(confirmed, "confirmed")
        ok(c.post(f"/rounds/{rid}/activity-responses", headers=world.company, json=body), 201)
    body = answer(declined, "declined", reason="bus staat niet op het terrein")
    ok(c.post(f"/rounds/{rid}/activity-responses", headers=world.company, json=body), 201)

    job = ok(c.get(f"/rounds/{rid}/jobs", headers=b))[-1]
    assert (job["kind"], job["status"]) == ("repair", "succeeded"), job
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    before = {key(a) for a in published["activities"]}
    after = {key(a) for a in repaired["activities"]}
    assert before - {key(declined)} <= after  # every other visit stays, confirmed or not
    moved = [a for a in repaired["activities"] if a["requester"] == declined["requester"]]
    assert [a["offer"] for a in moved] == ["EX2"]  # the class goes to the other company
    with Session(engine) as session:
        version = session.get(SolutionVersion, repaired["version"]["id"])
        document, solution = version.round_document, version.solution
    offer = next(o for o in document["offers"] if o["id"] == "EX1")
    assert offer["declined"] == [
        {"requester": declined["requester"], "date": declined["date"], "daypart": "pm"}
    ]
    assert verify(parse_round(document), solution) == []

    # The bureau sees the answers, the other company none of them.
    answers = ok(c.get(f"/rounds/{rid}/activity-responses", headers=b))
    assert [a["status"] for a in answers][-1] == "declined"
    assert ok(c.get(f"/rounds/{rid}/activity-responses", headers=world.other_company)) == []


def test_an_answer_about_another_companys_visit_is_refused_and_stores_nothing(world):
    c, b = world.client, world.bureau
    rid = activity_world(world)
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    theirs = next(a for a in published["activities"] if a["company"] == "C2")
    body = answer(theirs, "declined")
    response = c.post(f"/rounds/{rid}/activity-responses", headers=world.company, json=body)
    assert response.status_code == 422
    assert "requester" in response.text and theirs["requester"] in response.text
    assert ok(c.get(f"/rounds/{rid}/activity-responses", headers=b)) == []
    assert [j["kind"] for j in ok(c.get(f"/rounds/{rid}/jobs", headers=b))] == ["solve"]
    bad = {**body, "offer": "EX1", "daypart": "evening"}
    response = c.post(f"/rounds/{rid}/activity-responses", headers=world.company, json=bad)
    assert response.status_code == 422 and "daypart" in response.text


def test_a_pupil_repair_keeps_the_published_activities(world):
    c, b = world.client, world.bureau
    rid = activity_world(world)
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    pupil = ok(c.get(f"/rounds/{rid}/assignments", headers=world.company))[0]["student"]
    decline = {"student": pupil, "status": "declined"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=decline), 201)
    job = ok(c.get(f"/rounds/{rid}/jobs", headers=b))[-1]
    assert (job["kind"], job["status"]) == ("repair", "succeeded"), job
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert repaired["activities"] == published["activities"]
    # Kept, not re-planned to the same result by chance.
    assert repaired["stats"]["activities"]["method"] == "around 3 kept activities"


def test_a_repair_plan_keeps_what_was_not_declined():
    document = activity_round(classes=[klass("K1"), klass("K2")], offers=[offer("O1"), offer("O2")])
    base = {
        "activities": [
            {"requester": "K1", "offer": "O1", "date": "2027-03-02", "daypart": "pm"},
            {"requester": "K1", "offer": "O1", "date": "2027-03-09", "daypart": "pm"},
            {"requester": "K2", "offer": "O1", "date": "2027-03-09", "daypart": "am"},
            {"requester": "K1", "offer": "O2", "date": "2027-03-16", "daypart": "pm"},
        ]
    }
    decline = {"requester": "K1", "offer": "O1", "date": "2027-03-02", "daypart": "pm"}
    job = plan(document, base, activity_declines=[decline])
    # Not this class at O1 (both its visits there go), and not that daypart; the rest stays.
    assert job.kept_activities == (
        ("K2", "O1", "2027-03-09", "am"),
        ("K1", "O2", "2027-03-16", "pm"),
    )
    assert job.document["offers"][0]["declined"] == [
        {"requester": "K1", "date": "2027-03-02", "daypart": "pm"}
    ]
    assert "declined" not in document["offers"][0]  # the stored document is not touched
    assert plan(document, base).kept_activities == tuple(key(a) for a in base["activities"])


def test_a_second_repair_still_honours_the_first_decline(world, engine):
    c, b = world.client, world.bureau
    rid = activity_world(world)
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    first = next(a for a in published["activities"] if a["company"] == "C1")
    body = answer(first, "declined")
    ok(c.post(f"/rounds/{rid}/activity-responses", headers=world.company, json=body), 201)
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    moved = next(
        a
        for a in ok(c.get(f"/rounds/{rid}/published", headers=b))["activities"]
        if a["requester"] == first["requester"]
    )
    assert moved["offer"] == "EX2"
    # Now the other company declines the class too: neither offer may host it any more.
    body = answer(moved, "declined")
    ok(c.post(f"/rounds/{rid}/activity-responses", headers=world.other_company, json=body), 201)
    job = ok(c.get(f"/rounds/{rid}/jobs", headers=b))[-1]
    assert (job["kind"], job["status"]) == ("repair", "succeeded"), job
    again = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert not any(a["requester"] == first["requester"] for a in again["activities"])
    [entry] = [u for u in again["unplanned"] if u["requester"] == first["requester"]]
    assert entry["reason"] == "NO_OFFER" and "declined at EX1, EX2" in entry["detail"]
    with Session(engine) as session:
        version = session.get(SolutionVersion, again["version"]["id"])
        assert verify(parse_round(version.round_document), version.solution) == []
