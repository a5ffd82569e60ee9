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
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .engine import Net, as_net

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "betweenness",
    "betweenness_values",
    "closeness",
    "closeness_values",
    "harmonic",
    "harmonic_values",
    "prefetch_paths",
]

PATH_MEASURES = ("betweenness", "closeness", "harmonic")


def prefetch_paths(G, weight: str | None = "weight", which: tuple[str, ...] = PATH_MEASURES, *,
                   child_share: float = 0.5) -> Callable[[], None] | None:
    """Start the path measures in ``which`` in a forked child; return a function that finishes them.

    The child takes the shortest paths from the first ``child_share`` of the organisations; calling
    the returned function computes those from the rest in this process and collects the child's
    (betweenness adds up over sources; closeness and harmonic are per source), so on two cores they
    take about half the time, and this process can compute other measures in between. The raw
    results are cached on the :class:`~cojian_graph.analysis.engine.Net` for :func:`betweenness`,
    :func:`closeness` and :func:`harmonic`; the values are the same as without it. Returns None,
    doing nothing, for small graphs or where forking is not safe (see
    :func:`~cojian_graph.analysis.engine.can_fork`).
    """
    from .engine import PARALLEL_MIN_NODES, can_fork, in_child

    net = as_net(G)
    which = tuple(key for key in PATH_MEASURES if key in which)
    if not which or net.n < PARALLEL_MIN_NODES or ("paths", weight) in net.cache or not can_fork():
        return None
    distances = net.distances(weight)
    split = min(max(int(net.n * child_share), 1), net.n - 1)
    first, second = range(split), range(split, net.n)
    wait = in_child(lambda: np.concatenate([_raw(net, key, distances, first) for key in which]))

    def finish() -> None:
        mine = {key: _raw(net, key, distances, second) for key in which}
        theirs = wait()
        if theirs is None:  # the child failed: do its share here
            theirs = np.concatenate([_raw(net, key, distances, first) for key in which])
        results, offset = {}, 0
        for key in which:
            if key == "betweenness":
                results[key] = theirs[offset:offset + net.n] + mine[key]
                offset += net.n
            else:
                results[key] = np.concatenate([theirs[offset:offset + split], mine[key]])
                offset += split
        net.cache[("paths", weight)] = results

    return finish


def _raw(net, key: str, distances, sources: range) -> np.ndarray:
    """igraph's raw values: betweenness over paths from ``sources`` (all vertices), or closeness /
    harmonic of the vertices in ``sources``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if key == "betweenness":
            return np.asarray(net.g.betweenness(directed=False, weights=distances, sources=sources), dtype=float)
        if net.n <= SHARED_DISTANCES_MAX_NODES:
            return _from_distances(net, distances, sources)[key]
        if key == "closeness":
            return np.asarray(net.g.closeness(vertices=sources, weights=distances, normalized=True), dtype=float)
        return np.asarray(net.g.harmonic_centrality(vertices=sources, weights=distances, normalized=False),
                          dtype=float)


#: Up to this many organisations, closeness and harmonic come from one pass of shortest distances
#: (``Net.shortest_distances``, in blocks of sources) instead of two: on a dense view (a mass meeting)
#: the shortest-path searches are most of the work. Beyond it, when the distances came from igraph as
#: Python floats, handing them over cost more than the second search saved (scipy's Dijkstra, which
#: hands them over as arrays, has not been measured against that).
SHARED_DISTANCES_MAX_NODES = 10_000
#: Distances held at once (floats) while closeness and harmonic are computed from them.
_DISTANCE_BLOCK = 4_000_000


def _from_distances(net, distances, sources: range) -> dict[str, np.ndarray]:
    """igraph's closeness (normalised, over the vertices each reaches) and harmonic centrality
    (unnormalised) of the vertices in ``sources``, from one shortest-distance search each (cached
    on ``net`` by source range, so that asking for the second measure costs nothing)."""
    key = ("distance_measures", id(distances), sources.start, sources.stop)  # Net.distances: one list per weight
    if key not in net.cache:
        closeness = np.zeros(len(sources))
        harmonic = np.zeros(len(sources))
        step = max(1, _DISTANCE_BLOCK // max(net.n, 1))
        for begin in range(sources.start, sources.stop, step):
            block = list(range(begin, min(begin + step, sources.stop)))
            d = net.shortest_distances(block, distances)  # inf: unreachable
            d[np.arange(len(block)), block] = np.inf  # not oneself
            reached = np.isfinite(d)
            count = reached.sum(axis=1)
            total = np.where(reached, d, 0.0).sum(axis=1)
            at = slice(begin - sources.start, begin - sources.start + len(block))
            with np.errstate(divide="ignore", invalid="ignore"):
                closeness[at] = np.where(count > 0, count / total, np.nan)
                harmonic[at] = np.where(reached, 1.0 / d, 0.0).sum(axis=1)
        net.cache[key] = {"closeness": closeness, "harmonic": harmonic}
    return net.cache[key]


def _cached(net, key: str, weight) -> np.ndarray | None:
    return net.cache.get(("paths", weight), {}).get(key)


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
    return net.series(betweenness_values(net, weight, normalized), "betweenness")


def betweenness_values(net: Net, weight: str | None = "weight", normalized: bool = True) -> np.ndarray:
    """:func:`betweenness` of each vertex of ``net``, in vertex order."""
    if net.n == 0:
        return np.zeros(0)
    values = _cached(net, "betweenness", weight)
    if values is None:
        values = np.asarray(net.g.betweenness(directed=False, weights=net.distances(weight)), dtype=float)
    if normalized:
        values = values * (2.0 / ((net.n - 1) * (net.n - 2))) if net.n > 2 else np.zeros(net.n)
    return values


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
    return net.series(closeness_values(net, weight), "closeness")


def closeness_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """:func:`closeness` of each vertex of ``net``, in vertex order."""
    if net.n == 0:
        return np.zeros(0)
    raw = _cached(net, "closeness", weight)
    if raw is None:
        raw = _raw(net, "closeness", net.distances(weight), range(net.n))
    membership = np.asarray(net.g.connected_components().membership)
    reach = np.bincount(membership)[membership] - 1  # r - 1
    values = raw * reach / (net.n - 1) if net.n > 1 else np.zeros(net.n)
    return np.nan_to_num(values, nan=0.0)


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
    return net.series(harmonic_values(net, weight), "harmonic")


def harmonic_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """:func:`harmonic` of each vertex of ``net``, in vertex order."""
    if net.n == 0:
        return np.zeros(0)
    values = _cached(net, "harmonic", weight)
    if values is None:
        values = _raw(net, "harmonic", net.distances(weight), range(net.n))
    return values
