"""``cojian validate`` (check a ledger and summarise it) and ``cojian template`` (the blank workbook)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import check_output, ledger_source, load_ledger, reading_progress

__all__ = ["format_problems", "format_summary", "template", "validate"]

_LANGS = click.Choice(["zh", "en", "both"])


@click.command()
@ledger_source
@click.option("--lang", type=_LANGS, default="both", show_default=True,
              help="输出语言 Language of the report: zh, en or both.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 Report as text or JSON.")
def validate(source, lang: str, output: str) -> None:
    """检查台账并汇总 Check the ledger at PATH and summarise it.

    PATH is a folder of three CSV files, an .xlsx workbook or a .json file (or give a store with
    --db). Exit status 0 when the ledger is valid, 1 when it has problems (every problem is listed
    with file, row, column and fix).
    """
    from ..errors import CojianError, LedgerError
    from ..io import read_ledger

    path = str(source)
    try:
        ledger = (read_ledger(source.path, progress=reading_progress(source.path)) if source.path is not None
                  else load_ledger(source))
    except LedgerError as error:
        if output == "json":
            frame = error.to_frame()
            frame["row"] = frame["row"].astype("Int64")
            records = json.loads(frame.to_json(orient="records", force_ascii=False))
            click.echo(json.dumps({"ok": False, "path": path, "problems": records},
                                  ensure_ascii=False, indent=1))
        else:
            click.echo(format_problems(error, lang))
        sys.exit(1)
    except CojianError as error:  # anything else the user can fix: never a traceback
        click.echo(f"错误 error: {error}", err=True)
        sys.exit(1)
    if output == "json":
        click.echo(json.dumps({"ok": True, "path": path, "summary": ledger.summary()},
                              ensure_ascii=False, indent=1))
    else:
        click.echo(format_summary(ledger, path, lang))


@click.command()
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("ledger-template.xlsx"), show_default=True,
              help="模板文件 Where to write the template (.xlsx).")
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing file.")
def template(output: Path, force: bool) -> None:
    """写出空白台账模板 Write the blank Excel ledger template.

    Three sheets with bilingual headers and drop-down lists, and a notes sheet explaining every
    column, the eight links, circles, kinds, sectors and roles. Fill it in, then run
    ``cojian validate FILE``.
    """
    from ..io import write_template

    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("模板须为 .xlsx 文件 the template must be an .xlsx file",
                                 param_hint="--output")
    check_output(output, force)
    try:
        write_template(output)
    except OSError as error:
        raise click.ClickException(f"无法写入 cannot write {output}: {error.strerror or error}") from None
    click.echo(f"已写出模板 template written: {output}")


def format_problems(error, lang: str = "both") -> str:
    """The validation report of a :class:`LedgerError`: a heading, then one line per problem."""
    count = len(error.problems)
    heading = {
        "zh": f"台账有 {count} 个问题，未加载：{error.source}",
        "en": f"The ledger has {count} problem(s) and was not loaded: {error.source}",
    }
    lines = [_pick(heading, lang)]
    for problem in error.problems:
        lines.append(f"  - {problem.describe(lang)}")
    return "\n".join(lines)


def format_summary(ledger, path: str, lang: str = "both") -> str:
    """A short summary of a valid ledger: organisations per circle, activities per link, years."""
    from ..model import CIRCLES, LINKS

    summary = ledger.summary()
    lines = [_pick({"zh": f"台账有效：{path}", "en": f"The ledger is valid: {path}"}, lang)]
    lines.append(_pick({"zh": f"组织 {summary['organizations']} 个",
                        "en": f"Organisations: {summary['organizations']}"}, lang))
    for circle_id, circle in CIRCLES.items():
        count = summary["circles"].get(circle_id, 0)
        lines.append(f"  {_label(circle.zh, circle.en, circle_id, lang)}: {count}")
    lines.append(_pick({"zh": f"活动 {summary['activities']} 项",
                        "en": f"Activities: {summary['activities']}"}, lang))
    for link_id, link in LINKS.items():
        lines.append(f"  {_label(link.zh, link.en, link_id, lang)}: {summary['links'][link_id]}")
    lines.append(_pick({"zh": f"参与 {summary['participations']} 条",
                        "en": f"Participations: {summary['participations']}"}, lang))
    years = summary["years"]
    span = f"{years[0]}–{years[1]}" if years else "—"
    lines.append(_pick({"zh": f"年份 {span}（未注明日期 {summary['undated']} 项）",
                        "en": f"Years: {span} ({summary['undated']} undated)"}, lang))
    return "\n".join(lines)


def _pick(texts: dict[str, str], lang: str) -> str:
    return texts[lang] if lang in texts else f"{texts['zh']} / {texts['en']}"


def _label(zh: str, en: str, item_id: str, lang: str) -> str:
    if lang == "zh":
        return f"{zh}（{item_id}）"
    if lang == "en":
        return f"{en} ({item_id})"
    return f"{zh} {en} ({item_id})"
