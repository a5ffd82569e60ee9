"""The briefing (共建分析报告) and the recommendations on a ledger grown over six years (mass meetings
included): what a leader waits for after pressing the button, against plain networkx on the same data
in the same run (the collaboration graph and its degree centrality: the least a hand-made briefing
needs).

Run alone: ``python -m benchmarks --only report`` (``--quick``: 10^3 organisations; the full run has
10^4 and 3·10^4 activities, 2020–2025).
"""

from __future__ import annotations

import itertools

from . import Context, Result, best_of, ledger_size, participants

TITLE = "The briefing (Word and PDF) and the recommendations, vs plain networkx"
NOTE = ("Baseline: the networkx collaboration graph from the activities' pairs of participants and its degree "
        "centrality. The issue's target: a 10^4-organisation ledger makes a readable report in well under a minute.")

FULL = (10_000, 30_000, 1)
QUICK = (1_000, 3_000, 1)


def run(ctx: Context) -> list[Result]:
    import networkx as nx

    from cojian_graph.analysis.recommend import approach, deepen, evaluate
    from cojian_graph.report import build_report, report_bytes
    from cojian_graph.synth import synthetic_timeline

    orgs, activities, seed = QUICK if ctx.quick else FULL
    ctx.log(f"  growing a ledger of {orgs:,} organisations over six years …")
    ledger, _ = synthetic_timeline(orgs, activities, seed)
    size = ledger_size(ledger)
    members = participants(ledger)

    def plain():
        graph = nx.Graph()
        for orgs_of in members.values():
            graph.add_edges_from(itertools.combinations(orgs_of, 2))
        return nx.degree_centrality(graph)

    ctx.log("  the briefing …")
    baseline, _ = best_of(plain, repeat=1)
    built, report = best_of(lambda: build_report(ledger), repeat=1)
    pdf, _ = best_of(lambda: report_bytes(report, "pdf"), repeat=1)
    docx, _ = best_of(lambda: report_bytes(report, "docx"), repeat=1)
    results = [
        Result("briefing: every section worked out", size, built, baseline, "baseline: graph + degree only"),
        Result("briefing: typeset as PDF (Typst)", size, pdf, None),
        Result("briefing: written as Word (python-docx)", size, docx, None),
        Result("briefing: the whole, as the button makes it (sections + PDF)", size, built + pdf, baseline),
    ]
    ctx.log("  recommendations …")
    seconds, _ = best_of(lambda: (deepen(ledger), approach(ledger)), repeat=1)
    results.append(Result("recommendations for the focal organisation (deepen + approach)", size, seconds, None))
    if ctx.quick:  # the evaluation scores 300 organisations' candidates: a minute at 10^4
        seconds, _ = best_of(lambda: evaluate(ledger), repeat=1)
        results.append(Result("evaluation (last year held back, 300 organisations)", size, seconds, None))
    return results
