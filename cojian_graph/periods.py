"""Periods of time as the ledger's dates allow: years, half-years (``2021-H2``) and quarters
(``2021-Q3``), numbered so that consecutive periods have consecutive numbers.

A date may be a year, a year-month or a day (``2021``, ``2021-07``, ``2021-07-01``). An activity dated
by its year only has no half-year or quarter: :func:`periods_of` marks it apart (−2), as it marks an
undated one (−1), so that every view can count them instead of dropping or placing them silently.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PERIODS", "parse_period", "period_axis", "period_labels", "periods_of"]

#: Periods a timeline can be cut into: id → (中文, English, periods per year).
PERIODS: dict[str, tuple[str, str, int]] = {
    "year": ("年", "year", 1),
    "half": ("半年", "half-year", 2),
    "quarter": ("季度", "quarter", 4),
}


def periods_of(dates, period: str = "year") -> np.ndarray:
    """The period number of each ISO date (``"2021"``, ``"2021-07"``, ``"2021-07-01"``): year × n +
    part (n periods a year); −1 when undated, −2 when dated more coarsely than the period.

    >>> periods_of(["2021", "2021-07-01", "", "2021-03"], "half").tolist()
    [-2, 4043, -1, 4042]
    """
    per_year = _per_year(period)
    texts = list(dates.tolist() if hasattr(dates, "tolist") else dates)
    cache: dict[str, int] = {}
    for text in set(texts):
        text = str(text)
        year = text[:4]
        if len(year) != 4 or not year.isdigit():
            cache[text] = -1
        elif per_year == 1:
            cache[text] = int(year)
        elif len(text) >= 7 and text[5:7].isdigit() and 1 <= int(text[5:7]) <= 12:
            cache[text] = int(year) * per_year + (int(text[5:7]) - 1) * per_year // 12
        else:
            cache[text] = -2
    return np.fromiter((cache[str(text)] for text in texts), dtype=np.int64, count=len(texts))


def period_labels(numbers, period: str = "year") -> list[str]:
    """Period numbers as people write them: ``2021``, ``2021-H2``, ``2021-Q3``.

    >>> period_labels([4043, 8087], "half"), period_labels([8087], "quarter")
    (['2021-H2', '4043-H2'], ['2021-Q4'])
    """
    per_year = _per_year(period)
    if per_year == 1:
        return [str(int(number)) for number in numbers]
    mark = "H" if per_year == 2 else "Q"
    return [f"{int(number) // per_year}-{mark}{int(number) % per_year + 1}" for number in numbers]


def period_axis(numbers: np.ndarray) -> np.ndarray:
    """Every period number from the first placed activity's to the last's (empty when none is placed),
    from :func:`periods_of`'s numbers.

    >>> period_axis(np.array([2022, -1, 2020, -2])).tolist()
    [2020, 2021, 2022]
    """
    placed = numbers[numbers >= 0]
    return np.arange(placed.min(), placed.max() + 1) if len(placed) else np.empty(0, dtype=np.int64)


def _per_year(period: str) -> int:
    if period not in PERIODS:
        from .errors import CojianError

        raise CojianError(f"未知的时段 unknown period {period!r}; 可选 valid: {', '.join(PERIODS)}")
    return PERIODS[period][2]


def parse_period(label: str) -> tuple[str, int]:
    """A period as people write it — ``2022``, ``2022-H1`` (or ``2022H1``, ``2022上半年``), ``2022-Q3`` —
    as (kind, number), the number as :func:`periods_of` gives it.

    >>> parse_period("2022-H2"), parse_period("2022 q1"), parse_period("2022下半年")
    (('half', 4045), ('quarter', 8088), ('half', 4045))
    """
    import re

    from .errors import CojianError

    text = str(label).strip().upper().replace(" ", "").replace("上半年", "-H1").replace("下半年", "-H2")
    match = re.fullmatch(r"(\d{4})(?:-?([HQ])([1-4]))?", text)
    if not match or (match.group(2) == "H" and match.group(3) not in ("1", "2")):
        raise CojianError(f"无法识别的时段 unrecognised period: {label!r}（写成 2022、2022-H1 或 2022-Q3 / write 2022, "
                          "2022-H1 or 2022-Q3)")
    year = int(match.group(1))
    if match.group(2) is None:
        return "year", year
    kind = "half" if match.group(2) == "H" else "quarter"
    return kind, year * PERIODS[kind][2] + int(match.group(3)) - 1
