"""Fixtures for the end-to-end tests: Debian's Chromium driven by Python playwright, and the explorer
served on a free port the way ``cojian app`` serves it (``python -m cojian_graph.serve run app.py``).

The ``browser`` fixture itself is in ``tests/conftest.py``, shared with the network page's browser tests.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (VmRSS), from /proc."""
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) / 1024 for line in handle if line.startswith("VmRSS:"))


class AppServer:
    """``python -m cojian_graph.serve run app.py -- LEDGER`` in a subprocess, stopped by :meth:`stop`.

    ``launcher="streamlit"`` serves with plain ``streamlit run`` instead (no warm-up).
    """

    def __init__(self, ledger: Path | None, log: Path, script: Path = ROOT / "app.py",
                 launcher: str = "cojian_graph.serve", env: dict | None = None, port: int | None = None,
                 args: tuple[str, ...] = ()):
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.log = log
        command = [
            sys.executable, "-m", launcher, "run", str(script),
            "--server.port", str(self.port), "--server.headless", "true",
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *args,
            *(["--", str(ledger)] if ledger is not None else []),
        ]
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy in {timeout} s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._log.close()


@pytest.fixture(scope="session")
def serve(tmp_path_factory):
    """``serve(ledger_path)`` → a running app on that ledger (``serve(None, env={"COJIAN_DB": url})``: on a
    store); every server is stopped at the end."""
    servers: list[AppServer] = []

    def start(ledger: Path | None, script: Path = ROOT / "app.py", launcher: str = "cojian_graph.serve",
              env: dict | None = None, port: int | None = None, args: tuple[str, ...] = ()) -> AppServer:
        log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
        server = AppServer(Path(ledger) if ledger is not None else None, log, Path(script), launcher, env, port,
                           args)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
