"""Path measures of large networks, estimated from sampled organisations, with a stated error.

Exact betweenness, closeness and harmonic centrality take a shortest-path search from every
organisation: organisations × (organisations + ties) steps, about a minute at 10^4 organisations and
56,000 ties on two cores, hours at 10^5. Above :data:`RANK_EXACT_STEPS` (or when asked), the rank
table estimates them from :data:`PATH_SOURCES` searches instead, and says so with an error ε that
holds **for every organisation at once** with 95 % confidence.

**Betweenness** (Brandes & Pich, *Centrality estimation in large networks*, IJBC 17(7), 2007). The
exact value is a sum over sources *s* of the dependency δ_s(v) of the other pairs' shortest paths on
*v*; ``k`` sources drawn without replacement give the unbiased estimate (n/k) Σ_{s∈S} δ_s(v). The
sources are searched in :data:`BATCH` s (igraph's ``betweenness(sources=…)``, one call per batch), and
each organisation's standard error comes from the spread of its batch means, with the finite-population
correction (exact when every organisation is a source).

**Closeness and harmonic centrality** (Eppstein & Wang, *Fast approximation of centrality*, JGAA 8(1),
2004), stratified. Within each connected component larger than ``k`` + :data:`CERTAIN_PIVOTS`, the
:data:`CERTAIN_PIVOTS` organisations with the strongest ties are searched from for sure, and ``k``
pivots drawn from the rest. An organisation's sum of distances (and of inverse distances) to the
others is the exact sum over the certain pivots plus the drawn pivots' mean times the size of the
rest; closeness is the reach over that sum, scaled as :func:`~cojian_graph.analysis.paths.closeness`
scales it, and harmonic centrality the sum of inverse distances. With lengths 1/w, an organisation
tied by hundreds of joint activities to a mass meeting's organiser is at distance 1/500 from it: that
one term would dominate a uniform sample's variance, and the certain stratum takes it exactly.
Organisations in smaller components are computed exactly. The standard error of closeness is carried
through 1/x by the delta method.

**The stated error.** For each organisation *v* the interval is ±t·SE(v), with t the Student quantile
at 1 − 0.05/(2n) (Bonferroni: the chance that *any* organisation falls outside is at most 5 %); ε is
the largest half-width. The intervals rest on the central limit theorem over sources (batch means
for betweenness), so ε is an approximate bound: the tests check that it holds against exact values
on graphs where exact is feasible, over many seeds. Seeded: the same graph gives the same estimate.

Examples
--------
>>> import networkx as nx
>>> from cojian_graph.analysis.engine import as_net
>>> net = as_net(nx.karate_club_graph())
>>> estimates = sample_paths(net, weight=None, samples=34)  # every organisation a source: exact
>>> estimates["betweenness"].error, estimates["betweenness"].samples
(0.0, 34)
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .engine import Net, as_net, can_fork, in_child

__all__ = ["BATCH", "CONFIDENCE", "PATH_SOURCES", "RANK_EXACT_STEPS", "Estimate", "path_steps", "sample_paths",
           "should_sample"]

PATH_MEASURES = ("betweenness", "closeness", "harmonic")

#: Above this many steps of exact search (organisations × (organisations + ties)), the rank table
#: estimates the path measures: about 5 s of exact search on two cores (3,000 organisations with
#: 20,000 ties, a mass-meeting view of 1,000 organisations with 100,000 ties).
RANK_EXACT_STEPS = 10**8
#: Organisations searched from: betweenness sources, and pivots per large component for closeness
#: and harmonic centrality.
PATH_SOURCES = 256
#: Organisations with the strongest ties searched from for sure, per large component, for closeness
#: and harmonic centrality (see ``_pivots``).
CERTAIN_PIVOTS = 64
#: Sources per igraph call for betweenness; the standard error comes from the batch means.
BATCH = 4
#: Confidence that every organisation's estimate lies within ε of its exact value.
CONFIDENCE = 0.95

_REFERENCES = {
    "betweenness": "Brandes & Pich (2007), IJBC 17(7):2303–2318",
    "closeness": "Eppstein & Wang (2004), JGAA 8(1):39–45",
    "harmonic": "Eppstein & Wang (2004), JGAA 8(1):39–45",
}


@dataclass(frozen=True)
class Estimate:
    """How a path measure of a rank table was estimated.

    ``samples`` organisations were searched from, of ``population`` (betweenness: all organisations;
    closeness and harmonic: per large component, the most pivots any component had). ``error`` is ε,
    in the measure's own units: every organisation's estimate lies within ±ε of its exact value with
    ``confidence``.
    """

    measure: str
    samples: int
    population: int
    error: float
    confidence: float = CONFIDENCE
    reference: str = ""

    def note(self, lang: str = "zh") -> str:
        """One line for a reader, e.g. ``Betweenness: estimated from 256/100,000 organisations, ±0.0123 …``."""
        from .registry import MEASURES

        name = MEASURES[self.measure].label(lang) if self.measure in MEASURES else self.measure
        share = f"{self.samples:,}/{self.population:,}"
        error = f"{self.error:,.0f}" if self.error >= 100 else f"{self.error:.3g}"
        if lang == "zh":
            return (f"{name}：从 {share} 个组织出发抽样估计，所有组织同时 ±{error}"
                    f"（{self.confidence:.0%} 置信；{self.reference}）")
        return (f"{name}: estimated from {share} organisations, ±{error} for every organisation at once "
                f"({self.confidence:.0%} confidence; {self.reference})")

    def as_dict(self) -> dict:
        """The fields as plain data (``Estimate(**estimate.as_dict())`` gives it back)."""
        return dataclasses.asdict(self)


def path_steps(net: Net) -> int:
    """Steps of an exact all-sources search: organisations × (organisations + ties)."""
    return net.n * (net.n + net.m)


def should_sample(net: Net, exact: bool | None = None) -> bool:
    """Whether the rank table estimates the path measures: ``exact`` True/False decides; None means
    above :data:`RANK_EXACT_STEPS` (and only where sampling searches from fewer organisations)."""
    if exact is not None:
        return not exact and net.n > 2
    return path_steps(net) > RANK_EXACT_STEPS and net.n > PATH_SOURCES


def sample_paths(G, weight: str | None = "weight", which: tuple[str, ...] = PATH_MEASURES, *,
                 samples: int | None = None, seed: int = 0, child_share: float = 0.0) -> dict[str, Estimate]:
    """Estimate the path measures in ``which``; cache them on the :class:`Net` for
    :func:`~cojian_graph.analysis.paths.betweenness` and its siblings; return how, per measure.

    With ``child_share`` > 0 and where forking is safe, a forked child takes that share of the
    searches. ``samples`` (default :data:`PATH_SOURCES`) at least the organisations gives exact
    values and ε = 0.
    """
    finish = start_sampling(as_net(G), weight, which, samples=samples, seed=seed, child_share=child_share)
    return finish()


def start_sampling(net: Net, weight: str | None, which: tuple[str, ...], *, samples: int | None = None,
                   seed: int = 0, child_share: float = 0.0):
    """Start :func:`sample_paths` (the child's share, if any, runs meanwhile); return the function
    that finishes it and returns the estimates."""
    samples = PATH_SOURCES if samples is None else samples
    which = tuple(key for key in PATH_MEASURES if key in which)
    rng = np.random.default_rng(seed)
    lengths = net.distances(weight)
    n = net.n
    sources = rng.permutation(n)[:min(samples, n)] if "betweenness" in which and n > 2 else np.zeros(0, int)
    batches = [sources[i:i + BATCH] for i in range(0, len(sources), BATCH)]
    membership = np.asarray(net.g.connected_components().membership, dtype=np.int64) if n else np.zeros(0, int)
    sizes = np.bincount(membership) if n else np.zeros(0, int)
    strata = _pivots(net, membership, sizes, samples, rng) if {"closeness", "harmonic"} & set(which) else None
    jobs = [("b", batch) for batch in batches]
    if strata is not None:
        certain, drawn, _ = strata
        jobs += [("c", block) for block in _blocks(certain)] + [("p", block) for block in _blocks(drawn)]
    split = int(len(jobs) * child_share) if child_share > 0 and can_fork() else 0
    wait = in_child(lambda: _sums(net, lengths, jobs[:split])) if split else None

    def finish() -> dict[str, Estimate]:
        totals = _sums(net, lengths, jobs[split:])
        if wait is not None:
            theirs = wait()
            totals = totals + (theirs if theirs is not None else _sums(net, lengths, jobs[:split]))
        results, estimates = {}, {}
        if "betweenness" in which:
            results["betweenness"], estimates["betweenness"] = _betweenness(
                n, totals[:3 * n], len(sources), len(batches))
        if {"closeness", "harmonic"} & set(which):
            found = _pivot_estimates(net, lengths, totals[3 * n:], membership, sizes, strata)
            for key in ("closeness", "harmonic"):
                if key in which:
                    results[key], estimates[key] = found[key]
        net.cache[("paths", weight)] = results
        net.cache[("estimates", weight)] = estimates
        return estimates

    return finish


def _sums(net: Net, lengths, jobs: list) -> np.ndarray:
    """Running sums over ``jobs`` (they add up across processes): for betweenness batches, per
    organisation the sum of the batches' values, and the sum and sum of squares of the batch means
    (3n); for blocks of certain pivots, the count of pivots reaching it, Σd, Σ1/d (3n); for blocks of
    drawn pivots, the count, Σd, Σd², Σ1/d, Σ1/d² (5n)."""
    n = net.n
    out = np.zeros(11 * n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for kind, block in jobs:
            block = block.tolist()
            if kind == "b":
                total = np.asarray(net.g.betweenness(directed=False, weights=lengths, sources=block),
                                   dtype=float)
                mean = total / len(block)
                out[:n] += total
                out[n:2 * n] += mean
                out[2 * n:3 * n] += mean * mean
            else:
                d = np.asarray(net.g.distances(source=block, weights=lengths), dtype=float)
                d[np.arange(len(block)), block] = np.inf  # not oneself
                reached = np.isfinite(d)
                near = np.where(reached, d, 0.0)
                inverse = np.where(reached, 1.0 / np.where(reached, d, 1.0), 0.0)
                if kind == "c":
                    out[3 * n:4 * n] += reached.sum(axis=0)
                    out[4 * n:5 * n] += near.sum(axis=0)
                    out[5 * n:6 * n] += inverse.sum(axis=0)
                else:
                    out[6 * n:7 * n] += reached.sum(axis=0)
                    out[7 * n:8 * n] += near.sum(axis=0)
                    out[8 * n:9 * n] += (near * near).sum(axis=0)
                    out[9 * n:10 * n] += inverse.sum(axis=0)
                    out[10 * n:11 * n] += (inverse * inverse).sum(axis=0)
    return out


def _quantile(n: int, df: int, confidence: float = CONFIDENCE) -> float:
    """Student's t at 1 − (1 − confidence)/(2n): n simultaneous two-sided intervals (Bonferroni)."""
    from scipy.stats import t

    return float(t.ppf(1.0 - (1.0 - confidence) / (2.0 * max(n, 1)), max(df, 1)))


def _betweenness(n: int, sums: np.ndarray, k: int, g: int) -> tuple[np.ndarray, Estimate]:
    """igraph's raw betweenness estimated from ``k`` sources in ``g`` batches, and its ε in
    networkx's normalised units."""
    reference = _REFERENCES["betweenness"]
    if g == 0:
        return np.zeros(n), Estimate("betweenness", 0, n, 0.0, reference=reference)
    raw = sums[:n] * (n / k)
    if k >= n or g < 2:
        error = 0.0 if k >= n else math.inf
    else:
        mean = sums[n:2 * n] / g  # mean of the batch means
        variance = np.maximum(sums[2 * n:] / g - mean * mean, 0.0) * g / (g - 1)  # of a batch mean
        standard = n * np.sqrt(variance / g * (n - k) / (n - 1))
        error = _quantile(n, g - 1) * float(standard.max()) * 2.0 / ((n - 1) * (n - 2))
    return raw, Estimate("betweenness", k, n, error, reference=reference)


def _blocks(vertices: np.ndarray, size: int = 16) -> list[np.ndarray]:
    """``vertices`` in blocks of about ``size`` (one igraph call each)."""
    return np.array_split(vertices, max(1, len(vertices) // size)) if len(vertices) else []


def _pivots(net: Net, membership: np.ndarray, sizes: np.ndarray, samples: int,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pivots of closeness and harmonic centrality, in two strata: ``certain`` (searched from
    for sure) and ``drawn`` (``samples`` per large component, drawn from the rest); and ``small``,
    the organisations of components too small to sample, computed exactly.

    The certain stratum is, per large component, the :data:`CERTAIN_PIVOTS` organisations with the
    strongest ties. A term 1/d(u, v) of harmonic centrality is at most the weight of v's strongest
    tie (the last step of any path into v is a tie of v), so a few organisations with very strong
    ties (a mass meeting's organiser) would make the drawn sample's terms heavy-tailed; searched from
    for sure, they add their exact share, and the drawn terms stay bounded by the strongest tie left.
    """
    n = net.n
    strongest = np.zeros(n)
    if net.m:
        edges = net.edges()
        weights = net.weights()
        np.maximum.at(strongest, edges[:, 0], weights)
        np.maximum.at(strongest, edges[:, 1], weights)
    large = np.flatnonzero(sizes > samples + CERTAIN_PIVOTS)
    certain, drawn = [], []
    order = np.lexsort((np.arange(n), -strongest))  # strongest tie first, then vertex order
    rank_in_component = np.zeros(n, dtype=np.int64)
    seen = np.zeros(len(sizes), dtype=np.int64)
    for vertex in order.tolist():  # the first CERTAIN_PIVOTS of each component in that order
        component = membership[vertex]
        rank_in_component[vertex] = seen[component]
        seen[component] += 1
    is_large = np.zeros(len(sizes), dtype=bool)
    is_large[large] = True
    sure = is_large[membership] & (rank_in_component < CERTAIN_PIVOTS)
    for component in large.tolist():
        members = np.flatnonzero((membership == component) & ~sure)
        certain.append(np.flatnonzero((membership == component) & sure))
        drawn.append(np.sort(rng.choice(members, size=samples, replace=False)))
    small = np.flatnonzero(~is_large[membership])
    return _joined(certain), _joined(drawn), small


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _pivot_estimates(net: Net, lengths, sums: np.ndarray, membership: np.ndarray, sizes: np.ndarray,
                     strata: tuple[np.ndarray, np.ndarray, np.ndarray]) -> dict[str, tuple[np.ndarray, Estimate]]:
    """igraph's raw closeness (reach / Σ distance) and harmonic centrality from the pivots' sums
    (exact share of the certain stratum plus the drawn stratum's estimate of the rest), exact in
    the small components; each with its ε in final units."""
    n = net.n
    certain, drawn, small = strata
    _, t_d, t_i, count, dsum, dsq, isum, isq = (sums[i * n:(i + 1) * n] for i in range(8))
    reach = sizes[membership] - 1  # others in the component
    is_certain = np.zeros(n, dtype=bool)
    is_certain[certain] = True
    certain_in = np.bincount(membership[certain], minlength=len(sizes))[membership]
    rest = reach + 1 - certain_in - (~is_certain)  # others in the drawn stratum's population
    closeness = np.full(n, np.nan)
    harmonic = np.zeros(n)
    close_se = np.zeros(n)
    harm_se = np.zeros(n)
    sampled = count > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(sampled, count, 1.0)
        mean_d, mean_i = dsum / k, isum / k
        fpc = np.where(rest > 1, np.maximum(rest - k, 0) / np.maximum(rest - 1, 1), 0.0)
        var_d = np.maximum(dsq / k - mean_d ** 2, 0.0) * k / np.maximum(k - 1, 1)
        var_i = np.maximum(isq / k - mean_i ** 2, 0.0) * k / np.maximum(k - 1, 1)
        total_d = t_d + rest * mean_d  # Σ distance to the others reached
        total_se = rest * np.sqrt(var_d / k * fpc)
        closeness = np.where(sampled, reach / total_d, closeness)
        harmonic = np.where(sampled, t_i + rest * mean_i, harmonic)
        close_se = np.where(sampled, reach * total_se / total_d ** 2, 0.0)
        harm_se = np.where(sampled, rest * np.sqrt(var_i / k * fpc), 0.0)
    if len(small):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            vertices = small.tolist()
            closeness[small] = net.g.closeness(vertices=vertices, weights=lengths, normalized=True)
            harmonic[small] = net.g.harmonic_centrality(vertices=vertices, weights=lengths, normalized=False)
    components = len(np.unique(membership[drawn])) if len(drawn) else 0
    per_component = len(drawn) // components if components else 0  # the same in every large component
    t = _quantile(n, per_component - 1)
    scale = reach / max(n - 1, 1)  # closeness_values' Wasserman–Faust factor
    searched = (len(drawn) + len(certain)) // components if components else 0
    population = int(sizes.max()) if len(sizes) else 0
    return {
        "closeness": (closeness, Estimate("closeness", searched, population,
                                          t * float((close_se * scale).max(initial=0.0)),
                                          reference=_REFERENCES["closeness"])),
        "harmonic": (harmonic, Estimate("harmonic", searched, population, t * float(harm_se.max(initial=0.0)),
                                        reference=_REFERENCES["harmonic"])),
    }
