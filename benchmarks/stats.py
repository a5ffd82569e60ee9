"""The network summary (``cojian stats``) at 10^4 and 10^5 organisations, against bare igraph's exact
kernels on the same graph in the same run.

Ours: the igraph view built from the ledger and ``network_summary`` (exact average path length up to
10^9 search steps, sampled with a 95 % interval beyond; diameter by iFUB; Leiden). The baseline:
igraph's exhaustive ``average_path_length`` and ``diameter``, converged Leiden and transitivity, on
the same igraph graph (building it not counted). At 10^5 organisations the exhaustive search would
take about ten minutes, so the baseline is left out there; the estimate's interval is checked
against the exact value at 10^4.

Run alone: ``python -m benchmarks --only stats`` (``--quick``: 10^3 organisations).
"""

from __future__ import annotations

from . import Context, Result, best_of, ledger_size, synthetic

BASELINE = "bare igraph"
BASELINE_NAME = "bare igraph"
TITLE = "The network summary (`cojian stats`): ours vs bare igraph's exhaustive kernels"
NOTE = ("Baseline: igraph's exact average path length and diameter, converged Leiden and transitivity on the "
        "same graph (graph building not counted); none at 10^5 (about ten minutes). Reading and validating "
        "the ledger are timed in the graph_build section.")

FULL = ((10_000, 30_000, 1), (100_000, 300_000, 1))
QUICK = ((1_000, 3_000, 1),)
#: Above this many organisations, no exhaustive baseline.
BASELINE_MAX = 20_000


def run(ctx: Context) -> list[Result]:
    results = []
    for orgs, activities, seed in QUICK if ctx.quick else FULL:
        results += _one_size(ctx, orgs, activities, seed)
    return results


def _one_size(ctx: Context, orgs: int, activities: int, seed: int) -> list[Result]:
    from cojian_graph.analysis import net_from_ledger, network_summary
    from cojian_graph.analysis.distances import path_figures
    from cojian_graph.analysis.engine import seeded
    from cojian_graph.graph import GraphFilter

    ledger, _, _ = synthetic(orgs, activities, seed, ctx)
    size = ledger_size(ledger)
    ctx.log(f"  the summary of {orgs:,} organisations …")
    seconds, summary = best_of(lambda: network_summary(net_from_ledger(ledger, GraphFilter())), repeat=1)
    paths = summary["paths"]
    how = (f"path length {summary['average_path_length']:.4f} ± {paths['error']:.4f} ({paths['samples']} "
           f"sampled)" if paths["method"] == "sampled" else f"path length {summary['average_path_length']:.4f}")
    baseline, note = None, f"{how}, diameter {summary['diameter']} (iFUB)"
    net = net_from_ledger(ledger, GraphFilter())
    g, weights = net.g, net.weights("weight").tolist()

    def exhaustive():
        with seeded(0):
            g.community_leiden(objective_function="modularity", weights=weights, n_iterations=-1)
        return (g.average_path_length(directed=False, unconn=True), g.diameter(directed=False, unconn=True),
                g.transitivity_undirected())

    if orgs <= BASELINE_MAX:
        baseline, (exact, diameter, _) = best_of(exhaustive, repeat=1)
        assert diameter == summary["diameter"]
        sampled = path_figures(net, exact=False)
        note += (f"; exact path length {exact:.4f}, diameter {diameter}; sampled: "
                 f"{sampled.average_path_length:.4f} ± {sampled.error:.4f} in {sampled.samples} searches")
    results = [Result("network summary (graph + every figure)", size, seconds, baseline, note)]
    seconds, _ = best_of(lambda: path_figures(net), repeat=1)
    results.append(Result("  of which path length and diameter", size, seconds, None))
    return results
