"""``cojian export`` through click's CliRunner (and once as a real process)."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from cojian_graph.cli import main
from cojian_graph.export import EXPORT_FORMATS
from cojian_graph.io import write_ledger


@pytest.fixture
def ledger_dir(tmp_path, tiny):
    folder = tmp_path / "ledger"
    write_ledger(tiny, folder)
    return folder


def run(*args):
    return CliRunner().invoke(main, ["export", *map(str, args)])


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_each_format_from_the_extension(tmp_path, ledger_dir, fmt):
    out = tmp_path / f"view{EXPORT_FORMATS[fmt].suffix}"
    result = run(ledger_dir, "-o", out, "--dpi", 50)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert str(out) in result.output and "KB" in result.output


def test_format_option_overrides_extension(tmp_path, ledger_dir):
    out = tmp_path / "graph.dat"
    assert run(ledger_dir, "-o", out, "--format", "graphml").exit_code == 0
    assert nx.read_graphml(out).number_of_nodes() == 4


def test_filters_and_focus(tmp_path, ledger_dir):
    out = tmp_path / "l.gexf"
    assert run(ledger_dir, "-o", out, "--link", "党员联学").exit_code == 0
    assert sorted(tuple(sorted(e)) for e in nx.read_gexf(out).edges()) == [("a", "b")]
    out = tmp_path / "focus.csv"
    assert run(ledger_dir, "-o", out, "--focus", "c", "--measure", "strength").exit_code == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert sorted(table["id"]) == ["a", "b", "c"]
    assert dict(zip(table["id"], table["strength"], strict=True)) == {"a": 4, "b": 3, "c": 3}


def test_table_choice_and_options(tmp_path, ledger_dir):
    out = tmp_path / "edges.csv"
    result = run(ledger_dir, "-o", out, "--table", "edges")
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 3
    out = tmp_path / "c.svg"
    result = run(ledger_dir, "-o", out, "--layout", "concentric", "--color-by", "sector", "--size-by",
                 "betweenness", "--lang", "en", "--labels", "all", "--title", "标题 $x$")
    assert result.exit_code == 0, result.output


def test_refuses_to_overwrite_without_force(tmp_path, ledger_dir):
    out = tmp_path / "x.json"
    out.write_text("keep")
    result = run(ledger_dir, "-o", out)
    assert result.exit_code == 1 and "--force" in result.output and out.read_text() == "keep"
    assert run(ledger_dir, "-o", out, "--force").exit_code == 0
    assert out.read_text() != "keep"


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["-o", "x.txt"], 2, "unsupported export format"),
        (["-o", "x.png", "--size-by", "fame"], 2, "unknown measure"),
        (["-o", "x.png", "--labels", "many"], 2, "--labels"),
        (["-o", "x.png", "--circle", "outer"], 2, "unknown circle"),
        (["-o", "x.png", "--focus", "zz"], 1, "zz"),
        (["-o", "x.png", "--dpi", "5"], 2, "--dpi"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path, ledger_dir, args, code, text):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = run(ledger_dir, *args)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output


def test_rejected_ledger_exits_1(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name\n", encoding="utf-8")
    result = run(folder, "-o", tmp_path / "x.png")
    assert result.exit_code == 1


def test_real_process(tmp_path, ledger_dir):
    out = tmp_path / "p.html"
    done = subprocess.run([sys.executable, "-m", "cojian_graph", "export", str(ledger_dir), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


# -- groups (aggregated views) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_dir(tmp_path_factory):
    from cojian_graph.graph.aggregate import AGGREGATE_ABOVE
    from cojian_graph.synth import synthetic_ledger

    folder = tmp_path_factory.mktemp("big") / "ledger"
    write_ledger(synthetic_ledger(AGGREGATE_ABOVE + 50, 2 * AGGREGATE_ABOVE, seed=6), folder)
    return folder


def test_a_big_views_page_shows_its_circles_and_says_so(tmp_path, big_dir):
    import json
    import re

    out = tmp_path / "big.html"
    result = CliRunner().invoke(main, ["export", str(big_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "按圈层汇总" in result.output and "--groups none" in result.output
    data = json.loads(re.search(r"var data = (\{.*?\});\n", out.read_text(encoding="utf-8"), re.S).group(1))
    circles = set(pd.read_csv(big_dir / "organizations.csv", dtype=str)["circle"])
    assert {node["id"] for node in data["nodes"]} == {f"circle:{circle}" for circle in circles}


def test_groups_none_draws_every_organisation_and_graph_files_keep_them_unless_asked(tmp_path, big_dir):
    import json
    import re

    out = tmp_path / "every.html"
    assert run(big_dir, "-o", out, "--groups", "none").exit_code == 0
    data = json.loads(re.search(r"var data = (\{.*?\});\n", out.read_text(encoding="utf-8"), re.S).group(1))
    orgs = pd.read_csv(big_dir / "organizations.csv", dtype=str)
    assert len(data["nodes"]) == len(orgs)
    assert "window.cojianSigma" in out.read_text(encoding="utf-8")  # over 1,500 organisations: WebGL …
    canvas = tmp_path / "canvas.html"  # … unless vis-network is asked for
    assert run(big_dir, "-o", canvas, "--groups", "none", "--renderer", "vis").exit_code == 0
    assert "vis.Network" in canvas.read_text(encoding="utf-8") and "cojianSigma" not in canvas.read_text("utf-8")
    whole = tmp_path / "whole.graphml"
    assert run(big_dir, "-o", whole).exit_code == 0  # graph files hold everything by default
    assert nx.read_graphml(whole).number_of_nodes() == len(orgs)
    sectors = tmp_path / "sectors.graphml"
    assert run(big_dir, "-o", sectors, "--groups", "sector").exit_code == 0
    H = nx.read_graphml(sectors)
    assert set(H) == {f"sector:{sector}" for sector in set(orgs["sector"].fillna(""))}
    assert sum(int(count) for _, count in H.nodes(data="organizations")) == len(orgs)


def test_tables_cannot_be_grouped(tmp_path, ledger_dir):
    result = run(ledger_dir, "-o", tmp_path / "rank.csv", "--groups", "sector")
    assert result.exit_code != 0 and "tables hold organisations" in result.output


@pytest.mark.parametrize(("suffix", "steps"), [
    ("gexf", ["构建网络 building the network", "布局 laying it out", "计算指标 computing the measures",
              "写入文件 writing the file"]),
    ("png", ["构建网络 building the network", "布局 laying it out", "写入文件 writing the file"]),
    ("csv", ["构建网络 building the network", "计算指标 computing the measures", "写入文件 writing the file"]),
])
def test_export_names_its_steps_once_it_takes_a_while(tmp_path, ledger_dir, monkeypatch, suffix, steps):
    from cojian_graph.cli import options

    monkeypatch.setattr(options.Progress.__init__, "__defaults__", (0.0,))  # show from the start
    result = CliRunner().invoke(main, ["export", str(ledger_dir), "-o", str(tmp_path / f"x.{suffix}")])
    assert result.exit_code == 0, result.output
    shown = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert shown == [f"[{i + 1}/{len(steps)}] {step} …" for i, step in enumerate(steps)]


def test_a_large_ledger_is_announced_and_each_step_of_reading_it_named(tmp_path, ledger_dir, monkeypatch):
    from cojian_graph.cli import options

    quiet = CliRunner().invoke(main, ["validate", str(ledger_dir)])
    assert "reading the ledger" not in quiet.stderr
    monkeypatch.setattr(options, "READ_NOTICE_BYTES", 1)
    result = CliRunner().invoke(main, ["validate", str(ledger_dir)])
    assert result.exit_code == 0, result.output
    size = sum(file.stat().st_size for file in ledger_dir.iterdir()) / 2**20
    assert result.stderr.splitlines()[:5] == [f"读取台账 reading the ledger ({size:,.0f} MB) …",
                                              "  (1/4) 读取 reading organizations.csv …",
                                              "  (2/4) 读取 reading activities.csv …",
                                              "  (3/4) 读取 reading participations.csv …",
                                              "  (4/4) 检查台账 checking the ledger …"]
