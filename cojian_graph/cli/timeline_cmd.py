"""``cojian timeline``: how the ecosystem grew, period by period — growth, links, rising and fading partners.

Thin: parse options, call :mod:`cojian_graph.analysis.timeline`, print or write the tables.
"""

from __future__ import annotations

import click

from .options import check_view, fail, filter_options, ledger_source, load_ledger
from .rank_cmd import _emit, output_format

__all__ = ["timeline"]

TABLES = ("growth", "links", "trends")
FORMATS = ("table", "csv", "json", "xlsx")
#: Bilingual headers of the growth table.
HEADERS = {
    "period": "时段 period", "activities": "活动 activities", "active": "活跃组织 active",
    "new_partners": "新伙伴 new partners", "new_ties": "新关系 new ties", "lost_ties": "中断关系 lost ties",
    "retention": "伙伴留存 retention", "ei": "E-I 内外", "multiplex_new": "新多元关系 new multiplex",
}


@click.command()
@ledger_source
@click.option("--period", "-p", type=click.Choice(["year", "half", "quarter"]), default="year", show_default=True,
              help="时段 Years, half-years or quarters (activities dated by their year only are counted apart).")
@click.option("--window", type=click.IntRange(min=1), default=1, show_default=True,
              help="窗口 Periods per window for lost ties and retention.")
@click.option("--table", "-t", "which", type=click.Choice(TABLES), default="growth", show_default=True,
              help="表 growth: per period; links: per period and link; trends: rising and fading partners.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="趋势表显示前后各 N 个 The trends table shows the N most rising and N most fading.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="输出格式 Output format (default: table, or from the -o suffix; xlsx holds every table).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="输出文件 Write to this file.")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing --output file.")
@filter_options
def timeline(source, period, window, which, top, fmt, output, force, spec):
    """时间 How the ecosystem grew: activities, new partners, new and lost ties, retention, E-I and
    multiplexity per period; per link; partners rising and fading (Theil–Sen trend). With --focus
    ORG (an id or a name), only that organisation's ties and partners count.

    \b
    Examples:
      cojian timeline data
      cojian timeline ledger.xlsx --period half --window 2
      cojian timeline ledger.xlsx -t trends --top 20
      cojian timeline --db sqlite:///store.sqlite -o 时间.xlsx
    """
    from dataclasses import replace

    from ..analysis.timeline import growth, trends
    from ..errors import CojianError
    from ..graph import filter_ledger

    fmt = output_format(fmt, output, force)
    ledger = load_ledger(source)
    spec = check_view(ledger, spec)
    focus = spec.focus  # here: whose ties count, not a neighbourhood to cut out
    try:
        view = filter_ledger(ledger, replace(spec, focus=None, hops=1))
        result = growth(view, period, window=window, focus=focus)
        trend = trends(view, period, focus=focus)
    except CojianError as error:
        fail(error)
    tables = {"growth": result.table.reset_index(), "links": result.by_link,
              "trends": _trend_table(trend, top)}
    note = (f"未注明日期的活动 {result.undated} 项、只注明年份（不能分到{'半年' if period == 'half' else '季度'}）"
            f" {result.coarse} 项，未计入 / {result.undated} undated and {result.coarse} year-only activities are "
            "not in the tables" if period != "year" else
            f"未注明日期的活动 {result.undated} 项，未计入 / {result.undated} undated activities are not in the tables")
    _write(tables, which, fmt, output, note)


def _trend_table(trend, top: int):
    import pandas as pd

    rising = trend[trend["slope"] > 0].head(top).assign(trend="rising")
    fading = trend[trend["slope"] < 0].iloc[::-1].head(top).assign(trend="fading")
    out = pd.concat([rising, fading], ignore_index=True)
    out["counts"] = [" ".join(str(value) for value in counts) for counts in out["counts"]]
    return out[["trend", "id", "slope", "total", "first", "last", "counts"]]


def _write(tables: dict, which: str, fmt: str, output: str | None, note: str) -> None:
    if fmt == "table":
        from ..textable import text_table

        frame = tables[which]
        if which == "growth":
            frame = frame.rename(columns=HEADERS)
        click.echo(note, err=True)
        _emit(text_table(frame), output)
        return
    if fmt == "json":
        import json

        payload = {name: json.loads(frame.to_json(orient="records", force_ascii=False))
                   for name, frame in tables.items()}
        payload["note"] = note
        _emit(json.dumps(payload, ensure_ascii=False, indent=2), output)
        return
    from ..export.tables import neutralised, write_csv, write_xlsx

    if fmt == "csv":
        if output:
            write_csv(tables[which], output)
        else:
            click.echo(neutralised(tables[which]).to_csv(index=False), nl=False)
        click.echo(note, err=True)
        return
    write_xlsx(tables, output)
    click.echo(note, err=True)
