"""The fallback for every other outlet: claims any page, below every outlet plugin, names the outlet
from the page itself (og:site_name, JSON-LD publisher, the URL's host), reads its metadata from
JSON-LD, OpenGraph and <meta>, and finds the story with the boilerplate-aware body finder.

PagePlugin is also the base for outlet plugins that need no selectors of their own: they add names,
domains and a publisher, and read pages exactly as the fallback does."""
from __future__ import annotations

import re
from functools import cached_property
from typing import Optional
from urllib.parse import urlparse

from lxml import etree

from quoteledger import readers
from quoteledger.boilerplate import story_container, story_paragraphs
from quoteledger.hookspecs import hookimpl
from quoteledger.htmlarticle import document_ld_article, first_xpath, split_authors
from quoteledger.htmltools import canonical_link, clean_text, element_text, json_ld, json_ld_article, names_of
from quoteledger.model import Article, Paragraph
from quoteledger.outlet import PRIORITY_GENERIC, Outlet, host_of, name_key
from quoteledger.plugin_base import (OutletPlugin, selected_authors, selected_date, selected_dateline,
                                     selected_text, story_reader)
from quoteledger.readers import read_story

GENERIC = Outlet(name="(generic)", priority=PRIORITY_GENERIC)

# Where pages name their authors when JSON-LD does not.
BYLINE_XPATHS = (
    "//*[@itemprop='author']//*[@itemprop='name']",
    "//a[@rel='author']",
    "//*[@data-component='meta-byline' or @data-link-name='byline']//a",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]//a[contains(@href,'/profile') or contains(@href,'/author')]",
    "//*[contains(@class,'byline__name') or contains(@class,'byline-name') or contains(@class,'author-name')"
    " or contains(@class,'authorName') or contains(@class,'metadata__byline__author')]",
    "//*[contains(@class,'byline') or contains(@class,'Byline')][not(.//*[contains(@class,'byline')])]",
)
# Whether any of BYLINE_XPATHS can match, in one pass over the page's attributes: most pages
# without a byline would otherwise be searched six times.
# (Each contains() copies the class list out of the tree: one test of what two words share
# rules out most class lists with one copy instead of four.)
_MAY_NAME_AUTHORS = etree.XPath(
    "boolean(//@class[(contains(., 'yline') and (contains(., 'byline') or contains(., 'Byline'))) or "
    "(contains(., 'uthor') and (contains(., 'author-name') or contains(., 'authorName')))] | "
    "//@itemprop[. = 'author'] | //a/@rel[. = 'author'] | "
    "//@data-component[. = 'meta-byline'] | //@data-link-name[. = 'byline'])")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?")
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,40}$")
_PROFILE = re.compile(r"/(?:profile|author|authors|people|by)/([a-z]+(?:-[a-z]+){1,3})/?$", re.I)
_CREDIT_TAIL = re.compile(r",?\s*(?:for\s+)?(?:CNN|AP|The Associated Press|Associated Press|Reuters|PA|AFP|"
                          r"PA Media|Press Association)(?:\s+\w+)?\s*$")
_ANALYSIS = re.compile(r"^(?:analysis|opinion|commentary|review|interview|story|reporting|text|words|"
                       r"photographs?|photos?|video)\s+by\s+", re.I)


def page_meta(tree) -> dict:
    """<meta> name/property/itemprop -> content, lowercased keys, first value wins. Some saved
    pages carry the value in a `value` attribute instead of `content`."""
    out: dict = {}
    for el in tree.iter("meta"):
        value = clean_text(el.get("content") if el.get("content") is not None else el.get("value"))
        if not value:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in out:
                out[key] = value
    return out


def iso_datetime(value) -> Optional[str]:
    """An ISO 8601 date-time as the page gives it, zone kept; None for anything else."""
    if not isinstance(value, str):
        return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    date, time, zone = m.groups()
    if not time:
        return date
    if zone and len(zone) == 5:               # +0100 -> +01:00
        zone = zone[:3] + ":" + zone[3:]
    return f"{date}T{time}{zone or ''}"


def first_text(value) -> Optional[str]:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return clean_text(value) or None if isinstance(value, str) else None


def tidy_name(name: str) -> str:
    """'MATT O'BRIEN' -> 'Matt O'Brien'; names written in capitals are common in bylines."""
    if name.isupper() and len(name) > 3:
        return re.sub(r"\b([A-Z])([A-Z']*)", lambda m: m.group(1) + m.group(2).lower(), name).replace(
            "O'b", "O'B").replace("Mcc", "McC")
    return name


def byline_names(raw: list, exclude: set, credits: bool = True) -> list[str]:
    """Author names from what pages give: 'By X and Y, CNN', 'Analysis by X', URLs. A trailing
    agency or outlet credit (", CNN") is dropped unless credits=False (the organisation is the byline)."""
    names: dict = {}        # in first-seen order, each once, found without a scan of the list
    for text in raw:
        text = clean_text(text)
        if not text or text.startswith("http"):
            continue
        text = _ANALYSIS.sub("", text)
        if credits:
            text = _CREDIT_TAIL.sub("", text)
        for name in split_authors(text):
            name = tidy_name(_ANALYSIS.sub("", name).strip(" ,;:"))
            if (name and name.lower() not in exclude and not re.search(r"\d", name)
                    and len(name.split()) <= 5):
                names.setdefault(name)
    return list(names)


def profile_names(urls: str) -> list[str]:
    """Names from author profile URLs (article:author often holds only those)."""
    out = []
    for url in re.split(r"[,\s]+", urls or ""):
        m = _PROFILE.search(urlparse(url).path) if url.startswith("http") else None
        if m:
            out.append(" ".join(w.capitalize() for w in m.group(1).split("-")))
    return out


class PageMetadata:
    """What a page says about itself, from JSON-LD first, then OpenGraph and <meta>, then markup."""

    def __init__(self, tree, url: Optional[str] = None, ld: Optional[dict] = None):
        self.tree = tree
        self.ld = json_ld_article(tree) if ld is None else ld
        self.meta = page_meta(tree)
        self.given_url = url

    def get(self, *keys) -> Optional[str]:
        for key in keys:
            if self.meta.get(key):
                return self.meta[key]
        return None

    # Each of these is asked for several times a page (and may parse all its JSON-LD): read once.
    @cached_property
    def publisher(self) -> Optional[str]:
        names = names_of(self.ld.get("publisher"))
        if not names:
            for obj in json_ld(self.tree):
                if obj.get("@type") in ("Organization", "NewsMediaOrganization") and obj.get("name"):
                    names = names_of(obj)
                    break
        return names[0] if names else None

    @cached_property
    def site_name(self) -> Optional[str]:
        return (self.get("og:site_name", "application-name", "twitter:site:name") or self.publisher
                or host_of(self.url) or None)

    @cached_property
    def url(self) -> Optional[str]:
        canonical = canonical_link(self.tree)
        if canonical:
            return canonical
        for value in (self.get("og:url"), first_text(self.ld.get("url")), self.given_url):
            if value and value.startswith("http"):
                return value
        return self.given_url

    def headline(self, credits: tuple = ()) -> Optional[str]:
        """The story's headline, without the " | Site" or " | Author" tail many titles carry."""
        for value in (first_text(self.ld.get("headline")), self.get("og:title", "twitter:title", "headline")):
            if value:
                return self._untailed(value, credits)
        h1 = self.tree.xpath("//h1")
        if h1 and element_text(h1[0]):
            return element_text(h1[0])
        title = clean_text(self.tree.findtext(".//title"))
        return _TITLE_SUFFIX.sub("", title) or None

    def _untailed(self, headline: str, credits: tuple) -> str:
        m = _TITLE_SUFFIX.search(headline)
        if not m:
            return headline
        tail = name_key(m.group(0).lstrip(" |-–—"))
        known = [name_key(n) for n in (self.site_name, self.publisher, self.section, "editorial", *credits) if n]
        if any(k and (tail == k or tail.startswith(k + " ") or k.startswith(tail + " ")) for k in known):
            return headline[:m.start()].rstrip()
        return headline

    def byline(self, outlet: Optional[str]) -> list[str]:
        exclude = {n.lower() for n in (outlet, self.publisher, self.site_name) if n}
        people = [a for a in _as_list(self.ld.get("author"))
                  if not (isinstance(a, dict) and a.get("@type") in ("Organization", "NewsMediaOrganization"))]
        names = byline_names(names_of(people), exclude)
        if not names:
            names = byline_names([self.get("author", "article:author_name", "byl", "sailthru.author",
                                           "parsely-author", "dc.creator") or ""], exclude)
        if not names and _MAY_NAME_AUTHORS(self.tree):
            names = byline_names([element_text(el) for el in first_xpath(self.tree, BYLINE_XPATHS)], exclude)
        if not names:
            names = profile_names(self.get("article:author") or "")
        if not names:       # an organisation is the byline when nothing else is
            names = byline_names(names_of(self.ld.get("author")), set(), credits=False)
        return names[:12]

    @property
    def published(self) -> Optional[str]:
        return self._date("datePublished", "article:published_time", "datepublished", "pubdate",
                          "publishdate", "date", "dc.date", "sailthru.date", "parsely-pub-date")

    @property
    def modified(self) -> Optional[str]:
        return self._date("dateModified", "article:modified_time", "datemodified", "og:updated_time", "lastmod")

    def _date(self, ld_key: str, *meta_keys: str) -> Optional[str]:
        found = iso_datetime(first_text(self.ld.get(ld_key))) or iso_datetime(self.get(*meta_keys))
        if not found and ld_key == "datePublished":
            for el in self.tree.xpath("//time[@datetime]"):
                found = iso_datetime(el.get("datetime"))
                if found:
                    break
        return found

    @cached_property
    def section(self) -> Optional[str]:
        value = self.get("article:section", "section", "articlesection") or first_text(self.ld.get("articleSection"))
        return value.title() if value and value.isupper() else value


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


# "NASHVILLE, Tenn. (AP) —", "Edinburgh (CNN) --", "(CNN)": a place and a news agency in brackets,
# then a dash (or nothing after a bare agency), opening the story's first paragraph.
AGENCIES = ("AP", "CNN", "Reuters", "AFP", "PA", "UPI", "Bloomberg", "dpa", "ANSA", "Xinhua", "EFE", "CNS",
            "CNN Business", "CNNMoney", "CNN Money", "AP Photo")
DATELINE = re.compile(r"^(?P<dateline>(?:[A-Z][\w.'’ /,-]{0,60}?\s*)?\((?:" + "|".join(map(re.escape, AGENCIES))
                      + r")\)(?:\s*(?:—|–|--|-)\s*|(?=[A-Z“\"‘])))")


def take_dateline(article: Article) -> None:
    """Move the dateline out of the first paragraph into article.dateline, so it is never read as
    part of a quotation or a speaker."""
    first = next((p for p in article.paragraphs if p.kind == "text"), None)
    m = DATELINE.match(first.text) if first else None
    if m and len(first.text) > m.end() + 20:
        article.dateline = m.group("dateline").strip(" —–-")
        first.text = first.text[m.end():].lstrip()


def is_live_blog(tree, ld: dict) -> bool:
    types = _as_list(ld.get("@type"))
    return "LiveBlogPosting" in types or any(
        "LiveBlogPosting" in _as_list(o.get("@type")) for o in json_ld(tree))


class PagePlugin(OutletPlugin):
    """The base for outlet plugins: reads pages with the generic metadata and body finders, and
    takes every field of the plugin's `selectors` first wherever one is given. A body selector
    chooses where the story is; the generic furniture removal (captions, asides, related links,
    ads) still applies inside it, as do the plugin's own remove, keep, headings, embeds and
    furniture fields, which are honoured around the generic body finder too."""

    def parse_html(self, document, outlet) -> Article:
        tree = document.tree()
        s = self.selectors
        meta = PageMetadata(tree, document.url, document_ld_article(document))
        article = Article(outlet=outlet.name if outlet is not GENERIC else meta.site_name)
        article.publisher = outlet.publisher or meta.publisher
        article.byline = [n for n in (selected_authors(tree, s) or meta.byline(article.outlet))
                          if n.lower() not in {a.lower() for a in s.not_authors}]
        article.headline = (selected_text(tree, s.headline)
                            or meta.headline(credits=(article.outlet, *outlet.aliases, *article.byline)))
        article.published = selected_date(tree, s.published) or meta.published
        article.modified = selected_date(tree, s.modified) or meta.modified
        article.url = meta.url
        article.section = selected_text(tree, s.section) or meta.section
        own = self._own_reader(tree)
        chain = [own] if own[0] == readers.GENERIC else [own, (readers.GENERIC, lambda: story_paragraphs(tree))]
        read_story(article, chain + readers.fallbacks(tree, meta.ld))
        article.dateline = selected_dateline(tree, article.paragraphs, s)
        if not article.dateline:
            take_dateline(article)
        return article

    def body(self, tree) -> list[Paragraph]:
        return self._own_reader(tree)[1]()

    def _own_reader(self, tree) -> tuple:
        """(reader's name, reader) for the first link of the page's reader chain: the plugin's body
        selectors when they match; otherwise the generic finder, shaped by the plugin's fields."""
        s = self.selectors
        chosen = first_xpath(tree, s.body) if s.body else []
        shaped = s.remove or s.keep or s.headings or s.embeds or s.furniture_text or s.furniture_headings
        if chosen:
            return readers.SELECTORS, lambda: story_reader(s).read(chosen)
        if not shaped:
            return readers.GENERIC, lambda: story_paragraphs(tree)

        def shaped_generic():   # the generic finder says where the story is; the plugin's fields shape it
            container = story_container(tree)
            return story_reader(s).read([container] if container is not None else [])
        return readers.GENERIC, shaped_generic


class Generic(PagePlugin):
    outlets = (GENERIC,)

    def detect(self, document, outlet):
        return 0.1

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        # The outlet is whatever the page or the container says, never "(generic)".
        if not self.owns(outlet):
            return None
        if document.is_html:
            return self.parse_html(document, outlet)
        article = self.parse_text(document, outlet)
        article.outlet = document.hints.get("outlet") or document.hints.get("agency")
        return article


plugin = Generic()
