"""八联 Eight links: the organisation × link matrix, totals and years per link, internal/external split."""

from __future__ import annotations

import math
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import guard, lang, tr
from cojian_graph.analysis import ei_index_network
from cojian_graph.appstate import activities_by_year
from cojian_graph.graph import filter_ledger, layer_graphs, link_profile
from cojian_graph.model import LINKS

HEATMAP_ROWS = 60  # organisations shown in the heatmap, the most active first

st.title(tr("links.title"))
st.caption(tr("links.intro"))


@st.cache_data(max_entries=16, show_spinner=False)
def _split(digest: str, key: str, _ledger, _spec, _whole) -> list[tuple[str, float, float]]:
    """(link, total joint activities, E-I index) per layer of the view, then ("", …) for the whole view
    (``_whole``, its graph): computed once per view, not on every rerun."""
    rows = []
    for link, layer in [*layer_graphs(_ledger, _spec).items(), ("", _whole)]:
        total = float(sum(weight for _, _, weight in layer.edges(data="weight", default=1)))
        rows.append((link, total, ei_index_network(layer, weight="weight")))
    return rows


@st.cache_data(max_entries=16, show_spinner=False)
def _profile(digest: str, key: str, _view):
    return link_profile(_view)


with guard():
    language = lang()
    data = common.ledger()
    spec = common.current_spec()
    G = common.graph(spec)
    counted = replace(spec, tie_weight="count")  # the split counts joint activities, whatever the tie weight
    view = filter_ledger(data, spec)
    shown_orgs = [org for org in view.organizations["id"] if org in G]
    view_acts = view.activities
    if G.number_of_nodes() == 0 or view_acts.empty:
        st.info(tr("links.empty"))
        common.end_page()
    names = common.name_lookup(data, language)
    link_names = {link: LINKS[link].text(language) for link in LINKS}

    st.subheader(tr("links.heatmap"))
    profile = _profile(common.ledger_hash(data), common.spec_key(spec), view).reindex(shown_orgs).fillna(0).astype(int)
    profile = profile.loc[profile.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    if len(profile) > HEATMAP_ROWS:
        st.caption(tr("links.heatmap_top", top=HEATMAP_ROWS, count=len(profile)))
        profile = profile.head(HEATMAP_ROWS)
    long = (profile.rename(index=names, columns=link_names).rename_axis(index="org")
            .reset_index().melt(id_vars="org", var_name="link", value_name="n"))
    org_col, link_col, n_col = tr("column.organization"), tr("column.link"), tr("column.activities")
    long.columns = [org_col, link_col, n_col]
    heatmap = (
        alt.Chart(long)
        .mark_rect()
        .encode(
            x=alt.X(f"{link_col}:N", sort=list(link_names.values()),
                    axis=alt.Axis(labelAngle=-35, labelOverlap=False, labelLimit=240)),
            y=alt.Y(f"{org_col}:N", sort=[names[org] for org in profile.index],
                    axis=alt.Axis(labelLimit=320, labelOverlap=False, title=None)),
            color=alt.Color(f"{n_col}:Q", scale=alt.Scale(scheme="reds")),
            tooltip=[org_col, link_col, n_col],
        )
    )
    # the height includes the rotated link names under the cells
    st.altair_chart(heatmap, width="stretch", height=220 + 24 * len(profile))

    left, right = st.columns(2)
    link_order = list(link_names.values())
    colours = alt.Scale(domain=link_order, range=[LINKS[link].color for link in LINKS])
    with left:
        st.subheader(tr("links.totals"))
        counts = view_acts["link_type"].value_counts()
        totals = pd.DataFrame({"link": link_order, "n": [int(counts.get(link, 0)) for link in LINKS]})
        bars = alt.Chart(totals).mark_bar(color="#C0392B").encode(
            x=alt.X("n:Q", title=n_col),
            y=alt.Y("link:N", sort=link_order, title=None, axis=alt.Axis(labelLimit=400)),  # whole link names
            tooltip=[alt.Tooltip("link:N", title=link_col), alt.Tooltip("n:Q", title=n_col)],
        )
        st.altair_chart(bars, width="stretch", height=60 + 28 * len(link_order))
    with right:
        st.subheader(tr("links.over_years"))
        by_year = activities_by_year(view)
        if by_year.empty:
            st.caption(tr("links.no_years"))
        else:
            long_years = (by_year.rename(columns=link_names).rename_axis(index="year").reset_index()
                          .melt(id_vars="year", var_name="link", value_name="n"))
            long_years["year"] = long_years["year"].astype(str)
            stacked = alt.Chart(long_years).mark_bar().encode(
                x=alt.X("year:N", title=tr("column.year"), axis=alt.Axis(labelAngle=0)),
                y=alt.Y("n:Q", title=n_col),
                # every link in the legend, in registry order, one to a row under the chart
                color=alt.Color("link:N", scale=colours, sort=link_order, title=None,
                                legend=alt.Legend(orient="bottom", columns=1, labelLimit=400, symbolLimit=0)),
                order=alt.Order("link_position:Q"),
                tooltip=[alt.Tooltip("year:N", title=tr("column.year")), alt.Tooltip("link:N", title=link_col),
                         alt.Tooltip("n:Q", title=n_col)],
            ).transform_calculate(link_position=f"indexof({link_order!r}, datum.link)")
            st.altair_chart(stacked, width="stretch", height=480)

    st.subheader(tr("links.split"))
    st.caption(tr("links.split_help"))
    rows = []
    for link, total, ei in _split(common.ledger_hash(data), common.spec_key(counted), data, counted,
                                  common.graph(counted)):
        external = total * (1 + ei) / 2 if not math.isnan(ei) else 0.0
        rows.append({
            link_col: link_names[link] if link else tr("rankings.layer_all"),
            tr("links.within"): round(total - external),
            tr("links.across"): round(external),
            tr("links.ei"): None if math.isnan(ei) else round(ei, 3),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={tr("links.ei"): st.column_config.NumberColumn(help=tr("links.ei_help"))})
