"""The timeline: growth tables checked against a small ledger computed by hand, against the facts a
synthetic ledger was built with, and against plain Python; trends against scipy's Theil–Sen."""

from __future__ import annotations

import collections
import itertools
import math

import numpy as np
import pandas as pd
import pytest

from cojian_graph.analysis.timeline import growth, periods_of, theil_sen, trends
from cojian_graph.ledger import Ledger
from cojian_graph.synth import synthetic_timeline
from cojian_graph.testing import dated_ledger


@pytest.fixture(scope="module")
def hand() -> Ledger:
    """The tables below were worked out by hand from its seven activities (see ``dated_ledger``)."""
    return dated_ledger()


def rows(table: pd.DataFrame, column: str) -> list:
    return [None if isinstance(v, float) and math.isnan(v) else v for v in table[column].tolist()]


def test_growth_by_year_as_computed_by_hand(hand):
    result = growth(hand)
    table = result.table
    assert list(table.index) == ["2020", "2021", "2022"]
    assert (result.undated, result.coarse) == (1, 0)
    assert rows(table, "activities") == [2, 2, 2]
    assert rows(table, "active") == [3, 4, 4]
    assert rows(table, "new_partners") == [3, 1, 1]  # F, A, B; then C; then D
    assert rows(table, "new_ties") == [2, 1, 3]  # F-A F-B; A-C; F-C F-D C-D
    assert rows(table, "lost_ties") == [0, 1, 2]  # F-A gone in 2021; F-B and A-C in 2022
    assert rows(table, "retention") == [None, 1.0, 0.75]
    assert rows(table, "ei") == [0.0, 1.0, 0.0]  # inside: F (focal counts as inside) and A
    assert rows(table, "multiplex_new") == [0, 1, 1]  # F-B: service then learning; F-A: learning then brand


def test_growth_by_half_year_counts_year_only_dates_apart_and_keeps_empty_periods(hand):
    result = growth(hand, "half")
    table = result.table
    assert list(table.index) == ["2020-H1", "2020-H2", "2021-H1", "2021-H2", "2022-H1"]
    assert (result.undated, result.coarse) == (1, 1)  # a7 undated; a6 dated 2022 only
    assert rows(table, "activities") == [1, 1, 2, 0, 1]
    assert rows(table, "new_ties") == [1, 1, 1, 0, 3]
    assert rows(table, "lost_ties") == [0, 1, 0, 2, 0]
    # windows of two half-years: at 2021-H1, F-A (2020-H1) is not in 2020-H2..2021-H1; at 2021-H2, F-A
    # (2020-H1..H2) is not in 2021-H1..H2; at 2022-H1, F-B and A-C (2020-H2..2021-H1) are not in 2021-H2..2022-H1
    assert rows(growth(hand, "half", window=2).table, "lost_ties") == [0, 0, 1, 1, 2]


def test_growth_around_the_focal_organisation(hand):
    table = growth(hand, focus="F").table
    assert rows(table, "new_partners") == [2, 0, 2]  # A, B; none; C, D
    assert rows(table, "new_ties") == [2, 0, 2]
    assert rows(table, "active") == [2, 1, 3]  # F's partners in each year
    assert rows(table, "retention") == [None, 0.5, 0.0]


def test_growth_per_link(hand):
    by_link = growth(hand).by_link.set_index(["link", "period"])
    assert by_link.loc["learning", ["activities", "new_ties", "lost_ties"]].values.tolist() == [
        [1, 1, 0], [1, 1, 1], [0, 0, 1]]
    assert by_link["activities"].sum() == 6  # every placed activity in exactly one link


def test_trends_are_theil_sen_slopes(hand):
    from scipy.stats import theilslopes

    table = trends(hand).set_index("id")
    expected = {"F": [2, 1, 2], "A": [1, 1, 1], "B": [1, 1, 0], "C": [0, 1, 1], "D": [0, 0, 1]}
    assert {org: table.loc[org, "counts"] for org in expected} == expected
    for org, series in expected.items():
        assert table.loc[org, "slope"] == pytest.approx(theilslopes(series, [0, 1, 2])[0])
    assert list(table.index[:2]) == ["C", "D"] or list(table.index[:2]) == ["D", "C"]  # rising first
    assert table.index[-1] == "B" and (table.loc["B", "first"], table.loc["B", "last"]) == ("2020", "2021")


def test_vectorised_theil_sen_matches_scipy():
    from scipy.stats import theilslopes

    rng = np.random.default_rng(3)
    series = rng.integers(0, 20, size=(50, 7))
    expected = [theilslopes(row, np.arange(7))[0] for row in series]
    assert np.allclose(theil_sen(series), expected)


@pytest.fixture(scope="module")
def planted():
    return synthetic_timeline(400, 2500, seed=11)


def test_new_partners_are_the_planted_joins(planted):
    ledger, facts = planted
    joins = collections.Counter(facts["joined"].values())
    table = growth(ledger).table
    assert dict(zip(table.index.astype(int), table["new_partners"], strict=True)) == dict(joins)
    assert sum(joins.values()) == len(ledger.organizations)


def test_planted_fading_partners_take_part_in_nothing_after_they_fade(planted):
    ledger, facts = planted
    table = trends(ledger).set_index("id")
    assert facts["last_active"], "the generator planted fading partners"
    for org, year in facts["last_active"].items():
        assert int(table.loc[org, "last"]) <= year
    faded = [org for org, year in facts["last_active"].items() if year <= facts["years"][1] - 2]
    rising = table.index[: len(table) // 10]
    assert not set(faded) & set(rising)  # no fading partner among the top tenth of risers


def test_new_ties_add_up_to_the_ties_of_the_dated_activities(planted):
    ledger, _ = planted
    dates = dict(zip(ledger.activities["id"], ledger.activities["date"], strict=True))
    members = collections.defaultdict(set)
    for act, org in zip(ledger.participations["activity_id"], ledger.participations["organization_id"], strict=True):
        members[act].add(org)
    first_year = {}
    for act, orgs in members.items():
        year = int(dates[act][:4])
        for pair in itertools.combinations(sorted(orgs), 2):
            first_year[pair] = min(year, first_year.get(pair, year))
    table = growth(ledger).table
    assert dict(zip(table.index.astype(int), table["new_ties"], strict=True)) == dict(
        collections.Counter(first_year.values()))


def test_periods_of_dates_as_people_write_them():
    assert periods_of(["2021-12-31", "2021-01", "2021", "", "二〇二一"], "quarter").tolist() == [
        2021 * 4 + 3, 2021 * 4, -2, -1, -1]


def test_the_timeline_command(tmp_path, hand):
    import json

    from click.testing import CliRunner

    from cojian_graph.cli import main
    from cojian_graph.io import write_ledger

    runner = CliRunner()
    done = runner.invoke(main, ["synth", "-n", "60", "-m", "400", "--timeline", "-s", "4", "-o", str(tmp_path / "s")])
    assert done.exit_code == 0, done.output
    facts = json.loads((tmp_path / "s" / "planted.json").read_text(encoding="utf-8"))
    done = runner.invoke(main, ["timeline", str(tmp_path / "s"), "-f", "json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert {row["period"]: row["new_partners"] for row in payload["growth"]} == {
        str(year): count for year, count in collections.Counter(facts["joined"].values()).items()}
    assert set(payload) == {"growth", "links", "trends", "note"}

    write_ledger(hand, tmp_path / "hand", "csv")
    # the focal organisation named by its name
    done = runner.invoke(main, ["timeline", str(tmp_path / "hand"), "--focus", "核心党总支", "-f", "csv"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("period,activities,active,new_partners")
    assert [line.split(",")[3] for line in lines[1:]] == ["2", "0", "2"]
    assert "1 undated" in done.stderr
    done = runner.invoke(main, ["timeline", str(tmp_path / "hand"), "-p", "half", "-o", str(tmp_path / "t.xlsx")])
    assert done.exit_code == 0, done.output
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["growth", "links", "trends"]
    assert "1 year-only" in done.stderr


@pytest.mark.parametrize("cumulative", [True, False])
def test_rank_over_time_by_degree_against_plain_python(planted, cumulative):
    from cojian_graph.analysis.timeline import rank_changes, rank_over_time

    ledger, facts = planted
    ranks = rank_over_time(ledger, measure="degree", cumulative=cumulative)
    year = dict(zip(ledger.activities["id"], ledger.activities["date"].str[:4].astype(int), strict=True))
    members = collections.defaultdict(set)
    for act, org in zip(ledger.participations["activity_id"], ledger.participations["organization_id"], strict=True):
        members[act].add(org)
    for period in range(facts["years"][0], facts["years"][1] + 1):
        partners = collections.defaultdict(set)
        for act, orgs in members.items():
            if year[act] <= period if cumulative else year[act] == period:
                for a, b in itertools.combinations(orgs, 2):
                    partners[a].add(b)
                    partners[b].add(a)
        degree = pd.Series({org: len(others) for org, others in partners.items()})
        expected = degree.rank(ascending=False, method="min").astype(int).to_dict()
        shown = ranks[ranks["period"] == str(period)].set_index("id")["rank"].to_dict()
        assert shown == expected, period
    changes = rank_changes(ranks)
    assert (changes["climbed"] == changes["from_rank"] - changes["to_rank"]).all()
    assert changes["climbed"].is_monotonic_decreasing


def test_rank_stats_and_export_as_of_a_date_on_a_file(tmp_path, hand):
    import json

    from click.testing import CliRunner

    from cojian_graph.cli import main
    from cojian_graph.io import write_ledger

    write_ledger(hand, tmp_path / "hand", "csv")
    runner = CliRunner()
    done = runner.invoke(main, ["rank", str(tmp_path / "hand"), "--as-of", "2021年6月", "-m", "degree", "-f", "json"])
    assert done.exit_code == 0, done.output
    # by the end of June 2021: a1 (F-A), a2 (F-B), a3 (F-B) and a4 (A-C, May); not a5, a6 (2022), a7 (undated)
    degrees = {row["id"]: row["degree"] for row in json.loads(done.stdout)}
    assert degrees == {"F": 2, "A": 2, "B": 1, "C": 1}
    assert "1 undated activities are not in the network as of 2021年6月" in done.stderr
    done = runner.invoke(main, ["stats", str(tmp_path / "hand"), "--as-of", "2020", "-f", "json"])
    assert json.loads(done.stdout)["organizations"] == 3 and json.loads(done.stdout)["ties"] == 2
    out = tmp_path / "then.graphml"
    assert runner.invoke(main, ["export", str(tmp_path / "hand"), "--as-of", "2021", "-o", str(out)]).exit_code == 0
    import networkx as nx

    assert nx.read_graphml(out).number_of_edges() == 3  # F-A, F-B, A-C


def test_rank_during_one_period(tmp_path, hand):
    import json

    from click.testing import CliRunner

    from cojian_graph.cli import main
    from cojian_graph.io import write_ledger

    write_ledger(hand, tmp_path / "hand", "csv")
    runner = CliRunner()
    # 2021-H1: a3 (F-B, February) and a4 (A-C, May) only
    done = runner.invoke(main, ["rank", str(tmp_path / "hand"), "--period", "2021上半年", "-m", "degree", "-f", "json"])
    assert done.exit_code == 0, done.output
    assert {row["id"]: row["degree"] for row in json.loads(done.stdout)} == {"F": 1, "B": 1, "A": 1, "C": 1}
    assert "2 activities without a date precise enough" in done.stderr  # a6 (2022 only) and a7 (undated)
    done = runner.invoke(main, ["rank", str(tmp_path / "hand"), "--period", "2021-H3"])
    assert done.exit_code == 1 and "unrecognised period" in done.stderr


def test_ties_new_among_a_periods_activities_as_computed_by_hand(hand):
    from cojian_graph.analysis.timeline import activities_only
    from cojian_graph.graph import collaboration_edges

    numbers = periods_of(hand.column("activities", "date"))
    to_2021 = activities_only(hand, (numbers >= 0) & (numbers <= 2021))
    edges = collaboration_edges(to_2021, new_among=["a3", "a4"])
    new = {(s, t) for s, t, fresh in zip(edges["source"], edges["target"], edges["new"], strict=True) if fresh}
    assert len(edges) == 3 and new == {("A", "C")}  # F-A and F-B met in 2020; A and C first in a4
    assert collaboration_edges(hand, new_among=[])["new"].dtype == bool


def test_a_drawn_graph_keeps_the_strongest_ties_and_sizes_over_all_of_them(hand):
    """To the end of 2022: F-A 2 (a1, a6), F-B 2 (a2, a3), A-C, F-C, F-D, C-D 1 each; F-C, F-D and C-D
    are new in 2022 (a5); F-A is not (a1 was in 2020)."""
    from cojian_graph.analysis.timeline import activities_only
    from cojian_graph.graph import drawn_graph
    from cojian_graph.render import network_html

    numbers = periods_of(hand.column("activities", "date"))
    G = drawn_graph(activities_only(hand, (numbers >= 0) & (numbers <= 2022)), limit=2, new_among=["a5", "a6"])
    assert {frozenset(edge) for edge in G.edges} == {frozenset("FA"), frozenset("FB")}
    assert sorted(G) == ["A", "B", "C", "D", "F"]  # every organisation, drawn tie or not
    assert (G.edges["F", "A"]["activities"], G.edges["F", "B"]["activities"]) == (("a1", "a6"), ("a2", "a3"))
    assert (G.graph["ties"], G.graph["new_count"], G.graph["new_ties"]) == (6, 3, frozenset())
    sizes = G.graph["sizes"]
    assert sizes["strength"].to_dict() == {"F": 6, "A": 3, "B": 2, "C": 3, "D": 2}
    assert sizes["degree"].to_dict() == {"F": 4, "A": 2, "B": 1, "C": 3, "D": 2}

    import json
    import re

    page = network_html(G, hand, positions={node: (0.0, 0.0) for node in G})
    assert "只画出最强的 2 条，共 6 条" in page
    drawn = {node["id"]: node["size"] for node in json.loads(re.search(r"var data = (\{.*?\});\n", page, re.S)
                                                             .group(1))["nodes"]}
    assert drawn["C"] == drawn["A"] > drawn["B"]  # strength 3 and 3 over all ties (0 and 2 drawn)


def test_a_drawn_graph_is_the_views_graph_cut_to_its_strongest_ties():
    from cojian_graph.graph import GraphFilter, drawn_graph, filtered_graph

    ledger, _ = synthetic_timeline(300, 900, seed=5)
    for spec in (GraphFilter(), GraphFilter(links=("learning", "service")), GraphFilter(focus="O001", hops=2)):
        whole = filtered_graph(ledger, spec)
        G = drawn_graph(ledger, spec, limit=200)
        assert G.graph["ties"] == whole.number_of_edges() > 200 == G.number_of_edges()
        weakest_drawn = min(weight for *_, weight in G.edges(data="weight"))
        assert all(weight <= weakest_drawn for u, v, weight in whole.edges(data="weight") if not G.has_edge(u, v))
        for u, v, data in G.edges(data=True):
            assert data == whole.edges[u, v]  # weights, link counts and evidence alike
        assert dict(G.graph["sizes"]["strength"]) == dict(whole.degree(weight="weight"))


def test_rank_over_time_shares_its_periods_with_a_child_and_estimates_each_as_the_whole_view(monkeypatch):
    """On a large view the periods are split between this process and a forked child: the table is the one
    computed alone. Where the whole view's path measures are estimated, every period's are (the first year,
    779 organisations, more than the sources sampled, ranked as its own rank table estimates it), so that the
    years are ranked alike."""
    from cojian_graph.analysis import engine
    from cojian_graph.analysis.rank import rank_table, view_net
    from cojian_graph.analysis.sampling import ENV_EXACT_STEPS, path_steps, should_sample
    from cojian_graph.analysis.timeline import activities_only, rank_over_time
    from cojian_graph.jobs import Jobs

    ledger, facts = synthetic_timeline(1500, 9000, seed=11)
    years = periods_of(ledger.column("activities", "date"))
    first = facts["years"][0]
    early = activities_only(ledger, (years >= 0) & (years <= first))
    whole_steps, early_steps = path_steps(view_net(ledger)), path_steps(view_net(early))
    # the whole view's rank table estimates; the first year's own would search exactly
    monkeypatch.setenv(ENV_EXACT_STEPS, str((whole_steps + early_steps) // 2))
    assert should_sample(view_net(ledger)) and not should_sample(view_net(early))

    def compute(progress):  # as the explorer computes it: in a child of this process, which may fork
        forkable = engine.can_fork()
        with engine.cores_taken():  # each side's rank tables fork no children of their own
            taken = engine.can_fork()
        return forkable, taken, rank_over_time(ledger)

    forkable, taken, shared = Jobs(1).submit("ranks", compute).result()
    assert forkable and not taken
    monkeypatch.setattr(engine, "can_fork", lambda: False)
    alone = rank_over_time(ledger)
    pd.testing.assert_frame_equal(shared, alone)
    table = rank_table(early, measures=["composite"], sort_by="composite", exact=False)
    shown = shared[shared["period"] == str(first)]
    assert shown["id"].tolist() == table["id"].tolist()
    assert np.allclose(shown["value"].to_numpy(), table["composite"].to_numpy(), rtol=1e-12)
    assert shared["period"].nunique() == facts["years"][1] - facts["years"][0] + 1


def test_rank_over_time_computes_a_failed_childs_periods_itself(planted, monkeypatch, tmp_path):
    """Should the child sharing the periods fail, this process ranks its periods too: the same table."""
    import os

    from cojian_graph.analysis import engine, rank
    from cojian_graph.analysis.timeline import rank_over_time
    from cojian_graph.jobs import Jobs

    ledger, _ = planted
    real, failed = rank.rank_table, tmp_path / "failed"

    def compute(progress):
        sharing = os.getpid()

        def failing_in_a_child(*args, **kwargs):
            if os.getpid() != sharing:
                failed.touch()
                raise RuntimeError("the child fails")
            return real(*args, **kwargs)

        monkeypatch.setattr(rank, "rank_table", failing_in_a_child)
        return rank_over_time(ledger, measure="degree")

    shared = Jobs(1).submit("ranks", compute).result()
    assert failed.exists()  # the child took periods, and failed on them
    monkeypatch.setattr(engine, "can_fork", lambda: False)
    pd.testing.assert_frame_equal(shared, rank_over_time(ledger, measure="degree"))
