"""Hostile pages: no network, no entity expansion, no huge trees; comments, scripts and styles
never become text; size caps naming the file and the cap; deep nesting and stray end tags keep
the story; a runaway document is ended by its deadline and the run goes on. Every fixture is
generated here."""
from __future__ import annotations

import gzip

import pytest

from quoteledger.cli import main
from quoteledger.htmltools import element_text, flatten_nesting, parse_html
from quoteledger.pipeline import extract_document, extract_path
from quoteledger.reading import InputError, read_source
from quoteledger.model import Document

CANARY = "\u201cThe bridge will be rebuilt by spring,\u201d said Jane Doe, the mayor."
FILLER = ("<p>The council met on Tuesday to discuss the plan for the old bridge and its cost, which has "
          "doubled since last year, officials said.</p>")


def page(body: str = "", before: str = "", head: str = "") -> str:
    return (f"{before}<html><head><title>Bridge</title>{head}</head><body><article><h1>Bridge talks resume</h1>"
            f"{FILLER}{body}<p>{CANARY}</p>{FILLER}</article></body></html>")


def texts(result):
    return [r["text"] for r in result.records]


def extract_html(html: str, name: str = "page.html"):
    return extract_document(Document(source=name, text=html, is_html=True))


def test_billion_laughs_is_not_expanded():
    decls = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    tree = parse_html(page("<p>&lol9;</p>", before=f'<?xml version="1.0"?><!DOCTYPE html [{decls}]>'))
    text = element_text(tree)
    assert text.count("lol") < 5
    assert "ENTITY" not in text


def test_xxe_reads_no_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    before = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">'
              f'<!ENTITY % p SYSTEM "file://{secret}"> %p;]>')
    html = page("<p>&xxe;</p>", before=before)
    assert "TOP-SECRET-VALUE" not in element_text(parse_html(html))
    result = extract_html(html)
    assert texts(result) == ["The bridge will be rebuilt by spring,"]
    assert not any("TOP-SECRET" in str(r) for r in result.records)


def test_external_dtd_is_not_fetched():
    # An unreachable address: were the parser to try the network, it would stall or fail here.
    html = page(before='<!DOCTYPE html SYSTEM "http://192.0.2.1/evil.dtd">')
    assert texts(extract_html(html)) == ["The bridge will be rebuilt by spring,"]


@pytest.mark.parametrize("hidden", [
    '<!-- "Hidden in a comment," said Evil Twin. -->',
    '<script>var q = "\u201cHidden in a script,\u201d said Evil Twin.";</script>',
    '<style>p::after { content: "\u201cHidden in a style,\u201d said Evil Twin."; }</style>',
    '<template><p>\u201cHidden in a template,\u201d said Evil Twin.</p></template>',
    '<noscript><p>\u201cHidden in noscript,\u201d said Evil Twin.</p></noscript>',
    '<?php echo "\u201cHidden in a PI,\u201d said Evil Twin."; ?>',
])
def test_comments_scripts_styles_never_become_text(hidden):
    result = extract_html(page(hidden, head=hidden))
    assert texts(result) == ["The bridge will be rebuilt by spring,"]
    assert "Evil Twin" not in str(result.records)


def test_deep_nesting_keeps_the_story():
    tower = "<div>" * 100_000 + "<p>\u201cDeep down,\u201d said Deep Diver.</p>" + "</div>" * 100_000
    result = extract_html(page(body=tower))
    assert "Deep down," in texts(result)
    assert "The bridge will be rebuilt by spring," in texts(result)


def test_flatten_nesting_drops_only_the_deep_tags():
    flat = flatten_nesting("<div>" * 5 + "<p>x</p>" + "</div>" * 5, limit=2)
    assert flat == "<div><div><p>x</p></div></div>"


def test_stray_end_of_document_tags_do_not_end_the_page():
    html = page(body="<div>ad</html></body><p>more</p>")
    assert texts(extract_html(html)) == ["The bridge will be rebuilt by spring,"]


def test_size_cap_names_file_and_cap(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(InputError, match=r"big\.txt: larger than the 1,000 bytes cap"):
        read_source(str(path), max_bytes=1000)
    result = extract_path(str(path), max_bytes=1000)
    assert result.failed and "big.txt" in result.errors[0] and "--max-bytes" in result.errors[0]


def test_default_cap_is_20_mb(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * (20 * 1024 * 1024 + 1))
    assert "20 MB cap" in extract_path(str(path)).errors[0]


def test_gzip_bomb_stops_at_the_cap(tmp_path):
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(b"\0" * (50 * 1024 * 1024)))
    with pytest.raises(InputError, match=r"bomb\.gz: inflates to more than the 1 MB cap"):
        read_source(str(path), max_bytes=1024 * 1024)


def test_truncated_gzip_is_an_error(tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(b"Headline\n\nSome text " * 100)[:40])
    with pytest.raises(InputError, match=r"cut\.gz: broken gzip"):
        read_source(str(path))


def test_runaway_document_ends_at_its_deadline_and_the_run_goes_on(tmp_path, capsys):
    # Many partial quotations in one endless sentence: seconds of work (bench/bench_scaling.py's
    # sentence-of-partial-quotes), so a tiny deadline reliably ends it.
    slow = tmp_path / "a-slow.txt"
    slow.write_text("Headline\n\n" + 'He called it "x" and "y" ' * 4000)
    fine = tmp_path / "b-fine.txt"
    fine.write_text(f"Headline\n\n{CANARY}\n")
    code = main(["extract", str(slow), str(fine), "--timeout", "0.3"])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{slow}: gave up after the 0.3 s time limit" in err
    assert "The bridge will be rebuilt by spring," in out


@pytest.mark.parametrize("text", [
    "Headline\n\n" + '"' + ' "a' * 100_000,                       # a long line of unclosed quotations
    "Headline\n\n" + "'" * 100_000,                               # 100,000 apostrophes
    "Headline\n\n" + "voters' " * 20_000,
    # One giant paragraph: kept small here to keep the test quick (bench/bench_scaling.py's
    # giant-paragraph-sentences measures how it grows; the deadline bounds it).
    "Headline\n\n" + "He went home. " * 3_000,
    "Headline\n\n" + "\u201c" * 50_000 + "\u201d" * 50_000,
])
def test_pathological_text_completes_without_error(text):
    result = extract_document(Document(source="p.txt", text=text, is_html=False), timeout=120)
    assert not result.failed, result.errors
