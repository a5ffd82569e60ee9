"""Decoding text files whose encoding the user does not know, without ever garbling them.

Ledgers come from Excel on Chinese Windows (GB18030/GBK), from editors (UTF-8, with or without a BOM),
sometimes from "Unicode text" exports (UTF-16 with a BOM) and from Hong Kong, Macao or Taiwan (Big5).
Almost any bytes decode as GB18030, so a file in another encoding (Big5, Latin-1) would be read as
GB18030 nonsense (``Québec`` → ``Qu閎ec``, ``甲黨支部`` → ``ヒ囊や场``): :func:`decode_text` only accepts a
reading that is plausible for a ledger, and otherwise refuses the file, naming the encoding it
seems to be in. In order, strictly (no character ever replaced):

1. UTF-16 when the file starts with its BOM;
2. UTF-8 (a BOM is dropped), unless the bytes are far more plausibly GB18030 (a short GB18030 file
   can be valid UTF-8 by accident);
3. a file whose lines are partly UTF-8 and partly not is refused as mixed, naming lines of each;
4. GB18030, when its reading is Chinese text (common simplified characters, Chinese punctuation);
5. Big5, when its reading is Chinese text (common traditional characters);
6. otherwise the file is refused, with charset-normalizer's guess of its encoding in the message.

Examples
--------
>>> decode_text("编号,名称".encode("gb18030"))
('编号,名称', 'gb18030')
>>> decode_text("\\ufeffid".encode("utf-8"))
('id', 'utf-8-sig')
>>> decode_text("甲黨支部".encode("big5"))
('甲黨支部', 'big5')
>>> decode_text("Québec".encode("latin-1"))
Traceback (most recent call last):
...
cojian_graph.io.encoding.UndecodableError: not UTF-8, GB18030 or Big5 text (it may be Windows-1252 (Latin-1))
"""

from __future__ import annotations

import re

__all__ = ["UndecodableError", "decode_text"]

#: Share of a reading's non-ASCII characters that must be Chinese text for GB18030 or Big5 to be
#: believed (a rare character in a name is allowed for; mojibake is mostly rare characters, kana
#: and symbols).
PLAUSIBLE_SHARE = 0.8


class UndecodableError(ValueError):
    """The bytes are not text in any encoding tried (or in more than one at once)."""

    def __init__(self, message: str, *, guess: str | None = None, mixed_lines: tuple = ()):
        super().__init__(message)
        self.guess = guess
        self.mixed_lines = mixed_lines


def decode_text(data: bytes) -> tuple[str, str]:
    """``data`` decoded, with the name of the encoding that worked.

    Raises
    ------
    UndecodableError
        When no encoding gives a plausible reading of ``data``, or its lines mix UTF-8 with another
        encoding (``mixed_lines`` then holds a line number of each kind).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:  # UTF-16 without a BOM decodes full of NULs: not text
            if not data.startswith(b"\xef\xbb\xbf") and _looks_like_gb18030(data, text):
                return data.decode("gb18030"), "gb18030"
            return text, "utf-8-sig"
    mixed = _mixed_utf8_lines(data)
    if mixed:
        raise UndecodableError(f"lines {mixed[0]} and {mixed[1]} are in different encodings (UTF-8 and another)",
                               mixed_lines=mixed)
    for encoding in _COMMON:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _plausible(text, encoding):
            return text, encoding
    guess = _guess(data)
    raise UndecodableError(f"not UTF-8, GB18030 or Big5 text (it may be {guess})" if guess
                           else "not UTF-8, GB18030 or Big5 text", guess=guess)


def _mixed_utf8_lines(data: bytes) -> tuple[int, int] | None:
    """(a UTF-8 line, a line that is not UTF-8), numbered from 1, when the file has both; a line
    counts as UTF-8 when it holds Chinese written in UTF-8 (three-byte sequences that GB18030 text
    hardly ever forms)."""
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            if _CJK.search(text):
                utf8_line = utf8_line or number
        if utf8_line and other_line:
            return utf8_line, other_line
    return None


def _plausible(text: str, encoding: str) -> bool:
    """True when most of the non-ASCII characters of ``text`` are ones a Chinese ledger is written in:
    Chinese punctuation, or characters among the common ones of ``encoding``'s character set
    (:data:`_COMMON`)."""
    chars = [char for char in text if ord(char) > 0x7F]
    if not chars:
        return True
    good = sum(1 for char in chars if _PUNCTUATION.match(char) or _common(char, encoding))
    return good >= PLAUSIBLE_SHARE * len(chars)


#: Encoding → (character set, lowest and highest two-byte code) of its common characters: GB2312's
#: hanzi for GB18030 (its whole two-byte range), Big5's level 1 (A440–C67E) for Big5.
_COMMON = {"gb18030": ("gb2312", 0xA1A1, 0xFEFE), "big5": ("big5", 0xA440, 0xC67E)}


def _common(char: str, encoding: str) -> bool:
    """A Chinese character among the common ones of ``encoding``."""
    if not _CJK.match(char):
        return False
    charset, low, high = _COMMON[encoding]
    try:
        code = char.encode(charset)
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and low <= int.from_bytes(code, "big") <= high


def _guess(data: bytes) -> str | None:
    """A guess of the encoding, for the message: Windows-1252 (Latin-1) when that reading is Latin
    letters; otherwise charset-normalizer's, on files long enough for it to be meaningful."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if all(0xC0 <= ord(char) <= 0x24F or char in "–—‘’“”€" for char in text if ord(char) > 0x7F):
            return "Windows-1252 (Latin-1)"
    if len(data) < 1024:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 64 * 1024]).best()
    return best.encoding if best is not None else None


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
_PUNCTUATION = re.compile(r"[\u00b7\u2010-\u206f\u3000-\u303f\uff00-\uffef]")
_ASCII_OR_CHINESE = re.compile(r"[\x00-\x7f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                               r"\u2010-\u206f]*")
