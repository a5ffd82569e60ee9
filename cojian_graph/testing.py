"""Small hand-made ledgers for doctests, tests and examples.

``tiny_ledger()``: four organisations, four activities; small enough to check every figure by hand.

    a 铸钢党总支 (focal) — b 车间党支部 (internal): x1 learning 2021, x2 brand → weight 2, 2 links
    a — c 地方部门党组织 (external): x2 brand, x3 service 2022 → weight 2, 2 links
    b — c: x2 brand → weight 1
    d 地方小学团支部 (external): x4 mass_org, alone → isolated
"""

from __future__ import annotations

import pandas as pd

from .ledger import Ledger

__all__ = ["tiny_ledger"]


def tiny_ledger() -> Ledger:
    organizations = pd.DataFrame(
        [
            ("a", "铸钢党总支", "Cast Steel general branch", "general_branch", "focal", "company"),
            ("b", "车间党支部", "Workshop branch", "party_branch", "internal", "company"),
            ("c", "地方部门党组织", "Local department party organisation", "party_organization",
             "external", "local_government"),
            ("d", "地方小学团支部", "Local primary school youth league branch", "youth_league",
             "external", "education"),
        ],
        columns=["id", "name", "name_en", "kind", "circle", "sector"],
    )
    activities = pd.DataFrame(
        [
            ("x1", "联学党课", "Joint party lecture", "learning", "2021", "", "", "test"),
            ("x2", "品牌共建", "Joint brand building", "brand", "", "", "", "test"),
            ("x3", "走进敬老院", "Visit to a care home", "service", "2022", "", "", "test"),
            ("x4", "青年联谊", "Youth mixer", "mass_org", "", "", "", "test"),
        ],
        columns=["id", "title", "title_en", "link_type", "date", "description", "outcome", "source"],
    )
    participations = pd.DataFrame(
        [
            ("x1", "a", "host"), ("x1", "b", "partner"),
            ("x2", "a", "host"), ("x2", "b", "partner"), ("x2", "c", "partner"),
            ("x3", "a", "host"), ("x3", "c", "partner"),
            ("x4", "d", "host"),
        ],
        columns=["activity_id", "organization_id", "role"],
    )
    return Ledger.from_frames(organizations, activities, participations, validate=False)
