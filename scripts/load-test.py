"""A bounded load test of the explorer (docs/performance.md, "Serving many people at once").

    .venv/bin/python scripts/load-test.py                 # 10,000 organisations; N = 1, 5, 10
    .venv/bin/python scripts/load-test.py --orgs 2000 --sessions 1 3

Serves the explorer on ``synthetic_ledger(ORGS, 3·ORGS)`` on loopback, as the browser tests do. For each
N, N sessions load a page whose results are cached (八联 Links) again and again, first on an idle
server, then while one more session computes a cold rank table. A session is Streamlit's websocket
protocol, as the browser speaks it (``--client websocket``, the default: it measures the server
alone), or Chromium, one context each (``--client browser``; the browsers run at the lowest CPU
priority, standing for people's own computers, but still share this machine's cores).
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
import contextlib
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from cojian_graph.io import write_ledger
from cojian_graph.synth import synthetic_ledger

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _test_module(name: str):
    """A helper module of the browser tests (tests/browser/NAME.py), which are not a package."""
    spec = importlib.util.spec_from_file_location(f"browser_{name}", ROOT / "tests" / "browser" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The browser tests' server launcher (AppServer) and memory reading (rss_mb).
CONFTEST = _test_module("conftest")


def _niced_chromium(folder: Path) -> Path:
    """Chromium at the lowest CPU priority: the browsers stand for people's own computers, so on this
    machine they must not take the CPU the server would have. Run as root, Chromium raises some of its
    own processes' priority (nice -8 for its compositor); without CAP_SYS_NICE (``setpriv``) it cannot."""
    wrapper = folder / "chromium"
    keep_low = "setpriv --bounding-set -sys_nice " if shutil.which("setpriv") else ""
    wrapper.write_text(f'#!/bin/sh\nexec {keep_low}nice -n 19 /usr/bin/chromium "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] if values else float("nan")


class BrowserSession:
    """One person in Chromium (a context of their own): each load is a page reload, a new Streamlit session."""

    def __init__(self, context, base: str):
        self.context, self.base, self.page = context, base, None

    @classmethod
    async def open(cls, browser, base: str) -> BrowserSession:
        session = cls(await browser.new_context(locale="zh-CN"), base)
        session.page = await session.context.new_page()
        session.page.set_default_timeout(300_000)
        return session

    async def load(self, path: str) -> float:
        started = time.monotonic()
        await self.page.goto(f"{self.base}/{path}")
        await self.page.locator("h1").first.wait_for()
        await self.page.locator(IDLE).wait_for(state="attached")
        return time.monotonic() - started

    async def start(self, path: str) -> None:
        await self.page.goto(f"{self.base}/{path}")

    async def close(self) -> None:
        await self.context.close()


async def keep_loading(session, path: str, until: float, times: list[float]) -> None:
    while time.monotonic() < until:
        times.append(await session.load(path))


#: The health prober runs in a process of its own: in this one, Playwright's message parsing holds the
#: interpreter for up to a second at a time, which a thread here would have counted as the server's delay.
PROBE = """
import sys, time, urllib.request
port, until = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < until:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as response:
        response.read()
    print(time.monotonic() - started, flush=True)
    time.sleep(0.2)
"""


async def keep_asking(port: int, seconds: float, times: list[float]) -> None:
    probe = await asyncio.create_subprocess_exec(sys.executable, "-c", PROBE, str(port), str(seconds),
                                                 stdout=asyncio.subprocess.PIPE)
    output, _ = await probe.communicate()
    times.extend(float(line) for line in output.split())


async def phase(open_session, server, n: int, seconds: float, cold: bool) -> dict:
    sessions = [await open_session() for _ in range(n)]
    path = "links"
    await asyncio.gather(*(session.load(path) for session in sessions))  # every session opened once
    heavy = None
    if cold:
        heavy = await open_session()
        # a rank table nobody has asked for, ~35 s of work at 10^4: longer than the phase, and cancelled
        # when its session leaves at the end, so that it is cold again in the next phase
        await heavy.start("rankings?tw=newman")
        await asyncio.sleep(3)  # its computation is under way
    page_times, health_times = [], []
    until = time.monotonic() + seconds
    await asyncio.gather(keep_asking(server.port, seconds, health_times),
                         *(keep_loading(session, path, until, page_times) for session in sessions))
    memory = CONFTEST.rss_mb(server.process.pid)
    if heavy is not None:
        await heavy.close()
    for session in sessions:
        await session.close()
    return {"pages": page_times, "health": health_times, "rss_mb": memory}


async def main(orgs: int, sessions: list[int], seconds: float, client: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cojian-load-")) / "ledger"
    write_ledger(synthetic_ledger(orgs, 3 * orgs, seed=4), folder, "csv")
    server = CONFTEST.AppServer(folder, folder.parent / "streamlit.log")
    try:
        async with contextlib.AsyncExitStack() as stack:
            if client == "browser":
                playwright = await stack.enter_async_context(async_playwright())
                browser = await playwright.chromium.launch(executable_path=str(_niced_chromium(folder.parent)),
                                                           args=ARGS)
                stack.push_async_callback(browser.close)

                def open_session():
                    return BrowserSession.open(browser, server.url)
            else:
                protocol = _test_module("protocol")

                def open_session():
                    return protocol.WebsocketSession.open(server.port)
            print(f"clients: {client} sessions")
            warm = await phase(open_session, server, 1, 5, cold=False)
            crowd = await phase(open_session, server, max(sessions), 5, cold=False)  # before any other view
            print(f"ledger: synthetic_ledger({orgs:,}, {3 * orgs:,}); server memory (VmRSS) with one session on the "
                  f"links page: {warm['rss_mb']:.0f} MB; with {max(sessions)}: {crowd['rss_mb']:.0f} MB")
            print("| sessions | while | page p50 (s) | page p95 (s) | pages | health p50 (s) | health p95 |"
                  " health max | server RSS (MB) |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
            for n in sessions:
                for cold in (False, True):
                    result = await phase(open_session, server, n, seconds, cold)
                    pages, health = result["pages"], result["health"]
                    print(f"| {n} | {'a cold rank table' if cold else 'idle'} | {statistics.median(pages):.2f} | "
                          f"{percentile(pages, 0.95):.2f} | {len(pages)} | {statistics.median(health):.3f} | "
                          f"{percentile(health, 0.95):.3f} | {max(health):.3f} | {result['rss_mb']:.0f} |",
                          flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each phase loads pages")
    parser.add_argument("--client", choices=("websocket", "browser"), default="websocket",
                        help="sessions as Streamlit's websocket protocol (the server alone) or as Chromium "
                             "(the server and ten browsers on this machine's cores)")
    options = parser.parse_args()
    asyncio.run(main(options.orgs, options.sessions, options.seconds, options.client))
