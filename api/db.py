"""Engine and sessions, and the schema brought up to date by the Alembic migrations.

The schema is never created with `metadata.create_all` outside tests of the migration itself:
`create_db` runs `alembic upgrade head`, so a laptop's SQLite file and a production PostgreSQL
database go through the very same revisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).with_name("migrations")


class Stored(Protocol):
    """A table row: its id is `None` until the database has given it one."""

    id: int | None


def saved_id(row: Stored) -> int:
    """The id of a row the database has stored.

    Table models type `id` optional only because a new row has none before its flush; code that
    holds a row read or flushed relies on the id being there, and says so by asking here.
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it is not stored yet")
    return row.id


Row = TypeVar("Row")


def row_of(session: Session, table: type[Row], row_id: object) -> Row | None:
    """`session.get` for a table picked at run time among several (a party's, an upload's).

    SQLAlchemy's stubs type `get` so that a union of tables comes back as their common base
    class, losing the columns; through this signature the union stays a union.
    """
    return session.get(table, row_id)


def stored_or_built(
    session: Session, find: Callable[[], Row | None], build: Callable[[], Row]
) -> Row:
    """The row `find` reads, else the one `build` adds (committed here). A request that built
    it first meanwhile wins the unique key; its row is the same, and is read instead."""
    found = find()
    if found is not None:
        return found
    try:
        found = build()
        session.commit()
    except IntegrityError:
        session.rollback()
        found = find()
        assert found is not None
    return found


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite gets WAL and a busy timeout for the worker process.

    A solve runs in another process that writes its progress while the API reads, so SQLite
    must let readers and one writer overlap (WAL) and wait for a lock instead of failing.
    """
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            cursor = connection.cursor()
            if ":memory:" not in database_url and database_url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that migrates `engine` without any alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def create_db(engine: Engine) -> None:
    """Bring the schema of `engine`'s database to the newest revision."""
    command.upgrade(alembic_config(engine), "head")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
