"""quoteledger show QUOTE_ID: one quotation and its journey, every sighting in date order (outlet,
date, where it was read, cue) with what changed in its words from one sighting to the next."""
from __future__ import annotations

from ..ledger_queries import NotFound, journey, resolve_id
from ..terminal import Column, cell, colour_wanted, printable, render, terminal_width
from .common import report
from .ledger_reading import EXIT_STATUS, add_json_option, add_ledger_option, open_ledger, print_json, reads_ledger

COLUMNS = (Column("#", right=True), Column("date"), Column("outlet"), Column("via"), Column("cue"),
           Column("where", flexible=True))


def add_parser(subparsers):
    p = subparsers.add_parser("show", help="one quotation and every sighting of it, in date order", epilog=EXIT_STATUS)
    p.add_argument("quote_id", metavar="QUOTE_ID", help="a quotation id (q_...), or its first 6 or more characters")
    add_json_option(p)
    add_ledger_option(p)
    return p


@reads_ledger
def run(args) -> int:
    ledger = open_ledger(args)
    if ledger is None:
        return 2
    with ledger:
        try:
            quotation = journey(ledger.con, resolve_id(ledger.con, args.quote_id))
        except NotFound as exc:
            report(str(exc))
            return 1
    if args.json:
        print_json(quotation)
    else:
        print(describe(quotation, terminal_width(), colour_wanted()))
    return 0


def describe(quotation: dict, width, colour: bool) -> str:
    speaker = printable(quotation["speaker"] or "speaker not known")
    about = printable(", ".join(v for v in (quotation["speaker_role"], quotation["speaker_organization"]) if v))
    sightings = quotation["journey"]
    lines = [f"{quotation['id']}  {speaker}" + (f" ({about})" if about else ""),
             f"  \u201c{cell(quotation['text'])}\u201d",
             f"  {quotation['kind']} quotation; {quotation['sightings']} sightings in {quotation['articles']} "
             f"{'article' if quotation['articles'] == 1 else 'articles'}, {quotation['outlets']} "
             f"{'outlet' if quotation['outlets'] == 1 else 'outlets'}; first seen {quotation['first_seen'] or 'undated'}",
             ""]
    rows = [(n, (s["published"] or "")[:10] or None, s["outlet"] or "(outlet not given)", s["via"], s["cue"],
             s["url"] or s["document"]) for n, s in enumerate(sightings, 1)]
    table = render(COLUMNS, rows, width).split("\n")
    lines.append(table[0])
    for n, (row, sighting) in enumerate(zip(table[1:], sightings), 1):
        lines.append(row)
        if sighting["changes"]:
            lines.append(f"     words changed from #{n - 1}: {format_changes(sighting['changes'], colour)}")
    return "\n".join(lines)


def format_changes(changes: list, colour: bool) -> str:
    """git's word-diff form, [-removed-]{+added+}, in red and green on a terminal; unchanged runs
    shortened to their ends."""
    red, green, off = ("\033[31m", "\033[32m", "\033[0m") if colour else ("", "", "")
    out = []
    for op, before, after in changes:
        before, after = printable(before), printable(after)
        if op == "same":
            words = before.split()
            out.append(before if len(words) <= 6 else " ".join(words[:3] + ["\u2026"] + words[-3:]))
            continue
        if before:
            out.append(f"{red}[-{before}-]{off}")
        if after:
            out.append(f"{green}{{+{after}+}}{off}")
    return " ".join(out)
