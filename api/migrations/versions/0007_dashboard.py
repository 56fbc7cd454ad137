"""the bureau's dashboard: per solution version its schools, activities, hours and advice
(issue 14)

Revision ID: 0007_dashboard
Revises: 0007_intake_drafts
Create Date: 2026-12-01 00:30:00.000000

Versions stored before this migration get their dashboard at their first view
(`api.dashboard_index.read`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_dashboard"
down_revision: str | None = "0007_intake_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "version_dashboard",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("schools", sa.JSON(), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("offer_kinds", sa.JSON(), nullable=False),
        sa.Column("months", sa.JSON(), nullable=False),
        sa.Column("cofinancing", sa.JSON(), nullable=False),
        sa.Column("advice", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["version_id"], ["solution_version.id"]),
        sa.PrimaryKeyConstraint("version_id"),
    )


def downgrade() -> None:
    op.drop_table("version_dashboard")
