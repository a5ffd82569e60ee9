"""``cojian user``: the desk's accounts in a store — add, set a password or a role, list, remove.

Passwords are asked for at a prompt (twice, not echoed) or read from standard input with
``--password-stdin`` (one line, for scripts); never taken as an argument, where the shell's history
and the process list would keep them. Thin: parse, call :mod:`cojian_graph.store.accounts`, print.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from .db_cmd import _open, db_option
from .options import fail

__all__ = ["user"]

_ROLE = click.Choice(["viewer", "editor", "admin"])
_stdin_option = click.option("--password-stdin", is_flag=True,
                             help="从标准输入读取密码 Read the password from standard input (one line).")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码 Password", hide_input=True, confirmation_prompt="再输一次 Repeat")


@contextmanager
def _accounts(url: str):
    """The store's accounts; a refused change is printed as every command prints errors."""
    from ..errors import CojianError
    from ..store.accounts import Accounts

    store = _open(url)
    try:
        yield Accounts(store)
    except CojianError as error:
        fail(error)
    finally:
        store.close()


@click.group()
def user():
    """账号 The desk's accounts: viewer (reads), editor (changes the ledger), admin (also manages accounts).

    \b
    Examples:
      cojian user add 王书记 --role admin --db sqlite:///store.sqlite
      cojian user role 李干事 editor --db sqlite:///store.sqlite
      cojian user list --db sqlite:///store.sqlite
    """


@user.command("add")
@click.argument("name")
@click.option("--role", type=_ROLE, default="viewer", show_default=True, help="角色 The account's role.")
@db_option
@_stdin_option
@click.option("--sso", is_flag=True, help="单点登录 The account signs in through the company's single sign-on (NAME is "
                                           "the identity it gives, e.g. an e-mail address); no password here.")
def add(name: str, role: str, url: str, password_stdin: bool, sso: bool) -> None:
    """添加 Add an account (asks for its password, unless --sso)."""
    with _accounts(url) as accounts:  # the store first: a wrong URL is said before the password is asked
        accounts.add(name, None if sso else _password(password_stdin), role=role, sso=sso)
    click.echo(f"已添加账号 added: {name} ({role})")


@user.command("passwd")
@click.argument("name")
@db_option
@_stdin_option
def passwd(name: str, url: str, password_stdin: bool) -> None:
    """改密码 Set an account's password (also unlocks it and signs it out everywhere)."""
    with _accounts(url) as accounts:
        accounts.set_password(name, _password(password_stdin))
    click.echo(f"密码已更新 password set: {name}")


@user.command("role")
@click.argument("name")
@click.argument("role", type=_ROLE)
@db_option
def role(name: str, role: str, url: str) -> None:
    """改角色 Set an account's role (takes effect on its next change)."""
    with _accounts(url) as accounts:
        accounts.set_role(name, role)
    click.echo(f"角色已更新 role set: {name} → {role}")


@user.command("remove")
@click.argument("name")
@db_option
def remove(name: str, url: str) -> None:
    """删除 Remove an account (the history keeps its name on the changes it made)."""
    with _accounts(url) as accounts:
        accounts.remove(name)
    click.echo(f"已删除账号 removed: {name}")


@user.command("list")
@db_option
def list_(url: str) -> None:
    """列出 List the accounts: name, role, created, failed sign-ins, blocked until."""
    with _accounts(url) as accounts:
        rows = accounts.list()
    if not rows:
        click.echo("还没有账号 no accounts yet: cojian user add NAME --role admin")
        return
    for row in rows:
        blocked = f"  blocked until {row['blocked_until']}" if row["blocked_until"] else ""
        click.echo(f"{row['name']}\t{row['role']}\t{row['created_at'][:19]}\tfailures {row['failures']}{blocked}")
