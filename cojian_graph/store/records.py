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
        {k: str(v).strip() for k, v in content["extra"].items()} == old["extra"]


def table_name(table: str) -> str:
    if table not in TABLES:
        raise StoreError(f"未知的表 unknown table {table!r}; 可选 valid: {', '.join(TABLES)}")
    return table


def plain_fields(content: dict, name: str) -> dict:
    """A record's content as plain fields: its columns and its extra columns."""
    out = {column: content[column] for column in TABLES_COLUMNS[name]}
    out.update(content.get("extra", {}))
    return out


def empty_content(name: str, records: Mapping[str, Record]) -> dict:
    content = {column: "" for column in TABLES_COLUMNS[name]}
    content["extra"] = {}
    content["seq"] = 1 + max((record.content["seq"] for record in records.values()), default=-1)
    return content


def conflict(name: str, key: tuple[str, ...], edit: Edit, old: Record | None) -> Conflict:
    mine = {} if edit.values is None else {str(k): str(v) for k, v in edit.values.items()}
    theirs = plain_fields(old.content, name) if old is not None else {}
    names = list(dict.fromkeys([*mine, *theirs])) if edit.values is not None else list(theirs)
    fields = tuple((field, mine.get(field), theirs.get(field)) for field in names
                   if mine.get(field) != theirs.get(field))
    return Conflict(name, key, edit.base_version, old.version if old is not None else None, fields)


def raw_table(records: list[Record], name: str):
    """Records as a RawTable for validation (canonical columns, then the extra ones), in seq order."""
    from ..validate import RawTable

    records = sorted(records, key=lambda record: record.content["seq"])
    extra = list(dict.fromkeys(column for record in records for column in record.content["extra"]))
    header = [*TABLES_COLUMNS[name], *extra]
    return RawTable(header, [[record.content[column] for record in records] for column in TABLES_COLUMNS[name]]
                    + [[record.content["extra"].get(column, "") for record in records] for column in extra])


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
    out = []
    for row in connection.execute(select(table).order_by(table.c.seq)).mappings():
        content = {column: row[column] for column in TABLES_COLUMNS[name]}
        content["extra"] = json.loads(row["extra"] or "{}")
        content["seq"] = row["seq"]
        out.append(Record(tuple(row[column] for column in TABLES[name].key), content, row["version"],
                           name))
    return out


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
