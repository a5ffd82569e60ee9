"""Single sign-on in a real browser: the explorer signs in through a real OpenID Connect provider
(``tests/oidc/server.mjs``, the ``oidc-provider`` package on Node.js, started on loopback for the test)
with Streamlit's ``st.login``; the role still comes from the store's accounts."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from cojian_graph.store import Store
from cojian_graph.store.accounts import Accounts

from .conftest import free_port
from .test_desk_e2e import open_desk, press, section, settle, store_of, visible
from .test_e2e import open_session, shot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

OIDC = Path(__file__).resolve().parents[1] / "oidc"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """A throw-away OpenID Connect provider on loopback, and the explorer's port it redirects to."""
    node = shutil.which("node")
    if node is None or not (OIDC / "node_modules" / "oidc-provider").is_dir():
        message = "Node.js and tests/oidc/node_modules (npm ci --prefix tests/oidc; make test does it) are needed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    port, app_port = free_port(), free_port()
    client, secret = "cojian", secrets.token_urlsafe(16)
    log = tmp_path_factory.mktemp("oidc") / "oidc.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([node, str(OIDC / "server.mjs"), str(port), client, secret,
                                    f"http://localhost:{app_port}/oauth2callback"],
                                   stdout=out, stderr=subprocess.STDOUT)
    metadata = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(metadata, timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the OIDC provider did not start: {log.read_text()}") from None
            time.sleep(0.2)
    secrets_file = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{client}"\nclient_secret = "{secret}"\n'
        f'server_metadata_url = "{metadata}"\n'
        'client_kwargs = { prompt = "login" }\n',  # Streamlit asks for select_account otherwise (Google's)
        encoding="utf-8")
    yield {"app_port": app_port, "secrets": secrets_file}
    process.terminate()
    process.wait(timeout=10)


def company_sign_in(page, server, name: str) -> None:
    """Press the explorer's sign-in button and sign in on the provider's own page."""
    page.goto(server.url)
    visible(page, "button").filter(has_text="使用单位账号登录").first.click()  # leaves for the provider's page
    page.locator('input[name="login"]').wait_for()
    page.fill('input[name="login"]', name)
    page.fill('input[name="password"]', "not-checked-by-this-provider")
    page.locator('button[type="submit"]').click()
    page.locator('button[type="submit"]', has_text="Continue").or_(page.locator("h1")).first.wait_for()
    if page.locator('button[type="submit"]', has_text="Continue").count():  # the provider's consent page
        page.locator('button[type="submit"]', has_text="Continue").click()
    page.wait_for_url(f"{server.url}/**")
    wait_idle(page)


def test_single_sign_on_signs_in_with_the_role_the_store_gives(browser, serve, provider, tmp_path, screenshots):
    url = store_of(tmp_path, "sso.sqlite")
    with Store(url) as store:
        Accounts(store).add("li@example.com", None, role="editor", sso=True)
    server = serve(None, env={"COJIAN_DB": url, "COJIAN_AUTH": "sso", "AUTHLIB_INSECURE_TRANSPORT": "1"},
                   port=provider["app_port"], args=("--secrets.files", str(provider["secrets"])))
    context, page, log = open_session(browser, server)
    try:
        page.goto(server.url)
        page.locator("h1", has_text="登录").first.wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 0
        company_sign_in(page, server, "li@example.com")
        page.get_by_text("当前用户：li@example.com（编辑者）").first.wait_for()
        shot(page, screenshots, "sso-signed-in")
        # an editor: the change carries the identity the provider gave
        open_desk(page, server)
        section(page, "修改或删除")
        box = visible(page, '[aria-label="查找组织（简体、繁体或英文均可）"]').first
        box.fill("工会")
        box.press("Enter")
        settle(page)
        visible(page, '[data-testid="stSelectbox"]').filter(has_text="选择").first.click()
        page.get_by_role("option", name="铸钢分公司工会", exact=True).first.click()
        settle(page)
        visible(page, '[aria-label="名称"]').first.fill("铸钢分公司工会委员会")
        press(page, "保存修改")
        page.get_by_text("已保存为修订 2").first.wait_for()
        with Store(url) as store:
            assert store.revisions(limit=1)[0]["user"] == "li@example.com"
        page.reload()
        page.get_by_text("当前用户：li@example.com（编辑者）").first.wait_for()  # the sign-in outlives a reload
        assert log["dialogs"] == [] and log["errors"] == []
    finally:
        context.close()
    # someone the company knows but the store does not: told what to ask for, shown nothing of the ledger
    context, page, _ = open_session(browser, server)
    try:
        company_sign_in(page, server, "stranger@example.com")
        page.get_by_text("还没有账号").first.wait_for()
        page.locator('[data-testid="stCode"]', has_text="cojian user add stranger@example.com --sso").first.wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()
