"""The Daily Mirror (mirror.co.uk), published by Reach plc."""
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

MIRROR = Outlet(
    name="Daily Mirror", publisher="Reach plc", aliases=("Mirror", "The Mirror", "mirror.co.uk"),
    domains=("mirror.co.uk",), quote_style=QuoteStyle(body="double", headline="single"),
)


class Mirror(OutletPlugin):
    outlets = (MIRROR,)


plugin = Mirror()
