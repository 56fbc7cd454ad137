"""Feedback after every activity: a company and a school answer each item once it took place,
change their answer by version, read what their scope allows; pupils' answers, filled in by
their school, reach others only added up over five pupils; the bureau reads it all per company
and kind, and a pupil's answers leave with the pupil."""

from __future__ import annotations

from api_world import ok
from feedback_world import CLASS_PUPILS, feedback_world, is_past
from sqlmodel import Session, select

from api.models import User
from api.services.feedback import PUPIL_THRESHOLD, feedback_to_give


def item_of(items: list[dict], kind: str, company: str | None = None) -> dict:
    return next(i for i in items if i["kind"] == kind and company in (None, i["company"]))


def form(item: dict, **answers) -> dict:
    return {"round_id": item["round_id"], "kind": item["kind"], "item": item["item"], **answers}


def locs(response) -> list[str]:
    return [problem["loc"][-1] for problem in response.json()["detail"]]


def test_each_party_answers_an_item_once_it_took_place_and_changes_it_by_version(world):
    c, b = world.client, world.bureau
    feedback_world(world)
    # The to-do hook: a company owes its visit and its event sessions, the bureau nothing.
    with Session(c.app.state.engine) as session:
        users = {u.email.split("@")[0]: u for u in session.exec(select(User)).all()}
        owed = {(i.kind, i.company) for i in feedback_to_give(session, users["company"])}
        assert owed == {("excursion", "C1"), ("event_session", "C1")}
        assert feedback_to_give(session, users["bureau"]) == []
    items = ok(c.get("/feedback/items", headers=world.company))
    visit = item_of(items, "excursion")
    assert visit["company"] == "C1" and visit["schools"] == ["S1"] and is_past(visit["date"])
    todo = ok(c.get("/feedback/items?todo=true", headers=world.company))
    assert visit in todo and all(i["kind"] != "placement" for i in todo)  # P3 is a month ahead
    # The company's to-do list asks for it, one line per kind, with the feedback page's link.
    lines = {i["kind"]: i for i in ok(c.get("/todo", headers=world.company))}
    assert lines["feedback_excursion"]["count"] == 1
    assert lines["feedback_excursion"]["link"] == "/app/company/feedback"
    assert "feedback_event_session" in lines and "feedback_placement" not in lines

    # Bad input names the field and stores nothing.
    refused = c.post("/feedback", headers=world.company, json=form(visit, score=6, again="yes"))
    assert refused.status_code == 422 and locs(refused) == ["score"]
    refused = c.post("/feedback", headers=world.company, json=form(visit, score=4, again="ja"))
    assert refused.status_code == 422 and locs(refused) == ["again"]
    level = form(visit, score=4, again="yes", level_ok=True)
    refused = c.post("/feedback", headers=world.company, json=level)
    assert refused.status_code == 422 and locs(refused) == ["level_ok"]
    long = form(visit, score=4, again="yes", remark="x" * 301)
    assert locs(c.post("/feedback", headers=world.company, json=long)) == ["remark"]
    assert ok(c.get("/feedback", headers=b)) == []

    # Not before the day after: the placement period is still to come.
    placement = item_of(items, "placement")
    early = c.post("/feedback", headers=world.company, json=form(placement, score=5, again="yes"))
    assert early.status_code == 409
    assert f"placement of {placement['student']} at C1 takes place on" in early.json()["detail"]

    # Another company's or school's item is none of yours.
    theirs = item_of(ok(c.get("/feedback/items", headers=world.other_company)), "excursion")
    assert theirs not in items
    stranger = c.post("/feedback", headers=world.company, json=form(theirs, score=1, again="no"))
    assert stranger.status_code == 422 and locs(stranger) == ["item"]

    mine = ok(
        c.post(
            "/feedback",
            headers=world.company,
            json=form(visit, score=4, again="maybe", remark="Leuke groep, wel druk"),
        ),
        201,
    )
    assert (mine["party"], mine["company"], mine["school"], mine["version"]) == (
        "company", "C1", None, 1
    )  # fmt: skip
    again = c.post("/feedback", headers=world.company, json=form(visit, score=2, again="no"))
    assert again.status_code == 409 and f"PATCH /feedback/{mine['id']}" in again.json()["detail"]
    changed = ok(
        c.patch(f"/feedback/{mine['id']}", headers=world.company, json={"version": 1, "score": 5})
    )
    assert (changed["score"], changed["again"], changed["version"]) == (5, "maybe", 2)
    stale = c.patch(f"/feedback/{mine['id']}", headers=world.company, json={"version": 1})
    assert stale.status_code == 409 and "stale version" in stale.json()["detail"]
    null_score = {"version": 2, "score": None}
    null = c.patch(f"/feedback/{mine['id']}", headers=world.company, json=null_score)
    assert null.status_code == 422 and locs(null) == ["score"]
    assert c.patch(f"/feedback/{mine['id']}", headers=world.other_company,
                   json={"version": 2, "score": 1}).status_code == 404  # fmt: skip
    assert visit not in ok(c.get("/feedback/items?todo=true", headers=world.company))

    school = ok(
        c.post(
            "/feedback",
            headers=world.school,
            json=form(visit, score=3, again="no", level_ok=False, remark="Te moeilijk voor kb"),
        ),
        201,
    )
    assert (school["party"], school["school"], school["level_ok"]) == ("school", "S1", False)
    assert c.post("/feedback", headers=world.other_school,
                  json=form(visit, score=3, again="no")).status_code == 422  # fmt: skip

    # Each side reads the other's scores about its own items, a remark only its writer and the
    # bureau; the other company and school read none of it.
    seen_by_company = {f["party"]: f for f in ok(c.get("/feedback", headers=world.company))}
    assert seen_by_company["school"]["score"] == 3 and seen_by_company["school"]["remark"] is None
    assert seen_by_company["company"]["remark"] == "Leuke groep, wel druk"
    seen_by_school = {f["party"]: f for f in ok(c.get("/feedback", headers=world.school))}
    assert seen_by_school["company"]["score"] == 5 and seen_by_school["company"]["remark"] is None
    assert ok(c.get("/feedback", headers=world.other_company)) == []
    assert ok(c.get("/feedback", headers=world.other_school)) == []
    remarks = {f["remark"] for f in ok(c.get("/feedback", headers=b))}
    assert remarks == {"Leuke groep, wel druk", "Te moeilijk voor kb"}

    trail = ok(c.get("/audit?entity=feedback", headers=b))
    assert [(e["action"], e["entity_id"]) for e in reversed(trail)] == [
        ("create", str(mine["id"])), ("update", str(mine["id"])), ("create", str(school["id"]))
    ]  # fmt: skip
    assert trail[1]["before"]["score"] == 4 and trail[1]["after"]["score"] == 5


def test_pupils_count_from_five_and_the_bureau_reads_it_per_company_and_kind(world):
    c, b = world.client, world.bureau
    feedback_world(world)
    items = ok(c.get("/feedback/items", headers=world.school))
    visit, session = item_of(items, "excursion"), item_of(items, "event_session", "C1")
    assert visit["requester"] == "K1" and session["event"] == "EV1"

    def pupil(item: dict, code: str, learned: int = 4, **extra) -> object:
        body = {**form(item, pupil=code, learned=learned, interesting=5, recommend=True), **extra}
        return c.post("/pupil-feedback", headers=world.school, json=body)

    assert locs(pupil(visit, "st1")) == ["pupil"]  # not in class K1
    assert locs(pupil(visit, "st4")) == ["pupil"]  # another school's pupil
    assert locs(pupil(visit, CLASS_PUPILS[0], learned=0)) == ["learned"]
    assert c.post("/pupil-feedback", headers=world.company,
                  json=form(visit, pupil="st6", learned=3, interesting=3,
                            recommend=True)).status_code == 403  # fmt: skip
    for code in CLASS_PUPILS[: PUPIL_THRESHOLD - 1]:
        assert pupil(visit, code).status_code == 201
    assert pupil(visit, CLASS_PUPILS[0]).status_code == 409
    ok(pupil(session, "st1", learned=2, recommend=False), 201)  # st1 attended SE1

    def row(headers: dict, kind: str = "excursion", company: str = "C1") -> dict:
        rows = ok(c.get("/feedback/overview", headers=headers))["rows"]
        return next(r for r in rows if (r["kind"], r["company"]) == (kind, company))

    # Four pupils: the count, no figures, for the company and the bureau alike.
    hidden = {"answers": 4, "mean_learned": None, "mean_interesting": None, "recommend_share": None}
    assert row(world.company)["pupils"] == hidden
    assert row(b)["pupils"]["mean_learned"] is None
    ok(pupil(visit, CLASS_PUPILS[PUPIL_THRESHOLD - 1], learned=2, recommend=False), 201)
    pupils = row(world.company)["pupils"]
    assert pupils == {"answers": 5, "mean_learned": 3.6, "mean_interesting": 5.0,
                      "recommend_share": 0.8}  # fmt: skip
    assert len(ok(c.get("/pupil-feedback", headers=world.school))) == 6
    assert ok(c.get("/pupil-feedback", headers=world.other_school)) == []

    # Both sides of the visit, and a school that would not go to C2's session again.
    ok(c.post("/feedback", headers=world.company, json=form(visit, score=4, again="yes")), 201)
    ok(c.post("/feedback", headers=world.school,
              json=form(visit, score=2, again="yes", level_ok=True)), 201)  # fmt: skip
    robots = item_of(items, "event_session", "C2")
    for headers, score, again in ((world.school, 1, "no"), (world.other_school, 4, "yes")):
        ok(c.post("/feedback", headers=headers, json=form(robots, score=score, again=again)), 201)
    overview = ok(c.get("/feedback/overview", headers=b))
    visits = row(b)
    assert visits["company_side"] == {"answers": 1, "mean_score": 4.0, "again_share": 1.0,
                                      "level_ok_share": None}  # fmt: skip
    assert visits["school_side"] == {"answers": 1, "mean_score": 2.0, "again_share": 1.0,
                                     "level_ok_share": 1.0}  # fmt: skip
    sessions = row(b, "event_session", "C2")["school_side"]
    assert (sessions["answers"], sessions["mean_score"], sessions["again_share"]) == (2, 2.5, 0.5)
    assert [(n["item"], n["company_again"], n["school_again"]) for n in overview["said_no"]] == [
        (robots["item"], None, ["no", "yes"])
    ]
    assert [r["company"] for r in ok(c.get("/feedback/overview", headers=world.company))["rows"]] \
        == ["C1", "C1"]  # fmt: skip
    mine = ok(c.get("/feedback/overview", headers=world.other_school))
    assert [(r["company"], r["kind"]) for r in mine["rows"]] == [("C2", "event_session")]

    table = c.get("/feedback/overview.csv", headers=b)
    lines = table.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("company;company_name;kind;company_answers;company_mean_score")
    assert "C1;Bedrijf C1;excursion;1;4.0;1.0;1;2.0;1.0;1.0;5;3.6;5.0;0.8" in lines
    assert c.get("/feedback/overview.xlsx", headers=b).content[:2] == b"PK"

    # A pupil's answers go with the pupil; its export lists them first.
    erased = world.ids[CLASS_PUPILS[0]]
    exported = ok(c.get(f"/pupils/{erased}/export", headers=world.school))
    assert [f["learned"] for f in exported["feedback"]] == [4]
    ok(c.post(f"/pupils/{erased}/erase", headers=world.school))
    assert len(ok(c.get("/pupil-feedback", headers=world.school))) == 5
    assert row(b)["pupils"]["mean_learned"] is None  # four left: below the threshold again
    gone = ok(c.get("/audit?entity=pupil_feedback", headers=b))
    assert gone[0]["action"] == "delete"
