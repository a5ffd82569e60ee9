"""The rank table, the igraph view of a ledger, the registry and docs/measures.md."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from cojian_graph import analysis as A
from cojian_graph.errors import CojianError, UnknownNodeError
from cojian_graph.graph import GraphFilter, collaboration_graph, filtered_graph
from cojian_graph.model import LINK_IDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synth_ledger():
    from cojian_graph.synth import synthetic_ledger

    return synthetic_ledger(120, 300, 3)


SPECS = [
    GraphFilter(),
    GraphFilter(links=("learning", "brand")),
    GraphFilter(circles=("focal", "external")),
    GraphFilter(min_weight=2),
    GraphFilter(year_min=2021, year_max=2023),
    GraphFilter(year_min=2021, include_undated=False),
    GraphFilter(sectors=("company",)),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: repr(spec)[12:60])
def test_net_from_ledger_is_the_filtered_graph(synth_ledger, spec):
    """The edge-table route to igraph gives the same nodes, ties and weights as the networkx route."""
    G = filtered_graph(synth_ledger, spec)
    net = A.net_from_ledger(synth_ledger, spec)
    assert list(net.ids) == list(G)  # same vertex order: the organisations table's
    ours = {frozenset((net.ids[u], net.ids[v])): w for (u, v), w in zip(net.edges(), net.edge_weight, strict=True)}
    theirs = {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}
    assert ours == theirs


def test_net_from_ledger_with_focus_is_the_ego_network(synth_ledger):
    focus = synth_ledger.organizations["id"].iloc[5]
    for hops in (0, 1, 2):
        spec = GraphFilter(focus=focus, hops=hops)
        G = filtered_graph(synth_ledger, spec)
        net = A.net_from_ledger(synth_ledger, spec)
        assert list(net.ids) == list(G)
        ours = {frozenset((net.ids[u], net.ids[v])): w
                for (u, v), w in zip(net.edges(), net.edge_weight, strict=True)}
        assert ours == {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}
        assert net.node_attrs["circle"].tolist() == [G.nodes[node]["circle"] for node in G]
    with pytest.raises(UnknownNodeError):
        A.net_from_ledger(synth_ledger, GraphFilter(focus="no-such-org"))


def test_net_from_ledger_with_focus_and_min_weight(synth_ledger):
    focus = synth_ledger.organizations["id"].iloc[0]
    spec = GraphFilter(focus=focus, hops=2, min_weight=2, links=("learning", "culture", "activity"))
    G = filtered_graph(synth_ledger, spec)
    net = A.net_from_ledger(synth_ledger, spec)
    assert list(net.ids) == list(G) and net.m == G.number_of_edges() > 0
    assert net.edge_weight.min() >= 2
    # per-link counts of each tie, as the networkx graph carries them
    for (u, v), counts in zip(net.edges(), net.edge_counts, strict=True):
        data = G.edges[net.ids[u], net.ids[v]]
        assert counts.tolist() == [data[f"n_{link}"] for link in LINK_IDS]
    # a focus filtered out by circle: an empty view, not an error
    orgs = synth_ledger.organizations
    inside = orgs.loc[orgs["circle"] != "external", "id"].iloc[0]
    gone = A.net_from_ledger(synth_ledger, GraphFilter(focus=inside, circles=("external",)))
    assert gone.n == 0 and gone.m == 0 and gone.node_attrs["name"].tolist() == []


def test_net_node_attributes_are_arrays_in_vertex_order(tiny):
    net = A.net_from_ledger(tiny, GraphFilter(circles=("internal", "external")))
    assert net.ids == ("b", "c", "d")
    assert net.node_attrs["circle"].tolist() == ["internal", "external", "external"]
    assert net.attribute("circle").tolist() == ["internal", "external", "external"]
    assert net.attribute("no_such_attribute", "?").tolist() == ["?", "?", "?"]
    assert net.nodes.loc["c", "circle"] == "external" and net.nodes.index.name == "id"
    # from networkx: a node without the attribute gets the default
    G = nx.Graph()
    G.add_node("x", circle="focal", n_learning=2)
    G.add_node("y")
    H = A.as_net(G)
    assert H.attribute("circle", "").tolist() == ["focal", ""]
    assert H.numeric("n_learning").tolist() == [2.0, 0.0]


def test_every_measure_has_an_array_function_giving_the_series_values(synth_ledger):
    """Measure.values(net) is the Series of Measure.function(net), in vertex order, as an array."""
    graphs = {"ledger": A.net_from_ledger(synth_ledger), "karate": A.as_net(nx.karate_club_graph())}
    for name, net in graphs.items():
        for key, measure in A.MEASURES.items():
            series = measure.function(net)
            values = measure.values(net)
            assert isinstance(values, np.ndarray), (name, key)
            assert list(series.index) == list(net.ids), (name, key)
            np.testing.assert_array_equal(values, series.to_numpy(), err_msg=f"{name} {key}")
            assert values.dtype == series.dtype, (name, key)


def test_rank_columns_are_the_rank_table(synth_ledger):
    kwargs = {"measures": ["degree", "constraint", "community", "composite"], "top": 9,
              "weights": {"strength": 1, "liaison": 2}, "spec": GraphFilter(min_weight=2)}
    columns = A.rank_columns(synth_ledger, **kwargs)
    table = A.rank_table(synth_ledger, **kwargs)
    assert list(columns) == list(table.columns)
    assert all(isinstance(values, np.ndarray) and len(values) == 9 for values in columns.values())
    pd.testing.assert_frame_equal(pd.DataFrame(columns), table)
    assert columns["rank"].dtype == np.int64 and columns["community"].dtype == np.int64


def test_rank_ties_share_the_better_rank_and_missing_values_come_last():
    G = nx.Graph([("a", "b"), ("c", "d"), ("e", "f"), ("f", "g")])
    G.add_node("z")
    columns = A.rank_columns_from_graph(G, measures=["degree"])
    # degree: f 2; a, b, c, d, e, g 1 (tied, listed by id); z 0
    assert columns["id"].tolist() == ["f", "a", "b", "c", "d", "e", "g", "z"]
    assert columns["rank"].tolist() == [1, 2, 2, 2, 2, 2, 2, 8]
    # constraint: lower is better; the isolated z has none (NaN) and comes last
    low = A.rank_columns_from_graph(G, measures=["constraint"])
    assert low["id"].tolist()[0] == "f" and low["id"].tolist()[-1] == "z"
    assert np.isnan(low["constraint"][-1]) and low["rank"].tolist()[-1] == 8


def test_spectral_measures_are_reproducible_and_leave_global_random_alone(synth_ledger):
    import random

    random.seed(123)
    state = random.getstate()
    first = [A.eigenvector(synth_ledger), A.pagerank(synth_ledger)]
    assert random.getstate() == state
    again = [A.eigenvector(synth_ledger), A.pagerank(synth_ledger)]
    for a, b in zip(first, again, strict=True):
        pd.testing.assert_series_equal(a, b, check_exact=True)


def test_combine_takes_a_dataframe_or_a_mapping():
    columns = {"strength": np.array([4.0, 2.0, 0.0]), "constraint": np.array([0.5, 1.0, np.nan])}
    weights = {"strength": 1, "constraint": 1}
    frame = pd.DataFrame(columns, index=["x", "y", "z"])
    # strength / 4 and (1 − constraint) / 0.5, NaN as 0, mean × 100
    assert A.combine(frame, weights).to_dict() == {"x": 100.0, "y": 25.0, "z": 0.0}
    assert A.combine(columns, weights).tolist() == [100.0, 25.0, 0.0]


def test_rank_table_from_ledger_equals_rank_table_from_networkx_graph(synth_ledger):
    ours = A.rank_table(synth_ledger).set_index("id").sort_index()
    via_nx = A.rank_table_from_graph(collaboration_graph(synth_ledger)).set_index("id").sort_index()
    pd.testing.assert_frame_equal(ours, via_nx, check_exact=False, rtol=1e-9)


def test_rank_table_columns_and_order(tiny):
    table = A.rank_table(tiny)
    measures = [c for c in table.columns if c in A.MEASURES]
    assert list(table.columns[:4]) == ["id", "name", "name_en", "circle"]
    assert table.columns[-1] == "rank"
    assert set(A.DEFAULT_MEASURES) <= set(measures)
    # composite's components stand beside it, before it
    assert all(measures.index(key) < measures.index("composite") for key in A.DEFAULT_WEIGHTS)
    assert table["rank"].is_monotonic_increasing
    assert table["composite"].is_monotonic_decreasing
    assert table.loc[0, "id"] == "a"  # the focal organisation: most ties, the only broker
    assert table.loc[0, "name"] == "铸钢党总支"


def test_rank_table_choices(tiny):
    table = A.rank_table(tiny, measures=["betweenness", "strength"], top=2)
    assert list(table.columns) == ["id", "name", "name_en", "circle", "betweenness", "strength", "rank"]
    assert len(table) == 2
    # ranked by the first measure when composite is not asked for: a has betweenness 1/6, the rest 0
    assert table.loc[0, "id"] == "a" and table.loc[0, "rank"] == 1
    by_strength = A.rank_table(tiny, measures=["degree"], sort_by="strength")
    assert by_strength["id"].tolist()[:1] == ["a"] and "strength" in by_strength
    chinese = A.rank_table(tiny, measures=["中介中心性"])
    assert "betweenness" in chinese.columns


def test_rank_table_lower_is_better_measure_ranks_ascending(tiny):
    table = A.rank_table(tiny, measures=["constraint"])
    # a has the lowest constraint (0.889 < 1.235); d has none (NaN) and comes last
    assert table["id"].tolist() == ["a", "b", "c", "d"]
    assert table["rank"].tolist() == [1, 2, 2, 4]


def test_rank_table_layer_and_filters(tiny):
    layer = A.rank_table(tiny, measures=["degree", "breadth"], layer="党员联学")
    degrees = layer.set_index("id")["degree"].to_dict()
    assert degrees == {"a": 1, "b": 1, "c": 0, "d": 0}  # only x1 (learning): a–b
    assert layer["breadth"].max() == 1
    external = A.rank_table(tiny, measures=["degree"], spec=GraphFilter(circles=("external",)))
    assert set(external["id"]) == {"c", "d"}
    with pytest.raises(CojianError, match="unknown link layer"):
        A.rank_table(tiny, layer="nothing")
    with pytest.raises(CojianError):
        A.rank_table(tiny, layer="learning", spec=GraphFilter(links=("brand",)))


def test_rank_table_weights_change_the_composite(tiny):
    default = A.rank_table(tiny).set_index("id")
    only_betweenness = A.rank_table(tiny, weights={"betweenness": 1}).set_index("id")
    # a is the only organisation with betweenness > 0
    assert only_betweenness["composite"].to_dict() == {"a": 100.0, "b": 0.0, "c": 0.0, "d": 0.0}
    assert default.loc["b", "composite"] > 0
    with pytest.raises(CojianError, match="composite"):
        A.rank_table(tiny, weights={"community": 1})


def test_rank_table_progress_is_called_for_each_measure(tiny):
    calls = []
    A.rank_table(tiny, measures=["degree", "strength"], progress=lambda *args: calls.append(args))
    assert calls == [(0, 2, "degree"), (1, 2, "strength"), (2, 2, "")]


def test_rank_table_of_an_empty_view(tiny):
    table = A.rank_table(tiny, spec=GraphFilter(circles=("focal",), sectors=("education",)))
    assert len(table) == 0 and "composite" in table.columns


def test_registry_is_complete():
    for key, measure in A.MEASURES.items():
        assert measure.id == key
        assert measure.zh and measure.en and measure.description and measure.formula and measure.reference
        assert measure.family in A.FAMILIES
        assert callable(measure.function)
        values = measure.function(nx.path_graph(3))
        assert list(values.index) == [0, 1, 2]
    assert set(A.DEFAULT_WEIGHTS) <= {k for k, m in A.MEASURES.items() if m.combinable}
    assert np.isclose(sum(A.DEFAULT_WEIGHTS.values()), 1.0)


def test_docs_measures_md_matches_the_registry():
    from cojian_graph.analysis.registry import measures_markdown

    text = (ROOT / "docs" / "measures.md").read_text(encoding="utf-8")
    assert text == measures_markdown(), "regenerate: python -m cojian_graph.analysis.measures_doc"
    for key in A.MEASURES:
        assert f"### `{key}`" in text


def test_igraph_is_imported_without_matplotlib():
    import subprocess
    import sys

    code = ("import sys\nfrom cojian_graph.analysis.engine import igraph_module\nigraph_module()\n"
            "print('igraph' in sys.modules, 'matplotlib' in sys.modules, 'networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False", "False"]


def test_readme_from_python_example_runs(monkeypatch, capsys):
    """The five-line example of README.md's "From Python" section, run as it is written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert len(code.strip().splitlines()) == 5
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "rank" in out and "composite" in out and "'density'" in out
    assert "中车眉山车辆有限公司铸钢分公司党总支" in out  # the focal organisation ranks first


def test_measures_take_a_ledger(tiny):
    assert A.degree(tiny).to_dict() == {"a": 2, "b": 2, "c": 2, "d": 0}
    assert A.network_summary(tiny)["ties"] == 3


def test_path_measures_split_with_a_child_process_give_the_same_values(monkeypatch):
    """prefetch_paths shares the shortest paths with a forked child; the values must not change."""
    from cojian_graph.analysis import engine, paths

    G = nx.gnp_random_graph(60, 0.1, seed=5)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = 1 + (u * v) % 4
    alone = {key: getattr(A, key)(G) for key in ("betweenness", "closeness", "harmonic")}
    monkeypatch.setattr(engine, "PARALLEL_MIN_NODES", 10)
    monkeypatch.setattr(engine, "can_fork", lambda: True)
    net = A.as_net(G)
    finish = paths.prefetch_paths(net, child_share=0.3)
    assert finish is not None and ("paths", "weight") not in net.cache
    finish()
    assert ("paths", "weight") in net.cache
    for key, expected in alone.items():
        pd.testing.assert_series_equal(getattr(A, key)(net), expected, rtol=1e-12)
    table = A.rank_table_from_graph(G).set_index("id").sort_index()
    monkeypatch.setattr(engine, "can_fork", lambda: False)
    sequential = A.rank_table_from_graph(G).set_index("id").sort_index()
    pd.testing.assert_frame_equal(table, sequential, rtol=1e-12)


def test_a_forked_child_sends_its_messages_in_order_and_says_how_it_ended():
    """start_child: the messages come back whole and in order (one larger than a pipe's buffer); a child whose
    work fails is reported as failed, after what it sent; a child at work is stopped when no longer wanted."""
    import time

    from cojian_graph.analysis.engine import start_child

    big = bytes(range(256)) * 4096  # 1 MB: the child blocks until the parent reads

    def work(send):
        send(b"first")
        send(b"")
        send(big)

    child = start_child(work)
    assert [child.message(), child.message(), child.message()] == [b"first", b"", big]
    assert child.message() is None and child.succeeded()

    def fails(send):
        send(b"before")
        raise ValueError("broken")

    child = start_child(fails)
    assert child.message() == b"before" and child.message() is None
    assert not child.succeeded()
    child = start_child(lambda send: (send(b"unread"), 1 / 0))
    assert not child.succeeded()  # a message not read does not keep the parent waiting

    child = start_child(lambda send: time.sleep(60))
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 10 and not child.succeeded()


def test_igraph_skips_pyplot_when_matplotlib_is_loaded_and_images_still_draw(tmp_path):
    """The app imports matplotlib (not pyplot) before igraph: igraph must not pull pyplot in, and
    matplotlib must still be the real module afterwards, drawing our images in the same process."""
    import subprocess
    import sys

    code = (
        "import sys\nimport matplotlib\nfrom cojian_graph.analysis.engine import igraph_module\n"
        "igraph_module()\n"
        "print('matplotlib.pyplot' in sys.modules, sys.modules['matplotlib'] is matplotlib)\n"
        "from cojian_graph.graph import collaboration_graph\nfrom cojian_graph.testing import tiny_ledger\n"
        "from cojian_graph.render.images import write_image\nledger = tiny_ledger()\n"
        f"path = write_image(collaboration_graph(ledger), ledger, {str(tmp_path / 'net.png')!r})\n"
        "print(path.read_bytes()[:8] == b'\\x89PNG\\r\\n\\x1a\\n')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True"]


def test_seeded_measures_agree_across_concurrent_threads():
    """The explorer serves sessions on threads: seeded measures (Leiden, ARPACK) give every thread
    the values one thread alone gives."""
    from concurrent.futures import ThreadPoolExecutor

    import networkx as nx

    from cojian_graph.analysis import communities, eigenvector, net_from_graph

    G = nx.relaxed_caveman_graph(12, 6, 0.3, seed=3)
    expected_parts, expected_q = communities(net_from_graph(G))
    expected_eigen = eigenvector(net_from_graph(G), weight=None)
    assert expected_parts.nunique() > 3  # a partition worth getting wrong

    def run(_):
        parts, q = communities(net_from_graph(G))
        return parts.tolist(), q, eigenvector(net_from_graph(G), weight=None).tolist()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(40)))
    assert all(result == (expected_parts.tolist(), expected_q, expected_eigen.tolist()) for result in results)


def test_net_from_tables_is_the_net_of_the_same_columns():
    import numpy as np

    from cojian_graph.analysis import net_from_ledger, net_from_tables
    from cojian_graph.errors import CojianError
    from cojian_graph.graph import collaboration_edges, node_table
    from cojian_graph.io import read_ledger

    ledger = read_ledger(Path(__file__).resolve().parents[1] / "data")
    edges = collaboration_edges(ledger)
    from_tables, from_ledger = net_from_tables(node_table(ledger), edges), net_from_ledger(ledger)
    assert from_tables.ids == from_ledger.ids
    assert from_tables.g.get_edgelist() == from_ledger.g.get_edgelist()
    assert np.array_equal(from_tables.edge_weight, from_ledger.edge_weight)
    assert np.array_equal(from_tables.edge_counts, from_ledger.edge_counts)
    assert from_tables.attribute("circle").tolist() == from_ledger.attribute("circle").tolist()
    stray = edges.copy()
    stray.loc[0, "target"] = "nobody"
    with pytest.raises(CojianError, match="not in the nodes"):
        net_from_tables(node_table(ledger), stray)


def test_the_ledger_s_net_takes_its_ties_ends_as_rows_of_the_organisations():
    """net_from_ledger numbers each tie's ends by the organisations' rows (edge_columns(ends="rows")), one lookup
    per organisation: the rows name the ids the edge table names; an organisation missing from the table (an
    unvalidated ledger) is refused as the edge table's route refuses it."""
    import numpy as np

    from cojian_graph.analysis import net_from_ledger
    from cojian_graph.errors import CojianError
    from cojian_graph.graph import edge_columns
    from cojian_graph.ledger import Ledger
    from cojian_graph.testing import tiny_ledger

    ledger = tiny_ledger()
    ids, rows = edge_columns(ledger), edge_columns(ledger, ends="rows")
    organizations = ledger.column("organizations", "id")
    assert rows["source"].dtype == np.int64
    assert organizations[rows["source"]].tolist() == ids["source"].tolist() == ["a", "a", "b"]
    assert organizations[rows["target"]].tolist() == ids["target"].tolist() == ["b", "c", "c"]
    missing = Ledger.from_frames(ledger.organizations[ledger.organizations["id"] != "c"], ledger.activities,
                                 ledger.participations, validate=False)
    assert -1 in edge_columns(missing, ends="rows")["target"]
    with pytest.raises(CojianError, match="not in the nodes"):
        net_from_ledger(missing)
