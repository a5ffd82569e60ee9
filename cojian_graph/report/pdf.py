"""The briefing as a PDF, typeset by Typst (the ``typst`` package: the Typst compiler, Apache-2.0) with
the bundled Noto Sans CJK embedded: A4, page numbers, numbered figures and tables, bookmarks from the
headings, and the map as vector graphics (SVG).

Why Typst: reportlab cannot embed Noto Sans CJK (its outlines are CFF, reportlab reads TrueType only),
and WeasyPrint needs Pango from the system; Typst is one wheel, reads the OpenType collection and
typesets Chinese line breaking. The layout is ``template.typ``; the words come from a JSON file that
the template reads as data, so that no name from a ledger is ever parsed as Typst markup.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from .content import Report

__all__ = ["pdf_bytes", "write_pdf"]

TEMPLATE = Path(__file__).with_name("template.typ")


def pdf_bytes(report: Report) -> bytes:
    """``report`` typeset as PDF bytes."""
    import typst

    from ..render.fonts import cjk_font_path

    with tempfile.TemporaryDirectory(prefix="cojian-report-") as folder:
        root = Path(folder)
        sections = []
        for section in report.sections:
            blocks = []
            for block in section["blocks"]:
                if block["kind"] == "figure":
                    file = f"{block['name']}.svg"
                    (root / file).write_bytes(report.figures[block["name"]]["svg"])
                    block = {**block, "file": file}
                blocks.append(block)
            sections.append({"heading": section["heading"], "blocks": blocks})
        payload = {"lang": report.lang, "title": report.title, "cover": report.cover, "sections": sections}
        (root / "report.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        (root / "main.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return typst.compile(str(root / "main.typ"), root=str(root), font_paths=[str(Path(cjk_font_path()).parent)],
                             ignore_system_fonts=True)


def write_pdf(report: Report, path: str | Path) -> Path:
    """Write ``report`` to ``path`` (.pdf) and return the path."""
    path = Path(path)
    path.write_bytes(pdf_bytes(report))
    return path
