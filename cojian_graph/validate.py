"""Normalise and validate the three tables of a ledger, reporting every problem at once.

:func:`validated` is what :meth:`Ledger.from_frames` and every reader call. It

1. maps headers to the canonical column names of ``schema.TABLES`` (``"id"``, ``"编号"``, ``"ID"`` or the
   template's bilingual ``"编号 id"`` all name the same column), keeping extra columns after them;
2. turns every cell into a trimmed ``str`` (``""`` when empty; Excel numbers like ``7.0`` → ``"7"``,
   Excel dates → ISO) and drops rows that are entirely empty;
3. resolves link types, circles, kinds, sectors and roles to their ids and dates to ``YYYY``,
   ``YYYY-MM`` or ``YYYY-MM-DD``;
4. checks required cells, unique ids, references between the tables and that every activity has
   participants;

and either returns the :class:`~cojian_graph.ledger.Ledger` or raises
:class:`~cojian_graph.errors.LedgerError` listing every :class:`~cojian_graph.errors.Problem`, each with
the file, the row as the user sees it in a spreadsheet, the column, a stable ``code`` and a message and
fix in Chinese and English. Nothing is partly loaded.

Tables come in as pandas DataFrames or as :class:`RawTable` (headers and columns, what the CSV and
JSON readers make, so that ``cojian rank`` never imports pandas). The checks are column operations
on numpy arrays of ``str`` and dict lookups over the distinct values (link names, dates, ids); Python
code runs per problem found, not per cell, except to turn cells into text, so a million
participations validate in seconds.

Examples
--------
>>> import pandas as pd
>>> orgs = pd.DataFrame({"编号": ["a", "b"], "名称": ["甲", "乙"], "类型": ["党支部", "enterprise"],
...                      "圈层": ["focal", "External"], "领域": ["company", "地方企业"]})
>>> acts = pd.DataFrame({"id": ["x"], "title": ["联学"], "link_type": ["黨員聯學"], "date": ["2021年7月"]})
>>> parts = pd.DataFrame({"activity_id": ["x", "x"], "organization_id": ["a", "b"]})
>>> ledger = validated({"organizations": orgs, "activities": acts, "participations": parts})
>>> ledger.activities.loc[0, ["link_type", "date"]].tolist()
['learning', '2021-07']
>>> ledger.organizations["kind"].tolist()
['party_branch', 'enterprise']
>>> parse_date("2021/7/1"), parse_date("去年")
('2021-07-01', None)
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .columns import distinct_ints, factorize, isin, object_array, positions
from .errors import LedgerError, Problem
from .model import CIRCLES, KINDS, LINKS, ROLES, SECTORS, resolve_label, resolve_link, suggest_links
from .schema import TABLES, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INVISIBLE_IN_IDS",
    "PROBLEMS",
    "RawTable",
    "TableSource",
    "as_text",
    "canonical_header",
    "cell_text",
    "make_problem",
    "parse_date",
    "shown",
    "text_array",
    "validated",
]


# --------------------------------------------------------------------------------------------------
# The problems, as data: code → (message zh, message en, fix zh, fix en). Placeholders in braces are
# filled by make_problem. docs/ledger-format.md lists these (a test keeps it in sync).
# --------------------------------------------------------------------------------------------------

PROBLEMS: Mapping[str, tuple[str, str, str, str]] = MappingProxyType({
    "not_found": (
        "找不到台账：{path}", "no ledger at {path}",
        "检查路径是否正确", "check the path"),
    "unsupported_format": (
        "无法识别的台账格式：{path}", "not a ledger format: {path}",
        "请给出含三个 CSV 文件的文件夹、.xlsx 工作簿或 .json 文件",
        "give a folder of three CSV files, an .xlsx workbook or a .json file"),
    "missing_table": (
        "缺少{table_zh}表", "the {table} table is missing",
        "{fix_zh}", "{fix_en}"),
    "unreadable_file": (
        "无法读取：{reason_zh}", "cannot be read: {reason_en}",
        "{fix_zh}", "{fix_en}"),
    "too_large": (
        "文件过大，未读取：{reason_zh}", "too large to read: {reason_en}",
        "检查文件是否正确；确实这么大的台账请拆分，或用 CSV 文件夹", "check it is the right file; split a ledger "
        "that really is this large, or use a CSV folder"),
    "ambiguous_table": (
        "不止一个工作表可作{table_zh}表：{candidates}", "more than one sheet could be the {table} table: "
        "{candidates_en}",
        "删除或重命名多余的工作表（隐藏的工作表也算）", "delete or rename the extra sheets (hidden ones count too)"),
    "missing_column": (
        "缺少必填列“{column_zh}”（{column}）", "the required column '{column}' ({column_en}) is missing",
        "添加表头为“{header}”的列", "add a column headed '{header}'"),
    "duplicate_column": (
        "列“{column}”出现了不止一次（表头“{header}”）", "the column '{column}' appears more than once "
        "(header '{header}')",
        "删除或重命名重复的列", "delete or rename the repeated column"),
    "empty_required": (
        "必填项“{column_zh}”为空", "the required cell '{column}' ({column_en}) is empty",
        "填写{column_zh}", "fill in the {column_en}"),
    "unknown_link_type": (
        "未知的八联类型“{value}”", "unknown link type '{value}'",
        "改为八联之一，最接近的是：{suggestions_zh}",
        "use one of the eight links; closest: {suggestions_en}"),
    "unknown_circle": (
        "未知的圈层“{value}”", "unknown circle '{value}'",
        "可选：{valid_zh}", "valid values: {valid_en}"),
    "unknown_kind": (
        "未知的组织类型“{value}”", "unknown kind of organisation '{value}'",
        "可选：{valid_zh}；都不合适时填 other（其他）", "valid values: {valid_en}; use 'other' if none fits"),
    "unknown_sector": (
        "未知的领域“{value}”", "unknown sector '{value}'",
        "可选：{valid_zh}；都不合适时填 other（其他）", "valid values: {valid_en}; use 'other' if none fits"),
    "unknown_role": (
        "未知的角色“{value}”", "unknown role '{value}'",
        "可选：{valid_zh}；也可留空", "valid values: {valid_en}; or leave it empty"),
    "bad_date": (
        "无法识别的日期“{value}”", "unrecognised date '{value}'",
        "写成 2021、2021-07 或 2021-07-01（也可 2021年7月1日、2021/7/1）；不详则留空",
        "write 2021, 2021-07 or 2021-07-01 (2021年7月1日 and 2021/7/1 also work); leave empty if unknown"),
    "duplicate_id": (
        "编号“{value}”与第 {other_row} 行重复", "the id '{value}' is already used in row {other_row}",
        "每个编号只能用一次，请改用新编号", "each id may be used once; give this record a new id"),
    "duplicate_participation": (
        "组织“{organization}”参与活动“{activity}”记录了两次（另见第 {other_row} 行）",
        "organisation '{organization}' is recorded twice in activity '{activity}' (also row {other_row})",
        "删除重复的一行", "delete the repeated row"),
    "unknown_activity": (
        "活动编号“{value}”不在活动表中", "the activity id '{value}' is not in the activities table",
        "先在活动表中添加该活动，或改正编号", "add the activity to the activities table or correct the id"),
    "unknown_organization": (
        "组织编号“{value}”不在组织表中", "the organisation id '{value}' is not in the organisations table",
        "先在组织表中添加该组织，或改正编号",
        "add the organisation to the organisations table or correct the id"),
    "activity_without_participants": (
        "活动“{value}”没有任何参与组织", "the activity '{value}' has no participating organisation",
        "在参与表中至少添加一行", "add at least one row for it to the participations table"),
    "bad_character": (
        "含有不能保存的字符 {what_zh}（第 {position} 个字符）",
        "holds a character that cannot be stored: {what_en} (character {position})",
        "删除该字符；从别处复制的文字可先粘贴到记事本再复制", "delete it; text copied from elsewhere can be "
        "pasted into a plain-text editor first"),
    "invisible_in_id": (
        "编号“{value}”中含有不可见字符或文字方向控制符 {what}", "the id '{value}' holds an invisible or "
        "text-direction character {what}",
        "重新输入该编号，不要从网页或聊天软件复制", "type the id again instead of copying it from a web page or chat"),
    "cell_too_long": (
        "单元格有 {length} 个字符，超过上限 {limit}", "the cell has {length} characters, more than the limit of "
        "{limit}",
        "缩短内容（长文可放在附件中，台账只记摘要）",
        "shorten it (keep long texts elsewhere; the ledger holds a summary)"),
    "empty_ledger": (
        "台账是空的：三个表都没有记录", "the ledger is empty: none of the three tables has a record",
        "在组织、活动、参与表中填写记录", "fill in the organisations, activities and participations"),
})


def make_problem(code: str, file: str, row: int | None = None, column: str | None = None,
                 **values) -> Problem:
    """A :class:`Problem` of kind ``code`` with its messages from :data:`PROBLEMS` filled in.

    >>> make_problem("empty_ledger", "ledger.xlsx").message_en
    'the ledger is empty: none of the three tables has a record'
    """
    message_zh, message_en, fix_zh, fix_en = PROBLEMS[code]
    fill = _Fill({"column": shown(column or ""), **{key: shown(value) if isinstance(value, str) else value
                                                     for key, value in values.items()}})
    return Problem(file, row, column, code, message_zh.format_map(fill), message_en.format_map(fill),
                   fix_zh.format_map(fill), fix_en.format_map(fill))


#: Longest cell text validation accepts: Excel's own limit for a cell.
MAX_CELL_CHARS = 32_767

# C0 and C1 control characters other than tab, line feed and carriage return; lone surrogates
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# characters that make two ids look alike: zero-width and invisible formatting, bidi controls
INVISIBLE_IN_IDS = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]")
#: Columns holding ids, where invisible characters are refused.
ID_COLUMNS = {"organizations": ("id",), "activities": ("id",),
              "participations": ("activity_id", "organization_id")}


def shown(text: str, limit: int = 200) -> str:
    """``text`` safe to show in a message: control, invisible and unpaired characters as escapes
    (never sent raw to a terminal or a page), at most ``limit`` characters.

    >>> print(shown("a" + chr(27) + "[31mred"))
    a\\x1b[31mred
    >>> len(shown("x" * 300)), shown("x" * 300)[-1]
    (200, '…')
    """
    text = _UNSTORABLE.sub(_escape, text)
    text = INVISIBLE_IN_IDS.sub(_escape, text)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _character_name(char: str) -> tuple[str, str]:
    """How a problem names a character (zh, en): its code point, and its Unicode name where it has one."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"{code}（不成对的代理项）", f"{code} (an unpaired surrogate)"
    if unicodedata.category(char) == "Cc":
        return f"{code}（控制字符）", f"{code} (a control character)"
    return code + (f"（{name}）" if name else ""), code + (f" ({name})" if name else "")


class _Fill(dict):
    def __missing__(self, key):  # a placeholder nobody filled stays visible rather than crashing
        return "{" + key + "}"


# --------------------------------------------------------------------------------------------------
# A table as read, and where each table came from
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    """A table as read, before validation: its headers and one sequence of cells per column.

    The readers that need no pandas (CSV, JSON) hand tables to :func:`validated` in this form;
    a DataFrame works as well.

    >>> RawTable.from_rows([["id", "name"], ["a", "甲"], ["b"]]).columns
    [['a', 'b'], ['甲', '']]
    """

    header: list
    columns: list
    #: The reader has checked that no cell holds a control character, a lone surrogate, an invisible
    #: character or more than MAX_CELL_CHARS characters, and that every cell is already trimmed (the
    #: columnar CSV reader, io.csvfolder): validation then skips those per-cell passes.
    clean: bool = False

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence]) -> RawTable:
        """The first row is the header; shorter rows are filled with ``""`` (rows must not be longer)."""
        if not rows:
            return cls([], [])
        header = list(rows[0])
        width = len(header)
        body = rows[1:]
        if body and min(map(len, body)) < width:  # (a C-speed check first: most files have no short row)
            body = [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in body]
        return cls(header, [list(column) for column in zip(*body, strict=True)] if body
                   else [[] for _ in header])

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0



@dataclass(frozen=True)
class TableSource:
    """Where a table was read from, for problem reports.

    ``file`` names it as the user knows it (``"organizations.csv"``, ``"ledger.xlsx › activities"``);
    ``rows`` gives the user-facing row number of each record; when None, records are numbered from
    ``first_row`` (2 in a spreadsheet, whose header is row 1; 1 for JSON record numbers).
    """

    file: str
    rows: Sequence[int] | None = None
    first_row: int = 2

    def row_numbers(self, count: int) -> np.ndarray:
        if self.rows is None:
            return np.arange(self.first_row, self.first_row + count, dtype=np.int64)
        return np.asarray(self.rows, dtype=np.int64)


# --------------------------------------------------------------------------------------------------
# Cells, headers and dates
# --------------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """One cell as the ledger keeps it: a ``str``, ``""`` when empty.

    Integral numbers lose their ``.0`` (Excel stores 7 as 7.0), dates become ISO, booleans TRUE/FALSE.

    >>> [cell_text(v) for v in (None, float("nan"), 7.0, 0.5, True, _dt.datetime(2021, 7, 1), " a ")]
    ['', '', '7', '0.5', 'TRUE', '2021-07-01', ' a ']
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values (pandas not imported here)
        return ""
    if isinstance(value, _dt.datetime):  # also pd.Timestamp
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-]+", "", text)


def _header_aliases(table: Table) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for column in table.columns:
        for name in (column.name, column.zh, column.en, column.header(), f"{column.en} {column.zh}",
                     f"{column.name} {column.zh}", f"{column.zh} {column.en}"):
            aliases.setdefault(_header_key(name), column.name)
    return aliases


_ALIASES = {name: _header_aliases(table) for name, table in TABLES.items()}


def canonical_header(table: str, header: str) -> str | None:
    """The canonical column of ``table`` that ``header`` names, or None for an extra column.

    >>> canonical_header("organizations", "名称 name"), canonical_header("activities", "Link type")
    ('name', 'link_type')
    >>> canonical_header("organizations", "备注") is None
    True
    """
    return _ALIASES[table].get(_header_key(header))


_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})(?:年)?"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:份)?"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    # a date with a time of day, as spreadsheets and pandas write timestamps: the time is dropped
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"),
]


def parse_date(text: str) -> str | None:
    """``text`` as ``""``, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None when it is not a date.

    Accepts 2021, 2021-07, 2021-07-01, 2021/7/1, 2021.7, 2021年, 2021年7月, 2021年7月1日 (full-width
    digits too) and ``2021-07-01 00:00:00``.

    >>> [parse_date(t) for t in ("", "2021", "2021.7", "2021年7月1日", "2021-13", "2021-02-30")]
    ['', '2021', '2021-07', '2021-07-01', None, None]
    """
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if not text:
        return ""
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["y"])
        if year < 1000:
            return None
        if parts.get("m") is None:
            return f"{year:04d}"
        month = int(parts["m"])
        if not 1 <= month <= 12:
            return None
        if parts.get("d") is None:
            return f"{year:04d}-{month:02d}"
        try:
            return _dt.date(year, month, int(parts["d"])).isoformat()
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------------------------------
# validated
# --------------------------------------------------------------------------------------------------


def validated(
    frames: Mapping[str, pd.DataFrame | RawTable | None],
    *,
    source: str = "",
    sources: Mapping[str, TableSource] | None = None,
    problems: Iterable[Problem] = (),
    known: Mapping[str, Collection[str]] | None = None,
):
    """The :class:`~cojian_graph.ledger.Ledger` of ``frames``, normalised; raises ``LedgerError`` otherwise.

    Parameters
    ----------
    frames : mapping
        ``{"organizations": df, "activities": df, "participations": df}`` (DataFrames or
        :class:`RawTable`). A table that could not be read at all is None (its problem is then in
        ``problems``); checks that need it are skipped.
    source : str
        The path as the user gave it, shown in the error's heading.
    sources : mapping of str to TableSource, optional
        Where each table came from: the file name problems show and the row number of each record.
        Default: the table name, records numbered from 2 as in a spreadsheet.
    problems : iterable of Problem
        Problems the reader already found (missing files, bad encodings); reported first.
    known : mapping, optional
        Records known to exist beyond ``frames``, for a part of a ledger checked on its own (the
        store checks a change this way): ``"organizations"`` and ``"activities"``, ids a
        participation may name; ``"participated"``, ids of activities known to have a participant.

    Returns
    -------
    Ledger

    Raises
    ------
    LedgerError
        With every problem found, when there is at least one.
    """
    from .ledger import Ledger

    found: list[Problem] = list(problems)
    known = known or {}
    from_reader = len(found)
    sources = dict(sources or {})
    tables: dict[str, _Checked | None] = {}
    for name, table in TABLES.items():
        frame = frames.get(name)
        where = sources.get(name) or TableSource(name)
        if frame is None and not from_reader:
            found.append(make_problem("missing_table", where.file, table=name, table_zh=table.zh,
                                      fix_zh=f"提供{table.zh}表（{name}）",
                                      fix_en=f"provide the {name} table"))
        tables[name] = None if frame is None else _normalise(table, frame, where, found)

    orgs, acts, parts = tables["organizations"], tables["activities"], tables["participations"]
    if all(checked is not None and checked.size == 0 for checked in tables.values()):
        files = [checked.where.file for checked in tables.values()]
        file = Path(source).name if source else ", ".join(files)
        found.append(make_problem("empty_ledger", file))
    else:
        if orgs is not None:
            _check_required(orgs, found)
            _check_unique(orgs, ("id",), found)
            for column, registry in (("kind", KINDS), ("circle", CIRCLES), ("sector", SECTORS)):
                _resolve_labels(orgs, column, registry, found)
        if acts is not None:
            _check_required(acts, found)
            _check_unique(acts, ("id",), found)
            _resolve_links(acts, found)
            _parse_dates(acts, found)
        if parts is not None:
            _check_required(parts, found)
            _check_unique(parts, ("activity_id", "organization_id"), found)
            _resolve_labels(parts, "role", ROLES, found)
            if acts is not None and "id" in acts.present:
                _check_references(parts, "activity_id", acts, "unknown_activity", found,
                                  known.get("activities", ()))
            if orgs is not None and "id" in orgs.present:
                _check_references(parts, "organization_id", orgs, "unknown_organization", found,
                                  known.get("organizations", ()))
            if acts is not None and "id" in acts.present and "activity_id" in parts.present:
                _check_participants(acts, parts, found, known.get("participated", ()))

    if found or any(checked is None for checked in tables.values()):
        order = {checked.where.file: index for index, checked in enumerate(tables.values()) if checked}
        found[from_reader:] = sorted(found[from_reader:], key=lambda p: (order.get(p.file, 9), p.row or 0))
        raise LedgerError(found, source)
    return Ledger(**{name: checked.columns for name, checked in tables.items()})


@dataclass
class _Checked:
    """A table being validated: its normalised columns, the row number of each record, and which
    canonical columns were in the input."""

    table: Table
    columns: dict[str, np.ndarray]
    rows: np.ndarray
    where: TableSource
    present: set[str]

    @property
    def size(self) -> int:
        return len(self.rows)


def _normalise(table: Table, frame, where: TableSource, found: list[Problem]) -> _Checked:
    """Canonical headers, text cells, no empty rows, canonical columns first (missing ones empty)."""
    if hasattr(frame, "iloc"):  # a DataFrame
        raw = RawTable(list(frame.columns), [frame.iloc[:, position] for position in range(frame.shape[1])])
        size = len(frame)
    elif isinstance(frame, RawTable):
        raw, size = frame, len(frame)
    else:
        raise TypeError(f"{where.file}: expected a DataFrame or a RawTable, got {type(frame).__name__}")
    rows = where.row_numbers(size)
    if len(rows) != size:
        raise ValueError(f"{where.file}: {len(rows)} row numbers for {size} records")
    clean = getattr(raw, "clean", False)
    columns: dict[str, np.ndarray] = {}
    for position, (header, cells) in enumerate(zip(raw.header, raw.columns, strict=True)):
        header = cell_text(header).strip()
        if clean:  # text already trimmed and checked by the reader (an object array from the columnar reader)
            values = cells if isinstance(cells, np.ndarray) and cells.dtype == object else object_array(cells)
        else:
            values = text_array(cells)
        canonical = canonical_header(table.name, header) if header else None
        name = canonical or header
        if not name:
            if (values != "").any():  # data under an empty header: keep it, named by its position
                columns[f"column_{position + 1}"] = values
            continue
        if name in columns:
            found.append(make_problem("duplicate_column", where.file, None, name, header=header))
            continue
        columns[name] = values
    present = {column for column in table.column_names if column in columns}
    for name, values in columns.items():
        if not clean:
            _check_characters(table, name, values, rows, where, found)
    for column in table.columns:
        if column.name not in columns:
            if column.required and (raw.header or size):  # a table without headers or records is empty
                found.append(make_problem(
                    "missing_column", where.file, None, column.name, column_zh=column.zh,
                    column_en=column.en, header=column.header()))
            columns[column.name] = np.full(size, "", dtype=object)
    order = table.column_names + [name for name in columns if name not in table.column_names]
    out = {name: columns[name] for name in order}
    if size:
        keep = np.zeros(size, dtype=bool)
        for values in out.values():
            keep |= values != ""
        if not keep.all():
            out = {name: values[keep] for name, values in out.items()}
            rows = rows[keep]
    return _Checked(table, out, rows, where, present)


def _check_characters(table: Table, name: str, values: np.ndarray, rows: np.ndarray, where: TableSource,
                      found: list[Problem]) -> None:
    """Problems for cells that no file or page can hold (control characters, unpaired surrogates,
    more than :data:`MAX_CELL_CHARS`) and for ids with invisible characters. One regular-expression
    pass over the whole column; Python runs per bad cell only."""
    if not len(values):
        return
    cells = values.tolist()
    joined = "\n".join(cells)
    is_id = name in ID_COLUMNS.get(table.name, ())
    if _UNSTORABLE.search(joined):
        for position, text in enumerate(cells):
            match = _UNSTORABLE.search(text)
            if match:
                what_zh, what_en = _character_name(match.group())
                found.append(make_problem("bad_character", where.file, int(rows[position]), name,
                                          what_zh=what_zh, what_en=what_en, position=match.start() + 1))
    if is_id and INVISIBLE_IN_IDS.search(joined):
        for position, text in enumerate(cells):
            match = INVISIBLE_IN_IDS.search(text)
            if match:
                found.append(make_problem("invisible_in_id", where.file, int(rows[position]), name, value=text,
                                          what=_character_name(match.group())[1]))
    if len(joined) > MAX_CELL_CHARS and max(map(len, cells)) > MAX_CELL_CHARS:
        for position, text in enumerate(cells):
            if len(text) > MAX_CELL_CHARS:
                found.append(make_problem("cell_too_long", where.file, int(rows[position]), name,
                                          length=len(text), limit=MAX_CELL_CHARS))


def text_array(values) -> np.ndarray:
    """Every value as a trimmed ``str``, ``""`` for missing ones: an object array.

    ``values`` is a sequence, a numpy array or a pandas Series; non-text values go through
    :func:`cell_text`.

    >>> text_array([" a", None, 7.0, "乙 "]).tolist()
    ['a', '', '7', '乙']
    """
    if not isinstance(values, list):
        values = values.tolist() if hasattr(values, "tolist") else list(values)  # Series, ndarray, …
    try:  # text files give text only: trimmed at C speed
        cells = list(map(str.strip, values))
    except TypeError:  # numbers, dates, None (spreadsheets, JSON, DataFrames)
        cells = [value.strip() if type(value) is str else cell_text(value).strip() for value in values]
    if "\ufeff" in "".join(cells):  # a byte-order mark left by a file join (one C-speed search first)
        cells = [text.lstrip("\ufeff").strip() for text in cells]
    return object_array(cells)


def as_text(series: pd.Series) -> pd.Series:
    """Every value of ``series`` as a trimmed ``str``, ``""`` for missing ones (object dtype).

    >>> import pandas as pd
    >>> as_text(pd.Series([" a", None, 7.0])).tolist()
    ['a', '', '7']
    """
    import pandas as pd

    return pd.Series(text_array(series), dtype=object)


def _problem_rows(checked: _Checked, mask) -> list[tuple[int, int]]:
    """(position, user-facing row) of each record where ``mask`` is true."""
    return _rows_of(checked, np.flatnonzero(np.asarray(mask)).tolist())


def _check_required(checked: _Checked, found: list[Problem]) -> None:
    for column in checked.table.columns:
        if not column.required or column.name not in checked.present:
            continue
        for _, row in _problem_rows(checked, checked.columns[column.name] == ""):
            found.append(make_problem("empty_required", checked.where.file, row, column.name,
                                      column_zh=column.zh, column_en=column.en))


def _check_unique(checked: _Checked, key: tuple[str, ...], found: list[Problem]) -> None:
    """Every filled key (one column, or a pair of columns) is used once; each repeat is a problem
    that names the row where the key was first used."""
    if not all(column in checked.present for column in key):
        return
    columns = [checked.columns[column] for column in key]
    if len(columns) == 1 and len(set(columns[0].tolist())) == checked.size:
        return  # every key differs (the usual case): nothing to report, no need to number them
    codes = np.zeros(checked.size, dtype=np.int64)
    for values in columns:  # a pair of columns: one number per pair (a million pairs: no tuple made)
        column_codes, uniques = factorize(values)
        codes = codes * max(len(uniques), 1) + column_codes
    if len(distinct_ints(codes)) == checked.size:
        return
    filled = np.ones(checked.size, dtype=bool)
    for values in columns:
        filled &= values != ""
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    earlier = first[inverse]  # position of the first record with the same key
    repeated = filled & (earlier != np.arange(checked.size))
    for position, row in _problem_rows(checked, repeated):
        values = tuple(column[position] for column in columns)
        other = int(checked.rows[earlier[position]])
        if len(key) == 1:
            found.append(make_problem("duplicate_id", checked.where.file, row, key[0],
                                      value=values[0], other_row=other))
        else:
            found.append(make_problem("duplicate_participation", checked.where.file, row, key[1],
                                      activity=values[0], organization=values[1], other_row=other))


def _label_list(registry, lang: str) -> str:
    if lang == "zh":
        return "、".join(f"{item.id}（{item.zh}）" for item in registry.values())
    return ", ".join(f"{item.id} ({item.en})" for item in registry.values())


_CODES = {"circle": "unknown_circle", "kind": "unknown_kind", "sector": "unknown_sector",
          "role": "unknown_role"}


def _resolve(checked: _Checked, column: str, resolve) -> list[int]:
    """Replace the values of ``column`` by ``resolve(value)`` (each distinct value resolved once);
    return the positions where it gave None (those values are kept as they were)."""
    codes, uniques = factorize(checked.columns[column])
    resolved = [resolve(value) for value in uniques.tolist()]
    unresolved = np.array([value is None for value in resolved], dtype=bool)
    kept = object_array([value if value is not None else unique
                         for value, unique in zip(resolved, uniques.tolist(), strict=True)])
    checked.columns[column] = kept[codes] if len(codes) else checked.columns[column]
    return np.flatnonzero(unresolved[codes]).tolist() if len(codes) else []


def _rows_of(checked: _Checked, positions: list[int]) -> list[tuple[int, int]]:
    """(position, user-facing row) of each record at ``positions``."""
    return [(position, int(checked.rows[position])) for position in positions]


def _resolve_labels(checked: _Checked, column: str, registry, found: list[Problem]) -> None:
    if column not in checked.present:
        return
    values = checked.columns[column]
    bad = _resolve(checked, column, lambda value: "" if value == "" else resolve_label(registry, value))
    for position, row in _rows_of(checked, bad):
        found.append(make_problem(_CODES[column], checked.where.file, row, column,
                                  value=values[position], valid_zh=_label_list(registry, "zh"),
                                  valid_en=_label_list(registry, "en")))


def _resolve_links(checked: _Checked, found: list[Problem]) -> None:
    if "link_type" not in checked.present:
        return
    values = checked.columns["link_type"]
    bad = _resolve(checked, "link_type", lambda value: "" if value == "" else resolve_link(value))
    for position, row in _rows_of(checked, bad):
        value = values[position]
        close = [LINKS[link_id] for link_id in suggest_links(value)]
        found.append(make_problem(
            "unknown_link_type", checked.where.file, row, "link_type", value=value,
            suggestions_zh="、".join(f"{link.zh}（{link.id}）" for link in close),
            suggestions_en=", ".join(f"{link.id} ({link.en})" for link in close)))


def _parse_dates(checked: _Checked, found: list[Problem]) -> None:
    if "date" not in checked.present:
        return
    values = checked.columns["date"]
    for position, row in _rows_of(checked, _resolve(checked, "date", parse_date)):
        found.append(make_problem("bad_date", checked.where.file, row, "date", value=values[position]))


def _check_references(parts: _Checked, column: str, target: _Checked, code: str,
                      found: list[Problem], known: Collection[str] = ()) -> None:
    if column not in parts.present:
        return
    values = parts.columns[column]
    missing = (values != "") & (positions(values, [*target.columns["id"].tolist(), *known]) < 0)
    for position, row in _problem_rows(parts, missing):
        found.append(make_problem(code, parts.where.file, row, column, value=values[position]))


def _check_participants(acts: _Checked, parts: _Checked, found: list[Problem],
                        known: Collection[str] = ()) -> None:
    ids = acts.columns["id"]
    alone = (ids != "") & ~isin(ids, set(parts.columns["activity_id"].tolist()).union(known))
    for position, row in _problem_rows(acts, alone):
        found.append(make_problem("activity_without_participants", acts.where.file, row, "id",
                                  value=ids[position]))
