"""Property-based fuzz of the OpenAPI document (schemathesis): no request gets a 5xx.

Runs as the bureau (the widest scope) on a seeded SQLite region; few examples per operation,
so the whole document is covered in seconds rather than exhaustively.
"""

from __future__ import annotations

import pytest
import schemathesis
from api_world import build_world
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from api.db import create_db, make_engine
from api.settings import Settings


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    engine = make_engine(url)
    create_db(engine)
    app_settings = Settings(database_url=url, redis_url=None, solve_time_limit=2.0,
                            argon2_time_cost=1, argon2_memory_kib=1024)  # fmt: skip
    app = create_app(app_settings, runner="inline")
    with TestClient(app) as client:
        world = build_world(client, engine, region="Fuzzregio")
        rid = client.post("/rounds", headers=world.bureau, json={"name": "fuzz"}).json()["id"]
        client.post(f"/rounds/{rid}/solve", headers=world.bureau)
        client.post(f"/rounds/{rid}/publish", headers=world.bureau)
    yield app, world.bureau
    engine.dispose()


def test_no_request_gets_a_server_error(fuzz_app):
    """Every operation, a few generated requests each (schemathesis' pytest plugin is not
    compatible with this pytest yet, so operations are driven with hypothesis directly)."""
    app, bureau = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    errors: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy())
        def call(case) -> None:
            if case.path == "/logout":  # would revoke the token every later call needs
                return
            # schemathesis makes up a bearer token from the security scheme: use a real one.
            case.headers = {**(case.headers or {}), **bureau}
            try:
                response = case.call()
            except Exception as error:  # an exception escaping the app is a 500 too
                errors.append(f"{case.method} {case.formatted_path}: {error!r}"[:300])
                return
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        call()
    assert errors == []
