"""Outlet by URL: where a page's address is known (the URL an archive fetched it from, else its
canonical link or og:url), the plugin whose domain holds it is chosen before content detection
is asked; the closest domain wins; a page whose address is no outlet's is detected by content."""
from __future__ import annotations

import re
from pathlib import Path

from quoteledger.outlet import Outlet
from quoteledger.plugins import get_host
from quoteledger.reading import read_document

EXAMPLES = Path(__file__).resolve().parents[1] / "plugins" / "examples"
GENERIC_PAGE = EXAMPLES / "generic" / "generic-jsonld-article.html"
CANONICAL = re.compile(r'<link rel="canonical" href="[^"]+">')


def bare_page(tmp_path: Path, head_extra: str = "") -> Path:
    """A page with no outlet's marks and no address of its own (plus head_extra in its head)."""
    text = CANONICAL.sub("", GENERIC_PAGE.read_text("utf-8"))
    assert "canonical" not in text and "og:url" not in text
    path = tmp_path / "page.html"
    path.write_text(text.replace("</head>", head_extra + "</head>", 1), "utf-8")
    return path


def test_a_page_with_no_address_is_detected_by_its_content(tmp_path):
    choice = get_host().choose(read_document(str(bare_page(tmp_path))))
    assert choice.outlet.name != "Reuters" and not choice.reason.startswith("by address")


def test_the_address_it_was_fetched_from_picks_the_plugin(tmp_path):
    document = read_document(str(bare_page(tmp_path)))
    document.url = "https://www.reuters.com/world/a-story-2024-03-05/"
    choice = get_host().choose(document)
    assert choice.plugin == "reuters"
    assert choice.reason.startswith("by address: fetched from https://www.reuters.com/")


def test_the_pages_canonical_link_picks_the_plugin(tmp_path):
    page = bare_page(tmp_path, '<link rel="canonical" href="https://www.bbc.co.uk/news/uk-12345678">')
    choice = get_host().choose(read_document(str(page)))
    assert choice.plugin == "bbc"
    assert "its canonical address is https://www.bbc.co.uk/" in choice.reason


def test_an_address_on_no_outlets_domain_leaves_it_to_detection(tmp_path):
    document = read_document(str(bare_page(tmp_path)))
    document.url = "https://news.example.org/2024/a-story"
    assert not get_host().choose(document).reason.startswith("by address")


def test_the_closest_domain_is_the_best_match():
    wide, narrow = Outlet("Wide", domains=("co.uk",)), Outlet("Narrow", domains=("bbc.co.uk",))
    url = "https://news.bbc.co.uk/a"
    assert narrow.url_match(url) > wide.url_match(url) > 0
    assert narrow.url_match("https://notbbc.co.uk/a") == 0
    assert narrow.url_match(None) == 0
