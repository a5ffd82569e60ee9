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
    Equals ``nx.effective_size(G, weight="weight")``. Computed from the graph's triangles with numpy.

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
    edges = net.edges()
    s = np.zeros(net.n)
    wmax = np.zeros(net.n)
    s += np.bincount(edges[:, 0], w, minlength=net.n) + np.bincount(edges[:, 1], w, minlength=net.n)
    np.maximum.at(wmax, edges[:, 0], w)
    np.maximum.at(wmax, edges[:, 1], w)
    redundancy = np.zeros(net.n)
    tri = net.triangles()
    if len(tri):
        a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
        w_ab = w[net.edge_ids(tri[:, [0, 1]])]
        w_bc = w[net.edge_ids(tri[:, [1, 2]])]
        w_ac = w[net.edge_ids(tri[:, [0, 2]])]
        weight_of = {(0, 1): w_ab, (1, 2): w_bc, (0, 2): w_ac}
        corners = (a, b, c)

        def tie(x, y):
            return weight_of[(min(x, y), max(x, y))]

        # each ordered (u, v, q) of a triangle adds p_uq * m_vq to u's redundancy
        for u, v, q in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
            contribution = tie(u, q) / s[corners[u]] * tie(v, q) / wmax[corners[v]]
            redundancy += np.bincount(corners[u], contribution, minlength=net.n)
    with np.errstate(invalid="ignore"):
        return np.where(deg > 0, deg - redundancy, np.nan)


def constraint(G, weight: str | None = "weight") -> pd.Series:
    """Burt's constraint: how much an organisation's ties are concentrated in partners tied to each other.

    Notes
    -----
    :math:`c_i = \\sum_{j \\in N(i)} \\bigl(p_{ij} + \\sum_{q \\ne i,j} p_{iq} p_{qj}\\bigr)^2`,
    :math:`p_{ij} = w_{ij} / s_i`. Lower means more brokerage opportunity (``higher_is_better`` is
    False). NaN for an organisation without ties. Equals ``nx.constraint(G, weight="weight")``;
    computed by igraph.

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
    values = np.asarray(net.g.constraint(weights=net.weights(weight).tolist()), dtype=float)
    values[np.asarray(net.g.degree()) == 0] = np.nan
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
    tri = net.triangles()
    for broker, left, right in ((0, 1, 2), (1, 0, 2), (2, 0, 1)):
        v, a, c = tri[:, broker], tri[:, left], tri[:, right]
        role = _role(codes[v], codes[a], codes[c])
        roles -= np.bincount(v * 4 + role, minlength=net.n * 4).reshape(net.n, 4)
    return np.column_stack([roles, roles.sum(axis=1)]).astype(float).reshape(net.n, len(ROLES) + 1)


def _role(gv: np.ndarray, ga: np.ndarray, gc: np.ndarray) -> np.ndarray:
    """Role index (position in ROLES) of the two-path a–v–c from the groups of its three ends."""
    same_ac = ga == gc
    a_in, c_in = ga == gv, gc == gv
    return np.select(
        [same_ac & a_in, same_ac & ~a_in, a_in ^ c_in],
        [0, 1, 2],
        default=3,
    )


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
