"""A ledger as a folder of three CSV files: ``organizations.csv``, ``activities.csv``, ``participations.csv``.

Every cell is read as text, exactly as typed ("007", "NA" and "None" stay what they are). The encoding
is detected (UTF-8 with or without BOM, GB18030 as Excel on Chinese Windows saves, UTF-16); files are
written as UTF-8 with a BOM so that Excel opens them correctly.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from functools import cache
from pathlib import Path

from ..errors import CojianError, Problem
from ..schema import TABLES
from ..validate import MAX_CELL_CHARS, RawTable, TableSource, make_problem, text_array, validated
from .encoding import UndecodableError, decode_text
from .limits import file_too_large
from .steps import reading_step

__all__ = ["read_csv_folder", "write_csv_folder"]


def read_csv_folder(path: str | Path, *, progress=None):
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
    for step, (name, table) in enumerate(TABLES.items()):
        files = _find_files(folder, (table.filename, f"{table.zh}.csv"))
        label = files[0].name if len(files) == 1 else table.filename
        reading_step(progress, step, label)
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
    reading_step(progress, len(TABLES), "")
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
        text, encoding = decode_text(data)
    except UndecodableError as error:
        problems.append(_encoding_problem(label, error))
        return None
    if not text.strip():
        problems.append(_unreadable(label, "文件是空的，连表头也没有",
                                    "the file is empty, without even a header",
                                    "第一行写表头（见 cojian template）",
                                    "write the header in the first line (see cojian template)"))
        return None
    columnar = (_read_columnar(text, data.removeprefix(codecs.BOM_UTF8) if encoding == "utf-8-sig" else None)
                if len(data) >= COLUMNAR_FROM else None)
    if columnar is not None:
        return columnar, 2
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

#: Files of this many bytes or more are read by Arrow's columnar reader when it can (:func:`_read_columnar`):
#: below it, importing Arrow (and pandas, which ``pyarrow.compute`` imports) costs more than it saves.
COLUMNAR_FROM = 8 << 20

#: The whitespace of ``str.isspace`` beyond U+0009 to U+000D (tab, line feed, vertical tab, form feed, carriage
#: return), as RE2 writes it: shared by :data:`_SPACE` and :data:`_EDGE`.
_SPACE_BEYOND_CONTROLS = ("\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}"
                          "\\x{205f}\\x{3000}")
#: What ``str.isspace`` sees as whitespace, as an RE2 character class (a test checks it against every code
#: point: working it out on first use took 0.1 s).
_SPACE = f"[\\x{{9}}-\\x{{d}}{_SPACE_BEYOND_CONTROLS}]"
#: An RE2 pattern (for Arrow) of a cell that ``str.strip`` would change: whitespace, or a byte-order mark, at
#: either end.
_UNTRIMMED = f"^({_SPACE}|\\x{{feff}})|({_SPACE}|\\x{{feff}})$"
#: What a cell may start or end with that ``str.strip`` (or validation, for the mark) would take off: whitespace
#: but the line breaks (no cell holds one), or a byte-order mark.
_EDGE = f"[\\x{{9}}\\x{{b}}\\x{{c}}{_SPACE_BEYOND_CONTROLS}\\x{{feff}}]"
#: An RE2 pattern that finds, in a whole file read without quotes, any cell :data:`_UNTRIMMED` would find (and
#: sometimes none): an :data:`_EDGE` character where a cell starts (the text's start, after a comma or a line
#: feed) or ends (before a comma, a line break or the text's end), or a carriage return without a line feed
#: (a line break of its own). One pass over the bytes instead of one per column (0.4 s at 10^5 organisations).
_UNTRIMMED_CELLS = f"(?:^|[,\\n]){_EDGE}|{_EDGE}(?:[,\\r\\n]|$)|\\r(?:[^\\n]|$)"


def _re2(pattern: re.Pattern) -> str:
    """A character class of Python's ``re`` as RE2 (Arrow's) writes it, for text that holds no lone surrogates
    (valid UTF-8): ``\\uXXXX`` as ``\\x{XXXX}``, without the surrogates' range."""
    return re.sub(r"\\u([0-9a-f]{4})", r"\\x{\1}", pattern.pattern.replace("\\ud800-\\udfff", ""))


@cache
def _refused() -> str:
    """An RE2 pattern of the characters validation refuses in any cell or in ids (``validate._UNSTORABLE`` and
    ``validate.INVISIBLE_IN_IDS``): one pass of Arrow's over a file's bytes (Python's ``re`` took 0.4 s, two
    passes over a 50 MB file's text)."""
    from ..validate import _UNSTORABLE, INVISIBLE_IN_IDS

    return f"{_re2(_UNSTORABLE)}|{_re2(INVISIBLE_IN_IDS)}"


def _read_columnar(text: str, utf8: bytes | None = None) -> RawTable | None:
    """The table in ``text`` parsed by Apache Arrow's multi-threaded CSV reader, column by column, or
    None when the file needs the ``csv`` module's strict, row-by-row reading. ``utf8``: the same text as
    UTF-8 without a byte-order mark, when the file was that (else it is encoded again).

    Arrow reads a file without quotes (most ledgers: Chinese text rarely holds a comma) exactly as the
    ``csv`` module does; what it would read differently is left to :func:`_read_csv`'s row reader, which
    also words the problems: any quote (Arrow accepts a stray quote that the ``csv`` module refuses), a
    blank first line, a row with more or fewer cells than the header, a lone surrogate. When the whole
    text holds none of the characters validation refuses and no cell is too long, the cells come back
    trimmed (:class:`RawTable`'s ``clean``) and validation skips its per-cell passes; otherwise those
    passes run on the columns and report each problem where it is.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as arrow_csv

    if not text[:1].strip():
        return None
    if utf8 is None:
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
    if b'"' in utf8:
        return None
    end = utf8.find(b"\n")
    width = utf8.count(b",", 0, end if end >= 0 else len(utf8)) + 1  # the header's cells (no copy of the rest)
    uneven = []

    def skip(row) -> str:
        uneven.append(row.number)
        return "skip"

    try:
        table = arrow_csv.read_csv(
            pa.py_buffer(utf8),
            read_options=arrow_csv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=arrow_csv.ParseOptions(quote_char=False, ignore_empty_lines=False, invalid_row_handler=skip),
            convert_options=arrow_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                     strings_can_be_null=False, null_values=[]))
    except (pa.ArrowInvalid, ValueError):
        return None
    if uneven or table.num_columns != width:
        return None
    header = [column[0].as_py() for column in table.columns]
    body = table.slice(1)
    # characters no file can hold, invisible ones (refused in ids), cells too long: validation's
    # per-cell passes find and report them; without any, they are skipped
    whole = _one_string(utf8)
    clean = not pc.match_substring_regex(whole, _refused())[0].as_py()
    untrimmed = clean and pc.match_substring_regex(whole, _UNTRIMMED_CELLS)[0].as_py()
    columns = []
    for column in body.columns:
        values = column.to_numpy(zero_copy_only=False)
        if len(column) and clean:
            if pc.max(pc.utf8_length(column)).as_py() > MAX_CELL_CHARS:
                clean = False
            elif untrimmed and pc.any(pc.match_substring_regex(column, _UNTRIMMED)).as_py():
                values = text_array(values)  # trimmed as validation trims
        columns.append(values)
    return RawTable(header, columns, clean=clean)


def _one_string(utf8: bytes):
    """An Arrow string array of one element, ``utf8`` itself: its bytes are wrapped, neither copied nor checked
    again (they were decoded already; a cast from binary copied and checked 50 MB in 0.2-0.5 s)."""
    import numpy as np
    import pyarrow as pa

    return pa.LargeStringArray.from_buffers(1, pa.py_buffer(np.array([0, len(utf8)], dtype=np.int64)),
                                            pa.py_buffer(utf8))


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
