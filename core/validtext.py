"""Text at the border: what a page, a plugin or a file name hands us made valid Unicode once, before
it reaches a record, the ledger or standard output; and messages made one safe line before they
reach a terminal or a log.

Python strings may hold lone surrogates (a JSON "\\udfff" escape, a file name whose bytes are not
UTF-8, a plugin's own text) that no UTF-8 file, pipe or SQLite text can hold: encoding them raises.
Checking costs one encode of text that is almost always fine (isascii, then encode, both in C).
"""
from __future__ import annotations

import os
import re

# Not text: lone surrogates, and NUL, which SQLite's text functions end a string at (a JSON-LD
# "Budget\u0000 row" became the headline "Budget" in every table search, show and report read).
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
# What must never reach a report line as it is: control characters (a newline forges a line, an
# escape sequence rewrites the terminal), line and paragraph separators, bidirectional overrides
# (they reorder what the reader sees), and lone surrogates.
_UNSAFE_IN_REPORT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                               "\u2066-\u2069\ud800-\udfff]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_valid(text: str) -> bool:
    """True when text can be written as UTF-8 (holds no lone surrogate) and kept whole by SQLite
    (holds no NUL)."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def valid_unicode(text: str) -> tuple[str, int]:
    """(text with each lone surrogate and NUL replaced by U+FFFD, as HTML reads a NUL, and how
    many were). One character for one, so offsets into the text (quotation spans) still hold."""
    if is_valid(text):
        return text, 0
    return _NOT_TEXT.subn("\ufffd", text)


def shown_path(path: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (which Python carries as lone
    surrogates) written \\xNN, as ls -b would, so the name still tells the files apart."""
    if is_valid(path):
        return path
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:        # surrogates no file system produced: a name made up by code
        return valid_unicode(path)[0]


def _escape(m: re.Match) -> str:
    c = m.group(0)
    if c in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[c]
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:       # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def one_line(message: str) -> str:
    """message as one line of valid, plain text: control characters, separators, bidirectional
    overrides and undecodable bytes escaped (a file name cannot forge a line of the report)."""
    if message.isprintable():       # C speed; false for every character escaped below (and a few more)
        return message
    return _UNSAFE_IN_REPORT.sub(_escape, message)


def clean_strings(value, count: list):
    """value (JSON-like: dicts, lists, strings) with every string made valid; count[0] += replaced."""
    if isinstance(value, str):
        text, n = valid_unicode(value)
        count[0] += n
        return text
    if isinstance(value, dict):
        return {clean_strings(k, count): clean_strings(v, count) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_strings(v, count) for v in value]
    return value


_ARTICLE_TEXT_FIELDS = ("outlet", "publisher", "edition", "headline", "published", "modified", "url", "section",
                        "dateline")


def clean_article(article) -> int:
    """Make every text an Article carries valid in place (its fields, byline, chain, paragraphs);
    how many lone surrogates were replaced. Values of the wrong type are left for the schema."""
    replaced = 0
    for name in _ARTICLE_TEXT_FIELDS:
        value = getattr(article, name, None)
        if isinstance(value, str) and not is_valid(value):
            value, n = valid_unicode(value)
            setattr(article, name, value)
            replaced += n
    for paragraph in article.paragraphs if isinstance(article.paragraphs, list) else ():
        text = getattr(paragraph, "text", None)
        if isinstance(text, str) and not is_valid(text):
            paragraph.text, n = valid_unicode(text)
            replaced += n
    for name in ("byline", "chain"):
        value = getattr(article, name, None)
        if isinstance(value, list) and value:
            count = [0]
            cleaned = clean_strings(value, count)
            if count[0]:
                setattr(article, name, cleaned)
                replaced += count[0]
    return replaced
