"""standing declines of the region, and a published round's answer deadline

Revision ID: 0005
Revises: 0004_privacy
Create Date: 2026-11-30 18:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"]),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decline_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decline_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decline_region_id"), ["region_id"], unique=False)
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_deadline", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("answer_deadline")
    with op.batch_alter_table("decline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decline_region_id"))
        batch_op.drop_index(batch_op.f("ix_decline_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_decline_company_id"))
    op.drop_table("decline")
