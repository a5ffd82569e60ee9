"""The ecosystem map as a static image (PNG, SVG, PDF) drawn with matplotlib.

The image shows the same view as the interactive page: the same positions, node sizes, colours
and shapes (:mod:`.style`), a title and a legend of the circles and link types. Chinese text is
drawn with the bundled Noto Sans CJK (:mod:`.fonts`). matplotlib is imported inside the
functions, figures are made with ``matplotlib.figure.Figure`` (no pyplot, no global figure
state), and names are drawn as plain text (``parse_math=False``: a ``$`` in a name is a dollar).

The same graph and options give byte-identical SVG and PDF files (no dates, fixed SVG id salt).

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> ledger = tiny_ledger()
>>> fig = draw_network(collaboration_graph(ledger), ledger, layout="concentric")
>>> type(fig).__name__
'Figure'
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Mapping
from pathlib import Path

import networkx as nx
import numpy as np

from ..errors import CojianError
from ..ledger import Ledger
from .layout import compute_layout
from .style import (
    COLOR_BY,
    arc,
    crossing_ties,
    display_name,
    edge_styles,
    label_nodes,
    legend_entries,
    node_styles,
    short_label,
)

__all__ = ["IMAGE_FORMATS", "draw_network", "write_image"]

#: On the concentric layout (coordinates about [-1, 1]), a tie passing this close to another
#: organisation's marker is drawn as an arc.
ARC_CLEARANCE = 0.015

#: Image formats: id → (中文, English).
IMAGE_FORMATS: dict[str, tuple[str, str]] = {
    "png": ("PNG 位图", "PNG bitmap"),
    "svg": ("SVG 矢量图", "SVG vector image"),
    "pdf": ("PDF 文档", "PDF document"),
}

_TITLE = {
    "zh": ("共建生态圈", "{n} 个组织，{m} 条合作关系", "节点大小：{size}；颜色：{color}"),
    "en": (
        "Co-construction ecosystem",
        "{n} organisations, {m} collaborations",
        "node size: {size}; colour: {color}",
    ),
}
#: The counts line of an aggregated view (cojian_graph.graph.aggregate): groups standing for organisations.
_GROUP_COUNTS = {"zh": "{n} 组，代表 {orgs:,} 个组织、{ties:,} 条合作关系",
                 "en": "{n} groups standing for {orgs:,} organisations and {ties:,} ties"}
_LEGEND_TITLES = {
    "zh": {"node": "节点颜色", "shape": "圈层", "edge": "连线：主要联建类型"},
    "en": {"node": "Node colour", "shape": "Circle", "edge": "Edges: main link type"},
}


def draw_network(
    G: nx.Graph,
    ledger: Ledger | None = None,
    *,
    ax=None,
    layout: str = "force",
    size_by: str = "strength",
    color_by: str = "circle",
    lang: str = "zh",
    measures=None,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    labels: str | int = 20,
    title: str | None = None,
    legend: bool = True,
    width: float = 12.0,
    height: float = 8.0,
    seed: int = 7,
    heading: bool = True,
):
    """Draw the collaboration network and return the matplotlib Figure.

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph (nodes with ``name``, ``circle``, ``sector``; edges with ``weight``
        and ``n_<link>``).
    ledger : Ledger, optional
        Not needed for the drawing itself; accepted for symmetry with
        :func:`~cojian_graph.render.network_html`.
    ax : matplotlib Axes, optional
        Draw into this Axes (its figure is returned); by default a new Figure of
        ``width`` × ``height`` inches, with room for the legend on the right.
    layout, size_by, color_by, lang, measures, positions, seed
        As for :func:`~cojian_graph.render.network_html`.
    labels : int or "all"
        Label the focal organisation and the top ``labels`` organisations by ``size_by``
        (default 20), or every organisation. Labels are kept from overlapping each other and the
        nodes where possible; with a number, a label that cannot be placed without overlap is
        left out, with ``"all"`` it is placed where it overlaps least.
    title : str, optional
        Title above the network; by default the view's size and what sizes and colours mean.
    legend : bool
        Draw the legend of colours, circles and link types.
    heading : bool
        Write the title and the line of counts at the top of the figure; without, the caller titles
        the Axes (one panel of several).
    """
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from .fonts import FONT_FAMILIES, drawable, register_cjk_font

    if lang not in _TITLE:
        raise CojianError(f"未知的语言 unknown language: {lang!r}; 可选 valid: zh, en")
    if labels != "all" and not (isinstance(labels, int) and not isinstance(labels, bool) and labels >= 0):
        raise CojianError(f"labels 须为 all 或非负整数 / labels must be 'all' or a count: {labels!r}")
    register_cjk_font()
    pos = dict(positions) if positions is not None else compute_layout(G, layout, seed=seed)
    styles = node_styles(G, color_by=color_by, size_by=size_by, measures=measures)
    with _drawing_rc(FONT_FAMILIES):
        if ax is None:
            fig = Figure(figsize=(width, height))
            ax = fig.add_axes((0.01, 0.01, 0.72 if legend else 0.98, 0.86))
        else:
            fig = ax.figure
        ax.set_axis_off()

        # edges, weakest first so that strong ties lie on top
        estyles = edge_styles(G)
        ordered = sorted(estyles.items(), key=lambda item: item[1].width)
        segments = [(pos[u], pos[v]) for (u, v), _ in ordered]
        if layout == "concentric":  # a chord across the centre becomes an arc
            nodes = list(G.nodes)
            index = {node: i for i, node in enumerate(nodes)}
            xy = np.array([pos[node] for node in nodes], dtype=float)
            ends = np.array([(index[u], index[v]) for (u, v), _ in ordered]).reshape(-1, 2)
            # each organisation's room: its marker's radius in data units (scatter sizes are areas in
            # points², the axes about as wide as the layout) and a margin
            n = max(len(nodes), 1)
            marker_scale = min(1.0, 6.0 / n**0.5) if n > 36 else 1.0
            span = max(float(np.ptp(xy[:, 0])), float(np.ptp(xy[:, 1])), 1e-9) * 1.15
            points_per_unit = min(ax.get_position().width * width, ax.get_position().height * height) * 72 / span
            radius = np.array([styles[node].size * 0.75 * marker_scale / 2 for node in nodes]) / points_per_unit
            for i in crossing_ties(xy, ends, radius + ARC_CLEARANCE):
                segments[i] = arc(*segments[i])
        if segments:
            ax.add_collection(
                LineCollection(
                    segments,
                    colors=[s.color for _, s in ordered],
                    linewidths=[s.width * 0.6 for _, s in ordered],
                    alpha=0.75,
                    zorder=1,
                    capstyle="round",
                )
            )

        # nodes, one scatter per shape (matplotlib takes one marker per call), small ones on top
        n = max(G.number_of_nodes(), 1)
        scale = min(1.0, 6.0 / n**0.5) if n > 36 else 1.0
        area = {node: (style.size * 0.75 * scale) ** 2 for node, style in styles.items()}
        for marker in dict.fromkeys(style.marker for style in styles.values()):
            nodes = sorted(
                (node for node, style in styles.items() if style.marker == marker),
                key=lambda node: -area[node],
            )
            focal = [G.nodes[node].get("circle") == "focal" for node in nodes]
            ax.scatter(
                [pos[node][0] for node in nodes],
                [pos[node][1] for node in nodes],
                s=[area[node] * (2.2 if marker == "*" else 1.0) for node in nodes],
                c=[styles[node].color for node in nodes],
                marker=marker,
                edgecolors=["#7B1A12" if f else "#333333" for f in focal],
                linewidths=[1.6 if f else 0.5 for f in focal],
                zorder=3,
            )
        if pos:
            xs = [x for x, _ in pos.values()]
            ys = [y for _, y in pos.values()]
            pad = 0.08 * max(max(xs) - min(xs), max(ys) - min(ys), 0.5)
            x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
            # widen the shorter side so that the data fill the axes at an equal aspect
            box = ax.get_position()
            ratio = (box.height * fig.get_figheight()) / (box.width * fig.get_figwidth())
            dx, dy = x1 - x0, y1 - y0
            if dy / dx < ratio:
                y0, y1 = (y0 + y1) / 2 - dx * ratio / 2, (y0 + y1) / 2 + dx * ratio / 2
            else:
                x0, x1 = (x0 + x1) / 2 - dy / ratio / 2, (x0 + x1) / 2 + dy / ratio / 2
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
        ax.set_aspect("equal", adjustable="box")

        legends = _draw_legend(fig, G, styles, color_by, lang) if legend else []
        values = {node: style.value for node, style in styles.items()}
        chosen = label_nodes(G, values, top=None if labels == "all" else labels)
        _place_labels(fig, ax, G, pos, chosen, area, lang, keep_all=labels == "all", avoid=legends)

        if not heading:
            return fig
        size_name, color_name = _names(size_by, color_by, lang)
        main, counts, meaning = _TITLE[lang]
        text = title if title is not None else main
        fig.text(
            0.01, 0.975, drawable(text), ha="left", va="top", fontsize=15, fontweight="bold", parse_math=False
        )
        fig.text(
            0.01,
            0.935,
            (_GROUP_COUNTS[lang].format(n=G.number_of_nodes(), orgs=G.graph["organizations"], ties=G.graph["ties"])
             if "by" in G.graph and "organizations" in G.graph else
             counts.format(n=G.number_of_nodes(), m=G.number_of_edges()))
            + ("；" if lang == "zh" else "; ")
            + meaning.format(size=size_name, color=color_name),
            ha="left",
            va="top",
            fontsize=9.5,
            color="#555555",
            parse_math=False,
        )
    return fig


def write_image(
    G: nx.Graph,
    ledger: Ledger | None,
    path: str | Path,
    *,
    format: str | None = None,
    dpi: int = 200,
    width: float = 12.0,
    height: float = 8.0,
    **options,
) -> Path:
    """Write the network image to ``path`` as PNG, SVG or PDF (format from the suffix by default).

    ``width`` and ``height`` are in inches; a PNG is ``width × dpi`` by ``height × dpi`` pixels.
    Other keyword options go to :func:`draw_network`. Returns the path written.
    """
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in IMAGE_FORMATS:
        raise CojianError(
            f"不支持的图片格式 unsupported image format: {fmt!r}; 可选 valid: {', '.join(IMAGE_FORMATS)}"
        )
    if not (10 <= int(dpi) <= 1200):
        raise CojianError(f"DPI 须在 10 到 1200 之间 / dpi must be between 10 and 1200: {dpi}")
    if not (1 <= width <= 100 and 1 <= height <= 100):
        raise CojianError(
            f"宽高须在 1 到 100 英寸之间 / width and height must be 1 to 100 inches: {width}×{height}"
        )
    fig = draw_network(G, ledger, width=width, height=height, **options)
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {}}[fmt]
    with _drawing_rc(None):
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return path


@contextlib.contextmanager
def _drawing_rc(families):
    import matplotlib

    rc = {
        "svg.hashsalt": "cojian-graph",
        "text.parse_math": False,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "pdf.fonttype": 3,
    }
    if families:
        rc["font.family"] = families
    with matplotlib.rc_context(rc):
        yield


def _names(size_by, color_by, lang):
    from .network_html import _size_label

    if color_by not in COLOR_BY:
        raise CojianError(f"未知的着色方式 unknown colour scheme: {color_by!r}")
    return _size_label(size_by, lang), COLOR_BY[color_by][0 if lang == "zh" else 1]


def _draw_legend(fig, G, styles, color_by, lang) -> list:
    """Draw the legends one below the other at the right; return their boxes in display units."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D

    from .fonts import drawable

    renderer = _renderer(fig, FigureCanvasAgg)
    boxes = []

    entries = legend_entries(G, color_by=color_by, lang=lang, styles=styles)
    titles = _LEGEND_TITLES[lang]
    marker_of = {"focal": "*", "internal": "o", "external": "D", "": "s"}
    top = 0.9
    for kind in ("node", "shape", "edge"):
        items = [entry for entry in entries if entry.kind == kind]
        if not items:
            continue
        if kind == "edge":
            handles = [Line2D([], [], color=e.color, linewidth=3) for e in items]
        elif kind == "shape":
            handles = [
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker=marker_of[e.key],
                    markersize=10 if e.key == "focal" else 7,
                    markerfacecolor=e.color,
                    markeredgecolor="#333333",
                )
                for e in items
            ]
        else:
            handles = [
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker="o",
                    markersize=7,
                    markerfacecolor=e.color,
                    markeredgecolor="#333333",
                )
                for e in items
            ]
        legend = fig.legend(
            handles,
            [drawable(e.label) for e in items],
            title=titles[kind],
            loc="upper left",
            bbox_to_anchor=(0.745, top),
            frameon=False,
            fontsize=8.5,
            title_fontsize=9.5,
            alignment="left",
            borderaxespad=0.0,
        )
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_parse_math(False)
        box = legend.get_window_extent(renderer)
        boxes.append((box.x0, box.y0, box.x1, box.y1))
        top = fig.transFigure.inverted().transform((box.x0, box.y0))[1] - 0.025
    return boxes


def _renderer(fig, canvas_class):
    canvas = fig.canvas if isinstance(fig.canvas, canvas_class) else canvas_class(fig)
    return canvas.get_renderer()


def _place_labels(fig, ax, G, pos, chosen, area, lang, *, keep_all, avoid=()):
    """Put a label beside each chosen node, avoiding labels, nodes, legends and the edges of the axes."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from .fonts import drawable

    if not chosen:
        return
    renderer = _renderer(fig, FigureCanvasAgg)
    frame = ax.get_window_extent(renderer)
    to_display = ax.transData.transform
    nodes = list(G)
    centres = to_display(np.array([pos[node] for node in nodes], dtype=float)) if nodes else np.zeros((0, 2))
    radii = np.array([(area[node] ** 0.5) / 2 * fig.dpi / 72 for node in nodes])
    obstacles = (
        np.column_stack([centres - radii[:, None], centres + radii[:, None]]) if nodes else np.zeros((0, 4))
    )
    placed: list = [np.asarray(box, dtype=float) for box in avoid]
    directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    align = {1: "left", -1: "right", 0: "center"}
    valign = {1: "bottom", -1: "top", 0: "center"}
    index = {node: i for i, node in enumerate(nodes)}
    for node in chosen:
        i = index[node]
        focal = G.nodes[node].get("circle") == "focal"
        best = None
        for dx, dy in directions:
            gap = radii[i] + 2
            offset = (dx * gap * 72 / fig.dpi, dy * gap * 72 / fig.dpi)
            text = ax.annotate(
                drawable(short_label(display_name(G.nodes[node], node, lang))),
                pos[node],
                xytext=offset,
                textcoords="offset points",
                ha=align[dx],
                va=valign[dy],
                fontsize=10 if focal else 8,
                zorder=5,
                fontweight="bold" if focal else "normal",
                annotation_clip=False,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
            )
            text.set_parse_math(False)
            box = text.get_window_extent(renderer)
            rect = np.array([box.x0, box.y0, box.x1, box.y1])
            inside = _overlap(rect, [(frame.x0, frame.y0, frame.x1, frame.y1)])
            outside = (rect[2] - rect[0]) * (rect[3] - rect[1]) - inside
            overlap = _overlap(rect, placed) + _overlap(rect, obstacles, skip=i) + 4 * outside
            if best is None or overlap < best[0]:
                if best is not None:
                    best[1].remove()
                best = (overlap, text, rect)
            else:
                text.remove()
            if overlap == 0:
                break
        overlap, text, rect = best
        if overlap > 0 and not keep_all and not focal:
            text.remove()
            continue
        placed.append(rect)


def _overlap(rect, boxes, skip=None) -> float:
    import numpy as np

    if len(boxes) == 0:
        return 0.0
    boxes = np.asarray(boxes)
    w = np.clip(np.minimum(rect[2], boxes[:, 2]) - np.maximum(rect[0], boxes[:, 0]), 0, None)
    h = np.clip(np.minimum(rect[3], boxes[:, 3]) - np.maximum(rect[1], boxes[:, 1]), 0, None)
    areas = w * h
    if skip is not None:
        areas[skip] = 0.0
    return float(areas.sum())
