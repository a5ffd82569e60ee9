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

from ..model import LINK_IDS
from ..render.style import display_name, dominant_link, edge_styles, node_styles

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
        expects pixels.
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


def _records(G: nx.Graph, *, positions=None, measures=None, table=None, size_by: str = "strength",
             color_by: str = "circle", lang: str = "zh", lists: bool = False):
    """The nodes of :func:`export_graph` as a list of ``(node, attributes)``, and its edges as a
    function giving a fresh iterator of ``(u, v, attributes)`` (made one at a time, so that a writer
    can stream a million of them). Every edge has the same attributes, each of one type, except
    ``weight`` (a count, or Newman's fraction)."""
    if table is None:
        from ..analysis import rank_table_from_graph

        table = rank_table_from_graph(G, measures=measures) if G.number_of_nodes() else None
    measure_columns: list[str] = []
    rows: dict = {}
    if table is not None and len(table):
        measure_columns = [c for c in table.columns if c not in ("id", "name", "name_en", "circle")]
        rows = table.set_index("id")[measure_columns].to_dict("index")
    styles = node_styles(G, color_by=color_by, size_by=size_by,
                         measures=table if table is not None and size_by in table.columns else None)
    nodes = []
    for node, data in G.nodes(data=True):
        attrs: dict = {"label": _xml_safe(display_name(data, node, lang))}
        for key in _NODE_TEXT:
            attrs[key] = _xml_safe(data.get(key, "") or "")
        attrs["activities"] = int(data.get("activities", 0) or 0)
        for link in LINK_IDS:
            attrs[f"n_{link}"] = int(data.get(f"n_{link}", 0) or 0)
        attrs["main_link"] = dominant_link(data) or ""
        attrs.update({key: _plain(data[key]) for key in _GROUP_NODE if key in data})
        for column in measure_columns:
            attrs[column] = _plain(rows.get(node, {}).get(column))
        if positions is not None and node in positions:
            x, y = positions[node]
            attrs["x"], attrs["y"] = round(float(x) * 1000, 3), round(float(y) * 1000, 3)
        attrs["size"] = float(styles[node].size)
        attrs["color"] = styles[node].color
        nodes.append((node, {k: v for k, v in attrs.items() if v is not None}))
    edge_style = edge_styles(G)

    link_keys = [f"n_{link}" for link in LINK_IDS]

    def edges():
        for (u, v), style in edge_style.items():
            data = G.edges[u, v]
            activities = data.get("activities", ()) or ()
            record = {"weight": _weight(data.get("weight", 0)), "multiplexity": int(data.get("multiplexity", 0) or 0)}
            for key in link_keys:
                record[key] = int(data.get(key, 0) or 0)
            record["main_link"] = style.link or ""
            record["color"] = style.color
            record["activities"] = ([_xml_safe(a) for a in activities] if lists
                                    else _xml_safe(ACTIVITY_SEPARATOR.join(activities)))  # ";" is safe
            for key in _GROUP_EDGE:
                if key in data:
                    record[key] = _plain(data[key])
            yield u, v, record

    return nodes, edges


def write_gexf(G: nx.Graph, path: str | Path, **options) -> Path:
    """Write GEXF 1.2 for Gephi and Gephi Lite, with positions, sizes and colours as ``viz`` data.

    ``options`` go to :func:`export_graph`. The file is written as it is made, organisation by
    organisation and tie by tie, in memory that does not grow with the ties (networkx's writer holds
    the whole XML document: 7 GB at 10^5 organisations); ``networkx.read_gexf`` reads it back into
    the graph :func:`export_graph` returns (a test holds the two together).
    """
    nodes, edges = _records(G, **options)
    node_types = _attribute_types(attrs for _, attrs in nodes)
    # every tie has the same attributes, of one type each, but its weight (written apart): the first says
    edge_types = _attribute_types(attrs for _, _, attrs in itertools.islice(edges(), 1))
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_GEXF_HEAD)
        out.write('  <graph defaultedgetype="undirected" mode="static" name="">\n')
        for kind, types in (("node", node_types), ("edge", edge_types)):
            if types:
                out.write(f'    <attributes class="{kind}" mode="static">\n')
                out.writelines(f'      <attribute id="{number}" title={quoteattr(title)} type="{kind_of}" />\n'
                               for number, (title, kind_of) in enumerate(types.items()))
                out.write("    </attributes>\n")
        node_ids = {title: str(number) for number, title in enumerate(node_types)}
        out.write("    <nodes>\n")
        for node, attrs in nodes:
            out.write(_node_xml(node, attrs, node_ids))
        out.write("    </nodes>\n    <edges>\n")
        edge_ids = {title: str(number) for number, title in enumerate(edge_types)}
        for number, (u, v, attrs) in enumerate(edges()):
            out.write(_edge_xml(number, u, v, attrs, edge_ids))
        out.write("    </edges>\n  </graph>\n</gexf>\n")
    return path


_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    '  <meta><creator>cojian-graph</creator></meta>\n'
)
#: GEXF's type of an attribute by the Python type of its first value (networkx's names).
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
#: Attributes GEXF holds in the element itself: the node's label, the edge's weight (position, size and
#: colour are written twice, as attributes and as ``viz`` data, as networkx writes them).
_NOT_ATTVALUES = {"label", "weight"}


def _attribute_types(records, skip=_NOT_ATTVALUES) -> dict[str, str]:
    """Each attribute's GEXF (or GraphML: the same names) type, from its first value (as networkx
    declares them), in first-seen order; ``skip``: attributes written otherwise."""
    types: dict[str, str] = {}
    for attrs in records:
        for key, value in attrs.items():
            if key not in types:
                if key not in skip:
                    types[key] = _GEXF_TYPES.get(type(value), "string")
            elif type(value) is float and types[key] == "long":  # weights: counts, or Newman's fractions
                types[key] = "double"
    return types


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


def _attvalues(attrs: dict, ids: dict[str, str]) -> str:
    cells = []
    for key, value in attrs.items():
        number = ids.get(key)
        if number is None:
            continue
        kind = type(value)
        if kind is int or kind is float:  # digits, a point, e, NaN or INF: nothing to escape
            cells.append(f'<attvalue for="{number}" value="{value if kind is int else _value(value)}" />')
        else:
            cells.append(f'<attvalue for="{number}" value={_quoted(value if kind is str else _value(value))} />')
    return f"<attvalues>{''.join(cells)}</attvalues>" if cells else ""


@lru_cache(maxsize=256)
def _colour(color: str) -> str:
    rgba = _rgba(color)
    return f'<viz:color r="{rgba["r"]}" g="{rgba["g"]}" b="{rgba["b"]}" a="{rgba["a"]}" />'


def _node_xml(node, attrs: dict, ids: dict[str, str]) -> str:
    viz = _colour(attrs["color"]) + f'<viz:size value="{attrs["size"]}" />'
    if "x" in attrs:
        viz += f'<viz:position x="{attrs["x"]}" y="{attrs["y"]}" z="0.0" />'
    return (f'      <node id={_quoted(str(node))} label={_quoted(str(attrs["label"]))}>'
            f"{viz}{_attvalues(attrs, ids)}</node>\n")


def _edge_xml(number: int, u, v, attrs: dict, ids: dict[str, str]) -> str:
    return (f'      <edge source={_quoted(str(u))} target={_quoted(str(v))} id="{number}" '
            f'weight="{attrs["weight"]}">{_colour(attrs["color"])}{_attvalues(attrs, ids)}</edge>\n')


def write_graphml(G: nx.Graph, path: str | Path, **options) -> Path:
    """Write GraphML (yEd, Cytoscape, igraph, networkx); ``options`` go to :func:`export_graph`.

    Streamed as GEXF is (:func:`write_gexf`): ``networkx.read_graphml`` reads the file back into the graph
    networkx's own writer would have written (a test holds the two together).
    """
    nodes, edges = _records(G, **options)
    graph_attrs = _graph_attributes(G)
    scopes = {"node": _attribute_types((attrs for _, attrs in nodes), skip=()),
              "edge": _attribute_types((attrs for _, _, attrs in edges()), skip=()),
              "graph": _attribute_types([graph_attrs], skip=())}
    numbers = itertools.count()  # one numbering across the scopes: d0, d1, …
    keys = {scope: {title: f"d{next(numbers)}" for title in types} for scope, types in scopes.items()}
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_GRAPHML_HEAD)
        for scope, types in scopes.items():
            out.writelines(f'  <key id="{keys[scope][title]}" for="{scope}" attr.name={quoteattr(title)} '
                           f'attr.type="{kind}" />\n' for title, kind in types.items())
        out.write('  <graph edgedefault="undirected">\n')
        for node, attrs in nodes:
            out.write(f"    <node id={_quoted(str(node))}>{_graphml_data(attrs, keys['node'])}</node>\n")
        for u, v, attrs in edges():
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
