"""The bureau's to-do at region size (issue 14): a publication's unplaced pupils are counted
from its index and its unanswered items are read only past the answer deadline; the items are
those the publications hold."""

from __future__ import annotations

from collections import Counter

from api_world import ok


def publish(world, name: str, deadline: str) -> int:
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": name}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b, json={"answer_deadline": deadline}))
    return rid


def test_the_bureaus_todo_counts_unplaced_and_overdue_companies_of_each_publication(world):
    c, b = world.client, world.bureau
    waiting, late = publish(world, "r1", "2099-01-31"), publish(world, "r2", "2020-01-31")
    todo = ok(c.get("/todo", headers=b))
    for rid in (waiting, late):
        published = ok(c.get(f"/rounds/{rid}/published", headers=b))
        unplaced = [i for i in todo if i["kind"] == "unplaced" and i["link"].endswith(f"/{rid}")]
        assert [i["count"] for i in unplaced] == ([len(published["unassigned"])]
                                                 if published["unassigned"] else [])  # fmt: skip
    assert any(i["kind"] == "unplaced" for i in todo)  # the world leaves pupils unplaced
    overdue = [i for i in todo if i["kind"] == "overdue"]
    assert {i["link"] for i in overdue} == {f"/app/bureau/rounds/{late}"}  # not the waiting one
    owed = Counter(
        a["company"] for a in ok(c.get(f"/rounds/{late}/published", headers=b))["assignments"]
    )
    assert {i["detail"]["company"]: i["count"] for i in overdue} == dict(owed)
