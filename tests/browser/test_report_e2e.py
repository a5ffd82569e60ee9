"""The briefing and the recommendations in a real browser: a leader presses one button in the sidebar
and gets a Word document and a PDF of the current view; the 建议 page lists its suggestions."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .test_e2e import DATA, assert_no_exception, assert_offline, open_session, shot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def server(serve):
    return serve(DATA)


def download(page, label: str):
    with page.expect_download(timeout=120_000) as info:
        page.locator('[data-testid="stSidebar"]').get_by_text(label).click()
    return info.value


def test_one_button_gives_the_briefing_in_word_and_pdf(browser, server, screenshots, tmp_path):
    import docx

    context, page, log = open_session(browser, server)
    try:
        page.goto(f"{server.url}/rankings?links=learning,service")  # the view's filters go into the briefing
        page.locator("h1").first.wait_for()
        wait_idle(page)
        word = download(page, "下载 Word 报告")
        assert word.suggested_filename == "共建分析报告.docx"
        word.save_as(tmp_path / "b.docx")
        document = docx.Document(str(tmp_path / "b.docx"))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings[0] == "1. 要点" and len(headings) == 9
        assert any("视图：党员联学、服务联动" in p.text for p in document.paragraphs)
        pdf = download(page, "下载 PDF 报告")
        pdf.save_as(tmp_path / "b.pdf")
        assert (tmp_path / "b.pdf").read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert "党建共建分析报告" in text and "视图：党员联学、服务联动" in text
        shot(page, screenshots, "briefing-buttons")
        assert_no_exception(page)
        assert_offline(log, server)
    finally:
        context.close()


def test_the_recommendations_page_lists_suggestions_with_reasons(browser, server, screenshots):
    context, page, log = open_session(browser, server)
    try:
        page.goto(f"{server.url}/recommend?org=primary_school")
        page.locator("h1", has_text="下一步建在哪里").first.wait_for()
        wait_idle(page)
        page.get_by_text("拓展：尚未合作的组织").first.wait_for()
        assert page.get_by_text("没有需要深化的合作").count() == 1  # one tie, one activity: nothing to deepen
        page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()
        page.wait_for_timeout(500)
        shot(page, screenshots, "recommendations")
        assert_no_exception(page)
        assert_offline(log, server)
    finally:
        context.close()
