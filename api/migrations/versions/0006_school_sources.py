"""school sources: a school's Zermelo or Somtoday connection, its encrypted credentials and its
last import

Revision ID: 0006_school_sources
Revises: 0005
Create Date: 2026-11-30 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_school_sources"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("zermelo", "somtoday", name="schoolsourcekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("credentials", sa.Text(), nullable=True),
        sa.Column(
            "import_status",
            sa.Enum(
                "idle",
                "running",
                "succeeded",
                "refused",
                "failed",
                name="importstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("import_phase", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("import_progress", sa.Float(), nullable=False),
        sa.Column("import_started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_import_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_report", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "kind"),
    )
    with op.batch_alter_table("school_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_source_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_school_source_school_id"), ["school_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("school_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_source_school_id"))
        batch_op.drop_index(batch_op.f("ix_school_source_region_id"))
    op.drop_table("school_source")
