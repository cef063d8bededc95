"""quoteledger ingest PATH... [--ledger FILE]: extract each document and merge it into the ledger,
one transaction per document, then a summary on stderr."""
from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Optional

from ..archives import add_input_options, input_items, skipped_summary
from ..archives.crawldump import FieldError, field_names
from ..ledger import DEFAULT_BUSY_TIMEOUT, Ledger, LedgerError, MergeCounts, split_records
from ..parallel import add_scale_options, extract_results
from ..pipeline import DEFAULT_TIMEOUT
from ..progress import Progress
from ..reading import DEFAULT_MAX_BYTES, own_files
from .common import Unread, byte_count, no_documents, report, seconds, unusable_plugins_said
from .ledger_file import DEFAULT_LEDGER, refresh_plain_tables  # noqa: F401 - DEFAULT_LEDGER is also read from here


def add_parser(subparsers):
    p = subparsers.add_parser(
        "ingest", help="extract quotations from pages and merge them into a ledger",
        epilog="Exit status: 0 all merged, 1 some documents failed (each reported, the rest merged), "
               "2 usage error or a ledger that cannot be used (nothing written).")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="pages, WARC files or crawl dumps (JSON lines), or folders of them (walked "
                        "recursively); - for stdin")
    p.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER, help=f"the ledger (default ./{DEFAULT_LEDGER})")
    p.add_argument("--max-bytes", type=byte_count, default=DEFAULT_MAX_BYTES,
                   help="largest document read, in bytes (default 20 MB); a larger one is an error")
    p.add_argument("--busy-timeout", type=seconds(), default=DEFAULT_BUSY_TIMEOUT, metavar="SECONDS",
                   help="how long to wait for another process writing the same ledger")
    p.add_argument("--timeout", type=seconds("no limit"), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for reading and extracting one document (default {DEFAULT_TIMEOUT:g}; "
                        "0 for none); a document past it is reported, not merged, and the run goes on")
    add_scale_options(p)
    add_input_options(p)
    return p


def summary(ledger: str, documents: int, failed: int, stories: int, counts: MergeCounts,
            errors: Optional[int] = None) -> str:
    """errors: the error messages reported (a failed document may have several); by default one a failure."""
    errors = failed if errors is None else errors
    return (f"{ledger}: {documents} documents ({failed} failed), {stories} stories read, "
            f"{counts.new_articles} new articles ({counts.new_copies} new copies); quotations: "
            f"{counts.new} new, {counts.merged} merged into existing entries, {counts.known} already in the ledger; "
            f"{errors} errors")


def split_for_ledger(result) -> None:
    """extract_results' encode step: a merged document's records split into the ledger's rows
    (canonical JSON) on the worker that read it; the one it cannot split carries the reason."""
    if not result.failed:
        try:
            result.encoded = split_records(result.records, result.record_texts())
        except LedgerError as exc:
            result.encoded = exc
    result.records, result.texts = [], []


def _ledger_rows(result) -> list:
    """The document's rows for Ledger.add_split; raises LedgerError."""
    if isinstance(result.encoded, LedgerError):
        raise result.encoded
    return result.encoded if result.encoded is not None else split_records(result.records, result.record_texts())


def run(args) -> int:
    try:
        args.fields = field_names(args.field)
    except FieldError as exc:
        report(str(exc))
        return 2
    if args.engine == "dask":
        from ..distributed import run_ingest    # Dask is an optional extra: imported only when asked for
        return run_ingest(args)
    try:
        ledger = Ledger(args.ledger, busy_timeout=args.busy_timeout)
    except LedgerError as exc:
        report(str(exc))
        return 2
    documents = failed = stories = errors = faulted = 0
    counts = MergeCounts()
    skips: Counter = Counter()
    progress = Progress("ingested", quiet=args.quiet)
    progress.count(args.paths)
    unread = Unread()
    items = input_items(args.paths, args.fields, args.max_bytes, on_archive=progress.uncountable,
                        skipped=unread, exclude=own_files(ledger=args.ledger))
    with ledger:
        # Extracted on args.jobs processes, merged here in input order (a bug in the engine or a
        # plugin comes back as that document's error, never ends the run).
        for result in extract_results(items, jobs=args.jobs, max_bytes=args.max_bytes,
                                      timeout=args.timeout, encode=split_for_ledger):
            if result.skipped:
                skips[result.skipped] += 1
                continue
            path = result.source
            documents += 1
            for warning in result.warnings:
                report(f"warning: {warning}")
            for fault in result.plugin_faults:       # the page was read all the same: it is merged
                report(fault)
            faulted += bool(result.plugin_faults)
            stories += result.articles
            if result.failed:
                # All or nothing: a document with any error is not merged, so re-running it later
                # (say with a fixed plugin) adds it whole.
                failed += 1
                errors += len(result.errors)
                for error in result.errors:
                    report(error)
                report(f"{path}: not merged into the ledger")
                progress.tick(documents, failed)
                continue
            try:
                merged = ledger.add_split(_ledger_rows(result))
                counts.add(merged)
                for repaired in merged.repaired:      # a damaged row of the ledger, now replaced
                    report(f"warning: {repaired}")
            except LedgerError as exc:
                failed += 1
                errors += 1
                report(f"{path}: not merged: {exc}")
            except sqlite3.Error as exc:  # disk full, a lock held past the timeout: every later document would fail too
                progress.close()
                report(f"{args.ledger}: stopped at {path}, which is not merged: {exc}; the documents before it "
                       f"are in the ledger and re-running the same command resumes safely")
                return 1
            progress.tick(documents, failed)
        progress.close()
        if not refresh_plain_tables(ledger):
            failed += 1
    if skips:
        report(skipped_summary(skips))
    if not documents:
        no_documents(args.paths)
    report(summary(args.ledger, documents, failed, stories, counts, errors))
    broken = unusable_plugins_said()
    return 1 if failed or faulted or broken or unread.lost or not documents else 0

