"""the dashboard index keeps each class's and teacher's shortfall with its detail as a key
with parameters

Revision ID: 0008_activity_details
Revises: 0008_reason_details
Create Date: 2026-12-01 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_activity_details"
down_revision: str | None = "0008_reason_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows keep their counts and advice; NULL means "not derived yet", and
    # `api.dashboard_index.read` derives a version's shortfalls at its next view.
    with op.batch_alter_table("version_dashboard", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unplanned", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("version_dashboard", schema=None) as batch_op:
        batch_op.drop_column("unplanned")
