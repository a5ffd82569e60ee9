"""Rendering: the network page and its layout, ours against pyvis and networkx as one would use them.

- layout: :func:`cojian_graph.render.force_layout` (igraph Fruchterman–Reingold, grid variant above
  300 nodes) against ``networkx.spring_layout`` with a fixed seed;
- page: :func:`cojian_graph.render.network_html` (positions given, physics off, vis-network inlined,
  tooltips) against ``pyvis.network.Network`` with the same nodes, edges and tooltips and
  ``generate_html`` (its ``add_edge`` checks every edge already added);
- browser: seconds from opening the page in Chromium until the network is drawn (ours: the page's
  first ``afterDrawing``; pyvis with its default physics: until vis-network reports the layout
  stabilised). Wall-clock whatever ``--clock`` says; requests leaving the machine are aborted.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from . import Context, Result, best_of, ledger_size, synthetic

TITLE = "Rendering: force layout, network page, time to drawn in Chromium"
NOTE = ("Browser rows are wall-clock seconds on the machine as it is (Chromium, software rendering); "
        "pyvis's physics baseline is cut off at 120 s (30 s in a quick run).")

SEED = 1
FULL = [(1_000, 10_000)]
QUICK = [(300, 2_000)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def run(ctx: Context) -> list[Result]:
    import networkx as nx

    from cojian_graph.graph import collaboration_graph
    from cojian_graph.io import read_ledger
    from cojian_graph.render import force_layout, network_html

    results: list[Result] = []
    pages: list[tuple[str, str, Path, Path | None]] = []
    folder = Path(tempfile.mkdtemp(prefix="cojian-bench-render-"))
    bundled = read_ledger(Path(__file__).resolve().parent.parent / "data")
    sizes = QUICK if ctx.quick else FULL
    ledgers = [("bundled", bundled), *((f"synthetic {o}", synthetic(o, a, SEED, ctx)[0]) for o, a in sizes)]
    for name, ledger in ledgers:
        G = collaboration_graph(ledger)
        size = f"{ledger_size(ledger)}; {G.number_of_edges():,} ties"
        ctx.log(f"  {name}: {size} …")
        ours_layout, pos = best_of(lambda G=G: force_layout(G, seed=SEED), 3)
        base_layout, _ = best_of(lambda G=G: nx.spring_layout(G, seed=SEED), 1)
        results.append(Result("force layout", size, ours_layout, base_layout, "networkx spring_layout"))
        ours_page, page = best_of(lambda G=G, ledger=ledger, pos=pos: network_html(G, ledger, positions=pos), 3)
        base_page, pyvis_page = best_of(lambda G=G, ledger=ledger: _pyvis_page(G, ledger), 1)
        results.append(Result("network page (Python)", size, ours_page, base_page,
                              f"pyvis generate_html; ours {len(page) / 1e6:.1f} MB"))
        ours_path = folder / f"{name.replace(' ', '_')}.html"
        ours_path.write_text(page, encoding="utf-8")
        base_path = folder / f"{name.replace(' ', '_')}-pyvis.html"
        base_path.write_text(pyvis_page, encoding="utf-8")
        pages.append((name, size, ours_path, base_path))
    if Path(CHROMIUM).exists():
        results.extend(_browser(ctx, pages))
    else:
        results.append(Result("drawn in Chromium", "", None, None, "chromium not installed: skipped"))
    shutil.rmtree(folder, ignore_errors=True)
    return results


def _pyvis_page(G, ledger) -> str:
    """What one would write with pyvis: the same labels and tooltips, pyvis's defaults otherwise."""
    from pyvis.network import Network

    from cojian_graph.render.network_html import _evidence_lookup, edge_tooltip, node_tooltip

    evidence = _evidence_lookup(ledger, "zh")
    net = Network(height="720px", width="100%", cdn_resources="in_line")
    for node, data in G.nodes(data=True):
        net.add_node(str(node), label=str(data.get("name", node)), title=node_tooltip(G, node))
    for u, v in G.edges():
        net.add_edge(str(u), str(v), title=edge_tooltip(G, u, v, evidence), value=G.edges[u, v]["weight"])
    return net.generate_html()


def _browser(ctx: Context, pages) -> list[Result]:
    from playwright.sync_api import sync_playwright

    results = []
    cutoff = 30 if ctx.quick else 120
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for name, size, ours, base in pages:
                ctx.log(f"  browser: {name} …")
                ours_seconds = min(_open(browser, ours, None) for _ in range(3))
                base_seconds = _open(browser, base, "typeof network !== 'undefined' && network.physics "
                                     "&& network.physics.stabilized === true", timeout=cutoff)
                results.append(Result("drawn in Chromium", size, ours_seconds, base_seconds,
                                      "pyvis default physics until stabilised"
                                      + (f" (not within {cutoff} s)" if base_seconds is None else "")))
        finally:
            browser.close()
    return results


def _open(browser, path: Path, ready: str | None, timeout: float = 60) -> float | None:
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    try:
        started = time.perf_counter()
        page.goto(path.as_uri())
        if ready is None:  # ours: its CSP forbids the eval that wait_for_function needs
            page.wait_for_selector("body[data-drawn='1']", timeout=timeout * 1000)
        else:
            page.wait_for_function(ready, timeout=timeout * 1000, polling=50)
        return time.perf_counter() - started
    except Exception:  # a timeout: reported as not measured
        return None
    finally:
        page.close()
