"""Accounts of the ledger desk: who may read, who may change the ledger, who manages accounts.

Passwords are hashed with argon2id (``argon2-cffi``, its recommended parameters) and never kept or
logged in clear. A sign-in gives a random session token: the browser keeps it in a cookie, the
store keeps only its SHA-256, with the time it expires. Failed sign-ins in a row first make the
account wait (1, 2, 4 … seconds, at most a minute) and then lock it for a while; a right password
or a new one set by an administrator clears them.

Every change is authorised here, on the server, by the role the store holds *now*
(:meth:`Accounts.require`), not by what a page showed.

Examples
--------
>>> import tempfile, pathlib
>>> from cojian_graph.store import Store
>>> store = Store(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 's.sqlite'}", create=True)
>>> accounts = Accounts(store)
>>> accounts.add("王书记", "correct horse battery", role="admin").role
'admin'
>>> token = accounts.sign_in("王书记", "correct horse battery")
>>> accounts.account_of(token).name
'王书记'
>>> store.close()
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from .types import StoreError

__all__ = ["ROLES", "SSO_ONLY", "Account", "Accounts", "PermissionDenied", "Policy", "SignInError"]

#: The password hash of an account that signs in only through single sign-on (no password verifies).
SSO_ONLY = "!sso"

#: The roles, each allowed what the ones before it are: read; change the ledger; manage accounts.
ROLES: dict[str, tuple[str, str]] = {
    "viewer": ("查看者", "viewer"),
    "editor": ("编辑者", "editor"),
    "admin": ("管理员", "admin"),
}


class SignInError(StoreError):
    """A sign-in refused: wrong name or password, a wait after failures, or a locked account.
    ``wait`` is the seconds until the next attempt is allowed (0 when it may be tried at once)."""

    def __init__(self, message: str, wait: float = 0.0):
        super().__init__(message)
        self.wait = wait


class PermissionDenied(StoreError):
    """The account may not do this (checked on the server against the role the store holds now)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str

    def may(self, role: str) -> bool:
        """Whether this account has ``role`` or one above it."""
        return _rank(self.role) >= _rank(role)


@dataclass(frozen=True)
class Policy:
    """How long a sign-in lasts, and how failed sign-ins slow down and lock an account."""

    session_hours: float = 12.0
    min_password: int = 8
    free_failures: int = 2  # failures in a row before the account has to wait
    max_wait_seconds: float = 60.0
    lock_after: int = 10  # failures in a row that lock the account
    lock_minutes: float = 15.0


class Accounts:
    """The accounts of ``store`` (a :class:`~cojian_graph.store.Store`).

    ``clock`` gives the current UTC time (tests move it instead of waiting).
    """

    def __init__(self, store, *, policy: Policy | None = None,
                 clock: Callable[[], _dt.datetime] | None = None):
        from argon2 import PasswordHasher

        self.store = store
        self.policy = policy or Policy()
        self.clock = clock or (lambda: _dt.datetime.now(_dt.UTC))
        self._hasher = PasswordHasher()  # argon2id, the library's recommended parameters
        self._dummy = None  # a hash to verify against for unknown names (the same time as a real one)

    # -- managing accounts --------------------------------------------------------------------------

    def add(self, name: str, password: str | None, *, role: str = "viewer", sso: bool = False) -> Account:
        """A new account. ``sso``: it signs in through the company's single sign-on (its name is the
        identity the provider gives, an e-mail address say) and has no password here."""
        from sqlalchemy import insert
        from sqlalchemy.exc import IntegrityError

        from .schema import accounts

        name = _name(name)
        role = _role(role)
        hashed = SSO_ONLY if sso else self._hash(password)
        try:
            with self.store._writing() as connection:
                connection.execute(insert(accounts).values(name=name, password_hash=hashed, role=role,
                                                           created_at=self._now()))
        except IntegrityError:
            raise StoreError(f"账号“{name}”已存在 / the account '{name}' already exists") from None
        return Account(name, role)

    def set_password(self, name: str, password: str) -> None:
        """A new password; it also clears failed sign-ins and the lock, and signs the account out."""
        from sqlalchemy import delete

        from .schema import sign_ins

        hashed = self._hash(password)
        with self.store._writing() as connection:
            self._update(connection, name, password_hash=hashed, failures=0, blocked_until=None)
            connection.execute(delete(sign_ins).where(sign_ins.c.account == name))

    def set_role(self, name: str, role: str) -> None:
        with self.store._writing() as connection:
            self._update(connection, name, role=_role(role))

    def remove(self, name: str) -> None:
        from sqlalchemy import delete

        from .schema import accounts, sign_ins

        with self.store._writing() as connection:
            connection.execute(delete(sign_ins).where(sign_ins.c.account == name))
            if connection.execute(delete(accounts).where(accounts.c.name == name)).rowcount != 1:
                raise StoreError(_no_account(name))

    def list(self) -> list[dict]:
        """Every account: name, role, created, failed sign-ins in a row, blocked until (no hashes)."""
        from sqlalchemy import select

        from .schema import accounts

        with self.store._connect() as connection:
            rows = connection.execute(select(accounts.c.name, accounts.c.role, accounts.c.created_at,
                                             accounts.c.failures, accounts.c.blocked_until)
                                      .order_by(accounts.c.name)).mappings().all()
        return [dict(row) for row in rows]

    def role_of(self, name: str, *, sso: bool = False) -> str | None:
        """The role of account ``name`` now, or None when there is no such account; with ``sso``, only
        of an account made for single sign-on (an identity the provider gives cannot take over a
        password account that bears the same name)."""
        from sqlalchemy import select

        from .schema import accounts

        query = select(accounts.c.role).where(accounts.c.name == str(name))
        if sso:
            query = query.where(accounts.c.password_hash == SSO_ONLY)
        with self.store._connect() as connection:
            return connection.execute(query).scalar()

    def has_admin(self) -> bool:
        return any(row["role"] == "admin" for row in self.list())

    # -- signing in ---------------------------------------------------------------------------------

    def sign_in(self, name: str, password: str) -> str:
        """A new session token for ``name``, or :class:`SignInError`. The error does not say whether
        the name exists; an unknown name costs the same time as a wrong password."""
        from argon2.exceptions import InvalidHashError, VerificationError
        from sqlalchemy import insert, select

        from .schema import accounts, sign_ins

        now = self.clock()
        wrong = SignInError("用户名或密码不正确 / wrong name or password")
        with self.store._writing() as connection:  # one at a time: the failure count cannot race
            row = connection.execute(select(accounts).where(accounts.c.name == str(name).strip())).mappings().first()
            if row is None:
                self._verify_dummy(password)
                raise wrong
            blocked = _parse(row["blocked_until"])
            if blocked is not None and blocked > now:
                raise self._blocked(row["failures"], (blocked - now).total_seconds())
            try:
                self._hasher.verify(row["password_hash"], password)
            except (VerificationError, InvalidHashError):
                failures = row["failures"] + 1
                wait = self._wait(failures)
                self._update(connection, row["name"], failures=failures,
                             blocked_until=(now + _dt.timedelta(seconds=wait)).isoformat() if wait else None)
                refused = self._blocked(failures, wait) if wait else wrong
            else:
                refused = None
            if refused is not None:  # the failure is counted: committed before the refusal is raised
                connection.commit()
                raise refused
            changes = {"failures": 0, "blocked_until": None}
            if self._hasher.check_needs_rehash(row["password_hash"]):
                changes["password_hash"] = self._hasher.hash(password)
            self._update(connection, row["name"], **changes)
            token = secrets.token_urlsafe(32)
            expires = now + _dt.timedelta(hours=self.policy.session_hours)
            connection.execute(insert(sign_ins).values(token_hash=_digest(token), account=row["name"],
                                                       expires_at=expires.isoformat()))
        return token

    def account_of(self, token: str | None) -> Account | None:
        """The account a session token signs in, while it has not expired; else None."""
        from sqlalchemy import select

        from .schema import accounts, sign_ins

        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        with self.store._connect() as connection:
            row = connection.execute(
                select(accounts.c.name, accounts.c.role, sign_ins.c.expires_at)
                .join(sign_ins, sign_ins.c.account == accounts.c.name)
                .where(sign_ins.c.token_hash == _digest(token))).mappings().first()
        if row is None or _parse(row["expires_at"]) <= self.clock():
            return None
        return Account(row["name"], row["role"])

    def sign_out(self, token: str | None) -> None:
        from sqlalchemy import delete

        from .schema import sign_ins

        if token:
            with self.store._writing() as connection:
                connection.execute(delete(sign_ins).where(sign_ins.c.token_hash == _digest(token)))

    # -- authorising --------------------------------------------------------------------------------

    def require(self, name: str, role: str, *, sso: bool = False) -> Account:
        """The account ``name`` as the store holds it now, if it has ``role`` (or one above);
        :class:`PermissionDenied` otherwise. Call it on the server before every change (``sso``: a
        single sign-on account, as :meth:`role_of`)."""
        found = self.role_of(name, sso=sso)
        account = Account(name, found) if found else None
        if account is None or not account.may(role):
            zh, en = ROLES[_role(role)]
            raise PermissionDenied(f"账号“{name}”无权执行此操作（需要{zh}权限）/ the account '{name}' may not do "
                                   f"this (it needs the {en} role)")
        return account

    # -- helpers ------------------------------------------------------------------------------------

    def _hash(self, password: str) -> str:
        if not isinstance(password, str) or len(password) < self.policy.min_password:
            raise StoreError(f"密码至少 {self.policy.min_password} 个字符 / a password needs at least "
                             f"{self.policy.min_password} characters")
        return self._hasher.hash(password)

    def _verify_dummy(self, password: str) -> None:
        from contextlib import suppress

        from argon2.exceptions import VerificationError

        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_hex(16))
        with suppress(VerificationError):
            self._hasher.verify(self._dummy, str(password))

    def _wait(self, failures: int) -> float:
        """Seconds before the next attempt after ``failures`` failed ones in a row."""
        policy = self.policy
        if failures >= policy.lock_after:
            return policy.lock_minutes * 60
        if failures <= policy.free_failures:
            return 0.0
        return min(2.0 ** (failures - policy.free_failures - 1), policy.max_wait_seconds)

    def _blocked(self, failures: int, wait: float) -> SignInError:
        seconds = max(1, round(wait))
        if failures >= self.policy.lock_after:
            minutes = max(1, round(wait / 60))
            return SignInError(f"失败次数过多，账号已锁定约 {minutes} 分钟；可请管理员重设密码 / too many failed "
                               f"sign-ins: the account is locked for about {minutes} min; an administrator can set "
                               "a new password", wait)
        return SignInError(f"用户名或密码不正确；请 {seconds} 秒后再试 / wrong name or password; try again in "
                           f"{seconds} s", wait)

    def _update(self, connection, name: str, **values) -> None:
        from sqlalchemy import update

        from .schema import accounts

        if connection.execute(update(accounts).where(accounts.c.name == name).values(**values)).rowcount != 1:
            raise StoreError(_no_account(name))

    def _now(self) -> str:
        return self.clock().isoformat()


def _rank(role: str) -> int:
    return list(ROLES).index(role) if role in ROLES else -1


def _role(role: str) -> str:
    if role not in ROLES:
        raise StoreError(f"未知的角色“{role}” / unknown role '{role}'; 可选 valid: {', '.join(ROLES)}")
    return role


def _name(name: str) -> str:
    name = str(name).strip()
    if not name or len(name) > 200 or any(ord(char) < 32 for char in name):
        raise StoreError("账号名须为 1–200 个可见字符 / an account name needs 1 to 200 visible characters")
    return name


def _no_account(name: str) -> str:
    return f"没有账号“{name}” / there is no account '{name}'"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _parse(text: str | None) -> _dt.datetime | None:
    return _dt.datetime.fromisoformat(text) if text else None
