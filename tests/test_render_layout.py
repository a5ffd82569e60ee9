"""Layouts: deterministic force-directed positions and the concentric circles."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from cojian_graph.errors import CojianError
from cojian_graph.graph import collaboration_graph
from cojian_graph.render import layout as layout_module
from cojian_graph.render.layout import compute_layout, concentric_layout, force_layout, pivot_mds


def test_force_layout_is_deterministic_and_seeded():
    G = nx.les_miserables_graph()
    first = force_layout(G, seed=3)
    assert force_layout(G, seed=3) == first
    assert force_layout(G, seed=4) != first
    assert set(first) == set(G)
    assert max(max(abs(x), abs(y)) for x, y in first.values()) == pytest.approx(1.0)


def test_force_layout_does_not_depend_on_global_random_state():
    import random

    G = nx.karate_club_graph()
    random.seed(1)
    first = force_layout(G, seed=0)
    random.seed(2)
    random.random()
    assert force_layout(G, seed=0) == first


def test_force_layout_keeps_neighbours_closer_than_strangers():
    # two 10-cliques joined by one edge: the mean distance inside a clique is well below across
    G = nx.barbell_graph(10, 0)
    pos = force_layout(G, seed=1)
    inside = [math.dist(pos[u], pos[v]) for u in range(10) for v in range(u + 1, 10)]
    across = [math.dist(pos[u], pos[v]) for u in range(10) for v in range(10, 20)]
    assert sum(inside) / len(inside) < 0.5 * sum(across) / len(across)


def test_force_layout_large_graph_is_finite():
    G = nx.gnm_random_graph(1200, 3000, seed=2)
    pos = force_layout(G, seed=0)
    assert len(pos) == 1200
    assert all(math.isfinite(x) and math.isfinite(y) and abs(x) <= 1 and abs(y) <= 1 for x, y in pos.values())


def test_pivot_mds_with_every_organisation_a_pivot_is_classical_mds():
    """Reference: classical MDS (Torgerson) of networkx's all-pairs distances, solved by numpy directly:
    with every vertex a pivot, pivot MDS gives the same two axes (each scaled by its eigenvalue)."""
    import igraph
    import numpy as np

    G = nx.les_miserables_graph()
    G = nx.convert_node_labels_to_integers(G.subgraph(max(nx.connected_components(G), key=len)))
    n = G.number_of_nodes()
    steps = dict(nx.all_pairs_shortest_path_length(G))
    squared = np.array([[steps[u][v] for v in range(n)] for u in range(n)], dtype=float) ** 2
    centring = np.eye(n) - 1 / n
    values, vectors = np.linalg.eigh(-0.5 * centring @ squared @ centring)
    axes = vectors[:, np.argsort(values)[::-1][:2]]
    xy = pivot_mds(igraph.Graph(n=n, edges=list(G.edges())), pivots=n)
    for axis in range(2):
        assert abs(np.corrcoef(xy[:, axis], axes[:, axis])[0, 1]) > 0.999


def test_pivot_mds_lays_a_path_out_in_order_and_keeps_distances():
    import igraph
    import numpy as np

    xy = pivot_mds(igraph.Graph.Lattice([30], circular=False), pivots=5)
    along = xy[:, 0] if np.ptp(xy[:, 0]) > np.ptp(xy[:, 1]) else xy[:, 1]
    assert (np.diff(along) > 0).all() or (np.diff(along) < 0).all()
    # a 20 × 20 grid: Euclidean distances follow the steps between organisations
    grid = nx.grid_2d_graph(20, 20)
    nodes = list(grid)
    xy = pivot_mds(igraph.Graph(n=400, edges=[(nodes.index(u), nodes.index(v)) for u, v in grid.edges()]))
    steps = dict(nx.all_pairs_shortest_path_length(grid))
    pairs = [(i, j) for i in range(0, 400, 7) for j in range(3, 400, 11) if i != j]
    found = [float(np.linalg.norm(xy[i] - xy[j])) for i, j in pairs]
    graph = [steps[nodes[i]][nodes[j]] for i, j in pairs]
    assert np.corrcoef(found, graph)[0, 1] > 0.9


def test_a_very_large_component_is_placed_by_pivot_mds(monkeypatch):
    """Above PIVOT_MDS_ABOVE organisations (lowered here), the main component gets pivot MDS positions;
    the other components keep the force layout on the ring around it."""
    import igraph
    import numpy as np

    G = nx.disjoint_union(nx.grid_2d_graph(15, 15), nx.path_graph(4))
    G.add_node("alone")
    monkeypatch.setattr(layout_module, "PIVOT_MDS_ABOVE", 100)
    pos = force_layout(G, seed=3)
    assert set(pos) == set(G)
    grid = list(range(225))
    expected = pivot_mds(igraph.Graph(n=225, edges=[(u, v) for u, v in G.subgraph(grid).edges()]), seed=3)
    found = np.array([pos[node] for node in grid])
    for axis in range(2):
        assert abs(np.corrcoef(found[:, axis], expected[:, axis])[0, 1]) > 0.999
    # the path and the lone organisation lie outside the grid's square
    corner = np.abs(found).max(axis=0)
    for node in [225, 226, 227, 228, "alone"]:
        assert (np.abs(pos[node]) > corner).any()
    monkeypatch.setattr(layout_module, "PIVOT_MDS_ABOVE", 10**6)
    assert force_layout(G, seed=3)[0] != pos[0]  # the force layout otherwise


@pytest.mark.parametrize("n", [0, 1])
def test_force_layout_trivial_graphs(n):
    assert force_layout(nx.empty_graph(n)) == ({} if n == 0 else {0: (0.0, 0.0)})


def test_concentric_rings_by_circle(tiny):
    pos = concentric_layout(collaboration_graph(tiny))
    radius = {node: math.hypot(*xy) for node, xy in pos.items()}
    assert radius["a"] == 0
    assert radius["b"] == pytest.approx(0.5)
    assert radius["c"] == pytest.approx(1.0) and radius["d"] == pytest.approx(1.0)


def test_concentric_unknown_circle_outermost_and_crowded_ring_spills():
    G = nx.Graph()
    G.add_node("f", circle="focal")
    G.add_nodes_from((f"e{i}", {"circle": "external", "name": f"{i:04d}"}) for i in range(400))
    G.add_node("u", circle="")
    pos = concentric_layout(G)
    radii = sorted({round(math.hypot(*pos[f"e{i}"]), 6) for i in range(400)})
    assert len(radii) > 1 and radii[0] == pytest.approx(1.0)
    assert math.hypot(*pos["u"]) > radii[-1] - 1e-9 or math.hypot(*pos["u"]) == pytest.approx(1.3)
    # no two external organisations share a position
    assert len({pos[f"e{i}"] for i in range(400)}) == 400


def test_two_focal_organisations_share_a_small_ring():
    G = nx.Graph()
    G.add_nodes_from([("f1", {"circle": "focal"}), ("f2", {"circle": "focal"})])
    pos = concentric_layout(G)
    assert pos["f1"] != pos["f2"]
    assert math.hypot(*pos["f1"]) == pytest.approx(0.15)


def test_unknown_layout_name():
    with pytest.raises(CojianError, match="unknown layout"):
        compute_layout(nx.Graph(), "spiral")
