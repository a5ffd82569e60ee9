"""``cojian app``: open the explorer (the Streamlit app) on a ledger."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

__all__ = ["app", "app_script"]


def app_script() -> Path:
    """The explorer's entry script, ``app.py`` beside the package (present in a source checkout)."""
    return Path(__file__).resolve().parents[2] / "app.py"


@click.command()
@click.argument("path", required=False, default=None,
                type=click.Path(exists=True, dir_okay=True, path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="端口 Port to serve on.")
@click.option("--db", "url", envvar="COJIAN_DB", default=None, metavar="URL",
              help="台账库 Show the ledger kept in this store (sqlite:///FILE or postgresql+psycopg://…) instead of a "
                   "file; also COJIAN_DB.")
@click.option("--init-from", "init_from", default=None, metavar="PATH",
              type=click.Path(exists=True, dir_okay=True, path_type=Path),
              help="初始化 With --db: create the store if needed and, while it is empty, fill it from this ledger.")
@click.option("--address", default="127.0.0.1", show_default=True, metavar="HOST",
              help="监听地址 Address to listen on: this computer only by default; 0.0.0.0 for every "
                   "network interface (anyone who can reach the machine can then open it).")
@click.option("--sign-in/--no-sign-in", "sign_in", default=None,
              help="登录 With --db: require signing in with an account of the store (the default on any address but "
                   "this computer's), or not (the person at this computer, as its single user).")
@click.option("--sso", is_flag=True, default=False,
              help="单点登录 With --db: sign in through the company's single sign-on (Streamlit's st.login, the "
                   "provider in .streamlit/secrets.toml [auth]) instead of passwords; roles stay in the store.")
@click.option("--anonymous", is_flag=True, default=False,
              help="访客 With --db and sign-in: let people who have not signed in read (never change) the ledger.")
def app(path: Path | None, url: str | None, init_from: Path | None, port: int, address: str | None,
        sign_in: bool | None, sso: bool, anonymous: bool):
    """在浏览器中打开浏览器应用 Open the explorer in a browser.

    PATH is a ledger (a folder of CSV files, an .xlsx workbook or a .json file), shown read-only;
    --db shows the ledger kept in a store instead (each page shows its latest revision, and the desk
    changes it); without either, the bundled ledger is shown. On a store served beyond this computer
    (--address), everyone signs in with an account (cojian user add). Stop with Ctrl+C.
    """
    script = app_script()
    if not script.is_file():
        raise click.ClickException(
            f"找不到浏览器应用 {script}；请在源码目录中安装（pip install -e .）/ "
            f"the explorer's app.py was not found at {script}; install from a source checkout"
        )
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if path is None and url is not None:
        if init_from is not None:
            _initialise(url, init_from)
        env["COJIAN_DB"] = url
    elif init_from is not None:
        raise click.UsageError("--init-from 只用于 --db / --init-from goes with --db")
    else:
        env.pop("COJIAN_DB", None)  # a PATH (or the bundled ledger) is shown, not a store
    local = address in ("127.0.0.1", "localhost", "::1")
    if sign_in is False and not local:
        raise click.UsageError(f"--no-sign-in 只能用于本机地址：在 {address} 上任何人都能修改台账 / --no-sign-in only "
                               f"goes with this computer's address: on {address} anyone could change the ledger")
    if sign_in is not None:
        env["COJIAN_SIGNIN"] = "1" if sign_in else "0"
    if anonymous:
        env["COJIAN_ANONYMOUS"] = "1"
    if sso:
        env["COJIAN_AUTH"] = "sso"
    command = [
        sys.executable, "-m", "cojian_graph.serve", "run", str(script),
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # no reload-on-save in service: watching sources costs the event loop on every page run
        "--server.fileWatcherType", "none",
    ]
    command += ["--server.address", address]
    if path is not None:
        command += ["--", str(path.resolve())]
    host = "localhost" if local else address
    click.echo(f"浏览器应用 explorer: http://{host}:{port}  (Ctrl+C 退出 to stop)", err=True)
    # run from the project folder so that Streamlit reads its .streamlit/config.toml
    if _can_exec():
        # become the Streamlit server: signals (Ctrl+C, a service manager's SIGTERM) reach it
        # directly and no server is left running when this command is stopped
        os.chdir(script.parent)
        sys.stderr.flush()
        os.execve(sys.executable, command, env)
    try:
        completed = subprocess.run(command, cwd=script.parent, env=env, check=False)
    except KeyboardInterrupt:
        return
    if completed.returncode not in (0, -2, 130):
        sys.exit(completed.returncode)


def _initialise(url: str, ledger_path: Path) -> None:
    """Create the store at ``url`` when needed and, while it holds nothing, import ``ledger_path``."""
    from ..errors import CojianError
    from ..store import Store
    from .options import fail, load_ledger

    try:
        with Store(url, create=True) as store:
            if store.revision == 0:
                store.import_ledger(load_ledger(str(ledger_path)), user="cojian app",
                                    note=f"从 {ledger_path.name} 初始化 / initialised from {ledger_path.name}")
                click.echo(f"台账库已由 {ledger_path} 初始化 / store initialised from {ledger_path}", err=True)
    except CojianError as error:
        fail(error)


def _can_exec() -> bool:
    """Whether this process can become the server (POSIX ``exec``; on Windows it runs as a child)."""
    return os.name == "posix"
