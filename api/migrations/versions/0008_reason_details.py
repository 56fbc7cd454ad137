"""the version index keeps each unplaced pupil's reason detail as a key with parameters

Revision ID: 0008_reason_details
Revises: 0007_addresses
Create Date: 2026-12-01 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_reason_details"
down_revision: str | None = "0007_addresses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An index row without the structured detail would show no detail: drop every version's
    # index, and `api.version_index.summary` builds it again at the version's first view.
    op.execute("DELETE FROM version_pupil")
    op.execute("DELETE FROM version_summary")
    with op.batch_alter_table("version_pupil", schema=None) as batch_op:
        batch_op.add_column(sa.Column("said", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("version_pupil", schema=None) as batch_op:
        batch_op.drop_column("said")
