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


# -- the WebGL map (sigma.js) ----------------------------------------------------------------------

#: Where an organisation is on the screen of a WebGL page (graph coordinates through sigma's camera).
_SIGMA_SPOT = """(node) => { const g = window.cojianGraph, r = window.cojianSigma, a = g.getNodeAttributes(node);
    const v = r.graphToViewport({x: a.x, y: a.y}), b = document.getElementById('network').getBoundingClientRect();
    return [v.x + b.left, v.y + b.top]; }"""


def _tooltip(page, contains: str = "", tries: int = 300) -> str:
    """The WebGL page's tooltip text once it shows (and holds ``contains``); polled from here, since
    the page's CSP forbids the eval that wait_for_function needs."""
    for _ in range(tries):
        if page.locator("#tooltip").is_visible():
            text = page.locator("#tooltip").inner_text()
            if contains in text:
                return text
        page.wait_for_timeout(100)
    return ""


def test_the_webgl_page_draws_runs_nothing_and_shows_plain_text_tooltips(browser, tmp_path):
    ledger = hostile_ledger()
    html = network_html(collaboration_graph(ledger), ledger, layout="concentric", labels="all",
                        title=HOSTILE[0], renderer="webgl")
    page, requests, dialogs, errors = open_page(browser, tmp_path, html)
    try:
        assert page.locator("body").get_attribute("data-error") is None
        assert page.locator("script").count() == 3
        assert page.locator("#network canvas").count() >= 1
        assert page.evaluate("window.cojianGraph.order") == len(HOSTILE)
        assert page.locator("h1").inner_text() == HOSTILE[0]
        x, y = page.evaluate(_SIGMA_SPOT, "o0")  # the focal organisation, named "<img src=x onerror=alert(1)>"
        page.mouse.move(x, y)
        assert _tooltip(page).splitlines()[0] == HOSTILE[0]
        page.mouse.move(1, 1)
        page.wait_for_timeout(300)
        # the middle of a tie: its tooltip lists the activities
        ends = page.evaluate("() => { const g = window.cojianGraph; const e = g.edges()[0];"
                             " return [g.source(e), g.target(e)]; }")
        (x1, y1), (x2, y2) = (page.evaluate(_SIGMA_SPOT, end) for end in ends)
        edge_tip = ""
        for step in range(9):  # across the tie, a pixel at a time: the line is a few pixels wide
            offset = step / 2 - 2
            page.mouse.move((x1 + x2) / 2 + offset, (y1 + y2) / 2 + offset)
            if edge_tip := _tooltip(page, " — ", tries=5):
                break
        assert "•" in edge_tip and "党员联学" in edge_tip and "2021" in edge_tip
        page.wait_for_timeout(300)
        assert dialogs == [] and errors == []
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
        assert page.locator("#tooltip *").count() == 0  # text only: no element inside
    finally:
        page.close()


@pytest.mark.slow
def test_a_map_of_ten_thousand_organisations_is_drawn_and_answers_hover_and_zoom(browser, tmp_path):
    """The whole view of a 10^4-organisation ledger, as `cojian export -o x.html --groups none` and the
    explorer's "organisations" view draw it: drawn with WebGL, a hovered organisation's tooltip names it,
    the wheel zooms and frames keep coming (their times are printed; `make bench` (map) compares them
    with vis-network's), and the Chinese labels are drawn with a CJK font."""
    import statistics

    import numpy as np
    from PIL import Image
    from scipy.spatial import cKDTree

    from cojian_graph.render.layout import compute_layout
    from cojian_graph.render.style import display_name
    from cojian_graph.synth import synthetic_ledger

    ledger = synthetic_ledger(10_000, 30_000, 1)
    G = collaboration_graph(ledger)
    positions = compute_layout(G, "force")
    page, requests, dialogs, errors = open_page(browser, tmp_path, network_html(G, ledger, positions=positions))
    try:
        assert page.evaluate("window.cojianGraph.order") == 10_000
        assert page.evaluate("window.cojianGraph.size") == min(G.number_of_edges(), 20_000)
        # hover the organisation farthest from any other: the tooltip names it
        nodes = list(positions)
        xy = np.asarray([positions[node] for node in nodes])
        lone = nodes[int(np.argmax(cKDTree(xy).query(xy, k=2)[0][:, 1]))]
        x, y = page.evaluate(_SIGMA_SPOT, str(lone))
        page.mouse.move(x + 30, y + 30)
        page.mouse.move(x, y)
        assert _tooltip(page).splitlines()[0] == display_name(G.nodes[lone], lone, "zh")
        page.mouse.move(1, 1)
        # zoom in with the wheel, counting the frames the browser draws meanwhile
        page.evaluate("""() => { window.frameTimes = []; let last = performance.now();
            function step(now) { window.frameTimes.push(now - last); last = now;
                                 if (window.frameTimes.length < 1000) requestAnimationFrame(step); }
            requestAnimationFrame(step); }""")
        before = page.evaluate("window.cojianSigma.getCamera().ratio")
        box = page.locator("#network").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(5):
            page.mouse.wheel(0, -150)
            page.wait_for_timeout(100)
        page.wait_for_timeout(1500)
        after = page.evaluate("window.cojianSigma.getCamera().ratio")
        frames = page.evaluate("window.frameTimes")[1:]
        print(f"10^4 organisations, zoom frames: {len(frames)}, median {statistics.median(frames):.0f} ms, "
              f"longest {max(frames):.0f} ms")
        assert after < before / 2  # zoomed in
        assert len(frames) >= 5 and max(frames) < 5_000  # frames kept coming: no stall of seconds
        # the Chinese labels: full-width glyphs of a CJK font (a missing font would draw narrow boxes) ...
        width = page.evaluate("""() => { const c = document.createElement('canvas').getContext('2d');
            c.font = '13px ' + window.cojianSigma.getSetting('labelFont');
            return c.measureText('示范公司党委').width; }""")
        assert abs(width - 6 * 13) < 1, width
        # ... and drawn: the focal organisation's label leaves ink beside it
        page.mouse.move(box["x"] + 2, box["y"] + 2)  # onto an empty corner: no organisation hovered, none dimmed
        page.mouse.move(box["x"] + 3, box["y"] + 3)
        page.evaluate("window.cojianSigma.getCamera().setState({x: 0.5, y: 0.5, ratio: 1, angle: 0})")
        page.wait_for_timeout(1000)
        focal = next(node for node, data in G.nodes(data=True) if data.get("circle") == "focal")
        x, y = page.evaluate(_SIGMA_SPOT, focal)
        shot = tmp_path / "label.png"
        page.screenshot(path=str(shot), clip={"x": x, "y": y - 12, "width": 160, "height": 24})
        pixels = np.asarray(Image.open(shot).convert("L"))
        Image.open(shot).save("/tmp/label.png")
        assert (pixels < 60).sum() > 100  # dark text pixels, not only the nodes' colours
        assert dialogs == [] and errors == []
        assert all(url.startswith(("file:", "data:")) for url in requests)
    finally:
        page.close()


def test_a_browser_without_webgl_is_told_so_in_both_languages(browser, tmp_path):
    """WebGL switched off (as some locked-down office machines have it): the page says so in Chinese and
    English where the map would be, instead of a blank frame or an error."""
    from conftest import CHROMIUM

    ledger = hostile_ledger()
    path = tmp_path / "network.html"
    path.write_text(network_html(collaboration_graph(ledger), ledger, renderer="webgl"), encoding="utf-8")
    without = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-3d-apis"])
    try:
        page = without.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-drawn='0']", timeout=60_000)
        note = page.locator("#network .no-webgl")
        assert note.is_visible()
        assert "WebGL" in note.inner_text() and "浏览器" in note.inner_text() and "browser" in note.inner_text()
        assert page.locator("body").get_attribute("data-error") == "no WebGL context"
        # sigma.js asks for a WebGL context as it loads and logs its failure; the page itself goes on
        assert all("getParameter" in error for error in errors), errors
    finally:
        without.close()
