"""Decoding text files whose encoding the user does not know.

Ledgers come from Excel on Chinese Windows (GB18030/GBK), from editors (UTF-8, with or without a BOM)
and sometimes from "Unicode text" exports (UTF-16 with a BOM). :func:`decode_text` tries, strictly
and in this order: UTF-16 when the file starts with its BOM, UTF-8 (a BOM is dropped), GB18030, and
finally whatever charset-normalizer finds most plausible.

Examples
--------
>>> decode_text("编号,名称".encode("gb18030"))
('编号,名称', 'gb18030')
>>> decode_text("\\ufeffid".encode("utf-8"))
('id', 'utf-8-sig')
"""

from __future__ import annotations

import re

__all__ = ["UndecodableError", "decode_text"]


class UndecodableError(ValueError):
    """The bytes are not text in any encoding tried."""


def decode_text(data: bytes) -> tuple[str, str]:
    """``data`` decoded, with the name of the encoding that worked.

    Raises
    ------
    UndecodableError
        When no encoding decodes ``data`` cleanly.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # UTF-16 without a BOM decodes as GB18030 full of NULs: not text
            continue
        bom = data.startswith(b"\xef\xbb\xbf")
        if encoding == "utf-8-sig" and not bom and _looks_like_gb18030(data, text):
            return data.decode("gb18030"), "gb18030"
        return text, encoding
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        best = None
    else:
        best = from_bytes(data).best()
    if best is not None and best.encoding and "\x00" not in str(best):
        return str(best), best.encoding
    raise UndecodableError("not UTF-8, GB18030 or any encoding charset-normalizer recognises")


def _looks_like_gb18030(data: bytes, utf8_text: str) -> bool:
    """True when BOM-less bytes that are valid UTF-8 are far more plausibly GB18030.

    A short GB18030 file can be valid UTF-8 by accident: 一 is ``D2 BB`` in GB18030, which UTF-8
    reads as the Cyrillic һ. We choose GB18030 when the UTF-8 reading has no Chinese characters
    but has letters of the scripts such accidents produce (U+0180–U+07FF: IPA, Greek, Cyrillic,
    Hebrew, Arabic…), while the GB18030 reading is only ASCII and Chinese. A ledger in those
    scripts without any Chinese is not the use this tool is made for.
    """
    if _CJK.search(utf8_text) or not _ACCIDENTAL.search(utf8_text):
        return False
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return bool(_CJK.search(gb_text)) and _ASCII_OR_CHINESE.fullmatch(gb_text) is not None


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ACCIDENTAL = re.compile(r"[\u0180-\u07ff]")
_ASCII_OR_CHINESE = re.compile(r"[\x00-\x7f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                               r"\u2010-\u206f]*")
