"""Synthetic co-construction ledgers, for tests, demonstrations and benchmarks.

:func:`synthetic_ledger` draws a ledger shaped like the case study, at any size: one focal party
organisation; partners inside the company (about 40 %: party branches, unions, youth leagues of
workshops and departments) and outside it (about 60 %: units of the enterprise group, local
government, local enterprises, schools, the railway, public services, social organisations); all
eight links; two to six participants per activity (mostly two or three), the focal organisation in
a good share of them; a few partners in very many activities (partners are chosen with Zipf-like
weights); dates from 2020 to 2025 with a small share undated. Names and titles are Chinese with
English translations, built from small word lists.

Everything is drawn with one ``numpy.random.Generator`` seeded by ``seed`` and vectorised with
numpy and pandas: the same seed gives the same ledger, and a million participations take seconds.

Examples
--------
>>> from cojian_graph.synth import synthetic_ledger
>>> ledger = synthetic_ledger(30, 50, seed=1)
>>> len(ledger.organizations), len(ledger.activities)
(30, 50)
>>> ledger.organizations.loc[0, "circle"]
'focal'
>>> synthetic_ledger(30, 50, seed=1).content_hash() == ledger.content_hash()
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import CojianError
from .ledger import Ledger
from .model import LINK_IDS
from .schema import TABLES

__all__ = ["SYNTH_DEFAULTS", "synthetic_ledger", "synthetic_timeline"]

#: Shape parameters of :func:`synthetic_ledger` (documented here, not user options).
SYNTH_DEFAULTS = {
    "internal_share": 0.4,  # share of partners inside the company
    "focal_share": 0.45,  # share of activities the focal organisation takes part in
    "participants": (2, 3, 4, 5, 6),  # participants per activity …
    "participants_p": (0.46, 0.30, 0.13, 0.07, 0.04),  # … and their probabilities (mean ≈ 2.9)
    "zipf_exponent": 1.05,  # partner weight ∝ (rank + zipf_offset) ** -exponent
    "zipf_offset": 2.0,
    "undated_share": 0.05,
    "yearly_growth": 1.15,  # each year has this many times the activities of the year before
    # synthetic_timeline: each organisation has an acquaintance group of about this many, and this
    # share of an activity's partners come from its host's group (the rest from anyone active)
    "group_size": 30,
    "acquaintance": 0.7,
}

# (id, weight) of the eight links in activities; every link appears.
_LINK_WEIGHTS = {
    "organization": 0.08, "brand": 0.09, "activity": 0.20, "learning": 0.20,
    "talent": 0.10, "service": 0.14, "culture": 0.08, "mass_org": 0.11,
}

_FOCAL = ("示范公司铸钢分公司党总支", "Demonstration Co. Cast Steel Branch general branch")

# Units inside the company, and the organisations a unit has: (kind, suffix zh, suffix en, weight).
_INTERNAL_UNITS = [
    ("铸造车间", "Casting workshop"), ("造型车间", "Moulding workshop"), ("熔炼车间", "Melting workshop"),
    ("精整车间", "Finishing workshop"), ("机加车间", "Machining workshop"),
    ("热处理车间", "Heat treatment workshop"), ("质检部", "Quality inspection dept."),
    ("技术中心", "Technology centre"), ("物流中心", "Logistics centre"), ("设备部", "Equipment dept."),
    ("安全环保部", "Safety and environment dept."), ("采购部", "Purchasing dept."),
    ("财务部", "Finance dept."), ("综合办公室", "General office"), ("生产管理部", "Production dept."),
    ("营销中心", "Sales centre"), ("研发中心", "R&D centre"), ("动力车间", "Power workshop"),
]
_INTERNAL_KINDS = [
    ("party_branch", "党支部", "party branch", 0.52),
    ("general_branch", "党总支", "party general branch", 0.08),
    ("trade_union", "分工会", "trade union", 0.17),
    ("youth_league", "团支部", "youth league branch", 0.17),
    ("party_committee", "党委", "party committee", 0.06),
]

_PLACES = [
    ("眉山市", "Meishan"), ("东坡区", "Dongpo District"), ("彭山区", "Pengshan District"),
    ("仁寿县", "Renshou County"), ("洪雅县", "Hongya County"), ("丹棱县", "Danling County"),
    ("青神县", "Qingshen County"), ("成都市", "Chengdu"), ("乐山市", "Leshan"),
]

# External sectors: weight, whether the name starts with a place, units, kinds.
_EXTERNAL_SECTORS: dict[str, tuple[float, bool, list[tuple[str, str]], list[tuple[str, str, str, float]]]] = {
    "group": (0.20, False, [
        ("集团物流公司", "Group logistics company"), ("集团研究院", "Group research institute"),
        ("集团机车公司", "Group locomotive company"), ("集团装备公司", "Group equipment company"),
        ("集团配件公司", "Group parts company"), ("集团信息公司", "Group IT company"),
        ("集团车辆公司", "Group rolling stock company"), ("集团电机公司", "Group motor company"),
    ], [
        ("party_committee", "党委", "party committee", 0.25),
        ("general_branch", "党总支", "party general branch", 0.2),
        ("party_branch", "党支部", "party branch", 0.35),
        ("trade_union", "工会", "trade union", 0.1),
        ("youth_league", "团委", "youth league committee", 0.1),
    ]),
    "local_government": (0.20, True, [
        ("市场监管局", "market regulation bureau"), ("人社局", "human resources bureau"),
        ("税务局", "tax bureau"), ("街道办事处", "sub-district office"), ("社区", "community"),
        ("应急管理局", "emergency management bureau"), ("经信局", "economy and IT bureau"),
        ("公安分局", "police branch"), ("总工会", "federation of trade unions"),
    ], [
        ("government", "", "", 0.35),
        ("party_organization", "党组织", "party organisation", 0.25),
        ("party_branch", "党支部", "party branch", 0.3),
        ("youth_league", "团委", "youth league committee", 0.1),
    ]),
    "local_enterprise": (0.15, True, [
        ("钢铁公司", "steel company"), ("机械厂", "machinery plant"), ("电力公司", "power company"),
        ("建材公司", "building materials company"), ("食品公司", "food company"),
        ("物流公司", "logistics company"), ("铸造厂", "foundry"),
    ], [
        ("enterprise", "", "", 0.3),
        ("party_branch", "党支部", "party branch", 0.5),
        ("trade_union", "工会", "trade union", 0.2),
    ]),
    "education": (0.15, True, [
        ("实验小学", "experimental primary school"), ("第一中学", "No. 1 middle school"),
        ("职业技术学院", "vocational college"), ("大学", "university"), ("实验学校", "experimental school"),
    ], [
        ("school", "", "", 0.3),
        ("party_branch", "党支部", "party branch", 0.35),
        ("youth_league", "团委", "youth league committee", 0.35),
    ]),
    "railway": (0.10, True, [
        ("车务段", "traffic depot"), ("机务段", "locomotive depot"), ("车辆段", "rolling stock depot"),
        ("工务段", "track maintenance depot"), ("火车站", "railway station"),
    ], [
        ("party_committee", "党委", "party committee", 0.2),
        ("party_branch", "党支部", "party branch", 0.5),
        ("youth_league", "团委", "youth league committee", 0.15),
        ("trade_union", "工会", "trade union", 0.15),
    ]),
    "public_service": (0.12, True, [
        ("人民医院", "people's hospital"), ("图书馆", "library"), ("消防救援站", "fire station"),
        ("供电所", "power supply station"), ("自来水公司", "water company"), ("敬老院", "care home"),
    ], [
        ("social_institution", "", "", 0.5),
        ("party_branch", "党支部", "party branch", 0.5),
    ]),
    "social": (0.08, True, [
        ("志愿者协会", "volunteers' association"), ("红十字会", "Red Cross"), ("慈善会", "charity"),
        ("青年商会", "young entrepreneurs' chamber"), ("社会工作服务中心", "social work centre"),
    ], [
        ("social_institution", "", "", 0.7),
        ("other", "", "", 0.3),
    ]),
}

# Topics of activities per link: (zh, en).
_TOPICS = {
    "organization": [("支部共建签约", "Branch co-construction agreement"),
                     ("组织生活会联席会议", "Joint meeting on organisational life"),
                     ("党建工作交流座谈", "Party-building exchange"),
                     ("联合主题党日", "Joint party day")],
    "brand": [("党建品牌联建", "Joint party brand"), ("红色引擎品牌推介", "Red Engine brand showcase"),
              ("党员示范岗共创", "Model post co-creation"), ("品牌成果展", "Brand results exhibition")],
    "activity": [("联合劳动竞赛", "Joint labour competition"), ("主题实践活动", "Themed practice"),
                 ("技能比武", "Skills contest"), ("联合文体活动", "Joint sports and arts event")],
    "learning": [("联学党课", "Joint party lecture"), ("专题研讨会", "Themed seminar"),
                 ("读书分享会", "Reading session"), ("红色教育基地参观", "Visit to a red education site")],
    "talent": [("青年人才联合培养", "Joint training of young talent"), ("师带徒结对", "Mentoring pairs"),
               ("技术攻关联合小组", "Joint technical task force"), ("干部交流挂职", "Cadre exchange")],
    "service": [("志愿服务", "Volunteer service"), ("走进敬老院", "Visit to a care home"),
                ("乡村振兴帮扶", "Rural revitalisation aid"), ("安全知识进社区", "Safety in the community")],
    "culture": [("企业文化交流", "Corporate culture exchange"), ("红色文化展演", "Red culture show"),
                ("廉洁文化共建", "Integrity culture building"), ("工匠精神宣讲", "Talks on craftsmanship")],
    "mass_org": [("青年联谊", "Youth mixer"), ("工会联合慰问", "Joint union visits"),
                 ("团建拓展", "Youth league outing"), ("职工健步走", "Staff walking event")],
}
_THEMES = [
    ("安全生产", "work safety"), ("质量提升", "quality"), ("乡村振兴", "rural revitalisation"),
    ("青年创新", "youth innovation"), ("工匠精神", "craftsmanship"), ("绿色发展", "green development"),
    ("党史学习", "party history"), ("志愿服务", "volunteering"), ("技术创新", "technical innovation"),
]
_ROLES_OTHER = (("partner", 0.6), ("participant", 0.3), ("beneficiary", 0.1))


def synthetic_ledger(
    orgs: int,
    activities: int,
    seed: int,
    *,
    years: tuple[int, int] = (2020, 2025),
    mass_meeting: int = 0,
) -> Ledger:
    """A synthetic co-construction ledger with ``orgs`` organisations and ``activities`` activities.

    Parameters
    ----------
    orgs : int
        Number of organisations, at least 2; the first (id ``O…1``) is the focal one.
    activities : int
        Number of activities, at least 1. Participations are about 2.9 per activity.
    seed : int
        Seed of the random generator: the same seed gives the same ledger.
    years : (int, int)
        First and last year of dated activities (inclusive).
    mass_meeting : int
        When positive, one more activity: a mass meeting (a city-wide party-building alliance
        conference, 组织联合, in the last year) of the first ``mass_meeting`` organisations, as real
        ledgers hold. At most ``orgs``.

    Returns
    -------
    Ledger
        Canonical tables (every cell a ``str``), valid for :func:`cojian_graph.validate.validated`.

    Raises
    ------
    CojianError
        When ``orgs < 2``, ``activities < 1`` or the years are out of order.

    Notes
    -----
    Partners are drawn for each activity by successive sampling without replacement, with weights
    ``(rank + 1) ** -1.05`` over a random ranking of the partners, so partner activity counts are
    heavy-tailed (Zipf-like) as in real co-construction networks, where a few partners take part in
    most activities. The parameters are in :data:`SYNTH_DEFAULTS`.

    Examples
    --------
    >>> ledger = synthetic_ledger(5, 3, seed=0)
    >>> sorted(set(ledger.organizations["circle"]))[:1], ledger.participations.shape[1]
    (['external'], 3)
    """
    orgs, activities = _check(orgs, activities, years)
    rng = np.random.default_rng(seed)
    organizations = _organizations(rng, orgs)
    acts, participations = _activities(rng, orgs, activities, years)
    participations["organization_id"] = organizations["id"][participations["organization_id"]]
    if mass_meeting:
        acts, participations = _with_mass_meeting(acts, participations, organizations["id"], int(mass_meeting),
                                                  years)
    # The frames are built canonical (schema columns in order, object dtype, str cells, "" for
    # empty), so the ledger is made directly: normalize_table's per-cell pass would dominate the time.
    return Ledger(
        _canonical("organizations", organizations),
        _canonical("activities", acts),
        _canonical("participations", participations),
    )


def _with_mass_meeting(acts: dict, participations: dict, org_ids: np.ndarray, size: int,
                       years: tuple[int, int]) -> tuple[dict, dict]:
    """``acts`` and ``participations`` with one more activity of the first ``size`` organisations."""
    if not 2 <= size <= len(org_ids):
        raise CojianError(f"大会参加组织数须在 2 到 {len(org_ids)} 之间 / a mass meeting has 2 to "
                          f"{len(org_ids)} participants, got {size}")
    meeting = {"id": "MASS", "title": "全市党建联盟大会", "title_en": "City-wide party-building alliance conference",
               "link_type": "organization", "date": str(years[1])}
    acts = {column: np.append(np.asarray(values, dtype=object), meeting.get(column, "")).astype(object)
            for column, values in acts.items()}
    added = {"activity_id": np.full(size, "MASS", dtype=object), "organization_id": np.asarray(org_ids[:size]),
             "role": np.full(size, "participant", dtype=object)}
    participations = {column: np.concatenate([np.asarray(values, dtype=object),
                                              added.get(column, np.full(size, "", dtype=object))]).astype(object)
                      for column, values in participations.items()}
    return acts, participations


def _check(orgs, activities, years) -> tuple[int, int]:
    try:
        orgs, activities = int(orgs), int(activities)
    except (TypeError, ValueError) as error:
        raise CojianError(
            f"组织数和活动数必须是整数 / orgs and activities must be integers: {error}") from None
    if orgs < 2:
        raise CojianError(f"组织数至少为 2（核心组织和至少一个伙伴）/ orgs must be at least 2, got {orgs}")
    if activities < 1:
        raise CojianError(f"活动数至少为 1 / activities must be at least 1, got {activities}")
    first, last = years
    if int(first) > int(last):
        raise CojianError(f"起始年份晚于结束年份 / first year {first} is after last year {last}")
    return orgs, activities


def _ids(prefix: str, count: int) -> np.ndarray:
    width = len(str(count))
    return prefix + _digits(np.arange(1, count + 1), width)


def _digits(values: np.ndarray, width: int = 0) -> np.ndarray:
    """Integers as decimal strings (object array), zero-padded to ``width``."""
    text = np.asarray(values).astype(np.str_)
    return (np.strings.zfill(text, width) if width else text).astype(object)


def _pick(rng: np.random.Generator, options: list, weights, size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(options), size=size, p=p / p.sum())


def _organizations(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    partners = count - 1
    internal = rng.random(partners) < SYNTH_DEFAULTS["internal_share"]
    sectors = np.empty(partners, dtype=object)
    sectors[internal] = "company"
    external_sectors = list(_EXTERNAL_SECTORS)
    sectors[~internal] = np.asarray(external_sectors, dtype=object)[
        _pick(rng, external_sectors, [spec[0] for spec in _EXTERNAL_SECTORS.values()], int((~internal).sum()))
    ]
    name = np.empty(partners, dtype=object)
    name_en = np.empty(partners, dtype=object)
    kind = np.empty(partners, dtype=object)
    specs = {"company": (1.0, False, _INTERNAL_UNITS, _INTERNAL_KINDS), **_EXTERNAL_SECTORS}
    for sector, (_, placed, units, kinds) in specs.items():
        rows = np.flatnonzero(sectors == sector)
        if not len(rows):
            continue
        unit = _pick(rng, units, np.ones(len(units)), len(rows))
        which = _pick(rng, kinds, [k[3] for k in kinds], len(rows))
        unit_zh = np.array([u[0] for u in units], dtype=object)[unit]
        unit_en = np.array([u[1] for u in units], dtype=object)[unit]
        if placed:
            place = _pick(rng, _PLACES, np.ones(len(_PLACES)), len(rows))
            unit_zh = np.array([p[0] for p in _PLACES], dtype=object)[place] + unit_zh
            unit_en = np.array([p[1] for p in _PLACES], dtype=object)[place] + " " + unit_en
        kind[rows] = np.array([k[0] for k in kinds], dtype=object)[which]
        suffix_en = np.array([k[2] for k in kinds], dtype=object)[which]
        name[rows] = unit_zh + np.array([k[1] for k in kinds], dtype=object)[which]
        name_en[rows] = np.where(suffix_en == "", unit_en, unit_en + " " + suffix_en)
        name_en[rows] = [text[:1].upper() + text[1:] for text in name_en[rows]]
    # the n-th organisation of the same name becomes "…（第n）" ("no. n"), keeping names unique
    number = pd.Series(name, dtype=object).groupby(name, sort=False).cumcount().to_numpy() + 1
    again = number > 1
    if again.any():
        numbered = _digits(number[again])
        name[again] = name[again] + "（第" + numbered + "）"
        name_en[again] = name_en[again] + " (no. " + numbered + ")"
    circle = np.where(internal, "internal", "external").astype(object)
    return {
        "id": _ids("O", count),
        "name": np.concatenate([[_FOCAL[0]], name]).astype(object),
        "name_en": np.concatenate([[_FOCAL[1]], name_en]).astype(object),
        "kind": np.concatenate([["general_branch"], kind]).astype(object),
        "circle": np.concatenate([["focal"], circle]).astype(object),
        "sector": np.concatenate([["company"], sectors]).astype(object),
    }


def _activities(
    rng: np.random.Generator, orgs: int, count: int, years: tuple[int, int]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    links = np.asarray(LINK_IDS, dtype=object)
    link = _pick(rng, list(LINK_IDS), [_LINK_WEIGHTS[link_id] for link_id in LINK_IDS], count)

    # titles: "<theme><topic>" / "<Topic> on <theme>", drawn per link
    title = np.empty(count, dtype=object)
    title_en = np.empty(count, dtype=object)
    theme = _pick(rng, _THEMES, np.ones(len(_THEMES)), count)
    topic = rng.integers(0, 4, size=count)
    for position, link_id in enumerate(LINK_IDS):
        rows = np.flatnonzero(link == position)
        topics = _TOPICS[link_id]
        title[rows] = (np.array([t[0] for t in _THEMES], dtype=object)[theme[rows]]
                       + np.array([t[0] for t in topics], dtype=object)[topic[rows] % len(topics)])
        title_en[rows] = (np.array([t[1] for t in topics], dtype=object)[topic[rows] % len(topics)] + " ("
                          + np.array([t[1] for t in _THEMES], dtype=object)[theme[rows]] + ")")

    date = _dates(rng, count, years)

    # participants per activity; the focal organisation in a share of them
    sizes = np.asarray(SYNTH_DEFAULTS["participants"])
    size = np.minimum(sizes[_pick(rng, list(sizes), SYNTH_DEFAULTS["participants_p"], count)], orgs)
    focal = rng.random(count) < SYNTH_DEFAULTS["focal_share"]
    focal |= size > orgs - 1  # not enough partners without the focal organisation
    need = size - focal
    others = _draw_partners(rng, orgs - 1, need)  # (activity, rank in activity, partner index)
    act_of = np.concatenate([np.flatnonzero(focal), others[0]])
    org_of = np.concatenate([np.zeros(int(focal.sum()), dtype=np.int64), others[2] + 1])
    order = np.concatenate([np.full(int(focal.sum()), -1), others[1]])
    sort = np.lexsort((order, act_of))
    act_of, org_of, order = act_of[sort], org_of[sort], order[sort]

    # roles: the first listed (the focal organisation when present) hosts; others are partners etc.
    first = np.r_[True, act_of[1:] != act_of[:-1]]
    role_names = np.array([r[0] for r in _ROLES_OTHER], dtype=object)
    role = role_names[_pick(rng, _ROLES_OTHER, [r[1] for r in _ROLES_OTHER], len(act_of))]
    role[first] = "host"

    ids = _ids("A", count)
    n_part = np.bincount(act_of, minlength=count)
    description = _digits(n_part)
    description = description + "家单位联合开展“" + title + "”活动"
    outcome = np.where(rng.random(count) < 0.15, "形成共建机制一项", "").astype(object)
    acts = {
        "id": ids, "title": title, "title_en": title_en, "link_type": links[link], "date": date,
        "description": description, "outcome": outcome,
        "source": np.full(count, "synthetic", dtype=object),
    }
    participations = {"activity_id": ids[act_of], "organization_id": org_of, "role": role}
    return acts, participations


def _dates(rng: np.random.Generator, count: int, years: tuple[int, int]) -> np.ndarray:
    first, last = int(years[0]), int(years[1])
    span = np.arange(first, last + 1)
    weights = SYNTH_DEFAULTS["yearly_growth"] ** np.arange(len(span))
    year = span[_pick(rng, list(span), weights, count)]
    month = rng.integers(1, 13, size=count)
    day = rng.integers(1, 29, size=count)
    precision = _pick(rng, [0, 1, 2], [0.8, 0.12, 0.08], count)  # full date, year-month, year only
    text, month_text, day_text = _digits(year), _digits(month, 2), _digits(day, 2)
    date = np.where(precision == 2, text, text + "-" + month_text)
    date = np.where(precision == 0, date + "-" + day_text, date).astype(object)
    date[rng.random(count) < SYNTH_DEFAULTS["undated_share"]] = ""
    return date


def _draw_acquainted(rng: np.random.Generator, partners: np.ndarray, appeal: np.ndarray, group: np.ndarray,
                     need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each activity ``a``, ``need[a]`` distinct organisations out of ``partners`` (at most as many
    as there are): a host drawn by ``appeal``, then each other one from the host's ``group`` with
    probability ``SYNTH_DEFAULTS["acquaintance"]``, else from all ``partners``, by ``appeal``.

    Returns (activity, organisation index) arrays.
    """
    share = SYNTH_DEFAULTS["acquaintance"]

    def sampler(members: np.ndarray):
        weights = np.cumsum(appeal[members])
        return members, weights / weights[-1]

    everyone = sampler(partners)
    groups = {g: sampler(partners[group[partners] == g]) for g in np.unique(group[partners]).tolist()}

    def draw(pool) -> int:
        members, cumulative = pool
        return int(members[min(int(np.searchsorted(cumulative, rng.random())), len(members) - 1)])

    acts, drawn = [], []
    for activity, count in enumerate(need.tolist()):
        if count <= 0:
            continue
        chosen = [draw(everyone)]
        local = groups[int(group[chosen[0]])]
        for _ in range(50 * count):
            if len(chosen) >= count:
                break
            pick = draw(local if rng.random() < share else everyone)
            if pick not in chosen:
                chosen.append(pick)
        if len(chosen) < count:  # a small pool: the rest at random among those not yet chosen
            left = np.setdiff1d(partners, chosen)
            chosen += rng.choice(left, size=count - len(chosen), replace=False).tolist()
        acts += [activity] * count
        drawn += chosen
    return np.asarray(acts, dtype=np.int64), np.asarray(drawn, dtype=np.int64)


def _draw_partners(rng: np.random.Generator, pool: int, need: np.ndarray):
    """For each activity ``a``, ``need[a]`` distinct partners out of ``pool``, Zipf-like weighted.

    Returns (activity, rank within the activity, partner index) arrays. Successive sampling without
    replacement, vectorised: draw a batch of candidates per activity with replacement, keep the
    first ``need[a]`` distinct ones, and redraw the (rare) activities left short one by one.
    """
    exponent, offset = SYNTH_DEFAULTS["zipf_exponent"], SYNTH_DEFAULTS["zipf_offset"]
    weight = (rng.permutation(pool) + offset) ** -exponent
    weight /= weight.sum()
    count = len(need)
    batch = int(min(max(3 * int(need.max(initial=1)), 8), 4 * pool + 4))
    candidates = rng.choice(pool, size=(count, batch), p=weight)
    act = np.repeat(np.arange(count), batch)
    flat = candidates.ravel()
    key = act.astype(np.int64) * pool + flat
    _, first_seen = np.unique(key, return_index=True)
    keep = np.sort(first_seen)  # first occurrence of each (activity, partner), in draw order
    act, flat = act[keep], flat[keep]
    starts = np.searchsorted(act, act, side="left")
    rank = np.arange(len(act)) - starts
    take = rank < need[act]
    act, flat, rank = act[take], flat[take], rank[take]
    short = np.flatnonzero(np.bincount(act, minlength=count) < need)
    if len(short):
        extra_act, extra_org, extra_rank = [], [], []
        drop = np.isin(act, short)
        act, flat, rank = act[~drop], flat[~drop], rank[~drop]
        for activity in short:
            chosen = rng.choice(pool, size=int(need[activity]), replace=False, p=weight)
            extra_act.append(np.full(len(chosen), activity))
            extra_org.append(chosen)
            extra_rank.append(np.arange(len(chosen)))
        act = np.concatenate([act, *extra_act])
        flat = np.concatenate([flat, *extra_org])
        rank = np.concatenate([rank, *extra_rank])
    return act, rank, flat


def _canonical(name: str, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A table in the ledger's canonical form: schema columns in order, object dtype, str cells.

    Built with explicit object Series: letting pandas infer a string dtype and converting back
    would take longer than drawing the ledger.
    """
    return pd.DataFrame(
        {column: pd.Series(np.asarray(columns[column], dtype=object), dtype=object)
         for column in TABLES[name].column_names}
    )


def synthetic_timeline(
    orgs: int,
    activities: int,
    seed: int,
    *,
    years: tuple[int, int] = (2020, 2025),
    fade_share: float = 0.15,
) -> tuple[Ledger, dict]:
    """A synthetic ledger with a time structure, and the facts planted in it.

    The practice starts in the first year with the focal organisation and every partner inside the
    company; partners outside it join over the years (uniformly); a share ``fade_share`` of the
    partners that joined at least two years before the end fade: they take part in nothing after a
    year drawn between the year after they joined and the year before the last. Each partner's first
    joint activity is an introduction with the focal organisation in the year it joins; the other
    activities (more each year, as :func:`synthetic_ledger`'s) draw their participants among the
    organisations active that year, and every year after the first holds a mass event of about a
    tenth of them. Every activity has a full date.

    Who meets whom has the structure real ledgers have, so that recommendations can be tested on
    it: every organisation keeps its appeal from year to year (Zipf-like weights, as
    :func:`synthetic_ledger`'s), and belongs to a group of acquaintances of about
    ``SYNTH_DEFAULTS["group_size"]`` (drawn at random). An activity's host is drawn by appeal; each of
    its other partners comes from the host's group with probability
    ``SYNTH_DEFAULTS["acquaintance"]``, else from everyone active, by appeal.

    Returns
    -------
    (Ledger, dict)
        The ledger, and the planted facts: ``joined`` (organisation id → the year of its first joint
        activity), ``last_active`` (for the partners that fade: the last year they may take part in),
        ``mass_events`` (activity ids) and ``years``.

    Examples
    --------
    >>> ledger, facts = synthetic_timeline(40, 200, seed=1)
    >>> facts["joined"]["O01"], min(facts["joined"].values()), len(ledger.activities)
    (2020, 2020, 200)
    """
    orgs, activities = _check(orgs, activities, years)
    first, last = int(years[0]), int(years[1])
    if activities < orgs - 1 + (last - first):
        raise CojianError(f"至少需要 {orgs - 1 + last - first} 项活动（每个伙伴一项加入活动，每年一次大会）/ needs at "
                          f"least {orgs - 1 + last - first} activities: one introduction per partner and a mass "
                          "event a year")
    rng = np.random.default_rng(seed)
    organizations = _organizations(rng, orgs)
    acts, _ = _activities(rng, orgs, activities, years)  # titles and links; dates and participants redrawn
    circle = organizations["circle"]
    join = np.full(orgs, first, dtype=np.int64)
    outside = np.flatnonzero(circle == "external")
    join[outside] = first + rng.integers(0, last - first + 1, size=len(outside))
    last_active = np.full(orgs, last, dtype=np.int64)
    can_fade = np.flatnonzero((np.arange(orgs) > 0) & (join <= last - 2))
    faders = rng.choice(can_fade, size=round(fade_share * len(can_fade)), replace=False) \
        if len(can_fade) else np.empty(0, dtype=np.int64)
    last_active[faders] = join[faders] + 1 + rng.integers(0, last - 1 - join[faders])

    act_year = np.empty(activities, dtype=np.int64)
    part_act, part_org = [], []
    # introductions: partner p (1 … orgs-1) joins in activity p-1, with the focal organisation
    intro = np.arange(orgs - 1)
    act_year[intro] = join[1:]
    part_act += [intro, intro]
    part_org += [np.zeros(orgs - 1, dtype=np.int64), np.arange(1, orgs)]
    # a mass event every year after the first
    mass = np.arange(orgs - 1, orgs - 1 + last - first)
    act_year[mass] = np.arange(first + 1, last + 1)
    for activity, year in zip(mass.tolist(), act_year[mass].tolist(), strict=True):
        active = np.flatnonzero((join <= year) & (last_active >= year))
        chosen = rng.choice(active, size=max(2, len(active) // 10), replace=False)
        part_act.append(np.full(len(chosen), activity))
        part_org.append(chosen)
    # the rest: more each year; participants among the organisations active that year
    rest = np.arange(orgs - 1 + last - first, activities)
    span = np.arange(first, last + 1)
    act_year[rest] = span[_pick(rng, list(span), SYNTH_DEFAULTS["yearly_growth"] ** np.arange(len(span)), len(rest))]
    sizes = np.asarray(SYNTH_DEFAULTS["participants"])
    appeal = (rng.permutation(orgs) + SYNTH_DEFAULTS["zipf_offset"]) ** -SYNTH_DEFAULTS["zipf_exponent"]
    group = rng.integers(0, max(1, orgs // SYNTH_DEFAULTS["group_size"]), size=orgs)
    for year in span.tolist():
        these = rest[act_year[rest] == year]
        partners = np.flatnonzero((np.arange(orgs) > 0) & (join <= year) & (last_active >= year))
        if not len(these) or not len(partners):
            continue
        size = np.minimum(sizes[_pick(rng, list(sizes), SYNTH_DEFAULTS["participants_p"], len(these))],
                          len(partners) + 1)
        focal = (rng.random(len(these)) < SYNTH_DEFAULTS["focal_share"]) | (size > len(partners))
        act, drawn = _draw_acquainted(rng, partners, appeal, group, size - focal)
        part_act += [these[focal], these[act]]
        part_org += [np.zeros(int(focal.sum()), dtype=np.int64), drawn]
    act_of, org_of = np.concatenate(part_act), np.concatenate(part_org)

    month = rng.integers(1, 13, size=activities)
    day = rng.integers(1, 29, size=activities)
    acts["date"] = (_digits(act_year) + "-" + _digits(month, 2) + "-" + _digits(day, 2)).astype(object)
    for index in mass.tolist():
        acts["title"][index] = f"{act_year[index]}年度党建联盟大会"
        acts["title_en"][index] = f"Party-building alliance conference {act_year[index]}"
        acts["link_type"][index] = "organization"
    order = np.lexsort((org_of, act_of))
    act_of, org_of = act_of[order], org_of[order]
    first_in = np.r_[True, act_of[1:] != act_of[:-1]]
    role = np.where(first_in, "host", "partner").astype(object)
    participations = {"activity_id": acts["id"][act_of], "organization_id": organizations["id"][org_of],
                      "role": role}
    ids = organizations["id"]
    facts = {
        "joined": {str(ids[i]): int(join[i]) for i in range(orgs)},
        "last_active": {str(ids[i]): int(last_active[i]) for i in sorted(faders.tolist())},
        "mass_events": [str(acts["id"][i]) for i in mass.tolist()],
        "years": [first, last],
    }
    ledger = Ledger(_canonical("organizations", organizations), _canonical("activities", acts),
                    _canonical("participations", participations))
    return ledger, facts
