"""BBC AMP copies (the BBC plugin's AMP examples): the story read without AMP furniture, the
article page's address as the copy's URL, and an AMP copy merging with the article page it copies
in the ledger. The generic example test checks quotations and speakers; this checks the rest."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from quoteledger.commands.parse import stories
from quoteledger.ledger import PartialLedger
from quoteledger.pipeline import extract_path
from quoteledger.plugins import PluginHost
from quoteledger.reading import read_document
from quoteledger_plugins.bbc import article_url, is_amp

EXAMPLES = Path(__file__).resolve().parents[1] / "plugins" / "examples" / "bbc"
AMP_COPY = EXAMPLES / "bbc-2024-amp-article.html"
ARTICLE_PAGE = EXAMPLES / "bbc-2024-text-block.html"      # the page AMP_COPY is a copy of
AMP_STORY = EXAMPLES / "bbc-2022-amp-story.html"


@pytest.fixture(scope="module")
def host():
    return PluginHost()


def read(host, path):
    found = list(stories(read_document(str(path)), host))
    assert len(found) == 1
    _, choice, article = found[0]
    assert choice.plugin == "bbc" and article.outlet == "BBC News"
    return article


def test_amp_copy_is_read_as_its_article_page(host):
    amp, page = read(host, AMP_COPY), read(host, ARTICLE_PAGE)
    assert amp.url == page.url == "https://www.bbc.com/news/articles/c9x2ferry11o"
    assert (amp.headline, amp.byline, amp.published) == (page.headline, page.byline, page.published)
    # Story paragraphs only: not the consent banner, the image caption, the ad label, the
    # timestamp line or the related-content promos around them.
    assert [(p.text, p.kind) for p in amp.paragraphs] == [(p.text, p.kind) for p in page.paragraphs]


def test_amp_story_paragraphs_only(host):
    article = read(host, AMP_STORY)
    assert article.url == "https://www.bbc.com/news/uk-wales-63012345"
    assert article.published == "2022-10-03T09:41:27.000Z"
    assert article.byline == []         # JSON-LD credits the organisation, not a person
    texts = [p.text for p in article.paragraphs]
    assert texts[0].startswith("A footbridge linking two halves")
    assert texts[-1].startswith("The old span was built in 1961")
    assert "high river levels through the winter" in texts        # a list in the story is story text
    story = " ".join(texts)
    for furniture in ("Image caption", "Image source", "stronger than ever", "3 October 2022",
                      "Skip twitter post", "End of twitter post", "Our bridge is back",
                      "What took so long", "More on this story", "We feel forgotten", "Related topics"):
        assert furniture not in story


def test_amp_copy_and_article_page_merge_in_the_ledger():
    amp, page = extract_path(str(AMP_COPY)), extract_path(str(ARTICLE_PAGE))
    assert not amp.errors and not page.errors
    assert {r["article"]["id"] for r in amp.records} == {r["article"]["id"] for r in page.records}
    assert {r["article"]["url"] for r in amp.records + page.records} == {
        "https://www.bbc.com/news/articles/c9x2ferry11o"}
    entries = list(PartialLedger.from_records(amp.records + page.records).entries())
    assert len(entries) == len(page.records) == 2
    for entry in entries:
        # one quotation, seen twice: once in each copy of the same article
        assert len(entry["sightings"]) == 2
        assert len({s["article"]["fingerprint"] for s in entry["sightings"]}) == 2
        assert len({s["article"]["id"] for s in entry["sightings"]}) == 1
        assert len({s["speaker"]["name"] for s in entry["sightings"]}) == 1


@pytest.mark.parametrize("root, amp", [
    ('<html amp="" lang="en-GB">', True),
    ("<html amp>", True),
    ('<html \u26a1 lang="en">', True),
    ('<html lang="en-GB">', False),
])
def test_is_amp(root, amp):
    assert is_amp(html.document_fromstring(root + "<body><p>x</p></body></html>")) is amp


@pytest.mark.parametrize("url, page", [
    ("https://www.bbc.co.uk/news/articles/c744mjrym37o.amp", "https://www.bbc.co.uk/news/articles/c744mjrym37o"),
    ("https://www.bbc.co.uk/news/uk-england-norfolk-60980390.amp",
     "https://www.bbc.co.uk/news/uk-england-norfolk-60980390"),
    ("http://www.bbc.co.uk/news/amp/35530337", "http://www.bbc.co.uk/news/35530337"),
    ("https://www.bbc.co.uk/news/amp/world-us-canada-52196815", "https://www.bbc.co.uk/news/world-us-canada-52196815"),
    ("https://www.bbc.com/news/articles/c9x2ferry11o", "https://www.bbc.com/news/articles/c9x2ferry11o"),
    ("https://www.bbc.co.uk/news/ampstories/moonmess/index.html", "https://www.bbc.co.uk/news/ampstories/moonmess/index.html"),
    (None, None),
])
def test_article_url(url, page):
    assert article_url(url) == page
