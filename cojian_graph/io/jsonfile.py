"""A ledger as one JSON file::

    {"format": "cojian-ledger", "version": 1,
     "organizations": [{"id": "a", "name": "…", …}, …], "activities": […], "participations": […]}

UTF-8, non-ASCII characters written as they are. Problems name the table and the record number,
counted from 1.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..errors import Problem
from ..schema import TABLES
from ..validate import RawTable, TableSource, cell_text, make_problem, validated
from .encoding import UndecodableError, decode_text
from .limits import file_too_large
from .steps import reading_step

__all__ = ["FORMAT", "VERSION", "ledger_to_dict", "read_json", "write_json"]

FORMAT = "cojian-ledger"
VERSION = 1


def read_json(path: str | Path, *, progress=None):
    """Read the ledger in the JSON file ``path``.

    Raises
    ------
    LedgerError
        With every problem: invalid JSON, missing tables, bad records and cells.
    """
    path = Path(path)
    none = {name: None for name in TABLES}
    too_big = file_too_large(path)
    if too_big:
        return validated(none, source=str(path), problems=[too_big])
    try:
        text, _ = decode_text(path.read_bytes())
        document = json.loads(text, object_pairs_hook=_Object.from_pairs, parse_constant=_no_constant,
                              parse_float=_finite_float)
    except (UndecodableError, OSError) as error:
        return _reject(path, "文件不是 UTF-8 文本", f"not UTF-8 text ({error})",
                       "以 UTF-8 编码保存", "save it as UTF-8")
    except json.JSONDecodeError as error:
        return _reject(path, f"JSON 格式错误（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）",
                       f"invalid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
                       "修正该处的 JSON 语法", "fix the JSON syntax there")
    except RecursionError:
        return _reject(path, "JSON 嵌套层数过多", "the JSON is nested too deeply",
                       "台账每条记录只有一层 {\"列名\": \"值\"}", 'a ledger record is one level: {"column": "value"}')
    except ValueError as error:  # a number out of range, NaN or Infinity, an integer of thousands of digits
        return _reject(path, f"JSON 中有无法使用的数值（{error}）", f"the JSON holds an unusable number ({error})",
                       "数值写成普通数字或加引号写成文字", "write numbers plainly, or quote them as text")
    if not isinstance(document, dict):
        return _reject(path, "顶层应为对象 {…}", "the top level must be an object {…}",
                       f'写成 {{"format": "{FORMAT}", "version": 1, "organizations": […], …}}',
                       f'write {{"format": "{FORMAT}", "version": 1, "organizations": […], …}}')
    if document.get("format", FORMAT) != FORMAT:
        return _reject(path, f"不是 cojian 台账（format 为 {document.get('format')!r}）",
                       f"not a cojian ledger (format is {document.get('format')!r})",
                       f'format 应为 "{FORMAT}"', f'format should be "{FORMAT}"')
    version = document.get("version", VERSION)
    if version != VERSION:
        return _reject(path, f"不支持的版本 {version!r}", f"unsupported version {version!r}",
                       f"本程序读取版本 {VERSION}；请升级 cojian-graph",
                       f"this program reads version {VERSION}; upgrade cojian-graph")
    frames: dict[str, RawTable | None] = dict(none)
    sources: dict[str, TableSource] = {}
    problems: list[Problem] = []
    for step, (name, table) in enumerate(TABLES.items()):
        label = f"{path.name} › {name} (行号=记录序号 row = record no., from 1)"
        reading_step(progress, step, f"{path.name} › {name}")
        sources[name] = TableSource(label, first_row=1)
        records = document.get(name)
        if records is None:
            problems.append(make_problem(
                "missing_table", label, table=name, table_zh=table.zh,
                fix_zh=f'添加 "{name}": [...]', fix_en=f'add "{name}": [...]'))
            continue
        bad = ([None] if not isinstance(records, list)
               else [index for index, record in enumerate(records, start=1) if not isinstance(record, dict)])
        if bad:
            where = "" if bad == [None] else f"（第 {bad[0]} 条记录）"
            where_en = "" if bad == [None] else f" (record {bad[0]})"
            problems.append(make_problem(
                "unreadable_file", label, None if bad == [None] else bad[0],
                reason_zh=f"应为对象的列表{where}", reason_en=f"must be a list of objects{where_en}",
                fix_zh='每条记录写成 {"列名": "值", …}',
                fix_en='write each record as {"column": "value", …}'))
            continue
        problems += _record_problems(records, label)
        frames[name] = _table(records, table.column_names)
    reading_step(progress, len(TABLES), "")
    return validated(frames, source=str(path), sources=sources, problems=problems)


class _Object(dict):
    """A JSON object, remembering keys it had more than once (``json`` keeps the last silently)."""

    repeated: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, object]]) -> _Object:
        out = cls(pairs)
        if len(out) < len(pairs):
            seen: set[str] = set()
            out.repeated = tuple(dict.fromkeys(key for key, _ in pairs if key in seen or seen.add(key)))
        return out


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a ledger can hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _record_problems(records: list[dict], label: str) -> list[Problem]:
    """Repeated keys and cells that are objects or lists, named by record and key."""
    problems = []
    for number, record in enumerate(records, start=1):
        for key in getattr(record, "repeated", ()):
            problems.append(make_problem(
                "unreadable_file", label, number, key,
                reason_zh=f"键“{key}”在同一条记录中出现了不止一次", reason_en=f"the key '{key}' appears more than "
                "once in the record", fix_zh="每个键只写一次", fix_en="write each key once"))
        for key, value in record.items():
            if isinstance(value, dict | list):
                problems.append(make_problem(
                    "unreadable_file", label, number, key,
                    reason_zh="单元格的值是对象或列表", reason_en="the cell holds an object or a list",
                    fix_zh="写成文字或数字", fix_en="write text or a number"))
    return problems


def ledger_to_dict(ledger) -> dict:
    """The JSON document of ``ledger`` as Python objects (what :func:`write_json` writes)."""
    document: dict = {"format": FORMAT, "version": VERSION}
    for name in TABLES:
        columns = ledger.columns(name)
        keys = [str(column) for column in columns]
        document[name] = [dict(zip(keys, record, strict=True))
                          for record in zip(*(values.tolist() for values in columns.values()), strict=True)]
    return document


def write_json(ledger, path: str | Path, *, indent: int | None = 1) -> None:
    """Write ``ledger`` as a JSON file (UTF-8, ``ensure_ascii=False``)."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(ledger_to_dict(ledger), handle, ensure_ascii=False, indent=indent)
        handle.write("\n")


def _table(records: list[dict], columns: list[str]) -> RawTable:
    if not records:
        return RawTable(list(columns), [[] for _ in columns])
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    return RawTable(list(keys), [[_value(record.get(key)) for record in records] for key in keys])


def _value(value) -> str:
    if isinstance(value, dict | list):  # reported by _record_problems; the text keeps the row visible
        return json.dumps(value, ensure_ascii=False)[:100]
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)


def _reject(path: Path, reason_zh: str, reason_en: str, fix_zh: str, fix_en: str):
    problem = make_problem("unreadable_file", path.name, reason_zh=reason_zh, reason_en=reason_en,
                           fix_zh=fix_zh, fix_en=fix_en)
    return validated({name: None for name in TABLES}, source=str(path), problems=[problem])
