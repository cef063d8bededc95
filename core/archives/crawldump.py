"""Crawl dumps: JSON lines as news crawlers write them (fundus, news-please, trafilatura and
the like), one article a line: its URL and HTML, or its URL, title, text and dates when the
crawler has already extracted the text.

Crawlers name their fields differently; FIELDS lists the names read for each, first found first,
a dotted name reaching into an object (fundus keeps the page under html.content). `--field
NAME=KEY` reads another (`--field text=article_body`). A line that is not a JSON object, or
holds neither HTML nor text, is reported with its line number; the lines after it are read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Optional

# What each field is read from, first found first. A URL must be an http(s) address.
FIELDS = {
    "url": ("url", "responded_url", "requested_url", "html.responded_url", "html.requested_url",
            "source_url", "source", "link"),
    "html": ("html", "raw_html", "html.content", "page_html", "content_html"),
    "title": ("title", "headline"),
    "text": ("text", "maintext", "plaintext", "raw_text", "body", "content"),
    "published": ("published", "date_publish", "publishing_date", "date_published", "datePublished", "date",
                  "pubdate"),
    "fetched": ("fetched", "crawl_date", "html.crawl_date", "date_download", "crawled", "fetch_time"),
}
# A slice of a dump for one worker: lines of HTML run to hundreds of kB, so some dozens of pages.
SLICE_BYTES = 8 * 1024 * 1024
WHOLE = 1 << 62         # the end of a slice holding a whole gzipped dump


class FieldError(ValueError):
    """A --field option that cannot be used."""


def field_names(options: Optional[list] = None) -> tuple:
    """FIELDS with --field NAME=KEY[,KEY...] options put first, as a hashable tuple of pairs."""
    names = dict(FIELDS)
    for option in options or ():
        name, sep, keys = option.partition("=")
        name = name.strip()
        if not sep or name not in FIELDS or not keys.strip():
            raise FieldError(f"--field {option!r}: expected NAME=KEY with NAME one of {', '.join(FIELDS)} "
                             f"(for example --field text=article_body)")
        names[name] = tuple(k.strip() for k in keys.split(",") if k.strip()) + names[name]
    return tuple(sorted(names.items()))


def _value(obj: dict, key: str):
    for part in key.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def first_string(obj: dict, keys: tuple, urls: bool = False) -> Optional[str]:
    for key in keys:
        value = _value(obj, key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not urls:
            value = str(value)          # epoch seconds
        if isinstance(value, str) and value.strip():
            if urls and not value.strip().lower().startswith(("http://", "https://")):
                continue
            return value.strip() if urls else value
    return None


@dataclass
class DumpEntry:
    """One article of a dump, as read from its line: picklable, for the worker that reads it."""

    source: str
    url: Optional[str]
    html: Optional[str]
    title: Optional[str]
    text: Optional[str]
    published: Optional[str]
    fetched: Optional[str]


@dataclass(frozen=True)
class DumpSlice:
    """Lines [first_line, ...] of a dump, in bytes [start, end): one task for a worker."""

    path: str
    start: int
    end: int
    first_line: int
    fields: tuple
    weight: int = 8

    def __str__(self) -> str:
        return f"{self.path} (lines from {self.first_line})"


@dataclass(frozen=True)
class DumpLine:
    """A line already read (from a gzipped dump, which only the parent can read in order)."""

    path: str
    line: int
    data: bytes
    fields: tuple
    weight: int = 1

    def __str__(self) -> str:
        return line_source(self.path, self.line)


def line_source(path: str, line: int) -> str:
    return f"{path}#line-{line}"


def is_dump_line(line: bytes, fields: tuple) -> bool:
    """A JSON object holding HTML or text under one of the names read."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):    # nested past the interpreter's depth: not an article line
        return False
    names = dict(fields)
    return isinstance(obj, dict) and bool(first_string(obj, names["html"]) or first_string(obj, names["text"]))


def looks_like_dump(lines: list, fields: tuple) -> bool:
    """A dump opens with '{' and one of its first lines is an article (one bad line may lead)."""
    lines = [line for line in lines if line.strip()]
    return bool(lines) and lines[0].lstrip()[:1] == b"{" and any(is_dump_line(line, fields) for line in lines[:3])


def slices(fh: BinaryIO, path: str, fields: tuple) -> Iterator[DumpSlice]:
    """Cuts a plain dump at line ends about every SLICE_BYTES, counting lines so that each
    slice knows the number of its first: a pass at the speed of a memory scan."""
    fh.seek(0)
    start, first_line = 0, 1        # the slice being made
    pos, lines = 0, 0               # where the block read last begins; line ends seen since start
    while True:
        block = fh.read(1024 * 1024)
        if not block:
            break
        at = 0
        while True:
            want = start + SLICE_BYTES - pos - 1        # the cut is the first line end from here on
            cut = block.find(b"\n", max(at, want)) if want < len(block) else -1
            if cut < 0:
                lines += block.count(b"\n", at)
                break
            lines += block.count(b"\n", at, cut + 1)
            yield DumpSlice(path, start, pos + cut + 1, first_line, fields)
            start, first_line, lines, at = pos + cut + 1, first_line + lines, 0, cut + 1
        pos += len(block)
    if pos > start:
        yield DumpSlice(path, start, pos, first_line, fields)


def line_limit(max_bytes: int) -> int:
    """The longest line that may hold a document of max_bytes: JSON may spell one byte in six
    characters (\\u0001), and the line holds other fields beside it."""
    return 6 * max_bytes + 64 * 1024


def bounded_lines(fh: BinaryIO, limit: int) -> Iterator[tuple]:
    """(bytes the line takes, the line, or None when it is longer than limit) for each line of
    fh. A longer line is passed over in pieces, never held whole: one line of a gzipped dump of
    400 kB inflated to 400 MB, and the reading took 1.7 GB."""
    while True:
        data = fh.readline(limit + 1)
        if not data:
            return
        if len(data) <= limit:
            yield len(data), data
            continue
        size = len(data)
        while not data.endswith(b"\n"):
            data = fh.readline(1024 * 1024)
            if not data:
                break
            size += len(data)
        yield size, None


def slice_lines(item: DumpSlice, max_bytes: int) -> Iterator[tuple]:
    """(line number, bytes, or None for a line too long for a document of max_bytes) of each
    line of the slice (of a gzipped dump, read whole)."""
    import gzip

    with open(item.path, "rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        fh = gzip.open(raw, "rb") if compressed else raw
        fh.seek(item.start)
        pos, line = item.start, item.first_line
        lines = bounded_lines(fh, line_limit(max_bytes))
        while pos < item.end:
            size, data = next(lines, (0, b""))
            if not size:
                break
            pos += size
            yield line, data
            line += 1


def entry(path: str, line: int, data: bytes, fields: tuple):
    """The article on one line: a DumpEntry; None for a blank line; raises ValueError naming
    the line for one that holds no article."""
    if not data.strip():
        return None
    where = line_source(path, line)
    try:
        obj = json.loads(data)
    except ValueError as exc:
        raise ValueError(f"{where}: not a JSON object ({exc})") from None
    except RecursionError:
        # A line nested deeper than Python can decode costs that line, never its slice or the run.
        raise ValueError(f"{where}: JSON nested too deeply to read") from None
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: a JSON {type(obj).__name__}, not an object")
    names = dict(fields)
    html, text = first_string(obj, names["html"]), first_string(obj, names["text"])
    if html is None and text is None:
        raise ValueError(f"{where}: holds neither HTML nor text (read from the fields "
                         f"{', '.join(names['html'] + names['text'])}; --field html=KEY or --field text=KEY "
                         f"names another)")
    return DumpEntry(where, first_string(obj, names["url"], urls=True), html, first_string(obj, names["title"]),
                     text, first_string(obj, names["published"]), first_string(obj, names["fetched"]))
