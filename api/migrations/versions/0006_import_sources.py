"""a school's import sources: timetable feeds and school-system files, with their last report

Revision ID: 0006_import_sources
Revises: 0006_company_stop
Create Date: 2026-11-30 19:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_import_sources"
down_revision: str | None = "0006_company_stop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_source",
        sa.Column(
            "kind",
            sa.Enum("ical", "edexml", "zermelo", "somtoday", name="sourcekind",
                    native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("requester_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("requester_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("last_import_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_report", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"]),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    with op.batch_alter_table("import_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_source_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_source_school_id"), ["school_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_source_school_id"))
        batch_op.drop_index(batch_op.f("ix_import_source_region_id"))
    op.drop_table("import_source")
