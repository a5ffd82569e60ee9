"""A view's ties through time (cojian_graph.graph.history): the network at the end of each year,
checked against the small dated ledger worked out by hand, and against the map's former way of making
it (the year's ledger, counted again by drawn_graph) on a grown ledger, year by year."""

from __future__ import annotations

import math

import pytest

from cojian_graph.analysis.timeline import activities_only, periods_of
from cojian_graph.graph import GraphFilter, drawn_graph, filter_ledger
from cojian_graph.graph.history import tie_history
from cojian_graph.synth import synthetic_timeline
from cojian_graph.testing import dated_ledger


def ties(G) -> dict:
    return {(u, v) if u < v else (v, u): data for u, v, data in G.edges(data=True)}


def test_each_year_as_worked_out_by_hand():
    history = tie_history(dated_ledger())
    assert history.periods.tolist() == [2020, 2021, 2022]  # a7 has no date: in no year

    y2020 = history.graph_at(2020, limit=100)
    assert sorted(y2020) == ["A", "B", "F"]
    assert set(ties(y2020)) == {("A", "F"), ("B", "F")}
    assert y2020.graph["new_count"] == 2 and y2020.graph["ties"] == 2
    assert y2020.nodes["F"]["activities"] == 2 and y2020.nodes["F"]["n_learning"] == 1

    y2021 = history.graph_at(2021, limit=100)
    assert sorted(y2021) == ["A", "B", "C", "F"]
    edges = ties(y2021)
    assert set(edges) == {("A", "F"), ("B", "F"), ("A", "C")}
    assert (edges["B", "F"]["weight"], edges["B", "F"]["multiplexity"]) == (2, 2)  # service 2020, learning 2021
    assert edges["B", "F"]["activities"] == ("a2", "a3")
    assert y2021.graph["new_ties"] == {frozenset(("A", "C"))}

    y2022 = history.graph_at(2022, limit=100)
    edges = ties(y2022)
    assert len(edges) == 6 and y2022.graph["new_count"] == 3  # F-C, F-D, C-D at a5
    assert edges["A", "F"]["activities"] == ("a1", "a6") and edges["A", "F"]["n_brand"] == 1
    sizes = y2022.graph["sizes"]
    assert (sizes.loc["F", "strength"], sizes.loc["F", "degree"]) == (6.0, 4.0)  # 2 + 2 + 1 + 1


def test_the_strongest_ties_and_the_thresholds_as_worked_out_by_hand():
    history = tie_history(dated_ledger())
    top = history.graph_at(2022, limit=2)
    assert list(ties(top)) == [("A", "F"), ("B", "F")]  # weight 2 each, in the ids' order
    assert top.graph["ties"] == 6 and top.number_of_nodes() == 5  # every organisation, the two ties
    assert top.graph["sizes"].loc["C", "degree"] == 3.0  # over all six ties, not the two drawn

    strong = tie_history(dated_ledger(), GraphFilter(min_weight=2))
    assert set(ties(strong.graph_at(2022, limit=100))) == {("A", "F"), ("B", "F")}
    assert sorted(strong.graph_at(2022, limit=100, connected_only=True)) == ["A", "B", "F"]
    assert strong.graph_at(2020, limit=100, connected_only=True).number_of_nodes() == 0


def test_before_the_first_year_and_after_the_last():
    history = tie_history(dated_ledger())
    assert history.graph_at(2019, limit=10).number_of_nodes() == 0
    assert history.graph_at(2019, limit=10).graph["ties"] == 0
    assert set(ties(history.graph_at(2030, limit=10))) == set(ties(history.graph_at(2022, limit=10)))
    assert history.graph_at(2030, limit=10).graph["new_count"] == 0  # nothing happened in 2030


def test_newman_weighs_an_activity_by_its_size_in_the_whole_ledger():
    # a5 had three participants (F, C, D): each pair gets 1/(3 − 1), also when a filter keeps only C and D,
    # as in the whole view (its last year is then the whole view's picture)
    whole = tie_history(dated_ledger(), GraphFilter(tie_weight="newman"))
    assert ties(whole.graph_at(2022, limit=10))["C", "F"]["weight"] == pytest.approx(0.5)
    assert ties(whole.graph_at(2022, limit=10))["A", "F"]["weight"] == pytest.approx(2.0)
    outside = tie_history(dated_ledger(), GraphFilter(tie_weight="newman", circles=("external",)))
    assert ties(outside.graph_at(2022, limit=10)).keys() == {("C", "D")}
    assert ties(outside.graph_at(2022, limit=10))["C", "D"]["weight"] == pytest.approx(0.5)


@pytest.fixture(scope="module")
def grown():
    ledger, _ = synthetic_timeline(1_500, 4_500, 5)
    return ledger


@pytest.mark.parametrize(
    "spec",
    [
        GraphFilter(),
        GraphFilter(min_weight=2),
        GraphFilter(circles=("external",)),
        GraphFilter(links=("learning", "service")),
        GraphFilter(tie_weight="newman"),
    ],
    ids=["all", "min2", "external", "two-links", "newman"],
)
def test_each_year_is_the_year_s_ledger_counted_again(grown, spec):
    """The reference: drawn_graph on the view's activities up to the year, as the map made each year."""
    history = tie_history(grown, spec)
    view = filter_ledger(grown, spec)
    numbers = periods_of(view.column("activities", "date"))
    assert history.periods.tolist() == sorted(set(numbers[numbers >= 0].tolist()))
    for year in history.periods.tolist():
        until = activities_only(view, (numbers >= 0) & (numbers <= year))
        that_year = view.column("activities", "id")[numbers == year]
        for connected in (False, True):
            expected = drawn_graph(until, spec, limit=150, new_among=that_year, connected_only=connected)
            got = history.graph_at(year, limit=150, connected_only=connected)
            assert list(got.nodes(data=True)) == list(expected.nodes(data=True))
            assert [(u, v) for u, v in got.edges] == [(u, v) for u, v in expected.edges]
            for (_, _, mine), (_, _, theirs) in zip(got.edges(data=True), expected.edges(data=True), strict=True):
                assert math.isclose(mine.pop("weight"), theirs.pop("weight"), rel_tol=1e-12)
                assert mine == theirs
            for key in ("ties", "new_count", "new_ties"):
                assert got.graph[key] == expected.graph[key], key
            assert got.graph["sizes"].index.tolist() == expected.graph["sizes"].index.tolist()
            assert got.graph["sizes"].to_numpy() == pytest.approx(expected.graph["sizes"].to_numpy())
    assert expected.graph["ties"] > 150  # in the last year at least, the limit is really at work
