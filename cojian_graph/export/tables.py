"""Tables for colleagues: CSV (UTF-8 with BOM) and XLSX, safe to open in Excel.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
by a spreadsheet as a formula (CSV/formula injection). :func:`neutralise` prefixes such a cell
with ``'``, except a genuine number such as ``-3`` or ``+1.5e3``; numeric columns stay numbers.
CSV files carry a BOM so that Excel on Chinese Windows reads them as UTF-8. XLSX cells holding text
are always stored as text (never as a formula), on top of the prefix.

Examples
--------
>>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-12.5"), neutralise("铸钢党总支")
('\\'=HYPERLINK("http://x")', '-12.5', '铸钢党总支')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..errors import CojianError

__all__ = ["TABLE_FORMATS", "neutralise", "neutralised", "write_csv", "write_xlsx"]

#: Table formats: id → (中文, English, suffix).
TABLE_FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV 表格（UTF-8 带 BOM）", "CSV table (UTF-8 with BOM)", ".csv"),
    "xlsx": ("Excel 工作簿", "Excel workbook", ".xlsx"),
}

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Excel limits: 32,767 characters per cell, 1,048,576 rows, 31 characters per sheet name.
_MAX_CELL = 32_767
_MAX_ROWS = 1_048_576


def neutralise(value):
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would run as a formula gets a
    leading ``'``; numbers and other text are returned unchanged.

    >>> [neutralise(v) for v in ["@SUM(A1)", "\\t=1", "+86 123", "+86", 5, "a=b"]]
    ["'@SUM(A1)", "'\\t=1", "'+86 123", '+86', 5, 'a=b']
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) passed through :func:`neutralise`."""
    out = frame.copy()
    out.columns = [neutralise(str(column)) for column in frame.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: neutralise(_text(v)) if isinstance(v, str | tuple | list) else v
            )
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as CSV in UTF-8 with a BOM, formulas neutralised, no index column."""
    path = Path(path)
    neutralised(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_xlsx(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame, path: str | Path) -> Path:
    """Write one or several tables to an Excel workbook, one sheet each, formulas neutralised.

    Numbers stay numbers (NaN becomes an empty cell), text is stored as text; the header row is
    bold and frozen.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(sheets, pd.DataFrame):
        sheets = {"table": sheets}
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        if len(frame) + 1 > _MAX_ROWS:
            raise CojianError(f"表 {name} 超出 Excel 行数上限 / table {name} has more rows than Excel allows "
                              f"({len(frame)}); 请导出 CSV / export CSV instead")
        sheet = book.create_sheet(_sheet_name(name))
        sheet.freeze_panes = "A2"
        frame = neutralised(frame)
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, WriteOnlyCell, value) for value in row])
    path = Path(path)
    book.save(path)
    return path


def _cell(sheet, cell_class, value):
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value)
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - 1] + "…"
    cell = cell_class(sheet, value=None)
    cell.value = text
    cell.data_type = "s"  # text as it is, never a formula
    return cell


def _text(value) -> str:
    if isinstance(value, tuple | list):
        return ";".join(map(str, value))
    return value


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'") or "sheet"
    return cleaned[:31]
