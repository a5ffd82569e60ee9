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


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(width - cell_width(text), 0)
    return fill + text if right else text + fill


def text_table(frame: pd.DataFrame, *, digits: int = 3, max_text: int = 30) -> str:
    """``frame`` as an aligned text table (header, dashes, rows; no index).

    Floats are shown with ``digits`` decimals (none when a column holds whole numbers only), NaN as
    ``–``; text longer than ``max_text`` cells is cut with ``…``.
    """
    columns = [str(column) for column in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns]
    whole = [_whole(frame[column]) for column in frame.columns]
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for i, value in enumerate(row):
            text = _clean(value, 0 if whole[i] else digits)
            if cell_width(text) > max_text:
                while cell_width(text) > max_text - 1:
                    text = text[:-1]
                text += "…"
            cells.append(text)
        body.append(cells)
    widths = [max([cell_width(_clean(name, digits))] + [cell_width(cells[i]) for cells in body])
              for i, name in enumerate(columns)]
    header = (_pad(_clean(name, digits), widths[i], numeric[i]) for i, name in enumerate(columns))
    lines = [
        "  ".join(header).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(_pad(cells[i], widths[i], numeric[i]) for i in range(len(columns))).rstrip()
              for cells in body]
    return "\n".join(lines)
