"""CNN (cnn.com, edition.cnn.com, money.cnn.com): the 2010-2013 story pages, the 2015-2019
zn-body layout whose paragraphs are divs, and the 2023 article__content pages."""
from quoteledger.outlet import Outlet, QuoteStyle

from .generic import PagePlugin

CNN = Outlet(
    name="CNN", publisher="Warner Bros. Discovery",
    aliases=("CNN.com", "CNN International", "CNNMoney", "CNN Money", "CNN Business", "CNN Politics",
             "Cable News Network"),
    domains=("cnn.com",), quote_style=QuoteStyle(body="double", headline="single"),
)


class Cnn(PagePlugin):
    outlets = (CNN,)


plugin = Cnn()
