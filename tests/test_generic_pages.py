"""The generic page reader (plugins/generic.py, core/boilerplate.py) and the outlet plugins built on
it (The Guardian, CNN, AP, The Independent, the Daily Mirror): metadata, the story body without site
furniture, live blogs, block quotations and embedded posts, AMP copies, and plain-text cards."""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest

from quoteledger.boilerplate import (is_furniture, is_furniture_text, is_timestamp_line,
                                     story_paragraphs)
from quoteledger.htmltools import parse_html
from quoteledger.model import Document
from quoteledger.plugins import PluginHost
from quoteledger.reading import read_document
from quoteledger_plugins.generic import byline_names, iso_datetime, profile_names

FIXTURES = Path(__file__).parent / "fixtures" / "generic"
SHARED = Path(__file__).parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "html"

# Words that only ever come from site furniture, never from these stories.
FURNITURE_WORDS = re.compile(r"share on|sign up|newsletter|advertisement|most read|read more|"
                             r"comments|related|all rights reserved|photograph:|older posts|key events", re.I)


@pytest.fixture(scope="module")
def host():
    return PluginHost()


def parse(host, path, url=None):
    document = read_document(str(path))
    document.url = url
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    article.plugin = choice.plugin
    return article


def texts(article, kind=None):
    return [p.text for p in article.paragraphs if kind is None or p.kind == kind]


# -- one fixture per layout family ----------------------------------------------------------------

def test_json_ld_article(host):
    # the generic plugin's own example page doubles as this fixture
    article = parse(host, Path(__file__).resolve().parents[1] / "plugins" / "examples" / "generic" / "generic-jsonld-article.html")
    assert article.plugin == "generic"
    assert article.outlet == "Coastline Courier"              # og:site_name
    assert article.publisher == "Coastline Media Group"        # JSON-LD publisher
    assert article.headline == "Harbour town votes to keep its ferry"
    assert article.byline == ["Maren Holt", "Idris Fenwick"]   # the Organization author left out
    assert article.published == "2024-03-05T09:15:00+00:00"
    assert article.modified == "2024-03-05T11:02:30+00:00"
    assert article.url == "https://www.coastlinecourier.example/news/2024/mar/05/harbour-town-ferry-vote"
    assert article.section == "Local news"
    story = texts(article, "text")
    assert story[0].startswith("Residents of Saltmere voted")
    assert story[-1].startswith("The first sailing")
    assert len(story) == 5
    assert not [t for t in story if FURNITURE_WORDS.search(t)]
    assert texts(article, "embed") and texts(article, "embed")[0].startswith("We did it!")
    assert "We did it" not in article.story_text()             # an embedded post is not the outlet's words


def test_opengraph_only_page(host):
    article = parse(host, FIXTURES / "opengraph_page.html")
    assert article.outlet == "Valley Herald"
    assert article.publisher is None
    assert article.headline == "Orchard growers count cost of late frost"
    assert article.byline == ["Ana Whitcombe", "Lee Brandt"]   # "By ... and ..., Valley Herald"
    assert article.published == "2019-04-18T14:05:00-04:00"
    assert article.modified == "2019-04-18T16:40:12-04:00"
    assert article.url == "https://valleyherald.example/2019/04/18/business/orchard-frost/index.html"
    assert article.section == "Business"
    story = texts(article)
    # paragraphs written as divs come in whole; the caption and the rail of teasers stay out
    assert len(story) == 5
    assert story[0].startswith("Apple growers across the valley")
    assert story[-1] == "\"We will not know what we have until the fruit sets,\" Petrossian said."
    assert not [t for t in story if "Frost damage on" in t or "GMT" in t or "Dairy prices" in t]


def test_live_blog_entries_blockquotes_and_embeds(host):
    article = parse(host, FIXTURES / "liveblog.html")
    assert article.outlet == "Daily Lantern"
    assert article.publisher == "Lantern Newspapers Ltd"
    assert article.byline == ["Sofia Marchetti", "Owen Pryce"]
    assert article.published == "2024-01-12T06:30:00.000Z"
    kinds = [p.kind for p in article.paragraphs]
    assert kinds == ["text", "text", "blockquote", "blockquote", "text", "embed", "text", "text"]
    # entries in page order, each entry's lead-in before its block quotation
    assert article.paragraphs[1].text.endswith("Nadia Kerr, said:")
    assert article.paragraphs[2].text.startswith("Safety has to come first.")
    assert article.paragraphs[5].text.startswith("Please check before you travel today.")
    assert article.paragraphs[5].text.endswith("January 12, 2024")
    # entry sign-offs, time stamps, key-event lists and paging are furniture
    story = article.story_text()
    assert "Sofia Marchetti" not in story and "12 January 2024" not in story
    assert "GMT" not in story and not FURNITURE_WORDS.search(story)
    assert "Please check before you travel" not in story


def test_amp_page(host):
    article = parse(host, FIXTURES / "amp_page.html")
    assert article.outlet == "The Northern Ledger"            # JSON-LD publisher, no og:site_name
    assert article.headline == "Museum returns carved door to its village"
    assert article.byline == ["Claire Dunmore"]                # capitals tidied
    assert article.published == "2021-06-02T08:00:00.000Z"
    assert article.url.startswith("https://www.northernledger.example/culture/")   # the canonical, not the AMP copy
    assert len(texts(article, "text")) == 4
    assert texts(article, "embed") == ["It is home. Ninety-four years I waited to see it back in its frame."]
    assert not FURNITURE_WORDS.search(article.story_text())


def test_outlet_named_from_host_when_page_says_nothing(host):
    page = ("<html><head><link rel='canonical' href='https://news.smalltown.example/a/1'></head><body>"
            + "".join(f"<p>Paragraph {i} of a story about the new library, which opened on Saturday.</p>"
                      for i in range(4)) + "</body></html>")
    document = Document("page.html", page, is_html=True)
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    assert choice.plugin == "generic"
    assert article.outlet == "news.smalltown.example"
    assert len(article.paragraphs) == 4


def _page_linking_to_reuters(head: str) -> str:
    story = "".join(f"<p>Paragraph {i} of a guide to weight-loss drugs, as doctors explain them.</p>"
                    for i in range(4))
    sources = "".join(f"<li><a href='https://www.reuters.com/business/healthcare/story-{i}/'>Source {i}</a></li>"
                      for i in range(3))
    return f"<html><head>{head}</head><body><article>{story}<ul>{sources}</ul></article></body></html>"


@pytest.mark.parametrize("head, outlet", [
    ("<link rel='canonical' href='https://clinic.example.org/blog/drugs/'>", "clinic.example.org"),
    ("<meta property='og:site_name' content='Clinic Weekly'>", "Clinic Weekly"),
])
def test_a_page_that_names_itself_is_not_the_outlet_it_links_to(host, head, outlet):
    """Citing a news site is not being it: links count only for a page that says nothing of itself."""
    document = Document("page.html", _page_linking_to_reuters(head), is_html=True)
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    assert choice.plugin == "generic"
    assert article.outlet == outlet


def test_links_still_name_the_outlet_of_a_page_that_says_nothing_of_itself(host):
    document = Document("page.html", _page_linking_to_reuters(""), is_html=True)
    assert host.choose(document).plugin == "reuters"


def test_generic_reads_plain_text_with_the_container_outlet(host):
    document = Document("card.txt", "A headline\nThe mayor said \"we will rebuild\" on Monday.\n", is_html=False,
                        hints={"outlet": "Some Weekly"})
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    assert choice.plugin == "generic" and article.outlet == "Some Weekly"
    assert article.headline == "A headline"


# -- the pieces ------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, exclude, names", [
    (["By  Ed Hornick, CNN"], set(), ["Ed Hornick"]),
    (["Dana Ford, Chien-Ming Wang, and Tom Watkins, CNN"], set(), ["Dana Ford", "Chien-Ming Wang", "Tom Watkins"]),
    (["Analysis by Chris Cillizza, CNN"], set(), ["Chris Cillizza"]),
    (["MATT O'BRIEN", "AP"], {"ap"}, ["Matt O'Brien"]),
    (["https://www.example.com/profile/someone"], set(), []),
])
def test_byline_names(raw, exclude, names):
    assert byline_names(raw, exclude) == names


def test_profile_urls_give_names():
    urls = "https://www.theguardian.com/profile/julia-carrie-wong,https://www.theguardian.com/profile/sam-levin"
    assert profile_names(urls) == ["Julia Carrie Wong", "Sam Levin"]


@pytest.mark.parametrize("value, iso", [
    ("2019-04-18T14:05:00-0400", "2019-04-18T14:05:00-04:00"),
    ("2023-05-15T11:50:54.000Z", "2023-05-15T11:50:54.000Z"),
    ("2015-09-17", "2015-09-17"),
    ("Friday 13 August", None),
])
def test_iso_datetime(value, iso):
    assert iso_datetime(value) == iso


@pytest.mark.parametrize("line", [
    "Jamie Smith14 August 2023 10:01", "July 10, 2012 -- Updated 0027 GMT (0827 HKT)",
    "First published February 1, 2016: 1:28 AM ET", "14 August 2023 09:01",
])
def test_time_stamps_are_furniture(line):
    assert is_timestamp_line(line) and is_furniture_text(line)


@pytest.mark.parametrize("line", [
    "He was born on 12 May 1990 in Leeds, and moved south in 2004.",
    "She said:", "\"Yes,\" he said.", "Asked about his plans for 2023, he said no.",
])
def test_story_lines_are_not_furniture(line):
    assert not is_furniture_text(line)


@pytest.mark.parametrize("line", ["Key events", "___", "READ MORE: Council budget gap widens", "148 comments",
                                  "Related Article: Towns turn old malls into libraries", "Ad Feedback",
                                  "Follow AP’s coverage of the storm at https://apnews.com/hub/storms",
                                  "Part of complete coverage on",
                                  "Sign up to our morning newsletter", "Reuters"])
def test_labels_and_prompts_are_furniture(line):
    assert is_furniture_text(line)


def test_class_names_that_describe_contents_are_not_furniture():
    tree = parse_html("<div class='ContainerWithSidebarWrapper'></div><div class='article-related'></div>"
                      "<div class='layout-with-rail__main'></div>")
    wrapper, related, main = tree.xpath("//div")
    assert not is_furniture(wrapper) and not is_furniture(main)
    assert is_furniture(related)


def test_a_share_widget_wrapped_round_the_story_does_not_hide_it():
    body = "".join(f"<p>Sentence number {i} of the story, long enough by some way to count as a real paragraph of a real story.</p>"
                   for i in range(5))
    tree = parse_html(f"<html><body><div id='share-btns_containerParent'>{body}</div></body></html>")
    assert len(story_paragraphs(tree)) == 5


def test_a_gallery_of_captions_beside_a_short_story_is_left_out():
    story = "".join(f"<p>Story paragraph {i}, which tells the reader what happened and why it matters.</p>"
                    for i in range(4))
    gallery = "".join(f"<li><p>Caption {i}: a long description of a picture in the gallery, with names and places"
                      f" and a credit line at its end.</p></li>" for i in range(12))
    tree = parse_html(f"<html><body><div class='text'>{story}<div class='full-gallery'><ul>{gallery}</ul></div>"
                      "</div></body></html>")
    found = [p.text for p in story_paragraphs(tree)]
    assert len(found) == 4 and all(t.startswith("Story paragraph") for t in found)


# -- outlet plugins --------------------------------------------------------------------------------

@pytest.mark.parametrize("url, plugin, outlet, publisher", [
    ("https://www.theguardian.com/world/2024/jan/01/a-story", "guardian", "The Guardian", "Guardian Media Group"),
    ("https://edition.cnn.com/2024/01/01/world/a-story/index.html", "cnn", "CNN", "Warner Bros. Discovery"),
    ("https://apnews.com/article/a-story-0123456789abcdef", "apnews", "AP", "The Associated Press"),
    ("https://www.independent.co.uk/news/uk/a-story-b1234567.html", "independent", "The Independent",
     "Independent Digital News & Media"),
    ("https://www.mirror.co.uk/news/uk-news/a-story-12345678", "mirror", "Daily Mirror", "Reach plc"),
])
def test_outlet_plugins_claim_their_pages(host, url, plugin, outlet, publisher):
    page = (f"<html><head><link rel='canonical' href='{url}'><meta property='og:site_name' content='x'></head>"
            "<body><article><p>One paragraph of the story, long enough to be taken for story text.</p>"
            "<p>Another paragraph of the same story, also long enough to count.</p></article></body></html>")
    document = Document("page.html", page, is_html=True)
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    assert (choice.plugin, article.outlet, article.publisher) == (plugin, outlet, publisher)
    assert len(article.paragraphs) == 2


@pytest.mark.parametrize("named, plugin, outlet", [
    ("Daily Mirror", "mirror", "Daily Mirror"), ("The Independent", "independent", "The Independent"),
    ("Associated Press", "apnews", "AP"), ("The Guardian", "guardian", "The Guardian"),
])
def test_plain_text_cards_go_to_their_outlet(host, named, plugin, outlet):
    document = Document("card.txt", "Lithuania trains pupils to fly drones\nThe minister said \"we must be ready\".\n",
                        is_html=False, hints={"outlet": named})
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    assert (choice.plugin, article.outlet) == (plugin, outlet)
    assert article.paragraphs[0].text == "The minister said \"we must be ready\"."


def test_seed_cards_for_the_independent_and_the_mirror(host):
    seed = SHARED / "seeds" / "003_2494c60306f1e0c9.txt"
    if not seed.exists():
        pytest.skip(f"seed pages not present at {seed}")
    document = read_document(str(seed))
    choice = host.choose(document)
    stories = host.call("quoteledger_split", choice.plugin, document=document, outlet=choice.outlet) or []
    claimed = {}
    for story in stories:
        story_choice = host.choose(story)
        if story_choice.plugin in ("independent", "mirror"):
            article = host.call("quoteledger_parse", story_choice.plugin, document=story, outlet=story_choice.outlet)
            claimed[story_choice.plugin] = article
    assert set(claimed) == {"independent", "mirror"}
    assert claimed["mirror"].outlet == "Daily Mirror" and claimed["mirror"].publisher == "Reach plc"
    assert claimed["independent"].outlet == "The Independent"
    assert all(a.headline and a.paragraphs for a in claimed.values())


# -- the real pages, when ../shared is present -------------------------------------------------------

PLUGIN_FOR = {"guardian": "guardian", "cnn": "cnn", "apnews": "apnews", "independent": "independent",
              "mirror": "mirror"}


def corpus_pages():
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with open(manifest, newline="", encoding="utf-8") as fh:
        return [(row["file"], row["outlet"]) for row in csv.DictReader(fh, delimiter="\t")
                if row["outlet"] in PLUGIN_FOR]


def page_names_authors(path: Path) -> bool:
    """Whether the page names a person as author anywhere machine-readable."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    return bool(re.search(r"\"author\"\s*:\s*(?:\[\s*)?\{[^}]*\"Person\"|name=\"author\"|rel=\"author\"|"
                          r"article:author|itemprop=\"author\"", raw))


@pytest.mark.skipif(not corpus_pages(), reason="the shared corpus (../shared/corpus/html) is not present")
@pytest.mark.parametrize("name, outlet", corpus_pages())
def test_corpus_page(host, name, outlet):
    path = CORPUS / name
    article = parse(host, path)
    assert article.plugin == PLUGIN_FOR[outlet]
    assert article.headline
    if page_names_authors(path):
        assert article.byline and not any(n.lower().startswith("by ") for n in article.byline)
    if re.search(r"datePublished|article:published_time|pubdate", path.read_text(errors="replace")):
        assert article.published and re.match(r"\d{4}-\d{2}-\d{2}", article.published)
    story = texts(article, "text")
    assert len(story) >= 3
    furniture = [t for t in story if is_furniture_text(t) or re.match(r"(?i)(sign up|read more|advertisement)", t)]
    assert not furniture


def _words(s):
    s = unicodedata.normalize("NFKD", s)
    return " ".join(re.findall(r"\w+", "".join(c for c in s if not unicodedata.combining(c)).lower()
                               .replace("\u2019", "'")))


@pytest.mark.skipif(not (SHARED / "gold" / "html-dev-other.jsonl").exists() or not corpus_pages(),
                    reason="the shared gold set or corpus is not present")
def test_story_text_holds_the_gold_quotations(host):
    """A floor on body extraction: the quoted words of (nearly) every required gold quotation are in
    the story text the plugins read."""
    gold = [json.loads(line) for line in open(SHARED / "gold" / "html-dev-other.jsonl", encoding="utf-8")]
    stories, found, total = {}, 0, 0
    for row in gold:
        if not row["text"] or row.get("optional"):
            continue
        if row["doc"] not in stories:
            stories[row["doc"]] = _words(parse(host, CORPUS / row["doc"]).story_text())
        total += 1
        found += _words(row["text"]) in stories[row["doc"]]
    assert total and found / total >= 0.98, f"{found} of {total} gold quotations in the story text"


@pytest.mark.parametrize("title, headline", [
    ("Reservoir levels fall again | Editorial", "Reservoir levels fall again"),
    ("Reservoir levels fall again | Jo Marsh", "Reservoir levels fall again"),          # the byline
    ("Reservoir levels fall again - Tidewater Post", "Reservoir levels fall again"),    # the site
    ("Kristen: 'My next film – a prequel'", "Kristen: 'My next film – a prequel'"),     # a dash inside
])
def test_headline_loses_site_and_author_tails(host, title, headline):
    page = (f"<html><head><meta property='og:title' content=\"{title}\"><meta property='og:site_name' "
            "content='Tidewater Post'><meta name='author' content='Jo Marsh'></head><body><article>"
            + "<p>A paragraph of the story, long enough to be taken for the story's own text.</p>" * 3
            + "</article></body></html>")
    document = Document("page.html", page, is_html=True)
    choice = host.choose(document)
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    assert article.headline == headline


@pytest.mark.parametrize("first, dateline, rest", [
    ("NASHVILLE, Tenn. (AP) — Hundreds gathered at a vigil on Wednesday.", "NASHVILLE, Tenn. (AP)",
     "Hundreds gathered at a vigil on Wednesday."),
    ("Edinburgh (CNN) -- In the 20th century, a toy car meant a trip to the mall.", "Edinburgh (CNN)",
     "In the 20th century, a toy car meant a trip to the mall."),
    ("(CNN)After running away with the championship, he crashed his car.", "(CNN)",
     "After running away with the championship, he crashed his car."),
    ("Tony Blair (Labour) — the former prime minister — said the plan was sound.", None,
     "Tony Blair (Labour) — the former prime minister — said the plan was sound."),
])
def test_dateline_leaves_the_first_paragraph(first, dateline, rest):
    from quoteledger.model import Article, Paragraph
    from quoteledger_plugins.generic import take_dateline
    article = Article(paragraphs=[Paragraph(first)])
    take_dateline(article)
    assert (article.dateline, article.paragraphs[0].text) == (dateline, rest)


def test_an_aside_holding_an_eyewitness_account_is_story():
    story = "".join(f"<p>Story paragraph {i}, which tells the reader what happened at the club and why.</p>"
                    for i in range(4))
    account = "".join(f"<p>\"Account paragraph {i}: I was by the door when the smoke came down, and we ran,\" "
                      "she said.</p>" for i in range(3))
    related = "<aside class='related'><ul><li><a href='/a'>Another story about something else</a></li></ul></aside>"
    tree = parse_html(f"<html><body><div class='story'>{story}<aside class='pullout'>{account}</aside>"
                      f"{related}</div></body></html>")
    found = [p.text for p in story_paragraphs(tree)]
    assert len(found) == 7 and sum("Account paragraph" in t for t in found) == 3


@pytest.mark.parametrize("text, kind", [
    ("We are not complacent. The barrier buys us time.", "blockquote"),
    ("We don’t have time for certain issues to “ride” – they must “fly”.", "blockquote"),   # marks inside
    ("It cannot change the course of events,” he said, using the Kremlin’s phrase.", "text"),  # its own cue
])
def test_a_blockquote_carrying_its_own_cue_is_reporting(text, kind):
    from quoteledger.boilerplate import block_kind
    assert block_kind("blockquote", text) == kind
