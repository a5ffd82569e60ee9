"""Internal–external circulation (内外循环): the Krackhardt–Stern E-I index.

Groups come from a node attribute (default the ``circle``). With ``merge`` (default
``{"focal": "internal"}``) the focal organisation counts as inside the company, so that the index
measures circulation between the inside (内结) and the outside (外联) of the company.

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> G = collaboration_graph(tiny_ledger())
>>> ei_index(G).to_dict()
{'a': 0.0, 'b': 0.0, 'c': 1.0, 'd': nan}
>>> ei_index_network(G)
0.3333333333333333
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .engine import Net, as_net

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_MERGE",
    "GROUP_COLUMNS",
    "ei_index",
    "ei_index_group_rows",
    "ei_index_groups",
    "ei_index_network",
    "ei_index_values",
]

#: Default grouping for the circulation: the focal organisation is inside the company.
DEFAULT_MERGE: Mapping[str, str] = MappingProxyType({"focal": "internal"})


def _groups(net, group_attr: str, merge: Mapping[str, str] | None) -> np.ndarray:
    values = net.attribute(group_attr, "")
    merge = DEFAULT_MERGE if merge is None else merge
    return np.asarray([merge.get(value, value) for value in values], dtype=object)


def _ties(net, group_attr, merge, weight):
    groups = _groups(net, group_attr, merge)
    edges = net.edges()
    w = net.weights(weight)
    external = groups[edges[:, 0]] != groups[edges[:, 1]] if len(edges) else np.zeros(0, dtype=bool)
    return groups, edges, w, external


def ei_index(G, group_attr: str = "circle", *, merge: Mapping[str, str] | None = None,
             weight: str | None = None) -> pd.Series:
    """E-I index of each organisation: (external − internal) / (external + internal) ties.

    Notes
    -----
    :math:`EI_i = (E_i - I_i) / (E_i + I_i)`, :math:`E_i` ties to organisations of another group,
    :math:`I_i` ties within its own group; from −1 (only inward) to +1 (only outward). NaN for an
    organisation without ties. Ties are counted (``weight=None``, the classic index); with
    ``weight="weight"`` they count by joint activities.

    References
    ----------
    Krackhardt, D., Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly* 51(2), 123–140.
    """
    net = as_net(G)
    return net.series(ei_index_values(net, group_attr, merge=merge, weight=weight), "ei_index")


def ei_index_values(net: Net, group_attr: str = "circle", *, merge: Mapping[str, str] | None = None,
                    weight: str | None = None) -> np.ndarray:
    """:func:`ei_index` of each vertex of ``net``, in vertex order."""
    _, edges, w, external = _ties(net, group_attr, merge, weight)
    ext = np.zeros(net.n)
    tot = np.zeros(net.n)
    for column in (0, 1):
        ext += np.bincount(edges[:, column], w * external, minlength=net.n)
        tot += np.bincount(edges[:, column], w, minlength=net.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, (2 * ext - tot) / np.where(tot > 0, tot, 1), np.nan)


def ei_index_groups(G, group_attr: str = "circle", *, merge: Mapping[str, str] | None = None,
                    weight: str | None = None) -> pd.DataFrame:
    """E-I index of each group: ties of its members within the group and to other groups.

    Returns
    -------
    DataFrame
        Indexed by group; ``organizations``, ``internal`` (ties inside the group, each counted
        once), ``external`` (ties from the group to others), ``ei_index`` (NaN without ties):
        :func:`ei_index_group_rows` as a DataFrame.
    """
    import pandas as pd

    rows = ei_index_group_rows(G, group_attr, merge=merge, weight=weight)
    return pd.DataFrame(rows, columns=list(GROUP_COLUMNS)).set_index("group")


#: The fields of :func:`ei_index_group_rows`, in order.
GROUP_COLUMNS = ("group", "organizations", "internal", "external", "ei_index")


def ei_index_group_rows(G, group_attr: str = "circle", *, merge: Mapping[str, str] | None = None,
                        weight: str | None = None) -> list[dict]:
    """:func:`ei_index_groups` as one dict per group (sorted by group), without pandas."""
    net = as_net(G)
    groups, edges, w, external = _ties(net, group_attr, merge, weight)
    rows = []
    for name in sorted(set(groups.tolist())):
        touches = (groups[edges[:, 0]] == name) | (groups[edges[:, 1]] == name) if len(edges) else external
        internal = float(w[touches & ~external].sum())
        outward = float(w[touches & external].sum())
        total = internal + outward
        ei = (outward - internal) / total if total else float("nan")
        rows.append({"group": name, "organizations": int((groups == name).sum()), "internal": internal,
                     "external": outward, "ei_index": ei})
    return rows


def ei_index_network(G, group_attr: str = "circle", *, merge: Mapping[str, str] | None = None,
                     weight: str | None = None) -> float:
    """E-I index of the whole network: (ties between groups − ties within) / all ties; NaN without ties."""
    net = as_net(G)
    _, _, w, external = _ties(net, group_attr, merge, weight)
    total = float(w.sum())
    return float((w[external].sum() - w[~external].sum()) / total) if total else float("nan")
