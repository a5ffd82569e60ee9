"""Recommendations (建议) against hand computations on small ledgers, and the evaluation's
bookkeeping on a ledger whose outcome is known."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cojian_graph.analysis.recommend import approach, deepen, evaluate, focal_organization
from cojian_graph.errors import CojianError
from cojian_graph.ledger import Ledger
from cojian_graph.testing import dated_ledger


def test_approach_scores_by_weighted_resource_allocation_as_computed_by_hand():
    """Newman weights: F-A 2, F-B 3, A-C 1, and 0.5 for each pair of a5 (F, C, D); s(F) = 6, s(C) = 2.
    From A: B via F: 2·3/6 = 1; D via F and via C: 2·0.5/6 + 1·0.5/2 = 5/12."""
    table = approach(dated_ledger(), "A")
    assert table["id"].tolist() == ["B", "D"]
    assert table["score"].tolist() == pytest.approx([1.0, 5 / 12])
    assert table["shared"].tolist() == [1, 2]
    assert table.loc[1, "reason"].startswith("与我们有 2 个共同伙伴：")
    english = approach(dated_ledger(), "A", lang="en")
    assert english.loc[0, "reason"] == "shares 1 partner with us: 核心党总支"  # no English name: the Chinese one


def test_approach_with_networkx_scores_equals_networkx():
    import networkx as nx

    from cojian_graph.graph import collaboration_graph

    G = collaboration_graph(dated_ledger())
    expected = {v: s for _, v, s in nx.adamic_adar_index(G, [("B", v) for v in ("A", "C", "D")])}
    table = approach(dated_ledger(), "B", score="adamic_adar")
    assert dict(zip(table["id"], table["score"], strict=True)) == pytest.approx(expected)


def test_deepen_finds_single_link_and_faded_ties():
    """F's ties: F-A (learning 2020, brand 2022), F-B (service 2020, learning 2021, talent undated: last
    dated 2021, so faded by 2022), F-C and F-D (a5, service, once)."""
    table = deepen(dated_ledger())
    assert table[["id", "kind", "activities", "last"]].values.tolist() == [["B", "faded", 3, 2021]]
    assert table.loc[0, "reason"] == "3 项共建活动，最近一次在 2021 年"
    once = deepen(dated_ledger(), min_activities=1, window=5)
    assert once[["id", "kind"]].values.tolist() == [["C", "single_link"], ["D", "single_link"]]
    assert once.loc[0, "reason"] == "1 项共建活动（自 2022 年），均为服务联动"


def test_the_focal_organisation_is_found_or_asked_for():
    assert focal_organization(dated_ledger()) == "F"
    ledger = dated_ledger()
    orgs = ledger.organizations.assign(circle="internal")
    with pytest.raises(CojianError, match="focal"):
        focal_organization(Ledger.from_frames(orgs, ledger.activities, ledger.participations))


def small(acts, parts) -> Ledger:
    ids = sorted({org for _, org in parts})
    orgs = pd.DataFrame([(org, f"组织{org}", "", "other", "external", "other") for org in ids],
                        columns=["id", "name", "name_en", "kind", "circle", "sector"])
    return Ledger.from_frames(orgs, pd.DataFrame(acts, columns=["id", "title", "title_en", "link_type", "date"]),
                              pd.DataFrame(parts, columns=["activity_id", "organization_id"]))


def test_the_evaluation_holds_back_the_last_period():
    """2020: X-Y, Y-Z, W-V twice; 2021: X-Z. X's candidates are Z, W, V, of which it met Z; Z's are X, W,
    V. The weighted index puts the met one first (AUC 1, one hit in the top 1 and in the top 5); W and V
    had two activities, X and Z one, so the most active come first and the met one last (AUC 0)."""
    ledger = small([("a", "一", "", "learning", "2020-03"), ("b", "二", "", "learning", "2020-05"),
                    ("c", "三", "", "service", "2020-06"), ("e", "五", "", "service", "2020-08"),
                    ("d", "四", "", "culture", "2021-02")],
                   [("a", "X"), ("a", "Y"), ("b", "Y"), ("b", "Z"), ("c", "W"), ("c", "V"), ("e", "W"), ("e", "V"),
                    ("d", "X"), ("d", "Z")])
    table = evaluate(ledger, k=(1, 5)).set_index("method")
    weighted = table.loc["weighted_resource_allocation"]
    assert (weighted["auc"], weighted["precision@1"], weighted["precision@5"]) == (1.0, 1.0, 0.2)
    assert (table.loc["most_active", "auc"], table.loc["most_active", "precision@1"]) == (0.0, 0.0)
    assert (weighted["organisations"], weighted["positives"]) == (2, 2)
    assert math.isclose(table.loc["resource_allocation", "auc"], 1.0)


def test_the_evaluation_needs_two_periods_and_a_new_tie():
    with pytest.raises(CojianError, match="two periods"):
        evaluate(small([("a", "一", "", "learning", "2020")], [("a", "X"), ("a", "Y")]))
    with pytest.raises(CojianError, match="no new tie"):
        evaluate(small([("a", "一", "", "learning", "2020"), ("b", "二", "", "learning", "2021")],
                       [("a", "X"), ("a", "Y"), ("b", "X"), ("b", "Y")]))


def test_the_command_lists_both_and_refuses_to_evaluate_one_year(tmp_path):
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from cojian_graph.cli import main

    data = str(Path(__file__).resolve().parent.parent / "data")
    result = CliRunner().invoke(main, ["recommend", data, "--org", "地方小学", "-f", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["deepen"] == []  # one tie, one activity
    assert len(payload["approach"]) == 5 and all(row["via"] for row in payload["approach"])
    evaluation = CliRunner().invoke(main, ["recommend", data, "--evaluate"])
    assert evaluation.exit_code == 1 and "two periods" in evaluation.output
