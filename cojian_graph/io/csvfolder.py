"""A ledger as a folder of three CSV files: ``organizations.csv``, ``activities.csv``, ``participations.csv``.

Every cell is read as text, exactly as typed ("007", "NA" and "None" stay what they are). The encoding
is detected (UTF-8 with or without BOM, GB18030 as Excel on Chinese Windows saves, UTF-16); files are
written as UTF-8 with a BOM so that Excel opens them correctly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import CojianError, Problem
from ..schema import TABLES
from ..validate import RawTable, TableSource, make_problem, validated
from .encoding import UndecodableError, decode_text

__all__ = ["read_csv_folder", "write_csv_folder"]


def read_csv_folder(path: str | Path):
    """Read the ledger in the folder ``path``.

    Each table is ``<name>.csv`` (``organizations.csv``…); the Chinese table name (``组织.csv``…) is
    accepted too.

    Raises
    ------
    LedgerError
        With every problem of every file: missing or unreadable files, missing columns, bad cells.
    """
    folder = Path(path)
    frames: dict[str, RawTable | None] = {}
    sources: dict[str, TableSource] = {}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        file = _find_file(folder, (table.filename, f"{table.zh}.csv"))
        label = file.name if file is not None else table.filename
        sources[name] = TableSource(label)
        if file is None:
            problems.append(make_problem(
                "missing_table", label, table=name, table_zh=table.zh,
                fix_zh=f"在文件夹 {folder} 中添加 {table.filename}（表头见 cojian template）",
                fix_en=f"add {table.filename} to the folder {folder} (headers: see cojian template)"))
            frames[name] = None
            continue
        frames[name] = _read_csv(file, label, problems)
    return validated(frames, source=str(path), sources=sources, problems=problems)


def write_csv_folder(ledger, path: str | Path, *, encoding: str = "utf-8-sig") -> None:
    """Write ``ledger`` as three CSV files in the folder ``path`` (created when missing).

    ``encoding`` defaults to UTF-8 with a BOM, which Excel opens correctly; pass ``"gb18030"`` for
    old Chinese software. Cells are written exactly as they are (see ``docs/ledger-format.md`` about
    opening such files in Excel: prefer the ``.xlsx`` format for that).
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise CojianError(f"不是文件夹 not a folder: {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in TABLES.items():
        frame = ledger.table(name)
        frame.to_csv(folder / table.filename, index=False, encoding=encoding, lineterminator="\n",
                     quoting=csv.QUOTE_MINIMAL)


def _find_file(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    lowered = {name.lower() for name in names}
    if folder.is_dir():
        for child in sorted(folder.iterdir()):
            if child.is_file() and child.name.lower() in lowered:
                return child
    return None


def _read_csv(file: Path, label: str, problems: list[Problem]) -> RawTable | None:
    """The table in ``file`` (every cell as text), or None with its problems added to ``problems``.

    Parsed by Python's ``csv`` module (RFC 4180 quoting, strictly: a stray quote is reported, not
    guessed at); a row with more cells than the header is a problem of that row.
    """
    try:
        data = file.read_bytes()
    except OSError as error:
        problems.append(_unreadable(label, f"无法打开文件（{error.strerror}）", f"cannot open the file "
                                    f"({error.strerror})", "检查文件权限", "check the file's permissions"))
        return None
    try:
        text, _ = decode_text(data)
    except UndecodableError:
        problems.append(_unreadable(
            label, "文件编码无法识别（不是 UTF-8 或 GB18030 文本）",
            "unknown text encoding (not UTF-8 or GB18030 text)",
            "在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或改存为 .xlsx",
            "in Excel, save as 'CSV UTF-8 (Comma delimited)', or save as .xlsx"))
        return None
    if not text.strip():
        problems.append(_unreadable(label, "文件是空的，连表头也没有",
                                    "the file is empty, without even a header",
                                    "第一行写表头（见 cojian template）",
                                    "write the header in the first line (see cojian template)"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        problems.append(_unreadable(
            label, f"CSV 格式错误（第 {reader.line_num} 行附近）：{error}",
            f"malformed CSV (near line {reader.line_num}): {error}",
            "检查引号是否配对（单元格内的引号要写成两个：\"\"）",
            "check the quotes (a quote inside a quoted cell is written twice: \"\")"))
        return None
    width = len(rows[0])
    long = [(number, len(row)) for number, row in enumerate(rows[1:], start=2) if len(row) > width]
    for number, cells in long:
        problems.append(_unreadable(
            label, f"CSV 格式错误：第 {number} 行有 {cells} 个单元格，表头只有 {width} 列",
            f"malformed CSV: row {number} has {cells} cells but the header has only {width} columns",
            "检查该行的逗号和引号是否配对（含逗号的单元格需用引号括起）",
            "check the commas and quotes in that row (cells containing commas must be quoted)", row=number))
    return None if long else RawTable.from_rows(rows)


def _unreadable(label: str, reason_zh: str, reason_en: str, fix_zh: str, fix_en: str,
                row: int | None = None) -> Problem:
    return make_problem("unreadable_file", label, row, reason_zh=reason_zh, reason_en=reason_en,
                        fix_zh=fix_zh, fix_en=fix_en)
