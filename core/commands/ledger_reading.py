"""What the reading commands (search, speakers, show, report) share: the ledger option, opening the
ledger with its plain tables up to date, and writing JSON for scripts."""
from __future__ import annotations

import functools
import json
import sqlite3
import sys

from ..ledger import LedgerError
from ..ledger_queries import open_for_reading
from .common import report
from .ledger_file import DEFAULT_LEDGER

EXIT_STATUS = ("Exit status: 0 found, 1 nothing matches (or no such quotation), 2 usage error or a ledger "
               "that cannot be read (missing, damaged or empty).")


def add_ledger_option(parser) -> None:
    parser.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER, help=f"the ledger (default ./{DEFAULT_LEDGER})")


def add_json_option(parser) -> None:
    parser.add_argument("--json", action="store_true", help="JSON on stdout for scripts instead of a table")


def open_ledger(args):
    """The open ledger, or None after reporting why it cannot be read."""
    try:
        return open_for_reading(args.ledger)
    except LedgerError as exc:
        report(str(exc))
        return None


# The arguments a reading command looks up in the ledger (words, names, an id): text matched
# against the ledger's, never a file name.
QUERY_ARGUMENTS = ("words", "speaker", "outlet", "quote_id")


def _as_text(value):
    """An argument as valid text: bytes of the command line that are not UTF-8 (which Python
    keeps as lone surrogates, and SQLite cannot take) become U+FFFD, as a page's do."""
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


def reads_ledger(run):
    """A reading command's run, its ledger's faults made a clear error (exit 2): a ledger whose
    tables are missing or damaged (dropped by hand, written by another tool) fails the query
    that meets it, never with a traceback."""
    @functools.wraps(run)
    def guarded(args) -> int:
        for name in QUERY_ARGUMENTS:
            if hasattr(args, name):
                setattr(args, name, _as_text(getattr(args, name)))
        try:
            return run(args)
        except sqlite3.DatabaseError as exc:
            report(f"{args.ledger}: cannot read the ledger: {exc}")
            return 2
    return guarded


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def limit_of(args):
    """--limit: 0 for all; by default 50 rows in a table and all of them as JSON."""
    if args.limit is None:
        return None if args.json else 50
    return None if args.limit == 0 else args.limit


def name_to_match(text: str) -> str:
    """--speaker and --outlet: a name with at least one word. Punctuation alone normalises to no
    words, and "every word of NAME" would then match every name: the opposite of what was asked."""
    import argparse

    from ..ids import normalise_words

    if not normalise_words(text):
        raise argparse.ArgumentTypeError(f"{text!r} holds no word to match (letters or digits)")
    return text


def non_negative(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 (all) or more, not {text!r}")
    return value
