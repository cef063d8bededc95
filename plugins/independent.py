"""The Independent (independent.co.uk): its 2015 pages, the styled-components pages from 2020 on, and
live blogs (entries under amp-live-list), all read by the generic page reader."""
from quoteledger.outlet import Outlet, QuoteStyle

from .generic import PagePlugin

INDEPENDENT = Outlet(
    name="The Independent", publisher="Independent Digital News & Media",
    aliases=("Independent", "independent.co.uk", "Independent.co.uk"),
    domains=("independent.co.uk",), quote_style=QuoteStyle(body="double", headline="single"),
)


class Independent(PagePlugin):
    outlets = (INDEPENDENT,)


plugin = Independent()
