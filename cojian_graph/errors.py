"""One exception hierarchy for the library.

Messages a user sees say what is wrong, where, and how to fix it, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CojianError", "LedgerError", "Problem", "UnknownNodeError"]


class CojianError(Exception):
    """Base class of every error cojian-graph raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a ledger.

    ``row`` is the row number as the user sees it in Excel or a spreadsheet (the header is row 1,
    so the first record is row 2); None when the problem is about a whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    code: str  # stable machine-readable kind, e.g. "unknown_link_type"
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str

    def describe(self, lang: str = "both") -> str:
        where = self.file
        if self.row is not None:
            where += f", 第{self.row}行 row {self.row}" if lang == "both" else f", row {self.row}"
        if self.column:
            where += f", {self.column}"
        if lang == "zh":
            return f"{where}: {self.message_zh}（{self.fix_zh}）"
        if lang == "en":
            return f"{where}: {self.message_en} ({self.fix_en})"
        return f"{where}: {self.message_zh}（{self.fix_zh}） / {self.message_en} ({self.fix_en})"


class LedgerError(CojianError):
    """A ledger was rejected as a whole; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        count = len(self.problems)
        head = f"台账有 {count} 个问题，未加载 / the ledger has {count} problem(s) and was not loaded"
        if source:
            head += f": {source}"
        lines = [head, *(f"  - {problem.describe()}" for problem in self.problems[:50])]
        if count > 50:
            lines.append(f"  … 另有 {count - 50} 个 / and {count - 50} more")
        super().__init__("\n".join(lines))

    def to_frame(self):
        """The problems as a DataFrame (file, row, column, code, problem, fix in both languages)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "file": p.file, "row": p.row, "column": p.column, "code": p.code,
                    "problem_zh": p.message_zh, "fix_zh": p.fix_zh,
                    "problem_en": p.message_en, "fix_en": p.fix_en,
                }
                for p in self.problems
            ],
            columns=["file", "row", "column", "code", "problem_zh", "fix_zh", "problem_en", "fix_en"],
        )


class UnknownNodeError(CojianError, KeyError):
    """An organisation id that is not in the graph or ledger was asked for."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
