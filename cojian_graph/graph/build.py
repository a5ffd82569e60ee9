"""The derived views of a ledger: the activity graph and the collaboration graph.

The collaboration graph is computed as an edge table first (:func:`collaboration_edges`, vectorised
pandas, no Python loop per ledger row) and turned into a networkx graph second
(:func:`collaboration_graph`). Large-network code can stay with the tables.

Examples
--------
>>> from cojian_graph.graph.build import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> G = collaboration_graph(tiny_ledger())
>>> G.edges["a", "b"]["weight"], G.edges["a", "b"]["multiplexity"], G.edges["a", "b"]["activities"]
(2, 2, ('x1', 'x2'))
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..ledger import Ledger
from ..model import LINK_IDS

__all__ = [
    "COUNT_COLUMNS",
    "activity_graph",
    "collaboration_edges",
    "collaboration_graph",
    "link_profile",
    "node_table",
]

#: Edge-table columns holding the count of joint activities per link type, in registry order.
COUNT_COLUMNS: tuple[str, ...] = tuple(f"n_{link}" for link in LINK_IDS)

EDGE_COLUMNS = ["source", "target", "weight", "multiplexity", *COUNT_COLUMNS, "activities"]


def collaboration_edges(ledger: Ledger, *, evidence: bool = True) -> pd.DataFrame:
    """One row per pair of organisations that took part in at least one activity together.

    Parameters
    ----------
    ledger : Ledger
    evidence : bool
        Also collect the ids of the activities behind each edge (column ``activities``, a tuple
        sorted by id). Skipping it saves time on very large ledgers.

    Returns
    -------
    DataFrame
        ``source``, ``target`` (organisation ids, ``source < target``), ``weight`` (number of joint
        activities), ``multiplexity`` (number of distinct link types, 0–8), ``n_<link>`` (joint
        activities per link type) and ``activities``.
    """
    part = ledger.participations[["activity_id", "organization_id"]].drop_duplicates()
    link_of = ledger.activities.set_index("id")["link_type"]
    org_codes, org_ids = pd.factorize(part["organization_id"], sort=True)
    act_codes, act_ids = pd.factorize(part["activity_id"], sort=True)
    pairs_in = pd.DataFrame({"act": act_codes, "org": org_codes})
    pairs = pairs_in.merge(pairs_in, on="act", suffixes=("_a", "_b"))
    pairs = pairs[pairs["org_a"] < pairs["org_b"]]
    if pairs.empty:
        return pd.DataFrame({column: pd.Series(dtype=_edge_dtype(column)) for column in EDGE_COLUMNS})

    link_codes = pd.Categorical(link_of.reindex(act_ids).to_numpy(), categories=list(LINK_IDS)).codes
    pairs = pairs.assign(link=link_codes[pairs["act"].to_numpy()])
    counts = (
        pairs.groupby(["org_a", "org_b", "link"], sort=True).size().unstack("link", fill_value=0)
        .reindex(columns=range(len(LINK_IDS)), fill_value=0)
    )
    counts.columns = list(COUNT_COLUMNS)
    matrix = counts.to_numpy()
    edges = pd.DataFrame(
        {
            "source": np.asarray(org_ids)[counts.index.get_level_values(0)],
            "target": np.asarray(org_ids)[counts.index.get_level_values(1)],
            "weight": matrix.sum(axis=1),
            "multiplexity": (matrix > 0).sum(axis=1),
        }
    )
    for position, column in enumerate(COUNT_COLUMNS):
        edges[column] = matrix[:, position]
    if evidence:
        # act codes follow sorted activity ids, so sorting codes sorts the evidence by id
        grouped = pairs.sort_values("act").groupby(["org_a", "org_b"], sort=True)["act"]
        act_array = np.asarray(act_ids, dtype=object)
        edges["activities"] = [tuple(act_array[codes]) for codes in grouped.agg(list)]
    else:
        edges["activities"] = [()] * len(edges)
    return edges.reset_index(drop=True)


def link_profile(ledger: Ledger) -> pd.DataFrame:
    """Organisation × link matrix: how many activities of each link type each organisation took part in.

    Every organisation of the ledger is a row (zeros where it took part in nothing); columns are
    the link ids in registry order.
    """
    part = ledger.participations[["activity_id", "organization_id"]].drop_duplicates()
    link_of = ledger.activities.set_index("id")["link_type"]
    part = part.assign(link_type=link_of.reindex(part["activity_id"]).to_numpy())
    table = pd.crosstab(part["organization_id"], part["link_type"])
    return (
        table.reindex(index=ledger.organizations["id"], columns=list(LINK_IDS), fill_value=0)
        .fillna(0).astype(int).rename_axis(index="id", columns=None)
    )


def node_table(ledger: Ledger) -> pd.DataFrame:
    """The organisations with their link profile: id, name, name_en, kind, circle, sector, n_<link>, activities."""
    profile = link_profile(ledger)
    nodes = ledger.organizations[["id", "name", "name_en", "kind", "circle", "sector"]].copy()
    counts = profile.reindex(nodes["id"]).to_numpy()
    for position, column in enumerate(COUNT_COLUMNS):
        nodes[column] = counts[:, position]
    nodes["activities"] = (
        ledger.participations.drop_duplicates(["activity_id", "organization_id"])["organization_id"]
        .value_counts().reindex(nodes["id"], fill_value=0).to_numpy()
    )
    return nodes.reset_index(drop=True)


def collaboration_graph(ledger: Ledger, *, evidence: bool = True) -> nx.Graph:
    """The collaboration graph: organisations, an edge where two took part in the same activity.

    Every organisation of the ledger is a node, isolated ones included, with attributes ``name``,
    ``name_en``, ``kind``, ``circle``, ``sector``, ``activities`` (how many it took part in) and
    ``n_<link>``. Edges carry the columns of :func:`collaboration_edges`; ``activities`` is a tuple
    of activity ids. ``G.graph["ledger_hash"]`` names the ledger it came from.
    """
    return graph_from_tables(node_table(ledger), collaboration_edges(ledger, evidence=evidence),
                             ledger_hash=ledger.content_hash())


def graph_from_tables(nodes: pd.DataFrame, edges: pd.DataFrame, **graph_attrs) -> nx.Graph:
    """A networkx graph from a node table (column ``id``) and an edge table (``source``, ``target``)."""
    G = nx.Graph(**graph_attrs)
    records = nodes.set_index("id").to_dict("index")
    G.add_nodes_from(records.items())
    attrs = [column for column in edges.columns if column not in ("source", "target")]
    columns = [edges[column].tolist() for column in attrs]
    G.add_edges_from(
        (source, target, dict(zip(attrs, values, strict=True)))
        for source, target, *values in zip(edges["source"].tolist(), edges["target"].tolist(), *columns,
                                           strict=True)
    )
    return G


def activity_graph(ledger: Ledger) -> nx.Graph:
    """The bipartite activity graph: organisations (``bipartite=0``) and activities (``bipartite=1``).

    Node ids are prefixed to keep the two sets apart: ``"org:<id>"`` and ``"act:<id>"``; each node
    has ``kind_of_node`` ("organization" or "activity") and ``id``. Edges carry the ``role``.
    """
    B = nx.Graph()
    orgs = ledger.organizations
    B.add_nodes_from(
        (f"org:{row['id']}", {"bipartite": 0, "kind_of_node": "organization", **row})
        for row in orgs[["id", "name", "name_en", "kind", "circle", "sector"]].to_dict("records")
    )
    acts = ledger.activities
    B.add_nodes_from(
        (f"act:{row['id']}", {"bipartite": 1, "kind_of_node": "activity", **row})
        for row in acts[["id", "title", "title_en", "link_type", "date"]].to_dict("records")
    )
    part = ledger.participations
    B.add_edges_from(
        (f"org:{org}", f"act:{act}", {"role": role})
        for act, org, role in zip(part["activity_id"], part["organization_id"], part["role"], strict=True)
    )
    return B


def _edge_dtype(column: str):
    if column in ("source", "target", "activities"):
        return object
    return "int64"
