"""``python -m cojian_graph.serve run app.py [options] [-- LEDGER]``: ``streamlit run``, warmed.

What ``cojian app`` (and so ``make run``) starts: Streamlit's own command line, after importing
what the explorer's first page needs (:mod:`cojian_graph.warmup`), so that the first visitor does
not wait for it, and no two threads ever import those modules at once.

The server's threads take turns on the interpreter every millisecond instead of Python's default
five (:data:`SWITCH_INTERVAL`). With ten sessions' scripts running, a request to the event loop
otherwise waited for the interpreter behind each of them in turn: the health check's worst case in
the load test went from 1.0–1.7 s to 0.2–0.8 s (docs/performance.md, "Serving many people at once").
"""

from __future__ import annotations

import sys

#: Seconds a thread may hold the interpreter before another is let in (``sys.setswitchinterval``).
SWITCH_INTERVAL = 0.001


def main() -> int:
    from cojian_graph.warmup import load

    sys.setswitchinterval(SWITCH_INTERVAL)
    load()
    from streamlit.web.cli import main as streamlit_main

    return streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
