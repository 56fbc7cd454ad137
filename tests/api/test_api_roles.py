"""The role matrix: every endpoint of the OpenAPI document, tried anonymously and as every role.

An allowed role gets anything but 401/403 (and never a 5xx); a role that may not use the
endpoint gets 403, an anonymous caller 401. Endpoints are tried on records of the school and
company the users belong to, so "own" scopes count as allowed. A new endpoint missing from
ALLOWED fails the test, so the matrix cannot fall behind the API.
"""

from __future__ import annotations

import pytest
from api_world import ok

B, S, C = "bureau", "school", "company"
PUBLIC = "public"  # no login needed
ALL = {B, S, C}
SCHOOL_DATA = {B, S}
COMPANY_DATA = {B, C}


def crud(path: str, read: set, create: set, write: set, delete: set) -> dict[str, set]:
    return {
        f"GET /{path}": read,
        f"POST /{path}": create,
        f"GET /{path}/{{record_id}}": read,
        f"PATCH /{path}/{{record_id}}": write,
        f"DELETE /{path}/{{record_id}}": delete,
    }


ALLOWED: dict[str, set] = {
    "POST /login/access-token": {PUBLIC},
    "POST /logout": ALL,
    "GET /users/me": ALL,
    "GET /users": {B},
    "POST /users": {B},
    "GET /region": ALL,
    "PATCH /region": {B},
    **crud("schools", ALL, {B}, {B, S}, {B}),
    **crud("pupils", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    **crud("classes", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    **crud("teachers", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    **crud("electives", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    **crud("elective-requests", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    **crud("pupil-pairs", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    **crud("companies", ALL, {B}, COMPANY_DATA, {B}),
    **crud("placements", ALL, COMPANY_DATA, COMPANY_DATA, COMPANY_DATA),
    **crud("offers", ALL, COMPANY_DATA, COMPANY_DATA, COMPANY_DATA),
    "GET /rounds": ALL,
    "POST /rounds": {B},
    "GET /rounds/{round_id}": ALL,
    "POST /rounds/{round_id}/solve": {B},
    "POST /rounds/{round_id}/advice": {B},
    "GET /rounds/{round_id}/advice": {B},
    "GET /rounds/{round_id}/jobs": {B},
    "GET /jobs/{job_id}": {B},
    "POST /jobs/{job_id}/cancel": {B},
    "GET /rounds/{round_id}/versions": {B},
    "GET /rounds/{round_id}/proposal": {B},
    "GET /rounds/{round_id}/published": {B},
    "GET /rounds/{round_id}/pins": {B},
    "POST /rounds/{round_id}/pins": {B},
    "DELETE /rounds/{round_id}/pins/{pin_id}": {B},
    "POST /rounds/{round_id}/resolve": {B},
    "POST /rounds/{round_id}/publish": {B},
    "GET /rounds/{round_id}/assignments": ALL,
    "POST /rounds/{round_id}/responses": {C, B},
    "POST /rounds/{round_id}/responses/confirm-all": {C},
    "GET /rounds/{round_id}/responses": COMPANY_DATA,
    "POST /rounds/{round_id}/activity-responses": {C, B},
    "GET /rounds/{round_id}/unanswered": {B},
    "GET /declines": ALL,
    "DELETE /declines/{decline_id}": {B},
    "GET /rounds/{round_id}/activity-responses": COMPANY_DATA,
    "POST /rounds/{round_id}/repair": {B},
    "POST /company-stops": {B},
    "GET /company-stops": ALL,
    "DELETE /company-stops/{stop_id}": {B},
    "POST /rounds/{round_id}/stop-repair": {B},
    "GET /rounds/{round_id}/stop-moves": ALL,
    "POST /uploads/pupils": SCHOOL_DATA,
    "POST /uploads/capacity": COMPANY_DATA,
    "GET /timetables/{school_id}": SCHOOL_DATA,
    "PUT /timetables/{school_id}": SCHOOL_DATA,
    "GET /rounds/{round_id}/export/round.json": {B},
    "GET /rounds/{round_id}/export/solution.json": {B},
    "GET /rounds/{round_id}/export/schools/{school_id}.{fmt}": SCHOOL_DATA,
    "GET /rounds/{round_id}/export/companies/{company_id}.{fmt}": COMPANY_DATA,
    "GET /rounds/{round_id}/calendar/{kind}/{party_id}.ics": COMPANY_DATA,
    "POST /calendar-feeds": ALL,
    "POST /calendar-feeds/{feed_id}/rotate": ALL,
    "DELETE /calendar-feeds/{feed_id}": ALL,
    "GET /feeds/{token}.ics": {PUBLIC},
    "GET /rounds/{round_id}/cofinancing": COMPANY_DATA,
    "GET /audit": {B},
    "GET /pupils/{pupil_id}/export": SCHOOL_DATA,
    "POST /pupils/{pupil_id}/erase": SCHOOL_DATA,
    "GET /schools/{school_id}/sources": SCHOOL_DATA,
    "POST /schools/{school_id}/sources": SCHOOL_DATA,
    "GET /sources/{source_id}": SCHOOL_DATA,
    "PATCH /sources/{source_id}": SCHOOL_DATA,
    "DELETE /sources/{source_id}": SCHOOL_DATA,
    "POST /schools/{school_id}/sources/import": SCHOOL_DATA,
    "POST /schools/{school_id}/timetables/ical": SCHOOL_DATA,
    "POST /schools/{school_id}/edexml": SCHOOL_DATA,
    "GET /rounds/{round_id}/timetable-clashes": {B},
    "POST /rounds/{round_id}/repair-timetables": {B},
    **crud("events", ALL, {B}, {B}, {B}),
    **crud("event-sessions", ALL, COMPANY_DATA, COMPANY_DATA, COMPANY_DATA),
    **crud("event-requests", SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA, SCHOOL_DATA),
    "POST /events/{event_id}/uploads/requests": SCHOOL_DATA,
    "GET /events/{event_id}/outcome": ALL,
    "GET /events/{event_id}/programme.ics": ALL,
    "GET /events/{event_id}/programme.{fmt}": ALL,
    "GET /users/me/notifications": ALL,
    "PATCH /users/me/notifications": ALL,
    "GET /todo": ALL,
    "GET /feedback/items": ALL,
    "POST /feedback": {C, S},
    "PATCH /feedback/{feedback_id}": {C, S},
    "GET /feedback": ALL,
    "GET /feedback/overview": ALL,
    "GET /feedback/overview.{fmt}": ALL,
    "POST /pupil-feedback": {S},
    "PATCH /pupil-feedback/{feedback_id}": {S},
    "GET /pupil-feedback": {S},
    "POST /menu/generate": {B},
    "POST /menu/publish": {B},
    "GET /menu/items": ALL,
    "GET /menu/items/{item_id}": ALL,
    "PATCH /menu/items/{item_id}": {B},
    "POST /menu/items/{item_id}/sign-ups": COMPANY_DATA,
    "GET /menu/sign-ups": COMPANY_DATA,
    "DELETE /menu/sign-ups/{sign_up_id}": COMPANY_DATA,
    "GET /menu/report.{fmt}": {B},
    "GET /requests": SCHOOL_DATA,
    "POST /requests": SCHOOL_DATA,
    "GET /requests/{record_id}": SCHOOL_DATA,
    "PATCH /requests/{record_id}": SCHOOL_DATA,
    **{
        f"POST /requests/{{record_id}}/{step}": SCHOOL_DATA
        for step in ("submit", "approve", "return", "withdraw", "done")
    },
    "GET /rounds/{round_id}/request-overview": SCHOOL_DATA,
    "GET /agreements": ALL,
    "GET /agreements/{agreement_id}": ALL,
    "PATCH /agreements/{agreement_id}": {S, C},
    "POST /agreements/{agreement_id}/signatures": {S, C},
    "GET /agreements/{agreement_id}/pdf": ALL,
    "GET /pupils/{pupil_id}/birth-date": {S},
    "PUT /pupils/{pupil_id}/birth-date": {S},
    "DELETE /pupils/{pupil_id}/birth-date": {S},
    "POST /uploads/pupils/preview": SCHOOL_DATA,
    "POST /uploads/teachers": SCHOOL_DATA,
    "POST /uploads/teachers/preview": SCHOOL_DATA,
}

RECORD_OF = {
    "schools": "S1", "pupils": "st1", "companies": "C1", "placements": "PL1",
}  # fmt: skip


def endpoints(client) -> list[str]:
    spec = client.get("/openapi.json").json()
    return [f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops]


def concrete(path: str, ids: dict[str, int]) -> str:
    collection = path.split("/")[1]
    record = ids.get(RECORD_OF.get(collection, ""), ids.get(f"own_{collection}", 1))
    return (
        path.replace("{record_id}", str(record))
        .replace("{round_id}", str(ids["round"]))
        .replace("{job_id}", str(ids["job"]))
        .replace("{pin_id}", str(ids["pin"]))
        .replace("{feed_id}", str(ids["feed"]))
        .replace("{decline_id}", "1")
        .replace("{stop_id}", "1")
        .replace("{source_id}", "1")
        .replace("{school_id}", str(ids["S1"]))
        .replace("{company_id}", str(ids["C1"]))
        .replace("{pupil_id}", str(ids["st1"]))
        .replace("{event_id}", "1")
        .replace("{feedback_id}", "1")
        .replace("{item_id}", "1")
        .replace("{sign_up_id}", "1")
        .replace("{kind}/{party_id}", f"company/{ids['C1']}")
        .replace("{fmt}", "csv")
        .replace("{token}", "no-such-token")
        .replace("{agreement_id}", str(ids.get("agreement", 1)))
    )


def own_records(world) -> dict[str, int]:
    """A record of every school- and company-owned kind, belonging to S1 or C1."""
    c, s, k = world.client, world.school, world.company
    ids = dict(world.ids)
    ids["own_classes"] = ok(
        c.post("/classes", headers=s, json={"code": "K1", "year": 3, "size": 20}), 201
    )["id"]
    ids["own_teachers"] = ok(
        c.post("/teachers", headers=s, json={"code": "T1", "name": "Jan"}), 201
    )["id"]
    ids["own_electives"] = ok(
        c.post("/electives", headers=s, json={"code": "E1", "slot": "tue-pm", "capacity": 10}), 201
    )["id"]
    ids["own_elective-requests"] = ok(
        c.post("/elective-requests", headers=s, json={"pupil_id": ids["st1"], "choices": ["E1"]}),
        201,
    )["id"]
    pair = {"kind": "together", "pupil_a_id": ids["st1"], "pupil_b_id": ids["st2"]}
    ids["own_pupil-pairs"] = ok(c.post("/pupil-pairs", headers=s, json=pair), 201)["id"]
    offer = {"code": "O1", "kind": "excursion"}
    ids["own_offers"] = ok(c.post("/offers", headers=k, json=offer), 201)["id"]
    feed = {"kind": "company", "party_id": ids["C1"]}
    ids["feed"] = ok(c.post("/calendar-feeds", headers=k, json=feed), 201)["id"]
    b = world.bureau
    region = ok(c.get("/region", headers=b))
    calendar = {"start": "2027-01-11", "end": "2027-06-25"}
    ok(c.patch("/region", headers=b, json={"version": region["version"], "calendar": calendar}))
    ids["round"] = ok(c.post("/rounds", headers=b, json={"name": "matrix"}), 201)["id"]
    ids["job"] = ok(c.post(f"/rounds/{ids['round']}/solve", headers=b), 202)["id"]
    ok(c.post(f"/rounds/{ids['round']}/publish", headers=b))
    pin = {"student": "st1", "placement": "PL1", "period": "P3"}
    ids["pin"] = ok(c.post(f"/rounds/{ids['round']}/pins", headers=b, json=pin), 201)["id"]
    requests_round = ok(c.post("/rounds", headers=b, json={"name": "requests"}), 201)["id"]
    request = {"pupil_id": ids["st1"], "round_id": requests_round}
    ids["own_requests"] = ok(c.post("/requests", headers=s, json=request), 201)["id"]
    # A confirmed placement of C1 opens an agreement for the agreement endpoints to find.
    at_c1 = ok(c.get(f"/rounds/{ids['round']}/assignments", headers=k))
    confirm = {"student": at_c1[0]["student"], "status": "confirmed"}
    ok(c.post(f"/rounds/{ids['round']}/responses", headers=k, json=confirm), 201)
    ids["agreement"] = ok(c.get("/agreements", headers=k))[0]["id"]
    return ids


def test_every_endpoint_is_in_the_matrix(client):
    assert sorted(set(endpoints(client)) - set(ALLOWED)) == []
    assert sorted(set(ALLOWED) - set(endpoints(client))) == []


@pytest.mark.parametrize("role", [None, C, S, B])
def test_role_matrix(world, role):
    ids = own_records(world)
    headers = world.as_role(role)
    wrong = []
    # Destructive endpoints last, so every other one still finds its records; logout at the end.
    ordered = sorted(
        endpoints(world.client),
        key=lambda e: (e == "POST /logout", e.startswith("DELETE") or "erase" in e),
    )
    for endpoint in ordered:
        method, path = endpoint.split(" ", 1)
        kwargs = {"json": {}} if method in ("POST", "PATCH", "PUT") else {}
        if "uploads" in path:
            kwargs = {"files": {"file": ("empty.csv", b"")}}
        response = world.client.request(method, concrete(path, ids), headers=headers, **kwargs)
        allowed = ALLOWED[endpoint]
        if response.status_code >= 500:
            wrong.append(f"{endpoint}: {response.status_code}")
        elif PUBLIC in allowed or (role is not None and role in allowed):
            if response.status_code in (401, 403):
                wrong.append(f"{endpoint} as {role}: {response.status_code}, expected allowed")
        elif role is None:
            if response.status_code != 401:
                wrong.append(f"{endpoint} anonymous: {response.status_code}, expected 401")
        elif response.status_code != 403:
            wrong.append(f"{endpoint} as {role}: {response.status_code}, expected 403")
    assert wrong == []
