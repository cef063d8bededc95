"""Input that would make libxml2 work for minutes is cut before it is parsed (issue 15 item 7): no
element reaches the parser with more than MAX_ATTRIBUTES attributes, however the page hides the
tag (quotes holding '>' or '<', attributes with no space between them, a script or a comment
before it); real pages lose nothing but the end tags of html and body. (Speed itself is measured in bench/bench_scaling.py.)"""
from __future__ import annotations

import glob
import gzip
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoteledger import cli
from quoteledger.htmltools import parse_html
from quoteledger.markup_limits import MAX_ATTRIBUTES, prepare_page

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MANY = 3 * MAX_ATTRIBUTES


def most_attributes(tree) -> int:
    return max(len(el.attrib) for el in tree.iter() if isinstance(el.tag, str))


def page(body: str) -> str:
    return f"<html><head><title>Hostile</title></head><body>{body}<p>The text after it.</p></body></html>"


CROWDED = {
    "bare names": "<div " + " ".join(f"a{i}" for i in range(MANY)) + ">x</div>",
    "values": "<div " + " ".join(f"a{i}=v{i}" for i in range(MANY)) + ">x</div>",
    "quoted '>' in every value": "<div " + " ".join(f'a{i}=">"' for i in range(MANY)) + ">x</div>",
    "quoted '<' in every value": "<div " + " ".join(f"a{i}='<p'" for i in range(MANY)) + ">x</div>",
    "no space after quotes": "<div " + "".join(f'a{i}="1"' for i in range(MANY)) + ">x</div>",
    "slashes between": "<div " + "/".join(f"a{i}" for i in range(MANY)) + ">x</div>",
    "'<' in names": "<div " + " ".join(f"a<{i}" for i in range(MANY)) + ">x</div>",
    "upper case": "<DIV " + " ".join(f"A{i}" for i in range(MANY)) + ">x</DIV>",
    "after a script with a quote": "<script>var s = '<a b=\"';</script><div "
                                   + " ".join(f"a{i}" for i in range(MANY)) + ">x</div>",
    "after a comment with a quote": "<!-- <a b=' --><div " + " ".join(f"a{i}" for i in range(MANY)) + ">x</div>",
    "after a value holding an equals sign": "<a b=c=\"d e=\" f><div " + " ".join(f"a{i}" for i in range(MANY)) + ">",
    "in an end tag": "<div>x</div " + " ".join(f"a{i}" for i in range(MANY)) + ">",
    "never closed": "<div " + " ".join(f"a{i}" for i in range(MANY)),
}


@pytest.mark.parametrize("name", CROWDED)
def test_no_element_reaches_the_parser_with_too_many_attributes(name):
    tree = parse_html(page(CROWDED[name]))
    assert most_attributes(tree) <= MAX_ATTRIBUTES


def test_the_tag_keeps_its_first_attributes_and_the_page_its_text():
    tree = parse_html(page("<div " + " ".join(f"a{i}=v{i}" for i in range(MANY)) + ' id="last">kept</div>'))
    div = tree.xpath("//div")[0]
    assert list(div.attrib) == [f"a{i}" for i in range(MAX_ATTRIBUTES)] and div.text == "kept"
    assert tree.xpath("//p/text()") == ["The text after it."]


def test_a_script_keeps_its_text_when_its_tag_is_cut():
    inner = "<p " + " ".join(f"b{i}" for i in range(MANY)) + ">"
    data = page("<script " + " ".join(f"a{i}" for i in range(MANY)) + f">var s = '{inner}';</script>").encode()
    cut, count = prepare_page(data)
    assert count == 1 and inner.encode() in cut


def test_the_testers_page_is_read_with_its_quotation(tmp_path, capsys):
    story = ('<p>"We will not raise taxes this year, and every library stays open," Mayor Ann Lee said on '
             'Tuesday after the council voted on the budget for the coming year.</p>')
    hostile = tmp_path / "attributes.html"
    hostile.write_text(page("<div " + " ".join(f"a{i}" for i in range(150_000)) + ">x</div>" + story),
                       encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", str(hostile), "--timeout", "60", "-o", str(out)]) == 0
    assert "We will not raise taxes" in out.read_text("utf-8")


def corpus_pages():
    paths = sorted(glob.glob(str(SHARED / "html" / "*.html"))) + sorted(glob.glob(str(SHARED / "wcxb-dev-articles" / "*.gz")))
    return [p for p in paths][:300]


@pytest.mark.skipif(not corpus_pages(), reason="../shared/corpus is not here")
def test_real_pages_lose_nothing_but_their_document_end_tags():
    end_tags = re.compile(rb"</(?:html|body)\s*>", re.I)
    for path in corpus_pages():
        data = Path(path).read_bytes()
        data = gzip.decompress(data) if path.endswith(".gz") else data
        prepared, cut = prepare_page(data)
        assert cut == 0 and end_tags.sub(b"", prepared) == end_tags.sub(b"", data), path


def test_what_follows_the_document_end_is_read_but_end_tags_in_scripts_stay():
    tree = parse_html("<html><body><p>One.</p></body></html><p>Two, after the end.</p>"
                      "<script>document.write('</body></html>')</script></html>")
    assert tree.xpath("//p/text()") == ["One.", "Two, after the end."]
    assert tree.xpath("//script/text()") == ["document.write('</body></html>')"]


# Tag soup from the pieces that change how a tokenizer reads a tag, with one crowded tag put in
# somewhere: whatever comes before it, the parser never sees an element with too many attributes.
PIECES = ["<div", "<p ", "</div", "</", "<", ">", " ", "/", "=", '"', "'", "a", "b=", "x", "<!--", "-->", "--!>",
          "<script>", "</script>", "<style>", "</style >", "<title>", "<textarea>", "<!doctype", "<?", "\n", "\t"]
soup = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=soup, after=soup, separator=st.sampled_from([" ", "/", "\n", '="1"', "='>' ", '=">" ']))
def test_a_crowded_tag_is_cut_whatever_comes_before_it(before, after, separator):
    crowded = "<em " + separator.join(f"a{i}" for i in range(MANY)) + ">"
    tree = parse_html(page(before + crowded + after))
    assert most_attributes(tree) <= MAX_ATTRIBUTES


@settings(max_examples=200, deadline=None)
@given(soup)
def test_markup_without_crowded_tags_cuts_nothing(text):
    data = text.encode("utf-8")
    prepared, cut = prepare_page(data)
    end_tags = re.compile(rb"</(?:html|body)\s*>", re.I)
    assert cut == 0 and end_tags.sub(b"", prepared) == end_tags.sub(b"", data)


# The scan reads most tags in a quick form first (_PLAIN_TAGS); it must read every page exactly as
# the scan without that form does, wherever a tag of another form or a crowded one comes.
PLAIN_PIECES = PIECES + [' class="c"', " id='i'", "<br/>", "</em >", "<amp-img", ' data-x="1>2"', "</html>", "</body >",
                         "<span", " :a", " @b", '=""', "-", "_", "<p class=\"a>b\">"]
plain_soup = st.lists(st.sampled_from(PLAIN_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=plain_soup, after=plain_soup, crowded=st.booleans())
def test_the_quick_reading_of_plain_tags_changes_nothing(before, after, crowded):
    from quoteledger.markup_limits import _prepare, _scan
    middle = "<em " + " ".join(f"a{i}" for i in range(MANY)) + ">" if crowded else ""
    data = (before + middle + after).encode("utf-8")
    assert prepare_page(data) == _prepare(data, _scan(plain_first=False))
