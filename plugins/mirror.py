"""The Daily Mirror (mirror.co.uk), published by Reach plc: article pages and live events
(div.live-event-entry), read by the generic page reader."""
from quoteledger.outlet import Outlet, QuoteStyle

from .generic import PagePlugin

MIRROR = Outlet(
    name="Daily Mirror", publisher="Reach plc",
    aliases=("Mirror", "The Mirror", "mirror.co.uk", "Mirror.co.uk", "Sunday Mirror", "Daily Mirror Online"),
    domains=("mirror.co.uk",), quote_style=QuoteStyle(body="double", headline="single"),
)


class Mirror(PagePlugin):
    outlets = (MIRROR,)


plugin = Mirror()
