"""``python -m cojian_graph.serve run app.py [options] [-- LEDGER]``: ``streamlit run``, warmed.

What ``cojian app`` (and so ``make run``) starts: Streamlit's own command line, after starting the
background import of what the explorer's first page needs (:mod:`cojian_graph.warmup`), so that
the first visitor does not wait for it.
"""

from __future__ import annotations

import sys


def main() -> int:
    from cojian_graph.warmup import start

    start()
    from streamlit.web.cli import main as streamlit_main

    return streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
