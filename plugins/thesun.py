"""The Sun and its Scottish edition (thescottishsun.co.uk), both published by News Group Newspapers."""
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
        body=("//div[contains(@class,'article__content')]/p",),
        headline=("//h1[contains(@class,'article__headline')]", "//h1"),
        byline=("//ul[@itemprop='author']//*[@itemprop='name']", "//ul[@itemprop='author']//a"),
    )


plugin = TheSun()
