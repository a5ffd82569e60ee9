"""Path-based centralities: betweenness, closeness, harmonic.

Edge weight enters as a **distance**: a tie of ``w`` joint activities has length ``1 / w``, so
close partners are near. ``weight=None`` counts every tie as one step. Values are normalised as
networkx normalises them by default, so they compare with published tables.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(3)
>>> betweenness(G, weight=None).tolist(), closeness(G, weight=None).round(3).tolist()
([0.0, 1.0, 0.0], [0.667, 1.0, 0.667])
>>> harmonic(G, weight=None).tolist()
[1.5, 2.0, 1.5]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .engine import as_net

__all__ = ["betweenness", "closeness", "harmonic", "start_betweenness"]


def start_betweenness(G, weight: str | None = "weight") -> bool:
    """Start computing betweenness in a forked child, so that the next :func:`betweenness` call on
    the same :class:`Net` collects it while this process computes other measures meanwhile.

    Does nothing (returns False) for small graphs or where forking is not safe (see
    :func:`~cojian_graph.analysis.engine.can_fork`); the values are the same either way.
    """
    from .engine import PARALLEL_MIN_NODES, can_fork, in_child

    net = as_net(G)
    if net.n < PARALLEL_MIN_NODES or ("betweenness", weight) in net.cache or not can_fork():
        return False
    distances = net.distances(weight)
    net.cache[("betweenness", weight)] = in_child(lambda: net.g.betweenness(directed=False, weights=distances))
    return True


def betweenness(G, weight: str | None = "weight", normalized: bool = True) -> pd.Series:
    """Share of shortest paths between other pairs that pass through an organisation.

    Notes
    -----
    :math:`C_B(v) = \\sum_{s \\ne v \\ne t} \\sigma_{st}(v) / \\sigma_{st}`, with lengths
    :math:`1/w`, divided by :math:`(n-1)(n-2)/2` when ``normalized`` (networkx's default for
    undirected graphs; 0 for graphs of fewer than three nodes). Equals
    ``nx.betweenness_centrality(G, weight=<1/w>)``.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness. *Sociometry*
    40(1), 35–41. Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology* 25(2), 163–177.
    """
    net = as_net(G)
    if net.n == 0:
        return net.series([], "betweenness")
    values = None
    pending = net.cache.pop(("betweenness", weight), None)  # started in a child by start_betweenness
    if pending is not None:
        values = pending()
    if values is None or len(values) != net.n:
        values = np.asarray(net.g.betweenness(directed=False, weights=net.distances(weight)), dtype=float)
    if normalized:
        values = values * (2.0 / ((net.n - 1) * (net.n - 2))) if net.n > 2 else np.zeros(net.n)
    return net.series(values, "betweenness")


def closeness(G, weight: str | None = "weight") -> pd.Series:
    """How near an organisation is to the others it can reach (Wasserman–Faust for disconnected graphs).

    Notes
    -----
    :math:`C_C(u) = \\frac{r-1}{\\sum_{v} d(u, v)} \\cdot \\frac{r-1}{n-1}`, summing over the
    :math:`r-1` organisations reachable from *u*, with lengths :math:`1/w`; 0 for an isolated
    organisation. Equals ``nx.closeness_centrality(G, distance=<1/w>)`` (``wf_improved=True``).

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual clarification. *Social
    Networks* 1(3), 215–239. Wasserman, S., Faust, K. (1994). *Social Network Analysis*, CUP, p. 201.
    """
    net = as_net(G)
    if net.n == 0:
        return net.series([], "closeness")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        raw = np.asarray(net.g.closeness(weights=net.distances(weight), normalized=True), dtype=float)
    membership = np.asarray(net.g.connected_components().membership)
    reach = np.bincount(membership)[membership] - 1  # r - 1
    values = raw * reach / (net.n - 1) if net.n > 1 else np.zeros(net.n)
    return net.series(np.nan_to_num(values, nan=0.0), "closeness")


def harmonic(G, weight: str | None = "weight") -> pd.Series:
    """Sum of inverse distances to every other organisation (unreachable ones add 0).

    Notes
    -----
    :math:`C_H(u) = \\sum_{v \\ne u} 1 / d(u, v)`, lengths :math:`1/w`, not normalised (as
    ``nx.harmonic_centrality(G, distance=<1/w>)``). Well defined on disconnected graphs.

    References
    ----------
    Marchiori, M., Latora, V. (2000). Harmony in the small-world. *Physica A* 285(3–4), 539–546.
    Boldi, P., Vigna, S. (2014). Axioms for centrality. *Internet Mathematics* 10(3–4), 222–262.
    """
    net = as_net(G)
    if net.n == 0:
        return net.series([], "harmonic")
    values = net.g.harmonic_centrality(weights=net.distances(weight), normalized=False)
    return net.series(values, "harmonic")
