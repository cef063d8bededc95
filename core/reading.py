"""Reading inputs: files, folders (walked recursively, in sorted order), standard input; bytes
decoded to text; HTML told apart from plain text by content, never by file name.

Pages come from the open web, so reading is defensive: every document is capped in size (gzip
included, so a small bomb cannot inflate past the cap), and decoding either gets the text right
or says what it could not know (mixed encodings, mojibake repaired, replacement characters)
rather than passing garbled words on as quotations.
"""
from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Iterator, Optional

from .model import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body|meta|title|div|article|p\b)", re.I | re.S)
_HTML_ANY = re.compile(rb"<(?:html|body|div|p|article|head)\b[^>]{0,2000}>", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,400}?charset\s*=\s*[\"']?\s*([\w.:-]{1,40})", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([\w.:-]{1,40})", re.I)
# A complete, valid UTF-8 multi-byte sequence: its presence among invalid bytes means mixed
# encodings (a UTF-8 page with a paragraph pasted from cp1252), not a single-byte page.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# WHATWG: these labels mean windows-1252 on the web (latin-1 would turn its quotation marks
# into C1 control characters).
_WEB_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252",
             "cp1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819"}
_UTF8_LABELS = {"utf-8", "utf8", "unicode-1-1-utf-8"}
# Labels whose decoders accept nearly any bytes, so a lying <meta> would decode "successfully"
# into nonsense; they are believed only when the bytes are not plain Western text.
_PERMISSIVE_LABELS = ("utf-16", "utf-32", "utf-7", "shift", "sjis", "euc", "gb", "big5", "iso-2022", "hz")


class InputError(Exception):
    """An input that cannot be read: names the file and what is wrong."""


@dataclass
class Source:
    path: str           # as given, or "-"
    data: bytes


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list = field(default_factory=list)     # each names the file
    # The text's UTF-8 spelling, when the text is the bytes decoded as UTF-8 and nothing repaired:
    # later stages check, hash and parse these rather than encode the page again.
    raw: Optional[bytes] = None


def iter_paths(paths: list[str]) -> Iterator[str]:
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith(".") and name != "MANIFEST.tsv":
                        yield os.path.join(root, name)
        else:
            yield path


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    return f"{n:,} bytes"


def _too_large(path: str, max_bytes: int, what: str = "larger") -> InputError:
    return InputError(f"{path}: {what} than the {_size(max_bytes)} cap a document may have "
                      f"(set --max-bytes to raise it)")


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The document's bytes, never more than max_bytes of them (decompressed, for gzip)."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb", buffering=0) as fh:
                data = _read_capped(fh, max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return source_from_bytes(path, data, max_bytes)


def _read_capped(fh, limit: int) -> bytes:
    """The first `limit` bytes of fh, all of it when shorter. Asked for `limit` at once, a file
    object allocates them all (20 MB for a page of 20 kB): ask for the size the file says it has,
    plus one, then read on in small pieces to the end (a pipe, a growing file, /proc)."""
    try:
        size = os.fstat(fh.fileno()).st_size
    except OSError:
        size = 0
    chunks, got = [], 0
    want = size + 1
    while got < limit:
        chunk = fh.read(min(want, limit - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
        want = 1 << 16
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def source_from_bytes(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The size cap and gzip, for bytes from anywhere."""
    if len(data) > max_bytes:
        raise _too_large(path, max_bytes)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(path, data, max_bytes)
    return Source(path, data)


def _gunzip(path: str, data: bytes, max_bytes: int) -> bytes:
    # Inflate at most max_bytes + 1: a gzip bomb stops at the cap instead of filling memory.
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(f"{path}: broken gzip file: {exc}") from exc
    if len(out) > max_bytes:
        raise _too_large(path, max_bytes, "inflates to more")
    if not inflater.eof:
        raise InputError(f"{path}: broken gzip file: truncated")
    return out


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(codecs.BOM_UTF8)
    if _HTML_START.match(head):
        return True
    return len(_HTML_ANY.findall(data[:65536])) >= 3


# -- decoding -------------------------------------------------------------------------------------

def _latin1_handler(exc: UnicodeDecodeError):
    # cp1252 leaves five bytes undefined; those fall back to latin-1 so decoding never fails.
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("quoteledger-latin1", _latin1_handler)


def _cp1252_or_latin1(raw: bytes) -> str:
    return raw.decode("cp1252", errors="quoteledger-latin1")


def _mixed_handler(exc: UnicodeDecodeError):
    """Codec error handler: bytes that are not UTF-8 inside a UTF-8 page are read as cp1252."""
    return _cp1252_or_latin1(exc.object[exc.start:exc.end]), exc.end


codecs.register_error("quoteledger-mixed", _mixed_handler)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _declared(data: bytes, is_html: bool) -> Optional[str]:
    head = data[:8192]
    m = _XML_ENCODING.match(head) or (_META_CHARSET.search(head) if is_html else None)
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """UTF-16 with no BOM shows itself by a NUL in every other byte of ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) // 2)
    odd_nul = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _decode_bom(data: bytes, path: str) -> Optional[Decoded]:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc).lstrip("\ufeff"), enc)
            except UnicodeDecodeError as exc:
                if enc == "utf-8":
                    return _decode_mixed(data[len(bom):], path, exc)
                text = data.decode(enc, errors="replace").lstrip("\ufeff")
                return Decoded(text, enc, [f"{path}: not valid {enc.upper()} despite its byte-order mark "
                                           f"(byte {exc.start}); undecodable parts replaced with U+FFFD"])
    return None


def _decode_mixed(data: bytes, path: str, exc: UnicodeDecodeError) -> Decoded:
    text = data.decode("utf-8", errors="quoteledger-mixed")
    return Decoded(text, "utf-8+cp1252", [f"{path}: mixed encodings: mostly UTF-8, but bytes from line "
                                          f"{_line_of(data, exc.start)} on are not; those were read as cp1252"])


def _decode_single_byte(data: bytes, is_html: bool, path: str) -> Decoded:
    declared = _declared(data, is_html)
    if declared and declared not in _WEB_1252 and declared not in _UTF8_LABELS:
        permissive = declared.startswith(_PERMISSIVE_LABELS)
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            text = None
        western = _plain_western(data)
        if text is not None and "\x00" not in text and not (permissive and western):
            fallback = _cp1252_or_latin1(data)
            if western and _oddity(text) > _oddity(fallback):
                return Decoded(fallback, "cp1252", [f"{path}: declares charset {declared}, but its words read "
                                                    f"as cp1252 (mixed scripts or symbols inside words); read as cp1252"])
            return Decoded(text, declared)
    warnings = []
    if declared in _UTF8_LABELS:
        warnings.append(f"{path}: declares charset {declared} but is not UTF-8; read as cp1252")
    elif declared and declared not in _WEB_1252:
        warnings.append(f"{path}: declares charset {declared}, which does not read it; read as cp1252")
    return Decoded(_cp1252_or_latin1(data), "cp1252", warnings)


_NON_ASCII_IN_WORD = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]|[^\x00-\x7f](?=[A-Za-z])")


def _oddity(text: str) -> int:
    """How wrong a decoding looks: non-ASCII characters glued to ASCII letters that are neither
    Latin letters (Cafй, with koi8-r or cp1251 over a French word) nor punctuation (a box-drawing
    character where a quotation mark was meant). A right decoding of a Western page scores 0."""
    score = 0
    for m in _NON_ASCII_IN_WORD.finditer(text[:65536]):
        c = m.group(0)
        latin_letter = c.isalpha() and ord(c) < 0x250
        score += not latin_letter and unicodedata.category(c)[0] not in "P" and c not in "\u00a0\u00ad"
    return score


def _plain_western(data: bytes) -> bool:
    """Mostly ASCII with a sprinkling of high bytes: a Western single-byte page, whatever its
    <meta> claims (a multi-byte East Asian page is dense with high bytes)."""
    high = sum(1 for b in data[:65536] if b >= 0x80)
    return high < 0.1 * min(len(data), 65536)


def decode(data: bytes, is_html: bool, path: str) -> Decoded:
    """Text from bytes: by BOM (UTF-8, UTF-16, UTF-32); UTF-16 without one by its NULs; then UTF-8
    when it is valid (it almost never is by accident, so it beats a <meta charset> that lies);
    UTF-8 with stray non-UTF-8 bytes as mixed; else the declared single-byte charset, else cp1252."""
    decoded = _decode_bom(data, path)
    if decoded is None:
        utf16 = _utf16_without_bom(data)
        if utf16:
            decoded = Decoded(data.decode(utf16, errors="replace"), utf16,
                              [f"{path}: no byte-order mark; read as {utf16.upper()} from its NUL bytes"])
    if decoded is None:
        try:
            decoded = Decoded(data.decode("utf-8"), "utf-8")
            decoded.raw = data
        except UnicodeDecodeError as exc:
            if _UTF8_MULTIBYTE.search(data):
                decoded = _decode_mixed(data, path, exc)
            else:
                decoded = _decode_single_byte(data, is_html, path)
    decoded.text = _repair(decoded, path)
    return decoded


# -- what decoding cannot fix by itself: text garbled before it reached us -----------------------

_CONT = "".join(_cp1252_or_latin1(bytes([b])) for b in range(0x80, 0xC0))
_CONT_CLASS = "[" + re.escape(_CONT) + "]"
# UTF-8 bytes read as cp1252 somewhere upstream: "â€™" for ’, "Ã©" for é, "Â£" for £.
_MOJIBAKE = re.compile("[\u00c2-\u00df]" + _CONT_CLASS + "|[\u00e0-\u00ef]" + _CONT_CLASS + "{2}|"
                       "[\u00f0-\u00f4]" + _CONT_CLASS + "{3}")
_C1 = re.compile("[\u0080-\u009f]")
_MOJIBAKE_PAIR = re.compile("[\u00c2-\u00f4]" + _CONT_CLASS)
# The same two checks spelt in UTF-8 bytes: C1 characters are \xc2\x80-\xc2\x9f; a mojibake pair
# is a lead character (\xc3\x82-\xc3\xb4) followed by any continuation character's UTF-8 form.
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_MOJIBAKE_PAIR_BYTES = re.compile(rb"\xc3[\x82-\xb4](?:" + b"|".join(
    re.escape(c.encode("utf-8")) for c in sorted(set(_CONT))) + b")")


def _unmojibake(chunk: str) -> str:
    """The UTF-8 character whose bytes, read as cp1252, gave chunk; chunk itself if none did."""
    try:
        raw = bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in chunk)
        return raw.decode("utf-8")
    except (UnicodeError, ValueError):
        return chunk


def _c1_to_cp1252(m: re.Match) -> str:
    # A C1 control character in a page is a cp1252 mark read as latin-1 upstream.
    b = ord(m.group(0))
    return chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")


# The same repair on UTF-8 bytes: \xc2\x80-\xc2\x9f, each C1 character's UTF-8, to the UTF-8 of
# what _c1_to_cp1252 makes of it.
_C1_UTF8_FIXED = {bytes([0xC2, b]): _c1_to_cp1252(_C1.match(chr(b))).encode("utf-8") for b in range(0x80, 0xA0)}


def _repair(decoded: Decoded, path: str) -> str:
    text = decoded.text
    changed = 0

    def fix(m: re.Match) -> str:
        nonlocal changed
        fixed = _unmojibake(m.group(0))
        changed += fixed != m.group(0)
        return fixed

    # Both repairs need non-ASCII text, and mojibake a lead character followed by a continuation
    # one: checking that first with a one-branch pattern is ten times faster than the full one.
    raw = decoded.raw
    # For text decoded straight from UTF-8, the same checks on the raw bytes are several times
    # cheaper than on the decoded text (they cost milliseconds on a large page).
    # (A lead or C1 character's UTF-8 starts \xc3 or \xc2: bytes with none of them, a memchr
    # finds, need no pattern at all.)
    suspect = not text.isascii() and ((b"\xc3" in raw and _MOJIBAKE_PAIR_BYTES.search(raw)) if raw is not None
                                      else _MOJIBAKE_PAIR.search(text))
    if suspect:
        text = _MOJIBAKE.sub(fix, text)
    if changed:
        decoded.warnings.append(f"{path}: {changed} mojibake sequence(s) (UTF-8 read as cp1252 before it "
                                f"reached us, like 'â€™' for '’') repaired")
    no_c1 = text.isascii() or (raw is not None and not changed
                               and not (b"\xc2" in raw and _C1_BYTES.search(raw)))
    if no_c1:
        c1 = 0
    elif raw is not None and not changed:
        # Repaired in the bytes and decoded again: several times faster than the pattern over a
        # large page's text, and the repaired bytes still spell the repaired text.
        raw, c1 = _C1_BYTES.subn(lambda m: _C1_UTF8_FIXED[m.group(0)], raw)
        decoded.raw, text = raw, raw.decode("utf-8")
    else:
        text, c1 = _C1.subn(_c1_to_cp1252, text)
    if c1:
        decoded.warnings.append(f"{path}: {c1} C1 control character(s) (cp1252 marks read as latin-1 "
                                f"upstream) read as cp1252")
    if changed:
        decoded.raw = raw = None      # the bytes no longer spell the text
    lost = text.count("\ufffd") if "\ufffd" in text else 0       # "in" is the faster scan
    if lost:
        decoded.warnings.append(f"{path}: {lost} replacement character(s) U+FFFD: some text was lost "
                                f"before it reached us")
    return text


# -- documents -------------------------------------------------------------------------------------

def document_from(source: Source) -> Document:
    return load_source(source)[0]


def load_source(source: Source) -> tuple[Document, list[str]]:
    """The document and the decoding warnings about it (each naming the file)."""
    is_html = looks_like_html(source.data)
    decoded = decode(source.data, is_html, source.path)
    # A NUL character is a NUL byte in UTF-8: looked for in the bytes, a C memchr.
    if (b"\x00" in decoded.raw) if decoded.raw is not None else ("\x00" in decoded.text):
        raise InputError(f"{source.path}: binary data, not an HTML or text page")
    document = Document(source=source.path, text=decoded.text, is_html=is_html)
    if decoded.raw is not None:
        document.keep_utf8(decoded.raw)
    return document, decoded.warnings


def load_document(path: str, max_bytes: Optional[int] = None) -> tuple[Document, list[str]]:
    return load_source(read_source(path, max_bytes or DEFAULT_MAX_BYTES))


def read_document(path: str, max_bytes: Optional[int] = None) -> Document:
    return load_document(path, max_bytes)[0]
