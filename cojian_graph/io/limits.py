"""Limits that keep reading a ledger bounded in time and memory, whatever the file holds.

A ledger comes from users, through the command line or an upload to a shared server: a file that
would take the machine's memory (an Excel "zip bomb", a sheet with a cell in its last column on
every row, a multi-gigabyte upload) is refused with a problem before it is parsed, never read until
the server stops answering. The limits are far above any real ledger (a province's 10^6
participations is about 40 MB of CSV and 15 MB of workbook) and documented in
docs/ledger-format.md.

Examples
--------
>>> MAX_FILE_BYTES // 2**20, MAX_UNCOMPRESSED_BYTES // 2**20, MAX_COLUMNS
(512, 512, 256)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import Problem

__all__ = ["MAX_COLUMNS", "MAX_COMPRESSION_RATIO", "MAX_FILE_BYTES", "MAX_UNCOMPRESSED_BYTES", "MAX_ZIP_MEMBERS",
           "file_too_large", "unsafe_zip"]

#: Largest ledger file read (a CSV file, a JSON file or a workbook as stored).
MAX_FILE_BYTES = 512 * 2**20
#: Largest total size of a workbook's parts once decompressed (their declared sizes): a workbook of a
#: million participations is about 150 MB of XML; parsing 512 MB takes a few minutes at most.
MAX_UNCOMPRESSED_BYTES = 512 * 2**20
#: Largest ratio of decompressed to compressed size of one part larger than 1 MiB. Real sheets
#: compress 5–50 times; a zip bomb, over a thousand.
MAX_COMPRESSION_RATIO = 200
#: Most parts a workbook may have.
MAX_ZIP_MEMBERS = 10_000
#: Most columns read in a sheet or table (a ledger table has about ten).
MAX_COLUMNS = 256


def file_too_large(path: Path) -> Problem | None:
    """A ``too_large`` problem when the file at ``path`` is larger than :data:`MAX_FILE_BYTES`."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader reports what is wrong with it
    if size <= MAX_FILE_BYTES:
        return None
    return _too_large(path.name, f"{size / 2**20:.0f} MB，上限 {MAX_FILE_BYTES // 2**20} MB",
                      f"{size / 2**20:.0f} MB, more than the limit of {MAX_FILE_BYTES // 2**20} MB")


def unsafe_zip(path: Path) -> Problem | None:
    """A ``too_large`` problem when the workbook at ``path`` would decompress to more than the limits
    allow (by the sizes its zip directory declares, which bound what Python's ``zipfile`` inflates);
    None when it is within them or is not a zip file at all (the workbook reader reports that)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if len(members) > MAX_ZIP_MEMBERS:
        return _too_large(path.name, f"工作簿有 {len(members)} 个部件", f"the workbook has {len(members)} parts")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        return _too_large(path.name, f"解压后 {total / 2**20:.0f} MB，上限 {MAX_UNCOMPRESSED_BYTES // 2**20} MB",
                          f"{total / 2**20:.0f} MB once decompressed, more than the limit of "
                          f"{MAX_UNCOMPRESSED_BYTES // 2**20} MB")
    for member in members:
        if member.file_size > 2**20 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            ratio = member.file_size / max(member.compress_size, 1)
            return _too_large(path.name, f"部件 {member.filename} 压缩比 {ratio:.0f}:1，像是“压缩炸弹”",
                              f"the part {member.filename} is compressed {ratio:.0f}:1, as a zip bomb is")
    return None


def _too_large(file: str, reason_zh: str, reason_en: str) -> Problem:
    from ..validate import make_problem

    return make_problem("too_large", file, reason_zh=reason_zh, reason_en=reason_en)
