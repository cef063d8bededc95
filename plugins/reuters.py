"""Reuters: the 2012-2016 site (span#articleText), the 2019-2020 site (StandardArticleBody,
hand-written JSON-LD), the 2023 site (data-testid paragraphs) and The Wider Image; editions
uk., in., widerimage. The dateline opening a story goes to Article.dateline and the closing
"Reporting by ...; Editing by ..." credits are not story text."""
import re

from quoteledger.htmlarticle import Selectors, split_authors
from quoteledger.htmltools import element_text
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

REUTERS = Outlet(
    name="Reuters", publisher="Thomson Reuters", aliases=("Reuters.com", "Thomson Reuters"),
    domains=("reuters.com",),
    editions=(("uk.reuters.com", "UK"), ("in.reuters.com", "India"), ("widerimage.reuters.com", "Wider Image")),
    quote_style=QuoteStyle(body="double", headline="single"),
)

# "BEIRUT/THE HAGUE, March 7 (Reuters) -", "SURABAYA, Indonesia/JAKARTA (Reuters) -", "(Reuters) -"
DATELINE = (r"^(?:[A-Z][\w.'’/ -]*(?:,\s*[A-Z][\w.'’/ -]*)*?(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s+)?"
            r"\((?:Reuters|Reuters Breakingviews|IFR|Thomson Reuters Foundation)\)\s*[-\u2013\u2014]+\s*")
CREDITS = (
    r"^\(?(?:additional |writing and )?(?:reporting|writing|editing|compiled|graphics?|photo editing|text editing)"
    r"\b.{0,40}\bby\b.*\)?$",
    r"^\(?(?:reporting|writing|editing) by\b",
    r"^\((?:graphic|factbox|reuters poll|interactive|for a (?:graphic|factbox))\b.*\)$",
    r"^(?:photo editing|text editing|layout|photography)\b.*;",
    r"^our standards:",
    r"^(?:read more|related coverage|sign up here)\b",
)


class Reuters(OutletPlugin):
    outlets = (REUTERS,)
    text_markers = (r"^[A-Z][A-Z./ ]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\(Reuters\)\s+[-\u2013\u2014]",
                    r"^[A-Z][A-Z./ ]+\s+\(Reuters\)\s+[-\u2013\u2014]")
    selectors = Selectors(
        body=("//span[@id='articleText']",                                  # 2012-2016
              "//div[contains(@class,'StandardArticleBody_body')]",          # 2019-2020
              "//div[contains(@class,'ArticleBodyWrapper')]",
              "//div[starts-with(@data-testid,'paragraph-')]",               # 2023 onwards
              "//div[contains(@class,'entry-content')]"),                   # The Wider Image
        headline=("//h1[@data-testid='Heading']", "//h1[contains(@class,'headline')]",
                  "//h1[contains(@class,'entry-title')]", "//h1"),
        byline=("//div[@id='articleInfo']//p[contains(@class,'byline')]",
                "//div[contains(@class,'article-info')]//span[contains(@class,'byline')]",
                "//div[contains(@class,'BylineBar_byline')]//a",
                "//a[@rel='author']",
                "//*[contains(@class,'entry-author-name')]",
                "//meta[@name='article:author']/@content"),
        published=("//meta[@property='og:article:published_time']/@content",
                   "//meta[@name='article:published_time']/@content",
                   "//div[@id='articleInfo']//span[@class='timestamp']"),
        modified=("//meta[@name='article:modified_time']/@content", "//meta[@name='REVISION_DATE']/@content"),
        section=("//meta[@property='og:article:section']/@content", "//meta[@name='article:section']/@content",
                 "//meta[@name='DCSext.ContentChannel']/@content"),
        remove=("//div[@id='articleInfo']", "//*[contains(@class,'Attribution_')]",
                "//*[contains(@class,'sign-off')]", "//*[contains(@class,'trustBadge')]",
                "//*[contains(@class,'image-caption')]", "//*[contains(@class,'image-wrapper')]",
                "//*[contains(@class,'entry-ad')]", "//*[contains(@class,'Slideshow')]",
                "//*[contains(@class,'Image_')]", "//*[contains(@class,'toolbar')]",
                "//*[@data-testid='ArticleToolbar']", "//*[contains(@class,'read-next')]"),
        keep=("//figure[contains(@class,'widget')]",),
        dateline=("//span[@class='articleLocation']",),
        dateline_text=DATELINE,
        furniture_text=CREDITS,
        not_authors=("Reuters", "Reuters Staff", "Thomson Reuters"),
    )
    # Selectors for templates and furniture that no example page shows yet: each is an example
    # still to write (the conformance kit fails on any other selector that matches no example).
    untested_selectors = (
        "//span[@id='articleText']",
        "//div[contains(@class,'StandardArticleBody_body')]",
        "//div[contains(@class,'ArticleBodyWrapper')]",
        "//div[contains(@class,'entry-content')]",
        "//h1[contains(@class,'headline')]",
        "//h1[contains(@class,'entry-title')]",
        "//div[@id='articleInfo']//p[contains(@class,'byline')]",
        "//div[contains(@class,'article-info')]//span[contains(@class,'byline')]",
        "//div[contains(@class,'BylineBar_byline')]//a",
        "//*[contains(@class,'entry-author-name')]",
        "//meta[@property='og:article:published_time']/@content",
        "//meta[@name='article:published_time']/@content",
        "//div[@id='articleInfo']//span[@class='timestamp']",
        "//div[@id='articleInfo']",
        "//*[contains(@class,'Attribution_')]",
        "//*[contains(@class,'sign-off')]",
        "//*[contains(@class,'trustBadge')]",
        "//*[contains(@class,'image-caption')]",
        "//*[contains(@class,'image-wrapper')]",
        "//*[contains(@class,'entry-ad')]",
        "//*[contains(@class,'Slideshow')]",
        "//*[contains(@class,'Image_')]",
        "//*[contains(@class,'toolbar')]",
        "//*[@data-testid='ArticleToolbar']",
        "//*[contains(@class,'read-next')]",
        "//meta[@name='article:modified_time']/@content",
        "//meta[@name='REVISION_DATE']/@content",
        "//meta[@property='og:article:section']/@content",
        "//meta[@name='article:section']/@content",
        "//meta[@name='DCSext.ContentChannel']/@content",
        "//figure[contains(@class,'widget')]",
        "//span[@class='articleLocation']",
    )

    def parse_html(self, document, outlet):
        article = super().parse_html(document, outlet)
        if not article.byline:
            article.byline = reporters_credited(document.tree())
        return article


_CREDIT = re.compile(r"^\(?\s*reporting by\s+(?P<names>[^;)]+)", re.I)
_PLACE = re.compile(r"\s+in\s+[A-Z][\w.' -]*$")


def reporters_credited(tree) -> list:
    """Stories without a byline credit their reporters at the end: "(Reporting by Andy Bruce in
    London and Ankur Banerjee in Bengaluru; Editing by Joyjeet Das)"."""
    for el in tree.xpath("//p[contains(., 'eporting by')]"):
        m = _CREDIT.match(element_text(el))
        if m:
            names = re.split(r"\s*(?:,|\band\b)\s*", m.group("names"))
            return [n for n in (_PLACE.sub("", n).strip() for n in names) for n in split_authors(n)]
    return []


plugin = Reuters()
