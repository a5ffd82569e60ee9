"""The briefing as a Word document (python-docx): A4, Word's own Title and Heading styles (so that
its navigation pane lists the sections), numbered captions, tables in the Table Grid style, the map
as a 200-dpi picture and page numbers in the footer.

Text goes in through python-docx's API, which escapes it: a name such as ``<w:p>`` is text.
"""

from __future__ import annotations

import io
from pathlib import Path

from .content import Report

__all__ = ["write_docx"]

#: East Asian font named in the document: what Chinese offices' Word has (Word substitutes if missing).
EAST_ASIAN_FONT = "Microsoft YaHei"


def write_docx(report: Report, path) -> None:
    """Write ``report`` to ``path`` (.docx), or to a binary file object."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.4)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "List Bullet"):
        _east_asian(document.styles[name])
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = report.title
    document.core_properties.language = "zh-CN" if report.lang == "zh" else "en-GB"
    _page_numbers(section)

    document.add_heading(report.title, level=0)
    for line in report.cover:
        document.add_paragraph(line)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    counters = {"figure": 0, "table": 0}
    words = {"figure": "图" if report.lang == "zh" else "Figure", "table": "表" if report.lang == "zh" else "Table"}
    for number, part in enumerate(report.sections, start=1):
        document.add_heading(f"{number}. {part['heading']}", level=1)
        for block in part["blocks"]:
            kind = block["kind"]
            if kind == "para":
                document.add_paragraph(block["text"])
            elif kind == "bullets":
                for item in block["items"]:
                    document.add_paragraph(item, style="List Bullet")
            elif kind == "figure":
                counters["figure"] += 1
                document.add_picture(io.BytesIO(report.figures[block["name"]]["png"]), width=Cm(16.5))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption = document.add_paragraph(f"{words['figure']} {counters['figure']}  {block['caption']}",
                                                 style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif kind == "table":
                counters["table"] += 1
                document.add_paragraph(f"{words['table']} {counters['table']}  {block['caption']}", style="Caption")
                table = document.add_table(rows=1 + len(block["rows"]), cols=len(block["columns"]))
                table.style = "Table Grid"
                _repeat_header(table.rows[0])
                for position, title in enumerate(block["columns"]):
                    cell = table.rows[0].cells[position]
                    cell.text = title
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                for row, values in zip(table.rows[1:], block["rows"], strict=True):
                    for cell, value in zip(row.cells, values, strict=True):
                        cell.text = value
                document.add_paragraph()
    document.save(path if hasattr(path, "write") else str(Path(path)))


def _east_asian(style) -> None:
    """Name the East Asian font of ``style`` (python-docx sets only the Latin one)."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _repeat_header(row) -> None:
    """Repeat the table's first row at the top of every page it runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _page_numbers(section) -> None:
    """A centred PAGE field in the footer (python-docx has no API for fields)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
