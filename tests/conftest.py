"""Shared fixtures. Area-specific fixtures live in the test modules that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cojian_graph.testing import tiny_ledger

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def tiny():
    """The hand-checked four-organisation ledger of ``cojian_graph.testing``."""
    return tiny_ledger()


@pytest.fixture(scope="session")
def bundled():
    """The bundled case-study ledger in ``data/``."""
    from cojian_graph.io import read_ledger

    return read_ledger(DATA)
