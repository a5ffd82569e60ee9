"""Styling: colours from the registries, sizes by a measure, legends of what is present."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from cojian_graph.errors import CojianError
from cojian_graph.graph import collaboration_graph
from cojian_graph.model import LINKS
from cojian_graph.render.style import (
    CIRCLE_COLORS,
    SECTOR_COLORS,
    edge_styles,
    label_nodes,
    legend_entries,
    node_styles,
)


def test_circle_colours_and_shapes(tiny):
    styles = node_styles(collaboration_graph(tiny), color_by="circle")
    assert [styles[n].color for n in "abcd"] == [CIRCLE_COLORS[c] for c in
                                                 ("focal", "internal", "external", "external")]
    assert [styles[n].shape for n in "abcd"] == ["star", "dot", "diamond", "diamond"]
    assert [styles[n].marker for n in "abcd"] == ["*", "o", "D", "D"]


def test_sector_colours(tiny):
    styles = node_styles(collaboration_graph(tiny), color_by="sector")
    assert styles["a"].color == styles["b"].color == SECTOR_COLORS["company"]
    assert styles["c"].color == SECTOR_COLORS["local_government"] != styles["d"].color


def test_main_link_colours(tiny):
    # d took part only in x4 (mass_org); c in x2 brand and x3 service → tie → brand
    styles = node_styles(collaboration_graph(tiny), color_by="main_link")
    assert styles["d"].color == LINKS["mass_org"].color
    assert styles["c"].color == LINKS["brand"].color


def test_community_colours_split_two_cliques():
    G = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(4))
    styles = node_styles(G, color_by="community", size_by="degree")
    assert len({styles[n].color for n in range(5)}) == 1
    assert len({styles[n].color for n in range(5, 9)}) == 1
    assert styles[0].color != styles[5].color
    labels = [e.label for e in legend_entries(G, color_by="community", lang="en") if e.kind == "node"]
    assert labels == ["Community 1", "Community 2"]  # the larger community first


def test_sizes_follow_square_root_of_the_measure():
    # star with centre 0 and three leaves, plus an isolated node: degrees 3, 1, 1, 1, 0
    G = nx.star_graph(3)
    G.add_node(9)
    styles = node_styles(G, size_by="degree", min_size=10, max_size=40)
    assert styles[0].size == 40 and styles[9].size == 10
    assert styles[1].size == pytest.approx(10 + 30 * math.sqrt(1 / 3), abs=1e-3)


def test_edge_colour_of_dominant_link_and_width():
    G = nx.Graph()
    G.add_edge("p", "q", weight=8, n_culture=5, n_service=3)
    G.add_edge("q", "r", weight=1, n_talent=1)
    styles = edge_styles(G)
    assert styles[("p", "q")].color == LINKS["culture"].color
    assert styles[("p", "q")].width == pytest.approx(1 + 1.5 * 3)
    assert styles[("q", "r")].width == 1


def test_legend_bilingual_and_only_present(tiny):
    G = collaboration_graph(tiny)
    zh = legend_entries(G, color_by="sector", lang="zh")
    en = legend_entries(G, color_by="sector", lang="en")
    assert [e.label for e in zh if e.kind == "node"] == ["公司内部", "地方政府", "教育"]
    expected = ["Inside the company", "Local government", "Education"]
    assert [e.label for e in en if e.kind == "node"] == expected
    assert [e.key for e in en if e.kind == "shape"] == ["focal", "internal", "external"]


def test_label_nodes_keeps_focal_and_top():
    G = nx.Graph()
    G.add_nodes_from([("f", {"circle": "focal"}), "x", "y", "z"])
    assert label_nodes(G, {"f": 0, "x": 3, "y": 2, "z": 1}, top=2) == ["f", "x", "y"]
    assert label_nodes(G, {}, top=None) == ["f", "x", "y", "z"]


def test_unknown_scheme_and_measure():
    G = nx.path_graph(3)
    with pytest.raises(CojianError):
        node_styles(G, color_by="rainbow")
    with pytest.raises(CojianError):
        node_styles(G, size_by="nonsense")
