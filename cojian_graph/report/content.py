"""What the briefing says: every section's sentences, tables and pictures, computed once from a ledger
and written out by :mod:`.docx` and :mod:`.pdf` alike.

A :class:`Report` is plain data: section headings, and blocks — a paragraph, a list, a table or a
figure (PNG for Word, SVG for the PDF). Names and titles from the ledger are kept as text: each
writer puts them into its document as text, never as markup.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..model import CIRCLES, LINKS, SECTORS

if TYPE_CHECKING:
    import pandas as pd

    from ..graph import GraphFilter
    from ..ledger import Ledger

__all__ = ["LIGHT_ABOVE", "MAP_LIMIT", "Report", "build_report"]

#: The map draws at most this many organisations (the most central ones) and says how many it leaves out.
MAP_LIMIT = 150
#: … and at most this many of the ties among them (the strongest), so that the picture stays readable.
MAP_TIES = 400
#: Above this many organisations the composite index is made of the measures that take seconds on a
#: million ties (strength, degree, breadth, eigenvector, PageRank), without the path measures and
#: effective size, which would take minutes; the report says so.
LIGHT_ABOVE = 2000
LIGHT_WEIGHTS = {"strength": 0.25, "degree": 0.15, "breadth": 0.15, "eigenvector": 0.25, "pagerank": 0.2}
#: Rows of the top-organisations table and of each recommendation list.
TOP = 10
SUGGESTIONS = 5


@dataclass
class Report:
    """A briefing ready to be written: ``sections`` of ``{"heading", "blocks"}``; a block is
    ``{"kind": "para", "text"}``, ``{"kind": "bullets", "items"}``, ``{"kind": "table", "caption",
    "columns", "rows"}`` (every cell a string) or ``{"kind": "figure", "caption", "name"}`` naming
    ``figures[name]`` (``{"png": bytes, "svg": bytes}``)."""

    lang: str
    title: str
    cover: list[str]
    sections: list[dict] = field(default_factory=list)
    figures: dict[str, dict[str, bytes]] = field(default_factory=dict)

    def text(self) -> str:
        """Every sentence, heading, caption and cell, one per line (for tests and search)."""
        lines = [self.title, *self.cover]
        for section in self.sections:
            lines.append(section["heading"])
            for block in section["blocks"]:
                lines += ([block["text"]] if block["kind"] == "para" else block.get("items", [])
                          if block["kind"] == "bullets" else [block["caption"]])
                if block["kind"] == "table":
                    lines += [" | ".join(block["columns"]), *(" | ".join(row) for row in block["rows"])]
        return "\n".join(lines)


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _number(value: float, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


class _Builder:
    def __init__(self, report: Report):
        self.report = report
        self.current: dict | None = None

    def section(self, heading: str) -> None:
        self.current = {"heading": heading, "blocks": []}
        self.report.sections.append(self.current)

    def para(self, text: str) -> None:
        self.current["blocks"].append({"kind": "para", "text": text})

    def bullets(self, items: list[str]) -> None:
        if items:
            self.current["blocks"].append({"kind": "bullets", "items": items})

    def table(self, caption: str, frame: pd.DataFrame) -> None:
        rows = [[_cell(value) for value in row] for row in frame.itertuples(index=False)]
        self.current["blocks"].append({"kind": "table", "caption": caption, "columns": [str(c) for c in frame.columns],
                                       "rows": rows})

    def figure(self, caption: str, name: str, png: bytes, svg: bytes) -> None:
        self.report.figures[name] = {"png": png, "svg": svg}
        self.current["blocks"].append({"kind": "figure", "caption": caption, "name": name})


def _cell(value) -> str:
    if isinstance(value, float | np.floating):
        return _number(float(value))
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    return "" if value is None else str(value)


def build_report(ledger: Ledger, *, spec: GraphFilter | None = None, lang: str = "zh", name: str = "",
                 as_of: str | None = None, org: str | None = None, today: _dt.date | None = None,
                 progress: Callable[[str], None] | None = None) -> Report:
    """The briefing on ``ledger`` under the view ``spec``: key figures in sentences, the map, the eight
    links, the leading organisations and why, the internal/external balance, growth (when dated), thin
    spots, recommendations for ``org`` (default: the focal organisation) and how each figure is made.

    ``name`` names the ledger on the cover, ``as_of`` the date or revision it was read at;
    ``progress(step)`` is called as each section starts.
    """
    from ..analysis.rank import view_net
    from ..errors import CojianError
    from ..graph import GraphFilter, filter_ledger
    from ..graph.filters import view_tables

    if lang not in ("zh", "en"):
        raise CojianError(f"未知的语言 unknown language: {lang!r}; 可选 valid: zh, en")
    spec = (spec or GraphFilter()).normalized()
    step = progress or (lambda _: None)
    today = today or _dt.date.today()
    view = filter_ledger(ledger, spec)
    step(_t(lang, "关键数字", "key figures"))
    # the view as tables and as one igraph-backed Net: no networkx graph of every tie (a mass meeting
    # makes a million), only of the few drawn on the map
    nodes, edges = view_tables(ledger, spec, evidence=False)
    net = view_net(ledger, spec=spec)
    title = _t(lang, "党建共建分析报告", "Party-building co-construction briefing")
    report = Report(lang=lang, title=title, cover=_cover(ledger, view, spec, lang, name, as_of, today))
    out = _Builder(report)
    focal = _focal(ledger, org)
    who = _who(ledger, focal, org, lang)
    _key_figures(out, view, len(edges), lang)
    step(_t(lang, "排名", "rankings"))
    ranks, light = _ranks(net)
    step(_t(lang, "网络图", "map"))
    _map(out, nodes, edges, ledger, ranks, lang)
    _links(out, view, lang)
    _leaders(out, ranks, light, lang)
    _balance(out, net, nodes, focal, lang)
    step(_t(lang, "成长", "growth"))
    _growth(out, view, lang)
    _thin_spots(out, view, edges, focal, who, lang)
    step(_t(lang, "建议", "recommendations"))
    _recommendations(out, ledger, spec, focal, who, lang)
    _appendix(out, light, lang)
    return report


def _focal(ledger: Ledger, org: str | None) -> str | None:
    """``org``, else the ledger's focal organisation, else None (the sections that need one say so)."""
    from ..analysis.recommend import focal_organization
    from ..errors import CojianError

    if org:
        return org
    try:
        return focal_organization(ledger)
    except CojianError:
        return None


def _who(ledger, focal: str | None, org: str | None, lang: str) -> str:
    """How the text names the organisation the recommendations are for."""
    if org is None or focal is None:
        return _t(lang, "核心组织", "the focal organisation")
    names = dict(zip(ledger.column("organizations", "id").tolist(), ledger.column("organizations", "name").tolist(),
                     strict=True))
    return names.get(org) or org


def _cover(ledger, view, spec, lang, name, as_of, today) -> list[str]:
    years = view.summary()["years"]
    lines = []
    if name:
        lines.append(_t(lang, f"台账：{name}", f"Ledger: {name}"))
    if years:
        period = f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0])
        lines.append(_t(lang, f"活动年份：{period}", f"Activities dated: {period}"))
    if as_of:
        lines.append(_t(lang, f"截至：{as_of}", f"As of: {as_of}"))
    if not spec.is_default:
        lines.append(_t(lang, "视图：", "View: ") + _describe(spec, lang))
    lines.append(_t(lang, f"生成日期：{today:%Y-%m-%d}", f"Made on {today:%Y-%m-%d}"))
    return lines


def _describe(spec, lang) -> str:
    parts = []
    if spec.links:
        parts.append(_join([LINKS[link].text(lang) for link in spec.links], lang))
    if spec.circles:
        parts.append(_join([CIRCLES[c].text(lang) for c in spec.circles], lang))
    if spec.sectors:
        parts.append(_join([SECTORS[s].text(lang) for s in spec.sectors], lang))
    if spec.year_min is not None or spec.year_max is not None:
        parts.append(f"{spec.year_min or '…'}–{spec.year_max or '…'}")
    if spec.period:
        parts.append(spec.period)
    if spec.min_weight > 1:
        parts.append(_t(lang, f"至少 {spec.min_weight} 项共同活动", f"at least {spec.min_weight} joint activities"))
    if spec.focus:
        parts.append(_t(lang, f"{spec.focus} 的 {spec.hops} 步邻域", f"{spec.hops}-step neighbourhood of {spec.focus}"))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _circle_of(view) -> dict[str, str]:
    return dict(zip(view.column("organizations", "id").tolist(), view.column("organizations", "circle").tolist(),
                    strict=True))


def _activity_circles(view) -> tuple[dict, dict]:
    """Activity id → set of the circles of its participants; organisation id → its activities."""
    circle = _circle_of(view)
    circles: dict[str, set] = {}
    acts_of: dict[str, set] = {}
    for act, org in zip(view.column("participations", "activity_id").tolist(),
                        view.column("participations", "organization_id").tolist(), strict=True):
        circles.setdefault(act, set()).add(circle.get(org, ""))
        acts_of.setdefault(org, set()).add(act)
    return circles, acts_of


def _key_figures(out: _Builder, view, ties: int, lang: str) -> None:
    summary = view.summary()
    circles = summary["circles"]
    circles_of, acts_of = _activity_circles(view)
    external = [org for org, c in _circle_of(view).items() if c == "external" and acts_of.get(org)]
    with_external = sum(1 for cs in circles_of.values() if "external" in cs)
    links = {link: n for link, n in summary["links"].items() if n}
    out.section(_t(lang, "要点", "Key figures"))
    first = _t(
        lang,
        f"台账记录了 {summary['organizations']:,} 个组织开展的 {summary['activities']:,} 项共建活动"
        f"（核心组织 {circles.get('focal', 0)} 个，公司内部 {circles.get('internal', 0):,} 个，"
        f"外部 {circles.get('external', 0):,} 个）。",
        f"The ledger records {summary['activities']:,} co-construction activities of "
        f"{summary['organizations']:,} organisations ({circles.get('focal', 0)} focal, "
        f"{circles.get('internal', 0):,} inside the company, {circles.get('external', 0):,} outside).")
    second = _t(lang, f"与 {len(external):,} 个外部组织开展了 {with_external:,} 项共建活动",
                f"{with_external:,} activities were run with {len(external):,} organisations outside the company")
    if links:
        top_link, count = max(links.items(), key=lambda item: item[1])
        second += _t(lang, f"；八联中开展最多的是{LINKS[top_link].zh}（{count} 项），共开展了 {len(links)} 种。",
                     f"; of the eight links, {LINKS[top_link].en} was run most ({count}), and {len(links)} were run "
                     "in all.")
    else:
        second += _t(lang, "。", ".")
    third = _t(lang, f"组织之间形成了 {ties:,} 对合作关系（共同参加过活动的组织对）。",
               f"Together they formed {ties:,} ties (pairs of organisations that took part in an "
               "activity together).")
    years = summary["years"]
    if years and years[0] == years[1]:
        fourth = _t(lang, f"注明日期的活动都在 {years[0]} 年；{summary['undated']} 项未注明日期。",
                    f"The dated activities are all from {years[0]}; {summary['undated']} are undated.")
    elif years:
        fourth = _t(lang, f"活动日期从 {years[0]} 年到 {years[1]} 年；{summary['undated']} 项未注明日期。",
                    f"Activities are dated from {years[0]} to {years[1]}; {summary['undated']} are undated.")
    else:
        fourth = _t(lang, "活动都未注明日期。", "No activity is dated.")
    for text in (first, second, third, fourth):
        out.para(text)


def _ranks(net) -> tuple[pd.DataFrame, bool]:
    from ..analysis.rank import rank_columns_from_graph, rank_frame

    light = net.n > LIGHT_ABOVE
    if light:
        columns = rank_columns_from_graph(net, measures=[*LIGHT_WEIGHTS, "composite"], weights=LIGHT_WEIGHTS)
    else:
        columns = rank_columns_from_graph(net)
    return rank_frame(columns), light


def _map(out: _Builder, nodes, edges, ledger, ranks, lang: str) -> None:
    from ..export import image_bytes
    from ..graph import graph_from_tables
    from ..render.network_html import strongest_ties

    out.section(_t(lang, "共建生态圈", "The ecosystem"))
    if len(nodes) > MAP_LIMIT:
        keep = set(ranks["id"].head(MAP_LIMIT).tolist())
        among = edges[edges["source"].isin(keep) & edges["target"].isin(keep)]
        shown = strongest_ties(graph_from_tables(nodes[nodes["id"].isin(keep)], among), MAP_TIES)
        out.para(_t(lang, f"组织较多，图中只画出综合指数最高的 {MAP_LIMIT} 个组织及其相互之间最强的 "
                    f"{shown.number_of_edges():,} 对合作关系（共 {len(nodes):,} 个组织、{len(edges):,} 对关系）。",
                    f"There are many organisations: the map draws the {MAP_LIMIT} with the highest composite index "
                    f"and the {shown.number_of_edges():,} strongest ties among them (of {len(nodes):,} "
                    f"organisations and {len(edges):,} ties)."))
    else:
        shown = graph_from_tables(nodes, edges)
    if shown.number_of_nodes() == 0:
        out.para(_t(lang, "当前视图中没有组织。", "The view has no organisation."))
        return
    options = dict(lang=lang, labels=20, heading=False, width=10.0, height=7.0)
    png = image_bytes(shown, ledger, "png", dpi=200, **options)
    svg = image_bytes(shown, ledger, "svg", **options)
    out.para(_t(lang, "图中每个点是一个组织，大小表示合作强度（共同活动次数），颜色表示圈层；"
                "两个组织共同参加过活动即相连，线越粗共同活动越多。",
                "Each dot is an organisation, sized by its collaboration strength (joint activities) and "
                "coloured by circle; two organisations are joined when they took part in an activity together, "
                "the thicker the line the more activities."))
    out.figure(_t(lang, "共建网络", "The co-construction network"), "map", png, svg)


def _links(out: _Builder, view, lang: str) -> None:
    import pandas as pd

    circles_of, _ = _activity_circles(view)
    link_of = dict(zip(view.column("activities", "id").tolist(), view.column("activities", "link_type").tolist(),
                       strict=True))
    circle = _circle_of(view)
    orgs_of: dict[str, set] = {}
    for act, org in zip(view.column("participations", "activity_id").tolist(),
                        view.column("participations", "organization_id").tolist(), strict=True):
        orgs_of.setdefault(link_of.get(act), set()).add(org)
    rows, inside_only, outside = [], [], []
    for link in LINKS:
        acts = [act for act, lk in link_of.items() if lk == link]
        internal = sum(1 for act in acts if circles_of.get(act, set()) <= {"focal", "internal"})
        external_only = sum(1 for act in acts if circles_of.get(act) and circles_of[act] <= {"external"})
        crossing = len(acts) - internal - external_only
        partners = sum(1 for org in orgs_of.get(link, ()) if circle.get(org) != "focal")
        rows.append((LINKS[link].text(lang), len(acts), partners, internal, crossing, external_only))
        if acts and internal == len(acts):
            inside_only.append(LINKS[link].text(lang))
        if acts and internal == 0:
            outside.append(LINKS[link].text(lang))
    columns = [_t(lang, "八联", "Link"), _t(lang, "活动", "Activities"), _t(lang, "参与伙伴", "Partners"),
               _t(lang, "仅公司内部", "Inside only"), _t(lang, "内外联合", "Inside and outside"),
               _t(lang, "仅外部", "Outside only")]
    out.section(_t(lang, "八联", "The eight links"))
    out.para(_t(lang, "下表列出每一联开展的活动、参与的伙伴组织（不含核心组织），"
                "以及活动只在公司内部（核心组织与内部组织）、内外联合或只在外部组织之间开展的次数（内外循环）。",
                "The table lists, for each link, its activities, the partner organisations taking part (the focal one "
                "not counted), and how many activities ran inside the company only (the focal organisation and "
                "internal ones), inside and outside together, or among outside organisations only (inner and outer "
                "circulation)."))
    out.table(_t(lang, "八联的活动与内外循环", "The eight links: activities and circulation"),
              pd.DataFrame(rows, columns=columns))
    notes = []
    if inside_only:
        notes.append(_t(lang, f"只在公司内部开展：{_join(inside_only, lang)}。",
                        f"Run inside the company only: {_join(inside_only, lang)}."))
    if outside:
        notes.append(_t(lang, f"全部有外部组织参加：{_join(outside, lang)}。",
                        f"Every activity with outside organisations: {_join(outside, lang)}."))
    unused = [LINKS[link].text(lang) for link, row in zip(LINKS, rows, strict=True) if row[1] == 0]
    if unused:
        notes.append(_t(lang, f"尚未开展：{_join(unused, lang)}。", f"Not run yet: {_join(unused, lang)}."))
    out.bullets(notes)


def _leaders(out: _Builder, ranks, light: bool, lang: str) -> None:
    import pandas as pd

    from ..analysis import MEASURES
    from ..analysis.composite import DEFAULT_WEIGHTS

    weights = LIGHT_WEIGHTS if light else DEFAULT_WEIGHTS
    out.section(_t(lang, "核心组织与原因", "Leading organisations, and why"))
    out.para(_t(lang, "综合共建指数把几项中心性指标按权重合成（0–100）。“主要依据”列出该组织排名最靠前的两项指标。",
                "The composite index combines several centrality measures by weight (0–100). “Why” names the two "
                "measures in which the organisation ranks highest."))
    top = ranks.head(TOP)
    rows = []
    for _, row in top.iterrows():
        standing = []
        for measure in weights:
            if measure in ranks.columns:
                values = ranks[measure].astype(float)
                better = values > row[measure] if MEASURES[measure].higher_is_better else values < row[measure]
                standing.append((int(better.sum()) + 1, measure))
        standing.sort()
        why = _join([_t(lang, f"{MEASURES[m].label('zh')}第 {place} 名", f"{MEASURES[m].label('en')} #{place}")
                     for place, m in standing[:2]], lang)
        rows.append((int(row["rank"]), row["name"] or row["id"], CIRCLES[row["circle"]].text(lang)
                     if row["circle"] in CIRCLES else row["circle"], float(row["composite"]), why))
    columns = [_t(lang, "名次", "Rank"), _t(lang, "组织", "Organisation"), _t(lang, "圈层", "Circle"),
               _t(lang, "综合指数", "Composite"), _t(lang, "主要依据", "Why")]
    out.table(_t(lang, f"综合共建指数前 {len(rows)} 名", f"The first {len(rows)} by composite index"),
              pd.DataFrame(rows, columns=columns))


def _balance(out: _Builder, net, nodes, focal: str | None, lang: str) -> None:
    from ..analysis import ei_index, ei_index_network

    out.section(_t(lang, "内外平衡", "Inside and outside"))
    network = ei_index_network(net)
    if np.isnan(network):
        out.para(_t(lang, "视图中没有合作关系，无法计算内外平衡。",
                    "The view has no tie: there is no balance to compute."))
        return
    lean = (_t(lang, "外部关系多于内部关系", "more ties reach outside the company than stay inside") if network > 0
            else _t(lang, "内部关系多于外部关系", "more ties stay inside the company than reach outside") if network < 0
            else _t(lang, "内外关系一样多", "as many ties reach outside as stay inside"))
    out.para(_t(lang, f"整个网络的 E-I 指数为 {network:.2f}"
                f"（−1 表示全部是公司内部的关系，+1 表示全部是与外部的关系）：{lean}。",
                f"The network's E-I index is {network:.2f} (−1: every tie inside the company; +1: every tie "
                f"outside): {lean}."))
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    if focal and focal in names:
        value = ei_index(net).get(focal)
        if value is not None and not np.isnan(value):
            name = names[focal] or focal
            out.para(_t(lang, f"{name}的 E-I 指数为 {value:.2f}。", f"{name} has an E-I index of {value:.2f}."))


def _growth(out: _Builder, view, lang: str) -> None:
    from ..analysis.timeline import growth

    out.section(_t(lang, "成长", "Growth"))
    result = growth(view)
    table = result.table
    if len(table) < 2:
        out.para(_t(lang, f"台账中注明日期的活动不足两个年份（{result.undated} 项未注明日期），"
                    "无法显示逐年成长，本节从略。",
                    f"The ledger's dated activities span fewer than two years ({result.undated} undated), so there "
                    "is no growth to show; this section is left out."))
        return
    last = table.iloc[-1]
    out.para(_t(lang, f"{table.index[-1]} 年开展活动 {int(last['activities'])} 项，"
                f"新增伙伴 {int(last['new_partners'])} 个、"
                f"新建合作关系 {int(last['new_ties']):,} 对，中断 {int(last['lost_ties']):,} 对；"
                f"上一年的伙伴中有 {last['retention']:.0%} 今年仍有活动。",
                f"In {table.index[-1]}: {int(last['activities'])} activities, {int(last['new_partners'])} new "
                f"partners, {int(last['new_ties']):,} new ties and {int(last['lost_ties']):,} lost; "
                f"{last['retention']:.0%} of last year's partners were active again."))
    frame = table.reset_index()[["period", "activities", "active", "new_partners", "new_ties", "lost_ties",
                                 "retention"]]
    frame["retention"] = [("–" if np.isnan(v) else f"{v:.0%}") for v in frame["retention"].astype(float)]
    frame.columns = [_t(lang, "年份", "Year"), _t(lang, "活动", "Activities"), _t(lang, "活跃组织", "Active"),
                     _t(lang, "新伙伴", "New partners"), _t(lang, "新关系", "New ties"),
                     _t(lang, "中断关系", "Lost ties"), _t(lang, "伙伴留存", "Retention")]
    png, svg = _growth_chart(table, lang)
    out.figure(_t(lang, "每年的新伙伴与新关系", "New partners and new ties per year"), "growth", png, svg)
    out.table(_t(lang, "逐年成长", "Growth by year"), frame)
    if result.undated:
        out.para(_t(lang, f"另有 {result.undated} 项活动未注明日期，不在表中。",
                    f"{result.undated} undated activities are not in the table."))


def _growth_chart(table, lang: str) -> tuple[bytes, bytes]:
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from ..render.fonts import register_cjk_font

    family = register_cjk_font()
    out = {}
    for fmt in ("png", "svg"):
        with matplotlib.rc_context({"font.family": [family, "DejaVu Sans"], "svg.hashsalt": "cojian",
                                    "axes.unicode_minus": False}):
            fig = Figure(figsize=(8, 3.2))
            axes = fig.subplots(1, 2)
            years = [str(p) for p in table.index]
            for ax, column, colour, label in (
                    (axes[0], "new_partners", "#2E6DB4", _t(lang, "新伙伴", "New partners")),
                    (axes[1], "new_ties", "#E67E22", _t(lang, "新关系", "New ties"))):
                ax.bar(years, table[column].astype(float), color=colour)
                ax.set_title(label)
                ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=200, metadata={"Date": None} if fmt == "svg" else {})
            out[fmt] = buffer.getvalue()
    return out["png"], out["svg"]


def _thin_spots(out: _Builder, view, edges, focal: str | None, who: str, lang: str) -> None:
    out.section(_t(lang, "薄弱环节", "Thin spots"))
    items = []
    link_of = dict(zip(view.column("activities", "id").tolist(), view.column("activities", "link_type").tolist(),
                       strict=True))
    circle = _circle_of(view)
    names = dict(zip(view.column("organizations", "id").tolist(), view.column("organizations", "name").tolist(),
                     strict=True))
    partners_of: dict[str, set] = {}
    for act, org in zip(view.column("participations", "activity_id").tolist(),
                        view.column("participations", "organization_id").tolist(), strict=True):
        if circle.get(org) != "focal":
            partners_of.setdefault(link_of.get(act), set()).add(org)
    single = [f"{LINKS[link].text(lang)}（{names.get(next(iter(orgs)), '')}）" if lang == "zh"
              else f"{LINKS[link].text(lang)} ({names.get(next(iter(orgs)), '')})"
              for link, orgs in partners_of.items() if link in LINKS and len(orgs) == 1]
    if single:
        items.append(_t(lang, f"只有一个伙伴的联：{_join(single, lang)}。", f"Links with a single partner: "
                        f"{_join(single, lang)}."))
    mine = edges[(edges["source"] == focal) | (edges["target"] == focal)] if focal else edges.iloc[:0]
    if len(mine):
        partner = np.where(mine["source"] == focal, mine["target"], mine["source"])
        single_link = (mine["multiplexity"] == 1).to_numpy()
        order = np.lexsort((partner[single_link].astype(str), -mine["weight"].to_numpy(dtype=float)[single_link]))
        one_link = partner[single_link][order].tolist()
        if one_link:
            examples = _join([names.get(v, v) for v in one_link[:5]], lang)
            items.append(_t(lang, f"{who}的 {len(mine)} 个伙伴中，"
                            f"有 {len(one_link)} 个只通过一种联合作，例如：{examples}。",
                            f"Of the {len(mine)} partners of {who}, {len(one_link)} work with it "
                            f"through one link only, e.g. {examples}."))
    # organisations with a single partner, counted per partner they depend on
    ends = np.r_[edges["source"].to_numpy(dtype=object), edges["target"].to_numpy(dtype=object)]
    others = np.r_[edges["target"].to_numpy(dtype=object), edges["source"].to_numpy(dtype=object)]
    alone = {org for org, count in Counter(ends.tolist()).items() if count == 1}
    brokers: dict[str, int] = {}
    for node, broker in zip(ends.tolist(), others.tolist(), strict=True):
        if node in alone:
            brokers[broker] = brokers.get(broker, 0) + 1
    if brokers:
        ranked = sorted(brokers.items(), key=lambda item: (-item[1], item[0]))[:5]
        listed = _join([_t(lang, f"{names.get(b, b)}（{n} 个）", f"{names.get(b, b)} ({n})") for b, n in ranked], lang)
        items.append(_t(lang, f"{sum(brokers.values())} 个组织只与一个组织有合作，依赖它与网络相连：{listed}。",
                        f"{sum(brokers.values())} organisations have a single partner and depend on it to reach the "
                        f"network: {listed}."))
    if items:
        out.bullets(items)
    else:
        out.para(_t(lang, "没有发现只有一个伙伴的联、只通过一种联合作的伙伴或依赖单一组织的组织。",
                    "No link with a single partner, no partner reached through one link only, and no organisation "
                    "that depends on a single one."))


def _recommendations(out: _Builder, ledger, spec, focal: str | None, who: str, lang: str) -> None:
    import pandas as pd

    from ..analysis.recommend import approach, deepen
    from ..errors import CojianError

    out.section(_t(lang, "建议", "Recommendations"))
    if not focal:
        out.para(_t(lang, "台账中没有核心组织，无法给出建议。", "The ledger has no focal organisation to advise."))
        return
    try:
        deeper = deepen(ledger, focal, top=SUGGESTIONS, spec=spec, lang=lang)
        wider = approach(ledger, focal, top=SUGGESTIONS, spec=spec, lang=lang)
    except CojianError:  # a view without the focal organisation
        out.para(_t(lang, f"{who}不在当前视图中，无法给出建议。", f"{who} is not in this view."))
        return
    out.para(_t(lang, "深化：已有合作但只通过一种联开展、或近一年没有活动的伙伴。",
                "Deepen: partners we work with through a single link only, or not in the last year."))
    if len(deeper):
        out.table(_t(lang, "建议深化的合作", "Ties to deepen"), pd.DataFrame({
            _t(lang, "伙伴", "Partner"): deeper["name"], _t(lang, "原因", "Reason"): deeper["reason"]}))
    else:
        out.para(_t(lang, "没有这样的合作。", "There are none."))
    out.para(_t(lang, "拓展：尚未合作、但与我们有共同伙伴的组织，按加权资源分配指数排序（检验见附录）。",
                "Approach: organisations we have not worked with yet that share partners with us, ranked by the "
                "weighted resource allocation index (see the appendix for how well it predicts)."))
    if len(wider):
        out.table(_t(lang, "建议拓展的组织", "Organisations to approach"), pd.DataFrame({
            _t(lang, "组织", "Organisation"): wider["name"], _t(lang, "原因", "Reason"): wider["reason"]}))
    else:
        out.para(_t(lang, f"{who}已与网络中所有间接相连的组织建立了合作，没有新的拓展对象。",
                    f"{who} already works with every organisation it is connected to through a partner: there is "
                    "no one new to approach."))


def _appendix(out: _Builder, light: bool, lang: str) -> None:
    out.section(_t(lang, "附录：计算方法", "Appendix: how the figures are computed"))
    composite = (_t(lang, f"组织超过 {LIGHT_ABOVE:,} 个时，只用强度（0.25）、度数（0.15）、广度（0.15）、"
                    "特征向量中心性（0.25）和 PageRank（0.2）合成（路径类指标与有效规模耗时过长）。",
                    f"Above {LIGHT_ABOVE:,} organisations only strength (0.25), degree (0.15), breadth (0.15), "
                    "eigenvector centrality (0.25) and PageRank (0.2) are combined (the path measures and "
                    "effective size would take too long).")
                 if light else "")
    out.bullets([
        _t(lang, "合作关系：两个组织共同参加过至少一项活动；关系的强度是共同活动的次数。",
           "Tie: two organisations that took part in at least one activity together; its strength is the number "
           "of joint activities."),
        _t(lang, "综合共建指数：各项指标先除以其最大值换算到 0–1，再按权重加权平均，乘以 100"
           "（默认权重：强度 0.15、度数 0.1、广度 0.1、中介中心性 0.2、有效规模 0.1、"
           "特征向量中心性 0.2、调和接近中心性 0.15；见 docs/measures.md）。" + composite,
           "Composite index: each measure is divided by its largest value (0–1), then averaged by weight and "
           "multiplied by 100 (default weights: strength 0.15, degree 0.1, breadth 0.1, betweenness 0.2, effective "
           "size 0.1, eigenvector 0.2, harmonic closeness 0.15; see docs/measures.md). " + composite),
        _t(lang, "E-I 指数（Krackhardt 与 Stern）：（外部关系 − 内部关系）/（外部关系 + 内部关系），"
           "核心组织算作公司内部。",
           "E-I index (Krackhardt and Stern): (external − internal) / (external + internal) ties, the focal "
           "organisation counting as inside the company."),
        _t(lang, "成长：新伙伴是当年第一次参加共同活动的组织；新关系是当年第一次合作的组织对；中断关系是上一年有合作、"
           "当年没有的组织对；伙伴留存是上一年有活动的组织当年仍有活动的比例（见 docs/timeline.md）。",
           "Growth: a new partner's first joint activity is in that year; a new tie is a pair's first; a lost tie "
           "was active the year before and not that year; retention is the share of last year's active "
           "organisations active again (see docs/timeline.md)."),
        _t(lang, "薄弱环节：只有一个伙伴组织参加的联；只通过一种联与核心组织合作的伙伴；只有一个合作伙伴的组织。",
           "Thin spots: links with a single partner organisation; partners tied to the focal organisation through "
           "one link type; organisations with a single partner."),
        _t(lang, "拓展建议：加权资源分配指数（Lü 与 Zhou，2010），按活动规模折算权重，大会几乎不算介绍。"
           "在保留最后一年的检验中，它的 AUC 高于随机排序和“最活跃组织”（见 docs/recommendations.md）。",
           "Approach: the weighted resource allocation index (Lü and Zhou, 2010), weights discounted by activity "
           "size so that a mass meeting introduces almost no one. Holding back the last year, its AUC beat a random "
           "order and the most active organisations (see docs/recommendations.md)."),
    ])
