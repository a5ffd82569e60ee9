"""export(): every format written for a view and read back by an independent reader."""

from __future__ import annotations

import io
import json
import re
import struct
import warnings
from html.parser import HTMLParser

import defusedxml.ElementTree as SafeET
import networkx as nx
import openpyxl
import pandas as pd
import pytest

from cojian_graph.errors import CojianError
from cojian_graph.export import EXPORT_FORMATS, TABLES, export, export_bytes, format_of
from cojian_graph.graph import GraphFilter, collaboration_graph
from cojian_graph.ledger import Ledger

EVIL = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def evil():
    orgs = pd.DataFrame(
        [
            ("a", EVIL, "", "general_branch", "focal", "company"),
            ("b", FORMULA, "", "party_branch", "internal", "company"),
            ("c", "@SUM(1)", "", "other", "external", "other"),
        ],
        columns=["id", "name", "name_en", "kind", "circle", "sector"],
    )
    acts = pd.DataFrame(
        [("x1", '"><script>alert(1)</script>', "", "learning", "2021", "-1+1", "+x", "")],
        columns=["id", "title", "title_en", "link_type", "date", "description", "outcome", "source"],
    )
    part = pd.DataFrame(
        [("x1", o, "partner") for o in "abc"], columns=["activity_id", "organization_id", "role"]
    )
    return Ledger.from_frames(orgs, acts, part, validate=False)


def check_file(fmt, path, G):
    """Read ``path`` with a reader independent of cojian-graph and check it shows ``G``."""
    data = path.read_bytes()
    assert data
    if fmt == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1200, 800)  # 12 × 8 in at 100 dpi
    elif fmt == "svg":
        assert SafeET.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg"
    elif fmt == "pdf":
        import pypdf

        assert data[:5] == b"%PDF-" and len(pypdf.PdfReader(path).pages) == 1
    elif fmt == "html":
        text = data.decode("utf-8")
        HTMLParser().feed(text)
        nodes = json.loads(re.search(r"var data = (\{.*?\});\n", text).group(1))["nodes"]
        assert {n["id"] for n in nodes} == set(G)
    elif fmt in ("gexf", "graphml", "json"):
        H = (
            nx.read_gexf(path)
            if fmt == "gexf"
            else nx.read_graphml(path)
            if fmt == "graphml"
            else nx.node_link_graph(json.loads(data), edges="edges")
        )
        assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    elif fmt == "csv":
        assert data[:3] == b"\xef\xbb\xbf"
        assert set(pd.read_csv(path, encoding="utf-8-sig")["id"]) == set(G)
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames == list(TABLES)
        assert {row[0] for row in book["rank"].iter_rows(min_row=2, values_only=True)} == set(G)


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_every_format_from_suffix(tmp_path, tiny, fmt):
    path = export(tiny, tmp_path / f"view{EXPORT_FORMATS[fmt].suffix}", dpi=100)
    check_file(fmt, path, collaboration_graph(tiny))


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_every_format_bundled_filtered(tmp_path, bundled, fmt):
    spec = GraphFilter(circles=("focal", "external"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = export(
            bundled,
            tmp_path / "out.bin",
            fmt,
            spec=spec,
            dpi=100,
            layout="concentric",
            color_by="sector",
            lang="en",
        )
    G = collaboration_graph(bundled)
    expected = G.subgraph(n for n, c in G.nodes(data="circle") if c in ("focal", "external"))
    check_file(fmt, path, expected)


def test_filter_is_applied(tmp_path, tiny):
    # testing.py: the learning layer has the one edge a—b
    path = export(tiny, tmp_path / "l.graphml", spec=GraphFilter(links=("learning",)))
    H = nx.read_graphml(path)
    assert sorted(tuple(sorted(e)) for e in H.edges()) == [("a", "b")]
    path = export(tiny, tmp_path / "e.csv", spec=GraphFilter(links=("learning",)), table="edges")
    edges = pd.read_csv(path, encoding="utf-8-sig")
    assert edges[["source", "target", "weight", "activities"]].values.tolist() == [["a", "b", 1, "x1"]]


def test_ledger_tables_of_the_view(tmp_path, tiny):
    spec = GraphFilter(focus="d")  # d is alone: one organisation, one activity (x4)
    path = export(tiny, tmp_path / "v.xlsx", spec=spec)
    book = pd.read_excel(path, sheet_name=None, dtype=str)
    assert book["organizations"]["id"].tolist() == ["d"]
    assert book["activities"]["id"].tolist() == ["x4"]
    assert book["participations"]["organization_id"].tolist() == ["d"]
    assert book["edges"].empty


def test_hostile_names_in_html_and_spreadsheets(tmp_path, evil):
    page = export(evil, tmp_path / "e.html").read_text("utf-8")
    assert "<img src=x" not in page and "<script>alert" not in page
    csv_text = export(evil, tmp_path / "o.csv", table="organizations").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM(1)" in csv_text
    assert not re.search(r"(^|,)[=@+]", csv_text, flags=re.M)
    book = openpyxl.load_workbook(export(evil, tmp_path / "e.xlsx"))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if c.value[:1] in ("=", "+", "-", "@")]
    assert "'-1+1" in [c.value for c in cells]


def test_export_bytes_match(tmp_path, tiny):
    data = export_bytes(tiny, "svg")
    assert data == export(tiny, tmp_path / "same.svg").read_bytes()


@pytest.mark.parametrize(("path", "fmt"), [("x.txt", None), ("noext", None), ("x.png", "bmp")])
def test_unknown_format(tmp_path, tiny, path, fmt):
    with pytest.raises(CojianError):
        export(tiny, tmp_path / path, fmt)


def test_format_of():
    assert (
        format_of("a/b/Report.SVG") == "svg"
        and format_of("x.htm") == "html"
        and format_of("x", "PNG") == "png"
    )


def test_unknown_table_and_missing_folder(tmp_path, tiny):
    with pytest.raises(CojianError):
        export(tiny, tmp_path / "x.csv", table="nope")
    with pytest.raises(CojianError):
        export(tiny, tmp_path / "missing" / "x.csv")


def test_bytes_helpers_for_download_buttons(tiny):
    from cojian_graph.export import graph_bytes, image_bytes, table_bytes

    G = collaboration_graph(tiny)
    H = nx.read_gexf(io.BytesIO(graph_bytes(G, "gexf")))
    assert set(H) == set(G)
    assert image_bytes(G, tiny, "png", dpi=20)[:8] == b"\x89PNG\r\n\x1a\n"
    book = openpyxl.load_workbook(io.BytesIO(table_bytes({"a": pd.DataFrame({"x": ["@x"]})}, "xlsx")))
    assert book["a"]["A2"].value == "'@x"
    with pytest.raises(CojianError):
        table_bytes(pd.DataFrame(), "png")
    with pytest.raises(CojianError):
        graph_bytes(G, "csv")
