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
from ..validate import MAX_CELL_CHARS, RawTable, TableSource, make_problem, validated
from .encoding import UndecodableError, decode_text
from .limits import file_too_large

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
        files = _find_files(folder, (table.filename, f"{table.zh}.csv"))
        label = files[0].name if len(files) == 1 else table.filename
        sources[name] = TableSource(label)
        frames[name] = None
        if not files:
            problems.append(make_problem(
                "missing_table", label, table=name, table_zh=table.zh,
                fix_zh=f"在文件夹 {folder} 中添加 {table.filename}（表头见 cojian template）",
                fix_en=f"add {table.filename} to the folder {folder} (headers: see cojian template)"))
        elif len(files) > 1:
            problems.append(make_problem("ambiguous_table", label, table=name, table_zh=table.zh,
                                         candidates="、".join(file.name for file in files),
                                         candidates_en=", ".join(file.name for file in files)))
        else:
            read = _read_csv(files[0], label, problems)
            if read is not None:
                frames[name], first_row = read
                sources[name] = TableSource(label, first_row=first_row)
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


def _find_files(folder: Path, names: tuple[str, ...]) -> list[Path]:
    """The files of ``folder`` named one of ``names`` (any letter case), in name order."""
    lowered = {name.lower() for name in names}
    if not folder.is_dir():
        return []
    return [child for child in sorted(folder.iterdir()) if child.is_file() and child.name.lower() in lowered]


def _read_csv(file: Path, label: str, problems: list[Problem]) -> tuple[RawTable, int] | None:
    """The table in ``file`` (every cell as text) and the row number of its first record, or None
    with its problems added to ``problems``.

    Parsed by Python's ``csv`` module (RFC 4180 quoting, strictly: a stray quote is reported, not
    guessed at); blank lines before the header are skipped (and counted in row numbers); a row with
    more cells than the header is a problem of that row.
    """
    too_big = file_too_large(file)
    if too_big:
        problems.append(too_big)
        return None
    try:
        data = file.read_bytes()
    except OSError as error:
        problems.append(_unreadable(label, f"无法打开文件（{error.strerror}）", f"cannot open the file "
                                    f"({error.strerror})", "检查文件权限", "check the file's permissions"))
        return None
    try:
        text, _ = decode_text(data)
    except UndecodableError as error:
        problems.append(_encoding_problem(label, error))
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
        if "field larger than field limit" in str(error):
            problems.append(make_problem("cell_too_long", label, reader.line_num, length=f"> {MAX_CELL_CHARS}",
                                         limit=MAX_CELL_CHARS))
            return None
        problems.append(_unreadable(
            label, f"CSV 格式错误（第 {reader.line_num} 行附近）：{error}",
            f"malformed CSV (near line {reader.line_num}): {error}",
            "检查引号是否配对（单元格内的引号要写成两个：\"\"）",
            "check the quotes (a quote inside a quoted cell is written twice: \"\")"))
        return None
    header_at = next(index for index, row in enumerate(rows) if any(cell.strip() for cell in row))
    rows = rows[header_at:]
    width = len(rows[0])
    long = [(number, len(row)) for number, row in enumerate(rows[1:], start=header_at + 2) if len(row) > width] \
        if len(rows) > 1 and max(map(len, rows[1:])) > width else []  # a C-speed check first
    for number, cells in long[:_MAX_LISTED]:
        problems.append(_unreadable(
            label, f"CSV 格式错误：第 {number} 行有 {cells} 个单元格，表头只有 {width} 列",
            f"malformed CSV: row {number} has {cells} cells but the header has only {width} columns",
            "检查该行的逗号和引号是否配对（含逗号的单元格需用引号括起）",
            "check the commas and quotes in that row (cells containing commas must be quoted)", row=number))
    if len(long) > _MAX_LISTED:
        problems.append(_unreadable(
            label, f"另有 {len(long) - _MAX_LISTED} 行单元格多于表头", f"{len(long) - _MAX_LISTED} more rows have "
            "more cells than the header", "检查分隔符（应为英文逗号）", "check the delimiter (it must be a comma)"))
    return None if long else (RawTable.from_rows(rows), header_at + 2)


#: Rows with too many cells listed one by one (a file with the wrong delimiter has one per row).
_MAX_LISTED = 1000


def _encoding_problem(label: str, error: UndecodableError) -> Problem:
    fix_zh = "在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或改存为 .xlsx"
    fix_en = "in Excel, save as 'CSV UTF-8 (Comma delimited)', or save as .xlsx"
    if error.mixed_lines:
        utf8, other = error.mixed_lines
        return _unreadable(label, f"文件混用了两种编码：第 {utf8} 行是 UTF-8，第 {other} 行不是",
                           f"the file mixes two encodings: line {utf8} is UTF-8, line {other} is not",
                           "统一为一种编码：" + fix_zh, "use one encoding for the whole file: " + fix_en)
    guess_zh = f"，可能是 {error.guess}" if error.guess else ""
    guess_en = f"; it may be {error.guess}" if error.guess else ""
    return _unreadable(label, f"文件编码无法识别（不是 UTF-8、GB18030 或 Big5 中文文本{guess_zh}）",
                       f"unknown text encoding (not UTF-8, GB18030 or Big5 Chinese text{guess_en})", fix_zh, fix_en)


def _unreadable(label: str, reason_zh: str, reason_en: str, fix_zh: str, fix_en: str,
                row: int | None = None) -> Problem:
    return make_problem("unreadable_file", label, row, reason_zh=reason_zh, reason_en=reason_en,
                        fix_zh=fix_zh, fix_en=fix_en)
