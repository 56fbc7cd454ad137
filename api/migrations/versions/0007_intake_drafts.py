"""school intake: uploaded files waiting for the school's confirmation after the preview

Revision ID: 0007_intake_drafts
Revises: 0007_round_page_index
Create Date: 2026-11-30 23:59:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_intake_drafts"
down_revision: str | None = "0007_round_page_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("intake_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_draft_token_hash"), ["token_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_intake_draft_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_draft_user_id"))
        batch_op.drop_index(batch_op.f("ix_intake_draft_token_hash"))
    op.drop_table("intake_draft")
