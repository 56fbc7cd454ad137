"""Alembic environment: migrates the engine `api.db.create_db` hands over, or DATABASE_URL.

Run by `create_db` (the engine arrives in `config.attributes`) and from the command line as
`alembic -c api/migrations/alembic.ini upgrade head`.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from api import models  # noqa: F401  (registers every table on SQLModel.metadata)
from api.db import make_engine
from api.settings import Settings

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = context.config.attributes.get("engine") or make_engine(Settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite alters tables by copying them: batch mode makes later revisions portable.
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
