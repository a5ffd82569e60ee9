"""Placeholder."""

import streamlit as st

from app_pages.common import tr

st.title(tr("page.links"))
