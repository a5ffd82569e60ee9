"""Warming the explorer's imports in the Streamlit server while it starts.

The first visit to a freshly started explorer used to pay for importing pandas, altair, networkx,
igraph and the library (about 1.5 s on the development machine) before anything was drawn.
:func:`start`, called by the server's launcher (:mod:`cojian_graph.serve`) before Streamlit starts,
imports them in a background thread while the server boots and waits for its first visitor. The
first run of the app calls :func:`wait` before its own imports (``app_pages/__init__.py``), so the
two threads never import the same modules at once. Where nothing was started (``streamlit run
app.py``, ``AppTest``) :func:`wait` returns at once.

Nothing here imports streamlit, and no app page module is imported early: their ``st.cache_*``
functions must be made while Streamlit's runtime exists.
"""

from __future__ import annotations

import importlib
import threading

__all__ = ["WARM", "start", "wait"]

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

_done = threading.Event()
_done.set()  # nothing to wait for until start() is called
_failed: list[str] = []


def start() -> threading.Thread:
    """Import :data:`WARM` (and igraph, without its plotting) in a daemon thread."""
    _done.clear()
    thread = threading.Thread(target=_warm, name="cojian-warmup", daemon=True)
    thread.start()
    return thread


def wait(timeout: float = 120.0) -> bool:
    """Block until a warm-up started by :func:`start` has finished; True when none is running."""
    return _done.wait(timeout)


def failed() -> list[str]:
    """Modules the warm-up could not import (the app imports them again and reports any error)."""
    return list(_failed)


def _warm() -> None:
    try:
        for name in WARM:
            try:
                importlib.import_module(name)
            except Exception:  # the page that needs it will import it again and show the error
                _failed.append(name)
        try:
            from .analysis.engine import igraph_module

            igraph_module()
        except Exception:
            _failed.append("igraph")
    finally:
        _done.set()
