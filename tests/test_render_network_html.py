"""The self-contained network page: data, escaping of hostile names, offline, fixed positions."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import networkx as nx
import pandas as pd
import pytest

from cojian_graph.errors import CojianError
from cojian_graph.graph import collaboration_graph
from cojian_graph.ledger import Ledger
from cojian_graph.model import LINKS
from cojian_graph.render import network_html
from cojian_graph.render.network_html import _vis_asset, network_data
from cojian_graph.render.style import short_label
from cojian_graph.testing import tiny_ledger

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "</script><script>alert(2)</script>",
    '<a href="javascript:alert(3)">href</a>',
    "'; alert(4);\u2028// x",
]


def hostile_ledger() -> Ledger:
    orgs = pd.DataFrame(
        [(f"o{i}", name, name, "party_branch", "internal" if i else "focal", "company")
         for i, name in enumerate(HOSTILE)],
        columns=["id", "name", "name_en", "kind", "circle", "sector"],
    )
    acts = pd.DataFrame(
        [(f"x{i}", name, name, "learning", "2021", name, name, name) for i, name in enumerate(HOSTILE)],
        columns=["id", "title", "title_en", "link_type", "date", "description", "outcome", "source"],
    )
    part = pd.DataFrame(
        [(f"x{i}", f"o{i}", "host") for i in range(len(HOSTILE))]
        + [(f"x{i}", f"o{(i + 1) % len(HOSTILE)}", "partner") for i in range(len(HOSTILE))],
        columns=["activity_id", "organization_id", "role"],
    )
    return Ledger.from_frames(orgs, acts, part, validate=False)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def page_data(page: str) -> dict:
    match = re.search(r"var data = (\{.*?\});\n", page)
    assert match, "data block not found"
    return json.loads(match.group(1))


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "p", "div", "span", "script"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("color_by", ["circle", "sector", "community", "main_link"])
def test_hostile_names_are_text_not_markup(lang, color_by):
    ledger = hostile_ledger()
    page = network_html(collaboration_graph(ledger), ledger, lang=lang, color_by=color_by,
                        title=HOSTILE[0], labels="all")
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    assert not [tag for tag, _ in parsed.tags if tag in {"img", "a", "iframe", "object", "embed"}]
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    # exactly the two scripts the page brings: vis-network and the drawing
    assert len(parsed.scripts) == 2
    assert parsed.scripts[0] == _vis_asset("vis-network.min.js")
    # the hostile strings arrive intact as data (shown as text by vis-network), never as raw markup
    data = page_data(page)
    labels = {node["label"] for node in data["nodes"]}
    assert {short_label(name) for name in HOSTILE} <= labels  # long ones cut with "…"; whole in the tooltips
    titles = "\n".join([node["title"] for node in data["nodes"]] + data["acts"])  # tooltips, before expansion
    assert all(name in titles for name in HOSTILE)
    assert "<script>alert" not in parsed.scripts[1]
    assert "</script" not in parsed.scripts[1]
    # the title and heading show the escaped text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_page_is_offline():
    ledger = hostile_ledger()
    page = network_html(collaboration_graph(ledger), ledger)
    parsed = parse(page)
    csp = [attrs["content"] for tag, attrs in parsed.tags if tag == "meta" and attrs.get("http-equiv")]
    assert csp and "default-src 'none'" in csp[0]
    # scripts are allowed by their hashes only: an injected inline script or handler would not run
    import base64
    import hashlib

    script_src = next(part for part in csp[0].split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    for script in parsed.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    # every URL in the page is inside vis-network's licence comments or an SVG namespace
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    allowed = ("http://www.w3.org/2000/svg", "github.com", "almende.com", "opensource.org",
               "apache.org", "visjs.github.io")
    assert all(any(part in url for part in allowed) for url in urls), urls
    assert "cdn" not in " ".join(urls)


def test_positions_fixed_and_physics_off(tiny):
    G = collaboration_graph(tiny)
    page = network_html(G, tiny, layout="concentric")
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page).group(1))
    assert options["physics"]["enabled"] is False
    nodes = {node["id"]: node for node in page_data(page)["nodes"]}
    assert set(nodes) == {"a", "b", "c", "d"}
    assert (nodes["a"]["x"], nodes["a"]["y"]) == (0, 0)  # the focal organisation at the centre
    r_b = math.hypot(nodes["b"]["x"], nodes["b"]["y"])
    r_c = math.hypot(nodes["c"]["x"], nodes["c"]["y"])
    assert 0 < r_b < r_c  # internal ring inside the external ring


def test_same_input_same_page(tiny):
    G = collaboration_graph(tiny)
    assert network_html(G, tiny) == network_html(G, tiny)


def test_sizes_follow_strength(tiny):
    # strengths by hand (testing.py): a 2+2=4, b 2+1=3, c 2+1=3, d 0
    data = network_data(collaboration_graph(tiny), tiny, size_by="strength")
    size = {node["id"]: node["size"] for node in data["nodes"]}
    assert size["a"] > size["b"] == size["c"] > size["d"]


def test_edge_tooltip_lists_the_activities(tiny):
    data = network_data(collaboration_graph(tiny), tiny, lang="zh")
    edge = next(e for e in data["edges"] if {e["from"], e["to"]} == {"a", "b"})
    lines = edge["title"].split("\n")
    assert lines[0] == "铸钢党总支 — 车间党支部"
    assert "联学党课（党员联学，2021）" in edge["title"]
    assert "品牌共建（品牌联建）" in edge["title"]
    # a—b: one learning, one brand activity → tie → brand (registry order) colours the edge
    brand = LINKS["brand"].color  # "#E69F00"
    assert edge["color"] == f"rgba({int(brand[1:3], 16)},{int(brand[3:5], 16)},{int(brand[5:7], 16)},0.85)"


def test_node_tooltip_key_figures(tiny):
    data = network_data(collaboration_graph(tiny), tiny, lang="zh")
    a = next(node for node in data["nodes"] if node["id"] == "a")
    assert a["title"].splitlines()[0] == "铸钢党总支"
    assert "参与活动：3" in a["title"] and "合作伙伴：2" in a["title"] and "合作强度：4" in a["title"]
    assert a["shape"] == "star"


def test_legend_lists_link_types_and_circles(tiny):
    page = network_html(collaboration_graph(tiny), tiny, lang="en")
    legend = [attrs for tag, attrs in parse(page).tags if attrs.get("class") == "legend-item"]
    keys = {(item["data-kind"], item["data-key"]) for item in legend}
    assert {("shape", "focal"), ("shape", "internal"), ("shape", "external"), ("edge", "brand")} <= keys


def test_compact_tooltips_share_activity_texts(tiny):
    G = collaboration_graph(tiny)
    full = network_data(G, tiny, lang="zh")
    compact = network_data(G, tiny, lang="zh", compact=True)
    # x2 (品牌共建) lies behind all three ties but is sent once
    assert compact["acts"].count("品牌共建（品牌联建）") == 1
    # the page writes the first lines from the names and figures (checked in Chromium: test_render_browser.py)
    for long, short in zip(full["edges"], compact["edges"], strict=True):
        joint = compact["text"]["joint"].replace("{w}", short["w"]).replace("{m}", str(short["m"]))
        assert long["title"].splitlines()[1:] == [joint, *(f"• {compact['acts'][i]}" for i in short["a"])]
    for long, short in zip(full["nodes"], compact["nodes"], strict=True):
        assert (short["c"], short.get("b", "#333333")) == (long["color"]["background"], long["color"]["border"])


def test_evidence_is_capped():
    G = nx.Graph()
    G.add_node("p", name="甲", circle="focal")
    G.add_node("q", name="乙", circle="external")
    acts = [f"x{i:02d}" for i in range(30)]
    G.add_edge("p", "q", weight=30, multiplexity=1, n_service=30, activities=tuple(acts))
    activities = pd.DataFrame({"id": acts, "title": acts, "link_type": "service"})
    ledger = Ledger.from_frames(pd.DataFrame(), activities, pd.DataFrame(), validate=False)
    title = network_data(G, ledger)["edges"][0]["title"]
    assert title.count("•") == 12 and "另有 18 项" in title


def test_empty_graph_gives_a_page(tiny):
    page = network_html(nx.Graph(), tiny)
    assert "没有符合条件的组织" in page
    assert (page_data(page)["nodes"], page_data(page)["edges"], page_data(page)["acts"]) == ([], [], [])


@pytest.mark.parametrize("kwargs", [{"color_by": "rainbow"}, {"size_by": "nonsense"}, {"lang": "fr"},
                                    {"layout": "spiral"}, {"height": "1px; background:url(x)"},
                                    {"labels": "some"}])
def test_bad_options_raise_cojian_error(tiny, kwargs):
    with pytest.raises(CojianError):
        network_html(collaboration_graph(tiny), tiny, **kwargs)


def test_precomputed_measures_set_sizes(tiny):
    G = collaboration_graph(tiny)
    table = pd.DataFrame({"id": ["a", "b", "c", "d"], "betweenness": [0.0, 0.0, 0.0, 1.0]})
    data = network_data(G, tiny, size_by="betweenness", measures=table)
    size = {node["id"]: node["size"] for node in data["nodes"]}
    assert size["d"] > size["a"] == size["b"] == size["c"]


def test_page_inlines_only_the_css_it_uses(tiny):
    """The tooltip's style is there; the disabled manipulation/navigation/configurator styles (and their
    data: URL icons, ~215 KB) are not."""
    page = network_html(collaboration_graph(tiny), tiny)
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, flags=re.S))
    assert "div.vis-tooltip{" in styles
    assert "visibility:hidden" in styles  # vis-network shows the tooltip by changing its visibility
    for unused in ("vis-manipulation", "vis-navigation", "vis-configuration", "vis-color-picker", "data:image"):
        assert unused not in styles
    assert len(page) < len(_vis_asset("vis-network.min.js")) + 50_000


def test_the_focus_of_a_view_is_marked_and_labelled():
    from cojian_graph.graph import GraphFilter, filtered_graph
    from cojian_graph.render.network_html import network_data

    ledger = tiny_ledger()
    G = filtered_graph(ledger, GraphFilter(focus="b"))
    nodes = {node["id"]: node for node in network_data(G, ledger, labels=0)["nodes"]}
    assert nodes["b"]["borderWidth"] == 6 and nodes["b"]["label"].startswith("◎ ")
    assert nodes["c"]["label"] == "" and nodes["c"]["borderWidth"] == 1  # labels=0: only the focus
    plain = {node["id"]: node for node in network_data(filtered_graph(ledger), ledger)["nodes"]}
    assert not plain["b"]["label"].startswith("◎")


def test_a_very_long_name_is_cut_on_the_map_and_kept_in_the_tooltip():
    from cojian_graph.graph import collaboration_graph
    from cojian_graph.render.network_html import network_data

    ledger = tiny_ledger()
    orgs = ledger.organizations.copy()
    orgs.loc[1, "name"] = "长" * 40_000
    long = type(ledger)(orgs, ledger.activities, ledger.participations)
    nodes = {node["id"]: node for node in network_data(collaboration_graph(long), long, labels="all")["nodes"]}
    assert len(nodes["b"]["label"]) == 24 and nodes["b"]["label"].endswith("…")
    assert "长" * 40_000 in nodes["b"]["title"]


def test_on_the_concentric_layout_no_straight_tie_runs_over_another_organisation():
    import numpy as np

    from cojian_graph.io import read_ledger
    from cojian_graph.render.network_html import network_data

    ledger = read_ledger("data")
    data = network_data(collaboration_graph(ledger), ledger, layout="concentric")
    xy = {node["id"]: np.array([node["x"], node["y"]]) for node in data["nodes"]}
    size = {node["id"]: node["size"] for node in data["nodes"]}
    curved = 0
    for edge in data["edges"]:
        if edge.get("smooth"):
            curved += 1
            continue
        a, b = xy[edge["from"]], xy[edge["to"]]
        for other, point in xy.items():
            if other in (edge["from"], edge["to"]):
                continue
            t = np.clip(np.dot(point - a, b - a) / np.dot(b - a, b - a), 0, 1)
            assert np.linalg.norm(point - (a + t * (b - a))) >= size[other], (edge["from"], edge["to"], other)
    assert curved >= 1  # the bundled ledger has chords across the centre: they are drawn as arcs


def test_a_page_draws_at_most_the_strongest_ties_and_says_so(monkeypatch):
    import sys

    module = sys.modules["cojian_graph.render.network_html"]  # the package re-exports the function by this name
    ledger = tiny_ledger()
    G = collaboration_graph(ledger)
    monkeypatch.setattr(module.strongest_ties, "__defaults__", (2,))
    page = module.network_html(G, ledger, lang="en")
    data = page_data(page)
    assert len(data["nodes"]) == 4 and len(data["edges"]) == 2  # every organisation, the two weight-2 ties
    assert {(edge["from"], edge["to"]) for edge in data["edges"]} == {("a", "b"), ("a", "c")}
    assert "the strongest 2 of 3 drawn" in page
    # b's tie to c is not drawn, but b has two partners and a strength of 3 (2 with a, 1 with c)
    b = next(node for node in data["nodes"] if node["id"] == "b")
    assert "Partners: 2 · Strength: 3" in b["title"]


def test_the_ties_of_an_organisation_kept_are_drawn_first():
    from cojian_graph.render.network_html import strongest_ties

    G = collaboration_graph(tiny_ledger())  # by hand: a–b 2, a–c 2, b–c 1 (x1, x2, x3)
    assert {frozenset(edge) for edge in strongest_ties(G, 2).edges} == {frozenset("ab"), frozenset("ac")}
    kept = strongest_ties(G, 2, keep="c")
    assert {frozenset(edge) for edge in kept.edges} == {frozenset("ac"), frozenset("bc")}  # c's two, then none
    assert set(kept) == set(G) and kept.graph["ties"] == 3
    assert {frozenset(edge) for edge in strongest_ties(G, 1, keep="b").edges} == {frozenset("ab")}  # b's strongest
    assert {frozenset(edge) for edge in strongest_ties(G, 1, keep="c").edges} == {frozenset("ac")}
    H = nx.Graph([("x", "y", {"weight": 1}), ("y", "z", {"weight": 9}), ("x", "z", {"weight": 5})])
    assert [set(edge) for edge in strongest_ties(H, 1, keep="x").edges] == [{"x", "z"}]  # x's stronger, not y–z
    assert {frozenset(edge) for edge in strongest_ties(H, 2, keep="x").edges} == {frozenset("xy"), frozenset("xz")}
