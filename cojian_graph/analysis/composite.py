"""The collaboration centrality index (综合共建指数): a weighted mean of scaled measures.

Each component is scaled to [0, 1] — divided by its largest value (by ``(max - x) / (max - min)``
for a measure where lower is better, such as constraint); missing values count as 0 — and the
index is :math:`100 \\cdot \\sum_k a_k \\tilde x_k / \\sum_k a_k`. The default weights
:data:`DEFAULT_WEIGHTS` give equal parts to activity (strength, degree, breadth of links), to
position (betweenness, effective size: bridging) and to standing (eigenvector, harmonic: being
near and tied to the well tied). Users change them with ``weights={...}`` (``--weight id=value``
on the command line); a weight of 0 drops a component.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"strength": [4.0, 2.0, 0.0], "betweenness": [0.5, 1.0, 0.0]})
>>> combine(table, {"strength": 1, "betweenness": 1}).tolist()
[75.0, 75.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CojianError

if TYPE_CHECKING:
    import pandas as pd

    from .engine import Net

__all__ = ["DEFAULT_WEIGHTS", "check_weights", "combine", "combine_values", "composite_index",
           "composite_values"]

#: Default component weights of the composite index (they sum to 1).
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "strength": 0.15,
    "degree": 0.10,
    "breadth": 0.10,
    "betweenness": 0.20,
    "effective_size": 0.10,
    "eigenvector": 0.20,
    "harmonic": 0.15,
})


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The composite weights to use: ``weights`` checked against the registry (defaults when None)."""
    from .registry import MEASURES

    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    out: dict[str, float] = {}
    for key, value in weights.items():
        measure = MEASURES.get(key)
        if measure is None or not measure.combinable:
            valid = ", ".join(m.id for m in MEASURES.values() if m.combinable)
            raise CojianError(f"不能用于综合指数的指标 {key!r} / {key!r} cannot be a component of the "
                              f"composite index; 可选 valid: {valid}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise CojianError(f"权重须为数字 / the weight of {key} must be a number, got {value!r}") from None
        if not np.isfinite(number) or number < 0:
            raise CojianError(f"权重须为非负数 / the weight of {key} must be non-negative, got {value}")
        if number > 0:
            out[key] = number
    if not out:
        raise CojianError("综合指数至少需要一个正权重 / the composite index needs a positive weight")
    return out


def combine(table: pd.DataFrame | Mapping, weights: Mapping[str, float] | None = None) -> pd.Series:
    """The composite index from a table holding the component columns (0–100, higher is better).

    ``table`` is a DataFrame or any mapping of column name → values; the Series has the
    DataFrame's index (a range index for a mapping). See :func:`combine_values`.
    """
    import pandas as pd

    values = combine_values(table, weights)
    index = table.index if isinstance(table, pd.DataFrame) else None
    return pd.Series(values, index=index, name="composite")


def combine_values(table: Mapping, weights: Mapping[str, float] | None = None) -> np.ndarray:
    """:func:`combine` as a float array: ``table`` is a DataFrame or a mapping of column name →
    values (arrays, lists, Series) holding each component of ``weights``.

    >>> combine_values({"strength": [4.0, 2.0, 0.0], "constraint": [0.5, 1.0, float("nan")]},
    ...                {"strength": 1, "constraint": 1}).tolist()
    [100.0, 25.0, 0.0]
    """
    from .registry import MEASURES

    weights = check_weights(weights)
    total = None
    for key, a in weights.items():
        x = np.asarray(table[key], dtype=float)
        if total is None:
            total = np.zeros(len(x))
        finite = x[np.isfinite(x)]
        if MEASURES[key].higher_is_better:
            top = finite.max() if len(finite) else 0.0
            scaled = x / top if top > 0 else np.zeros(len(x))
        else:
            low, high = (finite.min(), finite.max()) if len(finite) else (0.0, 0.0)
            scaled = (high - x) / (high - low) if high > low else np.zeros(len(x))
        total += a * np.nan_to_num(scaled, nan=0.0)
    return 100.0 * total / sum(weights.values())


def composite_index(G, weights: Mapping[str, float] | None = None) -> pd.Series:
    """综合共建指数: the composite collaboration centrality of each organisation (0–100).

    Computes the components on ``G`` (see :data:`DEFAULT_WEIGHTS`) and combines them with
    :func:`combine`.

    References
    ----------
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, ch. 5–6 (normalisation by
    the maximum, linear weighted aggregation).
    """
    from .engine import as_net

    net = as_net(G)
    return net.series(composite_values(net, weights), "composite")


def composite_values(net: Net, weights: Mapping[str, float] | None = None) -> np.ndarray:
    """:func:`composite_index` of each vertex of ``net``, in vertex order."""
    from .registry import MEASURES

    weights = check_weights(weights)
    return combine_values({key: MEASURES[key].values(net) for key in weights}, weights)
