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

__all__ = ["find_organizations", "fold"]


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
    orgs = ledger.organizations
    ids = orgs["id"].tolist()
    wanted = fold(query)
    if not wanted:
        return ids
    return [org for org, name, name_en in zip(ids, orgs["name"], orgs["name_en"], strict=True)
            if wanted in fold(org) or wanted in fold(name) or wanted in fold(name_en)]
