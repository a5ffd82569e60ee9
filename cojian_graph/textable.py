"""Plain-text tables for a terminal, with Chinese names aligned.

Column widths are measured in terminal cells with ``wcwidth`` (a CJK character takes two), text is
left-aligned and numbers right-aligned. Control characters in cells (which could move the cursor or
change colours: names come from users) are shown as ``�``.

Examples
--------
>>> import pandas as pd
>>> print(text_table(pd.DataFrame({"name": ["铸钢党总支", "ab"], "score": [1.5, 12.25]})))
name         score
----------  ------
铸钢党总支   1.500
ab          12.250
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd
from wcwidth import wcswidth

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
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if hasattr(value, "item") and not isinstance(value, str):
        return _clean(value.item(), digits)
    return _CONTROL.sub("\ufffd", str(value))


def _whole(column: pd.Series) -> bool:
    """True for a float column whose values are all whole numbers (shown without decimals)."""
    if not pd.api.types.is_float_dtype(column):
        return False
    values = column.dropna().to_numpy()
    return bool(len(values)) and bool((values == values.round()).all())


def _cells(column: pd.Series, digits: int) -> list[str]:
    """The cells of one column as text (as :func:`_clean` shows each value)."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
    if kind == "f":
        return ["–" if value != value else f"{value:.{digits}f}"
                for value in column.to_numpy(dtype=float).tolist()]
    if kind in ("i", "u"):
        return [str(value) for value in column.to_numpy().tolist()]
    return [_clean(value, digits) for value in column.tolist()]


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


def text_table(frame: pd.DataFrame, *, digits: int = 3, max_text: int = 30) -> str:
    """``frame`` as an aligned text table (header, dashes, rows; no index).

    Floats are shown with ``digits`` decimals (none when a column holds whole numbers only), NaN as
    ``–``; text longer than ``max_text`` cells is cut with ``…``.
    """
    header, dashes, padded = [], [], []
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        right = pd.api.types.is_numeric_dtype(column)
        texts, widths = _fit(_cells(column, 0 if _whole(column) else digits), max_text)
        title = _clean(str(name), digits)
        width = max([cell_width(title), *widths])
        if right:
            padded.append([" " * (width - w) + text for text, w in zip(texts, widths, strict=True)])
        else:
            padded.append([text + " " * (width - w) for text, w in zip(texts, widths, strict=True)])
        header.append(_pad(title, width, right))
        dashes.append("-" * width)
    lines = ["  ".join(header).rstrip(), "  ".join(dashes)]
    rows = zip(*padded, strict=True) if padded else ([] for _ in range(len(frame)))
    lines += ["  ".join(cells).rstrip() for cells in rows]
    return "\n".join(lines)
