"""How the network looks: node colours, sizes and shapes, edge colours and widths, legend entries.

Everything is read from the registries of :mod:`cojian_graph.model` (link colours and names, circles,
sectors) and returned as plain data, so that the interactive page and the images agree. Names are
in Chinese (``lang="zh"``) or English (``lang="en"``).

The three circles are told apart by *shape* (focal ★, internal ●, external ◆) whatever the nodes are
coloured by, so that colouring by sector or community never hides the internal–external circulation.

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> G = collaboration_graph(tiny_ledger())
>>> styles = node_styles(G, color_by="circle")
>>> styles["a"].shape, styles["a"].color == CIRCLE_COLORS["focal"]
('star', True)
>>> edge_styles(G)[("a", "c")].link  # one brand, one service activity: ties go to registry order
'brand'
>>> [entry.label for entry in legend_entries(G, color_by="circle", lang="en") if entry.kind == "edge"]
['Joint brand building']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..errors import CojianError
from ..model import CIRCLES, LINK_IDS, LINKS, SECTORS, Circle, label_of

__all__ = [
    "CIRCLE_COLORS",
    "COLOR_BY",
    "SHAPES",
    "SIZE_BY",
    "EdgeStyle",
    "LegendEntry",
    "NodeStyle",
    "display_name",
    "dominant_link",
    "dominant_links",
    "edge_styles",
    "label_nodes",
    "legend_entries",
    "link_colors",
    "measure_values",
    "node_colors",
    "node_sizes",
    "node_styles",
    "short_label",
]

#: Node colour schemes: id → (中文, English).
COLOR_BY: dict[str, tuple[str, str]] = {
    "circle": ("圈层", "Circle"),
    "sector": ("领域", "Sector"),
    "community": ("社群", "Community"),
    "main_link": ("主要联建类型", "Main link type"),
}

#: Measures computed here when the analysis layer does not provide them: id → (中文, English).
SIZE_BY: dict[str, tuple[str, str]] = {
    "strength": ("合作强度（加权度）", "Strength (weighted degree)"),
    "degree": ("合作伙伴数（度）", "Partners (degree)"),
    "activities": ("参与活动数", "Activities taken part in"),
}

CIRCLE_COLORS: dict[str, str] = {
    Circle.FOCAL: "#C0392B",  # party red
    Circle.INTERNAL: "#2F6DB5",
    Circle.EXTERNAL: "#5E9E6E",
    "": "#9E9E9E",
}

#: Circle → (vis-network shape, matplotlib marker).
SHAPES: dict[str, tuple[str, str]] = {
    Circle.FOCAL: ("star", "*"),
    Circle.INTERNAL: ("dot", "o"),
    Circle.EXTERNAL: ("diamond", "D"),
    "": ("square", "s"),
}

_SHAPE_SYMBOL = {Circle.FOCAL: "★", Circle.INTERNAL: "●", Circle.EXTERNAL: "◆", "": "■"}

# tab10 without its grey, then tab20's light tones: enough distinct colours for sectors and communities
_PALETTE = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#BCBD22", "#17BECF",
    "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#DBDB8D", "#9EDAE5",
)
SECTOR_COLORS: dict[str, str] = {sector: _PALETTE[i] for i, sector in enumerate(SECTORS)}
NO_VALUE_COLOR = "#BDBDBD"
_COUNT_KEYS = tuple(f"n_{link}" for link in LINK_IDS)


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How one organisation is drawn. ``group`` is the legend key of its colour."""

    color: str
    size: float
    shape: str  # vis-network shape; see SHAPES for the matplotlib marker
    marker: str
    group: str
    value: float  # the value of the size measure


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """How one collaboration edge is drawn: the colour of its dominant link type, width by weight; and
    ``joint``, the joint activities it stands for (the sum of its ``n_<link>``, else its weight)."""

    color: str
    width: float
    link: str | None
    joint: float = 0.0


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One legend line. ``kind`` is ``"node"`` (a colour), ``"shape"`` (a circle) or ``"edge"`` (a link)."""

    kind: str
    key: str
    label: str
    color: str
    symbol: str = ""


def display_name(data: Mapping, node: Hashable, lang: str = "zh") -> str:
    """The organisation's name in ``lang``, falling back to the other language, then to the id.

    >>> display_name({"name": "铸钢党总支", "name_en": ""}, "a", "en")
    '铸钢党总支'
    """
    first, second = ("name", "name_en") if lang == "zh" else ("name_en", "name")
    return str(data.get(first) or data.get(second) or node)


#: Drawings larger than this skip the check for ties crossing other organisations (it costs nodes × ties).
CROSSING_CHECK_MAX = 2_000_000


def crossing_ties(xy: np.ndarray, ends: np.ndarray, room: np.ndarray) -> set[int]:
    """Positions of the ties (rows of ``ends``: vertex indices into ``xy``) whose straight segment
    passes within ``room[i]`` of a vertex ``i`` other than its two ends; empty for drawings of more
    than :data:`CROSSING_CHECK_MAX` vertices × ties. Vectorised in blocks of 256 ties.

    >>> xy = np.array([[0.0, 0.0], [-1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> sorted(crossing_ties(xy, np.array([[1, 2], [1, 3]]), np.full(4, 0.1)))
    [0]
    """
    if not len(ends) or len(xy) * len(ends) > CROSSING_CHECK_MAX:
        return set()
    a, b = xy[ends[:, 0]], xy[ends[:, 1]]
    out: set[int] = set()
    for start in range(0, len(ends), 256):  # bounded memory: 256 ties × the vertices at a time
        pa, pb = a[start:start + 256, None, :], b[start:start + 256, None, :]
        d = pb - pa
        length2 = np.maximum((d ** 2).sum(axis=2), 1e-12)
        t = np.clip(((xy[None, :, :] - pa) * d).sum(axis=2) / length2, 0.0, 1.0)
        close = np.sqrt(((xy[None, :, :] - (pa + t[:, :, None] * d)) ** 2).sum(axis=2)) < room[None, :]
        rows = np.arange(close.shape[0])
        close[rows, ends[start:start + 256, 0]] = False
        close[rows, ends[start:start + 256, 1]] = False
        out.update((np.flatnonzero(close.any(axis=1)) + start).tolist())
    return out


def arc(a, b, *, bend: float = 0.35, steps: int = 16) -> np.ndarray:
    """Points of a gentle arc from ``a`` to ``b`` (a quadratic curve whose control point is moved
    sideways by ``bend`` times the distance), for a tie that must not run over an organisation.

    >>> arc((0.0, 0.0), (2.0, 0.0), steps=3).round(3).tolist()
    [[0.0, 0.0], [1.0, -0.35], [2.0, 0.0]]
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = b - a
    control = (a + b) / 2 + bend * np.array([d[1], -d[0]])
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t ** 2 * b


#: Longest label drawn beside a node; longer names end in "…" (the tooltip keeps the whole name).
LABEL_MAX_CHARS = 24


def short_label(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    """``text`` cut to ``limit`` characters with "…", for a label on a map.

    >>> short_label("中车眉山车辆有限公司铸钢分公司党总支", 10)
    '中车眉山车辆有限公…'
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


def measure_values(G: nx.Graph, size_by: str = "strength", measures=None) -> dict[Hashable, float]:
    """The value of measure ``size_by`` for every node of ``G``.

    Parameters
    ----------
    G : networkx.Graph
    size_by : str
        A measure id. ``"strength"``, ``"degree"`` and ``"activities"`` are computed here; any
        other id is looked up in ``measures`` or in the analysis layer's ``MEASURES`` registry.
    measures : mapping node → value, or DataFrame, optional
        Precomputed values: a mapping used as is, or a table (e.g. the rank table) with a column
        ``size_by`` indexed by organisation id or carrying an ``id`` column. Nodes missing from it
        get 0.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"weight": 2}), ("a", "c", {"weight": 1})])
    >>> measure_values(G, "strength")
    {'a': 3.0, 'b': 2.0, 'c': 1.0}
    """
    if measures is not None:
        values = _from_precomputed(measures, size_by)
        if values is not None:
            return {node: float(values.get(node, 0) or 0) for node in G}
    if size_by == "strength":
        return {node: float(value) for node, value in G.degree(weight="weight")}
    if size_by == "degree":
        return {node: float(value) for node, value in G.degree()}
    if size_by in ("activities", "organizations"):  # organizations: the groups of an aggregated view
        return {node: float(data.get(size_by, 0) or 0) for node, data in G.nodes(data=True)}
    computed = _from_registry(G, size_by)
    if computed is None:
        raise CojianError(f"未知的指标 unknown measure: {size_by!r}; 可选 valid: {', '.join(_size_ids())}")
    return {node: float(computed.get(node, 0) or 0) for node in G}


def dominant_link(data: Mapping) -> str | None:
    """The link type with the largest ``n_<link>`` count in ``data`` (ties: registry order), or None.

    >>> dominant_link({"n_brand": 1, "n_service": 3}), dominant_link({"n_brand": 0})
    ('service', None)
    """
    best, best_count = None, 0
    for link, key in zip(LINK_IDS, _COUNT_KEYS, strict=True):
        count = data.get(key, 0) or 0
        if count > best_count:
            best, best_count = link, count
    return best


def node_styles(
    G: nx.Graph,
    *,
    color_by: str = "circle",
    size_by: str = "strength",
    measures=None,
    communities: Mapping[Hashable, int] | None = None,
    min_size: float = 10.0,
    max_size: float = 40.0,
) -> dict[Hashable, NodeStyle]:
    """Colour, size and shape of every node.

    Parameters
    ----------
    G : networkx.Graph
    color_by : {"circle", "sector", "community", "main_link"}
    size_by : str
        Measure id (see :func:`measure_values`); sizes grow with the square root of the value, so
        that a node's *area* follows the measure.
    measures : optional
        Precomputed measure values (see :func:`measure_values`).
    communities : mapping node → community number, optional
        For ``color_by="community"``; computed with Louvain (fixed seed) when not given.
    min_size, max_size : float
        Node sizes of the smallest and largest value.
    """
    if color_by not in COLOR_BY:
        raise CojianError(f"未知的着色方式 unknown colour scheme: {color_by!r}; "
                          f"可选 valid: {', '.join(COLOR_BY)}")
    values = measure_values(G, size_by, measures)
    colors = _node_groups(G, color_by, communities)
    plain = _without_circles(G)
    sizes = node_sizes([values[node] for node in G], min_size, max_size)
    styles = {}
    for (node, data), size in zip(G.nodes(data=True), sizes, strict=True):
        circle = data.get("circle", "")
        circle = Circle.INTERNAL if plain else circle if circle in SHAPES else ""  # a plain dot for a group
        group, color = colors[node]
        styles[node] = NodeStyle(color=color, size=size, shape=SHAPES[circle][0], marker=SHAPES[circle][1],
                                 group=group, value=values[node])
    return styles


def node_sizes(values, min_size: float = 10.0, max_size: float = 40.0) -> list[float]:
    """The drawn size of each of ``values`` (a measure): growing with the square root of the value, so that
    a node's *area* follows the measure, from ``min_size`` to ``max_size``; all midway when they are equal.

    >>> node_sizes([0.0, 1.0, 4.0])
    [10.0, 25.0, 40.0]
    """
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    if not len(values):
        return []
    low, high = float(values.min()), float(values.max())
    share = np.sqrt((values - low) / (high - low)) if high > low else np.full(len(values), 0.5)
    return [round(min_size + (max_size - min_size) * part, 3) for part in share.tolist()]


def node_colors(color_by: str, *, circles=None, sectors=None, links=None, communities=None) -> list[tuple[str, str]]:
    """(legend key, colour) of each node for a colour scheme, from the column it needs: ``circles``,
    ``sectors``, ``links`` (each node's dominant link type, None for none) or ``communities`` (numbers
    from 0, -1 for none).

    >>> node_colors("sector", sectors=["company", ""])[1]
    ('', '#BDBDBD')
    """
    if color_by == "circle":
        return [(c := _known(circle or "", CIRCLE_COLORS), CIRCLE_COLORS[c]) for circle in circles]
    if color_by == "sector":
        return [(key, SECTOR_COLORS.get(key, NO_VALUE_COLOR)) for key in (sector or "" for sector in sectors)]
    if color_by == "main_link":
        return list(zip((link or "" for link in links), link_colors(links), strict=True))
    return [(str(k), _PALETTE[k % len(_PALETTE)] if k >= 0 else NO_VALUE_COLOR) for k in communities]


def edge_styles(G: nx.Graph, *, min_width: float = 1.0, max_width: float = 8.0) -> dict[tuple, EdgeStyle]:
    """Colour (of the dominant link type) and width (growing with log2 of the weight) of every edge.

    Keys are ``(u, v)`` in ``G.edges()`` order.

    >>> G = nx.Graph([("a", "b", {"weight": 4, "n_learning": 3, "n_brand": 1})])
    >>> style = edge_styles(G)[("a", "b")]
    >>> style.link, style.color == LINKS["learning"].color, style.width
    ('learning', True, 4.0)
    """
    import numpy as np

    edges = list(G.edges(data=True))
    if not edges:
        return {}
    counts = np.array([[data.get(key, 0) or 0 for key in _COUNT_KEYS] for _, _, data in edges], dtype=float)
    links = dominant_links(counts)
    has_link = counts.max(axis=1) > 0
    weights = np.maximum(np.array([float(data.get("weight", 1) or 1) for _, _, data in edges]), 1.0)
    if "by" in G.graph:  # the groups of an aggregated view: thousands of joint activities, widths relative
        widths = np.round(min_width + (max_width - min_width) * np.log1p(weights) / np.log1p(weights.max()), 3)
    else:
        widths = np.round(np.minimum(max_width, min_width + 1.5 * np.log2(weights)), 3)
    raw = np.array([float(data.get("weight", 0) or 0) for _, _, data in edges])
    joint = np.where(has_link, counts.sum(axis=1), raw)
    return {(u, v): EdgeStyle(color=color, width=width, link=link, joint=total)
            for (u, v, _), link, color, width, total in zip(edges, links, link_colors(links), widths.tolist(),
                                                            joint.tolist(), strict=True)}


def dominant_links(counts) -> list[str | None]:
    """The dominant link type of each row of an ``(m, 8)`` matrix of counts per link type (ties: registry
    order), None where every count is 0: :func:`dominant_link` of many ties at once.

    >>> dominant_links([[0, 1, 0, 0, 0, 3, 0, 0], [0] * 8, [2, 2, 0, 0, 0, 0, 0, 0]])
    ['service', None, 'organization']
    """
    import numpy as np

    counts = np.asarray(counts, dtype=float).reshape(-1, len(LINK_IDS))
    best = counts.argmax(axis=1).tolist()  # the first maximum: ties go to registry order
    return [LINK_IDS[index] if linked else None
            for index, linked in zip(best, (counts.max(axis=1) > 0).tolist(), strict=True)]


def link_colors(links) -> list[str]:
    """The colour of each link type of ``links`` (grey for None)."""
    return [LINKS[link].color if link else NO_VALUE_COLOR for link in links]


def _without_circles(G: nx.Graph) -> bool:
    """The nodes are groups of sectors or communities (an aggregated view, ``G.graph["by"]``): a circle
    means nothing for them, so they are plain dots and the legend shows no shapes."""
    return G.graph.get("by") not in (None, "circle")


def legend_entries(
    G: nx.Graph,
    *,
    color_by: str = "circle",
    lang: str = "zh",
    styles: Mapping[Hashable, NodeStyle] | None = None,
    communities: Mapping[Hashable, int] | None = None,
    edges: Mapping[tuple, EdgeStyle] | None = None,
) -> list[LegendEntry]:
    """The legend of a drawing of ``G``: node colours, circle shapes and edge link types present in ``G``.

    Entries come in registry order (communities by number); only values that occur are listed.
    ``styles`` and ``edges`` take the node and edge styles already computed for the drawing.
    """
    if styles is None:
        styles = node_styles(G, color_by=color_by, communities=communities)
    entries: list[LegendEntry] = []
    if color_by != "circle":
        present = {}
        for style in styles.values():
            present.setdefault(style.group, style.color)
        for key in _group_order(color_by, present):
            entries.append(LegendEntry("node", key, _group_label(color_by, key, lang), present[key]))
    circles = (set() if _without_circles(G) else
               {_known(data.get("circle", ""), SHAPES) for _, data in G.nodes(data=True)})
    for circle in SHAPES:
        if circle in circles:
            unknown = "未注明圈层" if lang == "zh" else "Circle not given"
            label = label_of(CIRCLES, circle, lang) if circle else unknown
            color = CIRCLE_COLORS[circle] if color_by == "circle" else "#555555"
            entries.append(LegendEntry("shape", circle, label, color, _SHAPE_SYMBOL[circle]))
    links = {style.link for style in (edges if edges is not None else edge_styles(G)).values()}
    for link in LINK_IDS:
        if link in links:
            entries.append(LegendEntry("edge", link, LINKS[link].text(lang), LINKS[link].color, "━"))
    return entries


def label_nodes(G: nx.Graph, values: Mapping[Hashable, float], top: int | None = 30) -> list[Hashable]:
    """The nodes to label: the focal organisations and the ``top`` others by value (None: all).

    Ties are broken by graph order, so the choice is reproducible.

    >>> G = nx.Graph(); G.add_nodes_from([("a", {"circle": "focal"}), "b", "c"])
    >>> label_nodes(G, {"a": 0, "b": 1, "c": 5}, top=1)
    ['a', 'c']
    """
    if top is None:
        return list(G)
    focal = [node for node, data in G.nodes(data=True) if data.get("circle") == Circle.FOCAL]
    order = {node: i for i, node in enumerate(G)}
    others = sorted((node for node in G if node not in focal),
                    key=lambda node: (-values.get(node, 0), order[node]))
    chosen = set(focal) | set(others[: max(top, 0)])
    return [node for node in G if node in chosen]


def community_numbers(G: nx.Graph) -> dict[Hashable, int]:
    """Community number of every node (0 = largest), from the analysis layer or Louvain with a fixed seed."""
    try:
        from ..analysis import community  # Leiden, numbered 1, 2, … by decreasing size
    except ImportError:
        community = None
    if community is not None:
        numbers = community(G).to_dict() if G.number_of_nodes() else {}
        return {node: int(numbers.get(node, 0)) - 1 for node in G}
    groups = nx.community.louvain_communities(G, weight="weight", seed=0) if G.number_of_nodes() else []
    order = {node: i for i, node in enumerate(G)}
    groups = sorted(groups, key=lambda group: (-len(group), min(order[node] for node in group)))
    return {node: number for number, group in enumerate(groups) for node in group}


def _node_groups(G, color_by, communities) -> dict[Hashable, tuple[str, str]]:
    """node → (legend key, colour) for a colour scheme (:func:`node_colors` of ``G``'s nodes)."""
    data = [attrs for _, attrs in G.nodes(data=True)]
    if color_by == "community":
        numbers = dict(communities) if communities is not None else community_numbers(G)
        colors = node_colors(color_by, communities=[numbers.get(node, -1) for node in G])
    else:
        colors = node_colors(color_by, circles=[attrs.get("circle", "") for attrs in data],
                             sectors=[attrs.get("sector", "") for attrs in data],
                             links=[dominant_link(attrs) for attrs in data] if color_by == "main_link" else None)
    return dict(zip(G, colors, strict=True))


def _group_order(color_by, present) -> list[str]:
    if color_by == "sector":
        registry = list(SECTORS)
    elif color_by == "main_link":
        registry = list(LINK_IDS)
    else:
        return sorted(present, key=lambda key: (int(key) < 0, int(key)))
    known = [key for key in registry if key in present]
    return known + sorted(key for key in present if key not in registry)


def _group_label(color_by, key, lang) -> str:
    none = "未注明" if lang == "zh" else "Not given"
    if color_by == "sector":
        return label_of(SECTORS, key, lang) if key else none
    if color_by == "main_link":
        return LINKS[key].text(lang) if key in LINKS else ("无" if lang == "zh" else "None")
    number = int(key)
    if number < 0:
        return none
    return f"社群 {number + 1}" if lang == "zh" else f"Community {number + 1}"


def _known(value, registry) -> str:
    return value if value in registry else ""


def _from_precomputed(measures, size_by):
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(measures, pd.DataFrame):
        if size_by not in measures.columns:
            return None
        table = measures.set_index("id") if "id" in measures.columns else measures
        return table[size_by].to_dict()
    if pd is not None and isinstance(measures, pd.Series):
        return measures.to_dict()
    if isinstance(measures, Mapping):
        first = next(iter(measures.values()), None)
        if isinstance(first, Mapping):  # {measure: {node: value}}
            return measures.get(size_by)
        return measures
    return None


def _from_registry(G, size_by):
    try:
        from ..analysis import MEASURES  # type: ignore[attr-defined]
    except ImportError:
        return None
    measure = MEASURES.get(size_by)
    if measure is None:
        return None
    function = getattr(measure, "function", None) or getattr(measure, "func", None) or measure
    result = function(G)
    return result.to_dict() if hasattr(result, "to_dict") else dict(result)


def _size_ids() -> list[str]:
    ids = list(SIZE_BY)
    try:
        from ..analysis import MEASURES  # type: ignore[attr-defined]

        ids += [name for name in MEASURES if name not in ids]
    except ImportError:
        pass
    return ids
