"""Fixtures shared by the API and the page tests, and the hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import make_url, text

from api.db import create_db, make_engine

# CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci) draws the same examples on every run, so a landing
# is decided by the code, not by the luck of a draw; a developer's run explores new examples
# and keeps any failure it finds in the local example database.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def worker_database(url: str, worker: str) -> str:
    """The PostgreSQL database of one pytest-xdist worker, created on first use.

    Tests empty every table before they start, so two workers on one database would empty
    each other's tables mid-test; each worker takes `<database>_<worker>` on the same server.
    """
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


# Before any test module reads DATABASE_URL: `make test` runs the suite on pytest-xdist workers.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and os.environ.get("DATABASE_URL", "").startswith("postgresql"):
    os.environ["DATABASE_URL"] = worker_database(os.environ["DATABASE_URL"], _WORKER)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; each test gets a copy (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "stagebureau.db"
    engine = make_engine(f"sqlite:///{path}")
    create_db(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path
