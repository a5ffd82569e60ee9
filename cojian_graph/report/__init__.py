"""The briefing for leaders (共建分析报告): :func:`build_report` works out what it says, and
:func:`write_report` writes it as a Word document or a PDF (see docs/report.md).

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> report = build_report(tiny_ledger(), lang="en")
>>> [section["heading"] for section in report.sections][:3]
['Key figures', 'The ecosystem', 'The eight links']
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CojianError
from .content import Report, build_report

__all__ = ["REPORT_FORMATS", "Report", "build_report", "report_bytes", "write_report"]

#: Suffix → (MIME type, what it is).
REPORT_FORMATS = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    ".pdf": ("application/pdf", "PDF"),
}


def report_bytes(report: Report, format: str) -> bytes:
    """``report`` as the bytes of a ``"docx"`` or ``"pdf"`` file."""
    format = format.lower().lstrip(".")
    if format == "pdf":
        from .pdf import pdf_bytes

        return pdf_bytes(report)
    if format == "docx":
        import io

        from .docx import write_docx

        buffer = io.BytesIO()
        write_docx(report, buffer)
        return buffer.getvalue()
    raise CojianError(f"报告格式须为 docx 或 pdf / a report is written as .docx or .pdf, not {format!r}")


def write_report(report: Report, path: str | Path) -> Path:
    """Write ``report`` to ``path``; the suffix (.docx or .pdf) chooses the format."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_FORMATS:
        raise CojianError(f"报告格式须为 .docx 或 .pdf / a report is written as .docx or .pdf, not "
                          f"{path.suffix or 'a file without extension'}")
    path.write_bytes(report_bytes(report, path.suffix))
    return path
