"""组织 Organisation profile: partners, activities, link profile, measures and rank, its ego network."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import guard, lang, tr
from cojian_graph.analysis import MEASURES
from cojian_graph.appstate import escape_markdown
from cojian_graph.graph import filter_ledger, link_profile
from cojian_graph.model import CIRCLES, KINDS, LINKS, ROLES, SECTORS, label_of
from cojian_graph.render.network_html import strongest_ties

#: An organisation with more partners has its ego network drawn with the partners it shares the most
#: activities with (those first in its table of partners), unless all are asked for: the focal organisation of
#: 10^4 took 4.7 s to draw its 4,820 partners (software WebGL), and they made a hairball.
EGO_PARTNERS_DRAWN = 300

#: Most ties an ego map draws, unless all its partners are asked for: its own ties, then the strongest
#: among its partners. The 300 partners of the focal organisation of 10^4 have 10^4 ties among them:
#: a solid tangle, which took the browser 1.1 s to draw (2,000: 0.5 s).
EGO_TIES_DRAWN = 2_000

st.title(tr("org.title"))


def _focus_on(org: str) -> None:
    st.session_state["f_focus"] = org


def _shown(value) -> str:
    """A measure's value as text: whole numbers in full, others with four significant digits, "—"
    where the measure has no value (an isolated organisation's constraint)."""
    value = float(value)
    if value != value:
        return "—"
    return str(int(value)) if value.is_integer() else f"{value:.4g}"


def _want_rank(key: str) -> None:
    st.session_state["_rank_wanted"] = key


with guard():
    language = lang()
    data = common.ledger()
    names = common.name_lookup(data, language)
    spec = common.current_spec()
    org = common.choose_organization(tr("org.choose"), data, spec, names)
    row = data.organizations.set_index("id").loc[org]
    st.caption(" · ".join(escape_markdown(value) for value in (
        label_of(KINDS, row["kind"], language), label_of(CIRCLES, row["circle"], language),
        label_of(SECTORS, row["sector"], language), f"ID {org}") if value))
    if spec.focus != org:
        st.button(tr("org.focus_button"), on_click=_focus_on, args=(org,), key="org_focus")

    G = common.graph(spec)
    if org not in G:
        st.info(tr("org.filtered_out"))
        common.end_page()
    view = filter_ledger(data, spec)
    # the rank needs every organisation's measures: computed here at once only for small views, or
    # when it is there already; a large view asks first (the rest of the page needs one organisation)
    if G.number_of_nodes() <= common.AUTO_RANK_NODES or common.rank_table_ready(spec=spec) or \
            st.session_state.get("_rank_wanted") == common.spec_key(spec):
        table = common.rank_table(spec=spec)
    else:
        table = None
    mine = table[table["id"] == org] if table is not None else None

    cols = st.columns(4)
    cols[0].metric(tr("overview.activities"), int(G.nodes[org].get("activities", 0)))
    cols[1].metric(tr("org.partners"), G.degree(org))
    strength = float(G.degree(org, weight="weight"))
    cols[2].metric(MEASURES["strength"].label(language),
                   str(int(strength)) if strength.is_integer() else f"{strength:.2f}")
    if mine is not None and not mine.empty:
        cols[3].metric(tr("org.rank_of", count=len(table)), int(mine["rank"].iloc[0]),
                       help=MEASURES["composite"].label(language))
    elif mine is None:
        with cols[3]:
            st.caption(tr("org.rank_later"))
            st.button(tr("org.rank_button"), key="org_rank", on_click=_want_rank, args=(common.spec_key(spec),))

    left, right = st.columns(2)
    by_weight = sorted(G[org].items(), key=lambda item: -item[1].get("weight", 0))  # the table's order
    with left:
        st.subheader(tr("org.partners"))
        partners = [
            {
                tr("column.partner"): names.get(other, other),
                tr("column.circle"): label_of(CIRCLES, G.nodes[other].get("circle", ""), language),
                tr("column.weight"): sum(int(edge.get(f"n_{link}", 0)) for link in LINKS),
                tr("column.multiplexity"): int(edge.get("multiplexity", 0)),
                tr("column.link"): "、".join(LINKS[link].text(language) for link in LINKS
                                            if edge.get(f"n_{link}", 0)) if language == "zh" else
                ", ".join(LINKS[link].text(language) for link in LINKS if edge.get(f"n_{link}", 0)),
            }
            for other, edge in by_weight
        ]
        if partners:
            st.dataframe(pd.DataFrame(partners), hide_index=True, width="stretch")
        else:
            st.caption(tr("org.no_partners"))
    with right:
        st.subheader(tr("org.profile"))
        profile = link_profile(view).reindex([org]).fillna(0).astype(int).iloc[0]
        bars = pd.DataFrame({tr("column.link"): [LINKS[link].text(language) for link in LINKS],
                             tr("column.activities"): [int(profile[link]) for link in LINKS]})
        st.bar_chart(bars, x=tr("column.link"), y=tr("column.activities"), horizontal=True, sort=False,
                     color="#C0392B")

    st.subheader(tr("org.activities"))
    part = view.participations[view.participations["organization_id"] == org]
    acts = view.activities.set_index("id").reindex(part["activity_id"])
    title = "title" if language == "zh" else "title_en"
    st.dataframe(pd.DataFrame({
        tr("column.title"): [a or b for a, b in zip(acts[title], acts["title"], strict=True)],
        tr("column.link"): [label_of(LINKS, link, language) for link in acts["link_type"]],
        tr("column.date"): list(acts["date"]),
        tr("column.role"): [label_of(ROLES, role, language) for role in part["role"]],
    }), hide_index=True, width="stretch")

    if mine is not None and not mine.empty:
        values, measures = mine.iloc[0], [key for key in MEASURES if key in table.columns and key != "community"]
    else:  # a large view without its rank table: this organisation's own measures, computed alone
        values = common.organization_measures(org, spec)
        measures = list(values)
    st.subheader(tr("org.measures"))
    st.dataframe(pd.DataFrame({
        tr("column.measure"): [MEASURES[key].label(language) for key in measures],
        tr("column.value"): [_shown(values[key]) for key in measures],
    }), hide_index=True, width="stretch")
    if mine is None:
        st.caption(tr("org.measures_alone"))
    elif table.attrs.get("estimates"):  # a large view: which of these values are estimates, and how close
        from cojian_graph.analysis.sampling import Estimate

        st.caption("\n".join([tr("rankings.estimated"), *(f"- {Estimate(**fields).note(language)}"
                                                          for fields in table.attrs["estimates"].values())]))

    st.subheader(tr("org.ego"))
    ego_spec = replace(spec, focus=org, hops=1)
    ego, key = common.graph(ego_spec), common.spec_key(ego_spec)
    count = ego.degree(org)
    everything = count > EGO_PARTNERS_DRAWN and st.toggle(tr("org.ego_all", count=count), key="org_ego_all")
    if count > EGO_PARTNERS_DRAWN and not everything:
        # the partners of the table's first rows, and the ties among them
        ego = ego.subgraph([org, *(other for other, _ in by_weight[:EGO_PARTNERS_DRAWN])])
        key = f"{key}|strongest:{EGO_PARTNERS_DRAWN}"
        st.caption(tr("org.ego_strongest", shown=EGO_PARTNERS_DRAWN, count=count))
    ties = ego.number_of_edges()
    if ties > EGO_TIES_DRAWN and not everything:
        st.caption(tr("org.ego_ties", shown=EGO_TIES_DRAWN, total=ties))
        ego = strongest_ties(ego, EGO_TIES_DRAWN, keep=org)
        key = f"{key}|ties:{EGO_TIES_DRAWN}"
    page = common.network_html(ego, key, layout="force", size_by="strength", color_by="circle", height=520)
    st.iframe(page, height=520 + 16, alt=tr("org.ego"))

    if common.store_url() is not None and st.session_state.get("uploaded_ledger") is None:
        with st.expander(tr("org.history")):  # its own changes and its participations', newest first
            from cojian_graph.store.desk import changes_table

            changes = changes_table(common._store(common.store_url()).log_of(org))
            if changes.empty:
                st.caption(tr("org.no_history"))
            else:
                st.dataframe(changes.sort_values("rev", ascending=False, kind="stable")[
                    ["rev", "at", "user", "note", "table", "record", "kind", "field", "before", "after"]].rename(
                    columns={"rev": tr("history.c_rev"), "at": tr("history.c_at"), "user": tr("history.c_user"),
                             "note": tr("history.c_note"), "table": tr("history.c_table"),
                             "record": tr("history.c_record"), "kind": tr("history.c_kind"),
                             "field": tr("history.c_field"), "before": tr("history.c_before"),
                             "after": tr("history.c_after")}), hide_index=True, width="stretch")
