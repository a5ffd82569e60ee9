"""Aggregated views: a large network shown as its groups (circles, sectors or communities).

A province's ledger has 10^4–10^5 organisations; drawn one by one they make a solid disk. The
aggregate draws one node per group, sized by its organisations, and one tie per pair of groups that
worked together, weighted by their joint activities. :func:`aggregated_graph` builds it from a view
(:class:`~cojian_graph.graph.GraphFilter`); :func:`group_of` says which group each organisation is
in, so that a map can drill into one group.

What a group node holds (``G.nodes[group]``):

- ``name`` / ``name_en``: the group's label; ``circle`` or ``sector`` when grouped by them;
- ``organizations``: how many organisations the view has in the group;
- ``activities`` and ``n_<link>``: the distinct activities its members took part in (per link);
- ``inner_ties``: the ties between two of its members; ``inner_activities``: the distinct
  activities with at least two of its members.

What a tie between two groups holds: ``weight`` (= ``joint``) the distinct activities with members
of both, ``n_<link>`` the same per link, ``multiplexity`` the links among them, ``ties`` the
organisation pairs across the two groups that are tied in the view, ``tie_weight`` the sum of those
ties' weights. ``G.graph`` holds ``by``, ``organizations``, ``ties`` (of the detailed view),
``activities_per_link`` (distinct activities of the view per link) and ``hidden_ties`` (ties inside
groups, which the aggregate does not draw as edges).

>>> from cojian_graph.testing import tiny_ledger
>>> A = aggregated_graph(tiny_ledger(), by="circle")
>>> sorted(A.nodes(data="organizations"))
[('circle:external', 2), ('circle:focal', 1), ('circle:internal', 1)]
>>> A.edges["circle:focal", "circle:external"]["weight"], A.edges["circle:focal", "circle:external"]["ties"]
(2, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CojianError
from ..model import CIRCLES, LINK_IDS, SECTORS, label_of
from .build import graph_from_tables
from .filters import GraphFilter, filter_ledger, filtered_graph, view_tables

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from ..ledger import Ledger

__all__ = ["AGGREGATE_ABOVE", "GROUP_BY", "aggregated_graph", "drawn_as", "group_of", "grouped_until",
           "grouped_view"]

#: How organisations can be grouped: id → (Chinese, English) name of the grouping.
GROUP_BY = {"circle": ("圈层", "Circle"), "sector": ("领域", "Sector"), "community": ("社群", "Community")}
#: Views with more organisations than this open on their aggregate in the explorer's map.
AGGREGATE_ABOVE = 1_500
_NOT_GIVEN = ("未注明", "Not given")


def drawn_as(by: str) -> tuple[str, str]:
    """How a picture of the groups is sized and coloured (``size_by``, ``color_by``): by their
    organisations, and by sector when grouped by sector, else by circle."""
    return "organizations", "sector" if by == "sector" else "circle"


def group_of(nodes: pd.DataFrame, by: str, communities: np.ndarray | None = None) -> np.ndarray:
    """The group key of each row of a node table (``id``, ``circle``, ``sector``): the circle, the
    sector ("" when not given) or, with ``by="community"``, ``str(number)`` from ``communities`` (one
    number per row, as :func:`cojian_graph.analysis.community` gives; −1 for none)."""
    if by not in GROUP_BY:
        raise CojianError(f"未知的分组方式 unknown grouping: {by!r}; 可选 valid: {', '.join(GROUP_BY)}")
    if by == "community":
        if communities is None or len(communities) != len(nodes):
            raise CojianError("按社群汇总需要每个组织的社群编号 / grouping by community needs every "
                              "organisation's community number")
        return np.asarray([str(int(number)) for number in communities], dtype=object)
    return nodes[by].fillna("").astype(str).to_numpy(dtype=object)


def _label(by: str, key: str) -> tuple[str, str]:
    if by == "community":
        number = int(key)
        return (f"社群 {number + 1}", f"Community {number + 1}") if number >= 0 else _NOT_GIVEN
    registry = CIRCLES if by == "circle" else SECTORS
    return (label_of(registry, key, "zh"), label_of(registry, key, "en")) if key else _NOT_GIVEN


def aggregated_graph(ledger: Ledger, spec: GraphFilter | None = None, *, by: str = "circle",
                     communities: np.ndarray | None = None, groups_of: Mapping[str, str] | None = None) -> nx.Graph:
    """The view ``spec`` selects, one node per group of organisations (``by``: see :data:`GROUP_BY`;
    ``communities`` as :func:`group_of` takes them, in the view's node order; ``groups_of``, an
    organisation's group key given instead, as :func:`grouped_until` gives it). Raises as
    :func:`~cojian_graph.graph.filtered_graph`."""
    import pandas as pd

    spec = (spec or GraphFilter()).normalized()
    nodes, edges = view_tables(ledger, spec, evidence=False)
    if groups_of is None:
        keys = group_of(nodes, by, communities)
    else:  # an organisation the groups do not know (none, in a view's earlier ledger) gets its own key
        known = [groups_of.get(org) for org in nodes["id"].tolist()]
        if None in known:
            own = group_of(nodes, by, np.full(len(nodes), -1)) if by == "community" else group_of(nodes, by)
            known = [key if key is not None else fallback for key, fallback in zip(known, own.tolist(), strict=True)]
        keys = np.asarray(known, dtype=object)
    group = dict(zip(nodes["id"].tolist(), keys.tolist(), strict=True))
    node_id = {key: f"{by}:{key}" for key in set(keys.tolist())}

    # which groups each activity of the view reached, through the view's organisations
    view = filter_ledger(ledger, spec)
    part = view.participations
    part = part[part["organization_id"].isin(group)]
    link_of = dict(zip(view.column("activities", "id").tolist(),
                       view.column("activities", "link_type").tolist(), strict=True))
    reach = pd.DataFrame({"activity": part["activity_id"].to_numpy(),
                          "group": part["organization_id"].map(group).to_numpy()})
    members = reach.groupby(["activity", "group"], sort=False).size().rename("members").reset_index()
    members["link"] = members["activity"].map(link_of)

    # group nodes: organisations, distinct activities per link, ties and activities inside
    rows = []
    per_group = members.groupby("group", sort=False)
    link_counts = members.groupby(["group", "link"], sort=False).size()
    inside = members[members["members"] >= 2].groupby("group", sort=False).size()
    sources, targets = edges["source"].map(group), edges["target"].map(group)
    same = (sources == targets).to_numpy()
    inner_ties = sources[same].value_counts()
    sizes = pd.Series(keys).value_counts()
    for key, count in sizes.items():
        zh, en = _label(by, key)
        row = {"id": node_id[key], "name": zh, "name_en": en, "kind": "",
               "circle": key if by == "circle" else "", "sector": key if by == "sector" else "",
               "organizations": int(count),
               "activities": int(per_group.size().get(key, 0)),
               "inner_ties": int(inner_ties.get(key, 0)), "inner_activities": int(inside.get(key, 0))}
        for link in LINK_IDS:
            row[f"n_{link}"] = int(link_counts.get((key, link), 0))
        rows.append(row)
    group_nodes = pd.DataFrame(rows)

    # ties between groups: distinct joint activities (pairs of groups an activity reached)
    pairs = members.merge(members, on="activity", suffixes=("_u", "_v"))
    pairs = pairs[pairs["group_u"] < pairs["group_v"]]
    joint = pairs.groupby(["group_u", "group_v", "link_u"], sort=False).size().unstack(fill_value=0)
    joint = joint.reindex(columns=list(LINK_IDS), fill_value=0)
    across = pd.DataFrame({"u": np.where(sources < targets, sources, targets)[~same],
                           "v": np.where(sources < targets, targets, sources)[~same],
                           "w": edges["weight"].to_numpy(dtype=float)[~same]})
    ties = across.groupby(["u", "v"], sort=False)["w"].agg(ties="size", tie_weight="sum")
    group_edges = pd.DataFrame({
        "source": [node_id[u] for u, _ in joint.index], "target": [node_id[v] for _, v in joint.index],
        "weight": joint.sum(axis=1).to_numpy().astype(int),
        "multiplexity": (joint > 0).sum(axis=1).to_numpy().astype(int),
        **{f"n_{link}": joint[link].to_numpy().astype(int) for link in LINK_IDS},
        "ties": [int(ties["ties"].get((u, v), 0)) for u, v in joint.index],
        "tie_weight": [float(ties["tie_weight"].get((u, v), 0.0)) for u, v in joint.index],
    })
    group_edges["joint"] = group_edges["weight"]
    members_of: dict[str, list[str]] = {node: [] for node in node_id.values()}
    for org, key in group.items():  # one pass, in the view's order (not one per group)
        members_of[node_id[key]].append(org)
    view_links = pd.Series([link_of[activity] for activity in members["activity"].unique()], dtype=object)
    per_link = view_links.value_counts()
    return graph_from_tables(
        group_nodes, group_edges, by=by, filter=spec, ledger_hash=ledger.content_hash(),
        organizations=len(nodes), ties=len(edges), hidden_ties=int(same.sum()),
        activities_per_link={link: int(per_link.get(link, 0)) for link in LINK_IDS},
        groups=members_of,
    )


def grouped_until(ledger: Ledger, spec: GraphFilter, whole: nx.Graph) -> nx.Graph:
    """The groups of ``whole`` (the aggregated view ``spec``, as :func:`grouped_view` makes it) in
    ``ledger``, the view's ledger as it stood at an earlier date (activities dated up to then): every
    organisation stays in the group it has in the whole view (a community keeps its number), so that
    each year shows the same groups, in the same places, growing."""
    groups_of = {org: node.split(":", 1)[1] for node, orgs in whole.graph["groups"].items() for org in orgs}
    return aggregated_graph(ledger, spec, by=whole.graph["by"], groups_of=groups_of)


def grouped_view(ledger: Ledger, spec: GraphFilter, G: nx.Graph | None, by: str) -> nx.Graph:
    """:func:`aggregated_graph` of the view ``spec``, whose graph ``G`` is (as
    :func:`~cojian_graph.graph.filtered_graph` makes it; None: made here if needed). By community, the numbers
    are Leiden's on ``G``; the other groups need no graph of every organisation (at 10^5 organisations, 7.7 s
    and half the memory of a grouped image)."""
    communities = None
    if by == "community":
        from ..analysis import community

        if G is None:
            G = filtered_graph(ledger, spec, evidence=False)
        communities = community(G).reindex(list(G)).to_numpy()
    return aggregated_graph(ledger, spec, by=by, communities=communities)
