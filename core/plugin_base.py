"""The machinery under outlet plugins that are mostly data: OutletPlugin implements the hooks from
an outlet list and Selectors; the helpers below read a page by a plugin's selectors, and
selector_problems says, before any page is read, which selectors can never work.

Plugin authors subclass PagePlugin (quoteledger_plugins.generic), which honours every Selectors
field on top of the generic page reader. Override a method only where data cannot say it."""
from __future__ import annotations

import re
from dataclasses import fields
from functools import lru_cache
from typing import Optional

from lxml import etree

from .boilerplate import _holds_story, is_furniture
from .boilerplate import is_furniture_text as generic_furniture_text
from .hookspecs import hookimpl
from .htmlarticle import (GENERIC_REMOVE, BodyReader, Selectors, _cut_dateline, _date_of, document_ld_article,
                          first_xpath, parse_html_article, split_authors)
from .htmltools import canonical_url, clean_text, element_text, meta_content, names_of
from .model import Article, Document, Paragraph
from .outlet import Outlet
from .textparse import parse_text_story


def _signal(document: Document, name: str, compute):
    """What every outlet's detect reads from a page (canonical URL, JSON-LD publisher, site name),
    computed once per document rather than once per outlet asked: each costs a walk of the tree."""
    memo = document.__dict__.setdefault("_detect_signals", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


# A link to a page, up to its path: the host of every URL in a page's markup.
_LINKED_HOST = re.compile(r"https?://([\w.-]*)/")
_PLAIN_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*")


def linked_domains(head: str) -> frozenset:
    r"""Every domain the page links into, read in one scan: for a link to https://a.example.com/,
    a.example.com, example.com and com. A domain is in it exactly when the pattern
    https?://(?:[\w-]+\.)*DOMAIN/ occurs in head, which outlets' detect once searched for each."""
    found = set()
    for host in set(_LINKED_HOST.findall(head)):
        labels = host.split(".")
        for k in range(len(labels)):
            if k and not labels[k - 1]:
                break       # "a..example.com": the labels before a domain are never empty
            found.add(".".join(labels[k:]))
    return frozenset(found)


def page_url(document: Document) -> Optional[str]:
    """The address an HTML page gives itself (canonical link, else og:url), read once a page."""
    if not document.is_html:
        return None
    return _signal(document, "canonical", lambda: canonical_url(document.tree()))


def _links_into(document: Document, domain: str) -> bool:
    if _PLAIN_DOMAIN.fullmatch(domain):
        return domain in _signal(document, "linked", lambda: linked_domains(document.text[:200_000]))
    head = document.text[:200_000]
    return domain + "/" in head and bool(re.search(r"https?://(?:[\w-]+\.)*" + re.escape(domain) + r"/", head))


class OutletPlugin:
    outlets: tuple = ()
    selectors: Selectors = Selectors()
    # Regular expressions that mark this outlet's text ("(Reuters) -").
    text_markers: tuple = ()

    @hookimpl
    def quoteledger_register_outlets(self, register):
        for outlet in self.outlets:
            register(outlet)

    def owns(self, outlet: Outlet) -> bool:
        return any(outlet is o for o in self.outlets)

    @hookimpl
    def quoteledger_detect(self, document: Document, outlet: Outlet) -> Optional[float]:
        if not self.owns(outlet):
            return None
        return self.detect(document, outlet)

    def detect(self, document: Document, outlet: Outlet) -> float:
        hinted = document.hints.get("outlet")
        if hinted:
            return 1.0 if outlet.matches_name(hinted) else 0.0
        if outlet.matches_url(document.url):
            return 1.0
        if document.is_html:
            tree = document.tree()
            if outlet.matches_url(page_url(document)):
                return 0.95
            publishers = _signal(document, "publishers",
                                 lambda: list(names_of(document_ld_article(document).get("publisher"))))
            if any(outlet.matches_name(n) for n in publishers):
                return 0.85
            site = _signal(document, "site", lambda: meta_content(tree, "og:site_name", "application-name"))
            if outlet.matches_name(site):
                return 0.8
            # Links are the weakest sign: most pages link to a news site or two. They count only for
            # a page that says nothing of itself (no address, publisher or site name of its own),
            # such as a page saved from its outlet with its head cut short.
            names_itself = bool(page_url(document) or publishers or site)
            if not names_itself and any(_links_into(document, d) for d in outlet.domains):
                return 0.3
            return 0.0
        head = document.text[:3000]
        if any(re.search(p, head) for p in self.text_markers):
            return 0.7
        return 0.0

    @hookimpl
    def quoteledger_parse(self, document: Document, outlet: Outlet) -> Optional[Article]:
        if not self.owns(outlet):
            return None
        article = self.parse_html(document, outlet) if document.is_html else self.parse_text(document, outlet)
        article.outlet = outlet.name
        article.publisher = article.publisher or outlet.publisher
        article.edition = (article.edition or outlet.edition_for_url(article.url or document.url)
                           or outlet.edition_for_name(document.hints.get("outlet")))
        return article

    def parse_html(self, document: Document, outlet: Outlet) -> Article:
        return parse_html_article(document, self.selectors, outlet.name)

    def parse_text(self, document: Document, outlet: Outlet) -> Article:
        return parse_text_story(document, outlet.name)


# -- reading a page by a plugin's selectors --------------------------------------------------------

def selected_text(tree, exprs: tuple) -> Optional[str]:
    """The text of what the first matching selector finds (an element or an attribute value)."""
    found = first_xpath(tree, exprs)
    if not found:
        return None
    return (clean_text(found[0]) if isinstance(found[0], str) else element_text(found[0])) or None


def selected_date(tree, exprs: tuple) -> Optional[str]:
    return _date_of(first_xpath(tree, exprs)) if exprs else None


def selected_authors(tree, selectors: Selectors) -> list[str]:
    names: list[str] = []
    for found in first_xpath(tree, selectors.byline):
        for name in split_authors(found if isinstance(found, str) else element_text(found)):
            if name not in names:
                names.append(name)
    return names


def selected_dateline(tree, paragraphs: list, selectors: Selectors) -> Optional[str]:
    """The dateline the plugin's dateline and dateline_text fields cut from the first paragraph."""
    if not (selectors.dateline or selectors.dateline_text):
        return None
    return _cut_dateline(tree, paragraphs, selectors)


class StoryReader(BodyReader):
    """The body reader for a plugin's selectors that keeps the generic furniture removal: inside
    the elements a body selector chose, what the generic finder takes for furniture by its markup
    (captions, asides, ad slots, share bars) or its text ("Sponsor Message", a lone time stamp) is
    left out, unless the plugin's keep or headings selectors say it is story text."""

    _roots: frozenset = frozenset()
    _plain = False

    def read(self, elements) -> list[Paragraph]:
        self._roots = frozenset(e for e in elements if isinstance(e, etree._Element))
        return super().read(elements)

    def _is_furniture_element(self, el) -> bool:
        if super()._is_furniture_element(el):
            return True
        return (el not in self._roots and el not in self._kept and el not in self._embeds
                and not (self._kept and any(a in self._kept for a in el.iterancestors()))
                and is_furniture(el) and not _holds_story(el))

    def _emit(self, el, out: list, kind: str) -> None:
        self._plain = el in self._headings or bool(self._kept) and (
            el in self._kept or any(a in self._kept for a in el.iterancestors()))
        try:
            super()._emit(el, out, kind)
        finally:
            self._plain = False

    def is_furniture_text(self, text: str) -> bool:
        return super().is_furniture_text(text) or (not self._plain and generic_furniture_text(text))


def story_reader(selectors: Selectors) -> StoryReader:
    return StoryReader(remove=selectors.remove + GENERIC_REMOVE, keep=selectors.keep, headings=selectors.headings,
                       embeds=selectors.embeds, furniture_text=selectors.furniture_text,
                       furniture_headings=selectors.furniture_headings)


# -- selectors that can never work ---------------------------------------------------------------

# Selectors fields holding regular expressions; every other field holds XPath expressions.
PATTERN_FIELDS = ("dateline_text", "furniture_text", "furniture_headings")
# Fields holding plain strings (names), neither XPath nor patterns.
NAME_FIELDS = ("not_authors",)


def selector_problems(selectors) -> list[str]:
    """What is wrong with a plugin's selectors, each with its fix: not a Selectors, a field given
    one string where a tuple is wanted, an XPath that does not compile, a pattern that does not."""
    if not isinstance(selectors, Selectors):
        return [f"selectors is {type(selectors).__name__}, not quoteledger.htmlarticle.Selectors; "
                f"fix: selectors = Selectors(body=(...), ...)"]
    problems = []
    for f in fields(Selectors):
        value = getattr(selectors, f.name)
        if f.name == "dateline_text":
            values = (value,) if value else ()
            if not isinstance(value, str):
                problems.append(f"selectors.dateline_text must be one regular expression (a string), "
                                f"not {type(value).__name__}")
                continue
        elif isinstance(value, str):
            problems.append(f"selectors.{f.name} is a string; fix: make it a tuple, ({value!r},) "
                            f"(note the trailing comma)")
            continue
        else:
            try:
                values = tuple(value)
            except TypeError:
                problems.append(f"selectors.{f.name} must be a tuple of strings, not {type(value).__name__}")
                continue
        for item in values:
            if not isinstance(item, str) or not item.strip():
                problems.append(f"selectors.{f.name} holds {item!r}; each entry must be a non-empty string")
            elif f.name in PATTERN_FIELDS:
                try:
                    re.compile(item)
                except re.error as exc:
                    problems.append(f"selectors.{f.name} {item!r} is not a regular expression: {exc}")
            elif f.name not in NAME_FIELDS:
                problems.extend(f"selectors.{f.name} {item!r} {p}" for p in _xpath_problems(item))
    return problems


@lru_cache(maxsize=4096)
def _xpath_problems(expr: str) -> tuple:
    """Compiled, then tried on an empty page: lxml finds an unknown function only when it runs."""
    try:
        etree.XPath(expr)(_EMPTY_PAGE)
    except etree.XPathSyntaxError as exc:
        return (f"is not valid XPath ({exc}); fix: correct the expression",)
    except etree.XPathError as exc:
        return (f"cannot be evaluated ({exc}); fix: use plain XPath 1.0, no variables or extension functions",)
    return ()


_EMPTY_PAGE = etree.fromstring("<html><body/></html>")
