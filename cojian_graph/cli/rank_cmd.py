"""``cojian rank`` and ``cojian stats``: the rank table and the network summary of a ledger.

Thin: parse options, call :mod:`cojian_graph.analysis`, print. Heavy modules are imported inside
the commands so that ``cojian --help`` stays instant, and ``cojian rank`` on a CSV folder printing a
table never imports pandas (about half a second): the table comes from
:func:`~cojian_graph.analysis.rank.rank_columns`; csv, json and xlsx go through the DataFrame.
"""

from __future__ import annotations

import math

import click

from .options import Progress, check_output, check_view, fail, filter_options, ledger_source, load_ledger

__all__ = ["rank", "stats"]

FORMATS = ("table", "csv", "json", "xlsx")


def _freeze_imports() -> None:
    """Move everything alive now (mostly the imported modules: numpy, igraph, … and pandas where a
    caller imported it) out of the garbage collector's sight, once per process.

    Those objects live until exit anyway; without this, every full collection during the run and the
    collections at interpreter exit walk all of them (about 0.1 s at exit for pandas alone).
    """
    import gc

    if gc.get_freeze_count() == 0:
        gc.freeze()


def _weights(pairs: tuple[str, ...]) -> dict[str, float] | None:
    if not pairs:
        return None
    out: dict[str, float] = {}
    for pair in pairs:
        for item in pair.replace("，", ",").split(","):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep:
                raise click.BadParameter(f"应为 id=数值 / expected id=value, got {item!r}",
                                         param_hint="--weight")
            try:
                out[key.strip()] = float(value)
            except ValueError:
                raise click.BadParameter(f"权重须为数字 / not a number: {value!r}",
                                         param_hint="--weight") from None
    return out


@click.command()
@ledger_source
@click.option("--measure", "-m", "measures", multiple=True, metavar="ID",
              help="指标 Measures to compute (ids from docs/measures.md; repeat or comma-separate). "
                   "Default: all the usual ones and the composite index.")
@click.option("--layer", default=None, metavar="LINK",
              help="只在这一联的图层上计算 Compute on one link layer.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="只显示前 N 名 Show the first N.")
@click.option("--sort-by", default=None, metavar="ID",
              help="按此指标排名 Rank by this measure (default: composite).")
@click.option("--weight", "-w", "weights", multiple=True, metavar="ID=VALUE",
              help="综合指数权重 Composite weights (replace the defaults), e.g. -w betweenness=0.5 "
                   "-w strength=0.5.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="输出格式 Output format (default: table, or from the -o suffix).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="输出文件 Write to this file instead of the terminal.")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing --output file.")
@click.option("--period", default=None, metavar="PERIOD",
              help="时段 Rank on one period's activities only: 2022, 2022-H1 or 2022-Q3 (cumulative: --as-of).")
@click.option("--exact/--approx", "exact", default=None,
              help="路径中心性（中介、接近、调和）：精确计算，或抽样估计并给出误差（默认：大网络抽样）Path measures "
                   "(betweenness, closeness, harmonic): exact, or estimated from sampled organisations with a "
                   "stated error (default: estimated for large networks).")
@filter_options
def rank(source, measures, layer, top, sort_by, weights, fmt, output, force, period, spec, exact):
    """排名 Rank organisations by collaboration centrality (综合共建指数).

    PATH is a ledger: a folder of CSV files, an .xlsx workbook or a .json file. On a large network
    the path measures are estimated from sampled organisations; the error that holds for every
    organisation at once (95 %) is printed under the table (on stderr for csv, json and xlsx).

    \b
    Examples:
      cojian rank data --top 10
      cojian rank data -m betweenness,eigenvector --layer learning
      cojian rank data --circle external -f xlsx -o rank.xlsx
    """
    from ..errors import CojianError

    _freeze_imports()
    fmt = output_format(fmt, output, force)
    progress = Progress()
    ledger = load_ledger(source)
    if period is not None:
        from ..analysis.timeline import during

        try:
            ledger, apart = during(ledger, period)
        except CojianError as error:
            fail(error)
        if apart:
            click.echo(f"注意 note: {apart} 项活动未注明日期或日期不够具体，不在时段 {period} 中 / {apart} activities "
                       f"without a date precise enough are not in the period {period}", err=True)
    spec = check_view(ledger, spec)
    from ..analysis.rank import rank_columns

    try:
        columns = rank_columns(ledger, measures=measures or None, layer=layer, spec=spec, top=top,
                               weights=_weights(weights), sort_by=sort_by, progress=progress, exact=exact)
    except CojianError as error:
        fail(error)
    _write(columns, fmt, output)
    if fmt != "table" or output:
        for line in estimate_notes(columns):
            click.echo(line, err=True)


def estimate_notes(columns) -> list[str]:
    """One line per estimated path measure of a rank table (none when all are exact), in both languages."""
    estimates = getattr(columns, "estimates", {})
    if not estimates:
        return []
    lines = ["注 note: 以下指标为抽样估计，--exact 可精确计算 / these measures are estimates; --exact computes "
             "them exactly:"]
    for estimate in estimates.values():
        lines += [f"  {estimate.note('zh')}", f"  {estimate.note('en')}"]
    return lines


@click.command()
@ledger_source
@click.option("--layer", default=None, metavar="LINK", help="只看这一联的图层 Summarise one link layer.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              help="输出格式 Output format.")
@click.option("--exact/--approx", "exact", default=None,
              help="平均路径长度：从每个组织精确计算，或抽样估计（默认：大网络抽样）Average path length: exact from "
                   "every organisation, or estimated from a sample (default: estimated for large networks).")
@filter_options
def stats(source, layer, fmt, spec, exact):
    """网络概况 Summarise the collaboration network: size, density, components, path length,
    clustering, E-I index, communities and the mix of the eight links.

    PATH is a ledger: a folder of CSV files, an .xlsx workbook or a .json file. On a large network
    the average path length is estimated from sampled organisations, with its 95 % confidence
    interval; the diameter is exact (iFUB).
    """
    from dataclasses import replace

    from ..errors import CojianError

    _freeze_imports()
    progress = Progress()
    ledger = load_ledger(source)
    spec = check_view(ledger, spec)
    from ..analysis import net_from_ledger, network_summary
    from ..analysis.circulation import ei_index_group_rows
    from ..analysis.summary import SUMMARY_STEPS
    from ..model import resolve_link

    try:
        if layer is not None:
            link = resolve_link(layer)
            if link is None:
                raise CojianError(f"未知的八联类型 unknown link layer {layer!r}")
            spec = replace(spec, links=(link,))
        total = len(SUMMARY_STEPS) + 1
        progress(0, total, "构建网络 building the network")
        net = net_from_ledger(ledger, spec)
        summary = network_summary(net, exact=exact,
                                  progress=lambda done, _total, step: progress(done + 1, total, step))
        groups = ei_index_group_rows(net)
    except CojianError as error:
        fail(error)
    if fmt == "json":
        import json

        summary["ei_index_by_group"] = {
            row["group"]: {key: _plain(value) for key, value in row.items() if key != "group"} for row in groups
        }
        click.echo(json.dumps({key: _plain(value) for key, value in summary.items()}, ensure_ascii=False,
                              indent=2))
        return
    click.echo(_summary_text(summary, groups))


LABELS = {
    "organizations": "组织数 organisations",
    "ties": "合作关系 ties",
    "joint_activities": "共建活动（按关系计）joint activities over ties",
    "isolated": "孤立组织 isolated",
    "density": "密度 density",
    "components": "连通分量 components",
    "largest_component": "最大分量规模 largest component",
    "average_path_length": "平均路径长度 average path length",
    "diameter": "直径 diameter",
    "average_clustering": "平均聚类系数 average clustering",
    "transitivity": "传递性 transitivity",
    "ei_index": "E-I 指数（内 vs 外）E-I index (inside vs outside)",
    "modularity": "模块度 modularity",
    "communities": "社区数 communities",
}


def _summary_text(summary: dict, groups: list[dict]) -> str:
    from ..analysis.circulation import GROUP_COLUMNS
    from ..model import CIRCLES, LINKS
    from ..textable import text_table

    rows = [(LABELS[key], _show(summary[key])) for key in LABELS]
    paths = summary["paths"]
    if paths["method"] == "sampled":  # say how it was estimated, beside the figure
        at = list(LABELS).index("average_path_length")
        rows[at] = (rows[at][0], f"{summary['average_path_length']:.4f} ± {paths['error']:.4f}（抽样 sampled: "
                                 f"{paths['samples']}, 95%）")
    low, high = paths["diameter_bounds"]
    if low != high:
        at = list(LABELS).index("diameter")
        rows[at] = (rows[at][0], f"{low}–{high}（界 bounds）")
    rows += [(f"圈层 circle: {CIRCLES[c].zh if c in CIRCLES else c}", str(n))
             for c, n in summary["circles"].items()]
    rows += [(f"八联 {LINKS[link].zh} {link}", str(n)) for link, n in summary["links"].items()]
    figures, values = zip(*rows, strict=True)
    text = text_table({"指标 figure": list(figures), "数值 value": list(values)}, max_text=60)
    table = {("圈层 group" if key == "group" else key): [row[key] for row in groups] for key in GROUP_COLUMNS}
    return text + "\n\nE-I 按圈层 by group (focal counted as internal)\n" + text_table(table)


def _show(value) -> str:
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.4f}"
    return str(value)


def _plain(value):
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    return value


def output_format(fmt: str | None, output: str | None, force: bool) -> str:
    """The format a table command writes: ``fmt``, else ``output``'s suffix, else a text table; a usage
    error for xlsx without a file, and an existing ``output`` refused without ``force``."""
    fmt = fmt or _format_from_suffix(output)
    if fmt == "xlsx" and not output:
        raise click.UsageError("xlsx 需要 -o 文件 / xlsx needs -o FILE")
    if output:
        check_output(output, force)
    return fmt


def _format_from_suffix(output: str | None) -> str:
    if not output:
        return "table"
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    return {"csv": "csv", "json": "json", "xlsx": "xlsx"}.get(suffix, "table")


def _write(columns: dict, fmt: str, output: str | None) -> None:
    """The rank table's columns (:func:`~cojian_graph.analysis.rank.rank_columns`) in format ``fmt``."""
    if fmt == "table":
        from ..analysis import MEASURES
        from ..textable import text_table

        shown = ["rank", "id", "name", "circle", *[c for c in columns if c in MEASURES]]
        _emit("\n\n".join(filter(None, [text_table({name: columns[name] for name in shown}),
                                        "\n".join(estimate_notes(columns))])), output)
        return
    from ..analysis.rank import rank_frame

    table = rank_frame(columns)
    if fmt == "json":
        _emit(table.to_json(orient="records", force_ascii=False, indent=2), output)
        return
    from ..export.tables import neutralised, write_csv, write_xlsx

    if fmt == "csv":
        if output:
            write_csv(table, output)
        else:
            click.echo(neutralised(table).to_csv(index=False), nl=False)
        return
    sheets = {"rank": table}
    if table.attrs["estimates"]:
        import pandas as pd

        sheets["estimates"] = pd.DataFrame(list(table.attrs["estimates"].values()))
    write_xlsx(sheets, output)


def _emit(text: str, output: str | None) -> None:
    """``text`` to the file ``output`` (UTF-8, with a final newline), or to the terminal."""
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        click.echo(text)
