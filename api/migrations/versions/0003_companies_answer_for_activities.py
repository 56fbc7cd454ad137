"""companies confirm or decline the classes and teachers planned with them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_response",
        sa.Column("requester", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("offer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("daypart", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("confirmed", "declined", name="responsestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["solution_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_response_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_response_round_id"), ["round_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_response_round_id"))
        batch_op.drop_index(batch_op.f("ix_activity_response_company_id"))

    op.drop_table("activity_response")
