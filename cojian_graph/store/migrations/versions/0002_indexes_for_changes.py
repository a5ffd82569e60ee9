"""Indexes that let a change read only the records it touches: each ledger table by its place
(``seq``: where a new record goes), and participations by organisation (what a deleted or merged
organisation still takes part in).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("organizations", "activities", "participations")


def upgrade() -> None:
    for name in _TABLES:
        op.create_index(f"ix_{name}_seq", name, ["seq"])
    op.create_index("ix_participations_organization_id", "participations", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_participations_organization_id", table_name="participations")
    for name in reversed(_TABLES):
        op.drop_index(f"ix_{name}_seq", table_name=name)
