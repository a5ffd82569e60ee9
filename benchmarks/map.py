"""The map in a browser: WebGL (sigma.js) against vis-network's canvas on the same page data.

For each ledger, the whole view's page is written twice from the same positions: drawn by sigma.js
(what :func:`cojian_graph.render.network_html` chooses above ``WEBGL_ABOVE`` organisations) and by
vis-network (what it draws below, and what every map was drawn with before). In Chromium (Debian's,
software WebGL through SwiftShader: no GPU on this machine, so the figures are an upper bound for a
desktop with one), it measures:

- drawn: seconds from opening the page until its first frame (``body[data-drawn='1']``);
- hover: seconds from moving the mouse onto an organisation until its tooltip shows;
- zoom frames: the intervals between the browser's animation frames while the mouse wheel zooms in
  ten steps, median and 95th percentile.

Wall-clock whatever ``--clock`` says. Requests leaving the machine are aborted.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from . import Context, Result, synthetic

TITLE = "The map in Chromium: WebGL (sigma.js) against vis-network, on the same page data"
BASELINE_NAME = "vis-network"
NOTE = ("Software WebGL (SwiftShader) on 2 cores: a machine with a GPU draws faster. The zoom rows are "
        "the seconds between animation frames while the wheel zooms in (lower is smoother; 0.017 is 60 frames "
        "a second).")

SEED = 1
FULL = [(1_000, 3_000), (10_000, 30_000)]
QUICK = [(1_000, 3_000)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1200, "height": 800}

# where an organisation is on the screen, for each renderer (a node far from the others, so that the
# mouse lands on it and no other)
_WHERE = {
    "webgl": """(node) => { const g = window.cojianGraph, r = window.cojianSigma, a = g.getNodeAttributes(node);
        const v = r.graphToViewport({x: a.x, y: a.y}), b = document.getElementById('network').getBoundingClientRect();
        return [v.x + b.left, v.y + b.top]; }""",
    "vis": """(node) => { const n = window.cojianNetwork, p = n.getPositions([node])[node], v = n.canvasToDOM(p);
        const b = document.getElementById('network').getBoundingClientRect(); return [v.x + b.left, v.y + b.top]; }""",
}
_TOOLTIP = {"webgl": "#tooltip:not([hidden])", "vis": "div.vis-tooltip[style*='visible']"}


def run(ctx: Context) -> list[Result]:
    from cojian_graph.graph import collaboration_graph
    from cojian_graph.render import network_html
    from cojian_graph.render.layout import compute_layout

    if not Path(CHROMIUM).exists():
        return [Result("map drawn", "", None, None, "chromium not installed: skipped")]
    folder = Path(tempfile.mkdtemp(prefix="cojian-bench-map-"))
    pages = []
    for orgs, acts in QUICK if ctx.quick else FULL:
        ledger = synthetic(orgs, acts, SEED, ctx)[0]
        G = collaboration_graph(ledger)
        ctx.log(f"  {orgs:,} organisations: layout and pages …")
        positions = compute_layout(G, "force")
        lone = _loneliest(positions)
        size = f"{orgs:,} orgs; {G.number_of_edges():,} ties"
        paths = {}
        for renderer in ("webgl", "vis"):
            paths[renderer] = folder / f"{orgs}-{renderer}.html"
            paths[renderer].write_text(network_html(G, ledger, positions=positions, renderer=renderer),
                                       encoding="utf-8")
        pages.append((size, paths, str(lone)))
    results = []
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for size, paths, lone in pages:
                measured = {}
                for renderer, path in paths.items():
                    ctx.log(f"  {size}: {renderer} …")
                    measured[renderer] = _measure(browser, path, renderer, lone)
                ours, base = measured["webgl"], measured["vis"]
                megabytes = paths["webgl"].stat().st_size / 1e6
                results.append(Result("map drawn", size, ours["drawn"], base["drawn"], f"page {megabytes:.1f} MB"))
                results.append(Result("hover to tooltip", size, ours["hover"], base["hover"]))
                results.append(Result("zoom frame, median", size, ours["median"], base["median"]))
                results.append(Result("zoom frame, 95th percentile", size, ours["p95"], base["p95"]))
        finally:
            browser.close()
    shutil.rmtree(folder, ignore_errors=True)
    return results


def _loneliest(positions) -> object:
    """The organisation farthest from its nearest other (the mouse finds it, not a neighbour)."""
    import numpy as np
    from scipy.spatial import cKDTree

    nodes = list(positions)
    xy = np.asarray([positions[node] for node in nodes], dtype=float)
    distance, _ = cKDTree(xy).query(xy, k=2)
    return nodes[int(np.argmax(distance[:, 1]))]


def _measure(browser, path: Path, renderer: str, node: str) -> dict:
    page = browser.new_page(viewport=VIEWPORT)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    try:
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-drawn='1']", timeout=300_000)
        drawn = time.perf_counter() - started
        page.wait_for_timeout(500)
        x, y = page.evaluate(_WHERE[renderer], node)
        page.mouse.move(x + 40, y + 40)
        page.wait_for_timeout(300)
        started = time.perf_counter()
        page.mouse.move(x, y)
        page.wait_for_selector(_TOOLTIP[renderer], timeout=60_000)
        hover = time.perf_counter() - started
        page.mouse.move(VIEWPORT["width"] / 2 - 100, VIEWPORT["height"] / 2)
        page.evaluate("""() => { window.benchFrames = []; let last = performance.now();
            function step(now) { window.benchFrames.push(now - last); last = now;
                                 if (window.benchFrames.length < 2000) requestAnimationFrame(step); }
            requestAnimationFrame(step); }""")
        for _ in range(10):
            page.mouse.wheel(0, -150)
            page.wait_for_timeout(80)
        page.wait_for_timeout(1500)
        frames = [interval / 1000 for interval in page.evaluate("window.benchFrames")[1:]]
        return {"drawn": drawn, "hover": hover, "median": statistics.median(frames),
                "p95": sorted(frames)[int(0.95 * (len(frames) - 1))]}
    finally:
        page.close()
