"""quoteledger demo: the first run, needing nothing beside the package. Ingests the example pages
the built-in plugins ship (fictional pages modelled on each outlet's markup) and the demo pages
(one quotation carried by three outlets, its words changing on the way), writes the report, and
says where the ledger and the report are and what to try next."""
from __future__ import annotations

import os
import re
from importlib import resources

from ..ledger_queries import open_for_reading, totals
from ..parallel import job_count
from .common import report
from .report import human_size, write_report

DEFAULT_LEDGER = "quoteledger-demo.db"
DEFAULT_REPORT = "quoteledger-demo.html"


def add_parser(subparsers):
    p = subparsers.add_parser("demo", help="ingest the built-in example pages and write their report",
                              epilog="Exit status: 0 done, 1 some example page failed (reported), "
                                     "2 the ledger or report cannot be written.")
    p.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER,
                   help=f"the ledger to ingest into (default ./{DEFAULT_LEDGER}, apart from your own ./quoteledger.db)")
    p.add_argument("-o", "--output", metavar="FILE", default=DEFAULT_REPORT, help=f"the report (default ./{DEFAULT_REPORT})")
    p.add_argument("--jobs", type=job_count, default=1, help="processes extracting pages (default 1)")
    return p


def example_pages() -> list:
    """The built-in plugins' example pages, then the demo pages, as paths."""
    from ..plugins import PluginHost               # imported here: every command's start-up pays for
    from ..testing.examples import find_examples   # what the command modules import at the top

    host = PluginHost()
    pages = [str(example.input) for name in sorted(host.plugins) if host.plugins[name].builtin
             for example in find_examples(host, name)]
    demo = resources.files("quoteledger.demo")
    return pages + sorted(str(demo.joinpath(n.name)) for n in demo.iterdir() if n.name.endswith(".html"))


def run(args) -> int:
    from ..cli import build_parser            # the real ingest command, with its summary and exit status

    if os.path.realpath(args.output) in {os.path.realpath(args.ledger + end) for end in ("", "-wal", "-shm", "-journal")}:
        # Refused before the ingest: it was refused only after the ledger had been written.
        report(f"{args.output}: is the ledger (or its journal) this demo ingests into; name another file for the report")
        return 2
    pages = example_pages()
    ingest = build_parser().parse_args(["ingest", "--ledger", args.ledger, "--jobs", str(args.jobs), *pages])
    status = ingest.run(ingest)
    if status == 2:
        return 2
    try:
        ledger = open_for_reading(args.ledger)
    except Exception as exc:  # noqa: BLE001 - reported, whatever it is
        report(f"{args.ledger}: cannot read it back: {exc}")
        return 2
    with ledger:
        try:
            size = write_report(ledger, args.output)
        except OSError as exc:
            report(f"{args.output}: report not written: {exc}")
            return 2
        counts = totals(ledger.con)
        travelled = ledger.con.execute("SELECT id, text FROM quotations WHERE kind != 'scare' "
                                       "ORDER BY outlets DESC, sightings DESC, id LIMIT 1").fetchone()
    words = max(re.findall(r"\w+", travelled[1]), key=len) if travelled else "said"
    flag = "" if args.ledger == "quoteledger.db" else f" --ledger {args.ledger}"
    print(f"Read {len(pages)} example pages into the ledger.\n\n"
          f"  ledger  {os.path.abspath(args.ledger)}  ({counts['quotations']} quotations, {counts['sightings']} "
          f"sightings, {counts['outlets']} outlets)\n"
          f"  report  {os.path.abspath(args.output)}  ({human_size(size)}; open it in a browser)\n\n"
          f"Try:\n"
          f"  quoteledger search{flag} \"{words}\"\n"
          + (f"  quoteledger show{flag} {travelled[0]}\n" if travelled else "")
          + f"  quoteledger speakers{flag}\n"
          f"  sqlite3 {args.ledger} 'SELECT speaker, COUNT(*) FROM quotations GROUP BY speaker ORDER BY 2 DESC'")
    return status
