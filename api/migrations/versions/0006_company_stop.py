"""a company that stops hosting from a date (bankrupt, recognition withdrawn, no longer hosting)

Revision ID: 0006_company_stop
Revises: 0006_escorts
Create Date: 2026-11-30 19:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_company_stop"
down_revision: str | None = "0006_escorts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_stop",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("stopped_from", sa.Date(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "bankrupt",
                "recognition_withdrawn",
                "no_longer_hosting",
                "other",
                name="stopreason",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("company_stop", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_stop_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_company_stop_region_id"), ["region_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("company_stop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_stop_region_id"))
        batch_op.drop_index(batch_op.f("ix_company_stop_company_id"))
    op.drop_table("company_stop")
