"""BBC News and BBC Sport: pre-2020 story-body pages, the newer data-component layout, AMP copies."""
from quoteledger.htmlarticle import Selectors
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

BBC_NEWS = Outlet(
    name="BBC News", publisher="British Broadcasting Corporation", aliases=("BBC", "BBC Sport", "BBC.com"),
    domains=("bbc.co.uk", "bbc.com"),
    quote_style=QuoteStyle(body="double", headline="single"),
)


class BBC(OutletPlugin):
    outlets = (BBC_NEWS,)
    selectors = Selectors(
        body=("//div[contains(@class,'story-body__inner')]/p",
              "//*[@data-component='text-block']//p"),
        headline=("//h1[contains(@class,'story-body__h1')]", "//h1"),
        byline=("//span[contains(@class,'byline__name')]", "//*[@data-testid='byline-name']"),
    )


plugin = BBC()
