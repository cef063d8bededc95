"""Reading exports one record at a time, remembering where each came from.

Three layouts, told apart by content rather than file name: JSON lines (one record a line), a JSON
array of records, and one or more pretty-printed JSON objects one after another. Files may be gzip
compressed. Memory stays bounded by the largest single record, whatever the file's size.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass
from typing import Any, Iterator, Optional

CHUNK = 1 << 20
MAX_RECORD_CHARS = 64 << 20           # a "record" larger than this is a broken file, not a record
EXPORT_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".json")


class _NotJson(ValueError):
    """Text Python's json module reads but JSON forbids (NaN, Infinity), or an object naming one key
    twice (readers disagree on which value wins): the record is refused, never guessed at."""

    def __init__(self, message: str, token: str = ""):
        super().__init__(message)
        self.token = token


def _refuse_constant(name: str):
    raise _NotJson(f"{name} is not a JSON value (JSON has no NaN or Infinity)", name)


def _refuse_duplicates(pairs: list) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _NotJson(f"the key {json.dumps(twice, ensure_ascii=False)} appears twice in one object "
                       f"(JSON readers differ on which value they keep)", twice)
    return record


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates)
_decode_line = _DECODER.decode
# Python reads integers of at most this many digits (sys.get_int_max_str_digits); a longer one is
# refused with a message rather than a traceback.
_DIGITS = re.compile(r"Exceeds the limit \((\d+) digits\)")
_WHITESPACE = " \t\r\n"
_TAIL = 64                            # longer than any JSON token that is not a string


class ReadFailure(Exception):
    """The file could not be read at all (missing, a directory, permission): exit status 2."""


@dataclass
class Item:
    """One record as read, or the syntax problem where a record should have been."""

    line: int                         # 1-based line where the record starts
    index: Optional[int]              # position in a JSON array; None for JSON lines
    record: Any = None
    syntax: Optional[str] = None      # message when the text is not JSON
    column: Optional[int] = None      # 1-based column of a syntax error
    raw: Optional[bytes] = None       # the line as read, for JSON lines
    offset: Optional[int] = None      # byte offset of the line, when the file can be read again there


def iter_files(paths: list) -> Iterator[str]:
    """Files as given; folders walked in sorted order for export files (.jsonl, .json, ... and .gz)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.removesuffix(".gz").endswith(EXPORT_SUFFIXES) and not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def open_binary(path: str):
    """A binary stream for path ('-' is standard input), gunzipped when it starts like gzip."""
    if path == "-" and getattr(sys.stdin, "buffer", None) is None:     # started with it closed (<&-)
        raise ReadFailure("standard input is closed, nothing to read")
    try:
        raw = sys.stdin.buffer if path == "-" else open(path, "rb", buffering=CHUNK)
    except OSError as exc:
        raise ReadFailure(f"cannot read: {exc.strerror or exc}") from exc
    stream = io.BufferedReader(raw) if not hasattr(raw, "peek") else raw
    if stream.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream)
    return stream


def _layout(head: bytes) -> str:
    """'array', 'values' (pretty-printed objects) or 'lines', from the first bytes of the file."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"["):
        return "array"
    first, _, rest = text.partition(b"\n")
    if first.strip() == b"{":
        return "values"
    if first.startswith(b"{") and rest.startswith((b" ", b"\t")):
        try:
            json.loads(first)
        except ValueError:
            return "values"       # an object that goes on over indented lines
    return "lines"


def read_items(path: str) -> Iterator[Item]:
    stream = open_binary(path)
    try:
        head = stream.peek(CHUNK)[:CHUNK] if hasattr(stream, "peek") else b""
        if b"\x00" in head[:4096]:
            # A ledger database or UTF-16 text: one error, not one per "line" of it.
            raise ReadFailure("binary data (or UTF-16 text), not a JSON export")
        layout = _layout(head)
        if layout == "lines":
            yield from _read_lines(stream, seekable=path != "-" and not isinstance(stream, gzip.GzipFile))
        else:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            yield from _read_values(text, array=layout == "array")
    except gzip.BadGzipFile as exc:
        raise ReadFailure(f"broken gzip file: {exc}") from exc
    except (EOFError, zlib.error) as exc:
        raise ReadFailure(f"broken gzip file (cut short, or damaged): {exc}") from exc
    except OSError as exc:
        raise ReadFailure(f"cannot read: {exc.strerror or exc}") from exc
    finally:
        if stream is not getattr(sys.stdin, "buffer", None):
            stream.close()


def _read_lines(stream, seekable: bool) -> Iterator[Item]:
    decode = _decode_line
    offset, start = 0, 0
    for number, raw in enumerate(stream, 1):
        start, offset = offset, offset + len(raw)
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, start = raw[3:], 3
        raw = raw.rstrip()     # so a syntax error's column is on this line, not past its end
        if not raw:
            continue
        try:
            yield Item(number, None, decode(raw.decode("utf-8")), raw=raw, offset=start if seekable else None)
        except json.JSONDecodeError as exc:
            yield Item(number, None, syntax=_syntax_message(exc.msg, exc.colno), column=exc.colno)
        except UnicodeDecodeError as exc:
            yield Item(number, None, syntax=f"not UTF-8 text ({exc.reason})", column=exc.start + 1)
        except (_NotJson, ValueError, RecursionError) as exc:
            yield Item(number, None, syntax=unreadable_value(exc), column=_column_of(raw, exc))


def unreadable_value(exc: BaseException) -> str:
    """The message for JSON text Python's reader refuses or cannot hold: NaN and Infinity,
    duplicate keys, integers too long to convert, nesting too deep to recurse into."""
    if isinstance(exc, RecursionError):
        return f"invalid JSON: nested more than {sys.getrecursionlimit()} levels deep (arrays or objects)"
    digits = _DIGITS.search(str(exc))
    if digits:
        return f"invalid JSON: a number longer than {digits.group(1)} digits"
    return f"invalid JSON: {exc}"


def _column_of(raw: bytes, exc: BaseException):
    """1-based column of the refused token in the line, when it can be told."""
    token = getattr(exc, "token", "")
    if not token or token not in ("NaN", "Infinity", "-Infinity"):
        return None
    at = raw.find(token.encode())
    return at + 1 if at >= 0 else None


def _syntax_message(message: str, column: int) -> str:
    # json's messages end "... starting at" when the position was meant to follow.
    return f"invalid JSON: {message} column {column}" if message.endswith(" at") else f"invalid JSON: {message}"


class _Buffer:
    """A sliding window over a text stream that knows the line number at its start."""

    def __init__(self, text):
        self.text = text
        self.buf = ""
        self.pos = 0
        self.line = 1                 # line number at self.pos
        self.eof = False

    def fill(self) -> bool:
        """Drop what has been consumed and read the next chunk; False at the end of the stream."""
        if self.eof:
            return False
        if len(self.buf) - self.pos > MAX_RECORD_CHARS:
            raise ReadFailure(f"a record over {MAX_RECORD_CHARS >> 20} M characters: not an export")
        chunk = self.text.read(CHUNK)
        if not chunk:
            self.eof = True           # the buffer stays as it was: positions into it stay true
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def skip_space(self) -> str:
        """The next character that is not whitespace ('' at the end), leaving pos on it."""
        while True:
            at = self.pos
            while at < len(self.buf) and self.buf[at] in _WHITESPACE:
                at += 1
            self.advance(at)
            if at < len(self.buf):
                return self.buf[at]
            if not self.fill():
                return ""

    def where(self, at: int):
        """(line, column) of position at in the buffer."""
        line = self.line + self.buf.count("\n", self.pos, at)
        start = self.buf.rfind("\n", 0, at) + 1
        return line, at - start + 1

    def decode(self):
        """The next JSON value, reading more as long as the value runs past the buffer's end."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Cut by the buffer's end: a string runs on to it, or a literal, number or escape
                # sequence is broken off just before it. A real error that close to the end is
                # found again after one more chunk, farther from it.
                truncated = exc.pos >= len(self.buf) - _TAIL or exc.msg.startswith("Unterminated string")
                if truncated and self.fill():
                    continue
                raise
            # A number at the buffer's end may continue in the next chunk.
            if end == len(self.buf) and self.fill():
                continue
            return value, end


def _read_values(text, array: bool) -> Iterator[Item]:
    buf = _Buffer(text)
    index = 0
    try:
        if array:
            buf.skip_space()
            buf.advance(buf.pos + 1)          # past "["
        while True:
            char = buf.skip_space()
            if char == "" or (array and char == "]"):
                break
            if array and index and char == ",":
                buf.advance(buf.pos + 1)
                buf.skip_space()
            elif array and index:
                raise json.JSONDecodeError("Expecting ',' delimiter", buf.buf, buf.pos)
            line = buf.line
            value, end = buf.decode()
            buf.advance(end)
            yield Item(line, index if array else None, value)
            index += 1
        if array and char != "]":
            raise json.JSONDecodeError("Expecting ']' to close the array", buf.buf, buf.pos)
        if array:
            buf.advance(buf.pos + 1)
            if buf.skip_space():
                raise json.JSONDecodeError("Extra data after the array", buf.buf, buf.pos)
    except json.JSONDecodeError as exc:
        # Inside one JSON document there is no telling where the next record starts: stop here.
        line, column = buf.where(exc.pos)
        yield Item(line, index if array else None, syntax=_syntax_message(exc.msg, column), column=column)
    except UnicodeDecodeError as exc:
        yield Item(buf.line, index if array else None, syntax=f"not UTF-8 text ({exc.reason})")
    except (_NotJson, ValueError, RecursionError) as exc:
        # As for a syntax error: inside one JSON document the next record cannot be found.
        yield Item(buf.line, index if array else None, syntax=unreadable_value(exc))
