"""The activity graph and the collaboration graph (cojian_graph.graph.build).

Figures come from hand counting (the tiny ledgers, drawn in the comments) and from networkx's own
``bipartite.weighted_projected_graph`` on the activity graph, the outside reference for weights.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from networkx.algorithms import bipartite

from cojian_graph.graph import (
    COUNT_COLUMNS,
    activity_graph,
    collaboration_edges,
    collaboration_graph,
    graph_from_tables,
    link_profile,
    node_table,
)
from cojian_graph.ledger import Ledger
from cojian_graph.model import LINK_IDS
from cojian_graph.synth import synthetic_ledger

EDGE_COLUMNS = ["source", "target", "weight", "multiplexity", *COUNT_COLUMNS, "activities"]


def make_ledger(orgs: list[str], acts: list[tuple[str, str, str]], parts: list[tuple[str, str]]) -> Ledger:
    """A ledger from ids: acts as (id, link, date), parts as (activity id, organisation id)."""
    organizations = pd.DataFrame(
        {"id": orgs, "name": [f"组织{o}" for o in orgs], "name_en": orgs, "kind": "party_branch",
         "circle": ["focal", *["internal"] * (len(orgs) - 1)][: len(orgs)], "sector": "company"})
    activities = pd.DataFrame(
        [(a, f"活动{a}", a, link, date, "", "", "test") for a, link, date in acts],
        columns=["id", "title", "title_en", "link_type", "date", "description", "outcome", "source"])
    participations = pd.DataFrame([(a, o, "partner") for a, o in parts],
                                  columns=["activity_id", "organization_id", "role"])
    return Ledger.from_frames(organizations, activities, participations, validate=False)


@pytest.fixture
def five():
    """Five organisations p–t, five activities.

        y1 learning: p q r s   → six pairs, one each
        y2 learning: p q
        y3 culture:  p q
        y4 service:  r          (alone: no edge)
        y5 brand:    s t
    p–q: y1 y2 y3 → weight 3, learning 2, culture 1, multiplexity 2
    t: only y5 with s → weight 1;  every other pair of p q r s: y1 only → weight 1
    """
    return make_ledger(
        ["p", "q", "r", "s", "t"],
        [("y1", "learning", "2020"), ("y2", "learning", "2021"), ("y3", "culture", ""),
         ("y4", "service", "2022"), ("y5", "brand", "2023-05")],
        [("y1", "p"), ("y1", "q"), ("y1", "r"), ("y1", "s"), ("y2", "q"), ("y2", "p"),
         ("y3", "p"), ("y3", "q"), ("y4", "r"), ("y5", "t"), ("y5", "s")],
    )


def edge(edges: pd.DataFrame, u: str, v: str) -> pd.Series:
    u, v = min(u, v), max(u, v)
    rows = edges[(edges["source"] == u) & (edges["target"] == v)]
    assert len(rows) == 1, (u, v)
    return rows.iloc[0]


def reference_weights(ledger: Ledger, links=None) -> dict[frozenset, int]:
    """Edge weights by networkx's weighted projection of the bipartite activity graph."""
    B = activity_graph(ledger)
    if links is not None:
        drop = [n for n, d in B.nodes(data=True) if d["bipartite"] == 1 and d["link_type"] not in links]
        B.remove_nodes_from(drop)
    orgs = [n for n, d in B.nodes(data=True) if d["bipartite"] == 0]
    if len(orgs) == len(B):  # no activity of these links: networkx refuses to project
        return {}
    P = bipartite.weighted_projected_graph(B, orgs)
    return {frozenset((u[4:], v[4:])): w for u, v, w in P.edges(data="weight")}


def our_weights(edges: pd.DataFrame, column: str = "weight") -> dict[frozenset, int]:
    return {frozenset((s, t)): int(w) for s, t, w in zip(edges["source"], edges["target"], edges[column],
                                                         strict=True) if w}


# -- the tiny ledger of cojian_graph.testing ------------------------------------------------------


def test_tiny_edges_by_hand(tiny):
    edges = collaboration_edges(tiny)
    assert list(edges.columns) == EDGE_COLUMNS
    assert len(edges) == 3
    ab, ac, bc = edge(edges, "a", "b"), edge(edges, "a", "c"), edge(edges, "b", "c")
    assert (ab["weight"], ab["multiplexity"], ab["n_learning"], ab["n_brand"]) == (2, 2, 1, 1)
    assert ab["activities"] == ("x1", "x2")
    assert (ac["weight"], ac["multiplexity"], ac["n_brand"], ac["n_service"]) == (2, 2, 1, 1)
    assert ac["activities"] == ("x2", "x3")
    assert (bc["weight"], bc["multiplexity"], bc["n_brand"]) == (1, 1, 1)
    assert bc["activities"] == ("x2",)
    assert (edges["source"] < edges["target"]).all()


def test_tiny_counts_of_other_links_are_zero(tiny):
    ab = edge(collaboration_edges(tiny), "a", "b")
    others = [f"n_{link}" for link in LINK_IDS if link not in ("learning", "brand")]
    assert all(ab[column] == 0 for column in others)


def test_tiny_graph_keeps_the_isolated_organisation(tiny):
    G = collaboration_graph(tiny)
    assert set(G) == {"a", "b", "c", "d"}
    assert G.degree("d") == 0
    assert G.number_of_edges() == 3
    assert G.nodes["d"]["name"] == "地方小学团支部"
    assert G.nodes["d"]["circle"] == "external"
    assert G.nodes["d"]["activities"] == 1
    assert G.nodes["d"]["n_mass_org"] == 1
    assert G.nodes["a"]["activities"] == 3
    assert (G.nodes["a"]["n_learning"], G.nodes["a"]["n_brand"], G.nodes["a"]["n_service"]) == (1, 1, 1)
    assert G.edges["c", "a"]["activities"] == ("x2", "x3")
    assert G.graph["ledger_hash"] == tiny.content_hash()


def test_tiny_link_profile_and_node_table(tiny):
    profile = link_profile(tiny)
    assert list(profile.index) == ["a", "b", "c", "d"]
    assert list(profile.columns) == list(LINK_IDS)
    assert profile.loc["b"].to_dict() == {**dict.fromkeys(LINK_IDS, 0), "learning": 1, "brand": 1}
    assert profile.loc["d", "mass_org"] == 1
    assert profile.to_numpy().sum() == 8  # one per participation
    nodes = node_table(tiny)
    assert list(nodes["id"]) == ["a", "b", "c", "d"]
    assert list(nodes["activities"]) == [3, 2, 2, 1]


# -- a second hand-checked ledger -----------------------------------------------------------------


def test_five_by_hand(five):
    edges = collaboration_edges(five)
    # p q r s pairwise (6) from y1, plus s–t from y5
    assert len(edges) == 7
    pq = edge(edges, "q", "p")
    assert (pq["weight"], pq["n_learning"], pq["n_culture"], pq["multiplexity"]) == (3, 2, 1, 2)
    assert pq["activities"] == ("y1", "y2", "y3")
    for u, v in [("p", "r"), ("p", "s"), ("q", "r"), ("q", "s"), ("r", "s")]:
        row = edge(edges, u, v)
        assert (row["weight"], row["n_learning"], row["activities"]) == (1, 1, ("y1",))
    st = edge(edges, "s", "t")
    assert (st["weight"], st["n_brand"], st["activities"]) == (1, 1, ("y5",))
    assert edges["n_service"].sum() == 0  # y4 had one participant


def test_duplicate_participation_rows_count_once(five):
    doubled = Ledger(five.organizations, five.activities,
                     pd.concat([five.participations, five.participations.iloc[:3]], ignore_index=True))
    pd.testing.assert_frame_equal(collaboration_edges(doubled), collaboration_edges(five))
    pd.testing.assert_frame_equal(link_profile(doubled), link_profile(five))
    assert list(node_table(doubled)["activities"]) == list(node_table(five)["activities"])


def test_evidence_is_sorted_by_activity_id_not_by_row_order():
    ledger = make_ledger(["u", "v"], [("k3", "brand", ""), ("k1", "brand", ""), ("k2", "talent", "")],
                         [("k3", "v"), ("k3", "u"), ("k1", "u"), ("k2", "v"), ("k1", "v"), ("k2", "u")])
    uv = edge(collaboration_edges(ledger), "u", "v")
    assert uv["activities"] == ("k1", "k2", "k3")
    assert (uv["weight"], uv["n_brand"], uv["n_talent"], uv["multiplexity"]) == (3, 2, 1, 2)


def test_without_evidence_the_counts_are_the_same(five):
    full, bare = collaboration_edges(five), collaboration_edges(five, evidence=False)
    pd.testing.assert_frame_equal(full.drop(columns="activities"), bare.drop(columns="activities"))
    assert all(value == () for value in bare["activities"])


def test_no_joint_activity_gives_an_empty_table_and_isolated_nodes():
    ledger = make_ledger(["u", "v", "w"], [("k1", "brand", ""), ("k2", "culture", "")],
                         [("k1", "u"), ("k2", "v")])
    edges = collaboration_edges(ledger)
    assert list(edges.columns) == EDGE_COLUMNS
    assert edges.empty
    assert edges["weight"].dtype == "int64"
    G = collaboration_graph(ledger)
    assert set(G) == {"u", "v", "w"} and G.number_of_edges() == 0


def test_empty_ledger():
    ledger = make_ledger(["u"], [], [])
    assert collaboration_edges(ledger).empty
    assert list(collaboration_graph(ledger)) == ["u"]
    assert link_profile(ledger).loc["u"].sum() == 0


# -- the bipartite activity graph -----------------------------------------------------------------


def test_activity_graph(tiny):
    B = activity_graph(tiny)
    orgs = {n for n, d in B.nodes(data=True) if d["bipartite"] == 0}
    acts = {n for n, d in B.nodes(data=True) if d["bipartite"] == 1}
    assert orgs == {"org:a", "org:b", "org:c", "org:d"}
    assert acts == {"act:x1", "act:x2", "act:x3", "act:x4"}
    assert bipartite.is_bipartite_node_set(B, orgs)
    assert B.number_of_edges() == 8
    assert B.edges["org:a", "act:x1"]["role"] == "host"
    assert B.nodes["act:x2"]["link_type"] == "brand"
    assert B.nodes["org:d"]["kind_of_node"] == "organization"
    assert sorted(B["act:x2"]) == ["org:a", "org:b", "org:c"]


def test_ids_that_look_alike_across_tables_stay_apart():
    # an organisation and an activity may share an id; the prefixes keep them apart
    ledger = make_ledger(["same", "v"], [("same", "brand", "")], [("same", "same"), ("same", "v")])
    B = activity_graph(ledger)
    assert B.number_of_nodes() == 3
    assert edge(collaboration_edges(ledger), "same", "v")["weight"] == 1


# -- against networkx's weighted projection -------------------------------------------------------


@pytest.mark.parametrize("name", ["tiny", "five", "synthetic", "bundled"])
def test_weights_equal_networkx_weighted_projection(name, request):
    ledger = synthetic_ledger(150, 600, seed=4) if name == "synthetic" else request.getfixturevalue(name)
    edges = collaboration_edges(ledger)
    assert our_weights(edges) == reference_weights(ledger)


@pytest.mark.parametrize("name", ["tiny", "five", "synthetic", "bundled"])
def test_per_link_counts_equal_the_projection_of_each_link(name, request):
    ledger = synthetic_ledger(80, 300, seed=9) if name == "synthetic" else request.getfixturevalue(name)
    edges = collaboration_edges(ledger)
    for link in LINK_IDS:
        assert our_weights(edges, f"n_{link}") == reference_weights(ledger, links={link}), link


def test_multiplexity_is_the_number_of_links_with_a_projection_edge():
    ledger = synthetic_ledger(60, 400, seed=2)
    expected: dict[frozenset, int] = {}
    for link in LINK_IDS:
        for pair in reference_weights(ledger, links={link}):
            expected[pair] = expected.get(pair, 0) + 1
    assert our_weights(collaboration_edges(ledger), "multiplexity") == expected


def test_graph_from_tables_round_trip(five):
    nodes, edges = node_table(five), collaboration_edges(five)
    G = graph_from_tables(nodes, edges, label="five")
    assert G.graph["label"] == "five"
    assert set(G) == set(nodes["id"])
    back = nx.to_pandas_edgelist(G)
    assert our_weights(back) == our_weights(edges)
    assert G.edges["p", "q"]["n_learning"] == 2
    assert G.nodes["t"]["n_brand"] == 1


# -- the benchmark section runs and checks itself ---------------------------------------------------


@pytest.mark.slow
def test_benchmark_section_quick(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent))  # the repository root
    import benchmarks
    from benchmarks import Context, Result, format_table, graph_build

    results = graph_build.run(Context(quick=True, data_dir=tmp_path, log=lambda message: None))
    compared = [r for r in results if r.baseline is not None]
    assert compared and all(r.ours > 0 and r.baseline > 0 for r in compared)
    assert all("weights agree" in r.note for r in compared if r.what.startswith("edge table"))
    assert list(tmp_path.glob("synth-*.pickle"))  # cached for the next run
    table = format_table("T", [Result("x", "n", 0.5, 2.0), Result("y", "n", None)])
    assert "| x | n | 0.500 | 2.000 | 4.0× |" in table
    assert "| y | n | – | – |" in table
    assert benchmarks.best_of(lambda: 7, repeat=2)[1] == 7


def test_a_meeting_too_large_to_pair_is_refused_before_memory_is_taken(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from cojian_graph.cli import main
    from cojian_graph.errors import CojianError
    from cojian_graph.graph import build
    from cojian_graph.io import write_ledger

    ledger = synthetic_ledger(300, 200, seed=2, mass_meeting=250)
    build.collaboration_edges(ledger)  # within the limit
    monkeypatch.setattr(build, "MAX_PAIRS", 250 * 249 // 2)  # the meeting alone fills it now
    with pytest.raises(CojianError, match=r"MASS \(250\)"):
        build.collaboration_edges(ledger)
    write_ledger(ledger, tmp_path / "ledger")
    result = CliRunner().invoke(main, ["rank", str(tmp_path / "ledger")])
    assert result.exit_code == 1 and result.stderr.startswith("错误 error:") and "MASS (250)" in result.stderr
