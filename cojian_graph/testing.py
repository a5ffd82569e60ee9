"""Small hand-made ledgers for doctests, tests and examples.

``tiny_ledger()``: four organisations, four activities; small enough to check every figure by hand.

    a 铸钢党总支 (focal) — b 车间党支部 (internal): x1 learning 2021, x2 brand → weight 2, 2 links
    a — c 地方部门党组织 (external): x2 brand, x3 service 2022 → weight 2, 2 links
    b — c: x2 brand → weight 1
    d 地方小学团支部 (external): x4 mass_org, alone → isolated

``dated_ledger()``: five organisations and seven activities over 2020–2022, for the timeline: F is the
focal organisation, A is inside the company, B, C, D outside. a1 2020-03 learning F-A; a2 2020-09-01
service F-B; a3 2021-02 learning F-B; a4 2021-05 culture A-C; a5 2022-01 service F-C-D; a6 2022 (the
year only) brand F-A; a7 undated talent F-B.
"""

from __future__ import annotations

import pandas as pd

from .ledger import Ledger

__all__ = ["dated_ledger", "tiny_ledger"]


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


def dated_ledger() -> Ledger:
    """The small dated ledger the timeline's tests compute by hand (see the module's docstring)."""
    orgs = pd.DataFrame([("F", "核心党总支", "", "general_branch", "focal", "company"),
                         ("A", "车间党支部", "", "party_branch", "internal", "company"),
                         ("B", "地方学校", "", "school", "external", "education"),
                         ("C", "医院", "", "other", "external", "public_service"),
                         ("D", "企业", "", "enterprise", "external", "local_enterprise")],
                        columns=["id", "name", "name_en", "kind", "circle", "sector"])
    acts = pd.DataFrame([("a1", "一", "", "learning", "2020-03"), ("a2", "二", "", "service", "2020-09-01"),
                         ("a3", "三", "", "learning", "2021-02"), ("a4", "四", "", "culture", "2021-05"),
                         ("a5", "五", "", "service", "2022-01"), ("a6", "六", "", "brand", "2022"),
                         ("a7", "七", "", "talent", "")],
                        columns=["id", "title", "title_en", "link_type", "date"])
    parts = pd.DataFrame([("a1", "F"), ("a1", "A"), ("a2", "F"), ("a2", "B"), ("a3", "F"), ("a3", "B"),
                          ("a4", "A"), ("a4", "C"), ("a5", "F"), ("a5", "C"), ("a5", "D"), ("a6", "F"),
                          ("a6", "A"), ("a7", "F"), ("a7", "B")], columns=["activity_id", "organization_id"])
    return Ledger.from_frames(orgs, acts, parts)
