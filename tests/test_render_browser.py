"""The network page in a real browser: drawn, offline, and no injected script runs.

Uses the shared ``browser`` fixture of tests/conftest.py (Debian's Chromium; in CI a missing browser fails).
"""

from __future__ import annotations

import pytest
from test_render_network_html import HOSTILE, hostile_ledger

from cojian_graph.graph import collaboration_graph
from cojian_graph.graph.aggregate import aggregated_graph
from cojian_graph.render import network_html
from cojian_graph.render.network_html import network_data

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

def open_page(browser, tmp_path, page_html):
    path = tmp_path / "network.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page()
    requests, dialogs, errors = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn='1']", timeout=60_000)  # generous: a loaded CI machine is slow
    page.wait_for_timeout(300)  # give any injected handler (onerror etc.) a chance to fire
    return page, requests, dialogs, errors


def test_hostile_page_draws_and_runs_nothing(browser, tmp_path):
    ledger = hostile_ledger()
    html = network_html(collaboration_graph(ledger), ledger, title=HOSTILE[0], labels="all")
    page, requests, dialogs, errors = open_page(browser, tmp_path, html)
    try:
        assert dialogs == []
        assert errors == []
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 2
        assert page.locator("h1").inner_text() == HOSTILE[0]
        assert page.locator("#network canvas").count() == 1
        assert page.evaluate("window.cojianNetwork.body.data.nodes.length") == len(HOSTILE)
    finally:
        page.close()


def test_tiny_page_positions_do_not_move(browser, tmp_path, tiny):
    html = network_html(collaboration_graph(tiny), tiny, layout="concentric")
    page, requests, dialogs, errors = open_page(browser, tmp_path, html)
    try:
        assert errors == [] and dialogs == []
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
        first = page.evaluate("window.cojianNetwork.getPositions()")
        page.wait_for_timeout(500)
        assert page.evaluate("window.cojianNetwork.getPositions()") == first
        assert first["a"] == {"x": 0, "y": 0}
    finally:
        page.close()


def test_hover_shows_plain_text_tooltips(browser, tmp_path):
    ledger = hostile_ledger()
    html = network_html(collaboration_graph(ledger), ledger, layout="concentric", labels="all")
    page, requests, dialogs, errors = open_page(browser, tmp_path, html)
    try:
        box = page.locator("#network").bounding_box()
        # hover the focal organisation (named "<img src=x onerror=alert(1)>"), then the middle of a tie
        spot = page.evaluate("(function () { var n = window.cojianNetwork;"
                             " return n.canvasToDOM(n.getPositions(['o0'])['o0']); })()")
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=20_000)
        node_tip = page.locator("div.vis-tooltip").inner_text()
        assert node_tip.splitlines()[0] == HOSTILE[0]
        assert page.locator("div.vis-tooltip img").count() == 0
        page.mouse.move(1, 1)
        page.wait_for_timeout(300)
        spot = page.evaluate("(function () { var n = window.cojianNetwork; var e = n.body.data.edges.get()"
                             ".filter(function (e) { return !e.smooth; })[0];"
                             " var p = n.getPositions([e.from, e.to]); var a = n.canvasToDOM(p[e.from]),"
                             " b = n.canvasToDOM(p[e.to]); return {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}; })()")
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        edge_tip = ""
        for _ in range(200):  # the page's CSP forbids eval, so poll from here instead of wait_for_function
            edge_tip = page.locator("div.vis-tooltip").inner_text()
            if " — " in edge_tip:
                break
            page.wait_for_timeout(100)
        assert "•" in edge_tip and "党员联学" in edge_tip and "2021" in edge_tip
        assert any(name in edge_tip for name in HOSTILE)
        page.wait_for_timeout(300)
        assert dialogs == [] and errors == []
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
        assert page.locator("div.vis-tooltip script, div.vis-tooltip img, div.vis-tooltip a").count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("grouped", [False, True], ids=["organisations", "circles"])
def test_page_builds_the_same_tooltips_and_colours_as_python(browser, tmp_path, bundled, grouped):
    """The page is sent compact (names, figures and colours spelled out by its script): what vis-network
    holds is what Python's uncompacted data says, for organisations and for groups (their ties count
    the pairs of organisations behind them)."""
    G = aggregated_graph(bundled, by="circle") if grouped else collaboration_graph(bundled)
    size_by = "organizations" if grouped else "strength"
    html = network_html(G, bundled, lang="en", size_by=size_by)
    page, _requests, _dialogs, errors = open_page(browser, tmp_path, html)
    try:
        shown = page.evaluate("window.cojianNetwork.body.data.edges.get().map(function (e) {"
                              " return [e.from, e.to, e.title]; })")
        data = network_data(G, bundled, lang="en", size_by=size_by)
        expected = [[e["from"], e["to"], e["title"]] for e in data["edges"]]
        assert shown == expected
        if grouped:
            assert any("ties between their organisations" in title for _, _, title in shown)
        nodes = page.evaluate("window.cojianNetwork.body.data.nodes.get().map(function (n) {"
                              " return [n.id, n.title, n.color]; })")
        assert nodes == [[n["id"], n["title"], n["color"]] for n in data["nodes"]]
        assert errors == []
    finally:
        page.close()
