"""A ledger as one Excel workbook with three sheets: organizations, activities, participations.

Reading accepts the sheet names in English or Chinese (组织, 活动, 参与), headers by column id, Chinese
or English name or the template's bilingual ``"名称 name"``, a title row or two above the header,
cells typed as numbers or dates (``7`` → ``"7"``, a date → ``"2021-07-01"``). Writing stores every
cell as text, so that a name like ``=1+1`` stays a name and never becomes a formula.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CojianError, Problem
from ..schema import TABLES, Table
from ..validate import RawTable, TableSource, canonical_header, cell_text, make_problem, validated

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_ROWS", "find_sheet", "read_excel", "write_excel"]

MAX_ROWS = 1_048_576  # Excel's limit, header included


def read_excel(path: str | Path):
    """Read the ledger in the workbook ``path`` (``.xlsx``).

    Raises
    ------
    LedgerError
        With every problem: an unreadable file, missing sheets or columns, bad cells.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        problem = make_problem(
            "unreadable_file", path.name,
            reason_zh=f"不是有效的 Excel 工作簿（{type(error).__name__}）",
            reason_en=f"not a valid Excel workbook ({type(error).__name__}: {error})",
            fix_zh="用 Excel 或 WPS 打开后另存为 .xlsx 工作簿",
            fix_en="open it in Excel or WPS and save it as an .xlsx workbook")
        return validated({name: None for name in TABLES}, source=str(path), problems=[problem])
    try:
        frames: dict[str, RawTable | None] = {}
        sources: dict[str, TableSource] = {}
        problems: list[Problem] = []
        for name, table in TABLES.items():
            sheet_name = find_sheet(workbook.sheetnames, table)
            if sheet_name is None:
                label = f"{path.name} › {name}"
                sources[name] = TableSource(label)
                problems.append(make_problem(
                    "missing_table", label, table=name, table_zh=table.zh,
                    fix_zh=f"添加名为“{name}”或“{table.zh}”的工作表（现有：{'、'.join(workbook.sheetnames)}）",
                    fix_en=f"add a sheet named '{name}' or '{table.zh}' "
                           f"(the workbook has: {', '.join(workbook.sheetnames)})"))
                frames[name] = None
                continue
            label = f"{path.name} › {sheet_name}"
            frame, rows = _read_sheet(workbook[sheet_name], table)
            frames[name] = frame
            sources[name] = TableSource(label, rows=rows)
    finally:
        workbook.close()
    return validated(frames, source=str(path), sources=sources, problems=problems)


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
    """The sheet of ``sheet_names`` that holds ``table`` (by English or Chinese name), or None.

    >>> find_sheet(["说明", "组织", "活动"], TABLES["organizations"])
    '组织'
    >>> find_sheet(["Organizations "], TABLES["organizations"])
    'Organizations '
    """
    wanted = {_key(name) for name in (table.name, table.zh, table.en, f"{table.zh} {table.name}",
                                      f"{table.name} {table.zh}", f"{table.zh} {table.en}")}
    for sheet in sheet_names:
        if _key(sheet) in wanted:
            return sheet
    return None


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


def _read_sheet(sheet, table: Table) -> tuple[RawTable, list[int]]:
    """The records of ``sheet`` as text and the sheet row number of each (blank rows dropped)."""
    sheet.reset_dimensions()  # some writers store wrong dimensions; read every row there is
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header_at = _header_row(values, table)
    if header_at is None:
        return RawTable([], []), []
    header = [cell_text(value).strip() for value in values[header_at]]
    width = len(header)
    records: list[list[str]] = []
    rows: list[int] = []
    for index in range(header_at + 1, len(values)):
        row = values[index]
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in row):
            continue
        cells = [cell_text(value) for value in row]
        if len(cells) > width:  # data beyond the header: keep it under a generated name
            header += [""] * (len(cells) - width)
            width = len(cells)
        records.append(cells)  # RawTable.from_rows fills short rows to the final header width
        rows.append(index + 1)
    return RawTable.from_rows([header, *records]), rows


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
