"""Fixtures of the page tests: the API's test world (tests/api/api_world.py) on SQLite, and
clients signed in through the sign-in page as each role."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.db import make_engine
from api.settings import Settings

# The API tests' world factory (tests/api/api_world.py) builds the region the pages show.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from web_helpers import Browser


@pytest.fixture
def web_settings(sqlite_template: Path, tmp_path: Path) -> Settings:
    path = tmp_path / "stagebureau.db"
    shutil.copyfile(sqlite_template, path)
    return Settings(
        database_url=f"sqlite:///{path}",
        redis_url=None,
        solve_time_limit=10.0,
        solve_deterministic=True,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )


@pytest.fixture
def web_client(web_settings: Settings) -> Iterator[TestClient]:
    """The app with jobs run inline (a solve finishes inside the request that starts it)."""
    from api.app import create_app

    with TestClient(create_app(web_settings, runner="inline")) as client:
        yield client


@pytest.fixture
def web_world(web_client: TestClient, web_settings: Settings):
    from api_world import build_world

    engine = make_engine(web_settings.database_url)
    try:
        yield build_world(web_client, engine)
    finally:
        engine.dispose()


@pytest.fixture
def as_role(web_client: TestClient, web_world):
    """`as_role("company")` -> a Browser signed in as that user of the world."""

    def sign_in(role: str) -> Browser:
        email = {
            "bureau": "bureau@testregio.nl",
            "school": "school@testregio.nl",
            "company": "company@testregio.nl",
            "other_company": "other_company@testregio.nl",
        }[role]
        return Browser(web_client.app, email)

    return sign_in
