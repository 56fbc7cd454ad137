"""Update bodies obey the rules of create: an explicit `null` for a field that must have a value
is 422 naming the field, and nothing is stored (issue 11: such a null used to be stored, after
which listing the records and opening a round answered 500 for everyone)."""

from __future__ import annotations

import pytest
from api_world import MARCH, World, ok


def elective_request_id(world: World) -> int:
    """An elective request of pupil st1 at school S1."""
    c, s = world.client, world.school
    ok(c.post("/electives", headers=s, json={"code": "E1", "slot": "mon-am", "capacity": 5}), 201)
    body = {"pupil_id": world.ids["st1"], "choices": ["E1"]}
    return ok(c.post("/elective-requests", headers=s, json=body), 201)["id"]


def class_id(world: World) -> int:
    """Class K1 at school S1, in a region with a school year (a round with classes needs one)."""
    region = ok(world.client.get("/region", headers=world.bureau))
    calendar = {"version": region["version"], "calendar": MARCH}
    ok(world.client.patch("/region", headers=world.bureau, json=calendar))
    body = {"code": "K1", "year": 3, "size": 20, "free": ["tue-pm"]}
    return ok(world.client.post("/classes", headers=world.school, json=body), 201)["id"]


# (collection, field, who changes it): the cases issue 11 found answering 500.
NULLED_FIELDS = [
    ("companies", "sectors", "bureau"),
    ("classes", "free", "school"),
    ("pupils", "year", "school"),
    ("pupils", "first_name", "school"),
    ("pupils", "priority", "bureau"),
    ("pupils", "accept_unranked", "school"),
    ("pupils", "preferences", "school"),
    ("elective-requests", "choices", "school"),
]


def record_url(world: World, collection: str) -> str:
    ids = {
        "companies": lambda: world.ids["C1"],
        "classes": lambda: class_id(world),
        "pupils": lambda: world.ids["st1"],
        "elective-requests": lambda: elective_request_id(world),
    }
    return f"/{collection}/{ids[collection]()}"


@pytest.mark.parametrize(("collection", "field", "role"), NULLED_FIELDS)
def test_null_for_a_required_field_is_refused_and_nothing_is_stored(
    world: World, collection: str, field: str, role: str
) -> None:
    c, headers = world.client, world.as_role(role)
    url = record_url(world, collection)
    stored = ok(c.get(url, headers=headers))
    response = c.patch(url, headers=headers, json={"version": stored["version"], field: None})
    assert response.status_code == 422, response.text
    assert ["body", field] in [e["loc"] for e in response.json()["detail"]]
    assert ok(c.get(url, headers=headers)) == stored
    ok(c.get(f"/{collection}", headers=headers))
    ok(c.post("/rounds", headers=world.bureau, json={"name": "after the refused null"}), 201)


def test_null_region_name_is_refused(world: World) -> None:
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    response = c.patch("/region", headers=b, json={"version": region["version"], "name": None})
    assert response.status_code == 422, response.text
    assert ["body", "name"] in [e["loc"] for e in response.json()["detail"]]
    assert ok(c.get("/region", headers=b)) == region


def test_a_valid_update_still_applies(world: World) -> None:
    url = f"/pupils/{world.ids['st1']}"
    pupil = ok(world.client.get(url, headers=world.school))
    body = {"version": pupil["version"], "year": 4, "preferences": ["PL2"]}
    changed = ok(world.client.patch(url, headers=world.school, json=body))
    assert (changed["year"], changed["preferences"], changed["version"]) == (
        4,
        ["PL2"],
        pupil["version"] + 1,
    )
