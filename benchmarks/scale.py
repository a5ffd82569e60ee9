"""Group and province scale: what each command costs at 10^3, 10^4 and 10^5 organisations, how that
grows, and the rank table against bare igraph's exact kernels.

**Growth.** Each command a user runs (``cojian validate``, ``rank``, ``stats``, ``export`` to GEXF,
PNG and HTML) on ledgers made by ``cojian synth -n N -m 3N -s 1``, as a process from start-up to
exit, once, with its peak memory (the process's maximum resident set, from ``wait4``). The growth
exponent is the slope of log time (and log memory) between the two largest sizes; the 10^6 column
extrapolates it, to show what a national ledger would need (it is not measured).

**The rank table against the kernels.** At 10^4 organisations, in this process on the same igraph
view: our whole default rank table (path measures estimated) and our exact path measures (two
processes) against bare igraph's exact kernels of the same measures (betweenness, closeness and
harmonic with lengths 1/w, PageRank, eigenvector, Burt's constraint, converged Leiden, coreness), one
thread, graph building not counted.

Run alone: ``python -m benchmarks --only scale`` (``--quick``: 10^3 and 3·10^3 organisations).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cojian_graph.analysis.registry import DEFAULT_MEASURES

from . import Context, Result, best_of

BASELINE_NAME = "bare igraph"
TITLE = "Scale: each command at 10^3–10^5 organisations (growth), and the rank table vs bare igraph's kernels"
NOTE = ("Growth rows: seconds and peak memory of the command as a process; ratio column empty. 'growth' is the "
        "exponent b of time ∝ n^b between the two largest sizes, '10^6 (extrapolated)' what that exponent "
        "predicts. Kernel rows: ratio = bare igraph time / ours (above 1: ours faster).")

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 3_000)
COMMANDS = {
    "validate": ["validate"],
    "rank (defaults)": ["rank", "-f", "csv"],
    "stats": ["stats"],
    "export GEXF": ["export", "-o", "{out}.gexf", "--force"],
    # above 20,000 organisations a graph file carries the quick measures by default: the whole table too
    "export GEXF (whole rank table)": ["export", "-o", "{out}-all.gexf", "--force", "-m", ",".join(DEFAULT_MEASURES)],
    "export PNG": ["export", "-o", "{out}.png", "--force"],
    "export HTML": ["export", "-o", "{out}.html", "--force"],
}


def run(ctx: Context) -> list[Result]:
    sizes = QUICK_SIZES if ctx.quick else SIZES
    folders = {n: _ledger_folder(n, ctx) for n in sizes}
    results = []
    for label, arguments in COMMANDS.items():
        figures = {}
        for n in sizes:
            ctx.log(f"  cojian {' '.join(arguments[:1])} at {n:,} organisations …")
            out = ctx.data_dir / f"scale-out-{n}"
            command = [_cojian(), arguments[0], str(folders[n]), *[a.format(out=out) for a in arguments[1:]]]
            figures[n] = _time_process(command)
        results += _growth_rows(label, figures)
    if not ctx.quick:
        results += _kernels(ctx, folders[10_000])
    return results


def _growth_rows(label: str, figures: dict[int, tuple[float, float]]) -> list[Result]:
    sizes = sorted(figures)
    rows = [Result(f"`cojian {label}`", f"{n:,} orgs", seconds, None, f"peak {memory / 2**20:,.0f} MB")
            for n, (seconds, memory) in figures.items()]
    small, large = sizes[-2], sizes[-1]
    span = math.log(large / small)
    time_exp = math.log(figures[large][0] / figures[small][0]) / span
    memory_exp = math.log(figures[large][1] / figures[small][1]) / span
    factor = 1_000_000 / large
    rows.append(Result(f"  growth (time ∝ n^{time_exp:.2f}, memory ∝ n^{memory_exp:.2f})", "10^6 (extrapolated)",
                       figures[large][0] * factor ** time_exp, None,
                       f"peak ≈ {figures[large][1] * factor ** memory_exp / 2**30:,.1f} GB"))
    return rows


def _kernels(ctx: Context, folder: Path) -> list[Result]:
    from cojian_graph.analysis import net_from_ledger, rank_columns_from_graph
    from cojian_graph.analysis.engine import seeded
    from cojian_graph.io import read_ledger

    ledger = read_ledger(folder)
    size = "10,000 orgs"
    ctx.log("  the default rank table in-process, and bare igraph's exact kernels (about 2 minutes) …")

    def ours_default():
        return rank_columns_from_graph(net_from_ledger(ledger))

    seconds, table = best_of(ours_default, repeat=1)
    net = net_from_ledger(ledger)
    g, lengths, weights = net.g, net.distances("weight"), net.weights("weight").tolist()

    def kernels():
        g.betweenness(directed=False, weights=lengths)
        g.closeness(weights=lengths)
        g.harmonic_centrality(weights=lengths)
        g.pagerank(weights=weights)
        g.eigenvector_centrality(weights=weights, scale=False)
        g.constraint(weights=weights)
        with seeded(0):
            g.community_leiden(objective_function="modularity", weights=weights, n_iterations=-1)
        g.coreness()

    baseline, _ = best_of(kernels, repeat=1)
    notes = "; ".join(estimate.note("en").split(" (")[0] for estimate in table.estimates.values())
    rows = [Result("rank table, all 17 default measures (path measures estimated)", size, seconds, baseline,
                   f"baseline: the 8 measures bare igraph has, exact; {notes}")]

    def ours_exact_paths():
        return rank_columns_from_graph(net_from_ledger(ledger), measures=["betweenness", "closeness", "harmonic"],
                                       exact=True)

    exact_seconds, _ = best_of(ours_exact_paths, repeat=1)

    def bare_paths():
        g.betweenness(directed=False, weights=lengths)
        g.closeness(weights=lengths)
        g.harmonic_centrality(weights=lengths)

    bare, _ = best_of(bare_paths, repeat=1)
    rows.append(Result("  exact betweenness, closeness, harmonic (--exact)", size, exact_seconds, bare,
                       "ours: two processes; bare igraph: one thread"))
    return rows


def _ledger_folder(orgs: int, ctx: Context) -> Path:
    folder = ctx.data_dir / f"synth-scale-{orgs}"
    if not (folder / "participations.csv").exists() or ctx.fresh:
        ctx.log(f"  cojian synth -n {orgs:,} …")
        subprocess.run([_cojian(), "synth", "-n", str(orgs), "-m", str(3 * orgs), "-s", "1", "-o", str(folder),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return folder


def _cojian() -> str:
    return str(Path(sys.executable).with_name("cojian"))


def _time_process(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and peak resident memory (bytes) of ``command``, output discarded (stderr
    kept in a file, not a pipe, which a chatty command could fill while it is waited for)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(command)} failed ({code}): {message[-2000:]}")
    return seconds, usage.ru_maxrss * 1024.0
