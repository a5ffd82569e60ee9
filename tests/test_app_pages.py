"""The explorer's pages with Streamlit's AppTest: each page runs, filters change the graph shown,
uploads are loaded or their problems listed, the language switches, the URL restores the view.

Reference figures are computed here from the CSV files with plain pandas, not by the code under test.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cojian_graph.appstate import PAGES
from cojian_graph.io import write_ledger
from cojian_graph.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DATA = ROOT / "data"
HOSTILE = "<img src=x onerror=alert(1)>"


def start(query: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def reference_pairs(links: set[str] | None = None) -> set[tuple[str, str]]:
    """Pairs of organisations that took part in a same activity (of ``links``), from the CSV files."""
    acts = csv("activities")
    keep = set(acts["id"] if links is None else acts.loc[acts["link_type"].isin(links), "id"])
    part = csv("participations")
    pairs = set()
    for _, group in part[part["activity_id"].isin(keep)].groupby("activity_id"):
        pairs |= set(itertools.combinations(sorted(set(group["organization_id"])), 2))
    return pairs


def map_counts(at: AppTest) -> str:
    return next(c.value for c in at.caption if re.match(r"^\d+ (个组织|organisations)", c.value))


def drawn_data(srcdoc: str) -> dict:
    """The nodes and edges the network page hands to vis-network."""
    return json.loads(re.search(r"var data = (\{.*?\});\n", srcdoc, re.S).group(1))


@pytest.fixture
def ledger_env(monkeypatch, tmp_path):
    """Start the app on a ledger written to a temporary folder (as ``cojian app PATH`` would)."""

    def use(ledger: Ledger):
        path = tmp_path / "ledger"
        write_ledger(ledger, path, "csv")
        monkeypatch.setenv("COJIAN_LEDGER", str(path))
        return path

    return use


# -- every page --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_bundled_ledger(page):
    at = start(page=None if page == "overview" else page)
    assert_clean(at)
    assert at.title, "the page shows a title"
    expected = {"overview": "概览", "map": "共建生态圈", "rankings": "排名", "links": "八联",
                "timeline": "共建生态圈的成长", "organization": "组织档案", "recommend": "下一步建在哪里",
                "data": "台账数据"}[page]
    assert expected in at.title[0].value


def test_overview_counts_the_bundled_ledger():
    at = start()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["组织"] == str(len(csv("organizations")))
    assert metrics["活动"] == str(len(csv("activities")))
    assert metrics["参与记录"] == str(len(csv("participations")))
    assert metrics["合作关系（当前视图）"] == str(len(reference_pairs()))


def test_the_overview_says_when_the_path_length_is_estimated(monkeypatch):
    from cojian_graph.analysis import distances

    monkeypatch.setattr(distances, "EXACT_PATH_STEPS", 1)  # every view counts as large
    at = start({"links": "service,learning"})  # a view no other test summarises (results are kept per view)
    assert_clean(at)
    notes = [caption.value for caption in at.caption if "抽样估计" in caption.value]
    assert len(notes) == 1 and "95% 置信区间 ±" in notes[0] and "直径为精确值" in notes[0]


# -- filters -------------------------------------------------------------------------------------


def test_a_link_filter_changes_the_graph_on_the_map():
    at = start(page="map")
    orgs = len(csv("organizations"))
    assert map_counts(at) == f"{orgs} 个组织，{len(reference_pairs())} 条合作关系"
    at.multiselect(key="f_links").set_value(["learning"]).run()
    assert_clean(at)
    assert map_counts(at) == f"{orgs} 个组织，{len(reference_pairs({'learning'}))} 条合作关系"
    assert at.query_params["links"] == "learning"
    drawn = drawn_data(at.get("iframe")[0].proto.srcdoc)
    drawn_pairs = {tuple(sorted((edge["from"], edge["to"]))) for edge in drawn["edges"]}
    assert drawn_pairs == reference_pairs({"learning"})
    assert len(drawn["nodes"]) == orgs


def test_a_circle_filter_and_a_minimum_weight_change_the_overview():
    at = start()
    at.multiselect(key="f_circles").set_value(["focal", "internal"]).run()
    orgs = csv("organizations")
    inside = set(orgs.loc[orgs["circle"].isin(["focal", "internal"]), "id"])
    expected = {pair for pair in reference_pairs() if set(pair) <= inside}
    assert {m.label: m.value for m in at.metric}["合作关系（当前视图）"] == str(len(expected))
    at.number_input(key="f_minw").set_value(50).run()
    assert {m.label: m.value for m in at.metric}["合作关系（当前视图）"] == "0"
    assert at.query_params["minw"] == "50"


def test_reset_brings_every_filter_back_to_all(dated):
    at = start({"links": "brand", "minw": "2", "undated": "0", "focus": "O02", "from": "2021"})
    at.button(key="reset_filters").click().run()
    assert_clean(at)
    assert at.multiselect(key="f_links").value == [] and at.number_input(key="f_minw").value == 1
    assert at.checkbox(key="f_undated").value is True
    assert at.selectbox(key="f_focus").value == ""
    bounds = at.slider(key="f_years")
    assert bounds.value == (bounds.min, bounds.max)
    assert dict(at.query_params) == {}


def test_focus_keeps_the_neighbourhood():
    at = start({"focus": "prison", "hops": "1"}, page="map")
    assert_clean(at)
    neighbours = {b if a == "prison" else a for a, b in reference_pairs() if "prison" in (a, b)}
    pairs = {p for p in reference_pairs() if set(p) <= neighbours | {"prison"}}
    assert map_counts(at) == f"{len(neighbours) + 1} 个组织，{len(pairs)} 条合作关系"


def test_search_narrows_the_focus_choices():
    at = start()
    at.text_input(key="f_search").set_value("小学").run()
    focus = at.selectbox(key="f_focus")
    orgs = csv("organizations")
    expected = set(orgs.loc[orgs["name"].str.contains("小学"), "id"])
    assert set(focus.options) - {"（不聚焦）"} == {orgs.set_index("id").loc[o, "name"] for o in expected}


def test_a_long_list_of_organisations_shows_the_most_active_and_a_search_finds_the_others(monkeypatch):
    """Beyond PICKER_OPTIONS organisations, the pickers list the most active (counted here from the CSV
    file), keep the one chosen, say so, and a search box finds any other."""
    from app_pages import common

    monkeypatch.setattr(common, "PICKER_OPTIONS", 3)
    orgs, counts = csv("organizations"), csv("participations")["organization_id"].value_counts()
    name = orgs.set_index("id")["name"]
    active = sorted(orgs["id"], key=lambda org: (-counts.get(org, 0), list(orgs["id"]).index(org)))
    assert counts[active[2]] > counts[active[3]]  # the first three are not a tie away from the fourth
    at = start(page="organization")
    assert_clean(at)
    assert at.selectbox(key="opt_org").value == "zhugang"  # the focal organisation, the most active
    assert at.selectbox(key="opt_org").options == [name[org] for org in active[:3]]
    assert at.selectbox(key="f_focus").options == ["（不聚焦）", *(name[org] for org in active[:3])]
    caption = f"共 {len(orgs)} 个组织，列出参与活动最多的 3 个"
    assert any(caption in c.value for c in at.main.caption) and any(caption in c.value for c in at.sidebar.caption)
    at.text_input(key="org_find").set_value("小学").run()
    school = [org for org in orgs["id"] if "小学" in name[org]]
    assert 0 < len(school) <= 3
    assert at.selectbox(key="opt_org").options == [name["zhugang"], *(name[org] for org in school)]
    at.selectbox(key="opt_org").set_value(school[0]).run()
    assert_clean(at)
    assert at.title[0].value == "组织档案" and at.query_params["org"] == school[0]
    rare = active[-1]  # from a link: listed although not among the most active
    at = start({"org": rare, "focus": rare}, page="organization")
    assert_clean(at)
    assert at.selectbox(key="opt_org").value == rare and at.selectbox(key="opt_org").options[0] == name[rare]
    assert at.selectbox(key="f_focus").value == rare


# -- language -------------------------------------------------------------------------------------


def test_the_language_switch_translates_the_page_and_keeps_the_filters():
    at = start(page="map")
    at.multiselect(key="f_links").set_value(["brand", "service"]).run()
    at.segmented_control(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Co-construction ecosystem"
    assert "Filters" in [h.value for h in at.sidebar.header]
    assert at.multiselect(key="f_links").value == ["brand", "service"]
    assert at.multiselect(key="f_links").label == "Link types"
    assert at.query_params["lang"] == "en"
    assert '<html lang="en">' in at.get("iframe")[0].proto.srcdoc
    at.segmented_control(key="lang").set_value("zh").run()
    assert at.title[0].value == "共建生态圈"
    assert "lang" not in at.query_params


def test_clicking_the_chosen_language_again_keeps_it():
    at = start({"lang": "en"})
    at.segmented_control(key="lang").set_value(None).run()
    assert_clean(at)
    assert at.segmented_control(key="lang").value == "en"
    assert at.title[0].value.startswith("Party-building")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_english(page):
    at = start({"lang": "en"}, page=None if page == "overview" else page)
    assert_clean(at)
    assert not any("\u4e00" <= char <= "\u9fff" for char in at.title[0].value), at.title[0].value


# -- query string -----------------------------------------------------------------------------------


def test_the_url_restores_page_language_and_filters():
    at = start({"page": "rankings", "lang": "en", "links": "learning,service", "minw": "2",
                "measure": "betweenness"})
    assert_clean(at)
    assert at.title[0].value == "Collaboration centrality rankings"
    assert at.multiselect(key="f_links").value == ["learning", "service"]
    assert at.number_input(key="f_minw").value == 2
    assert at.selectbox(key="opt_measure").value == "betweenness"
    query = at.query_params
    assert query["page"] == "rankings" and query["links"] == "learning,service"


def test_garbage_in_the_url_is_ignored_and_an_unknown_focus_is_reported():
    at = start({"page": "<script>alert(1)</script>", "minw": "many", "links": "???,brand", "from": "x",
                "focus": "nobody", "lang": "xx", "layout": "spiral"})
    assert not at.exception
    assert at.multiselect(key="f_links").value == ["brand"]
    assert any("nobody" in w.value for w in at.warning)
    at.switch_page("app_pages/map.py").run()
    assert_clean(at)


def test_a_crafted_focus_in_the_url_is_shown_as_text():
    at = start({"focus": "[x](javascript:alert(1)) :red[big]"})
    assert not at.exception
    warning = next(w.value for w in at.warning if "alert" in w.value)
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in warning and "\\:red\\[big\\]" in warning


def test_the_map_offers_every_export_format():
    from cojian_graph.export import EXPORT_FORMATS

    at = start(page="map")
    labels = {button.label for button in at.main.get("download_button")}
    expected = {f.label("zh") for f in EXPORT_FORMATS.values() if f.kind in ("page", "image", "graph")}
    assert labels == expected


@pytest.mark.parametrize("page", PAGES)
def test_every_page_offers_the_briefing(page):
    at = start(page=None if page == "overview" else page)
    labels = [button.label for button in at.sidebar.get("download_button")]
    assert labels == ["下载 Word 报告", "下载 PDF 报告"]


def test_size_by_offers_every_measure_by_its_name():
    at = start(page="map")
    size = at.selectbox(key="opt_size")
    assert "中介中心性" in size.options and "综合共建指数" in size.options  # betweenness, composite
    assert "betweenness" not in size.options  # labels, not ids
    assert "社区" not in size.options and "E-I指数" not in size.options  # a label and a signed index size nothing


def test_map_options_go_into_the_url():
    at = start(page="map")
    at.selectbox(key="opt_layout").set_value("concentric").run()
    at.selectbox(key="opt_color").set_value("sector").run()
    assert at.query_params["layout"] == "concentric" and at.query_params["color"] == "sector"
    assert "size" not in at.query_params  # defaults stay out of the URL


# -- uploads -------------------------------------------------------------------------------------


def upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="upload_files").set_value([(name, content, "text/csv") for name, content in files])
    at.button(key="FormSubmitter:upload-加载上传的台账").click().run()
    return at


def tiny_csv_files(tiny, tmp_path) -> list[tuple[str, bytes]]:
    write_ledger(tiny, tmp_path / "up", "csv")
    return [(path.name, path.read_bytes()) for path in sorted((tmp_path / "up").iterdir())]


def test_an_uploaded_ledger_replaces_the_bundled_one_in_this_session(tiny, tmp_path):
    at = start(page="data")
    upload(at, tiny_csv_files(tiny, tmp_path))
    assert_clean(at)
    assert any("4" in s.value for s in at.success)
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["组织"] == "4"
    assert {m.label: m.value for m in at.metric}["合作关系（当前视图）"] == "3"  # a–b, a–c, b–c
    other = start()  # another browser session still sees the bundled ledger
    assert {m.label: m.value for m in other.metric}["组织"] == str(len(csv("organizations")))


def test_a_bad_upload_lists_its_problems_and_keeps_the_ledger(tiny, tmp_path):
    files = dict(tiny_csv_files(tiny, tmp_path))
    files["organizations.csv"] = files["organizations.csv"].replace(b"external", b"outer space", 1)
    del files["participations.csv"]
    at = start(page="data")
    upload(at, list(files.items()))
    assert not at.exception
    assert at.error and "问题" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["文件", "行", "列", "问题", "修改方法"]
    assert "participations.csv" in set(problems["文件"])
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["组织"] == str(len(csv("organizations")))


def test_a_workbook_upload_in_english(tiny, tmp_path):
    path = tmp_path / "mine.xlsx"
    write_ledger(tiny, path)
    at = start({"lang": "en"}, page="data")
    at.file_uploader(key="upload_files").set_value(
        [(path.name, path.read_bytes(), "application/octet-stream")])
    at.button(key="FormSubmitter:upload-Load the uploaded ledger").click().run()
    assert_clean(at)
    assert any("mine.xlsx" in s.value.replace("\\", "") for s in at.success)


def test_a_rejected_workbook_is_named_as_uploaded(tmp_path):
    import openpyxl

    path = tmp_path / "我的台账 2024.xlsx"
    write_ledger(Ledger.from_frames(*(pd.read_csv(DATA / f"{n}.csv", dtype=str, keep_default_na=False)
                                      for n in ("organizations", "activities", "participations"))), path)
    workbook = openpyxl.load_workbook(path)
    workbook["organizations"]["E3"] = "outer space"
    workbook.save(path)
    at = start({"lang": "en"}, page="data")
    at.file_uploader(key="upload_files").set_value([(path.name, path.read_bytes(), "application/octet-stream")])
    at.button(key="FormSubmitter:upload-Load the uploaded ledger").click().run()
    problems = at.dataframe[0].value
    assert problems["File"].tolist() == ["我的台账 2024.xlsx › organizations"]
    assert problems["Row"].tolist() == ["3"]


# -- hostile data ----------------------------------------------------------------------------------


def test_hostile_names_are_shown_as_text(ledger_env, tiny):
    orgs = tiny.organizations.copy()
    orgs.loc[0, "name"] = HOSTILE
    acts = tiny.activities.copy()
    acts.loc[0, "title"] = f'<script>alert("x")</script>{HOSTILE}'
    ledger_env(Ledger(orgs, acts, tiny.participations))
    for page in PAGES:
        at = start(page=None if page == "overview" else page)
        assert_clean(at)
        for frame in at.get("iframe"):
            srcdoc = frame.proto.srcdoc
            assert HOSTILE not in srcdoc and "<script>alert" not in srcdoc
            assert "\\u003cimg src=x onerror=alert(1)\\u003e" in srcdoc


def test_a_rejected_ledger_shows_its_problems_on_every_page(monkeypatch, tmp_path, tiny):
    write_ledger(tiny, tmp_path / "broken", "csv")
    path = tmp_path / "broken" / "activities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("learning", "dancing"), encoding="utf-8")
    monkeypatch.setenv("COJIAN_LEDGER", str(tmp_path / "broken"))
    for page in PAGES:
        at = start(page=None if page == "overview" else page)
        assert not at.exception, (page, [e.message for e in at.exception])
        if page != "data":  # the data page still offers the template and an upload
            assert at.error, page
            problems = at.dataframe[0].value
            assert "link_type" in set(problems["列"]), page


# -- a dated ledger: years, layers, weights ---------------------------------------------------------


@pytest.fixture
def dated(ledger_env):
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(40, 120, seed=3)
    ledger_env(ledger)
    return ledger


def pairs_of(ledger: Ledger, keep_activity) -> set[tuple[str, str]]:
    acts = ledger.activities
    keep = {a for a, row in zip(acts["id"], acts.to_dict("records"), strict=True) if keep_activity(row)}
    part = ledger.participations
    pairs = set()
    for _, group in part[part["activity_id"].isin(keep)].groupby("activity_id"):
        pairs |= set(itertools.combinations(sorted(set(group["organization_id"])), 2))
    return pairs


def test_the_year_slider_keeps_activities_of_those_years(dated):
    at = start()
    slider = at.slider(key="f_years")
    low, high = slider.value
    assert (low, high) == (int(dated.activities["date"].str[:4].replace("", None).dropna().min()),
                           int(dated.activities["date"].str[:4].replace("", None).dropna().max()))
    slider.set_value((low + 1, high - 1)).run()
    at.checkbox(key="f_undated").uncheck().run()
    assert_clean(at)
    expected = pairs_of(dated, lambda row: row["date"][:4].isdigit()
                        and low + 1 <= int(row["date"][:4]) <= high - 1)
    assert {m.label: m.value for m in at.metric}["合作关系（当前视图）"] == str(len(expected))
    assert at.query_params["from"] == str(low + 1) and at.query_params["undated"] == "0"


def test_the_eight_links_page_on_a_dated_ledger(dated):
    at = start(page="links")
    assert_clean(at)
    split = at.dataframe[-1].value
    assert len(split) == 9  # eight layers and the whole network
    whole = split.iloc[-1]
    expected = sum(len(pairs_of(dated, lambda row, a=a: row["id"] == a)) for a in dated.activities["id"])
    assert whole["同侧"] + whole["跨内外"] == expected  # joint activities summed over ties
    assert -1 <= whole["E-I 指数（按共同活动）"] <= 1
    # the year chart's legend names all eight links, whole (it used to show five, cut)
    from cojian_graph.model import LINKS

    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    years = next(spec for spec in specs if spec["encoding"]["x"].get("field") == "year")
    colour = years["encoding"]["color"]
    assert colour["scale"]["domain"] == [link.zh for link in LINKS.values()]
    assert colour["legend"]["symbolLimit"] == 0 and colour["legend"]["columns"] == 1
    totals = next(spec for spec in specs if spec["encoding"]["y"].get("field") == "link")
    assert totals["encoding"]["y"]["axis"]["labelLimit"] >= 400  # whole link names on the axis


def test_rankings_follow_the_layer_and_the_weights(dated):
    at = start(page="rankings")
    at.selectbox(key="opt_layer").set_value("learning").run()
    assert_clean(at)
    table = at.dataframe[0].value
    learners = {org for pair in pairs_of(dated, lambda row: row["link_type"] == "learning") for org in pair}
    partners = dict(zip(table["ID"], table["合作伙伴数"], strict=True))
    assert {org for org, count in partners.items() if count > 0} == learners
    for key in ("strength", "degree", "breadth", "betweenness", "effective_size", "eigenvector", "harmonic"):
        at.number_input(key=f"w_{key}").set_value(0.0)
    at.run()
    assert any("默认权重" in w.value for w in at.warning)
    assert at.query_params["layer"] == "learning"


def test_the_rankings_page_says_which_measures_are_estimates(monkeypatch):
    from app_pages import common
    from cojian_graph.analysis import sampling

    common._results().items.clear()
    monkeypatch.setattr(sampling, "RANK_EXACT_STEPS", 0)  # the bundled ledger treated as large
    monkeypatch.setattr(sampling, "PATH_SOURCES", 5)
    try:
        at = start({"lang": "en"}, page="rankings")
        assert_clean(at)
        note = next(c.value for c in at.caption if "estimates from sampled organisations" in c.value)
        assert f"Betweenness: estimated from 5/{len(csv('organizations'))} organisations" in note
        assert "Closeness:" in note and "for every organisation at once" in note
        plain = start({"lang": "en", "layer": "learning"}, page="rankings")
        assert "Betweenness: estimated" in " ".join(c.value for c in plain.caption)
    finally:
        common._results().items.clear()
        monkeypatch.undo()
    exact = start({"lang": "en"}, page="rankings")
    assert not any("estimated from" in c.value for c in exact.caption)


def test_the_organisation_page_says_which_of_its_measures_are_estimates(monkeypatch):
    from app_pages import common
    from cojian_graph.analysis import sampling

    common._results().items.clear()
    monkeypatch.setattr(sampling, "RANK_EXACT_STEPS", 0)  # the bundled ledger treated as large
    monkeypatch.setattr(sampling, "PATH_SOURCES", 5)
    try:
        at = start({"lang": "en", "org": "prison"}, page="organization")
        assert_clean(at)
        note = next(c.value for c in at.caption if "estimates from sampled organisations" in c.value)
        assert f"Betweenness: estimated from 5/{len(csv('organizations'))} organisations" in note
    finally:
        common._results().items.clear()
        monkeypatch.undo()
    exact = start({"lang": "en", "org": "prison"}, page="organization")
    assert_clean(exact)
    assert not any("estimated from" in c.value for c in exact.caption)


def test_the_organisation_page_focuses_the_sidebar():
    at = start({"org": "prison"}, page="organization")
    assert_clean(at)
    partners = at.dataframe[0].value
    neighbours = {b if a == "prison" else a for a, b in reference_pairs() if "prison" in (a, b)}
    assert len(partners) == len(neighbours)
    at.button(key="org_focus").click().run()
    assert at.selectbox(key="f_focus").value == "prison"
    assert at.query_params["focus"] == "prison"


def test_an_organisation_with_many_partners_draws_those_it_works_with_most_and_all_on_request(ledger_env):
    """Beyond EGO_PARTNERS_DRAWN partners the ego map draws the organisation and the partners it shares the
    most activities with (counted here from the participations, not by the code under test), says so, and
    draws every partner when the switch is turned on."""
    import collections
    import itertools

    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(1000, 3000, seed=1)
    ledger_env(ledger)
    focal = "O0001"
    members = collections.defaultdict(set)
    for act, org in zip(ledger.participations["activity_id"], ledger.participations["organization_id"],
                        strict=True):
        members[act].add(org)
    joint = collections.Counter(other for orgs in members.values() if focal in orgs for other in orgs - {focal})
    assert len(joint) > 300
    at = start({"org": focal}, page="organization")
    assert_clean(at)
    assert any(f"共 {len(joint)} 个" in caption.value and "300 个合作伙伴" in caption.value for caption in at.caption)
    drawn = {node["id"] for node in drawn_data(at.get("iframe")[0].proto.srcdoc)["nodes"]}
    assert focal in drawn and len(drawn) == 301 and drawn - {focal} <= set(joint)
    assert min(joint[org] for org in drawn - {focal}) >= max(joint[org] for org in set(joint) - drawn)
    # the ties among them, counted from the participations: beyond EGO_TIES_DRAWN, the focal one's ties
    # and the strongest of the others are drawn, and a caption gives the total
    ties = collections.Counter(frozenset(pair) for orgs in members.values()
                               for pair in itertools.combinations(sorted(orgs & drawn), 2))
    assert len(ties) > 2000
    edges = {frozenset((edge["from"], edge["to"])) for edge in
             drawn_data(at.get("iframe")[0].proto.srcdoc)["edges"]}
    assert len(edges) == 2000 and {tie for tie in ties if focal in tie} <= edges <= set(ties)
    assert min(ties[tie] for tie in edges if focal not in tie) >= max(ties[tie] for tie in set(ties) - edges)
    assert any(f"共有 {len(ties):,} 条合作关系，图中画出最强的 2,000 条" in caption.value for caption in at.caption)
    at.toggle(key="org_ego_all").set_value(True).run()
    assert_clean(at)
    drawn = {node["id"] for node in drawn_data(at.get("iframe")[0].proto.srcdoc)["nodes"]}
    assert drawn == set(joint) | {focal}


@pytest.mark.parametrize(("layout", "size", "color"), [
    ("concentric", "strength", "community"),
    ("force", "betweenness", "main_link"),
    ("concentric", "composite", "sector"),
])
def test_every_layout_size_and_colour_draws(layout, size, color):
    at = start({"layout": layout, "size": size, "color": color}, page="map")
    assert_clean(at)
    assert (at.selectbox(key="opt_layout").value, at.selectbox(key="opt_size").value,
            at.selectbox(key="opt_color").value) == (layout, size, color)
    assert len(drawn_data(at.get("iframe")[0].proto.srcdoc)["nodes"]) == len(csv("organizations"))


# the view each page is set to before switching languages: (page, {widget key: value})
_VIEWS = [
    ("map", {"f_links": ["brand", "service"], "f_circles": ["external"], "f_tw": "newman",
             "f_focus": "prison", "opt_layout": "concentric", "opt_color": "community"}),
    ("rankings", {"f_links": ["learning"], "opt_measure": "betweenness", "opt_layer": "learning", "opt_top": 20}),
    ("organization", {"opt_org": "city_trade_union", "f_sectors": ["company"]}),
    ("links", {"f_circles": ["internal", "focal"], "f_tw": "newman"}),
    ("overview", {"f_links": ["culture"], "f_focus": "zhugang"}),
]


@pytest.mark.parametrize(("page", "choices"), _VIEWS, ids=[page for page, _ in _VIEWS])
def test_switching_language_back_and_forth_keeps_the_whole_view(page, choices):
    at = start(page=page)
    for key, value in choices.items():
        widget = at.selectbox(key=key) if key in {w.key for w in at.selectbox} else at.multiselect(key=key)
        widget.set_value(value).run()
    assert_clean(at)
    view = dict(at.query_params)
    values = {key: at.session_state[key] for key in choices}
    for language in ("en", "zh", "en", "zh"):
        at.segmented_control(key="lang").set_value(language).run()
        assert_clean(at)
        assert not at.warning, [w.value for w in at.warning]
        assert {key: at.session_state[key] for key in choices} == values
        expected = {**view, "lang": language} if language == "en" else view
        assert dict(at.query_params) == expected


def _measures_shown(at: AppTest) -> dict[str, str]:
    table = next(frame.value for frame in at.dataframe if "指标" in frame.value.columns)
    return dict(zip(table["指标"], table["数值"], strict=True))


def test_a_large_view_asks_before_ranking_on_the_organisation_page(monkeypatch):
    from app_pages import common

    monkeypatch.setattr(common, "AUTO_RANK_NODES", 5)  # the bundled ledger counts as large
    common._results().items.clear()
    at = start({"org": "prison"}, page="organization")
    assert_clean(at)
    assert not any(m.label.startswith("名次") for m in at.metric)
    assert common._results().get(common._rank_key(common.GraphFilter(), None, None, None)) is None
    alone = _measures_shown(at)  # this organisation's own measures, without the rank table
    assert "中介中心性" not in alone and len(alone) == 14
    assert any("需要计算全网排名" in c.value for c in at.caption)
    assert at.button(key="org_rank")
    at.button(key="org_rank").click().run()
    assert_clean(at)
    assert any(m.label.startswith("名次") for m in at.metric)
    ranked = _measures_shown(at)
    assert "中介中心性" in ranked
    assert {label: ranked[label] for label in alone} == alone  # the same values as the whole table's
    again = start({"org": "water_company"}, page="organization")  # computed once, for every session
    assert any(m.label.startswith("名次") for m in again.metric)


def test_the_data_tables_show_names_not_codes():
    at = start(page="data")
    assert_clean(at)
    orgs = at.dataframe[0].value
    assert "党总支" in set(orgs["类型"]) and "general_branch" not in set(orgs["类型"])
    from cojian_graph.model import CIRCLES

    assert set(orgs["圈层"]) == {CIRCLES[circle].zh for circle in ("focal", "internal", "external")}


def test_a_lower_is_better_ranking_puts_organisations_without_a_value_last():
    at = start({"page": "rankings", "measure": "constraint", "layer": "learning", "top": "10"})
    assert_clean(at)
    table = at.dataframe[0].value
    values = table["约束系数"].astype(float)
    assert values.notna().iloc[0] and values.isna().iloc[-1]  # isolated in the layer: no constraint
    finite = values.dropna().tolist()
    assert finite == sorted(finite)  # lower is better: ascending
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[0].proto
    rows = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    assert len(finite) < 10  # the top 10 reaches organisations without a value
    assert rows["value"].notna().all() and rows["value"].tolist() == finite  # no bar-less "top" rows


def test_whole_numbers_are_shown_in_full():
    from app_pages.common import number_columns

    frame = pd.DataFrame({"count": [26423.0, 7.0, float("nan")], "big": [26423.5, 1.0, 2.0],
                          "small": [0.123456, 0.5, 1.0]})
    formats = {column: config["type_config"]["format"] for column, config in
               number_columns(frame, frame.columns).items()}
    assert formats == {"count": "%d", "big": "%.1f", "small": "%.4g"}


def test_isolated_organisations_can_be_hidden_and_are_counted():
    at = start({"links": "learning"}, page="map")  # the learning layer leaves most organisations without ties
    assert_clean(at)
    shown = len(drawn_data(at.get("iframe")[0].proto.srcdoc)["nodes"])
    toggle = at.toggle(key="map_hide_isolated")
    assert toggle.value is False  # a small view shows everyone by default
    toggle.set_value(True).run()
    connected = {org for pair in reference_pairs({"learning"}) for org in pair}
    assert len(drawn_data(at.get("iframe")[0].proto.srcdoc)["nodes"]) == len(connected) < shown
    assert any(f"{shown - len(connected)} 个孤立组织" in c.value for c in at.caption)


def test_a_link_made_on_an_uploaded_ledger_says_it_opened_the_servers(tiny, tmp_path):
    at = start(page="data")
    upload(at, tiny_csv_files(tiny, tmp_path))
    at.switch_page("app_pages/map.py").run()
    assert at.query_params["src"] == "upload"
    copied = start(dict(at.query_params))  # another browser opens the copied link
    assert_clean(copied)
    assert any("uploaded" in i.value or "上传的台账" in i.value for i in copied.info)
    plain = start({"page": "map"})
    assert not any("上传的台账" in i.value for i in plain.info)


def test_the_rankings_page_and_the_organisation_page_share_one_computation(monkeypatch, tmp_path):
    from app_pages import common

    common._results().items.clear()
    calls = tmp_path / "calls"  # the computation runs in a child process: it counts in a file
    calls.write_text("")
    import cojian_graph.analysis as analysis

    real = analysis.rank_table

    def counted(*args, **kwargs):
        with open(calls, "a") as handle:
            handle.write("x")
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "rank_table", counted)
    assert_clean(start(page="rankings"))
    assert_clean(start({"org": "prison"}, page="organization"))
    assert calls.read_text() == "x"



def test_the_explorer_shows_the_stores_latest_revision(monkeypatch, tmp_path):
    from cojian_graph.io import read_ledger
    from cojian_graph.store import Edit, Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url, create=True) as store:
        store.import_ledger(read_ledger(DATA), user="clerk")
    monkeypatch.setenv("COJIAN_DB", url)
    monkeypatch.setenv("COJIAN_SIGNIN", "0")  # AppTest serves no address: as make run on 127.0.0.1
    at = start()
    assert_clean(at)
    assert {m.label: m.value for m in at.metric}["组织"] == "17"
    assert any("rev 1" in c.value for c in at.sidebar.caption)
    with Store(url) as store:  # a change committed elsewhere (another process, the desk) …
        store.apply([Edit("organizations", ("newcomer",), {"name": "新伙伴", "kind": "enterprise",
                                                            "circle": "external", "sector": "local_enterprise"}, 0),
                     Edit("activities", ("meet",), {"title": "座谈", "link_type": "activity"}, 0),
                     Edit("participations", ("meet", "newcomer"), {}, 0),
                     Edit("participations", ("meet", "zhugang"), {}, 0)], user="clerk")
    again = start()  # … is seen on the next run
    assert {m.label: m.value for m in again.metric}["组织"] == "18"
    assert any("rev 2" in c.value for c in again.sidebar.caption)


# -- the map's groups (aggregated views) ---------------------------------------------------------


def test_a_large_view_opens_on_its_groups_and_drills_into_one(ledger_env):
    from cojian_graph.graph.aggregate import AGGREGATE_ABOVE
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(AGGREGATE_ABOVE + 100, 3 * AGGREGATE_ABOVE, seed=5)
    ledger_env(ledger)
    at = start(page="map")
    assert_clean(at)
    assert at.selectbox(key="opt_show").value == "groups"
    note = next(c.value for c in at.caption if c.value.startswith("按组汇总"))
    assert f"{AGGREGATE_ABOVE + 100:,} 个组织" in note
    drawn = drawn_data(at.get("iframe")[0].proto.srcdoc)
    circles = set(ledger.organizations["circle"])
    assert {node["id"] for node in drawn["nodes"]} == {f"circle:{circle}" for circle in circles}
    # drill into the external circle: its organisations, drawn one by one
    at.selectbox(key="opt_drill").set_value("circle:external").run()
    assert_clean(at)
    external = set(ledger.organizations.loc[ledger.organizations["circle"] == "external", "id"])
    assert at.query_params["drill"] == "circle:external"
    assert f"外联（集团及地方）：视图 {AGGREGATE_ABOVE + 100:,} 个组织中的 {len(external):,} 个" in map_counts(at)
    shown = {node["id"] for node in drawn_data(at.get("iframe")[0].proto.srcdoc)["nodes"]}
    assert shown and shown <= external


def test_a_small_view_can_be_shown_by_sector():
    at = start(page="map")  # the bundled ledger
    assert at.selectbox(key="opt_show").value == "organizations"
    at.selectbox(key="opt_show").set_value("groups").run()
    at.selectbox(key="opt_group_by").set_value("sector").run()
    assert_clean(at)
    assert at.query_params["show"] == "groups" and at.query_params["group_by"] == "sector"
    sectors = set(csv("organizations")["sector"])
    drawn = drawn_data(at.get("iframe")[0].proto.srcdoc)
    assert {node["id"] for node in drawn["nodes"]} == {f"sector:{sector}" for sector in sectors}
    # each group's tooltip counts its organisations as the CSV does
    orgs = csv("organizations")
    for node in drawn["nodes"]:
        count = int((orgs["sector"] == node["id"].split(":", 1)[1]).sum())
        assert f"组织：{count}" in node["title"]
