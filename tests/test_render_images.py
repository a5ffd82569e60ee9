"""Images: PNG, SVG and PDF read back by independent readers; Chinese glyphs present; deterministic."""

from __future__ import annotations

import struct
import warnings

import defusedxml.ElementTree as SafeET
import pandas as pd
import pytest

from cojian_graph.errors import CojianError
from cojian_graph.graph import collaboration_graph
from cojian_graph.ledger import Ledger
from cojian_graph.render.fonts import FONT_FAMILIES, cjk_font_path, register_cjk_font
from cojian_graph.render.images import draw_network, write_image

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def odd_names():
    """Chinese names plus names that upset naive renderers: mathtext dollars, XML and comment markers."""
    names = [
        "铸钢党总支",
        "$x^2$ 与 50%_{a}",
        "单个$美元",
        "<svg onload=alert(1)>",
        "-->--<!--",
        "眉山市🙂志愿者协会",
    ]
    orgs = pd.DataFrame(
        [(f"o{i}", n, "", "other", "focal" if i == 0 else "external", "other") for i, n in enumerate(names)],
        columns=["id", "name", "name_en", "kind", "circle", "sector"],
    )
    acts = pd.DataFrame(
        [("x1", "联学", "", "learning", "2021", "", "", "")],
        columns=["id", "title", "title_en", "link_type", "date", "description", "outcome", "source"],
    )
    part = pd.DataFrame(
        [("x1", f"o{i}", "partner") for i in range(len(names))],
        columns=["activity_id", "organization_id", "role"],
    )
    return Ledger.from_frames(orgs, acts, part, validate=False)


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    return width, height


def test_the_bundled_font_is_the_one_used():
    from matplotlib import font_manager

    register_cjk_font()
    found = font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILIES), fallback_to_default=False
    )
    assert found == str(cjk_font_path())
    assert cjk_font_path().stat().st_size > 10_000_000


def test_glyph_check_would_catch_missing_glyphs(tmp_path):
    """Control: with matplotlib's default font alone, Chinese text does warn about missing glyphs."""
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.5, 0.5, "铸钢党总支", family="DejaVu Sans")
    with pytest.warns(UserWarning, match="Glyph .* missing"):
        fig.savefig(tmp_path / "control.png")


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_missing_glyphs(tmp_path, tiny, fmt, lang):
    G = collaboration_graph(tiny)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_image(G, tiny, tmp_path / f"net.{fmt}", labels="all", lang=lang, color_by="sector", dpi=50)


def test_no_missing_glyphs_bundled(tmp_path, bundled):
    G = collaboration_graph(bundled)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for color_by in ("circle", "sector", "community", "main_link"):
            write_image(G, bundled, tmp_path / "net.png", labels="all", color_by=color_by, dpi=40)


def test_png_size_follows_dpi_and_inches(tmp_path, tiny):
    path = write_image(collaboration_graph(tiny), tiny, tmp_path / "net.png", dpi=50, width=6, height=4)
    assert png_size(path) == (300, 200)


def test_svg_parses_and_is_deterministic(tmp_path, tiny, odd_names):
    for ledger in (tiny, odd_names):
        G = collaboration_graph(ledger)
        first = write_image(G, ledger, tmp_path / "a.svg", labels="all").read_bytes()
        second = write_image(G, ledger, tmp_path / "b.svg", labels="all").read_bytes()
        assert first == second
        root = SafeET.fromstring(first)
        assert root.tag == f"{SVG_NS}svg"
        assert not [el for el in root.iter() if el.tag in (f"{SVG_NS}script", f"{SVG_NS}foreignObject")]
        assert not [k for el in root.iter() for k in el.attrib if k.lower().startswith("on")]
    other = write_image(collaboration_graph(tiny), tiny, tmp_path / "c.svg", layout="concentric").read_bytes()
    assert other != write_image(collaboration_graph(tiny), tiny, tmp_path / "d.svg").read_bytes()


def test_svg_carries_names_and_title(tmp_path, tiny):
    text = write_image(collaboration_graph(tiny), tiny, tmp_path / "n.svg", labels="all").read_text("utf-8")
    # matplotlib writes each drawn string as a comment beside its glyph paths
    for name in ("铸钢党总支", "车间党支部", "地方部门党组织", "地方小学团支部", "共建生态圈", "品牌联建"):
        assert f"<!-- {name} -->" in text or name in text


def test_pdf_header_pages_and_size(tmp_path, tiny):
    pypdf = pytest.importorskip("pypdf")
    path = write_image(collaboration_graph(tiny), tiny, tmp_path / "net.pdf", width=10, height=7)
    assert path.read_bytes()[:5] == b"%PDF-"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (720.0, 504.0)
    again = write_image(collaboration_graph(tiny), tiny, tmp_path / "again.pdf", width=10, height=7)
    assert again.read_bytes() == path.read_bytes()


def test_odd_names_draw_without_error(tmp_path, odd_names):
    G = collaboration_graph(odd_names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_image(G, odd_names, tmp_path / "odd.png", labels="all", dpi=50)


def test_draw_into_given_axes(tiny):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert draw_network(collaboration_graph(tiny), tiny, ax=ax, legend=False) is fig
    assert len(ax.collections) >= 2  # edges and at least one scatter of nodes


def test_default_labels_limit(tiny):
    fig = draw_network(collaboration_graph(tiny), tiny, labels=1)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert labels[0] == "铸钢党总支" and len(labels) == 2  # the focal organisation and the top one


@pytest.mark.parametrize("kwargs", [{"format": "gif"}, {"dpi": 5}, {"width": 0.5}])
def test_bad_image_options(tmp_path, tiny, kwargs):
    with pytest.raises(CojianError):
        write_image(collaboration_graph(tiny), tiny, tmp_path / "x.png", **kwargs)


def test_on_the_concentric_image_ties_across_the_centre_are_arcs():
    import numpy as np

    from cojian_graph.graph import collaboration_graph
    from cojian_graph.io import read_ledger
    from cojian_graph.render.images import draw_network

    ledger = read_ledger("data")
    fig = draw_network(collaboration_graph(ledger), ledger, layout="concentric")
    lines = next(c for c in fig.axes[0].collections if type(c).__name__ == "LineCollection")
    paths = [np.asarray(path) for path in lines.get_segments()]
    assert any(len(path) > 2 for path in paths)  # arcs, as polylines
    assert any(len(path) == 2 for path in paths)  # the other ties stay straight
