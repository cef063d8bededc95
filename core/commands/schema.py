"""quoteledger schema [NAME] [--version V]: print a record schema as this quoteledger knows it, for
the current version or an older one; --list names the known versions."""
from __future__ import annotations

import sys

from ..validation import SchemaStore, UnknownSchema
from ..validation.versions import SCHEMA_FILES
from .common import report


def add_parser(subparsers):
    p = subparsers.add_parser("schema", help="print a JSON Schema (any known version)")
    p.add_argument("name", nargs="?", default="quote", choices=tuple(SCHEMA_FILES),
                   help="quote (one sighting, as extract writes), ledger-entry (as export writes) or defs")
    p.add_argument("--version", metavar="V", help="schema version (default: the current one)")
    p.add_argument("--list", action="store_true", help="list the known schema versions, current last")
    return p


def run(args) -> int:
    store = SchemaStore()
    if args.list:
        for version in store.versions:
            print(version + ("  (current)" if version == store.current else ""))
        return 0
    try:
        text = store.text(args.name, args.version)
    except UnknownSchema as exc:
        report(f"schema: {exc}")
        return 2
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
