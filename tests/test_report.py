"""The briefing (共建分析报告): the Word document opened with python-docx, the PDF read back with
poppler (pdftotext, pdffonts, pdftoppm) as a person would see it, hostile names kept as text, and the
figures checked against counts made here from the ledger's files."""

from __future__ import annotations

import collections
import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cojian_graph.io import read_ledger, write_ledger
from cojian_graph.report import build_report, report_bytes, write_report

DATA = Path(__file__).resolve().parent.parent / "data"
SECTIONS_ZH = ["要点", "共建生态圈", "八联", "核心组织与原因", "内外平衡", "成长", "薄弱环节", "建议", "附录：计算方法"]
SECTIONS_EN = ["Key figures", "The ecosystem", "The eight links", "Leading organisations, and why",
               "Inside and outside", "Growth", "Thin spots", "Recommendations",
               "Appendix: how the figures are computed"]


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is missing: scripts/system-deps.sh installs it")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def bundled():
    return build_report(read_ledger(DATA), name="data")


def test_the_key_figures_are_the_ledgers_counts(bundled):
    orgs, acts, parts = rows("organizations"), rows("activities"), rows("participations")
    circle = {row["id"]: row["circle"] for row in orgs}
    external_acts = {p["activity_id"] for p in parts if circle[p["organization_id"]] == "external"}
    external_orgs = {p["organization_id"] for p in parts if circle[p["organization_id"]] == "external"}
    text = bundled.text()
    assert f"台账记录了 {len(orgs)} 个组织开展的 {len(acts)} 项共建活动" in text
    assert f"与 {len(external_orgs)} 个外部组织开展了 {len(external_acts)} 项共建活动" in text
    assert "无法显示逐年成长，本节从略" in text  # the case study is dated in one year only
    assert [section["heading"] for section in bundled.sections] == SECTIONS_ZH


def test_the_word_document_has_headings_tables_a_picture_and_page_numbers(bundled, tmp_path):
    import docx
    from docx.shared import Mm

    path = write_report(bundled, tmp_path / "报告.docx")
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"{n}. {title}" for n, title in enumerate(SECTIONS_ZH, start=1)]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["党建共建分析报告"]
    assert len(document.inline_shapes) == 1 and document.inline_shapes[0].width > Mm(150)
    assert len(document.tables) >= 3
    assert document.tables[0].rows[0].cells[0].text == "八联"
    assert all("w:tblHeader" in table.rows[0]._tr.xml for table in document.tables)  # repeated on each page
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "图 1  共建网络" and captions[1].startswith("表 1  ")
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert 'w:instr="PAGE"' in section.footer._element.xml
    english = docx.Document(str(write_report(build_report(read_ledger(DATA), lang="en"), tmp_path / "en.docx")))
    assert [p.text for p in english.paragraphs if p.style.name == "Heading 1"] == [
        f"{n}. {title}" for n, title in enumerate(SECTIONS_EN, start=1)]


def test_every_pdf_page_is_drawn_with_the_embedded_cjk_font(bundled, tmp_path):
    from PIL import Image

    path = write_report(bundled, tmp_path / "报告.pdf")
    fonts = subprocess.run([poppler("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
    text = subprocess.run([poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in SECTIONS_ZH:
        assert heading in text
    assert re.search(r"图\s*1", text) and re.search(r"表\s*1", text) and re.search(r"1\s*/\s*\d", text)
    subprocess.run([poppler("pdftoppm"), "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    for page in pages:  # every page has ink, and is A4 (210 × 297 mm at 40 dpi)
        image = Image.open(page).convert("L")
        assert image.size == (331, 468)
        assert image.getextrema()[0] < 100


def test_hostile_names_are_text_in_both_documents(tmp_path):
    import docx

    ledger = read_ledger(DATA)
    hostile = '#eval("1+1") *粗体* <w:p>&amp; =cmd|\' /C calc\'!A0'
    orgs = ledger.organizations.copy()
    orgs.loc[orgs["id"] == "zhugang_league", "name"] = hostile  # in the leaders' and the deepen tables
    folder = tmp_path / "hostile"
    write_ledger(type(ledger).from_frames(orgs, ledger.activities, ledger.participations), folder, "csv")
    report = build_report(read_ledger(folder))
    assert hostile in report.text()
    document = docx.Document(str(write_report(report, tmp_path / "h.docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert hostile in cells
    pdf = write_report(report, tmp_path / "h.pdf")
    text = subprocess.run([poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert '#eval("1+1") *粗体* <w:p>&amp;' in text.replace("\n", " ")


def test_a_dated_ledger_reports_its_growth_as_planted(tmp_path):
    from cojian_graph.synth import synthetic_timeline

    ledger, facts = synthetic_timeline(300, 1200, seed=3)
    report = build_report(ledger, lang="en")
    growth = next(block for section in report.sections if section["heading"] == "Growth"
                  for block in section["blocks"] if block["kind"] == "table")
    joined = collections.Counter(facts["joined"].values())
    position = growth["columns"].index("New partners")
    assert {int(row[0]): int(row[position]) for row in growth["rows"]} == dict(joined)
    assert "growth" in report.figures and report.figures["growth"]["png"][:4] == b"\x89PNG"
    assert report_bytes(report, "pdf")[:5] == b"%PDF-"


def test_the_command_writes_both_and_refuses_other_suffixes(tmp_path):
    from click.testing import CliRunner

    from cojian_graph.cli import main

    runner = CliRunner()
    for suffix in ("docx", "pdf"):
        result = runner.invoke(main, ["report", str(DATA), "-o", str(tmp_path / f"r.{suffix}")])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"r.{suffix}").stat().st_size > 20_000
    refused = runner.invoke(main, ["report", str(DATA), "-o", str(tmp_path / "r.txt")])
    assert refused.exit_code == 2 and ".docx" in refused.output
    again = runner.invoke(main, ["report", str(DATA), "-o", str(tmp_path / "r.pdf")])
    assert again.exit_code != 0 and "--force" in again.output
