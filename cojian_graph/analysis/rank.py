"""The rank table: one row per organisation, its measures, the composite index and its rank.

:func:`rank_columns` computes it as plain columns (numpy arrays, no pandas: what ``cojian rank``
prints); :func:`rank_table` is the same as a DataFrame.

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> table = rank_table(tiny_ledger(), measures=["strength", "degree"])
>>> print(table[["id", "circle", "strength", "degree", "rank"]].to_string(index=False))
id   circle  strength  degree  rank
 a    focal       4.0     2.0     1
 b internal       3.0     2.0     2
 c external       3.0     2.0     2
 d external       0.0     0.0     4
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CojianError
from ..model import LINK_IDS, resolve_link
from .composite import check_weights, combine_values
from .engine import Net, as_net, net_from_ledger
from .paths import PATH_MEASURES, prefetch_paths
from .registry import MEASURES, resolve_measures
from .sampling import Estimate, should_sample, start_sampling

if TYPE_CHECKING:
    import pandas as pd

    from ..graph.filters import GraphFilter
    from ..ledger import Ledger

__all__ = [
    "ID_COLUMNS",
    "Progress",
    "RankColumns",
    "rank_columns",
    "rank_columns_from_graph",
    "rank_frame",
    "rank_table",
    "rank_table_from_graph",
    "view_net",
]

#: The columns before the measures.
ID_COLUMNS = ("id", "name", "name_en", "circle")

#: ``progress(done, total, measure_id)`` is called before each measure and once at the end.
Progress = Callable[[int, int, str], None]


class RankColumns(dict):
    """The columns of a rank table (``dict`` of column name → array), and ``estimates``: for each
    path measure that was estimated rather than computed exactly, its
    :class:`~cojian_graph.analysis.sampling.Estimate` (empty when everything is exact)."""

    estimates: dict[str, Estimate]

    def __init__(self, columns=(), estimates: Mapping[str, Estimate] | None = None):
        super().__init__(columns)
        self.estimates = dict(estimates or {})


def rank_table(
    ledger: Ledger,
    *,
    measures: Iterable[str] | None = None,
    layer: str | None = None,
    spec: GraphFilter | None = None,
    top: int | None = None,
    weights: Mapping[str, float] | None = None,
    sort_by: str | None = None,
    progress: Progress | None = None,
    exact: bool | None = None,
) -> pd.DataFrame:
    """Rank the organisations of ``ledger`` by collaboration centrality.

    Parameters
    ----------
    ledger : Ledger
    measures : ids of :data:`MEASURES`, optional
        Columns to compute (Chinese or English names work too); default :data:`DEFAULT_MEASURES`.
        With ``composite``, its components are added beside it.
    layer : link id, optional
        Compute every measure on this one link layer (e.g. ``"learning"``).
    spec : GraphFilter, optional
        The view: link types, circles, sectors, years, minimum weight, focus and hops.
    top : int, optional
        Keep the first ``top`` rows.
    weights : mapping, optional
        Composite weights (measure id → weight); default :data:`DEFAULT_WEIGHTS`.
    sort_by : measure id, optional
        Rank by this measure instead of the composite (default: composite when computed, else
        the first measure).
    progress : callable, optional
        ``progress(done, total, measure_id)``, for long runs.
    exact : bool, optional
        Path measures (betweenness, closeness, harmonic): True computes them exactly, False
        estimates them from sampled organisations (:mod:`~cojian_graph.analysis.sampling`); the
        default estimates them above :data:`~cojian_graph.analysis.sampling.RANK_EXACT_STEPS`.

    Returns
    -------
    DataFrame
        ``id``, ``name``, ``name_en``, ``circle``, the measures, ``rank`` (1 = first; ties share the
        better rank; missing values last), sorted by rank: :func:`rank_columns` as a DataFrame.
        ``attrs["estimates"]`` says how each estimated path measure was estimated (the fields of its
        :class:`~cojian_graph.analysis.sampling.Estimate`; empty when all are exact).
    """
    return rank_frame(rank_columns(ledger, measures=measures, layer=layer, spec=spec, top=top, weights=weights,
                                   sort_by=sort_by, progress=progress, exact=exact))


def rank_table_from_graph(
    G,
    *,
    measures: Iterable[str] | None = None,
    top: int | None = None,
    weights: Mapping[str, float] | None = None,
    sort_by: str | None = None,
    progress: Progress | None = None,
    exact: bool | None = None,
) -> pd.DataFrame:
    """The rank table of a collaboration graph (networkx graph or :class:`Net`); see :func:`rank_table`."""
    return rank_frame(rank_columns_from_graph(G, measures=measures, top=top, weights=weights, sort_by=sort_by,
                                              progress=progress, exact=exact))


def rank_frame(columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The columns of :func:`rank_columns` as the DataFrame :func:`rank_table` returns (imports pandas),
    with their ``estimates`` in ``attrs["estimates"]`` as plain data (``Estimate.as_dict()``: it
    survives pickling, copies and JSON)."""
    import pandas as pd

    frame = pd.DataFrame(dict(columns))
    frame.attrs["estimates"] = {key: estimate.as_dict()
                                for key, estimate in getattr(columns, "estimates", {}).items()}
    return frame


def view_net(ledger: Ledger, *, layer: str | None = None, spec: GraphFilter | None = None) -> Net:
    """The :class:`Net` of the view ``spec`` selects, on the link layer ``layer`` if one is given."""
    from ..graph.filters import GraphFilter

    spec = spec or GraphFilter()
    if layer is not None:
        link = resolve_link(layer)
        if link is None:
            raise CojianError(f"未知的八联类型 unknown link layer {layer!r}; "
                              f"可选 valid: {', '.join(LINK_IDS)}")
        if spec.links and link not in {resolve_link(x) for x in spec.links}:
            raise CojianError(f"图层 {link} 不在所选八联类型中 / layer {link} is not among the chosen "
                              "link types")
        spec = replace(spec, links=(link,))
    return net_from_ledger(ledger, spec)


def rank_columns(
    ledger: Ledger,
    *,
    measures: Iterable[str] | None = None,
    layer: str | None = None,
    spec: GraphFilter | None = None,
    top: int | None = None,
    weights: Mapping[str, float] | None = None,
    sort_by: str | None = None,
    progress: Progress | None = None,
    exact: bool | None = None,
) -> RankColumns:
    """The rank table of :func:`rank_table` as columns, without pandas.

    Returns
    -------
    RankColumns
        The columns in table order, rows sorted by rank: ``id``, ``name``, ``name_en``, ``circle``
        (object arrays), the measures (floats; ``community`` int64), ``rank`` (int64); and
        ``estimates``, how each estimated path measure was estimated.

    Examples
    --------
    >>> from cojian_graph.testing import tiny_ledger
    >>> columns = rank_columns(tiny_ledger(), measures=["degree"], layer="learning")
    >>> columns["id"].tolist(), columns["degree"].tolist(), columns["rank"].tolist()
    (['a', 'b', 'c', 'd'], [1.0, 1.0, 0.0, 0.0], [1, 1, 3, 3])
    """
    net = view_net(ledger, layer=layer, spec=spec)
    return rank_columns_from_graph(net, measures=measures, top=top, weights=weights, sort_by=sort_by,
                                   progress=progress, exact=exact)


def rank_columns_from_graph(
    G,
    *,
    measures: Iterable[str] | None = None,
    top: int | None = None,
    weights: Mapping[str, float] | None = None,
    sort_by: str | None = None,
    progress: Progress | None = None,
    exact: bool | None = None,
) -> RankColumns:
    """:func:`rank_columns` of a collaboration graph (networkx graph or :class:`Net`)."""
    net = as_net(G)
    wanted = list(resolve_measures(measures))
    composite_weights = check_weights(weights) if "composite" in wanted else {}
    if composite_weights:
        at = wanted.index("composite")
        extra = [key for key in composite_weights if key not in wanted]
        wanted = [*wanted[:at], *extra, *wanted[at:]]
    if top is not None and top < 1:
        raise CojianError(f"--top 须为正整数 / top must be a positive integer, got {top}")
    if sort_by is not None:
        sort_by = resolve_measures([sort_by])[0]
        if sort_by not in wanted:
            wanted.append(sort_by)

    table: dict[str, np.ndarray] = {"id": _id_column(net.ids)}
    for column in ID_COLUMNS[1:]:
        table[column] = net.attribute(column, "")
    order = [key for key in wanted if key != "composite"]
    # The path measures are the heaviest: on two cores a child computes most of them meanwhile, this
    # process the other measures and then the rest of the paths (finish_paths). On large views they
    # are estimated from sampled organisations, with their error (sampling.py).
    paths_wanted = tuple(key for key in order if key in PATH_MEASURES)
    finish_paths = _start_paths(net, paths_wanted, exact)
    if finish_paths is not None:
        order = [key for key in order if key not in PATH_MEASURES] + [k for k in order if k in PATH_MEASURES]
    total = len(wanted)
    values = {}
    for done, key in enumerate(order):
        if progress is not None:
            progress(done, total, key)
        if finish_paths is not None and key in PATH_MEASURES:
            finish_paths()
            finish_paths = None
        values[key] = MEASURES[key].values(net)
    for key in wanted:
        if key == "composite":
            if progress is not None:
                progress(total - 1, total, key)
            table["composite"] = combine_values(table, composite_weights)
        else:
            table[key] = values[key]
    if progress is not None:
        progress(total, total, "")

    key = sort_by or ("composite" if "composite" in wanted else wanted[0])
    table["rank"] = _ranks(table[key], ascending=not MEASURES[key].higher_is_better)
    sort_keys = list(zip(table["rank"].tolist(), table["id"].tolist(), strict=True))  # by rank, then id
    rows = sorted(range(net.n), key=sort_keys.__getitem__)
    if top is not None:
        rows = rows[:top]
    picked = np.asarray(rows, dtype=np.int64)
    estimates = net.cache.get(("estimates", "weight"), {})
    return RankColumns({column: values[picked] for column, values in table.items()},
                       {key: estimates[key] for key in wanted if key in estimates})


def _start_paths(net: Net, which: tuple[str, ...], exact: bool | None):
    """Start the path measures ``which`` (exact, or estimated on large views: ``should_sample``);
    return the function that finishes them, or None when the measures compute them themselves.

    Results cached on ``net`` are reused when they are of the kind asked for: exact ones always,
    estimated ones unless ``exact`` is True (then they are dropped).
    """
    if not which:
        return None
    key = ("paths", "weight")
    estimated = ("estimates", "weight") in net.cache
    if estimated and (exact or not should_sample(net, exact)):
        del net.cache[key], net.cache[("estimates", "weight")]
    elif all(measure in net.cache.get(key, {}) for measure in which):
        return None
    elif key in net.cache:  # some measures computed, not all: compute them all again
        net.cache.pop(key)
        net.cache.pop(("estimates", "weight"), None)
    if should_sample(net, exact):
        # all the searches in the child: on a large view the other measures keep this process as busy
        # (19 s of Burt's measures, roles and communities at 10^5 organisations, against 17 s of searches)
        return start_sampling(net, "weight", which, child_share=1.0)
    return prefetch_paths(net, which=which, child_share=0.6)


def _id_column(ids: tuple) -> np.ndarray:
    """The ids as a column: numbers stay numbers (a networkx graph may use them), else objects."""
    if ids and all(isinstance(node, int | float | np.integer | np.floating) for node in ids):
        return np.asarray(ids)
    out = np.empty(len(ids), dtype=object)
    out[:] = list(ids)
    return out


def _ranks(values: np.ndarray, *, ascending: bool) -> np.ndarray:
    """1 for the best value, ties sharing the better rank, missing values after all others
    (``Series.rank(method="min", na_option="bottom")``), values equal within :data:`RANK_TOLERANCE`
    of the largest magnitude counting as ties (floating-point noise of ~1e-14 must not separate
    organisations in identical positions).

    >>> _ranks(np.array([2.0, float("nan"), 5.0, 2.0]), ascending=False).tolist()
    [2, 4, 1, 2]
    >>> _ranks(np.array([0.3, 0.1 + 0.2, 0.2]), ascending=False).tolist()
    [1, 1, 3]
    """
    keys = np.asarray(values, dtype=float)
    keys = keys if ascending else -keys
    present = ~np.isnan(keys)
    ranks = np.full(len(keys), int(present.sum()) + 1, dtype=np.int64)
    if not present.any():
        return ranks
    order = np.argsort(keys[present], kind="stable")
    ordered = keys[present][order]
    tolerance = RANK_TOLERANCE * max(float(np.abs(ordered).max()), 1e-300)
    starts = np.r_[True, np.diff(ordered) > tolerance]
    first = np.flatnonzero(starts)[np.cumsum(starts) - 1]  # position of each value's group start
    positions = np.empty(len(ordered), dtype=np.int64)
    positions[order] = first + 1
    ranks[present] = positions
    return ranks


#: Relative tolerance within which two values of a measure share a rank.
RANK_TOLERANCE = 1e-9
