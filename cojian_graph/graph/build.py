"""The derived views of a ledger: the activity graph and the collaboration graph.

The collaboration graph is computed as an edge table first (:func:`collaboration_edges`, vectorised
numpy, no Python loop per ledger row; :func:`edge_columns` gives its columns without pandas) and
turned into a networkx graph second (:func:`collaboration_graph`). Large-network code can stay with
the tables.

Examples
--------
>>> from cojian_graph.graph.build import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> G = collaboration_graph(tiny_ledger())
>>> G.edges["a", "b"]["weight"], G.edges["a", "b"]["multiplexity"], G.edges["a", "b"]["activities"]
(2, 2, ('x1', 'x2'))
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from ..columns import distinct_ints, factorize, isin, object_array, positions
from ..model import LINK_IDS, TIE_WEIGHTS

if TYPE_CHECKING:  # networkx and pandas are imported where they are used: `cojian rank` needs neither
    import networkx as nx
    import pandas as pd

    from ..ledger import Ledger

__all__ = [
    "COUNT_COLUMNS",
    "activity_graph",
    "collaboration_edges",
    "collaboration_graph",
    "edge_columns",
    "joint_activities",
    "link_profile",
    "node_columns",
    "node_table",
]

#: Edge-table columns holding the count of joint activities per link type, in registry order.
COUNT_COLUMNS: tuple[str, ...] = tuple(f"n_{link}" for link in LINK_IDS)

#: The organisations' own columns at the start of the node table.
NODE_LABELS: tuple[str, ...] = ("id", "name", "name_en", "kind", "circle", "sector")

EDGE_COLUMNS = ["source", "target", "weight", "multiplexity", *COUNT_COLUMNS, "activities"]


def collaboration_edges(ledger: Ledger, *, evidence: bool = True, tie_weight: str = "count",
                        sizes_from: Ledger | None = None, new_among=None) -> pd.DataFrame:
    """One row per pair of organisations that took part in at least one activity together.

    Parameters
    ----------
    ledger : Ledger
    evidence : bool
        Also collect the ids of the activities behind each edge (column ``activities``, a tuple
        sorted by id). Skipping it saves time on very large ledgers.
    tie_weight : "count" or "newman"
        What ``weight`` is (:data:`~cojian_graph.model.TIE_WEIGHTS`): the number of joint activities (default), or
        Newman's collaboration weight, the sum of 1/(k-1) over the joint activities of k participants.
    sizes_from : Ledger, optional
        The ledger whose participations give each activity's *k* for Newman's weight (default:
        ``ledger``). Views pass the whole ledger, so that a mass meeting weighs as the mass meeting
        it was, whichever of its participants a filter keeps.
    new_among : collection of activity ids, optional
        Add a boolean column ``new``: every joint activity of the pair is among these (for the
        ties new in a period, the period's activities: the pair had none before).

    Returns
    -------
    DataFrame
        ``source``, ``target`` (organisation ids, ``source < target``), ``weight`` (by
        ``tie_weight``: an integer count, or a float), ``multiplexity`` (number of distinct link
        types, 0–8), ``n_<link>`` (joint activities per link type) and ``activities``.
    """
    import pandas as pd

    columns = edge_columns(ledger, evidence=evidence, tie_weight=tie_weight, sizes_from=sizes_from,
                           new_among=new_among)
    if not evidence:
        columns["activities"] = object_array([()] * len(columns["weight"]))
    return pd.DataFrame({key: pd.Series(values, dtype=_edge_dtype(key, values)) for key, values in columns.items()})


def edge_columns(ledger: Ledger, *, evidence: bool = False, tie_weight: str = "count",
                 sizes_from: Ledger | None = None, new_among=None, ends: str = "ids") -> dict[str, np.ndarray]:
    """The columns of :func:`collaboration_edges` as numpy arrays (no pandas).

    ``source`` and ``target`` are object arrays of ids (with ``ends="rows"``: int64 positions in the
    organisations table, -1 for an organisation missing from it), the counts int64 (``weight`` float64
    with ``tie_weight="newman"``); ``activities`` (tuples of activity ids) only with ``evidence``;
    ``new`` (bool) only with ``new_among``.
    """
    if tie_weight not in TIE_WEIGHTS:
        from ..errors import CojianError

        raise CojianError(f"未知的关系权重 unknown tie weight {tie_weight!r}; 可选 valid: {', '.join(TIE_WEIGHTS)}")
    org_codes, org_ids, act_codes, act_ids = participation_codes(ledger)
    n_orgs = max(len(org_ids), 1)
    act_codes, org_codes = _distinct_participations(act_codes, org_codes, n_orgs, act_ids)
    key, act, starts, edge_of = _tie_rows(act_codes, org_codes, n_orgs)
    width = len(LINK_IDS)
    if not len(act):
        nowhere = object_array([]) if ends == "ids" else np.zeros(0, dtype=np.int64)
        out = {"source": nowhere, "target": nowhere.copy(),
               **{key: np.zeros(0, dtype=np.int64) for key in ("weight", "multiplexity", *COUNT_COLUMNS)}}
        if tie_weight == "newman":
            out["weight"] = np.zeros(0)
        if evidence:
            out["activities"] = object_array([])
        if new_among is not None:
            out["new"] = np.zeros(0, dtype=bool)
        return out

    n_edges = len(starts)

    link_codes = _participated_links(ledger)[act]
    known = link_codes >= 0
    matrix = np.bincount(edge_of[known] * width + link_codes[known],
                         minlength=n_edges * width).reshape(n_edges, width)
    edge_key = key[starts]
    if tie_weight == "newman":
        size = activity_sizes(sizes_from or ledger, act_ids)
        weight = np.add.reduceat(1.0 / (size[act] - 1), starts)
    else:  # every joint activity counts; for a valid ledger this is also the sum of the n_<link>
        weight = np.diff(np.r_[starts, len(key)]).astype(np.int64)
    # the ends as ids, or as rows of the organisations table: one lookup per organisation, not per tie
    ends_of = org_ids if ends == "ids" else _participant_rows(ledger)
    out = {
        "source": ends_of[edge_key // n_orgs],
        "target": ends_of[edge_key % n_orgs],
        "weight": weight,
        "multiplexity": (matrix > 0).sum(axis=1).astype(np.int64),
    }
    for position, column in enumerate(COUNT_COLUMNS):
        out[column] = matrix[:, position].astype(np.int64)
    if new_among is not None:  # each tie's activities are a block of the sorted rows
        fresh = isin(act_ids, new_among)
        out["new"] = np.logical_and.reduceat(fresh[act], starts)
    if evidence:
        ids = act_ids[act].tolist()
        bounds = np.r_[starts, len(key)].tolist()
        out["activities"] = object_array([tuple(ids[begin:end]) for begin, end in itertools.pairwise(bounds)])
    return out


def pair_evidence(ledger: Ledger, sources, targets) -> np.ndarray:
    """The ``activities`` column of :func:`collaboration_edges` for the given pairs only: for each,
    the ids of the activities both took part in, sorted (for a few ties of a large table, whose
    evidence for every tie would cost more than the ties themselves)."""
    wanted = set(sources) | set(targets)
    acts_of: dict = {}
    for org, act in zip(ledger.column("participations", "organization_id").tolist(),
                        ledger.column("participations", "activity_id").tolist(), strict=True):
        if org in wanted:
            acts_of.setdefault(org, set()).add(act)
    return object_array([tuple(sorted(acts_of.get(source, set()) & acts_of.get(target, set())))
                         for source, target in zip(sources, targets, strict=True)])


def activity_sizes(ledger: Ledger, act_ids: np.ndarray) -> np.ndarray:
    """The number of distinct organisations taking part in each activity of ``act_ids``."""
    org_codes, org_ids, act_codes, all_ids = participation_codes(ledger)
    unique = distinct_ints(act_codes * max(len(org_ids), 1) + org_codes)
    size = np.bincount(unique // max(len(org_ids), 1), minlength=len(all_ids))
    where = positions(act_ids, all_ids)
    return np.where(where >= 0, size[where], 0)


def joint_activities(edges) -> np.ndarray:
    """The number of joint activities behind each edge of an edge table (or its columns), whatever
    ``weight`` holds: the sum of the ``n_<link>`` counts."""
    return sum(np.asarray(edges[column], dtype=np.int64) for column in COUNT_COLUMNS)


#: Most pairs of co-participants a ledger may make (each pair of an activity's participants is one):
#: 20 million pairs take about 1.5 GB while the ties are counted. One meeting of 6,300 organisations
#: reaches it; a view that would exceed it is refused (filter it, or record such a meeting through
#: the bodies that organised it).
MAX_PAIRS = 20_000_000


def _check_pairs(act_codes: np.ndarray, act_ids: np.ndarray) -> None:
    """``CojianError`` naming the largest activities when the pairs of co-participants exceed
    :data:`MAX_PAIRS` (``act_codes``: one per distinct participation)."""
    sizes = np.bincount(act_codes).astype(np.int64)
    pairs = int((sizes * (sizes - 1) // 2).sum())
    if pairs <= MAX_PAIRS:
        return
    from ..errors import CojianError

    largest = np.argsort(-sizes, kind="stable")[:3]
    named = ", ".join(f"{act_ids[i]} ({int(sizes[i]):,})" for i in largest if sizes[i] > 1)
    raise CojianError(
        f"这些活动的参与组织两两相连将产生 {pairs:,} 对合作关系，超过上限 {MAX_PAIRS:,}；参与最多的活动：{named}。"
        f"请用筛选排除这样的大会，或在台账中只记录组织大会的单位 / the participants of these activities would make "
        f"{pairs:,} pairs of ties, more than the limit of {MAX_PAIRS:,}; the largest activities: {named}. "
        "Leave such meetings out with a filter, or record them through the bodies that organised them")


def _distinct_participations(act_codes: np.ndarray, org_codes: np.ndarray, n_orgs: int,
                             act_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each (activity, organisation) once, duplicates dropped, ordered by activity code then
    organisation code; ``CojianError`` when their pairs would exceed :data:`MAX_PAIRS`."""
    unique = distinct_ints(act_codes * n_orgs + org_codes)
    act_codes, org_codes = unique // n_orgs, unique % n_orgs
    _check_pairs(act_codes, act_ids)
    return act_codes, org_codes


def _tie_rows(act_codes: np.ndarray, org_codes: np.ndarray, n_orgs: int):
    """The co-participations of distinct (activity, organisation) codes, tie by tie: each row's pair key
    (lower organisation code × ``n_orgs`` + higher) and activity code, sorted by key with a tie's
    activities in code order (a stable sort; codes numbered by id give them by id); where each tie's
    rows start; and the tie of each row."""
    source, target, act = _co_participations(act_codes, org_codes)
    key = source * n_orgs + target
    order = np.argsort(key, kind="stable")
    key, act = key[order], act[order]
    new = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
    return key, act, np.flatnonzero(new), np.cumsum(new) - 1


def _co_participations(act_codes: np.ndarray, org_codes: np.ndarray):
    """Every pair of distinct participants of each activity: (lower org code, higher org code, activity code).

    Vectorised: sort the participations by activity; a participation at position ``p`` of an
    activity's block ``[s, s + k)`` pairs with the positions ``p + 1 … s + k - 1``. The pairs come
    out ordered by activity code.
    """
    order = np.argsort(act_codes, kind="stable")
    acts, orgs = act_codes[order], org_codes[order]
    n = len(acts)
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    block_end = np.r_[np.flatnonzero(acts[1:] != acts[:-1]) + 1, n]
    sizes = np.diff(np.r_[0, block_end])
    end_of = np.repeat(block_end, sizes)
    partners = end_of - np.arange(n) - 1  # later participants of the same activity
    first = np.repeat(np.arange(n), partners)
    offset = np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    second = first + 1 + offset
    a, b = orgs[first].astype(np.int64), orgs[second].astype(np.int64)
    return np.minimum(a, b), np.maximum(a, b), acts[first].astype(np.int64)


def _participant_rows(ledger: Ledger) -> np.ndarray:
    """The row in the organisations table of each of :func:`participation_codes`' organisation ids (-1 when
    missing; the first row of a repeated id): worked out once per ledger, for the nodes' and the ties' columns."""
    def rows(data: Ledger) -> np.ndarray:
        found = positions(participation_codes(data)[1], data.column("organizations", "id"))
        found.flags.writeable = False
        return found

    return ledger.memo("participant_rows", rows)


def _participated_links(ledger: Ledger) -> np.ndarray:
    """:func:`_link_codes` of each of :func:`participation_codes`' activity ids, worked out once per ledger
    (0.17 s at 3·10^5 activities, which the nodes' and the ties' columns both need)."""
    def links(data: Ledger) -> np.ndarray:
        found = _link_codes(data, participation_codes(data)[3])
        found.flags.writeable = False
        return found

    return ledger.memo("participated_links", links)


def _link_codes(ledger: Ledger, act_ids: np.ndarray) -> np.ndarray:
    """Position in ``LINK_IDS`` of each activity's link type (-1 when unknown or missing).

    In an invalid ledger with a repeated activity id, the first row of that id counts.
    """
    where = positions(act_ids, ledger.column("activities", "id"))
    found = where >= 0
    codes = np.full(len(where), -1, dtype=np.int64)
    links = ledger.column("activities", "link_type")[where[found]]
    codes[found] = positions(links, LINK_IDS)
    return codes


def link_profile(ledger: Ledger) -> pd.DataFrame:
    """Organisation × link matrix: how many activities of each link type each organisation took part in.

    Every organisation of the ledger is a row (zeros where it took part in nothing); columns are
    the link ids in registry order.
    """
    import pandas as pd

    counts, _ = _profile(ledger)
    return pd.DataFrame(counts, index=pd.Index(ledger.column("organizations", "id"), name="id"),
                        columns=list(LINK_IDS))


def node_table(ledger: Ledger) -> pd.DataFrame:
    """The organisations with their link profile.

    Columns: id, name, name_en, kind, circle, sector, n_<link>, activities (how many it took part in).
    """
    import pandas as pd

    columns = node_columns(ledger)
    return pd.DataFrame({key: pd.Series(values, dtype=values.dtype) for key, values in columns.items()})


def node_columns(ledger: Ledger) -> dict[str, np.ndarray]:
    """The columns of :func:`node_table` as numpy arrays (no pandas), in the organisations' order."""
    counts, activities = _profile(ledger)
    out = {key: ledger.column("organizations", key) for key in NODE_LABELS}
    out.update((column, counts[:, position]) for position, column in enumerate(COUNT_COLUMNS))
    out["activities"] = activities
    return out


def _profile(ledger: Ledger) -> tuple[np.ndarray, np.ndarray]:
    """Per organisation, in the order of the organisations table: the activities of each link type
    (an ``n × 8`` int64 matrix) and of any type (``n``), each activity counted once."""
    org_ids = ledger.column("organizations", "id")
    n_orgs = len(org_ids)
    org_codes, _, act_codes, _ = participation_codes(ledger)
    rows = _participant_rows(ledger)[org_codes]  # first row of an id
    known = rows >= 0
    # each (activity, organisation) once, however many rows repeat it
    pairs = distinct_ints(act_codes[known] * max(n_orgs, 1) + rows[known])
    acts, rows = pairs // max(n_orgs, 1), pairs % max(n_orgs, 1)
    links = _participated_links(ledger)[acts]
    typed = links >= 0
    width = len(LINK_IDS)
    counts = np.bincount(rows[typed] * width + links[typed], minlength=n_orgs * width)
    counts = counts.reshape(n_orgs, width).astype(np.int64)
    activities = np.bincount(rows, minlength=n_orgs).astype(np.int64)
    # a repeated organisation id (invalid ledger) gets the counts of its first row
    first = positions(org_ids, org_ids)
    return counts[first], activities[first]


def participation_codes(ledger: Ledger) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The participations' organisation and activity ids as codes, each numbering the distinct ids
    in sorted order: ``(org_codes, org_ids, act_codes, act_ids)``, ``org_ids[org_codes]`` giving the
    column back. Worked out once per ledger (the node and edge columns both need them: a second
    each at 10^6 participations); callers must not change the arrays."""
    def codes(data: Ledger):
        org_codes, org_ids = factorize(data.column("participations", "organization_id"), sort=True)
        act_codes, act_ids = factorize(data.column("participations", "activity_id"), sort=True)
        for array in (org_codes, org_ids, act_codes, act_ids):
            array.flags.writeable = False  # shared by every caller
        return org_codes, org_ids, act_codes, act_ids

    return ledger.memo("participation_codes", codes)


def collaboration_graph(ledger: Ledger, *, evidence: bool = True) -> nx.Graph:
    """The collaboration graph: organisations, an edge where two took part in the same activity.

    Every organisation of the ledger is a node, isolated ones included, with attributes ``name``,
    ``name_en``, ``kind``, ``circle``, ``sector``, ``activities`` (how many it took part in) and
    ``n_<link>``. Edges carry the columns of :func:`collaboration_edges`; ``activities`` is a tuple
    of activity ids. ``G.graph["ledger_hash"]`` names the ledger it came from.
    """
    return graph_from_tables(node_table(ledger), collaboration_edges(ledger, evidence=evidence),
                             ledger_hash=ledger.content_hash())


def graph_from_tables(nodes: pd.DataFrame, edges: pd.DataFrame, **graph_attrs) -> nx.Graph:
    """A networkx graph from a node table (column ``id``) and an edge table (``source``, ``target``):
    DataFrames, or mappings of column name → array."""
    import networkx as nx

    G = nx.Graph(**graph_attrs)
    # column lists zipped, not DataFrame.to_dict: that goes row by row through pandas indexing
    node_attrs = [column for column in nodes if column != "id"]
    node_columns = [nodes[column].tolist() for column in node_attrs]
    G.add_nodes_from(
        (node, dict(zip(node_attrs, values, strict=True)))
        for node, *values in zip(nodes["id"].tolist(), *node_columns, strict=True)
    )
    attrs = [column for column in edges if column not in ("source", "target")]
    columns = [edges[column].tolist() for column in attrs]
    G.add_edges_from(
        (source, target, dict(zip(attrs, values, strict=True)))
        for source, target, *values in zip(edges["source"].tolist(), edges["target"].tolist(), *columns,
                                           strict=True)
    )
    return G


def activity_graph(ledger: Ledger) -> nx.Graph:
    """The bipartite activity graph: organisations (``bipartite=0``) and activities (``bipartite=1``).

    Node ids are prefixed to keep the two sets apart: ``"org:<id>"`` and ``"act:<id>"``; each node
    has ``kind_of_node`` ("organization" or "activity") and ``id``. Edges carry the ``role``.
    """
    import networkx as nx

    B = nx.Graph()
    orgs = ledger.organizations
    B.add_nodes_from(
        (f"org:{row['id']}", {"bipartite": 0, "kind_of_node": "organization", **row})
        for row in orgs[["id", "name", "name_en", "kind", "circle", "sector"]].to_dict("records")
    )
    acts = ledger.activities
    B.add_nodes_from(
        (f"act:{row['id']}", {"bipartite": 1, "kind_of_node": "activity", **row})
        for row in acts[["id", "title", "title_en", "link_type", "date"]].to_dict("records")
    )
    part = ledger.participations
    B.add_edges_from(
        (f"org:{org}", f"act:{act}", {"role": role})
        for act, org, role in zip(part["activity_id"], part["organization_id"], part["role"], strict=True)
    )
    return B


def _edge_dtype(column: str, values: np.ndarray):
    if column in ("source", "target", "activities"):
        return object
    if values.dtype.kind == "b":
        return bool
    return "float64" if values.dtype.kind == "f" else "int64"
