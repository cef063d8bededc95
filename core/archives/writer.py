"""Writing small WARC files: what the tests and bench/bench_warc.py make their archives with, so
every archive they read was made here, record by record, with the quirks real crawls have
(chunked transfer, compressed payloads, revisits, a gzip member per record or one for the file).

Not a crawler's writer: no digests, no segmentation; just enough of WARC 1.1 (ISO 28500) for a
reader to take each record as a crawler would have written it.
"""
from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Optional

DEFAULT_DATE = "2024-03-01T12:00:00Z"


def record_id(*parts: str) -> str:
    """A stable <urn:uuid:...> from the record's parts: the same archive is the same bytes."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}>"


def warc_record(warc_type: str, block: bytes, headers: Iterable[tuple] = (), *, url: Optional[str] = None,
                date: str = DEFAULT_DATE, content_type: Optional[str] = None, rid: Optional[str] = None) -> bytes:
    """One record, uncompressed: the WARC header lines, the block, and the two CRLFs after it."""
    lines = ["WARC/1.1", f"WARC-Type: {warc_type}",
             f"WARC-Record-ID: {rid or record_id(warc_type, url or '', date, hashlib.sha256(block).hexdigest())}",
             f"WARC-Date: {date}"]
    if url is not None:
        lines.append(f"WARC-Target-URI: {url}")
    lines.extend(f"{name}: {value}" for name, value in headers)
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def chunked(body: bytes, size: int = 1000) -> bytes:
    """body in HTTP/1.1 chunked transfer coding."""
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def content_encode(body: bytes, encoding: Optional[str]) -> bytes:
    if encoding is None:
        return body
    if encoding == "gzip":
        return gzip.compress(body, mtime=0)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        import brotli            # fastwarc brings it; only a test of Brotli asks for it

        return brotli.compress(body)
    raise ValueError(f"unknown content encoding {encoding!r}")


@dataclass
class Response:
    """An HTTP response as a crawler saw it."""

    url: str
    body: bytes
    status: int = 200
    content_type: Optional[str] = "text/html; charset=utf-8"
    date: str = DEFAULT_DATE
    chunked: bool = False
    encoding: Optional[str] = None          # Content-Encoding: gzip, deflate, br
    headers: list = field(default_factory=list)
    rid: Optional[str] = None

    def http_block(self) -> bytes:
        payload = content_encode(self.body, self.encoding)
        head = [f"HTTP/1.1 {self.status} {'OK' if self.status == 200 else 'Other'}"]
        if self.content_type:
            head.append(f"Content-Type: {self.content_type}")
        if self.encoding:
            head.append(f"Content-Encoding: {self.encoding}")
        if self.chunked:
            head.append("Transfer-Encoding: chunked")
            payload = chunked(payload)
        else:
            head.append(f"Content-Length: {len(payload)}")
        head.extend(f"{name}: {value}" for name, value in self.headers)
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload

    def record(self) -> bytes:
        return warc_record("response", self.http_block(), url=self.url, date=self.date,
                           content_type="application/http; msgtype=response", rid=self.rid)


def request_record(url: str, date: str = DEFAULT_DATE) -> bytes:
    host = url.split("/")[2] if "//" in url else url
    block = f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: test\r\n\r\n".encode("latin-1")
    return warc_record("request", block, url=url, date=date, content_type="application/http; msgtype=request")


def revisit_record(url: str, refers_to: str, date: str = DEFAULT_DATE) -> bytes:
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    return warc_record("revisit", block, [("WARC-Refers-To", refers_to),
                                          ("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")],
                       url=url, date=date, content_type="application/http; msgtype=response")


def metadata_record(url: str, text: str = "via: test\n", date: str = DEFAULT_DATE) -> bytes:
    return warc_record("metadata", text.encode("utf-8"), url=url, date=date, content_type="application/warc-fields")


def warcinfo_record(software: str = "quoteledger tests", date: str = DEFAULT_DATE) -> bytes:
    return warc_record("warcinfo", f"software: {software}\r\nformat: WARC File Format 1.1\r\n".encode("utf-8"),
                       date=date, content_type="application/warc-fields")


def write_warc(out: BinaryIO, records: Iterable[bytes], compress: Optional[str] = "record") -> list:
    """Write records to out: compress "record" (a gzip member each, as crawlers write .warc.gz),
    "file" (one gzip stream for the whole file) or None. Returns each record's offset in out."""
    offsets = []
    whole = zlib.compressobj(6, zlib.DEFLATED, 31) if compress == "file" else None
    for raw in records:
        offsets.append(out.tell())
        if compress == "record":
            out.write(gzip.compress(raw, compresslevel=6, mtime=0))
        elif whole is not None:
            out.write(whole.compress(raw))
        else:
            out.write(raw)
    if whole is not None:
        out.write(whole.flush())
    return offsets
