"""Path measures estimated from sampled organisations (cojian_graph.analysis.sampling): exact when every
organisation is searched from (against networkx), the stated ε holding for every organisation at once
against exact values over many seeds, the rank table's choice between exact and estimated, and
`cojian rank --approx/--exact`."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from cojian_graph.analysis import net_from_ledger, rank_columns, rank_table, sampling
from cojian_graph.analysis.engine import as_net
from cojian_graph.analysis.paths import betweenness_values, closeness_values, harmonic_values
from cojian_graph.analysis.sampling import sample_paths
from cojian_graph.cli import main
from cojian_graph.graph import GraphFilter
from cojian_graph.io import write_ledger
from cojian_graph.synth import synthetic_ledger

MEASURES = ("betweenness", "closeness", "harmonic")
VALUES = {"betweenness": betweenness_values, "closeness": closeness_values, "harmonic": harmonic_values}


def networkx_values(G: nx.Graph) -> dict[str, np.ndarray]:
    """networkx's reference values, lengths 1/weight, in node order."""
    H = G.copy()
    for _, _, data in H.edges(data=True):
        data["length"] = 1.0 / data["weight"]
    found = {"betweenness": nx.betweenness_centrality(H, weight="length"),
             "closeness": nx.closeness_centrality(H, distance="length"),
             "harmonic": nx.harmonic_centrality(H, distance="length")}
    return {key: np.array([values[v] for v in H]) for key, values in found.items()}


def weighted_graph() -> nx.Graph:
    """A small world with ties of 1, 2 or 4 activities, one very strong tie, a separate pair and an isolated
    node. Lengths are powers of two, so networkx's sums of lengths are exact and equal paths tie."""
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    nx.set_edge_attributes(G, {(u, v): 2 ** ((u * v) % 3) for u, v in G.edges}, "weight")
    G[0][1]["weight"] = 512
    G.add_edge(300, 301, weight=2)
    G.add_node(302)
    return G


def exact(net) -> dict[str, np.ndarray]:
    return {key: VALUES[key](net) for key in MEASURES}


def estimated(net, **options) -> tuple[dict[str, np.ndarray], dict]:
    estimates = sample_paths(net, **options)
    return {key: VALUES[key](net) for key in MEASURES}, estimates


def test_every_organisation_searched_from_gives_networkx_values():
    G = weighted_graph()
    reference = networkx_values(G)
    values, estimates = estimated(as_net(G), samples=G.number_of_nodes())
    for key in MEASURES:
        np.testing.assert_allclose(values[key], reference[key], rtol=1e-9, atol=1e-12, err_msg=key)
        assert estimates[key].error == 0.0


def test_a_sample_estimates_and_its_stated_error_holds_for_everyone():
    G = weighted_graph()
    reference = networkx_values(G)
    values, estimates = estimated(as_net(G), samples=60)
    for key in MEASURES:
        error = np.abs(values[key] - reference[key]).max()
        assert error > 0, f"{key} is not an estimate"
        assert error <= estimates[key].error, key
        assert estimates[key].error < reference[key].max(), f"{key}'s ε says nothing"
    assert estimates["betweenness"].samples == 60 and estimates["betweenness"].population == 303
    assert estimates["closeness"].samples == 60 + sampling.CERTAIN_PIVOTS


def coverage(net, seeds: int, samples: int) -> tuple[dict[str, int], dict[str, list[np.ndarray]]]:
    """Over ``seeds`` seeds: per measure, in how many every organisation was within ε of exact; and the
    estimates themselves."""
    truth = exact(net)  # before any estimate is cached on net
    held = dict.fromkeys(MEASURES, 0)
    draws: dict[str, list[np.ndarray]] = {key: [] for key in MEASURES}
    for seed in range(seeds):
        values, estimates = estimated(net, samples=samples, seed=seed)
        for key in MEASURES:
            held[key] += bool(np.abs(values[key] - truth[key]).max() <= estimates[key].error)
            draws[key].append(values[key])
    return held, draws


@pytest.fixture(scope="module")
def grown_ledger():
    return synthetic_ledger(1_500, 4_500, 3)


@pytest.fixture()
def grown(grown_ledger):
    """The view of a 1,500-organisation grown ledger (hubs, mass meetings' strong ties, a few components),
    fresh for each test: estimates are cached on it."""
    return net_from_ledger(grown_ledger, GraphFilter())


def test_the_stated_error_holds_on_a_grown_ledger_over_many_seeds(grown):
    truth = exact(grown)
    held, draws = coverage(grown, seeds=20, samples=100)
    # 95 % for every organisation at once: expect 19 of 20; 16 leaves room for chance
    assert all(count >= 16 for count in held.values()), held
    for key in MEASURES:  # unbiased: the mean of the draws centres on the exact values
        mean, spread = np.mean(draws[key], axis=0), np.std(draws[key], axis=0, ddof=1)
        hub = int(np.argmax(truth[key]))
        assert abs(mean[hub] - truth[key][hub]) <= 4 * spread[hub] / np.sqrt(20) + 1e-12, key


def test_the_stated_error_holds_with_a_mass_meeting_s_strong_ties():
    """A preferential-attachment network whose organiser is tied to twenty partners by hundreds of joint
    activities: inverse distances of hundreds beside ones of about one (the certain stratum's case)."""
    G = nx.barabasi_albert_graph(900, 3, seed=7)
    nx.set_edge_attributes(G, 1, "weight")
    for partner in list(G[0])[:20]:
        G[0][partner]["weight"] = 256 + 16 * partner
    net = as_net(G)
    truth = harmonic_values(net)
    held, _ = coverage(net, seeds=20, samples=100)
    assert all(count >= 16 for count in held.values()), held
    strongest = sample_paths(net, samples=100)["harmonic"]
    spread = truth.max() - truth.min()
    assert strongest.error < spread / 2  # with the organiser certain, ε is a fraction of the range


def test_the_same_seed_gives_the_same_estimate(grown):
    first, _ = estimated(grown, samples=50, seed=4)
    second, _ = estimated(grown, samples=50, seed=4)
    other, _ = estimated(grown, samples=50, seed=5)
    for key in MEASURES:
        np.testing.assert_array_equal(first[key], second[key])
        assert not np.array_equal(first[key], other[key])


def test_the_child_s_share_adds_up_to_the_same_estimate(grown):
    alone, _ = estimated(grown, samples=80, seed=2)
    shared, _ = estimated(grown, samples=80, seed=2, child_share=0.5)
    for key in MEASURES:
        np.testing.assert_allclose(shared[key], alone[key], rtol=1e-9, atol=1e-12)


def test_the_rank_table_estimates_above_the_threshold_and_says_so(monkeypatch, grown_ledger):
    ledger = grown_ledger
    measures = ["degree", *MEASURES]
    exact_table = rank_columns(ledger, measures=measures)
    assert exact_table.estimates == {}  # below RANK_EXACT_STEPS: exact
    monkeypatch.setattr(sampling, "RANK_EXACT_STEPS", 10**6)
    table = rank_columns(ledger, measures=measures)
    assert set(table.estimates) == set(MEASURES)
    order = {name: i for i, name in enumerate(table["id"].tolist())}
    for key in MEASURES:
        truth = exact_table[key][[order[name] for name in exact_table["id"].tolist()]]
        estimate = table[key]
        assert not np.allclose(estimate, truth)
        assert np.abs(estimate - truth).max() <= table.estimates[key].error
    forced = rank_columns(ledger, measures=measures, exact=True)
    assert forced.estimates == {}
    np.testing.assert_allclose(forced["betweenness"], exact_table["betweenness"])
    frame = rank_table(ledger, measures=["betweenness"])
    fields = frame.attrs["estimates"]["betweenness"]  # plain data: sums split otherwise differ in the last bits
    assert set(frame.attrs["estimates"]) == {"betweenness"}
    assert sampling.Estimate(**fields).error == pytest.approx(table.estimates["betweenness"].error, rel=1e-9)


def test_the_threshold_comes_from_the_environment(monkeypatch, grown):
    from cojian_graph.errors import CojianError

    monkeypatch.setenv(sampling.ENV_EXACT_STEPS, "1000")
    assert sampling.should_sample(grown)
    monkeypatch.setenv(sampling.ENV_EXACT_STEPS, "1e12")
    assert not sampling.should_sample(grown)
    monkeypatch.setenv(sampling.ENV_EXACT_STEPS, "lots")
    with pytest.raises(CojianError, match="COJIAN_RANK_EXACT_STEPS"):
        sampling.should_sample(grown)


def test_exact_after_an_estimate_on_the_same_view_is_exact(grown, grown_ledger):
    from cojian_graph.analysis import rank_columns_from_graph

    truth = exact(net_from_ledger(grown_ledger, GraphFilter()))
    sampled = rank_columns_from_graph(grown, measures=list(MEASURES), exact=False)
    assert set(sampled.estimates) == set(MEASURES)
    again = rank_columns_from_graph(grown, measures=list(MEASURES), exact=True)
    assert again.estimates == {}
    positions = {name: i for i, name in enumerate(grown.ids)}
    rows = [positions[name] for name in again["id"].tolist()]
    for key in MEASURES:
        np.testing.assert_allclose(again[key], truth[key][rows])


@pytest.fixture()
def grown_folder(tmp_path):
    folder = tmp_path / "ledger"
    write_ledger(synthetic_ledger(600, 1_800, 5), folder)
    return folder


def test_cli_rank_approx_prints_its_error_and_exact_does_not(grown_folder):
    runner = CliRunner()
    table = runner.invoke(main, ["rank", str(grown_folder), "--approx", "--top", "3"])
    assert table.exit_code == 0, table.output
    assert "抽样估计" in table.stdout and "for every organisation at once" in table.stdout
    for label in ("Betweenness", "Closeness", "Harmonic closeness"):
        assert label in table.stdout
    csv = runner.invoke(main, ["rank", str(grown_folder), "--approx", "-f", "csv", "-m", "betweenness"])
    assert csv.exit_code == 0
    assert "note" not in csv.stdout and "Betweenness: estimated from 256/600" in csv.stderr
    assert csv.stdout.splitlines()[0].startswith("id,")
    exact_run = runner.invoke(main, ["rank", str(grown_folder), "--exact", "-f", "json", "-m", "betweenness"])
    assert exact_run.exit_code == 0 and "estimated" not in exact_run.stderr
    rows = json.loads(exact_run.stdout)
    truth = networkx_values_of_folder(grown_folder)
    assert {row["id"]: row["betweenness"] for row in rows} == pytest.approx(truth, abs=1e-9)  # JSON: 10 decimals


def networkx_values_of_folder(folder) -> dict[str, float]:
    from cojian_graph.graph import collaboration_graph
    from cojian_graph.io import read_ledger

    G = collaboration_graph(read_ledger(folder))
    values = networkx_values(G)["betweenness"]
    return dict(zip(G.nodes, values.tolist(), strict=True))
