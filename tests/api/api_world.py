"""Factories for API tests: a small region with one user of every role, built over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.models import Role
from api.provision import create_region, create_user

PASSWORD = "correct horse battery"
LAT, LON = 52.22, 6.89  # Enschede
KM = 0.009


def login(client: TestClient, email: str) -> dict[str, str]:
    response = client.post("/login/access-token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json() if response.content else None


@dataclass
class World:
    """A region with two schools, two companies and a user of each; ids of what was made."""

    client: TestClient
    bureau: dict[str, str]
    school: dict[str, str] = field(default_factory=dict)  # user of school S1
    other_school: dict[str, str] = field(default_factory=dict)  # user of school S2
    company: dict[str, str] = field(default_factory=dict)  # user of company C1
    other_company: dict[str, str] = field(default_factory=dict)  # user of company C2
    ids: dict[str, int] = field(default_factory=dict)
    region_id: int = 0

    def as_role(self, role: str | None) -> dict[str, str]:
        return {
            None: {},
            "bureau": self.bureau,
            "school": self.school,
            "company": self.company,
        }[role]


def build_world(client: TestClient, engine: Engine, region: str = "Testregio") -> World:
    region_id = create_region(engine, region, plan_budget_eur=100_000)
    slug = region.lower().replace(" ", "")
    create_user(
        engine, email=f"bureau@{slug}.nl", password=PASSWORD, role=Role.bureau, region=region
    )
    world = World(client, login(client, f"bureau@{slug}.nl"), region_id=region_id)
    b = world.bureau
    for code, dlat in (("S1", 0.0), ("S2", 3 * KM)):
        school = ok(
            client.post(
                "/schools",
                headers=b,
                json={"code": code, "name": f"Vmbo {code}", "lat": LAT + dlat, "lon": LON,
                      "periods": ["P3"]},
            ),
            201,
        )  # fmt: skip
        world.ids[code] = school["id"]
    for code, dlat in (("C1", 1 * KM), ("C2", 2 * KM)):
        company = ok(
            client.post(
                "/companies",
                headers=b,
                json={"code": code, "name": f"Bedrijf {code}", "lat": LAT + dlat, "lon": LON,
                      "sectors": ["energie"]},
            ),
            201,
        )  # fmt: skip
        world.ids[code] = company["id"]
    users = {
        "school": ("school", "S1"),
        "other_school": ("school", "S2"),
        "company": ("company", "C1"),
        "other_company": ("company", "C2"),
    }
    for attr, (role, code) in users.items():
        email = f"{attr}@{slug}.nl"
        body = {"email": email, "password": PASSWORD, "role": role, "region_id": region_id}
        body[f"{role}_id"] = world.ids[code]
        ok(client.post("/users", headers=b, json=body), 201)
        setattr(world, attr, login(client, email))
    # Capacity entered by the companies themselves.
    for headers, code, seats in ((world.company, "PL1", 2), (world.other_company, "PL2", 1)):
        placement = ok(
            client.post(
                "/placements",
                headers=headers,
                json={"code": code, "capacity": {"P3": seats}, "profiles": ["PIE"]},
            ),
            201,
        )
        world.ids[code] = placement["id"]
    # Pupils entered by their schools: 3 at S1, 2 at S2, for 3 seats.
    pupils = {"school": ["st1", "st2", "st3"], "other_school": ["st4", "st5"]}
    for attr, codes in pupils.items():
        for i, code in enumerate(codes):
            pupil = ok(
                client.post(
                    "/pupils",
                    headers=getattr(world, attr),
                    json={"code": code, "first_name": f"Kind{code}", "profile": "PIE",
                          "track": "kb", "year": 3, "preferences": ["PL1", "PL2"][: i + 1]},
                ),
                201,
            )  # fmt: skip
            world.ids[code] = pupil["id"]
    return world


# Two school weeks of March 2027.
MARCH = {"start": "2027-03-01", "end": "2027-03-12", "holidays": [], "min_gap_days": 0}


def activity_world(world: World) -> int:
    """The world's region with a calendar, classes K1, K2 at S1 and K3 at S2, each wanting
    one excursion, and an excursion offer at each company; a round solved and published."""
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    ok(c.patch("/region", headers=b, json={"version": region["version"], "calendar": MARCH}))
    for headers, code, size in (
        (world.school, "K1", 20),
        (world.school, "K2", 22),
        (world.other_school, "K3", 18),
    ):
        body = {"code": code, "year": 3, "size": size, "free": ["tue-pm"],
                "demand": {"excursion": 1}}  # fmt: skip
        ok(c.post("/classes", headers=headers, json=body), 201)
    for headers, code in ((world.company, "EX1"), (world.other_company, "EX2")):
        body = {"code": code, "kind": "excursion", "available": ["tue-pm"]}
        ok(c.post("/offers", headers=headers, json=body), 201)
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    return rid


def wait_for_job(client: TestClient, headers: dict[str, str], job: dict, timeout: float = 60.0):
    """Poll a job until it ends; returns the final job."""
    import time

    deadline = time.monotonic() + timeout
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"job still {job['status']}: {job}"
        time.sleep(0.1)
        job = ok(client.get(f"/jobs/{job['id']}", headers=headers))
    return job
