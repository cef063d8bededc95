"""The fallback for every other outlet: claims any page, below every outlet plugin, and names the
outlet from the page itself (og:site_name, JSON-LD publisher, the URL's host)."""
from quoteledger.hookspecs import hookimpl
from quoteledger.htmltools import canonical_url, json_ld_article, meta_content, names_of
from quoteledger.outlet import PRIORITY_GENERIC, Outlet, host_of
from quoteledger.plugin_base import OutletPlugin

GENERIC = Outlet(name="(generic)", priority=PRIORITY_GENERIC)


class Generic(OutletPlugin):
    outlets = (GENERIC,)

    def detect(self, document, outlet):
        return 0.1

    def parse_html(self, document, outlet):
        article = super().parse_html(document, outlet)
        tree = document.tree()
        ld = json_ld_article(tree)
        publisher = (names_of(ld.get("publisher")) or [None])[0]
        article.publisher = publisher
        article.outlet_name = meta_content(tree, "og:site_name") or publisher or host_of(canonical_url(tree)) or None
        return article

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        article = super().quoteledger_parse(document, outlet)
        if article is not None:
            named = getattr(article, "outlet_name", None) or document.hints.get("outlet") or document.hints.get("agency")
            article.outlet = named
        return article


plugin = Generic()
