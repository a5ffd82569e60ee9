"""Shared fixtures. Area-specific fixtures live in the test modules that use them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cojian_graph.testing import tiny_ledger

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHROMIUM = os.environ.get("COJIAN_CHROMIUM") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def tiny():
    """The hand-checked four-organisation ledger of ``cojian_graph.testing``."""
    return tiny_ledger()


@pytest.fixture(scope="session")
def bundled():
    """The bundled case-study ledger in ``data/``."""
    from cojian_graph.io import read_ledger

    return read_ledger(DATA)


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run; install it with scripts/system-deps.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by every browser test of a worker (one sync playwright per process).

    Without Chromium or playwright the tests are skipped with the reason, except in CI (``CI=true``),
    where a missing browser fails them: CI must run them. Tests using it belong to the xdist group
    "browser", so one worker runs them all.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set COJIAN_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL server for this test session (see ``tests/pgserver.py``); skipped without
    PostgreSQL, except in CI (``CI=true``), where a missing server fails the tests."""
    server = new_postgres_server()
    yield server
    server.stop()


def new_postgres_server():
    """A new throw-away PostgreSQL server (the caller stops it); a missing PostgreSQL skips the test,
    or fails it in CI."""
    from pgserver import PostgresServer, find_bin

    folder = find_bin()
    if folder is None:
        if IN_CI:
            pytest.fail("PostgreSQL not found (CI=true: the store's tests must run on it; scripts/system-deps.sh "
                        "installs Debian's postgresql)")
        pytest.skip("PostgreSQL not found (apt-get install postgresql)")
    return PostgresServer(folder)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty database of each kind: a SQLite file, and a new database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres").database()
