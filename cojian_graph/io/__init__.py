"""Reading and writing ledgers: a folder of CSV files, an Excel workbook, a JSON file.

:func:`read_ledger` and :func:`write_ledger` pick the format from the path; the paired functions of
each format (``read_csv_folder``/``write_csv_folder``, ``read_excel``/``write_excel``,
``read_json``/``write_json``) are here too. Every reader validates (see :mod:`cojian_graph.validate`)
and raises :class:`~cojian_graph.errors.LedgerError` listing every problem; every writer writes what
the matching reader reads back unchanged.

Examples
--------
>>> import tempfile, pathlib
>>> from cojian_graph.testing import tiny_ledger
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_ledger(tiny_ledger(), folder / "ledger.json")
>>> read_ledger(folder / "ledger.json")
<Ledger: 4 organisations, 4 activities, 8 participations>
"""

from __future__ import annotations

from pathlib import Path

from ..collector import paused
from ..errors import CojianError
from ..schema import TABLES
from ..validate import make_problem, validated
from .csvfolder import read_csv_folder, write_csv_folder
from .excel import read_excel, write_excel
from .jsonfile import read_json, write_json
from .steps import READ_STEPS

__all__ = [
    "FORMATS",
    "format_of",
    "read_csv_folder",
    "read_excel",
    "read_json",
    "read_ledger",
    "write_csv_folder",
    "write_excel",
    "write_json",
    "write_ledger",
    "write_template",
]

#: format name → (reader, writer)
FORMATS = {
    "csv": (read_csv_folder, write_csv_folder),
    "excel": (read_excel, write_excel),
    "json": (read_json, write_json),
}

_SUFFIXES = {".xlsx": "excel", ".xlsm": "excel", ".json": "json"}


def format_of(path: str | Path) -> str | None:
    """The format of the ledger at ``path`` by its form: ``"csv"`` (a folder), ``"excel"``, ``"json"``.

    >>> format_of("ledger.xlsx"), format_of("ledger.JSON"), format_of("data/"), format_of("x.xls")
    ('excel', 'json', 'csv', None)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if path.is_dir() or not suffix:
        return "csv"
    return None


def read_ledger(path: str | Path, *, progress=None):
    """Read the ledger at ``path``: a folder of CSV files, an ``.xlsx`` workbook or a ``.json`` file.

    A folder without the CSV files that holds exactly one ``.xlsx`` or ``.json`` file is read as that
    file. ``progress(done, total, step)`` is called before each table is read and before the ledger is
    checked (:data:`READ_STEPS` steps; 4 s at 10^5 organisations), and once at the end.

    Raises
    ------
    LedgerError
        Listing every problem found (file, row, column, what is wrong and how to fix it); nothing is
        loaded partly. A path that does not exist or has another form is a problem too.
    """
    path = Path(path)
    if not path.exists():
        return _reject("not_found", path)
    if path.is_dir():
        path = _single_ledger_file(path) or path
    kind = format_of(path)
    if kind == "csv" and not path.is_dir():
        kind = None
    if kind is None:
        return _reject("unsupported_format", path)
    with paused():  # millions of rows, none of them garbage: collections would walk them again and again
        ledger = FORMATS[kind][0](path, progress=progress)
    if progress is not None:
        progress(READ_STEPS, READ_STEPS, "")
    return ledger



def write_ledger(ledger, path: str | Path, format: str | None = None) -> None:
    """Write ``ledger`` to ``path`` in ``format`` (``"csv"``, ``"excel"`` or ``"json"``).

    Without ``format`` it follows the path: ``.xlsx`` → Excel, ``.json`` → JSON, otherwise a folder
    of CSV files (created when missing).
    """
    if format is None:
        suffix = Path(path).suffix.lower()
        format = _SUFFIXES.get(suffix, "csv")
        if suffix and format == "csv" and not Path(path).is_dir():
            raise CojianError(f"无法从扩展名判断格式 cannot tell the format from {Path(path).name!r}; "
                              f"use .xlsx, .json or a folder, or pass format=")
    if format not in FORMATS:
        raise CojianError(f"未知格式 unknown format {format!r}; valid: {', '.join(FORMATS)}")
    FORMATS[format][1](ledger, path)


def write_template(path: str | Path) -> None:
    """Write the blank Excel template (see :func:`cojian_graph.io.template.write_template`)."""
    from .template import write_template as write

    write(path)


def _single_ledger_file(folder: Path) -> Path | None:
    """The one workbook or JSON file in ``folder`` when it holds no table CSV files (as ``cojian synth
    --format xlsx`` writes), else None."""
    names = {name.lower() for name in (table.filename for table in TABLES.values())}
    names |= {f"{table.zh}.csv" for table in TABLES.values()}
    children = [child for child in folder.iterdir() if child.is_file()]
    if any(child.name.lower() in names for child in children):
        return None
    candidates = [child for child in children if child.suffix.lower() in _SUFFIXES
                  and not child.name.startswith(("~$", "."))]
    return candidates[0] if len(candidates) == 1 else None


def _reject(code: str, path: Path):
    extra = {}
    if code == "unsupported_format" and path.suffix.lower() == ".xls":
        extra = {"path": f"{path}（旧版 .xls：请在 Excel 中另存为 .xlsx / old .xls: save it as .xlsx）"}
    elif code == "unsupported_format" and path.suffix.lower() == ".csv":
        extra = {"path": f"{path}（请给出 CSV 所在的文件夹 / give the folder holding the CSV files）"}
    problem = make_problem(code, path.name or str(path), path=extra.get("path", str(path)))
    return validated({name: None for name in TABLES}, source=str(path), problems=[problem])
