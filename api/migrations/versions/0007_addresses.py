"""street addresses of schools and companies, for the LOCATION of calendar events

Revision ID: 0007_addresses
Revises: 0007_dashboard
Create Date: 2026-12-01 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_addresses"
down_revision: str | None = "0007_dashboard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("school", "company"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
            )


def downgrade() -> None:
    for table in ("company", "school"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("address")
