"""The desk in a real browser (Debian's Chromium): record an activity and see it on the map and in the
rankings; two editors on one record; signing in, a reload, wrong passwords; a viewer; hostile text
typed into the fields. The times from pressing save to the change on the map go to
``artifacts/timings.json``."""

from __future__ import annotations

import time

import pytest

from cojian_graph.graph import collaboration_graph
from cojian_graph.io import read_ledger
from cojian_graph.store import Store
from cojian_graph.store.accounts import Accounts

from .conftest import SCREENSHOTS
from .test_e2e import DATA, open_session, record_timing, shot, wait_drawn, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

PASSWORD = "a-long-enough-password"
HOSTILE = "<img src=x onerror=alert(1)>"


def settle(page) -> None:
    """Wait for the rerun an action starts (the script state changes only after the message arrives)."""
    page.wait_for_timeout(250)
    wait_idle(page)


def visible(page, selector: str):
    return page.locator(f"{selector}:visible")


def fill(page, label: str, text: str) -> None:
    box = visible(page, f'[aria-label="{label}"]').first
    box.fill(text)
    box.press("Enter")
    settle(page)


def choose(page, label: str, option: str) -> None:
    visible(page, '[data-testid="stSelectbox"]').filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    settle(page)


def press(page, name: str) -> None:
    visible(page, "button").filter(has_text=name).first.click()
    settle(page)


def section(page, name: str) -> None:
    visible(page, '[data-testid="stButtonGroup"] button').filter(has_text=name).first.click()
    settle(page)


def open_desk(page, server) -> None:
    page.goto(f"{server.url}/desk")
    page.locator("h1", has_text="台账维护").first.wait_for()
    wait_idle(page)


def sign_in(page, server, name: str, password: str = PASSWORD) -> None:
    page.goto(server.url)
    page.locator("h1", has_text="登录").first.wait_for()
    visible(page, '[aria-label="用户名"]').first.fill(name)
    visible(page, '[aria-label="密码"]').first.fill(password)
    press(page, "登录")
    try:
        page.locator('[data-testid="stAlert"], [data-testid="stSidebar"] :text("当前用户")').first.wait_for()
    except Exception:
        page.screenshot(path=str(SCREENSHOTS / "signin-failed.png"))
        raise


def store_of(tmp_path, name: str = "store.sqlite") -> str:
    url = f"sqlite:///{tmp_path / name}"
    with Store(url, create=True) as store:
        store.import_ledger(read_ledger(DATA), user="clerk")
    return url


def new_pair() -> tuple[str, str]:
    """Two organisations of the bundled ledger without a tie between them (a recorded activity adds one)."""
    graph = collaboration_graph(read_ledger(DATA))
    nodes = sorted(graph.nodes)
    return next((a, b) for a in nodes for b in nodes if a < b and not graph.has_edge(a, b))


def test_record_an_activity_and_see_it_on_the_map_and_in_the_rankings(browser, serve, screenshots, tmp_path):
    ledger = read_ledger(DATA)
    names = dict(zip(ledger.organizations["id"], ledger.organizations["name"], strict=True))
    first, second = new_pair()
    graph = collaboration_graph(ledger)
    before = (graph.number_of_nodes(), graph.number_of_edges())
    server = serve(None, env={"COJIAN_DB": store_of(tmp_path)})  # 127.0.0.1: the local user, no sign-in
    context, page, log = open_session(browser, server)
    try:
        page.goto(f"{server.url}/map")
        assert wait_drawn(page) == before
        open_desk(page, server)
        fill(page, "活动名称 *", "联合主题党日")
        fill(page, "日期（年、年月或具体日期）", "2024年5月")
        for org in (first, second):
            fill(page, "查找组织（简体、繁体或英文均可）", names[org][:6])
            choose(page, "选择", names[org])
            press(page, "加入")
        shot(page, screenshots, "desk-record")
        start = time.perf_counter()
        press(page, "保存活动")
        page.get_by_text("已保存为修订 2").first.wait_for()
        page.get_by_role("link", name="在生态圈中查看").click()
        counts = wait_drawn(page, expect=lambda counts: counts[1] == before[1] + 1)
        record_timing("desk: save to the map, bundled ledger", time.perf_counter() - start, nodes=counts[0],
                      edges=counts[1])
        assert counts == (before[0], before[1] + 1)
        page.goto(f"{server.url}/organization?page=organization&org={first}")
        page.locator("h1", has_text="组织档案").first.wait_for()
        wait_idle(page)
        partners = page.locator('[data-testid="stMetric"]', has_text="合作伙伴").first
        assert partners.locator('[data-testid="stMetricValue"]').inner_text() == str(graph.degree(first) + 1)
        rank = page.locator('[data-testid="stMetric"]', has_text="名次").first  # its rank, with the new tie
        assert rank.locator('[data-testid="stMetricValue"]').inner_text().strip().isdigit()
        assert log["dialogs"] == [] and log["errors"] == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def signin_server(serve, tmp_path_factory):
    folder = tmp_path_factory.mktemp("signin")
    url = store_of(folder)
    with Store(url) as store:
        accounts = Accounts(store)
        accounts.add("王书记", PASSWORD, role="admin")
        accounts.add("李干事", PASSWORD, role="editor")
        accounts.add("张委员", PASSWORD, role="viewer")
        accounts.add("赵干事", PASSWORD, role="editor")
    server = serve(None, env={"COJIAN_DB": url, "COJIAN_SIGNIN": "1"})
    server.store_url = url
    return server


def test_sign_in_survives_a_reload_and_wrong_passwords_slow_down(browser, signin_server, screenshots):
    context, page, log = open_session(browser, signin_server)
    try:
        page.goto(signin_server.url)
        page.locator("h1", has_text="登录").first.wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 0  # nothing of the ledger before signing in

        def message() -> str:
            return next(line for line in page.locator("body").inner_text().splitlines() if "不正确" in line)

        waits = []
        for attempt in range(5):  # two free failures, then a wait of 1, 2, 4 s before the next attempt
            sign_in(page, signin_server, "赵干事", f"wrong-password-{attempt}")
            waits.append(message())
            if "秒后再试" in waits[-1] and attempt < 4:
                page.wait_for_timeout(int(waits[-1].split("请 ")[1].split(" 秒")[0]) * 1000 + 300)
        assert [("请 1 秒" in m, "请 2 秒" in m, "请 4 秒" in m) for m in waits[2:]] == [
            (True, False, False), (False, True, False), (False, False, True)], waits
        sign_in(page, signin_server, "赵干事", PASSWORD)  # even the right password, during the last wait
        assert "秒后再试" in message()
        shot(page, screenshots, "signin-wait")
        page.wait_for_timeout(4300)
        sign_in(page, signin_server, "赵干事", PASSWORD)
        page.get_by_text("当前用户：赵干事（编辑者）").first.wait_for()
        page.reload()
        page.get_by_text("当前用户：赵干事（编辑者）").first.wait_for()  # still signed in after a reload
        assert page.locator("h1", has_text="登录").count() == 0
        press(page, "退出登录")
        page.reload()
        page.locator("h1", has_text="登录").first.wait_for()
        assert log["errors"] == []
    finally:
        context.close()


def test_two_editors_on_one_record(browser, signin_server, screenshots):
    contexts = []
    try:
        pages = []
        for name in ("李干事", "王书记"):
            context, page, _ = open_session(browser, signin_server)
            contexts.append(context)
            sign_in(page, signin_server, name)
            open_desk(page, signin_server)
            section(page, "修改或删除")
            fill(page, "查找组织（简体、繁体或英文均可）", "工会")
            choose(page, "选择", "铸钢分公司工会")
            pages.append(page)
        li, wang = pages
        # both opened the same version; 李干事 saves first
        visible(li, '[aria-label="名称"]').first.fill("铸钢分公司工会（李）")
        press(li, "保存修改")
        li.get_by_text("已保存为修订 2").first.wait_for()
        # 王书记 changes the name and the English name on the version he opened: a conflict, field by field
        visible(wang, '[aria-label="名称"]').first.fill("铸钢分公司工会（王）")
        visible(wang, '[aria-label="英文名称"]').first.fill("Cast Steel Branch trade union (Wang)")
        press(wang, "保存修改")
        wang.get_by_text("已被他人修改").first.wait_for()
        assert wang.get_by_text("他人的：铸钢分公司工会（李）").count() >= 1
        wang.get_by_text("已被他人修改").first.scroll_into_view_if_needed()
        shot(wang, screenshots, "desk-conflict")
        # keep 李干事's name and his own English name
        wang.get_by_text("他人的：铸钢分公司工会（李）").first.click()
        wait_idle(wang)
        press(wang, "按所选保存")
        wang.get_by_text("已保存为修订 3").first.wait_for()
        with Store(signin_server.store_url) as store:
            found = dict(zip(store.ledger().organizations["id"], store.ledger().organizations["name"], strict=True))
            union = next(org for org, name in found.items() if name.startswith("铸钢分公司工会"))
            fields, version = store.record("organizations", (union,))
            assert (fields["name"], fields["name_en"], version) == (
                "铸钢分公司工会（李）", "Cast Steel Branch trade union (Wang)", 3)
            assert [row["user"] for row in store.revisions(limit=2)] == ["王书记", "李干事"]
        wang.goto(f"{signin_server.url}/history")
        wang.locator("h1", has_text="修改记录").first.wait_for()
        wait_idle(wang)
        shot(wang, screenshots, "history")
    finally:
        for context in contexts:
            context.close()


def test_a_viewer_cannot_change_anything(browser, signin_server):
    context, page, _ = open_session(browser, signin_server)
    try:
        sign_in(page, signin_server, "张委员")
        page.goto(f"{signin_server.url}/desk")
        page.get_by_text("您的账号只能查看").first.wait_for()
        assert visible(page, "button").filter(has_text="保存").count() == 0
        page.goto(f"{signin_server.url}/history")
        page.locator("h1", has_text="修改记录").first.wait_for()
        wait_idle(page)
        assert visible(page, "button").filter(has_text="撤销修订").count() == 0
    finally:
        context.close()


def test_hostile_text_typed_into_the_desk_is_stored_and_shown_as_text(browser, serve, tmp_path, screenshots):
    from cojian_graph.appstate import ledger_bytes

    url = store_of(tmp_path, "hostile.sqlite")
    server = serve(None, env={"COJIAN_DB": url})
    context, page, log = open_session(browser, server)
    try:
        open_desk(page, server)
        typed = {"活动名称 *": HOSTILE, "英文名称": "<script>alert(2)</script>", "成效": "@SUM(1+1)",
                 "来源": "+1+1 <b>bold</b>", "活动编号": "act<i>1</i>", "说明（可选，记入修改记录）": HOSTILE}
        for label, text in typed.items():
            fill(page, label, text)
        area = visible(page, '[aria-label="活动内容"]').first
        area.fill('=cmd|" /C calc"!A0')
        area.blur()
        settle(page)
        page.get_by_text("添加台账中没有的新组织").click()
        fill(page, "编号", "evil")
        fill(page, "名称", '=HYPERLINK("http://example.com","点我")')
        visible(page, '[aria-label="英文名称"]').last.fill(HOSTILE)
        visible(page, '[aria-label="英文名称"]').last.press("Enter")
        settle(page)
        press(page, "添加并加入参与组织")
        fill(page, "查找组织（简体、繁体或英文均可）", "铸钢")
        choose(page, "选择", "铸钢分公司工会")
        press(page, "加入")
        press(page, "保存活动")
        page.get_by_text("已保存为修订 2").first.wait_for()
        page.get_by_role("link", name="在生态圈中查看").click()
        wait_drawn(page)
        page.goto(f"{server.url}/history")
        page.locator("h1", has_text="修改记录").first.wait_for()
        wait_idle(page)
        page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()
        page.wait_for_timeout(1500)  # the grids paint their cells after they appear
        shot(page, screenshots, "history-hostile")
        assert log["dialogs"] == []  # no script ran
        with Store(url) as store:
            ledger = store.ledger()
            entry = store.revisions(limit=1)[0]
        act = ledger.activities.set_index("id").loc["act<i>1</i>"]  # every field stored as typed
        assert (act["title"], act["title_en"], act["outcome"], act["source"], act["description"]) == (
            HOSTILE, "<script>alert(2)</script>", "@SUM(1+1)", "+1+1 <b>bold</b>", '=cmd|" /C calc"!A0')
        evil = ledger.organizations.set_index("id").loc["evil"]
        assert (evil["name"], evil["name_en"]) == ('=HYPERLINK("http://example.com","点我")', HOSTILE)
        assert entry["note"] == HOSTILE
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(ledger_bytes(ledger, "excel")))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        formula = [cell for cell in cells if str(cell.value).startswith(("=", "@", "+"))]
        assert len(formula) >= 3 and all(cell.data_type == "s" for cell in formula)  # text, never a formula
        assert not any(cell.data_type == "f" for cell in cells)
    finally:
        context.close()


def test_import_a_workbook_with_a_preview(browser, serve, tmp_path, screenshots):
    from cojian_graph.io import write_ledger
    from cojian_graph.ledger import Ledger

    from .test_e2e import upload_files

    ledger = read_ledger(DATA)
    orgs = ledger.organizations.copy()
    orgs.loc[orgs["id"] == "zhugang_union", "name"] = "铸钢分公司工会委员会"
    changed = Ledger(orgs, ledger.activities, ledger.participations)
    write_ledger(changed, tmp_path / "台账2024.xlsx", "excel")
    url = store_of(tmp_path, "import.sqlite")
    server = serve(None, env={"COJIAN_DB": url})
    context, page, log = open_session(browser, server)
    try:
        open_desk(page, server)
        section(page, "导入工作簿")
        upload_files(page, page.locator('input[type="file"]').first, [tmp_path / "台账2024.xlsx"])
        press(page, "预览")
        page.get_by_text("导入“台账2024.xlsx”将：").first.wait_for()
        shot(page, screenshots, "desk-import-preview")
        with Store(url) as store:
            assert store.revision == 1  # a preview writes nothing
        press(page, "确认导入")
        page.get_by_text("已保存为修订 2").first.wait_for()
        with Store(url) as store:
            assert store.record("organizations", ("zhugang_union",))[0]["name"] == "铸钢分公司工会委员会"
            assert [(c["table"], c["key"]) for c in store.changes(2)] == [("organizations", ["zhugang_union"])]
        assert log["errors"] == []
    finally:
        context.close()
