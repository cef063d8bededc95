"""Safe HTML parsing and the metadata every outlet page shares (JSON-LD, OpenGraph, <meta>).

Parsing never touches the network, never expands entities and keeps huge-tree limits on:
pages come from the open web.
"""
from __future__ import annotations

import json
import re
from typing import Iterable, Optional

from lxml import etree, html

_PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                          huge_tree=False, recover=True, default_doctype=False)
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "button", "form", "select",
              "figcaption"}
_SPACE = re.compile(r"\s+")


def parse_html(text: str):
    """An lxml tree for the page; a page with nothing parsable gives an empty <html>."""
    if not text.strip():
        return html.fromstring("<html></html>")
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = html.fromstring("<html></html>")
    return root


def clean_text(s: Optional[str]) -> str:
    return _SPACE.sub(" ", (s or "").replace("\u00a0", " ")).strip()


def element_text(el) -> str:
    """Visible text of an element: scripts, styles, buttons and captions never become text."""
    parts: list[str] = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        if tag.lower() == "br":
            parts.append(" ")
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not el and node.tail:
            parts.append(node.tail)

    walk(el)
    return clean_text("".join(parts))


def meta_content(tree, *names: str) -> Optional[str]:
    """First non-empty <meta name|property|itemprop=...> content among names."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for el in tree.xpath(f"//meta[@{attr}=$n]", n=name):
                value = clean_text(el.get("content"))
                if value:
                    return value
    return None


def canonical_url(tree) -> Optional[str]:
    for el in tree.xpath("//link[@rel='canonical'][@href]"):
        if el.get("href", "").startswith("http"):
            return el.get("href").strip()
    return meta_content(tree, "og:url")


_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[(.*?)(?://\s*)?\]\]>\s*$", re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _loads_lenient(raw: str):
    """JSON-LD as outlets write it: CDATA wrappers, trailing commas, raw newlines in strings."""
    raw = raw.strip()
    m = _CDATA.match(raw)
    if m:
        raw = m.group(1)
    for attempt in (raw, _TRAILING_COMMA.sub(r"\1", raw)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


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

    for script in tree.xpath("//script[@type='application/ld+json']"):
        data = _loads_lenient(script.text or "")
        if data is not None:
            collect(data)
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
    out: list[str] = []
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
        if name and name not in out:
            out.append(name)
    return out


def first(iterable: Iterable):
    for item in iterable:
        return item
    return None
