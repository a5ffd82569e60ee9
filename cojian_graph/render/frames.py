"""The network's growth as pictures: one snapshot per period (everything up to its end), every
organisation where it will stay — positions come from the final network, so that a change shows as a
change, not as a new layout — and the ties new in that period drawn in orange.

Small multiples in one image (PNG, SVG or PDF) for a report, or an animated GIF (one frame per period).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from ..analysis.timeline import activities_only, period_axis, period_labels, periods_of
from ..errors import CojianError
from ..ledger import Ledger
from .network_html import NEW_TIE_COLOR

__all__ = ["Snapshot", "snapshots", "write_growth"]

#: The colour of the ties new in a period (the map's period slider uses the same).
NEW_TIE = NEW_TIE_COLOR
#: Formats of the growth picture: small multiples, or an animation.
GROWTH_FORMATS = ("png", "svg", "pdf", "gif")


@dataclass(frozen=True)
class Snapshot:
    label: str
    graph: nx.Graph
    new_ties: frozenset


def snapshots(ledger: Ledger, period: str = "year") -> tuple[list[Snapshot], int]:
    """The collaboration graph at the end of each period, cumulative, and how many activities are
    not in any (undated, or dated more coarsely than the period)."""
    from ..graph import collaboration_graph

    numbers = periods_of(ledger.column("activities", "date"), period)
    axis = period_axis(numbers)
    if not len(axis):
        raise CojianError("台账中没有注明日期的活动，无法画出成长过程 / the ledger has no dated activity: there is no "
                          "growth to draw")
    out, before = [], set()
    for number, label in zip(axis.tolist(), period_labels(axis, period), strict=True):
        graph = collaboration_graph(activities_only(ledger, (numbers >= 0) & (numbers <= number)), evidence=False)
        ties = {frozenset(edge) for edge in graph.edges}
        out.append(Snapshot(label, graph, frozenset(ties - before)))
        before = ties
    return out, int((numbers < 0).sum())


def write_growth(ledger: Ledger, path: str | Path, *, period: str = "year", lang: str = "zh", layout: str = "force",
                 color_by: str = "circle", size_by: str = "strength", dpi: int = 150, width: float = 16.0,
                 seed: int = 7, title: str | None = None) -> Path:
    """Write the growth of ``ledger`` to ``path``: small multiples (.png, .svg, .pdf) or an animated
    GIF (.gif, one frame per period, 1.5 s each, the last held longer)."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in GROWTH_FORMATS:
        raise CojianError(f"成长图支持 {', '.join(GROWTH_FORMATS)} / the growth picture is written as "
                          f"{', '.join(GROWTH_FORMATS)}, not {path.suffix or 'a file without extension'}")
    frames, apart = snapshots(ledger, period)
    from .layout import compute_layout

    positions = compute_layout(frames[-1].graph, layout, seed=seed)
    caption = _caption(apart, lang)
    if kind == "gif":
        _write_gif(frames, positions, path, lang=lang, color_by=color_by, size_by=size_by, dpi=dpi, title=title,
                   caption=caption)
    else:
        figure = _small_multiples(frames, positions, lang=lang, color_by=color_by, size_by=size_by, width=width,
                                  title=title, caption=caption)
        figure.savefig(path, dpi=dpi, format=kind)
    return path


def _caption(apart: int, lang: str) -> str:
    if not apart:
        return ""
    return (f"另有 {apart} 项活动未注明日期或只注明年份，未画入" if lang == "zh"
            else f"{apart} activities without a date (or dated by their year only) are not drawn")


def _frame_title(snapshot: Snapshot, lang: str) -> str:
    graph = snapshot.graph
    if lang == "zh":
        return (f"{snapshot.label}：{graph.number_of_nodes()} 个组织，{graph.number_of_edges()} 条合作关系"
                f"（新增 {len(snapshot.new_ties)}）")
    return (f"{snapshot.label}: {graph.number_of_nodes()} organisations, {graph.number_of_edges()} ties "
            f"({len(snapshot.new_ties)} new)")


def _draw_frame(ax, snapshot: Snapshot, positions: Mapping[Hashable, tuple[float, float]], *, lang: str,
                color_by: str, size_by: str, labels: int) -> None:
    from matplotlib.collections import LineCollection

    from .fonts import drawable
    from .images import draw_network

    graph = snapshot.graph
    if graph.number_of_nodes():
        draw_network(graph, ax=ax, positions=positions, legend=False, labels=labels, lang=lang, color_by=color_by,
                     size_by=size_by, heading=False)
        new = [(positions[u], positions[v]) for u, v in (tuple(tie) for tie in snapshot.new_ties)]
        if new:
            width = 2.2 if len(new) <= 100 else 1.0  # a few new ties stand out; hundreds stay readable
            ax.add_collection(LineCollection(new, colors=NEW_TIE, linewidths=width, alpha=0.8, zorder=1.5))
    ax.set_title(drawable(_frame_title(snapshot, lang)), fontsize=10)
    xy = np.asarray(list(positions.values()), dtype=float)
    margin = 0.08
    ax.set_xlim(xy[:, 0].min() - margin, xy[:, 0].max() + margin)  # the same frame in every period
    ax.set_ylim(xy[:, 1].min() - margin, xy[:, 1].max() + margin)
    ax.set_axis_off()


def _small_multiples(frames: list[Snapshot], positions, *, lang: str, color_by: str, size_by: str, width: float,
                     title: str | None, caption: str):
    from matplotlib.figure import Figure

    from .fonts import FONT_FAMILIES, register_cjk_font
    from .images import _drawing_rc

    register_cjk_font()
    columns = min(3, len(frames))
    rows = -(-len(frames) // columns)
    cell = width / columns
    with _drawing_rc(FONT_FAMILIES):
        figure = Figure(figsize=(width, cell * 0.8 * rows + 1.0))
        axes = figure.subplots(rows, columns, squeeze=False)
        for ax, snapshot in zip(axes.flat, frames, strict=False):
            _draw_frame(ax, snapshot, positions, lang=lang, color_by=color_by, size_by=size_by, labels=3)
        for ax in list(axes.flat)[len(frames):]:
            ax.set_axis_off()
        heading = title or ("共建生态圈的成长（橙色：该时段新建的合作关系）" if lang == "zh"
                            else "How the ecosystem grew (orange: ties new in the period)")
        figure.suptitle(heading, fontsize=14)
        if caption:
            figure.text(0.5, 0.005, caption, ha="center", fontsize=9, color="#555555")
        figure.tight_layout(rect=(0, 0.02, 1, 0.96))
    return figure


def _write_gif(frames: list[Snapshot], positions, path: Path, *, lang: str, color_by: str, size_by: str, dpi: int,
               title: str | None, caption: str) -> None:
    from io import BytesIO

    from matplotlib.figure import Figure
    from PIL import Image

    from .fonts import FONT_FAMILIES, register_cjk_font
    from .images import _drawing_rc

    register_cjk_font()
    images = []
    for snapshot in frames:
        with _drawing_rc(FONT_FAMILIES):
            figure = Figure(figsize=(9, 6.5))
            ax = figure.add_axes((0.01, 0.04, 0.98, 0.86))
            _draw_frame(ax, snapshot, positions, lang=lang, color_by=color_by, size_by=size_by, labels=8)
            if title:
                figure.suptitle(title, fontsize=13)
            if caption:
                figure.text(0.5, 0.01, caption, ha="center", fontsize=8, color="#555555")
            buffer = BytesIO()
            figure.savefig(buffer, dpi=min(dpi, 120), format="png")
        images.append(Image.open(BytesIO(buffer.getvalue())).convert("P", palette=Image.Palette.ADAPTIVE))
    durations = [1500] * (len(images) - 1) + [3500]
    images[0].save(path, save_all=True, append_images=images[1:], duration=durations, loop=0, disposal=2)
