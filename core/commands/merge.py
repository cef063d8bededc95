"""quoteledger merge LEDGER... [--ledger FILE]: merges other ledgers into one, by the same rule as
ingest (a union of sightings keyed by id), one transaction per ledger merged in. Merging is
associative, commutative and idempotent: partial ledgers built anywhere combine in any order."""
from __future__ import annotations

import os
import sqlite3

from ..ledger import DEFAULT_BUSY_TIMEOUT, Ledger, LedgerError, MergeCounts
from .common import report, seconds
from .ledger_file import DEFAULT_LEDGER, refresh_plain_tables


def add_parser(subparsers):
    p = subparsers.add_parser("merge", help="merge other ledgers into a ledger",
                              epilog="Exit status: 0 all merged, 1 some ledgers could not be read or held damaged rows "
                                     "(each reported with its row, never merged; the rest merged), 2 usage error or "
                                     "an unusable target ledger.")
    p.add_argument("sources", nargs="+", metavar="LEDGER", help="ledgers to merge in (read only, never changed)")
    p.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER,
                   help=f"the ledger merged into, created if absent (default ./{DEFAULT_LEDGER})")
    p.add_argument("--busy-timeout", type=seconds(), default=DEFAULT_BUSY_TIMEOUT, metavar="SECONDS",
                   help="how long to wait for another process writing the same ledger")
    return p


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def run(args) -> int:
    try:
        target = Ledger(args.ledger, busy_timeout=args.busy_timeout)
    except LedgerError as exc:
        report(str(exc))
        return 2
    failed = 0
    counts = MergeCounts()
    with target:
        for source in args.sources:
            if _same_file(source, args.ledger):
                continue                  # merging a ledger into itself changes nothing
            try:
                with Ledger(source, readonly=True) as other:
                    merged = target.absorb(other)
                counts.add(merged)
                for problem in merged.damaged + merged.repaired:
                    report(problem)
            except LedgerError as exc:
                failed += 1
                report(f"{exc}; not merged")
            except sqlite3.DatabaseError as exc:
                failed += 1
                report(f"{source}: not merged, the ledger could not be read to the end ({exc}); "
                       f"{args.ledger} is as it was before it")
        if not refresh_plain_tables(target):
            failed += 1
    report(f"{args.ledger}: merged {len(args.sources) - failed} of {len(args.sources)} ledgers: "
           f"{counts.new_articles} new articles ({counts.new_copies} new copies); quotations: {counts.new} new, "
           f"{counts.merged} merged into existing entries, {counts.known} already in the ledger"
           + (f"; {len(counts.damaged)} damaged rows not merged" if counts.damaged else ""))
    return 1 if failed or counts.damaged else 0
