"""``cojian report``: the briefing for leaders (共建分析报告) as a Word document or a PDF.

Thin: parse options, call :mod:`cojian_graph.report`, write the file.
"""

from __future__ import annotations

import click

from .options import check_output, check_view, fail, filter_options, ledger_source, load_ledger

__all__ = ["report"]


@click.command()
@ledger_source
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True,
              help="输出文件 The file to write: .docx (Word) or .pdf.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="语言 Language of the briefing.")
@click.option("--org", default=None, metavar="ORG",
              help="建议针对的组织 The organisation the recommendations are for (default: the focal one).")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing file.")
@filter_options
def report(source, output, lang, org, force, spec):
    """报告 Write the briefing: key figures in sentences, the map, the eight links, the leading
    organisations and why, the internal/external balance, growth by year (when dated), thin spots,
    recommendations and how every figure is computed.

    \b
    Examples:
      cojian report data -o 共建分析报告.docx
      cojian report data -o briefing.pdf --lang en
      cojian report --db sqlite:///store.sqlite --as-of 2024-12-31 -o 2024.pdf
    """
    from pathlib import Path

    from ..errors import CojianError
    from ..graph.filters import find_organization
    from ..report import REPORT_FORMATS, build_report, write_report

    if Path(output).suffix.lower() not in REPORT_FORMATS:
        raise click.BadParameter("报告须写成 .docx 或 .pdf / the briefing is written as .docx or .pdf",
                                 param_hint="--output")
    check_output(output, force)
    ledger = load_ledger(source)
    spec = check_view(ledger, spec)
    if getattr(source, "path", None):
        name = Path(str(source.path)).name
    else:  # a store: its address without the password
        from sqlalchemy.engine import make_url

        name = make_url(source.url).render_as_string(hide_password=True)
    try:
        who = find_organization(ledger, org) if org else None
        briefing = build_report(ledger, spec=spec, lang=lang, name=name, as_of=getattr(source, "as_of", None),
                                org=who, progress=lambda step: click.echo(f"… {step}", err=True))
        path = write_report(briefing, output)
    except CojianError as error:
        fail(error)
    click.echo(f"已写出 written: {path} ({path.stat().st_size / 1024:.0f} KB)", err=True)
