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
    ids = ledger.column("organizations", "id").tolist()
    wanted = fold(query).replace(_APART, "")
    if not wanted:
        return ids
    return [org for org, text in zip(ids, _index(ledger).folded, strict=True) if wanted in text]


def pick_organizations(ledger, query: str, limit: int, keep=()) -> tuple[list[str], int]:
    """What a picker of organisations lists for ``query``, and how many organisations match it.

    The matches (:func:`find_organizations`) in the ledger's order when there are at most ``limit``,
    else the ``limit`` most active of them (most participations first, equal ones in the ledger's
    order); then the ids of ``keep`` (the one chosen) that the ledger has and the list lacks, first.
    """
    matches = find_organizations(ledger, query)
    count = len(matches)
    if count > limit:
        index = _index(ledger)
        order = index.rank[[index.position[org] for org in matches]]
        matches = [matches[at] for at in np.argsort(order, kind="stable")[:limit].tolist()]
    missing = [org for org in dict.fromkeys(keep) if org and org in _index(ledger).position and org not in matches]
    return missing + matches, count


#: Between an organisation's folded id and names in the searched text: no query contains it, so no
#: match spans two of them.
_APART = "\0"


class _Index:
    """A ledger's organisations as searched and ranked, each part computed once per ledger, when first
    needed: each one's id and names folded (folding costs ~10 µs a name: a search of 10^4
    organisations would fold 3·10^4 names on every keystroke), its position, and its rank by
    participations (0: the most active)."""

    def __init__(self, ledger):
        self._ledger = weakref.ref(ledger)

    @functools.cached_property
    def folded(self) -> list[str]:
        ledger = self._ledger()
        return [_APART.join((fold(org), fold(name), fold(name_en))) for org, name, name_en in zip(
            *(ledger.column("organizations", column) for column in ("id", "name", "name_en")), strict=True)]

    @functools.cached_property
    def position(self) -> dict[str, int]:
        return {org: at for at, org in enumerate(self._ledger().column("organizations", "id").tolist())}

    @functools.cached_property
    def rank(self) -> np.ndarray:
        import pandas as pd

        ledger = self._ledger()
        counts = pd.Series(ledger.column("participations", "organization_id")).value_counts()
        activity = counts.reindex(ledger.column("organizations", "id"), fill_value=0).to_numpy()
        rank = np.empty(len(activity), dtype=np.int64)
        rank[np.argsort(-activity, kind="stable")] = np.arange(len(activity))
        return rank


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(ledger) -> _Index:
    index = _INDEXES.get(ledger)
    if index is None:
        index = _INDEXES[ledger] = _Index(ledger)
    return index
