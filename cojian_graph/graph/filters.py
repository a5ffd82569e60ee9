"""Filtered views: link types, circles, sectors, years, minimum weight and the k-hop ego network.

A :class:`GraphFilter` is plain data (the app puts it in the URL, the CLI builds it from options).
Link types and years select *activities*; circles and sectors select *organisations* (an activity
is kept with the remaining participants); minimum weight drops weak *edges*; focus and hops keep
the k-hop neighbourhood of one organisation in what remains.

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> G = filtered_graph(tiny_ledger(), GraphFilter(links=("learning",)))
>>> sorted(G.edges())
[('a', 'b')]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from ..columns import isin
from ..errors import CojianError, UnknownNodeError
from ..ledger import Ledger
from ..model import CIRCLES, LINK_IDS, SECTORS, TIE_WEIGHTS, resolve_link
from .build import collaboration_edges, graph_from_tables, joint_activities, node_table, pair_evidence

if TYPE_CHECKING:  # networkx and pandas are imported where used: `cojian rank` needs neither
    import networkx as nx
    import pandas as pd

__all__ = ["GraphFilter", "filter_ledger", "filtered_edges", "filtered_graph", "find_organization", "layer_graphs",
           "view_tables"]


@dataclass(frozen=True, slots=True)
class GraphFilter:
    """What part of the network to look at. Every field's default means "all".

    Attributes
    ----------
    links : tuple of link ids, empty for all eight
    circles : tuple of circle ids, empty for all
    sectors : tuple of sector ids, empty for all
    year_min, year_max : int or None
        Keep activities dated within these years (inclusive).
    include_undated : bool
        When a year bound is set, also keep activities with no date (default True, since many
        ledgers leave dates empty).
    period : str or None
        Keep the activities dated within one period: a year, half-year or quarter as people write
        it (``2022``, ``2022-H1``, ``2022上半年``, ``2022-Q3``; see :mod:`cojian_graph.periods`).
        Undated activities, and those dated more coarsely than the period (by the year alone, for a
        half-year), are left out whatever ``include_undated`` says: they cannot be placed in it.
    min_weight : int
        Keep edges with at least this many joint activities (default 1: all), whatever the tie weight.
    tie_weight : str
        How joint activities weigh on a tie (:data:`~cojian_graph.model.TIE_WEIGHTS`):
        ``"count"`` (default) or ``"newman"``.
    focus : organisation id or None
        Keep only the ``hops``-step neighbourhood of this organisation.
    hops : int
        Radius of the neighbourhood around ``focus`` (default 1).
    """

    links: tuple[str, ...] = ()
    circles: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    include_undated: bool = True
    period: str | None = None
    min_weight: int = 1
    tie_weight: str = "count"
    focus: str | None = None
    hops: int = 1
    _checked: bool = field(default=False, repr=False, compare=False)

    def normalized(self) -> GraphFilter:
        """The same filter with link names resolved to ids; raises CojianError on unknown values."""
        links = []
        for text in self.links:
            link = resolve_link(text)
            if link is None:
                raise CojianError(f"未知的八联类型 unknown link type: {text!r}; "
                                  f"可选 valid: {', '.join(LINK_IDS)}")
            links.append(link)
        for values, registry, what in ((self.circles, CIRCLES, "circle"), (self.sectors, SECTORS, "sector")):
            unknown = [value for value in values if value not in registry]
            if unknown:
                raise CojianError(f"未知的{'圈层' if what == 'circle' else '领域'} unknown {what}: "
                                  f"{', '.join(unknown)}; 可选 valid: {', '.join(registry)}")
        if self.tie_weight not in TIE_WEIGHTS:
            raise CojianError(f"未知的关系权重 unknown tie weight: {self.tie_weight!r}; "
                              f"可选 valid: {', '.join(TIE_WEIGHTS)}")
        if self.min_weight < 1:
            raise CojianError("最小权重至少为 1 / min_weight must be at least 1")
        if self.hops < 0:
            raise CojianError("跳数不能为负 / hops must not be negative")
        if self.year_min is not None and self.year_max is not None and self.year_min > self.year_max:
            raise CojianError(f"起始年份晚于结束年份 / year_min {self.year_min} "
                              f"is after year_max {self.year_max}")
        period = None
        if self.period:
            from ..periods import parse_period, period_labels

            kind, number = parse_period(self.period)
            period = period_labels([number], kind)[0]  # as the views write it: 2022-H1
        return replace(self, links=tuple(dict.fromkeys(links)), period=period, _checked=True)

    @property
    def is_default(self) -> bool:
        return self == GraphFilter()


def filter_ledger(ledger: Ledger, spec: GraphFilter = GraphFilter()) -> Ledger:
    """The part of ``ledger`` that ``spec`` selects by link type, year, period, circle and sector.

    Organisations left out by circle or sector are removed along with their participations;
    every other organisation stays (possibly isolated). Edge weight and focus are graph-level and
    applied by :func:`filtered_graph`.
    """
    spec = spec if spec._checked else spec.normalized()
    by_activity = (bool(spec.links) or spec.year_min is not None or spec.year_max is not None
                   or spec.period is not None)
    by_organization = bool(spec.circles or spec.sectors)
    if not (by_activity or by_organization):
        return ledger  # nothing to select: the ledger itself (it is never modified in place)
    keep_act = keep_org = None
    if by_activity:
        keep_act = np.ones(ledger.size("activities"), dtype=bool)
        if spec.links:
            keep_act &= isin(ledger.column("activities", "link_type"), set(spec.links))
        if spec.year_min is not None or spec.year_max is not None:
            years = ledger.year_array()
            dated = years >= 0
            in_range = dated.copy()
            if spec.year_min is not None:
                in_range &= years >= spec.year_min
            if spec.year_max is not None:
                in_range &= years <= spec.year_max
            keep_act &= in_range | (~dated & spec.include_undated)
        if spec.period is not None:
            from ..periods import parse_period, periods_of

            kind, number = parse_period(spec.period)
            keep_act &= periods_of(ledger.column("activities", "date"), kind) == number
    if by_organization:
        keep_org = np.ones(ledger.size("organizations"), dtype=bool)
        if spec.circles:
            keep_org &= isin(ledger.column("organizations", "circle"), set(spec.circles))
        if spec.sectors:
            keep_org &= isin(ledger.column("organizations", "sector"), set(spec.sectors))
    keep_part = np.ones(ledger.size("participations"), dtype=bool)
    if keep_act is not None:
        kept = set(ledger.column("activities", "id")[keep_act].tolist())
        keep_part &= isin(ledger.column("participations", "activity_id"), kept)
    if keep_org is not None:
        kept = set(ledger.column("organizations", "id")[keep_org].tolist())
        keep_part &= isin(ledger.column("participations", "organization_id"), kept)
    return ledger.take(organizations=keep_org, activities=keep_act, participations=keep_part)


def filtered_edges(
    ledger: Ledger, spec: GraphFilter = GraphFilter(), *, evidence: bool = True
) -> pd.DataFrame:
    """The collaboration edge table of the filtered ledger, without edges below ``min_weight``."""
    spec = spec if spec._checked else spec.normalized()
    return _strong_edges(filter_ledger(ledger, spec), spec, evidence, ledger)


def _strong_edges(ledger: Ledger, spec: GraphFilter, evidence: bool, whole: Ledger,
                  new_among=None) -> pd.DataFrame:
    """The collaboration edges of ``ledger`` weighted by ``spec.tie_weight`` (activity sizes from the
    ``whole`` ledger), without those of fewer than ``spec.min_weight`` joint activities."""
    edges = collaboration_edges(ledger, evidence=evidence, tie_weight=spec.tie_weight, sizes_from=whole,
                                new_among=new_among)
    if spec.min_weight > 1:
        edges = edges[joint_activities(edges) >= spec.min_weight].reset_index(drop=True)
    return edges


def filtered_graph(ledger: Ledger, spec: GraphFilter = GraphFilter(), *, evidence: bool = True) -> nx.Graph:
    """The collaboration graph of the view ``spec`` selects.

    With ``spec.focus`` it is the ``spec.hops``-step neighbourhood of the focus in the filtered
    graph, with every edge among those organisations (what ``networkx.ego_graph`` gives), found on
    the edge table before any networkx object is made. The graph's ``graph`` attributes are
    ``ledger_hash`` (of the whole ledger) and ``filter`` (the normalised ``spec``).

    Raises ``UnknownNodeError`` when ``spec.focus`` is not an organisation of the ledger, and
    ``CojianError`` when a filter value is unknown.
    """
    return _filtered_graph(ledger, spec.normalized(), evidence, ledger.content_hash())


def layer_graphs(ledger: Ledger, spec: GraphFilter = GraphFilter()) -> dict[str, nx.Graph]:
    """One collaboration graph per link type (the eight layers), each under ``spec``'s other filters."""
    spec = spec.normalized()
    wanted = spec.links or LINK_IDS
    ledger_hash = ledger.content_hash()
    return {link: _filtered_graph(ledger, replace(spec, links=(link,)), True, ledger_hash) for link in wanted}


def find_organization(ledger: Ledger, text: str) -> str:
    """The id of the organisation ``text`` names: its id, or its Chinese or English name (any letter
    case, full- or half-width). Raises :class:`UnknownNodeError` naming the closest ids and names.

    >>> from cojian_graph.testing import tiny_ledger
    >>> find_organization(tiny_ledger(), "车间党支部"), find_organization(tiny_ledger(), "workshop BRANCH")
    ('b', 'b')
    >>> try:
    ...     find_organization(tiny_ledger(), "车间党支")
    ... except UnknownNodeError as error:
    ...     print(error.args[0].split("; ")[1])
    您是否要找 did you mean: b (车间党支部)?
    """
    import difflib
    import unicodedata

    ids = ledger.column("organizations", "id").tolist()
    if text in ids:
        return text

    def key(value: str) -> str:
        return unicodedata.normalize("NFKC", value).strip().casefold()

    names = {}
    for column in ("name", "name_en"):
        for org, name in zip(ids, ledger.column("organizations", column).tolist(), strict=True):
            if name:
                names.setdefault(key(name), org)
    for org in ids:
        names.setdefault(key(org), org)
    wanted = key(text)
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    label = dict(zip(ids, ledger.column("organizations", "name").tolist(), strict=True))
    hint = ", ".join(dict.fromkeys(f"{names[c]} ({label.get(names[c], '')})" for c in close))
    raise UnknownNodeError(f"台账中没有组织 {text!r} / no organisation {text!r} in the ledger"
                           + (f"; 您是否要找 did you mean: {hint}?" if hint else ""))


def require_focus(ledger: Ledger, spec: GraphFilter) -> None:
    """``UnknownNodeError`` when ``spec.focus`` is set but not an organisation of ``ledger``."""
    if spec.focus is not None and spec.focus not in set(ledger.column("organizations", "id").tolist()):
        raise UnknownNodeError(
            f"台账中没有组织 {spec.focus!r} / no organisation {spec.focus!r} in the ledger")


def _filtered_graph(ledger: Ledger, spec: GraphFilter, evidence: bool, ledger_hash: str) -> nx.Graph:
    nodes, edges = view_tables(ledger, spec, evidence=evidence)
    return graph_from_tables(nodes, edges, ledger_hash=ledger_hash, filter=spec)


def view_tables(ledger: Ledger, spec: GraphFilter = GraphFilter(), *, evidence: bool = True, new_among=None,
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The node and edge tables of the view ``spec`` selects: what :func:`filtered_graph` is made of,
    for a caller that needs the ties without a networkx graph (``new_among``: as in
    :func:`~cojian_graph.graph.collaboration_edges`). Raises as :func:`filtered_graph`."""
    spec = spec if spec._checked else spec.normalized()
    require_focus(ledger, spec)
    sub = filter_ledger(ledger, spec)
    if spec.focus is None:
        return node_table(sub), _strong_edges(sub, spec, evidence, ledger, new_among)
    return _neighbourhood_tables(sub, spec, evidence, ledger, new_among)


def strongest(weights: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` largest of ``weights``, largest first, equal ones in their order.

    Weights are compared to nine decimals: Newman's weights, sums of fractions, come out a few units
    in the last place apart when summed in another order, and would otherwise order equal ties apart.

    >>> strongest(np.array([1.0, 2.0, 0.1 + 0.2, 0.3, 2.0]), 4).tolist()
    [1, 4, 0, 2]
    """
    return np.argsort(-np.round(weights, 9), kind="stable")[:limit]


def drawn_graph(ledger: Ledger, spec: GraphFilter = GraphFilter(), *, limit: int, new_among=None,
                connected_only: bool = False) -> nx.Graph:
    """The view's graph as a map draws it, without building a graph of every tie: every organisation
    (with ``connected_only``, those with at least one tie) and the view's ``limit`` strongest ties
    (by weight, then in the edge table's order).

    Its ``graph`` attributes say what was left out: ``ties`` (how many the view has), ``sizes`` (a
    table of every organisation's ``strength`` and ``degree`` over all of them), and with
    ``new_among`` (the activities of a period; see :func:`~cojian_graph.graph.collaboration_edges`)
    ``new_count`` (how many of the view's ties are new) and ``new_ties`` (those drawn, as frozenset
    pairs). Raises as :func:`filtered_graph`.
    """
    import pandas as pd

    spec = spec.normalized()
    nodes, edges = view_tables(ledger, spec, evidence=False, new_among=new_among)
    ends = pd.concat([edges[["source", "weight"]].rename(columns={"source": "id"}),
                      edges[["target", "weight"]].rename(columns={"target": "id"})])
    sizes = ends.groupby("id", sort=False)["weight"].agg(strength="sum", degree="size")
    sizes = sizes.reindex(nodes["id"], fill_value=0).astype(float)
    if connected_only:
        nodes = nodes[(sizes["degree"] > 0).to_numpy()].reset_index(drop=True)
        sizes = sizes[sizes["degree"] > 0]
    drawn = edges
    if len(edges) > limit:
        drawn = edges.iloc[strongest(edges["weight"].to_numpy(dtype=float), limit)].copy()
    # the evidence of the drawn ties only (of a million ties, it would take longer than the ties)
    drawn["activities"] = pair_evidence(filter_ledger(ledger, spec), drawn["source"].tolist(),
                                        drawn["target"].tolist())
    extra = {}
    if new_among is not None:
        fresh = drawn[drawn["new"]]
        extra = {"new_count": int(edges["new"].sum()),
                 "new_ties": frozenset(map(frozenset, zip(fresh["source"], fresh["target"], strict=True)))}
        drawn = drawn.drop(columns="new")
    return graph_from_tables(nodes, drawn, ledger_hash=ledger.content_hash(), filter=spec, ties=len(edges),
                             sizes=sizes, **extra)


def _neighbourhood_tables(sub: Ledger, spec: GraphFilter, evidence: bool,
                          whole: Ledger, new_among=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables of the ``spec.hops``-step neighbourhood of ``spec.focus`` in ``sub``.

    Breadth-first over the participations, touching only the activities of the organisations
    reached so far: every joint activity of a pair includes either organisation, so the weights
    found are the whole-ledger weights. The result equals ``networkx.ego_graph`` of the filtered
    graph (every edge among the organisations reached), without building that graph.
    """
    part = sub.participations
    org_of, act_of = part["organization_id"], part["activity_id"]
    if spec.focus not in set(sub.column("organizations", "id").tolist()):  # filtered out by circle or sector
        empty = _with(sub, sub.organizations.iloc[:0], part.iloc[:0])
        return node_table(empty), collaboration_edges(empty, tie_weight=spec.tie_weight, new_among=new_among)
    reached, frontier = {spec.focus}, {spec.focus}
    for _ in range(spec.hops):
        activities = act_of[org_of.isin(frontier)].unique()
        around = _strong_edges(_with(sub, sub.organizations, part[act_of.isin(activities)]), spec, False, whole)
        touching = around["source"].isin(frontier) | around["target"].isin(frontier)
        frontier = (set(around.loc[touching, "source"]) | set(around.loc[touching, "target"])) - reached
        if not frontier:
            break
        reached |= frontier
    near = _with(sub, sub.organizations[sub.organizations["id"].isin(reached)], part[org_of.isin(reached)])
    return node_table(near), _strong_edges(near, spec, evidence, whole, new_among)


def _with(ledger: Ledger, organizations: pd.DataFrame, participations: pd.DataFrame) -> Ledger:
    return Ledger(organizations.reset_index(drop=True), ledger.activities, participations.reset_index(drop=True))
