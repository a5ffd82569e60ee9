"""The ledger's three tables with record versions, and the history (revisions and changes).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_COLUMNS = {
    "organizations": ("id", "name", "name_en", "kind", "circle", "sector"),
    "activities": ("id", "title", "title_en", "link_type", "date", "description", "outcome", "source"),
    "participations": ("activity_id", "organization_id", "role"),
}
_KEYS = {"organizations": ("id",), "activities": ("id",), "participations": ("activity_id", "organization_id")}


def upgrade() -> None:
    for name, columns in _COLUMNS.items():
        op.create_table(
            name,
            *[sa.Column(column, sa.Text(), nullable=False, server_default="") for column in columns],
            sa.Column("extra", sa.Text(), nullable=False, server_default="{}"),
            sa.Column("seq", sa.Integer(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
            sa.PrimaryKeyConstraint(*_KEYS[name], name=f"pk_{name}"),
        )
    op.create_table(
        "revisions",
        sa.Column("rev", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rev", sa.Integer(), sa.ForeignKey("revisions.rev", name="fk_changes_rev"), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
    )
    op.create_index("ix_changes_rev", "changes", ["rev"])


def downgrade() -> None:
    op.drop_index("ix_changes_rev", table_name="changes")
    op.drop_table("changes")
    op.drop_table("revisions")
    for name in reversed(list(_COLUMNS)):
        op.drop_table(name)
