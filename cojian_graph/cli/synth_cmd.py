"""``cojian synth``: write a synthetic ledger (for trying the tools and for benchmarks)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

__all__ = ["synth"]

#: Output formats: name → file name inside the output folder (None: the folder itself, CSV files).
FORMATS: dict[str, str | None] = {"csv": None, "xlsx": "ledger.xlsx", "json": "ledger.json"}

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet in Excel, the header included
LARGE = 30_000  # activities from which progress is shown on stderr


@click.command()
@click.option("--orgs", "-n", type=int, required=True,
              help="组织数（≥2）Number of organisations (at least 2).")
@click.option("--activities", "-m", type=int, required=True,
              help="活动数（≥1）Number of activities (at least 1).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="随机种子 Random seed: the same seed writes the same ledger.")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), required=True,
              help="输出文件夹 Output folder.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv", show_default=True,
              help="格式 csv: three CSV files in the folder; xlsx: ledger.xlsx; json: ledger.json.")
@click.option("--years", nargs=2, type=int, default=(2020, 2025), show_default=True,
              metavar="FIRST LAST", help="年份范围 First and last year of the activities.")
@click.option("--mass-meeting", type=click.IntRange(min=0), default=0, show_default=True, metavar="K",
              help="大会 Add one mass meeting of the first K organisations (0: none).")
@click.option("--timeline", is_flag=True,
              help="时间结构 Grow the ecosystem over the years: internal partners from the first year, external "
                   "ones joining year by year, some fading, a mass event a year; the planted facts (who joined "
                   "and faded when) go to planted.json beside the ledger.")
@click.option("--force", "-f", is_flag=True,
              help="覆盖 Write into a non-empty folder, replacing the ledger files.")
def synth(orgs: int, activities: int, seed: int, output: Path, fmt: str, years: tuple[int, int], mass_meeting: int,
          timeline: bool, force: bool):
    """生成合成台账 Write a synthetic co-construction ledger.

    One focal organisation, internal and external partners (about 40/60), all eight links,
    two to six participants per activity, heavy-tailed partner activity, 2020–2025.

    \b
    Example:
      cojian synth --orgs 1000 --activities 3000 --seed 7 -o bench-data/synth
    """
    from ..errors import CojianError

    if orgs < 2:
        raise click.BadParameter(f"组织数至少为 2 / must be at least 2, got {orgs}", param_hint="--orgs")
    if activities < 1:
        raise click.BadParameter(f"活动数至少为 1 / must be at least 1, got {activities}",
                                 param_hint="--activities")
    if years[0] > years[1]:
        raise click.BadParameter(f"起始年份晚于结束年份 / {years[0]} is after {years[1]}",
                                 param_hint="--years")
    if output.exists() and not output.is_dir():
        raise click.BadParameter(f"{output} 已存在且不是文件夹 / exists and is not a folder",
                                 param_hint="--output")
    if output.is_dir() and any(output.iterdir()) and not force:
        raise click.BadParameter(
            f"文件夹 {output} 不是空的；用 --force 覆盖 / "
            f"folder {output} is not empty; use --force to write into it",
            param_hint="--output")
    from ..synth import synthetic_ledger, synthetic_timeline

    show = activities >= LARGE
    started = time.perf_counter()
    if show:
        _progress(f"生成中 generating {orgs:,} organisations, {activities:,} activities …")
    facts = None
    try:
        if timeline:
            if mass_meeting:
                raise click.UsageError("--timeline 已含每年的大会，不与 --mass-meeting 同用 / --timeline holds a mass "
                                       "event a year: leave out --mass-meeting")
            ledger, facts = synthetic_timeline(orgs, activities, seed, years=years)
        else:
            ledger = synthetic_ledger(orgs, activities, seed, years=years, mass_meeting=mass_meeting)
    except CojianError as error:
        raise click.ClickException(str(error)) from None
    if show:
        _progress(f"已生成 generated {len(ledger.participations):,} participations "
                  f"in {time.perf_counter() - started:.1f} s; 写入中 writing {fmt} …")
    if fmt == "xlsx" and len(ledger.participations) >= EXCEL_MAX_ROWS:
        raise click.BadParameter(
            f"Excel 工作表最多 {EXCEL_MAX_ROWS - 1:,} 行，"
            f"此台账有 {len(ledger.participations):,} 条参与记录；"
            f"请减少活动数或用 csv、json / an Excel sheet holds {EXCEL_MAX_ROWS - 1:,} rows, this ledger has "
            f"{len(ledger.participations):,} participations: use fewer activities or --format csv or json",
            param_hint="--format")
    target = output / FORMATS[fmt] if FORMATS[fmt] else output
    written = time.perf_counter()
    try:
        output.mkdir(parents=True, exist_ok=True)
        _write(ledger, target, fmt)
        if facts is not None:
            import json

            (output / "planted.json").write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
    except CojianError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"无法写入 cannot write {target}: {error}") from None
    if show:
        _progress(f"已写入 written in {time.perf_counter() - written:.1f} s")
    click.echo(_summary(ledger, target, seed))


def _write(ledger, target: Path, fmt: str) -> None:
    from ..io import write_ledger

    write_ledger(ledger, target, format="excel" if fmt == "xlsx" else fmt)


def _progress(message: str) -> None:
    click.echo(message, err=True)
    sys.stderr.flush()


def _summary(ledger, target: Path, seed: int) -> str:
    from ..model import CIRCLES, LINKS

    info = ledger.summary()
    circles = ", ".join(f"{CIRCLES[c].zh.split('（')[0]} {c} {info['circles'].get(c, 0):,}" for c in CIRCLES)
    links = ", ".join(f"{LINKS[link].zh} {count:,}" for link, count in info["links"].items())
    first, last = info["years"] or ("-", "-")
    return "\n".join([
        f"合成台账 synthetic ledger (seed {seed}) → {target}",
        f"  组织 organisations: {info['organizations']:,} ({circles})",
        f"  活动 activities: {info['activities']:,} ({links})",
        f"  参与 participations: {info['participations']:,}",
        f"  年份 years: {first}–{last}, 未注明日期 undated: {info['undated']:,}",
    ])
