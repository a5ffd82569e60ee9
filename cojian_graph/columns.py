"""Column helpers on numpy arrays of ``str``, for the code paths that run without pandas.

The ledger's cells are Python strings held in numpy object arrays. These helpers do what
``pd.factorize``, ``Index.get_indexer`` and ``Series.isin`` do for such columns, with one dict
lookup per cell (hashing, as pandas does, rather than the comparisons ``np.unique`` sorts with), so
that ``cojian rank`` never has to import pandas (about half a second). From :data:`ARROW_FROM`
values on, :func:`factorize` and :func:`positions` hash with Apache Arrow's kernels instead.

Examples
--------
>>> codes, uniques = factorize(np.array(["b", "a", "b"], dtype=object), sort=True)
>>> codes.tolist(), uniques.tolist()
([1, 0, 1], ['a', 'b'])
>>> positions(np.array(["a", "x"], dtype=object), ["x", "y", "a"]).tolist()
[2, 0]
>>> isin(np.array(["a", "z"], dtype=object), {"a"}).tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import numpy as np

__all__ = ["ARROW_FROM", "distinct_ints", "factorize", "isin", "object_array", "positions"]


def object_array(values: Iterable) -> np.ndarray:
    """``values`` as a one-dimensional object array (never a nested array, even for tuples).

    >>> object_array(["a", "b"]).dtype
    dtype('O')
    """
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


#: From this many values on, :func:`factorize` and :func:`positions` hash strings with Apache Arrow rather
#: than a dict lookup per value (a million ids: 0.08 s instead of 0.43 s); below it, importing
#: ``pyarrow.compute`` (with pandas) costs more than it saves.
ARROW_FROM = 200_000


def _strings(values: list) -> object | None:
    """``values`` as an Arrow string array when there are :data:`ARROW_FROM` or more and every one is a
    ``str`` that UTF-8 can hold; None otherwise (the dict path then takes them, as it takes anything)."""
    if len(values) < ARROW_FROM:
        return None
    import pyarrow as pa

    try:
        texts = pa.array(values, pa.string())
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):  # not strings, or a lone surrogate
        return None
    return None if texts.null_count else texts


def factorize(values: Iterable, *, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of ``values``: ``uniques[codes]`` gives ``values`` back.

    Parameters
    ----------
    values : iterable of hashable
    sort : bool
        Number the distinct values in sorted order (default: in order of first appearance).

    Returns
    -------
    codes : int64 ndarray
    uniques : object ndarray
    """
    values = _as_list(values)
    texts = _strings(values)
    if texts is not None:  # Arrow numbers the distinct values in order of first appearance too
        import pyarrow.compute as pc

        encoded = texts.dictionary_encode()
        codes = encoded.indices.to_numpy().astype(np.int64)
        uniques = object_array(encoded.dictionary.to_pylist())
        # UTF-8's byte order is the order of code points, as Python compares strings
        order = pc.array_sort_indices(encoded.dictionary).to_numpy().astype(np.int64) if sort else None
    else:
        index = {value: code for code, value in enumerate(dict.fromkeys(values))}
        codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
        uniques = object_array(index)
        order = np.argsort(uniques, kind="stable") if sort and len(uniques) else None
    if order is not None:
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes, uniques = rank[codes], uniques[order]
    return codes, uniques


def positions(values: Iterable, keys: Iterable) -> np.ndarray:
    """Position in ``keys`` of each of ``values`` (-1 where absent; the first one where repeated)."""
    values, keys = _as_list(values), _as_list(keys)
    texts = _strings(values)
    if texts is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            key_texts = pa.array(keys, pa.string())
        except (pa.ArrowException, TypeError, ValueError, UnicodeError):
            key_texts = None
        if key_texts is not None:  # index_in gives the first position of a repeated key, as the dict does
            return pc.index_in(texts, value_set=key_texts).fill_null(-1).to_numpy().astype(np.int64)
    index: dict = {}
    for position, key in enumerate(keys):
        index.setdefault(key, position)
    return np.fromiter(map(index.get, values, [-1] * len(values)), dtype=np.int64, count=len(values))


def isin(values: Iterable, keys: Collection) -> np.ndarray:
    """Whether each of ``values`` is in ``keys`` (a set or anything that becomes one)."""
    keys = keys if isinstance(keys, set | frozenset) else set(_as_list(keys))
    values = _as_list(values)
    return np.fromiter(map(keys.__contains__, values), dtype=bool, count=len(values))


def distinct_ints(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted: ``np.unique(values)``, without the
    ``numpy.ma`` import that a bare ``np.unique`` call triggers (~17 ms of start-up).

    >>> distinct_ints(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _as_list(values: Iterable) -> list:
    """A list of the values (``ndarray.tolist`` is the fast way out of a numpy array)."""
    return values.tolist() if isinstance(values, np.ndarray) else list(values)
