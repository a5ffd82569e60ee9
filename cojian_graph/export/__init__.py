"""Exports of a view of the network: images, the interactive page, graph files and tables.

:func:`export` is what the ``cojian export`` command and the app's download buttons call: it builds
the view (:class:`~cojian_graph.graph.GraphFilter`), lays it out once and writes one file in the
format asked for (or taken from the file's suffix). :func:`export_bytes` returns the same content
as bytes, for a download button. :data:`EXPORT_FORMATS` lists the formats.

Examples
--------
>>> import tempfile, pathlib
>>> from cojian_graph.testing import tiny_ledger
>>> with tempfile.TemporaryDirectory() as folder:
...     path = export(tiny_ledger(), pathlib.Path(folder) / "view.gexf")
...     path.suffix, path.stat().st_size > 0
('.gexf', True)
>>> format_of("report.PDF")
'pdf'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import networkx as nx
import pandas as pd

from ..errors import CojianError
from ..ledger import Ledger

__all__ = [
    "EXPORT_FORMATS",
    "TABLES",
    "ExportFormat",
    "export",
    "export_bytes",
    "format_of",
    "graph_bytes",
    "graph_file_measures",
    "image_bytes",
    "table_bytes",
    "view_tables",
]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: id, names, file suffix, MIME type and what it holds."""

    id: str
    zh: str
    en: str
    suffix: str
    mime: str
    kind: str  # "image", "page", "graph" or "table"

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


EXPORT_FORMATS: MappingProxyType[str, ExportFormat] = MappingProxyType({f.id: f for f in [
    ExportFormat("png", "PNG 图片", "PNG image", ".png", "image/png", "image"),
    ExportFormat("svg", "SVG 矢量图", "SVG vector image", ".svg", "image/svg+xml", "image"),
    ExportFormat("pdf", "PDF 文档", "PDF document", ".pdf", "application/pdf", "image"),
    ExportFormat("html", "交互网页（离线）", "Interactive page (offline)", ".html", "text/html", "page"),
    ExportFormat("gexf", "GEXF（Gephi）", "GEXF (Gephi, Gephi Lite)", ".gexf", "application/gexf+xml",
                 "graph"),
    ExportFormat("graphml", "GraphML", "GraphML", ".graphml", "application/graphml+xml", "graph"),
    ExportFormat("json", "节点-连线 JSON", "Node-link JSON", ".json", "application/json", "graph"),
    ExportFormat("csv", "CSV 表格", "CSV table", ".csv", "text/csv", "table"),
    ExportFormat("xlsx", "Excel 工作簿", "Excel workbook", ".xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "table"),
]})

#: Tables of a view: id → (中文, English). A CSV holds one (``table=``), a workbook all of them.
TABLES: dict[str, tuple[str, str]] = {
    "rank": ("排名表", "Rank table"),
    "organizations": ("组织", "Organisations"),
    "activities": ("活动", "Activities"),
    "participations": ("参与记录", "Participations"),
    "edges": ("合作关系", "Collaborations (edges)"),
}


def format_of(path: str | Path, format: str | None = None) -> str:
    """The export format: ``format`` if given, else from the suffix of ``path``; CojianError otherwise."""
    fmt = (format or Path(path).suffix.lstrip(".")).strip().lower()
    if fmt == "htm":
        fmt = "html"
    if fmt not in EXPORT_FORMATS:
        shown = f"{fmt!r}" if fmt else f"{str(path)!r}（无扩展名 no suffix）"
        raise CojianError(f"不支持的导出格式 unsupported export format: {shown}; "
                          f"可选 valid: {', '.join(EXPORT_FORMATS)}")
    return fmt


def export(
    ledger: Ledger,
    path: str | Path,
    format: str | None = None,
    *,
    spec=None,
    layout: str = "force",
    size_by: str = "strength",
    color_by: str = "circle",
    lang: str = "zh",
    measures: Iterable[str] | None = None,
    table: str = "rank",
    dpi: int = 200,
    width: float = 12.0,
    height: float = 8.0,
    labels: str | int | None = None,
    title: str | None = None,
    seed: int = 7,
    positions: Mapping | None = None,
    groups: str | None = None,
    renderer: str = "auto",
    progress: Callable[[int, int, str], None] | None = None,
) -> Path:
    """Write the view ``spec`` of ``ledger`` to ``path`` in ``format`` (default: from the suffix).

    Parameters
    ----------
    ledger : Ledger
    path : str or Path
    format : one of :data:`EXPORT_FORMATS`, optional
    spec : GraphFilter, optional
        The view (link types, circles, sectors, years, minimum weight, focus); default: everything.
    layout, size_by, color_by, lang, seed
        As in the app (:func:`~cojian_graph.render.network_html`).
    measures : measure ids, optional
        Columns of the rank table and node attributes of graph files (default: the rank table's; for a
        graph file of more than :data:`QUICK_MEASURES_ABOVE` organisations, :data:`QUICK_MEASURES`).
    table : one of :data:`TABLES`
        The table a CSV holds (default the rank table); a workbook holds them all.
    dpi, width, height
        Image resolution and size in inches (PNG: ``width × dpi`` pixels).
    labels : "all", int or None
        Labelled organisations (images: default top 20; page: default "auto").
    title : str, optional
        Title of images and the page.
    positions : mapping, optional
        Precomputed positions (the app passes the ones it shows).
    groups : "circle", "sector" or "community", optional
        Images, pages and graph files of the view's groups instead of its organisations
        (:func:`~cojian_graph.graph.aggregate.aggregated_graph`): one node per group, sized by its
        organisations and coloured by the group.
    renderer : {"auto", "vis", "webgl"}
        Who draws the page: vis-network, or sigma.js with WebGL above 1,500 organisations
        (:func:`~cojian_graph.render.webgl.choose_renderer`), unless one is named.
    progress : callable, optional
        ``progress(done, total, step)`` before each step (building the network, laying it out,
        computing the measures, writing) and ``progress(total, total, "")`` at the end.

    Returns
    -------
    Path
    """
    from ..graph import GraphFilter, filtered_graph

    fmt = format_of(path, format)
    kind = EXPORT_FORMATS[fmt].kind
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise CojianError(f"目录不存在 / folder does not exist: {path.parent}")
    spec = spec if spec is not None else GraphFilter()
    steps = ["building", *(["laying out"] if kind != "table" and positions is None else []),
             *(["measures"] if kind in ("graph", "table") else []), "writing"]
    labels_of = {"building": "构建网络 building the network", "laying out": "布局 laying it out",
                 "measures": "计算指标 computing the measures", "writing": "写入文件 writing the file"}

    def step(name: str, label: str | None = None) -> None:
        if progress is not None:
            progress(steps.index(name), len(steps), label or labels_of[name])

    if kind == "graph" and groups is None:
        return _graph_file(ledger, spec, path, fmt, step, positions=positions, layout=layout, seed=seed,
                           measures=measures, size_by=size_by, color_by=color_by, lang=lang,
                           done=lambda: progress(len(steps), len(steps), "") if progress is not None else None)
    step("building")
    if groups is None:
        G = filtered_graph(ledger, spec)
    else:  # the groups are made from the view's tables: no graph of every organisation (but for communities)
        if kind == "table":
            raise CojianError("表格按组织导出，不能按组汇总 / tables hold organisations; --groups is for images, "
                              "pages and graph files")
        from ..graph.aggregate import drawn_as, grouped_view

        G = grouped_view(ledger, spec, None, groups)
        size_by, color_by = drawn_as(groups)
    if kind in ("image", "page", "graph") and positions is None:
        step("laying out")
        positions = _laid_out(G, layout, seed, parallel=kind == "graph")

    def rank_of() -> pd.DataFrame:
        """The view's rank table: from the ledger's columns (as ``cojian rank``: the networkx graph
        turned into igraph took 7 s at 10^5 organisations), or from a graph of groups."""
        if groups is not None or G.number_of_nodes() == 0:
            return _rank_table(G, measures)
        from ..analysis import rank_table

        return rank_table(ledger, spec=spec, measures=measures)

    written = _write(ledger, G, path, fmt, kind, step, positions=positions, layout=layout, size_by=size_by,
                     color_by=color_by, lang=lang, rank_of=rank_of, table=table, dpi=dpi, width=width,
                     height=height, labels=labels, title=title, renderer=renderer)
    if progress is not None:
        progress(len(steps), len(steps), "")
    return written


#: Graph files of views of more organisations carry :data:`QUICK_MEASURES` unless measures are asked for:
#: the whole rank table took 24 s at 10^5 organisations, these 1.8 s.
QUICK_MEASURES_ABOVE = 20_000
#: The measures of a large graph file by default: each under a second at 10^5 organisations. Not the path
#: measures, brokerage or the composite index (which needs them), nor the communities (2.9 s: ``-m
#: community``, or Gephi's own modularity classes).
QUICK_MEASURES = ("degree", "strength", "breadth", "diversity", "eigenvector", "pagerank", "core", "ei_index")


def graph_file_measures(organizations: int, measures: Iterable[str] | None = None) -> Iterable[str] | None:
    """The measures a graph file of a view of ``organizations`` carries: those asked for, else the rank
    table's, or :data:`QUICK_MEASURES` above :data:`QUICK_MEASURES_ABOVE` organisations."""
    if measures is not None:
        return measures
    return QUICK_MEASURES if organizations > QUICK_MEASURES_ABOVE else None


def _graph_file(ledger: Ledger, spec, path: Path, fmt: str, step, *, positions, layout: str, seed: int, measures,
                size_by: str, color_by: str, lang: str, done) -> Path:
    """A graph file of the view, written from the ledger's columns (a :class:`~cojian_graph.analysis.engine.Net`
    with each tie's activities) without a networkx graph: 7 s less at 10^5 organisations. The file
    holds what :func:`~cojian_graph.export.graphfiles.write_graph` writes of :func:`filtered_graph`'s graph
    (a test holds the two together)."""
    from ..analysis import net_from_ledger, rank_table_from_graph
    from .graphfiles import edges_meanwhile, write_graph

    step("building")
    net = net_from_ledger(ledger, spec, evidence=True)
    if fmt != "gexf":  # GraphML and JSON name the ledger (GEXF holds no graph attributes): 0.5 s at 10^5
        net.graph["ledger_hash"] = ledger.content_hash()
    if positions is None:
        step("laying out")
        positions = _net_laid_out(net, layout, seed)
    ties = edges_meanwhile(net, path) if fmt == "gexf" else None  # the ties' lines, made while the measures are
    try:
        quick = measures is None and graph_file_measures(net.n) is not None
        measures = graph_file_measures(net.n, measures)
        above = f"{QUICK_MEASURES_ABOVE:,}"
        step("measures", f"计算快速指标（超过 {above} 个组织，不含路径指标；-m 指定其他）computing the quick measures "
                         f"(over {above} organisations: no path measures; -m for others)" if quick else None)
        table = (rank_table_from_graph(net, measures=measures) if net.n
                 else pd.DataFrame(columns=["id", "name", "name_en", "circle", "rank"]))
        step("writing")  # positions, if laid out in a child process, are taken once the rest is ready
        written = write_graph(net, path, fmt, positions=positions, table=table, size_by=size_by, color_by=color_by,
                              lang=lang, **({"edges": ties} if ties is not None else {}))
    finally:
        if ties is not None:
            ties.close()
    done()
    return written


def _net_laid_out(net, layout: str, seed: int):
    """:func:`_laid_out` of a :class:`~cojian_graph.analysis.engine.Net`: the force layout of its ties, or the
    concentric circles of its organisations."""
    from ..analysis.engine import PARALLEL_MIN_NODES, can_fork
    from ..render.layout import layout_pairs

    if layout != "force":
        G = nx.Graph()
        G.add_nodes_from((node, {key: values[i] for key, values in net.node_attrs.items()})
                         for i, node in enumerate(net.ids))
        return _laid_out(G, layout, seed, parallel=False)

    def lay_out():
        return layout_pairs(net.n, net.edges(), net.edge_weight, seed=seed)

    if net.n < PARALLEL_MIN_NODES or not can_fork():
        return _as_positions(net.ids, lay_out())
    return _meanwhile(net.ids, lay_out)


def _laid_out(G, layout: str, seed: int, *, parallel: bool):
    """The positions of ``G``'s organisations; with ``parallel`` (a graph file, whose measures come next)
    on a large view, a function that gives them, computed meanwhile in a forked child (at 10^5
    organisations the layout and the measures take about 20 s each)."""
    from ..analysis.engine import PARALLEL_MIN_NODES, can_fork
    from ..render.layout import compute_layout

    if not (parallel and G.number_of_nodes() >= PARALLEL_MIN_NODES and can_fork()):
        return compute_layout(G, layout, seed=seed)
    nodes = list(G)

    def lay_out():
        placed = compute_layout(G, layout, seed=seed)
        return [placed[node] for node in nodes]

    return _meanwhile(nodes, lay_out)


def _meanwhile(nodes, lay_out) -> Callable[[], dict]:
    """A function giving the positions of ``nodes``, ``lay_out()`` (one ``(x, y)`` each, in order) computed
    meanwhile in a forked child; computed here when it is asked for, should the child fail."""
    import numpy as np

    from ..analysis.engine import in_child

    wait = in_child(lambda: np.asarray(lay_out(), dtype=np.float64).ravel())

    def positions() -> dict:
        xy = wait()
        return _as_positions(nodes, lay_out() if xy is None else xy)

    return positions


def _as_positions(nodes, xy) -> dict:
    """node → ``(x, y)`` from positions in the nodes' order (an array, flat or ``(n, 2)``, or pairs)."""
    import numpy as np

    return dict(zip(nodes, map(tuple, np.asarray(xy, dtype=np.float64).reshape(-1, 2).tolist()), strict=True))


def _write(ledger, G, path: Path, fmt: str, kind: str, step, *, positions, layout, size_by, color_by, lang,
           rank_of, table, dpi, width, height, labels, title, renderer="auto") -> Path:
    """The second half of :func:`export`: ``G`` (laid out) written as ``fmt``."""
    if kind == "image":
        from ..render.images import write_image

        step("writing")
        return write_image(G, ledger, path, format=fmt, dpi=dpi, width=width, height=height,
                           positions=positions, layout=layout, size_by=size_by, color_by=color_by, lang=lang,
                           labels=20 if labels is None else labels, title=title)
    if kind == "page":
        from ..render.network_html import network_html

        step("writing")
        page = network_html(G, ledger, positions=positions, layout=layout, size_by=size_by, color_by=color_by,
                            lang=lang, labels="auto" if labels is None else labels, title=title,
                            renderer=renderer)
        path.write_text(page, encoding="utf-8")
        return path
    step("measures")
    rank = rank_of()
    step("writing")
    if kind == "graph":
        from .graphfiles import write_graph

        if callable(positions):  # laid out in a child process while the measures were computed
            positions = positions()
        return write_graph(G, path, fmt, positions=positions, table=rank, size_by=size_by,
                           color_by=color_by, lang=lang)
    from .tables import write_csv, write_xlsx

    tables = view_tables(ledger, G, rank)
    if fmt == "csv":
        if table not in TABLES:
            raise CojianError(f"未知的表 unknown table: {table!r}; 可选 valid: {', '.join(TABLES)}")
        return write_csv(tables[table], path)
    return write_xlsx(tables, path)


def export_bytes(ledger: Ledger, format: str, **options) -> bytes:
    """The content :func:`export` would write, as bytes (for a download button)."""
    fmt = format_of("", format)
    return _bytes_of(fmt, lambda path: export(ledger, path, fmt, **options))


def table_bytes(table: pd.DataFrame | Mapping[str, pd.DataFrame], format: str = "csv") -> bytes:
    """A table (or, for XLSX, several sheets) as CSV with BOM or XLSX bytes, formulas neutralised.

    >>> table_bytes(pd.DataFrame({"name": ["=1+1"]}), "csv").decode("utf-8-sig").splitlines()
    ['name', "'=1+1"]
    """
    from .tables import write_csv, write_xlsx

    fmt = format_of("", format)
    if fmt not in ("csv", "xlsx"):
        raise CojianError(f"表格只能导出为 csv 或 xlsx / tables export as csv or xlsx, not {fmt!r}")
    if fmt == "csv" and not isinstance(table, pd.DataFrame):
        raise CojianError("CSV 只能容纳一个表 / a CSV holds one table")
    return _bytes_of(fmt, lambda path: write_csv(table, path) if fmt == "csv" else write_xlsx(table, path))


def graph_bytes(G: nx.Graph, format: str = "gexf", **options) -> bytes:
    """``G`` as GEXF, GraphML or node-link JSON bytes (options as for ``graphfiles.export_graph``)."""
    from .graphfiles import write_graph

    fmt = format_of("", format)
    if EXPORT_FORMATS[fmt].kind != "graph":
        raise CojianError("图文件格式须为 gexf、graphml 或 json / graph formats: gexf, graphml, json; "
                          f"not {fmt!r}")
    return _bytes_of(fmt, lambda path: write_graph(G, path, fmt, **options))


def image_bytes(G: nx.Graph, ledger: Ledger | None = None, format: str = "png", **options) -> bytes:
    """The drawing of ``G`` as PNG, SVG or PDF bytes (options as for ``render.write_image``)."""
    from ..render.images import write_image

    fmt = format_of("", format)
    if EXPORT_FORMATS[fmt].kind != "image":
        raise CojianError(f"图片格式须为 png、svg 或 pdf / image formats: png, svg, pdf; not {fmt!r}")
    return _bytes_of(fmt, lambda path: write_image(G, ledger, path, format=fmt, **options))


def _bytes_of(fmt: str, write) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cojian-export-") as folder:
        path = Path(folder) / f"export{EXPORT_FORMATS[fmt].suffix}"
        write(path)
        return path.read_bytes()


def view_tables(ledger: Ledger, G: nx.Graph, rank: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a view: rank table, and the ledger's rows and the edges that the view shows.

    Organisations are those in ``G``; activities those with at least one of them taking part and
    not removed by the view's link-type and year filters; participations those linking the two.
    """
    from ..graph import COUNT_COLUMNS, filter_ledger

    spec = G.graph.get("filter")
    sub = filter_ledger(ledger, spec) if spec is not None else ledger
    nodes = set(G)
    orgs = ledger.organizations[ledger.organizations["id"].isin(nodes)]
    part = sub.participations[sub.participations["organization_id"].isin(nodes)]
    acts = sub.activities[sub.activities["id"].isin(set(part["activity_id"]))]
    part = part[part["activity_id"].isin(set(acts["id"]))]
    columns = ["source", "target", "weight", "multiplexity", *COUNT_COLUMNS, "activities"]
    edges = pd.DataFrame(
        [{"source": u, "target": v, **{c: data.get(c, 0) for c in columns[2:-1]},
          "activities": ";".join(map(str, data.get("activities", ()) or ()))}
         for u, v, data in G.edges(data=True)],
        columns=columns,
    )
    if rank is None:
        rank = _rank_table(G, None)
    return {
        "rank": rank,
        "organizations": orgs.reset_index(drop=True),
        "activities": acts.reset_index(drop=True),
        "participations": part.reset_index(drop=True),
        "edges": edges,
    }


def _rank_table(G: nx.Graph, measures) -> pd.DataFrame:
    from ..analysis import rank_table_from_graph

    if G.number_of_nodes() == 0:
        return pd.DataFrame(columns=["id", "name", "name_en", "circle", "rank"])
    return rank_table_from_graph(G, measures=measures)
