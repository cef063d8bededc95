"""quoteledger speakers [--outlet NAME]: who is quoted, most quoted first, with the role and
organisation the stories give most often; with --outlet, as that outlet quotes them."""
from __future__ import annotations

from ..ledger_queries import matching_outlets, speakers
from ..terminal import Column, render, terminal_width
from .common import report
from .ledger_reading import (EXIT_STATUS, add_json_option, add_ledger_option, limit_of, name_to_match, non_negative,
                             open_ledger, print_json, reads_ledger)

COLUMNS = (Column("speaker"), Column("role", flexible=True), Column("organization"),
           Column("quotations", right=True), Column("sightings", right=True), Column("outlets", right=True),
           Column("first seen"), Column("last seen"))


def add_parser(subparsers):
    p = subparsers.add_parser("speakers", help="who is quoted, most quoted first", epilog=EXIT_STATUS)
    p.add_argument("--outlet", type=name_to_match, metavar="NAME",
                   help="count only what this outlet carried (every word of NAME in its name)")
    p.add_argument("--limit", type=non_negative, metavar="N", help="at most N rows (0: all; default 50, all with --json)")
    add_json_option(p)
    add_ledger_option(p)
    return p


@reads_ledger
def run(args) -> int:
    ledger = open_ledger(args)
    if ledger is None:
        return 2
    with ledger:
        if args.outlet and not matching_outlets(ledger.con, args.outlet):
            known = [name for name, in ledger.con.execute("SELECT name FROM outlets ORDER BY quotations DESC, name LIMIT 12")]
            report(f"no outlet called {args.outlet!r} in {args.ledger}; outlets: {', '.join(known)}")
            return 1
        everyone = speakers(ledger.con, args.outlet)
    shown = everyone[:limit_of(args)] if limit_of(args) is not None else everyone
    if args.json:
        print_json(shown)
    elif shown:
        rows = [(s["name"], s["role"], s["organization"], s["quotations"], s["sightings"], s["outlets"],
                 s["first_seen"], s["last_seen"]) for s in shown]
        print(render(COLUMNS, rows, terminal_width()))
    if len(everyone) > len(shown):
        report(f"{len(everyone)} speakers; the first {len(shown)} shown (--limit 0 for all)")
    elif not shown:
        report("no named speaker" + (f" in what {args.outlet} carried" if args.outlet else ""))
    return 0 if shown else 1
