"""The vocabulary of co-construction: the eight links, circles, kinds, sectors and roles.

Every list the app, the CLI and the docs show is read from the registries here; nothing repeats
them by hand. Ids are stable: they are written to files and URLs.

Examples
--------
>>> LINKS["learning"].zh
'党员联学'
>>> resolve_link(" 黨員聯學 ")
'learning'
>>> resolve_link("Joint Brand Building")
'brand'
>>> [link.id for link in LINKS.values()][:3]
['organization', 'brand', 'activity']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "CIRCLES",
    "KINDS",
    "LINKS",
    "LINK_IDS",
    "ROLES",
    "SECTORS",
    "TIE_WEIGHTS",
    "Circle",
    "Label",
    "LinkType",
    "label_of",
    "resolve_label",
    "resolve_link",
    "suggest_links",
]


@dataclass(frozen=True, slots=True)
class Label:
    """One entry of a small fixed vocabulary: a stable id with its Chinese and English names."""

    id: str
    zh: str
    en: str
    description_zh: str = ""
    description_en: str = ""

    def text(self, lang: str = "zh") -> str:
        """The name in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    def bilingual(self) -> str:
        """``"中文 (English)"``, for places that show both languages at once."""
        return f"{self.zh} ({self.en})"


@dataclass(frozen=True, slots=True)
class LinkType:
    """One of the eight links (八联) of the case study."""

    id: str
    zh: str
    zh_hant: str
    en: str
    metaphor_zh: str
    metaphor_en: str
    color: str  # a colour-blind-safe palette entry, shared by the app and images

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def bilingual(self) -> str:
        return f"{self.zh} ({self.en})"


def _registry(items):
    return MappingProxyType({item.id: item for item in items})


# The order is the case study's (三、1 to 三、8). Colours: Okabe–Ito plus one dark grey-blue,
# distinguishable for the common forms of colour blindness.
LINKS: MappingProxyType[str, LinkType] = _registry(
    [
        LinkType("organization", "组织联合", "組織聯合", "Joint organisation building",
                 "先手棋", "the opening move", "#D55E00"),
        LinkType("brand", "品牌联建", "品牌聯建", "Joint brand building",
                 "助推器", "the booster", "#E69F00"),
        LinkType("activity", "活动联办", "活動聯辦", "Joint activities",
                 "新支点", "the new fulcrum", "#F0E442"),
        LinkType("learning", "党员联学", "黨員聯學", "Joint study by members",
                 "催化剂", "the catalyst", "#009E73"),
        LinkType("talent", "人才联育", "人才聯育", "Joint talent development",
                 "关键招", "the key move", "#56B4E9"),
        LinkType("service", "服务联动", "服務聯動", "Joint service",
                 "增温器", "the warmer", "#0072B2"),
        LinkType("culture", "文化联创", "文化聯創", "Joint cultural creation",
                 "创新点", "the point of innovation", "#CC79A7"),
        LinkType("mass_org", "群团联手", "群團聯手", "Joint work of unions and youth leagues",
                 "连心桥", "the bridge between hearts", "#4D5D7A"),
    ]
)
LINK_IDS: tuple[str, ...] = tuple(LINKS)


class Circle:
    """Ids of the three circles of the internal–external circulation (内外循环)."""

    FOCAL = "focal"
    INTERNAL = "internal"
    EXTERNAL = "external"


CIRCLES: MappingProxyType[str, Label] = _registry(
    [
        Label(Circle.FOCAL, "核心组织", "Focal organisation",
              "台账所围绕的党组织", "the party organisation the ledger is about"),
        Label(Circle.INTERNAL, "内结（公司内部）", "Internal (inside the company)",
              "公司内部的组织", "organisations inside the company"),
        Label(Circle.EXTERNAL, "外联（集团及地方）", "External (group and locality)",
              "集团内其他单位及地方组织", "organisations of the group and of the locality"),
    ]
)

KINDS: MappingProxyType[str, Label] = _registry(
    [
        Label("party_committee", "党委", "Party committee"),
        Label("general_branch", "党总支", "Party general branch"),
        Label("party_branch", "党支部", "Party branch"),
        Label("party_organization", "党组织", "Party organisation (level not stated)"),
        Label("trade_union", "工会", "Trade union"),
        Label("youth_league", "共青团组织", "Communist Youth League organisation"),
        Label("government", "政府部门", "Government department"),
        Label("enterprise", "企业", "Enterprise"),
        Label("school", "学校", "School"),
        Label("social_institution", "社会机构", "Social institution"),
        Label("other", "其他", "Other"),
    ]
)

SECTORS: MappingProxyType[str, Label] = _registry(
    [
        Label("company", "公司内部", "Inside the company"),
        Label("group", "集团", "Enterprise group"),
        Label("railway", "铁路", "Railway"),
        Label("local_government", "地方政府", "Local government"),
        Label("local_enterprise", "地方企业", "Local enterprise"),
        Label("public_service", "公共服务", "Public service"),
        Label("education", "教育", "Education"),
        Label("mass_organization", "群团组织", "Mass organisations (trade union federations, youth leagues)"),
        Label("social", "社会组织", "Social organisations"),
        Label("other", "其他", "Other"),
    ]
)

ROLES: MappingProxyType[str, Label] = _registry(
    [
        Label("host", "主办", "Host"),
        Label("partner", "共建方", "Partner"),
        Label("inviter", "邀请方", "Inviter"),
        Label("participant", "参与方", "Participant"),
        Label("beneficiary", "受益方", "Beneficiary"),
        Label("other", "其他", "Other"),
    ]
)

#: How a joint activity weighs on the ties it makes (the collaboration graph's ``weight``); the first
#: is the default.
TIE_WEIGHTS: MappingProxyType[str, Label] = _registry(
    [
        Label("count", "共同活动数", "Joint activities",
              "每项共同活动为参与各方两两之间的关系加 1。",
              "Each joint activity adds 1 to the tie of every pair of its participants."),
        Label("newman", "Newman 合作权重", "Newman collaboration weight",
              "有 k 个参与方的活动为每对参与方的关系加 1/(k−1)：一个组织从一次活动得到的关系权重合计为 1，"
              "大型会议不会压倒小范围的深度合作（Newman 2001）。",
              "Each activity of k participants adds 1/(k−1) to the tie of every pair of them, so an "
              "organisation's ties from one activity add up to 1 however large the meeting "
              "(Newman 2001, Phys. Rev. E 64, 016132)."),
    ]
)


def _key(text: str) -> str:
    """Normalise a user-typed name for lookup: NFKC, lower case, no spaces or underscores."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-]+", "", text)


def _link_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for link in LINKS.values():
        for name in (link.id, link.zh, link.zh_hant, link.en):
            aliases[_key(name)] = link.id
        aliases[_key(link.en.replace("Joint ", ""))] = link.id
    return aliases


_LINK_ALIASES = _link_aliases()


def resolve_link(text: str) -> str | None:
    """The link id that ``text`` names, or None.

    Accepts an id, the Simplified or Traditional Chinese name, or the English name, ignoring case
    and surrounding spaces.

    >>> resolve_link("ACTIVITY"), resolve_link("活動聯辦"), resolve_link("nothing")
    ('activity', 'activity', None)
    """
    return _LINK_ALIASES.get(_key(text))


def suggest_links(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` link ids whose names are closest to ``text`` (for "did you mean" messages).

    >>> suggest_links("党员学习")[0]
    'learning'
    """
    import difflib

    key = _key(text)
    scored: dict[str, float] = {}
    for alias, link_id in _LINK_ALIASES.items():
        ratio = difflib.SequenceMatcher(None, key, alias).ratio()
        scored[link_id] = max(scored.get(link_id, 0.0), ratio)
    ranked = sorted(scored, key=lambda link_id: -scored[link_id])
    return ranked[:n]


def resolve_label(registry: MappingProxyType[str, Label], text: str) -> str | None:
    """The id in ``registry`` named by ``text`` (id, Chinese or English name), or None.

    >>> resolve_label(CIRCLES, "Internal"), resolve_label(KINDS, "党总支")
    ('internal', 'general_branch')
    """
    key = _key(text)
    for label in registry.values():
        names = (label.id, label.zh, label.en, label.zh.split("（")[0], label.en.split(" (")[0])
        if key in {_key(name) for name in names}:
            return label.id
    return None


def label_of(registry, item_id: str, lang: str = "zh") -> str:
    """The display name of ``item_id`` in ``registry``, or the id itself when unknown."""
    item = registry.get(item_id)
    return item.text(lang) if item is not None else item_id
