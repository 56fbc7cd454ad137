"""menu of demand: the bureau's menu items and the companies' sign-ups (menukaart, intekenlijst)

Revision ID: 0007_menu
Revises: 0007_feedback
Create Date: 2026-11-30 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_menu"
down_revision: str | None = "0007_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STANDING = "withdrawn_at IS NULL AND offer_id IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "menu_item",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("wanted", sa.Integer(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("group_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("profile", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("requesters", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("schools", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", name="menuitemstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_id", "code"),
    )
    with op.batch_alter_table("menu_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_menu_item_region_id"), ["region_id"], unique=False)

    op.create_table(
        "menu_sign_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("dayparts", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["menu_item.id"]),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("menu_sign_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_menu_sign_up_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_menu_sign_up_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_menu_sign_up_region_id"), ["region_id"], unique=False)
        batch_op.create_index(
            "ix_menu_sign_up_one_standing",
            ["item_id", "company_id"],
            unique=True,
            sqlite_where=sa.text(STANDING),
            postgresql_where=sa.text(STANDING),
        )


def downgrade() -> None:
    with op.batch_alter_table("menu_sign_up", schema=None) as batch_op:
        batch_op.drop_index("ix_menu_sign_up_one_standing")
        batch_op.drop_index(batch_op.f("ix_menu_sign_up_region_id"))
        batch_op.drop_index(batch_op.f("ix_menu_sign_up_item_id"))
        batch_op.drop_index(batch_op.f("ix_menu_sign_up_company_id"))
    op.drop_table("menu_sign_up")
    with op.batch_alter_table("menu_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_menu_item_region_id"))
    op.drop_table("menu_item")
