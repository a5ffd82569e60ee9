"""``cojian validate`` and ``cojian template`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cojian_graph.cli import main
from cojian_graph.io import write_ledger


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def good(tmp_path, tiny):
    write_ledger(tiny, tmp_path / "ledger")
    return tmp_path / "ledger"


@pytest.fixture
def bad(good):
    path = good / "activities.csv"
    text = path.read_text(encoding="utf-8-sig").replace("x2,品牌共建,Joint brand building,brand",
                                                        "x2,品牌共建,Joint brand building,联谊")
    path.write_text(text.replace("2022", "去年"), encoding="utf-8-sig")
    return good


def test_validate_good_ledger_summary(runner, good):
    result = runner.invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    # the tiny ledger: 4 organisations (1 focal, 1 internal, 2 external), 4 activities, 8 participations
    assert "组织 4 个 / Organisations: 4" in result.output
    assert "核心组织 Focal organisation (focal): 1" in result.output
    assert "外联（集团及地方） External (group and locality) (external): 2" in result.output
    assert "党员联学 Joint study by members (learning): 1" in result.output
    assert "组织联合 Joint organisation building (organization): 0" in result.output
    assert "Participations: 8" in result.output
    assert "2021–2022" in result.output and "2 undated" in result.output


@pytest.mark.parametrize(("lang", "present", "absent"), [
    ("zh", "台账有效", "Organisations"), ("en", "The ledger is valid", "台账"),
    ("both", "Organisations: 4", "没有这个"),
])
def test_validate_languages(runner, good, lang, present, absent):
    result = runner.invoke(main, ["validate", str(good), "--lang", lang])
    assert result.exit_code == 0
    assert present in result.output and absent not in result.output


def test_validate_bad_ledger_lists_every_problem(runner, bad):
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "台账有 2 个问题" in result.output
    assert "activities.csv, 第3行 row 3, link_type" in result.output
    assert "activities.csv, 第4行 row 4, date" in result.output
    assert "Traceback" not in result.output


def test_validate_bad_ledger_in_english_only(runner, bad):
    result = runner.invoke(main, ["validate", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert "unknown link type '联谊'" in result.output and "未知" not in result.output


def test_validate_json_output(runner, good, bad):
    result = runner.invoke(main, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert [(p["file"], p["row"], p["column"], p["code"]) for p in report["problems"]] == [
        ("activities.csv", 3, "link_type", "unknown_link_type"), ("activities.csv", 4, "date", "bad_date")]


def test_validate_json_output_good(runner, tmp_path, tiny):
    write_ledger(tiny, tmp_path / "ledger.json")
    result = runner.invoke(main, ["validate", str(tmp_path / "ledger.json"), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["ok"] is True and report["summary"]["participations"] == 8


def test_validate_nonexistent_path_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name", ["ledger.xls", "broken.xlsx", "broken.json", "one.csv"])
def test_validate_unreadable_files_exit_1_without_traceback(runner, tmp_path, name):
    (tmp_path / name).write_bytes(b"\x00\x01 not a ledger")
    result = runner.invoke(main, ["validate", str(tmp_path / name)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert name in result.output


def test_template_written_and_reads_back_as_empty_ledger(runner, tmp_path):
    path = tmp_path / "template.xlsx"
    result = runner.invoke(main, ["template", "-o", str(path)])
    assert result.exit_code == 0 and path.exists()
    result = runner.invoke(main, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.output)["problems"]] == ["empty_ledger"]


def test_template_refuses_to_overwrite_without_force(runner, tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"keep me")
    result = runner.invoke(main, ["template", "-o", str(path)])
    assert result.exit_code == 1 and path.read_bytes() == b"keep me"
    result = runner.invoke(main, ["template", "-o", str(path), "--force"])
    assert result.exit_code == 0 and path.read_bytes() != b"keep me"


def test_template_needs_xlsx(runner, tmp_path):
    result = runner.invoke(main, ["template", "-o", str(tmp_path / "template.csv")])
    assert result.exit_code == 2
