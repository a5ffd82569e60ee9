"""Sums over closed two-paths (the triangles at each organisation), in memory that grows with the ties.

Burt's effective size and the Gould–Fernandez roles need, for each organisation *u*, a sum over
the triangles *u*–*q*–*v* it sits in. Listing the triangles one by one is the simple way, but one
mass meeting of *k* participants makes a clique with C(k, 3) triangles: 166 million (4 GB as an
index array) for k = 1,000. :func:`closed_two_path_sums` computes the same sums as a masked matrix
product, :math:`\\bigl((X\\,C\\,Y) \\circ A\\bigr) F`, and picks the cheapest exact kernel for the
graph at hand:

- ``"triangles"``: the list of every triangle, when they are few enough to hold (:data:`TRIANGLE_BUDGET`;
  the usual ledger, even at 10^5 organisations: no scipy import, fastest), found once as the oriented
  kernel finds them and shared by every measure built on them;
- ``"dense"``: one BLAS matrix product, when the graph is small enough to hold as a dense matrix
  (a mass meeting in a ledger of a few thousand organisations);
- ``"sparse"``: scipy's sparse product in blocks of rows whose work (and so memory) is bounded;
- ``"oriented"``: the triangles found a block at a time from their corner of lowest degree (Chiba &
  Nishizeki 1985; Latapy's *forward*, TCS 407, 2008), never all held at once. The sparse product's work
  is the sum of the squared degrees, which one organisation with a hundred thousand partners makes
  10^10 and more; here each corner pairs only its partners of higher degree, at most √(2m) of them.
  Chosen for large graphs when its work is the smaller (:func:`choose_method`).

All three give the same values (tests hold them to networkx's reference implementations).

Examples
--------
>>> from cojian_graph.analysis.engine import net_from_graph
>>> import networkx as nx
>>> net = net_from_graph(nx.complete_graph(4))
>>> ones = np.ones(net.m)
>>> [closed_two_path_sums(net, ones, ones, np.ones(4), np.ones((4, 1)), method=m)[:, 0].tolist()
...  for m in ("triangles", "dense", "sparse")]
[[6.0, 6.0, 6.0, 6.0], [6.0, 6.0, 6.0, 6.0], [6.0, 6.0, 6.0, 6.0]]
>>> closed_two_path_sums(net, ones, ones, np.ones(4), np.ones((4, 1)), method="oriented")[:, 0].tolist()
[6.0, 6.0, 6.0, 6.0]
"""

from __future__ import annotations

import numpy as np

from ..errors import CojianError
from .engine import Net

__all__ = ["METHODS", "choose_method", "closed_two_path_edge_sums", "closed_two_path_sums", "triangle_bound",
           "triangle_count"]

METHODS = ("triangles", "dense", "sparse", "oriented")

#: Listing triangles is used while there are at most this many (24 bytes each in the list, about
#: 100 bytes each at the peak of a sum: ~1 GB). A 10^5-organisation ledger has about 5 million; one
#: mass meeting of 1,000 participants alone has 166 million.
TRIANGLE_BUDGET = 10_000_000
#: The dense kernel is used up to this many organisations (an n × n float matrix: 32 MB).
DENSE_MAX_NODES = 2_048
#: Work (scalar products, about the intermediate entries held) per block of the sparse kernel.
SPARSE_BLOCK_WORK = 4_000_000
#: Pairs of partners checked per block of the oriented kernel (about 100 bytes each at the peak).
ORIENTED_BLOCK_PAIRS = 4_000_000
#: The cost of checking one pair of partners in the oriented kernel (a binary search among the ties), in
#: scalar products of the sparse kernel: the two are compared by their work (:func:`choose_method`).
ORIENTED_PAIR_COST = 8


def triangle_bound(net: Net) -> int:
    """An upper bound on the number of triangles: each has a pair of partners at each of its corners,
    so there are at most :math:`\\sum_v \\binom{d_v}{2} / 3`."""
    degree = np.asarray(net.g.degree(), dtype=np.int64)
    return int((degree * (degree - 1) // 2).sum() // 3)


def triangle_count(net: Net) -> int:
    """The number of triangles, counted by igraph without listing them (0.3 s at 10^5 organisations
    and 535,000 ties; cached on ``net``)."""
    if "triangle_count" not in net.cache:
        degree = np.asarray(net.g.degree(), dtype=float)
        local = np.asarray(net.g.transitivity_local_undirected(mode="zero"), dtype=float)
        net.cache["triangle_count"] = int(np.rint(local * degree * (degree - 1) / 2).sum()) // 3
    return net.cache["triangle_count"]


def choose_method(net: Net) -> str:
    """The kernel :func:`closed_two_path_sums` uses for ``net`` when none is named: the triangle list while it
    is small, the dense product on a small graph, else the sparse product or the oriented triangles,
    whichever has the less work (the sum of the squared degrees, or the pairs of higher-degree partners
    times :data:`ORIENTED_PAIR_COST`)."""
    if triangle_bound(net) <= TRIANGLE_BUDGET or triangle_count(net) <= TRIANGLE_BUDGET:
        return "triangles"
    if net.n <= DENSE_MAX_NODES:
        return "dense"
    degree = np.asarray(net.g.degree(), dtype=np.float64)
    higher = np.diff(_oriented_ties(net)[3]).astype(np.float64)
    return "sparse" if (degree**2).sum() <= ORIENTED_PAIR_COST * (higher * (higher - 1) / 2).sum() else "oriented"


def closed_two_path_sums(net: Net, x: np.ndarray, y: np.ndarray, middle: np.ndarray, features: np.ndarray,
                         *, method: str | None = None) -> np.ndarray:
    """For each vertex *u*: the sum over its triangles *u*–*q*–*v* (ordered: each triangle counts
    once for each of *u*'s two partners in it as *v*) of ``x[uq] * middle[q] * y[qv] * features[v]``.

    Parameters
    ----------
    net : Net
    x, y : ndarray
        A value per edge of ``net`` (in edge order), for the tie *u*–*q* and the tie *q*–*v*.
    middle : ndarray
        A value per vertex, for the middle vertex *q*.
    features : ndarray
        ``(n, k)``: values of the far vertex *v*; the result has one column per feature.
    method : "triangles", "dense", "sparse" or None
        The kernel (all exact); None chooses by :func:`choose_method`.

    Returns
    -------
    ndarray
        ``(n, k)`` floats: :math:`\\bigl((X\\,\\mathrm{diag}(middle)\\,Y) \\circ A\\bigr)\\,F`.
    """
    features = np.asarray(features, dtype=float)
    features = features.reshape(net.n, -1) if features.ndim < 2 else features
    out = np.zeros((net.n, features.shape[1]))
    if net.m == 0:
        return out
    sums = closed_two_path_edge_sums(net, x, y, middle, method=method)
    edges = net.edges()
    for column in range(features.shape[1]):
        out[:, column] = (np.bincount(edges[:, 0], sums[0] * features[edges[:, 1], column], minlength=net.n)
                          + np.bincount(edges[:, 1], sums[1] * features[edges[:, 0], column], minlength=net.n))
    return out


def closed_two_path_edge_sums(net: Net, x: np.ndarray, y: np.ndarray, middle: np.ndarray, *,
                              method: str | None = None) -> np.ndarray:
    """For each tie *u*–*v*, in both directions: the sum over the partners *q* the two share of
    ``x[uq] * middle[q] * y[qv]``, i.e. :math:`(X\\,\\mathrm{diag}(middle)\\,Y)_{uv}` on the ties.

    Returns
    -------
    ndarray
        ``(2, m)``: row 0 for (source, target) of each edge of ``net.edges()``, row 1 for
        (target, source).
    """
    if net.m == 0:
        return np.zeros((2, 0))
    x, y, middle = (np.asarray(values, dtype=float) for values in (x, y, middle))
    method = method or choose_method(net)
    if method == "triangles":
        return _by_triangles(net, x, y, middle)
    if method == "dense":
        return _dense(net, x, y, middle)
    if method == "sparse":
        return _sparse(net, x, y, middle)
    if method == "oriented":
        return _oriented(net, x, y, middle)
    raise CojianError(f"未知的计算方法 unknown method {method!r}; 可选 valid: {', '.join(METHODS)}")


def _by_triangles(net: Net, x, y, middle) -> np.ndarray:
    out = np.zeros((2, net.m))
    _add_triangles(out, net.m, *_triangles(net), x, y, middle)
    return out


def _add_triangles(out: np.ndarray, m: int, tri: np.ndarray, edge: dict, forward: dict, x, y, middle) -> None:
    """Add to ``out`` (``(2, m)``) the sums of the triangles ``tri`` (``(t, 3)`` corners), whose sides are
    the ties ``edge[(i, j)]`` between corners i < j, each stored from corner i when ``forward[(i, j)]``."""
    def tie(i, j):
        return edge[(min(i, j), max(i, j))]

    for u, q, v in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        uv = tie(u, v)
        value = x[tie(u, q)] * middle[tri[:, q]] * y[tie(q, v)]
        # the tie u–v is stored as (u, v) or as (v, u): its sum goes to row 0 or row 1
        stored_as_uv = forward[(u, v)] if u < v else ~forward[(v, u)]
        row = np.where(stored_as_uv, 0, 1) * m + uv
        out += np.bincount(row, value, minlength=2 * m).reshape(2, m)


def _oriented_ties(net: Net) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each tie from its end of lower degree (ties broken by index) to the other, sorted by that end:
    ``(low, high, tie, starts)``, ``starts[v]:starts[v + 1]`` the ties from ``v`` (cached on ``net``)."""
    if "oriented_ties" not in net.cache:
        edges = net.edges()
        degree = np.asarray(net.g.degree(), dtype=np.int64)
        order = np.empty(net.n, dtype=np.int64)
        order[np.lexsort((np.arange(net.n), degree))] = np.arange(net.n)
        first_low = order[edges[:, 0]] < order[edges[:, 1]]
        low = np.where(first_low, edges[:, 0], edges[:, 1])
        high = np.where(first_low, edges[:, 1], edges[:, 0])
        tie = np.lexsort((order[high], low))
        starts = np.r_[0, np.cumsum(np.bincount(low, minlength=net.n))]
        net.cache["oriented_ties"] = (low[tie], high[tie], tie, starts)
    return net.cache["oriented_ties"]


def _oriented(net: Net, x, y, middle) -> np.ndarray:
    """The triangles' sums, the triangles found a block at a time (:func:`_oriented_triangles`)."""
    out = np.zeros((2, net.m))
    for block in _oriented_triangles(net):
        _add_triangles(out, net.m, *block, x, y, middle)
    return out


def _oriented_triangles(net: Net):
    """The triangles of ``net`` as :func:`_triangles` gives them, a block at a time, each found once from its
    corner of lowest degree: for each corner, the pairs of its ties to higher corners whose far ends are
    tied too (:data:`ORIENTED_BLOCK_PAIRS` pairs a block at most, or one corner's)."""
    low, high, tie, starts = _oriented_ties(net)
    edges = net.edges()
    sorted_keys, by_key = net.edge_keys()
    count = np.diff(starts)
    for first_corner, end_corner in _blocks(count * (count - 1) // 2, ORIENTED_BLOCK_PAIRS):
        begin, end = starts[first_corner], starts[end_corner]
        if end - begin < 2:
            continue
        # each tie at position p of its corner's run pairs with the later ties of the run
        later = starts[low[begin:end] + 1] - np.arange(begin, end) - 1
        one = np.repeat(np.arange(begin, end), later)
        other = one + 1 + np.arange(len(one)) - np.repeat(np.cumsum(later) - later, later)
        wanted = net.pair_keys(high[one], high[other])
        # searched in sorted order, each search starting where the last ended: at 10^6 ties 4× faster than in
        # pair order (the same at 10^5, whose ties fit in the cache)
        order = np.argsort(wanted)
        found = np.empty(len(wanted), dtype=np.int64)
        found[order] = np.minimum(np.searchsorted(sorted_keys, wanted[order]), len(sorted_keys) - 1)
        closed = sorted_keys[found] == wanted
        if not closed.any():
            continue
        one, other = one[closed], other[closed]
        tri = np.column_stack([low[one], high[one], high[other]])
        edge = {(0, 1): tie[one], (0, 2): tie[other], (1, 2): by_key[found[closed]]}
        yield tri, edge, {pair: edges[ids, 0] == tri[:, pair[0]] for pair, ids in edge.items()}


def _blocks(work: np.ndarray, budget: float) -> list[tuple[int, int]]:
    """Consecutive ``(start, stop)`` runs of ``work``'s items, each of at most ``budget`` total work, or of one
    item (vectorised: a Python step per run, not per item)."""
    total = np.cumsum(work, dtype=np.float64)
    runs, start = [], 0
    while start < len(work):
        base = total[start - 1] if start else 0.0
        stop = max(int(np.searchsorted(total, base + budget, side="right")), start + 1)
        runs.append((start, stop))
        start = stop
    return runs


def _triangles(net: Net) -> tuple[np.ndarray, dict, dict]:
    """Every triangle: its corners (``(t, 3)`` vertex indices), the edge index of each pair (i, j) of
    corners, i < j, and whether that edge is stored as (corner i, corner j). Found as the oriented kernel
    finds them (4.8 s → 1.8 s at 10^5 organisations against igraph's list and a search for each side), and
    kept on ``net``, which every measure built on the triangles shares: only while they are few (see
    :data:`TRIANGLE_BUDGET`)."""
    if "triangle_list" not in net.cache:
        blocks = list(_oriented_triangles(net))
        tri = np.concatenate([block[0] for block in blocks]) if blocks else np.zeros((0, 3), dtype=np.int64)
        pairs = ((0, 1), (0, 2), (1, 2))
        edge, forward = ({pair: np.concatenate([block[part][pair] for block in blocks]) if blocks
                          else np.zeros(0, dtype=np.int64 if part == 1 else bool) for pair in pairs}
                         for part in (1, 2))
        net.cache["triangle_list"] = (tri, edge, forward)
    return net.cache["triangle_list"]


def _dense(net: Net, x, y, middle) -> np.ndarray:
    edges = net.edges()
    u, v = edges[:, 0], edges[:, 1]
    X = np.zeros((net.n, net.n))
    X[u, v] = x
    X[v, u] = x
    Y = np.zeros((net.n, net.n))
    Y[u, v] = y
    Y[v, u] = y
    product = (X * middle[None, :]) @ Y
    return np.stack([product[u, v], product[v, u]])


def _sparse(net: Net, x, y, middle) -> np.ndarray:
    import scipy.sparse as sparse

    edges = net.edges()
    rows = np.r_[edges[:, 0], edges[:, 1]]
    cols = np.r_[edges[:, 1], edges[:, 0]]
    shape = (net.n, net.n)
    X = sparse.csr_array((np.r_[x, x] * middle[cols], (rows, cols)), shape=shape)
    Y = sparse.csr_array((np.r_[y, y], (rows, cols)), shape=shape)
    A = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=shape)
    degree = np.diff(A.indptr).astype(float)
    # the work of row u is the number of scalar products in (X @ Y)[u]: the degrees of u's partners
    work = A @ degree
    out = np.zeros((2, net.m))
    for start, stop in _blocks(work, SPARSE_BLOCK_WORK):
        block = (X[start:stop] @ Y).multiply(A[start:stop]).tocoo()
        pairs = np.column_stack([block.row.astype(np.int64) + start, block.col.astype(np.int64)])
        where = net.edge_ids(pairs)
        forward = edges[where, 0] == pairs[:, 0]
        out[0, where[forward]] = block.data[forward]
        out[1, where[~forward]] = block.data[~forward]
    return out
