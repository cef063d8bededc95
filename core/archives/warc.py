"""WARC files (ISO 28500, WARC 1.0 and 1.1; plain, a gzip member per record, or gzipped whole),
read with FastWARC: each record's headers and block, the record's offset in the file, and what
goes wrong, said with that offset.

Work is split by byte range so that workers share one file: a slice owns the records whose
first byte lies in it. A worker finds the first record at or after its slice's start itself (a
gzip member that inflates to a WARC header, or a WARC header line after a line break), so the
parent never reads the archive. A file gzipped as a whole cannot be entered in the middle: the
parent reads it, record after record, and hands each record's bytes to the workers.

FastWARC frames records; this module decides what they mean. A truncated block comes back short
from it without complaint, and it stops quietly at a record whose header is cut: both are
checked here (the block's length against Content-Length, the file for records after the last
one read), and after a corrupt record reading goes on at the next record that can be found.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Optional, Union

# A slice of a gzipped archive holds a few dozen pages; of a plain one, a few. Either way a task
# for a worker of some tenths of a second: big enough to amortise a round trip, small enough that
# workers finish together.
SLICE_GZIP = 2 * 1024 * 1024
SLICE_PLAIN = 8 * 1024 * 1024
# What is read of a block before deciding whether the record is a page (the HTTP head is in it).
HEAD_PEEK = 64 * 1024
_SCAN = 1024 * 1024
# The end of a slice that runs to the end of the file, for a file read whole: FastWARC's positions
# inside one gzip stream are where its reading of the compressed bytes got to, not record starts.
WHOLE = 1 << 62
_WARC_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_BLANK_LINE_BEFORE = re.compile(rb"\n\r?\n\Z")
PAGE_TYPES = ("response", "resource")
INSTALL_HINT = "pip install 'quoteledger[warc]'"


class WarcMissing(RuntimeError):
    """Reading a WARC file without FastWARC installed."""


def fastwarc():
    try:
        from fastwarc import warc
    except ImportError as exc:
        raise WarcMissing(f"reading WARC files needs FastWARC, which is not installed ({exc}); "
                          f"install it with {INSTALL_HINT}") from exc
    return warc


# -- what reading a record gives ------------------------------------------------------------------

@dataclass
class WarcEntry:
    """A record that may hold a page, with what a worker needs to make the document: picklable."""

    archive: str
    offset: int
    record_id: Optional[str]
    warc_type: str
    url: Optional[str]
    date: Optional[str]
    content_type: Optional[str]     # the WARC header's: application/http for a response
    block: bytes

    @property
    def source(self) -> str:
        return record_source(self.archive, self.record_id, self.offset)

    def __str__(self) -> str:
        return self.source

    @property
    def is_http(self) -> bool:
        return (self.content_type or "").lower().startswith("application/http")


@dataclass
class Skipped:
    """A record that holds no page (a request, a revisit, a PDF, a redirect): counted, not read."""

    source: str
    reason: str
    weight = 0          # no work for a worker

    def __str__(self) -> str:
        return self.source


@dataclass
class Problem:
    """A record that cannot be read (truncated, corrupt): reported with its offset."""

    source: str
    message: str
    weight = 0

    def __str__(self) -> str:
        return self.source


Outcome = Union[WarcEntry, Skipped, Problem]


def record_source(archive: str, record_id: Optional[str], offset: int) -> str:
    """FILE#urn:uuid:..., the name a record's document goes by; FILE#offset-N without an id."""
    rid = (record_id or "").strip().strip("<>")
    return f"{archive}#{rid}" if rid else f"{archive}#offset-{offset}"


# -- the file's layout ----------------------------------------------------------------------------

@dataclass(frozen=True)
class WarcSlice:
    """The records of a WARC file whose first byte lies in [start, end): one task for a worker."""

    path: str
    start: int
    end: int
    weight: int = 8          # documents, roughly: how parallel.OrderedPool sizes its chunks

    def __str__(self) -> str:
        return f"{self.path} (bytes {self.start}-{self.end})"


def is_warc_head(head: bytes) -> bool:
    return bool(_WARC_LINE.match(head))


def gzip_layout(fh: BinaryIO) -> str:
    """'record' when the first gzip member holds one record (so every member starts a record, as
    crawlers write them and the standard advises), 'file' when it runs on past it."""
    fh.seek(0)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head, total, record_end = b"", 0, None
    try:
        for out in _inflated(fh, inflater):
            total += len(out)
            if record_end is None:
                head += out[:HEAD_PEEK]
                m = re.search(rb"\r?\n\r?\n", head)
                length = m and re.search(rb"(?im)^content-length:[ \t]*(\d+)", head[:m.start()])
                if length:
                    record_end = m.end() + int(length.group(1))
                elif len(head) >= HEAD_PEEK:
                    return "record"         # not a WARC header we can measure: let reading say so
            if record_end is not None and total > record_end + 8:
                return "file"               # the member holds more than the first record
    except zlib.error:
        pass                                # reading reports what is broken
    return "record"


def slices(path: str, size: int, compressed: bool) -> list:
    step = SLICE_GZIP if compressed else SLICE_PLAIN
    return [WarcSlice(path, start, min(size, start + step)) for start in range(0, max(size, 1), step)]


# -- finding records ------------------------------------------------------------------------------

def next_record_start(fh: BinaryIO, pos: int, compressed: bool) -> Optional[int]:
    """The first offset at or after pos where a record begins: a gzip member whose first bytes
    inflate to a WARC header, or a WARC header line after a blank line (the two CRLFs that end
    every record); None when there is none."""
    while True:
        base = max(0, pos - 4)
        fh.seek(base)
        window = fh.read(_SCAN + 64)
        found = _find_start(fh, window, base, pos, compressed)
        if found is not None:
            return found
        if len(window) < _SCAN + 64:
            return None
        pos = base + _SCAN


def _find_start(fh: BinaryIO, window: bytes, base: int, pos: int, compressed: bool) -> Optional[int]:
    at = pos - base
    limit = min(len(window), pos - base + _SCAN)
    while True:
        at = window.find(_GZIP_MAGIC if compressed else b"WARC/1.", at, limit)
        if at < 0:
            return None
        offset = base + at
        if compressed:
            if _inflates_to_warc(fh, offset):
                return offset
        elif _WARC_LINE.match(window, at) and (offset == 0 or _BLANK_LINE_BEFORE.search(window, max(0, at - 4), at)):
            return offset
        at += 1


def _inflates_to_warc(fh: BinaryIO, offset: int) -> bool:
    here = fh.tell()
    fh.seek(offset)
    data = fh.read(4096)
    fh.seek(here)
    try:
        return is_warc_head(zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 16))
    except zlib.error:
        return False


# -- reading records ------------------------------------------------------------------------------

def read_slice(path: str, start: int, end: int, max_bytes: int) -> Iterator[Outcome]:
    """Each record whose first byte lies in [start, end), in file order: a WarcEntry, Skipped or
    Problem. A corrupt stretch is reported once, by the slice it starts in, and reading goes on
    at the next record found after it."""
    warc = fastwarc()
    with open(path, "rb") as fh:
        compressed = fh.read(2) == b"\x1f\x8b"
        pos = start if start == 0 else next_record_start(fh, start, compressed)
        gap = None          # (offset of the last good record, why reading broke off after it)
        while pos is not None and pos < end:
            fh.seek(pos)
            last = current = error = None
            try:
                for record in warc.ArchiveIterator(fh, parse_http=False):
                    current = record.stream_pos
                    if gap is not None:
                        yield _gap(path, *gap, current)
                        gap = None
                    if current >= end:
                        return
                    yield _outcome(path, record, current, max_bytes)
                    last, current = current, None
            except Exception as exc:        # FastWARC raises OSError and ValueError alike for bad bytes
                error = exc
            if current is not None or last is None:
                # The record at `current` broke while its block was read, or nothing at all could
                # be read at pos (a corrupt member, a header cut short).
                bad = current if current is not None else pos
                why = f"corrupt: {error}" if error is not None else "cut short or corrupt"
                gap = None
                yield Problem(record_source(path, None, bad), f"record at offset {bad} cannot be read ({why}); "
                                                              f"reading goes on at the next record")
                pos = next_record_start(fh, bad + 1, compressed)
                continue
            # FastWARC ended after a good record: at the end of the file, or (quietly, or with an
            # error) at bytes it could not read. Any record start after the last one says which.
            pos = next_record_start(fh, last + 1, compressed)
            if pos is None and error is not None:
                yield Problem(record_source(path, None, last), f"unreadable data after the record at offset "
                                                               f"{last}, to the end of the file ({error})")
            elif pos is None and end != WHOLE:
                tail = _tail_after(fh, last, compressed)
                if tail:
                    yield Problem(record_source(path, None, last), f"{tail:,} bytes after the record at offset "
                                                                   f"{last} are no record (the file is cut short?)")
            elif pos is not None:
                gap = (last, str(error) if error is not None else "the reader stopped there")
        if gap is not None and pos is not None and _readable_at(warc, fh, pos):
            # The stretch begins in this slice and the record after it, in the next slice, is
            # sound: only this slice can report it.
            yield _gap(path, *gap, pos)


def _tail_after(fh: BinaryIO, offset: int, compressed: bool) -> int:
    """How many bytes follow the record at offset, the last one read, that are not blank: the
    remains of a record cut short in its header, which no reader sees."""
    size = fh.seek(0, 2)
    fh.seek(offset)
    if compressed:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            for _ in _inflated(fh, inflater):
                pass
        except zlib.error:
            return 0
        if not inflater.eof:
            return 0                    # the member itself is cut: its reading said so
        end = fh.tell() - len(inflater.unused_data)
    else:
        head = fh.read(HEAD_PEEK)
        m = re.search(rb"\r?\n\r?\n", head)
        length = m and re.search(rb"(?im)^content-length:[ \t]*(\d+)", head[:m.start()])
        if not length:
            return 0
        end = offset + m.end() + int(length.group(1))
    fh.seek(end)
    return size - end if fh.read(HEAD_PEEK).strip() else 0


def _inflated(fh: BinaryIO, inflater) -> Iterator[bytes]:
    """The gzip member at fh's position, inflated _SCAN bytes at a time up to its end (the file
    is left just past what was read of it): a bomb is walked, never held. Inflated whole, one
    megabyte of a 300 kB member became 300 MB in memory at once."""
    while not inflater.eof:
        data = fh.read(_SCAN)
        if not data:
            return
        while data and not inflater.eof:
            yield inflater.decompress(data, _SCAN)
            data = inflater.unconsumed_tail


def _gap(path: str, last: int, why: str, resumed: int) -> Problem:
    return Problem(record_source(path, None, last), f"unreadable data after the record at offset {last}, up to "
                                                    f"offset {resumed} ({why}); skipped")


def _readable_at(warc, fh, pos: int) -> bool:
    fh.seek(pos)
    try:
        record = next(iter(warc.ArchiveIterator(fh, parse_http=False)), None)
        return record is not None and len(_read(record, min(record.content_length, HEAD_PEEK))) > 0
    except Exception:
        return False


def _read(record, size: int) -> bytes:
    parts, got = [], 0
    while got < size:
        chunk = record.reader.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _outcome(path: str, record, offset: int, max_bytes: int) -> Outcome:
    headers = record.headers
    warc_type = (headers.get("WARC-Type") or "").strip().lower()
    record_id = headers.get("WARC-Record-ID")
    source = record_source(path, record_id, offset)
    if not warc_type:
        return Problem(source, f"record at offset {offset} has no WARC-Type: its header is broken")
    if warc_type not in PAGE_TYPES:
        return Skipped(source, f"{warc_type} record")
    content_type = headers.get("Content-Type")
    length = record.content_length
    head = _read(record, min(length, HEAD_PEEK))
    reason = _not_a_page(warc_type, content_type, head)
    if reason:
        return Skipped(source, reason)
    if length > max_bytes + HEAD_PEEK:
        return Problem(source, f"record at offset {offset} holds {length:,} bytes, more than the {max_bytes:,} "
                               f"a document may have (set --max-bytes to raise it)")
    block = head + _read(record, length - len(head)) if length > len(head) else head
    if len(block) < length:
        return Problem(source, f"record at offset {offset} is truncated: {len(block):,} of its {length:,} bytes "
                               f"are in the file")
    url = (headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    return WarcEntry(path, offset, record_id, warc_type, url, headers.get("WARC-Date"), content_type, block)


_STATUS = re.compile(rb"^HTTP/\d(?:\.\d)?\s+(\d{3})")
_CONTENT_TYPE = re.compile(rb"(?im)^content-type:[ \t]*([^;\r\n]*)")


def _not_a_page(warc_type: str, content_type: Optional[str], head: bytes) -> Optional[str]:
    """Why a response or resource record holds no HTML page, from what its head says; None when
    it may hold one (the bytes decide when no header says what they are)."""
    from .http import HTML_TYPES

    if warc_type == "resource":
        media = (content_type or "").split(";")[0].strip().lower()
        return None if not media or media in HTML_TYPES else f"not HTML ({media})"
    if not (content_type or "").lower().startswith("application/http"):
        return f"not an HTTP response ({(content_type or 'no Content-Type').split(';')[0]})"
    status = _STATUS.match(head)
    if status is None:
        return None             # not HTTP after all: reading it reports what is wrong
    if status.group(1) != b"200":
        return f"HTTP status {status.group(1).decode()}"
    end = head.find(b"\r\n\r\n")
    media = _CONTENT_TYPE.search(head, 0, end if end >= 0 else len(head))
    media_type = media.group(1).strip().lower().decode("latin-1") if media else ""
    if media_type and media_type not in HTML_TYPES and media_type not in ("application/octet-stream",
                                                                           "unknown/unknown"):
        return f"not HTML ({media_type})"
    return None


