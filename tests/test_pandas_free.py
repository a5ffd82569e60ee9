"""``cojian rank PATH`` on a CSV folder (table format) never imports pandas (issue #3: about half a
second of a one-second run), and prints what the DataFrame route (``rank_table`` + ``text_table``)
prints.

Each case runs the command in a fresh interpreter, which reports the pandas modules loaded at the
end; the expected text is computed here, in this process, from ``rank_table``'s DataFrame.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cojian_graph.analysis import MEASURES, rank_table
from cojian_graph.graph import GraphFilter
from cojian_graph.io import read_ledger, write_ledger
from cojian_graph.textable import text_table

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

#: Runs ``cojian rank ARGS…`` in this interpreter, then prints which pandas modules got loaded (stderr).
RUN = """
import json, sys
from cojian_graph.cli import main
main(sys.argv[1:] if sys.argv[1] == "stats" else ["rank", *sys.argv[1:]], standalone_mode=False)
sys.stdout.flush()
loaded = sorted(name for name in sys.modules if name == "pandas" or name.startswith("pandas."))
print("LOADED " + json.dumps(loaded), file=sys.stderr)
"""


def _run(*args: str) -> tuple[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = [line for line in done.stderr.splitlines() if line.startswith("LOADED ")]
    assert len(report) == 1, done.stderr
    return done.stdout, json.loads(report[0][len("LOADED "):])


def _expected(path: Path, top: int | None = None, **kwargs) -> str:
    """What the DataFrame route prints: ``rank_table``'s columns shown by ``text_table``."""
    table = rank_table(read_ledger(path), top=top, **kwargs)
    shown = ["rank", "id", "name", "circle", *[c for c in table.columns if c in MEASURES]]
    return text_table(table[shown]) + "\n"


@pytest.fixture(scope="module")
def synth_folder(tmp_path_factory):
    """A CSV ledger of 450 organisations: large enough for the path measures' forked child."""
    from cojian_graph.analysis.engine import PARALLEL_MIN_NODES
    from cojian_graph.synth import synthetic_ledger

    folder = tmp_path_factory.mktemp("synth") / "ledger"
    write_ledger(synthetic_ledger(450, 900, 11), folder)
    assert PARALLEL_MIN_NODES <= 450
    return folder


CASES = [
    ((), {}),
    (("--layer", "learning"), {"layer": "learning"}),
    (("--circle", "external"), {"spec": GraphFilter(circles=("external",))}),
    (("--focus", "zhugang", "--hops", "2"), {"spec": GraphFilter(focus="zhugang", hops=2)}),
    (("--min-weight", "2", "-m", "betweenness,eigenvector,community", "--sort-by", "eigenvector"),
     {"spec": GraphFilter(min_weight=2), "measures": ["betweenness", "eigenvector", "community"],
      "sort_by": "eigenvector"}),
]


@pytest.mark.parametrize(("args", "kwargs"), CASES, ids=lambda value: " ".join(value) if isinstance(value, tuple)
                         else None)
def test_rank_table_without_pandas_prints_the_dataframe_route(args, kwargs):
    out, loaded = _run("data", *args)
    assert loaded == []
    assert out == _expected(DATA, **kwargs)
    assert out.count("\n") > 3  # a header, dashes and rows


def test_rank_of_a_large_ledger_forks_without_pandas(synth_folder):
    out, loaded = _run(str(synth_folder), "--top", "40", "-w", "betweenness=1", "-w", "liaison=1")
    assert loaded == []
    assert out == _expected(synth_folder, top=40, weights={"betweenness": 1, "liaison": 1})
    assert len(out.splitlines()) == 2 + 40


def test_csv_format_still_goes_through_pandas():
    out, loaded = _run("data", "-f", "csv")
    assert "pandas" in loaded
    assert out.splitlines()[0].startswith("id,name,name_en,circle,degree,")


def test_stats_without_pandas_reports_what_the_dataframe_route_gives():
    from cojian_graph.analysis import ei_index_groups, net_from_ledger, network_summary

    out, loaded = _run("stats", "data", "-f", "json")
    assert loaded == []
    report = json.loads(out)
    net = net_from_ledger(read_ledger(DATA))
    reference = ei_index_groups(net)  # the DataFrame route
    assert list(report["ei_index_by_group"]) == reference.index.tolist()
    for group, row in reference.iterrows():
        got = report["ei_index_by_group"][group]
        assert got["organizations"] == int(row["organizations"]) and isinstance(got["organizations"], int)
        assert (got["internal"], got["external"]) == (row["internal"], row["external"])
        assert got["ei_index"] == pytest.approx(row["ei_index"])
    summary = network_summary(net)
    assert (report["organizations"], report["ties"]) == (summary["organizations"], summary["ties"])
    text, loaded = _run("stats", "data")
    assert loaded == [] and "E-I 按圈层 by group" in text
