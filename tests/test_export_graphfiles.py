"""Graph files read back by independent readers (networkx, igraph, an XML parser) into the same graph."""

from __future__ import annotations

import json

import defusedxml.ElementTree as SafeET
import igraph as ig
import networkx as nx
import pandas as pd
import pytest

from cojian_graph.export.graphfiles import write_gexf, write_graph, write_graphml, write_node_link_json
from cojian_graph.graph import collaboration_graph
from cojian_graph.ledger import Ledger
from cojian_graph.model import LINK_IDS
from cojian_graph.render.layout import force_layout

HOSTILE_NAMES = ['<b>&"名"</b>', "]]><x>", "=1+1", "控制\x01字符", "tab\there"]


@pytest.fixture
def hostile():
    orgs = pd.DataFrame(
        [
            (f"o{i}", n, n, "other", "focal" if i == 0 else "external", "other")
            for i, n in enumerate(HOSTILE_NAMES)
        ],
        columns=["id", "name", "name_en", "kind", "circle", "sector"],
    )
    acts = pd.DataFrame(
        [("x1", "<t>", "", "service", "2022", "", "", ""), ("x2", "t2", "", "culture", "", "", "", "")],
        columns=["id", "title", "title_en", "link_type", "date", "description", "outcome", "source"],
    )
    part = pd.DataFrame(
        [("x1", f"o{i}", "partner") for i in range(len(HOSTILE_NAMES))]
        + [("x2", "o0", "host"), ("x2", "o1", "partner")],
        columns=["activity_id", "organization_id", "role"],
    )
    return Ledger.from_frames(orgs, acts, part, validate=False)


def read_back(fmt, path):
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    return nx.node_link_graph(json.loads(path.read_text("utf-8")), edges="edges")


def activities_of(value):
    return tuple(value) if isinstance(value, list) else tuple(filter(None, value.split(";")))


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
@pytest.mark.parametrize("which", ["tiny", "bundled"])
def test_round_trip_same_graph(tmp_path, fmt, which, request):
    ledger = request.getfixturevalue(which)
    G = collaboration_graph(ledger)
    pos = force_layout(G, seed=1)
    path = write_graph(
        G, tmp_path / f"g.{fmt}", positions=pos, measures=["strength", "degree", "betweenness"]
    )
    H = read_back(fmt, path)
    assert set(H) == set(G)
    assert {frozenset(e) for e in H.edges()} == {frozenset(e) for e in G.edges()}
    for u, v, data in G.edges(data=True):
        back = H.edges[u, v]
        assert back["weight"] == data["weight"]
        assert back["multiplexity"] == data["multiplexity"]
        assert [back[f"n_{link}"] for link in LINK_IDS] == [data[f"n_{link}"] for link in LINK_IDS]
        assert activities_of(back["activities"]) == data["activities"]
    for node, data in G.nodes(data=True):
        back = H.nodes[node]
        for key in ("name", "name_en", "circle", "sector", "kind"):
            assert back[key] == data[key]
        assert back["activities"] == data["activities"]
        # measures computed independently here: strength = weighted degree, degree = partners
        assert back["strength"] == pytest.approx(G.degree(node, weight="weight"))
        assert back["degree"] == pytest.approx(G.degree(node))
        assert back["x"] == pytest.approx(pos[node][0] * 1000, abs=1e-3)
        assert back["y"] == pytest.approx(pos[node][1] * 1000, abs=1e-3)
    assert all("betweenness" in H.nodes[n] or fmt == "json" for n in G)


def test_gexf_for_gephi_has_viz_and_typed_attributes(tmp_path, tiny):
    G = collaboration_graph(tiny)
    path = write_gexf(G, tmp_path / "g.gexf", positions=force_layout(G), measures=["strength"])
    root = SafeET.parse(path).getroot()
    assert root.tag.endswith("gexf")
    ns = {"g": root.tag[1:].split("}")[0], "viz": "http://www.gexf.net/1.2draft/viz"}
    assert len(root.findall(".//g:node", ns)) == 4
    assert len(root.findall(".//g:edge", ns)) == 3
    assert len(root.findall(".//viz:position", ns)) == 4
    assert len(root.findall(".//viz:color", ns)) == 4 + 3
    node_attrs = {
        a.get("title"): a.get("type") for a in root.findall(".//g:attributes[@class='node']/g:attribute", ns)
    }
    assert node_attrs["strength"] in ("double", "float")
    assert node_attrs["circle"] == "string" and node_attrs["n_learning"] in ("long", "integer")
    edge_attrs = {a.get("title") for a in root.findall(".//g:attributes[@class='edge']/g:attribute", ns)}
    assert {"multiplexity", "activities", "n_brand", "main_link"} <= edge_attrs


def test_igraph_reads_graphml_and_json(tmp_path, bundled):
    G = collaboration_graph(bundled)
    path = write_graphml(G, tmp_path / "g.graphml", measures=["strength"])
    g = ig.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert set(g.vs["id"]) == set(G)
    assert sum(g.es["weight"]) == sum(w for _, _, w in G.edges(data="weight"))
    data = json.loads(write_node_link_json(G, tmp_path / "g.json").read_text("utf-8"))
    h = ig.Graph.DictList(
        vertices=data["nodes"],
        edges=data["edges"],
        vertex_name_attr="id",
        edge_foreign_keys=("source", "target"),
    )
    assert (h.vcount(), h.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert sorted(h.strength(weights="weight")) == sorted(d for _, d in G.degree(weight="weight"))


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_hostile_names_survive(tmp_path, hostile, fmt):
    G = collaboration_graph(hostile)
    H = read_back(fmt, write_graph(G, tmp_path / f"h.{fmt}"))
    names = {H.nodes[n]["name"] for n in H}
    expected = {n.replace("\x01", "") for n in HOSTILE_NAMES}  # XML cannot hold U+0001
    assert names == expected


def test_json_has_no_nan(tmp_path, tiny):
    G = collaboration_graph(tiny)
    text = write_node_link_json(G, tmp_path / "g.json", measures=["closeness", "constraint"]).read_text(
        "utf-8"
    )
    assert "NaN" not in text
    json.loads(text)


def _networkx_gexf(G, path, **options):
    """The reference: networkx's own GEXF writer on export_graph's graph, viz data added."""
    from cojian_graph.export.graphfiles import _rgba, export_graph

    H = export_graph(G, **options)
    for _, attrs in H.nodes(data=True):
        attrs["viz"] = {"size": attrs["size"], "color": _rgba(attrs["color"]),
                        **({"position": {"x": attrs["x"], "y": attrs["y"], "z": 0.0}} if "x" in attrs else {})}
    for _, _, attrs in H.edges(data=True):
        attrs["viz"] = {"color": _rgba(attrs["color"])}
    H.graph = {"mode": "static"}
    nx.write_gexf(H, path, encoding="utf-8", version="1.2draft")
    return path


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return a == b


@pytest.fixture(params=["bundled", "hostile", "grown"])
def streamed(request, bundled, hostile):
    """A case for the streamed writers: its name, its graph and the export options (positions and three
    measures)."""
    from cojian_graph.synth import synthetic_ledger

    ledger = {"bundled": bundled, "hostile": hostile, "grown": None}[request.param]
    if ledger is None:  # hubs, isolated organisations (NaN constraint), several components
        ledger = synthetic_ledger(300, 900, 4)
    G = collaboration_graph(ledger)
    return request.param, G, {"positions": force_layout(G), "measures": ["strength", "constraint", "eigenvector"]}


def assert_same_graph(ours: nx.Graph, theirs: nx.Graph, G: nx.Graph) -> None:
    """Our file read back holds what networkx's own file holds: nodes in order, edges, every attribute
    (NaN equal to NaN), and as many nodes and edges as ``G``."""
    assert list(ours.nodes) == list(theirs.nodes) and ours.number_of_nodes() == G.number_of_nodes()
    assert sorted(map(sorted, ours.edges)) == sorted(map(sorted, theirs.edges))
    assert ours.number_of_edges() == G.number_of_edges()
    for node in theirs:
        a, b = ours.nodes[node], theirs.nodes[node]
        assert a.keys() == b.keys(), node
        assert all(_same_value(a[key], b[key]) for key in b), (node, a, b)
    for u, v, b in theirs.edges(data=True):
        assert ours.edges[u, v] == b


def test_the_streamed_gexf_reads_back_as_networkx_s_own(tmp_path, streamed):
    case, G, options = streamed
    ours = nx.read_gexf(write_gexf(G, tmp_path / "ours.gexf", **options))
    theirs = nx.read_gexf(_networkx_gexf(G, tmp_path / "theirs.gexf", **options))
    assert_same_graph(ours, theirs, G)
    if case == "grown":
        assert any(ours.nodes[n]["constraint"] != ours.nodes[n]["constraint"] for n in ours)  # NaN kept


def test_the_streamed_graphml_and_json_are_networkx_s_own(tmp_path, streamed):
    """GraphML and node-link JSON are written as they are made; networkx reads our GraphML back as the file
    its own writer makes from export_graph, and our JSON is the document node_link_data gives."""
    from cojian_graph.export.graphfiles import _no_nan, export_graph, write_graphml, write_node_link_json

    case, G, options = streamed
    ours = nx.read_graphml(write_graphml(G, tmp_path / "ours.graphml", **options))
    reference = tmp_path / "theirs.graphml"
    nx.write_graphml(export_graph(G, **options), reference, encoding="utf-8", prettyprint=True)
    theirs = nx.read_graphml(reference)
    assert ours.graph == theirs.graph and ours.graph["generator"] == "cojian-graph"
    assert_same_graph(ours, theirs, G)
    data = json.loads(write_node_link_json(G, tmp_path / "ours.json", **options).read_text("utf-8"))
    expected = _no_nan(nx.node_link_data(export_graph(G, lists=True, **options), edges="edges"))
    assert data == expected
    if case == "grown":
        assert any(ours.nodes[n]["constraint"] != ours.nodes[n]["constraint"] for n in ours)  # NaN kept
        assert any(node.get("constraint") is None for node in data["nodes"])  # null in JSON


def test_newmans_fractional_weights_are_declared_as_doubles(tmp_path, bundled):
    """With Newman's tie weights some ties weigh a whole number and others a fraction: the GraphML key is
    a double, so that every weight reads back (a long key would refuse 2.5)."""
    from cojian_graph.export.graphfiles import write_graphml
    from cojian_graph.graph.build import collaboration_edges, graph_from_tables, node_table

    newman = graph_from_tables(node_table(bundled), collaboration_edges(bundled, tie_weight="newman"))
    G = nx.Graph(newman.graph)  # a tie of a whole-number weight first, as the type is taken from the first
    G.add_nodes_from(newman.nodes(data=True))
    G.add_edges_from(sorted(newman.edges(data=True), key=lambda edge: not float(edge[2]["weight"]).is_integer()))
    weights = [w for _, _, w in G.edges(data="weight")]
    assert float(weights[0]).is_integer()
    assert any(float(w).is_integer() for w in weights) and not all(float(w).is_integer() for w in weights)
    back = nx.read_graphml(write_graphml(G, tmp_path / "newman.graphml", measures=["strength"]))
    assert sorted(w for _, _, w in back.edges(data="weight")) == pytest.approx(sorted(map(float, weights)))


def test_a_graph_file_laid_out_in_a_child_process_is_the_same_file(tmp_path, monkeypatch):
    """On a large view the layout runs in a forked child while the measures are computed: every
    organisation is placed exactly where one process places it (the path measures, searched in a child
    too, may differ in their last digit: sums in another order)."""
    import re

    from cojian_graph.analysis import engine
    from cojian_graph.export import export
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(engine.PARALLEL_MIN_NODES + 100, 1_500, 2)
    files = {}
    for forked in (True, False):
        monkeypatch.setattr(engine, "can_fork", lambda forked=forked: forked)
        files[forked] = re.findall(r'<node id="([^"]+)".*?<viz:position x="([^"]+)" y="([^"]+)"',
                                   export(ledger, tmp_path / f"{forked}.gexf").read_text("utf-8"))
    assert len(files[True]) == ledger.organizations.shape[0]
    assert files[True] == files[False]


@pytest.mark.parametrize("child", ["works", "fails before its types", "fails in its lines", "is not forked"])
@pytest.mark.parametrize("case", ["hostile", "grown"])
def test_the_ties_made_in_a_child_process_are_the_same_file(tmp_path, monkeypatch, hostile, case, child):
    """A large GEXF's ties are written meanwhile by a forked child (graphfiles.edges_meanwhile): the file is the
    one a single process writes, byte for byte, and when the child fails, at any point, this process writes
    the ties itself; the child's file is gone afterwards."""
    import os

    from cojian_graph.analysis import engine
    from cojian_graph.export import export, graphfiles
    from cojian_graph.synth import synthetic_ledger

    ledger = hostile if case == "hostile" else synthetic_ledger(300, 900, 4)
    monkeypatch.setattr(engine, "can_fork", lambda: False)
    alone = export(ledger, tmp_path / "alone.gexf").read_bytes()

    parent, started = os.getpid(), []
    monkeypatch.setattr(engine, "can_fork", lambda: child != "is not forked")
    monkeypatch.setattr(graphfiles, "EDGES_MEANWHILE_FROM", 1)
    meanwhile = graphfiles.edges_meanwhile
    monkeypatch.setattr(graphfiles, "edges_meanwhile", lambda *args: started.append(meanwhile(*args)) or started[-1])

    def failing(function, where):
        def wrapped(*args, **kwargs):
            if os.getpid() != parent and child == where:
                raise OSError("the child failed")
            return function(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(graphfiles, "_edge_columns", failing(graphfiles._edge_columns, "fails before its types"))
    monkeypatch.setattr(graphfiles, "_write_lines", failing(graphfiles._write_lines, "fails in its lines"))
    both = export(ledger, tmp_path / "both.gexf").read_bytes()
    assert both == alone
    assert len(started) == 1 and (started[0] is None) == (child == "is not forked")
    if started[0] is not None:
        assert started[0]._child.succeeded() == (child == "works")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["alone.gexf", "both.gexf"]


def test_a_failed_export_stops_the_child_writing_the_ties(tmp_path, monkeypatch):
    """Should the measures fail, the export fails with their error: the child making the ties is stopped and
    its file removed, and no output is left."""
    from cojian_graph.analysis import engine
    from cojian_graph.export import export, graphfiles
    from cojian_graph.synth import synthetic_ledger

    monkeypatch.setattr(engine, "can_fork", lambda: True)
    monkeypatch.setattr(graphfiles, "EDGES_MEANWHILE_FROM", 1)
    started = []
    meanwhile = graphfiles.edges_meanwhile
    monkeypatch.setattr(graphfiles, "edges_meanwhile", lambda *args: started.append(meanwhile(*args)) or started[-1])

    def broken(*args, **kwargs):
        raise RuntimeError("measures failed")

    monkeypatch.setattr("cojian_graph.analysis.rank_table_from_graph", broken)
    with pytest.raises(RuntimeError, match="measures failed"):
        export(synthetic_ledger(300, 900, 4), tmp_path / "x.gexf")
    assert started and started[0]._child._status is not None  # reaped
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(params=["bundled", "hostile", "grown"])
def ledger_case(request, bundled, hostile):
    from cojian_graph.synth import synthetic_ledger

    return request.param, {"bundled": bundled, "hostile": hostile}.get(request.param) or synthetic_ledger(300, 900, 4)


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
@pytest.mark.parametrize("view", ["whole", "filtered", "focus", "newman"])
def test_a_graph_file_from_the_ledger_s_columns_is_the_graph_s_file(tmp_path, ledger_case, fmt, view):
    """`export` writes graph files from the ledger's columns (a Net with each tie's activities), without the
    networkx graph: the file reads back as the file written from filtered_graph's graph, with the same
    positions and measures, whatever the view."""
    from cojian_graph.analysis import rank_table
    from cojian_graph.export import export
    from cojian_graph.graph import GraphFilter, filtered_graph

    case, ledger = ledger_case
    G = filtered_graph(ledger, GraphFilter())
    focus = max(G.degree, key=lambda pair: (pair[1], str(pair[0])))[0]
    spec = {"whole": GraphFilter(),
            "filtered": GraphFilter(links=("service", "culture", "learning", "activity"),
                                    min_weight=2 if case == "grown" else 1),
            "focus": GraphFilter(focus=focus, hops=1),
            "newman": GraphFilter(tie_weight="newman")}[view]
    view_graph = filtered_graph(ledger, spec)
    if view == "filtered" and case == "grown":
        assert 0 < view_graph.number_of_edges() < G.number_of_edges()
    positions = {node: (i / 100, -i / 200) for i, node in enumerate(view_graph)}
    measures = ["strength", "constraint", "community"]
    # each of the ways a size is found (from the table, the ties, the organisations, a measure computed) and
    # each colour scheme
    style = {"whole": {"size_by": "betweenness", "color_by": "sector"},
             "filtered": {"size_by": "degree", "color_by": "main_link"},
             "focus": {"size_by": "activities", "color_by": "community"},
             "newman": {"size_by": "strength", "color_by": "circle"}}[view]
    ours = read_back(fmt, export(ledger, tmp_path / f"ours.{fmt}", spec=spec, positions=positions,
                                 measures=measures, **style))
    table = rank_table(ledger, spec=spec, measures=measures)
    theirs = read_back(fmt, write_graph(view_graph, tmp_path / f"theirs.{fmt}", positions=positions, table=table,
                                        **style))
    if fmt == "gexf":  # the ties are numbered in the order each writer takes them
        for graph in (ours, theirs):
            for _, _, data in graph.edges(data=True):
                data.pop("id", None)
    assert ours.graph == theirs.graph
    assert_same_graph(ours, theirs, view_graph)


def test_a_large_view_s_graph_file_carries_the_quick_measures_and_says_so(tmp_path, monkeypatch):
    """Above QUICK_MEASURES_ABOVE organisations (lowered here) a graph file carries the measures that need no
    path search, unless measures are asked for; the command's progress says so."""
    from click.testing import CliRunner

    import cojian_graph.export as export_module
    from cojian_graph.analysis import MEASURES
    from cojian_graph.cli import main, options
    from cojian_graph.io import write_ledger
    from cojian_graph.synth import synthetic_ledger

    folder = tmp_path / "ledger"
    write_ledger(synthetic_ledger(300, 900, 4), folder)
    monkeypatch.setattr(export_module, "QUICK_MEASURES_ABOVE", 250)
    monkeypatch.setattr(options.Progress.__init__, "__defaults__", (0.0,))  # show from the start
    result = CliRunner().invoke(main, ["export", str(folder), "-o", str(tmp_path / "quick.gexf")])
    assert result.exit_code == 0, result.output
    assert "computing the quick measures (over 250 organisations: no path measures; -m for others)" in result.stderr
    quick = nx.read_gexf(tmp_path / "quick.gexf")
    measures = {key for data in quick.nodes.values() for key in data} & set(MEASURES)
    assert measures == set(export_module.QUICK_MEASURES)
    assert "betweenness" not in measures and "composite" not in measures
    result = CliRunner().invoke(main, ["export", str(folder), "-o", str(tmp_path / "asked.gexf"), "-m", "betweenness"])
    assert result.exit_code == 0 and "quick measures" not in result.stderr
    asked = nx.read_gexf(tmp_path / "asked.gexf")
    assert {key for data in asked.nodes.values() for key in data} & set(MEASURES) == {"betweenness"}
    monkeypatch.setattr(export_module, "QUICK_MEASURES_ABOVE", 300)  # 300 organisations: not above it
    result = CliRunner().invoke(main, ["export", str(folder), "-o", str(tmp_path / "all.gexf")])
    everything = nx.read_gexf(tmp_path / "all.gexf")
    assert {"betweenness", "composite"} <= {key for data in everything.nodes.values() for key in data}
