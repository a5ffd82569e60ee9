"""The timeline in a real browser: the map's play button steps through every year on fixed positions
(compared on screen, frame by frame), and the 时间 Timeline page draws its charts."""

from __future__ import annotations

import collections
import itertools
import time

import pytest

from cojian_graph.io import write_ledger
from cojian_graph.synth import synthetic_timeline

from .test_e2e import open_session, shot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

_FRAME = """() => {
  const body = document.body;
  if (!body || body.dataset.drawn !== "1" || !window.cojianNetwork) return null;
  const net = window.cojianNetwork;
  const ids = net.body.data.nodes.getIds();
  const where = {};
  const positions = net.getPositions(ids);
  for (const id of ids) { const p = net.canvasToDOM(positions[id]); where[id] = [Math.round(p.x), Math.round(p.y)]; }
  return {edges: net.body.data.edges.length, where: where};
}"""


@pytest.fixture(scope="module")
def grown_server(serve, tmp_path_factory):
    ledger, facts = synthetic_timeline(60, 320, seed=8)
    folder = tmp_path_factory.mktemp("grown") / "ledger"
    write_ledger(ledger, folder, "csv")
    first = {}
    members = collections.defaultdict(set)
    for act, org in zip(ledger.participations["activity_id"], ledger.participations["organization_id"], strict=True):
        members[act].add(org)
    year = dict(zip(ledger.activities["id"], ledger.activities["date"].str[:4].astype(int), strict=True))
    for act, orgs in members.items():
        for pair in itertools.combinations(sorted(orgs), 2):
            first[pair] = min(year[act], first.get(pair, year[act]))
    ties = {y: sum(1 for f in first.values() if f <= y) for y in range(facts["years"][0], facts["years"][1] + 1)}
    return serve(folder), ties


def frames_of(page, timeout: float = 90.0) -> list[dict]:
    """Every distinct drawn frame until the play stops at the whole view."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames[1:]:
            try:
                state = frame.evaluate(_FRAME)
            except Exception:  # replaced by the next year while asked
                continue
            if state and (not seen or state["edges"] != seen[-1]["edges"]):
                seen.append(state)
        if page.locator('[data-testid="stSidebar"]').count() and seen and \
                page.get_by_role("switch").first.is_checked() is False and len(seen) > 1:
            break
        page.wait_for_timeout(100)
    return seen


def test_the_play_button_steps_through_every_year_on_fixed_positions(browser, grown_server, screenshots):
    server, ties = grown_server
    context, page, log = open_session(browser, server)
    try:
        page.goto(f"{server.url}/map")
        page.locator("h1", has_text="共建生态圈").first.wait_for()
        wait_idle(page)
        page.get_by_text("▶ 播放").first.click()
        frames = frames_of(page)
        shot(page, screenshots, "map-play-end")
        counts = [frame["edges"] for frame in frames]
        # the whole view before playing; then every year in order, ending on the whole view (the last year's)
        expected = [ties[year] for year in sorted(ties)]
        assert expected[0] in counts, counts
        assert counts[counts.index(expected[0]):][: len(expected)] == expected, counts
        # nobody moves on screen: an organisation drawn in two frames is at the same pixel in both
        for earlier, later in itertools.pairwise(frames):
            shared = set(earlier["where"]) & set(later["where"])
            assert shared and all(earlier["where"][node] == later["where"][node] for node in shared)
        assert log["errors"] == []
    finally:
        context.close()


def test_the_timeline_page_draws_its_charts(browser, grown_server, screenshots):
    server, _ = grown_server
    context, page, log = open_session(browser, server)
    try:
        page.goto(f"{server.url}/timeline")
        page.locator("h1", has_text="共建生态圈的成长").first.wait_for()
        wait_idle(page)
        page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for()
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 4  # links, growth, balance, ranks
        shot(page, screenshots, "timeline")
        assert log["errors"] == [] and log["dialogs"] == []
    finally:
        context.close()
