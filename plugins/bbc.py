"""BBC News and BBC Sport: the 2011 story-body pages, the story-body__inner pages (2013-2020),
BBC Sport's sp-story-body, the newer layout whose class names are hashed but whose
data-component / data-testid attributes are stable, and AMP copies of articles."""
import re
from dataclasses import replace
from typing import Optional

from quoteledger.htmlarticle import Selectors, parse_html_article
from quoteledger.model import Article, Document
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

BBC_NEWS = Outlet(
    name="BBC News", publisher="British Broadcasting Corporation", aliases=("BBC", "BBC Sport", "BBC.com"),
    domains=("bbc.co.uk", "bbc.com"),
    quote_style=QuoteStyle(body="double", headline="single"),
)

# Calls to action and programme notes the BBC sets in the body like paragraphs.
BBC_FURNITURE_TEXT = (
    r"^by [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)+,\s*BBC\b",     # a correspondent's box: "By Nada Tawfik, BBC News, New York"
    r"^(?:listen|watch) (?:to|again|live|back|on)\b.*\b(?:iplayer|bbc|sounds|radio|here|weekdays)\b",
    r"\bis (?:broadcast|on) (?:on )?(?:bbc|radio|[A-Z][a-z]+day)\b.*\b(?:gmt|bst|iplayer|listen again)\b",
    r"^what do you think\b.*\b(?:join|tell us|get in touch|facebook)\b",
    r"^are you (?:in|affected|there)\b.*\b(?:send us|get in touch|contact)\b",
    r"^(?:share your|get in touch|do you have a story)\b",
    r"^more\b.{0,60}\b(?:features|stories|coverage)\b.*:$",
    r"^[A-Z][\w'’ -]+ is the author of\b",
    r"^(?:image|media) (?:source|caption),",
)


class BBC(OutletPlugin):
    outlets = (BBC_NEWS,)
    selectors = Selectors(
        body=("//*[@data-component='text-block']",                          # newer layout
              "(//div[contains(@class,'story-body__inner')])[1]",            # 2013-2020
              "//div[contains(@class,'sp-story-body')]",                     # BBC Sport
              "//div[@class='story-body']"),                                 # 2011
        headline=("//*[@data-component='headline-block']//h1", "//h1[@id='main-heading']",
                  "//h1[contains(@class,'story-body__h1')]", "//h1[contains(@class,'story-headline')]",
                  "//h1[contains(@class,'story-header')]", "//h1"),
        byline=("//*[@data-testid='byline-name']", "//span[contains(@class,'byline__name')]",
                "//span[@class='byline-name']"),
        published=("//*[@data-component='byline-block']//time/@datetime",
                   "//div[contains(@class,'story-info')]//time[@data-timestamp]",
                   "//meta[@property='rnews:datePublished']/@content",
                   "//meta[@name='OriginalPublicationDate']/@content"),
        section=("//meta[@property='article:section']/@content",
                 "//*[contains(@class,'section-tag')]//a"),
        remove=("//*[@data-component='caption-block']", "//*[@data-component='image-block']",
                "//*[@data-component='ad-slot']", "//*[@data-component='links-block']",
                "//*[contains(@class,'bbccom_')]", "//*[contains(@class,'media-placeholder')]",
                "//*[contains(@class,'story-date')]", "//span[contains(@class,'byline')]",
                "//*[contains(@class,'cross-head')]", "//*[contains(@class,'crosshead')]",
                "//*[contains(@class,'embedded-hyper')]", "//*[contains(@class,'story-feature')]",
                "//*[contains(@class,'transmission-info')]", "//*[contains(@class,'contact-form')]",
                "//aside//div[contains(@class,'byline')]", "//*[contains(@class,'share-help')]",
                "//*[contains(@class,'hidden')]", "//*[contains(@class,'off-screen')]",
                "//*[@class='vh' or starts-with(@class,'vh ')]",
                # interactive graphics (idt2) carry their own titles, figures and sources
                "//*[@data-idt-uuid]", "//*[contains(@class,'idt2')]"),
        # A pull-out box of eyewitness words is story text; other asides are furniture.
        keep=("//aside[contains(@class,'pullout')]",),
        headings=("//aside[contains(@class,'pullout')]//h2",),
        furniture_text=BBC_FURNITURE_TEXT,
        not_authors=("BBC News", "BBC Sport", "BBC"),
    )
    # Selectors for templates and furniture that no example page shows yet: each is an example
    # still to write (the conformance kit fails on any other selector that matches no example).
    untested_selectors = (
        "//div[contains(@class,'sp-story-body')]",
        "//h1[contains(@class,'story-headline')]",
        "//h1[contains(@class,'story-header')]",
        "//span[@class='byline-name']",
        "//div[contains(@class,'story-info')]//time[@data-timestamp]",
        "//meta[@name='OriginalPublicationDate']/@content",
        "//*[@data-component='caption-block']",
        "//*[contains(@class,'bbccom_')]",
        "//*[contains(@class,'media-placeholder')]",
        "//*[contains(@class,'story-date')]",
        "//*[contains(@class,'cross-head')]",
        "//*[contains(@class,'crosshead')]",
        "//*[contains(@class,'embedded-hyper')]",
        "//*[contains(@class,'transmission-info')]",
        "//*[contains(@class,'contact-form')]",
        "//aside//div[contains(@class,'byline')]",
        "//*[contains(@class,'share-help')]",
        "//*[contains(@class,'hidden')]",
        "//*[contains(@class,'off-screen')]",
        "//*[@class='vh' or starts-with(@class,'vh ')]",
        '//*[@data-idt-uuid]',
        "//*[contains(@class,'idt2')]",
        "//meta[@property='article:section']/@content",
        "//*[contains(@class,'section-tag')]//a",
        "//aside[contains(@class,'pullout')]",
        "//aside[contains(@class,'pullout')]//h2",
    )

    def parse_html(self, document: Document, outlet: Outlet) -> Article:
        if not is_amp(document.tree()):
            return super().parse_html(document, outlet)
        article = parse_html_article(document, AMP_SELECTORS, outlet.name)
        # The AMP copy's canonical link names the article page; without one, its own address does.
        article.url = article_url(article.url)
        return article


# AMP copies: since 2019 BBC's Simorgh renders them at the article's address plus ".amp"
# (/news/articles/c0abc1234d5o.amp, /news/uk-wales-63012345.amp); from 2016 to 2020 they lived
# at /news/amp/<id>. The story sits in <main role="main">, each paragraph in its own <div>, so
# the densest-paragraphs fallback would read the consent banner (eight <p>s in one <div>) instead.
AMP_BODY = ("//main[@role='main']",)
AMP_REMOVE = (
    # byline, ad slots, related content, most read: Simorgh sets each as a labelled region
    "//section[@role='region']", "//*[@aria-hidden='true']",
    "//time[@datetime]/parent::div",                 # the timestamp line: dates are read from JSON-LD
    "//amp-img", "//amp-ad", "//amp-analytics", "//amp-consent", "//amp-geo", "//amp-list",
    "//amp-iframe", "//amp-video", "//amp-audio", "//amp-sidebar", "//amp-social-share",
    "//amp-twitter", "//amp-instagram", "//amp-facebook", "//amp-youtube",
)
AMP_FURNITURE_TEXT = (
    r"^(?:skip|end of) (?:\w+ )?(?:twitter|x|instagram|facebook|youtube|tiktok) (?:post|content|video)\b",
)
AMP_SELECTORS = replace(BBC.selectors, body=AMP_BODY + BBC.selectors.body,
                        remove=BBC.selectors.remove + AMP_REMOVE,
                        furniture_text=BBC.selectors.furniture_text + AMP_FURNITURE_TEXT)

# ".amp" after the article's own address, or an "/amp/" folder before it
_AMP_ADDRESS = re.compile(r"^(?P<page>https?://[^?#]+?)\.amp(?=$|[?#])|/amp(?=/)")


def is_amp(tree) -> bool:
    """An AMP page says so on its root: <html amp> or <html ⚡>."""
    root = tree.getroottree().getroot()
    return root.get("amp") is not None or root.get("\u26a1") is not None


def article_url(url: Optional[str]) -> Optional[str]:
    """The article page an AMP address stands for; any other address unchanged."""
    if not url:
        return url
    m = _AMP_ADDRESS.search(url)
    if m is None:
        return url
    return m.group("page") + url[m.end():] if m.group("page") else url[:m.start()] + url[m.end():]


plugin = BBC()
