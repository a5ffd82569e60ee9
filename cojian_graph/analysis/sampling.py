"""Path measures of large networks, estimated from sampled organisations, with a stated error.

Exact betweenness, closeness and harmonic centrality take a shortest-path search from every
organisation: organisations × (organisations + ties) steps, about a minute at 10^4 organisations and
56,000 ties on two cores, hours at 10^5. Above :data:`RANK_EXACT_STEPS` (or when asked), the rank
table estimates them from a few hundred searches instead (:func:`default_samples`), and says so with an error ε that
holds **for every organisation at once** with 95 % confidence.

**Betweenness** (Brandes & Pich, *Centrality estimation in large networks*, IJBC 17(7), 2007). The
exact value is a sum over sources *s* of the dependency δ_s(v) of the other pairs' shortest paths on
*v*; ``k`` sources drawn without replacement give the unbiased estimate (n/k) Σ_{s∈S} δ_s(v). The
sources are searched in :data:`BATCH` s (igraph's ``betweenness(sources=…)``, one call per batch), and
each organisation's standard error comes from the spread of its batch means, with the finite-population
correction (exact when every organisation is a source).

**Closeness and harmonic centrality** (pivots, after Eppstein & Wang, *Fast approximation of
centrality*, JGAA 8(1), 2004; weighted as survey sampling weighs). Within each connected component
larger than ``k`` + :data:`CERTAIN_PIVOTS`, the :data:`CERTAIN_PIVOTS` organisations with the
strongest ties are searched from for sure, and ``k`` pivots are drawn from the rest, with replacement,
favouring organisations with strong ties (see ``_pivots``). With lengths 1/w, an organisation tied by
hundreds of joint activities to a mass meeting's organiser is at distance 1/500 from it: drawn
uniformly, such rare terms would dominate the variance of harmonic centrality. An organisation's sum
of inverse distances is the certain pivots' exact share plus the Hansen–Hurwitz estimate of the
rest's; its sum of distances the certain share plus the rest's size times the Hájek estimate of the
mean distance (see ``_pivot_estimates``). Closeness is the reach over that sum, scaled as
:func:`~cojian_graph.analysis.paths.closeness` scales it; its standard error is carried through 1/x
by the delta method. Organisations in smaller components are computed exactly.

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

from .basic import strongest_tie_values
from .engine import Net, as_net, can_fork, in_child
from .paths import PATH_MEASURES

__all__ = ["BATCH", "CONFIDENCE", "ENV_EXACT_STEPS", "PATH_SOURCES", "RANK_EXACT_STEPS", "Estimate",
           "default_samples", "exact_steps", "path_steps", "sample_paths", "should_sample"]

#: Above this many steps of exact search (organisations × (organisations + ties)), the rank table
#: estimates the path measures: about 5 s of exact search on two cores (3,000 organisations with
#: 20,000 ties, a mass-meeting view of 1,000 organisations with 100,000 ties).
RANK_EXACT_STEPS = 10**8
#: The environment variable that replaces :data:`RANK_EXACT_STEPS` (a server on a big machine may
#: rank exactly; the tests of serving use it for a computation that lasts).
ENV_EXACT_STEPS = "COJIAN_RANK_EXACT_STEPS"
#: Organisations searched from: betweenness sources, and pivots drawn per large component for
#: closeness and harmonic centrality; fewer on larger views (:func:`default_samples`), down to
#: :data:`PATH_SOURCES_MIN`.
PATH_SOURCES = 256
PATH_SOURCES_MIN = 96
#: Search steps (organisations + ties, per search) the drawn searches of one family may take by
#: default: about 10 s of weighted search on two cores at 10^5 organisations and 535,000 ties.
SAMPLE_STEPS = 6 * 10**7
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


def default_samples(net: Net) -> int:
    """How many organisations to search from on ``net``: :data:`PATH_SOURCES`, fewer where each
    search is long (:data:`SAMPLE_STEPS` over organisations + ties), never below :data:`PATH_SOURCES_MIN`."""
    return int(min(PATH_SOURCES, max(PATH_SOURCES_MIN, SAMPLE_STEPS // max(net.n + net.m, 1))))


def path_steps(net: Net) -> int:
    """Steps of an exact all-sources search: organisations × (organisations + ties)."""
    return net.n * (net.n + net.m)


def should_sample(net: Net, exact: bool | None = None) -> bool:
    """Whether the rank table estimates the path measures: ``exact`` True/False decides; None means
    above :data:`RANK_EXACT_STEPS` (and only where sampling searches from fewer organisations)."""
    if exact is not None:
        return not exact and net.n > 2
    return path_steps(net) > exact_steps() and net.n > PATH_SOURCES


def exact_steps() -> int:
    """:data:`RANK_EXACT_STEPS`, or the whole number in ``COJIAN_RANK_EXACT_STEPS`` when it is set."""
    import os

    value = os.environ.get(ENV_EXACT_STEPS, "").strip()
    if not value:
        return RANK_EXACT_STEPS
    try:
        return int(float(value))
    except ValueError:
        from ..errors import CojianError

        raise CojianError(f"{ENV_EXACT_STEPS} 须为整数 / must be a whole number, got {value!r}") from None


def sample_paths(G, weight: str | None = "weight", which: tuple[str, ...] = PATH_MEASURES, *,
                 samples: int | None = None, seed: int = 0, child_share: float = 0.0) -> dict[str, Estimate]:
    """Estimate the path measures in ``which``; cache them on the :class:`Net` for
    :func:`~cojian_graph.analysis.paths.betweenness` and its siblings; return how, per measure.

    With ``child_share`` > 0 and where forking is safe, a forked child takes that share of the
    searches. ``samples`` (default :func:`default_samples`) at least the organisations gives exact
    values and ε = 0.
    """
    finish = start_sampling(as_net(G), weight, which, samples=samples, seed=seed, child_share=child_share)
    return finish()


def start_sampling(net: Net, weight: str | None, which: tuple[str, ...], *, samples: int | None = None,
                   seed: int = 0, child_share: float = 0.0):
    """Start :func:`sample_paths` (the child's share, if any, runs meanwhile); return the function
    that finishes it and returns the estimates."""
    samples = default_samples(net) if samples is None else samples
    which = tuple(key for key in PATH_MEASURES if key in which)
    rng = np.random.default_rng(seed)
    lengths = net.distances(weight)
    n = net.n
    sources = rng.permutation(n)[:min(samples, n)] if "betweenness" in which and n > 2 else np.zeros(0, int)
    batches = [sources[i:i + BATCH] for i in range(0, len(sources), BATCH)]
    membership = np.asarray(net.g.connected_components().membership, dtype=np.int64) if n else np.zeros(0, int)
    sizes = np.bincount(membership) if n else np.zeros(0, int)
    strata = _pivots(net, membership, sizes, samples, rng) if {"closeness", "harmonic"} & set(which) else None
    jobs = [("b", batch, None) for batch in batches]
    if strata is not None:
        certain, drawn, scale, _ = strata
        jobs += [("c", block, None) for block in _blocks(certain)]
        jobs += [("p", drawn[at], scale[at]) for at in _blocks(np.arange(len(drawn)))]
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
    (3n); for blocks of certain pivots, Σd and Σ1/d (2n); for blocks of drawn pivots, with s = 1/(k·π)
    each draw's weight: Σsd, Σ(sd)², Σs²d, Σs/d and Σ(s/d)² (5n)."""
    n = net.n
    out = np.zeros(10 * n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for kind, block, scale in jobs:
            block = block.tolist()
            if kind == "b":
                total = np.asarray(net.g.betweenness(directed=False, weights=lengths, sources=block),
                                   dtype=float)
                mean = total / len(block)
                out[:n] += total
                out[n:2 * n] += mean
                out[2 * n:3 * n] += mean * mean
                continue
            d = net.shortest_distances(block, lengths)
            d[np.arange(len(block)), block] = np.inf  # not oneself
            reached = np.isfinite(d)
            near = np.where(reached, d, 0.0)
            inverse = np.where(reached, 1.0 / np.where(reached, d, 1.0), 0.0)
            if kind == "c":
                out[3 * n:4 * n] += near.sum(axis=0)
                out[4 * n:5 * n] += inverse.sum(axis=0)
            else:
                near *= scale[:, None]
                inverse *= scale[:, None]
                out[5 * n:6 * n] += near.sum(axis=0)
                out[6 * n:7 * n] += (near * near).sum(axis=0)
                out[7 * n:8 * n] += (near * scale[:, None]).sum(axis=0)
                out[8 * n:9 * n] += inverse.sum(axis=0)
                out[9 * n:10 * n] += (inverse * inverse).sum(axis=0)
    return out


def _quantile(n: int, df: int, confidence: float = CONFIDENCE) -> float:
    """Student's t at 1 − (1 − confidence)/(2n): n simultaneous two-sided intervals (Bonferroni).
    (``scipy.special.stdtrit``, the inverse of Student's distribution: ``scipy.stats`` takes a second
    to import.)"""
    from scipy.special import stdtrit

    return float(stdtrit(max(df, 1), 1.0 - (1.0 - confidence) / (2.0 * max(n, 1))))


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
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pivots of closeness and harmonic centrality: ``certain`` ones, searched from for sure;
    ``drawn`` ones (``samples`` per large component, with replacement) and the weight ``scale`` =
    1/(k·π) of each draw; and ``small``, the organisations of components too small to sample,
    computed exactly.

    A term 1/d(u, p) of harmonic centrality is at most the weight of p's strongest tie (the last
    step of any path into p is one of p's ties): an organisation tied by 500 joint activities to a
    mass meeting's organiser is at distance 1/500 from it. Drawn uniformly, such rare large terms
    would dominate the estimate's variance. So, per large component, the :data:`CERTAIN_PIVOTS`
    organisations with the strongest ties are certain, and the rest are drawn with probability
    π_p = ½/N + ½·w_p/Σw (w_p: p's strongest tie; N: the rest's size), a defensive mixture
    (Hesterberg 1995): each harmonic term over π stays below 2Σw, each distance over π below 2N
    times the distance, so both estimates keep a bounded variance.
    """
    n = net.n
    strongest = strongest_tie_values(net)
    large = np.flatnonzero(sizes > samples + CERTAIN_PIVOTS)
    is_large = np.zeros(len(sizes), dtype=bool)
    is_large[large] = True
    order = np.lexsort((np.arange(n), -strongest))  # strongest tie first, then vertex order
    rank_in_component = np.empty(n, dtype=np.int64)
    ordered = membership[order]
    by_component = np.argsort(ordered, kind="stable")  # the order kept within each component
    starts = np.r_[0, np.cumsum(np.bincount(ordered, minlength=len(sizes)))[:-1]]
    rank_in_component[order[by_component]] = np.arange(n) - starts[ordered[by_component]]
    sure = is_large[membership] & (rank_in_component < CERTAIN_PIVOTS)
    certain, drawn, scale = [], [], []
    for component in large.tolist():
        inside = membership == component
        certain.append(np.flatnonzero(inside & sure))
        rest = np.flatnonzero(inside & ~sure)
        mass = strongest[rest]
        probability = 0.5 / len(rest) + (0.5 * mass / mass.sum() if mass.sum() > 0 else 0.5 / len(rest))
        picks = rng.choice(len(rest), size=samples, replace=True, p=probability / probability.sum())
        drawn.append(rest[picks])
        scale.append(1.0 / (samples * probability[picks]))
    small = np.flatnonzero(~is_large[membership])
    return _joined(certain), _joined(drawn), _joined(scale, float), small


def _joined(parts: list[np.ndarray], dtype=np.int64) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _pivot_estimates(net: Net, lengths, sums: np.ndarray, membership: np.ndarray, sizes: np.ndarray,
                     strata: tuple) -> dict[str, tuple[np.ndarray, Estimate]]:
    """igraph's raw closeness (reach / Σ distance) and harmonic centrality from the pivots' sums,
    exact in the small components; each with its ε in final units.

    Each is the certain pivots' exact share plus an estimate of the rest's, from the drawn pivots:
    for harmonic centrality the Hansen–Hurwitz estimate of the total Σ 1/(k·π)·(1/d); for the sum of
    distances the rest's size times the Hájek (ratio) estimate of the mean distance, Σ(d/π)/Σ(1/π),
    whose variance (by linearisation) stays near the uniform sample's though the draws favour
    organisations with strong ties.
    """
    n = net.n
    certain, drawn, scale, small = strata
    c_d, c_i, z_d, z_d2, z_dw, z_i, z_i2 = (sums[i * n:(i + 1) * n] for i in range(7))
    components = len(np.unique(membership[drawn])) if len(drawn) else 0
    k = len(drawn) // components if components else 0  # draws per large component
    reach = sizes[membership] - 1  # others in the component
    sampled = np.zeros(n, dtype=bool)
    sampled[np.isin(membership, membership[drawn])] = True
    closeness = np.full(n, np.nan)
    harmonic = np.zeros(n)
    close_se = np.zeros(n)
    harm_se = np.zeros(n)
    if k > 1:
        # the draws' weights s = 1/(k·π) per component, without an organisation's draws of itself
        # (its distance to itself is no term of its mean)
        weight = np.bincount(membership[drawn], scale, minlength=len(sizes))[membership]
        weight2 = np.bincount(membership[drawn], scale * scale, minlength=len(sizes))[membership]
        weight -= np.bincount(drawn, scale, minlength=n)
        weight2 -= np.bincount(drawn, scale * scale, minlength=n)
        is_certain = np.zeros(n, dtype=bool)
        is_certain[certain] = True
        rest = reach + 1 - np.bincount(membership[certain], minlength=len(sizes))[membership] - (~is_certain)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_d = z_d / weight  # Hájek: Σ s·d / Σ s
            # linearised variance of the ratio: Σ s²(d − mean)² / (Σ s)² · k/(k − 1)
            spread = np.maximum(z_d2 - 2 * mean_d * z_dw + mean_d ** 2 * weight2, 0.0)
            mean_se = np.sqrt(spread * k / (k - 1)) / weight
            total_d = c_d + rest * mean_d
            closeness = np.where(sampled, reach / total_d, closeness)
            close_se = np.where(sampled, reach * rest * mean_se / total_d ** 2, 0.0)
        # Hansen–Hurwitz: Σ(kz − T)²/(k(k−1)) = (kΣz² − T²)/(k−1)
        var_i = np.maximum(k * z_i2 - z_i * z_i, 0.0) / (k - 1)
        harmonic = np.where(sampled, c_i + z_i, harmonic)
        harm_se = np.where(sampled, np.sqrt(var_i), 0.0)
    if len(small):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            vertices = small.tolist()
            closeness[small] = net.g.closeness(vertices=vertices, weights=lengths, normalized=True)
            harmonic[small] = net.g.harmonic_centrality(vertices=vertices, weights=lengths, normalized=False)
    t = _quantile(n, k - 1)
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
