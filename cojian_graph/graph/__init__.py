"""Graph building: the activity graph, the collaboration graph, layers and filtered views."""

from .build import (
    COUNT_COLUMNS,
    activity_graph,
    collaboration_edges,
    collaboration_graph,
    edge_columns,
    graph_from_tables,
    link_profile,
    node_columns,
    node_table,
)
from .filters import GraphFilter, drawn_graph, filter_ledger, filtered_edges, filtered_graph, layer_graphs

__all__ = [
    "COUNT_COLUMNS",
    "GraphFilter",
    "activity_graph",
    "collaboration_edges",
    "collaboration_graph",
    "drawn_graph",
    "edge_columns",
    "filter_ledger",
    "filtered_edges",
    "filtered_graph",
    "graph_from_tables",
    "layer_graphs",
    "link_profile",
    "node_columns",
    "node_table",
]
