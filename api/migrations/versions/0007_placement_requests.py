"""placement requests: a pupil's request for a placement in a round, with its statuses

Revision ID: 0007_placement_requests
Revises: 0007_menu
Create Date: 2026-11-30 23:15:44.828087
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_placement_requests"
down_revision: str | None = "0007_menu"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One request per pupil and round that is not withdrawn (the models' `_OPEN_REQUEST`).
OPEN = "status != 'withdrawn'"


def upgrade() -> None:
    op.create_table(
        "placement_request",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("preferences", sa.JSON(), nullable=False),
        sa.Column("accept_unranked", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "in_round",
                "placed",
                "unplaced",
                "declined",
                "confirmed",
                "agreement_signed",
                "done",
                "withdrawn",
                name="requeststatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("placement", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("placed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("placement_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_placement_request_one_open",
            ["pupil_id", "round_id"],
            unique=True,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
        batch_op.create_index(
            batch_op.f("ix_placement_request_pupil_id"), ["pupil_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_placement_request_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_placement_request_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_placement_request_school_id"), ["school_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("placement_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_request_school_id"))
        batch_op.drop_index(batch_op.f("ix_placement_request_round_id"))
        batch_op.drop_index(batch_op.f("ix_placement_request_region_id"))
        batch_op.drop_index(batch_op.f("ix_placement_request_pupil_id"))
        batch_op.drop_index(
            "ix_placement_request_one_open",
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )

    op.drop_table("placement_request")
