"""together/apart pupil pairs; at most one active job per round

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = "status IN ('queued', 'running')"


def upgrade() -> None:
    op.create_table(
        "pupil_pair",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("together", "apart", name="pairkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("pupil_a_id", sa.Integer(), nullable=False),
        sa.Column("pupil_b_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["pupil_a_id"], ["pupil.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pupil_b_id"], ["pupil.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pupil_a_id", "pupil_b_id"),
    )
    with op.batch_alter_table("pupil_pair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pupil_pair_pupil_a_id"), ["pupil_a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pupil_pair_pupil_b_id"), ["pupil_b_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pupil_pair_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pupil_pair_school_id"), ["school_id"], unique=False)

    # A database that raced two jobs of one round into being keeps the newest; the others
    # could never have stored a result anyway (the round takes one proposal at a time).
    op.execute(
        "UPDATE job SET status = 'failed', message = 'superseded by a newer job of this round' "
        f"WHERE {ACTIVE} AND id NOT IN "
        f"(SELECT MAX(id) FROM job WHERE {ACTIVE} GROUP BY round_id)"
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_one_active_per_round",
            ["round_id"],
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        )


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_one_active_per_round")

    with op.batch_alter_table("pupil_pair", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_pair_school_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_pair_region_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_pair_pupil_b_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_pair_pupil_a_id"))

    op.drop_table("pupil_pair")
