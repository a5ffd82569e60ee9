"""A Simplified Chinese font for matplotlib, registered at run time.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs and draws boxes. The package
``noto-cjk-sans-otc`` (a dependency; Noto Sans CJK, SIL Open Font License 1.1) ships the Noto Sans
CJK collection; :func:`register_cjk_font` adds its faces to matplotlib's font manager once per
process, and :data:`FONT_FAMILIES` is the family list to draw with (Chinese first, DejaVu Sans as
fallback for any glyph the CJK face lacks).

Examples
--------
>>> register_cjk_font() == CJK_FAMILY
True
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

__all__ = ["CJK_FAMILY", "FONT_FAMILIES", "cjk_font_path", "drawable", "register_cjk_font"]

#: The face of the collection used for Simplified Chinese.
CJK_FAMILY = "Noto Sans CJK SC"
#: matplotlib ``font.family`` list: Simplified Chinese first, then matplotlib's default.
FONT_FAMILIES = [CJK_FAMILY, "DejaVu Sans"]

_LOCK = threading.Lock()
_REGISTERED = False


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK collection (``NotoSansCJK-Regular.ttc``)."""
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


def register_cjk_font() -> str:
    """Add the bundled Noto Sans CJK faces to matplotlib (once) and return the family to use.

    Raises ``CojianError`` when the font package is missing or its file cannot be read.
    """
    global _REGISTERED
    if _REGISTERED:
        return CJK_FAMILY
    from matplotlib import font_manager

    from ..errors import CojianError

    with _LOCK:
        if _REGISTERED:
            return CJK_FAMILY
        try:
            path = cjk_font_path()
            manager = font_manager.fontManager
            manager.addfont(str(path))
        except (ImportError, OSError, RuntimeError) as error:
            raise CojianError(
                "找不到中文字体，请安装 noto-cjk-sans-otc / the Chinese font is missing: "
                f"install the noto-cjk-sans-otc package ({error})"
            ) from error
        # Put the bundled faces first, so that they win over a system copy of the same family
        # (possibly another version): the same options then give the same SVG on every machine.
        ours = [entry for entry in manager.ttflist if Path(entry.fname) == path]
        manager.ttflist[:] = ours + [entry for entry in manager.ttflist if Path(entry.fname) != path]
        clear = getattr(manager._findfont_cached, "cache_clear", None)
        if clear is not None:
            clear()
        _REGISTERED = True
    return CJK_FAMILY


#: Drawn in place of a character that no font of FONT_FAMILIES has (an emoji, say).
REPLACEMENT = "□"


def drawable(text: str) -> str:
    """``text`` with every character that the fonts cannot draw replaced by "□".

    matplotlib would draw such a character as an empty box anyway and warn "Glyph … missing";
    replacing it first keeps the drawing the same and the output free of warnings.

    >>> drawable("铸钢党总支 🙂")
    '铸钢党总支 □'
    """
    covered = _covered()
    return "".join(char if ord(char) in covered or char in "\n\t" else REPLACEMENT for char in str(text))


@cache
def _covered() -> frozenset[int]:
    """Code points that Noto Sans CJK SC or DejaVu Sans can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    register_cjk_font()
    points: set[int] = set()
    for family in FONT_FAMILIES:
        entry = next(e for e in font_manager.fontManager.ttflist if e.name == family)
        font = FT2Font(entry.fname, face_index=entry.index) if entry.index else FT2Font(entry.fname)
        points.update(font.get_charmap())
    return frozenset(points)
