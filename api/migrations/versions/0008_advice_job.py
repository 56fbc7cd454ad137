"""the one-more-seat advice as a job: one active per round, beside the round's solve

Revision ID: 0008_advice_job
Revises: 0008_activity_details
Create Date: 2026-12-01 02:30:00.000000

`job.kind` is a VARCHAR(32) without a CHECK (`api.models.enum_type`), so the new kind
`advice` needs no change of type on SQLite or PostgreSQL; only the partial unique indexes
change: the round's one active job is now its one active solve, re-solve or repair, and its
one active advice has an index of its own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0008_advice_job"
down_revision: str | None = "0008_activity_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = "status IN ('queued', 'running')"
SOLVING = f"{ACTIVE} AND kind != 'advice'"
ADVISING = f"{ACTIVE} AND kind = 'advice'"


def one_per_round(batch_op: BatchOperations, name: str, where: str) -> None:
    batch_op.create_index(
        name,
        ["round_id"],
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_one_active_per_round")
        one_per_round(batch_op, "ix_job_one_active_per_round", SOLVING)
        one_per_round(batch_op, "ix_job_one_advice_per_round", ADVISING)


def downgrade() -> None:
    # Before this revision a round held one active job of any kind: an advice still counting
    # ends failed, so the old index can hold.
    op.execute(
        f"UPDATE job SET status = 'failed', message = 'ended by a downgrade' WHERE {ADVISING}"
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_one_advice_per_round")
        batch_op.drop_index("ix_job_one_active_per_round")
        one_per_round(batch_op, "ix_job_one_active_per_round", ACTIVE)
