"""quoteledger extract PATH...: quotation records, JSON lines on stdout by default."""
from __future__ import annotations

from functools import partial

from ..parallel import default_jobs, extract_results, positive_jobs
from ..pipeline import DEFAULT_TIMEOUT
from ..reading import DEFAULT_MAX_BYTES, iter_paths, own_files
from .common import (AtomicOutput, Progress, Unread, byte_count, dumps, no_documents,
                     refuse_output_among_inputs, report, seconds)


def add_parser(subparsers):
    p = subparsers.add_parser("extract", help="extract quotation records from pages")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively); - for stdin")
    p.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--max-bytes", type=byte_count, default=DEFAULT_MAX_BYTES,
                   help="largest document read, in bytes (default 20 MB); a larger one is an error")
    p.add_argument("--timeout", type=seconds("no limit"), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for reading and extracting one document (default {DEFAULT_TIMEOUT:g}; "
                        "0 for none); a document past it is an error and the run goes on")
    p.add_argument("--jobs", "-j", type=positive_jobs, default=default_jobs(), metavar="N",
                   help="processes extracting at once (default: the number of cores); "
                        "the output is the same whatever N")
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
    failed = done = 0
    refuse_output_among_inputs(args.output, args.paths)
    unread = Unread()
    paths = iter_paths(args.paths, skipped=unread, exclude=own_files(output=args.output))
    results = extract_results(paths, jobs=args.jobs, max_bytes=args.max_bytes,
                              timeout=args.timeout, encode=partial(encode_records, args.format))
    # Written as they come (in input order, whatever the number of jobs): memory stays flat.
    progress = Progress("extracted")
    with AtomicOutput(args.output) as out:
        first = True
        out.write("[" if args.format == "json" else "")
        for done, result in enumerate(results, 1):
            progress.tick(done)
            for warning in result.warnings:
                report(f"warning: {warning}")
            for error in result.errors:
                report(error)
            failed += result.failed
            text = result.encoded if result.encoded is not None else records_text(result, args.format)
            if text:
                out.write(text if first or args.format != "json" else ",\n" + text)
                first = False
        out.write("]\n" if args.format == "json" else "")
    progress.close()
    if not done:
        no_documents(args.paths)
    return 1 if failed or unread.lost or not done else 0
