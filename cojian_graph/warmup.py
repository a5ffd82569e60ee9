"""The explorer's imports, made by the server's launcher before Streamlit starts.

The first visit to a freshly started explorer used to pay for importing pandas, altair, networkx,
igraph and the library (about 1.5 s on the development machine) before anything was drawn.
:func:`load`, called by the server's launcher (:mod:`cojian_graph.serve`) before Streamlit starts,
imports them while the process has one thread. They used to be imported by a background thread
while the server booted. But pandas cannot be imported by two threads at once (its compiled
modules import each other), and a session's script could start importing it meanwhile: a fresh
server once failed every page with "partially initialized module 'pandas'". Imported before any
other thread exists, nothing can race them. The server answers its health check 1.5 s later, and
the first page comes as soon as before.

Nothing here imports streamlit, and no app page module is imported early: their ``st.cache_*``
functions must be made while Streamlit's runtime exists.
"""

from __future__ import annotations

import importlib

__all__ = ["WARM", "failed", "load"]

#: What the first page run needs, heaviest first.
WARM: tuple[str, ...] = (
    "numpy",
    "pandas",
    "altair",
    "networkx",
    "cojian_graph.appstate",
    "cojian_graph.io",
    "cojian_graph.graph",
    "cojian_graph.analysis",
    "cojian_graph.render",
    "cojian_graph.render.network_html",
)

_failed: list[str] = []


def load() -> list[str]:
    """Import :data:`WARM` (and igraph, without its plotting) now; return the modules that failed
    (the page that needs one imports it again and shows the error)."""
    for name in WARM:
        try:
            importlib.import_module(name)
        except Exception:
            _failed.append(name)
    try:
        from .analysis.engine import igraph_module

        igraph_module()
    except Exception:
        _failed.append("igraph")
    return failed()


def failed() -> list[str]:
    """Modules :func:`load` could not import."""
    return list(_failed)
