"""The store's records: how a ledger's rows, the database's rows and the history's JSON turn into each
other, and the checks a change makes. Internal to :mod:`cojian_graph.store`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..schema import TABLES
from .types import Conflict, Edit, StoreError

TABLES_COLUMNS = {name: table.column_names for name, table in TABLES.items()}


@dataclass
class Record:
    """One record of a ledger table: its key, its content (the canonical columns, then ``extra``, a
    dict of its extra columns, and ``seq``, its place), its version and its table."""

    key: tuple[str, ...]
    content: dict
    version: int = 1
    table: str = ""


def normalised_equal(name: str, content: dict, old: dict) -> bool:
    """Whether an edited record's content is the stored one as text (trimmed). A quick test before
    validation; after it, a respelling (党员联学 for learning) is found equal too."""
    return all(str(content[column]).strip() == str(old[column]) for column in TABLES_COLUMNS[name]) and \
        _filled({k: str(v).strip() for k, v in content["extra"].items()}) == _filled(old["extra"])


def same_content(name: str, content: dict, old: dict) -> bool:
    """Whether two contents are the same record: columns, place, and extra columns (an empty extra
    cell is the same as none: a ledger fills every record's missing extra columns with "")."""
    return all(content[column] == old[column] for column in TABLES_COLUMNS[name]) and \
        content["seq"] == old["seq"] and _filled(content["extra"]) == _filled(old["extra"])


def _filled(extra: dict) -> dict:
    return {column: value for column, value in extra.items() if value != ""}


def table_name(table: str) -> str:
    if table not in TABLES:
        raise StoreError(f"未知的表 unknown table {table!r}; 可选 valid: {', '.join(TABLES)}")
    return table


def plain_fields(content: dict, name: str) -> dict:
    """A record's content as plain fields: its columns and its extra columns."""
    out = {column: content[column] for column in TABLES_COLUMNS[name]}
    out.update(content.get("extra", {}))
    return out


def empty_content(name: str, seq: int) -> dict:
    content = {column: "" for column in TABLES_COLUMNS[name]}
    content["extra"] = {}
    content["seq"] = seq
    return content


def clean_key(name: str, key: Iterable) -> tuple[str, ...]:
    """A record's key as the readers normalise ids (text, trimmed); StoreError when a part is
    missing or empty."""
    from ..validate import text_array

    parts = tuple(text_array(list(key)).tolist())
    if len(parts) != len(TABLES[name].key) or not all(parts):
        raise StoreError(f"{name} 的记录须有完整的编号 / a record of {name} needs its key "
                         f"({', '.join(TABLES[name].key)}), got {tuple(key)!r}")
    return parts


def conflict(name: str, key: tuple[str, ...], edit: Edit, old: Record | None) -> Conflict:
    mine = {} if edit.values is None else {str(k): str(v) for k, v in edit.values.items()}
    theirs = plain_fields(old.content, name) if old is not None else {}
    names = list(dict.fromkeys([*mine, *theirs])) if edit.values is not None else list(theirs)
    fields = tuple((field, mine.get(field), theirs.get(field)) for field in names
                   if mine.get(field) != theirs.get(field))
    return Conflict(name, key, edit.base_version, old.version if old is not None else None, fields)


def raw_table(records: list[Record], name: str):
    """Records as a RawTable for validation (canonical columns, then the extra ones), in seq order,
    and where each came from: its table, numbered by its place in the store (``seq`` + 2, the row
    of an export made before any record was deleted)."""
    from ..validate import RawTable, TableSource

    records = sorted(records, key=lambda record: record.content["seq"])
    extra = list(dict.fromkeys(column for record in records for column in record.content["extra"]))
    header = [*TABLES_COLUMNS[name], *extra]
    table = RawTable(header, [[record.content[column] for record in records] for column in TABLES_COLUMNS[name]]
                     + [[record.content["extra"].get(column, "") for record in records] for column in extra])
    return table, TableSource(name, rows=[record.content["seq"] + 2 for record in records])


def key_text(key: tuple[str, ...]) -> str:
    return json.dumps(list(key), ensure_ascii=False)


def key_clause(table, name: str, key: tuple[str, ...]) -> list:
    return [table.c[column] == value for column, value in zip(TABLES[name].key, key, strict=True)]


def row(record: Record) -> dict:
    content = record.content
    out = {column: content[column] for column in TABLES_COLUMNS[record.table]}
    out["extra"] = json.dumps(content["extra"], ensure_ascii=False)
    out["seq"] = content["seq"]
    return out


def records(connection, name: str) -> list[Record]:
    """The records of table ``name``, in their order."""
    from sqlalchemy import select

    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES[name]
    return [_record(row, name) for row in connection.execute(select(table).order_by(table.c.seq)).mappings()]


#: How many keys one query asks for (well under SQLite's limit of bound parameters).
BATCH = 500


def _record(row, name: str) -> Record:
    content = {column: row[column] for column in TABLES_COLUMNS[name]}
    content["extra"] = json.loads(row["extra"] or "{}")
    content["seq"] = row["seq"]
    return Record(tuple(row[column] for column in TABLES[name].key), content, row["version"], name)


def _batches(values: Iterable) -> Iterable[list]:
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), BATCH):
        yield values[start:start + BATCH]


def fetch(connection, name: str, keys: Iterable[tuple[str, ...]]) -> dict[str, Record]:
    """The records of table ``name`` with these keys (those that exist), by :func:`key_text`."""
    from sqlalchemy import select, tuple_

    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES[name]
    columns = [table.c[column] for column in TABLES[name].key]
    out = {}
    for chunk in _batches(keys):
        where = columns[0].in_([key[0] for key in chunk])
        if len(columns) > 1:  # the first column too: SQLite scans the table for a list of row values alone
            where = where & tuple_(*columns).in_(chunk)
        for row in connection.execute(select(table).where(where)).mappings():
            record = _record(row, name)
            out[key_text(record.key)] = record
    return out


def naming(connection, column: str, ids: Iterable[str]) -> list[Record]:
    """The participations whose ``column`` (activity_id or organization_id) is one of ``ids``."""
    from sqlalchemy import select

    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES["participations"]
    return [_record(row, "participations") for chunk in _batches(ids)
            for row in connection.execute(select(table).where(table.c[column].in_(chunk))).mappings()]


def existing(connection, name: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are ids of records of ``name`` (organizations or activities)."""
    from sqlalchemy import select

    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES[name]
    return {found for chunk in _batches(ids)
            for found in connection.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars()}


def participant_counts(connection, activity_ids: Iterable[str]) -> dict[str, int]:
    """How many participations each of ``activity_ids`` has (activities without any are left out)."""
    from sqlalchemy import func, select

    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES["participations"]
    return {activity: count for chunk in _batches(activity_ids)
            for activity, count in connection.execute(
                select(table.c.activity_id, func.count()).where(table.c.activity_id.in_(chunk))
                .group_by(table.c.activity_id))}


def next_seq(connection, name: str) -> int:
    """The place after the last record of table ``name``."""
    from sqlalchemy import func, select

    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES[name]
    return int(connection.execute(select(func.coalesce(func.max(table.c.seq), -1))).scalar()) + 1


def table_columns(connection, name: str) -> dict:
    """Table ``name`` as the Ledger's columns (object arrays of str), in ``seq`` order, read column-wise:
    JSON is parsed only for the records that have extra columns."""
    from sqlalchemy import select

    from ..columns import object_array
    from .schema import LEDGER_TABLES

    table = LEDGER_TABLES[name]
    canonical = TABLES_COLUMNS[name]
    rows = connection.execute(select(*(table.c[column] for column in canonical), table.c.extra)
                              .order_by(table.c.seq)).all()
    values = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(canonical) + 1)]
    out = {column: object_array(list(values[position])) for position, column in enumerate(canonical)}
    extras = values[-1]
    if any(extra != "{}" for extra in extras):
        parsed = [json.loads(extra or "{}") for extra in extras]
        for column in dict.fromkeys(key for record in parsed for key in record):
            out[column] = object_array([record.get(column, "") for record in parsed])
    return out


def records_of_ledger(ledger, name: str) -> Iterable[Record]:
    columns = ledger.columns(name)
    canonical = TABLES_COLUMNS[name]
    extra_names = [column for column in columns if column not in canonical]
    values = {column: values.tolist() for column, values in columns.items()}
    for position in range(ledger.size(name)):
        content = {column: values[column][position] for column in canonical}
        content["extra"] = {column: values[column][position] for column in extra_names}
        content["seq"] = position
        yield Record(tuple(content[column] for column in TABLES[name].key), content, 1, name)


def ledger_of(tables: Mapping[str, Iterable]):
    """A Ledger from each table's records (``Record`` or content dicts), in ``seq`` order."""
    from ..columns import object_array
    from ..ledger import Ledger

    columns = {}
    for name in TABLES:
        contents = [record.content if isinstance(record, Record) else record for record in tables[name]]
        contents.sort(key=lambda content: content["seq"])
        extra_names = list(dict.fromkeys(column for content in contents for column in content["extra"]))
        table = {column: object_array([content[column] for content in contents]) for column in TABLES_COLUMNS[name]}
        for column in extra_names:
            table[column] = object_array([content["extra"].get(column, "") for content in contents])
        columns[name] = table
    return Ledger(columns["organizations"], columns["activities"], columns["participations"])


def append_changes(connection, rev: int, log: list[tuple[str, str, dict | None, dict | None]]) -> None:
    from sqlalchemy import insert

    from .schema import changes

    if log:
        connection.execute(insert(changes), [
            {"rev": rev, "table_name": name, "record_key": key,
             "before": None if before is None else json.dumps(before, ensure_ascii=False),
             "after": None if after is None else json.dumps(after, ensure_ascii=False)}
            for name, key, before, after in log])


def checked_change(connection, touched: list[tuple[str, tuple[str, ...], Record | None, Record | None]]) \
        -> dict[str, dict[str, Record]]:
    """Validate a change against the store it lands in, reading only the records it can affect.

    ``touched`` lists each changed record as (table, key, before, after), after None for a deletion.
    The records the change writes are checked by the readers' rules (:func:`~cojian_graph.validate.
    validated`) together with those a rule needs beside them: the participations a deleted
    organisation or activity still has (each one then names what no longer exists) and the
    activities a deleted participation leaves (each needs a participant). Whether a named record
    exists, or an activity keeps a participant, is asked of the database. The store held a valid
    ledger before the change, so every rule holds for the records the change cannot reach.

    Returns the written records as validation normalised them (link types as ids, dates as ISO …),
    by table and :func:`key_text`; raises ``LedgerError`` with every problem.
    """
    from ..validate import validated

    frame: dict[str, dict[str, Record]] = {name: {} for name in TABLES}
    gone: dict[str, set[str]] = {name: set() for name in TABLES}  # ids (key texts for participations)
    was_stored: dict[str, int] = {}  # activity id → its changed participations that were in the store
    for name, key, before, after in touched:
        if after is None:
            gone[name].add(key[0] if name != "participations" else key_text(key))
        else:
            frame[name][key_text(key)] = after
        if name == "participations" and before is not None:
            was_stored[key[0]] = was_stored.get(key[0], 0) + 1
    changed_parts = {key_text(key) for name, key, _, _ in touched if name == "participations"}

    # participations still naming a deleted organisation or activity
    for column, name in (("organization_id", "organizations"), ("activity_id", "activities")):
        for record in naming(connection, column, gone[name]):
            if key_text(record.key) not in changed_parts:
                frame["participations"].setdefault(key_text(record.key), record)
    # activities a deleted participation may leave without participants
    left = {json.loads(key)[0] for key in gone["participations"]} - gone["activities"]
    left -= {record.key[0] for record in frame["activities"].values()}
    for record in fetch(connection, "activities", [(activity,) for activity in left]).values():
        frame["activities"][key_text(record.key)] = record
    if not any(frame.values()):
        return {name: {} for name in TABLES}

    parts = frame["participations"].values()
    known = {}
    for name, column in (("organizations", "organization_id"), ("activities", "activity_id")):
        wanted = {record.content[column] for record in parts} - {record.key[0] for record in frame[name].values()}
        known[name] = existing(connection, name, wanted) - gone[name]
    activities = [record.key[0] for record in frame["activities"].values()]
    counts = participant_counts(connection, activities)
    known["participated"] = {activity for activity in activities
                             if counts.get(activity, 0) > was_stored.get(activity, 0)}
    tables, sources = {}, {}
    for name in TABLES:
        tables[name], sources[name] = raw_table(list(frame[name].values()), name)
    ledger = validated(tables, source="store", sources=sources, known=known)
    return {name: {key_text(record.key): record for record in records_of_ledger(ledger, name)} for name in TABLES}
