"""NBC News (with today.com and NBC Select): data for its page templates from 2015 to today."""
from quoteledger.htmlarticle import Selectors
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

NBC_NEWS = Outlet(
    name="NBC News", publisher="NBCUniversal", aliases=("NBCNews", "NBC", "nbcnews.com", "TODAY", "NBC Select"),
    domains=("nbcnews.com", "today.com", "msnbc.com", "nbcnews.to"),
    quote_style=QuoteStyle(body="double", headline="single"),
)


class NBCNews(OutletPlugin):
    outlets = (NBC_NEWS,)
    selectors = Selectors(
        body=("//div[contains(@class,'article-body__content')]/p",
              "//*[@itemprop='articleBody']//p"),
        headline=("//h1[contains(@class,'headline')]", "//h1"),
        byline=("//*[contains(@class,'byline-name')]", "//*[contains(@class,'article-byline__name')]",
                "//*[contains(@class,'articleByline__name')]", "//*[contains(@class,'byline_author')]"),
    )


plugin = NBCNews()
