"""Measures against values published for classic networks and against hand computations.

Published values
----------------
Padgett's Florentine families, marriage network (Padgett & Ansell 1993, "Robust action and the rise
of the Medici", American Journal of Sociology 98(6):1259–1319), as in ``nx.florentine_families_graph()``
(the 15 connected families; Pucci, isolated, left out). The raw (unnormalised) betweenness scores are
those published for this network in the statnet tutorials for the ``flomarriage`` data of the R
package ``ergm`` (``sna::betweenness(flomarriage)``; Pucci 0), and in Wasserman & Faust (1994),
*Social Network Analysis*, ch. 5, which uses this network as its running example: Medici 47.5,
Guadagni 23.167, Albizzi 19.333, Salviati 13, Ridolfi 10.333, Bischeri 9.5, Strozzi 9.333,
Barbadori 8.5, Tornabuoni 8.333, Castellani 5, Peruzzi 2, the others 0.

Zachary's karate club (Zachary 1977, J. Anthropological Research 33(4):452–473): the maximum
modularity of any partition is Q = 0.4198 (Brandes et al. 2008, "On modularity clustering",
IEEE TKDE 20(2):172–188, found by integer linear programming); Leiden comes within 0.01 of it,
no method can exceed it.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from cojian_graph import analysis as A
from cojian_graph.errors import CojianError

FLORENTINE_BETWEENNESS = {
    "Medici": 47.5, "Guadagni": 23.167, "Albizzi": 19.333, "Salviati": 13.0, "Ridolfi": 10.333,
    "Bischeri": 9.5, "Strozzi": 9.333, "Barbadori": 8.5, "Tornabuoni": 8.333, "Castellani": 5.0,
    "Peruzzi": 2.0, "Acciaiuoli": 0.0, "Ginori": 0.0, "Lamberteschi": 0.0, "Pazzi": 0.0,
}


@pytest.fixture
def florentine():
    return nx.florentine_families_graph()


def test_florentine_betweenness_reproduces_published_table(florentine):
    raw = A.betweenness(florentine, weight=None, normalized=False)
    for family, published in FLORENTINE_BETWEENNESS.items():
        assert raw[family] == pytest.approx(published, abs=5e-4), family
    # normalised as networkx does: divided by (n-1)(n-2)/2 = 91 for n = 15
    assert A.betweenness(florentine, weight=None)["Medici"] == pytest.approx(47.5 / 91)


def test_florentine_degree_and_closeness_of_the_medici(florentine):
    # Medici marry into 6 families; distances from the Medici to the 14 others sum to 25
    # (6 at distance 1, 6 at 2, 2 at 3), so closeness = 14 / 25 = 0.56, the highest of all.
    assert A.degree(florentine, )["Medici"] == 6
    closeness = A.closeness(florentine, weight=None)
    assert closeness["Medici"] == pytest.approx(14 / 25)
    assert closeness.idxmax() == "Medici"
    assert A.eigenvector(florentine, weight=None).idxmax() == "Medici"


def test_karate_modularity_close_to_the_published_optimum():
    G = nx.karate_club_graph()
    _, q = A.communities(G, weight=None, method="leiden")
    assert 0.41 <= q <= 0.4198 + 1e-4
    _, q = A.communities(G, weight=None, method="louvain")  # greedier: lands a little lower
    assert 0.37 <= q <= 0.4198 + 1e-4


# --- E-I index, by hand -----------------------------------------------------------------------------

def _circles(edges, circles):
    G = nx.Graph()
    for node, circle in circles.items():
        G.add_node(node, circle=circle)
    G.add_edges_from(edges)
    return G


def test_ei_index_by_hand():
    # f focal; i1, i2 internal; e1, e2 external.  Ties: f-i1, f-i2, f-e1, i1-i2, i1-e1, e1-e2.
    # Groups (focal counts as internal): inside {f, i1, i2}, outside {e1, e2}.
    #   f:  external e1 → E=1, I=2 → (1-2)/3 = -1/3
    #   i1: f, i2 inside, e1 outside → E=1, I=2 → -1/3
    #   i2: f, i1 → E=0, I=2 → -1
    #   e1: f, i1 outside its group, e2 inside → E=2, I=1 → 1/3
    #   e2: e1 → E=0, I=1 → -1
    # Network: between-group ties f-e1, i1-e1 → E=2; within f-i1, f-i2, i1-i2, e1-e2 → I=4 → -2/6
    # Groups: inside: internal ties 3, external 2 → (2-3)/5 = -1/5; outside: internal 1, external 2 → 1/3
    G = _circles([("f", "i1"), ("f", "i2"), ("f", "e1"), ("i1", "i2"), ("i1", "e1"), ("e1", "e2")],
                 {"f": "focal", "i1": "internal", "i2": "internal", "e1": "external", "e2": "external"})
    ei = A.ei_index(G)
    assert ei.to_dict() == pytest.approx({"f": -1 / 3, "i1": -1 / 3, "i2": -1.0, "e1": 1 / 3, "e2": -1.0})
    assert A.ei_index_network(G) == pytest.approx(-1 / 3)
    groups = A.ei_index_groups(G)
    assert groups.loc["internal", "ei_index"] == pytest.approx(-1 / 5)
    assert groups.loc["external", "ei_index"] == pytest.approx(1 / 3)
    assert groups.loc["internal", "organizations"] == 3
    # without merging, the focal organisation is a group of its own: f's ties are all external
    assert A.ei_index(G, merge={})["f"] == pytest.approx(1.0)
    # i1: f is now outside its group → E=2 (f, e1), I=1 (i2) → 1/3
    assert A.ei_index(G, merge={})["i1"] == pytest.approx(1 / 3)


def test_ei_index_weighted_by_hand():
    # a(in)-b(in) weight 3, a-c(out) weight 1: a: E=1, I=3 → -1/2; weighted network: (1-3)/4
    G = _circles([], {"a": "internal", "b": "internal", "c": "external"})
    G.add_edge("a", "b", weight=3)
    G.add_edge("a", "c", weight=1)
    assert A.ei_index(G, weight="weight")["a"] == pytest.approx(-0.5)
    assert A.ei_index(G)["a"] == pytest.approx(0.0)  # ties counted: E=1, I=1
    assert A.ei_index_network(G, weight="weight") == pytest.approx(-0.5)


# --- Gould–Fernandez brokerage roles, by hand ---------------------------------------------------------

def test_brokerage_roles_by_hand():
    # f (focal) tied to i1, i2 (internal), e1, e2 (external); i1-i2 also tied; e1 tied to e3 (external)
    # and to i2.
    # f's partner pairs: {i1,i2} tied → not open.  Open: {i1,e1}, {i1,e2}, {i2,e1}? i2-e1 tied → closed,
    #   {i2,e2}, {e1,e2}.  Groups: f focal ≠ internal ≠ external.
    #   {i1,e1}, {i1,e2}, {i2,e2}: three different groups → liaison 3
    #   {e1,e2}: both external, f focal → itinerant 1
    # e1's partners: f, e3, i2. Pairs {f,e3} open: f focal, e3 external = e1's group → gatekeeper;
    #   {f,i2} tied → closed; {e3,i2} open: e3 in e1's group, i2 not → gatekeeper. → gatekeeper 2
    # i2's partners: f, i1, e1. {f,i1} tied; {f,e1} tied; {i1,e1} open: i1 in i2's group, e1 not
    #   → gatekeeper 1
    # i1's partners: f, i2 (tied) → nothing. e2: only f. e3: only e1.
    G = _circles([("f", "i1"), ("f", "i2"), ("f", "e1"), ("f", "e2"), ("i1", "i2"), ("e1", "e3"),
                  ("e1", "i2")],
                 {"f": "focal", "i1": "internal", "i2": "internal", "e1": "external", "e2": "external",
                  "e3": "external"})
    roles = A.brokerage_roles(G)
    expected = {
        "f": {"coordinator": 0, "itinerant": 1, "gatekeeper": 0, "liaison": 3, "brokerage": 4},
        "e1": {"coordinator": 0, "itinerant": 0, "gatekeeper": 2, "liaison": 0, "brokerage": 2},
        "i2": {"coordinator": 0, "itinerant": 0, "gatekeeper": 1, "liaison": 0, "brokerage": 1},
        "i1": dict.fromkeys(["coordinator", "itinerant", "gatekeeper", "liaison", "brokerage"], 0),
        "e2": dict.fromkeys(["coordinator", "itinerant", "gatekeeper", "liaison", "brokerage"], 0),
        "e3": dict.fromkeys(["coordinator", "itinerant", "gatekeeper", "liaison", "brokerage"], 0),
    }
    assert roles.to_dict("index") == expected
    assert A.liaison(G)["f"] == 3 and A.gatekeeper(G)["e1"] == 2 and A.brokerage_total(G)["f"] == 4


def test_coordinator_role_by_hand():
    # a star of one circle: the centre coordinates C(3,2) = 3 open pairs
    G = _circles([("c", "x"), ("c", "y"), ("c", "z")], dict.fromkeys("cxyz", "internal"))
    assert A.coordinator(G)["c"] == 3
    assert A.brokerage_total(G)["c"] == 3


def test_brokerage_matches_a_plain_python_count_on_a_random_graph():
    G = nx.gnp_random_graph(40, 0.15, seed=3)
    for node in G:
        G.nodes[node]["circle"] = ("focal", "internal", "external")[node % 3]
    roles = A.brokerage_roles(G)
    for v in G:
        counts = dict.fromkeys(["coordinator", "itinerant", "gatekeeper", "liaison"], 0)
        partners = sorted(G[v])
        for i, a in enumerate(partners):
            for c in partners[i + 1:]:
                if G.has_edge(a, c):
                    continue
                ga, gc, gv = (G.nodes[x]["circle"] for x in (a, c, v))
                if ga == gc:
                    counts["coordinator" if ga == gv else "itinerant"] += 1
                elif gv in (ga, gc):
                    counts["gatekeeper"] += 1
                else:
                    counts["liaison"] += 1
        assert roles.loc[v, list(counts)].to_dict() == counts, v


# --- counts by hand -----------------------------------------------------------------------------------

def test_breadth_and_diversity_on_the_tiny_ledger(tiny):
    # a: learning 1 (x1), brand 1 (x2), service 1 (x3) → 3 link types, entropy ln 3
    # b: learning, brand → ln 2;  c: brand, service → ln 2;  d: mass_org only → 0, no ties → breadth 0
    G = A.net_from_ledger(tiny)
    assert A.breadth(G).to_dict() == {"a": 3, "b": 2, "c": 2, "d": 0}
    assert A.diversity(G).to_dict() == pytest.approx({"a": math.log(3), "b": math.log(2),
                                                      "c": math.log(2), "d": 0.0})


def test_diversity_equals_scipy_entropy():
    from scipy.stats import entropy

    G = nx.Graph()
    counts = {"n_organization": 3, "n_brand": 1, "n_activity": 0, "n_learning": 4, "n_talent": 0,
              "n_service": 2, "n_culture": 0, "n_mass_org": 0}
    G.add_node("x", **counts)
    assert A.diversity(G)["x"] == pytest.approx(entropy(list(counts.values())))


# --- degenerate graphs --------------------------------------------------------------------------------

@pytest.mark.parametrize("G", [nx.empty_graph(0), nx.empty_graph(1), nx.empty_graph(4),
                               nx.disjoint_union(nx.path_graph(3), nx.path_graph(2))],
                         ids=["null", "single", "no_ties", "two_components"])
def test_every_measure_is_defined_on_degenerate_graphs(G):
    for node in G:
        G.nodes[node]["circle"] = "internal"
    table = A.rank_table_from_graph(G, measures=list(A.MEASURES))
    assert len(table) == G.number_of_nodes()
    assert set(A.MEASURES) <= set(table.columns)
    if len(G):
        assert table["rank"].min() == 1
        # only Burt's measures and E-I are NaN, and only for organisations without ties
        isolated = [node for node in G if G.degree(node) == 0]
        for column in A.MEASURES:
            missing = set(table.loc[table[column].isna(), "id"])
            if column in ("effective_size", "constraint", "ei_index"):
                assert missing == set(isolated)
            else:
                assert not missing, column
    summary = A.network_summary(G)
    assert summary["organizations"] == len(G)


def test_single_organisation_values():
    G = nx.empty_graph(1)
    table = A.rank_table_from_graph(G)
    row = table.iloc[0]
    assert row["degree"] == 0 and row["betweenness"] == 0 and row["closeness"] == 0
    assert row["pagerank"] == pytest.approx(1.0) and row["eigenvector"] == pytest.approx(1.0)
    # eigenvector is 1/sqrt(n) on a graph without ties (as networkx), so only its share (0.20) counts
    assert row["composite"] == pytest.approx(100 * A.DEFAULT_WEIGHTS["eigenvector"]) and row["rank"] == 1
    assert math.isnan(A.network_summary(G)["average_path_length"])


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(CojianError, match="unknown measure"):
        A.resolve_measures(["nope"])
    with pytest.raises(CojianError, match="undirected"):
        A.degree(nx.DiGraph([(1, 2)]))
    G = nx.Graph()
    G.add_edge(1, 2, weight=0)
    with pytest.raises(CojianError, match="positive"):
        A.betweenness(G)
    with pytest.raises(CojianError, match="community method"):
        A.communities(nx.path_graph(3), method="magic")


def test_composite_combines_scaled_components():
    table = pd.DataFrame({"strength": [10.0, 5.0, 0.0], "constraint": [0.2, 1.0, float("nan")]})
    # strength / 10 → 1, .5, 0;  constraint reversed: (1 - x) / (1 - 0.2) → 1, 0, NaN→0
    # weights 3 and 1: (3*1 + 1*1)/4, (3*.5 + 0)/4, 0  → 100, 37.5, 0
    assert A.combine(table, {"strength": 3, "constraint": 1}).tolist() == pytest.approx([100, 37.5, 0])
    with pytest.raises(CojianError):
        A.combine(table, {"community": 1})
    with pytest.raises(CojianError):
        A.combine(table, {"strength": -1})
    with pytest.raises(CojianError):
        A.combine(table, {"strength": 0})


def test_every_measure_explains_itself_in_both_languages():
    import re

    from cojian_graph.analysis.registry import DESCRIPTIONS_ZH, MEASURES

    assert set(DESCRIPTIONS_ZH) == set(MEASURES)
    for measure in MEASURES.values():
        assert re.search(r"[\u4e00-\u9fff]{4}", measure.explain("zh")), measure.id
        assert measure.explain("en") == measure.description
