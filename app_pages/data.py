"""数据 Data: the ledger's tables, uploading a ledger for this session, the blank template."""

from __future__ import annotations

import functools

import streamlit as st

from app_pages import common
from app_pages.common import guard, lang, tr
from cojian_graph.appstate import (
    UPLOAD_TYPES,
    escape_markdown,
    ledger_bytes,
    ledger_from_uploads,
    problems_table,
    template_bytes,
)
from cojian_graph.errors import CojianError, LedgerError
from cojian_graph.model import CIRCLES, KINDS, LINKS, ROLES, SECTORS, label_of
from cojian_graph.schema import TABLES

#: Columns holding registry ids, shown by their names in the session's language.
CODED = {"organizations": {"kind": KINDS, "circle": CIRCLES, "sector": SECTORS},
         "activities": {"link_type": LINKS}, "participations": {"role": ROLES}}

st.title(tr("data.title"))
st.caption(tr("data.intro"))


@st.cache_data(max_entries=8, show_spinner=False)
def _ledger_file(digest: str, format: str, _ledger) -> bytes:
    return ledger_bytes(_ledger, format)


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return template_bytes()


def _revert() -> None:
    st.session_state.pop("uploaded_ledger", None)
    st.session_state.pop("uploaded_name", None)
    common.reset_filters()
    st.session_state.pop("f_focus", None)


language = lang()

st.subheader(tr("data.upload"))
st.caption(tr("data.upload_help"))
# cleared on submit: a rejected file must not stay in the uploader beside the corrected one
with st.form("upload", clear_on_submit=True, border=True):
    files = st.file_uploader(tr("data.upload"), type=list(UPLOAD_TYPES), accept_multiple_files=True,
                             help=tr("data.upload_help"), key="upload_files", label_visibility="collapsed")
    submitted = st.form_submit_button(tr("data.load"), type="primary")
if submitted:
    try:
        loaded = ledger_from_uploads([(file.name, file.getvalue()) for file in files or []])
    except LedgerError as error:
        st.error(tr("error.ledger", count=len(error.problems)))
        st.dataframe(problems_table(error, language), hide_index=True, width="stretch")
    except CojianError as error:
        st.error(f"{tr('error.generic')}: {escape_markdown(error)}")
    else:
        name = ", ".join(file.name for file in files)
        st.session_state["uploaded_ledger"] = loaded
        st.session_state["uploaded_name"] = name
        common.reset_filters()
        st.session_state["_flash"] = ("data.loaded", {"name": escape_markdown(name), "orgs": len(loaded.organizations),
                                                      "acts": len(loaded.activities)})
        st.rerun()  # redraw the sidebar's filters for the new ledger

flash = st.session_state.pop("_flash", None)
if flash:
    st.success(tr(flash[0], **flash[1]))

if st.session_state.get("uploaded_ledger") is not None:
    st.info(tr("data.using_upload", name=escape_markdown(st.session_state.get("uploaded_name", ""))))
    st.button(tr("data.revert"), on_click=_revert)

cols = st.columns(3)
with guard():
    cols[0].download_button(tr("data.template"), data=_template(), file_name="cojian-template.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            help=tr("data.template_help"))

with guard():
    data = common.ledger()
    # the files are written when a button is clicked (an XLSX of 10^4 organisations took most of this page's
    # first visit), then kept per ledger; a click does not rerun the page (as with every other deferred download
    # here): a rerun replaces the buttons' deferred files while the browser may still be asking for one
    digest = common.ledger_hash(data)
    cols[1].download_button(f"{tr('data.download')} · {tr('data.download_xlsx')}",
                            data=functools.partial(_ledger_file, digest, "excel", data), file_name="cojian-ledger.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    cols[2].download_button(f"{tr('data.download')} · {tr('data.download_json')}",
                            data=functools.partial(_ledger_file, digest, "json", data), file_name="cojian-ledger.json",
                            mime="application/json", on_click="ignore")

    st.subheader(tr("data.tables"))
    tabs = st.tabs([f"{table.zh if language == 'zh' else table.en} ({len(data.table(name))})"
                    for name, table in TABLES.items()])
    for tab, (name, table) in zip(tabs, TABLES.items(), strict=True):
        with tab:
            frame = data.table(name).copy()
            for column, registry in CODED.get(name, {}).items():  # ids shown by their names
                frame[column] = [label_of(registry, value, language) if value else "" for value in frame[column]]
            headers = {column.name: column.zh if language == "zh" else column.en for column in table.columns}
            st.dataframe(frame.rename(columns=headers), hide_index=True, width="stretch")
