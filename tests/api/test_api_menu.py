"""The menu of demand (issue 16): items counted from the classes' and teachers' demand, edited
and published by the bureau, companies signing up (each sign-up an offer the planner uses),
withdrawing, and every role seeing only its part."""

from __future__ import annotations

import pytest
from api_world import MARCH, World, ok
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.models import MenuSignUp, User
from api.services.menu import menu_items_open

YEAR = {"start": "2027-01-11", "end": "2027-06-25", "holidays": [], "min_gap_days": 0}


def set_calendar(world: World, calendar: dict) -> None:
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    ok(c.patch("/region", headers=b, json={"version": region["version"], "calendar": calendar}))


def add_class(world: World, headers: dict, code: str, profile: str, demand: dict, free: list):
    body = {"code": code, "year": 3, "size": 20, "profile": profile, "free": free,
            "demand": demand}  # fmt: skip
    return ok(world.client.post("/classes", headers=headers, json=body), 201)


def by_kind(items: list[dict]) -> dict[tuple, dict]:
    return {(i["kind"], i["profile"], i["window_start"]): i for i in items}


def published_world(world: World) -> dict:
    """March 2027, classes K1 and K2 at S1 and K3 at S2 (PIE, one excursion each, free on
    Tuesday afternoons): one item, published."""
    set_calendar(world, MARCH)
    for headers, code in ((world.school, "K1"), (world.school, "K2"), (world.other_school, "K3")):
        add_class(world, headers, code, "PIE", {"excursion": 1}, ["tue-pm"])
    (item,) = ok(world.client.post("/menu/generate", headers=world.bureau))
    ok(world.client.post("/menu/publish", headers=world.bureau))
    return item


def test_generation_counts_the_demand_per_kind_profile_and_window(world: World) -> None:
    c, b = world.client, world.bureau
    set_calendar(world, YEAR)
    add_class(world, world.school, "K1", "PIE", {"excursion": 2}, ["tue-pm"])
    add_class(world, world.school, "K2", "PIE", {"excursion": 1, "guest_lesson": 1}, ["tue-pm"])
    add_class(world, world.school, "K3", "BWI", {"excursion": 1},
              ["2027-03-09/pm", "2027-04-13/am"])  # fmt: skip
    k4 = add_class(world, world.other_school, "K4", "PIE", {"excursion": 1}, ["thu-am"])
    for headers, code in ((world.school, "T1"), (world.other_school, "T2")):
        body = {"code": code, "name": "Docent", "sectors": ["energie"],
                "demand": {"teacher_internship": 1}}  # fmt: skip
        ok(c.post("/teachers", headers=headers, json=body), 201)

    items = by_kind(ok(c.post("/menu/generate", headers=b)))
    assert len(items) == 4
    pie = items[("excursion", "PIE", "2027-01-11")]
    assert (pie["requesters"], pie["activities"], pie["schools"]) == (3, 4, 2)
    assert (
        pie["title"] == "3 klassen PIE zoeken een bedrijfsbezoek in de sector energie, januari–juni"
    )
    assert (pie["wanted"], pie["sectors"], pie["status"]) == (4, ["energie"], "draft")
    bwi = items[("excursion", "BWI", "2027-03-01")]
    assert (bwi["window_end"], bwi["requesters"], bwi["sectors"]) == ("2027-04-30", 1, ["bouw"])
    lesson = items[("guest_lesson", "PIE", "2027-01-11")]
    assert lesson["title"].startswith("1 klas PIE zoekt een gastles")
    teachers = items[("teacher_internship", None, "2027-01-11")]
    assert (teachers["requesters"], teachers["schools"], teachers["sectors"]) == (2, 2, ["energie"])

    # The bureau's words stay through a new generation; the counts follow the demand.
    edit = {"version": pie["version"], "title": "Bedrijfsbezoek energie", "wanted": 6}
    ok(c.patch(f"/menu/items/{pie['id']}", headers=b, json=edit))
    stale = c.patch(f"/menu/items/{pie['id']}", headers=b, json={**edit, "title": "Oud"})
    assert stale.status_code == 409
    body = {"version": k4["version"], "demand": {"excursion": 3}}
    ok(c.patch(f"/classes/{k4['id']}", headers=world.other_school, json=body))
    again = by_kind(ok(c.post("/menu/generate", headers=b)))
    assert len(again) == 4
    pie = again[("excursion", "PIE", "2027-01-11")]
    assert (pie["title"], pie["wanted"], pie["activities"]) == ("Bedrijfsbezoek energie", 6, 6)
    assert pie["code"] == items[("excursion", "PIE", "2027-01-11")]["code"]


def test_a_sign_up_becomes_an_offer_the_planner_uses(world: World) -> None:
    c, b, k = world.client, world.bureau, world.company
    item = published_world(world)
    body = {"dayparts": ["tue-pm"], "max_group_size": 25}
    signed = ok(c.post(f"/menu/items/{item['id']}/sign-ups", headers=k, json=body), 201)
    assert signed["capacity"] == 2  # two school Tuesdays in the window
    offer = ok(c.get(f"/offers/{signed['offer_id']}", headers=k))
    assert offer["code"] == f"{item['code']}-C1"
    assert (offer["kind"], offer["profiles"], offer["sectors"]) == (
        "excursion",
        ["PIE"],
        ["energie"],
    )
    assert offer["available"] == ["2027-03-02/pm", "2027-03-09/pm"]
    assert offer["max_group_size"] == 25
    read = ok(c.get(f"/menu/items/{item['id']}", headers=world.school))
    assert (read["capacity"], read["sign_ups"]) == (2, 1)
    audit = ok(c.get("/audit", headers=b, params={"limit": 500}))
    actions = {(e["action"], e["entity"]) for e in audit}
    assert {("sign_up", "menu_sign_up"), ("create", "offer"), ("publish", "menu_item")} <= actions

    rid = ok(c.post("/rounds", headers=b, json={"name": "maart"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    solution = ok(c.get(f"/rounds/{rid}/export/solution.json", headers=b))
    planned = [a for a in solution["activities"] if a["offer"] == offer["code"]]
    assert len(planned) == 2  # one class per Tuesday afternoon: the third stays unplanned
    assert sum(u["missing"] for u in solution["unplanned"]) == 1

    refused = c.delete(f"/menu/sign-ups/{signed['id']}", headers=k)
    assert refused.status_code == 409 and "maart" in refused.text
    assert ok(c.get(f"/offers/{signed['offer_id']}", headers=k))["id"] == signed["offer_id"]


def test_duplicates_and_bad_dayparts_are_refused_and_change_nothing(world: World, engine) -> None:
    c, k = world.client, world.company
    item = published_world(world)
    url = f"/menu/items/{item['id']}/sign-ups"
    outside = c.post(url, headers=k, json={"dayparts": ["tue-pm", "2027-04-06/pm"]})
    assert outside.status_code == 422
    assert outside.json()["detail"][0]["loc"] == ["body", "dayparts", "1"]
    weekend = c.post(url, headers=k, json={"dayparts": ["2027-03-06/am"]})
    assert weekend.status_code == 422 and "not a school day" in weekend.text
    assert ok(c.get("/offers", headers=k)) == []

    first = ok(c.post(url, headers=k, json={"dayparts": ["2027-03-02/pm"]}), 201)
    with Session(engine) as session:  # two racing sign-ups: the database keeps one standing
        stored = session.get(MenuSignUp, first["id"])
        assert stored is not None
        twin_row = MenuSignUp(**stored.model_dump(exclude={"id"}))
        session.add(twin_row)
        with pytest.raises(IntegrityError):
            session.flush()
    again = c.post(url, headers=k, json={"dayparts": ["2027-03-09/pm"]})
    assert again.status_code == 409
    assert again.json()["detail"][0]["loc"] == ["body", "company_id"]
    # The same offer by hand is a duplicate by the offers' own rule: the sign-up is refused.
    hand = {"code": "HAND", "kind": "excursion", "available": ["2027-03-09/pm"]}
    ok(c.post("/offers", headers=world.other_company, json=hand), 201)
    twin = c.post(url, headers=world.other_company, json={"dayparts": ["2027-03-09/pm"]})
    assert twin.status_code == 409 and "HAND" in twin.text
    assert [s["id"] for s in ok(c.get("/menu/sign-ups", headers=world.bureau))] == [first["id"]]

    withdrawn = ok(c.delete(f"/menu/sign-ups/{first['id']}", headers=k))
    assert withdrawn["withdrawn_at"] is not None and withdrawn["offer_id"] is None
    assert c.get(f"/offers/{first['offer_id']}", headers=k).status_code == 404
    assert c.delete(f"/menu/sign-ups/{first['id']}", headers=k).status_code == 409
    again = ok(c.post(url, headers=k, json={"dayparts": ["2027-03-02/pm"]}), 201)
    # An offer deleted by hand takes its sign-up along: the company may sign up anew.
    offer = ok(c.get(f"/offers/{again['offer_id']}", headers=k))
    ok(c.delete(f"/offers/{offer['id']}", headers=k, params={"version": offer["version"]}), 204)
    assert ok(c.get("/menu/sign-ups", headers=k)) == []
    ok(c.post(url, headers=k, json={"dayparts": ["2027-03-02/pm"]}), 201)


def test_each_role_sees_only_its_part(world: World, engine) -> None:
    c, b, k = world.client, world.bureau, world.company
    no_year = c.post("/menu/generate", headers=b)
    assert no_year.status_code == 422 and no_year.json()["detail"][0]["loc"] == ["body", "calendar"]
    set_calendar(world, MARCH)
    add_class(world, world.school, "K1", "PIE", {"excursion": 1}, ["tue-pm"])
    (draft,) = ok(c.post("/menu/generate", headers=b))
    assert ok(c.get("/menu/items", headers=k)) == []
    assert c.get(f"/menu/items/{draft['id']}", headers=world.school).status_code == 404
    assert c.post(f"/menu/items/{draft['id']}/sign-ups", headers=k,
                  json={"dayparts": ["tue-pm"]}).status_code == 404  # fmt: skip
    ok(c.post("/menu/publish", headers=b))
    seen = c.get("/menu/items", headers=world.school)
    assert [i["id"] for i in seen.json()] == [draft["id"]]
    assert "Vmbo" not in seen.text and "K1" not in seen.text  # counts, no school or class

    signed = ok(c.post(f"/menu/items/{draft['id']}/sign-ups", headers=k,
                       json={"dayparts": ["tue-pm"]}), 201)  # fmt: skip
    other = world.other_company
    assert ok(c.get("/menu/sign-ups", headers=other)) == []
    assert c.delete(f"/menu/sign-ups/{signed['id']}", headers=other).status_code == 404
    assert c.get("/menu/sign-ups", headers=world.school).status_code == 403
    assert c.get("/menu/report.csv", headers=k).status_code == 403
    foreign = c.post(f"/menu/items/{draft['id']}/sign-ups", headers=other,
                     json={"company_id": world.ids["C1"], "dayparts": ["tue-pm"]})  # fmt: skip
    assert foreign.status_code == 403

    stored = ok(c.get(f"/menu/items/{draft['id']}", headers=b))
    more = {"version": stored["version"], "wanted": 5}  # C1's 2 groups leave 3 to offer
    ok(c.patch(f"/menu/items/{draft['id']}", headers=b, json=more))
    with Session(engine) as session:
        users = {u.email.split("@")[0]: u for u in session.exec(select(User))}
        assert menu_items_open(session, users["bureau"]) == []  # C1 took the only item
        assert [i.code for i in menu_items_open(session, users["other_company"])] == [draft["code"]]
        assert menu_items_open(session, users["company"]) == []
        assert menu_items_open(session, users["school"]) == []
    # The same on the to-do lists: the other company is asked to sign up, the bureau is not.
    lines = {i["kind"]: i for i in ok(c.get("/todo", headers=other))}
    assert (lines["menu_company"]["count"], lines["menu_company"]["link"]) == (
        1,
        "/app/company/menu",
    )
    assert "menu_bureau" not in {i["kind"] for i in ok(c.get("/todo", headers=b))}


def test_report_puts_the_items_nobody_took_first(world: World) -> None:
    c, b = world.client, world.bureau
    set_calendar(world, MARCH)
    add_class(world, world.school, "K1", "PIE", {"excursion": 1}, ["tue-pm"])
    add_class(world, world.school, "K2", "BWI", {"excursion": 1}, ["tue-pm"])
    items = ok(c.post("/menu/generate", headers=b))
    ok(c.post("/menu/publish", headers=b))
    pie = next(i for i in items if i["profile"] == "PIE")
    body = {"company_id": world.ids["C1"], "dayparts": ["tue-pm"]}
    ok(c.post(f"/menu/items/{pie['id']}/sign-ups", headers=b, json=body), 201)
    csv = c.get("/menu/report.csv", headers=b)
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("item;title;status")
    assert ";BWI;" in lines[1] and ";PIE;" in lines[2]
    assert "Bedrijf C1 (C1, 2)" in lines[2]
    xlsx = c.get("/menu/report.xlsx", headers=b)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
