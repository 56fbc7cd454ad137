"""round page index: a summary and one row per pupil of each solution version (issue 14)

Revision ID: 0007_round_page_index
Revises: 0007_agreements
Create Date: 2026-11-30 23:40:00.000000

Versions stored before this migration get their index at their first view
(`api.version_index.summary`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_round_page_index"
down_revision: str | None = "0007_agreements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "version_summary",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("placements", sa.Integer(), nullable=False),
        sa.Column("placed", sa.Integer(), nullable=False),
        sa.Column("unplaced", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("requesters", sa.Integer(), nullable=False),
        sa.Column("coverage", sa.JSON(), nullable=False),
        sa.Column("load", sa.JSON(), nullable=False),
        sa.Column("facets", sa.JSON(), nullable=False),
        sa.Column("taken", sa.JSON(), nullable=False),
        sa.Column("offer", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["solution_version.id"]),
        sa.PrimaryKeyConstraint("version_id"),
    )
    op.create_table(
        "version_pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("student", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("profile", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("placed", sa.Boolean(), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("placement", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("travel_min", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["solution_version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("version_pupil", schema=None) as batch_op:
        batch_op.create_index(
            "ix_version_pupil_list", ["version_id", "placed", "student"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("version_pupil", schema=None) as batch_op:
        batch_op.drop_index("ix_version_pupil_list")
    op.drop_table("version_pupil")
    op.drop_table("version_summary")
