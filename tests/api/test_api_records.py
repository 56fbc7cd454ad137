"""Data entry: scoping by role, versioned edits, and refusals that name the field."""

from __future__ import annotations

from api_world import ok
from sqlmodel import Session, func, select

from api.models import AuditEntry, Pupil


def test_school_lists_only_its_own_pupils(world):
    pupils = ok(world.client.get("/pupils", headers=world.school))
    assert sorted(p["code"] for p in pupils) == ["st1", "st2", "st3"]


def test_bureau_lists_every_pupil_of_its_region(world):
    pupils = ok(world.client.get("/pupils", headers=world.bureau))
    assert len(pupils) == 5


def test_read_pupil_of_other_school_is_not_found(world):
    response = world.client.get(f"/pupils/{world.ids['st4']}", headers=world.school)
    assert response.status_code == 404


def test_company_may_not_read_pupils(world):
    assert world.client.get("/pupils", headers=world.company).status_code == 403


def test_company_sees_only_its_own_placements(world):
    placements = ok(world.client.get("/placements", headers=world.company))
    assert [p["code"] for p in placements] == ["PL1"]


def test_anonymous_is_unauthorized(world):
    assert world.client.get("/pupils").status_code == 401


def test_update_pupil_with_stale_version_conflicts(world):
    url = f"/pupils/{world.ids['st1']}"
    pupil = ok(world.client.get(url, headers=world.school))
    ok(world.client.patch(url, headers=world.school, json={"version": pupil["version"], "year": 4}))
    stale = world.client.patch(
        url, headers=world.school, json={"version": pupil["version"], "year": 2}
    )
    assert stale.status_code == 409
    assert ok(world.client.get(url, headers=world.school))["year"] == 4


def test_create_pupil_with_bad_profile_names_the_field(world, engine):
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(Pupil)).one()
    response = world.client.post(
        "/pupils",
        headers=world.school,
        json={"code": "x1", "first_name": "Ann", "profile": "NOPE", "track": "kb", "year": 3},
    )
    assert response.status_code == 422
    assert any(e["loc"][-1] == "profile" for e in response.json()["detail"])
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Pupil)).one() == before


def test_create_pupil_with_unknown_wish_names_the_list_position(world):
    response = world.client.post(
        "/pupils",
        headers=world.school,
        json={"code": "x2", "first_name": "Ann", "profile": "PIE", "track": "kb", "year": 3,
              "preferences": ["PL1", "PL9"]},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "preferences", "1"]


def test_school_may_not_add_pupil_to_other_school(world):
    response = world.client.post(
        "/pupils",
        headers=world.school,
        json={"code": "x3", "first_name": "Ann", "profile": "PIE", "track": "kb", "year": 3,
              "school_id": world.ids["S2"]},
    )  # fmt: skip
    assert response.status_code == 403


def test_duplicate_code_conflicts(world):
    response = world.client.post(
        "/pupils",
        headers=world.school,
        json={"code": "st1", "first_name": "Ann", "profile": "PIE", "track": "kb", "year": 3},
    )
    assert response.status_code == 409


def test_every_write_is_audited_with_before_and_after(world, engine):
    url = f"/placements/{world.ids['PL1']}"
    placement = ok(world.client.get(url, headers=world.company))
    ok(
        world.client.patch(
            url, headers=world.company, json={"version": placement["version"], "title": "Lassen"}
        )
    )
    with Session(engine) as session:
        entry = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "placement", AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc())  # type: ignore[attr-defined]
        ).first()
    assert entry is not None
    assert entry.before["title"] == "" and entry.after["title"] == "Lassen"


def test_delete_with_stale_version_conflicts(world):
    url = f"/pupils/{world.ids['st3']}"
    assert world.client.delete(url, headers=world.school, params={"version": 7}).status_code == 409
    assert world.client.delete(url, headers=world.school, params={"version": 1}).status_code == 204
    assert world.client.get(url, headers=world.school).status_code == 404


def test_the_same_offer_twice_is_refused_naming_the_first(world):
    """A form sent twice must not let the planner book a company twice for one daypart."""
    c, k = world.client, world.company
    first = {"code": "EXC1", "kind": "excursion", "available": ["tue-pm", "2027-03-11/am"]}
    ok(c.post("/offers", headers=k, json=first), 201)
    again = {**first, "code": "EXC2", "available": ["2027-03-11/am", "tue-pm"]}
    refused = c.post("/offers", headers=k, json=again)
    assert refused.status_code == 409
    assert "EXC1" in str(refused.json()["detail"]) and "available" in str(refused.json())
    other_day = ok(c.post("/offers", headers=k, json={**again, "available": ["wed-am"]}), 201)
    lesson = {**first, "code": "GL1", "kind": "guest_lesson"}  # another kind may share dayparts
    ok(c.post("/offers", headers=k, json=lesson), 201)
    moved = c.patch(
        f"/offers/{other_day['id']}",
        headers=k,
        json={"version": other_day["version"], "available": first["available"]},
    )
    assert moved.status_code == 409
    codes = sorted(o["code"] for o in ok(c.get("/offers", headers=k)))
    assert codes == ["EXC1", "EXC2", "GL1"]
    assert ok(c.get(f"/offers/{other_day['id']}", headers=k))["available"] == ["wed-am"]
