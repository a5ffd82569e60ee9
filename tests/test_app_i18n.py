"""The explorer's string table: every message in both languages, every key the app uses present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cojian_graph.appstate import PAGES
from cojian_graph.i18n import MESSAGES, placeholders, t

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
NAMES = {"data.download_json"}  # a format's name, the same in both languages
KEY_CALL = re.compile(r"""\btr?\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def used_keys() -> dict[str, set[str]]:
    return {path.name: set(KEY_CALL.findall(path.read_text(encoding="utf-8"))) for path in SOURCES}


def test_every_message_has_chinese_and_english():
    for key, pair in MESSAGES.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        zh, en = pair
        assert zh.strip() and en.strip(), key
        if key not in NAMES:
            assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the Chinese text has no Chinese"


def test_both_languages_take_the_same_placeholders():
    for key, (zh, en) in MESSAGES.items():
        assert placeholders(zh) == placeholders(en), key


def test_english_texts_are_english():
    # the language switch label is bilingual on purpose, so that it can be found in either language
    for key, (_, en) in MESSAGES.items():
        if key != "sidebar.language":
            assert not re.search(r"[\u4e00-\u9fff]", en), key


@pytest.mark.parametrize("source", [path.name for path in SOURCES])
def test_every_key_a_page_uses_exists(source):
    keys = used_keys()[source]
    missing = sorted(key for key in keys if key not in MESSAGES)
    assert missing == [], f"{source} uses keys missing from cojian_graph.i18n: {missing}"


def test_the_pages_use_the_table():
    keys = set().union(*used_keys().values())
    assert len(keys) > 60  # the scan finds the calls (a broken regex would find none)


def test_every_page_has_a_title_in_both_languages():
    for page in PAGES:
        assert t(f"page.{page}", "zh") != t(f"page.{page}", "en")
    assert [t(f"page.{page}", "zh") for page in ("map", "rankings", "links", "organization", "data")] == \
        ["生态圈", "排名", "八联", "组织", "数据"]


def test_problem_table_headers_exist():
    for name in ("file", "row", "column", "problem", "fix"):
        assert f"problems.{name}" in MESSAGES


def test_placeholders_are_filled_and_unknown_keys_fall_back():
    assert t("map.counts", "en", nodes=3, edges=2) == "3 organisations, 2 ties"
    assert t("map.counts", "zh", nodes=3, edges=2) == "3 个组织，2 条合作关系"
    assert t("no.such.key", "en") == "no.such.key"


def test_every_figure_of_the_network_summary_has_a_label(tiny):
    from cojian_graph.analysis import network_summary
    from cojian_graph.graph import collaboration_graph

    figures = [key for key, value in network_summary(collaboration_graph(tiny)).items()
               if not isinstance(value, dict)]
    assert [key for key in figures if f"summary.{key}" not in MESSAGES] == []
