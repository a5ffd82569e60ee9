"""The desk's accounts, on SQLite and on a real PostgreSQL server: argon2id hashes, sign-in tokens,
failed sign-ins that slow down and then lock, roles checked against the store."""

from __future__ import annotations

import datetime as dt
import itertools
import logging

import pytest

from cojian_graph.store import Store, StoreError
from cojian_graph.store.accounts import Accounts, PermissionDenied, SignInError

PASSWORD = "紅旗-correct-horse-7"


class Clock:
    """A UTC clock the test moves."""

    def __init__(self):
        self.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def store(store_url):
    with Store(store_url, create=True) as store:
        yield store


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(store, clock):
    accounts = Accounts(store, clock=clock)
    accounts.add("clerk", PASSWORD, role="editor")
    return accounts


def test_sign_in_gives_a_token_that_names_the_account_until_it_expires(accounts, clock):
    token = accounts.sign_in("clerk", PASSWORD)
    assert accounts.account_of(token).name == "clerk" and accounts.account_of(token).role == "editor"
    assert accounts.account_of("forged-" + token) is None and accounts.account_of("") is None
    clock.advance(accounts.policy.session_hours * 3600 - 1)
    assert accounts.account_of(token) is not None
    clock.advance(2)
    assert accounts.account_of(token) is None
    other = accounts.sign_in("clerk", PASSWORD)
    accounts.sign_out(other)
    assert accounts.account_of(other) is None


def test_the_password_is_never_stored_or_logged_in_clear(store, accounts, caplog, tmp_path):
    from sqlalchemy import select

    from cojian_graph.store.schema import accounts as table
    from cojian_graph.store.schema import sign_ins

    caplog.set_level(logging.DEBUG)
    token = accounts.sign_in("clerk", PASSWORD)
    with pytest.raises(SignInError):
        accounts.sign_in("clerk", PASSWORD + "x")
    with store.engine.connect() as connection:
        stored = [str(value) for row in connection.execute(select(table)) for value in row]
        stored += [str(value) for row in connection.execute(select(sign_ins)) for value in row]
    assert any(value.startswith("$argon2id$") for value in stored)
    assert not any(PASSWORD in value or token in value for value in stored)
    if store.engine.dialect.name == "sqlite":
        raw = b"".join(path.read_bytes() for path in tmp_path.glob("store.sqlite*"))
        assert PASSWORD.encode() not in raw and token.encode() not in raw
    assert PASSWORD not in caplog.text and token not in caplog.text


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(accounts):
    answers = []
    for name, password in (("nobody", PASSWORD), ("clerk", "wrong-password")):
        with pytest.raises(SignInError) as caught:
            accounts.sign_in(name, password)
        answers.append(str(caught.value))
    assert answers[0] == answers[1] and "wrong name or password" in answers[0]


def test_failed_sign_ins_slow_down_then_lock_the_account(accounts, clock):
    policy = accounts.policy
    waits = []
    for _ in range(policy.lock_after):
        with pytest.raises(SignInError) as caught:
            accounts.sign_in("clerk", "wrong-password")
        waits.append(caught.value.wait)
        if caught.value.wait:  # the right password is refused too while it waits
            with pytest.raises(SignInError, match=r"try again|locked"):
                accounts.sign_in("clerk", PASSWORD)
            clock.advance(caught.value.wait if len(waits) < policy.lock_after else 0)
    # two free failures, then 1, 2, 4 … seconds (at most a minute), then a lock of lock_minutes
    assert waits[: policy.free_failures] == [0, 0]
    assert waits[policy.free_failures: policy.free_failures + 4] == [1, 2, 4, 8]
    assert all(later >= earlier for earlier, later in itertools.pairwise(waits))
    assert max(waits[:-1]) <= policy.max_wait_seconds
    assert waits[-1] == policy.lock_minutes * 60
    with pytest.raises(SignInError, match="locked"):
        accounts.sign_in("clerk", PASSWORD)
    clock.advance(policy.lock_minutes * 60 + 1)
    assert accounts.account_of(accounts.sign_in("clerk", PASSWORD)).name == "clerk"
    # the right password cleared the count: the next failure is free again
    with pytest.raises(SignInError) as caught:
        accounts.sign_in("clerk", "wrong-password")
    assert caught.value.wait == 0


def test_an_administrator_unlocks_with_a_new_password_which_signs_the_account_out(accounts):
    token = accounts.sign_in("clerk", PASSWORD)
    for _ in range(accounts.policy.lock_after):
        with pytest.raises(SignInError):
            accounts.sign_in("clerk", "wrong-password")
    accounts.set_password("clerk", "另一个-new-password")
    assert accounts.account_of(token) is None
    assert accounts.account_of(accounts.sign_in("clerk", "另一个-new-password")) is not None


def test_roles_are_checked_against_the_store_now(accounts):
    accounts.add("leader", PASSWORD, role="viewer")
    with pytest.raises(PermissionDenied, match="editor"):
        accounts.require("leader", "editor")
    assert accounts.require("clerk", "editor").name == "clerk"
    with pytest.raises(PermissionDenied, match="admin"):
        accounts.require("clerk", "admin")
    accounts.set_role("clerk", "viewer")  # demoted while signed in: the next change is refused
    with pytest.raises(PermissionDenied):
        accounts.require("clerk", "editor")
    with pytest.raises(PermissionDenied):
        accounts.require("nobody", "viewer")


def test_bad_accounts_are_refused_clearly(accounts):
    with pytest.raises(StoreError, match="already exists"):
        accounts.add("clerk", PASSWORD)
    with pytest.raises(StoreError, match="at least 8 characters"):
        accounts.add("new", "short")
    with pytest.raises(StoreError, match="unknown role"):
        accounts.add("new", PASSWORD, role="root")
    with pytest.raises(StoreError, match="visible characters"):
        accounts.add(" ", PASSWORD)
    with pytest.raises(StoreError, match="no account"):
        accounts.set_role("nobody", "admin")
    assert [row["name"] for row in accounts.list()] == ["clerk"]
    assert not accounts.has_admin()


def test_the_user_commands(store_url):
    from click.testing import CliRunner

    from cojian_graph.cli import main

    runner = CliRunner()
    Store(store_url, create=True).close()
    done = runner.invoke(main, ["user", "add", "王书记", "--role", "admin", "--db", store_url],
                         input=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert PASSWORD not in done.output
    done = runner.invoke(main, ["user", "add", "李干事", "--db", store_url, "--password-stdin"], input=PASSWORD + "\n")
    assert done.exit_code == 0, done.output
    assert runner.invoke(main, ["user", "role", "李干事", "editor", "--db", store_url]).exit_code == 0
    done = runner.invoke(main, ["user", "add", "zhang@example.com", "--sso", "--db", store_url])  # no prompt
    assert done.exit_code == 0, done.output
    listed = runner.invoke(main, ["user", "list", "--db", store_url]).output
    assert "王书记\tadmin" in listed and "李干事\teditor" in listed and "zhang@example.com\tviewer" in listed
    assert "$argon2" not in listed
    done = runner.invoke(main, ["user", "passwd", "李干事", "--db", store_url, "--password-stdin"], input="short\n")
    assert done.exit_code == 1 and "at least 8 characters" in done.output
    done = runner.invoke(main, ["user", "role", "nobody", "admin", "--db", store_url])
    assert done.exit_code == 1 and "no account" in done.output
    with Store(store_url) as store:
        accounts = Accounts(store)
        assert accounts.account_of(accounts.sign_in("李干事", PASSWORD)).role == "editor"


def test_a_single_sign_on_account_has_a_role_and_no_password(accounts, store):
    from cojian_graph.store.accounts import SSO_ONLY

    accounts.add("li@example.com", None, role="editor", sso=True)
    assert accounts.role_of("li@example.com") == "editor" and accounts.role_of("nobody@example.com") is None
    assert accounts.require("li@example.com", "editor").name == "li@example.com"
    # an identity from the provider only counts for an account made for single sign-on
    assert accounts.role_of("clerk", sso=True) is None and accounts.role_of("li@example.com", sso=True) == "editor"
    with pytest.raises(PermissionDenied):
        accounts.require("clerk", "viewer", sso=True)
    for password in ("", SSO_ONLY, "any-password-at-all"):  # no password signs it in here
        with pytest.raises(SignInError, match="wrong name or password"):
            accounts.sign_in("li@example.com", password)
