"""Safe HTML parsing and the metadata every outlet page shares (JSON-LD, OpenGraph, <meta>).

Parsing never touches the network, never expands entities (a DOCTYPE's internal subset is cut
out before parsing, so neither XXE nor "billion laughs" can start) and keeps huge-tree limits on:
pages come from the open web. Comments and processing instructions are dropped at parse time;
scripts and styles stay in the tree (JSON-LD lives there) but never become text.
"""
from __future__ import annotations

import json
import re
from typing import Iterable, Optional

from lxml import etree, html

from .markup_limits import prepare_page

# The text is already decoded (reading.py); the parser must not guess again from a missing or
# stale <meta charset>, or "£" comes out as "Â£".
_PARSER = html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                          huge_tree=False, recover=True, default_doctype=False)
# Every element is an HtmlElement, chosen in C: lxml.html's own lookup calls back into Python for
# each element touched (to make <form> a FormElement), which doubles the cost of a walk.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction, entity=html.HtmlEntity))
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "button", "form", "select",
              "figcaption"}
_SPACE = re.compile(r"\s+")
# <!DOCTYPE x [ <!ENTITY ...> ... ]>: entity declarations have no business in a news page.
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]{0,500}\[.*?\]\s*>", re.I | re.S)
# libxml2 drops everything after a </html> (and mishandles a stray </body>); markup_limits drops
# those end tags from the page's bytes, and this from the text of a page too deep to parse.
_END_OF_DOCUMENT = re.compile(r"</(?:html|body)\s*>", re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]{0,40})\b[^<>]{0,5000}?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}
# Tags that end an open one of their kind, so they add a level or two, never a tower.
_SELF_ENDING = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "dt", "dd", "option"}
# libxml2 stops at depth 256 without huge_tree and drops the rest of the page; tags nested
# deeper than this are flattened away instead, so their text survives.
MAX_NESTING = 200


def parse_html(text: str, utf8: Optional[bytes] = None):
    """An lxml tree for the page; a page with nothing parsable gives an empty <html>. utf8, when
    given, is text's UTF-8 spelling (as read from a file), parsed without encoding text again."""
    if not text or text.isspace():      # without copying the page to strip it
        return html.fromstring("<html></html>")
    head = text[:4096]
    if "<!" in head and _INTERNAL_SUBSET.search(head):
        text, utf8 = _INTERNAL_SUBSET.sub("", head, count=1) + text[4096:], None
    data = utf8 if utf8 is not None else text.encode("utf-8", errors="replace")
    root = _parse(data)
    if any("Excessive depth" in e.message for e in _PARSER.error_log):
        root = _parse(flatten_nesting(_END_OF_DOCUMENT.sub("", text)).encode("utf-8", errors="replace"))
    if _STREAMED.search(data):
        place_streamed_segments(root)
    return root


# React's streaming render (Next.js and others) sends the parts of a page that waited on data at
# the end of <body>, each in <div hidden id="S:n">; a script then moves each into the place held
# by its <template id="B:n"> (a boundary) or <template id="P:n"> (a segment). A page read without
# running the script has its story hidden at the bottom, out of order.
# A page may hold such segments when it holds 'id="S:' (or 'id=\'S:'); its UTF-8 bytes hold them
# exactly when its text does. Searched for the rarer 'S:' first, then looked behind from it: 0.12
# ms a page of corpus/html, where searching the text for both strings took 0.42.
_STREAMED = re.compile(rb"""S:(?<=id="S:|id='S:)""")
_SEGMENTS = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")
_SLOTS = etree.XPath("//template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]")


def place_streamed_segments(root) -> None:
    """Move each streamed segment into its slot, as the page's script would: the page then reads
    as it is shown. A segment without a slot stays where it is (hidden)."""
    slots = {slot.get("id")[2:]: slot for slot in _SLOTS(root)}
    for segment in _SEGMENTS(root):
        slot = slots.pop(segment.get("id")[2:], None)
        parent = slot.getparent() if slot is not None else None
        if parent is None or any(a is segment for a in slot.iterancestors()):
            continue
        at = parent.index(slot)
        moved = list(segment)
        _append_text(parent, at, segment.text)
        for offset, child in enumerate(moved):
            parent.insert(at + offset, child)     # moves child with its tail
        _drop_keeping_tail(slot)
        _drop_keeping_tail(segment)


def _append_text(parent, at: int, text: Optional[str]) -> None:
    """Put text where parent's child number `at` begins (after the child before it)."""
    if not text:
        return
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[at - 1]
        before.tail = (before.tail or "") + text


def _drop_keeping_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    _append_text(parent, parent.index(el), el.tail)
    parent.remove(el)


def _parse(data: bytes):
    # What would make libxml2 work for minutes, where no deadline can stop it, is cut first.
    data, _ = prepare_page(data)
    try:
        return html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return html.fromstring("<html></html>")


def flatten_nesting(text: str, limit: int = MAX_NESTING) -> str:
    """The page with every tag nested deeper than limit removed (their text kept). One pass,
    counting open and close tags; void and self-closed tags do not nest."""
    depth = 0
    out: list[str] = []
    last = 0
    for m in _TAG.finditer(text):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclosing or name in _SELF_ENDING:
            continue      # they do not nest, and they keep paragraph boundaries in the flattened page
        deep = depth >= limit if not closing else depth > limit
        depth = depth + 1 if not closing else max(0, depth - 1)
        if deep:
            out.append(text[last:m.start()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def clean_text(s: Optional[str]) -> str:
    # str.split() breaks at exactly the characters re's \s matches (no-break space among them):
    # the same as collapsing each run of them to one space and stripping, at half the cost.
    return " ".join(s.split()) if s else ""


def element_text(el, skip=None) -> str:
    """Visible text of an element: scripts, styles, buttons and captions never become text,
    nor any element in skip (furniture a plugin has marked)."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        return clean_text(el.tail)      # as asked for a script itself: its tail, as ever
    if not len(el) and tag and tag != "br":
        return clean_text(el.text)      # a block of plain text, most of a page's: nothing to walk
    parts: list[str] = []
    append = parts.append

    def walk(node):
        # node's children, each with its text, its own children and its tail; a child skipped
        # keeps only its tail. A comment's text is never text.
        for child in node:
            tag = child.tag
            if isinstance(tag, str):
                tag = tag.lower()
                if not (tag in _SKIP_TAGS or (skip and child in skip)):
                    if tag == "br":
                        append(" ")
                    if child.text:
                        append(child.text)
                    walk(child)
            if child.tail:
                append(child.tail)

    if tag == "br":
        append(" ")
    if tag and el.text:
        append(el.text)
    walk(el)
    return clean_text("".join(parts))


def _document_iter(tree, tag: str):
    """Elements named tag anywhere in tree's document, in document order, as "//tag" selects
    them. A tag-filtered walk runs in C; an XPath with a predicate costs a whole scan in libxml2."""
    whole = tree.getroottree() if hasattr(tree, "getroottree") else tree
    return whole.iter(tag)


def meta_content(tree, *names: str) -> Optional[str]:
    """First non-empty <meta name|property|itemprop=...> content among names."""
    metas = [el for el in _document_iter(tree, "meta") if el.attrib]
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for el in metas:
                if el.get(attr) != name:
                    continue
                # Some saved pages carry the value in value= rather than content=.
                value = clean_text(el.get("content") or el.get("value"))
                if value:
                    return value
    return None


def canonical_link(tree) -> Optional[str]:
    """The href of the first <link rel="canonical"> that is an absolute http(s) URL."""
    for el in _document_iter(tree, "link"):
        if el.get("rel") == "canonical" and el.get("href") is not None and el.get("href", "").startswith("http"):
            return el.get("href").strip()
    return None


def canonical_url(tree) -> Optional[str]:
    return canonical_link(tree) or meta_content(tree, "og:url")


_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[(.*?)(?://\s*)?\]\]>\s*$", re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# Hand-written JSON-LD (Reuters 2019-2020) quotes some values with single quotes.
_SINGLE_QUOTED_VALUE = re.compile(r"(:\s*)'((?:[^'\\]|\\.)*?)'(\s*[,}\]])", re.S)
_LD_STRING_FIELD = re.compile(r'"(headline|datePublished|dateModified|dateCreated|articleSection|url)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_LD_NAMED_FIELD = re.compile(r'"(author|publisher|creator)"\s*:\s*(?:\[\s*)?(?:\{[^{}]*?"name"\s*:\s*)?"((?:[^"\\]|\\.)*)"', re.S)


def _salvage(raw: str):
    """The fields we need from JSON-LD too broken to parse: flat string fields and the first
    author/publisher name. Better a partial article object than none."""
    if not re.search(r'"@type"\s*:\s*"(?:News)?Article"', raw):
        return None
    found: dict = {"@type": "NewsArticle"}
    for key, value in _LD_STRING_FIELD.findall(raw):
        found.setdefault(key, _unescape_json(value))
    for key, value in _LD_NAMED_FIELD.findall(raw):
        if value:
            found.setdefault(key, {"name": _unescape_json(value)})
    return found


def _unescape_json(value: str) -> str:
    try:
        return json.loads(f'"{value}"', strict=False)
    except ValueError:
        return value


def _loads_lenient(raw: str):
    """JSON-LD as outlets write it: CDATA wrappers, trailing commas, raw newlines in strings,
    single-quoted values; failing all that, the fields _salvage can still read."""
    raw = raw.strip()
    m = _CDATA.match(raw)
    if m:
        raw = m.group(1)
    # Each repair only when the text before it does not parse: they scan the whole blob.
    attempt = raw
    for repair in (None, _without_trailing_commas, _requoted):
        if repair is not None:
            attempt = repair(attempt)
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
        except RecursionError:      # nested past the interpreter's depth: only what _salvage finds
            break
    return _salvage(raw)


def _without_trailing_commas(text: str) -> str:
    return _TRAILING_COMMA.sub(r"\1", text)


def _requoted(text: str) -> str:
    return _SINGLE_QUOTED_VALUE.sub(lambda m: m.group(1) + json.dumps(m.group(2)) + m.group(3), text)


def json_ld(tree) -> list[dict]:
    """Every JSON-LD object on the page, @graph flattened."""
    found: list[dict] = []

    def collect(obj):
        if isinstance(obj, list):
            for item in obj:
                collect(item)
        elif isinstance(obj, dict):
            found.append(obj)
            if "@graph" in obj:
                collect(obj["@graph"])
            # Some pages nest the article one level down: {"@context": ..., "article": {...}}.
            for key, value in obj.items():
                if key not in ("@graph", "publisher", "author", "image", "mainEntityOfPage") \
                        and isinstance(value, dict) and "@type" in value and "headline" in value:
                    collect(value)

    for script in _document_iter(tree, "script"):
        if script.get("type") != "application/ld+json":
            continue
        data = _loads_lenient(script.text or "")
        if data is not None:
            try:
                collect(data)
            except RecursionError:  # a hostile block nested just short of the decoder's limit
                continue
    return found


ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "LiveBlogPosting", "OpinionNewsArticle", "WebPage", "ReviewNewsArticle", "Report"}


def json_ld_article(tree) -> dict:
    """The page's article object from JSON-LD, or {}."""
    best: dict = {}
    for obj in json_ld(tree):
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in ARTICLE_TYPES for t in types if isinstance(t, str)):
            if not best or ("headline" in obj and "headline" not in best) or types[0] != "WebPage":
                best = obj if (not best or "headline" in obj) else best
    return best


def names_of(value) -> list[str]:
    """author/publisher as JSON-LD gives them: a string, an object, or a list of either."""
    out: dict = {}          # the names in first-seen order, each once (a list's `in` made 100,000 authors quadratic)
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            name = item
        elif isinstance(item, dict):
            name = item.get("name") or ""
            if isinstance(name, list):
                name = name[0] if name else ""
        else:
            continue
        name = clean_text(str(name))
        if name:
            out.setdefault(name)
    return list(out)


def first(iterable: Iterable):
    for item in iterable:
        return item
    return None


# -- dates ------------------------------------------------------------------------------------
# Zones as outlets print them next to a time ("5:10am EDT", "UTC 2014", "GMT+0000").
ZONE_OFFSETS = {"UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00", "BST": "+01:00", "CET": "+01:00",
                "CEST": "+02:00", "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
                "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00", "IST": "+05:30",
                "ET": None}
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                      "oct", "nov", "dec"), start=1)}
_ISO = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*"
                  r"(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4})?)?")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
# "Fri Aug 3, 2012 5:10am EDT", "Tue Dec 30 03:51:13 UTC 2014", "Tue Dec 13 2016 18:06:00 GMT+0000",
# "13 November 2015", "Nov 13 2015, 7:25 am ET"
_MONTH_FIRST = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+(?:(\d{4}),?\s+)?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?"
                          r"\s*([AaPp]\.?[Mm]\.?)?\s*([A-Z]{1,4})?(?:([+-]\d{4}))?)?(?:\s+(\d{4}))?")
_DAY_FIRST = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?\s+(\d{4})\b")


def _zone(text: Optional[str]) -> str:
    if not text:
        return ""
    if re.match(r"^[+-]\d{2}:?\d{2}$", text):
        return text if ":" in text else text[:3] + ":" + text[3:]
    return ZONE_OFFSETS.get(text.upper()) or ""


def _iso(year, month, day, hour=None, minute=None, second=None, zone="") -> Optional[str]:
    from datetime import datetime
    try:
        datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except (TypeError, ValueError):
        return None
    date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if hour is None:
        return date
    return f"{date}T{int(hour):02d}:{int(minute):02d}:{int(second or 0):02d}{zone}"


def parse_date(value: Optional[str]) -> Optional[str]:
    """An ISO 8601 date-time (with its zone when the page gives one) from the ways pages write
    dates: ISO, epoch seconds, "Fri Aug 3, 2012 5:10am EDT", "2011/12/02 00:03:39". A value it
    cannot read gives None rather than a guess."""
    value = clean_text(value)
    if not value:
        return None
    if _EPOCH.match(value):
        from datetime import datetime, timezone
        seconds = int(value[:10])
        return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    m = _ISO.match(value)
    if m:
        year, month, day, hour, minute, second, fraction, zone = m.groups()
        if hour is None:
            return _iso(year, month, day)
        iso = _iso(year, month, day, hour, minute, second, "")
        if iso is None:
            return None
        zone = "Z" if zone == "Z" else _zone(zone)
        return iso[:-3] + (":" + second + (fraction or "") if second else ":00") + zone if fraction else iso + zone
    m = _MONTH_FIRST.search(value)
    if m and m.group(1)[:3].lower() in MONTHS and (m.group(3) or m.group(10)):
        month_name, day, year, hour, minute, second, ampm, zone, offset, year_after = m.groups()
        year = year or year_after
        if hour is not None and ampm:
            hour = int(hour) % 12 + (12 if ampm.lower().startswith("p") else 0)
        return _iso(year, MONTHS[month_name[:3].lower()], day, hour, minute, second, _zone(offset) or _zone(zone))
    m = _DAY_FIRST.search(value)
    if m and m.group(2)[:3].lower() in MONTHS:
        return _iso(m.group(3), MONTHS[m.group(2)[:3].lower()], m.group(1))
    return None
