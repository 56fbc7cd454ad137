"""a job knows the worker attempt that holds it and the process group of a local worker

Revision ID: 0004_privacy
Revises: 0003
Create Date: 2026-11-30 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004_privacy"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "attempt", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("process_group", sa.Integer(), nullable=True))
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.alter_column("attempt", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("process_group")
        batch_op.drop_column("attempt")
