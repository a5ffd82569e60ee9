"""概览 Overview: what the loaded ledger holds — organisations, activities and links."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app_pages.common import graph, guard, lang, ledger, ledger_name, network_summary, tr
from cojian_graph.appstate import escape_markdown
from cojian_graph.model import CIRCLES, LINKS, label_of


def _format(value) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


st.title(tr("overview.title"))
st.caption(tr("overview.intro"))

with guard():
    data = ledger()
    summary = data.summary()
    language = lang()
    G = graph()

    st.subheader(tr("overview.ledger", name=escape_markdown(ledger_name())))
    cols = st.columns(4)
    cols[0].metric(tr("overview.organizations"), summary["organizations"])
    cols[1].metric(tr("overview.activities"), summary["activities"])
    cols[2].metric(tr("overview.participations"), summary["participations"])
    cols[3].metric(tr("overview.ties"), G.number_of_edges(), help=tr("overview.ties_help"))
    if summary["years"]:
        first, last = summary["years"]
        if first == last:
            st.write(tr("overview.one_year", year=first, undated=summary["undated"]))
        else:
            st.write(tr("overview.years", first=first, last=last, undated=summary["undated"]))
    else:
        st.write(tr("overview.no_years"))

    left, right = st.columns(2)
    with left:
        st.subheader(tr("overview.by_link"))
        links = pd.DataFrame(
            {
                tr("column.link"): [LINKS[link].text(language) for link in summary["links"]],
                tr("column.metaphor"): [
                    LINKS[link].metaphor_zh if language == "zh" else LINKS[link].metaphor_en
                    for link in summary["links"]
                ],
                tr("column.activities"): list(summary["links"].values()),
            }
        )
        st.dataframe(links, hide_index=True, width="stretch")
        st.bar_chart(links, x=tr("column.link"), y=tr("column.activities"), horizontal=True,
                     sort=False, color="#C0392B")
    with right:
        st.subheader(tr("overview.by_circle"))
        circles = pd.DataFrame(
            {
                tr("column.circle"): [label_of(CIRCLES, circle, language) or "—"
                                      for circle in summary["circles"]],
                tr("column.organizations"): list(summary["circles"].values()),
            }
        )
        st.dataframe(circles, hide_index=True, width="stretch")
        st.subheader(tr("overview.network"))
        summary = network_summary()
        facts = {key: value for key, value in summary.items() if not isinstance(value, dict)}
        table = pd.DataFrame(
            {tr("column.measure"): [tr(f"summary.{key}") for key in facts],
             tr("column.value"): [_format(value) for value in facts.values()]}
        )
        st.dataframe(table, hide_index=True, width="stretch")
        paths = summary["paths"]
        if paths["method"] == "sampled":  # a large view: say how the figure was estimated
            st.caption(tr("overview.paths_sampled", samples=paths["samples"], error=f"{paths['error']:.3f}"))
        if paths["diameter_bounds"][0] != paths["diameter_bounds"][1]:
            st.caption(tr("overview.diameter_bounds", low=paths["diameter_bounds"][0],
                          high=paths["diameter_bounds"][1]))
