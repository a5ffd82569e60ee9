"""``cojian rank`` and ``cojian stats`` through click's CliRunner, and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from cojian_graph.cli import main
from cojian_graph.io import write_ledger
from cojian_graph.testing import tiny_ledger

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def tiny_folder(tmp_path):
    folder = tmp_path / "tiny"
    write_ledger(tiny_ledger(), folder)
    return folder


@pytest.fixture
def hostile_folder(tmp_path):
    ledger = tiny_ledger()
    orgs = ledger.organizations.copy()
    orgs.loc[0, "name"] = "=HYPERLINK(\"http://x\")"
    orgs.loc[1, "name"] = "红色\x1b[31m党支部"
    folder = tmp_path / "hostile"
    write_ledger(type(ledger)(orgs, ledger.activities, ledger.participations), folder)
    return folder


def test_rank_prints_an_aligned_table(runner):
    result = runner.invoke(main, ["rank", str(DATA), "--top", "5"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").split("\n")
    assert lines[0].split()[:4] == ["rank", "id", "name", "circle"]
    assert len(lines) == 2 + 5
    # the last column (composite) is right-aligned, so every line ends at the same terminal column,
    # however many wide (Chinese) characters the names hold
    assert len({wcswidth(line) for line in lines}) == 1
    assert any(wcswidth(line) > len(line) for line in lines[2:])  # there are wide characters
    assert "中车眉山车辆有限公司铸钢分公" in lines[2]  # the focal organisation first


def test_rank_csv_json_xlsx(runner, tmp_path, tiny_folder):
    out = tmp_path / "rank.csv"
    result = runner.invoke(main, ["rank", str(tiny_folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns[:4]) == ["id", "name", "name_en", "circle"]
    assert table["id"].tolist()[0] == "a" and table["rank"].tolist()[0] == 1

    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "json", "-m", "degree,strength"])
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == ["a", "b", "c", "d"]
    assert records[0]["strength"] == 4 and set(records[0]) == {"id", "name", "name_en", "circle", "degree",
                                                               "strength", "rank"}

    book = tmp_path / "rank.xlsx"
    result = runner.invoke(main, ["rank", str(tiny_folder), "-o", str(book), "--top", "2"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_excel(book, sheet_name="rank")) == 2

    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "xlsx"])
    assert result.exit_code == 2 and "xlsx" in result.output


def test_rank_filters_layer_and_weights(runner, tiny_folder):
    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "json", "-m", "degree", "--layer", "learning"])
    assert {r["id"]: r["degree"] for r in json.loads(result.stdout)} == {"a": 1, "b": 1, "c": 0, "d": 0}
    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "json", "-m", "degree",
                                  "--circle", "external", "--circle", "focal"])
    assert {r["id"] for r in json.loads(result.stdout)} == {"a", "c", "d"}
    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "json", "-m", "degree", "--min-weight", "2"])
    assert {r["id"]: r["degree"] for r in json.loads(result.stdout)} == {"a": 2, "b": 1, "c": 1, "d": 0}
    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "json", "-m", "degree", "--focus", "b",
                                  "--hops", "1", "--link", "learning"])
    assert {r["id"] for r in json.loads(result.stdout)} == {"a", "b"}
    result = runner.invoke(main, ["rank", str(tiny_folder), "-f", "json", "-w", "betweenness=1"])
    assert {r["id"]: r["composite"] for r in json.loads(result.stdout)} == {"a": 100, "b": 0, "c": 0, "d": 0}


@pytest.mark.parametrize(("args", "code", "message"), [
    (["-m", "nonsense"], 1, "unknown measure"),
    (["--layer", "nonsense"], 1, "unknown link layer"),
    (["--link", "nonsense"], 2, "unknown link type"),
    (["--circle", "nonsense"], 2, "unknown circle"),
    (["--focus", "nobody"], 1, "nobody"),
    (["-w", "strength"], 2, "id=value"),
    (["-w", "community=1"], 1, "composite"),
    (["--top", "0"], 2, "0"),
])
def test_rank_bad_options_give_clear_errors(runner, tiny_folder, args, code, message):
    result = runner.invoke(main, ["rank", str(tiny_folder), *args])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_ledger_gives_the_validation_report_and_exit_1(runner, tiny_folder):
    activities = tiny_folder / "activities.csv"
    text = activities.read_text(encoding="utf-8-sig").replace("learning", "no_such_link")
    activities.write_text(text, encoding="utf-8")
    for command in ("rank", "stats"):
        result = runner.invoke(main, [command, str(tiny_folder)])
        assert result.exit_code == 1
        assert "no_such_link" in result.stderr and "activities" in result.stderr
        assert result.stdout == ""


def test_hostile_names_are_neutralised(runner, tmp_path, hostile_folder):
    # an escape sequence in a name is refused at read, named by row, never echoed raw
    result = runner.invoke(main, ["rank", str(hostile_folder), "-m", "degree"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "U+001B" in result.stderr and "row 3" in result.stderr
    orgs = hostile_folder / "organizations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8-sig").replace("\x1b[31m", ""), encoding="utf-8")
    out = tmp_path / "rank.csv"
    result = runner.invoke(main, ["rank", str(hostile_folder), "-m", "degree", "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = pd.read_csv(out, encoding="utf-8-sig")["name"].tolist()
    assert "'=HYPERLINK(\"http://x\")" in names


def test_rank_output_needs_force_and_refuses_a_dangling_link(runner, tmp_path, tiny_folder):
    out = tmp_path / "rank.csv"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["rank", str(tiny_folder), "-o", str(out)])
    assert result.exit_code == 1 and "--force" in result.stderr and result.stderr.startswith("错误 error:")
    assert out.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(main, ["rank", str(tiny_folder), "-o", str(out), "--force"]).exit_code == 0
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "missing" / "target.csv")
    result = runner.invoke(main, ["rank", str(tiny_folder), "-o", str(link), "--force"])
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_focus_takes_a_name_and_suggests_the_closest(runner):
    by_name = runner.invoke(main, ["rank", str(DATA), "-m", "degree", "--focus", "监狱"])
    by_id = runner.invoke(main, ["rank", str(DATA), "-m", "degree", "--focus", "prison"])
    assert by_name.exit_code == 0 and by_name.stdout == by_id.stdout
    result = runner.invoke(main, ["rank", str(DATA), "--focus", "zhugan"])
    assert result.exit_code == 1 and "did you mean: zhugang" in result.stderr


def test_errors_look_alike_in_every_command(runner, tmp_path):
    for args in (["rank", str(DATA), "-m", "nonsense"], ["rank", str(DATA), "--top", "0"],
                 ["stats", str(DATA), "--circle", "nowhere"], ["export", str(DATA)],
                 ["rank", str(tmp_path / "missing")]):
        result = runner.invoke(main, args)
        assert result.exit_code != 0
        assert "错误 error:" in result.stderr and "Error:" not in result.stderr, args


def test_a_filter_that_leaves_no_ties_is_warned_about(runner):
    result = runner.invoke(main, ["stats", str(DATA), "--year-min", "2030"])
    assert result.exit_code == 0
    assert "undated activities are kept" in result.stderr
    result = runner.invoke(main, ["stats", str(DATA), "--year-min", "2030", "--no-undated"])
    assert "no ties are left" in result.stderr
    result = runner.invoke(main, ["stats", str(DATA), "--circle", "external"])  # ties among external partners
    assert result.exit_code == 0 and "no ties are left" not in result.stderr


def test_stats_table_and_json(runner, tiny_folder):
    result = runner.invoke(main, ["stats", str(tiny_folder), "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # tiny: 4 organisations, ties a-b, a-c, b-c; d isolated; inside {a, b}: E-I (2 - 1) / 3
    assert summary["organizations"] == 4 and summary["ties"] == 3 and summary["isolated"] == 1
    assert summary["components"] == 2 and summary["density"] == pytest.approx(0.5)
    assert summary["ei_index"] == pytest.approx(1 / 3)
    assert summary["links"]["brand"] == 3
    assert summary["ei_index_by_group"]["external"]["ei_index"] == pytest.approx(1.0)
    result = runner.invoke(main, ["stats", str(tiny_folder)])
    assert result.exit_code == 0
    assert "密度 density" in result.stdout and "0.5000" in result.stdout
    result = runner.invoke(main, ["stats", str(tiny_folder), "--layer", "learning", "-f", "json"])
    assert json.loads(result.stdout)["ties"] == 1


def test_rank_as_a_real_process_does_not_load_plotting_or_networkx(tiny_folder):
    code = ("import sys\nfrom cojian_graph.cli import main\n"
            "try:\n    main(['rank', sys.argv[1], '--top', '1'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('matplotlib', 'networkx', 'streamlit', 'scipy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(tiny_folder)], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert result.stdout.splitlines()[2].split()[1] == "a"


def test_a_half_year_filter_keeps_its_activities_and_says_what_it_left_out(runner, tmp_path):
    """The hand ledger's 2020-H1 holds a1 (F and A) only; a6 is dated 2022 alone and a7 not at all."""
    from cojian_graph.testing import dated_ledger

    write_ledger(dated_ledger(), tmp_path / "dated", "csv")
    result = runner.invoke(main, ["rank", str(tmp_path / "dated"), "--during", "2020上半年", "-m", "degree",
                                  "-f", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(__import__("io").StringIO(result.stdout))
    assert table.set_index("id")["degree"].to_dict() == {"F": 1, "A": 1, "B": 0, "C": 0, "D": 0}
    assert "2 项活动只注明年份或未注明日期，不能归入 2020-H1" in result.stderr
    bad = runner.invoke(main, ["rank", str(tmp_path / "dated"), "--during", "2020-H3"])
    assert bad.exit_code == 2 and "2022-H1" in bad.output
