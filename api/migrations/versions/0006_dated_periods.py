"""dated placement periods of a region, and a company's max_concurrent (SPEC section 8)

Revision ID: 0006_dated_periods
Revises: 0005
Create Date: 2026-11-30 20:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_dated_periods"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.add_column(sa.Column("periods", sa.JSON(), nullable=True))
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_concurrent", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_column("max_concurrent")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_column("periods")
