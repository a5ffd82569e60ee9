"""The network's distances at any size: average path length and diameter, exact where that is cheap,
estimated with a stated error where it is not.

Exact all-pairs search costs a breadth-first search from every organisation: organisations × ties
steps, 2.5 s at 10^4 organisations and 56,000 ties, about 250 s at 10^5. Above
:data:`EXACT_PATH_STEPS` (or when asked), the average path length is estimated from breadth-first
searches from sampled organisations, and said so, with its 95 % confidence interval.

**The estimator.** The average path length is the mean distance over the pairs of organisations
that are connected. A source *s* is drawn with probability proportional to the organisations it
reaches (its component's size minus one), and its mean distance to them, μ(s), is recorded; the
expectation of μ(s) is then exactly the average over connected pairs. Sources are drawn independently.

Much of μ(s) is known before searching from *s*: its steps from the best-connected organisation (one
search) and how many partners it has. The estimate is the regression estimator (Cochran, *Sampling
Techniques*, 1977, ch. 7): μ fitted on those covariates over the sample, evaluated at their known mean
over everyone; it is approximately unbiased whatever the fit, and the better the fit the narrower the
interval. At 10^5 organisations the covariates explain 88 % of μ's variance, so 60 searches give
±0.032 where the plain mean of 226 gave ±0.046. The interval is Student's, with a
heteroscedasticity-consistent variance (HC3, MacKinnon and White 1985); should the sample not fit
every covariate, the plain mean and its interval.

The sample's size is set in two stages (after Stein, *Ann. Math. Statist.* 16, 1945): a pilot of
:data:`PATH_SAMPLES_MIN` sources gives the spread, which sets how many (from twice the pilot to
:data:`PATH_SAMPLES_MAX`) a fresh sample needs for an interval of half-width :data:`PATH_ERROR` steps;
the estimate and its interval come from that fresh sample alone. Growing one sample until its own
interval looked narrow enough, as this did before, covered the exact value 93 % of the time instead of
95 % (400 seeds on a 1,500-organisation ledger): it stopped early whenever the spread happened to look
small. Now 94.2 % over 1,000 seeds (95.5 % on a path and a clique apart). Seeded: the same graph
gives the same estimate.

**The diameter** is exact at every size: iFUB (Crescenzi, Grossi, Habib, Lanzi, Marino, *On computing
the diameter of real-world undirected graphs*, TCS 2013). From a central organisation (the one with
most partners), it computes the eccentricities of the organisations farthest from it, level by level,
until no one nearer can lie on a longer path. On a collaboration network it needs a handful of
searches (two at 10^5 organisations). Should a graph need more than :data:`DIAMETER_SEARCHES_MAX`, the
bounds reached are returned and the method says so.

Examples
--------
>>> import networkx as nx
>>> from cojian_graph.analysis.engine import as_net
>>> net = as_net(nx.path_graph(5))
>>> result = path_figures(net)
>>> result.average_path_length, result.diameter, result.method
(2.0, 4, 'exact')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .engine import Net

__all__ = ["DIAMETER_SEARCHES_MAX", "EXACT_PATH_STEPS", "PATH_ERROR", "PathFigures", "path_figures"]

#: Above this many steps of search (organisations × ties), the average path length is estimated
#: (about 5 s of exact search on this machine).
EXACT_PATH_STEPS = 10**9
#: The half-width, in steps, of the 95 % interval the sample is sized for; the pilot's sources (the fresh
#: sample takes at least twice as many), and the most.
PATH_ERROR = 0.05
PATH_SAMPLES_MIN = 30
PATH_SAMPLES_MAX = 400
#: Most breadth-first searches the diameter may take before it settles for its bounds.
DIAMETER_SEARCHES_MAX = 2_000


@dataclass(frozen=True)
class PathFigures:
    """Average path length (NaN when no two organisations are connected) and diameter.

    ``method`` is ``"exact"`` or ``"sampled"`` (the average path length); ``error`` the half-width of
    its 95 % confidence interval (0 when exact); ``samples`` the sources searched from.
    ``diameter_bounds`` is ``(d, d)`` when the diameter is exact (always, unless more than
    :data:`DIAMETER_SEARCHES_MAX` searches were needed); ``diameter`` is then its lower bound.
    """

    average_path_length: float
    diameter: int
    method: str
    error: float = 0.0
    samples: int = 0
    diameter_bounds: tuple[int, int] = (0, 0)

    def as_array(self) -> np.ndarray:
        """The figures as floats (to cross a pipe from a child process); :meth:`from_array` reads them."""
        return np.array([self.average_path_length, self.diameter, self.method == "sampled", self.error,
                         self.samples, *self.diameter_bounds], dtype=np.float64)

    @classmethod
    def from_array(cls, values: np.ndarray) -> PathFigures:
        """
        >>> figures = PathFigures(2.5, 7, "sampled", 0.04, 180, (7, 8))
        >>> PathFigures.from_array(figures.as_array()) == figures
        True
        """
        average, diameter, sampled, error, samples, low, high = values.tolist()
        return cls(average, int(diameter), "sampled" if sampled else "exact", error, int(samples),
                   (int(low), int(high)))

    def note(self, lang: str = "zh") -> dict:
        """How the figures were obtained, for a reader (``{"average_path_length": …, "diameter": …}``)."""
        if self.method == "sampled":
            path = (f"抽样估计：从 {self.samples} 个组织出发搜索，95% 置信区间 ±{self.error:.3f} 步"
                    if lang == "zh" else
                    f"estimated from searches out of {self.samples} sampled organisations; "
                    f"95 % confidence interval ±{self.error:.3f} steps")
        else:
            path = "精确计算" if lang == "zh" else "exact"
        low, high = self.diameter_bounds
        if low == high:
            diameter = "精确计算（iFUB）" if lang == "zh" else "exact (iFUB)"
        else:
            diameter = (f"搜索次数达到上限，直径介于 {low} 与 {high} 之间" if lang == "zh" else
                        f"search limit reached: between {low} and {high}")
        return {"average_path_length": path, "diameter": diameter}


def path_figures(net: Net, *, exact: bool | None = None, seed: int = 7) -> PathFigures:
    """Average path length over connected pairs and diameter of ``net`` (unweighted steps).

    ``exact``: True always searches from every organisation, False always samples, None (default)
    samples above :data:`EXACT_PATH_STEPS`.
    """
    g = net.g
    n = g.vcount()
    if exact is None:
        exact = n * max(g.ecount(), 1) <= EXACT_PATH_STEPS
    if not exact:
        g = _in_search_order(g, net.edges())
    components = g.connected_components() if n else None
    sizes = np.asarray(components.sizes() if n else [], dtype=np.int64)
    if not int((sizes * (sizes - 1)).sum()):
        return PathFigures(float("nan"), 0, "exact", diameter_bounds=(0, 0))
    membership = np.asarray(components.membership, dtype=np.int64)
    degree = np.asarray(g.degree())
    # the search from the best-connected organisation of the largest component: iFUB's first, and the
    # steps the sampling's covariates take
    inside = np.flatnonzero(membership == int(np.argmax(sizes)))
    central = _levels(g, int(inside[np.argmax(degree[inside])]))
    low, high = _diameter(g, membership, sizes, degree, central)
    if exact:
        average = float(g.average_path_length(directed=False, unconn=True))
        return PathFigures(average, low, "exact", diameter_bounds=(low, high))
    average, error, samples = _sampled_average(g, membership, sizes, _covariates(degree, central),
                                               np.random.default_rng(seed))
    return PathFigures(average, low, "sampled", error=error, samples=samples, diameter_bounds=(low, high))


def _in_search_order(g, edges: np.ndarray):
    """``g`` with its vertices renumbered in breadth-first order from the best-connected organisation (the
    organisations it does not reach after, in their order). A search then finds an organisation's partners
    near each other in memory: 15.5 ms instead of 23 ms per search at 10^5 organisations and 535,000
    ties, for 0.2 s of renumbering. Path lengths and the diameter do not depend on the numbering."""
    from .engine import igraph_of

    n = g.vcount()
    if n == 0 or not len(edges):
        return g
    reached = np.asarray(g.bfs(int(np.argmax(g.degree())))[0], dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    seen[reached] = True
    order = np.r_[reached, np.flatnonzero(~seen)]
    number = np.empty(n, dtype=np.int64)
    number[order] = np.arange(n)
    return igraph_of(n, number[edges])


def _levels(g, source: int) -> tuple[list, list]:
    """The organisations in breadth-first order from ``source``, and where each distance's level starts."""
    vids, layers, _ = g.bfs(source)
    return vids, layers


def _sampled_average(g, membership: np.ndarray, sizes: np.ndarray, covariates: np.ndarray,
                     rng) -> tuple[float, float, int]:
    reach = (sizes[membership] - 1).astype(float)  # the organisations each one reaches
    chance = reach / reach.sum()
    expected = chance @ covariates  # their mean over the organisations as they are drawn

    def sample(count: int) -> tuple[np.ndarray, np.ndarray]:
        sources = rng.choice(len(chance), size=count, p=chance)
        means = []
        for source in sources.tolist():
            _, layers = _levels(g, source)
            counts = np.diff(np.asarray(layers))  # organisations at distance 0, 1, 2 …
            means.append(float((np.arange(len(counts)) * counts).sum() / (counts.sum() - 1)))
        return np.asarray(means), covariates[sources]

    # two stages: the pilot's spread sets the size of a fresh sample, whose own interval then holds as
    # stated (a sample grown until its interval looked narrow enough covered 93 %)
    _, pilot_error = _regression_estimate(*sample(PATH_SAMPLES_MIN), expected)
    needed = math.ceil(PATH_SAMPLES_MIN * (pilot_error / PATH_ERROR) ** 2)
    means, drawn = sample(min(PATH_SAMPLES_MAX, max(2 * PATH_SAMPLES_MIN, needed)))
    average, error = _regression_estimate(means, drawn, expected)
    return average, error, len(means)


def _covariates(degree: np.ndarray, central: tuple[list, list]) -> np.ndarray:
    """What is known of every organisation before searching from it, and goes with its mean distance: 1,
    its steps from the best-connected organisation of the largest component (``central``, the search from
    there; 0 outside it), and the log of its partners (the regression estimator's covariates: at 10^5
    organisations they explain 88 % of the variance of the mean distance)."""
    vids, layers = central
    steps = np.zeros(len(degree))
    steps[np.asarray(vids, dtype=np.int64)] = np.repeat(np.arange(len(layers) - 1), np.diff(layers))
    return np.column_stack([np.ones(len(degree)), steps, np.log(np.maximum(degree, 1.0))])


def _regression_estimate(means: np.ndarray, drawn: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """The regression estimator of the mean of ``means`` over everyone (Cochran, *Sampling Techniques*, 1977,
    ch. 7): the least-squares fit of the sampled means on their covariates ``drawn``, evaluated at the
    covariates' known mean ``expected``; and the half-width of its 95 % interval (Student's quantile, the
    residuals' degrees of freedom). Where the sample cannot fit every covariate (one is constant in it,
    or too few sources), the plain mean and its interval."""
    from scipy.special import stdtrit  # Student's quantile (scipy.stats would add 1.2 s of imports)

    n, width = drawn.shape
    if n > width + 1 and np.linalg.matrix_rank(drawn) == width:
        inverse = np.linalg.inv(drawn.T @ drawn)
        coefficients = inverse @ (drawn.T @ means)
        residuals = means - drawn @ coefficients
        leverage = np.einsum("ij,jk,ik->i", drawn, inverse, drawn)
        weights = drawn @ (inverse @ expected)  # the estimate is the sum of weights × means
        scaled = residuals / (1 - leverage)  # HC3: residuals widened by their leverage
        error = math.sqrt(float((weights ** 2) @ (scaled ** 2)))
        return float(expected @ coefficients), float(stdtrit(n - width, 0.975)) * error
    spread = float(np.std(means, ddof=1)) if n > 1 else float("inf")
    return float(np.mean(means)), float(stdtrit(max(n - 1, 1), 0.975)) * spread / math.sqrt(n)


def _diameter(g, membership: np.ndarray, sizes: np.ndarray, degree: np.ndarray,
              central: tuple[list, list]) -> tuple[int, int]:
    """Lower and upper bound of the diameter (equal unless the search limit was reached): iFUB in each
    component that could hold a longer path than the longest found so far, largest first (``central``:
    the search from the largest one's centre, already made)."""
    order = np.argsort(membership, kind="stable")  # the organisations component by component
    starts = np.r_[0, np.cumsum(np.bincount(membership, minlength=len(sizes)))]
    best, searches, unsettled = 0, 0, 0
    largest = int(np.argmax(sizes))  # the first in size order: its centre's search is ``central``
    for component in np.argsort(-sizes, kind="stable").tolist():
        if sizes[component] - 1 <= best:
            break  # no longer path fits in it, nor in the smaller ones
        members = order[starts[component]:starts[component + 1]]
        vids, layers = (central if component == largest else
                        _levels(g, int(members[np.argmax(degree[members])])))
        searches += 1
        level = len(layers) - 2  # the centre's eccentricity
        best, upper = max(best, level), 2 * level
        # every path between organisations nearer than ``level`` is at most 2 (level − 1) long: once the
        # farthest organisations at ``level`` and beyond are searched, a longer path is the diameter
        while upper > best and level > 0:
            for vertex in vids[layers[level]:layers[level + 1]]:
                if searches >= DIAMETER_SEARCHES_MAX:
                    unsettled = max(unsettled, upper)
                    break
                best = max(best, len(_levels(g, vertex)[1]) - 2)
                searches += 1
            else:
                upper = 2 * (level - 1)
                level -= 1
                continue
            break
        if searches >= DIAMETER_SEARCHES_MAX:  # the remaining components: at most their size − 1
            rest = [int(size) - 1 for size in sizes if int(size) - 1 > best]
            return best, max([best, unsettled, *rest])
    return best, best
