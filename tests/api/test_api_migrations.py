"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from api import models  # noqa: F401


def test_migrated_schema_matches_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_reason_details_migration_drops_the_old_index_for_a_rebuild(tmp_path):
    """0008_reason_details adds `version_pupil.said` and drops every version's index rows:
    rows without the structured detail would show none; `version_index.summary` rebuilds a
    version's index at its first view."""
    from alembic import command
    from sqlalchemy import create_engine, inspect, text

    from api.db import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")  # foreign keys not enforced
    command.upgrade(alembic_config(engine), "0007_addresses")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO version_summary (version_id, status, students, placements, placed, "
                "unplaced, activities, requesters, coverage, load, facets, taken, offer) "
                "VALUES (1, 'OPTIMAL', 1, 1, 0, 1, 0, 0, '[]', '[]', '{}', '{}', '{}')"
            )
        )
        connection.execute(text(
            "INSERT INTO version_pupil (version_id, student, school, profile, placed, company, "
            "placement, period, reason, detail, record) VALUES (1, 'st1', 'S1', 'PIE', 0, '', "
            "'', '', 'TOO_FAR', 'placements admit the pupil, but none within 45 min by bike', "
            "'{}')"
        ))  # fmt: skip
    command.upgrade(alembic_config(engine), "0008_reason_details")
    with engine.connect() as connection:
        for table in ("version_summary", "version_pupil"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    assert "said" in {c["name"] for c in inspect(engine).get_columns("version_pupil")}
    command.downgrade(alembic_config(engine), "0007_addresses")
    assert "said" not in {c["name"] for c in inspect(engine).get_columns("version_pupil")}
    engine.dispose()


def test_activity_details_migration_keeps_the_dashboards_for_their_details_later(tmp_path):
    """0008_activity_details adds `version_dashboard.unplanned` and keeps every row (its counts
    and the advice the bureau asked for): NULL there means "not derived yet", and
    `dashboard_index.read` derives a version's shortfalls at its next view."""
    from alembic import command
    from sqlalchemy import create_engine, inspect, text

    from api.db import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")  # foreign keys not enforced
    command.upgrade(alembic_config(engine), "0008_reason_details")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO version_dashboard (version_id, schools, activities, offer_kinds, "
            "months, cofinancing, advice) VALUES (1, '[]', '{}', '{}', '[]', '{}', "
            "'{\"seats\": []}')"
        ))  # fmt: skip
    command.upgrade(alembic_config(engine), "0008_activity_details")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT advice, unplanned FROM version_dashboard")).one()
    assert tuple(row) == ('{"seats": []}', None)
    command.downgrade(alembic_config(engine), "0008_reason_details")
    assert "unplanned" not in {c["name"] for c in inspect(engine).get_columns("version_dashboard")}
    engine.dispose()
