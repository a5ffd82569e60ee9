import pytest

from cojian_graph.model import CIRCLES, LINK_IDS, LINKS, resolve_label, resolve_link, suggest_links


def test_eight_links_in_case_order():
    assert LINK_IDS == ("organization", "brand", "activity", "learning", "talent", "service", "culture", "mass_org")
    assert [link.zh for link in LINKS.values()] == [
        "组织联合", "品牌联建", "活动联办", "党员联学", "人才联育", "服务联动", "文化联创", "群团联手"]
    assert len({link.color for link in LINKS.values()}) == 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("organization", "organization"),
        ("  MASS_ORG ", "mass_org"),
        ("群团联手", "mass_org"),
        ("群團聯手", "mass_org"),
        ("Joint service", "service"),
        ("joint   SERVICE", "service"),
        ("文化聯創", "culture"),
        ("八联", None),
        ("", None),
    ],
)
def test_resolve_link(text, expected):
    assert resolve_link(text) == expected


def test_suggestions_rank_the_nearest_first():
    assert suggest_links("服务联系")[0] == "service"
    assert suggest_links("mass org")[0] == "mass_org"


def test_resolve_label_by_any_name():
    assert resolve_label(CIRCLES, "外联") == "external"
    assert resolve_label(CIRCLES, "focal") == "focal"
    assert resolve_label(CIRCLES, "nowhere") is None
