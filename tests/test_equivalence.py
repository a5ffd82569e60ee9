"""Organisations in identical positions get identical figures and share their rank; eigenvector
centrality is defined where the largest eigenvalue is repeated."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from cojian_graph.analysis import eigenvector, rank_table
from cojian_graph.analysis.rank import _ranks
from cojian_graph.graph import GraphFilter
from cojian_graph.ledger import Ledger


def _equivalent_ledger(leaves: int = 26) -> Ledger:
    """A focal branch and two hubs; every leaf runs one three-party activity with the focal branch and
    the first hub, and one with both hubs: the leaves are structurally equivalent."""
    orgs = [("F", "铸钢党总支", "general_branch", "focal", "company"),
            ("H1", "车间党支部", "party_branch", "internal", "company"),
            ("H2", "地方党组织", "party_organization", "external", "local_government")]
    orgs += [(f"L{i:02d}", f"共建单位{i}", "enterprise", "external", "local_enterprise") for i in range(leaves)]
    acts, parts = [], []
    for i in range(leaves):
        for j, (link, others) in enumerate((("learning", ("F", "H1")), ("service", ("H1", "H2")))):
            act = f"A{i:02d}{j}"
            acts.append((act, f"活动{act}", link, "2022"))
            parts += [(act, org, "partner") for org in (*others, f"L{i:02d}")]
    return Ledger.from_frames(
        pd.DataFrame(orgs, columns=["id", "name", "kind", "circle", "sector"]),
        pd.DataFrame(acts, columns=["id", "title", "link_type", "date"]),
        pd.DataFrame(parts, columns=["activity_id", "organization_id", "role"]))


@pytest.mark.parametrize("tie_weight", ["count", "newman"])
def test_structurally_equivalent_organisations_share_every_figure_and_their_rank(tie_weight):
    table = rank_table(_equivalent_ledger(), spec=GraphFilter(tie_weight=tie_weight))
    leaves = table[table["id"].str.startswith("L")]
    assert len(leaves) == 26
    assert leaves["rank"].nunique() == 1  # one shared rank, not 26 ranks from floating-point noise
    assert leaves["rank"].iloc[0] == 4  # after the focal branch and the two hubs
    for column in table.columns:
        if column not in ("id", "name", "name_en", "circle", "rank") and table[column].dtype.kind == "f":
            assert leaves[column].max() - leaves[column].min() <= 1e-12 * max(1.0, abs(leaves[column].max())), column


def test_ranks_tolerate_noise_but_not_differences():
    assert _ranks([1.0, 1.0 + 1e-14, 1.0 - 1e-14, 0.5], ascending=False).tolist() == [1, 1, 1, 4]
    assert _ranks([1.0, 1.0 + 1e-6, 0.5], ascending=False).tolist() == [2, 1, 3]
    assert _ranks([0.2, float("nan"), 0.2 + 1e-15], ascending=True).tolist() == [1, 3, 1]


@pytest.mark.parametrize("G", [
    nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3)),  # two components alike
    nx.Graph([(0, 1), (2, 3), (4, 5)]),  # a layer of separate pairs
    nx.disjoint_union(nx.star_graph(4), nx.complete_graph(3)),  # K(1,4) and K3 share eigenvalue 2
    nx.disjoint_union(nx.complete_graph(80), nx.complete_graph(80)),  # large enough for ARPACK per component
    nx.disjoint_union(nx.path_graph(4), nx.complete_graph(5)),  # different eigenvalues: only K5
], ids=["two-triangles", "pairs", "star-and-triangle", "two-K80", "path-and-K5"])
def test_eigenvector_with_a_repeated_leading_eigenvalue_is_networkx_limit(G):
    # networkx's power iteration from equal scores converges to the projection we define
    expected = nx.eigenvector_centrality(G, max_iter=10_000, tol=1e-12)
    ours = eigenvector(G, weight=None)
    for node, value in expected.items():
        assert ours[node] == pytest.approx(value, abs=1e-6)
