"""Write ``docs/measures.md`` from the registry: ``python -m cojian_graph.analysis.measures_doc [PATH]``."""

from __future__ import annotations

import sys
from pathlib import Path

from .registry import measures_markdown


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs" / "measures.md"
    path.write_text(measures_markdown(), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main()
