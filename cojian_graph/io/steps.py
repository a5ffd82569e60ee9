"""The steps a reader reports while it reads a ledger (:func:`cojian_graph.io.read_ledger`'s ``progress``)."""

from __future__ import annotations

from ..schema import TABLES

#: The steps :func:`~cojian_graph.io.read_ledger` reports: one per table, then the checks.
READ_STEPS = len(TABLES) + 1


def reading_step(progress, done: int, what: str) -> None:
    """Report reading ``what`` (a file or sheet), or the checks when ``what`` is empty, to ``progress``."""
    if progress is not None:
        progress(done, READ_STEPS, f"读取 reading {what}" if what else "检查台账 checking the ledger")
