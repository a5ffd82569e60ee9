"""The cojian-graph explorer (党建共建生态圈浏览器): a multipage Streamlit app.

Run ``make run``, ``cojian app [PATH]`` or ``streamlit run app.py -- PATH``. The pages in ``app_pages/``
only display what the library (``cojian_graph``) computes.
"""

from __future__ import annotations

import streamlit as st

from app_pages import access, common
from cojian_graph.appstate import DEFAULT_PAGE, PAGES, STORE_PAGES

# No page_icon and no page icons: Streamlit fetches Material and emoji favicons from a CDN, and the app
# must make no outside request.
st.set_page_config(page_title="党建共建生态圈 cojian-graph", layout="wide")
# less empty space above the title, so that a map starts within a 1280×720 screen (inline CSS only)
st.html("<style>[data-testid='stMainBlockContainer'] { padding-top: 2rem; }</style>")

common.init_from_query()
if not access.gate():  # on a store served beyond this machine: sign in first
    common.sidebar_language()
    st.stop()

shown = PAGES + (STORE_PAGES if access.mode() != "file" else ())
pages = {
    page: st.Page(
        f"app_pages/{page}.py",
        title=common.tr(f"page.{page}"),
        url_path=page,
        default=page == DEFAULT_PAGE,
    )
    for page in shown
}
current = st.navigation(list(pages.values()))
current_page = next(
    (page for page, entry in pages.items() if entry.url_path == current.url_path), DEFAULT_PAGE
)

wanted = common.page_from_query()
if wanted and current_page == DEFAULT_PAGE:
    st.switch_page(pages[wanted])

common.prepare_filters()
common.link_notice()
current.run()
common.sidebar()  # after the page: see common.sidebar
with st.sidebar:
    access.sidebar()
common.sync_query(current_page)
