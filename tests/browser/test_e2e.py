"""The explorer end to end in a real browser: Debian's Chromium driven by Python playwright.

Starts ``streamlit run app.py -- LEDGER``, waits for the network to be drawn and counts its nodes inside
the iframe, visits every page, switches language, applies a filter, uploads a ledger, opens a copied
link, and saves screenshots to ``artifacts/screenshots/``. Times to a drawn network are measured and
written to ``artifacts/timings.json`` (and printed), never asserted.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cojian_graph.graph import GraphFilter, collaboration_graph, filtered_graph
from cojian_graph.io import read_ledger, write_ledger
from cojian_graph.ledger import Ledger
from cojian_graph.testing import tiny_ledger

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
TIMINGS = ROOT / "artifacts" / "timings.json"
HOSTILE = "<img src=x onerror=alert(1)>"
TITLES_ZH = {"overview": "概览", "map": "生态圈", "rankings": "排名", "links": "八联", "timeline": "时间",
             "organization": "组织", "data": "数据"}
HEADINGS_ZH = {"overview": "党建共建生态圈 · 概览", "map": "共建生态圈", "rankings": "合作中心性排名",
               "links": "八联：组织 × 联建类型", "timeline": "共建生态圈的成长", "organization": "组织档案",
               "data": "台账数据", "recommend": "下一步建在哪里"}

_DRAWN = """() => {
  const body = document.body;
  if (!body || body.dataset.drawn !== "1") return null;
  if (window.cojianGraph) return [window.cojianGraph.order, window.cojianGraph.size];  // WebGL (sigma.js)
  if (!window.cojianNetwork) return null;
  const data = window.cojianNetwork.body.data;
  return [data.nodes.length, data.edges.length];
}"""


def wait_drawn(page, *, expect=None, timeout: float = 120.0, script: str = _DRAWN) -> tuple[int, int]:
    """Wait until a network iframe of ``page`` is drawn, by vis-network or WebGL (and ``expect((nodes,
    edges))`` holds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames[1:]:
            try:
                counts = frame.evaluate(script)
            except Exception:  # a frame replaced by a rerun while we asked
                continue
            if counts and (expect is None or expect(tuple(counts))):
                return tuple(counts)
        page.wait_for_timeout(25)
    raise AssertionError(f"no drawn network within {timeout} s")


def time_to_drawn(page, url: str) -> tuple[float, tuple[int, int]]:
    start = time.perf_counter()
    page.goto(url)
    counts = wait_drawn(page)
    return time.perf_counter() - start, counts


def record_timing(name: str, seconds: float, **details) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    timings[name] = {"seconds": round(seconds, 3), **details, "load_average_1min": load,
                     "cpus": os.cpu_count()}
    TIMINGS.write_text(json.dumps(timings, indent=2, ensure_ascii=False))
    print(f"\n[timing] {name}: {seconds:.2f} s {details}")


def open_session(browser, server):
    """A fresh browser context and page, recording requests, dialogs and page errors."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    log = {"requests": [], "dialogs": [], "errors": []}
    context.on("request", lambda request: log["requests"].append(request.url))
    page.on("dialog", lambda dialog: (log["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: log["errors"].append(str(error)))
    return context, page, log


def assert_offline(log, server) -> None:
    local = (server.url, f"http://127.0.0.1:{server.port}", f"ws://localhost:{server.port}",
             f"ws://127.0.0.1:{server.port}", "data:", "blob:", "about:")
    outside = [url for url in log["requests"] if not url.startswith(local)]
    assert outside == [], f"requests outside the app: {outside[:10]}"


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.locator("body").inner_text()


def go(page, title: str, heading: str) -> None:
    """Open a page through the sidebar's navigation (same session) and wait for its heading."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.locator("h1", has_text=heading).first.wait_for()
    wait_idle(page)
    page.wait_for_timeout(300)  # let the charts paint


def wait_idle(page, timeout: float = 120.0) -> None:
    """Wait until Streamlit has finished running the script."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        state="attached", timeout=timeout * 1000)


def upload_files(page, uploader, paths) -> None:
    """Choose files in a file uploader and wait until each is listed as uploaded."""
    uploader.set_input_files([str(path) for path in paths])
    for path in paths:
        page.locator('[data-testid="stFileChipName"]', has_text=Path(path).name).first.wait_for()
    page.locator('[data-testid="stFileChipIconSpinner"]').first.wait_for(state="detached")
    wait_idle(page)
    page.wait_for_timeout(500)


def shot(page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=False)


# -- the bundled ledger --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_server(serve):
    return serve(DATA)


def test_the_bundled_ledger_is_drawn_fast_and_offline(browser, bundled_server, screenshots):
    ledger = read_ledger(DATA)
    G = collaboration_graph(ledger)
    context, page, log = open_session(browser, bundled_server)
    try:
        cold, counts = time_to_drawn(page, f"{bundled_server.url}/map")
        assert counts == (G.number_of_nodes(), G.number_of_edges())
        warm, again = time_to_drawn(page, f"{bundled_server.url}/map")  # a new session, caches warm
        assert again == counts
        record_timing("bundled_first_visit", cold, nodes=counts[0], edges=counts[1])
        record_timing("bundled_reopened", warm, nodes=counts[0], edges=counts[1])
        frame = next(f for f in page.frames[1:] if f.evaluate(_DRAWN))
        first = frame.evaluate("() => window.cojianNetwork.getPositions()")
        page.wait_for_timeout(500)
        assert frame.evaluate("() => window.cojianNetwork.getPositions()") == first  # nothing moves
        shot(page, screenshots, "map-bundled-zh")
        assert log["dialogs"] == [] and log["errors"] == []
        assert_offline(log, bundled_server)
    finally:
        context.close()


def test_every_page_in_both_languages(browser, bundled_server, screenshots):
    context, page, log = open_session(browser, bundled_server)
    try:
        page.goto(bundled_server.url)
        page.locator("h1", has_text=HEADINGS_ZH["overview"]).first.wait_for()
        for name, title in TITLES_ZH.items():
            go(page, title, HEADINGS_ZH[name])
            if name in ("map", "organization"):
                wait_drawn(page)
            assert_no_exception(page)
            shot(page, screenshots, f"{name}-zh")
        page.get_by_text("English", exact=True).first.click()
        page.locator("h1", has_text="Ledger data").first.wait_for()
        page.wait_for_function("() => window.location.search.includes('lang=en')")
        assert page.locator('[data-testid="stSidebarNav"] a', has_text="Ecosystem map").count() == 1
        go(page, "Ecosystem map", "Co-construction ecosystem")
        wait_drawn(page)
        assert_no_exception(page)
        shot(page, screenshots, "map-en")
        go(page, "Rankings", "Collaboration centrality rankings")
        assert_no_exception(page)
        shot(page, screenshots, "rankings-en")
        assert log["dialogs"] == [] and log["errors"] == []
        assert_offline(log, bundled_server)
    finally:
        context.close()


def test_the_data_pages_downloads_give_the_ledger_back(browser, bundled_server, tmp_path):
    """The data page writes its files when a button is clicked (not on every visit): the workbook and the
    JSON file each read back as the bundled ledger."""
    context, page, log = open_session(browser, bundled_server)
    try:
        page.goto(f"{bundled_server.url}/data")
        page.locator("h1", has_text=HEADINGS_ZH["data"]).first.wait_for()
        wait_idle(page)
        expected = read_ledger(DATA)
        for label, name in (("下载当前台账 · Excel 工作簿", "cojian-ledger.xlsx"),
                            ("下载当前台账 · JSON", "cojian-ledger.json")):
            with page.expect_download(timeout=120_000) as info:
                page.get_by_role("button", name=label).click()
            assert info.value.suggested_filename == name
            info.value.save_as(tmp_path / name)
            assert read_ledger(tmp_path / name).content_hash() == expected.content_hash()
        assert_no_exception(page)
        assert log["dialogs"] == [] and log["errors"] == []
    finally:
        context.close()


def test_switching_language_keeps_the_view_and_relabels_it(browser, bundled_server, screenshots):
    context, page, log = open_session(browser, bundled_server)
    try:
        page.goto(f"{bundled_server.url}/map?page=map&layout=concentric&focus=prison")
        page.locator("h1", has_text=HEADINGS_ZH["map"]).first.wait_for()
        wait_drawn(page)
        def shown(label: str) -> str:  # what a selectbox shows as chosen
            box = page.locator('[data-testid="stSelectbox"]', has_text=label).first
            return box.locator("input").first.input_value()

        assert shown("布局") == "同心圆" and shown("聚焦组织") == "监狱"
        for language, labels, heading in (
                ("English", {"Layout": "Concentric circles", "Focus on": "Prison"}, "Co-construction ecosystem"),
                ("中文", {"布局": "同心圆", "聚焦组织": "监狱"}, HEADINGS_ZH["map"]),
                ("English", {"Layout": "Concentric circles", "Focus on": "Prison"}, "Co-construction ecosystem")):
            page.get_by_text(language, exact=True).first.click()
            page.locator("h1", has_text=heading).first.wait_for()
            wait_idle(page)
            wait_drawn(page)
            assert {label: shown(label) for label in labels} == labels  # the same choices, in the new language
            assert "focus=prison" in page.url and "layout=concentric" in page.url
            assert page.locator('[data-testid="stAlert"]').count() == 0  # no "unknown organisation" warning
        shot(page, screenshots, "map-language-switched")
        assert log["dialogs"] == [] and log["errors"] == []
    finally:
        context.close()


def test_a_filter_changes_the_drawing_and_the_link_reopens_it(browser, bundled_server, screenshots):
    ledger = read_ledger(DATA)
    expected = filtered_graph(ledger, GraphFilter(links=("learning",)))
    want = (expected.number_of_nodes(), expected.number_of_edges())
    context, page, _ = open_session(browser, bundled_server)
    try:
        page.goto(f"{bundled_server.url}/map")
        before = wait_drawn(page)
        assert before != want
        page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
        page.get_by_role("option", name="党员联学").click()
        page.keyboard.press("Escape")
        assert wait_drawn(page, expect=lambda counts: counts == want) == want
        shot(page, screenshots, "map-filtered-learning")
        page.wait_for_function("() => window.location.search.includes('links=learning')")
        shared = page.url
    finally:
        context.close()
    context, page, _ = open_session(browser, bundled_server)  # the copied link, in a new session
    try:
        page.goto(shared)
        assert wait_drawn(page) == want
        chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
        assert "党员联学" in chips
    finally:
        context.close()


def test_a_link_naming_the_page_in_its_query_string_opens_that_page(browser, bundled_server, screenshots):
    context, page, log = open_session(browser, bundled_server)
    try:
        page.goto(f"{bundled_server.url}/?page=links&lang=en&circles=external")
        page.locator("h1", has_text="The eight links").first.wait_for()
        wait_idle(page)
        assert "/links" in page.url and "circles=external" in page.url and "lang=en" in page.url
        assert "External" in page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1).inner_text()
        assert_no_exception(page)
        shot(page, screenshots, "links-en-external")
        assert log["errors"] == []
    finally:
        context.close()


def test_uploading_a_ledger_and_a_bad_one(browser, bundled_server, screenshots, tmp_path):
    write_ledger(tiny_ledger(), tmp_path / "good", "csv")
    good = sorted((tmp_path / "good").iterdir())
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "organizations.csv").write_text(
        (tmp_path / "good" / "organizations.csv").read_text(encoding="utf-8").replace("external", "outer", 1),
        encoding="utf-8")
    context, page, log = open_session(browser, bundled_server)
    try:
        page.goto(f"{bundled_server.url}/data")
        page.locator("h1", has_text=HEADINGS_ZH["data"]).first.wait_for()
        upload = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
        upload_files(page, upload, [bad / "organizations.csv"])
        page.get_by_role("button", name="加载上传的台账").click()
        page.get_by_text("个问题，未加载").first.wait_for()
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1  # the problems table
        assert_no_exception(page)
        shot(page, screenshots, "upload-bad")

        # the same session, straight away: the rejected file must not stay beside the new ones
        upload = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
        upload_files(page, upload, good)
        page.get_by_role("button", name="加载上传的台账").click()
        page.get_by_text("已加载上传的台账").first.wait_for()
        shot(page, screenshots, "upload-good")
        go(page, TITLES_ZH["map"], HEADINGS_ZH["map"])
        G = collaboration_graph(tiny_ledger())
        assert wait_drawn(page, expect=lambda c: c[0] == 4) == (G.number_of_nodes(), G.number_of_edges())
        shot(page, screenshots, "map-uploaded")
        assert log["dialogs"] == [] and log["errors"] == []
    finally:
        context.close()


# -- hostile names ---------------------------------------------------------------------------------------


def test_hostile_names_run_nothing(browser, serve, screenshots, tmp_path):
    tiny = tiny_ledger()
    orgs = tiny.organizations.copy()
    orgs.loc[0, "name"] = HOSTILE
    orgs.loc[1, "name"] = "<script>alert(2)</script>"
    acts = tiny.activities.copy()
    acts.loc[0, "title"] = f'"><svg onload=alert(3)> href {HOSTILE}'
    write_ledger(Ledger(orgs, acts, tiny.participations), tmp_path / "hostile", "csv")
    server = serve(tmp_path / "hostile")
    context, page, log = open_session(browser, server)
    try:
        page.goto(f"{server.url}/map")
        assert wait_drawn(page)[0] == 4
        for title, heading in ((TITLES_ZH["organization"], HEADINGS_ZH["organization"]),
                               (TITLES_ZH["links"], HEADINGS_ZH["links"]),
                               (TITLES_ZH["rankings"], HEADINGS_ZH["rankings"])):
            go(page, title, heading)
        # the rankings chart labels its bars with the names, as text; Vega draws it after the page
        # has run, later on a busy machine, so wait for it rather than a fixed time
        page.get_by_text(HOSTILE).first.wait_for()
        page.wait_for_timeout(1000)  # give any injected handler the chance to fire
        shot(page, screenshots, "hostile-rankings")
        assert log["dialogs"] == []
        assert page.locator("img[src='x']").count() == 0
        for frame in page.frames:
            assert frame.locator("img[src='x'], svg[onload]").count() == 0
        assert_offline(log, server)
    finally:
        context.close()
        server.stop()  # one test's server: free its memory now


BASELINE_APP = """
import streamlit as st
st.title("baseline")
st.iframe('<body><script>window.cojianNetwork = {body: {data: {nodes: [1], edges: []}}};'
          'document.body.dataset.drawn = "1";</script></body>', height=100)
"""


def test_streamlit_alone_for_comparison(browser, serve, tmp_path):
    """The same measure on a two-line Streamlit app: what Streamlit itself costs on this machine."""
    script = tmp_path / "baseline.py"
    script.write_text(BASELINE_APP, encoding="utf-8")
    server = serve(DATA, script, launcher="streamlit")
    context, page, _ = open_session(browser, server)
    try:
        cold, _ = time_to_drawn(page, server.url)
        warm, _ = time_to_drawn(page, server.url)
        record_timing("streamlit_alone_first_visit", cold)
        record_timing("streamlit_alone_reopened", warm)
    finally:
        context.close()
        server.stop()  # one test's server: free its memory now


# -- a large synthetic ledger ----------------------------------------------------------------------------


def test_a_thousand_organisations_are_drawn(browser, serve, screenshots, tmp_path):
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(1000, 3000, seed=1)
    write_ledger(ledger, tmp_path / "synth", "csv")
    G = collaboration_graph(ledger)
    server = serve(tmp_path / "synth")
    context, page, _ = open_session(browser, server)
    try:
        cold, counts = time_to_drawn(page, f"{server.url}/map")
        # over 300 organisations: the isolated ones are left out of the drawing, and counted
        isolated = sum(1 for _, degree in G.degree() if degree == 0)
        assert isolated > 0 and counts == (G.number_of_nodes() - isolated, G.number_of_edges())
        page.get_by_text(f"已隐藏 {isolated} 个孤立组织").first.wait_for()
        warm, _ = time_to_drawn(page, f"{server.url}/map")
        record_timing("synthetic_1000_first_visit", cold, nodes=counts[0], edges=counts[1])
        record_timing("synthetic_1000_reopened", warm, nodes=counts[0], edges=counts[1])
        page.wait_for_timeout(500)
        shot(page, screenshots, "map-synthetic-1000")
    finally:
        context.close()
        server.stop()  # one test's server: free its memory now


_DRAWN_WEBGL = """() => {
  const body = document.body;
  if (!body || body.dataset.drawn !== "1" || !window.cojianGraph) return null;
  return [window.cojianGraph.order, window.cojianGraph.size];
}"""


def wait_drawn_webgl(page, timeout: float = 180.0) -> tuple[int, int]:
    """Wait until a WebGL (sigma.js) map in an iframe of ``page`` is drawn: its organisations and ties."""
    return wait_drawn(page, timeout=timeout, script=_DRAWN_WEBGL)


@pytest.mark.slow
def test_ten_thousand_organisations_open_on_groups_and_draw_with_webgl(browser, serve, screenshots, tmp_path):
    """A 10^4-organisation ledger: the map opens on its groups (vis-network), its organisations are drawn
    with WebGL, and the rankings and organisation pages answer; each first visit's time is recorded
    in artifacts/timings.json."""
    from cojian_graph.graph.aggregate import AGGREGATE_ABOVE
    from cojian_graph.render.network_html import MAX_DRAWN_TIES
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(10_000, 30_000, seed=1)
    write_ledger(ledger, tmp_path / "synth", "csv")
    G = collaboration_graph(ledger)
    assert G.number_of_nodes() > AGGREGATE_ABOVE
    server = serve(tmp_path / "synth")
    context, page, log = open_session(browser, server)
    try:
        seconds, counts = time_to_drawn(page, f"{server.url}/map")
        assert counts[0] < 50  # the groups (circles by default), not 10^4 organisations
        record_timing("synthetic_10000_map_groups_first_visit", seconds, nodes=counts[0], edges=counts[1])
        started = time.perf_counter()
        page.goto(f"{server.url}/map?show=organizations")
        counts = wait_drawn_webgl(page)
        isolated = sum(1 for _, degree in G.degree() if degree == 0)
        assert counts == (G.number_of_nodes() - isolated, min(G.number_of_edges(), MAX_DRAWN_TIES))
        record_timing("synthetic_10000_map_organizations_webgl", time.perf_counter() - started,
                      nodes=counts[0], edges=counts[1])
        page.wait_for_timeout(500)
        shot(page, screenshots, "map-synthetic-10000-webgl")
        assert_no_exception(page)
        started = time.perf_counter()
        page.goto(f"{server.url}/rankings")
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=180_000)
        wait_idle(page, timeout=180)
        record_timing("synthetic_10000_rankings_first_visit", time.perf_counter() - started)
        assert_no_exception(page)
        shot(page, screenshots, "rankings-synthetic-10000")
        started = time.perf_counter()
        page.goto(f"{server.url}/organization")
        page.locator("h1", has_text=HEADINGS_ZH["organization"]).first.wait_for()
        counts = wait_drawn(page, timeout=180)
        wait_idle(page, timeout=180)
        focal = next(iter(G))  # O…1, the focal one: thousands of partners
        assert counts[0] == 300 + 1  # with its 300 strongest partners (organization.EGO_PARTNERS_DRAWN)
        record_timing("synthetic_10000_organization_first_visit", time.perf_counter() - started,
                      nodes=counts[0], edges=counts[1])
        shot(page, screenshots, "organization-synthetic-10000")
        assert_no_exception(page)
        started = time.perf_counter()
        page.get_by_text(f"画出全部 {G.degree(focal)} 个合作伙伴").click()
        counts = wait_drawn_webgl(page)  # every partner, drawn with WebGL
        wait_idle(page, timeout=180)
        assert counts[0] == G.degree(focal) + 1
        record_timing("synthetic_10000_organization_every_partner_webgl", time.perf_counter() - started,
                      nodes=counts[0], edges=counts[1])
        shot(page, screenshots, "organization-synthetic-10000-every-partner")
        assert_no_exception(page)
        for name in ("overview", "links", "timeline", "recommend", "data"):  # the other pages' first visits
            record_timing(f"synthetic_10000_{name}_first_visit", visit_page(page, server, name))
            assert_no_exception(page)
        assert log["dialogs"] == [] and log["errors"] == []
        assert_offline(log, server)
    finally:
        context.close()
    context, page, log = open_session(browser, server)  # a new person: Streamlit's own scripts not yet cached
    try:
        record_timing("synthetic_10000_organization_new_browser", visit_page(page, server, "organization"))
    finally:
        context.close()
    # another person, whose browser has opened the app before: every page, with the server's caches warm
    context, page, log = open_session(browser, server)
    try:
        page.goto(server.url)
        wait_idle(page, timeout=180)
        for name in ("overview", "map", "rankings", "links", "timeline", "organization", "recommend", "data"):
            record_timing(f"synthetic_10000_{name}_warm", visit_page(page, server, name))
            assert_no_exception(page)
        assert log["dialogs"] == [] and log["errors"] == []
    finally:
        context.close()
        server.stop()


def visit_page(page, server, name: str) -> float:
    """Seconds from opening page ``name`` by its address until its heading shows, its map (if any) is drawn
    and the script has finished."""
    started = time.perf_counter()
    page.goto(f"{server.url}/{'' if name == 'overview' else name}")  # the overview is the default page
    page.locator("h1", has_text=HEADINGS_ZH[name]).first.wait_for(timeout=180_000)
    if name in ("map", "organization"):
        wait_drawn(page, timeout=180)
    wait_idle(page, timeout=180)
    painted(page)
    return time.perf_counter() - started


def painted(page) -> None:
    """Wait until the browser has drawn a frame after the work it has queued (the page's last
    elements rendered, not only received)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")


# -- the store ------------------------------------------------------------------------------------------


def test_two_app_processes_on_one_postgresql_store_see_each_others_changes(browser, serve, postgres):
    from cojian_graph.io import read_ledger
    from cojian_graph.store import Edit, Store

    url = postgres.database()
    with Store(url, create=True) as store:
        store.import_ledger(read_ledger(DATA), user="clerk")
    first, second = serve(None, env={"COJIAN_DB": url}), serve(None, env={"COJIAN_DB": url})
    context, page, log = open_session(browser, first)
    other = context.new_page()

    def organisations(on, server) -> str:
        on.goto(server.url)
        on.locator("h1", has_text=HEADINGS_ZH["overview"]).first.wait_for()
        wait_idle(on)
        metric = on.locator('[data-testid="stMetric"]', has_text="组织").first
        return metric.locator('[data-testid="stMetricValue"]').inner_text()

    try:
        assert organisations(page, first) == organisations(other, second) == "17"
        with Store(url) as store:  # a change committed through neither server (a clerk's script, say)
            store.apply([Edit("organizations", ("newcomer",), {"name": "新伙伴", "kind": "enterprise",
                                                                "circle": "external", "sector": "local_enterprise"}, 0),
                         Edit("activities", ("meet",), {"title": "座谈", "link_type": "activity"}, 0),
                         Edit("participations", ("meet", "newcomer"), {}, 0),
                         Edit("participations", ("meet", "zhugang"), {}, 0)], user="clerk")
        assert organisations(page, first) == "18"
        assert organisations(other, second) == "18"
        # an edit made on the first server's desk appears on the second
        page.goto(f"{first.url}/desk")
        page.locator("h1", has_text="台账维护").first.wait_for()
        wait_idle(page)
        page.locator('[data-testid="stButtonGroup"] button:visible', has_text="合并组织").first.click()
        page.wait_for_timeout(250)
        wait_idle(page)
        for label, name in (("保留", "铸钢分公司工会"), ("合并进来并删除", "新伙伴")):
            page.locator('[data-testid="stSelectbox"]:visible', has_text=label).first.click()
            page.get_by_role("option", name=name, exact=True).first.click()
            page.wait_for_timeout(250)
            wait_idle(page)
        page.locator("button:visible", has_text="合并").last.click()
        page.get_by_text("已保存为修订 3").first.wait_for()
        assert organisations(other, second) == "17"
        assert log["errors"] == []
    finally:
        context.close()
        first.stop()
        second.stop()
