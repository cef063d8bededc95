"""A base for outlet plugins that are mostly data: subclass, fill in outlets and selectors, and
the hooks below do the rest. Override a method only where data cannot say it."""
from __future__ import annotations

import re
from typing import Optional

from .hookspecs import hookimpl
from .htmlarticle import Selectors, document_ld_article, parse_html_article
from .htmltools import canonical_url, meta_content, names_of
from .model import Article, Document
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
            if outlet.matches_url(_signal(document, "canonical", lambda: canonical_url(tree))):
                return 0.95
            publishers = _signal(document, "publishers",
                                 lambda: list(names_of(document_ld_article(document).get("publisher"))))
            if any(outlet.matches_name(n) for n in publishers):
                return 0.85
            site = _signal(document, "site", lambda: meta_content(tree, "og:site_name", "application-name"))
            if outlet.matches_name(site):
                return 0.8
            if any(_links_into(document, d) for d in outlet.domains):
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
