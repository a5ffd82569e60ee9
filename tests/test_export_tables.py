"""Tables: CSV with BOM and XLSX read back by pandas and openpyxl; formula cells neutralised."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from cojian_graph.export.tables import neutralise, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        # genuine numbers and ordinary text stay as they are
        ("-3", "-3"),
        ("+1.5e3", "+1.5e3"),
        ("-.5", "-.5"),
        ("铸钢党总支", "铸钢党总支"),
        ("a=b", "a=b"),
        ("", ""),
        (-7, -7),
        (2.5, 2.5),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


FRAME = pd.DataFrame(
    {
        "id": ["o1", "o2", "o3"],
        "name": ["=1+1", "铸钢党总支", "@cmd"],
        "note": ["-3", "+86 028", "\tx"],
        "score": [1.5, float("nan"), -2.0],
        "count": [3, 0, -1],
    }
)
EXPECTED_TEXT = {
    "name": ["'=1+1", "铸钢党总支", "'@cmd"],
    "note": ["-3", "'+86 028", "'\tx"],
}


def test_csv_bom_and_neutralised(tmp_path):
    path = write_csv(FRAME, tmp_path / "t.csv")
    raw = path.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"note": str}, keep_default_na=False)
    assert back["name"].tolist() == EXPECTED_TEXT["name"]
    assert back["note"].tolist() == EXPECTED_TEXT["note"]
    assert back["count"].tolist() == [3, 0, -1]
    assert back["score"].tolist() == ["1.5", "", "-2.0"]  # NaN written as an empty cell
    # no cell of the file starts with a formula character
    import csv
    import io

    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row[:3]]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and c != "-3")]


def test_xlsx_neutralised_and_typed(tmp_path):
    path = write_xlsx({"rank": FRAME, "other": FRAME.head(1)}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["rank", "other"]
    sheet = book["rank"]
    header = [c.value for c in sheet[1]]
    assert header == ["id", "name", "note", "score", "count"]
    names = [sheet.cell(row=r, column=2) for r in range(2, 5)]
    assert [c.value for c in names] == EXPECTED_TEXT["name"]
    assert all(c.data_type == "s" for c in names)  # text, never a formula ("f")
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert [sheet.cell(row=r, column=5).value for r in range(2, 5)] == [3, 0, -1]
    assert sheet.cell(row=3, column=4).value is None  # NaN → empty
    assert sheet.freeze_panes == "A2"
    back = pd.read_excel(path, sheet_name="rank", dtype={"note": str})
    assert back["note"].tolist() == EXPECTED_TEXT["note"]


def test_xlsx_tuples_and_long_text(tmp_path):
    frame = pd.DataFrame({"activities": [("x1", "x2")], "text": ["长" * 40_000]})
    book = openpyxl.load_workbook(write_xlsx(frame, tmp_path / "t.xlsx"))
    sheet = book.active
    assert sheet.cell(row=2, column=1).value == "x1;x2"
    assert len(sheet.cell(row=2, column=2).value) == 32_767


@pytest.mark.parametrize("spec", [{}, {"links": ("learning", "service"), "min_weight": 2},
                                  {"circles": ("external",)}])
def test_an_exported_rank_table_is_the_view_graph_s(tmp_path, spec):
    """The rank table an export writes comes from the ledger's columns; it equals the one computed on
    the view's networkx graph."""
    from cojian_graph.analysis import rank_table_from_graph
    from cojian_graph.export import export
    from cojian_graph.graph import GraphFilter, filtered_graph
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(300, 900, 6)
    view = GraphFilter(**spec)
    written = pd.read_csv(export(ledger, tmp_path / "rank.csv", spec=view), dtype={"id": str}, encoding="utf-8-sig")
    expected = rank_table_from_graph(filtered_graph(ledger, view))
    assert written["id"].tolist() == expected["id"].tolist()
    for column in ("strength", "betweenness", "constraint", "composite", "rank"):
        assert written[column].tolist() == pytest.approx(expected[column].tolist(), rel=1e-9, nan_ok=True), column
