"""The columnar CSV reader (Arrow, for files of 8 MB and more) reads exactly what the row reader reads.

Every CSV test of test_io.py and test_hostile_input.py runs again here with the columnar reader taking
every file (``COLUMNAR_FROM`` = 0), and a property test compares the two readers on generated files:
the same ledger, or the same problems at the same rows and columns.
"""

from __future__ import annotations

import inspect

import pytest
import test_hostile_input
import test_io
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cojian_graph.errors import LedgerError
from cojian_graph.io import csvfolder, read_ledger
from cojian_graph.schema import TABLES


@pytest.fixture(autouse=True)
def columnar(monkeypatch):
    monkeypatch.setattr(csvfolder, "COLUMNAR_FROM", 0)


# the CSV tests of the two modules, collected again under this module's fixture
_OTHERS = ("excel", "json", "workbook", "zip", "entity", "sheet", "merged", "formula", "template")
for _module in (test_io, test_hostile_input):
    for _name, _test in inspect.getmembers(_module, inspect.isfunction):
        if _name.startswith("test_") and not any(word in _name for word in _OTHERS):
            globals()[f"{_name}_columnar"] = _test


def test_a_plain_file_is_read_by_columns_and_a_quoted_one_by_rows():
    raw = csvfolder._read_columnar("id,name\na, 甲 \nb,乙\n")
    assert raw is not None and raw.clean
    assert raw.header == ["id", "name"]
    assert [column.tolist() for column in raw.columns] == [["a", "b"], ["甲", "乙"]]
    assert csvfolder._read_columnar('id,name\na,"甲,乙"\n') is None  # quotes: the csv module's strict reading
    assert csvfolder._read_columnar("id,name\na\n") is None  # a short row: the row reader words it
    assert csvfolder._read_columnar("\nid,name\na,b\n") is None  # a blank line before the header
    assert not csvfolder._read_columnar("id,name\na\x01,b\n").clean  # validation's per-cell passes find it


def test_the_arrow_patterns_match_what_python_and_validation_match_at_every_code_point():
    """The columnar reader looks for untrimmed cells and refused characters with RE2 (Arrow): its character
    classes hold exactly the code points str.isspace, validate._UNSTORABLE and validate.INVISIBLE_IN_IDS hold
    (all but the surrogates, which valid UTF-8 cannot carry)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from cojian_graph.validate import _UNSTORABLE, INVISIBLE_IN_IDS

    chars = [chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF]
    cells = pa.array(chars, pa.string())
    spaces = pc.match_substring_regex(cells, csvfolder._SPACE).to_pylist()
    assert [char for char, space in zip(chars, spaces, strict=True) if space] == [c for c in chars if c.isspace()]
    refused = pc.match_substring_regex(cells, csvfolder._refused()).to_pylist()
    expected = [c for c in chars if _UNSTORABLE.search(c) or INVISIBLE_IN_IDS.search(c)]
    assert [char for char, found in zip(chars, refused, strict=True) if found] == expected
    assert len(expected) > 60
    untrimmed = pc.match_substring_regex(pa.array(["a", " a", "a\u3000", "\ufeffa", "a b", "\x1fa", "甲\u200b"]),
                                         csvfolder._UNTRIMMED).to_pylist()
    assert untrimmed == [False, True, True, True, False, True, False]


def test_one_pass_over_a_file_finds_every_cell_with_whitespace_at_either_end():
    """_UNTRIMMED_CELLS, run once over a whole file, finds a cell that starts or ends with any character
    str.strip (or validation, for the byte-order mark) takes off, in any cell of any row, whatever the line
    breaks; and finds nothing in a file without one, so that such a file skips the per-column checks."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF]
    edges = pc.match_substring_regex(pa.array(chars, pa.string()), csvfolder._EDGE).to_pylist()
    expected = [c for c in chars if (c.isspace() or c == "\ufeff") and c not in "\r\n"]
    assert [char for char, edge in zip(chars, edges, strict=True) if edge] == expected

    def found(text: str) -> bool:
        return pc.match_substring_regex(pa.array([text]), csvfolder._UNTRIMMED_CELLS)[0].as_py()

    rows = [["id", "name", "note"], ["a", "甲", "x"], ["b", "乙", "y"]]
    for newline in ("\n", "\r\n"):
        for end in ("", newline):
            assert not found(newline.join(",".join(row) for row in rows) + end)
            for char in expected:
                for row in (1, 2):
                    for column in (0, 1, 2):
                        for cell in (char + rows[row][column], rows[row][column] + char):
                            changed = [list(values) for values in rows]
                            changed[row][column] = cell
                            text = newline.join(",".join(values) for values in changed) + end
                            assert found(text), (text, cell)
    assert found("id,name\ra,b\n")  # a carriage return alone breaks a line too: not looked into
    assert not found("id,name\na b,甲\u3000乙\n")  # whitespace inside a cell stays


_CELL = st.lists(st.sampled_from(["a", "b", "1", "甲", "党", " ", "\u3000", "\t", "\ufeff", "\u200b", "\x01",
                                  "\x85", "NA", "None", "learning", "focal", "host"]), max_size=4).map("".join)


@st.composite
def _table(draw, name: str):
    header = list(TABLES[name].column_names[:4])
    rows = draw(st.lists(st.lists(_CELL, min_size=len(header) - 1, max_size=len(header) + 1), max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(header), *(",".join(row) for row in rows)]
    if draw(st.booleans()) and len(lines) > 1:
        lines.insert(draw(st.integers(1, len(lines) - 1)), "")  # a blank line among the records
    return newline.join(lines) + newline


def _outcome(folder):
    try:
        ledger = read_ledger(folder)
    except LedgerError as error:
        return "problems", [(p.code, p.file, p.row, p.column, p.message_en) for p in error.problems]
    return "ledger", {name: ledger.table(name).to_dict("list") for name in TABLES}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=_table("organizations"), acts=_table("activities"), parts=_table("participations"))
def test_both_readers_give_the_same_ledger_or_the_same_problems(tmp_path, monkeypatch, orgs, acts, parts):
    folder = test_hostile_input.folder(tmp_path, orgs, acts, parts)
    monkeypatch.setattr(csvfolder, "COLUMNAR_FROM", 0)
    by_columns = _outcome(folder)
    monkeypatch.setattr(csvfolder, "COLUMNAR_FROM", float("inf"))
    by_rows = _outcome(folder)
    assert by_columns == by_rows
