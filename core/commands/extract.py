"""quoteledger extract PATH...: quotation records, JSON lines on stdout by default."""
from __future__ import annotations

import time
from collections import Counter
from functools import partial

from ..archives import add_input_options, input_items, skipped_summary
from ..archives.crawldump import FieldError, field_names
from ..parallel import default_jobs, extract_results, job_count
from ..pipeline import DEFAULT_TIMEOUT
from ..progress import Progress, rate
from ..reading import DEFAULT_MAX_BYTES, own_files
from .common import (AtomicOutput, Unread, byte_count, dumps, no_documents, refuse_output_among_inputs, report,
                     seconds, unusable_plugins_said)


def add_parser(subparsers):
    p = subparsers.add_parser("extract", help="extract quotation records from pages")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="pages, WARC files or crawl dumps (JSON lines), or folders of them (walked "
                        "recursively); - for stdin")
    p.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--max-bytes", type=byte_count, default=DEFAULT_MAX_BYTES,
                   help="largest document read, in bytes (default 20 MB); a larger one is an error")
    p.add_argument("--timeout", type=seconds("no limit"), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for reading and extracting one document (default {DEFAULT_TIMEOUT:g}; "
                        "0 for none); a document past it is an error and the run goes on")
    p.add_argument("--jobs", "-j", type=job_count, default=default_jobs(), metavar="N",
                   help="processes extracting at once (default: the number of cores); "
                        "the output is the same whatever N")
    add_input_options(p)
    return p


def records_text(result, fmt: str) -> str:
    """One document's records as the output holds them: JSON lines, or items of a JSON array."""
    texts = result.record_texts()
    if texts is None:
        texts = [dumps(record) for record in result.records]
    if fmt == "json":
        return ",\n".join(texts)
    return "".join([text + "\n" for text in texts])


def encode_records(fmt: str, result) -> None:
    """extract_results' encode step: the text is made on the worker that read the document."""
    result.encoded = records_text(result, fmt)
    result.records, result.texts = [], []


def run(args) -> int:
    try:
        fields = field_names(args.field)
    except FieldError as exc:
        report(str(exc))
        return 2
    refuse_output_among_inputs(args.output, args.paths)
    unread = Unread()
    progress = Progress("extracted", quiet=args.quiet)
    progress.count(args.paths)
    items = input_items(args.paths, fields, args.max_bytes, on_archive=progress.uncountable,
                        skipped=unread, exclude=own_files(output=args.output))
    results = extract_results(items, jobs=args.jobs, max_bytes=args.max_bytes,
                              timeout=args.timeout, encode=partial(encode_records, args.format))
    documents = failed = faulted = 0
    skips: Counter = Counter()
    started = time.monotonic()
    # Written as they come (in input order, whatever the number of jobs): memory stays flat.
    with AtomicOutput(args.output) as out:
        first = True
        out.write("[" if args.format == "json" else "")
        for result in results:
            if result.skipped:
                skips[result.skipped] += 1
                continue
            documents += 1
            for warning in result.warnings:
                report(f"warning: {warning}")
            for error in result.errors + result.plugin_faults:
                report(error)
            failed += result.failed
            faulted += bool(result.plugin_faults)
            text = result.encoded if result.encoded is not None else records_text(result, args.format)
            if text:
                out.write(text if first or args.format != "json" else ",\n" + text)
                first = False
            progress.tick(documents, failed)
        out.write("]\n" if args.format == "json" else "")
    progress.close()
    if skips:
        report(skipped_summary(skips))
    if not documents:
        no_documents(args.paths)
    elif progress.enabled:
        report(f"{documents:,} documents extracted ({failed:,} failed), "
               f"{rate(documents, time.monotonic() - started)} a second")
    broken = unusable_plugins_said()
    return 1 if failed or faulted or broken or unread.lost or not documents else 0
