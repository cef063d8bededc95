"""The Guardian (theguardian.com, formerly guardian.co.uk): article, AMP and live-blog pages of
every template generation, read by the generic page reader."""
from quoteledger.outlet import Outlet, QuoteStyle

from .generic import PagePlugin

GUARDIAN = Outlet(
    name="The Guardian", publisher="Guardian Media Group",
    aliases=("Guardian", "theguardian.com", "Guardian US", "Guardian Australia", "guardian.co.uk"),
    domains=("theguardian.com", "guardian.co.uk", "guardian.com"),
    quote_style=QuoteStyle(body="double", headline="single"),
)


class Guardian(PagePlugin):
    outlets = (GUARDIAN,)


plugin = Guardian()
