"""Serving many people at once: one session's cold rank table on a 10^4-organisation ledger runs in a
child process, so the server's health check and another session's cached page keep their speed; the
computation stops when its session leaves, and SIGTERM stops the server and its computations within
seconds. Real server, real browser sessions, the process table read from /proc."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import signal
import statistics
import time
import urllib.request
from pathlib import Path

import pytest

from cojian_graph.io import write_ledger
from cojian_graph.synth import synthetic_ledger

from .conftest import ROOT, rss_mb
from .protocol import WebsocketSession
from .test_e2e import open_session, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

TIMINGS = ROOT / "artifacts" / "serving.json"
#: Pages timed in each phase of the cold-ranking test.
PAGE_SAMPLES = 11


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "ledger"
    write_ledger(synthetic_ledger(10_000, 30_000, seed=4), folder, "csv")
    return folder


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def health(server) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/_stcore/health", timeout=30) as response:
        assert response.status == 200
    return time.monotonic() - started


def load(page, url: str, heading: str) -> float:
    started = time.monotonic()
    page.goto(url)
    page.locator("h1", has_text=heading).first.wait_for()
    wait_idle(page)
    return time.monotonic() - started


def wait_for(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def page_times(server, path: str, count: int) -> list[float]:
    """Seconds for ``count`` fresh loads of ``path`` by the browser's websocket protocol: the server's own
    time for a page, without a browser drawing it on the cores the computation uses (in a thread of
    its own: the browser tests' sync Playwright keeps an event loop in this one)."""

    async def loads() -> list[float]:
        return [await WebsocketSession(server.port).load(path) for _ in range(count)]

    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, loads()).result()


def test_a_cold_ranking_freezes_no_one_and_stops_when_its_session_leaves(browser, serve, big_ledger):
    # exact path measures: a cold rank table of tens of seconds (estimated, it takes about four)
    server = serve(big_ledger, env={"COJIAN_RANK_EXACT_STEPS": str(10**12)})
    pid = server.process.pid
    other, other_page, _ = open_session(browser, server)
    heavy, heavy_page, _ = open_session(browser, server)
    try:
        load(other_page, f"{server.url}/links", "八联")  # warm: the graph and this page's figures
        # eleven samples a phase, the idle ones before and after the computation: a page takes 0.2–0.7 s on
        # this machine as the tests beside it come and go, and five samples' medians differed 2× idle to idle
        idle_pages = page_times(server, "links", PAGE_SAMPLES)
        idle_health = [health(server) for _ in range(5)]
        before = descendants(pid)

        heavy_page.goto(f"{server.url}/rankings")  # a cold exact rank table: tens of seconds at 10^4
        jobs = wait_for(lambda: descendants(pid) - before, timeout=60)
        assert jobs, "the rank table is computed in a child process"
        busy_health = []
        until = time.monotonic() + 8
        while time.monotonic() < until:
            busy_health.append(health(server))
            time.sleep(0.2)
        busy_pages = page_times(server, "links", PAGE_SAMPLES)
        assert load(other_page, f"{server.url}/links", "八联") < 30  # and in the browser, it still comes
        assert descendants(pid) - before, "still computing while measured"

        heavy.close()  # the only session waiting for it leaves
        left = wait_for(lambda: not (descendants(pid) - before), timeout=10)
        idle_pages += page_times(server, "links", PAGE_SAMPLES)
        figures = {"idle_health": idle_health, "busy_health": busy_health, "idle_pages": idle_pages,
                   "busy_pages": busy_pages}
        TIMINGS.parent.mkdir(exist_ok=True)
        TIMINGS.write_text(json.dumps(figures, indent=2))
        assert max(busy_health) < 1.0, figures
        # slowed by sharing two cores with the computation and the suite's other worker, not held up by it:
        # held up, a page would wait the computation's tens of seconds. Measured: 0.30–0.34 s idle and
        # 0.39–0.44 s busy alone; in a full run once 0.18 s idle and 0.40 s busy (above 1.5× + 0.1 s)
        assert statistics.median(busy_pages) <= 2 * statistics.median(idle_pages) + 0.2, figures
        assert left, f"the computation still runs after its session left: {descendants(pid) - before}"
    finally:
        other.close()
        with contextlib.suppress(Exception):  # closed already, unless the test failed before
            heavy.close()


def cold_ranking(browser, server):
    """A session opening the rankings of a view nobody has computed: (context, page, the server's
    processes before)."""
    context, page, _ = open_session(browser, server)
    before = descendants(server.process.pid)
    page.goto(f"{server.url}/rankings")
    return context, page, before


def test_sigterm_stops_the_server_and_its_computations_within_seconds(browser, serve, big_ledger):
    server = serve(big_ledger)
    pid = server.process.pid
    context, _, before = cold_ranking(browser, server)
    try:
        jobs = wait_for(lambda: descendants(pid) - before, timeout=60)
        assert jobs
        everyone = descendants(pid)
        started = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        server.process.wait(timeout=5)
        stopped = time.monotonic() - started
        gone = wait_for(lambda: not any(_alive(child) for child in everyone), timeout=5)
        assert stopped < 5 and gone, (stopped, [c for c in everyone if _alive(c)])
    finally:
        context.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_stop_button_stops_the_computation_and_it_can_be_asked_again(browser, serve, big_ledger):
    server = serve(big_ledger)
    pid = server.process.pid
    context, page, before = cold_ranking(browser, server)
    try:
        stop = page.get_by_role("button", name="停止计算")
        stop.wait_for(timeout=60_000)
        assert wait_for(lambda: descendants(pid) - before, timeout=30)
        stop.click()
        page.get_by_text("已停止").first.wait_for(timeout=30_000)
        assert wait_for(lambda: not (descendants(pid) - before), timeout=5), "the computation still runs"
        page.get_by_role("button", name="重新计算").click()
        assert wait_for(lambda: descendants(pid) - before, timeout=30), "asked again, it runs again"
    finally:
        context.close()


def test_ten_sessions_on_one_big_ledger_take_about_the_memory_of_one(serve, big_ledger):
    """The ledger, its graphs and results are kept once per server, not per session: nine more
    sessions on the same page add less than half of what the first one cost (sessions as the
    browser's websocket protocol, kept open like people reading the page)."""
    server = serve(big_ledger)
    readings = [rss_mb(server.process.pid)]
    for _ in range(40):  # until the background warm-up's imports are done
        time.sleep(0.5)
        readings.append(rss_mb(server.process.pid))
        if len(readings) >= 4 and max(readings[-4:]) - min(readings[-4:]) < 2:
            break
    before = readings[-1]

    async def sessions() -> tuple[float, float, list[list[str]]]:
        first = WebsocketSession(server.port)
        await first.stay("links")
        one = rss_mb(server.process.pid)
        others = [WebsocketSession(server.port) for _ in range(9)]
        await asyncio.gather(*(session.stay("links") for session in others))
        ten = rss_mb(server.process.pid)
        everyone = [first, *others]
        headings = [session.headings for session in everyone]
        for session in everyone:
            await session.close()
        return one, ten, headings

    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # see page_times
        one, ten, headings = thread.submit(asyncio.run, sessions()).result()
    assert all(any("八联" in heading for heading in page) for page in headings), headings
    first_cost = one - before
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "serving-memory.json").write_text(json.dumps(
        {"server_mb": before, "one_session_mb": one, "ten_sessions_mb": ten}, indent=2))
    assert first_cost > 20, (before, one)  # the first session made the view's graph and results
    assert ten - one < 0.5 * first_cost, (before, one, ten)


def test_a_big_views_map_opens_on_its_groups_and_drills_into_one(browser, serve, big_ledger, screenshots):
    """10^4 organisations: the map draws the three circles as groups (not 10^4 overlapping nodes),
    says what they stand for, and a link to one circle draws that circle's organisations."""
    from cojian_graph.graph import GraphFilter, filtered_graph
    from cojian_graph.io import read_ledger

    from .test_e2e import record_timing, shot, time_to_drawn, wait_drawn

    ledger = read_ledger(big_ledger)
    G = filtered_graph(ledger, GraphFilter())
    internal = [org for org, circle in G.nodes(data="circle") if circle == "internal"]
    inside = G.subgraph(internal)
    tied = sum(1 for _, degree in inside.degree() if degree)
    server = serve(big_ledger)
    context, page, log = open_session(browser, server)
    try:
        seconds, counts = time_to_drawn(page, f"{server.url}/map")
        assert counts == (3, 3), counts  # focal, internal, external and the ties between them
        page.get_by_text("按组汇总：3 组，代表 10,000 个组织").wait_for()
        record_timing("map of 10^4 organisations, first visit, groups", seconds, nodes=counts[0])
        shot(page, screenshots, "map-groups-10k")
        page.goto(f"{server.url}/map?drill=circle:internal")
        counts = wait_drawn(page, expect=lambda c: c[0] == tied)
        assert counts[1] == min(inside.number_of_edges(), 20_000), (counts, inside.number_of_edges())
        shot(page, screenshots, "map-group-internal-10k")
        assert not log["errors"], log["errors"]
    finally:
        context.close()
