"""The WebGL map (sigma.js on graphology): chosen for large views, vendored files checked, hostile names
kept as data, offline under the CSP. The browser tests are in tests/test_render_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from test_render_network_html import ALLOWED_TAGS, HOSTILE, hostile_ledger, page_data, parse

from cojian_graph.errors import CojianError
from cojian_graph.graph import collaboration_graph
from cojian_graph.model import CIRCLES
from cojian_graph.render import network_html
from cojian_graph.render.webgl import WEBGL_ABOVE, choose_renderer, vendored

VENDOR = Path(__file__).resolve().parent.parent / "cojian_graph" / "render" / "vendor"


def test_the_vendored_files_are_the_manifests():
    """Every vendored file has the SHA-256 its manifest records (written by scripts/vendor_js.py from
    the npm tarballs whose integrity it pins), and each package's licence is beside it."""
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert set(manifest["packages"]) == {"sigma", "graphology"}
    listed = set()
    for name, package in manifest["packages"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", package["version"])
        assert package["integrity"].startswith("sha512-")
        for file, digest in package["files"].items():
            assert hashlib.sha256((VENDOR / file).read_bytes()).hexdigest() == digest, file
            listed.add(file)
        licence = (VENDOR / f"{name}.LICENSE.txt").read_text(encoding="utf-8")
        assert "Permission is hereby granted, free of charge" in licence  # the MIT licence
    assert listed == {path.name for path in VENDOR.iterdir()} - {"MANIFEST.json"}


def test_the_refresh_script_pins_what_the_manifest_records():
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor_js", VENDOR.parents[2] / "scripts" / "vendor_js.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, pin in module.PINS.items():
        assert manifest["packages"][name]["version"] == pin["version"]
        assert manifest["packages"][name]["integrity"] == pin["integrity"]
        assert set(manifest["packages"][name]["files"]) == set(pin["files"].values())
    # the digest npm states for a tarball: sha512 of its bytes, base64
    assert module.integrity(b"") == ("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUd"
                                     "BeoGlODJ6+SfaPg==")


@pytest.mark.parametrize(("n", "asked", "expected"), [
    (10, "auto", "vis"), (WEBGL_ABOVE, "auto", "vis"), (WEBGL_ABOVE + 1, "auto", "webgl"),
    (10, "webgl", "webgl"), (10**5, "vis", "vis"),
])
def test_one_place_chooses_who_draws(n, asked, expected):
    assert choose_renderer(n, asked) == expected


def test_an_unknown_renderer_is_a_clear_error(tiny):
    with pytest.raises(CojianError, match="renderer"):
        network_html(collaboration_graph(tiny), tiny, renderer="canvas")


def test_a_large_view_is_drawn_with_webgl_and_a_small_one_with_vis_network(tiny):
    G = nx.Graph()
    G.add_nodes_from((f"n{i}", {"name": f"组织{i}"}) for i in range(WEBGL_ABOVE + 1))
    G.add_edges_from((f"n{i}", f"n{i + 1}", {"weight": 1}) for i in range(WEBGL_ABOVE))
    large = network_html(G, tiny)
    assert "window.cojianSigma" in large and "vis.Network" not in large
    assert len(page_data(large)["nodes"]) == WEBGL_ABOVE + 1
    small = network_html(G.subgraph([f"n{i}" for i in range(10)]), tiny)
    assert "vis.Network" in small and "cojianSigma" not in small


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_names_stay_data_in_the_webgl_page(lang):
    ledger = hostile_ledger()
    page = network_html(collaboration_graph(ledger), ledger, lang=lang, title=HOSTILE[0], labels="all",
                        renderer="webgl")
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    # exactly the three scripts: graphology, sigma.js, the drawing
    assert len(parsed.scripts) == 3
    assert parsed.scripts[0] == vendored("graphology.umd.min.js")
    assert parsed.scripts[1] == vendored("sigma.min.js")
    assert "</script" not in parsed.scripts[2] and "<script>alert" not in parsed.scripts[2]
    data = page_data(page)
    assert all(name in "\n".join(node["t"] for node in data["nodes"]) for name in HOSTILE)
    assert all(name in "\n".join(data["acts"]) for name in HOSTILE)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the title, escaped
    assert "textContent" in parsed.scripts[2] and "innerHTML" not in parsed.scripts[2]


def test_the_webgl_page_is_offline_and_allows_only_its_scripts():
    ledger = hostile_ledger()
    page = network_html(collaboration_graph(ledger), ledger, renderer="webgl")
    parsed = parse(page)
    csp = next(attrs["content"] for tag, attrs in parsed.tags if tag == "meta" and attrs.get("http-equiv"))
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    hashes = re.findall(r"'sha256-[^']+'", script_src)
    assert len(hashes) == 3
    for script in parsed.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in hashes
    # no URL but XML namespaces and a comment in sigma.js naming an article on distance functions
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml",
                    "https://iquilezles.org/articles/distfunctions2d/"}, urls


def test_the_legend_tells_circles_by_colour_and_has_no_shapes(bundled):
    G = collaboration_graph(bundled)
    by_circle = parse(network_html(G, bundled, renderer="webgl", lang="en"))
    kinds = [(attrs.get("data-kind"), attrs.get("data-key")) for tag, attrs in by_circle.tags
             if tag == "div" and "data-kind" in attrs]
    circles = {data["circle"] for _, data in G.nodes(data=True)}
    assert {("node", circle) for circle in circles} <= set(kinds)
    assert not [kind for kind, _ in kinds if kind == "shape"]
    assert set(CIRCLES) >= circles
    by_sector = parse(network_html(G, bundled, renderer="webgl", color_by="sector", lang="en"))
    kinds = [attrs.get("data-kind") for tag, attrs in by_sector.tags if tag == "div" and "data-kind" in attrs]
    assert "shape" not in kinds and "node" in kinds and "edge" in kinds


def test_the_webgl_data_keeps_positions_sizes_and_labels(bundled):
    """Same positions as vis-network's (y turned up), sizes in the same order, the same labels."""
    from cojian_graph.render.network_html import network_data

    G = collaboration_graph(bundled)
    vis = network_data(G, bundled, compact=True, layout="concentric")
    webgl = page_data(network_html(G, bundled, renderer="webgl", layout="concentric"))
    assert [node["id"] for node in webgl["nodes"]] == [node["id"] for node in vis["nodes"]]
    for ours, theirs in zip(webgl["nodes"], vis["nodes"], strict=True):
        assert (ours["x"], ours["y"]) == (theirs["x"], -theirs["y"])
        assert ours["l"] == (theirs["label"] or None)
        assert ours["c"] == theirs["c"]
    order = sorted(range(len(vis["nodes"])), key=lambda i: vis["nodes"][i]["size"])
    sizes = [webgl["nodes"][i]["s"] for i in order]
    assert sizes == sorted(sizes)
    assert [(edge["s"], edge["d"]) for edge in webgl["edges"]] == [(e["from"], e["to"]) for e in vis["edges"]]


def test_a_year_of_the_growth_keeps_the_whole_layouts_frame(bundled):
    from cojian_graph.render.layout import compute_layout

    G = collaboration_graph(bundled)
    positions = compute_layout(G, "force")
    part = G.subgraph(list(G)[:5])
    data = page_data(network_html(part, bundled, positions=positions, renderer="webgl"))
    left, bottom, right, top = data["frame"]
    xs = [node["x"] for node in data["nodes"]]
    ys = [node["y"] for node in data["nodes"]]
    assert left <= min(xs) and max(xs) <= right and bottom <= min(ys) and max(ys) <= top
    assert right - left > max(xs) - min(xs)  # the whole layout, not only the five drawn
