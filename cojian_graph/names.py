"""Finding organisations by name as people type them: Traditional or Simplified characters, full- or
half-width forms, any case. OpenCC (the standard open converter, Apache-2.0) maps Traditional and
variant characters to Simplified ones.

>>> fold("鑄鋼黨總支") == fold("铸钢党总支")
True
>>> fold("ＡＢＣ Branch")
'abc branch'
"""

from __future__ import annotations

import functools
import unicodedata
import weakref

import numpy as np

__all__ = ["find_organizations", "fold", "pick_organizations"]


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """``text`` as searched: NFKC (full-width letters as half-width), Simplified characters, lower case."""
    text = unicodedata.normalize("NFKC", str(text))
    if any(ord(char) > 0x2E7F for char in text):  # CJK present: convert (OpenCC costs ~10 µs a call)
        text = _converter().convert(text)
    return text.casefold().strip()


def find_organizations(ledger, query: str) -> list[str]:
    """The ids of ``ledger``'s organisations whose id, Chinese or English name contains ``query``
    (folded: 鑄鋼 finds 铸钢), in the ledger's order; every id for an empty query."""
    index = _index(ledger)
    return [index.ids[at] for at in index.matching(query).tolist()]


def pick_organizations(ledger, query: str, limit: int, keep=()) -> tuple[list[str], int]:
    """What a picker of organisations lists for ``query``, and how many organisations match it.

    The matches (:func:`find_organizations`) in the ledger's order when there are at most ``limit``,
    else the ``limit`` most active of them (most participations first, equal ones in the ledger's
    order); then the ids of ``keep`` (the one chosen) that the ledger has and the list lacks, first.
    """
    index = _index(ledger)
    matches = index.matching(query)
    count = len(matches)
    if count == len(index.ids) > limit:  # every organisation: the most active of the ledger
        matches = index.by_activity[:limit]
    elif count > limit:
        matches = matches[np.argsort(index.rank[matches], kind="stable")[:limit]]
    listed = [index.ids[at] for at in matches.tolist()]
    missing = [org for org in dict.fromkeys(keep) if org and org in index.position and org not in listed]
    return missing + listed, count


#: Between an organisation's folded id and names in the searched text: no query contains it, so no
#: match spans two of them.
_APART = "\0"


class _Index:
    """A ledger's organisations as searched and ranked, each part computed once per ledger, when first
    needed: their ids and positions, each one's id and names folded (folding costs ~10 µs a name: a
    search of 10^4 organisations would fold 3·10^4 names on every keystroke), and their order by
    participations (most first, equal ones in the ledger's order)."""

    def __init__(self, ledger):
        self._ledger = weakref.ref(ledger)

    def matching(self, query: str) -> np.ndarray:
        """The positions of the organisations ``query`` finds, in the ledger's order."""
        wanted = fold(query).replace(_APART, "")
        if not wanted:
            return np.arange(len(self.ids))
        return np.array([at for at, text in enumerate(self.folded) if wanted in text], dtype=np.int64)

    @functools.cached_property
    def ids(self) -> list[str]:
        return self._ledger().column("organizations", "id").tolist()

    @functools.cached_property
    def position(self) -> dict[str, int]:
        return {org: at for at, org in enumerate(self.ids)}

    @functools.cached_property
    def folded(self) -> list[str]:
        ledger = self._ledger()
        return [_APART.join((fold(org), fold(name), fold(name_en))) for org, name, name_en in zip(
            *(ledger.column("organizations", column) for column in ("id", "name", "name_en")), strict=True)]

    @functools.cached_property
    def by_activity(self) -> np.ndarray:
        import pandas as pd

        counts = pd.Series(self._ledger().column("participations", "organization_id")).value_counts()
        return np.argsort(-counts.reindex(self.ids, fill_value=0).to_numpy(), kind="stable")

    @functools.cached_property
    def rank(self) -> np.ndarray:
        """Each organisation's place in :attr:`by_activity` (0: the most active)."""
        rank = np.empty(len(self.ids), dtype=np.int64)
        rank[self.by_activity] = np.arange(len(self.ids))
        return rank


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(ledger) -> _Index:
    index = _INDEXES.get(ledger)
    if index is None:
        index = _INDEXES[ledger] = _Index(ledger)
    return index
