"""Measures on the collaboration graph, the rank table and the network summary.

Every measure takes a networkx graph (or the igraph-backed :class:`Net` that
:func:`net_from_ledger` builds) and returns a Series indexed by organisation id; its array function
(``Measure.values``) gives the same values in a Net's vertex order without pandas. The registry
:data:`MEASURES` lists them with their definition, formula, weight use and reference.
:func:`rank_table` is :func:`rank_columns` (numpy columns) as a DataFrame.

Examples
--------
>>> from cojian_graph.analysis import rank_table
>>> from cojian_graph.testing import tiny_ledger
>>> rank_table(tiny_ledger(), top=2)["id"].tolist()
['a', 'b']
"""

from .basic import breadth, degree, diversity, link_counts, strength
from .brokerage import (
    brokerage_roles,
    brokerage_total,
    constraint,
    coordinator,
    effective_size,
    gatekeeper,
    itinerant,
    liaison,
)
from .circulation import ei_index, ei_index_groups, ei_index_network
from .cohesion import communities, community, core, modularity
from .composite import DEFAULT_WEIGHTS, combine, composite_index
from .engine import Net, as_net, net_from_graph, net_from_ledger, net_from_tables
from .paths import betweenness, closeness, harmonic
from .rank import rank_columns, rank_columns_from_graph, rank_table, rank_table_from_graph
from .registry import DEFAULT_MEASURES, FAMILIES, MEASURES, Measure, resolve_measures
from .spectral import eigenvector, pagerank
from .summary import network_summary

__all__ = [
    "DEFAULT_MEASURES",
    "DEFAULT_WEIGHTS",
    "FAMILIES",
    "MEASURES",
    "Measure",
    "Net",
    "as_net",
    "betweenness",
    "breadth",
    "brokerage_roles",
    "brokerage_total",
    "closeness",
    "combine",
    "communities",
    "community",
    "composite_index",
    "constraint",
    "coordinator",
    "core",
    "degree",
    "diversity",
    "effective_size",
    "ei_index",
    "ei_index_groups",
    "ei_index_network",
    "eigenvector",
    "gatekeeper",
    "harmonic",
    "itinerant",
    "liaison",
    "link_counts",
    "modularity",
    "net_from_graph",
    "net_from_ledger",
    "net_from_tables",
    "network_summary",
    "pagerank",
    "rank_columns",
    "rank_columns_from_graph",
    "rank_table",
    "rank_table_from_graph",
    "resolve_measures",
    "strength",
]
