"""Fixtures shared by the API and the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.db import create_db, make_engine


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
