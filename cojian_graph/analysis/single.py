"""One organisation's measures, without the whole rank table.

The explorer's organisation page shows one organisation. On a large view the rank table takes
seconds to minutes (every organisation's measures, shortest paths from hundreds of organisations);
:func:`organization_measures` computes the same values for one organisation from what is cheap:

- counts and the E-I index from its own ties;
- closeness and harmonic centrality from one shortest-path search from it (exact);
- Burt's effective size and constraint, and the Gould–Fernandez roles, from the ties among its
  partners (its ego network) and its partners' strengths and strongest ties;
- eigenvector, PageRank and the k-core from igraph's whole-view kernels (linear in the ties).

Betweenness (paths between every other pair), the community (Leiden over the view) and the
composite and rank (every organisation's values) need the whole view and are left out. The values
equal the rank table's (tests hold the two together on every organisation of a ledger).

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> from cojian_graph.analysis.engine import net_from_ledger
>>> figures = organization_measures(net_from_ledger(tiny_ledger()), "a")
>>> figures["degree"], figures["strength"], figures["harmonic"]
(2.0, 4.0, 4.0)
"""

from __future__ import annotations

import numpy as np

from ..columns import factorize
from ..errors import CojianError
from .basic import strength_values, strongest_tie_values
from .engine import Net

__all__ = ["SINGLE_MEASURES", "organization_measures"]

#: The measures :func:`organization_measures` gives, in rank-table order.
SINGLE_MEASURES = ("degree", "strength", "breadth", "diversity", "closeness", "harmonic", "eigenvector", "pagerank",
                   "effective_size", "constraint", "brokerage", "liaison", "core", "ei_index")
#: Of those, the ones taken from the registry's whole-view array functions: each linear in the ties.
_WHOLE_VIEW = ("breadth", "diversity", "eigenvector", "pagerank", "core", "ei_index")


def organization_measures(net: Net, organization) -> dict[str, float]:
    """The :data:`SINGLE_MEASURES` of ``organization`` (an id of ``net``), as the rank table computes them.

    Raises
    ------
    CojianError
        When ``organization`` is not in the view.
    """
    try:
        i = net.ids.index(organization)
    except ValueError:
        raise CojianError(f"组织不在当前视图中 / organisation not in this view: {organization!r}") from None
    edges = net.edges()
    w = net.weights()
    mine = (edges[:, 0] == i) | (edges[:, 1] == i)
    partners = np.where(edges[mine, 0] == i, edges[mine, 1], edges[mine, 0])
    from .registry import MEASURES

    strength = strength_values(net)
    among = _ties_among(net, partners)
    out = {"degree": float(len(partners)), "strength": float(strength[i]), **_paths(net, i)}
    out.update((key, float(MEASURES[key].values(net)[i])) for key in _WHOLE_VIEW)
    out.update(_burt(net, i, partners, w[mine], among, strength))
    out.update(_roles(net, i, partners, among[0]))
    return {key: out[key] for key in SINGLE_MEASURES}


def _paths(net: Net, i: int) -> dict[str, float]:
    """Closeness (Wasserman–Faust) and harmonic centrality of vertex ``i``, from one search."""
    lengths = net.distances("weight")
    d = net.shortest_distances([i], lengths)[0]
    d[i] = np.inf
    reached = np.isfinite(d)
    others = int(reached.sum())
    total = float(d[reached].sum())
    closeness = (others / total) * others / (net.n - 1) if others and net.n > 1 else 0.0
    harmonic = float((1.0 / d[reached]).sum()) if others else 0.0
    return {"closeness": closeness, "harmonic": harmonic}


def _ties_among(net: Net, partners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ties between two of ``partners`` (``(t, 2)`` vertex pairs) and their weights."""
    inside = np.zeros(net.n, dtype=bool)
    inside[partners] = True
    edges = net.edges()
    among = inside[edges[:, 0]] & inside[edges[:, 1]]
    return edges[among], net.weights()[among]


def _burt(net: Net, i: int, partners: np.ndarray, ties: np.ndarray, among: tuple[np.ndarray, np.ndarray],
          strength: np.ndarray) -> dict[str, float]:
    """Burt's effective size and constraint of ``i`` (see :mod:`~cojian_graph.analysis.brokerage`), from
    its ``partners``, the weights of its ``ties`` to them and the ties ``among`` them."""
    if not len(partners):
        return {"effective_size": float("nan"), "constraint": float("nan")}
    strongest = strongest_tie_values(net)
    pairs, weights = among
    p = np.zeros(net.n)  # p_ij = w_ij / s_i for i's partners
    p[partners] = ties / strength[i]
    j, q = pairs[:, 0], pairs[:, 1]
    # effective size: each tie j–q among the partners is redundancy p_iq m_jq for j and p_ij m_qj for q
    redundancy = float((p[q] * weights / strongest[j]).sum() + (p[j] * weights / strongest[q]).sum())
    # constraint: the indirect share of j through q is p_iq p_qj, p_qj = w_qj / s_q
    indirect = np.zeros(net.n)
    np.add.at(indirect, j, p[q] * weights / strength[q])
    np.add.at(indirect, q, p[j] * weights / strength[j])
    constraint = float(((p[partners] + indirect[partners]) ** 2).sum())
    return {"effective_size": len(partners) - redundancy, "constraint": constraint}


def _roles(net: Net, i: int, partners: np.ndarray, pairs: np.ndarray) -> dict[str, float]:
    """Gould–Fernandez brokerage (all roles) and liaison of ``i``, groups by circle: pairs of its
    ``partners`` not tied to each other (``pairs``: the ties among them), by the circles of the three."""
    codes, _ = factorize(net.attribute("circle", ""))
    own = codes[i]
    mine = codes[partners]
    total = len(partners) * (len(partners) - 1) // 2 - len(pairs)
    # liaison: the two partners in two different circles, neither i's
    counts = np.bincount(mine[mine != own]) if len(partners) else np.zeros(0, dtype=np.int64)
    others = int(counts.sum())
    open_liaison = (others * others - int((counts * counts).sum())) // 2
    a, c = codes[pairs[:, 0]], codes[pairs[:, 1]]
    closed_liaison = int(((a != c) & (a != own) & (c != own)).sum())
    return {"brokerage": float(total), "liaison": float(open_liaison - closed_liaison)}
