"""quoteledger validate FILE...: check quote exports (JSON lines, JSON, '-' for stdin) against the
schema of each record's own version and the checks beyond it; exit 0 valid, 1 invalid, 2 could not
run (a file that cannot be read, an unknown --version)."""
from __future__ import annotations

import argparse

from ..validation import REPORTERS, SchemaStore, UnknownSchema, Validator
from .common import report


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:          # argparse would name this function: "invalid _positive value"
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, 1 or more, not {text!r}")
    return value


def add_parser(subparsers):
    p = subparsers.add_parser("validate", help="check quote exports against the schemas",
                              description="Check quote exports (JSON lines, a JSON array, or pretty-printed "
                                          "objects; gzip too) against the schema of each record's "
                                          "schema_version and the checks beyond it.")
    p.add_argument("files", nargs="+", metavar="FILE", help="export files or folders; - for standard input")
    p.add_argument("--schema", choices=("auto", "quote", "ledger-entry"), default="auto",
                   help="record shape; auto tells a ledger entry (it has sightings) from a quote record")
    p.add_argument("--format", choices=tuple(REPORTERS), default="text",
                   help="text; json (one object per error); github (workflow annotations); junit (XML)")
    p.add_argument("--max-errors", type=_positive, metavar="N", help="stop after N errors")
    p.add_argument("--refs-from", action="append", default=[], metavar="PATH",
                   help="a file or folder holding the rest of the set (repeatable): contained_in may name "
                        "its ledger entries; read for their ids only, not validated")
    p.add_argument("--partial", action="store_true",
                   help="the files are some of a larger set (as a pre-commit hook sees them): a contained_in "
                        "naming no entry among them is not an error, unless --refs-from names the rest")
    p.add_argument("--slow", action="store_true", help=argparse.SUPPRESS)  # jsonschema only: for comparisons
    return p


def run(args) -> int:
    try:
        store = SchemaStore()
        store.get()
    except UnknownSchema as exc:
        report(f"validate: {exc}")
        return 2
    validator = Validator(args.schema, store, args.max_errors, fast=not args.slow,
                          refs_from=tuple(args.refs_from), partial=args.partial)
    reporter = REPORTERS[args.format]()
    try:
        summary = validator.run(args.files, reporter.problem)
    except UnknownSchema as exc:
        # An installed older version's schema files are broken: nothing can be trusted.
        report(f"validate: {exc}")
        return 2
    reporter.finish(summary)
    return summary.exit_status
