"""A mass meeting: `cojian rank` on a ledger with one activity of many participants, and Burt's
measures (effective size and constraint) against networkx on the clique such a meeting makes.

A meeting of *k* organisations ties every pair of them: C(k, 2) ties and C(k, 3) triangles (166
million for k = 1,000). The rank table must stay in memory that grows with the ties. The first row
runs the command a user runs, as a process, and reports its peak resident memory (from the kernel);
the second times the triangle-heavy measures in-process against networkx's own functions on a
smaller meeting (networkx's per-node code sums over partners of partners for every partner, about
k^4 Python steps on a k-clique: about a minute at k = 60, days at k = 1,000). Values are compared
before times are reported.

Run alone: ``python -m benchmarks --only mass_meeting`` (``--quick``: smaller meetings).
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path

from . import Context, Result, best_of

TITLE = "Mass meetings: `cojian rank` with one meeting of k organisations; Burt's measures vs networkx"
NOTE = ("The first row's baseline is not measured (networkx's Burt measures grow as k^4 on a k-clique: days at "
        "k = 1,000); its note gives the peak memory of the whole process.")

FULL = {"orgs": 1000, "activities": 3000, "seed": 7, "meeting": 1000, "compared": 60}
QUICK = {"orgs": 300, "activities": 900, "seed": 7, "meeting": 300, "compared": 30}

# The child's own peak (VmHWM, in kB): ru_maxrss would carry over the benchmark process's size at fork.
_PEAK = ("import sys\nfrom cojian_graph.cli import main\n"
         "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
         "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')), "
         "file=sys.stderr)")


def run(ctx: Context) -> list[Result]:
    shape = QUICK if ctx.quick else FULL
    results = []
    with tempfile.TemporaryDirectory(prefix="cojian-mass-") as tmp:
        folder = Path(tmp) / "ledger"
        ctx.log(f"  cojian synth with a meeting of {shape['meeting']:,} …")
        subprocess.run([sys.executable, "-m", "cojian_graph", "synth", "--orgs", str(shape["orgs"]),
                        "--activities", str(shape["activities"]), "--seed", str(shape["seed"]),
                        "--mass-meeting", str(shape["meeting"]), "-o", str(folder)], check=True,
                       capture_output=True)
        ctx.log("  cojian rank as a process …")
        seconds, peak_mb = _rank_process(folder)
        ties = shape["meeting"] * (shape["meeting"] - 1) // 2
        results.append(Result(
            "`cojian rank` (every default measure)",
            f"{shape['orgs']:,} orgs, {shape['activities']:,} acts + a meeting of {shape['meeting']:,} "
            f"({ties:,} ties)", seconds, None, f"peak memory {peak_mb:,.0f} MB"))
    results.append(_burt_against_networkx(shape["compared"], ctx))
    return results


def _rank_process(folder: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of ``cojian rank FOLDER`` in a fresh process."""
    import time

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, "rank", str(folder)], check=True, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def _burt_against_networkx(k: int, ctx: Context) -> Result:
    """Effective size and constraint of a k-clique with a pendant chain, ours against networkx."""
    import networkx as nx

    from cojian_graph.analysis.brokerage import constraint_values, effective_size_values
    from cojian_graph.analysis.engine import net_from_graph

    G = nx.complete_graph(k)
    G.add_edges_from((i, i + 1) for i in range(k - 1, 2 * k))
    nx.set_edge_attributes(G, 1, "weight")
    ctx.log(f"  effective size and constraint on a {k}-clique, ours …")
    ours, (size, constraint) = best_of(
        lambda: (effective_size_values(net_from_graph(G)), constraint_values(net_from_graph(G))))
    ctx.log("  … and networkx's …")
    theirs, (their_size, their_constraint) = best_of(
        lambda: (nx.effective_size(G, nodes=list(G), weight="weight"), nx.constraint(G, weight="weight")), repeat=1)
    net = net_from_graph(G)
    for position, node in enumerate(net.ids):
        assert math.isclose(size[position], their_size[node], rel_tol=1e-9), node
        assert math.isclose(constraint[position], their_constraint[node], rel_tol=1e-9), node
    return Result("effective size + constraint", f"a {k}-clique and a chain of {k + 1} ({G.number_of_edges():,} ties)",
                  ours, theirs, "values equal to 1e-9")
