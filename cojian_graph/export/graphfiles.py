"""Graph files for other tools: GEXF (Gephi, Gephi Lite), GraphML and node-link JSON.

:func:`export_graph` turns a collaboration graph into one that every format can hold: each node
carries its names, circle, sector, kind, link counts, measures (from the rank table), rank,
position, size and colour; each edge its weight, count per link type, multiplexity, main link type
and the ids of the activities behind it. Values are plain ``str``, ``int``, ``float`` or ``bool``
(tuples of activity ids become ``"x1;x2"`` strings), so that the files read back into the same graph.

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> H = export_graph(collaboration_graph(tiny_ledger()), measures=["strength"])
>>> H.nodes["a"]["label"], H.nodes["a"]["strength"], H.edges["a", "b"]["activities"]
('铸钢党总支', 4.0, 'x1;x2')
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Hashable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import numpy as np

from ..model import LINK_IDS
from ..render.style import display_name, dominant_link, node_styles

__all__ = [
    "ACTIVITY_SEPARATOR",
    "GRAPH_FORMATS",
    "export_graph",
    "write_gexf",
    "write_graph",
    "write_graphml",
    "write_node_link_json",
]

#: Separator of activity ids in the ``activities`` attribute of GEXF and GraphML edges.
ACTIVITY_SEPARATOR = ";"

#: Graph-file formats: id → (中文, English, suffix).
GRAPH_FORMATS: dict[str, tuple[str, str, str]] = {
    "gexf": ("GEXF（Gephi）", "GEXF (Gephi, Gephi Lite)", ".gexf"),
    "graphml": ("GraphML", "GraphML", ".graphml"),
    "json": ("节点-连线 JSON", "Node-link JSON", ".json"),
}

_NODE_TEXT = ("name", "name_en", "kind", "circle", "sector")
#: Figures of the groups of an aggregated view (cojian_graph.graph.aggregate), written when present.
_GROUP_NODE = ("organizations", "inner_ties", "inner_activities")
_GROUP_EDGE = ("ties", "tie_weight")
# characters XML 1.0 does not allow (C0 controls except tab, LF, CR; lone surrogates; U+FFFE/FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def export_graph(
    G: nx.Graph,
    *,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    measures: Iterable[str] | None = None,
    table=None,
    size_by: str = "strength",
    color_by: str = "circle",
    lang: str = "zh",
    lists: bool = False,
) -> nx.Graph:
    """A copy of ``G`` with flat, typed attributes for graph files.

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph.
    positions : mapping node → (x, y), optional
        Layout positions (about [-1, 1]); written as ``x`` and ``y`` scaled by 1000, as Gephi
        expects pixels. A function giving them is called once everything else is ready.
    measures : ids of ``analysis.MEASURES``, optional
        Measures to compute and attach (default: the rank table's default measures). Ignored when
        ``table`` is given.
    table : DataFrame, optional
        A precomputed rank table (column ``id``, measure columns and ``rank``).
    size_by, color_by, lang
        Set the ``size``, ``color`` and ``label`` attributes (as in the drawing).
    lists : bool
        Keep ``activities`` as a list (for JSON) instead of a ``;``-joined string.
    """
    nodes, edges = _records(G, positions=positions, measures=measures, table=table, size_by=size_by,
                            color_by=color_by, lang=lang, lists=lists)
    H = nx.Graph()
    H.graph.update(_graph_attributes(G))
    H.add_nodes_from(nodes)
    H.add_edges_from(edges())
    return H


def _records(G, *, positions=None, measures=None, table=None, size_by: str = "strength",
             color_by: str = "circle", lang: str = "zh", lists: bool = False):
    """The nodes of :func:`export_graph` as a list of ``(node, attributes)``, and its edges as a
    function giving a fresh iterator of ``(u, v, attributes)`` (made one at a time, so that a writer
    can stream a million of them). Every edge has the same attributes, each of one type, except
    ``weight`` (a count, or Newman's fraction). The rows of :func:`_columns`."""
    node_columns, edge_columns = _columns(G, positions=positions, measures=measures, table=table, size_by=size_by,
                                          color_by=color_by, lang=lang, lists=lists)
    return list(_rows(node_columns, "id")), lambda: _edge_rows(edge_columns)


def _rows(columns: dict, *ends: str):
    """``(ends, attributes)`` of each row of ``columns``, one at a time (``ends``: the columns naming the node
    or the edge's two nodes), without the attributes that are None."""
    columns = {key: values.tolist() if isinstance(values, np.ndarray) else values for key, values in columns.items()}
    names = [key for key in columns if key not in ends]
    ids = zip(*(columns[key] for key in ends), strict=True) if len(ends) > 1 else columns[ends[0]]
    for end, row in zip(ids, zip(*(columns[key] for key in names), strict=True), strict=True):
        yield end, {key: value for key, value in zip(names, row, strict=True) if value is not None}


def _edge_rows(columns: dict):
    """``(u, v, attributes)`` of each tie of the edges' columns, one at a time."""
    return ((u, v, attrs) for (u, v), attrs in _rows(columns, "source", "target"))


_LINK_KEYS = tuple(f"n_{link}" for link in LINK_IDS)


def _columns(G, *, positions=None, measures=None, table=None, size_by: str = "strength", color_by: str = "circle",
             lang: str = "zh", lists: bool = False, edges: bool = True) -> tuple[dict, dict | None]:
    """What a graph file holds, as columns (lists, or numpy arrays of numbers): the nodes' (``id``, then each
    attribute in the order files give them; None where a node lacks one) and the edges'
    (:func:`_edge_columns`; None without ``edges``).

    ``G`` is a networkx graph, or a :class:`~cojian_graph.analysis.engine.Net` built with its evidence
    (``net_from_ledger(..., evidence=True)``): the same columns without a networkx graph (at 10^5
    organisations that graph, with the activities of 535,000 ties, took 7 s to build).
    """
    if table is None:
        from ..analysis import rank_table_from_graph

        if G.number_of_nodes() if isinstance(G, nx.Graph) else G.n:
            table = rank_table_from_graph(G, measures=measures)
    if isinstance(G, nx.Graph):
        styles = node_styles(G, color_by=color_by, size_by=size_by,
                             measures=table if table is not None and size_by in table.columns else None)
        nodes, records = list(G), [attrs for _, attrs in G.nodes(data=True)]
        data = {key: [attrs.get(key) for attrs in records] for key in (*_NODE_DATA, *_GROUP_NODE)
                if key in _NODE_DATA or any(key in attrs for attrs in records)}
        data["main_link"] = [dominant_link(attrs) for attrs in records]
        sizes = [styles[node].size for node in nodes]
        colors = [styles[node].color for node in nodes]
    else:
        nodes, data, sizes, colors = _net_nodes(G, table, size_by, color_by)
    edge_columns = _edge_columns(G, lists=lists) if edges else None
    # the positions last: they may be awaited
    return _node_columns(nodes, data, sizes, colors, table, positions, lang), edge_columns


def _edge_columns(G, *, lists: bool = False) -> dict:
    """The edges' columns of :func:`_columns`: ``source``, ``target``, then each attribute (``activities``
    joined by :data:`ACTIVITY_SEPARATOR`, or lists with ``lists``)."""
    from ..render.style import dominant_links, link_colors

    if isinstance(G, nx.Graph):
        ties = [attrs for _, _, attrs in G.edges(data=True)]
        sources, targets = [u for u, _ in G.edges()], [v for _, v in G.edges()]
        counts = np.array([[attrs.get(key, 0) or 0 for key in _LINK_KEYS] for attrs in ties],
                          dtype=np.int64).reshape(-1, len(LINK_IDS))
        multiplexity = np.array([int(attrs.get("multiplexity", 0) or 0) for attrs in ties], dtype=np.int64)
        weights = [attrs.get("weight", 0) for attrs in ties]
        evidence = [attrs.get("activities", ()) or () for attrs in ties]
        extras = {key: [_plain(attrs.get(key)) for attrs in ties] for key in _GROUP_EDGE
                  if any(key in attrs for attrs in ties)}
    else:
        counts = G.edge_counts if G.edge_counts is not None else np.zeros((G.m, len(LINK_IDS)), dtype=np.int64)
        weights, evidence, extras = G.edge_weight, G.edge_evidence if G.m else [], {}
        multiplexity = (counts > 0).sum(axis=1)
        ends = G.edges()
        ids = np.asarray(G.ids, dtype=object)
        sources = ids[ends[:, 0]].tolist() if len(ends) else []
        targets = ids[ends[:, 1]].tolist() if len(ends) else []
    links = dominant_links(counts)
    counted = np.asarray(weights, dtype=np.float64)
    columns: dict = {"source": sources, "target": targets,
                     "weight": (counted.astype(np.int64) if (counted == np.round(counted)).all()
                                else [_weight(w) for w in weights]),
                     "multiplexity": multiplexity}
    columns.update((key, np.ascontiguousarray(counts[:, position])) for position, key in enumerate(_LINK_KEYS))
    columns["main_link"] = [link or "" for link in links]
    columns["color"] = link_colors(links)
    columns["activities"] = ([_xml_safe_all(activities) for activities in evidence] if lists
                             else _xml_safe_all([ACTIVITY_SEPARATOR.join(activities) for activities in evidence]))
    columns.update(extras)
    return columns


#: The organisations' own attributes that graph files carry (with ``main_link``, their dominant link type).
_NODE_DATA = ("name", "name_en", *_NODE_TEXT[2:], "activities", *_LINK_KEYS)


def _node_columns(nodes: list, data: dict, sizes: list, colors: list, table, positions, lang: str) -> dict:
    """The nodes' columns of :func:`_columns`: ``data`` holds each node's own attributes as columns (see
    :data:`_NODE_DATA`; None where a node lacks one), ``sizes`` and ``colors`` how each is drawn."""
    def texts(key: str) -> list[str]:
        return _xml_safe_all(["" if value is None else value for value in data[key]])

    out: dict = {"id": nodes, "label": _xml_safe_all([
        display_name({"name": name, "name_en": english}, node, lang)
        for name, english, node in zip(data["name"], data["name_en"], nodes, strict=True)])}
    out["name"], out["name_en"] = texts("name"), texts("name_en")
    for key in _NODE_TEXT[2:]:
        out[key] = texts(key)
    for key in ("activities", *_LINK_KEYS):
        values = data[key]
        out[key] = (values.astype(np.int64) if isinstance(values, np.ndarray) and values.dtype.kind in "iu"
                    else [int(value or 0) for value in values])
    out["main_link"] = [link or "" for link in data["main_link"]]
    for key in _GROUP_NODE:
        if key in data:
            out[key] = [_plain(value) for value in data[key]]
    if table is not None and len(table):
        from ..columns import positions as positions_in

        rows = positions_in(nodes, table["id"].tolist())
        for column in table.columns:
            if column not in ("id", "name", "name_en", "circle"):
                values = table[column].to_numpy()
                if (rows >= 0).all() and values.dtype.kind in "iuf":
                    out[column] = values[rows]
                else:
                    values = [_plain(value) for value in values.tolist()]
                    out[column] = [values[row] if row >= 0 else None for row in rows.tolist()]
    if callable(positions):  # laid out meanwhile in a child process (export._net_laid_out)
        positions = positions()
    if positions is not None:
        placed = [positions.get(node) for node in nodes]
        if all(xy is not None for xy in placed):
            xy = np.round(np.asarray(placed, dtype=np.float64).reshape(-1, 2) * 1000, 3)
            out["x"], out["y"] = xy[:, 0], xy[:, 1]
        else:
            out["x"] = [None if xy is None else round(float(xy[0]) * 1000, 3) for xy in placed]
            out["y"] = [None if xy is None else round(float(xy[1]) * 1000, 3) for xy in placed]
    out["size"] = [float(size) for size in sizes]
    out["color"] = list(colors)
    return out


def _net_nodes(net, table, size_by: str, color_by: str):
    """A :class:`~cojian_graph.analysis.engine.Net`'s organisations for :func:`_node_columns`: ids, own
    attributes, sizes and colours, as :func:`node_styles` draws them from a graph's (a test holds the two
    together), without making one."""
    from ..errors import CojianError
    from ..render.style import dominant_links, node_colors, node_sizes

    if net.m and net.edge_evidence is None:
        raise CojianError("图文件须有每条关系的活动 / a graph file needs the activities of each tie: "
                          "net_from_ledger(..., evidence=True)")
    nodes = list(net.ids)
    data = {}
    for key in _NODE_DATA:
        values = net.node_attrs.get(key)
        numeric = values is not None and values.dtype.kind in "iu"
        data[key] = values if numeric else net.attribute(key, "" if key in _NODE_TEXT else 0).tolist()
    counts = np.column_stack([np.asarray(data[key], dtype=np.int64) for key in _LINK_KEYS]) if nodes else None
    data["main_link"] = dominant_links(counts) if nodes else []
    sizes = node_sizes(_size_values(net, table, size_by, data))
    if color_by == "community":
        numbers = _table_column(net, table, "community")
        if numbers is None:
            from ..analysis.cohesion import partition

            numbers = partition(net)[0]
        colors = node_colors("community", communities=(np.asarray(numbers, dtype=np.int64) - 1).tolist())
    else:
        colors = node_colors(color_by, circles=data["circle"], sectors=data["sector"], links=data["main_link"])
    return nodes, data, sizes, [color for _, color in colors]


def _table_column(net, table, column: str):
    """``table``'s ``column`` in ``net``'s vertex order (0 where an organisation is missing), or None."""
    if table is None or column not in table.columns:
        return None
    from ..columns import positions

    rows = positions(list(net.ids), table["id"].tolist())
    values = table[column].to_numpy()
    return np.where(rows >= 0, values[np.maximum(rows, 0)], 0) if len(values) else np.zeros(net.n)


def _size_values(net, table, size_by: str, data: dict) -> np.ndarray:
    """The values of ``size_by`` for each organisation of ``net``, as :func:`measure_values` finds them on its
    graph: from ``table``, the organisations' own attributes, the ties, or the measure computed."""
    found = _table_column(net, table, size_by)
    if found is not None:
        return np.asarray(found, dtype=np.float64)
    if size_by in data:
        return np.asarray([float(value or 0) for value in data[size_by]], dtype=np.float64)
    if size_by == "strength":
        return np.asarray(net.g.strength(weights=net.edge_weight.tolist()) if net.m else np.zeros(net.n), float)
    if size_by == "degree":
        return np.asarray(net.g.degree(), dtype=np.float64)
    from ..analysis import rank_table_from_graph

    return np.asarray(_table_column(net, rank_table_from_graph(net, measures=[size_by]), size_by), dtype=float)


def write_gexf(G: nx.Graph, path: str | Path, *, edges: EdgesMeanwhile | None = None, **options) -> Path:
    """Write GEXF 1.2 for Gephi and Gephi Lite, with positions, sizes and colours as ``viz`` data.

    ``options`` go to :func:`export_graph`. The file is written as it is made, a block of organisations
    or ties at a time, each block's lines joined column by column by Apache Arrow, in memory that does
    not grow with the ties (networkx's writer holds the whole XML document: 7 GB at 10^5
    organisations); ``networkx.read_gexf`` reads it back into the graph :func:`export_graph` returns (a
    test holds the two together). ``edges``: the ties' lines made meanwhile (:func:`edges_meanwhile`).
    """
    ties = edges if edges is not None else _Edges(_edge_columns(G))
    nodes, _ = _columns(G, edges=False, **options)
    node_types = _column_types(nodes, ("id",))
    path = Path(path)
    with path.open("wb") as out:
        out.write(_GEXF_HEAD.encode())
        out.write(b'  <graph defaultedgetype="undirected" mode="static" name="">\n')
        for kind, types in (("node", node_types), ("edge", ties.types(G))):
            if types:
                out.write(f'    <attributes class="{kind}" mode="static">\n'.encode())
                out.writelines(f'      <attribute id="{number}" title={quoteattr(title)} type="{kind_of}" />\n'
                               .encode() for number, (title, kind_of) in enumerate(types.items()))
                out.write(b"    </attributes>\n")
        out.write(b"    <nodes>\n")
        _write_lines(out, nodes, node_types, _node_pieces)
        out.write(b"    </nodes>\n    <edges>\n")
        ties.write(out, G)
        out.write(b"    </edges>\n  </graph>\n</gexf>\n")
    return path


class _Edges:
    """The ties of a GEXF file from their columns: their attributes' types and their lines."""

    def __init__(self, columns: dict) -> None:
        self.columns, self._types = columns, _column_types(columns, ("source", "target"))

    def types(self, G=None) -> dict[str, str]:
        return self._types

    def write(self, out, G=None) -> None:
        _write_lines(out, self.columns, self._types, _edge_pieces)


class EdgesMeanwhile:
    """The ties' lines of the GEXF file of ``G``, made meanwhile by a forked child into a hidden file in
    ``folder`` while this process computes the organisations' measures: at 10^5 organisations the ties
    are 350 MB of the file's 410, and take 3 s to make. Should the child fail, the lines are made here
    when they are asked for. :meth:`close` ends the child and removes its file."""

    def __init__(self, G, folder: Path) -> None:
        import os
        import tempfile

        from ..analysis.engine import start_child

        descriptor, name = tempfile.mkstemp(prefix=".cojian-edges-", suffix=".part", dir=folder)
        os.close(descriptor)
        self.file, self._types, self._here = Path(name), None, None

        def work(send) -> None:
            edges = _Edges(_edge_columns(G))
            send(json.dumps(edges.types()).encode())
            with self.file.open("wb") as out:
                edges.write(out)

        self._child = start_child(work)

    def types(self, G) -> dict[str, str]:
        """The ties' attributes and their types, once the child has sent them."""
        if self._types is None:
            sent = self._child.message()
            if sent is None:
                self._here = _Edges(_edge_columns(G))
            self._types = self._here.types() if sent is None else json.loads(sent)
        return self._types

    def write(self, out, G) -> None:
        """Write the ties' lines to ``out``: the child's, once it has made them all."""
        types = self.types(G)
        if self._here is None and self._child.succeeded():
            with self.file.open("rb") as lines:
                _copy(lines, out)
            return
        if self._here is None:
            self._here = _Edges(_edge_columns(G))
            if self._here.types() != types:  # cannot happen: the same columns
                raise RuntimeError("the ties' attributes changed")
        self._here.write(out)

    def close(self) -> None:
        self._child.stop()
        self.file.unlink(missing_ok=True)


def edges_meanwhile(G, path: str | Path) -> EdgesMeanwhile | None:
    """The ties of the GEXF file ``path`` of ``G`` (a :class:`~cojian_graph.analysis.engine.Net`) made
    meanwhile in a forked child (:class:`EdgesMeanwhile`), for :func:`write_gexf`: if there are enough of them
    to be worth it and a child can be forked; otherwise None."""
    from ..analysis.engine import can_fork

    if G.m < EDGES_MEANWHILE_FROM or not can_fork():
        return None
    try:
        return EdgesMeanwhile(G, Path(path).parent)
    except OSError:  # no room for the child's file beside the output: the lines are made as it is written
        return None


#: The ties from which :func:`edges_meanwhile` makes their lines in a child process.
EDGES_MEANWHILE_FROM = 20_000


def _copy(source, out) -> None:
    """Copy the file ``source`` to the end of the file ``out``, by the kernel where it can."""
    import os
    import shutil

    out.flush()
    start, size = out.tell(), os.fstat(source.fileno()).st_size
    try:
        sent = 0
        while sent < size:
            sent += os.sendfile(out.fileno(), source.fileno(), sent, size - sent)
    except (AttributeError, OSError):  # no sendfile here: anything it wrote is written again
        source.seek(0)
        out.seek(start)
        out.truncate()
        shutil.copyfileobj(source, out, 1 << 20)
    out.seek(0, os.SEEK_END)


def _column_types(columns: dict[str, list], ends, skip=None) -> dict[str, str]:
    """Each attribute's GEXF (or GraphML: the same names) type, as networkx declares them: a column's type
    from its first value that is not None (a long column with a float in it, as Newman's weights mix
    counts and fractions, is a double); ``ends`` and ``skip`` (default: what GEXF writes in the element
    itself) are not attributes."""
    skip = _NOT_ATTVALUES if skip is None else skip
    types = {}
    for key, values in columns.items():
        if key in ends or key in skip:
            continue
        if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
            if len(values):
                types[key] = _NUMPY_TYPES[values.dtype.kind]
            continue
        first = next((value for value in values if value is not None), None)
        if first is None:
            continue
        kind = _GEXF_TYPES.get(type(first), "string")
        if kind == "long" and any(type(value) is float for value in values):
            kind = "double"
        types[key] = kind
    return types


#: Rows of a graph file formatted at once: a block's text stays far below Arrow's 2 GB per string array.
_BLOCK = 50_000


def _write_lines(out, columns: dict, types: dict[str, str], pieces) -> None:
    """Write the lines of ``columns`` (nodes or edges): the element-wise join of the pieces before the
    attributes (``pieces(columns)``: literal text, or Arrow arrays of one piece per row), the attributes'
    ``<attvalue>`` elements and the closing tag ``pieces`` names, :data:`_BLOCK` rows at a time."""
    import pyarrow.compute as pc

    count = len(next(iter(columns.values()), []))
    head, tail = pieces(columns)
    cells: list = []
    for number, (key, kind) in enumerate(types.items()):
        texts = _texts(columns[key], kind)
        prefix = f'<attvalue for="{number}" value="'
        if texts.null_count:  # no element where a row has no value
            cells.append(pc.fill_null(pc.binary_join_element_wise(prefix, texts, '" />', ""), ""))
        else:
            cells += [prefix, texts, '" />']
    parts = [*head, "<attvalues>", *cells, tail]
    for start in range(0, count, _BLOCK):
        lines = pc.binary_join_element_wise(
            *(part if isinstance(part, str) else part.slice(start, _BLOCK) for part in parts), "")
        _write_texts(out, lines)


def _write_texts(out, texts) -> None:
    """Write the strings of an Arrow string array without nulls, one after another (its data buffer: no
    Python string is made)."""
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)[texts.offset:texts.offset + len(texts) + 1]
    out.write(memoryview(texts.buffers()[2])[int(offsets[0]):int(offsets[-1])])


def _texts(values, kind: str):
    """A column's values (a list or an array) as GEXF attribute text, escaped for an attribute in double
    quotes: an Arrow array, null where a value is None. Numbers are printed by Arrow (shortest round trip:
    2.0 as "2"), NaN and infinities as networkx spells them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "string":
        try:  # strings and None, as they mostly are
            texts = pa.array(values, pa.string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers as node ids
            texts = pa.array([None if value is None else str(value) for value in values], pa.string())
        return _escaped(texts)
    numbers = pa.array(values, {"long": pa.int64(), "double": pa.float64(), "boolean": pa.bool_()}[kind])
    texts = numbers.cast(pa.string())
    if kind == "double" and not pc.all(pc.is_finite(numbers)).as_py():  # NaN, INF: networkx's spelling
        texts = pc.if_else(pc.is_nan(numbers), "NaN", texts)
        texts = pc.if_else(pc.is_inf(numbers), pc.if_else(pc.greater(numbers, 0), "INF", "-INF"), texts)
    return texts


def _escaped(texts):
    """Strings escaped for an XML attribute value in double quotes (as :func:`_quoted` escapes them)."""
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring_regex(texts, _ESCAPED.pattern)).as_py():
        return texts
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\n", "&#10;"),
                              ("\r", "&#13;"), ("\t", "&#9;")):
        texts = pc.replace_substring(texts, character, entity)
    return texts


def _node_pieces(columns: dict) -> tuple[list, str]:
    import pyarrow as pa
    import pyarrow.compute as pc

    viz = [pa.array([_colour(color) for color in columns["color"]], pa.string()),
           '<viz:size value="', _texts(columns["size"], "double"), '" />']
    if "x" in columns:
        viz.append(pc.fill_null(pc.binary_join_element_wise(
            '<viz:position x="', _texts(columns["x"], "double"), '" y="', _texts(columns["y"], "double"),
            '" z="0.0" />', ""), ""))
    return ['      <node id="', _texts(columns["id"], "string"), '" label="', _texts(columns["label"], "string"),
            '">', *viz], "</attvalues></node>\n"


def _edge_pieces(columns: dict) -> tuple[list, str]:
    import pyarrow as pa

    weights = columns["weight"]
    return ['      <edge source="', _texts(columns["source"], "string"), '" target="',
            _texts(columns["target"], "string"), '" id="', pa.array(np.arange(len(weights))).cast(pa.string()),
            '" weight="', _texts(weights, "long" if isinstance(weights, np.ndarray) else "double"), '">',
            pa.array([_colour(color) for color in columns["color"]], pa.string())], "</attvalues></edge>\n"


_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    '  <meta><creator>cojian-graph</creator></meta>\n'
)
#: GEXF's type of an attribute by the Python type of its first value (networkx's names).
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
#: The same for a numpy array's kind of values.
_NUMPY_TYPES = {"b": "boolean", "i": "long", "u": "long", "f": "double"}
#: Attributes GEXF holds in the element itself: the node's label, the edge's weight (position, size and
#: colour are written twice, as attributes and as ``viz`` data, as networkx writes them).
_NOT_ATTVALUES = {"label", "weight"}


def _value(value) -> str:
    """An attribute value as GEXF text (networkx's spelling: true/false, NaN, INF, -INF)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("INF" if value > 0 else "-INF")
    return str(value)


#: Characters that make :func:`quoteattr` change a value (anything else is written as it is, quoted).
_ESCAPED = re.compile('[&<>"\n\r\t]')


def _quoted(text: str) -> str:
    """``quoteattr(text)``, without its string replacements for the many values that need none.

    >>> print(_quoted("#C0392B"), _quoted('a"b<c'))
    "#C0392B" 'a"b&lt;c'
    """
    return quoteattr(text) if _ESCAPED.search(text) else f'"{text}"'


@lru_cache(maxsize=256)
def _colour(color: str) -> str:
    rgba = _rgba(color)
    return f'<viz:color r="{rgba["r"]}" g="{rgba["g"]}" b="{rgba["b"]}" a="{rgba["a"]}" />'


def write_graphml(G: nx.Graph, path: str | Path, **options) -> Path:
    """Write GraphML (yEd, Cytoscape, igraph, networkx); ``options`` go to :func:`export_graph`.

    Streamed as GEXF is (:func:`write_gexf`): ``networkx.read_graphml`` reads the file back into the graph
    networkx's own writer would have written (a test holds the two together).
    """
    node_columns, edge_columns = _columns(G, **options)
    graph_attrs = _graph_attributes(G)
    scopes = {"node": _column_types(node_columns, ("id",), skip=()),
              "edge": _column_types(edge_columns, ("source", "target"), skip=()),
              "graph": _column_types({key: [value] for key, value in graph_attrs.items()}, (), skip=())}
    numbers = itertools.count()  # one numbering across the scopes: d0, d1, …
    keys = {scope: {title: f"d{next(numbers)}" for title in types} for scope, types in scopes.items()}
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_GRAPHML_HEAD)
        for scope, types in scopes.items():
            out.writelines(f'  <key id="{keys[scope][title]}" for="{scope}" attr.name={quoteattr(title)} '
                           f'attr.type="{kind}" />\n' for title, kind in types.items())
        out.write('  <graph edgedefault="undirected">\n')
        for node, attrs in _rows(node_columns, "id"):
            out.write(f"    <node id={_quoted(str(node))}>{_graphml_data(attrs, keys['node'])}</node>\n")
        for u, v, attrs in _edge_rows(edge_columns):
            out.write(f"    <edge source={_quoted(str(u))} target={_quoted(str(v))}>"
                      f"{_graphml_data(attrs, keys['edge'])}</edge>\n")
        out.write(f"    {_graphml_data(graph_attrs, keys['graph'])}\n  </graph>\n</graphml>\n")
    return path


_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _graphml_data(attrs: dict, keys: dict[str, str]) -> str:
    """An element's ``<data>`` children (values as networkx spells them: ``str()``, booleans lower-case)."""
    return "".join(f'<data key="{keys[key]}">{escape(_graphml_value(value))}</data>'
                   for key, value in attrs.items() if key in keys)


def _graphml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_node_link_json(G: nx.Graph, path: str | Path, **options) -> Path:
    """Write node-link JSON (d3, ``networkx.node_link_graph(data, edges="edges")``), UTF-8, no NaN.

    Missing measure values (NaN) are written as ``null``; ``activities`` is a list of ids. Streamed, one
    organisation or tie per line: the document is what ``networkx.node_link_data`` gives (a test holds
    the two together).
    """
    nodes, edges = _records(G, lists=True, **options)

    def line(record: dict) -> str:
        return json.dumps(_no_nan(record), ensure_ascii=False, allow_nan=False)

    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f'{{"directed": false, "multigraph": false, "graph": {line(_graph_attributes(G))},\n"nodes": [')
        for number, (node, attrs) in enumerate(nodes):
            out.write(("," if number else "") + "\n" + line({**attrs, "id": node}))
        out.write('\n],\n"edges": [')
        for number, (u, v, attrs) in enumerate(edges()):
            out.write(("," if number else "") + "\n" + line({**attrs, "source": u, "target": v}))
        out.write("\n]}\n")
    return path


def write_graph(G: nx.Graph, path: str | Path, format: str | None = None, **options) -> Path:
    """Write a graph file, the format given or taken from the suffix (.gexf, .graphml, .json)."""
    from ..errors import CojianError

    fmt = (format or Path(path).suffix.lstrip(".")).lower()
    writers = {"gexf": write_gexf, "graphml": write_graphml, "json": write_node_link_json}
    if fmt not in writers:
        raise CojianError(f"不支持的图文件格式 unsupported graph format: {fmt!r}; "
                          f"可选 valid: {', '.join(writers)}")
    return writers[fmt](G, path, **options)


def _graph_attributes(G: nx.Graph) -> dict:
    attrs = {"generator": "cojian-graph", "ledger_hash": str(G.graph.get("ledger_hash", ""))}
    spec = G.graph.get("filter")
    if spec is not None:
        from dataclasses import asdict

        try:
            fields = {k: v for k, v in asdict(spec).items() if not k.startswith("_")}
        except TypeError:
            fields = {}
        attrs["filter"] = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return attrs


def _xml_safe_all(texts: list) -> list[str]:
    """:func:`_xml_safe` of each of ``texts`` (one search of them all when, as usual, none needs it)."""
    texts = [str(text) for text in texts]
    return [_xml_safe(text) for text in texts] if _NOT_XML.search("".join(texts)) else texts


def _xml_safe(text) -> str:
    r"""``text`` without the characters XML 1.0 cannot hold (they could not be read back).

    >>> _xml_safe("a\x01b\tc")
    'ab\tc'
    """
    return _NOT_XML.sub("", str(text))


def _plain(value):
    """numpy scalars → Python scalars; NaN stays NaN (the writers handle it), None stays None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _no_nan(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def _rgba(color: str) -> dict:
    color = color.lstrip("#")
    return {"r": int(color[0:2], 16), "g": int(color[2:4], 16), "b": int(color[4:6], 16), "a": 1.0}


def _weight(value) -> int | float:
    """A tie weight as written to a graph file: an integer count, or a float (Newman's weighting)."""
    value = value or 0
    return float(value) if isinstance(value, float) and not float(value).is_integer() else int(value)
