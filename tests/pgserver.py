"""A throw-away PostgreSQL server for the store's tests: started in a temporary folder, listening on
a Unix socket there (no TCP port), stopped when the session ends.

Debian's ``postgresql`` package provides the server (``scripts/system-deps.sh`` installs it for
``make test``). PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
user that package creates.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

__all__ = ["PostgresServer", "find_bin"]


def find_bin() -> Path | None:
    """The folder of the newest installed PostgreSQL server's programs (``initdb``, ``pg_ctl``)."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True):
        if (folder / "pg_ctl").is_file() and (folder / "initdb").is_file():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


class PostgresServer:
    """``initdb`` + ``pg_ctl start`` in a fresh folder; :meth:`database` makes an empty database."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="cojian-pg-"))
        self.data = self.folder / "data"
        self.socket = self.folder
        self.port = 5432 + os.getpid() % 1000  # only names the socket file: no TCP listener
        as_postgres = os.geteuid() == 0
        if as_postgres:
            os.chmod(self.folder, 0o777)
        self._prefix = ["runuser", "-u", "postgres", "--"] if as_postgres else []
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "cojian", "-E", "UTF8", "--no-locale")
        self.start()

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.folder / "server.log"),
                  "-o", f"-c listen_addresses='' -k {self.socket} -p {self.port} -c fsync=off", "start")

    def halt(self) -> None:
        """Stop the server at once, as a crash or a pulled plug would (``pg_ctl stop -m immediate``):
        every connection is cut, nothing is flushed; :meth:`start` brings it back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self._prefix, str(self.bin / program), *args], check=True, capture_output=True,
                       timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://cojian@/{database}?host={self.socket}&port={self.port}"

    def database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=str(self.socket), port=self.port, user="cojian", dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
