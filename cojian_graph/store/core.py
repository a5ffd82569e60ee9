"""The store: a ledger kept in a database, every change a revision in its history.

:class:`Store` opens a database by URL (SQLite, the embedded default, or PostgreSQL through
psycopg 3), creates or upgrades its schema with Alembic, and hands out the same immutable
:class:`~cojian_graph.ledger.Ledger` the rest of the library uses. A change is one transaction:
it is written whole, with its revision (number, UTC time, user, note) and the before and after of
every record it touched, or not at all. From that history, the ledger as of any revision or date
is rebuilt.

Examples
--------
>>> import tempfile, pathlib
>>> from cojian_graph.testing import tiny_ledger
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = Store(f"sqlite:///{folder / 'store.sqlite'}", create=True)
>>> store.import_ledger(tiny_ledger(), user="clerk").revision
1
>>> store.ledger().content_hash() == tiny_ledger().content_hash()
True
>>> store.close()
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from ..collector import paused
from ..schema import TABLES
from . import records
from .types import Conflict, ConflictError, Edit, ImportPlan, StoreError

__all__ = ["Conflict", "ConflictError", "Edit", "ImportPlan", "Store", "StoreError"]

#: Where the migrations live (shipped inside the package).
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _database_errors(method):
    """Turn the database's own errors (a lost connection, a locked or corrupted file) into a
    :class:`StoreError` naming the database; the transaction under way has been rolled back."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        from sqlalchemy.exc import DBAPIError

        try:
            return method(self, *args, **kwargs)
        except DBAPIError as error:
            raise StoreError(f"数据库出错，本次操作未生效 / the database failed and nothing was changed "
                             f"({_safe(self.engine.url)}): {_explained(error)}") from None

    return wrapper


def _explained(error) -> str:
    """The first line of a database error, with what to do about it when it is one people meet."""
    reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0][:300]
    return reason + next((hint for words, hint in _HINTS.items() if words in reason.lower()), "")


#: What to do about the database errors people meet, by words of the driver's message.
_HINTS = {
    "readonly database": " — 台账库文件或其文件夹只读：请检查权限，或请管理员修改 / the store's file or its folder is "
                         "read-only: check their permissions, or ask whoever manages the machine",
    "database is locked": " — 另一程序正在写入台账库，请稍后重试 / another program is writing to the store: try again "
                          "in a moment",
    "terminating connection": " — 数据库服务器中断了连接，请确认服务器在运行后重试 / the database server closed the "
                              "connection: check that it is running, then try again",
    "server closed the connection": " — 数据库服务器中断了连接，请确认服务器在运行后重试 / the database server closed "
                                    "the connection: check that it is running, then try again",
}


class Store:
    """A ledger store at ``url`` (``sqlite:///path`` or ``postgresql+psycopg://…``).

    ``create=True`` creates the database's tables, or upgrades them to the latest schema; without
    it, a database that is not at the latest schema is refused with the reason.
    """

    def __init__(self, url: str, *, create: bool = False):
        from sqlalchemy import create_engine, event
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        self.url = url
        try:
            self.engine = create_engine(url, future=True)
        except (ArgumentError, NoSuchModuleError) as error:
            raise StoreError(f"无法识别的数据库地址 / not a database URL: {url!r} ({error})") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
            path = self.engine.url.database
            if not create and path not in (None, "", ":memory:") and not Path(path).exists():
                self.engine.dispose()  # opening would make an empty file
                raise StoreError(f"没有台账库 {path}，请先运行 cojian db init / no store at {path}: run cojian db init")
        try:
            if create:
                self.upgrade()
            else:
                self._check_schema()
        except StoreError:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------

    @_database_errors
    def upgrade(self) -> None:
        """Create the tables, or bring them to the latest schema (Alembic ``upgrade head``)."""
        from alembic import command

        self._check_schema(allow_older=True)
        with self._connect() as connection, connection.begin():
            config = _alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _check_schema(self, *, allow_older: bool = False) -> None:
        """StoreError when the database is not at the latest schema (or at one this program does not know)."""
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(_alembic_config(self.url)).get_current_head()
        current = self.schema_revision()
        known = {script.revision for script in ScriptDirectory.from_config(_alembic_config(self.url)).walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(f"数据库的结构版本 {current} 比本程序新，请升级 cojian-graph / the database's schema "
                             f"({current}) is newer than this program knows; upgrade cojian-graph")
        if current != head and not allow_older:
            raise StoreError("数据库尚未初始化或需要升级，请运行 cojian db init / the database is not initialised or "
                             "needs an upgrade: run cojian db init")

    @_database_errors
    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None for an empty database)."""
        from sqlalchemy import inspect, text

        with self._connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    # -- reading -----------------------------------------------------------------------------------

    @property
    @_database_errors
    def revision(self) -> int:
        """The number of the last committed change (0 for an empty store)."""
        from sqlalchemy import func, select

        from .schema import revisions

        with self._connect() as connection:
            return int(connection.execute(select(func.coalesce(func.max(revisions.c.rev), 0))).scalar())

    @_database_errors
    def ledger(self):
        """The ledger as it is now: a :class:`~cojian_graph.ledger.Ledger`."""
        from ..ledger import Ledger

        tables = {}
        with paused(), self._connect() as connection:  # a row object per record: see cojian_graph.collector
            for name in TABLES:
                tables[name] = records.table_columns(connection, name)
            return Ledger(*(tables[name] for name in TABLES))

    @_database_errors
    def as_of(self, when: int | str | _dt.date):
        """The ledger as it was after revision ``when`` (an int), or at the end of a date (``"2022-12-31"``,
        a :class:`datetime.date`, or a UTC ISO time): the history replayed up to there."""
        from sqlalchemy import select

        from .schema import changes

        rev = self._revision_at(when)
        state: dict[str, dict[str, dict]] = {name: {} for name in TABLES}
        query = (select(changes.c.table_name, changes.c.record_key, changes.c.after)
                 .where(changes.c.rev <= rev).order_by(changes.c.rev, changes.c.id))
        with paused(), self._connect() as connection:  # a dict per change: see cojian_graph.collector
            for table, key, after in connection.execute(query):
                if after is None:
                    state[table].pop(key, None)
                else:
                    state[table][key] = json.loads(after)
            return records.ledger_of({name: list(found.values()) for name, found in state.items()})

    @_database_errors
    def log(self, *, since: int | str | None = None) -> list[dict]:
        """The revisions (newest last) after ``since`` (a revision or a date), each with its changes."""
        from sqlalchemy import select

        from .schema import changes, revisions

        start = 0 if since is None else self._revision_at(since)
        with self._connect() as connection:
            rows = connection.execute(select(revisions).where(revisions.c.rev > start)
                                      .order_by(revisions.c.rev)).mappings().all()
            touched = connection.execute(select(changes).where(changes.c.rev > start)
                                         .order_by(changes.c.rev, changes.c.id)).mappings().all()
        by_rev: dict[int, list[dict]] = {}
        for change in touched:
            by_rev.setdefault(change["rev"], []).append(_change(change))
        return [{**dict(row), "changes": by_rev.get(row["rev"], [])} for row in rows]

    @_database_errors
    def revisions(self, *, limit: int | None = None) -> list[dict]:
        """The revisions, newest first (at most ``limit``): number, time, user, action, note; no changes."""
        from sqlalchemy import select

        from .schema import revisions

        query = select(revisions).order_by(revisions.c.rev.desc())
        if limit is not None:
            query = query.limit(int(limit))
        with self._connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    @_database_errors
    def changes(self, rev: int, *, limit: int | None = None) -> list[dict]:
        """The changes of revision ``rev`` (at most ``limit``), as in :meth:`log`."""
        from sqlalchemy import select

        from .schema import changes

        query = select(changes).where(changes.c.rev == int(rev)).order_by(changes.c.id)
        if limit is not None:
            query = query.limit(int(limit))
        with self._connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [_change(row) for row in rows]

    @_database_errors
    def log_of(self, organization: str, *, limit: int = 500) -> list[dict]:
        """The revisions (newest last, the last ``limit``) that changed organisation ``organization``
        or one of its participations, each with those changes only, as in :meth:`log`."""
        from sqlalchemy import and_, or_, select

        from .schema import changes, revisions

        own = and_(changes.c.table_name == "organizations",
                   changes.c.record_key == records.key_text((str(organization),)))
        parts = and_(changes.c.table_name == "participations",
                     changes.c.record_key.endswith(", " + json.dumps(str(organization), ensure_ascii=False) + "]",
                                                   autoescape=True))
        with self._connect() as connection:
            rows = connection.execute(select(changes).where(or_(own, parts))
                                      .order_by(changes.c.rev.desc(), changes.c.id)).mappings().all()
            revs = sorted({row["rev"] for row in rows})[-limit:]
            meta = {row["rev"]: dict(row) for row in connection.execute(
                select(revisions).where(revisions.c.rev.in_(revs))).mappings()} if revs else {}
        by_rev: dict[int, list[dict]] = {}
        for row in rows:
            if row["rev"] in meta:
                by_rev.setdefault(row["rev"], []).append(_change(row))
        return [{**meta[rev], "changes": by_rev[rev]} for rev in revs]

    @_database_errors
    def touched(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """Which records every revision touched: (revision, table, key), without their contents."""
        from sqlalchemy import select

        from .schema import changes

        with self._connect() as connection:
            rows = connection.execute(select(changes.c.rev, changes.c.table_name, changes.c.record_key)
                                      .order_by(changes.c.rev, changes.c.id)).all()
        return [(rev, table, tuple(json.loads(key))) for rev, table, key in rows]

    def revision_at(self, when: int | str | _dt.date) -> int:
        """The last revision committed by the end of ``when`` (a date, or a UTC ISO time); 0 if none."""
        return self._revision_at(when)

    def _revision_at(self, when: int | str | _dt.date) -> int:
        from sqlalchemy import func, select

        from .schema import revisions

        if isinstance(when, int) or (isinstance(when, str) and when.strip().isdigit()):
            return int(when)
        moment = _end_of(when)
        with self._connect() as connection:
            found = connection.execute(select(func.coalesce(func.max(revisions.c.rev), 0))
                                       .where(revisions.c.at <= moment)).scalar()
        return int(found)

    # -- changing -----------------------------------------------------------------------------------

    @_database_errors
    def import_ledger(self, ledger, *, user: str, note: str = "", dry_run: bool = False) -> ImportPlan:
        """Make the store hold ``ledger`` (a validated :class:`~cojian_graph.ledger.Ledger`) as one
        revision: records it lacks are added, records that differ are changed (their version
        raised), records ``ledger`` lacks are deleted. With ``dry_run`` nothing is written; the plan
        says what would be."""
        from sqlalchemy import delete, insert, update

        from .schema import LEDGER_TABLES

        wanted = {name: {records.key_text(record.key): record for record in records.records_of_ledger(ledger, name)}
                  for name in TABLES}
        with self._writing() as connection:
            current = {name: {records.key_text(record.key): record for record in records.records(connection, name)}
                       for name in TABLES}
            added = {name: [key for key in wanted[name] if key not in current[name]] for name in TABLES}
            deleted = {name: [key for key in current[name] if key not in wanted[name]] for name in TABLES}
            changed = {name: [key for key in wanted[name]
                              if key in current[name] and wanted[name][key].content != current[name][key].content]
                       for name in TABLES}
            plan = ImportPlan({n: len(added[n]) for n in TABLES}, {n: len(changed[n]) for n in TABLES},
                              {n: len(deleted[n]) for n in TABLES})
            if dry_run or plan.empty:
                return plan
            rev = self._next_revision(connection, user, "import", note)
            log = []
            # deletions first, participations before what they refer to; additions in the other order
            for name in reversed(list(TABLES)):
                table = LEDGER_TABLES[name]
                for key in deleted[name]:
                    record = current[name][key]
                    connection.execute(delete(table).where(*records.key_clause(table, name, record.key)))
                    log.append((name, key, record.content, None))
            for name in TABLES:
                table = LEDGER_TABLES[name]
                for key in changed[name]:
                    record, old = wanted[name][key], current[name][key]
                    connection.execute(update(table).where(*records.key_clause(table, name, record.key))
                                       .values(**records.row(record), version=old.version + 1))
                    log.append((name, key, old.content, record.content))
                rows = [records.row(wanted[name][key]) for key in added[name]]
                if rows:
                    connection.execute(insert(table), rows)
                log += [(name, key, None, wanted[name][key].content) for key in added[name]]
            records.append_changes(connection, rev, log)
        return ImportPlan(plan.added, plan.changed, plan.deleted, rev)

    @_database_errors
    def record(self, table: str, key: tuple[str, ...]) -> tuple[dict, int] | None:
        """The record of ``table`` with ``key`` as its fields (extra columns included) and its version,
        or None."""
        return self.records(table, [tuple(key)]).get(tuple(str(part) for part in key))

    @_database_errors
    def records(self, table: str, keys) -> dict[tuple[str, ...], tuple[dict, int]]:
        """The records of ``table`` with these keys (those that exist), as :meth:`record` gives each,
        by key; read in batches, in one connection."""
        name = records.table_name(table)
        with self._connect() as connection:
            found = records.fetch(connection, name, [tuple(key) for key in keys])
        return {record.key: (records.plain_fields(record.content, name), record.version) for record in found.values()}

    @_database_errors
    def participations_of(self, organization: str) -> list[tuple[dict, int]]:
        """The participations of ``organization``: each one's fields and version (found by index)."""
        with self._connect() as connection:
            found = records.naming(connection, "organization_id", [str(organization)])
        return [(records.plain_fields(record.content, "participations"), record.version) for record in found]

    @_database_errors
    def apply(self, edits: Iterable[Edit], *, user: str, note: str = "", action: str = "edit") -> int | None:
        """Commit ``edits`` as one revision and return its number (None when they change nothing:
        an edit that leaves a record as it is makes no new version and no revision).

        Every edit's ``base_version`` must be the record's version now (0: the record must not
        exist), else :class:`ConflictError` lists every such record with both values; the ledger the
        edits make must be valid (the readers' rules: ``LedgerError`` with every problem), so a
        participation can never name a deleted organisation. Whole or nothing.
        """
        from sqlalchemy import delete, insert, update

        from .schema import LEDGER_TABLES

        edits = [(records.table_name(edit.table), edit) for edit in edits]
        if not edits:
            raise StoreError("没有要保存的修改 / no change to save")
        edits = [(name, records.clean_key(name, edit.key), edit) for name, edit in edits]
        with self._writing() as connection:
            stored = {name: records.fetch(connection, name, [key for table, key, _ in edits if table == name])
                      for name in TABLES}
            state = {name: dict(found) for name, found in stored.items()}  # the records as the edits leave them
            places: dict[str, int] = {}
            conflicts, touched = [], {}
            for name, key, edit in edits:
                old = state[name].get(records.key_text(key))
                version = old.version if old is not None else 0
                if version != edit.base_version:
                    conflicts.append(records.conflict(name, key, edit, old))
                    continue
                touched[name, records.key_text(key)] = key
                if edit.values is None:
                    state[name].pop(records.key_text(key), None)
                    continue
                if old is None:
                    if name not in places:
                        places[name] = records.next_seq(connection, name)
                    content, places[name] = records.empty_content(name, places[name]), places[name] + 1
                else:
                    content = dict(old.content)
                content["extra"] = dict(content["extra"])
                for column, value in edit.values.items():
                    if column in records.TABLES_COLUMNS[name]:
                        content[column] = str(value)
                    elif column == "seq":  # a revert puts a record back in its place
                        content["seq"] = int(value)
                    elif column not in ("extra", "version"):
                        content["extra"][column] = str(value)
                for position, column in enumerate(TABLES[name].key):
                    content[column] = key[position]
                state[name][records.key_text(key)] = records.Record(key, content, version + 1, name)
            if conflicts:
                raise ConflictError(conflicts)
            # what changes: (table, key, as stored, as left), without edits that leave a record as it was
            change = [(name, key, stored[name].get(text), state[name].get(text))
                      for (name, text), key in touched.items()]
            change = [(name, key, old, new) for name, key, old, new in change
                      if not (old is None and new is None)
                      and not (old is not None and new is not None
                               and records.normalised_equal(name, new.content, old.content)
                               and new.content["seq"] == old.content["seq"])]
            if not change:
                return None
            normal = records.checked_change(connection, change)
            written = []
            for name, key, old, new in change:
                if new is not None:  # as validation normalised it (ids of link types …), in its place
                    new = normal[name][records.key_text(key)]
                    new.content["seq"] = state[name][records.key_text(key)].content["seq"]
                    if old is not None and records.same_content(name, new.content, old.content):
                        continue  # a respelling only (党员联学 for learning): nothing changes
                written.append((name, key, old, new))
            if not written:
                return None
            rev = self._next_revision(connection, user, action, note)
            log = []
            for name, key, old, new in written:
                table = LEDGER_TABLES[name]
                if new is None:
                    connection.execute(delete(table).where(*records.key_clause(table, name, key)))
                elif old is None:
                    connection.execute(insert(table), [records.row(new)])
                else:
                    done = connection.execute(update(table).where(*records.key_clause(table, name, key),
                                                                  table.c.version == old.version)
                                              .values(**records.row(new), version=old.version + 1))
                    if done.rowcount != 1:  # changed by another writer since this transaction read it
                        raise ConflictError([records.conflict(name, key, Edit(name, key, new.content, old.version),
                                                              None)])
                log.append((name, records.key_text(key), None if old is None else old.content,
                            None if new is None else new.content))
            records.append_changes(connection, rev, log)
        return rev

    @_database_errors
    def revert(self, rev: int, *, user: str, note: str = "") -> int:
        """Undo revision ``rev`` as a new revision (history is never rewritten): every record it
        touched goes back to its content before ``rev``. Refused with :class:`ConflictError` when a
        later revision changed one of them."""
        from sqlalchemy import select

        from .schema import changes

        with self._connect() as connection:
            rows = connection.execute(select(changes).where(changes.c.rev == int(rev))
                                      .order_by(changes.c.id)).mappings().all()
            keyed = [(row["table_name"], tuple(json.loads(row["record_key"])), row) for row in rows]
            now = {name: records.fetch(connection, name, [key for table, key, _ in keyed if table == name])
                   for name in TABLES}
        if not rows:
            raise StoreError(f"没有修订 {rev} / there is no revision {rev}")
        edits = []
        for name, key, row in keyed:
            after = json.loads(row["after"]) if row["after"] else None
            current = now[name].get(records.key_text(key))
            if (after is None) != (current is None) or (
                    current is not None and records.plain_fields(after, name) != records.plain_fields(current.content,
                                                                                                   name)):
                raise ConflictError([Conflict(name, key, int(rev), current.version if current else None, ())])
            before = json.loads(row["before"]) if row["before"] else None
            restored = None if before is None else {**records.plain_fields(before, name), "seq": before["seq"]}
            edits.append(Edit(name, key, restored, current.version if current else 0))
        return self.apply(edits, user=user, note=note or f"撤销修订 {rev} / revert of revision {rev}",
                          action="revert")

    def _next_revision(self, connection, user: str, action: str, note: str) -> int:
        from sqlalchemy import func, insert, select

        from .schema import revisions

        if not str(user).strip():
            raise StoreError("每次修改都须注明用户 / every change needs a user name")
        rev = int(connection.execute(select(func.coalesce(func.max(revisions.c.rev), 0))).scalar()) + 1
        connection.execute(insert(revisions).values(rev=rev, at=_now(), user=str(user)[:200], action=action,
                                                    note=str(note)))
        return rev

    @contextmanager
    def _writing(self):
        """A connection in a write transaction, one writer at a time: SQLite's ``BEGIN IMMEDIATE``,
        PostgreSQL's transaction-scoped advisory lock. A writer then reads the records it checks
        only after the one before it committed, so versions and references cannot race."""
        from sqlalchemy import text

        with self._connect() as connection:
            connection.info["immediate"] = True  # read by _sqlite_begin
            with connection.begin():
                if self.engine.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})
                yield connection

    def _connect(self):
        from sqlalchemy.exc import DBAPIError

        try:
            return self.engine.connect()
        except DBAPIError as error:
            raise StoreError(f"无法连接数据库 / cannot connect to the database {_safe(self.engine.url)}: "
                             f"{_explained(error)}") from None


# -- helpers ---------------------------------------------------------------------------------------


def _change(row) -> dict:
    return {"table": row["table_name"], "key": json.loads(row["record_key"]),
            "before": json.loads(row["before"]) if row["before"] else None,
            "after": json.loads(row["after"]) if row["after"] else None}


def _safe(url) -> str:
    """A database URL without its password, for messages."""
    return url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)


#: How long a writer waits for the writer before it on SQLite (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


#: The PostgreSQL advisory lock that writers of a store take (one writer at a time per database).
_WRITE_LOCK = 0x636F6A69  # "coji"


def _sqlite_pragmas(connection, _record) -> None:
    """WAL (readers never block the writer), a busy timeout, and foreign keys enforced; the driver
    leaves transactions to SQLAlchemy (:func:`_sqlite_begin`), as SQLAlchemy's SQLite docs advise."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """``BEGIN IMMEDIATE`` for a writer (it waits, up to the busy timeout, for the writer before it),
    a plain ``BEGIN`` for a reader."""
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.info.pop("immediate", False) else "BEGIN")


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")


def _end_of(when: str | _dt.date) -> str:
    """The UTC ISO time that ends ``when``: a date ends at its last microsecond."""
    if isinstance(when, _dt.datetime):
        return when.astimezone(_dt.UTC).isoformat(timespec="microseconds")
    if isinstance(when, _dt.date):
        return f"{when.isoformat()}T23:59:59.999999+00:00"
    text = str(when).strip()
    try:
        if len(text) == 10:
            return _end_of(_dt.date.fromisoformat(text))
        return _end_of(_dt.datetime.fromisoformat(text))
    except ValueError:
        raise StoreError(f"无法识别的修订号或日期 / not a revision number or date: {when!r}") from None


