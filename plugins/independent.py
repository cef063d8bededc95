"""The Independent (independent.co.uk)."""
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

INDEPENDENT = Outlet(
    name="The Independent", publisher="Independent Digital News & Media", aliases=("Independent",),
    domains=("independent.co.uk",), quote_style=QuoteStyle(body="single", headline="single"),
)


class Independent(OutletPlugin):
    outlets = (INDEPENDENT,)


plugin = Independent()
