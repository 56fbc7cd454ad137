"""school-system sources: the sealed credentials of a Zermelo or Somtoday connection and the
progress of its import, on the import source record

Revision ID: 0006_school_system_sources
Revises: 0006_import_sources
Create Date: 2026-11-30 20:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_school_system_sources"
# It adds columns to `import_source`, which 0006_import_sources (branch h/ical) creates.
down_revision: str | None = "0006_import_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credentials", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "import_phase",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("import_progress", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("import_started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("import_source", schema=None) as batch_op:
        batch_op.alter_column("import_phase", server_default=None)
        batch_op.alter_column("import_progress", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("import_source", schema=None) as batch_op:
        batch_op.drop_column("import_started_at")
        batch_op.drop_column("import_progress")
        batch_op.drop_column("import_phase")
        batch_op.drop_column("credentials")
