"""The co-construction ledger (共建台账): three tables, one source of truth.

A :class:`Ledger` holds the three tables of ``schema.TABLES`` as pandas DataFrames whose canonical
columns come first, in schema order, every cell a ``str`` (``""`` when empty). Columns beyond the
schema are kept as they were read. Build one with :meth:`Ledger.from_frames` (which normalises and
validates) or read one with :func:`cojian_graph.io.read_ledger`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from .model import LINK_IDS
from .schema import TABLES

__all__ = ["Ledger", "year_of"]


@dataclass(frozen=True, eq=False)
class Ledger:
    organizations: pd.DataFrame
    activities: pd.DataFrame
    participations: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` ("organizations", "activities" or "participations")."""
        return getattr(self, name)

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
            return cls(**{name: normalize_table(name, frame) for name, frame in frames.items()})
        from .validate import validated

        return validated(frames, source=source)

    def content_hash(self) -> str:
        """A short digest of the ledger's content, stable across processes (used as a cache key)."""
        digest = hashlib.sha256()
        for name in TABLES:
            frame = self.table(name)
            digest.update(name.encode())
            digest.update("\x1f".join(map(str, frame.columns)).encode())
            digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        return digest.hexdigest()[:16]

    def years(self) -> pd.Series:
        """The year of each activity (nullable Int64, ``<NA>`` when undated), indexed like ``activities``."""
        return year_of(self.activities["date"])

    def summary(self) -> dict:
        """Counts for a quick look: organisations per circle, activities per link, participations."""
        links = self.activities["link_type"].value_counts()
        years = self.years().dropna()
        return {
            "organizations": len(self.organizations),
            "activities": len(self.activities),
            "participations": len(self.participations),
            "circles": self.organizations["circle"].value_counts().to_dict(),
            "links": {link: int(links.get(link, 0)) for link in LINK_IDS},
            "years": (int(years.min()), int(years.max())) if len(years) else None,
            "undated": int(self.years().isna().sum()),
        }

    def __repr__(self) -> str:
        return (f"<Ledger: {len(self.organizations)} organisations, {len(self.activities)} activities, "
                f"{len(self.participations)} participations>")


def year_of(dates: pd.Series) -> pd.Series:
    """The year in ISO-form date strings ("2021", "2021-07", "2021-07-01"; "" → <NA>).

    >>> year_of(pd.Series(["2021", "", "2020-07-01"])).tolist()
    [2021, <NA>, 2020]
    """
    return pd.to_numeric(dates.astype(str).str.slice(0, 4), errors="coerce").astype("Int64")


def normalize_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns first (missing ones added empty), every cell a trimmed ``str``."""
    from .validate import as_text

    table = TABLES[name]
    frame = frame.copy()
    frame.columns = [str(column).strip() for column in frame.columns]
    for column in table.column_names:
        if column not in frame.columns:
            frame[column] = ""
    extras = [column for column in frame.columns if column not in table.column_names]
    frame = frame[table.column_names + extras]
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for position, column in enumerate(frame.columns):
        out[column] = pd.Series(as_text(frame.iloc[:, position]).to_numpy(dtype=object), dtype=object)
    return out
