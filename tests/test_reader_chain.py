"""The reader chain (core/readers.py): the plugin's selectors, the generic finder, JSON-LD
articleBody, the longest paragraph run; the Article names the reader that found its story, and a
page where none finds one (nothing, or only its headline) is a warning naming the page and the
readers tried, from extract and from parse."""
from __future__ import annotations

import json

from quoteledger.cli import main
from quoteledger.htmlarticle import Selectors
from quoteledger.model import Article, Document, Paragraph
from quoteledger.pipeline import extract_path
from quoteledger.readers import is_story, json_ld_paragraphs, read_story
from quoteledger_plugins.generic import GENERIC, Generic, PagePlugin

PROSE = ("The minister said on Monday that the plan would be published in the spring, after talks "
         "with the unions had ended.")


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>A plan for spring</title>{head}</head><body><h1>A plan for spring</h1>{body}</body></html>"


def read(html: str, plugin=None) -> Article:
    plugin = plugin or Generic()
    return plugin.parse_html(Document("page.html", html, True), GENERIC)


def test_a_page_with_a_story_is_read_by_the_generic_finder():
    article = read(page("".join(f"<p>{i}. {PROSE}</p>" for i in range(3))))
    assert article.reader == "generic" and len(article.paragraphs) == 3


def test_a_plugins_selectors_come_first_and_are_named():
    class Outlet(PagePlugin):
        selectors = Selectors(body=("//div[@class='story']//p",))

    html = page(f"<div class='story'><p>{PROSE}</p></div><div class='other'><p>Other. {PROSE}</p>"
                f"<p>More. {PROSE}</p></div>")
    article = read(html, Outlet())
    assert article.reader == "plugin selectors" and [p.text for p in article.paragraphs] == [PROSE]


def test_selectors_finding_only_a_label_give_way_to_the_generic_finder():
    class Outlet(PagePlugin):
        selectors = Selectors(body=("//div[@class='story']",))

    html = page("<div class='story'>Share</div>" + "".join(f"<p>{i}. {PROSE}</p>" for i in range(3)))
    article = read(html, Outlet())
    assert article.reader == "generic" and article.readers_tried == ["plugin selectors", "generic"]


def test_json_ld_article_body_is_read_when_the_markup_holds_no_story():
    ld = {"@type": "NewsArticle", "headline": "A plan for spring", "articleBody": f"{PROSE}\n\nSecond. {PROSE}"}
    html = page("<div id='app'></div>", f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
    article = read(html)
    assert article.reader == "json-ld articleBody"
    assert [p.text for p in article.paragraphs] == [PROSE, f"Second. {PROSE}"]


def test_json_ld_article_body_written_in_html_is_read_for_its_text():
    assert [p.text for p in json_ld_paragraphs({"articleBody": "<p>One &amp; two.</p><p>Three.</p>"})] == \
        ["One & two.", "Three."]
    assert json_ld_paragraphs({"articleBody": 42}) == [] and json_ld_paragraphs({}) == []


def test_a_headline_alone_is_not_a_story():
    assert not is_story([Paragraph("A plan for spring")], "A plan for spring")
    assert not is_story([Paragraph("Share"), Paragraph("2 min read")], "A plan for spring")
    assert is_story([Paragraph(PROSE)], "A plan for spring")


def test_when_no_reader_finds_a_story_the_most_found_is_kept_and_the_readers_are_named():
    article = Article(headline="Headline")
    read_story(article, [("first", lambda: []), ("second", lambda: [Paragraph("Share this")]),
                         ("third", lambda: None)])
    assert article.reader is None and article.readers_tried == ["first", "second", "third"]
    assert [p.text for p in article.paragraphs] == ["Share this"]


def test_later_readers_are_not_called_once_one_finds_the_story():
    called = []
    article = Article(headline="Headline")
    read_story(article, [("first", lambda: called.append(1) or [Paragraph(PROSE)]),
                         ("second", lambda: called.append(2) or [])])
    assert called == [1] and article.reader == "first"


def test_extract_warns_naming_the_page_and_the_readers_tried(tmp_path):
    path = tmp_path / "headline-only.html"
    path.write_text(page("<div class='share'>Share</div>"), "utf-8")
    result = extract_path(str(path))
    assert not result.errors and result.records == []
    warning = next(w for w in result.warnings if "no story" in w)
    assert "headline-only.html" in warning and "generic, json-ld articleBody, longest paragraph run" in warning


def test_extract_gives_no_such_warning_for_a_story(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(page("".join(f"<p>{i}. {PROSE}</p>" for i in range(3))), "utf-8")
    assert not any("no story" in w for w in extract_path(str(path)).warnings)


def test_parse_shows_the_reader_and_warns_on_a_page_without_a_story(tmp_path, capsys):
    (tmp_path / "a.html").write_text(page("".join(f"<p>{i}. {PROSE}</p>" for i in range(3))), "utf-8")
    (tmp_path / "b.html").write_text(page(""), "utf-8")
    main(["parse", str(tmp_path)])
    out, err = capsys.readouterr()
    decoder, shown, at = json.JSONDecoder(), {}, 0
    while out[at:].strip():
        obj, end = decoder.raw_decode(out[at:].lstrip())
        at += len(out[at:]) - len(out[at:].lstrip()) + end
        shown[obj["document"].rsplit("/", 1)[-1]] = obj["reader"]
    assert shown == {"a.html": "generic", "b.html": None}
    assert "b.html" in err and "no story found" in err and "a.html" not in err


def test_parse_shows_each_paragraphs_kind_in_place_without_adding_words_to_its_text(tmp_path, capsys):
    (tmp_path / "a.html").write_text(page(f"<div><p>One. {PROSE}</p><h2>What comes next</h2><p>Two. {PROSE}</p>"
                                          "<ul><li>A list item</li></ul></div>"), "utf-8")
    main(["parse", str(tmp_path / "a.html")])
    shown = json.loads(capsys.readouterr().out)
    assert shown["paragraphs"] == [f"One. {PROSE}", {"kind": "heading", "text": "What comes next"},
                                   f"Two. {PROSE}", {"kind": "item", "text": "A list item"}]


def test_an_outlet_plugins_page_its_selectors_do_not_fit_is_read_by_the_generic_finder():
    # A page claimed weakly (it only links to the outlet) is seldom built like the outlet's own:
    # the generic finder reads its story (a list and all), before the densest run of paragraphs.
    from quoteledger.htmlarticle import parse_html_article

    html = page(f"<div class='post'><p>{PROSE}</p><ul><li>First, the unions</li><li>Then the budget</li></ul>"
                f"<p>Second. {PROSE}</p><p>Third. {PROSE}</p></div>")
    article = parse_html_article(Document("page.html", html, True), Selectors(body=("//div[@class='story']",)), "X")
    assert article.reader == "generic" and article.readers_tried == ["generic"]
    assert "First, the unions" in [p.text for p in article.paragraphs]
