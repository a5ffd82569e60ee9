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
