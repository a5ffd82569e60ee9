"""Shared click options: the graph filters and the ledger argument, reused by every command that
builds a view of the network (``rank``, ``stats``, ``export``, ``app``).

:func:`filter_options` adds the filter options to a command and hands it one ``spec`` parameter,
a checked :class:`~cojian_graph.graph.GraphFilter`, instead of ten loose ones::

    @click.command()
    @ledger_argument
    @filter_options
    def rank(path, spec): ...

Values are validated here, so a bad ``--link`` or ``--circle`` is a usage error (exit 2) with the
valid choices, never a traceback. Nothing heavy is imported at module level: the CLI stays fast.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import time
from collections.abc import Callable, Iterable

import click

from ..model import TIE_WEIGHTS

__all__ = [
    "FILTER_PARAMS",
    "LedgerSource",
    "Progress",
    "check_output",
    "check_view",
    "fail",
    "filter_from_params",
    "filter_options",
    "ledger_argument",
    "ledger_source",
    "load_ledger",
    "reading_progress",
]

#: Names of the parameters :func:`filter_options` adds (and removes again before calling the command).
FILTER_PARAMS = ("link", "circle", "sector", "year_min", "year_max", "undated", "during", "min_weight", "tie_weight",
                 "focus", "hops")


def _split(values: Iterable[str]) -> tuple[str, ...]:
    """``("a,b", "c")`` → ``("a", "b", "c")``: options may be repeated or comma-separated."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in str(value).replace("，", ",").split(",") if part.strip())
    return tuple(out)


def _resolve_all(values, registry, zh: str, option: str) -> list[str]:
    """The ids in ``registry`` named by an option's values; ``click.BadParameter`` for an unknown one."""
    from ..model import resolve_label

    ids = []
    for text in _split(values or ()):
        item = resolve_label(registry, text)
        if item is None:
            raise click.BadParameter(
                f"未知的{zh} unknown {option} {text!r}; 可选 valid: {', '.join(registry)}",
                param_hint=f"--{option}")
        ids.append(item)
    return ids


def filter_from_params(params: dict):
    """A checked :class:`GraphFilter` from the values of the filter options (missing ones: defaults).

    Raises ``click.BadParameter`` naming the option and the valid values when one is unknown.
    """
    from ..errors import CojianError
    from ..graph.filters import GraphFilter
    from ..model import CIRCLES, SECTORS

    circles = _resolve_all(params.get("circle"), CIRCLES, "圈层", "circle")
    sectors = _resolve_all(params.get("sector"), SECTORS, "领域", "sector")
    spec = GraphFilter(
        links=_split(params.get("link") or ()),
        circles=tuple(circles),
        sectors=tuple(sectors),
        year_min=params.get("year_min"),
        year_max=params.get("year_max"),
        include_undated=params.get("undated", True),
        period=params.get("during") or None,
        min_weight=params.get("min_weight") or 1,
        tie_weight=params.get("tie_weight") or "count",
        focus=params.get("focus") or None,
        hops=params.get("hops") if params.get("hops") is not None else 1,
    )
    try:
        return spec.normalized()
    except CojianError as error:
        raise click.BadParameter(str(error)) from None


_OPTIONS = [
    click.option("--link", "-l", multiple=True, metavar="LINK",
                 help="只看这些八联类型 Keep these link types (id, 中文 or English; repeatable)."),
    click.option("--circle", multiple=True, metavar="CIRCLE",
                 help="只看这些圈层 Keep these circles: focal, internal, external."),
    click.option("--sector", multiple=True, metavar="SECTOR",
                 help="只看这些领域 Keep these sectors (company, group, local_government, …)."),
    click.option("--year-min", type=int, default=None, metavar="YEAR",
                 help="起始年份 Keep activities from this year on."),
    click.option("--year-max", type=int, default=None, metavar="YEAR",
                 help="结束年份 Keep activities up to this year."),
    click.option("--undated/--no-undated", default=True, show_default=True,
                 help="保留未注明日期的活动 Keep undated activities when a year bound is set."),
    click.option("--during", default=None, metavar="PERIOD",
                 help="时段 Keep the activities of one period: 2022, 2022-H1 (2022上半年) or 2022-Q3; undated "
                      "activities and those dated by the year alone cannot be placed in a half-year or quarter."),
    click.option("--min-weight", type=click.IntRange(min=1), default=1, show_default=True,
                 help="最少共同活动数 Keep ties with at least this many joint activities."),
    click.option("--tie-weight", type=click.Choice(list(TIE_WEIGHTS)), default="count", show_default=True,
                 help="关系权重 How joint activities weigh on a tie: count (1 each) or newman (1/(k-1) for an "
                      "activity of k participants, so mass meetings weigh less)."),
    click.option("--focus", default=None, metavar="ORG",
                 help="聚焦组织 Keep only the neighbourhood of this organisation (its id or name)."),
    click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
                 help="聚焦半径 Radius of the neighbourhood around --focus."),
]


def filter_options(command: Callable) -> Callable:
    """Add the graph-filter options to a click command; the command receives ``spec: GraphFilter``."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        params = {name: kwargs.pop(name) for name in FILTER_PARAMS if name in kwargs}
        kwargs["spec"] = filter_from_params(params)
        return command(*args, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


ledger_argument = click.argument("path", type=click.Path(exists=True, dir_okay=True, path_type=str))
"""The ``PATH`` argument of a ledger: a folder of CSV files, an ``.xlsx`` workbook or a ``.json`` file."""


@dataclasses.dataclass(frozen=True)
class LedgerSource:
    """Where a command's ledger comes from: a file (``path``) or a store (``url``, optionally ``as_of``)."""

    path: str | None = None
    url: str | None = None
    as_of: str | None = None

    def __str__(self) -> str:
        if self.path is not None:
            return self.path
        return f"{self.url}" + (f" @ {self.as_of}" if self.as_of else "")


def ledger_source(command: Callable) -> Callable:
    """A ledger from ``PATH`` (a folder, .xlsx or .json) or from a store (``--db URL``, or the
    ``COJIAN_DB`` environment variable when no PATH is given; ``--as-of REV|DATE`` for the ledger as
    it was); the command receives ``source: LedgerSource``."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        path, url, as_of = kwargs.pop("path"), kwargs.pop("db_url"), kwargs.pop("as_of")
        if path is not None and url is not None and not _from_environment(url):
            raise click.UsageError("请给出台账文件或 --db，不要同时给出 / give a ledger PATH or --db, not both")
        if path is None and url is None:
            raise click.UsageError("请给出台账文件 PATH 或 --db URL / give a ledger PATH or --db URL "
                                   "(or set COJIAN_DB)")
        kwargs["source"] = LedgerSource(path, None if path is not None else url, as_of)
        return command(*args, **kwargs)

    wrapper = click.option("--as-of", "as_of", default=None, metavar="REV|DATE",
                           help="截至 The network as of a date: on a file, the activities dated then or before; "
                                "with --db, the store as it was after a revision or at a date.")(wrapper)
    wrapper = click.option("--db", "db_url", envvar="COJIAN_DB", default=None, metavar="URL",
                           help="台账库 Read the ledger from a store (sqlite:///FILE or postgresql+psycopg://…) "
                                "instead of PATH; also COJIAN_DB.")(wrapper)
    return click.argument("path", required=False, type=click.Path(exists=True, dir_okay=True, path_type=str))(wrapper)


def _from_environment(url: str) -> bool:
    import os

    return os.environ.get("COJIAN_DB") == url


def fail(error) -> None:
    """Print ``error`` as every command prints errors ("错误 error: …") and exit 1."""
    click.echo(f"错误 error: {error}", err=True)
    sys.exit(1)


def check_output(path, force: bool) -> None:
    """Refuse to write ``path`` when a file is there already (unless ``force``) or when it is a link
    to nowhere (writing would create a file wherever the link points)."""
    import os

    path = os.fspath(path)
    if os.path.islink(path) and not os.path.exists(path):
        raise click.ClickException(f"{path} 是指向不存在位置的链接 is a symbolic link to a missing target "
                                   f"({os.readlink(path)}); 请换一个文件名 / choose another file name")
    if os.path.exists(path) and not force:
        raise click.ClickException(f"文件已存在 {path} already exists; 加 --force 覆盖 / use --force to overwrite")


def check_view(ledger, spec):
    """``spec`` with its focus resolved to an id (a name works too), after warning on stderr when
    the view keeps undated activities under a year bound or leaves no ties at all."""
    from dataclasses import replace

    from ..errors import CojianError
    from ..graph.filters import filter_ledger, find_organization

    try:
        if spec.focus is not None:
            spec = replace(spec, focus=find_organization(ledger, spec.focus))
    except CojianError as error:
        fail(error)
    if spec.is_default:
        return spec
    view = filter_ledger(ledger, spec)
    if spec.period is not None:
        from ..periods import parse_period, periods_of

        apart = int((periods_of(ledger.column("activities", "date"), parse_period(spec.period)[0]) < 0).sum())
        if apart:
            click.echo(f"注意 note: {apart} 项活动只注明年份或未注明日期，不能归入 {spec.period}，未计入 / {apart} "
                       f"activities dated by the year alone or undated cannot be placed in {spec.period} and are left "
                       "out", err=True)
    if (spec.year_min is not None or spec.year_max is not None) and spec.include_undated:
        undated = int((view.year_array() < 0).sum())
        if undated:
            click.echo(f"注意 note: 保留了 {undated} 项未注明日期的活动（--no-undated 可排除）/ {undated} undated "
                       "activities are kept (--no-undated leaves them out)", err=True)
    from ..graph.build import activity_sizes

    # a tie is two organisations in one activity: no pairs need to be made to know there are none
    if not (activity_sizes(view, view.column("activities", "id")) >= 2).any():
        click.echo("警告 warning: 这些筛选条件下没有任何合作关系，请放宽筛选 / no ties are left under these filters; "
                   "loosen them", err=True)
    return spec


def load_ledger(source: str | LedgerSource):
    """Read the ledger at ``source`` (a path, or a :class:`LedgerSource`: a file or a store); on a
    rejected ledger print the validation report to stderr and exit 1."""
    from ..errors import CojianError, LedgerError
    from ..io import read_ledger

    try:
        if isinstance(source, LedgerSource) and source.path is None:
            from ..store import Store

            with Store(source.url) as store:
                return store.ledger() if source.as_of is None else store.as_of(source.as_of)
        path = source.path if isinstance(source, LedgerSource) else source
        ledger = read_ledger(path, progress=reading_progress(path))
        if isinstance(source, LedgerSource) and source.as_of is not None:
            from ..analysis.timeline import until

            ledger, undated = until(ledger, source.as_of)
            if undated:
                click.echo(f"注意 note: {undated} 项未注明日期的活动不在“截至 {source.as_of}”的网络中 / "
                           f"{undated} undated activities are not in the network as of {source.as_of}", err=True)
        return ledger
    except LedgerError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except CojianError as error:
        click.echo(f"错误 error: {error}", err=True)
        sys.exit(1)


#: A ledger of at least this many bytes is announced before it is read (about a second's reading).
READ_NOTICE_BYTES = 16 * 2**20


def reading_progress(path):
    """Announce on stderr a large ledger (:data:`READ_NOTICE_BYTES` or more) before it is read, and
    return a ``progress`` for :func:`~cojian_graph.io.read_ledger` that names each step of reading it
    (each file, then the checks); None for a small ledger, which is read in silence."""
    from pathlib import Path

    where = Path(path)
    try:
        files = [child for child in where.iterdir() if child.is_file()] if where.is_dir() else [where]
        size = sum(file.stat().st_size for file in files)
    except OSError:
        return None  # the reader reports what is wrong with the path
    if size < READ_NOTICE_BYTES:
        return None
    click.echo(f"读取台账 reading the ledger ({size / 2**20:,.0f} MB) …", err=True)

    def step(done: int, total: int, label: str) -> None:
        if done < total:
            click.echo(f"  ({done + 1}/{total}) {label} …", err=True)

    return step


class Progress:
    """Progress on stderr, shown only once a run has taken more than ``after`` seconds."""

    def __init__(self, after: float = 1.0):
        self.start = time.perf_counter()
        self.after = after
        self.shown = False

    def __call__(self, done: int, total: int, label: str) -> None:
        if time.perf_counter() - self.start < self.after:
            return
        tty = sys.stderr.isatty()
        if done >= total:
            if self.shown and tty:
                click.echo(f"\r[{total}/{total}] 完成 done{' ' * 30}", err=True)
        elif tty:
            click.echo(f"\r[{done + 1}/{total}] {label} …{' ' * 20}", err=True, nl=False)
        else:
            click.echo(f"[{done + 1}/{total}] {label} …", err=True)
        self.shown = True
