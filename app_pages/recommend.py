"""建议 Recommendations: ties to deepen and organisations to approach, for the focal organisation or
any other, each with its reason.

UI only: the lists come from ``cojian_graph.analysis.recommend`` (see docs/recommendations.md for how
the approach ranking was evaluated).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import guard, lang, tr
from cojian_graph.analysis.recommend import approach, deepen
from cojian_graph.model import CIRCLES, label_of

#: Suggestions per list: the evaluation measured the first 5 and 10 (docs/recommendations.md).
TOP = 5

st.title(tr("recommend.title"))
st.caption(tr("recommend.intro"))


@st.cache_data(max_entries=16, show_spinner=False)
def _lists(digest: str, key: str, org: str, language: str, _ledger, _spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (deepen(_ledger, org, top=TOP, spec=_spec, lang=language),
            approach(_ledger, org, top=TOP, spec=_spec, lang=language))


with guard():
    language = lang()
    data = common.ledger()
    names = common.name_lookup(data, language)
    spec = common.current_spec()
    org = common.choose_organization(tr("recommend.for"), data, spec, names)
    with st.spinner(tr("recommend.working")):
        deeper, wider = _lists(common.ledger_hash(data), common.spec_key(spec), org, language, data, spec)

    st.subheader(tr("recommend.deepen"))
    st.caption(tr("recommend.deepen_help"))
    if len(deeper):
        kinds = {"single_link": tr("recommend.single_link"), "faded": tr("recommend.faded")}
        st.dataframe(pd.DataFrame({
            tr("recommend.partner"): deeper["name"], tr("recommend.kind"): deeper["kind"].map(kinds),
            tr("recommend.activities"): deeper["activities"], tr("recommend.reason"): deeper["reason"],
        }), hide_index=True, width="stretch")
    else:
        st.info(tr("recommend.no_deepen"))

    st.subheader(tr("recommend.approach"))
    st.caption(tr("recommend.approach_help"))
    if len(wider):
        st.dataframe(pd.DataFrame({
            tr("recommend.organization"): wider["name"],
            tr("recommend.circle"): [label_of(CIRCLES, c, language) for c in wider["circle"]],
            tr("recommend.score"): wider["score"].round(3), tr("recommend.reason"): wider["reason"],
        }), hide_index=True, width="stretch")
    else:
        st.info(tr("recommend.no_approach", name=names.get(org, org)))
