"""Counting measures: degree, strength, breadth (link types) and diversity (entropy over the eight links).

Each measure ``x(G)`` returns a Series indexed by node id; ``x_values(net)`` computes it, in the
vertex order of a :class:`~cojian_graph.analysis.engine.Net`, without pandas.

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> G = collaboration_graph(tiny_ledger())
>>> degree(G).to_dict(), strength(G).to_dict()
({'a': 2.0, 'b': 2.0, 'c': 2.0, 'd': 0.0}, {'a': 4.0, 'b': 3.0, 'c': 3.0, 'd': 0.0})
>>> breadth(G).to_dict()
{'a': 3.0, 'b': 2.0, 'c': 2.0, 'd': 0.0}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .engine import COUNT_COLUMNS, Net, as_net

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "breadth",
    "breadth_values",
    "degree",
    "degree_values",
    "diversity",
    "diversity_values",
    "link_count_values",
    "link_counts",
    "strength",
    "strength_values",
    "strongest_tie_values",
]


def degree_values(net: Net) -> np.ndarray:
    """:func:`degree` of each vertex of ``net``, as floats in vertex order."""
    return np.asarray(net.g.degree(), dtype=float)


def strength_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """:func:`strength` of each vertex of ``net``, in vertex order."""
    edges = net.edges()
    w = net.weights(weight)
    out = np.bincount(edges[:, 0], w, minlength=net.n) + np.bincount(edges[:, 1], w, minlength=net.n)
    return out.astype(float)  # bincount gives integers when there are no edges


def strongest_tie_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """The weight of each vertex's strongest tie, in vertex order (0 without ties)."""
    out = np.zeros(net.n)
    if net.m:
        edges, w = net.edges(), net.weights(weight)
        np.maximum.at(out, edges[:, 0], w)
        np.maximum.at(out, edges[:, 1], w)
    return out


def link_count_values(net: Net) -> np.ndarray:
    """:func:`link_counts` as an ``(n, 8)`` int64 array in vertex order."""
    out = np.zeros((net.n, len(COUNT_COLUMNS)), dtype=np.int64)
    if net.edge_counts is not None and net.m:
        edges = net.edges()
        np.add.at(out, edges[:, 0], net.edge_counts)
        np.add.at(out, edges[:, 1], net.edge_counts)
    return out


def breadth_values(net: Net) -> np.ndarray:
    """:func:`breadth` of each vertex of ``net``, as floats in vertex order."""
    return (link_count_values(net) > 0).sum(axis=1).astype(float)


def diversity_values(net: Net) -> np.ndarray:
    """:func:`diversity` of each vertex of ``net``, in vertex order."""
    columns = [net.numeric(column) for column in COUNT_COLUMNS]
    if net.n and all(column is not None for column in columns):
        counts = np.asfortranarray(np.column_stack(columns))  # column-major, as the DataFrame gave it: same sums
    else:
        counts = link_count_values(net).astype(float)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(total > 0, counts / np.where(total > 0, total, 1), 0.0)
        terms = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1)), 0.0)
    return terms.sum(axis=1) + 0.0


def degree(G) -> pd.Series:
    """Number of partners: organisations with at least one joint activity with this one.

    Notes
    -----
    :math:`k_i = |N(i)|`. Edge weight is not used. Same as ``dict(G.degree())`` in networkx
    (not divided by n − 1).

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
    *Social Networks* 1(3), 215–239.
    """
    net = as_net(G)
    return net.series(degree_values(net), "degree")


def strength(G, weight: str | None = "weight") -> pd.Series:
    """Joint activities: the sum of the weights of an organisation's ties.

    Notes
    -----
    :math:`s_i = \\sum_j w_{ij}`, ``w`` = joint activities of the pair. Same as
    ``dict(G.degree(weight="weight"))`` in networkx; equals :func:`degree` when ``weight`` is None.

    References
    ----------
    Barrat, A., Barthélemy, M., Pastor-Satorras, R., Vespignani, A. (2004). The architecture of
    complex weighted networks. *PNAS* 101(11), 3747–3752.
    """
    net = as_net(G)
    return net.series(strength_values(net, weight), "strength")


def link_counts(G) -> pd.DataFrame:
    """Organisation × link: joint activities of each link type over the organisation's ties.

    Each row sums the ``n_<link>`` counts of the organisation's edges (zeros when the graph does
    not carry per-link counts).
    """
    import pandas as pd

    net = as_net(G)
    return pd.DataFrame(link_count_values(net), index=pd.Index(net.ids, name="id"), columns=list(COUNT_COLUMNS))


def breadth(G) -> pd.Series:
    """Number of distinct link types (0–8) among an organisation's ties.

    Notes
    -----
    :math:`b_i = |\\{\\ell : \\exists j,\\ n^{\\ell}_{ij} > 0\\}|`, the multiplexity of the
    organisation over all its ties. Edge weight is not used; on one link layer it is 0 or 1.

    References
    ----------
    Verbrugge, L. M. (1979). Multiplexity in adult friendships. *Social Forces* 57(4), 1286–1309.
    """
    net = as_net(G)
    return net.series(breadth_values(net), "breadth")


def diversity(G) -> pd.Series:
    """Shannon entropy (natural log) of an organisation's activities over the eight links.

    Notes
    -----
    :math:`H_i = -\\sum_{\\ell} p_{i\\ell} \\ln p_{i\\ell}`, where :math:`p_{i\\ell}` is the share of
    organisation *i*'s activities that are of link type :math:`\\ell`; 0 for an organisation with
    one link type or none, at most :math:`\\ln 8 \\approx 2.079` when its activities are spread
    evenly over the eight links. Uses the node attributes ``n_<link>`` (activities per link, as in
    the ledger view) when the graph has them, else the per-link counts of its ties. Edge weight is
    not used.

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical Journal*
    27(3), 379–423.
    """
    net = as_net(G)
    return net.series(diversity_values(net), "diversity")
