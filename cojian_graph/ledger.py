"""The co-construction ledger (共建台账): three tables, one source of truth.

A :class:`Ledger` holds the three tables of ``schema.TABLES`` as columns: numpy object arrays of
``str`` (``""`` when empty), canonical columns first, in schema order, then any extra columns as
they were read. The tables are also available as pandas DataFrames (``ledger.organizations``…),
built on first use; code that only needs columns (reading, validating, building the graph,
``cojian rank``) uses :meth:`Ledger.column` and never imports pandas. Build one with
:meth:`Ledger.from_frames` (which normalises and validates) or read one with
:func:`cojian_graph.io.read_ledger`.

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> ledger = tiny_ledger()
>>> ledger.size("activities"), ledger.column("activities", "link_type").tolist()
(4, ['learning', 'brand', 'service', 'mass_org'])
>>> ledger.organizations.loc[0, "name"]
'铸钢党总支'
>>> ledger.year_array().tolist()
[2021, -1, 2022, -1]
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .columns import object_array
from .model import LINK_IDS
from .schema import TABLES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Ledger", "year_of", "years_of"]

#: A table as columns: column name → values, one per record.
Columns = Mapping[str, Sequence | np.ndarray]


class Ledger:
    """The three tables of a ledger: organisations, activities, participations.

    ``Ledger(organizations, activities, participations)`` takes each table as a DataFrame or as a
    mapping of column name → values, taken as they are (already normalised; use
    :meth:`from_frames` to normalise and validate). A ledger is not changed after it is made.
    """

    __slots__ = ("__weakref__", "_cache", "_columns")

    def __init__(self, organizations: pd.DataFrame | Columns, activities: pd.DataFrame | Columns,
                 participations: pd.DataFrame | Columns):
        tables = {"organizations": organizations, "activities": activities, "participations": participations}
        columns = {name: _as_columns(name, table) for name, table in tables.items()}
        object.__setattr__(self, "_columns", columns)
        object.__setattr__(self, "_cache", {})

    def __setattr__(self, name, value):
        raise AttributeError("a Ledger is not changed after it is made / 台账创建后不可修改")

    def __getstate__(self):
        return self._columns

    def __setstate__(self, state):
        object.__setattr__(self, "_columns", state)
        object.__setattr__(self, "_cache", {})

    # --- columns (no pandas) -------------------------------------------------------------------

    def column(self, table: str, name: str) -> np.ndarray:
        """The values of column ``name`` of ``table``: an object array of ``str``, one per record.

        The array is the ledger's own: do not write to it.
        """
        return self._columns[table][name]

    def columns(self, table: str) -> dict[str, np.ndarray]:
        """Every column of ``table`` (canonical ones first), as ``{name: values}``."""
        return dict(self._columns[table])

    def size(self, table: str) -> int:
        """How many records ``table`` has."""
        columns = self._columns[table]
        return len(next(iter(columns.values()))) if columns else 0

    def take(self, *, organizations=None, activities=None, participations=None) -> Ledger:
        """A ledger of some records: for each table, a boolean mask or positions (None keeps all)."""
        picks = {"organizations": organizations, "activities": activities, "participations": participations}
        parts = {}
        for name, pick in picks.items():
            columns = self._columns[name]
            parts[name] = columns if pick is None else {key: values[pick] for key, values in columns.items()}
        return Ledger(**parts)

    def year_array(self) -> np.ndarray:
        """The year of each activity as int64, ``-1`` when undated (see :func:`years_of`)."""
        return years_of(self.column("activities", "date"))

    # --- DataFrames (pandas imported on first use) ---------------------------------------------

    @property
    def organizations(self) -> pd.DataFrame:
        return self.table("organizations")

    @property
    def activities(self) -> pd.DataFrame:
        return self.table("activities")

    @property
    def participations(self) -> pd.DataFrame:
        return self.table("participations")

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` ("organizations", "activities" or "participations") as a
        DataFrame of ``str`` cells (object dtype).

        Each call gives a new DataFrame over the same data (built once, then shallow copies):
        with pandas' copy-on-write, changing it never changes the ledger or the next call's frame.
        """
        frame = self._cache.get(name)
        if frame is None:
            import pandas as pd

            columns = self._columns[name]
            frame = pd.DataFrame({key: pd.Series(values, dtype=object, copy=False)
                                  for key, values in columns.items()},
                                 index=pd.RangeIndex(self.size(name)))
            self._cache[name] = frame
        return frame.copy(deep=False)

    @classmethod
    def from_frames(
        cls,
        organizations: pd.DataFrame,
        activities: pd.DataFrame,
        participations: pd.DataFrame,
        *,
        source: str = "",
        validate: bool = True,
    ) -> Ledger:
        """A ledger from three DataFrames, normalised; raises ``LedgerError`` listing every problem.

        Cells are converted to trimmed strings, link types to their ids, and dates to ISO form.
        """
        frames = {"organizations": organizations, "activities": activities,
                  "participations": participations}
        if not validate:
            return cls(**{name: _normalized_columns(name, frame) for name, frame in frames.items()})
        from .validate import validated

        return validated(frames, source=source)

    def content_hash(self) -> str:
        """A short digest of the ledger's content, stable across processes (used as a cache key).

        Computed once per ledger (a ledger does not change).
        """
        if "content_hash" in self._cache:
            return self._cache["content_hash"]
        digest = hashlib.sha256()
        for name in TABLES:
            columns = self._columns[name]
            digest.update(name.encode())
            digest.update(np.int64(self.size(name)).tobytes())
            for key, values in columns.items():
                texts = values.tolist()
                # the length of every cell, then the cells: no two different tables give the same bytes
                digest.update(f"\x1f{key}\x1f".encode())
                digest.update(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)).tobytes())
                digest.update("".join(texts).encode("utf-8", "surrogatepass"))
        self._cache["content_hash"] = digest.hexdigest()[:16]
        return self._cache["content_hash"]

    def years(self) -> pd.Series:
        """The year of each activity (nullable Int64, ``<NA>`` when undated), indexed like ``activities``.

        Worked out once per ledger (the explorer's sidebar asks on every run); each call gets a copy.
        """
        if "years" not in self._cache:
            self._cache["years"] = year_of(self.activities["date"])
        return self._cache["years"].copy()

    def memo(self, key: Hashable, compute: Callable[[Ledger], Any]) -> Any:
        """``compute(self)``, worked out once per ledger and ``key`` (a ledger does not change), for
        values derived from the whole ledger that many pages share. Callers must not change the value."""
        key = ("memo", key)
        if key not in self._cache:
            self._cache[key] = compute(self)
        return self._cache[key]

    def summary(self) -> dict:
        """Counts for a quick look: organisations per circle, activities per link, participations."""
        links = dict(zip(*np.unique(self.column("activities", "link_type").astype(str), return_counts=True),
                         strict=True))
        circles, counts = np.unique(self.column("organizations", "circle").astype(str), return_counts=True)
        order = np.lexsort((circles, -counts))  # most frequent first, as value_counts
        years = self.year_array()
        dated = years[years >= 0]
        return {
            "organizations": self.size("organizations"),
            "activities": self.size("activities"),
            "participations": self.size("participations"),
            "circles": {str(circles[i]): int(counts[i]) for i in order},
            "links": {link: int(links.get(link, 0)) for link in LINK_IDS},
            "years": (int(dated.min()), int(dated.max())) if len(dated) else None,
            "undated": int((years < 0).sum()),
        }

    def __repr__(self) -> str:
        return (f"<Ledger: {self.size('organizations')} organisations, {self.size('activities')} activities, "
                f"{self.size('participations')} participations>")


def _as_columns(name: str, table) -> dict[str, np.ndarray]:
    """A table given as a DataFrame or a mapping, as ``{column: object array}``; canonical columns
    that are missing are added empty."""
    if hasattr(table, "iloc"):  # a DataFrame (pandas is loaded, since the caller made one)
        if table.columns.has_duplicates:
            raise ValueError(f"{name}: repeated column names {list(table.columns)}")
        columns = {str(key): table[key].to_numpy(dtype=object) for key in table.columns}
    else:
        columns = {str(key): values if isinstance(values, np.ndarray) and values.dtype == object
                   else object_array(values) for key, values in dict(table).items()}
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"{name}: columns of different lengths {sorted(lengths)}")
    size = lengths.pop() if lengths else 0
    canonical = TABLES[name].column_names
    out = {key: columns[key] if key in columns else np.full(size, "", dtype=object) for key in canonical}
    out.update((key, values) for key, values in columns.items() if key not in out)
    return out


def years_of(dates: np.ndarray | Sequence[str]) -> np.ndarray:
    """The year in ISO-form date strings as int64 (``"2021"``, ``"2021-07"``, ``"2021-07-01"``; ``-1``
    when empty or not a year).

    >>> years_of(np.array(["2021", "", "2020-07-01"], dtype=object)).tolist()
    [2021, -1, 2020]
    """
    texts = dates.tolist() if isinstance(dates, np.ndarray) else list(dates)
    cache: dict[str, int] = {}
    for text in set(texts):
        head = str(text)[:4]
        cache[text] = int(head) if len(head) == 4 and head.isascii() and head.isdigit() else -1
    return np.fromiter(map(cache.__getitem__, texts), dtype=np.int64, count=len(texts))


def year_of(dates: pd.Series) -> pd.Series:
    """The year in ISO-form date strings ("2021", "2021-07", "2021-07-01"; "" → <NA>).

    >>> import pandas as pd
    >>> year_of(pd.Series(["2021", "", "2020-07-01"])).tolist()
    [2021, <NA>, 2020]
    """
    import pandas as pd

    years = years_of(dates.to_numpy(dtype=object)).tolist()
    return pd.Series([year if year >= 0 else pd.NA for year in years], dtype="Int64", index=dates.index)


def normalize_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns first (missing ones added empty), every cell a trimmed ``str``."""
    tables = {table: (_normalized_columns(name, frame) if table == name else {}) for table in TABLES}
    return Ledger(**tables).table(name)


def _normalized_columns(name: str, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    from .validate import text_array

    headers = [str(column).strip() for column in frame.columns]
    columns = {header: text_array(frame.iloc[:, position]) for position, header in enumerate(headers)}
    return _as_columns(name, columns)
