"""The timeline on a ledger grown over six years: the growth tables and trends, one year of the map's
play (the year's graph on fixed positions and its page), against plain Python and networkx on the
same data in the same run (each tie's first year from the pairs of co-participants; the year's graph
built with networkx from those pairs).

Run alone: ``python -m benchmarks --only timeline`` (``--quick``: 10^3 organisations; the full run
has 10^4 and 3·10^4 activities, 2020–2025).
"""

from __future__ import annotations

import collections
import itertools

from . import Context, Result, best_of, ledger_size, participants

TITLE = "The timeline (6 years): growth tables, trends, one year of the map's play, vs plain Python / networkx"
NOTE = ("Baselines: each tie's first year counted with itertools over the activities' participants (the growth "
        "table's new ties); the year's graph built with networkx from the same pairs (the map's year step). "
        "The year step is timed as the map takes it: the year's strongest ties from the view's ties per year, "
        "then the page made in a child process (wall-clock, fork and transfer included). "
        "The issue's target for a year step on 10^4 organisations: under 1 s warm.")

FULL = (10_000, 30_000, 1)
QUICK = (1_000, 3_000, 1)


def run(ctx: Context) -> list[Result]:
    import networkx as nx

    from cojian_graph.analysis.timeline import growth, periods_of, trends
    from cojian_graph.graph import GraphFilter, filtered_graph
    from cojian_graph.graph.history import tie_history
    from cojian_graph.jobs import Jobs
    from cojian_graph.render import network_html
    from cojian_graph.render.layout import compute_layout
    from cojian_graph.render.network_html import MAX_DRAWN_TIES, prepare
    from cojian_graph.synth import synthetic_timeline

    orgs, activities, seed = QUICK if ctx.quick else FULL
    ctx.log(f"  growing a ledger of {orgs:,} organisations over six years …")
    ledger, _ = synthetic_timeline(orgs, activities, seed)
    size = ledger_size(ledger)
    members = participants(ledger)
    year = dict(zip(ledger.column("activities", "id").tolist(),
                    [int(date[:4]) for date in ledger.column("activities", "date").tolist()], strict=True))

    def first_years():
        first = {}
        for act, orgs_of in members.items():
            y = year[act]
            for pair in itertools.combinations(sorted(orgs_of), 2):
                if first.get(pair, 9999) > y:
                    first[pair] = y
        return collections.Counter(first.values())

    ctx.log("  growth tables …")
    plain, expected = best_of(first_years, repeat=1)
    ours, table = best_of(lambda: growth(ledger), repeat=1)
    assert dict(zip(table.table.index.astype(int), table.table["new_ties"], strict=True)) == dict(expected)
    results = [Result("growth tables (every column, per year and per link)", size, ours, plain,
                      "baseline: new ties per year only")]
    ctx.log("  trends …")
    seconds, _ = best_of(lambda: trends(ledger), repeat=1)
    results.append(Result("trends (Theil–Sen, every organisation)", size, seconds, None))

    ctx.log("  one year of the map's play …")
    numbers = periods_of(ledger.column("activities", "date"))
    whole = filtered_graph(ledger, GraphFilter())
    positions = compute_layout(whole, "force")  # once per view, before playing
    step_year = int(numbers.max()) - 1
    seconds, history = best_of(lambda: tie_history(ledger), repeat=1)  # once per view, before playing
    results.append(Result("the view's ties per year (once per view, before playing)", size, seconds, None))
    prepare(ledger, "zh")  # as the explorer does before its first page: each page's child inherits it
    pages = Jobs(workers=1)
    made = itertools.count()

    def step():  # as the map does it (app_pages/map.py, _snapshot): the year's graph, then its page in a child
        graph = history.graph_at(step_year, limit=MAX_DRAWN_TIES)
        job = pages.submit(("page", next(made)), lambda progress: network_html(graph, ledger, positions=positions))
        job.wait()
        return job.result()

    def plain_step():
        graph = nx.Graph()
        for act, orgs_of in members.items():
            if year[act] <= step_year:
                graph.add_edges_from(itertools.combinations(orgs_of, 2))
        return graph

    step()  # warm: the first call pays for imports
    warm, _ = best_of(step, repeat=3)
    baseline, _ = best_of(plain_step, repeat=3)
    results.append(Result(f"one year of the map's play (graph to {step_year} and its page), warm", size, warm,
                          baseline, "baseline: the networkx graph alone, no page"))
    return results
