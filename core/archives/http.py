"""An HTTP response as a crawler stored it in a WARC record: its status, its headers, and the
page's bytes with the transfer coding (chunked) and content codings (gzip, deflate, br) undone.

Crawlers disagree on what they store: some keep the body as it came off the wire, others undo
the codings and leave the headers saying otherwise. So a body that does not look coded the way
its headers say is taken as already decoded (with a warning), never thrown away; and every
inflation stops at the document size cap, so a small compressed bomb cannot fill memory.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Optional

# The status line and headers of any real response fit in this; a longer head is not HTTP.
MAX_HEAD = 256 * 1024
_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)?\s+(\d{3})\b")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]{1,40})", re.I)
HTML_TYPES = ("text/html", "application/xhtml+xml")


class HttpError(ValueError):
    """A record whose HTTP message cannot be read: says what is wrong with it."""


@dataclass
class HttpResponse:
    status: int
    headers: dict                   # lower-case name -> value (repeated headers joined by ", ")
    body: bytes                     # as stored, codings not yet undone
    warnings: list = field(default_factory=list)

    @property
    def media_type(self) -> Optional[str]:
        """'text/html' from 'text/html; charset=utf-8'; None when the header is absent or empty."""
        value = self.headers.get("content-type", "").split(";")[0].strip().lower()
        return value or None

    @property
    def charset(self) -> Optional[str]:
        m = _CHARSET.search(self.headers.get("content-type", ""))
        return m.group(1).lower() if m else None

    def is_html(self) -> Optional[bool]:
        """True or False by the Content-Type header; None when it does not say (look at the bytes)."""
        media = self.media_type
        if media is None or media in ("application/octet-stream", "unknown/unknown"):
            return None
        return media in HTML_TYPES


def parse_response(block: bytes) -> HttpResponse:
    """The status line and headers of an HTTP response block; the rest is the body."""
    m = _STATUS_LINE.match(block)
    if not m:
        raise HttpError(f"not an HTTP response (it opens {block[:30]!r})")
    end, gap = block.find(b"\r\n\r\n", 0, MAX_HEAD), 4
    if end < 0:
        end, gap = block.find(b"\n\n", 0, MAX_HEAD), 2
    if end < 0:
        raise HttpError(f"its HTTP headers do not end within {MAX_HEAD:,} bytes (no blank line after them)"
                        if len(block) > MAX_HEAD else "its HTTP headers never end (no blank line after them)")
    headers: dict = {}
    for line in block[:end].decode("latin-1").splitlines()[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name, value = name.strip().lower(), value.strip()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return HttpResponse(int(m.group(1)), headers, block[end + gap:])


def decoded_body(response: HttpResponse, max_bytes: int) -> bytes:
    """The body with transfer and content codings undone, never more than max_bytes of it.
    Raises HttpError for a coding it cannot undo or a body past the cap."""
    body = response.body
    if "chunked" in response.headers.get("transfer-encoding", "").lower():
        body = _dechunk(body, response.warnings)
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
    for coding in reversed(codings):          # the last coding applied is undone first
        body = _undo(coding, body, max_bytes, response.warnings)
    if len(body) > max_bytes:
        raise HttpError(f"its page is larger than the {max_bytes:,} bytes a document may have "
                        f"(set --max-bytes to raise it)")
    return body


def _dechunk(body: bytes, warnings: list) -> bytes:
    first = _CHUNK_SIZE.match(body)
    if not first:
        warnings.append("says chunked, but its body is not in chunks (the crawler stored it decoded); read as it is")
        return body
    parts, pos = [], 0
    while True:
        m = _CHUNK_SIZE.match(body, pos)
        if not m:
            warnings.append(f"chunked body breaks off at byte {pos}; the chunks before it are kept")
            break
        size = int(m.group(1), 16)
        if size == 0:
            break
        start = m.end()
        parts.append(body[start:start + size])
        if start + size > len(body):
            warnings.append("chunked body ends inside a chunk; what there is of it is kept")
            break
        pos = start + size
        pos += 2 if body.startswith(b"\r\n", pos) else 1 if body.startswith(b"\n", pos) else 0
    return b"".join(parts)


def _undo(coding: str, body: bytes, max_bytes: int, warnings: list) -> bytes:
    if coding in ("identity", "none", ""):
        return body
    if coding in ("gzip", "x-gzip"):
        if not body.startswith(b"\x1f\x8b"):
            warnings.append("says gzip, but its body is not gzip (the crawler stored it decoded); read as it is")
            return body
        return _inflate(body, 16 + zlib.MAX_WBITS, max_bytes, "gzip")
    if coding == "deflate":
        # The standard says a zlib stream; some servers send raw deflate.
        wbits = zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS
        try:
            return _inflate(body, wbits, max_bytes, "deflate")
        except HttpError:
            if body.lstrip()[:1] == b"<":
                warnings.append("says deflate, but its body is plain (the crawler stored it decoded); read as it is")
                return body
            raise
    if coding == "br":
        return _unbrotli(body, max_bytes, warnings)
    raise HttpError(f"its body has a content encoding quoteledger cannot undo: {coding!r}")


def _inflate(body: bytes, wbits: int, max_bytes: int, name: str) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise HttpError(f"its {name} body is broken: {exc}") from exc
    if len(out) > max_bytes:
        raise HttpError(f"its {name} body inflates to more than the {max_bytes:,} bytes a document may have "
                        f"(set --max-bytes to raise it)")
    return out


def _unbrotli(body: bytes, max_bytes: int, warnings: list) -> bytes:
    try:
        import brotli
    except ImportError:
        raise HttpError("its body is Brotli-compressed (br), which needs the brotli package "
                        "(pip install 'quoteledger[warc]' brings it)") from None
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(body, output_buffer_limit=max_bytes + 1)
    except brotli.error as exc:
        if body.lstrip()[:1] == b"<":
            warnings.append("says br, but its body is plain (the crawler stored it decoded); read as it is")
            return body
        raise HttpError(f"its br body is broken: {exc}") from exc
    if len(out) > max_bytes:
        raise HttpError(f"its br body inflates to more than the {max_bytes:,} bytes a document may have "
                        f"(set --max-bytes to raise it)")
    return out
