"""Database fixtures: every API test runs on a fresh SQLite file and, when DATABASE_URL points
at PostgreSQL (as in CI), on a freshly emptied PostgreSQL schema too."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from api import models  # noqa: F401  (all tables on the metadata)
from api.db import create_db, make_engine

POSTGRES_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """PostgreSQL with the schema dropped and migrated afresh, once per session."""
    if not POSTGRES_URL.startswith("postgresql"):
        pytest.skip("PostgreSQL run needs DATABASE_URL=postgresql+psycopg://... (CI sets it)")
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL at {engine.url.render_as_string()} unreachable: {error}")
    create_db(engine)
    engine.dispose()
    return POSTGRES_URL


def _empty_postgres(url: str) -> None:
    """Every table emptied and its ids restarted, the schema and its migration kept.

    DELETE, children first, rather than TRUNCATE: on the few rows a test leaves, TRUNCATE's new
    files per table cost over a second a test, DELETE a few milliseconds.
    """
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(text(f'DELETE FROM "{table.name}"'))
        sequences = connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        ).scalars()
        for sequence in list(sequences):
            connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "stagebureau.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_migrated")
        _empty_postgres(url)
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str):
    from api.settings import Settings

    # Cheap argon2 parameters: the tests log in dozens of times, security is not at stake.
    return Settings(
        database_url=database_url,
        redis_url=None,
        solve_time_limit=10.0,
        solve_deterministic=True,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )


def _client(settings, runner: str):
    from fastapi.testclient import TestClient

    from api.app import create_app

    return TestClient(create_app(settings, runner=runner))


@pytest.fixture
def client(settings) -> Iterator:
    """A client of an app whose jobs run inline (fast; the same `execute_job` as workers)."""
    with _client(settings, "inline") as test_client:
        yield test_client


@pytest.fixture
def process_client(settings) -> Iterator:
    """A client of an app whose jobs run in child processes, as `stagebureau serve` does."""
    with _client(settings, "local") as test_client:
        yield test_client


@pytest.fixture
def world(client, engine):
    from api_world import build_world

    return build_world(client, engine)


@pytest.fixture
def process_world(process_client, engine):
    from api_world import build_world

    return build_world(process_client, engine)
