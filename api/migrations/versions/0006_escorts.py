"""escorts for excursions: the region's escort ratio, a teacher's escort flag

Revision ID: 0006_escorts
Revises: 0006_dated_periods
Create Date: 2026-11-30 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_escorts"
down_revision: str | None = "0006_dated_periods"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escort_ratio", sa.Integer(), nullable=True))
    with op.batch_alter_table("teacher", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("escort", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("teacher", schema=None) as batch_op:
        batch_op.drop_column("escort")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_column("escort_ratio")
