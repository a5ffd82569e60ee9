"""The ledger store: a ledger kept in a database (SQLite or PostgreSQL), versioned, with its history.

See :class:`~cojian_graph.store.core.Store` and docs/store.md.
"""

from .core import Store
from .types import Conflict, ConflictError, Edit, ImportPlan, StoreError

__all__ = ["Conflict", "ConflictError", "Edit", "ImportPlan", "Store", "StoreError"]
