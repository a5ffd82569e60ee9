"""Spectral centralities: eigenvector and PageRank. Edge weight enters as tie **strength**.

Examples
--------
>>> import networkx as nx
>>> eigenvector(nx.star_graph(3), weight=None).round(4).tolist()
[0.7071, 0.4082, 0.4082, 0.4082]
>>> pagerank(nx.cycle_graph(4), weight=None).round(6).tolist()
[0.25, 0.25, 0.25, 0.25]
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from .engine import Net, as_net, seeded

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["eigenvector", "eigenvector_values", "pagerank", "pagerank_values"]


def eigenvector(G, weight: str | None = "weight") -> pd.Series:
    """Leading eigenvector of the weighted adjacency matrix, scaled to Euclidean length 1.

    Notes
    -----
    :math:`\\lambda x_i = \\sum_j w_{ij} x_j`, :math:`\\|x\\|_2 = 1`, :math:`x \\ge 0` (as
    ``nx.eigenvector_centrality(G, weight="weight")``). Where the largest eigenvalue belongs to
    several components (two components alike, or a link layer of separate pairs), any mix of their
    eigenvectors is a leading eigenvector; the one defined here is the limit of the power iteration
    from equal scores (what networkx's iteration converges to): the projection of the all-ones
    vector on that eigenspace, :math:`x \\propto \\sum_c (\\mathbf 1 \\cdot v_c)\\, v_c` over
    the components *c* whose leading eigenvector :math:`v_c` has the largest eigenvalue. So
    organisations in equivalent positions get equal values, and components with a smaller
    eigenvalue get 0. On a graph without ties every organisation gets :math:`1/\\sqrt{n}`, as in
    networkx. ARPACK's random start is seeded, so that results are the same from run to run.

    References
    ----------
    Bonacich, P. (1972). Factoring and weighting approaches to status scores and clique
    identification. *Journal of Mathematical Sociology* 2(1), 113–120.
    """
    net = as_net(G)
    return net.series(eigenvector_values(net, weight), "eigenvector")


#: Eigenvalues within this relative distance of the largest count as equal to it.
EIGENVALUE_TOLERANCE = 1e-9


def eigenvector_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """:func:`eigenvector` of each vertex of ``net``, in vertex order."""
    if net.n == 0:
        return np.zeros(0)
    if net.m == 0:
        return np.full(net.n, 1 / np.sqrt(net.n))
    w = net.weights(weight)
    vector, value = _leading(net.g, w)
    edges = net.edges()
    strength = np.bincount(edges[:, 0], w, minlength=net.n) + np.bincount(edges[:, 1], w, minlength=net.n)
    membership = np.asarray(net.g.connected_components().membership)
    # a component's largest eigenvalue is at most its largest strength: only those can tie
    top_strength = np.zeros(membership.max() + 1)
    np.maximum.at(top_strength, membership, strength)
    candidates = np.flatnonzero(top_strength >= value * (1 - EIGENVALUE_TOLERANCE))
    if len(candidates) <= 1:
        values = np.abs(vector)
        values[values < 1e-12] = 0.0
        return values / np.linalg.norm(values)
    leading = []
    for component in candidates.tolist():
        members = np.flatnonzero(membership == component)
        inside = (membership[edges[:, 0]] == component)
        local = np.searchsorted(members, edges[inside])
        sub = net.g.subgraph_edges(np.flatnonzero(inside).tolist(), delete_vertices=True) if len(members) > 64 \
            else None
        part, eigenvalue = _leading(sub, w[inside]) if sub is not None else _dense_leading(len(members), local,
                                                                                         w[inside])
        if sub is not None:  # subgraph_edges keeps the vertices in increasing order, as `members`
            part = np.abs(part)
        leading.append((eigenvalue, members, part / np.linalg.norm(part)))
    top = max(eigenvalue for eigenvalue, _, _ in leading)
    values = np.zeros(net.n)
    for eigenvalue, members, part in leading:
        if eigenvalue >= top * (1 - EIGENVALUE_TOLERANCE):
            values[members] = part.sum() * part
    return values / np.linalg.norm(values)


def _leading(g, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """igraph's leading eigenvector (seeded ARPACK) and eigenvalue of ``g`` with edge ``weights``."""
    with warnings.catch_warnings(), seeded():
        warnings.simplefilter("ignore", RuntimeWarning)
        vector, value = g.eigenvector_centrality(scale=False, weights=weights.tolist(), return_eigenvalue=True)
    return np.asarray(vector, dtype=float), float(value)


def _dense_leading(n: int, edges: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """The leading eigenpair of a small component, from its dense adjacency matrix (LAPACK)."""
    matrix = np.zeros((n, n))
    matrix[edges[:, 0], edges[:, 1]] = weights
    matrix[edges[:, 1], edges[:, 0]] = weights
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    return np.abs(eigenvectors[:, -1]), float(eigenvalues[-1])


def pagerank(G, weight: str | None = "weight", alpha: float = 0.85) -> pd.Series:
    """PageRank with damping ``alpha``: the share of time a random walk along ties spends at an organisation.

    Notes
    -----
    :math:`PR_i = \\frac{1-\\alpha}{n} + \\alpha \\sum_j \\frac{w_{ij}}{s_j} PR_j` (isolated
    organisations spread their share uniformly); the values sum to 1. As ``nx.pagerank(G,
    alpha=0.85, weight="weight")``, computed as an eigenvector (ARPACK) rather than by power iteration.

    References
    ----------
    Brin, S., Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
    *Computer Networks and ISDN Systems* 30(1–7), 107–117.
    """
    net = as_net(G)
    return net.series(pagerank_values(net, weight, alpha), "pagerank")


def pagerank_values(net: Net, weight: str | None = "weight", alpha: float = 0.85) -> np.ndarray:
    """:func:`pagerank` of each vertex of ``net``, in vertex order."""
    if net.n == 0:
        return np.zeros(0)
    # ARPACK: as exact as PRPACK here (1e-12 against networkx at tol 1e-13) and, unlike PRPACK's
    # OpenMP loop, not slowed down by a busy machine
    with seeded():
        values = net.g.pagerank(directed=False, damping=alpha, weights=net.weights(weight).tolist(),
                                implementation="arpack")
    return np.asarray(values, dtype=float)
