"""修改记录 History: every change of the store — who, when, why, and each field before and after —
filtered by user, organisation, link and date; a change can be reverted (as a new change).

UI only: the history is read from ``cojian_graph.store``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import access, common
from app_pages.common import guard, lang, tr
from cojian_graph.appstate import escape_markdown
from cojian_graph.errors import LedgerError
from cojian_graph.model import LINKS
from cojian_graph.names import find_organizations
from cojian_graph.store import ConflictError
from cojian_graph.store.desk import changes_table

#: How many changed fields the details of one revision show (an import may change millions).
DETAIL_LIMIT = 2_000

st.title(tr("history.title"))
st.caption(tr("history.intro"))


@st.cache_resource(max_entries=2, show_spinner=False)
def _touched(url: str, revision: int) -> pd.DataFrame:
    """Which records each revision touched (one row each: rev, table, activity, organisation)."""
    rows = []
    for rev, table, key in common._store(url).touched():
        activity = key[0] if table in ("activities", "participations") else ""
        organization = key[0] if table == "organizations" else key[1] if table == "participations" else ""
        rows.append((rev, table, activity, organization))
    return pd.DataFrame(rows, columns=["rev", "table", "activity", "organization"])


def revisions_shown(url: str, frame: pd.DataFrame, *, users, organization, link, start, end) -> pd.DataFrame:
    """The revisions of ``frame`` (all, newest first) that pass the filters."""
    store = common._store(url)
    if users:
        frame = frame[frame["user"].isin(users)]
    if start is not None:
        frame = frame[frame["at"].str[:10] >= start.isoformat()]
    if end is not None:
        frame = frame[frame["at"].str[:10] <= end.isoformat()]
    if organization or link:
        touched = _touched(url, store.revision)
        keep = pd.Series(True, index=touched.index)
        if organization:
            keep &= touched["organization"] == organization
        if link:
            acts = common.ledger().activities
            keep &= touched["activity"].isin(set(acts.loc[acts["link_type"] == link, "id"]))
        frame = frame[frame["rev"].isin(set(touched.loc[keep, "rev"]))]
    return frame


def _revert(rev: int) -> None:
    try:
        new = access.desk().revert(rev)
    except ConflictError:
        st.session_state["_history_flash"] = ("warning", tr("history.revert_conflict", rev=rev))
    except LedgerError as error:
        st.session_state["_history_flash"] = ("warning", tr("history.revert_invalid", rev=rev,
                                                              problem=error.problems[0].describe(lang())))
    else:
        st.session_state["_history_flash"] = ("success", tr("history.reverted", rev=rev, new=new))


with guard():
    language = lang()
    url = common.store_url()
    store = common._store(url)
    flash = st.session_state.pop("_history_flash", None)
    if flash:
        getattr(st, flash[0])(escape_markdown(flash[1]))
    data = common.ledger()
    every_revision = pd.DataFrame(store.revisions(), columns=["rev", "at", "user", "action", "note"])
    everyone = sorted(set(every_revision["user"]))
    names = common.name_lookup(data, language)
    cols = st.columns(4)
    users = cols[0].multiselect(tr("history.users"), everyone, key="history_users", placeholder=tr("filter.all"))
    search = cols[1].text_input(tr("history.find_org"), key="history_find", placeholder=tr("desk.find_placeholder"))
    found = find_organizations(data, search)[:200] if search else []
    organization = cols[1].selectbox(tr("history.organization"), found, index=None, key="history_org",
                                     format_func=lambda org: names.get(org, org),
                                     placeholder=tr("filter.all")) if found else None
    link = cols[2].selectbox(tr("history.link"), list(LINKS), index=None, key="history_link",
                             format_func=lambda link_id: LINKS[link_id].text(language), placeholder=tr("filter.all"))
    dates = cols[3].date_input(tr("history.dates"), value=(), key="history_dates", max_value=dt.date.today())
    start = dates[0] if len(dates) >= 1 else None
    end = dates[1] if len(dates) == 2 else None
    shown = revisions_shown(url, every_revision, users=users, organization=organization, link=link, start=start,
                            end=end)
    st.caption(tr("history.count", shown=len(shown), count=store.revision))
    table = shown.rename(columns={"rev": tr("history.c_rev"), "at": tr("history.c_at"), "user": tr("history.c_user"),
                                  "action": tr("history.c_action"), "note": tr("history.c_note")})
    st.dataframe(table, hide_index=True, width="stretch")
    if shown.empty:
        common.end_page()
    rev = st.selectbox(tr("history.pick"), shown["rev"].tolist(), key="history_rev",
                       format_func=lambda value: f"{value} · {shown.set_index('rev').loc[value, 'user']}")
    meta = shown[shown["rev"] == rev].iloc[0].to_dict()
    details = changes_table([{**meta, "changes": store.changes(rev, limit=DETAIL_LIMIT)}])
    if len(details) >= DETAIL_LIMIT:
        st.caption(tr("history.detail_limit", limit=DETAIL_LIMIT))
    st.dataframe(details[["table", "record", "kind", "field", "before", "after"]].rename(columns={
        "table": tr("history.c_table"), "record": tr("history.c_record"), "kind": tr("history.c_kind"),
        "field": tr("history.c_field"), "before": tr("history.c_before"), "after": tr("history.c_after")}),
        hide_index=True, width="stretch")
    if access.may_edit() and common.as_of() is None:
        st.button(tr("history.revert", rev=rev), key=f"revert_{rev}", on_click=_revert, args=(rev,))
