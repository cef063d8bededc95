"""quoteledger search WORDS... [--speaker NAME] [--outlet NAME] [--since DATE] [--until DATE]: the
quotations whose words hold each argument as a phrase (case, accents and punctuation aside), oldest
first, through the ledger's full-text index (SQLite FTS5; a scan of the words where SQLite lacks it)."""
from __future__ import annotations

import sqlite3

from .. import ledger_tables
from ..ledger_queries import SearchQuery, check_date, matching_outlets, phrases_of, search
from ..terminal import Column, render, terminal_width
from .common import report
from .ledger_reading import (EXIT_STATUS, add_json_option, add_ledger_option, limit_of, name_to_match, non_negative,
                             open_ledger, print_json, reads_ledger)

COLUMNS = (Column("id"), Column("first seen"), Column("seen", right=True), Column("outlets", right=True),
           Column("speaker"), Column("quotation", flexible=True))


def add_parser(subparsers):
    p = subparsers.add_parser("search", help="find quotations by their words", epilog=EXIT_STATUS)
    p.add_argument("words", nargs="+", metavar="WORDS",
                   help='words to find; each argument is a phrase ("internal driving force"), all must match')
    p.add_argument("--speaker", type=name_to_match, metavar="NAME",
                   help="only quotations of this speaker (every word of NAME in the name)")
    p.add_argument("--outlet", type=name_to_match, metavar="NAME", help="only quotations this outlet carried")
    p.add_argument("--since", metavar="DATE", help="only quotations seen on or after DATE (YYYY-MM-DD, YYYY-MM, YYYY)")
    p.add_argument("--until", metavar="DATE", help="only quotations seen on or before DATE")
    p.add_argument("--limit", type=non_negative, metavar="N", help="at most N rows (0: all; default 50, all with --json)")
    add_json_option(p)
    add_ledger_option(p)
    return p


@reads_ledger
def run(args) -> int:
    try:
        query = SearchQuery(phrases_of(args.words), args.speaker, args.outlet,
                            check_date(args.since, "--since"), check_date(args.until, "--until"))
    except ValueError as exc:
        report(str(exc))
        return 2
    ledger = open_ledger(args)
    if ledger is None:
        return 2
    with ledger:
        if args.outlet and not matching_outlets(ledger.con, args.outlet):
            report(f"no outlet called {args.outlet!r} in {args.ledger} (quoteledger speakers lists who quotes whom)")
            return 1
        found, total = _search(ledger, query, limit_of(args))
    if args.json:
        print_json(found)
    elif found:
        rows = [(q["id"], q["first_seen"], q["sightings"], q["outlets"], q["speaker"], q["text"]) for q in found]
        print(render(COLUMNS, rows, terminal_width()))
    if total > len(found):
        report(f"{total} quotations match; the first {len(found)} shown (--limit 0 for all)")
    elif not found:
        report("no quotation matches")
    return 0 if found else 1


def _search(ledger, query, limit) -> tuple:
    """search(), through the full-text index where the ledger has one. The index is made from the
    quotations table alone: damaged, it costs the search its speed, never its answer (it made
    every search of a ledger whose records are sound 'cannot read the ledger', exit 2)."""
    if not ledger_tables.has_search_index(ledger.con):
        return search(ledger.con, query, limit, use_index=False)
    try:
        return search(ledger.con, query, limit, use_index=True)
    except sqlite3.DatabaseError as exc:
        report(f"warning: {ledger.path}: its search index is damaged ({exc}); searched the quotations without it")
        return search(ledger.con, query, limit, use_index=False)
