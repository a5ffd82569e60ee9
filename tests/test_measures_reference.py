"""Every measure against networkx's reference implementation, on small graphs of several shapes.

The igraph-backed functions must give networkx's values (same normalisation, weight as strength,
or as distance 1/weight for path-based measures). Weights are powers of two, so that 1/weight
and sums of distances are exact in floating point and tied shortest paths stay tied in both
libraries.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from cojian_graph import analysis as A


def _weighted_random(seed: int, n: int = 30, p: float = 0.12) -> nx.Graph:
    G = nx.gnp_random_graph(n, p, seed=seed)
    rng = random.Random(seed)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([1, 2, 4, 8])
    return G


def _disconnected() -> nx.Graph:
    # a weighted 5-node component with a cycle, a path of three, a pair and two isolated nodes
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 2), ("b", "c", 1), ("c", "a", 4), ("c", "d", 1), ("d", "e", 2),
                               ("f", "g", 1), ("g", "h", 1), ("i", "j", 8)])
    G.add_nodes_from(["k", "l"])
    return G


def _unit(G: nx.Graph) -> nx.Graph:
    H = G.copy()
    for u, v in H.edges():
        H.edges[u, v]["weight"] = 1
    return H


GRAPHS = {
    "karate": _unit(nx.karate_club_graph()),
    "florentine": _unit(nx.florentine_families_graph()),
    "weighted_random_1": _weighted_random(1),
    "weighted_random_2": _weighted_random(2, n=40, p=0.08),  # disconnected, with isolates
    "disconnected": _disconnected(),
    "star": _unit(nx.star_graph(5)),
    "path": _unit(nx.path_graph(4)),
    "single": nx.empty_graph(1),
    "no_ties": nx.empty_graph(5),
}


@pytest.fixture(params=list(GRAPHS), ids=list(GRAPHS))
def graph(request) -> nx.Graph:
    G = GRAPHS[request.param].copy()
    for *_, data in G.edges(data=True):
        data.setdefault("weight", 1)
        data["distance"] = 1 / data["weight"]
    return G


def _close(ours, reference: dict, abs_tol: float = 1e-9, rel_tol: float = 1e-7):
    assert set(ours.index) == set(reference)
    for node, expected in reference.items():
        got = ours[node]
        if isinstance(expected, float) and math.isnan(expected):
            assert math.isnan(got), node
        else:
            assert got == pytest.approx(expected, abs=abs_tol, rel=rel_tol), node


@pytest.mark.parametrize("weighted", [True, False])
def test_counts_and_paths_equal_networkx(graph, weighted):
    w = "weight" if weighted else None
    d = "distance" if weighted else None
    _close(A.degree(graph), dict(graph.degree()))
    _close(A.strength(graph, weight=w), dict(graph.degree(weight=w)))
    _close(A.betweenness(graph, weight=w), nx.betweenness_centrality(graph, weight=d))
    _close(A.betweenness(graph, weight=w, normalized=False),
           nx.betweenness_centrality(graph, weight=d, normalized=False))
    _close(A.closeness(graph, weight=w), nx.closeness_centrality(graph, distance=d))
    _close(A.harmonic(graph, weight=w), nx.harmonic_centrality(graph, distance=d))
    _close(A.core(graph), nx.core_number(graph))


@pytest.mark.parametrize("weighted", [True, False])
def test_pagerank_equals_networkx(graph, weighted):
    w = "weight" if weighted else None
    # networkx iterates to tol 1e-6 per node; igraph solves exactly
    _close(A.pagerank(graph, weight=w), nx.pagerank(graph, weight=w, tol=1e-12, max_iter=10000), abs_tol=1e-8)


@pytest.mark.parametrize("weighted", [True, False])
def test_burt_measures_equal_networkx(graph, weighted):
    w = "weight" if weighted else None
    # nodes=list(G) selects networkx's per-node implementation of Burt's definition. Its sparse-matrix
    # shortcut for nodes=None (networkx 3.6) divides by the column maxima instead of the row maxima and
    # disagrees with its own per-node code on weighted graphs (see test_effective_size_by_hand).
    _close(A.effective_size(graph, weight=w), nx.effective_size(graph, nodes=list(graph), weight=w))
    _close(A.constraint(graph, weight=w), nx.constraint(graph, weight=w))
    _close(A.constraint(graph, weight=w), nx.constraint(graph, nodes=list(graph), weight=w))


def test_effective_size_by_hand():
    # Triangle a-b (2), b-c (1), a-c (4), plus c-d (1).  For a: s_a = 6, partners b, c.
    #   j = b: redundancy p_ac * m_bc = 4/6 * 1/max(2, 1) = 1/3
    #   j = c: redundancy p_ab * m_cb = 2/6 * 1/max(4, 1, 1) = 1/12
    #   e_a = (1 - 1/3) + (1 - 1/12) = 19/12
    # For c: s_c = 6, partners a, b, d.  j = a: p_cb m_ab = 1/6 * 2/4 = 1/12;  j = b: p_ca m_ba = 4/6 * 2/2
    #   = 2/3;  j = d: 0.  e_c = 3 - 1/12 - 2/3 = 9/4.
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 2), ("b", "c", 1), ("a", "c", 4), ("c", "d", 1)])
    ours = A.effective_size(G)
    assert ours["a"] == pytest.approx(19 / 12)
    assert ours["c"] == pytest.approx(9 / 4)
    assert ours["d"] == pytest.approx(1.0)
    # unweighted: Borgatti's k - 2t/k; for a: 2 - 2*1/2 = 1; for c: 3 - 2*1/3 = 7/3
    plain = A.effective_size(G, weight=None)
    assert plain["a"] == pytest.approx(1.0)
    assert plain["c"] == pytest.approx(7 / 3)


@pytest.mark.parametrize("weighted", [True, False])
def test_eigenvector_equals_networkx(graph, weighted):
    w = "weight" if weighted else None
    if graph.number_of_edges() == 0 or nx.is_connected(graph):
        reference = nx.eigenvector_centrality(graph, weight=w, tol=1e-13, max_iter=100000)
        _close(A.eigenvector(graph, weight=w), reference, abs_tol=1e-6)
    elif graph.number_of_edges():
        # disconnected: the leading eigenvector lives on the component with the largest eigenvalue
        # (the limit of networkx's power iteration): numpy's eigh on that component's adjacency matrix
        import numpy as np

        def spectral_radius(nodes):
            return max(np.linalg.eigvalsh(nx.to_numpy_array(graph.subgraph(nodes), weight=w)))

        dominant = list(max(nx.connected_components(graph), key=spectral_radius))
        values, vectors = np.linalg.eigh(nx.to_numpy_array(graph, nodelist=dominant, weight=w))
        leading = np.abs(vectors[:, np.argmax(values)])
        reference = dict.fromkeys(graph, 0.0)
        reference.update(zip(dominant, leading / np.linalg.norm(leading), strict=True))
        _close(A.eigenvector(graph, weight=w), reference, abs_tol=1e-6)


def test_clustering_density_and_path_length_equal_networkx(graph):
    summary = A.network_summary(graph)
    assert summary["organizations"] == graph.number_of_nodes()
    assert summary["ties"] == graph.number_of_edges()
    assert summary["density"] == pytest.approx(nx.density(graph))
    assert summary["components"] == nx.number_connected_components(graph)
    assert summary["average_clustering"] == pytest.approx(nx.average_clustering(graph))
    assert summary["transitivity"] == pytest.approx(nx.transitivity(graph))
    assert summary["isolated"] == nx.number_of_isolates(graph)
    if graph.number_of_nodes() > 1 and nx.is_connected(graph):
        assert summary["average_path_length"] == pytest.approx(nx.average_shortest_path_length(graph))
    # mean over the connected pairs, from networkx's all-pairs lengths
    lengths = [d for source, row in nx.all_pairs_shortest_path_length(graph) for target, d in row.items()
               if source != target]
    if lengths:
        assert summary["average_path_length"] == pytest.approx(sum(lengths) / len(lengths))
    else:
        assert math.isnan(summary["average_path_length"])


@pytest.mark.parametrize("weighted", [True, False])
def test_modularity_of_partition_equals_networkx(graph, weighted):
    w = "weight" if weighted else None
    mapping, q = A.communities(graph, weight=w)
    assert set(mapping.index) == set(graph)
    if graph.number_of_edges() == 0:
        assert math.isnan(q)
        assert mapping.nunique() == graph.number_of_nodes()  # every organisation on its own
        return
    parts = [set(mapping.index[mapping == c]) for c in sorted(mapping.unique())]
    assert q == pytest.approx(nx.community.modularity(graph, parts, weight=w or None))
    assert A.modularity(graph, mapping.to_dict(), weight=w) == pytest.approx(q)
    # communities are numbered 1, 2, … by decreasing size
    sizes = mapping.value_counts().sort_index()
    assert list(sizes.index) == list(range(1, len(sizes) + 1))
    assert list(sizes) == sorted(sizes, reverse=True)


def test_communities_are_reproducible_and_leave_global_random_alone():
    G = GRAPHS["karate"]
    random.seed(123)
    before = random.random()
    random.seed(123)
    first, q1 = A.communities(G)
    after = random.random()
    second, q2 = A.communities(G)
    assert before == after
    assert first.equals(second) and q1 == q2


def test_louvain_method_also_works():
    mapping, q = A.communities(GRAPHS["karate"], method="louvain")
    parts = [set(mapping.index[mapping == c]) for c in mapping.unique()]
    assert q == pytest.approx(nx.community.modularity(GRAPHS["karate"], parts))


def test_leiden_on_a_large_network_makes_a_fixed_number_of_passes(monkeypatch):
    """Beyond LEIDEN_CONVERGE_MAX_TIES ties the partition is igraph's Leiden with LEIDEN_ITERATIONS passes,
    the same seed; below, Leiden run to convergence, whose modularity is at least as high."""
    from cojian_graph.analysis import cohesion
    from cojian_graph.analysis.engine import seeded
    from cojian_graph.graph import GraphFilter
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(2_000, 6_000, 1)
    converged = A.net_from_ledger(ledger, GraphFilter())
    _, q_converged = cohesion.partition(converged)
    monkeypatch.setattr(cohesion, "LEIDEN_CONVERGE_MAX_TIES", 10)
    large = A.net_from_ledger(ledger, GraphFilter())
    membership, q = cohesion.partition(large)
    weights = large.weights("weight").tolist()
    with seeded(0):
        reference = large.g.community_leiden(objective_function="modularity", weights=weights,
                                             n_iterations=cohesion.LEIDEN_ITERATIONS)
    # the same partition, up to the numbering of the communities
    pairs = set(zip(membership.tolist(), reference.membership, strict=True))
    assert len(pairs) == len(set(membership.tolist())) == len(set(reference.membership))
    assert q == pytest.approx(large.g.modularity(reference.membership, weights=weights))
    assert q_converged >= q - 1e-9
