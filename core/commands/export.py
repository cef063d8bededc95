"""quoteledger export [--ledger FILE] [--format jsonl|json|csv] [-o FILE]: the ledger's entries
(ledger-entry.schema.json), each validated before it is written, in id order."""
from __future__ import annotations

import copy
import csv
import re

from ..ledger import Ledger, LedgerError
from ..schemas import errors_for
from ..validation.compiled import Unsupported, compile_schema
from ..validation.versions import SchemaStore, UnknownSchema
from .common import AtomicOutput, dumps, report
from .ledger_file import DEFAULT_LEDGER

# CSV is a flat view: one row per sighting, its entry's fields repeated on each row.
CSV_COLUMNS = ("entry_id", "text", "kind", "speaker", "speaker_kind", "contained_in", "sighting_id",
               "sighting_text", "sighting_kind", "sighting_speaker", "cue", "confidence", "secondary_source",
               "article_id", "outlet", "publisher", "headline", "published", "url", "document",
               "paragraph", "start", "end")


def add_parser(subparsers):
    p = subparsers.add_parser("export", help="write the ledger's entries, each with all its sightings",
                              epilog="Exit status: 0 all written, 1 some entries broke the schema or some rows of "
                                     "the ledger are damaged (each reported with its row, the rest written), "
                                     "2 usage error or an unusable ledger.")
    p.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER, help=f"the ledger (default ./{DEFAULT_LEDGER})")
    p.add_argument("--format", choices=("jsonl", "json", "csv"), default="jsonl",
                   help="jsonl (default) and json follow ledger-entry.schema.json; csv has a row per sighting, "
                        "each cell made safe for spreadsheets (see docs/reliability.md)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return p


# An entry's sightings hold these objects exactly as the rows Ledger.entries() read them, and it
# checked each of those rows moments before, in the same read transaction: a sighting's span,
# speaker, secondary source and source chain against the row's shape, its story copy against the
# article's (the same definitions in defs.schema.json that the entry schema refers to). The entry's
# check need not walk them again; everything else of it is checked as the schema says.
CHECKED_WITH_THEIR_ROWS = ("article", "span", "speaker", "secondary_source", "source_chain")


def entry_of_checked_rows(schema: dict) -> dict:
    """The ledger-entry schema less what the rows' checks have already held (see above)."""
    reduced = copy.deepcopy(schema)
    reduced["$id"] = schema["$id"].replace("ledger-entry", "ledger-entry-of-checked-rows")
    sighting = reduced["properties"]["sightings"]["items"]["properties"]
    for name in CHECKED_WITH_THEIR_ROWS:
        sighting[name] = {}
    return reduced


def entry_problems():
    """entry -> [(json path, message)], for an entry of Ledger.entries(). The compiled schema
    answers 'valid' in microseconds where jsonschema takes milliseconds an entry; jsonschema still
    says why an entry is not valid, against the whole schema."""
    try:
        schemas = dict(SchemaStore().get().schemas)
        schemas["checked-rows"] = entry_of_checked_rows(schemas["ledger-entry"])
        fast = compile_schema(schemas, "checked-rows", "ledger entry of checked rows")
    except (Unsupported, UnknownSchema):
        fast = None

    def problems(entry) -> list:
        if fast is not None and fast(entry):
            return []
        return errors_for(entry, "ledger-entry")
    return problems


def valid_entries(ledger: Ledger, problems: list):
    """The entries that pass the schema; each one that does not is reported by id and JSON path."""
    check = entry_problems()
    for entry in ledger.entries():
        errors = check(entry)
        if errors:
            path, message = errors[0]
            problems.append(f"{ledger.path}: entry {entry.get('id')} breaks the ledger-entry schema at "
                            f"{path}: {message}; not exported")
            continue
        yield entry


# CSV is for spreadsheets, which run a cell opening with one of these as a formula (OWASP, "CSV
# injection"); full-width forms too, as some spreadsheets read them alike. Such a cell gets a
# leading apostrophe, which spreadsheets show as text and do not display.
_FORMULA_OPENERS = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# A cell opening with one of these, or with white space (the last is U+3000), is looked at closely.
_NEEDS_A_LOOK = frozenset(_FORMULA_OPENERS) | {c for c in map(chr, range(0x3001)) if c.isspace()}
# Characters no cell should carry: controls (bar tab and line breaks, which quoting holds),
# and the bidi embedding, override and isolate controls, which make a cell display other than it
# reads (U+202E puts what follows right to left). Each becomes U+FFFD, so its place stays visible.
_UNSAFE_IN_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_cell(value):
    """A CSV cell's value made safe to open in a spreadsheet; the JSON formats keep the exact text."""
    if not isinstance(value, str):
        return value
    if not value.isprintable():        # (most cells are: no control or format character at all)
        value = _UNSAFE_IN_CELL.sub("\ufffd", value)
    if "\r" in value:
        # The csv module quotes a cell holding "\n" (the line end) but not a lone "\r", which
        # readers take for a line end too: a cell would split its row. One line break, one "\n".
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Some spreadsheets skip leading white space before reading a formula.
    if value.lstrip().startswith(_FORMULA_OPENERS):
        value = "'" + value
    return value


def csv_rows(entry: dict):
    """One row per sighting, its cells in CSV_COLUMNS' order, every cell safe for a spreadsheet."""
    for row in _plain_csv_rows(entry):
        # Only a cell opening with white space or an opener, or holding a control, can change.
        yield [spreadsheet_cell(value) if type(value) is str and value and
               (value[0] in _NEEDS_A_LOOK or not value.isprintable()) else value for value in row]


def _plain_csv_rows(entry: dict):
    """The cells of each sighting's row, in CSV_COLUMNS' order."""
    for sighting in entry["sightings"]:
        article, speaker = sighting["article"], sighting["speaker"]
        secondary = sighting["secondary_source"]
        yield (entry["id"], entry["text"], entry["kind"], entry["speaker"]["name"] or "", entry["speaker"]["kind"],
               " ".join(entry["contained_in"]), sighting["id"], sighting.get("text", ""), sighting.get("kind", ""),
               speaker["name"] or "", sighting["cue"] or "", sighting["confidence"],
               secondary["description"] if secondary else "", article["id"], article["publisher"]["outlet"] or "",
               article["publisher"]["organization"] or "", article["headline"] or "", article["published"] or "",
               article["url"] or "", article.get("document", ""), sighting["paragraph"],
               sighting["span"]["start"], sighting["span"]["end"])


def write(entries, out, fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")      # DictWriter's per-row key checks cost a tenth
        writer.writerow(CSV_COLUMNS)
        for entry in entries:
            writer.writerows(csv_rows(entry))
    elif fmt == "json":
        out.write("[")
        for n, entry in enumerate(entries):
            out.write((",\n" if n else "") + dumps(entry))
        out.write("]\n")
    else:
        for entry in entries:
            out.write(dumps(entry) + "\n")


def run(args) -> int:
    try:
        ledger = Ledger(args.ledger, readonly=True)
    except LedgerError as exc:
        report(str(exc))
        return 2
    problems: list = []
    with ledger:
        entries = valid_entries(ledger, problems)
        try:
            with AtomicOutput(args.output) as out:
                write(entries, out, args.format)
        except LedgerError as exc:
            report(f"{exc}; nothing written" if args.output else str(exc))
            return 1
        finally:
            # Ended while the ledger is open: a write that failed (a full disk, a closed pipe)
            # leaves the reading generator mid-way, and ending it later fails on a closed ledger.
            entries.close()
    # Damaged rows first: an entry left out because of one is explained before the others.
    problems[:0] = getattr(ledger, "damage", [])
    for problem in problems:
        report(problem)
    return 1 if problems else 0
