"""Tie-weighting schemes: the plain count of joint activities and Newman's collaboration weight."""

from __future__ import annotations

import networkx as nx
import pytest

from cojian_graph.analysis import strength
from cojian_graph.analysis.engine import net_from_ledger
from cojian_graph.errors import CojianError
from cojian_graph.graph import GraphFilter, collaboration_edges, filtered_graph
from cojian_graph.synth import synthetic_ledger
from cojian_graph.testing import tiny_ledger


def _weights(edges) -> dict:
    return {(s, t): w for s, t, w in zip(edges["source"], edges["target"], edges["weight"], strict=True)}


def test_newman_weights_of_the_tiny_ledger_by_hand():
    # x1 (a, b): k = 2 adds 1/1; x2 (a, b, c): k = 3 adds 1/2 to each pair; x3 (a, c): k = 2 adds 1
    edges = collaboration_edges(tiny_ledger(), tie_weight="newman")
    assert _weights(edges) == {("a", "b"): 1.5, ("a", "c"): 1.5, ("b", "c"): 0.5}
    assert edges["weight"].dtype == "float64"
    # the count is unchanged beside it: the per-link counts still add up to the joint activities
    assert edges[["n_learning", "n_brand", "n_service"]].sum(axis=1).tolist() == [2, 2, 1]
    assert _weights(collaboration_edges(tiny_ledger())) == {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1}


def test_newman_weights_equal_networkx_collaboration_projection():
    ledger = synthetic_ledger(60, 150, seed=3)
    B = nx.Graph()
    part = ledger.participations
    orgs = set(part["organization_id"])
    B.add_nodes_from(orgs, bipartite=0)
    B.add_edges_from(zip(part["organization_id"], "act:" + part["activity_id"], strict=True))
    reference = nx.bipartite.collaboration_weighted_projected_graph(B, orgs)
    ours = _weights(collaboration_edges(ledger, tie_weight="newman"))
    assert len(ours) == reference.number_of_edges()
    for (u, v), weight in ours.items():
        assert weight == pytest.approx(reference.edges[u, v]["weight"], rel=1e-12)


def test_a_filtered_view_keeps_the_activity_size_of_the_whole_ledger():
    # keeping only focal and internal organisations leaves x2 with a and b, but it had 3 participants
    G = filtered_graph(tiny_ledger(), GraphFilter(circles=("focal", "internal"), tie_weight="newman"))
    assert G.edges["a", "b"]["weight"] == pytest.approx(1.5)
    net = net_from_ledger(tiny_ledger(), GraphFilter(circles=("focal", "internal"), tie_weight="newman"))
    assert net.weights().tolist() == [1.5]


@pytest.mark.parametrize("spec", [GraphFilter(tie_weight="newman", focus="b", hops=1),
                                  GraphFilter(tie_weight="newman", min_weight=2),
                                  GraphFilter(tie_weight="newman", focus="O03", hops=2, min_weight=2)])
def test_networkx_and_igraph_views_agree_under_newman(spec):
    ledger = tiny_ledger() if spec.focus == "b" or spec.focus is None else synthetic_ledger(80, 200, seed=5)
    G = filtered_graph(ledger, spec)
    net = net_from_ledger(ledger, spec)
    assert set(G.nodes) == set(net.ids)
    ours = {tuple(sorted((net.ids[u], net.ids[v]))): w
            for (u, v), w in zip(net.edges().tolist(), net.weights().tolist(), strict=True)}
    theirs = {tuple(sorted((u, v))): d["weight"] for u, v, d in G.edges(data=True)}
    assert ours.keys() == theirs.keys()
    for key, weight in ours.items():
        assert weight == pytest.approx(theirs[key], rel=1e-12)


def test_min_weight_counts_joint_activities_whatever_the_weighting():
    G = filtered_graph(tiny_ledger(), GraphFilter(tie_weight="newman", min_weight=2))
    assert sorted(G.edges()) == [("a", "b"), ("a", "c")]  # b-c has one joint activity (weight 0.5)


def test_strength_under_newman_is_the_sum_of_shares():
    # Newman: an organisation's strength is the number of its activities that had a partner
    values = strength(filtered_graph(tiny_ledger(), GraphFilter(tie_weight="newman")))
    assert values.to_dict() == {"a": 3.0, "b": 2.0, "c": 2.0, "d": 0.0}


def test_unknown_tie_weight_is_refused():
    with pytest.raises(CojianError, match="newman"):
        GraphFilter(tie_weight="jaccard").normalized()
    with pytest.raises(CojianError, match="unknown tie weight"):
        collaboration_edges(tiny_ledger(), tie_weight="jaccard")
