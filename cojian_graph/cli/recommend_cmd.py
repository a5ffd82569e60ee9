"""``cojian recommend``: ties to deepen and organisations to approach, with the reasons; ``--evaluate``
measures how well the scores predicted a dated ledger's last period.

Thin: parse options, call :mod:`cojian_graph.analysis.recommend`, print or write the tables.
"""

from __future__ import annotations

import click

from .options import check_view, fail, filter_options, ledger_source, load_ledger
from .rank_cmd import _emit, output_format

__all__ = ["recommend"]

FORMATS = ("table", "csv", "json", "xlsx")


@click.command()
@ledger_source
@click.option("--org", default=None, metavar="ORG",
              help="为哪个组织推荐 The organisation to advise (id or name; default: the focal one).")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="每类显示 N 条 Rows per list (the evaluation measured the first 5 and 10).")
@click.option("--evaluate", "evaluation", is_flag=True,
              help="检验 Hold back the last period and measure precision@k and AUC of each score and baseline.")
@click.option("--period", "-p", type=click.Choice(["year", "half", "quarter"]), default="year", show_default=True,
              help="时段 The period held back by --evaluate.")
@click.option("--seed", type=int, default=0, show_default=True, help="--evaluate 的随机种子 Seed of --evaluate.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="输出格式 Output format (default: table, or from the -o suffix).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="输出文件 Write to this file.")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing --output file.")
@filter_options
def recommend(source, org, top, evaluation, period, seed, fmt, output, force, spec):
    """建议 Where to build next: existing ties to deepen (frequent but through one link type, or
    faded) and organisations to approach (ranked by the weighted resource allocation index: the
    partners they share with us, mass meetings counting little), each with its reason.

    \b
    Examples:
      cojian recommend data
      cojian recommend ledger.xlsx --org 地方小学 --top 5
      cojian recommend grown --evaluate          # how well it would have predicted the last year
    """
    from ..analysis.recommend import approach, deepen, evaluate
    from ..errors import CojianError
    from ..graph.filters import filter_ledger, find_organization

    fmt = output_format(fmt, output, force)
    ledger = load_ledger(source)
    spec = check_view(ledger, spec)
    try:
        if evaluation:
            tables = {"evaluation": evaluate(filter_ledger(ledger, spec), period=period, seed=seed)}
        else:
            who = find_organization(ledger, org) if org else None
            tables = {"deepen": deepen(ledger, who, top=top, spec=spec),
                      "approach": approach(ledger, who, top=top, spec=spec)}
    except CojianError as error:
        fail(error)
    _write(tables, fmt, output)


def _write(tables: dict, fmt: str, output: str | None) -> None:
    titles = {"deepen": "深化 Deepen: existing ties", "approach": "拓展 Approach: not yet tied",
              "evaluation": "检验 Evaluation: the last period held back"}
    if fmt == "table":
        from ..textable import text_table

        parts = []
        for name, frame in tables.items():
            body = text_table(frame) if len(frame) else "（无 none）"
            parts.append(f"{titles[name]}\n{body}")
        _emit("\n\n".join(parts), output)
        return
    if fmt == "json":
        import json

        payload = {name: json.loads(frame.to_json(orient="records", force_ascii=False))
                   for name, frame in tables.items()}
        _emit(json.dumps(payload, ensure_ascii=False, indent=2), output)
        return
    from ..export.tables import neutralised, write_csv, write_xlsx

    if fmt == "csv":
        import pandas as pd

        frame = pd.concat([frame.assign(list=name) for name, frame in tables.items()], ignore_index=True)
        if output:
            write_csv(frame, output)
        else:
            click.echo(neutralised(frame).to_csv(index=False), nl=False)
        return
    write_xlsx(tables, output)
