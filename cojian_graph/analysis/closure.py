"""Sums over closed two-paths (the triangles at each organisation), in memory that grows with the ties.

Burt's effective size and the Gould–Fernandez roles need, for each organisation *u*, a sum over
the triangles *u*–*q*–*v* it sits in. Listing the triangles one by one is the simple way, but one
mass meeting of *k* participants makes a clique with C(k, 3) triangles: 166 million (4 GB as an
index array) for k = 1,000. :func:`closed_two_path_sums` computes the same sums as a masked matrix
product, :math:`\\bigl((X\\,C\\,Y) \\circ A\\bigr) F`, and picks the cheapest exact kernel for the
graph at hand:

- ``"triangles"``: igraph's triangle list, when the triangles are few enough to hold
  (:data:`TRIANGLE_BUDGET`; the usual ledger, even at 10^5 organisations: no scipy import, fastest);
- ``"dense"``: one BLAS matrix product, when the graph is small enough to hold as a dense matrix
  (a mass meeting in a ledger of a few thousand organisations);
- ``"sparse"``: scipy's sparse product in blocks of rows whose work (and so memory) is bounded.

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
"""

from __future__ import annotations

import numpy as np

from ..errors import CojianError
from .engine import Net

__all__ = ["METHODS", "choose_method", "closed_two_path_edge_sums", "closed_two_path_sums", "triangle_bound",
           "triangle_count"]

METHODS = ("triangles", "dense", "sparse")

#: Listing triangles is used while there are at most this many (24 bytes each in the list, about
#: 100 bytes each at the peak of a sum: ~1 GB). A 10^5-organisation ledger has about 5 million; one
#: mass meeting of 1,000 participants alone has 166 million.
TRIANGLE_BUDGET = 10_000_000
#: The dense kernel is used up to this many organisations (an n × n float matrix: 32 MB).
DENSE_MAX_NODES = 2_048
#: Work (scalar products, about the intermediate entries held) per block of the sparse kernel.
SPARSE_BLOCK_WORK = 4_000_000


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
    """The kernel :func:`closed_two_path_sums` uses for ``net`` when none is named."""
    if triangle_bound(net) <= TRIANGLE_BUDGET or triangle_count(net) <= TRIANGLE_BUDGET:
        return "triangles"
    if net.n <= DENSE_MAX_NODES:
        return "dense"
    return "sparse"


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
    raise CojianError(f"未知的计算方法 unknown method {method!r}; 可选 valid: {', '.join(METHODS)}")


def _by_triangles(net: Net, x, y, middle) -> np.ndarray:
    tri = _triangles(net)
    out = np.zeros((2, net.m))
    if not len(tri):
        return out
    edge, forward = _triangle_ties(net)

    def tie(i, j):
        return edge[(min(i, j), max(i, j))]

    for u, q, v in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        uv = tie(u, v)
        value = x[tie(u, q)] * middle[tri[:, q]] * y[tie(q, v)]
        # the tie u–v is stored as (u, v) or as (v, u): its sum goes to row 0 or row 1
        stored_as_uv = forward[(u, v)] if u < v else ~forward[(v, u)]
        row = np.where(stored_as_uv, 0, 1) * net.m + uv
        out += np.bincount(row, value, minlength=2 * net.m).reshape(2, net.m)
    return out


def _triangle_ties(net: Net) -> tuple[dict, dict]:
    """For the triangle list: the edge index of each pair (i, j) of corners, i < j, and whether the
    edge is stored as (corner i, corner j) (cached on ``net``: every measure built on the triangles
    shares them)."""
    if "triangle_ties" not in net.cache:
        tri = _triangles(net)
        edges = net.edges()
        edge = {(i, j): net.edge_ids(tri[:, [i, j]]) for i, j in ((0, 1), (1, 2), (0, 2))}
        forward = {pair: edges[ids, 0] == tri[:, pair[0]] for pair, ids in edge.items()}
        net.cache["triangle_ties"] = (edge, forward)
    return net.cache["triangle_ties"]


def _triangles(net: Net) -> np.ndarray:
    """``(t, 3)`` vertex indices of every triangle (igraph's list, kept on ``net``: the measures
    share it, and it is listed only while it is small, see :data:`TRIANGLE_BUDGET`)."""
    return net.triangles()


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
    start = 0
    for stop in _block_ends(work, SPARSE_BLOCK_WORK):
        block = (X[start:stop] @ Y).multiply(A[start:stop]).tocoo()
        pairs = np.column_stack([block.row.astype(np.int64) + start, block.col.astype(np.int64)])
        where = net.edge_ids(pairs)
        forward = edges[where, 0] == pairs[:, 0]
        out[0, where[forward]] = block.data[forward]
        out[1, where[~forward]] = block.data[~forward]
        start = stop
    return out


def _block_ends(work: np.ndarray, budget: float) -> list[int]:
    """Ends of consecutive row blocks, each with at most ``budget`` work (at least one row each)."""
    ends = []
    total = 0.0
    for row, cost in enumerate(work.tolist()):
        if total and total + cost > budget:
            ends.append(row)
            total = 0.0
        total += cost
    ends.append(len(work))
    return ends
