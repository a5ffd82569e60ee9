"""Building the collaboration graph: ours (vectorised edge table → networkx) against plain networkx.

The plain-networkx baseline is what one would write without cojian-graph: the bipartite
organisation–activity graph, then ``networkx.bipartite.weighted_projected_graph`` onto the
organisations. It gives the weights only; ours also gives the per-link counts, multiplexity and the
evidence (activity ids). The baseline's time grows with the square of the busiest organisation's
activities (the focal one takes part in ~45 %), so it is run on smaller ledgers, where ours is
timed on the same data; ours alone is then timed on about a million participations.
"""

from __future__ import annotations

import networkx as nx
from networkx.algorithms import bipartite

from . import Context, Result, best_of, ledger_size, synthetic

TITLE = "Graph building: collaboration graph from a ledger"

SEED = 1
#: (orgs, activities): the large ledger for ours alone, and the ledgers both are timed on
FULL = {"large": (10_000, 345_000), "compare": [(1_000, 10_000), (2_000, 30_000)]}
QUICK = {"large": (1_000, 10_000), "compare": [(500, 3_000)]}


def run(ctx: Context) -> list[Result]:
    from cojian_graph.graph import GraphFilter, collaboration_edges, collaboration_graph, filtered_graph

    sizes = QUICK if ctx.quick else FULL
    results: list[Result] = []

    for orgs, activities in sizes["compare"]:
        ledger, _, _ = synthetic(orgs, activities, SEED, ctx)
        size = ledger_size(ledger)
        ctx.log(f"  compare on {size} …")
        ours_edges, edges = best_of(lambda ledger=ledger: collaboration_edges(ledger, evidence=False), 3)
        ours_graph, G = best_of(lambda ledger=ledger: collaboration_graph(ledger, evidence=False), 3)
        base_bip, B = best_of(lambda ledger=ledger: bipartite_graph(ledger), 3 if activities <= 10_000 else 1)
        base_proj, P = best_of(lambda B=B: project(B), 1)
        same = weights_of(G) == {frozenset((u[1], v[1])): w for u, v, w in P.edges(data="weight")}
        if not same:
            raise AssertionError("ours and networkx disagree on the edge weights")
        results += [
            Result("edge table (weights, per-link counts), vs projection", size, ours_edges,
                   base_bip + base_proj, f"{len(edges):,} edges; weights agree"),
            Result("networkx graph with attributes, vs bipartite + projection", size, ours_graph,
                   base_bip + base_proj,
                   f"baseline: bipartite {base_bip:.2f} s + projection {base_proj:.2f} s"),
        ]

    orgs, activities = sizes["large"]
    ledger, generated, cached = synthetic(orgs, activities, SEED, ctx)
    size = ledger_size(ledger)
    ctx.log(f"  ours alone on {size} …")
    results.append(Result("synthetic ledger (synth.synthetic_ledger)", size, generated, None,
                          f"timed when generated, {cached} clock (cached in bench-data/; --fresh to redo)"
                          if cached else ""))
    repeat = 3 if ctx.quick else 2
    seconds, edges = best_of(lambda: collaboration_edges(ledger, evidence=False), repeat)
    results.append(Result("edge table, counts only", size, seconds, None,
                          f"{len(edges):,} edges; networkx baseline not run: see note"))
    seconds, _ = best_of(lambda: collaboration_edges(ledger), repeat)
    results.append(Result("edge table with evidence (activity ids)", size, seconds))
    seconds, G = best_of(lambda: collaboration_graph(ledger), repeat)
    results.append(Result("networkx graph, every attribute (collaboration_graph)", size, seconds, None,
                          f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges"))

    # a partner of median activity: its 1-step neighbourhood, ours from the ledger, networkx's from
    # the graph already built (the baseline is not charged for building it)
    degrees = sorted(G.degree, key=lambda item: (item[1], item[0]))
    focus = degrees[len(degrees) // 2][0]
    spec = GraphFilter(focus=focus, hops=1)
    ours, view = best_of(lambda: filtered_graph(ledger, spec), repeat)
    base, ego = best_of(lambda: nx.ego_graph(G, focus, radius=1), repeat)
    if set(view) != set(ego) or view.number_of_edges() != ego.number_of_edges():
        raise AssertionError("the focus view differs from networkx.ego_graph")
    results.append(Result("focus view, 1 step (filtered_graph) vs ego_graph on the built graph", size, ours,
                          base, f"{view.number_of_nodes():,} nodes, {view.number_of_edges():,} edges; "
                          "networkx not charged for building the graph"))
    return results


NOTE = ("The plain-networkx projection is quadratic in the busiest organisation's activity count; "
        "it is timed on the smaller ledgers only (at 30,000 activities it already takes tens of seconds).")


def bipartite_graph(ledger) -> nx.Graph:
    """The organisation–activity graph, built with plain networkx calls from the participations."""
    B = nx.Graph()
    B.add_nodes_from((("org", org) for org in ledger.organizations["id"]), bipartite=0)
    B.add_nodes_from((("act", act) for act in ledger.activities["id"]), bipartite=1)
    B.add_edges_from(zip((("org", org) for org in ledger.participations["organization_id"]),
                         (("act", act) for act in ledger.participations["activity_id"]), strict=True))
    return B


def project(B: nx.Graph) -> nx.Graph:
    orgs = [node for node, side in B.nodes(data="bipartite") if side == 0]
    return bipartite.weighted_projected_graph(B, orgs)


def weights_of(G: nx.Graph) -> dict[frozenset, int]:
    return {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}
