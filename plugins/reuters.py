"""Reuters: the 2012-2016 site, the 2019-2020 site and the 2023 site; editions uk., in., widerimage."""
from quoteledger.htmlarticle import Selectors
from quoteledger.outlet import Outlet, QuoteStyle
from quoteledger.plugin_base import OutletPlugin

REUTERS = Outlet(
    name="Reuters", publisher="Thomson Reuters", aliases=("Reuters.com", "Thomson Reuters"),
    domains=("reuters.com",),
    editions=(("uk.reuters.com", "UK"), ("in.reuters.com", "India"), ("widerimage.reuters.com", "Wider Image")),
    quote_style=QuoteStyle(body="double", headline="single"),
)


class Reuters(OutletPlugin):
    outlets = (REUTERS,)
    text_markers = (r"^[A-Z][A-Z./ ]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\(Reuters\)\s+[-\u2013\u2014]",)
    selectors = Selectors(
        body=("//span[@id='articleText']//p", "//div[contains(@class,'StandardArticleBody_body')]/p",
              "//p[contains(@class,'ArticleBody-para')]", "//div[starts-with(@data-testid,'paragraph-')]"),
        byline=("//a[@rel='author']", "//*[contains(@class,'byline')]"),
    )


plugin = Reuters()
