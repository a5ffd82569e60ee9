"""The Ledger's columns, its lazily built DataFrames, and the column helpers against pandas."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cojian_graph.columns import distinct_ints, factorize, isin, positions
from cojian_graph.ledger import Ledger, year_of, years_of
from cojian_graph.schema import TABLES
from cojian_graph.testing import tiny_ledger

DATA = Path(__file__).resolve().parents[1] / "data"


def test_columns_and_frames_hold_the_same_cells():
    ledger = tiny_ledger()
    for name in TABLES:
        frame = ledger.table(name)
        assert list(frame.columns)[: len(TABLES[name].column_names)] == TABLES[name].column_names
        assert ledger.size(name) == len(frame)
        for column in frame.columns:
            assert ledger.column(name, column).tolist() == frame[column].tolist()



def test_changing_a_frame_handed_out_changes_nothing_else():
    ledger = tiny_ledger()
    frame = ledger.organizations
    frame.loc[0, "name"] = "changed"
    frame["extra"] = "x"
    assert ledger.organizations.loc[0, "name"] == "铸钢党总支"
    assert "extra" not in ledger.organizations.columns
    assert ledger.column("organizations", "name")[0] == "铸钢党总支"


def test_a_ledger_of_dataframes_keeps_extra_columns_and_adds_missing_ones():
    orgs = pd.DataFrame({"id": ["a"], "name": ["甲"], "备注": ["x"]})
    ledger = Ledger(orgs, {"id": ["x1"], "link_type": ["learning"]}, {"activity_id": [], "organization_id": []})
    assert list(ledger.organizations.columns) == [*TABLES["organizations"].column_names, "备注"]
    assert ledger.column("organizations", "circle").tolist() == [""]
    assert ledger.size("participations") == 0


def test_a_ledger_cannot_be_changed_and_survives_pickling():
    ledger = tiny_ledger()
    with pytest.raises(AttributeError):
        ledger.organizations = None
    again = pickle.loads(pickle.dumps(ledger))
    assert again.content_hash() == ledger.content_hash()
    assert again.participations.equals(ledger.participations)


def test_content_hash_sees_every_cell_and_the_cell_boundaries():
    ledger = tiny_ledger()
    orgs = ledger.organizations.copy()
    orgs.loc[3, "name"] = orgs.loc[3, "name"] + " "
    assert Ledger(orgs, ledger.activities, ledger.participations).content_hash() != ledger.content_hash()
    # the same characters split differently between two cells are a different ledger
    a = Ledger({"id": ["ab", "c"]}, {}, {})
    b = Ledger({"id": ["a", "bc"]}, {}, {})
    assert a.content_hash() != b.content_hash()


def test_take_keeps_the_chosen_records():
    ledger = tiny_ledger()
    part = ledger.take(participations=ledger.column("participations", "organization_id") == "a")
    assert set(part.participations["organization_id"]) == {"a"}
    assert part.organizations.equals(ledger.organizations)


def test_years_agree_with_pandas_to_numeric():
    dates = ["2021", "", "2020-07", "2019-01-31", "abcd", "0999"]
    reference = pd.to_numeric(pd.Series(dates).str.slice(0, 4), errors="coerce")
    assert years_of(np.array(dates, dtype=object)).tolist() == [
        -1 if np.isnan(value) else int(value) for value in reference]
    assert year_of(pd.Series(dates)).tolist() == [2021, pd.NA, 2020, 2019, pd.NA, 999]


def test_summary_counts_by_hand():
    summary = tiny_ledger().summary()
    assert summary["organizations"] == 4 and summary["participations"] == 8
    assert summary["links"]["learning"] == 1 and summary["links"]["brand"] == 1
    assert sum(summary["circles"].values()) == 4
    assert summary["years"] == (2021, 2022) and summary["undated"] == 2


texts = st.lists(st.sampled_from(["a", "b", "铸钢", "", "A", "b "]), max_size=30)


@given(texts, st.booleans())
def test_factorize_matches_pandas(values, sort):
    codes, uniques = factorize(np.array(values, dtype=object), sort=sort)
    ref_codes, ref_uniques = pd.factorize(pd.Series(values, dtype=object), sort=sort)
    assert codes.tolist() == ref_codes.tolist()
    assert uniques.tolist() == list(ref_uniques)


@given(texts, texts)
def test_positions_and_isin_match_pandas(values, keys):
    index = pd.Index(keys, dtype=object)
    reference = [index.get_loc(v) if v in index and index.is_unique else None for v in values]
    got = positions(values, keys)
    if index.is_unique:
        assert got.tolist() == [-1 if r is None else r for r in reference]
    else:
        assert got.tolist() == [keys.index(v) if v in keys else -1 for v in values]
    assert isin(values, keys).tolist() == pd.Series(values, dtype=object).isin(keys).tolist()


def test_reading_and_building_a_graph_needs_no_pandas():
    code = (
        "import sys\n"
        "from cojian_graph.io import read_ledger\n"
        "from cojian_graph.graph import GraphFilter, edge_columns, filter_ledger, node_columns\n"
        f"ledger = read_ledger({str(DATA)!r})\n"
        "edge_columns(filter_ledger(ledger, GraphFilter(circles=('external',), year_min=2021)))\n"
        "node_columns(ledger)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'pyarrow', 'networkx')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@given(st.lists(st.integers(-5, 50), max_size=40))
def test_distinct_ints_is_numpy_unique(values):
    array = np.array(values, dtype=np.int64)
    assert distinct_ints(array).tolist() == np.unique(array).tolist()
