"""The ecosystem map (生态圈) as one self-contained, safe HTML page drawn by vis-network.

:func:`network_html` returns a complete page: vis-network's script and stylesheet (the copies
shipped inside pyvis 0.3.2) are inlined, positions are computed in Python and physics is off, so
the page opens offline, makes no outside request and nothing moves after it is drawn.

Why not ``pyvis.Network.generate_html``: pyvis 0.3.2's template always loads Bootstrap from
cdn.jsdelivr.net (even with ``cdn_resources="in_line"``), writes ``heading`` and ``select_menu``
ids into the page unescaped, switches to an ``innerHTML`` tooltip as soon as any title contains
"href", and its ``add_edge`` scans every edge already added (quadratic: seconds for a few
thousand edges). This module writes vis-network's data itself instead.

Safety: organisation names and activity titles come from users. Tooltips are plain text (vis-network
9.1.2 shows string titles with ``innerText``); labels are drawn on a canvas; the data sits in a
``<script>`` as JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e`` and ``\\u0026``,
so no string can close the script; every text in the HTML itself goes through ``html.escape``. A
Content-Security-Policy allows only the page's two scripts (by their SHA-256, so that an injected
inline script or event handler would not run either), inline styles and ``data:`` images.

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> ledger = tiny_ledger()
>>> page = network_html(collaboration_graph(ledger), ledger, lang="en")
>>> page.startswith("<!DOCTYPE html>"), "https://" in page.split("<script>")[0]
(True, False)
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import importlib.util
import json
import re
from collections.abc import Hashable, Mapping
from functools import cache, lru_cache
from pathlib import Path

import networkx as nx
import pandas as pd

from ..errors import CojianError
from ..graph.build import COUNT_COLUMNS
from ..ledger import Ledger, year_of
from ..model import CIRCLES, KINDS, LINK_IDS, LINKS, SECTORS
from .layout import compute_layout
from .page import PAGE_HEAD
from .style import (
    COLOR_BY,
    SIZE_BY,
    crossing_ties,
    display_name,
    edge_styles,
    label_nodes,
    legend_entries,
    node_styles,
    short_label,
)
from .webgl import WEBGL_LABELS, choose_renderer, webgl_page

__all__ = ["edge_tooltip", "network_data", "network_html", "node_tooltip"]

#: How many activities an edge tooltip lists before "… and N more".
MAX_EVIDENCE = 12

_CSS_LENGTH = re.compile(r"^\d{1,5}(\.\d{1,3})?(px|%|vh|em|rem)$")

_TEXT = {
    "zh": {
        "heading": "共建生态圈", "orgs": "个组织", "edges": "条合作关系", "empty": "没有符合条件的组织。",
        "circle": "圈层", "sector": "领域", "kind": "类型", "activities": "参与活动", "partners": "合作伙伴",
        "strength": "合作强度", "links": "八联", "joint": "共同活动 {w} 项，{m} 类联建",
        "more": "…… 另有 {n} 项", "colors": "节点颜色：{by}", "shapes": "圈层",
        "edge_colors": "连线颜色：主要联建类型",
        "hint": "悬停查看详情；滚轮缩放，拖动平移。",
        "strongest": "（只画出最强的 {shown:,} 条，共 {total:,} 条）",
        "organizations": "组织", "inner": "组内合作关系", "groups": "有合作的组", "ties": "组织间合作关系 {n} 条",
    },
    "en": {
        "heading": "Co-construction ecosystem", "orgs": "organisations", "edges": "collaborations",
        "empty": "No organisation matches this view.",
        "circle": "Circle", "sector": "Sector", "kind": "Kind", "activities": "Activities",
        "partners": "Partners",
        "strength": "Strength", "links": "Links", "joint": "{w} joint activities, {m} link types",
        "more": "… and {n} more", "colors": "Node colour: {by}", "shapes": "Circle",
        "edge_colors": "Edge colour: main link type",
        "hint": "Hover for details; scroll to zoom, drag to pan.",
        "strongest": " (the strongest {shown:,} of {total:,} drawn)",
        "organizations": "Organisations", "inner": "Ties inside", "groups": "Groups worked with",
        "ties": "{n} ties between their organisations",
    },
}


#: The colour of the ties new in a period, when a graph names them (``G.graph["new_ties"]``, a set of
#: frozenset pairs): the map's period slider, and the growth pictures.
NEW_TIE_COLOR = "#E67E22"


def network_html(
    G: nx.Graph,
    ledger: Ledger,
    *,
    layout: str = "force",
    size_by: str = "strength",
    color_by: str = "circle",
    lang: str = "zh",
    measures=None,
    height: str = "720px",
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    labels: str | int = "auto",
    title: str | None = None,
    seed: int = 7,
    heading: bool = True,
    renderer: str = "auto",
) -> str:
    """A complete, self-contained HTML page showing ``G`` as an interactive network.

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph (from :func:`~cojian_graph.graph.filtered_graph`): nodes with
        ``name``, ``circle``, ``sector``, ``n_<link>``; edges with ``weight``, ``n_<link>`` and
        ``activities`` (the evidence). A graph from :func:`~cojian_graph.graph.drawn_graph`, which
        holds only the view's strongest ties, is drawn with its sizes and tie count over all of them.
    ledger : Ledger
        The ledger ``G`` came from, for the titles, link types and dates of the activities.
    layout : {"force", "concentric"}
        Ignored when ``positions`` is given.
    size_by : str
        Measure that sets node size (see :func:`~cojian_graph.render.style.measure_values`).
    color_by : {"circle", "sector", "community", "main_link"}
    lang : {"zh", "en"}
    measures : optional
        Precomputed measure values (mapping, or a rank table with a ``size_by`` column).
    height : str
        CSS height of the drawing, e.g. ``"720px"`` or ``"80vh"``.
    positions : mapping node → (x, y), optional
        Precomputed layout (coordinates about [-1, 1]).
    labels : "auto", "all" or int
        Which nodes carry a visible label: all of them (``"all"``), the focal organisation and the
        top ``labels`` by ``size_by`` (an int), or ``"auto"`` (all up to 150 nodes, else the top 50).
        Every node shows its name on hover. On a WebGL map, ``"auto"`` labels the top
        :data:`~cojian_graph.render.webgl.WEBGL_LABELS` and sigma.js shows the largest of them that
        fit without overlapping, more as one zooms in.
    title : str, optional
        Heading above the drawing; a default one names the view's size.
    seed : int
        Seed of the force-directed layout.
    heading : bool
        Show the title and the hint above the drawing (the explorer, which has its own, leaves
        them out so that the map starts higher on the screen).
    renderer : {"auto", "vis", "webgl"}
        Who draws: vis-network up to :data:`~cojian_graph.render.webgl.WEBGL_ABOVE` organisations,
        sigma.js with WebGL beyond (:mod:`cojian_graph.render.webgl`), unless one is named.

    Returns
    -------
    str
        The page. Apart from ``xmlns`` and licence comments inside vis-network, it contains no URL.
    """
    if lang not in _TEXT:
        raise CojianError(f"未知的语言 unknown language: {lang!r}; 可选 valid: zh, en")
    if not _CSS_LENGTH.match(str(height)):
        raise CojianError(f"高度须为 CSS 长度，如 720px / height must be a CSS length such as 720px: "
                          f"{height!r}")
    drawn_with = choose_renderer(G.number_of_nodes(), renderer)
    G = strongest_ties(G)
    all_ties = G.graph.get("ties", G.number_of_edges())  # a drawn graph (graph.drawn_graph) says how many it left out
    if measures is None and size_by in getattr(G.graph.get("sizes"), "columns", ()):
        measures = G.graph["sizes"]  # computed over all the view's ties, not only those drawn
    if drawn_with == "webgl" and labels == "auto":  # sigma shows the largest of them that fit, more as one zooms
        labels = WEBGL_LABELS
    data = network_data(G, ledger, layout=layout, size_by=size_by, color_by=color_by, lang=lang,
                        measures=measures, positions=positions, labels=labels, seed=seed, compact=True)
    text = _TEXT[lang]
    if title is None:
        n_orgs, n_edges = G.number_of_nodes(), G.number_of_edges()
        title = (f"{text['heading']}（{n_orgs} {text['orgs']}，{n_edges} {text['edges']}）" if lang == "zh"
                 else f"{text['heading']} ({n_orgs} {text['orgs']}, {n_edges} {text['edges']})")
    if all_ties > G.number_of_edges():
        title += text["strongest"].format(shown=G.number_of_edges(), total=all_ties)
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": G.number_of_edges() > 2000,
                        "multiselect": False, "navigationButtons": False},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": _FONT_STACK, "color": "#222222",
                                             "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5},
    }
    if drawn_with == "webgl":  # every organisation a disc: the circles are told by colour only, if at all
        entries = [dataclasses.replace(entry, kind="node") if entry.kind == "shape" else entry
                   for entry in data["legend"] if entry.kind != "shape" or color_by == "circle"]
        legend = _legend_html(entries, color_by, lang)
        return webgl_page(data, lang=lang, title=title, legend=legend, height=height, heading=heading,
                          font=_FONT_STACK, text={**data["text"], "empty": text["empty"]})
    legend = _legend_html(data["legend"], color_by, lang)
    empty = f'<p class="empty">{html.escape(text["empty"])}</p>' if G.number_of_nodes() == 0 else ""
    js = _vis_asset("vis-network.min.js")
    payload = {key: data[key] for key in ("nodes", "edges", "acts", "text", "frame") if key in data}
    drawing = _DRAWING.format(data=_script_json(payload),
                              options=_script_json(options))
    return _PAGE.format(
        script_hashes=f"{_vis_hash()} {_hash_of(drawing)}",
        lang="zh-CN" if lang == "zh" else "en",
        title=html.escape(title, quote=True),
        css=_vis_css(),
        height=height,
        font=_FONT_STACK,
        legend=legend,
        heading=(f'<h1>{html.escape(title, quote=True)}</h1>\n<p class="hint">{html.escape(text["hint"])}</p>\n'
                 if heading else ""),
        empty=empty,
        js=js,
        drawing=drawing,
    )


#: Most ties an interactive page draws: beyond it (a mass meeting makes half a million) the page would
#: be hundreds of megabytes and the browser would stall, so the strongest are drawn and the title
#: says how many were left out. Every organisation is still drawn.
MAX_DRAWN_TIES = 20_000


def strongest_ties(G: nx.Graph, limit: int = MAX_DRAWN_TIES, *, keep=None) -> nx.Graph:
    """``G`` itself when it has at most ``limit`` ties, else a graph with all its organisations and
    its ``limit`` strongest ties (by weight, then by the ties' order in ``G``: as a drawn graph picks
    them, :func:`~cojian_graph.graph.filters.strongest`; the ties of organisation ``keep``, if
    given, before all others), which says, as a
    :func:`~cojian_graph.graph.drawn_graph` does, how many ties ``G`` has (``ties``) and each
    organisation's ``strength`` and ``degree`` over all of them (``sizes``)."""
    if G.number_of_edges() <= limit:
        return G
    import networkx as nx
    import numpy as np

    from ..graph.filters import strongest

    every = list(G.edges(data=True))
    weights = np.array([float(data.get("weight", 1) or 0) for _, _, data in every])
    kept = np.array([keep is not None and keep in (u, v) for u, v, _ in every], dtype=bool)
    first = np.flatnonzero(kept)[strongest(weights[kept], limit)]
    rest = np.flatnonzero(~kept)[strongest(weights[~kept], limit - len(first))]
    edges = [every[position] for position in np.concatenate([first, rest]).tolist()]
    H = nx.Graph(**G.graph)
    H.graph.setdefault("ties", G.number_of_edges())
    if "sizes" not in H.graph:
        nodes = list(G)
        H.graph["sizes"] = pd.DataFrame({"strength": [float(d) for _, d in G.degree(nodes, weight="weight")],
                                         "degree": [float(d) for _, d in G.degree(nodes)]},
                                        index=pd.Index(nodes, name="id"))
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(edges)
    return H


def network_data(
    G: nx.Graph,
    ledger: Ledger,
    *,
    layout: str = "force",
    size_by: str = "strength",
    color_by: str = "circle",
    lang: str = "zh",
    measures=None,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    labels: str | int = "auto",
    seed: int = 7,
    compact: bool = False,
) -> dict:
    """vis-network's nodes and edges (lists of dicts) and the legend entries, before any escaping.

    Coordinates are in pixels; tooltips (``title``) are plain text with line breaks. With
    ``compact``, an edge carries its tooltip as ``h`` (first lines) and ``a`` (indices into the
    shared list ``data["acts"]`` of activity texts; ``n`` more not listed), which the page expands:
    each activity's text is sent once instead of once per pair of its participants.

    >>> from cojian_graph.graph import collaboration_graph
    >>> from cojian_graph.testing import tiny_ledger
    >>> ledger = tiny_ledger()
    >>> data = network_data(collaboration_graph(ledger), ledger, layout="concentric", lang="en")
    >>> [(node["id"], node["shape"]) for node in data["nodes"]][:2]
    [('a', 'star'), ('b', 'dot')]
    >>> print(data["edges"][0]["title"])
    Cast Steel general branch — Workshop branch
    2 joint activities, 2 link types
    • Joint party lecture (Joint study by members, 2021)
    • Joint brand building (Joint brand building)
    """
    if color_by not in COLOR_BY:
        raise CojianError(f"未知的着色方式 unknown colour scheme: {color_by!r}; "
                          f"可选 valid: {', '.join(COLOR_BY)}")
    styles = node_styles(G, color_by=color_by, size_by=size_by, measures=measures)  # checks size_by first
    pos = dict(positions) if positions is not None else compute_layout(G, layout, seed=seed)
    values = {node: style.value for node, style in styles.items()}
    labelled = set(label_nodes(G, values, top=_label_count(labels, G.number_of_nodes())))
    focus = getattr(G.graph.get("filter"), "focus", None)  # the view's focus is marked and labelled
    if focus in G:
        labelled.add(focus)
    # given positions may hold more organisations than G (a year of the growth, placed as in the whole
    # view): the scale then follows them all, so that every year puts an organisation at the same spot
    scale = max(350.0, 45.0 * (len(pos) if positions is not None else G.number_of_nodes()) ** 0.5)
    size_label = _size_label(size_by, lang)
    titles = node_tooltips(G, list(G), lang=lang, figures=_partners(G),
                           extra=None if size_by in SIZE_BY else (size_label, values))
    nodes = []
    for (node, node_data), title in zip(G.nodes(data=True), titles, strict=True):
        style = styles[node]
        x, y = pos.get(node, (0.0, 0.0))
        focal = node_data.get("circle") == "focal"
        label = short_label(display_name(node_data, node, lang)) if node in labelled else ""
        nodes.append({
            "id": str(node),
            "label": f"◎ {label}" if node == focus else label,
            "title": title,
            "x": round(x * scale, 2), "y": round(-y * scale, 2),
            "size": style.size, "shape": style.shape,
            "color": {"background": style.color, "border": "#7B1A12" if focal else "#333333",
                      "highlight": {"background": style.color, "border": "#000000"},
                      "hover": {"background": style.color, "border": "#000000"}},
            "borderWidth": 3 if focal else 1,
            **({"font": {"size": 18}} if focal else {}),  # others take the page's default font
        })
        if node == focus:  # a thick dark ring and a larger label: the organisation the view centres on
            nodes[-1].update({"borderWidth": 6, "font": {"size": 20, "color": "#0B2E59"}})
            nodes[-1]["color"] = {**nodes[-1]["color"], "border": "#0B2E59"}
    evidence = _evidence_lookup(ledger, lang)
    edges = []
    estyles = edge_styles(G)
    new_ties = G.graph.get("new_ties") or frozenset()
    # a straight tie that would cross another organisation is drawn as an arc instead (on the
    # concentric layout, a chord between two partners on one ring can run over the centre)
    detour = _crossing_edges(nodes, list(estyles), clearance=12.0) if layout == "concentric" else set()
    acts: dict[str, int] = {}  # compact: activity text → its index in the shared list
    for number, ((u, v, data), style) in enumerate(zip(G.edges(data=True), estyles.values(), strict=True)):
        edge = {
            "id": number,
            "from": str(u), "to": str(v),
            "width": style.width,
            # a string sets vis-network's colour, highlight and hover at once: less to send and parse
            "color": _translucent(style.color),
        }
        if number in detour:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.35}
        if new_ties and frozenset((u, v)) in new_ties:  # a period of the growth: its new ties stand out
            edge["color"], edge["width"] = NEW_TIE_COLOR, max(style.width, 3.0)
        if compact:  # the page writes the first lines from the names and these figures
            edge["w"], edge["m"] = _number(style.joint), data.get("multiplexity", 0)
            if "ties" in data:
                edge["t"] = _number(data["ties"])
            activities = data.get("activities", ()) or ()
            edge["a"] = [acts.setdefault(evidence.get(a, a), len(acts)) for a in activities[:MAX_EVIDENCE]]
            if len(activities) > MAX_EVIDENCE:
                edge["n"] = len(activities) - MAX_EVIDENCE
        else:
            edge["title"] = edge_tooltip(G, u, v, evidence, lang=lang)
        edges.append(edge)
    entries = legend_entries(G, color_by=color_by, lang=lang, styles=styles, edges=estyles)
    data = {"nodes": nodes, "edges": edges, "legend": entries}
    if positions is not None and pos:  # the frame of the whole layout: the page shows it, not just G's part
        import numpy as np

        xy = np.asarray(list(pos.values()), dtype=float) * scale
        data["frame"] = [round(float(xy[:, 0].min()), 2), round(float(-xy[:, 1].max()), 2),
                         round(float(xy[:, 0].max()), 2), round(float(-xy[:, 1].min()), 2)]
    if compact:
        for node in nodes:  # the page spells out the colours: a fifth of the page's size at 10^4 organisations
            color = node.pop("color")
            node["c"] = color["background"]
            if color["border"] != "#333333":
                node["b"] = color["border"]
        data["acts"] = list(acts)
        data["text"] = {key: _TEXT[lang][key] for key in ("joint", "ties", "more")}
    return data


def _crossing_edges(nodes: list[dict], pairs: list, *, clearance: float) -> set[int]:
    """Positions in ``pairs`` of the ties whose straight line passes within ``clearance`` pixels of
    an organisation other than its two ends (``nodes`` as vis-network's, with ``x``, ``y`` and ``size``)."""
    import numpy as np

    if not pairs:
        return set()
    index = {node["id"]: position for position, node in enumerate(nodes)}
    xy = np.array([(node["x"], node["y"]) for node in nodes], dtype=float)
    room = np.array([node.get("size", 10) for node in nodes], dtype=float) + clearance
    ends = np.array([(index[str(u)], index[str(v)]) for u, v in pairs])
    return crossing_ties(xy, ends, room)


def node_tooltip(
    G: nx.Graph, node: Hashable, *, lang: str = "zh", extra: tuple[str, float] | None = None,
    figures: tuple[float, float] | None = None,
) -> str:
    """Plain-text key figures of one organisation: names, circle, sector, kind, activities, partners, links.

    ``figures``: its partners and strength, when known (see :func:`_partners`); else its degree in ``G``.

    >>> from cojian_graph.graph import collaboration_graph
    >>> from cojian_graph.testing import tiny_ledger
    >>> print(node_tooltip(collaboration_graph(tiny_ledger()), "c", lang="en"))
    Local department party organisation
    地方部门党组织
    Circle: External (group and locality)
    Sector: Local government
    Kind: Party organisation (level not stated)
    Activities: 2 · Partners: 2 · Strength: 3
    Links: Joint brand building 1, Joint service 1
    """
    if figures is None:
        figures = (G.degree(node), G.degree(node, weight="weight"))
    return node_tooltips(G, [node], lang=lang, figures=({node: figures[0]}, {node: figures[1]}),
                         extra=None if extra is None else (extra[0], {node: extra[1]}))[0]


def node_tooltips(G: nx.Graph, nodes, *, lang: str, figures: tuple[Mapping, Mapping],
                  extra: tuple[str, Mapping] | None = None) -> list[str]:
    """:func:`node_tooltip` of each of ``nodes``, in one pass (a map of 10^4 organisations has as many):
    ``figures`` maps each to its partners and its strength, ``extra`` names a measure and its values."""
    text = _TEXT[lang]
    colon = "：" if lang == "zh" else ": "
    other_lang = "en" if lang == "zh" else "zh"
    registries = [(key, {item: f"{text[key]}{colon}{entry.text(lang)}" for item, entry in registry.items()})
                  for key, registry in (("circle", CIRCLES), ("sector", SECTORS), ("kind", KINDS))]
    partners, strength = figures
    out = []
    for node in nodes:
        data = G.nodes[node]
        first = display_name(data, node, lang)
        other = display_name(data, node, other_lang)
        lines = [first] if other == first else [first, other]
        if "organizations" in data:  # a group of an aggregated view (cojian_graph.graph.aggregate)
            lines.append(" · ".join([f"{text['organizations']}{colon}{_number(data['organizations'])}",
                                     f"{text['activities']}{colon}{_number(data.get('activities', 0))}",
                                     f"{text['inner']}{colon}{_number(data.get('inner_ties', 0))}",
                                     f"{text['groups']}{colon}{G.degree(node)}"]))
        else:
            for key, labels in registries:
                value = data.get(key, "")
                if value:
                    lines.append(labels.get(value) or f"{text[key]}{colon}{value}")
            shown = [f"{text['activities']}{colon}{_number(data.get('activities', 0))}",
                     f"{text['partners']}{colon}{_number(partners[node])}",
                     f"{text['strength']}{colon}{_number(strength[node])}"]
            if extra is not None:
                shown.append(f"{extra[0]}{colon}{_number(extra[1][node])}")
            lines.append(" · ".join(shown))
        lines.extend(_link_line(data, lang))
        out.append("\n".join(lines))
    return out


#: Per language, each link's count column and name, in registry order.
_LINK_NAMES = {lang: [(f"n_{link}", LINKS[link].text(lang)) for link in LINK_IDS] for lang in ("zh", "en")}


def _link_line(data: Mapping, lang: str) -> list[str]:
    """The line of activities per link ("八联：联学共建 2、…"), when there are any."""
    counts = [f"{name} {int(count)}" for key, name in _LINK_NAMES[lang] if (count := data.get(key, 0))]
    if not counts:
        return []
    colon = "：" if lang == "zh" else ": "
    return [f"{_TEXT[lang]['links']}{colon}{('、' if lang == 'zh' else ', ').join(counts)}"]


def edge_tooltip(G: nx.Graph, u: Hashable, v: Hashable, evidence: Mapping[str, str] | None = None,
                 *, lang: str = "zh") -> str:
    """Plain text listing the activities behind an edge: title (link name, year), one per line."""
    head, activities = _edge_parts(G, u, v, lang)
    evidence = evidence or {}
    lines = [head, *(f"• {evidence.get(activity, activity)}" for activity in activities[:MAX_EVIDENCE])]
    if len(activities) > MAX_EVIDENCE:
        lines.append(_TEXT[lang]["more"].format(n=len(activities) - MAX_EVIDENCE))
    return "\n".join(lines)


def _partners(G: nx.Graph) -> tuple[dict, dict]:
    """Each organisation's partners and strength: over all the view's ties when ``G`` holds only the
    strongest (a drawn graph's ``sizes``), else its degree and weighted degree in ``G``."""
    sizes = G.graph.get("sizes")
    if sizes is not None and {"degree", "strength"} <= set(getattr(sizes, "columns", ())):
        return (dict(zip(sizes.index.tolist(), sizes["degree"].tolist(), strict=True)),
                dict(zip(sizes.index.tolist(), sizes["strength"].tolist(), strict=True)))
    return dict(G.degree()), dict(G.degree(weight="weight"))


def _joint_count(data: Mapping) -> float:
    """An edge's joint activities: the sum of its ``n_<link>``, else its weight."""
    return sum(int(data.get(key, 0) or 0) for key in COUNT_COLUMNS) or data.get("weight", 0)


def _edge_parts(G: nx.Graph, u: Hashable, v: Hashable, lang: str) -> tuple[str, list]:
    """The first two lines of an edge's tooltip (who, how much) and the ids of its activities."""
    data = G.edges[u, v]
    text = _TEXT[lang]
    head = f"{display_name(G.nodes[u], u, lang)} — {display_name(G.nodes[v], v, lang)}"
    joint = text["joint"].format(w=_number(_joint_count(data)), m=data.get("multiplexity", 0))
    if "ties" in data:  # between two groups of an aggregated view
        joint += "\n" + text["ties"].format(n=_number(data["ties"]))
    return f"{head}\n{joint}", list(data.get("activities", ()) or ())


def prepare(ledger: Ledger, lang: str) -> None:
    """Work out in this process what every page of ``ledger`` in ``lang`` shares (the activities'
    texts), so that the pages made in child processes (the explorer's) inherit it instead of each
    working it out again: a tenth of a 10^4-organisation page's time."""
    _evidence_lookup(ledger, lang)


def _evidence_lookup(ledger: Ledger, lang: str) -> dict[str, str]:
    """activity id → "title (link name, year)" in ``lang`` (once per ledger; not to be changed)."""
    return ledger.memo(("evidence", lang), lambda ledger: _evidence_texts(ledger, lang))


def _evidence_texts(ledger: Ledger, lang: str) -> dict[str, str]:
    acts = ledger.activities
    if acts.empty:
        return {}
    years = [None if year is pd.NA else int(year) for year in year_of(acts["date"]).tolist()]
    first, second = ("title", "title_en") if lang == "zh" else ("title_en", "title")
    out = {}
    sep = "，" if lang == "zh" else ", "
    left, right = ("（", "）") if lang == "zh" else (" (", ")")
    rows = zip(acts["id"], acts[first], acts[second], acts["link_type"], years, strict=True)
    for activity, title_1, title_2, link, year in rows:
        parts = [LINKS[link].text(lang) if link in LINKS else link]
        if year is not None:
            parts.append(str(year))
        out[activity] = f"{title_1 or title_2 or activity}{left}{sep.join(parts)}{right}"
    return out


def _legend_html(entries, color_by: str, lang: str) -> str:
    text = _TEXT[lang]
    by = COLOR_BY[color_by][0 if lang == "zh" else 1]
    sections = [("node", text["colors"].format(by=by)), ("shape", text["shapes"]),
                ("edge", text["edge_colors"])]
    parts = []
    for kind, heading in sections:
        items = [entry for entry in entries if entry.kind == kind]
        if not items:
            continue
        parts.append(f'<div class="legend-section"><div class="legend-heading">{html.escape(heading)}</div>')
        for entry in items:
            color = html.escape(entry.color, quote=True)
            if kind == "node":
                mark = f'<span class="swatch" style="background:{color}"></span>'
            elif kind == "shape":
                mark = f'<span class="symbol" style="color:{color}">{html.escape(entry.symbol)}</span>'
            else:
                mark = f'<span class="line" style="background:{color}"></span>'
            key = html.escape(entry.key, quote=True)
            parts.append(f'<div class="legend-item" data-kind="{kind}" data-key="{key}">'
                         f'{mark}<span>{html.escape(entry.label)}</span></div>')
        parts.append("</div>")
    return "".join(parts)


@lru_cache(maxsize=256)
def _translucent(color: str, alpha: float = 0.85) -> str:
    """``"#RRGGBB"`` as a CSS ``rgba()`` string with ``alpha``.

    >>> _translucent("#D55E00")
    'rgba(213,94,0,0.85)'
    """
    value = color.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha:g})"


def _label_count(labels, n: int) -> int | None:
    if labels == "all":
        return None
    if labels == "auto":
        return None if n <= 150 else 50
    if isinstance(labels, int) and not isinstance(labels, bool) and labels >= 0:
        return labels
    raise CojianError(f"labels 须为 auto、all 或非负整数 / labels must be auto, all or a count: {labels!r}")


def _size_label(size_by: str, lang: str) -> str:
    """The measure's name from the analysis registry, else from SIZE_BY, else its id."""
    try:
        from ..analysis import MEASURES
    except ImportError:
        MEASURES = {}
    if size_by in MEASURES:
        return MEASURES[size_by].label(lang)
    if size_by in SIZE_BY:
        return SIZE_BY[size_by][0 if lang == "zh" else 1]
    if size_by == "organizations":  # the groups of an aggregated view
        return "组织数" if lang == "zh" else "Organisations"
    return size_by


def _number(value) -> str:
    value = float(value or 0)
    return str(int(value)) if value.is_integer() else f"{value:.3g}"


def _script_json(value) -> str:
    """JSON that is safe inside a ``<script>`` element: nothing in it can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _hash_of(text: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def _vis_hash() -> str:
    return _hash_of(_vis_asset("vis-network.min.js"))


#: vis-network's CSS rules the page needs: the tooltip, and the overlay and focus outline of the canvas.
#: The rest (215 KB, mostly icons as data: URLs) styles the manipulation toolbar, the navigation buttons,
#: the configurator and the colour picker, all disabled here.
_VIS_CSS_KEPT = ("vis-tooltip", "vis-overlay", "vis-active", ".vis [class*=span]")


@cache
def _vis_css() -> str:
    """The rules of vis-network's CSS the page uses (selectors naming :data:`_VIS_CSS_KEPT`)."""
    rules = re.findall(r"[^{}]+\{[^{}]*\}", _vis_asset("vis-network.css"))
    return "".join(rule for rule in rules if any(name in rule.split("{", 1)[0] for name in _VIS_CSS_KEPT))


@cache
def _vis_asset(name: str) -> str:
    """vis-network 9.1.2 as shipped inside pyvis 0.3.2 (MIT / Apache-2.0)."""
    spec = importlib.util.find_spec("pyvis")  # locate the files without importing pyvis (and IPython)
    if spec is None or not spec.submodule_search_locations:
        raise CojianError("找不到 pyvis 0.3.2 自带的 vis-network / vis-network (shipped with pyvis 0.3.2) is missing")
    folder = Path(next(iter(spec.submodule_search_locations)))
    text = (folder / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


_FONT_STACK = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', "
               "sans-serif")

_PAGE = PAGE_HEAD + """<style>{css}</style>
<style>
div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; font-family: {font}; font-size: 13px; }}
</style>
</head>
<body>
{heading}<div id="wrap"><div id="network"></div><div id="legend">{legend}</div>{empty}</div>
<script>{js}</script>
<script>{drawing}</script>
</body>
</html>
"""

# The page's own drawing script; its SHA-256 goes into the Content-Security-Policy.
_DRAWING = """
(function () {{
  var data = {data};
  var options = {options};
  var names = {{}};
  data.nodes.forEach(function (n) {{
    names[n.id] = String(n.title).split("\\n")[0];  // a node's tooltip starts with its name
    var lit = {{background: n.c, border: "#000000"}};
    n.color = {{background: n.c, border: n.b || "#333333", highlight: lit, hover: lit}};
    delete n.c; delete n.b;
  }});
  data.edges.forEach(function (e) {{  // tooltips: names and figures, and each activity's text once, in data.acts
    var lines = [names[e.from] + " — " + names[e.to], data.text.joint.replace("{{w}}", e.w).replace("{{m}}", e.m)];
    if (e.t !== undefined) {{ lines.push(data.text.ties.replace("{{n}}", e.t)); }}
    e.a.forEach(function (i) {{ lines.push("• " + data.acts[i]); }});
    if (e.n) {{ lines.push(data.text.more.replace("{{n}}", String(e.n))); }}
    e.title = lines.join("\\n");
    delete e.w; delete e.m; delete e.t; delete e.a; delete e.n;
  }});
  var container = document.getElementById("network");
  var network = new vis.Network(container,
    {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, options);
  network.once("afterDrawing", function () {{ document.body.setAttribute("data-drawn", "1"); }});
  if (!data.nodes.length) {{ document.body.setAttribute("data-drawn", "1"); }}
  if (data.frame) {{  // the whole layout's frame, whatever part of it is drawn: nothing moves between years
    var f = data.frame, w = container.clientWidth || 800, h = container.clientHeight || 600;
    var zoom = 0.9 * Math.min(w / Math.max(f[2] - f[0], 1), h / Math.max(f[3] - f[1], 1));
    network.moveTo({{position: {{x: (f[0] + f[2]) / 2, y: (f[1] + f[3]) / 2}}, scale: zoom, animation: false}});
  }}
  window.cojianNetwork = network;
}})();
"""
