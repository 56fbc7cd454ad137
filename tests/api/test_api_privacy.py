"""Audit trail, pupil export and erasure, timetables, calendar feeds and log-in."""

from __future__ import annotations

from api_world import ok
from sqlmodel import Session, select

from api.models import (
    AssignmentPublic,
    AuditEntry,
    Job,
    JobKind,
    JobStatus,
    PupilMinimal,
    Round,
    SolutionVersion,
)


def test_pupil_export_holds_record_and_audit(world):
    data = ok(world.client.get(f"/pupils/{world.ids['st1']}/export", headers=world.school))
    assert data["pupil"]["first_name"] == "Kindst1"
    assert any(e["action"] == "create" for e in data["audit"])


def test_erase_pupil_scrubs_name_and_home_and_is_audited(world, engine):
    c, b = world.client, world.bureau
    pupil = ok(c.get(f"/pupils/{world.ids['st2']}", headers=world.school))
    ok(c.patch(f"/pupils/{pupil['id']}", headers=world.school,
               json={"version": pupil["version"], "home_lat": 52.2, "home_lon": 6.9}))  # fmt: skip
    pair = {"kind": "apart", "pupil_a_id": world.ids["st1"], "pupil_b_id": pupil["id"]}
    pair_id = ok(c.post("/pupil-pairs", headers=world.school, json=pair), 201)["id"]
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    result = ok(c.post(f"/pupils/{pupil['id']}/erase", headers=world.school))
    assert result["erased"] == "st2" and result["documents_scrubbed"] == 1
    assert c.get(f"/pupils/{pupil['id']}", headers=world.school).status_code == 404
    document = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    erased = next(s for s in document["students"] if s["id"].startswith("erased-"))
    assert "home" not in erased and "st2" not in [s["id"] for s in document["students"]]
    with Session(engine) as session:
        entries = session.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "pupil", AuditEntry.entity_id == str(pupil["id"])
            )
        ).all()
    assert all("Kindst2" not in str(e.before) + str(e.after) for e in entries)
    assert any(e.action == "erase" for e in entries)
    # Its apart rule with st1 went with it, audited, and st1's school no longer lists it.
    with Session(engine) as session:
        gone = session.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "pupil_pair", AuditEntry.entity_id == str(pair_id)
            )
        ).all()
    assert [e.action for e in gone] == ["create", "delete"]
    assert gone[-1].before["pupil_b_id"] == pupil["id"]
    assert ok(c.get("/pupil-pairs", headers=world.school)) == []


def test_audit_lists_writes_for_the_bureau_only(world):
    entries = ok(world.client.get("/audit", headers=world.bureau, params={"entity": "pupil"}))
    assert len(entries) == 5 and all(e["action"] == "create" for e in entries)
    assert world.client.get("/audit", headers=world.school).status_code == 403


def test_timetable_write_with_stale_entry_conflicts(world):
    c, s = world.client, world.school
    ok(c.post("/classes", headers=s, json={"code": "K1", "year": 3, "size": 20}), 201)
    table = ok(c.get(f"/timetables/{world.ids['S1']}", headers=s))
    table["entries"][0]["free"] = ["tue-pm"]
    written = ok(c.put(f"/timetables/{world.ids['S1']}", headers=s, json=table))
    assert written["entries"][0]["free"] == ["tue-pm"]
    assert c.put(f"/timetables/{world.ids['S1']}", headers=s, json=table).status_code == 409
    assert c.get(f"/timetables/{world.ids['S2']}", headers=s).status_code == 403


def test_calendar_feed_url_works_without_login(world):
    c = world.client
    rid = ok(c.post("/rounds", headers=world.bureau, json={"name": "r1"}), 201)["id"]
    ok(c.post(f"/rounds/{rid}/solve", headers=world.bureau), 202)
    ok(c.post(f"/rounds/{rid}/publish", headers=world.bureau))
    feed = ok(c.post("/calendar-feeds", headers=world.company,
                     json={"kind": "company", "party_id": world.ids["C1"]}), 201)  # fmt: skip
    path = feed["url"].split("://", 1)[1].split("/", 1)[1]
    response = c.get("/" + path)
    assert response.status_code == 200 and response.text.startswith("BEGIN:VCALENDAR")
    assert c.get("/feeds/wrong-token.ics").status_code == 404


def test_company_cannot_make_a_feed_of_another_company(world):
    body = {"kind": "company", "party_id": world.ids["C2"]}
    assert world.client.post("/calendar-feeds", headers=world.company, json=body).status_code == 403


def test_login_with_wrong_password_is_refused(world):
    response = world.client.post(
        "/login/access-token", data={"username": "bureau@testregio.nl", "password": "nope"}
    )
    assert response.status_code == 400


def test_company_reading_other_company_is_not_found(world):
    response = world.client.get(f"/companies/{world.ids['C2']}", headers=world.company)
    assert response.status_code == 404


def answered_world(world) -> tuple[int, dict]:
    """Pupil st2 (home set, high priority) in an apart pair with st1, pinned to its published
    seat, then declined by that seat's company: a repair proposal, not yet published, follows.
    Returns the round id and st2's record."""
    c, b = world.client, world.bureau
    pupil = ok(c.get(f"/pupils/{world.ids['st2']}", headers=world.school))
    body = {"version": pupil["version"], "home_lat": 52.2, "home_lon": 6.9, "priority": 50}
    pupil = ok(c.patch(f"/pupils/{pupil['id']}", headers=world.school, json=body))
    pair = {"kind": "apart", "pupil_a_id": world.ids["st1"], "pupil_b_id": pupil["id"]}
    ok(c.post("/pupil-pairs", headers=world.school, json=pair), 201)
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    seat = next(a for a in ok(c.get(f"/rounds/{rid}/published", headers=b))["assignments"]
                if a["student"] == "st2")  # fmt: skip
    pin = {"student": "st2", "placement": seat["placement"], "period": seat["period"]}
    ok(c.post(f"/rounds/{rid}/pins", headers=b, json=pin), 201)
    company = world.company if seat["company"] == "C1" else world.other_company
    decline = {"student": "st2", "status": "declined", "reason": "st2 is te jong"}
    ok(c.post(f"/rounds/{rid}/responses", headers=company, json=decline), 201)
    assert ok(c.get(f"/rounds/{rid}/jobs", headers=b))[-1]["status"] == "succeeded"
    return rid, pupil


def test_pupil_export_holds_pairs_answers_proposals_and_every_audit_entry(world):
    _, pupil = answered_world(world)
    data = ok(world.client.get(f"/pupils/{pupil['id']}/export", headers=world.school))
    assert [(p["kind"], p["pupil_a_id"]) for p in data["pairs"]] == [("apart", world.ids["st1"])]
    assert [(a["student"], a["status"]) for a in data["company_answers"]] == [("st2", "declined")]
    assert [p["version"] for p in data["unpublished_proposals"]] == [3]  # the repair
    assert data["published_placements"][0]["student"] == "st2"
    kinds = {(e["entity"], e["action"]) for e in data["audit"]}
    assert {("pupil", "create"), ("pupil", "update"), ("pupil_pair", "create"),
            ("pin", "create"), ("pin", "delete"), ("assignment", "declined")} <= kinds  # fmt: skip
    # Nothing of another pupil: st1's own record entries are not st2's.
    assert not any(e["entity"] == "pupil" and e["entity_id"] != str(pupil["id"])
                   for e in data["audit"])  # fmt: skip


def stored_text(engine) -> list[str]:
    """Every stored value of every table, as text. Password and token hashes are left out:
    random base64 can hold any short code by chance."""
    from sqlalchemy import text as sql
    from sqlmodel import SQLModel

    values = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = [
                c.name for c in table.columns if c.name not in ("hashed_password", "token_hash")
            ]
            rows = connection.execute(sql(f'SELECT {", ".join(columns)} FROM "{table.name}"'))
            values += [f"{table.name}: {row}" for row in rows]
    return values


def test_erased_pupil_is_found_nowhere_and_solutions_keep_their_counts(world, engine):
    import re

    from scheduler.validation import parse_round
    from scheduler.verify import verify

    rid, pupil = answered_world(world)
    with Session(engine) as session:
        before = {v.id: v.solution for v in session.exec(select(SolutionVersion)).all()}
        for v in session.exec(select(SolutionVersion)).all():
            assert verify(parse_round(v.round_document), v.solution) == []
        # A repair refused because a pin of st2 could not hold names it in its message.
        refused = "what must stay cannot hold: pin st2"
        session.add(Job(region_id=world.region_id, round_id=rid, kind=JobKind.resolve,
                        status=JobStatus.failed, message=refused))  # fmt: skip
        session.commit()
    st2 = re.compile(r"(?<![A-Za-z0-9_.:-])st2(?![A-Za-z0-9_.:-])")
    assert any(st2.search(v) for v in stored_text(engine))
    ok(world.client.post(f"/pupils/{pupil['id']}/erase", headers=world.school))

    leaks = [v for v in stored_text(engine) if st2.search(v) or "Kindst2" in v]
    assert leaks == []
    with Session(engine) as session:
        versions = session.exec(select(SolutionVersion)).all()
        documents = [session.get(Round, rid).document] + [v.round_document for v in versions]
        tokens = {
            s["id"] for d in documents for s in d["students"] if s["id"].startswith("erased-")
        }
        assert len(tokens) == 1  # one token in every document, so they still agree
        token = tokens.pop()
        for document in documents:
            placeholder = next(s for s in document["students"] if s["id"] == token)
            assert set(placeholder) <= {"id", "school", "profile", "track", "year", "periods"}
            assert [token, "st1"] in [sorted(p) for p in document.get("apart", [])] or [
                "st1", token] in document.get("apart", [])  # fmt: skip
        for version in versions:
            old, new = before[version.id], version.solution
            for key in ("assignments", "unassigned"):
                assert len(new[key]) == len(old[key])
            assert new["objective"] == old["objective"]
            # Every rule still holds; only what the erased pupil's dropped wishes and home
            # priced (its rank, travel and cost, the objective totals, its reason) cannot be
            # recomputed any more.
            problems = verify(parse_round(version.round_document), new)
            assert all(token in p.record or p.record.startswith("objective.") for p in problems)
            assert {p.rule for p in problems} <= {"preference", "travel", "objective", "reason"}


def feed_path(feed: dict) -> str:
    return "/" + feed["url"].split("://", 1)[1].split("/", 1)[1]


def test_a_rotated_feed_has_a_new_url_and_the_old_one_is_dead(world, engine):
    c = world.client
    body = {"kind": "company", "party_id": world.ids["C1"]}
    feed = ok(c.post("/calendar-feeds", headers=world.company, json=body), 201)
    rotated = ok(c.post(f"/calendar-feeds/{feed['id']}/rotate", headers=world.company))
    assert rotated["id"] == feed["id"] and rotated["url"] != feed["url"]
    assert c.get(feed_path(feed)).status_code == 404
    assert c.get(feed_path(rotated)).status_code == 200
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "calendar_feed")).all()
    assert [e.action for e in entries] == ["create", "rotate"]
    token = feed_path(rotated).removeprefix("/feeds/").removesuffix(".ics")
    assert token not in str([(e.before, e.after) for e in entries])


def test_a_revoked_feed_answers_404(world):
    c = world.client
    body = {"kind": "company", "party_id": world.ids["C1"]}
    feed = ok(c.post("/calendar-feeds", headers=world.company, json=body), 201)
    assert c.delete(f"/calendar-feeds/{feed['id']}", headers=world.company).status_code == 204
    assert c.get(feed_path(feed)).status_code == 404
    assert c.delete(f"/calendar-feeds/{feed['id']}", headers=world.company).status_code == 404


def test_only_the_feeds_party_or_its_bureau_revokes_or_rotates_it(world):
    c = world.client
    body = {"kind": "company", "party_id": world.ids["C1"]}
    feed = ok(c.post("/calendar-feeds", headers=world.company, json=body), 201)
    for headers in (world.other_company, world.school, world.other_school):
        assert c.post(f"/calendar-feeds/{feed['id']}/rotate", headers=headers).status_code == 404
        assert c.delete(f"/calendar-feeds/{feed['id']}", headers=headers).status_code == 404
    assert c.get(feed_path(feed)).status_code == 200
    assert c.delete(f"/calendar-feeds/{feed['id']}", headers=world.bureau).status_code == 204


def test_a_company_sees_its_pupils_exactly_as_pupil_minimal_and_the_schema_says_so(world):
    """The privacy shape is the response model: a company's answer has exactly the fields of
    `PupilMinimal` (no home, track, wishes or travel time), and the OpenAPI document describes
    that shape next to the bureau's and a school's fuller one."""
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    minimal = set(PupilMinimal.model_fields)
    mine = ok(c.get(f"/rounds/{rid}/assignments", headers=world.company))
    assert mine and all(set(pupil) == minimal for pupil in mine)
    assert all(pupil["first_name"].startswith("Kind") for pupil in mine)
    every = ok(c.get(f"/rounds/{rid}/assignments", headers=b))
    assert every and all(set(a) == set(AssignmentPublic.model_fields) for a in every)

    document = ok(c.get("/openapi.json"))
    answer = document["paths"]["/rounds/{round_id}/assignments"]["get"]["responses"]["200"]
    shapes = answer["content"]["application/json"]["schema"]["anyOf"]
    named = {shape["items"]["$ref"].rsplit("/", 1)[-1] for shape in shapes}
    assert named == {"PupilMinimal", "AssignmentPublic"}
    schemas = document["components"]["schemas"]
    assert set(schemas["PupilMinimal"]["properties"]) == minimal


def test_a_feed_url_names_the_address_the_server_was_reached_by(world):
    """Not a fixed port: the request's own address, or `public_base_url` when the bureau set it."""
    c = world.client
    body = {"kind": "company", "party_id": world.ids["C1"]}
    headers = {**world.company, "host": "stage.regio-twente.nl"}
    feed = ok(c.post("/calendar-feeds", headers=headers, json=body), 201)
    assert feed["url"].startswith("http://stage.regio-twente.nl/feeds/")
    c.app.state.settings.public_base_url = "https://stagebureau.example.nl/"
    try:
        rotated = ok(c.post(f"/calendar-feeds/{feed['id']}/rotate", headers=world.company))
    finally:
        c.app.state.settings.public_base_url = None
    assert rotated["url"].startswith("https://stagebureau.example.nl/feeds/")
    assert c.get(feed_path(rotated)).status_code == 200
