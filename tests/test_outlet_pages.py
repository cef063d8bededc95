"""The outlet plugins on small pages modelled on each template generation of NBC News, BBC,
Reuters and The Sun (fixtures in tests/fixtures/html, invented text, the outlets' real markup):
metadata, story paragraphs only, block quotations and embedded posts kept apart."""
from __future__ import annotations

from pathlib import Path

import pytest

from quoteledger.commands.parse import stories
from quoteledger.htmlarticle import Selectors, parse_html_article
from quoteledger.htmltools import json_ld_article, parse_date, parse_html
from quoteledger.model import Document
from quoteledger.plugins import PluginHost
from quoteledger.reading import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "html"


@pytest.fixture(scope="module")
def host():
    return PluginHost()


def parse(host, name):
    found = list(stories(read_document(str(FIXTURES / name)), host))
    assert len(found) == 1, f"{name}: expected one story, got {len(found)}"
    _, choice, article = found[0]
    return choice, article


def texts(article, kind="text"):
    return [p.text for p in article.paragraphs if p.kind == kind]


# fixture, plugin, outlet, edition, headline, byline, published, dateline,
# first and last story paragraphs (their opening words), furniture that must not be story text
CASES = [
    ("nbcnews-2015-articlebody.html", "nbcnews", "NBC News", None, "Harbor Town Keeps Its Lighthouse Lit",
     ["Dana Whitfield"], "2015-10-02T14:05:10.000Z", None,
     "The keepers of the Marlow Point", "The town council voted",
     ["autoplay", "advertisement", "Season of Kindness", "The Marlow Point light at dusk", "We never once let it go dark.\""]),
    ("nbcnews-2024-cdata.html", "nbcnews", "NBC News", None, "Orchard growers race a late frost: ‘We had one night’",
     ["Lena Ortiz"], "2024-04-03T11:00:05.473Z", "FRESNO, Calif. —",
     "Growers lit smudge pots", "By morning, most of the orchards",
     ["Related:", "Let our news meet your inbox", "Pots burning all night"]),
    ("bbc-2011-story-body.html", "bbc", "BBC News", None, "Lost canal found under car park",
     ["Amelia Rook"], "2011-06-14T08:15:02", None,
     "Builders digging foundations", "The lock will be recorded",
     ["Last updated", "Share this page", "Buried", "Continue reading", "Canal facts", "is the author of",
      "is broadcast", "The old lock gates"]),
    ("bbc-2015-story-body-inner.html", "bbc", "BBC News", None, "Ferry strike 'to go ahead'",
     ["Morag Lindsay"], "2015-03-09T07:12:40+00:00", None,
     "Ferry crews on the west coast", "The operator said talks would continue",
     ["Advertisement", "Island fears over winter timetable", "Read the full union statement", "Nobody wants this",
      "Your stories of the strike", "By Hamish Reid", "Follow Morag", "Are you affected", "Ferries at the pier"]),
    ("bbc-2020-sport.html", "bbc", "BBC News", None, "Harriers boss backs youth after cup exit",
     [], "2020-02-11T18:20:00+00:00", None,
     "Kidford Harriers manager Joe Pell", "Pell named four players",
     ["Proud of them", "Listen to the full interview", "From the section"]),
    ("bbc-2024-data-component.html", "bbc", "BBC News", None, "Seaweed farmers look east",
     ["Priya Nair", "Tom Varley"], "2024-02-20T06:05:11.120Z", None,
     "Scottish seaweed growers", "Shipping costs remain",
     ["Harvesting kelp", "Advertisement", "A long voyage", "Kelp boom in Norway", "ScotlandFarming", "Business reporter"]),
    ("reuters-2012-articletext.html", "reuters", "Reuters", None, "Grain barge sinks in Rhine, shipping halted",
     ["Hanna Vogel", "Peter Lind"], "2012-05-02T10:10:00-04:00", "BINGEN, Germany (Reuters) -",
     "A barge carrying 2,000 tonnes", "Salvage crews expect",
     ["By Hanna Vogel", "Wed May 2", "SALVAGE", "Reporting by", "A barge on the Rhine near Bingen"]),
    ("reuters-2019-standard-article.html", "reuters", "Reuters", None, "Copper climbs on Chilean mine strike",
     ["Marta Quiroga"], "2019-06-04T15:30:00+00:00", "SANTIAGO (Reuters) -",
     "Copper prices rose on Tuesday", "“We will stay out",
     ["Min Read", "Graphic:", "Reporting by", "Our Standards", "Copper cathodes"]),
    ("reuters-2023-testid.html", "reuters", "Reuters", None, "Port workers end strike after pay deal",
     ["Lars Eriksen", "Ines Moreau"], "2023-09-14T09:41:12Z", "ROTTERDAM/ANTWERP, Sept 14 (Reuters) -",
     "Dock workers in two of Europe's", "Port operators said",
     ["opens new tab", "Reporting by", "Our Standards"]),
    ("thesun-2011-sol.html", "thesun", "The Sun", None, "Rovers ace in contract row",
     ["Gary Holloway"], None, None,
     "ROVERS striker Danny Webb", "\"I want him here",
     ["Published: Today", "Add a comment", "By GARY"]),
    ("thesun-2023-scottish.html", "thesun", "The Sun", "Scottish Sun", "Council blows £40k on ‘ghost’ office",
     ["Kirsty Baird"], "2023-05-10T17:55:55+00:00", None,
     "A CASH-strapped council", "A council spokesperson said",
     ["read more in politics", "SHAMEFUL", "The empty office in Paisley", "What did the council say",
      "Most read in News"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_outlet_page(host, case):
    (name, plugin, outlet, edition, headline, byline, published, dateline,
     first, last, furniture) = case
    choice, article = parse(host, name)
    assert choice.plugin == plugin
    assert (article.outlet, article.edition) == (outlet, edition)
    assert article.headline == headline
    assert article.byline == byline
    assert article.published == published
    assert article.dateline == dateline
    story = texts(article)
    assert story[0].startswith(first), story[0]
    assert story[-1].startswith(last), story[-1]
    for junk in furniture:
        assert not any(junk in p.text for p in article.story_paragraphs()), f"furniture {junk!r} kept in {name}"


def test_publishers_and_url(host):
    _, sun = parse(host, "thesun-2023-scottish.html")
    assert sun.publisher == "News Group Newspapers"
    assert sun.url == "https://www.thescottishsun.co.uk/news/10000001/council-blows-cash-empty-office/"
    assert sun.section == "News"
    _, reuters = parse(host, "reuters-2023-testid.html")
    assert (reuters.publisher, reuters.section) == ("Thomson Reuters", "Europe")
    assert reuters.modified == "2023-09-14T11:02:03.250Z"


def test_blockquote_introduced_by_story_is_a_quotation(host):
    _, article = parse(host, "bbc-2024-data-component.html")
    assert texts(article, "blockquote") == ["Seaweed is the crop of the future, and the future is coming fast."]
    _, nbc = parse(host, "nbcnews-2024-cdata.html")
    assert texts(nbc, "blockquote") == ["Protect the blossoms first. Everything else can wait."]


def test_embedded_post_is_kept_apart_from_story_text(host):
    _, article = parse(host, "nbcnews-2024-cdata.html")
    embeds = texts(article, "embed")
    assert len(embeds) == 1 and embeds[0].startswith("Pots burning all night")
    assert "Pots burning" not in article.story_text()


def test_pullout_eyewitness_words_stay_with_their_heading(host):
    _, article = parse(host, "bbc-2015-story-body-inner.html")
    story = texts(article)
    at = story.index("Passenger - Isla Munro")
    assert story[at + 1].startswith('"I have a hospital appointment')
    assert story[at + 2] == "I don't know how I will get there now.\""


def test_story_list_items_are_text_but_link_lists_are_not(host):
    _, article = parse(host, "bbc-2015-story-body-inner.html")
    assert 'Oban to Mull, where services would be "severely limited"' in texts(article)


def test_reuters_credits_name_the_reporters_when_there_is_no_byline(host):
    page = (FIXTURES / "reuters-2012-articletext.html").read_text(encoding="utf-8")
    page = page.replace('<p class="byline">By Hanna Vogel and Peter Lind</p>', "")
    document = Document(source="no-byline.html", text=page, is_html=True)
    _, _, article = next(stories(document, host))
    assert article.byline == ["Hanna Vogel", "Peter Lind"]


def test_each_fixture_is_claimed_by_its_own_plugin_only(host):
    """No plugin claims another outlet's examples: the winner is the page's own plugin, and
    no other outlet plugin (below the generic fallback) is confident about it at all."""
    for name, plugin, *_ in CASES:
        document = read_document(str(FIXTURES / name))
        for outlet_name, outlet in host.outlets.items():
            owner = host.outlet_owner[outlet_name]
            if owner == plugin or outlet.priority >= 300 or outlet.container:
                continue
            confidence = host.call("quoteledger_detect", owner, document=document, outlet=outlet)
            assert not confidence, f"{owner} claims {name} with {confidence}"


@pytest.mark.parametrize("value, expected", [
    ("2019-11-19T21:57:01+0000", "2019-11-19T21:57:01+00:00"),
    ("Fri Aug 3, 2012 5:10am EDT", "2012-08-03T05:10:00-04:00"),
    ("Tue Dec 30 03:51:13 UTC 2014", "2014-12-30T03:51:13+00:00"),
    ("LONDON Mon Dec 29, 2014 8:57pm GMT", "2014-12-29T20:57:00+00:00"),
    ("2011/12/02 00:03:39", "2011-12-02T00:03:39"),
    ("1589287862", "2020-05-12T12:51:02+00:00"),
    ("13 November 2015", "2015-11-13"),
    ("Updated yesterday", None),
    ("2015-02-30", None),
])
def test_dates_as_pages_write_them(value, expected):
    assert parse_date(value) == expected


def test_hand_written_json_ld_is_still_read():
    broken = parse_html("""<html><head><script type="application/ld+json">
      {"@type": "NewsArticle", "headline": "Oil slips", "datePublished": "2019-11-19T21:57:01+0000",
       "author": {"@type": "Person", "name": "Ana Ruiz"}, "description": 'It's broken here',}
    </script></head><body></body></html>""")
    ld = json_ld_article(broken)
    assert ld["headline"] == "Oil slips"
    assert ld["author"]["name"] == "Ana Ruiz"


def test_organisation_author_is_not_a_byline():
    page = Document(source="x.html", is_html=True, text="""<html><head><script type="application/ld+json">
      {"@type": "NewsArticle", "headline": "H", "author": {"@type": "NewsMediaOrganization", "name": "BBC News"}}
    </script></head><body><h1>H</h1><p>Some story text that is long enough to be a story.</p></body></html>""")
    assert parse_html_article(page, Selectors()).byline == []


def test_shouted_byline_keeps_ordinary_case():
    page = Document(source="x.html", is_html=True,
                    text='<html><body><h1>H</h1><p class="by">By MARTIN BLACKBURN</p><p>Text of the story here.</p></body></html>')
    assert parse_html_article(page, Selectors(byline=("//p[@class='by']",))).byline == ["Martin Blackburn"]
