"""排名 Rankings: the rank table of the view, a bar chart of the top N, composite weights, downloads."""

from __future__ import annotations

import altair as alt
import streamlit as st

from app_pages import common
from app_pages.common import choice, guard, lang, tr
from cojian_graph.analysis import DEFAULT_MEASURES, DEFAULT_WEIGHTS, MEASURES
from cojian_graph.model import CIRCLES, LINKS, label_of

st.title(tr("rankings.title"))
st.caption(tr("rankings.intro"))

with guard():
    language = lang()
    cols = st.columns([2, 2, 1])
    measures = ["composite", *[key for key in DEFAULT_MEASURES if key not in ("community", "composite")]]
    measure = choice(tr("rankings.measure"), measures, "opt_measure",
                     format_func=lambda key: MEASURES[key].label(language), widget=cols[0].selectbox)
    spec = common.current_spec()
    layers = ["", *[link for link in LINKS if not spec.links or link in spec.links]]
    all_links = tr("rankings.layer_all")
    layer = choice(tr("rankings.layer"), layers, "opt_layer",
                   format_func=lambda key: LINKS[key].text(language) if key else all_links,
                   widget=cols[1].selectbox)
    tops = [5, 10, 15, 20, 30, 50]
    if "opt_top" in st.session_state:  # from the URL, as text
        try:
            st.session_state["opt_top"] = int(st.session_state["opt_top"])
        except (TypeError, ValueError):
            del st.session_state["opt_top"]
    top = choice(tr("rankings.top"), tops, "opt_top", default=10, widget=cols[2].selectbox)
    label = MEASURES[measure].label(language)
    about = MEASURES[measure]
    if language == "en":
        st.caption(f"{label}: {about.explain('en')} ({about.formula}; {about.reference})")
    else:
        st.caption(f"{label}：{about.explain('zh')}（{about.formula}；{about.reference}）")

    weights = dict(DEFAULT_WEIGHTS)
    with st.expander(tr("rankings.weights")):
        st.caption(tr("rankings.weights_help"))
        weight_cols = st.columns(4)
        for position, (key, default) in enumerate(DEFAULT_WEIGHTS.items()):
            weights[key] = weight_cols[position % 4].number_input(
                MEASURES[key].label(language), min_value=0.0, max_value=1.0, value=float(default), step=0.05,
                key=f"w_{key}",
            )
    if sum(weights.values()) <= 0:
        weights = dict(DEFAULT_WEIGHTS)
        st.warning(tr("rankings.weights_zero"))
    table = common.rank_table(layer=layer or None, weights=weights, sort_by=measure)

    if table.empty:
        st.info(tr("rankings.empty"))
    else:
        names = common.name_lookup(common.ledger(), language)
        shown = table.copy()
        shown.insert(1, "organization", shown["id"].map(names))
        shown["circle"] = shown["circle"].map(lambda circle: label_of(CIRCLES, circle, language))
        shown = shown.drop(columns=[column for column in ("name", "name_en") if column in shown.columns])
        labels = {"id": "ID", "organization": tr("column.organization"), "circle": tr("column.circle"),
                  "rank": tr("column.rank")}
        labels.update({key: MEASURES[key].label(language) for key in MEASURES if key in shown.columns})
        first = ["rank", "id", "organization", "circle", measure]
        shown = shown[[*first, *[column for column in shown.columns if column not in first]]]
        shown = shown.rename(columns=labels)

        st.subheader(tr("rankings.chart", top=min(top, len(table)), measure=label))
        # organisations without a value (an isolated one's constraint) are ranked last and not charted
        chart = shown[shown[label].notna()].head(top)
        # best first: descending, or ascending for a measure where lower is better (constraint)
        # plain field names: measure labels may hold characters Vega-Lite reads as paths (".", "[")
        points = chart[[labels["organization"], label]].set_axis(["org", "value"], axis=1)
        bars = alt.Chart(points).mark_bar(color="#C0392B").encode(
            x=alt.X("value:Q", title=label),
            y=alt.Y("org:N", sort="-x" if about.higher_is_better else "x",
                    axis=alt.Axis(labelLimit=360, title=None)),
            tooltip=[alt.Tooltip("org:N", title=labels["organization"]),
                     alt.Tooltip("value:Q", title=label, format=".4g")],
        )
        st.altair_chart(bars, width="stretch", height=60 + 26 * len(chart))
        estimates = table.attrs.get("estimates", {})
        if estimates:
            from cojian_graph.analysis.sampling import Estimate

            st.caption("\n".join([tr("rankings.estimated"),
                                   *(f"- {Estimate(**fields).note(language)}" for fields in estimates.values())]))
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config=common.number_columns(shown, [heading for key, heading in labels.items()
                                                                 if key in MEASURES]))
        common.table_downloads(shown, "cojian-rankings")
