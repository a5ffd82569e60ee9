"""A bounded load test of the explorer (docs/performance.md, "Serving many people at once").

    .venv/bin/python scripts/load-test.py                 # 10,000 organisations; N = 1, 5, 10
    .venv/bin/python scripts/load-test.py --orgs 2000 --sessions 1 3

Serves the explorer on ``synthetic_ledger(ORGS, 3·ORGS)`` on loopback, as the browser tests do. For each
N, N browser sessions (one Chromium, one context each) load a page whose results are cached (八联
Links) again and again, first on an idle server, then while one more session computes a cold rank
table. The browsers run at the lowest CPU priority: they stand for people's own computers.
Meanwhile the health check is asked every 0.2 s. Prints p50 / p95 of the page times and of the
health check, and the server's memory (VmRSS) with one session and with the most sessions on the
same page, before any cold computation adds graphs of other views (the table's last column
includes those). Everything stops by itself: the cold computation is cancelled when its session
leaves, and each phase is bounded by --seconds.
Needs ``make test``'s setup (Debian's Chromium and the Python packages).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

from cojian_graph.io import write_ledger
from cojian_graph.synth import synthetic_ledger

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _app_server():
    spec = importlib.util.spec_from_file_location("browser_conftest", ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AppServer


def _niced_chromium(folder: Path) -> Path:
    """Chromium at the lowest CPU priority: the browsers stand for people's own computers, so on this
    machine they must not take the CPU the server would have."""
    wrapper = folder / "chromium"
    wrapper.write_text('#!/bin/sh\nexec nice -n 19 /usr/bin/chromium "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] if values else float("nan")


async def load(page, url: str) -> float:
    started = time.monotonic()
    await page.goto(url)
    await page.locator("h1").first.wait_for()
    await page.locator(IDLE).wait_for(state="attached")
    return time.monotonic() - started


async def keep_loading(page, url: str, until: float, times: list[float]) -> None:
    while time.monotonic() < until:
        times.append(await load(page, url))


async def keep_asking(port: int, until: float, times: list[float]) -> None:
    def ask() -> float:
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as response:
            response.read()
        return time.monotonic() - started

    while time.monotonic() < until:
        times.append(await asyncio.to_thread(ask))
        await asyncio.sleep(0.2)


async def phase(browser, server, n: int, seconds: float, cold: bool) -> dict:
    contexts = [await browser.new_context(locale="zh-CN") for _ in range(n)]
    pages = [await context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(300_000)
    url = f"{server.url}/links"
    await asyncio.gather(*(load(page, url) for page in pages))  # every session opened once
    heavy = None
    if cold:
        heavy = await browser.new_context(locale="zh-CN")
        heavy_page = await heavy.new_page()
        await heavy_page.goto(f"{server.url}/rankings?tw=newman&minw={n}")  # a rank table nobody has asked for
        await asyncio.sleep(3)  # its computation is under way
    page_times, health_times = [], []
    until = time.monotonic() + seconds
    await asyncio.gather(keep_asking(server.port, until, health_times),
                         *(keep_loading(page, url, until, page_times) for page in pages))
    memory = rss_mb(server.process.pid)
    if heavy is not None:
        await heavy.close()
    for context in contexts:
        await context.close()
    return {"pages": page_times, "health": health_times, "rss_mb": memory}


async def main(orgs: int, sessions: list[int], seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cojian-load-")) / "ledger"
    write_ledger(synthetic_ledger(orgs, 3 * orgs, seed=4), folder, "csv")
    server = _app_server()(folder, folder.parent / "streamlit.log")
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(_niced_chromium(folder.parent)), args=ARGS)
            warm = await phase(browser, server, 1, 5, cold=False)
            crowd = await phase(browser, server, max(sessions), 5, cold=False)  # before any other view is made
            print(f"ledger: synthetic_ledger({orgs:,}, {3 * orgs:,}); server memory (VmRSS) with one session on the "
                  f"links page: {warm['rss_mb']:.0f} MB; with {max(sessions)}: {crowd['rss_mb']:.0f} MB")
            print("| sessions | while | page p50 (s) | page p95 (s) | pages | health p50 (s) | health p95 |"
                  " health max | server RSS (MB) |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
            for n in sessions:
                for cold in (False, True):
                    result = await phase(browser, server, n, seconds, cold)
                    pages, health = result["pages"], result["health"]
                    print(f"| {n} | {'a cold rank table' if cold else 'idle'} | {statistics.median(pages):.2f} | "
                          f"{percentile(pages, 0.95):.2f} | {len(pages)} | {statistics.median(health):.3f} | "
                          f"{percentile(health, 0.95):.3f} | {max(health):.3f} | {result['rss_mb']:.0f} |",
                          flush=True)
            await browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each phase loads pages")
    options = parser.parse_args()
    asyncio.run(main(options.orgs, options.sessions, options.seconds))
