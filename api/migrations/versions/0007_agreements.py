"""placement agreements (stageovereenkomst) and the pupil birth dates they need (issue 16)

Revision ID: 0007_agreements
Revises: 0007_placement_requests
Create Date: 2026-11-30 23:16:50.762658
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_agreements"
down_revision: str | None = "0007_placement_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pupil_birth_date",
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("pupil_id"),
    )
    with op.batch_alter_table("pupil_birth_date", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pupil_birth_date_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pupil_birth_date_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "agreement",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("student", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("placement", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "signed", "withdrawn", name="agreementstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("day_start", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("day_end", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("supervisor_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("supervisor_phone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("supervisor_email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school_contact_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school_contact_phone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school_contact_email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school_hours_per_day", sa.Float(), nullable=False),
        sa.Column("school_hours_per_week", sa.Float(), nullable=False),
        sa.Column("signatures", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
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
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["solution_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "pupil_id", "placement", "period"),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_status"))
        batch_op.drop_index(batch_op.f("ix_agreement_school_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_round_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_region_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_company_id"))

    op.drop_table("agreement")
    with op.batch_alter_table("pupil_birth_date", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_birth_date_school_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_birth_date_region_id"))

    op.drop_table("pupil_birth_date")
