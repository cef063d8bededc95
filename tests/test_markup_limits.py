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

from quoteledger import cli, markup_limits
from quoteledger.htmltools import parse_html
from quoteledger.markup_limits import _HOPS, MAX_ATTRIBUTES, _reference_prepare, prepare_page

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
    "a plaintext tag": "<plaintext " + " ".join(f"a{i}" for i in range(MANY)) + ">the rest is text",
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


def test_a_plaintext_tag_is_cut_and_the_rest_of_the_page_stays_text():
    # After <plaintext> every byte is text: the tags written there are never read, nor cut. The
    # scan read no further than its name, so its own attributes went to libxml2 uncut.
    inner = "<p " + " ".join(f"b{i}" for i in range(MANY)) + ">"
    data = page("<plaintext " + " ".join(f"a{i}" for i in range(MANY)) + f">{inner}").encode()
    cut, count = prepare_page(data)
    assert count == 1 and inner.encode() in cut and b" a%d" % MAX_ATTRIBUTES not in cut
    assert (cut, count) == _reference_prepare(data)


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


# The scan reads most tags in a quick form first and passes over the text of a script or style by
# searching for '<'; the reference (_reference_prepare) reads every tag in the one form that reads
# any, and every script's text with a pattern. Both must give the same page, byte for byte, and the
# same count, whatever the markup: crowded tags of every kind around the quick forms' bounds, raw
# text holding '<', quotes and look-alike end tags, comments, CDATA, quotes hiding '>'.
HOSTILE_PIECES = PIECES + [
    ' class="c"', " id='i'", "<br/>", "</em >", "<amp-img", ' data-x="1>2"', "</html>", "</body >", "<span", " :a",
    " @b", '=""', "-", "_", '<p class="a>b">', "<SCRIPT>", "</SCRIPT>", "</script", "</script/", "</scripts>",
    "</script\n>", "<script type=\"t\">", "<style media='x>y'>", "</Style>", "<textarea>", "</textarea>", "<title>",
    "</title >", "<xmp>", "</xmp>", "<iframe>", "</iframe>", "<noembed>", "</noembed>", "<noframes>", "</noframes>",
    "<plaintext>", "<![CDATA[", "]]>", "<!-->", "<!--->", "<!---->", "</BODY\n>", '</html a=">">', "<html>", "<body>",
    "\x00", "<1", "< ", "<a<b", "'>'", '">"', "<<", "</>", "</ ", "<a =\"x>\">", '<a b=x"y c="z>w">', "<a/b='>'>",
    "<s", "<sc", "<scr", "<scrip", "<scriptx>", "<h1>", "</h1>", "</b>", "</bod>", "</htm>", "<svg>", "<path d=1>",
    "<div\f", "<DIV A=\"1\">", "<a\tb='c'\n>", "=", "<" * 20, "é", "\u2028",
]
crowded_tags = st.builds(
    lambda name, count, separator: f"<{name} " + separator.join(f"a{i}" for i in range(count)) + ">",
    st.sampled_from(["em", "div", "/p", "/body", "script", "style", "title", "SCRIPT", "plaintext"]),
    st.sampled_from([1, 19, 20, 21, 199, 200, 201, 1000]),
    st.sampled_from([" ", "/", "\n", '="1"', "='>' ", '=">" ', "=x ", '="1" ']))
# Tags built from the parts that decide where the tokenizer ends a tag and how many attributes it
# counts: odd names, separators or none, '=' with space, values quoted or not, holding '>', quotes, '='.
attribute = st.tuples(st.sampled_from([" ", "", "/", "\n"]),
                      st.sampled_from(["b", "_", "=", 'a"', "x<y", ""]),
                      st.sampled_from(["=", " =", ""]),
                      st.sampled_from(['"v>w"', "'v>w'", "x", 'x"y', '"', '="x>"', ""])).map("".join)
tags = st.builds(lambda name, attributes, end: "<" + name + "".join(attributes) + end,
                 st.sampled_from(["a", "div", "SPAN", "s", "script", "style", "title", "/p", "/b", "/body", "/html",
                                  "/script", "x-y", "o:p", 'a"b', "p=1", "h1", "bo", "scripts", "td"]),
                 st.lists(attribute, max_size=6), st.sampled_from([">", "/>", " >", "", " / >", '">']))
hostile_markup = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), crowded_tags, tags, st.text(max_size=4)),
                          max_size=60).map("".join)
QUICK_TAG = re.compile(b"<(?:" + markup_limits._PLAIN_TAGS + b")")
ORDINARY_TAG = re.compile(b"<(?:" + markup_limits._ORDINARY_TAG + b")")
SHORT_RAW_ELEMENT = re.compile(b"<(?:" + markup_limits._SHORT_RAW_ELEMENTS + b")")
RAW_ELEMENT = re.compile(b"<(?:" + markup_limits._RAW_ELEMENTS + b")")


@settings(max_examples=2000, deadline=None)
@given(st.one_of(tags, crowded_tags), st.sampled_from(["", "x", ">", '">', "'>", "<p>", "</script>", "a</style >"]))
def test_a_tag_read_in_a_quick_form_ends_where_the_reference_form_ends_it(tag, after):
    # Most of what the page gives the parser depends on no single tag's end, so each form is held
    # to its reference directly: where a quick form reads a tag, the reference reads the same bytes.
    data = (tag + after).encode()
    for quick, reference in ((QUICK_TAG, ORDINARY_TAG), (SHORT_RAW_ELEMENT, RAW_ELEMENT)):
        found = quick.match(data)
        if found:
            expected = reference.match(data)
            assert expected and expected.end() == found.end(), (quick.pattern[:20], data)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_markup)
def test_the_quick_scan_gives_what_the_reference_gives(text):
    data = text.encode("utf-8", errors="surrogatepass")
    assert prepare_page(data) == _reference_prepare(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=6), st.sampled_from([p.encode() for p in HOSTILE_PIECES])), max_size=60)
       .map(b"".join))
def test_the_quick_scan_gives_what_the_reference_gives_on_any_bytes(data):
    assert prepare_page(data) == _reference_prepare(data)


@pytest.mark.parametrize("end", ["</script>", "</SCRIPT >", "</script", "</scripts></script>", "</script/>"])
@pytest.mark.parametrize("count", range(0, 2 * _HOPS + 3))
def test_a_script_holding_many_less_than_signs_ends_where_the_reference_ends_it(count, end):
    # (the search for '<' gives way to the pattern after _HOPS of them)
    for inner in ("<", "</", "a<b ", "</scrip"):
        data = ("<p>x<script>" + inner * count + end + "<p>y</body><em " + "a " * MANY + ">").encode()
        assert prepare_page(data) == _reference_prepare(data)


@pytest.mark.skipif(not corpus_pages(), reason="../shared/corpus is not here")
def test_real_pages_come_out_as_the_reference_reads_them():
    for path in corpus_pages():
        data = Path(path).read_bytes()
        data = gzip.decompress(data) if path.endswith(".gz") else data
        assert prepare_page(data) == _reference_prepare(data), path
