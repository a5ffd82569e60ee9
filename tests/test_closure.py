"""The triangle-free kernels behind Burt's effective size and the Gould–Fernandez roles.

Every kernel (triangle list, dense BLAS product, blocked sparse product, triangles oriented by degree in
blocks) must give networkx's reference values; a mass meeting must not list its triangles.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest

from cojian_graph.analysis import closure
from cojian_graph.analysis.brokerage import brokerage_role_values, effective_size_values
from cojian_graph.analysis.closure import closed_two_path_sums
from cojian_graph.analysis.engine import net_from_graph


def _graph(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    G = nx.gnp_random_graph(40, 0.2, seed=seed)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([1, 2, 4, 8])
    for node in G:
        G.nodes[node]["circle"] = rng.choice(["focal", "internal", "external", ""])
    G.add_node(99, circle="external")  # isolated
    return G


def _roles_by_definition(G: nx.Graph) -> dict:
    """Gould–Fernandez roles counted pair by pair from the definition (open two-paths a–v–c)."""
    out = {}
    for v in G:
        counts = [0, 0, 0, 0]
        gv = G.nodes[v].get("circle", "")
        for a, c in itertools.combinations(G[v], 2):
            if G.has_edge(a, c):
                continue
            ga, gc = G.nodes[a].get("circle", ""), G.nodes[c].get("circle", "")
            if ga == gc:
                counts[0 if ga == gv else 1] += 1
            elif gv in (ga, gc):
                counts[2] += 1
            else:
                counts[3] += 1
        out[v] = counts
    return out


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch):
    # several blocks in the sparse and oriented kernels even on small graphs
    monkeypatch.setattr(closure, "SPARSE_BLOCK_WORK", 50)
    monkeypatch.setattr(closure, "ORIENTED_BLOCK_PAIRS", 7)


@pytest.fixture(params=closure.METHODS)
def kernel(request, monkeypatch):
    """Every test using it runs once with each kernel forced."""
    monkeypatch.setattr(closure, "choose_method", lambda net: request.param)
    return request.param


def _assert_equal_by_node(net, ours, expected) -> None:
    """``ours`` (vertex order) equals networkx's ``expected`` (by node), NaN where it has NaN."""
    for position, node in enumerate(net.ids):
        if np.isnan(expected[node]):
            assert np.isnan(ours[position]), node
        else:
            assert ours[position] == pytest.approx(expected[node], rel=1e-12), node


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_effective_size_each_kernel_equals_networkx(kernel, seed):
    G = _graph(seed)
    net = net_from_graph(G)
    _assert_equal_by_node(net, effective_size_values(net), nx.effective_size(G, nodes=list(G), weight="weight"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_roles_each_kernel_equal_the_definition(kernel, seed):
    G = _graph(seed)
    net = net_from_graph(G)
    expected = _roles_by_definition(G)
    ours = brokerage_role_values(net)
    for position, node in enumerate(net.ids):
        assert ours[position, :4].tolist() == expected[node]
        assert ours[position, 4] == sum(expected[node])


def test_choice_of_kernel_follows_the_triangle_bound():
    sparse_net = net_from_graph(nx.cycle_graph(50))
    assert closure.triangle_bound(sparse_net) == 50 // 3
    assert closure.choose_method(sparse_net) == "triangles"
    clique = net_from_graph(nx.complete_graph(400))  # 10.6 million triangles
    assert closure.triangle_bound(clique) == 400 * 399 * 398 // 6  # a clique reaches the bound
    assert closure.choose_method(clique) == "dense"


def test_a_hub_with_few_triangles_is_listed_by_the_count_not_the_bound(monkeypatch):
    # a hub of 3,000 partners bounds the triangles by C(3000, 2) / 3, though only a few hundred exist
    G = nx.star_graph(3_000)
    G.add_edges_from((i, i + 1) for i in range(1, 600, 2))
    net = net_from_graph(G)
    monkeypatch.setattr(closure, "TRIANGLE_BUDGET", 10_000)
    assert closure.triangle_bound(net) > 10_000
    assert closure.triangle_count(net) == sum(nx.triangles(G).values()) // 3 == 300
    assert closure.choose_method(net) == "triangles"
    ones = np.ones(net.m)
    listed = closed_two_path_sums(net, ones, ones, np.ones(net.n), np.ones((net.n, 1)), method="triangles")
    sparse = closed_two_path_sums(net, ones, ones, np.ones(net.n), np.ones((net.n, 1)), method="sparse")
    np.testing.assert_allclose(listed, sparse)
    assert listed[0, 0] == 600  # the hub: 300 triangles, each counted for both of its partners in it


def test_a_hub_s_triangles_are_found_from_their_lower_corners_not_by_the_sparse_product(monkeypatch):
    """An organisation with thousands of partners makes the sparse product's work the sum of the squared
    degrees (10^10 and more at 10^6 organisations): with too many triangles to list, the oriented kernel is
    chosen, and gives the values of the others (and the effective size worked by hand)."""
    G = nx.star_graph(3_000)
    G.add_edges_from((i, i + 1) for i in range(1, 3_000))  # a ring of partners: 2,999 triangles at the hub
    rng = random.Random(4)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([1, 2, 3])
    net = net_from_graph(G)
    monkeypatch.setattr(closure, "TRIANGLE_BUDGET", 1_000)
    assert closure.triangle_count(net) == 2_999 > closure.TRIANGLE_BUDGET and net.n > closure.DENSE_MAX_NODES
    degree = np.asarray(net.g.degree(), dtype=float)
    assert (degree**2).sum() > 9_000_000  # the hub alone: 3,000²
    assert closure.choose_method(net) == "oriented"
    x, y = np.asarray(net.edge_weight, dtype=float), np.arange(1, net.m + 1, dtype=float)
    middle = np.linspace(1, 2, net.n)
    sums = {method: closure.closed_two_path_edge_sums(net, x, y, middle, method=method)
            for method in ("oriented", "sparse", "triangles")}
    np.testing.assert_allclose(sums["oriented"], sums["sparse"], rtol=1e-12)
    np.testing.assert_allclose(sums["oriented"], sums["triangles"], rtol=1e-12)
    # unweighted, effective size is k - 2t/k (t: ties among the partners): the hub has 3,000 partners and
    # 2,999 ties among them; an end of the ring has two partners, tied
    unweighted = effective_size_values(net, None)
    assert unweighted[net.ids.index(0)] == pytest.approx(3_000 - 2 * 2_999 / 3_000, rel=1e-12)
    assert unweighted[net.ids.index(1)] == pytest.approx(2 - 2 * 1 / 2, rel=1e-12)


def test_blocks_hold_at_most_their_budget_or_one_item():
    assert closure._blocks(np.array([3, 3, 3, 3]), 6) == [(0, 2), (2, 4)]
    assert closure._blocks(np.array([10, 1, 1, 9, 0]), 5) == [(0, 1), (1, 3), (3, 4), (4, 5)]
    assert closure._blocks(np.array([0, 0, 0]), 5) == [(0, 3)]
    assert closure._blocks(np.zeros(0), 5) == []


def test_mass_meeting_is_not_listed_triangle_by_triangle(monkeypatch):
    # one 400-participant meeting beside a sparse rest: the kernel must not list its 10.6 million triangles
    G = nx.complete_graph(400)
    G.add_edges_from((i, i + 1) for i in range(399, 3000))
    nx.set_edge_attributes(G, 1, "weight")
    net = net_from_graph(G)
    assert closure.choose_method(net) == "sparse"

    def refuse(net):
        raise AssertionError("triangles listed")

    monkeypatch.setattr(closure, "_triangles", refuse)  # the whole list: blocks only
    ours = effective_size_values(net)
    # unweighted effective size is k - 2t/k (t: ties among the partners). Inside the clique:
    # k = 399, t = C(399, 2), so 399 - 398 = 1. Node 399 also has the chain's node 400 as partner:
    # k = 400, t = C(399, 2) = 79401, so 400 - 158802/400 = 2.995.
    assert ours[net.ids.index(0)] == pytest.approx(1.0)
    assert ours[net.ids.index(399)] == pytest.approx(2.995)
    assert ours[net.ids.index(1000)] == pytest.approx(2.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_constraint_each_kernel_equals_networkx(kernel, seed):
    from cojian_graph.analysis.brokerage import constraint_values

    G = _graph(seed)
    net = net_from_graph(G)
    for weight in ("weight", None):
        _assert_equal_by_node(net, constraint_values(net, weight), nx.constraint(G, weight=weight))
