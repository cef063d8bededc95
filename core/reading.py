"""Reading inputs: files, folders (walked recursively, in sorted order), standard input; bytes
decoded to text; HTML told apart from plain text by content, never by file name."""
from __future__ import annotations

import codecs
import gzip
import os
import re
import sys
from dataclasses import dataclass
from typing import Iterator, Optional

from .model import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|article|p\b)",
                         re.I | re.S)
_HTML_ANY = re.compile(rb"<(?:html|body|div|p|article|head)\b[^>]*>", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


class InputError(Exception):
    """An input that cannot be read: names the file and what is wrong."""


@dataclass
class Source:
    path: str           # as given, or "-"
    data: bytes


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


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: broken gzip file: {exc}") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path}: larger than the {max_bytes // (1024 * 1024)} MB cap a document may have "
                         f"(set --max-bytes to raise it)")
    return Source(path, data)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(codecs.BOM_UTF8)
    if _HTML_START.match(head):
        return True
    return len(_HTML_ANY.findall(data[:65536])) >= 3


def decode(data: bytes, is_html: bool, path: str) -> str:
    """UTF-8 (with or without BOM) and UTF-16 by BOM; else the page's own charset when it decodes;
    else cp1252. Text that decodes nowhere cleanly is refused rather than passed on as mojibake."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:8192]) if is_html else None
    for enc in filter(None, [declared.group(1).decode("ascii", "ignore") if declared else None, "cp1252"]):
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def document_from(source: Source) -> Document:
    is_html = looks_like_html(source.data)
    text = decode(source.data, is_html, source.path)
    if "\x00" in text:
        raise InputError(f"{source.path}: binary data, not an HTML or text page")
    return Document(source=source.path, text=text, is_html=is_html)


def read_document(path: str, max_bytes: Optional[int] = None) -> Document:
    return document_from(read_source(path, max_bytes or DEFAULT_MAX_BYTES))
