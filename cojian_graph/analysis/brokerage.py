"""Brokerage: Burt's effective size and constraint, and Gould–Fernandez brokerage roles by circle.

Edge weight enters Burt's measures as tie **strength** (the proportional tie :math:`p_{ij} =
w_{ij} / s_i`). The Gould–Fernandez roles count open two-paths and ignore weight.

Examples
--------
>>> import networkx as nx
>>> G = nx.star_graph(3)
>>> effective_size(G, weight=None).tolist(), constraint(G, weight=None).round(3).tolist()
([3.0, 1.0, 1.0, 1.0], [0.333, 1.0, 1.0, 1.0])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..columns import factorize
from .basic import strength_values, strongest_tie_values
from .closure import closed_two_path_edge_sums, closed_two_path_sums
from .engine import Net, as_net

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ROLES",
    "brokerage_role_values",
    "brokerage_roles",
    "brokerage_total",
    "brokerage_total_values",
    "constraint",
    "constraint_values",
    "coordinator",
    "coordinator_values",
    "effective_size",
    "effective_size_values",
    "gatekeeper",
    "gatekeeper_values",
    "itinerant",
    "itinerant_values",
    "liaison",
    "liaison_values",
]

#: The Gould–Fernandez roles for an undirected graph, in column order of :func:`brokerage_roles`.
ROLES = ("coordinator", "itinerant", "gatekeeper", "liaison")


def effective_size(G, weight: str | None = "weight") -> pd.Series:
    """Burt's effective size: the number of partners minus their redundancy with each other.

    Notes
    -----
    :math:`e_i = \\sum_{j \\in N(i)} \\bigl(1 - \\sum_{q \\in N(i), q \\ne j} p_{iq} m_{jq}\\bigr)`
    with :math:`p_{iq} = w_{iq} / s_i` and :math:`m_{jq} = w_{jq} / \\max_k w_{jk}`. Unweighted it is
    :math:`k_i - 2t_i/k_i` (*t*: ties among the partners). NaN for an organisation without ties.
    Equals networkx's per-node implementation, ``nx.effective_size(G, nodes=list(G), weight=...)``.
    networkx 3.6's sparse-matrix shortcut (``nodes=None`` on a weighted graph) divides by the column
    maxima instead of the row maxima and disagrees with its own definition; ours follows Burt's
    (checked by hand in the tests). Computed as a
    masked matrix product (:mod:`~cojian_graph.analysis.closure`), in memory that grows with the
    ties, not with the triangles: a mass meeting of 1,000 organisations has 166 million triangles.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press. Borgatti, S. P. (1997).
    Structural holes: unpacking Burt's redundancy measures. *Connections* 20(1), 35–38.
    """
    net = as_net(G)
    return net.series(effective_size_values(net, weight), "effective_size")


def effective_size_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """:func:`effective_size` of each vertex of ``net``, in vertex order."""
    deg = np.asarray(net.g.degree(), dtype=float)
    if net.n == 0:
        return np.zeros(0)
    w = net.weights(weight)
    s = strength_values(net, weight)
    wmax = strongest_tie_values(net, weight)
    # each triangle u–q–v adds p_uq * m_vq = (w_uq / s_u) * (w_vq / wmax_v) to u's redundancy
    far = np.divide(1.0, wmax, out=np.zeros(net.n), where=wmax > 0)
    sums = closed_two_path_sums(net, w, w, np.ones(net.n), far[:, None])[:, 0]
    redundancy = np.divide(sums, s, out=np.zeros(net.n), where=s > 0)
    with np.errstate(invalid="ignore"):
        return np.where(deg > 0, deg - redundancy, np.nan)


def constraint(G, weight: str | None = "weight") -> pd.Series:
    """Burt's constraint: how much an organisation's ties are concentrated in partners tied to each other.

    Notes
    -----
    :math:`c_i = \\sum_{j \\in N(i)} \\bigl(p_{ij} + \\sum_{q \\ne i,j} p_{iq} p_{qj}\\bigr)^2`,
    :math:`p_{ij} = w_{ij} / s_i`. Lower means more brokerage opportunity (``higher_is_better`` is
    False). NaN for an organisation without ties. Equals ``nx.constraint(G, weight="weight")``;
    computed from the ties' shared partners as a masked matrix product
    (:mod:`~cojian_graph.analysis.closure`): igraph's own routine took 9 s on a 1,000-participant
    meeting.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press, p. 55.
    """
    net = as_net(G)
    return net.series(constraint_values(net, weight), "constraint")


def constraint_values(net: Net, weight: str | None = "weight") -> np.ndarray:
    """:func:`constraint` of each vertex of ``net``, in vertex order."""
    if net.n == 0:
        return np.zeros(0)
    w = net.weights(weight)
    edges = net.edges()
    u, v = edges[:, 0], edges[:, 1]
    s = strength_values(net, weight)
    inverse = np.divide(1.0, s, out=np.zeros(net.n), where=s > 0)
    # indirect[i, j] = sum over shared partners q of p_iq p_qj = (W diag(1/s) W)_ij / s_i
    indirect = closed_two_path_edge_sums(net, w, w, inverse)
    forward = (w + indirect[0]) * inverse[u]  # p_uv + indirect, for u -> v
    backward = (w + indirect[1]) * inverse[v]  # for v -> u
    values = np.zeros(net.n)  # bincount of no weights would be integers
    values += np.bincount(u, forward**2, minlength=net.n) + np.bincount(v, backward**2, minlength=net.n)
    values[s == 0] = np.nan
    return values


def brokerage_roles(G, group_attr: str = "circle") -> pd.DataFrame:
    """Gould–Fernandez brokerage roles, with the groups given by a node attribute (the circles).

    For each organisation *v*, every pair of its partners *a*, *c* that are **not** tied to each
    other is an open two-path a–v–c in which *v* brokers. The pair is counted in one role by the
    groups of a, v, c:

    - ``coordinator``: all three in the same group;
    - ``itinerant`` (consultant): a and c in one group, v in another;
    - ``gatekeeper`` (gatekeeper / representative, the same thing in an undirected graph): one of
      a, c in v's group, the other not — v links its own circle to another;
    - ``liaison``: three different groups — e.g. the focal organisation linking an internal and an
      external partner.

    ``brokerage`` is their sum. Organisations with no value for ``group_attr`` form their own
    group (""). Weight is not used.

    Returns
    -------
    DataFrame
        Indexed by node id; columns ``coordinator``, ``itinerant``, ``gatekeeper``, ``liaison``,
        ``brokerage`` (floats, counts of unordered partner pairs).

    References
    ----------
    Gould, R. V., Fernandez, R. M. (1989). Structures of mediation: a formal approach to brokerage
    in transaction networks. *Sociological Methodology* 19, 89–126.
    """
    import pandas as pd

    net = as_net(G)
    return pd.DataFrame(brokerage_role_values(net, group_attr).copy(), index=pd.Index(net.ids, name="id"),
                        columns=[*ROLES, "brokerage"])


def brokerage_role_values(net: Net, group_attr: str = "circle") -> np.ndarray:
    """:func:`brokerage_roles` as an ``(n, 5)`` float array in vertex order: the four roles, then
    their sum (cached on ``net``: the role measures share it)."""
    key = ("brokerage_roles", group_attr)
    if key not in net.cache:
        net.cache[key] = _roles(net, group_attr)
    return net.cache[key]


def _roles(net: Net, group_attr: str) -> np.ndarray:
    codes, uniques = factorize(net.attribute(group_attr, ""))
    k = max(len(uniques), 1)
    counts = net.neighbour_counts(codes, k)  # (n, k)
    own = counts[np.arange(net.n), codes] if net.n else np.zeros(0, dtype=np.int64)
    deg = counts.sum(axis=1)
    other = deg - own
    others_sq = (counts**2).sum(axis=1) - own**2
    roles = np.zeros((net.n, 4), dtype=np.int64)
    roles[:, 0] = own * (own - 1) // 2
    roles[:, 1] = ((counts * (counts - 1)) // 2).sum(axis=1) - own * (own - 1) // 2
    roles[:, 2] = own * other
    roles[:, 3] = (other**2 - others_sq) // 2
    # partner pairs that are tied to each other are closed, not brokered: closed[v, g, h] counts the
    # ordered pairs (a, c) of v's partners with a in group g, c in group h and a tied to c
    onehot = np.zeros((net.n, k))
    onehot[np.arange(net.n), codes] = 1.0
    ones = np.ones(net.m)
    closed = np.stack([closed_two_path_sums(net, ones, ones, onehot[:, g], onehot) for g in range(k)], axis=1)
    closed = np.rint(closed).astype(np.int64)
    same = np.eye(k, dtype=bool)
    own_g = codes[:, None] == np.arange(k)[None, :]  # (n, k): group g is v's own
    a_in, c_in = own_g[:, :, None], own_g[:, None, :]
    kinds = (same & a_in, same & ~a_in, a_in ^ c_in, ~same & ~a_in & ~c_in)
    for position, kind in enumerate(kinds):
        roles[:, position] -= (closed * kind).sum(axis=(1, 2)) // 2
    return np.column_stack([roles, roles.sum(axis=1)]).astype(float).reshape(net.n, len(ROLES) + 1)


def _role_values(net: Net, role: str, group_attr: str) -> np.ndarray:
    return brokerage_role_values(net, group_attr)[:, [*ROLES, "brokerage"].index(role)]


def _role_series(G, role: str, group_attr: str = "circle") -> pd.Series:
    net = as_net(G)
    return net.series(_role_values(net, role, group_attr), role)


def brokerage_total(G, group_attr: str = "circle") -> pd.Series:
    """Total Gould–Fernandez brokerage: open pairs of partners the organisation links (all roles)."""
    return _role_series(G, "brokerage", group_attr)


def brokerage_total_values(net: Net, group_attr: str = "circle") -> np.ndarray:
    """:func:`brokerage_total` of each vertex of ``net``, in vertex order."""
    return _role_values(net, "brokerage", group_attr)


def coordinator(G, group_attr: str = "circle") -> pd.Series:
    """Gould–Fernandez coordinator role count (broker and both partners in one circle)."""
    return _role_series(G, "coordinator", group_attr)


def coordinator_values(net: Net, group_attr: str = "circle") -> np.ndarray:
    """:func:`coordinator` of each vertex of ``net``, in vertex order."""
    return _role_values(net, "coordinator", group_attr)


def itinerant(G, group_attr: str = "circle") -> pd.Series:
    """Gould–Fernandez itinerant (consultant) role count (partners in one circle, broker in another)."""
    return _role_series(G, "itinerant", group_attr)


def itinerant_values(net: Net, group_attr: str = "circle") -> np.ndarray:
    """:func:`itinerant` of each vertex of ``net``, in vertex order."""
    return _role_values(net, "itinerant", group_attr)


def gatekeeper(G, group_attr: str = "circle") -> pd.Series:
    """Gould–Fernandez gatekeeper/representative role count (links its own circle to another)."""
    return _role_series(G, "gatekeeper", group_attr)


def gatekeeper_values(net: Net, group_attr: str = "circle") -> np.ndarray:
    """:func:`gatekeeper` of each vertex of ``net``, in vertex order."""
    return _role_values(net, "gatekeeper", group_attr)


def liaison(G, group_attr: str = "circle") -> pd.Series:
    """Gould–Fernandez liaison role count (broker and partners in three different circles)."""
    return _role_series(G, "liaison", group_attr)


def liaison_values(net: Net, group_attr: str = "circle") -> np.ndarray:
    """:func:`liaison` of each vertex of ``net``, in vertex order."""
    return _role_values(net, "liaison", group_attr)
