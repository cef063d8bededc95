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
no tags. A page cannot hide a tag from this scan that the parser then reads. The scan is a
regular expression with possessive quantifiers that never backtrack, so it is linear in the page;
it also finds the end tags of html and body, which used to cost a pass of their own. It stops at
the text of a long script or style (two thirds of a news page's bytes), which a search for '<'
crosses at C speed (_raw_text_end), and reads most tags in a quick form (_PLAIN_TAGS) before the
form that reads any tag (_ORDINARY_TAG). `_reference_prepare` is the same work done the plain
way, one pattern and no quick forms, which the tests hold prepare_page to, byte for byte.
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


# The start tag of such an element, its name captured (the scan stops after it: see _raw_text_end).
_RAW_START = rb"<(?P<raw>" + b"|".join(map(_any_case, _RAW_TEXT)) + rb")" + _END + _FEW


def _first_letters_not_of(names: tuple) -> list:
    """A tag name's first letter, when the name is none of these, as alternatives: by first
    letter, so a tag pays one character test for the names it cannot be (the scan's hottest spot),
    and each alternative can be followed by the rest of its form (one choice where two would be)."""
    firsts = sorted({name[:1] for name in names})
    others = bytes(c for c in b"abcdefghijklmnopqrstuvwxyz" if bytes([c]) not in firsts)
    parts = [b"[" + others + others.upper() + b"]"]
    for first in firsts:
        rests = b"|".join(_any_case(name[1:]) for name in names if name[:1] == first)
        parts.append(_any_case(first) + rb"(?!(?:" + rests + rb")" + _END + rb")")
    return parts


def _first_letter_not_of(names: tuple) -> bytes:
    return b"(?:" + b"|".join(_first_letters_not_of(names)) + b")"


# Each form below is what follows a tag's '<'.
_NOT_RAW = _RAW_TEXT + (b"plaintext",)
_DOCUMENT_END = rb"(?:" + _any_case(b"html") + b"|" + _any_case(b"body") + rb")" + _END
_ORDINARY_TAG = (rb"(?:" + _first_letter_not_of(_NOT_RAW) + rb"|/" + _first_letter_not_of((b"html", b"body"))
                 + rb")[^\t\n\f\r />]*+" + _FEW)
# Most of a page's tags, in a form quick to scan: a plain name and up to twenty attributes, each a
# name and maybe a quoted value, apart. Read so, a tag ends where the tokenizer ends it, and holds far
# fewer than MAX_ATTRIBUTES; any other tag falls to _ORDINARY_TAG, which reads every form. (A value
# that may be missing is an empty alternative: `(...)?` would cost the regex engine a repeat.)
_PLAIN_START_REST = (rb"[A-Za-z0-9-]*+(?:[\t\n\f\r ]++[A-Za-z0-9_:.@-]++(?:=\"[^\"]*+\"|='[^']*+'|)){0,20}+"
                     rb"[\t\n\f\r ]*+/?>")
_PLAIN_TAGS = (rb"/" + _first_letter_not_of((b"html", b"body")) + rb"[A-Za-z0-9-]*+[\t\n\f\r ]*+>|"
               + b"|".join(first + _PLAIN_START_REST for first in _first_letters_not_of(_NOT_RAW)))


# A script or style with little text and no '<' in it (an external script has none: half of a
# page's scripts) is passed over by the scan itself, which costs less than a stop (_raw_text_end).
_SHORT_RAW_ELEMENTS = b"|".join(_any_case(name) + _END + _FEW + rb"[^<]{0,1024}+(?=</" + _any_case(name) + _END + rb")"
                                for name in _RAW_TEXT)
# The reference reads such an element's text in the pattern, up to its end tag (or the page's end).
_RAW_ELEMENTS = b"|".join(_any_case(name) + _END + _FEW + rb"[^<]*+(?:<(?!/" + _any_case(name) + _END
                          + rb")[^<]*+)*+" for name in _RAW_TEXT)


def _skip(quick: bool) -> bytes:
    """What the scan passes over. quick: the quick forms tried first, and the text of a script or
    style left to _raw_text_end; without them, the reference."""
    return (rb"[^<]*+(?:<(?:"
            + (_PLAIN_TAGS + rb"|" if quick else b"")
            + _ORDINARY_TAG
            + rb"|!--(?:-?>|.*?--!?>|.*+)"                  # a comment
            + rb"|" + (_SHORT_RAW_ELEMENTS if quick else _RAW_ELEMENTS)
            # the rest of the page is text, once the tag itself holds few attributes (else it is cut)
            + rb"|" + _any_case(b"plaintext") + _END + _FEW + rb".*+"
            + rb"|/" + b"(?:" + b"|".join(map(_any_case, _RAW_TEXT)) + rb")" + _END + _FEW     # their end tags
            + rb"|[!?][^>]*+>?|/(?![A-Za-z])[^>]*+>?"      # doctype, bogus comments
            + rb"|(?![A-Za-z!/?])"                          # a '<' that opens nothing
            + rb")[^<]*+)*+")


def _scan(quick: bool):
    """Everything up to the next tag this module changes (one with too many attributes, or an end
    tag of the document), and that tag's name; or, quick, up to the text of a script or style."""
    return re.compile(_skip(quick) + rb"(?:" + (_RAW_START + rb"|" if quick else b"")
                      + rb"(?P<tag></?[A-Za-z][^\t\n\f\r />]*+))?", re.S)


_TO_NEXT_CHANGE = _scan(quick=True)
_REFERENCE_SCAN = _scan(quick=False)
_RAW_CONTENT = {name: re.compile(rb"[^<]*+(?:<(?!/" + _any_case(name) + _END + rb")[^<]*+)*+") for name in _RAW_TEXT}
_END_OF_DOCUMENT = re.compile(rb"</" + _DOCUMENT_END)
_KEPT_ATTRIBUTES = re.compile(rb"(?:" + _ATTRIBUTE + rb"){%d}" % MAX_ATTRIBUTES, re.S)
_REST_OF_TAG = re.compile(rb"(?:" + _ATTRIBUTE + rb")*+" + _SEP + rb">?", re.S)


def prepare_page(data: bytes) -> tuple[bytes, int]:
    """The page as libxml2 should get it: every tag cut to its first MAX_ATTRIBUTES attributes,
    and the end tags of html and body dropped (libxml2 drops whatever follows a </html>, and
    mishandles a stray </body>: in a page with an ad's whole document pasted into it, that is the
    story; HTML5 puts such content in the body anyway, and the parser closes both by itself).
    Returns (the page, how many tags were cut); a page with nothing to change comes back as it is."""
    return _prepare(data, _TO_NEXT_CHANGE, _raw_text_end)


def _reference_prepare(data: bytes) -> tuple[bytes, int]:
    """What prepare_page must return, found the plain way (slower by a third)."""
    return _prepare(data, _REFERENCE_SCAN, lambda data, pos, name: _RAW_CONTENT[name].match(data, pos).end())


def _prepare(data: bytes, scan, raw_text_end) -> tuple[bytes, int]:
    # The kept pieces are views of the page, copied once, by the join: a slice of bytes is a copy,
    # and each fresh copy of a page costs its size in page faults (three of them took 0.3 ms of a
    # 400 kB page's 0.8).
    view = memoryview(data)
    parts: list = []
    kept_from = at = cut = 0            # the page from kept_from on is not yet in parts; the scan is at `at`
    while True:
        found = scan.match(data, at)
        stop = found.lastgroup
        if stop is None:                # the page's end
            break
        if stop == "raw":               # a script's (say) text: passed over to its end tag
            at = raw_text_end(data, found.end(), found.group("raw").lower())
            continue
        tag = found.group("tag")
        if _END_OF_DOCUMENT.match(tag + b">"):
            parts.append(view[kept_from:found.start("tag")])
            kept_from = at = _REST_OF_TAG.match(data, found.end()).end()
            continue
        kept = _KEPT_ATTRIBUTES.match(data, found.end()).end()
        parts += [view[kept_from:kept], b">"]
        cut += 1
        kept_from = at = _REST_OF_TAG.match(data, kept).end()
        name = tag[1:].lower()
        if name in _RAW_CONTENT:        # its text is kept as it is, never read as tags
            at = raw_text_end(data, at, name)
        elif name == b"plaintext":      # and after this one, the whole rest of the page
            at = len(data)
    if not parts:
        return data, 0
    parts.append(view[kept_from:])
    return b"".join(parts), cut


_END_BYTES = frozenset(b"\t\n\f\r />")
_HOPS = 16


def _raw_text_end(data: bytes, pos: int, name: bytes) -> int:
    """Where the text of a raw-text element named name (lower case) that starts at pos ends: at
    its end tag, or the page's end. Most of a page's bytes are such text (scripts and styles hold
    two thirds of a news page's), and a C-speed search for '<' crosses it some fifty times faster
    than the scan's pattern; a text with more than a few '<' is left to the pattern."""
    find = data.find
    after = len(name) + 2
    for _ in range(_HOPS):
        at = find(b"<", pos)
        if at < 0:
            return len(data)
        if data[at + 1:at + 2] == b"/" and data[at + 2:at + after].lower() == name:
            follows = at + after
            if follows == len(data) or data[follows] in _END_BYTES:
                return at
        pos = at + 1
    return _RAW_CONTENT[name].match(data, pos).end()
