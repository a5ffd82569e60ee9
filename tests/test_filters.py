"""Filtered views and layers (cojian_graph.graph.filters), on the hand-checked tiny ledger.

    a 铸钢党总支 (focal, company) — b 车间党支部 (internal, company): x1 learning 2021, x2 brand (undated)
    a — c 地方部门党组织 (external, local_government): x2 brand, x3 service 2022
    b — c: x2 brand
    d 地方小学团支部 (external, education): x4 mass_org (undated), alone
"""

from __future__ import annotations

import networkx as nx
import pytest

from cojian_graph.errors import CojianError, UnknownNodeError
from cojian_graph.graph import (
    GraphFilter,
    collaboration_graph,
    filter_ledger,
    filtered_edges,
    filtered_graph,
    layer_graphs,
)
from cojian_graph.model import LINK_IDS
from cojian_graph.synth import synthetic_ledger


def weights(G: nx.Graph) -> dict[tuple[str, str], int]:
    return {tuple(sorted((u, v))): w for u, v, w in G.edges(data="weight")}


def test_no_filter_is_the_whole_graph(tiny):
    G = filtered_graph(tiny, GraphFilter())
    assert weights(G) == weights(collaboration_graph(tiny)) == {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1}
    assert set(G) == {"a", "b", "c", "d"}
    assert GraphFilter().is_default
    assert not GraphFilter(min_weight=2).is_default


@pytest.mark.parametrize("name", ["learning", "党员联学", "黨員聯學", "Joint study by members", " LEARNING "])
def test_links_by_id_or_name(tiny, name):
    G = filtered_graph(tiny, GraphFilter(links=(name,)))
    assert weights(G) == {("a", "b"): 1}
    assert G.edges["a", "b"]["activities"] == ("x1",)
    assert G.edges["a", "b"]["n_learning"] == 1
    assert set(G) == {"a", "b", "c", "d"}  # organisations stay, isolated
    assert G.nodes["a"]["activities"] == 1  # node counts follow the view


def test_several_links(tiny):
    G = filtered_graph(tiny, GraphFilter(links=("brand", "服务联动")))
    assert weights(G) == {("a", "b"): 1, ("a", "c"): 2, ("b", "c"): 1}
    assert G.edges["a", "c"]["multiplexity"] == 2
    assert GraphFilter(links=("brand", "品牌联建", "service")).normalized().links == ("brand", "service")


def test_unknown_link(tiny):
    with pytest.raises(CojianError, match="unknown link type"):
        filtered_graph(tiny, GraphFilter(links=("friendship",)))


def test_circles(tiny):
    G = filtered_graph(tiny, GraphFilter(circles=("focal", "internal")))
    assert set(G) == {"a", "b"}
    assert weights(G) == {("a", "b"): 2}
    assert G.edges["a", "b"]["activities"] == ("x1", "x2")
    external = filtered_graph(tiny, GraphFilter(circles=("external",)))
    assert set(external) == {"c", "d"}
    assert external.number_of_edges() == 0  # c's partners were all inside


def test_sectors(tiny):
    G = filtered_graph(tiny, GraphFilter(sectors=("company", "local_government")))
    assert set(G) == {"a", "b", "c"}
    assert weights(G) == {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1}
    education = filtered_graph(tiny, GraphFilter(sectors=("education",)))
    assert list(education) == ["d"]


@pytest.mark.parametrize("field", ["circles", "sectors"])
def test_unknown_circle_or_sector(tiny, field):
    with pytest.raises(CojianError, match=f"unknown {field[:-1]}"):
        filtered_graph(tiny, GraphFilter(**{field: ("nowhere",)}))


@pytest.mark.parametrize(
    ("year_min", "year_max", "undated", "expected"),
    [
        # x1 2021, x3 2022; x2 and x4 undated
        (2022, None, True, {("a", "b"): 1, ("a", "c"): 2, ("b", "c"): 1}),  # x2 x3 x4
        (2022, None, False, {("a", "c"): 1}),  # x3
        (None, 2021, False, {("a", "b"): 1}),  # x1
        (None, 2021, True, {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}),  # x1 x2 x4
        (2021, 2022, False, {("a", "b"): 1, ("a", "c"): 1}),  # x1 x3
        (2023, 2030, False, {}),
        (2023, 2030, True, {("a", "b"): 1, ("a", "c"): 1, ("b", "c"): 1}),  # x2 x4
    ],
)
def test_year_range(tiny, year_min, year_max, undated, expected):
    spec = GraphFilter(year_min=year_min, year_max=year_max, include_undated=undated)
    G = filtered_graph(tiny, spec)
    assert weights(G) == expected
    assert set(G) == {"a", "b", "c", "d"}


def test_include_undated_alone_changes_nothing(tiny):
    G = filtered_graph(tiny, GraphFilter(include_undated=False))
    assert weights(G) == weights(collaboration_graph(tiny))


def test_year_range_out_of_order(tiny):
    with pytest.raises(CojianError, match="after"):
        filtered_graph(tiny, GraphFilter(year_min=2023, year_max=2021))


def test_min_weight(tiny):
    G = filtered_graph(tiny, GraphFilter(min_weight=2))
    assert weights(G) == {("a", "b"): 2, ("a", "c"): 2}
    assert set(G) == {"a", "b", "c", "d"}
    assert filtered_graph(tiny, GraphFilter(min_weight=3)).number_of_edges() == 0
    edges = filtered_edges(tiny, GraphFilter(min_weight=2))
    assert sorted(zip(edges["source"], edges["target"], strict=True)) == [("a", "b"), ("a", "c")]
    with pytest.raises(CojianError, match="min_weight"):
        filtered_graph(tiny, GraphFilter(min_weight=0))


def test_focus_and_hops(tiny):
    G = filtered_graph(tiny, GraphFilter(focus="b"))
    assert set(G) == {"a", "b", "c"}
    assert weights(G) == {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1}  # the ego graph keeps a–c
    assert set(filtered_graph(tiny, GraphFilter(focus="b", hops=0))) == {"b"}
    assert list(filtered_graph(tiny, GraphFilter(focus="d", hops=3))) == ["d"]


def test_focus_after_min_weight(tiny):
    # with weight ≥ 2 only a–b and a–c remain: c is two steps from b
    near = filtered_graph(tiny, GraphFilter(focus="b", min_weight=2, hops=1))
    assert set(near) == {"a", "b"}
    far = filtered_graph(tiny, GraphFilter(focus="b", min_weight=2, hops=2))
    assert set(far) == {"a", "b", "c"}
    assert weights(far) == {("a", "b"): 2, ("a", "c"): 2}


def test_focus_with_links(tiny):
    G = filtered_graph(tiny, GraphFilter(focus="c", links=("service",)))
    assert weights(G) == {("a", "c"): 1}


def test_unknown_focus(tiny):
    with pytest.raises(UnknownNodeError, match="zz") as raised:
        filtered_graph(tiny, GraphFilter(focus="zz"))
    assert isinstance(raised.value, CojianError)
    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith("台账中没有组织")


def test_focus_filtered_out_by_circle_is_an_empty_view(tiny):
    G = filtered_graph(tiny, GraphFilter(focus="d", circles=("internal",)))
    assert G.number_of_nodes() == 0
    assert G.graph["filter"].focus == "d"  # still says what it is a view of


def test_negative_hops(tiny):
    with pytest.raises(CojianError, match="hops"):
        filtered_graph(tiny, GraphFilter(focus="a", hops=-1))


def test_filter_ledger_drops_participations_of_removed_organisations(tiny):
    sub = filter_ledger(tiny, GraphFilter(circles=("focal", "external")))
    assert set(sub.organizations["id"]) == {"a", "c", "d"}
    assert set(sub.participations["organization_id"]) == {"a", "c", "d"}
    assert len(sub.activities) == 4  # activities stay with the remaining participants
    assert len(tiny.participations) == 8  # the original is untouched


def test_the_graph_records_its_filter(tiny):
    G = filtered_graph(tiny, GraphFilter(links=("党员联学",)))
    assert G.graph["filter"].links == ("learning",)
    assert G.graph["ledger_hash"] == tiny.content_hash()


# -- layers ---------------------------------------------------------------------------------------


def test_layers_of_tiny(tiny):
    layers = layer_graphs(tiny)
    assert list(layers) == list(LINK_IDS)
    assert weights(layers["brand"]) == {("a", "b"): 1, ("a", "c"): 1, ("b", "c"): 1}
    assert weights(layers["learning"]) == {("a", "b"): 1}
    assert weights(layers["service"]) == {("a", "c"): 1}
    assert layers["mass_org"].number_of_edges() == 0
    assert all(set(layer) == {"a", "b", "c", "d"} for layer in layers.values())


def test_layers_with_a_filter(tiny):
    layers = layer_graphs(tiny, GraphFilter(links=("服务联动", "learning"), circles=("focal", "internal")))
    assert list(layers) == ["service", "learning"]
    assert layers["service"].number_of_edges() == 0  # c is outside the circles
    assert weights(layers["learning"]) == {("a", "b"): 1}


def test_layer_weights_add_up_to_the_whole():
    ledger = synthetic_ledger(60, 300, seed=8)
    whole = weights(collaboration_graph(ledger))
    total: dict[tuple[str, str], int] = {}
    for layer in layer_graphs(ledger).values():
        for pair, weight in weights(layer).items():
            total[pair] = total.get(pair, 0) + weight
    assert total == whole
