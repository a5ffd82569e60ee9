"""A ledger as one Excel workbook with three sheets: organizations, activities, participations.

Reading accepts the sheet names in English or Chinese (组织, 活动, 参与), headers by column id, Chinese
or English name or the template's bilingual ``"名称 name"``, a title row or two above the header,
cells typed as numbers or dates (``7`` → ``"7"``, a date → ``"2021-07-01"``). Writing stores every
cell as text, so that a name like ``=1+1`` stays a name and never becomes a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CojianError, Problem
from ..schema import TABLES, Table
from ..validate import RawTable, TableSource, canonical_header, cell_text, make_problem, validated
from .limits import MAX_COLUMNS, file_too_large, unsafe_zip
from .steps import reading_step

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_ROWS", "find_sheet", "find_sheets", "read_excel", "write_excel"]

MAX_ROWS = 1_048_576  # Excel's limit, header included


def read_excel(path: str | Path, *, progress=None):
    """Read the ledger in the workbook ``path`` (``.xlsx``).

    The workbook is checked before it is parsed (its size, and what its parts would decompress to:
    :mod:`~cojian_graph.io.limits`); sheets are streamed, keeping only cells with a value, so a
    stray cell in the sheet's last column costs nothing. XML with entity declarations is refused
    (openpyxl parses through defusedxml). Merged cells take the value of their top-left cell (a
    ledger often merges an activity's id over its participants' rows); a formula whose value Excel
    did not store is a problem, not an empty cell.

    Raises
    ------
    LedgerError
        With every problem: an unreadable or too large file, missing or ambiguous sheets, missing
        columns, bad cells.
    """
    import openpyxl

    path = Path(path)
    problem = file_too_large(path) or unsafe_zip(path)
    if problem is not None:
        return validated({name: None for name in TABLES}, source=str(path), problems=[problem])
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _PROGRAMMING_ERRORS:
        raise
    except Exception as error:  # openpyxl raises many kinds on a broken or hostile workbook
        return _unreadable(path, error)
    frames: dict[str, RawTable | None] = {}
    sources: dict[str, TableSource] = {}
    problems: list[Problem] = []
    try:
        for step, (name, table) in enumerate(TABLES.items()):
            matches = find_sheets(workbook.sheetnames, table)
            reading_step(progress, step, f"{path.name} › {matches[0] if len(matches) == 1 else name}")
            if len(matches) != 1:
                label = f"{path.name} › {name}"
                sources[name] = TableSource(label)
                problems.append(_sheet_problem(workbook, label, name, table, matches))
                frames[name] = None
                continue
            sheet_name = matches[0]
            label = f"{path.name} › {sheet_name}"
            frame, rows, found = _read_sheet(workbook[sheet_name], table, label)
            frames[name] = frame
            sources[name] = TableSource(label, rows=rows)
            problems += found
    except _PROGRAMMING_ERRORS:
        raise
    except Exception as error:  # a truncated or malformed sheet, found while streaming it
        return _unreadable(path, error)
    finally:
        workbook.close()
    reading_step(progress, len(TABLES), "")
    return validated(frames, source=str(path), sources=sources, problems=problems)


# errors of this program, not of the file: never reported as "not a valid workbook"
_PROGRAMMING_ERRORS = (NameError, ImportError)


def _unreadable(path: Path, error: BaseException):
    while error.__cause__ is not None or error.__context__ is not None:  # the root cause names the trouble
        error = error.__cause__ or error.__context__
    problem = make_problem(
        "unreadable_file", path.name,
        reason_zh=f"不是有效的 Excel 工作簿（{type(error).__name__}）",
        reason_en=f"not a valid Excel workbook ({type(error).__name__}: {str(error)[:200]})",
        fix_zh="用 Excel 或 WPS 打开后另存为 .xlsx 工作簿",
        fix_en="open it in Excel or WPS and save it as an .xlsx workbook")
    return validated({name: None for name in TABLES}, source=str(path), problems=[problem])


def _sheet_problem(workbook, label: str, name: str, table: Table, matches: list[str]) -> Problem:
    """The problem of a table with no sheet, or with several sheets that could be it."""
    if not matches:
        return make_problem(
            "missing_table", label, table=name, table_zh=table.zh,
            fix_zh=f"添加名为“{name}”或“{table.zh}”的工作表（现有：{'、'.join(workbook.sheetnames)}）",
            fix_en=f"add a sheet named '{name}' or '{table.zh}' (the workbook has: {', '.join(workbook.sheetnames)})")
    hidden = [sheet for sheet in matches if workbook[sheet].sheet_state != "visible"]
    note_zh = f"（其中隐藏的：{'、'.join(hidden)}）" if hidden else ""
    note_en = f" (hidden: {', '.join(hidden)})" if hidden else ""
    return make_problem(
        "ambiguous_table", label, table=name, table_zh=table.zh, candidates="、".join(matches) + note_zh,
        candidates_en=", ".join(matches) + note_en)


def find_sheets(sheet_names: list[str], table: Table) -> list[str]:
    """Every sheet of ``sheet_names`` that could hold ``table`` (by English or Chinese name).

    >>> find_sheets(["说明", "组织", "organizations"], TABLES["organizations"])
    ['组织', 'organizations']
    """
    wanted = {_key(name) for name in (table.name, table.zh, table.en, f"{table.zh} {table.name}",
                                      f"{table.name} {table.zh}", f"{table.zh} {table.en}")}
    return [sheet for sheet in sheet_names if _key(sheet) in wanted]


def write_excel(ledger, path: str | Path) -> None:
    """Write ``ledger`` as a workbook with three sheets, every cell stored as text.

    Raises
    ------
    CojianError
        When a table has more rows than Excel allows, or a cell holds a control character that
        Excel cannot store.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    for name in TABLES:  # check everything first, so that nothing half-written is left behind
        _check_writable(name, ledger.table(name))
    workbook = openpyxl.Workbook(write_only=True)
    for name in TABLES:
        frame = ledger.table(name)
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        columns = [str(column) for column in frame.columns]
        for index in range(len(columns)):
            sheet.column_dimensions[_letter(index)].width = 14 if index else 12
        sheet.append([_text_cell(sheet, WriteOnlyCell, column) for column in columns])
        for record in frame.itertuples(index=False, name=None):
            sheet.append([_text_cell(sheet, WriteOnlyCell, value) for value in record])
    workbook.save(path)


def find_sheet(sheet_names: list[str], table: Table) -> str | None:
    """The first sheet of ``sheet_names`` that holds ``table`` (by English or Chinese name), or None.

    >>> find_sheet(["说明", "组织", "活动"], TABLES["organizations"])
    '组织'
    >>> find_sheet(["Organizations "], TABLES["organizations"])
    'Organizations '
    """
    matches = find_sheets(sheet_names, table)
    return matches[0] if matches else None


def _key(text: str) -> str:
    return "".join(str(text).split()).lower()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _text_cell(sheet, cell_class, value):
    text = "" if value is None else str(value)
    if text == "":
        return None
    cell = cell_class(sheet, value=text)
    cell.data_type = "s"  # never a formula, an error code or a number: the text as it is
    return cell


# the control characters XML 1.0 (and so openpyxl) refuses; tab, newline and carriage return are fine
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _check_writable(name: str, frame: pd.DataFrame) -> None:
    if len(frame) + 1 > MAX_ROWS:
        raise CojianError(f"{name} 表有 {len(frame)} 行，超过 Excel 的上限 / the {name} table has "
                          f"{len(frame)} rows, more than Excel allows ({MAX_ROWS - 1}); use CSV or JSON")
    for column in frame.columns:
        bad = frame[column].astype(str).str.contains(_ILLEGAL, regex=True)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise CojianError(
                f"{name} 第{row}行 {column} 含有 Excel 无法保存的控制字符 / row {row}, column {column} of "
                f"{name} holds a control character Excel cannot store; use CSV or JSON")


def _read_sheet(sheet, table: Table, label: str) -> tuple[RawTable, list[int], list[Problem]]:
    """The records of ``sheet`` as text, the sheet row number of each (blank rows dropped), and the
    problems found while reading (data beyond :data:`MAX_COLUMNS`, formulas without a value, too
    many rows)."""
    numbers, values, formulas, merged, problems = _sheet_rows(sheet, label)
    _fill_merged(numbers, values, merged)
    header_at = _header_row(values, table)
    if header_at is None:
        return RawTable([], []), [], problems
    header = [cell_text(value).strip() for value in values[header_at]]
    width = len(header)
    records: list[list[str]] = []
    rows: list[int] = []
    for index in range(header_at + 1, len(values)):
        texts = [cell_text(value) for value in values[index]]
        if not any(text.strip() for text in texts):
            continue
        if len(texts) > width:  # data beyond the header: keep it under a generated name
            header += [""] * (len(texts) - width)
            width = len(texts)
        records.append(texts)  # RawTable.from_rows fills short rows to the final header width
        rows.append(numbers[index])
    for number, column in formulas:
        name = (header[column - 1] if column <= len(header) else "") or _letter(column - 1)
        problems.append(make_problem(
            "unreadable_file", label, number, name,
            reason_zh="公式没有保存计算结果", reason_en="a formula whose value was not saved",
            fix_zh="在 Excel 或 WPS 中打开并保存一次（会保存计算结果），或把公式改为数值",
            fix_en="open and save it once in Excel or WPS (which stores the values), or replace the formula "
                   "by its value"))
    return RawTable.from_rows([header, *records]), rows, problems


_FORMULA = object()  # a formula cell whose value the file does not hold


def _sheet_rows(sheet, label: str):
    """The rows of ``sheet`` that hold a value, streamed: their sheet row numbers (increasing), their
    values (a list from column 1 to the row's last value, None where empty), the (row, column) of
    formula cells without a saved value, the sheet's merged ranges, and problems: cells beyond
    :data:`MAX_COLUMNS` or rows beyond Excel's :data:`MAX_ROWS`, reported once each."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _FORMULA
            return cell

    workbook = sheet.parent
    by_number: dict[int, list] = {}
    formulas: list[tuple[int, int]] = []
    problems: list[Problem] = []
    wide = tall = False
    with sheet._get_source() as source:  # the sheet's XML, streamed as openpyxl's read-only mode does
        parser = Parser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                        date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, row in parser.parse():
            if number > MAX_ROWS:
                if not tall:
                    tall = True
                    problems.append(_limit_problem(label, number, None, f"超过 Excel 的 {MAX_ROWS:,} 行",
                                                   f"beyond Excel's {MAX_ROWS:,} rows"))
                continue
            kept = [(cell["column"], cell["value"]) for cell in row if cell["value"] not in (None, "")]
            if not kept:
                continue
            if any(column > MAX_COLUMNS for column, _ in kept):
                if not wide:
                    wide = True
                    column = next(column for column, _ in kept if column > MAX_COLUMNS)
                    problems.append(_limit_problem(label, number, _letter(column - 1),
                                                   f"数据超出第 {MAX_COLUMNS} 列", f"data beyond column {MAX_COLUMNS}"))
                kept = [(column, value) for column, value in kept if column <= MAX_COLUMNS]
                if not kept:
                    continue
            values = by_number.get(number) or []
            last = max(column for column, _ in kept)
            if len(values) < last:
                values.extend([None] * (last - len(values)))
            for column, value in kept:
                if value is _FORMULA:
                    formulas.append((number, column))
                    value = None
                values[column - 1] = value
            by_number[number] = values
        merged = [str(cell_range.ref) for cell_range in (parser.merged_cells.mergeCell if parser.merged_cells else ())]
    numbers = sorted(by_number)
    return numbers, [by_number[number] for number in numbers], formulas, merged, problems


def _limit_problem(label: str, row: int, column: str | None, reason_zh: str, reason_en: str) -> Problem:
    return make_problem("too_large", label, row, column, reason_zh=reason_zh, reason_en=reason_en)


def _fill_merged(numbers: list[int], values: list[list], merged: list[str]) -> None:
    """Give every cell of a merged range the value of its top-left cell, within the rows and
    columns that hold data (a range may cover a whole sheet). ``numbers`` and ``values`` are
    changed in place (a merged range can reach rows that held nothing)."""
    from openpyxl.utils.cell import range_boundaries

    if not merged or not numbers:
        return
    where = {number: index for index, number in enumerate(numbers)}
    last_row = numbers[-1]
    added: dict[int, list] = {}
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        top = values[where[min_row]] if min_row in where else None
        value = top[min_col - 1] if top is not None and min_col <= len(top) else None
        if value is None:
            continue
        for number in range(min_row, min(max_row, last_row) + 1):
            row = values[where[number]] if number in where else added.setdefault(number, [])
            stop = min(max_col, MAX_COLUMNS)
            if len(row) < stop:
                row.extend([None] * (stop - len(row)))
            for column in range(min_col, stop + 1):
                if row[column - 1] is None:
                    row[column - 1] = value
    if added:
        pairs = sorted([*zip(numbers, values, strict=True), *added.items()], key=lambda pair: pair[0])
        numbers[:] = [number for number, _ in pairs]
        values[:] = [row for _, row in pairs]


def _header_row(values: list[tuple], table: Table) -> int | None:
    """Index of the header row: the first of the first ten rows naming two columns of ``table``;
    otherwise the first non-empty row; None for an empty sheet."""
    first = None
    for index, row in enumerate(values[:10]):
        texts = [cell_text(value).strip() for value in row]
        if first is None and any(texts):
            first = index
        if sum(canonical_header(table.name, text) is not None for text in texts if text) >= 2:
            return index
    return first
