"""Every real page in ../shared/corpus/html (when that folder is present) parses: with the right
outlet for NBC News, BBC, Reuters and The Sun, a headline, an author where the page names one,
a publication date where the page gives one, and no site furniture in the story text.

The pages are read where they lie, never copied into the project. Whether a page names an
author or gives a date is judged from its raw HTML by the crude checks below, independently of
the plugins, so a plugin that loses a byline or a date fails here."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from quoteledger.commands.parse import stories
from quoteledger.plugins import PluginHost
from quoteledger.reading import read_document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "html"
if not CORPUS.is_dir():
    pytest.skip(f"the shared corpus is not here ({CORPUS}): nothing to walk", allow_module_level=True)

# The outlets this project's own plugins read; other outlets' pages only have to parse.
OUTLETS = {"nbcnews": ("nbcnews", "NBC News"), "bbc": ("bbc", "BBC News"),
           "reuters": ("reuters", "Reuters"), "thesun": ("thesun", "The Sun")}

NAMES_AN_AUTHOR = (
    re.compile(r'"author"\s*:\s*\[?\s*\{[^{}]*"@type"\s*:\s*"Person"[^{}]*"name"\s*:\s*"[A-Z]'),
    re.compile(r'class="[^"]*byline[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*By\s+[A-Z]'),
    re.compile(r'rel="author"[^>]*>\s*[A-Z]'),
    re.compile(r'data-testid="byline-name"[^>]*>\s*[A-Z]'),
    re.compile(r'itemprop="author"'),
    re.compile(r"\(Reporting by [A-Z]", re.I),
)
GIVES_A_DATE = (
    re.compile(r'"datePublished"\s*:\s*"\d{4}'),
    re.compile(r'(?:published_time|datePublished|OriginalPublicationDate|rnews:datePublished)"\s+(?:content|value)="\d{4}'),
    re.compile(r'<time[^>]+datetime="\d{4}'),
    re.compile(r'class="timestamp">\w{3} \w{3} \d'),
)
# Site furniture, whatever the outlet: none of it is ever a story paragraph.
FURNITURE = re.compile(
    r"^(?:advertisement|share this|share on|read more\b|related:|sign up\b|subscribe\b|click here|"
    r"follow us\b|download the\b|\d+\s+min read|image (?:source|copyright|caption)|getty images$|"
    r"\(?reporting by\b.*editing by|our standards:|most read\b|continue reading\b|copyright\b)", re.I)


def manifest() -> list[tuple[str, str]]:
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        return [(row["file"], row["outlet"]) for row in csv.DictReader(fh, delimiter="\t")]


PAGES = manifest()


@pytest.fixture(scope="module")
def host():
    return PluginHost()


@pytest.mark.parametrize("name, origin", PAGES, ids=[p[0] for p in PAGES])
def test_corpus_page(host, name, origin):
    path = CORPUS / name
    document = read_document(str(path))
    found = list(stories(document, host))
    assert found, f"{name}: no story read"
    _, choice, article = found[0]
    if origin in OUTLETS:
        assert (choice.plugin, article.outlet) == OUTLETS[origin], f"{name} given to {choice.plugin}"
    else:
        assert choice.plugin not in {p for p, _ in OUTLETS.values()}, f"{name} claimed by {choice.plugin}"
    assert article.headline, f"{name}: no headline"
    html = document.text
    if any(p.search(html) for p in NAMES_AN_AUTHOR):
        assert article.byline, f"{name}: the page names an author, the byline is empty"
    assert not any(a.lower().startswith("by ") for a in article.byline), article.byline
    if any(p.search(html) for p in GIVES_A_DATE):
        assert article.published, f"{name}: the page gives a date, none was read"
    if article.published:
        assert re.match(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$",
                        article.published), article.published
    story = article.story_paragraphs()
    assert story, f"{name}: no story paragraphs"
    junk = [p.text for p in story if FURNITURE.search(p.text)]
    assert not junk, f"{name}: furniture in the story text: {junk[:3]}"


@pytest.mark.parametrize("name, origin", [p for p in PAGES if p[1] in OUTLETS], ids=[p[0] for p in PAGES if p[1] in OUTLETS])
def test_own_outlet_pages_have_metadata(host, name, origin):
    """The four outlets' pages also carry a canonical URL and their publisher."""
    _, _, article = next(stories(read_document(str(CORPUS / name)), host))
    assert article.url and article.url.startswith("http"), f"{name}: no canonical URL"
    assert article.publisher, f"{name}: no publisher"
    if origin == "reuters" and article.dateline:
        assert "(Reuters)" in article.dateline or article.dateline.isupper()
        assert not article.paragraphs[0].text.startswith(article.dateline)
