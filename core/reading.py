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
import stat
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

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
# The encodings web pages are written in (the WHATWG Encoding Standard's, by Python's codec
# names). A declared label is looked up and must name one of these: no other codec ever decodes a
# page (utf-7, unicode_escape and their kind turn the page's own bytes into escapes and lone
# surrogates; rot13 and base64 are not text at all).
_WEB_ENCODINGS = {"cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "tis-620", "cp932",
                  "cp949", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis",
                  "euc_kr", "hz"} | {f"cp{n}" for n in range(1250, 1259)} | \
                 {f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16)}
# WHATWG labels Python's codec registry does not know.
_WEB_ALIASES = {"windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "windows-31j": "cp932",
                "windows-949": "cp949", "iso-8859-8-i": "iso8859-8", "x-cp1252": "cp1252", "x-sjis": "shift_jis"}
# Decoders that accept nearly any bytes, so a lying <meta> would decode "successfully" into
# nonsense; they are believed only when the bytes are not plain Western text.
_PERMISSIVE_CODECS = {"cp932", "cp949", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp",
                      "shift_jis", "euc_kr", "hz"}
# A page whose <meta> or XML declaration can be read as ASCII is not in these (a real one has a
# byte-order mark or NULs, found before): WHATWG reads such a declaration as UTF-8.
_WIDE_CODECS = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


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


@dataclass
class Skipped:
    """Something met while walking the input that is not read as a document, and why."""

    path: str
    reason: str
    lost: bool = False      # it may hold documents that were not read: the run has failed

    def message(self) -> str:
        return f"{self.path}: {'not read' if self.lost else 'skipped'}: {self.reason}"


def own_files(ledger=None, output=None) -> dict:
    """{real path: why} of the files a run writes, which its own input walk must not read back."""
    own = {}
    if ledger:
        real = os.path.realpath(ledger)
        own[real] = "the ledger this run writes"
        for suffix in ("-wal", "-shm", "-journal"):
            own[real + suffix] = "the ledger's own journal, which this run writes"
    if output not in (None, "-"):
        own[os.path.realpath(output)] = "the output this run writes"
    return own


def _report_skipped(skipped: Skipped) -> None:
    from .validtext import one_line

    if sys.stderr is None:          # started with stderr closed
        return
    try:
        print(one_line(f"quoteledger: {skipped.message()}"), file=sys.stderr)
    except (OSError, ValueError):   # stderr full or closed: the line is lost, never the run
        pass


_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    return next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")


def iter_paths(paths: list[str], skipped: Optional[Callable[[Skipped], None]] = None,
               exclude: Optional[dict] = None) -> Iterator[str]:
    """The documents to read, in a fixed order. A path given by name is read as it is (a file, a
    FIFO or /dev/stdin within the document's deadline, '-' for standard input); a folder gives its
    regular files in sorted order, then its sub-folders' the same way. Links are followed, to
    files and to folders alike; a folder reached a second time (a link loop, or the same folder
    by another name) is not read again. Hidden files and MANIFEST.tsv are passed over silently.

    Everything else met is handed to `skipped` (by default reported on stderr): FIFOs, sockets
    and devices inside folders (reading one could block forever), broken links, folders that
    cannot be read (marked lost: their documents were not read), folders with no documents, and
    the paths in `exclude` ({real path: why}, say the ledger this run writes and its companions)."""
    skipped = skipped or _report_skipped
    exclude = exclude or {}
    for path in paths:
        if path == "-":
            yield path
            continue
        why = exclude.get(os.path.realpath(path)) if exclude else None
        if why:
            skipped(Skipped(path, why))
        elif os.path.isdir(path):
            found = yield from _walk(path, skipped, exclude)
            if not found:
                skipped(Skipped(path, "no documents in this folder"))
        else:
            yield path


def _walk(top: str, skipped: Callable[[Skipped], None], exclude: dict):
    """iter_paths for one folder; returns how many documents it gave."""
    found = 0
    seen: dict = {}             # (device, inode) -> the name a folder was read under
    stack = [(top, os.path.realpath(top))]
    while stack:
        folder, real = stack.pop()
        try:
            st = os.stat(folder)
            first = seen.get((st.st_dev, st.st_ino))
            if first is not None:
                skipped(Skipped(folder, f"the same folder as {first}, read already (a link loop, or one "
                                        f"folder by two names)"))
                continue
            seen[(st.st_dev, st.st_ino)] = folder
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped(Skipped(folder, f"cannot read this folder: {exc.strerror}", lost=True))
            continue
        folders = []
        for entry in entries:
            name = entry.name
            try:
                is_link = entry.is_symlink()
                if entry.is_dir():
                    folders.append(entry)
                    continue
                if name.startswith(".") or name == "MANIFEST.tsv":
                    continue
                if entry.is_file():
                    target = os.path.realpath(entry.path) if is_link else os.path.join(real, name)
                    why = exclude.get(target) if exclude else None
                    if why:
                        skipped(Skipped(entry.path, why))
                    else:
                        found += 1
                        yield entry.path
                elif is_link and not os.path.exists(entry.path):
                    skipped(Skipped(entry.path, f"a link to nothing ({os.readlink(entry.path)})"))
                else:
                    skipped(Skipped(entry.path, f"{_kind(entry.stat().st_mode)}, not a regular file"))
            except OSError as exc:
                skipped(Skipped(entry.path, f"cannot tell what it is: {exc.strerror}", lost=True))
        for entry in reversed(folders):     # a stack: the first folder is walked first
            sub_real = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real, entry.name)
            stack.append((entry.path, sub_real))
    return found


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
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:               # started with standard input closed (<&-)
                raise InputError("-: standard input is closed, nothing to read")
            data = stdin.read(max_bytes + 1)
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


def _codec(label: str) -> Optional[str]:
    """Python's name for the codec a declared label names, None when it names none."""
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


# EBCDIC, the mainframes' encodings: no encoding of web pages, but a wire story exported from
# one is text all the same. Its space is byte 0x40 ("@" in ASCII) and its letters are high bytes,
# which read as cp1252 would give a page of symbols and no story (and a clean exit).
_ASCII_SPACE = 0x20
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e\t\n\r]")
_EBCDIC_CODECS = {"cp037", "cp273", "cp500", "cp1026", "cp1140"}
_EBCDIC_DECLARED = re.compile(r"""(?i)charset\s*=\s*["']?([\w-]+)|encoding\s*=\s*["']([\w-]+)""")


def _looks_ebcdic(data: bytes) -> bool:
    """EBCDIC text: its letters and digits are high bytes, hardly a byte is an ASCII space, and
    read as EBCDIC it is nearly all printable ASCII. (A page in an East Asian encoding is dense
    with high bytes too, but read as EBCDIC they give as many symbols and accents as letters.)"""
    sample = data[:65536]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high < 0.4 * len(sample) or sample.count(_ASCII_SPACE) > 0.01 * len(sample):
        return False
    text = sample.decode("cp037")
    return len(_PRINTABLE_ASCII.findall(text)) >= 0.8 * len(text)


def _decode_ebcdic(data: bytes, path: str) -> Decoded:
    """EBCDIC text, by the code page its own declaration names where Python knows it (cp500,
    cp1140, ...), else cp037 (US EBCDIC: its letters, digits, space and common punctuation are
    every code page's)."""
    first = data[:8192].decode("cp037")
    m = _EBCDIC_DECLARED.search(first)
    declared = _codec((m.group(1) or m.group(2)).lower()) if m else None
    codec = declared if declared in _EBCDIC_CODECS else "cp037"
    return Decoded(data.decode(codec), codec, [f"{path}: EBCDIC text (its spaces are byte 0x40), which no web "
                                              f"page is written in; read as {codec.upper()}"])


def _decode_single_byte(data: bytes, is_html: bool, path: str, charset: Optional[str] = None) -> Decoded:
    if _looks_ebcdic(data):
        return _decode_ebcdic(data, path)
    declared = _declared(data, is_html) or charset
    codec = _codec(declared) if declared and declared not in _WEB_1252 and declared not in _UTF8_LABELS else None
    if codec in _WEB_ENCODINGS:
        permissive = codec in _PERMISSIVE_CODECS
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
        western = _plain_western(data)
        if text is not None and "\x00" not in text and not (permissive and western):
            fallback = _cp1252_or_latin1(data)
            if western and _oddity(text) > _oddity(fallback):
                return Decoded(fallback, "cp1252", [f"{path}: declares charset {declared}, but its words read "
                                                    f"as cp1252 (mixed scripts or symbols inside words); read as cp1252"])
            return Decoded(text, codec)
    warnings = []
    if declared in _UTF8_LABELS or codec == "utf-8":
        warnings.append(f"{path}: declares charset {declared} but is not UTF-8; read as cp1252")
    elif codec in _WIDE_CODECS:
        warnings.append(f"{path}: declares charset {declared}, but its declaration reads as ASCII, which "
                        f"{codec.upper()} text cannot; read as cp1252")
    elif declared and declared not in _WEB_1252 and codec not in _WEB_ENCODINGS and codec != "cp1252":
        warnings.append(f"{path}: declares charset {declared}, which is not an encoding of web pages; "
                        f"read as cp1252")
    elif declared and declared not in _WEB_1252 and codec != "cp1252":
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


def _mostly_utf8(data: bytes) -> bool:
    """Mixed encodings (a UTF-8 page with a paragraph pasted from cp1252) when most of its high
    bytes form valid UTF-8 sequences. A page in a legacy encoding makes a few such sequences by
    chance (cp1251's "Сё" is the bytes of a valid UTF-8 letter; Shift_JIS makes many), but most
    of its high bytes are not UTF-8 at all: it is read by its declared charset instead."""
    sample = data[:65536]
    covered = sum(map(len, _UTF8_MULTIBYTE.findall(sample)))
    if not covered:
        return False
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    return 2 * covered >= high


_HIGH_BYTES = bytes(range(0x80, 0x100))


def decode(data: bytes, is_html: bool, path: str, charset: Optional[str] = None) -> Decoded:
    """Text from bytes: by BOM (UTF-8, UTF-16, UTF-32); UTF-16 without one by its NULs; then UTF-8
    when it is valid (it almost never is by accident, so it beats a <meta charset> that lies);
    UTF-8 with stray non-UTF-8 bytes as mixed; else the declared single-byte charset (charset: the
    one the HTTP header gave, for a page that declares none), else cp1252."""
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
            if _mostly_utf8(data):
                decoded = _decode_mixed(data, path, exc)
            else:
                decoded = _decode_single_byte(data, is_html, path, charset)
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


def load_source(source: Source, is_html: Optional[bool] = None,
                charset: Optional[str] = None) -> tuple[Document, list[str]]:
    """The document and the decoding warnings about it (each naming the file). is_html and
    charset: what the page's container said of it (an archive's HTTP headers), when it did."""
    if not source.data:
        raise InputError(f"{source.path}: empty, nothing to read")
    sniffed = is_html is None
    is_html = looks_like_html(source.data) if is_html is None else is_html
    decoded = decode(source.data, is_html, source.path, charset)
    if sniffed and not is_html and decoded.encoding.startswith(("utf-16", "utf-32") + tuple(_EBCDIC_CODECS)):
        # Markup in a two- or four-byte encoding (a page saved as "Unicode"), or in EBCDIC: its
        # bytes hid the tags from the sniff, and the page would be read as a text story of its own markup.
        is_html = looks_like_html(decoded.text[:65536].encode("utf-8", "replace"))
    if not decoded.text or decoded.text.isspace():      # (a byte-order mark alone decodes to "")
        raise InputError(f"{source.path}: nothing but white space, nothing to read")
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
