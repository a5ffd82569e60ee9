"""Invariants of the collaboration graph for any ledger (hypothesis).

The reference is computed here from the participations with plain Python sets: the activities of
an organisation, and the intersection of two organisations' activities.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import combinations

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cojian_graph.graph import GraphFilter, collaboration_edges, collaboration_graph, filtered_graph
from cojian_graph.ledger import Ledger
from cojian_graph.model import LINK_IDS

CIRCLE_IDS = ("focal", "internal", "external")
SECTOR_IDS = ("company", "group", "education")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ids = st.text(alphabet="abz09甲乙_", min_size=1, max_size=3)


@st.composite
def ledgers(draw, min_parts: bool = False) -> Ledger:
    """Small ledgers with any ids; ``min_parts``: every activity has at least two participants."""
    org_ids = draw(st.lists(ids, min_size=1, max_size=7, unique=True))
    act_ids = draw(st.lists(ids, min_size=0, max_size=10, unique=True))
    n = len(org_ids)
    organizations = pd.DataFrame({
        "id": org_ids, "name": org_ids, "name_en": org_ids, "kind": "party_branch",
        "circle": draw(st.lists(st.sampled_from(CIRCLE_IDS), min_size=n, max_size=n)),
        "sector": draw(st.lists(st.sampled_from(SECTOR_IDS), min_size=n, max_size=n)),
    })
    rows, parts = [], []
    for act in act_ids:
        link = draw(st.sampled_from(LINK_IDS))
        year = draw(st.one_of(st.none(), st.integers(2019, 2024)))
        rows.append((act, act, act, link, "" if year is None else str(year), "", "", ""))
        low = min(2, n) if min_parts else 0
        members = draw(st.lists(st.sampled_from(org_ids), min_size=low, max_size=n + 2))  # repeats too
        parts.extend((act, org, "partner") for org in members)
    activities = pd.DataFrame(rows, columns=["id", "title", "title_en", "link_type", "date",
                                             "description", "outcome", "source"])
    participations = pd.DataFrame(parts, columns=["activity_id", "organization_id", "role"])
    if draw(st.booleans()):
        participations = participations.sample(frac=1, random_state=draw(st.integers(0, 9)))
    return Ledger.from_frames(organizations, activities, participations, validate=False)


def activities_of(ledger: Ledger, keep=lambda act: True) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {org: set() for org in ledger.organizations["id"]}
    for act, org in zip(ledger.participations["activity_id"], ledger.participations["organization_id"],
                        strict=True):
        if keep(act):
            out[org].add(act)
    return out


def reference_pairs(ledger: Ledger, keep=lambda act: True) -> dict[tuple[str, str], set[str]]:
    """(u, v) with u < v → the activities both took part in, for every pair with at least one."""
    acts = activities_of(ledger, keep)
    pairs = {}
    for u, v in combinations(sorted(acts), 2):
        common = acts[u] & acts[v]
        if common:
            pairs[(u, v)] = common
    return pairs


@SETTINGS
@given(ledgers())
def test_edges_match_set_intersections(ledger):
    link_of = dict(zip(ledger.activities["id"], ledger.activities["link_type"], strict=True))
    expected = reference_pairs(ledger)
    edges = collaboration_edges(ledger)
    got = {(s, t): row for s, t, row in zip(edges["source"], edges["target"], edges.to_dict("records"),
                                           strict=True)}
    assert set(got) == set(expected)
    for pair, common in expected.items():
        row = got[pair]
        assert row["weight"] == len(common)
        per_link = Counter(link_of[act] for act in common)
        assert {link: row[f"n_{link}"] for link in LINK_IDS} == {link: per_link[link] for link in LINK_IDS}
        assert sum(row[f"n_{link}"] for link in LINK_IDS) == row["weight"]
        assert row["multiplexity"] == sum(row[f"n_{link}"] > 0 for link in LINK_IDS) == len(per_link)
        assert row["activities"] == tuple(sorted(common))
        assert len(row["activities"]) == row["weight"]


@SETTINGS
@given(ledgers())
def test_graph_has_every_organisation_and_the_node_counts(ledger):
    G = collaboration_graph(ledger)
    assert set(G) == set(ledger.organizations["id"])
    acts = activities_of(ledger)
    for org, mine in acts.items():
        assert G.nodes[org]["activities"] == len(mine)
    assert G.number_of_edges() == len(reference_pairs(ledger))


filters = st.builds(
    GraphFilter,
    links=st.lists(st.sampled_from(LINK_IDS), max_size=3).map(tuple),
    circles=st.lists(st.sampled_from(CIRCLE_IDS), max_size=2).map(tuple),
    sectors=st.lists(st.sampled_from(SECTOR_IDS), max_size=2).map(tuple),
    year_min=st.one_of(st.none(), st.integers(2019, 2024)),
    year_max=st.one_of(st.none(), st.integers(2024, 2025)),
    include_undated=st.booleans(),
    min_weight=st.integers(1, 3),
    hops=st.integers(0, 2),
)


@SETTINGS
@given(ledgers(), filters, st.data())
def test_filters_never_add_edges_or_weight(ledger, spec, data):
    if data.draw(st.booleans()):
        spec = replace(spec, focus=data.draw(st.sampled_from(list(ledger.organizations["id"]))))
    whole = collaboration_graph(ledger)
    view = filtered_graph(ledger, spec)
    assert set(view) <= set(whole)
    for u, v, weight in view.edges(data="weight"):
        assert whole.has_edge(u, v)
        assert weight <= whole.edges[u, v]["weight"]
        assert weight >= spec.min_weight
        assert set(view.edges[u, v]["activities"]) <= set(whole.edges[u, v]["activities"])


@SETTINGS
@given(ledgers(), st.lists(st.sampled_from(LINK_IDS), min_size=1, max_size=4))
def test_link_filter_equals_intersections_over_those_links(ledger, links):
    link_of = dict(zip(ledger.activities["id"], ledger.activities["link_type"], strict=True))
    expected = reference_pairs(ledger, keep=lambda act: link_of[act] in links)
    view = filtered_graph(ledger, GraphFilter(links=tuple(links)))
    assert {tuple(sorted((u, v))): w for u, v, w in view.edges(data="weight")} == {
        pair: len(common) for pair, common in expected.items()}


@SETTINGS
@given(ledgers(min_parts=True), st.one_of(st.builds(GraphFilter, hops=st.integers(1, 2)), filters), st.data())
def test_focus_view_is_networkx_ego_graph_of_the_view(ledger, spec, data):
    import networkx as nx

    focus = data.draw(st.sampled_from(list(ledger.organizations["id"])))
    whole_view = filtered_graph(ledger, spec)
    view = filtered_graph(ledger, replace(spec, focus=focus))
    if focus not in whole_view:  # filtered out by circle or sector
        assert view.number_of_nodes() == 0
        return
    ego = nx.ego_graph(whole_view, focus, radius=spec.hops)
    event(f"ego graph of {min(len(ego), 3)}+ nodes")
    assert set(view) == set(ego)
    assert {frozenset(e): w for *e, w in view.edges(data="weight")} == {
        frozenset(e): w for *e, w in ego.edges(data="weight")}
    assert all(view.nodes[n] == ego.nodes[n] for n in view)
