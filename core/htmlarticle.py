"""Turning an outlet's HTML page into an Article, driven by the data an outlet plugin declares
(selectors for body, headline, byline, dates) with JSON-LD, OpenGraph and <meta> as fallbacks,
and the densest run of paragraphs when no selector matches."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from lxml import etree

from .htmltools import (canonical_url, clean_text, element_text, json_ld_article, meta_content,
                        names_of)
from .model import Article, Document, Paragraph


@dataclass(frozen=True)
class Selectors:
    """XPath expressions, tried in order; the first that finds something wins."""

    body: tuple = ()            # paragraph elements of the story
    headline: tuple = ()
    byline: tuple = ()          # elements whose text is one author each
    published: tuple = ()       # elements/attributes giving the date
    remove: tuple = ()          # furniture inside the body: captions, related links, ads
    embeds: tuple = ()          # embedded social posts inside the body


GENERIC_REMOVE = (
    "//figure", "//figcaption", "//aside", "//nav", "//footer", "//header//nav",
    "//*[contains(@class,'related')]", "//*[contains(@class,'newsletter')]",
    "//*[contains(@class,'share')]", "//*[contains(@class,'advert')]",
    "//*[contains(@class,'caption')]", "//*[contains(@class,'read-more')]",
    "//*[contains(@class,'comments')]",
)
EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post")

_BY = re.compile(r"^\s*(?:by|written by|words by)\s+", re.I)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\|)\s*")
_ROLE_TAIL = re.compile(r"\s*(?:[,|\-–—]\s*)?(?:(?:Senior|Chief|Political|Business|Health|Sports?|Technology|Tech|"
                        r"Entertainment|Security|Economics|Staff|Special)\s+)*(?:correspondent|reporter|editor|writer|"
                        r"journalist|analyst)\b.*$", re.I)


def first_xpath(tree, exprs) -> list:
    for expr in exprs:
        try:
            found = tree.xpath(expr)
        except etree.XPathError:
            continue
        if found:
            return found
    return []


def split_authors(text: str) -> list[str]:
    text = _BY.sub("", clean_text(text))
    text = _ROLE_TAIL.sub("", text)
    names = [n.strip(" .") for n in _BYLINE_SPLIT.split(text)]
    return [n for n in names if n and len(n) < 60 and not n.lower().startswith(("updated", "published"))]


def _dedupe(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def densest_paragraphs(tree) -> list:
    """The container holding the most paragraph text: the story body when nothing else says."""
    best, best_score = None, 0
    for container in tree.iter("div", "article", "section", "main", "span", "td"):
        ps = [p for p in container if isinstance(p.tag, str) and p.tag in ("p", "blockquote", "h2")]
        score = sum(len(element_text(p)) for p in ps if p.tag == "p")
        if score > best_score:
            best, best_score = container, score
    if best is None:
        return []
    return [p for p in best if isinstance(p.tag, str) and p.tag in ("p", "blockquote")]


def _is_embed(el) -> bool:
    cls = " ".join(filter(None, (el.get("class"), *(a.get("class") for a in el.iterancestors()))))
    return any(c in cls for c in EMBED_CLASSES)


def paragraphs_from(elements, remove_exprs) -> list[Paragraph]:
    out: list[Paragraph] = []
    seen = set()
    for el in elements:
        if id(el) in seen:
            continue
        seen.add(id(el))
        for expr in remove_exprs:
            try:
                for junk in el.xpath("." + expr if expr.startswith("//") else expr):
                    if junk is not el and junk.getparent() is not None:
                        junk.drop_tree()
            except (etree.XPathError, AssertionError):
                continue
        text = element_text(el)
        if not text:
            continue
        if _is_embed(el):
            out.append(Paragraph(text, "embed"))
        elif el.tag == "blockquote" or any(a.tag == "blockquote" for a in el.iterancestors()):
            out.append(Paragraph(text, "blockquote"))
        else:
            out.append(Paragraph(text))
    return out


def iso_date(value: Optional[str]) -> Optional[str]:
    """ISO 8601 as pages give it; anything else is dropped rather than guessed."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?", value)
    if not m:
        return None
    date, time, zone = m.groups()
    if not time:
        return date
    return f"{date}T{time}{zone or ''}"


def parse_html_article(document: Document, selectors: Selectors, outlet_name: Optional[str] = None) -> Article:
    tree = document.tree()
    ld = json_ld_article(tree)
    article = Article(outlet=outlet_name)

    heads = first_xpath(tree, selectors.headline + ("//h1",))
    headline = clean_text(ld.get("headline")) if isinstance(ld.get("headline"), str) else ""
    if heads:
        headline = element_text(heads[0]) if not isinstance(heads[0], str) else clean_text(heads[0])
    article.headline = headline or meta_content(tree, "og:title") or clean_text(tree.findtext(".//title")) or None

    authors: list[str] = []
    for el in first_xpath(tree, selectors.byline):
        authors.extend(split_authors(el if isinstance(el, str) else element_text(el)))
    if not authors:
        authors = [a for n in names_of(ld.get("author")) for a in split_authors(n)]
    if not authors:
        author = meta_content(tree, "author", "article:author")
        if author and not author.startswith("http"):
            authors = split_authors(author)
    article.byline = _dedupe(authors)

    published = None
    for el in first_xpath(tree, selectors.published):
        published = iso_date(el if isinstance(el, str) else (el.get("datetime") or el.get("content") or element_text(el)))
        if published:
            break
    article.published = published or iso_date(ld.get("datePublished")) or iso_date(
        meta_content(tree, "article:published_time", "datePublished", "pubdate", "date"))
    article.modified = iso_date(ld.get("dateModified")) or iso_date(meta_content(tree, "article:modified_time", "dateModified"))
    article.url = canonical_url(tree) or document.url
    article.section = meta_content(tree, "article:section") or (ld.get("articleSection") if isinstance(ld.get("articleSection"), str) else None)

    body = first_xpath(tree, selectors.body) or densest_paragraphs(tree)
    article.paragraphs = paragraphs_from(body, selectors.remove + GENERIC_REMOVE)
    for el in first_xpath(tree, selectors.embeds):
        text = element_text(el)
        if text:
            article.paragraphs.append(Paragraph(text, "embed"))
    return article
