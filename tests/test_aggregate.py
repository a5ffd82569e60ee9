"""Aggregated views (cojian_graph.graph.aggregate): hand computations on the tiny ledger, and totals
that must equal the detailed view's, counted again here with plain Python from the ledger's rows."""

from __future__ import annotations

import collections
import itertools

import pytest

from cojian_graph.errors import CojianError
from cojian_graph.graph import GraphFilter, filtered_graph
from cojian_graph.graph.aggregate import aggregated_graph
from cojian_graph.model import LINK_IDS
from cojian_graph.synth import synthetic_ledger
from cojian_graph.testing import tiny_ledger


def test_the_tiny_ledger_by_circle_matches_a_hand_count():
    # a focal; b internal; c, d external. x1 learning a-b; x2 brand a-b-c; x3 service a-c; x4 mass_org d
    A = aggregated_graph(tiny_ledger(), by="circle")
    assert set(A) == {"circle:focal", "circle:internal", "circle:external"}
    external = A.nodes["circle:external"]
    assert (external["organizations"], external["activities"], external["inner_ties"]) == (2, 3, 0)
    assert (external["n_brand"], external["n_service"], external["n_mass_org"], external["n_learning"]) == (1, 1, 1, 0)
    assert (external["name"], external["name_en"]) == ("外联（集团及地方）", "External (group and locality)")
    fi = A.edges["circle:focal", "circle:internal"]
    assert (fi["weight"], fi["n_learning"], fi["n_brand"], fi["multiplexity"], fi["ties"]) == (2, 1, 1, 2, 1)
    ie = A.edges["circle:internal", "circle:external"]
    assert (ie["weight"], ie["n_brand"], ie["ties"], ie["tie_weight"]) == (1, 1, 1, 1.0)
    fe = A.edges["circle:focal", "circle:external"]
    assert (fe["weight"], fe["n_brand"], fe["n_service"], fe["ties"], fe["tie_weight"]) == (2, 1, 1, 1, 2.0)
    assert A.graph["organizations"] == 4 and A.graph["ties"] == 3 and A.graph["hidden_ties"] == 0
    assert A.graph["groups"]["circle:external"] == ["c", "d"]


@pytest.fixture(scope="module")
def big():
    return synthetic_ledger(1000, 3000, seed=3)


@pytest.mark.parametrize("by", ["circle", "sector", "community"])
def test_the_aggregates_totals_equal_the_detailed_views(big, by):
    G = filtered_graph(big, GraphFilter())
    communities = None
    if by == "community":
        from cojian_graph.analysis import community

        communities = community(G).reindex(list(G)).to_numpy()
    A = aggregated_graph(big, by=by, communities=communities)
    group = {org: key for key, orgs in A.graph["groups"].items() for org in orgs}
    # organisations and ties
    assert sum(count for _, count in A.nodes(data="organizations")) == G.number_of_nodes() == len(group)
    inner = sum(count for _, count in A.nodes(data="inner_ties"))
    across = sum(count for _, _, count in A.edges(data="ties"))
    assert inner + across == G.number_of_edges() == A.graph["ties"]
    assert inner == A.graph["hidden_ties"]
    assert sum(w for _, _, w in A.edges(data="tie_weight")) == pytest.approx(
        sum(w for u, v, w in G.edges(data="weight") if group[u] != group[v]))
    # activities per link and per group, and joint activities between groups, from the rows
    link = dict(zip(big.activities["id"], big.activities["link_type"], strict=True))
    reached = collections.defaultdict(set)
    for org, act in zip(big.participations["organization_id"], big.participations["activity_id"], strict=True):
        reached[act].add(group[org])
    per_link = collections.Counter(link[act] for act in reached)
    assert A.graph["activities_per_link"] == {key: per_link.get(key, 0) for key in LINK_IDS}
    per_group = collections.Counter((key, link[act]) for act, keys in reached.items() for key in keys)
    for node, data in A.nodes(data=True):
        assert [data[f"n_{key}"] for key in LINK_IDS] == [per_group[(node, key)] for key in LINK_IDS]
    joint = collections.Counter(frozenset(pair) for keys in reached.values()
                                for pair in itertools.combinations(sorted(keys), 2))
    assert {frozenset((u, v)): w for u, v, w in A.edges(data="weight")} == dict(joint)


def test_an_unknown_grouping_is_a_clear_error():
    with pytest.raises(CojianError, match="unknown grouping"):
        aggregated_graph(tiny_ledger(), by="colour")
    with pytest.raises(CojianError, match="community number"):
        aggregated_graph(tiny_ledger(), by="community")


def test_a_groups_tooltip_and_picture_say_what_a_group_stands_for():
    from cojian_graph.render.network_html import node_tooltip

    A = aggregated_graph(tiny_ledger(), by="circle")
    assert node_tooltip(A, "circle:external", lang="en").splitlines()[2] == (
        "Organisations: 2 · Activities: 3 · Ties inside: 0 · Groups worked with: 2")


def test_the_picture_of_an_aggregate_counts_groups_and_the_organisations_behind_them(tmp_path):
    pytest.importorskip("matplotlib")
    from pypdf import PdfReader

    from cojian_graph import export

    ledger = synthetic_ledger(300, 900, seed=2)
    A = aggregated_graph(ledger, by="sector")
    path = tmp_path / "groups.pdf"
    path.write_bytes(export.image_bytes(A, ledger, "pdf", size_by="organizations", color_by="sector", lang="en"))
    text = PdfReader(path).pages[0].extract_text()
    assert f"{A.number_of_nodes()} groups standing for 300 organisations" in text


def test_ties_between_groups_are_drawn_wider_as_they_are_stronger():
    from cojian_graph.render.style import edge_styles

    A = aggregated_graph(synthetic_ledger(1000, 3000, seed=3), by="sector")
    styles = edge_styles(A)
    weights = {pair: A.edges[pair]["weight"] for pair in styles}
    strongest, weakest = max(weights, key=weights.get), min(weights, key=weights.get)
    assert weights[weakest] < weights[strongest]
    assert styles[strongest].width == 8.0 and styles[weakest].width < styles[strongest].width
    # the same order as the weights
    ordered = sorted(styles, key=weights.get)
    assert [styles[pair].width for pair in ordered] == sorted(styles[pair].width for pair in ordered)
    assert styles[ordered[len(ordered) // 2]].width < 8.0  # a middling tie is not drawn as the strongest


@pytest.mark.parametrize("by", ["sector", "community"])
def test_groups_of_sectors_or_communities_are_plain_dots_without_a_circle_legend(by):
    """A group of a sector mixes circles: its shape says nothing, and the legend once listed every group under
    "circle not given" (未注明圈层)."""
    from cojian_graph.graph.aggregate import grouped_view
    from cojian_graph.render.style import legend_entries, node_styles

    ledger = tiny_ledger()
    G = grouped_view(ledger, GraphFilter(), filtered_graph(ledger), by)  # communities: Leiden's, as the map's
    assert {style.shape for style in node_styles(G, size_by="organizations").values()} == {"dot"}
    assert not [entry for entry in legend_entries(G, color_by="sector") if entry.kind == "shape"]
    circles = aggregated_graph(tiny_ledger(), by="circle")  # groups of circles keep the circles' shapes
    assert {style.shape for style in node_styles(circles, size_by="organizations").values()} == {"star", "dot",
                                                                                                  "diamond"}
    assert {entry.key for entry in legend_entries(circles) if entry.kind == "shape"} == {"focal", "internal",
                                                                                         "external"}


@pytest.mark.parametrize("by", ["circle", "community"])
def test_a_years_groups_are_the_whole_views_with_that_years_organisations_and_ties(big, by):
    """The groups at the end of a year (the map's year slider on groups): the same groups as the whole
    view's, each organisation in its whole-view group, and totals equal to the detailed view of the
    activities dated up to then (networkx's graph of that ledger)."""
    import numpy as np

    from cojian_graph.analysis.timeline import activities_only, periods_of
    from cojian_graph.graph.aggregate import grouped_until, grouped_view

    spec = GraphFilter()
    whole = grouped_view(big, spec, filtered_graph(big, spec), by)
    whole_group = {org: key for key, orgs in whole.graph["groups"].items() for org in orgs}
    years = periods_of(big.column("activities", "date"))
    first = int(years[years >= 0].min())
    for year in (first, first + 2):
        until = activities_only(big, (years >= 0) & (years <= year))
        A = grouped_until(until, spec, whole)
        G = filtered_graph(until, spec)
        assert set(A) <= set(whole)
        assert {org: key for key, orgs in A.graph["groups"].items() for org in orgs} == {
            org: whole_group[org] for org in G}
        inner = sum(count for _, count in A.nodes(data="inner_ties"))
        assert inner + sum(count for _, _, count in A.edges(data="ties")) == G.number_of_edges() == A.graph["ties"]
        assert sum(A.graph["activities_per_link"].values()) == int(np.isin(
            until.column("activities", "id"), until.column("participations", "activity_id")).sum())
        assert A.graph["ties"] < whole.graph["ties"]  # the network grew after the first years


@pytest.mark.parametrize("by", ["circle", "sector", "community"])
def test_groups_made_without_the_views_graph_are_the_groups_made_from_it(big, by):
    """An export of groups passes no graph of every organisation (the groups of circles and sectors need
    none; communities make it, without evidence): the groups, their figures and their ties are the same."""
    from cojian_graph.graph.aggregate import grouped_view

    spec = GraphFilter(min_weight=1)
    made = grouped_view(big, spec, None, by)
    given = grouped_view(big, spec, filtered_graph(big, spec), by)
    assert len(made) > 2 and made.number_of_edges() > 0
    assert dict(made.nodes(data=True)) == dict(given.nodes(data=True))
    assert sorted(made.edges(data=True)) == sorted(given.edges(data=True))
    assert made.graph["groups"] == given.graph["groups"]
