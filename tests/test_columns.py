"""The column helpers (cojian_graph.columns): Arrow's hash kernels, taken from ARROW_FROM values on, give
what the dict path gives (the reference: plain Python dicts and sorted())."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cojian_graph import columns
from cojian_graph.columns import factorize, object_array, positions

# ids as ledgers spell them: short, repeated, CJK, full-width, empty, and a character UTF-8 cannot hold
TEXTS = st.lists(st.sampled_from(["O1", "O2", "o1", "", "组织", "组织 ", "Ａ１", "😀", "O10", "a;b", "\ud800"]) |
                 st.text(max_size=4), max_size=40)


def reference_factorize(values, sort):
    uniques = sorted(set(values)) if sort else list(dict.fromkeys(values))
    code = {value: number for number, value in enumerate(uniques)}
    return [code[value] for value in values], uniques


def reference_positions(values, keys):
    first = {}
    for number, key in enumerate(keys):
        first.setdefault(key, number)
    return [first.get(value, -1) for value in values]


@pytest.mark.parametrize("arrow_from", [0, 10**9])
@settings(max_examples=150, deadline=None)
@given(values=TEXTS, keys=TEXTS, sort=st.booleans())
def test_factorize_and_positions_agree_with_plain_python(arrow_from, values, keys, sort):
    """Both paths (Arrow from the first value, and dicts only) against the reference, including repeated keys
    (the first position counts) and a lone surrogate (Arrow cannot hold it: the dict path takes over)."""
    original = columns.ARROW_FROM
    columns.ARROW_FROM = arrow_from
    try:
        codes, uniques = factorize(object_array(values), sort=sort)
        found = positions(object_array(values), keys)
    finally:
        columns.ARROW_FROM = original
    expected_codes, expected_uniques = reference_factorize(values, sort)
    assert codes.tolist() == expected_codes and uniques.tolist() == expected_uniques
    assert codes.dtype == np.int64 and found.dtype == np.int64
    assert found.tolist() == reference_positions(values, keys)


def test_numbers_and_mixed_values_take_the_dict_path(monkeypatch):
    monkeypatch.setattr(columns, "ARROW_FROM", 0)
    codes, uniques = factorize([3, 1, 3], sort=True)
    assert codes.tolist() == [1, 0, 1] and uniques.tolist() == [1, 3]
    assert positions(["a", 2], [2, "a"]).tolist() == [1, 0]
