"""The Sun and its Scottish edition (thescottishsun.co.uk), both published by News Group
Newspapers: the 2011 "sol" platform (div#bodyText) and the article__content layout."""
from quoteledger.htmlarticle import Selectors
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

THE_SUN = Outlet(
    name="The Sun", publisher="News Group Newspapers", aliases=("Sun", "thesun.co.uk"),
    edition_aliases=(("Scottish Sun", "Scottish Sun"), ("The Scottish Sun", "Scottish Sun")),
    domains=("thesun.co.uk", "thescottishsun.co.uk", "thesun.ie"),
    editions=(("thescottishsun.co.uk", "Scottish Sun"), ("thesun.ie", "Irish Sun")),
    quote_style=QuoteStyle(body="double", headline="single"),
)


class TheSun(OutletPlugin):
    outlets = (THE_SUN,)
    selectors = Selectors(
        body=("//div[contains(@class,'article__content')]",
              "//div[@id='bodyText']"),                                     # 2011 sol
        headline=("//h1[contains(@class,'article__headline')]", "//h1"),
        byline=("//ul[@itemprop='author']//*[@itemprop='name']", "//ul[@itemprop='author']//a",
                "//*[contains(@class,'article__author-name')]", "//p[contains(@class,'display-byline')][1]"),
        section=("//meta[@property='article:section']/@content",),
        remove=("//*[contains(@class,'advert')]", "//*[contains(@class,'rail')]",
                "//*[contains(@class,'read-more')]", "//*[contains(@class,'article__media')]",
                "//*[contains(@class,'social')]", "//*[contains(@class,'chicklet')]",
                "//*[contains(@class,'promotion')]", "//*[contains(@class,'sun-newsletter')]",
                "//*[contains(@class,'video')]", "//*[contains(@class,'sun-poll')]"),
        # The 2011 pages set the standfirst ("MANCHESTER UNITED'S Carling Cup flops ...") as an h2
        # opening the body: it is the story's first paragraph.
        headings=("//div[@id='bodyText']/h2[1]",),
        furniture_text=(r"^(?:read more|more on|don'?t miss|top stories|most read)\b.{0,60}$",
                        r"\bwe pay for your stories\b", r"^(?:click here|tap here)\b",
                        r"^(?:email|e-mail) .{0,40}@(?:the|scottish)?sun\.co\.uk",),
    )
    # Selectors for templates and furniture that no example page shows yet: each is an example
    # still to write (the conformance kit fails on any other selector that matches no example).
    untested_selectors = (
        "//div[@id='bodyText']",
        "//p[contains(@class,'display-byline')][1]",
        "//*[contains(@class,'rail')]",
        "//*[contains(@class,'article__media')]",
        "//*[contains(@class,'social')]",
        "//*[contains(@class,'chicklet')]",
        "//*[contains(@class,'promotion')]",
        "//*[contains(@class,'sun-newsletter')]",
        "//*[contains(@class,'video')]",
        "//*[contains(@class,'sun-poll')]",
        "//div[@id='bodyText']/h2[1]",
    )


plugin = TheSun()
