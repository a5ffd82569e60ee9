"""One organisation's measures (cojian_graph.analysis.single) equal the rank table's, organisation by
organisation; the rank table's values are held to networkx's in tests/test_measures_reference.py."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cojian_graph.analysis import net_from_ledger, rank_columns_from_graph
from cojian_graph.analysis.single import SINGLE_MEASURES, organization_measures
from cojian_graph.errors import CojianError
from cojian_graph.graph import GraphFilter
from cojian_graph.io import read_ledger
from cojian_graph.synth import synthetic_ledger

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("ledger", ["bundled", "grown", "learning layer"])
def test_every_organisation_s_measures_equal_the_rank_table_s(ledger):
    if ledger == "bundled":
        net = net_from_ledger(read_ledger(DATA), GraphFilter())
    elif ledger == "grown":  # hubs, strong ties, several components, isolated organisations
        net = net_from_ledger(synthetic_ledger(400, 1_200, 9), GraphFilter())
    else:
        net = net_from_ledger(synthetic_ledger(400, 1_200, 9), GraphFilter(links=("learning",)))
    table = rank_columns_from_graph(net, measures=list(SINGLE_MEASURES), exact=True)
    rows = {name: position for position, name in enumerate(table["id"].tolist())}
    checked = 0
    for organization in net.ids:
        mine = organization_measures(net, organization)
        assert list(mine) == list(SINGLE_MEASURES)
        for key, value in mine.items():
            expected = float(table[key][rows[organization]])
            if math.isnan(expected):
                assert math.isnan(value), (organization, key)
            else:
                assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), (organization, key)
            checked += 1
    assert checked == net.n * len(SINGLE_MEASURES)


def test_an_organisation_outside_the_view_is_a_clear_error():
    net = net_from_ledger(read_ledger(DATA), GraphFilter())
    with pytest.raises(CojianError, match="not in this view"):
        organization_measures(net, "no-such-organisation")
