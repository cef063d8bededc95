"""The Associated Press (apnews.com): story pages, read by the generic page reader."""
from quoteledger.outlet import Outlet, QuoteStyle

from .generic import PagePlugin

AP = Outlet(
    name="AP", publisher="The Associated Press",
    aliases=("Associated Press", "The Associated Press", "AP News", "apnews.com"),
    domains=("apnews.com",), quote_style=QuoteStyle(body="double", headline="single"),
)


class AssociatedPress(PagePlugin):
    outlets = (AP,)


plugin = AssociatedPress()
