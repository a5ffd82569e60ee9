"""``cojian db``: the ledger store — create it, import a ledger file into it, export it, read its log.

The database is named by ``--db URL`` or the ``COJIAN_DB`` environment variable:
``sqlite:///path/to/store.sqlite`` (a file, made on ``db init``) or
``postgresql+psycopg://user@host/database``. Thin: parse, call :mod:`cojian_graph.store`, print.
"""

from __future__ import annotations

import getpass
import os

import click

from .options import check_output, fail, ledger_argument, load_ledger

__all__ = ["db"]

db_option = click.option("--db", "url", envvar="COJIAN_DB", required=True, metavar="URL",
                         help="数据库 The store: sqlite:///FILE or postgresql+psycopg://… (or set COJIAN_DB).")


def _open(url: str, *, create: bool = False):
    from ..errors import CojianError
    from ..store import Store

    try:
        return Store(url, create=create)
    except CojianError as error:
        fail(error)


@click.group()
def db():
    """台账库 The ledger store: a ledger kept in a database, with the history of every change.

    \b
    Examples:
      cojian db init --db sqlite:///store.sqlite
      cojian db import data --db sqlite:///store.sqlite --dry-run
      cojian db log --db sqlite:///store.sqlite
    """


@db.command("init")
@db_option
def init(url: str) -> None:
    """创建或升级 Create the store's tables, or upgrade them to the latest schema."""
    with _open(url, create=True) as store:
        click.echo(f"台账库已就绪 store ready: schema {store.schema_revision()}, revision {store.revision}")


@db.command("import")
@ledger_argument
@db_option
@click.option("--dry-run", is_flag=True, help="预览 Show what would be added, changed and deleted; write nothing.")
@click.option("--user", default=None, help="用户 Who makes the change (default: the login name).")
@click.option("--note", default="", help="说明 A note kept with the change.")
def import_(path: str, url: str, dry_run: bool, user: str | None, note: str) -> None:
    """导入 Make the store hold the ledger at PATH, as one revision (validated whole first)."""
    from ..errors import CojianError

    ledger = load_ledger(path)
    with _open(url) as store:
        try:
            plan = store.import_ledger(ledger, user=user or _login(), note=note, dry_run=dry_run)
        except CojianError as error:
            fail(error)
    click.echo(plan.describe())
    if dry_run:
        click.echo("预览，未写入 dry run: nothing written")
    elif plan.revision is None:
        click.echo("没有变化 nothing to change")
    else:
        click.echo(f"已写入修订 {plan.revision} / written as revision {plan.revision}")


@db.command("export")
@db_option
@click.option("-o", "--output", required=True, type=click.Path(), help="输出 A folder (CSV), .xlsx or .json.")
@click.option("--as-of", "as_of", default=None, metavar="REV|DATE", help="历史 The ledger as of a revision or date.")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing file.")
def export(url: str, output: str, as_of: str | None, force: bool) -> None:
    """导出 Write the store's ledger (now, or as of a revision or date) to a file."""
    from ..errors import CojianError
    from ..io import write_ledger

    check_output(output, force)
    with _open(url) as store:
        try:
            ledger = store.ledger() if as_of is None else store.as_of(as_of)
            write_ledger(ledger, output)
        except CojianError as error:
            fail(error)
    click.echo(f"已导出 exported: {output} ({ledger.summary()['organizations']} organisations)")


@db.command("revert")
@click.argument("rev", type=int)
@db_option
@click.option("--user", default=None, help="用户 Who makes the change (default: the login name).")
@click.option("--note", default="", help="说明 A note kept with the change.")
def revert(rev: int, url: str, user: str | None, note: str) -> None:
    """撤销 Undo revision REV as a new revision (the history is kept)."""
    from ..errors import CojianError

    with _open(url) as store:
        try:
            done = store.revert(rev, user=user or _login(), note=note)
        except CojianError as error:
            fail(error)
    click.echo(f"已撤销修订 {rev}，写入修订 {done} / revision {rev} reverted as revision {done}")


@db.command("log")
@db_option
@click.option("--since", default=None, metavar="REV|DATE", help="自 Only the changes after this revision or date.")
def log(url: str, since: str | None) -> None:
    """修改记录 List the changes: revision, time (UTC), user, what, note."""
    from ..errors import CojianError
    from ..textable import text_table

    with _open(url) as store:
        try:
            entries = store.log(since=since)
        except CojianError as error:
            fail(error)
    if not entries:
        click.echo("没有修改 no changes")
        return
    rows = {"rev": [], "at": [], "user": [], "action": [], "changes": [], "note": []}
    for entry in entries:
        for key in ("rev", "at", "user", "action", "note"):
            rows[key].append(entry[key])
        rows["changes"].append(len(entry["changes"]))
    click.echo(text_table(rows))


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"

