"""Our exact path measures against NetworKit's parallel exact kernels, side by side (issue #12).

    .venv/bin/python -m pip install networkit     # not a dependency of cojian-graph
    .venv/bin/python scripts/compare-networkit.py 1000 10000

On ``synthetic_ledger(N, 3N, seed=1)``, the weighted betweenness, closeness and harmonic centrality
(tie length 1 / weight) of every organisation: ours (igraph, the sources split between this process
and a forked child, cojian_graph.analysis.paths) and NetworKit's ``Betweenness``, ``Closeness``
(generalised, as networkx's Wasserman–Faust) and ``HarmonicCloseness`` on all cores. Checks that the
values agree, prints wall-clock seconds, and times NetworKit's ``ApproxBetweenness`` (Riondato and
Kornaropoulos; ε = 0.01, δ = 0.1) with its largest error against the exact values.
"""

from __future__ import annotations

import os
import sys
import time

import networkit as nk
import numpy as np

from cojian_graph.analysis import paths
from cojian_graph.analysis.engine import net_from_ledger
from cojian_graph.synth import synthetic_ledger


def compare(n: int) -> None:
    net = net_from_ledger(synthetic_ledger(n, 3 * n, seed=1))
    G = nk.Graph(net.n, weighted=True)
    for (u, v), length in zip(net.g.get_edgelist(), net.distances("weight"), strict=True):
        G.addEdge(u, v, length)
    nk.setNumberOfThreads(os.cpu_count() or 1)
    started = time.perf_counter()
    kernels = [nk.centrality.Betweenness(G, normalized=False),
               nk.centrality.Closeness(G, True, nk.centrality.ClosenessVariant.GENERALIZED),
               nk.centrality.HarmonicCloseness(G, normalized=False)]
    for kernel in kernels:
        kernel.run()
    theirs = time.perf_counter() - started
    started = time.perf_counter()
    finish = paths.prefetch_paths(net)
    if finish is not None:
        finish()
    ours = [paths.betweenness_values(net), paths.closeness_values(net), paths.harmonic_values(net)]
    mine = time.perf_counter() - started
    b, c, h = (np.asarray(kernel.scores()) for kernel in kernels)
    # NetworKit counts each unordered pair twice; networkx normalises betweenness by (n-1)(n-2)/2
    assert np.allclose(b / ((net.n - 1) * (net.n - 2)), ours[0], atol=1e-9)
    assert np.allclose(c, ours[1], atol=1e-9) and np.allclose(h, ours[2], atol=1e-7)
    print(f"{net.n:,} organisations, {net.m:,} ties: ours {mine:.2f} s, NetworKit ({nk.getMaxNumberOfThreads()} "
          f"threads) {theirs:.2f} s; values agree")
    started = time.perf_counter()
    approx = nk.centrality.ApproxBetweenness(G, epsilon=0.01, delta=0.1)
    approx.run()
    error = np.max(np.abs(np.asarray(approx.scores()) - ours[0] * (net.n - 2) / net.n))
    print(f"  ApproxBetweenness ε = 0.01, δ = 0.1: {time.perf_counter() - started:.2f} s, "
          f"{approx.numberOfSamples():,} samples, largest error {error:.4f}")


if __name__ == "__main__":
    for size in map(int, sys.argv[1:] or ["1000"]):
        compare(size)
