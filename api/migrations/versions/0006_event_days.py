"""event days: events, their company sessions and the pupils' session choices (problem D)

Revision ID: 0006_event_days
Revises: 0006_school_system_sources
Create Date: 2026-11-30 19:46:44.790191
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_event_days"
down_revision: str | None = "0006_school_system_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("start_time", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("round_minutes", sa.Integer(), nullable=True),
        sa.Column("changeover_minutes", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_id", "code"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_region_id"), ["region_id"], unique=False)

    op.create_table(
        "event_request",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("distinct_sectors", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pupil_id", "event_id"),
    )
    with op.batch_alter_table("event_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_request_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_request_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_request_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_request_school_id"), ["school_id"], unique=False)

    op.create_table(
        "event_session",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.JSON(), nullable=True),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("profiles", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_id", "code"),
    )
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_session_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_session_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_event_session_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_session_region_id"), ["region_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_session_region_id"))
        batch_op.drop_index(batch_op.f("ix_event_session_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_session_company_id"))
        batch_op.drop_index(batch_op.f("ix_event_session_code"))

    op.drop_table("event_session")
    with op.batch_alter_table("event_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_request_school_id"))
        batch_op.drop_index(batch_op.f("ix_event_request_region_id"))
        batch_op.drop_index(batch_op.f("ix_event_request_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_event_request_event_id"))

    op.drop_table("event_request")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_region_id"))
        batch_op.drop_index(batch_op.f("ix_event_code"))

    op.drop_table("event")
