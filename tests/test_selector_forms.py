"""Selectors are compiled to a form libxml2 evaluates faster (htmlarticle._cheaper_form): the
rewritten XPath must select exactly what the plugin wrote, in the same order, on every page the
project has (plugin examples, fixtures, and the shared corpus when it is present)."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from lxml import etree

from quoteledger.htmlarticle import GENERIC_REMOVE, MODIFIED_FALLBACK, PUBLISHED_FALLBACK, Selectors, _cheaper_form
from quoteledger.htmltools import parse_html
from quoteledger.plugins import PluginHost

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "corpus" / "html"
PAGES = (sorted((HERE.parent / "plugins" / "examples").glob("*/*.html")) + sorted((HERE / "fixtures").rglob("*.html"))
         + (sorted(CORPUS.glob("*.html")) if CORPUS.is_dir() else []))

# Shapes the plugins do not use yet, with the traps of each: nested matches of an outer step
# (a node must come once), a first match only, an attribute at the end, position and string
# predicates that must be left alone.
SHAPES = ("//div[@class='a']//h1", "//div//div//time[@datetime]", "//div[@class='a']//p", "(//p[contains(@class,'x')])[1]",
          "//*[@data-k='v']//time/@datetime", "//section//a[@rel='author' or starts-with(@href,'/by')]",
          "//p[1]", "//div/p[2]", "//p[contains(., 'said')]", "//div[@class='a']/p", "//*[@id='x']//*[@class]")
PAGE_OF_SHAPES = """<html><body>
<div class="a"><div class="a"><h1>one</h1><p class="x y">one</p><span id="s">two</span></div><p>three said</p></div>
<section data-k="v"><div><div><time datetime="2020-01-01">t</time></div></div><a rel="author" href="/by/x">A</a></section>
<div id="x"><b class="c">four</b><p class="x">five</p></div></body></html>"""


def _plugin_selectors() -> set:
    found = set(PUBLISHED_FALLBACK + MODIFIED_FALLBACK + GENERIC_REMOVE + SHAPES)
    host = PluginHost()
    for name in host.plugins:
        obj = host.pm.get_plugin(name)
        if obj is None:
            continue
        module = vars(sys.modules[type(obj).__module__])
        declared = [getattr(obj, "selectors", None)] + [v for v in module.values() if isinstance(v, Selectors)]
        for selectors in filter(None, declared):
            for f in dataclasses.fields(selectors):
                value = getattr(selectors, f.name)
                if isinstance(value, tuple):
                    found.update(e for e in value if isinstance(e, str) and e.startswith(("/", "(")))
        found.update(e for v in module.values() if isinstance(v, tuple) for e in v
                     if isinstance(e, str) and e.startswith("//"))
    return found


REWRITTEN = sorted((e, _cheaper_form(e)) for e in _plugin_selectors() if _cheaper_form(e) != e)
COMPILED = [(expr, etree.XPath(expr), etree.XPath(cheaper)) for expr, cheaper in REWRITTEN]


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y or (isinstance(x, str) and x == y and type(x) is type(y))
                                    for x, y in zip(a, b))


def _differences(tree) -> list:
    return [expr for expr, written, cheaper in COMPILED if not _same(written(tree), cheaper(tree))]


def test_positions_and_string_tests_are_left_alone():
    for expr in ("//p[1]", "//div/p[2]", "//p[contains(., 'said')]", "//div[@class='a']/p"):
        assert _cheaper_form(expr) == expr


def test_shapes_select_the_same_nodes():
    assert _differences(parse_html(PAGE_OF_SHAPES)) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_selector_selects_the_same_nodes(page):
    assert _differences(parse_html(page.read_text(encoding="utf-8", errors="replace"))) == []
