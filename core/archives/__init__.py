"""Web archives and crawl dumps as input: WARC files (warc.py) and JSON lines of crawled articles
(crawldump.py), told from loose pages by their content, never by their names, and read as one
document a page, each carrying the URL it was fetched from and when.

input_items() turns the paths a command was given into units of work: a loose page stays its
path (reading.py reads it as before); an archive becomes slices of the file that workers read
themselves (or, for a file that can only be read from its start, the records the parent read).
documents() turns one unit into its documents, in file order, with the records that hold no page
(counted) and those that cannot be read (reported with their offset or line).
"""
from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections import Counter
from typing import Callable, Iterator, Optional, Union

from ..reading import DEFAULT_MAX_BYTES, InputError, Source, iter_paths, load_source, looks_like_html
from . import crawldump, warc
from .crawldump import DumpEntry, DumpLine, DumpSlice
from .warc import Problem, Skipped, WarcEntry, WarcMissing, WarcSlice

__all__ = ["input_items", "documents", "sniff", "Skipped", "Problem", "WarcMissing", "is_archive_item"]

ARCHIVE_ITEMS = (WarcSlice, WarcEntry, Skipped, Problem, DumpSlice, DumpLine)
_SNIFF = 64 * 1024
# What tells a page from an archive in all but a gzipped or blank-headed file: its first bytes (a
# WARC line, or a dump's '{'). A page read whole later, in its worker, is not read twice here.
_GLANCE = 4096


def is_archive_item(item) -> bool:
    return isinstance(item, ARCHIVE_ITEMS)


# -- what an input is -------------------------------------------------------------------------------

def sniff(path: str, fields: tuple) -> Optional[str]:
    """'warc', 'dump' (JSON lines of articles), or None for anything else (a page, or a file
    reading.py will report). Gzip is looked through."""
    try:
        # Only a regular file is looked into: opening a FIFO would wait for a writer (reading.py
        # reads one within the document's deadline), and a device may never end.
        if path == "-" or not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            head = fh.read(_GLANCE)
            if head[:2] == b"\x1f\x8b" or not head.strip():
                head += fh.read(_SNIFF - len(head))     # gzip to inflate, or only white space so far
    except OSError:
        return None
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _SNIFF)
        except zlib.error:
            return None
    if warc.is_warc_head(head):
        return "warc"
    if head.lstrip()[:1] == b"{" and crawldump.looks_like_dump(_first_lines(path, 3), fields):
        return "dump"
    return None


def _first_lines(path: str, count: int, limit: int = DEFAULT_MAX_BYTES) -> list:
    opener = gzip.open if _is_gzip(path) else open
    lines = []
    try:
        with opener(path, "rb") as fh:
            for _ in range(count):
                line = fh.readline(limit)
                if not line:
                    break
                lines.append(line)
    except (OSError, EOFError, zlib.error):
        pass
    return lines


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def input_items(paths: list, fields: Optional[tuple] = None, max_bytes: int = DEFAULT_MAX_BYTES,
                on_archive: Optional[Callable[[], None]] = None, read_here: bool = True,
                skipped: Optional[Callable] = None, exclude: Optional[dict] = None) -> Iterator:
    """Units of work for the paths given (folders walked as reading.iter_paths walks them, with
    its `skipped` and `exclude`): a path for each loose page, slices or records for each archive,
    in order. on_archive is called when an archive is met (its documents cannot be counted
    beforehand).

    An archive that can only be read from its start (gzipped whole) is read here, its records
    handed out one by one, when read_here; else (a cluster, where every item is held at once)
    it is one slice, that one worker reads from start to end."""
    fields = fields or crawldump.field_names()
    for path in iter_paths(paths, skipped=skipped, exclude=exclude):
        kind = sniff(path, fields)
        if kind is not None and on_archive is not None:
            on_archive()
        if kind == "warc":
            yield from _warc_items(path, max_bytes, read_here)
        elif kind == "dump":
            yield from _dump_items(path, fields, read_here, max_bytes)
        else:
            yield path


def _warc_items(path: str, max_bytes: int, read_here: bool) -> Iterator:
    try:
        warc.fastwarc()
    except WarcMissing as exc:
        yield Problem(path, str(exc))       # once for the file, not once for each of its slices
        return
    try:
        with open(path, "rb") as fh:
            compressed = fh.read(2) == b"\x1f\x8b"
            whole = compressed and warc.gzip_layout(fh) == "file"
            size = fh.seek(0, 2)
    except OSError as exc:
        yield Problem(path, f"cannot read: {exc.strerror or exc}")
        return
    if whole and read_here:
        # One gzip stream for the whole file: only a reader from its start can read it, so the
        # parent reads the records and hands their bytes out.
        yield from warc.read_slice(path, 0, warc.WHOLE, max_bytes)
    elif whole:
        yield WarcSlice(path, 0, warc.WHOLE, weight=max(8, size // 16384))
    else:
        yield from warc.slices(path, size, compressed)


def _dump_items(path: str, fields: tuple, read_here: bool, max_bytes: int) -> Iterator:
    try:
        if _is_gzip(path) and not read_here:
            yield DumpSlice(path, 0, crawldump.WHOLE, 1, fields, weight=max(8, os.path.getsize(path) // 16384))
            return
        if _is_gzip(path):
            with gzip.open(path, "rb") as fh:
                for n, (_, line) in enumerate(crawldump.bounded_lines(fh, crawldump.line_limit(max_bytes)), 1):
                    yield DumpLine(path, n, line, fields)
            return
        with open(path, "rb") as fh:
            yield from crawldump.slices(fh, path, fields)
    except (OSError, EOFError, zlib.error) as exc:
        yield Problem(path, f"cannot read the rest of this crawl dump: {exc}")


# -- documents --------------------------------------------------------------------------------------

Read = Union[tuple, Skipped, Problem]       # (Document, warnings), or why there is none


def documents(item, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Read]:
    """The documents of one unit of work, in file order: (Document, warnings) for each page,
    Skipped for a record that holds none, Problem for one that cannot be read."""
    if isinstance(item, WarcSlice):
        try:
            for outcome in warc.read_slice(item.path, item.start, item.end, max_bytes):
                yield _read_outcome(outcome, max_bytes)
        except WarcMissing as exc:
            yield Problem(str(item), str(exc))
        except OSError as exc:
            yield Problem(str(item), f"cannot read: {exc.strerror or exc}")
    elif isinstance(item, DumpSlice):
        try:
            for line, data in crawldump.slice_lines(item, max_bytes):
                read = _dump_line(item.path, line, data, item.fields, max_bytes)
                if read is not None:
                    yield read
        except OSError as exc:
            yield Problem(str(item), f"cannot read: {exc.strerror or exc}")
    elif isinstance(item, DumpLine):
        read = _dump_line(item.path, item.line, item.data, item.fields, max_bytes)
        if read is not None:
            yield read
    else:
        yield _read_outcome(item, max_bytes)


def _read_outcome(outcome, max_bytes: int) -> Read:
    if isinstance(outcome, WarcEntry):
        try:
            return warc_document(outcome, max_bytes)
        except (InputError, ValueError) as exc:
            return Problem(outcome.source, f"record at offset {outcome.offset}: {exc}")
    return outcome


def warc_document(entry: WarcEntry, max_bytes: int):
    """The page in a response (or resource) record: (Document, warnings), or Skipped. Raises
    InputError or http.HttpError (a ValueError) for a record that cannot be read."""
    from ..htmltools import parse_date
    from .http import HttpResponse, decoded_body, parse_response

    if entry.is_http:
        response = parse_response(entry.block)
        body = decoded_body(response, max_bytes)
    else:
        response = HttpResponse(200, {"content-type": entry.content_type or ""}, entry.block)
        body = entry.block
    said_html = response.is_html()
    if not body.strip():
        return Skipped(entry.source, "empty page")
    if said_html is None and not looks_like_html(body):
        return Skipped(entry.source, "not HTML (its bytes do not read as a page and no Content-Type says so)")
    document, warnings = load_source(Source(entry.source, body), is_html=True, charset=response.charset)
    warnings[:0] = [f"{entry.source}: {warning}" for warning in response.warnings]
    document.url, document.fetched = entry.url, fetched_date(entry.date, entry.source, parse_date, warnings)
    return document, warnings


def fetched_date(value: Optional[str], source: str, parse_date, warnings: list) -> Optional[str]:
    """When the archive says the page was fetched, as a date; one it cannot read is dropped and
    said (a WARC-Date of 30 February went out as no date, in silence)."""
    date = parse_date(value) if value else None
    if date is None and value and value.strip():
        warnings.append(f"{source}: fetched date {value[:40]!r} is not a date it can read; left out")
    return date


def _dump_line(path: str, line: int, data: bytes, fields: tuple, max_bytes: int) -> Optional[Read]:
    from ..htmltools import parse_date

    if data is None:
        return Problem(crawldump.line_source(path, line), f"a line longer than the {crawldump.line_limit(max_bytes):,} "
                       f"bytes a document of --max-bytes ({max_bytes:,}) could take; skipped")
    try:
        entry = crawldump.entry(path, line, data, fields)
    except ValueError as exc:
        return Problem(crawldump.line_source(path, line), str(exc).split(": ", 1)[-1])
    if entry is None:
        return None
    return dump_document(entry, max_bytes, parse_date)


def dump_document(entry: DumpEntry, max_bytes: int, parse_date) -> Read:
    """An HTML page as its bytes would be read from a file; extracted text as a text story whose
    first line is its title, its publication date handed to the text reader."""
    if entry.html is not None:
        data, is_html = entry.html.encode("utf-8", "surrogatepass"), True
    else:
        data = (f"{entry.title.strip()}\n\n{entry.text}" if entry.title else entry.text).encode("utf-8", "surrogatepass")
        is_html = False
    if len(data) > max_bytes:
        return Problem(entry.source, f"larger than the {max_bytes:,} bytes a document may have "
                                     f"(set --max-bytes to raise it)")
    try:
        document, warnings = load_source(Source(entry.source, data), is_html=is_html)
    except InputError as exc:
        return Problem(entry.source, str(exc).split(": ", 1)[-1])
    document.url, document.fetched = entry.url, fetched_date(entry.fetched, entry.source, parse_date, warnings)
    if not is_html and entry.published:
        published = parse_date(entry.published)
        if published:
            document.hints["published"] = published
        else:
            warnings.append(f"{entry.source}: publication date {entry.published[:40]!r} is not a date it can read; left out")
    return document, warnings



# -- what commands share ----------------------------------------------------------------------------

def add_input_options(parser) -> None:
    """--field and --quiet, for the commands that read pages (extract, ingest, parse)."""
    parser.add_argument("--field", action="append", metavar="NAME=KEY", default=[],
                        help="crawl dumps (JSON lines): read NAME (url, html, title, text, published, "
                             "fetched) from KEY, a dotted name reaching into objects (html.content); "
                             "repeatable. See the README for the names read by default")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress line (it is drawn only on a terminal anyway)")


def skipped_summary(skips: Counter) -> str:
    """'12 archive records hold no page and were skipped: 5 request record, ...'"""
    parts = ", ".join(f"{n:,} {reason}" for reason, n in sorted(skips.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{sum(skips.values()):,} archive records hold no page and were skipped: {parts}"
