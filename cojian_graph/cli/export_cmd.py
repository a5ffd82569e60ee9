"""``cojian export``: write a view of the network as an image, a page, a graph file or a table."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import EXPORT_FORMATS, TABLES
from ..render.layout import LAYOUTS
from ..render.style import COLOR_BY, SIZE_BY
from .options import Progress, check_output, check_view, filter_options, ledger_source, load_ledger

__all__ = ["export"]


def _labels(value: str | None):
    if value is None or value == "all":
        return value
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise click.BadParameter("须为 all 或非负整数 / must be 'all' or a count such as 20",
                                 param_hint="--labels")
    return number


@click.command()
@ledger_source
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="输出文件 File to write; its extension gives the format unless --format is given.")
@click.option("-f", "--format", "fmt", type=click.Choice(list(EXPORT_FORMATS), case_sensitive=False),
              default=None, help="格式 Format (default: from the file's extension).")
@filter_options
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default="force", show_default=True,
              help="布局 Layout: force-directed or concentric circles (focal → internal → external).")
@click.option("--size-by", default="strength", show_default=True, metavar="MEASURE",
              help="节点大小 Node size by this measure (e.g. strength, degree, betweenness, composite).")
@click.option("--color-by", type=click.Choice(list(COLOR_BY)), default="circle", show_default=True,
              help="节点颜色 Node colour by circle, sector, community or main link type.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="语言 Language of names, titles and legends.")
@click.option("--dpi", type=click.IntRange(10, 1200), default=200, show_default=True,
              help="PNG 分辨率 Resolution of PNG images (dots per inch).")
@click.option("--width", type=click.FloatRange(1, 100), default=12.0, show_default=True,
              help="图片宽度（英寸）Image width in inches.")
@click.option("--height", type=click.FloatRange(1, 100), default=8.0, show_default=True,
              help="图片高度（英寸）Image height in inches.")
@click.option("--labels", default=None, metavar="all|N",
              help="标注的组织 Label all organisations or the top N (images: 20; page: all up to 150).")
@click.option("--title", default=None, help="标题 Title of the image or page.")
@click.option("--table", type=click.Choice(list(TABLES)), default="rank", show_default=True,
              help="CSV 导出的表 Table written to a CSV (a workbook holds them all).")
@click.option("--measure", "-m", "measures", multiple=True, metavar="MEASURE",
              help="排名表与图文件中的指标 Measures in tables and graph files (repeatable; default: the rank "
                   "table's; a graph file of over 20,000 organisations: the quick ones, without path measures).")
@click.option("--seed", type=int, default=7, show_default=True, help="布局随机种子 Seed of the force layout.")
@click.option("--frames", is_flag=True,
              help="成长过程 The network's growth, one snapshot per period on fixed positions (new ties in orange): "
                   "small multiples in a .png/.svg/.pdf, or an animated .gif.")
@click.option("--period", type=click.Choice(["year", "half", "quarter"]), default="year", show_default=True,
              help="时段 With --frames: one snapshot per year, half-year or quarter.")
@click.option("--groups", type=click.Choice(["auto", "circle", "sector", "community", "none"]), default="auto",
              show_default=True,
              help="按组汇总 Images, pages and graph files of the view's groups (one node per circle, sector or "
                   "community). auto: images and pages of a view of over 1,500 organisations show its circles; "
                   "none: every organisation.")
@click.option("--renderer", type=click.Choice(["auto", "vis", "webgl"]), default="auto", show_default=True,
              help="网页绘图 Who draws an .html page: vis-network (stars and squares for the circles), or WebGL "
                   "(sigma.js: smooth with thousands of organisations). auto: WebGL above 1,500 organisations.")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing file.")
def export(source, output, fmt, spec, layout, size_by, color_by, lang, dpi, width, height, labels, title, table,
           measures, seed, frames, period, groups, renderer, force):
    """导出网络 Export the network view of the ledger at PATH to a file.

    \b
    Formats: png svg pdf (images), html (offline interactive page), gexf graphml json (graph
    files for Gephi and other tools), csv xlsx (tables). The same filter, focus, layout, size and
    colour options as the app. Examples:
      cojian export data -o ecosystem.png --dpi 300
      cojian export data -o gephi.gexf --link learning --link service
      cojian export ledger.xlsx -o rank.csv --circle external
      cojian export ledger.xlsx -o 成长.gif --frames
    """
    from ..errors import CojianError
    from ..export import export as run_export
    from ..export import format_of

    if frames:
        _growth(source, output, spec, period=period, lang=lang, layout=layout, color_by=color_by, size_by=size_by,
                dpi=dpi, width=width, seed=seed, title=title, force=force)
        return

    try:
        fmt = format_of(output, fmt)
    except CojianError as error:
        raise click.BadParameter(str(error), param_hint="--format / --output") from None
    _check_size_by(size_by)
    check_output(output, force)
    progress = Progress()
    ledger = load_ledger(source)
    spec = check_view(ledger, spec)
    groups = _groups(ledger, spec, fmt, groups)
    try:
        written = run_export(
            ledger, output, fmt, spec=spec, layout=layout, size_by=size_by, color_by=color_by, lang=lang,
            measures=list(measures) or None, table=table, dpi=dpi, width=width, height=height,
            labels=_labels(labels), title=title, seed=seed, groups=groups, renderer=renderer, progress=progress,
        )
    except CojianError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"无法写入 cannot write {output}: {error.strerror or error}") from None
    size = written.stat().st_size
    kind = EXPORT_FORMATS[fmt]
    click.echo(f"已导出 exported: {written} ({kind.zh} / {kind.en}, {size / 1024:.1f} KB)")


def _groups(ledger, spec, fmt: str, groups: str) -> str | None:
    """The grouping to export (None: organisations). ``auto`` groups the images and pages of a view too
    big to draw one by one, and says so."""
    from ..graph import filter_ledger
    from ..graph.aggregate import AGGREGATE_ABOVE

    if groups == "none":
        return None
    if groups != "auto":
        if EXPORT_FORMATS[fmt].kind == "table":
            raise click.BadParameter("表格按组织导出 / tables hold organisations", param_hint="--groups")
        return groups
    if EXPORT_FORMATS[fmt].kind not in ("image", "page"):
        return None
    count = len(filter_ledger(ledger, spec).column("organizations", "id"))
    if count <= AGGREGATE_ABOVE:
        return None
    click.echo(f"视图有 {count:,} 个组织，按圈层汇总画出（--groups none 画出每个组织）/ the view has {count:,} "
               f"organisations: drawn as its circles (--groups none draws every organisation)", err=True)
    return "circle"


def _growth(source, output, spec, *, force, **options) -> None:
    """``--frames``: the growth of the (filtered) network as small multiples or an animated GIF."""
    from dataclasses import replace

    from ..errors import CojianError
    from ..graph import filter_ledger
    from ..render.frames import GROWTH_FORMATS, write_growth

    if output.suffix.lower().lstrip(".") not in GROWTH_FORMATS:
        raise click.BadParameter(f"--frames 写成 {', '.join(GROWTH_FORMATS)} / --frames writes "
                                 f"{', '.join(GROWTH_FORMATS)}", param_hint="--output")
    _check_size_by(options["size_by"])
    check_output(output, force)
    ledger = load_ledger(source)
    spec = check_view(ledger, spec)
    try:
        written = write_growth(filter_ledger(ledger, replace(spec, focus=None, hops=1)), output, **options)
    except CojianError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"无法写入 cannot write {output}: {error.strerror or error}") from None
    click.echo(f"已导出 exported: {written} (成长过程 growth, {written.stat().st_size / 1024:.1f} KB)")


def _check_size_by(size_by: str) -> None:
    from ..analysis import MEASURES

    if size_by not in MEASURES and size_by not in SIZE_BY:
        valid = ", ".join(dict.fromkeys([*SIZE_BY, *MEASURES]))
        raise click.BadParameter(f"未知的指标 unknown measure {size_by!r}; 可选 valid: {valid}",
                                 param_hint="--size-by")
