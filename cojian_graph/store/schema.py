"""The store's tables, as SQLAlchemy Core metadata: the three ledger tables, each record with a
``version``, and the history: one row per revision and one per changed record.

The columns of the ledger tables are those of :data:`cojian_graph.schema.TABLES` (every cell text,
``""`` when empty), plus ``extra`` (the record's extra columns, as a JSON object, so that a ledger
with columns of its own comes back as it went in), ``seq`` (the record's place in its table: a
ledger read back keeps its order) and ``version`` (1 when the record is made,
raised by every change of it: an edit names the version it was based on). ``seq`` and
participations' ``organization_id`` are indexed, so that a change reads only what it touches.

The Alembic migrations in ``migrations/`` create and change these tables; a test keeps the
metadata and the migrated database the same.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text

from ..schema import TABLES

__all__ = ["LEDGER_TABLES", "accounts", "changes", "metadata", "revisions", "sign_ins"]

metadata = MetaData()


def _ledger_table(name: str) -> Table:
    table = TABLES[name]
    columns = [Column(column.name, Text, nullable=False, server_default="") for column in table.columns]
    return Table(
        name, metadata, *columns,
        Column("extra", Text, nullable=False, server_default="{}"),
        Column("seq", Integer, nullable=False),
        Column("version", Integer, nullable=False, server_default="1"),
        PrimaryKeyConstraint(*table.key, name=f"pk_{name}"),
        Index(f"ix_{name}_seq", "seq"),
        *([Index("ix_participations_organization_id", "organization_id")] if name == "participations" else []),
    )


#: The three ledger tables, by name (their primary keys are the tables' keys in ``schema.TABLES``).
LEDGER_TABLES: dict[str, Table] = {name: _ledger_table(name) for name in TABLES}

#: One row per committed change: its number (the store's revision), when (UTC, ISO 8601), who, why.
revisions = Table(
    "revisions", metadata,
    Column("rev", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("user", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
)

#: One row per record a revision added, changed or deleted: the record's key and its whole
#: content before and after, as JSON (null for an added record's before or a deleted one's after).
changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rev", Integer, ForeignKey("revisions.rev", name="fk_changes_rev"), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("record_key", Text, nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Index("ix_changes_rev", "rev"),
)

#: The desk's accounts: the password only as an argon2id hash; ``failures`` counts failed sign-ins
#: in a row, ``blocked_until`` (UTC, ISO 8601) is when the next attempt is allowed.
accounts = Table(
    "accounts", metadata,
    Column("name", String(200), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("blocked_until", String(32), nullable=True),
    Column("created_at", String(32), nullable=False),
)

#: Who is signed in: the SHA-256 of each session token (the token itself lives only in the
#: browser's cookie), its account, when it expires.
sign_ins = Table(
    "sign_ins", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account", String(200), ForeignKey("accounts.name", name="fk_sign_ins_account", ondelete="CASCADE"),
           nullable=False),
    Column("expires_at", String(32), nullable=False),
)
