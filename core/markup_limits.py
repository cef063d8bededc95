"""What a page must lose before libxml2 parses it: tags with so many attributes that the parser
would work for minutes, and the end tags of the document.

A Python deadline cannot stop a call into C, so input that makes the C parser slow must be cut
first. libxml2's HTML parser checks each attribute of a tag against all the tag's earlier ones
(to drop duplicates): one element with 150,000 attributes keeps it busy for most of a minute.
Here every tag keeps its first MAX_ATTRIBUTES attributes and loses the rest; real pages stay far
below (the most on any corpus page is 37). Deep nesting is htmltools.flatten_nesting's; a long
line, a long run of errors or unclosed elements cost libxml2 nothing more than their length.

The tags are found as an HTML5 tokenizer finds them (what libxml2 2.14 follows): an attribute
value in quotes may hold '>' and '<'; a comment, and the text of script, style and the like, hold
no tags. A page cannot hide a tag from this scan that the parser then reads. The scan is one
regular expression with possessive quantifiers that never backtrack, so it is linear in the page;
it also finds the end tags of html and body, which used to cost a pass of their own.
"""
from __future__ import annotations

import re

MAX_ATTRIBUTES = 200

_WS = rb"\t\n\f\r "
_SEP = rb"[\t\n\f\r /]*+"                        # between attributes: white space, or a stray '/'
_NAME = rb"[^\t\n\f\r />][^\t\n\f\r />=]*+"      # (an '=' may open a name: HTML5 keeps it)
_VALUE = rb"""(?:"[^"]*+"?|'[^']*+'?|[^\t\n\f\r >]++)"""     # an unclosed quote runs to the end
_ATTRIBUTE = _SEP + _NAME + rb"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+" + _VALUE + rb"?)?"
_FEW = rb"(?:" + _ATTRIBUTE + rb"){0,%d}+" % (MAX_ATTRIBUTES - 1) + _SEP + rb"(?:>|\Z)"
# Elements whose text holds no tags, up to their end tag (or the page's end).
_RAW_TEXT = (b"script", b"style", b"xmp", b"iframe", b"noembed", b"noframes", b"textarea", b"title")
_END = rb"(?=[\t\n\f\r />]|\Z)"


def _any_case(name: bytes) -> bytes:
    # (re.IGNORECASE would slow every character class of the scan, not only these names)
    return b"".join(b"[%c%c]" % (c, c ^ 0x20) for c in name)


_RAW_ELEMENT = b"|".join(rb"<" + _any_case(name) + _END + _FEW + rb"[^<]*+(?:<(?!/" + _any_case(name) + _END
                         + rb")[^<]*+)*+" for name in _RAW_TEXT)


def _first_letter_not_of(names: tuple) -> bytes:
    """A tag name's first letter, when the name is none of these: by first letter, so a tag
    pays one character test for the names it cannot be (the scan's hottest spot)."""
    firsts = sorted({name[:1] for name in names})
    others = bytes(c for c in b"abcdefghijklmnopqrstuvwxyz" if bytes([c]) not in firsts)
    parts = [b"[" + others + others.upper() + b"]"]
    for first in firsts:
        rests = b"|".join(_any_case(name[1:]) for name in names if name[:1] == first)
        parts.append(_any_case(first) + rb"(?!(?:" + rests + rb")" + _END + rb")")
    return b"(?:" + b"|".join(parts) + b")"


_DOCUMENT_END = rb"(?:" + _any_case(b"html") + b"|" + _any_case(b"body") + rb")" + _END
_ORDINARY_TAG = (rb"<(?:" + _first_letter_not_of(_RAW_TEXT + (b"plaintext",)) + rb"|/"
                 + _first_letter_not_of((b"html", b"body")) + rb")[^\t\n\f\r />]*+" + _FEW)
# Most of a page's tags, in a form quick to scan: a plain name and up to twenty attributes, each a
# name and maybe a quoted value, apart. Read so, a tag ends where the tokenizer ends it, and holds far
# fewer than MAX_ATTRIBUTES; any other tag falls to _ORDINARY_TAG, which reads every form.
_PLAIN_TAGS = (rb"<" + _first_letter_not_of(_RAW_TEXT + (b"plaintext",)) + rb"[A-Za-z0-9-]*+"
               rb"(?:[\t\n\f\r ]++[A-Za-z_:@][A-Za-z0-9_:.@-]*+(?:=\"[^\"]*+\"|='[^']*+')?){0,20}+[\t\n\f\r ]*+/?>"
               rb"|</" + _first_letter_not_of((b"html", b"body")) + rb"[A-Za-z0-9-]*+[\t\n\f\r ]*+>")


def _skip(plain_first: bool) -> bytes:
    """What the scan passes over; plain_first: the quick form of _PLAIN_TAGS tried first (the
    scan without it is the reference tests compare it with)."""
    return (rb"(?:[^<]++"
            + (rb"|" + _PLAIN_TAGS if plain_first else b"")
            + rb"|" + _ORDINARY_TAG
            + rb"|<!--(?:-?>|.*?--!?>|.*+)"                  # a comment
            + rb"|" + _RAW_ELEMENT
            + rb"|<" + _any_case(b"plaintext") + _END + rb".*+"       # the rest of the page is text
            + rb"|</" + b"(?:" + b"|".join(map(_any_case, _RAW_TEXT)) + rb")" + _END + _FEW     # their end tags
            + rb"|<[!?][^>]*+>?|</(?![A-Za-z])[^>]*+>?"      # doctype, bogus comments
            + rb"|<(?![A-Za-z!/?])"                          # a '<' that opens nothing
            + rb")*+")


_RAW_CONTENT = {name: re.compile(rb"[^<]*+(?:<(?!/" + _any_case(name) + _END + rb")[^<]*+)*+") for name in _RAW_TEXT}


def _scan(plain_first: bool = True):
    """Everything up to the next tag this module changes (one with too many attributes, or an end
    tag of the document), and that tag's name."""
    return re.compile(_skip(plain_first) + rb"(?P<tag></?[A-Za-z][^\t\n\f\r />]*+)?", re.S)


_TO_NEXT_CHANGE = _scan()
_END_OF_DOCUMENT = re.compile(rb"</" + _DOCUMENT_END)
_KEPT_ATTRIBUTES = re.compile(rb"(?:" + _ATTRIBUTE + rb"){%d}" % MAX_ATTRIBUTES, re.S)
_REST_OF_TAG = re.compile(rb"(?:" + _ATTRIBUTE + rb")*+" + _SEP + rb">?", re.S)


def prepare_page(data: bytes) -> tuple[bytes, int]:
    """The page as libxml2 should get it: every tag cut to its first MAX_ATTRIBUTES attributes,
    and the end tags of html and body dropped (libxml2 drops whatever follows a </html>, and
    mishandles a stray </body>: in a page with an ad's whole document pasted into it, that is the
    story; HTML5 puts such content in the body anyway, and the parser closes both by itself).
    Returns (the page, how many tags were cut); a page with nothing to change comes back as it is."""
    return _prepare(data, _TO_NEXT_CHANGE)


def _prepare(data: bytes, scan) -> tuple[bytes, int]:
    # The kept pieces are views of the page, copied once, by the join: a slice of bytes is a copy,
    # and each fresh copy of a page costs its size in page faults (three of them took 0.3 ms of a
    # 400 kB page's 0.8).
    view = memoryview(data)
    parts: list = []
    pos = cut = 0
    while True:
        found = scan.match(data, pos)
        tag = found.group("tag")
        if tag is None:
            break
        if _END_OF_DOCUMENT.match(tag + b">"):
            parts.append(view[pos:found.start("tag")])
            pos = _REST_OF_TAG.match(data, found.end()).end()
            continue
        kept = _KEPT_ATTRIBUTES.match(data, found.end()).end()
        parts += [view[pos:kept], b">"]
        cut += 1
        pos = _REST_OF_TAG.match(data, kept).end()
        raw = _RAW_CONTENT.get(tag[1:].lower())
        if raw is not None:             # a script's (say) text is kept as it is, never read as tags
            end = raw.match(data, pos).end()
            parts.append(view[pos:end])
            pos = end
    if not parts:
        return data, 0
    parts.append(view[pos:])
    return b"".join(parts), cut
