"""Audit trail, pupil export and erasure, timetables, calendar feeds and log-in."""

from __future__ import annotations

from api_world import ok
from sqlmodel import Session, select

from api.models import AuditEntry


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
    assert "home" not in next(s for s in document["students"] if s["id"] == "st2")
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
