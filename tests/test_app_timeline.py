"""The 时间 Timeline page with Streamlit's AppTest, on a synthetic ledger grown over six years (the
planted facts give the expected figures) and on the bundled ledger (one dated year)."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cojian_graph.io import write_ledger
from cojian_graph.synth import synthetic_timeline

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    ledger, facts = synthetic_timeline(120, 700, seed=5)
    folder = tmp_path_factory.mktemp("grown") / "ledger"
    write_ledger(ledger, folder, "csv")
    return folder, facts


def page(monkeypatch, folder, query=None) -> AppTest:
    monkeypatch.setenv("COJIAN_LEDGER", str(folder))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"page": "timeline", **(query or {})}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_the_latest_years_new_partners_are_the_planted_ones(monkeypatch, grown):
    folder, facts = grown
    at = page(monkeypatch, folder)
    joins = collections.Counter(facts["joined"].values())
    assert metric(at, "新伙伴") == str(joins[facts["years"][1]])
    table = next(frame.value for frame in at.dataframe if "新伙伴" in frame.value.columns)
    assert dict(zip(table["时段"].astype(int), table["新伙伴"], strict=True)) == dict(joins)
    assert any("0 项活动未注明日期" in c.value for c in at.caption)  # said even when there are none
    rising = next(frame.value for frame in at.dataframe if "趋势（每时段）" in frame.value.columns)
    assert (rising["趋势（每时段）"] > 0).all() and len(rising) <= 10


def test_half_years_from_the_url_and_in_english(monkeypatch, grown):
    folder, _ = grown
    at = page(monkeypatch, folder, {"period": "half", "window": "2", "lang": "en"})
    table = next(frame.value for frame in at.dataframe if "New partners" in frame.value.columns)
    assert table["Period"].iloc[0].endswith("-H1") and len(table) == 12
    assert at.number_input(key="opt_window").value == 2
    assert at.title[0].value == "How the ecosystem grew"


def test_a_ledger_dated_in_one_year_says_so(monkeypatch):
    at = page(monkeypatch, Path(APP).parent / "data")
    assert any("至少需要两个时段" in i.value for i in at.info)
    assert any("26 项活动未注明日期" in c.value for c in at.caption)


def test_a_focus_counts_only_its_ties(monkeypatch, grown):
    folder, facts = grown
    at = page(monkeypatch, folder, {"focus": "O001"})
    assert any("只计" in c.value for c in at.caption)
    table = next(frame.value for frame in at.dataframe if "新伙伴" in frame.value.columns)
    # every partner's first joint activity is its introduction to O001, in the year it joined
    joins = collections.Counter(year for org, year in facts["joined"].items() if org != "O001")
    assert dict(zip(table["时段"].astype(int), table["新伙伴"], strict=True)) == dict(joins)


def drawn(at: AppTest) -> dict:
    import json
    import re

    srcdoc = at.get("iframe")[0].proto.srcdoc
    return json.loads(re.search(r"var data = (\{.*?\});\n", srcdoc, re.S).group(1))


def first_years(folder) -> dict:
    """Each tie's first year, from the CSV files with plain Python."""
    import csv
    import itertools

    with open(folder / "activities.csv", encoding="utf-8-sig") as handle:
        year = {row["id"]: int(row["date"][:4]) for row in csv.DictReader(handle)}
    members = collections.defaultdict(set)
    with open(folder / "participations.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            members[row["activity_id"]].add(row["organization_id"])
    first = {}
    for act, orgs in members.items():
        for pair in itertools.combinations(sorted(orgs), 2):
            first[pair] = min(year[act], first.get(pair, year[act]))
    return first


def test_the_maps_year_slider_keeps_positions_and_marks_the_new_ties(monkeypatch, grown):
    folder, facts = grown
    first = first_years(folder)
    at = page(monkeypatch, folder, {"page": "map"})
    slider = at.select_slider(key="opt_until")
    assert slider.options[-1] == "全部" and len(slider.options) == facts["years"][1] - facts["years"][0] + 2
    seen = {}
    for year in (2021, 2023):
        at.select_slider(key="opt_until").set_value(str(year)).run()
        assert not at.exception
        data = drawn(at)
        ties = sum(1 for y in first.values() if y <= year)
        new = sum(1 for y in first.values() if y == year)
        assert len(data["edges"]) == ties
        assert sum(1 for edge in data["edges"] if edge.get("color") == "#E67E22") == new
        seen[year] = {node["id"]: (node["x"], node["y"]) for node in data["nodes"]}
    assert seen[2021] and all(seen[2023][node] == xy for node, xy in seen[2021].items())  # nobody moved
    assert set(seen[2021]) < set(seen[2023])  # and the network grew


def test_the_maps_year_is_in_the_url(monkeypatch, grown):
    folder, _ = grown
    at = page(monkeypatch, folder, {"page": "map", "until": "2022"})
    assert not at.exception
    assert at.select_slider(key="opt_until").value == "2022"
    assert any("截至 2022 年底" in c.value for c in at.caption)
    assert at.query_params["until"] in ("2022", ["2022"])
    at.select_slider(key="opt_until").set_value("all").run()
    assert "until" not in at.query_params  # the whole view: left out of the link


def test_every_page_can_be_restricted_to_a_half_year_from_the_url(monkeypatch, grown):
    import csv
    import itertools

    folder, _ = grown
    with open(folder / "activities.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    in_half = {row["id"] for row in rows if row["date"][:4] == "2022" and "07" <= row["date"][5:7] <= "12"}
    apart = sum(1 for row in rows if len(row["date"]) < 7)
    members = collections.defaultdict(set)
    with open(folder / "participations.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["activity_id"] in in_half:
                members[row["activity_id"]].add(row["organization_id"])
    ties = {pair for orgs in members.values() for pair in itertools.combinations(sorted(orgs), 2)}
    assert in_half and ties

    at = page(monkeypatch, folder, {"page": "overview", "during": "2022下半年"})
    assert at.selectbox(key="f_period").value == "2022-H2"
    assert int(metric(at, "合作关系（当前视图）").replace(",", "")) == len(ties)
    assert any(f"只计 2022-H2 的活动；{apart} 项" in c.value for c in at.sidebar.caption)
    assert at.query_params["during"] in ("2022-H2", ["2022-H2"])
    at.selectbox(key="f_period").set_value("").run()
    assert "during" not in at.query_params
    assert int(metric(at, "合作关系（当前视图）").replace(",", "")) > len(ties)


def test_the_year_slider_steps_the_groups_through_the_years_in_their_places(monkeypatch, grown):
    """On the groups (an aggregated view), a year shows the same groups in the same places, with the
    ties between organisations made by then (counted here from the CSV files)."""
    folder, _ = grown
    first = first_years(folder)
    at = page(monkeypatch, folder, {"page": "map", "show": "groups"})
    assert not at.exception
    whole = {node["id"]: (node["x"], node["y"]) for node in drawn(at)["nodes"]}
    assert whole and all(node.startswith("circle:") for node in whole)
    for year in (2021, 2023):
        at.select_slider(key="opt_until").set_value(str(year)).run()
        assert not at.exception
        ties = sum(1 for y in first.values() if y <= year)
        assert any(f"截至 {year} 年底：组织间合作关系 {ties:,} 条（整个视图 {len(first):,} 条）" in c.value
                   for c in at.caption), [c.value for c in at.caption]
        nodes = {node["id"]: (node["x"], node["y"]) for node in drawn(at)["nodes"]}
        assert nodes and all(whole[node] == xy for node, xy in nodes.items())  # no group moved
    assert at.query_params["until"] in ("2023", ["2023"]) and at.query_params["show"] in ("groups", ["groups"])
