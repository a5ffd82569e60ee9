"""``python -m benchmarks [--quick] [--fresh] [--clock wall|cpu] [--only NAME …]``: run the benchmarks.

A section is a module of this package with ``TITLE`` and ``run(ctx) -> list[Result]`` (and an
optional ``NOTE``); add one by adding a line to ``SECTIONS``. A section whose module does not exist
yet is skipped; one that fails is reported and the others still run (the exit status is then 1).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import sys
import time
import traceback

import benchmarks

from . import CLOCKS, DATA_DIR, Context, environment, format_table

#: section name → module
SECTIONS: dict[str, str] = {
    "graph_build": "benchmarks.graph_build",
    "measures": "benchmarks.measures",
    "mass_meeting": "benchmarks.mass_meeting",
    "store": "benchmarks.store",
    "render": "benchmarks.render",
    "map": "benchmarks.map",
    "timeline": "benchmarks.timeline",
    "stats": "benchmarks.stats",
    "report": "benchmarks.report",
    "scale": "benchmarks.scale",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data: a check that everything runs")
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached data in bench-data/")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="time by wall clock (default) or by this process's CPU time "
                             "(steadier on a busy machine)")
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), metavar="NAME",
                        help=f"run only these sections ({', '.join(SECTIONS)})")
    args = parser.parse_args(argv)
    ctx = Context(quick=args.quick, fresh=args.fresh, data_dir=DATA_DIR)
    benchmarks.clock = CLOCKS[args.clock]

    print(f"# cojian-graph benchmarks ({'quick' if args.quick else 'full'} run, "
          f"{'wall-clock' if args.clock == 'wall' else 'CPU'} seconds)\n")
    print("\n".join(environment()))
    failed = False
    for name in args.only or SECTIONS:
        module_name = SECTIONS[name]
        if importlib.util.find_spec(module_name) is None:
            print(f"\n({name}: {module_name} not written yet, skipped)")
            continue
        print(file=sys.stderr, flush=True)
        ctx.log(f"[{name}] …")
        started = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
            results = module.run(ctx)
        except Exception:
            failed = True
            print(f"\n### {name}: FAILED\n\n```\n{traceback.format_exc()}```")
            continue
        print()
        print(format_table(getattr(module, "TITLE", name), results, getattr(module, "BASELINE_NAME", "networkx")))
        if getattr(module, "NOTE", ""):
            print(f"\n{module.NOTE}")
        print(f"\n({name} took {time.perf_counter() - started:.0f} s)")
        sys.stdout.flush()
    with contextlib.suppress(OSError):
        print(f"\n- load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
