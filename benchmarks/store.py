"""The ledger store on SQLite: importing a synthetic ledger, reading it back, committing one recorded
activity, and the ledger as of an old revision, against reading the same ledger from CSV files in the
same run (the issue's yardstick: reading back takes at most 1.5 times the CSV reader).

Run alone: ``python -m benchmarks --only store`` (``--quick``: about 10^5 participations; the full run
has about 10^6).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from . import Context, Result, best_of, ledger_size, synthetic

TITLE = "The ledger store (SQLite): import, read back, one recorded activity, as of an old revision"
NOTE = ("The baseline column here is the CSV reader on the same ledger (`read_ledger` on a folder), not networkx; "
        "ratio = CSV time / store time.")

FULL = (50_000, 345_000, 1)
QUICK = (5_000, 35_000, 1)


def run(ctx: Context) -> list[Result]:
    from cojian_graph.io import read_ledger, write_ledger
    from cojian_graph.store import Edit, Store

    orgs, activities, seed = QUICK if ctx.quick else FULL
    ledger, _, _ = synthetic(orgs, activities, seed, ctx)
    size = ledger_size(ledger)
    results = []
    with tempfile.TemporaryDirectory(prefix="cojian-store-bench-") as tmp:
        folder = Path(tmp) / "csv"
        write_ledger(ledger, folder)
        ctx.log("  reading the CSV folder …")
        csv_seconds, _ = best_of(lambda: read_ledger(folder), repeat=3)
        url = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        with Store(url, create=True) as store:
            ctx.log("  importing into the store …")
            imported, plan = best_of(lambda: store.import_ledger(ledger, user="bench"), repeat=1)
            results.append(Result("import (one revision)", size, imported, None, f"revision {plan.revision}"))
            ctx.log("  reading it back …")
            read, back = best_of(store.ledger, repeat=3)
            assert back.content_hash() == ledger.content_hash()
            results.append(Result("read back the whole ledger", size, read, csv_seconds,
                                  "the issue asks for at most 1.5× the CSV reader"))
            org = ledger.column("organizations", "id")
            edits = [Edit("activities", ("BENCH",), {"title": "联合党课", "link_type": "learning", "date": "2025"}, 0),
                     *(Edit("participations", ("BENCH", str(org[i])), {"role": "partner"}, 0) for i in range(5))]
            ctx.log("  one recorded activity with 5 participants …")
            committed, _ = best_of(lambda: store.apply(edits, user="bench"), repeat=1)
            results.append(Result("commit one activity, 5 participants", size, committed, None,
                                  "validates the whole ledger per change: the issue's target is well under 0.1 s"))
            ctx.log("  as of revision 1 …")
            old, then = best_of(lambda: store.as_of(1), repeat=1)
            assert then.content_hash() == ledger.content_hash()
            results.append(Result("as of an old revision (replay)", size, old, csv_seconds))
    return results
