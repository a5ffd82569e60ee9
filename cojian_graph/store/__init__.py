"""The ledger store: a ledger kept in a database (SQLite or PostgreSQL), versioned, with its history.

See :class:`~cojian_graph.store.core.Store` and docs/store.md.
"""

from .core import ImportPlan, Store, StoreError

__all__ = ["ImportPlan", "Store", "StoreError"]
