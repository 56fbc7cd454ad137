"""feedback after every activity: a company's and a school's short form per published item,
and the pupils' three questions filled in by their school (issue 16)

Revision ID: 0007_feedback
Revises: 0007_notification_outbox
Create Date: 2026-11-30 23:14:24.023867
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_feedback"
down_revision: str | None = "0007_notification_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "placement",
                "excursion",
                "guest_lesson",
                "teacher_internship",
                "event_session",
                name="feedbackkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("item", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column(
            "again",
            sa.Enum("yes", "no", "maybe", name="again", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("level_ok", sa.Boolean(), nullable=True),
        sa.Column("remark", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(
            "party",
            sa.Enum("company", "school", name="feedbackparty", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
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
        sa.UniqueConstraint("round_id", "kind", "item", "party", "party_id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_school_id"), ["school_id"], unique=False)

    op.create_table(
        "pupil_feedback",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "placement",
                "excursion",
                "guest_lesson",
                "teacher_internship",
                "event_session",
                name="feedbackkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("item", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("learned", sa.Integer(), nullable=False),
        sa.Column("interesting", sa.Integer(), nullable=False),
        sa.Column("recommend", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
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
        sa.UniqueConstraint("round_id", "kind", "item", "pupil_id"),
    )
    with op.batch_alter_table("pupil_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pupil_feedback_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pupil_feedback_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pupil_feedback_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pupil_feedback_round_id"), ["round_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pupil_feedback_school_id"), ["school_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pupil_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_feedback_school_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_feedback_round_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_feedback_region_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_feedback_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_feedback_company_id"))

    op.drop_table("pupil_feedback")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_school_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_round_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_region_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_company_id"))

    op.drop_table("feedback")
