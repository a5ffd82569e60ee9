"""Average path length and diameter at any size (cojian_graph.analysis.distances): the diameter against
networkx and igraph's exhaustive search, the sampled average path length's 95 % interval against the
exact value over many seeds, and `cojian stats --approx/--exact`."""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from cojian_graph.analysis import distances, net_from_ledger
from cojian_graph.analysis.distances import path_figures
from cojian_graph.analysis.engine import as_net
from cojian_graph.graph import GraphFilter
from cojian_graph.synth import synthetic_ledger


def exact_diameter(G: nx.Graph) -> int:
    """networkx's diameter, taken per component (the longest over all of them)."""
    return max((nx.diameter(G.subgraph(part)) for part in nx.connected_components(G) if len(part) > 1), default=0)


def exact_average(G: nx.Graph) -> float:
    """Mean distance over connected pairs, by networkx's all-pairs search."""
    total = count = 0
    for _, lengths in nx.all_pairs_shortest_path_length(G):
        total += sum(lengths.values())
        count += len(lengths) - 1
    return total / count


GRAPHS = {
    "path": nx.path_graph(12),
    "cycle": nx.cycle_graph(15),
    "grid": nx.grid_2d_graph(7, 9),
    "tree": nx.balanced_tree(3, 4),
    "lollipop": nx.lollipop_graph(20, 12),
    # the longest path is in the small component, not the large one
    "star and a path": nx.disjoint_union(nx.star_graph(60), nx.path_graph(9)),
    "sparse random": nx.gnp_random_graph(400, 0.006, seed=3),
    "preferential": nx.barabasi_albert_graph(600, 2, seed=4),
    "small world": nx.connected_watts_strogatz_graph(500, 4, 0.05, seed=5),
}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_the_diameter_is_networkx_s(name):
    G = nx.convert_node_labels_to_integers(GRAPHS[name])
    result = path_figures(as_net(G))
    assert result.diameter == exact_diameter(G)
    assert result.diameter_bounds == (result.diameter, result.diameter)
    assert result.method == "exact"
    assert result.average_path_length == pytest.approx(exact_average(G))


def test_the_diameter_of_a_grown_ledger_is_igraph_s_exhaustive_search():
    net = net_from_ledger(synthetic_ledger(3_000, 9_000, 2), GraphFilter())
    assert path_figures(net).diameter == net.g.diameter(directed=False, unconn=True)


def test_at_the_search_limit_the_diameter_is_given_as_bounds_around_the_truth(monkeypatch):
    G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(12, 12))  # a grid needs many searches
    monkeypatch.setattr(distances, "DIAMETER_SEARCHES_MAX", 3)
    low, high = path_figures(as_net(G)).diameter_bounds
    assert low < high and low <= exact_diameter(G) <= high


def test_no_connected_pair():
    result = path_figures(as_net(nx.empty_graph(5)))
    assert math.isnan(result.average_path_length) and result.diameter == 0


@pytest.mark.parametrize("name", ["ledger", "two components"])
def test_the_sampled_interval_covers_the_exact_value(name):
    """The stated 95 % interval must hold: over 40 seeds it covers the exact value at least 34 times (a
    correct interval fails that with probability 1.4 %); the estimates centre on the exact value."""
    if name == "ledger":
        net = net_from_ledger(synthetic_ledger(1_500, 4_500, 3), GraphFilter())
        exact = net.g.average_path_length(directed=False, unconn=True)
    else:  # pairs of a long path and of a dense clique: sampling must weigh each source by what it reaches
        G = nx.convert_node_labels_to_integers(nx.disjoint_union(nx.path_graph(60), nx.complete_graph(40)))
        net, exact = as_net(G), exact_average(G)
    results = [path_figures(net, exact=False, seed=seed) for seed in range(40)]
    assert all(result.method == "sampled" and result.samples >= distances.PATH_SAMPLES_MIN for result in results)
    covered = sum(abs(result.average_path_length - exact) <= result.error for result in results)
    assert covered >= 34, (covered, exact)
    mean = sum(result.average_path_length for result in results) / len(results)
    assert abs(mean - exact) < max(result.error for result in results) / 2
    # each sample is sized for an interval as narrow as asked: the intervals are that wide on average (each
    # from its own sample, so some a little wider), unless the sample ran out
    sized = [result.error for result in results if result.samples < distances.PATH_SAMPLES_MAX]
    assert sized or name == "two components"  # there, every sample runs out
    if sized:
        assert sum(sized) / len(sized) <= distances.PATH_ERROR * 1.05
        assert max(sized) <= distances.PATH_ERROR * 1.5


def test_large_networks_are_sampled_small_ones_exact(monkeypatch):
    net = as_net(nx.convert_node_labels_to_integers(nx.grid_2d_graph(10, 10)))
    assert path_figures(net).method == "exact"
    monkeypatch.setattr(distances, "EXACT_PATH_STEPS", 100)  # 100 organisations × 180 ties is more
    assert path_figures(net).method == "sampled"
    assert path_figures(net, exact=True).method == "exact"


def test_cojian_stats_says_how_the_path_length_was_found(tmp_path):
    from cojian_graph.cli import main
    from cojian_graph.io import write_ledger

    folder = tmp_path / "ledger"
    write_ledger(synthetic_ledger(400, 1_200, 1), folder)
    runner = CliRunner()
    sampled = runner.invoke(main, ["stats", str(folder), "--approx", "--format", "json"])
    assert sampled.exit_code == 0, sampled.output
    figures = json.loads(sampled.output)
    assert figures["paths"]["method"] == "sampled" and figures["paths"]["samples"] >= 30
    exact = json.loads(runner.invoke(main, ["stats", str(folder), "--exact", "--format", "json"]).output)
    assert exact["paths"] == {"method": "exact", "error": 0.0, "samples": 0,
                              "diameter_bounds": [exact["diameter"], exact["diameter"]]}
    assert abs(figures["average_path_length"] - exact["average_path_length"]) <= 3 * figures["paths"]["error"]
    text = runner.invoke(main, ["stats", str(folder), "--approx"]).output
    assert "± " in text and "抽样 sampled" in text


def test_the_summary_reports_its_steps_in_order():
    from cojian_graph.analysis import network_summary
    from cojian_graph.analysis.summary import SUMMARY_STEPS

    calls = []
    network_summary(as_net(nx.karate_club_graph()), progress=lambda *args: calls.append(args))
    total = len(SUMMARY_STEPS)
    assert calls == [(0, total, SUMMARY_STEPS[0]), (1, total, SUMMARY_STEPS[1]), (2, total, SUMMARY_STEPS[2]),
                     (total, total, "")]


def test_cojian_stats_shows_its_progress_once_it_takes_a_while(tmp_path, monkeypatch):
    """On stderr, each step named, when the run takes longer than a second (here: at once)."""
    from cojian_graph.cli import main, options
    from cojian_graph.io import write_ledger

    folder = tmp_path / "ledger"
    write_ledger(synthetic_ledger(200, 600, 1), folder)
    monkeypatch.setattr(options.Progress.__init__, "__defaults__", (0.0,))  # show from the start
    result = CliRunner().invoke(main, ["stats", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["[1/4] 构建网络 building the network …",
                                          "[2/4] 社区 communities (Leiden) …",
                                          "[3/4] 聚类与 E-I clustering and E-I …",
                                          "[4/4] 路径长度与直径 path length and diameter …"]
    assert json.loads(result.stdout)["organizations"] == 200


def test_the_path_figures_from_the_forked_child_are_those_computed_in_process(monkeypatch):
    """On a view of 400 organisations or more, path length and diameter are searched, and the triangles
    counted, in a forked child while the communities are found: the figures that come back through the
    pipe are the same, and the clustering figures networkx's."""
    import networkx as nx

    from cojian_graph.analysis import summary

    net = net_from_ledger(synthetic_ledger(600, 1_800, 4), GraphFilter())
    results = {}
    for forked in (True, False):
        monkeypatch.setattr(summary, "can_fork", lambda forked=forked: forked)
        results[forked] = summary.network_summary(net, exact=False)
    assert results[True]["paths"] == results[False]["paths"]
    assert results[True]["paths"]["method"] == "sampled" and results[True]["paths"]["samples"] >= 30
    assert results[True]["average_path_length"] == results[False]["average_path_length"]
    assert results[True]["diameter"] == results[False]["diameter"] > 0
    G = nx.Graph(net.edges().tolist())
    G.add_nodes_from(range(net.n))
    for result in results.values():
        assert result["average_clustering"] == pytest.approx(nx.average_clustering(G), rel=1e-12)
        assert result["transitivity"] == pytest.approx(nx.transitivity(G), rel=1e-12)
        assert 0 < result["transitivity"] < 1


def test_the_regression_estimator_on_cases_worked_by_hand():
    """A mean distance that the covariates fix exactly is estimated exactly (no error); a sample in which a
    covariate does not vary falls back to the plain mean and Student's interval (scipy.stats for t)."""
    from scipy.stats import t

    from cojian_graph.analysis.distances import _regression_estimate

    rng = np.random.default_rng(1)
    steps, partners = rng.integers(0, 6, 40).astype(float), np.log(rng.integers(1, 30, 40))
    drawn = np.column_stack([np.ones(40), steps, partners])
    means = 1.5 + 0.4 * steps - 0.2 * partners
    expected = np.array([1.0, 2.75, 1.9])
    average, error = _regression_estimate(means, drawn, expected)
    assert average == pytest.approx(1.5 + 0.4 * 2.75 - 0.2 * 1.9) and error == pytest.approx(0, abs=1e-9)
    flat = drawn.copy()
    flat[:, 1] = 3.0  # every source three steps from the centre: that covariate cannot be fitted
    noisy = means + rng.normal(0, 0.1, 40)
    average, error = _regression_estimate(noisy, flat, expected)
    assert average == pytest.approx(noisy.mean())
    assert error == pytest.approx(t.ppf(0.975, 39) * noisy.std(ddof=1) / math.sqrt(40))


def test_the_covariates_cut_the_searches_a_ledger_needs():
    """On a grown ledger the regression estimator needs only its minimum fresh sample, and the plain mean's
    spread would ask for several times more searches for an interval as narrow as the one it gives."""
    net = net_from_ledger(synthetic_ledger(1_500, 4_500, 3), GraphFilter())
    result = path_figures(net, exact=False, seed=0)
    assert result.samples == 2 * distances.PATH_SAMPLES_MIN and result.error <= distances.PATH_ERROR * 1.05
    plain = []
    for source in np.random.default_rng(0).choice(net.n, 200).tolist():
        layers = np.diff(net.g.bfs(source)[1])
        if layers.sum() > 1:
            plain.append((np.arange(len(layers)) * layers).sum() / (layers.sum() - 1))
    assert (1.96 * np.std(plain, ddof=1) / result.error) ** 2 > 3 * result.samples


@pytest.mark.parametrize("by", ["igraph", "scipy"])
@pytest.mark.parametrize("weighted", [True, False])
def test_shortest_distances_are_networkx_s_by_either_engine(monkeypatch, by, weighted):
    """Net.shortest_distances (igraph's search for a few distances, scipy's Dijkstra for many) gives networkx's
    shortest distances, inf where a vertex is not reached and 0 at the source."""
    import math
    import random

    import networkx as nx

    from cojian_graph.analysis import engine
    from cojian_graph.analysis.engine import net_from_graph

    G = nx.gnp_random_graph(60, 0.06, seed=3)
    G.add_nodes_from(range(60, 63))  # isolated
    rng = random.Random(2)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([1, 2, 5])
    net = net_from_graph(G)
    monkeypatch.setattr(engine, "SCIPY_DISTANCES_FROM", 10**9 if by == "igraph" else 0)
    lengths = net.distances("weight" if weighted else None)
    for u, v in G.edges():
        G.edges[u, v]["length"] = 1 / G.edges[u, v]["weight"] if weighted else 1
    sources = [net.ids.index(node) for node in (0, 7, 61)]
    ours = net.shortest_distances(sources, lengths)
    assert ours.shape == (3, net.n)
    for row, source in zip(ours, sources, strict=True):
        expected = nx.single_source_dijkstra_path_length(G, net.ids[source], weight="length")
        for position, node in enumerate(net.ids):
            assert row[position] == pytest.approx(expected.get(node, math.inf), rel=1e-12)
    assert ("csgraph" in net.cache) == (by == "scipy")
