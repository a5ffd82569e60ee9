"""A view's ties through time: worked out once, then the network at the end of any period in milliseconds.

The map's period slider and its play button show the view as it stood at the end of each year, on
fixed positions. Building each year's ledger and counting its ties again (:func:`drawn_graph` on
:func:`~cojian_graph.analysis.timeline.activities_only`) takes about a second at 10^4 organisations
and a million ties. A :class:`TieHistory` counts the view's co-participations once, per tie and per
period; the graph at the end of a period is then a column of cumulative sums, the strongest ties
a partial sort, and only the drawn ties' link counts and evidence are gathered.

It gives what :func:`drawn_graph` gives on the view's activities up to the period (the same
organisations, ties, weights, sizes and new ties, in the same order), with one difference by design:
Newman's tie weight takes each activity's size from the whole ledger, as the whole view does, so
that the last period's picture is the whole view's.

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> history = tie_history(tiny_ledger())
>>> history.periods.tolist()  # two of its four activities are dated
[2021, 2022]
>>> G = history.graph_at(2022, limit=10)
>>> sorted(G.edges()), G.graph["new_count"]
([('a', 'b'), ('a', 'c')], 1)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ..columns import factorize, object_array, positions
from ..model import LINK_IDS
from .build import (
    COUNT_COLUMNS,
    NODE_LABELS,
    _distinct_participations,
    _link_codes,
    _tie_rows,
    activity_sizes,
    graph_from_tables,
)
from .filters import GraphFilter, filter_ledger, strongest

if TYPE_CHECKING:
    import networkx as nx

    from ..ledger import Ledger

__all__ = ["TieHistory", "tie_history"]


@dataclass(frozen=True, eq=False)
class TieHistory:
    """The ties of a view (no focus) per period; see :func:`tie_history`. Arrays are read-only."""

    spec: GraphFilter
    ledger_hash: str
    #: The periods with dated activities, ascending (period numbers, see :func:`~cojian_graph.periods.periods_of`).
    periods: np.ndarray
    #: The node table's organisation columns (NODE_LABELS), one row per organisation of the view.
    orgs: dict
    #: Per organisation and period: activities per link and of any link, cumulative over the periods.
    org_links: np.ndarray  # (orgs, periods, 8)
    org_activities: np.ndarray  # (orgs, periods)
    #: The first period in which each organisation had a joint activity (len(periods) if never).
    org_joined: np.ndarray
    #: Per tie (ordered by the pair's ids): its two organisations (row numbers), first period, and
    #: joint activities and weight cumulative over the periods.
    source: np.ndarray
    target: np.ndarray
    first: np.ndarray
    counts: np.ndarray  # (ties, periods) joint activities up to each period
    weights: np.ndarray  # (ties, periods) the weight up to each period: counts, or Newman's sums
    #: The co-participations behind the ties, tie by tie and in activity-id order within a tie:
    #: where each tie's rows start (and end, at the next start), and each row's activity, period, link.
    starts: np.ndarray
    row_activity: np.ndarray
    row_period: np.ndarray
    row_link: np.ndarray
    activity_ids: np.ndarray

    def period_index(self, period: int) -> int:
        """The position in :attr:`periods` of the last period at or before ``period`` (−1 if none)."""
        return int(np.searchsorted(self.periods, period, side="right")) - 1

    def graph_at(self, period: int, *, limit: int, connected_only: bool = False) -> nx.Graph:
        """The view at the end of ``period`` as a map draws it: what :func:`~cojian_graph.graph.drawn_graph`
        gives on the view's activities dated up to then, with ``new_among`` the period's activities.

        Its nodes are the organisations that had a joint activity by then (with ``connected_only``,
        those with a tie of at least ``min_weight`` joint activities); its edges the ``limit``
        strongest ties. ``graph`` attributes: ``ties``, ``sizes``, ``new_count``, ``new_ties``,
        ``filter``, ``ledger_hash`` and ``period``. A period without dated activities shows the last
        one before it, with no new ties.
        """
        import pandas as pd

        at = self.period_index(period)
        n_orgs = len(self.orgs["id"])
        if at < 0:
            present = np.zeros(len(self.source), dtype=bool)
            members = np.zeros(n_orgs, dtype=bool)
        else:
            present = self.counts[:, at] >= max(1, self.spec.min_weight)
            members = self.org_joined <= at
        ties = np.flatnonzero(present)
        weight = self.weights[ties, at] if at >= 0 else np.zeros(0)
        ends = np.r_[self.source[ties], self.target[ties]]
        strength = np.bincount(ends, weights=np.r_[weight, weight], minlength=n_orgs)
        degree = np.bincount(ends, minlength=n_orgs).astype(float)
        if connected_only:
            members &= degree > 0
        rows = np.flatnonzero(members)
        nodes = self._node_table(rows, max(at, 0), empty=at < 0)
        drawn = ties
        if len(ties) > limit:
            drawn = ties[strongest(weight, limit)]
        # ties new in the period: first there; none when nothing was dated in it (a year after the last)
        began = at if at >= 0 and self.periods[at] == period else -2
        fresh = self.first[drawn] == began
        edges = self._edge_table(drawn, at)
        sizes = pd.DataFrame({"strength": strength[rows], "degree": degree[rows]},
                             index=pd.Index(self.orgs["id"][rows], name="id"))
        new_ties = frozenset(map(frozenset, zip(edges["source"][fresh].tolist(), edges["target"][fresh].tolist(),
                                                strict=True)))
        return graph_from_tables(nodes, edges, ledger_hash=self.ledger_hash, filter=self.spec, ties=len(ties),
                                 sizes=sizes, new_count=int((self.first[ties] == began).sum()), new_ties=new_ties,
                                 period=int(period))

    def _node_table(self, rows: np.ndarray, at: int, *, empty: bool) -> dict[str, np.ndarray]:
        links = self.org_links[rows, at] if not empty else np.zeros((len(rows), len(LINK_IDS)), dtype=np.int64)
        table = {key: self.orgs[key][rows] for key in NODE_LABELS}
        table.update((column, links[:, i]) for i, column in enumerate(COUNT_COLUMNS))
        table["activities"] = self.org_activities[rows, at] if not empty else np.zeros(len(rows), dtype=np.int64)
        return table

    def _edge_table(self, drawn: np.ndarray, at: int) -> dict[str, np.ndarray]:
        """The edge table of the ties ``drawn`` at period position ``at``: the columns of
        :func:`~cojian_graph.graph.collaboration_edges`, evidence included."""
        begin, end = self.starts[drawn], self.starts[drawn + 1]
        lengths = end - begin
        # the co-participation rows of the drawn ties, tie by tie
        tie_of = np.repeat(np.arange(len(drawn)), lengths)
        row = np.arange(int(lengths.sum())) + np.repeat(begin - (np.cumsum(lengths) - lengths), lengths)
        keep = self.row_period[row] <= at
        tie_of, row = tie_of[keep], row[keep]
        width = len(LINK_IDS)
        link = self.row_link[row]
        known = link >= 0
        matrix = np.bincount(tie_of[known] * width + link[known], minlength=len(drawn) * width).reshape(-1, width)
        bounds = np.searchsorted(tie_of, np.arange(len(drawn) + 1)).tolist()
        ids = self.activity_ids[self.row_activity[row]].tolist()
        weight = self.weights[drawn, at] if len(drawn) else np.zeros(0)
        table = {
            "source": self.orgs["id"][self.source[drawn]],
            "target": self.orgs["id"][self.target[drawn]],
            "weight": weight.astype(np.float64 if self.spec.tie_weight == "newman" else np.int64),
            "multiplexity": (matrix > 0).sum(axis=1),
        }
        table.update((column, matrix[:, i]) for i, column in enumerate(COUNT_COLUMNS))
        table["activities"] = object_array([tuple(ids[bounds[i]:bounds[i + 1]]) for i in range(len(drawn))])
        return table


def tie_history(ledger: Ledger, spec: GraphFilter | None = None, period: str = "year") -> TieHistory:
    """Count the ties of the view ``spec`` selects (its focus ignored) per ``period``, once.

    Activities without a date, or dated more coarsely than ``period``, are left out: they cannot be
    placed in time. Raises as :func:`~cojian_graph.graph.filtered_graph`, and ``CojianError`` when
    the view's co-participations exceed :data:`~cojian_graph.graph.build.MAX_PAIRS`.
    """
    from ..periods import periods_of

    spec = replace(spec or GraphFilter(), focus=None, hops=1).normalized()
    view = filter_ledger(ledger, spec)
    numbers = periods_of(view.column("activities", "date"), period)
    act_positions = positions(view.column("participations", "activity_id"), view.column("activities", "id"))
    placed = np.zeros(len(act_positions), dtype=bool)
    found = act_positions >= 0
    placed[found] = numbers[act_positions[found]] >= 0
    org_ids = view.column("organizations", "id")
    by_id = np.argsort(org_ids, kind="stable")  # ties are numbered as collaboration_edges numbers them: by ids
    rank = np.empty(len(org_ids), dtype=np.int64)
    rank[by_id] = np.arange(len(org_ids))
    org_rows = positions(view.column("participations", "organization_id")[placed], org_ids)
    act_codes, act_ids = factorize(view.column("participations", "activity_id")[placed], sort=True)
    known = org_rows >= 0
    n_orgs = max(len(org_ids), 1)
    act_codes, org_codes = _distinct_participations(act_codes[known], rank[org_rows[known]], n_orgs, act_ids)
    org_rows = by_id[org_codes]
    periods = np.unique(numbers[numbers >= 0])
    act_period = np.searchsorted(periods, numbers[positions(act_ids, view.column("activities", "id"))])
    act_link = _link_codes(view, act_ids)
    n_periods, width = len(periods), len(LINK_IDS)

    # the organisations' activities per period and link, cumulative
    per = np.bincount(org_rows * n_periods + act_period[act_codes], minlength=len(org_ids) * n_periods)
    org_activities = np.cumsum(per.reshape(len(org_ids), n_periods), axis=1)
    typed = act_link[act_codes] >= 0
    cells = (org_rows[typed] * n_periods + act_period[act_codes[typed]]) * width + act_link[act_codes[typed]]
    per_link = np.bincount(cells, minlength=len(org_ids) * n_periods * width)
    org_links = np.cumsum(per_link.reshape(len(org_ids), n_periods, width), axis=1)

    # the ties: every pair of co-participants, pair by pair, activities in id order within a pair
    key, act, starts, tie_of = _tie_rows(act_codes, org_codes, n_orgs)
    n_ties = len(starts)
    row_period = act_period[act]
    first = np.minimum.reduceat(row_period, starts) if n_ties else np.zeros(0, dtype=np.int64)
    cell = tie_of * n_periods + row_period
    counts = np.cumsum(np.bincount(cell, minlength=n_ties * n_periods).reshape(n_ties, n_periods), axis=1)
    if spec.tie_weight == "newman":  # each activity's size in the whole ledger, as the whole view weighs it
        share = 1.0 / (activity_sizes(ledger, act_ids)[act] - 1)
        weights = np.cumsum(np.bincount(cell, weights=share, minlength=n_ties * n_periods).reshape(n_ties, n_periods),
                            axis=1)
    else:
        weights = None
    joined = np.full(len(org_ids), n_periods, dtype=np.int64)
    tie_source, tie_target = by_id[key[starts] // n_orgs], by_id[key[starts] % n_orgs]  # organisation rows
    np.minimum.at(joined, tie_source, first)
    np.minimum.at(joined, tie_target, first)
    # narrow types: at 10^4 organisations, 1.5 million ties (≤ MAX_PAIRS rows, < 2^31) take 70 MB, not 230
    counts = counts.astype(np.int32)
    arrays = dict(
        periods=periods.astype(np.int64), org_links=org_links, org_activities=org_activities, org_joined=joined,
        source=tie_source.astype(np.int32), target=tie_target.astype(np.int32), first=first.astype(np.int16),
        counts=counts, weights=counts if spec.tie_weight != "newman" else weights,
        starts=np.r_[starts, len(key)].astype(np.int32), row_activity=act.astype(np.int32),
        row_period=row_period.astype(np.int16), row_link=act_link[act].astype(np.int8), activity_ids=act_ids,
    )
    for value in arrays.values():
        value.flags.writeable = False
    return TieHistory(spec=spec, ledger_hash=ledger.content_hash(),
                      orgs={column: view.column("organizations", column) for column in NODE_LABELS}, **arrays)

