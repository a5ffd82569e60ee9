"""Plain-text tables for a terminal, with Chinese names aligned.

Column widths are measured in terminal cells with ``wcwidth`` (a CJK character takes two), text is
left-aligned and numbers right-aligned. Control characters in cells (which could move the cursor or
change colours: names come from users) are shown as ``�``. A table is a DataFrame or a mapping of
column name → values (numpy arrays, lists), so that callers without pandas can print one too.

Examples
--------
>>> import pandas as pd
>>> print(text_table(pd.DataFrame({"name": ["铸钢党总支", "ab"], "score": [1.5, 12.25]})))
name         score
----------  ------
铸钢党总支   1.500
ab          12.250
>>> print(text_table({"id": ["a", "b"], "n": [3, 12]}))
id   n
--  --
a    3
b   12
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from wcwidth import wcswidth

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cell_width", "text_table"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def cell_width(text: str) -> int:
    """Width of ``text`` in terminal cells (CJK wide characters count two)."""
    if text.isascii() and text.isprintable():  # the common case, one cell per character
        return len(text)
    width = wcswidth(text)
    if width < 0:  # a character without a defined width: count it as one cell
        width = sum(max(wcswidth(char), 1 if not unicodedata.combining(char) else 0) for char in text)
    return width


def _clean(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if hasattr(value, "item") and not isinstance(value, str):
        return _clean(value.item(), digits)
    return _CONTROL.sub("\ufffd", str(value))


def _column(values, digits: int) -> tuple[list[str], bool]:
    """The cells of one column as text, and whether it is numeric (right-aligned).

    Floats get ``digits`` decimals, none when the column holds whole numbers only; NaN is ``–``.
    """
    if hasattr(values, "dtype") and hasattr(values, "to_numpy") and not isinstance(values.dtype, np.dtype):
        return _extension_column(values, digits)  # a pandas column of an extension dtype (str, Int64, …)
    array = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
    if array.ndim != 1:  # e.g. a list of tuples: one object per cell
        array = np.empty(len(values), dtype=object)
        array[:] = list(values)
    kind = array.dtype.kind
    if kind == "f":
        present = array[~np.isnan(array)]
        places = 0 if len(present) and bool((present == present.round()).all()) else digits
        return ["–" if value != value else f"{value:.{places}f}" for value in array.tolist()], True
    if kind in "iu":
        return [str(value) for value in array.tolist()], True
    if kind in "mM" and hasattr(values, "tolist"):  # as pandas shows them (Timestamp, Timedelta)
        return [_clean(value, digits) for value in values.tolist()], False
    return [_clean(value, digits) for value in array.tolist()], kind in "bc"


def _extension_column(column: pd.Series, digits: int) -> tuple[list[str], bool]:
    import pandas as pd

    whole = False
    if pd.api.types.is_float_dtype(column):
        present = column.dropna().to_numpy()
        whole = bool(len(present)) and bool((present == present.round()).all())
    return ([_clean(value, 0 if whole else digits) for value in column.tolist()],
            pd.api.types.is_numeric_dtype(column))


def _fit(cells: list[str], max_text: int) -> tuple[list[str], list[int]]:
    """Cells cut to ``max_text`` cells with ``…``, and their widths (measured once per distinct text)."""
    joined = "".join(cells)
    if joined.isascii() and joined.isprintable():  # e.g. every number column: one cell per character
        widths = list(map(len, cells))
        if not widths or max(widths) <= max_text:
            return cells, widths
    known: dict[str, tuple[str, int]] = {}
    texts, widths = [], []
    for text in cells:
        fitted = known.get(text)
        if fitted is None:
            cut, width = text, cell_width(text)
            if width > max_text:
                while cell_width(cut) > max_text - 1:
                    cut = cut[:-1]
                cut += "…"
                width = cell_width(cut)
            fitted = known[text] = (cut, width)
        texts.append(fitted[0])
        widths.append(fitted[1])
    return texts, widths


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(width - cell_width(text), 0)
    return fill + text if right else text + fill


def text_table(frame: pd.DataFrame | Mapping, *, digits: int = 3, max_text: int = 30) -> str:
    """``frame`` as an aligned text table (header, dashes, rows; no index).

    ``frame`` is a DataFrame or a mapping of column name → values (arrays, lists or Series of
    equal length). Floats are shown with ``digits`` decimals (none when a column holds whole numbers
    only), NaN as ``–``; text longer than ``max_text`` cells is cut with ``…``; numbers are
    right-aligned.
    """
    if isinstance(frame, Mapping):
        names, columns = list(frame), list(frame.values())
        n_rows = len(columns[0]) if columns else 0
    else:  # a DataFrame
        names = list(frame.columns)
        columns = [frame.iloc[:, position] for position in range(len(names))]
        n_rows = len(frame)
    header, dashes, padded = [], [], []
    for name, values in zip(names, columns, strict=True):
        cells, right = _column(values, digits)
        texts, widths = _fit(cells, max_text)
        title = _clean(str(name), digits)
        width = max([cell_width(title), *widths])
        if right:
            padded.append([" " * (width - w) + text for text, w in zip(texts, widths, strict=True)])
        else:
            padded.append([text + " " * (width - w) for text, w in zip(texts, widths, strict=True)])
        header.append(_pad(title, width, right))
        dashes.append("-" * width)
    lines = ["  ".join(header).rstrip(), "  ".join(dashes)]
    rows = zip(*padded, strict=True) if padded else ([] for _ in range(n_rows))
    lines += ["  ".join(cells).rstrip() for cells in rows]
    return "\n".join(lines)
