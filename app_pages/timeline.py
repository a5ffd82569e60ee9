"""时间 Timeline: how the ecosystem grew — activities per link, new partners, new and lost ties, retention and
the internal/external balance per period; partners rising and fading; who climbed or fell in the rankings.

UI only: every figure comes from ``cojian_graph.analysis.timeline``.
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import choice, guard, lang, tr
from cojian_graph.analysis.timeline import PERIODS, growth, rank_changes, rank_over_time, trends
from cojian_graph.appstate import escape_markdown
from cojian_graph.graph import filter_ledger
from cojian_graph.model import LINKS

#: Partners listed as rising and as fading; organisations in the bump chart.
TOP = 10

st.title(tr("timeline.title"))
st.caption(tr("timeline.intro"))


@st.cache_data(max_entries=16, show_spinner=False)
def _growth(digest: str, key: str, period: str, window: int, focus: str | None, _view):
    return growth(_view, period, window=window, focus=focus)


@st.cache_data(max_entries=16, show_spinner=False)
def _trends(digest: str, key: str, period: str, focus: str | None, _view):
    return trends(_view, period, focus=focus)


def _lines(frame: pd.DataFrame, columns: dict[str, str], title: str, *, percent: bool = False) -> None:
    """Lines of ``columns`` (column → label) over the periods."""
    long = frame.reset_index().melt(id_vars="period", value_vars=list(columns), var_name="what", value_name="value")
    long["what"] = long["what"].map(columns)
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("period:N", title=tr("timeline.period"), sort=None),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format="%" if percent else "d")),
        color=alt.Color("what:N", title=None, sort=list(columns.values())),
        tooltip=[alt.Tooltip("period:N", title=tr("timeline.period")), alt.Tooltip("what:N", title=""),
                 alt.Tooltip("value:Q", title=title, format=".0%" if percent else ".3g")])
    st.altair_chart(chart, width="stretch", height=280)


with guard():
    language = lang()
    data = common.ledger()
    spec = common.current_spec()
    focus = spec.focus  # here: whose ties and partners count (the sidebar's focus), not a neighbourhood
    view = filter_ledger(data, replace(spec, focus=None, hops=1))
    digest, key = common.ledger_hash(data), common.spec_key(replace(spec, focus=None, hops=1))
    cols = st.columns([2, 1, 3])
    with cols[0]:
        period = choice(tr("timeline.periods"), list(PERIODS), "opt_period", widget=st.segmented_control,
                        format_func=lambda name: PERIODS[name][0 if language == "zh" else 1],
                        label_visibility="visible") or "year"
    ss = st.session_state
    try:  # from the URL it comes as text; anything else falls back to 1
        ss["opt_window"] = max(1, min(12, int(ss.get("opt_window", 1))))
    except (TypeError, ValueError):
        ss["opt_window"] = 1
    ss["_default_opt_window"] = 1  # left out of the URL
    window = int(cols[1].number_input(tr("timeline.window"), min_value=1, max_value=12, step=1, key="opt_window",
                                      help=tr("timeline.window_help")))
    result = _growth(digest, key, period, window, focus, view)
    names = common.name_lookup(data, language)
    if focus:
        cols[2].caption(tr("timeline.focus", name=escape_markdown(names.get(focus, focus))))
    apart = tr("timeline.apart_year", undated=result.undated) if period == "year" else \
        tr("timeline.apart", undated=result.undated, coarse=result.coarse)
    st.caption(apart)
    table = result.table
    if table.empty:
        st.info(tr("timeline.none"))
        common.end_page()
    if len(table) < 2:
        st.info(tr("timeline.one_period", period=table.index[0]))

    last = table.iloc[-1]
    metrics = st.columns(4)
    metrics[0].metric(tr("timeline.new_partners"), int(last["new_partners"]), help=tr("timeline.new_partners_help"))
    metrics[1].metric(tr("timeline.new_ties"), int(last["new_ties"]))
    metrics[2].metric(tr("timeline.lost_ties"), int(last["lost_ties"]), help=tr("timeline.lost_help", window=window))
    retention = last["retention"]
    metrics[3].metric(tr("timeline.retention"), "—" if pd.isna(retention) else f"{retention:.0%}",
                      help=tr("timeline.retention_help"))
    st.caption(tr("timeline.latest", period=table.index[-1]))

    st.subheader(tr("timeline.by_link"))
    by_link = result.by_link.assign(link=lambda frame: frame["link"].map(lambda link: LINKS[link].text(language)))
    bars = alt.Chart(by_link).mark_bar().encode(
        x=alt.X("period:N", title=tr("timeline.period"), sort=None),
        y=alt.Y("activities:Q", title=tr("timeline.activities")),
        color=alt.Color("link:N", title=tr("column.link"), sort=[LINKS[link].text(language) for link in LINKS]),
        tooltip=["period:N", "link:N", "activities:Q", "new_ties:Q"])
    st.altair_chart(bars, width="stretch", height=300)

    left, right = st.columns(2)
    with left:
        st.subheader(tr("timeline.growth"))
        _lines(table, {"new_partners": tr("timeline.new_partners"), "new_ties": tr("timeline.new_ties"),
                       "lost_ties": tr("timeline.lost_ties"), "multiplex_new": tr("timeline.multiplex")},
               tr("timeline.count"))
    with right:
        st.subheader(tr("timeline.balance"))
        _lines(table, {"retention": tr("timeline.retention"), "ei": tr("timeline.ei")}, tr("timeline.share"),
               percent=True)
        st.caption(tr("timeline.ei_help"))

    headers = {name: tr(f"timeline.c_{name}") for name in table.columns}
    shown = table.reset_index().rename(columns={"period": tr("timeline.period"), **headers})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={headers["retention"]: st.column_config.NumberColumn(format="percent"),
                                headers["ei"]: st.column_config.NumberColumn(format="%.2f")})
    common.table_downloads(shown, "cojian-timeline")

    st.subheader(tr("timeline.trends"))
    st.caption(tr("timeline.trends_help"))
    trend = _trends(digest, key, period, focus, view)
    trend = trend[trend["id"] != focus] if focus else trend
    rising, fading = trend[trend["slope"] > 0].head(TOP), trend[trend["slope"] < 0].iloc[::-1].head(TOP)
    left, right = st.columns(2)
    for where, frame, heading in ((left, rising, "timeline.rising"), (right, fading, "timeline.fading")):
        with where:
            st.markdown(f"**{tr(heading)}**")
            if frame.empty:
                st.caption(tr("timeline.no_trend"))
                continue
            st.dataframe(pd.DataFrame({
                tr("column.organization"): [names.get(org, org) for org in frame["id"]],
                tr("timeline.slope"): frame["slope"].round(2).to_numpy(),
                tr("timeline.series"): frame["counts"].to_numpy(),
                tr("timeline.last_active"): frame["last"].to_numpy(),
            }), hide_index=True, width="stretch", column_config={
                tr("timeline.series"): st.column_config.LineChartColumn(y_min=0)})

    st.subheader(tr("timeline.ranks"))
    if len(table) < 2:
        st.caption(tr("timeline.ranks_need_two"))
        common.end_page()
    ranks = common.computed(("rank_over_time", digest, key, period),
                            lambda progress: rank_over_time(view, period, progress=progress),
                            tr("timeline.ranks_progress"))
    changes = rank_changes(ranks)
    final = ranks[ranks["period"] == table.index[-1]].nsmallest(TOP, "rank")
    top = ranks[ranks["id"].isin(set(final["id"]))].assign(name=lambda frame: frame["id"].map(names))
    bump = alt.Chart(top).mark_line(point=True).encode(
        x=alt.X("period:N", title=tr("timeline.period"), sort=None),
        y=alt.Y("rank:Q", title=tr("column.rank"), scale=alt.Scale(reverse=True, zero=False)),
        color=alt.Color("name:N", title=None),
        tooltip=["period:N", "name:N", "rank:Q"])
    st.altair_chart(bump, width="stretch", height=320)
    st.caption(tr("timeline.bump_help", top=TOP))
    moved = pd.DataFrame({
        tr("column.organization"): [names.get(org, org) for org in changes["id"]],
        tr("timeline.from"): [f"{p} · {r}" for p, r in zip(changes["from_period"], changes["from_rank"], strict=True)],
        tr("timeline.to"): [f"{p} · {r}" for p, r in zip(changes["to_period"], changes["to_rank"], strict=True)],
        tr("timeline.climbed"): changes["climbed"].to_numpy(),
    })
    left, right = st.columns(2)
    left.markdown(f"**{tr('timeline.climbers')}**")
    left.dataframe(moved.head(TOP), hide_index=True, width="stretch")
    right.markdown(f"**{tr('timeline.fallers')}**")
    right.dataframe(moved.iloc[::-1].head(TOP), hide_index=True, width="stretch")
