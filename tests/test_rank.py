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
    assert set(net.ids) == set(G)
    ours = {frozenset((net.ids[u], net.ids[v])): w for (u, v), w in zip(net.edges(), net.edge_weight, strict=True)}
    theirs = {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}
    assert ours == theirs


def test_net_from_ledger_with_focus_is_the_ego_network(synth_ledger):
    focus = synth_ledger.organizations["id"].iloc[5]
    for hops in (0, 1, 2):
        spec = GraphFilter(focus=focus, hops=hops)
        G = filtered_graph(synth_ledger, spec)
        net = A.net_from_ledger(synth_ledger, spec)
        assert set(net.ids) == set(G)
        assert net.m == G.number_of_edges()
    with pytest.raises(UnknownNodeError):
        A.net_from_ledger(synth_ledger, GraphFilter(focus="no-such-org"))


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
