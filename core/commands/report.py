"""quoteledger report [-o FILE]: the ledger as one self-contained HTML page to open in a browser,
offline (see quoteledger.report)."""
from __future__ import annotations

import os

from .. import report as html_report
from ..ledger import LedgerError
from .common import AtomicOutput, report
from .ledger_reading import add_ledger_option, open_ledger, reads_ledger

DEFAULT_REPORT = "report.html"


def add_parser(subparsers):
    p = subparsers.add_parser("report", help="write the ledger as one HTML page to open in a browser",
                              epilog="Exit status: 0 written, 1 it could not be written (nothing is left "
                                     "half-written), 2 usage error or a ledger that cannot be read (missing, "
                                     "damaged or empty).")
    p.add_argument("-o", "--output", metavar="FILE", default=DEFAULT_REPORT,
                   help=f"the page to write (default ./{DEFAULT_REPORT}; - for stdout)")
    add_ledger_option(p)
    return p


def write_report(ledger, output: str) -> int:
    """Writes the page; returns its size in bytes. Raises OSError, sqlite3.Error."""
    with AtomicOutput(output) as out:
        return html_report.write(ledger.con, out, os.path.basename(ledger.path))


def human_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} kB"


@reads_ledger
def run(args) -> int:
    ledger = open_ledger(args)
    if ledger is None:
        return 2
    with ledger:
        try:
            size = write_report(ledger, args.output)
            quotations = ledger.con.execute("SELECT COUNT(*) FROM quotations").fetchone()[0]
        except (OSError, LedgerError) as exc:
            report(f"{args.output}: report not written: {exc}")
            return 1
    if args.output != "-":
        report(f"wrote {args.output}: {quotations} quotations, {human_size(size)}; open it in a browser "
               f"(file://{os.path.abspath(args.output)})")
    return 0
