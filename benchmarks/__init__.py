"""Benchmarks of cojian-graph against plain networkx, run with ``python -m benchmarks`` (``make bench``).

Each section is a module listed in ``benchmarks.__main__.SECTIONS`` with

- ``TITLE``: a one-line heading;
- ``run(ctx: Context) -> list[Result]``: times its work, ours and the plain networkx baseline on the
  same data in the same run, and returns one :class:`Result` per line of its table.

The helpers here (timing, cached synthetic ledgers, the table) are shared by all sections. Timings
are wall-clock seconds, best of ``repeat`` runs, on whatever else the machine is doing: compare
ours and the baseline within one run, not across machines.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_DIR",
    "Context",
    "Result",
    "best_of",
    "environment",
    "format_table",
    "ledger_size",
    "synthetic",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "bench-data"


@dataclass
class Context:
    """What every section is told: quick or full run, where cached data lives, how to report progress."""

    quick: bool = False
    fresh: bool = False  # regenerate cached data
    data_dir: Path = DATA_DIR
    log: Callable[[str], None] = field(default=lambda message: print(message, file=sys.stderr, flush=True))


@dataclass
class Result:
    """One line of a section's table.

    ``ours`` and ``baseline`` are seconds (None: not measured, say why in ``note``); ``ratio`` is how
    many times faster ours is (baseline / ours).
    """

    what: str
    size: str
    ours: float | None
    baseline: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline is None or self.ours <= 0:
            return None
        return self.baseline / self.ours


#: The clock every section times with: wall-clock (default) or this process's CPU time
#: (``--clock cpu``), steadier when other work shares the machine (the code timed is single-threaded).
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
clock: Callable[[], float] = time.perf_counter


def best_of(function: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The shortest time of ``repeat`` calls of ``function`` (by :data:`clock`), and its last value."""
    best, value = float("inf"), None
    for _ in range(max(repeat, 1)):
        value = None
        gc.collect()
        start = clock()
        value = function()
        best = min(best, clock() - start)
    return best, value


def synthetic(orgs: int, activities: int, seed: int, ctx: Context | None = None):
    """A synthetic ledger, cached in ``bench-data/`` (regenerated when ``synth.py`` or ``ledger.py`` changes).

    Returns ``(ledger, seconds it took to generate, None)``, or, when read from the cache,
    ``(ledger, seconds it took when generated, the clock that timed it: "wall" or "cpu")``.
    """
    from cojian_graph import ledger as ledger_module
    from cojian_graph import synth

    ctx = ctx or Context()
    sources = Path(synth.__file__).read_bytes() + Path(ledger_module.__file__).read_bytes()
    version = hashlib.sha256(sources).hexdigest()[:10]
    path = ctx.data_dir / f"synth-{orgs}-{activities}-{seed}-{version}.v3.pickle"
    if path.exists() and not ctx.fresh:
        with path.open("rb") as file:  # written by this function, never from elsewhere
            ledger, seconds, timed_by = pickle.load(file)
        return ledger, seconds, timed_by
    ctx.log(f"  generating a synthetic ledger: {orgs:,} organisations, {activities:,} activities …")
    seconds, ledger = best_of(lambda: synth.synthetic_ledger(orgs, activities, seed), repeat=1)
    ctx.data_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as file:
        pickle.dump((ledger, seconds, clock_name()), file, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    return ledger, seconds, None


def clock_name() -> str:
    """The name of the clock in use ("wall" or "cpu")."""
    return next(name for name, function in CLOCKS.items() if function is clock)


def participants(ledger) -> dict[str, list[str]]:
    """Activity id → its participants, with plain Python: what the networkx baselines start from."""
    import collections

    members = collections.defaultdict(list)
    for act, org in zip(ledger.column("participations", "activity_id").tolist(),
                        ledger.column("participations", "organization_id").tolist(), strict=True):
        members[act].append(org)
    return members


def ledger_size(ledger) -> str:
    return (f"{len(ledger.organizations):,} orgs, {len(ledger.activities):,} acts, "
            f"{len(ledger.participations):,} parts")


def format_table(title: str, results: list[Result], baseline: str = "networkx") -> str:
    """A Markdown table: what, size, ours (s), ``baseline`` (s), ratio, note."""
    lines = [f"### {title}", "", f"| what | size | ours (s) | {baseline} (s) | ratio | note |",
             "|---|---|---:|---:|---:|---|"]
    for result in results:
        ratio = result.ratio
        lines.append(
            f"| {result.what} | {result.size} | {_seconds(result.ours)} | {_seconds(result.baseline)} | "
            f"{_ratio(ratio)} | "
            f"{result.note} |")
    return "\n".join(lines)


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return ""
    if ratio >= 10:
        return f"{ratio:,.0f}×"
    return f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2g}×"


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def environment() -> list[str]:
    """Lines naming the machine and libraries: Python, numpy and its BLAS, cores, pandas, networkx."""
    import networkx
    import numpy
    import pandas

    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = cores
    lines = [
        f"- Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{cores} cores ({usable} usable), {_memory()}",
        f"- numpy {numpy.__version__} ({_blas()}), pandas {pandas.__version__}, "
        f"networkx {networkx.__version__}",
    ]
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    threads = {name: os.environ[name] for name in names if name in os.environ}
    if threads:
        lines.append(f"- thread settings: {threads}")
    with contextlib.suppress(OSError):
        lines.append(f"- load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return lines


def _blas() -> str:
    import numpy

    try:
        config = numpy.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"BLAS {blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # numpy < 1.25 or an unusual build
        return "BLAS unknown"


def _memory() -> str:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return f"{pages * size / 2**30:.0f} GiB memory"
    except (ValueError, OSError, AttributeError):
        return "memory unknown"
