"""Time from pressing save on the desk to the change shown on the map (docs/performance.md).

    .venv/bin/python scripts/measure-desk-save.py 10000     # organisations (default 10,000)

Makes a SQLite store from ``synthetic_ledger(N, 3N)``, serves the explorer on it as the browser tests
do, opens the map in Debian's Chromium, records an activity with two participants on the desk and
times the save's confirmation and the map drawn at the new revision. Needs ``make test``'s setup.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from cojian_graph.store import Store
from cojian_graph.synth import synthetic_ledger

ROOT = Path(__file__).resolve().parents[1]
DRAWN = ("() => document.body && document.body.dataset.drawn === '1' && window.cojianNetwork"
         " ? window.cojianNetwork.body.data.edges.length : null")


def _app_server():
    spec = importlib.util.spec_from_file_location("browser_conftest", ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AppServer


def drawn(page, timeout: float = 600) -> int:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for frame in page.frames[1:]:
            try:
                edges = frame.evaluate(DRAWN)
            except Exception:  # a frame replaced while asked
                continue
            if edges:
                return edges
        page.wait_for_timeout(50)
    raise TimeoutError("no drawn map")


def idle(page) -> None:
    page.wait_for_timeout(250)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached",
                                                                                         timeout=600_000)


def main(orgs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cojian-desk-"))
    url = f"sqlite:///{folder / 'store.sqlite'}"
    ledger = synthetic_ledger(orgs, 3 * orgs, seed=1)
    start = time.perf_counter()
    with Store(url, create=True) as store:
        store.import_ledger(ledger, user="bench")
    print(f"import {ledger.size('participations'):,} participations: {time.perf_counter() - start:.1f} s", flush=True)
    names = ledger.organizations["name"].tolist()
    server = _app_server()(None, folder / "streamlit.log", env={"COJIAN_DB": url})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu",
                                                       "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(600_000)
            start = time.perf_counter()
            page.goto(f"{server.url}/map")
            drawn(page)
            print(f"map, first visit: {time.perf_counter() - start:.1f} s", flush=True)
            page.goto(f"{server.url}/desk")
            page.locator("h1", has_text="台账维护").first.wait_for()
            idle(page)
            box = page.locator('[aria-label="活动名称 *"]:visible').first
            box.fill("联合党课")
            box.press("Enter")
            idle(page)
            for name in names[:2]:
                box = page.locator('[aria-label="查找组织（简体、繁体或英文均可）"]:visible').first
                box.fill(name)
                box.press("Enter")
                idle(page)
                page.locator('[data-testid="stSelectbox"]:visible', has_text="选择").first.click()
                page.get_by_role("option", name=name, exact=True).first.click()
                idle(page)
                page.locator("button:visible", has_text="加入").first.click()
                idle(page)
            start = time.perf_counter()
            page.locator("button:visible", has_text="保存活动").first.click()
            page.get_by_text("已保存为修订 2").first.wait_for()
            saved = time.perf_counter() - start
            page.get_by_role("link", name="在生态圈中查看").click()
            page.locator('[data-testid="stSidebar"]', has_text="rev 2").first.wait_for()
            drawn(page)
            print(f"save confirmed: {saved:.2f} s; save to the map drawn at revision 2: "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
