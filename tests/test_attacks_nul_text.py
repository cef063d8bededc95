"""A NUL in a page's text (an outside tester's attack, issue 15): a JSON-LD "\\u0000" escape, or a
plugin's own string, went into the records as it was, and SQLite's text functions end a string at
NUL, so the ledger's tables (what search, show, speakers and report read) held the headline
"Budget\\u0000 row" as "Budget" and the byline "Ann\\u0000Lee" as "Ann": text read from the page, lost
in every view of the ledger, in silence. A NUL is now made U+FFFD at the border, as HTML itself
reads one and as a lone surrogate is (one character for one, so spans hold), with a warning
(which `parse` gave for neither)."""
from __future__ import annotations

import io
import json

from quoteledger import cli
from quoteledger.hookspecs import hookimpl
from quoteledger.model import Article, Document, Paragraph
from quoteledger.outlet import Outlet
from quoteledger.pipeline import extract_document
from quoteledger.plugins import PluginHost
from quoteledger.validtext import valid_unicode
from test_border_text import QUOTE, page

NUL_FIELDS = ('"headline": "Budget\\u0000 talks resume", "author": {"@type": "Person", "name": "Ann\\u0000Lee"}, '
              '"articleSection": "Poli\\u0000tics"')


def test_a_nul_in_json_ld_reaches_every_view_of_the_ledger_whole(tmp_path, capsys):
    path = tmp_path / "budget.html"
    path.write_text(page(NUL_FIELDS), encoding="utf-8")
    ledger = tmp_path / "l.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(ledger), str(path)]) == 0
    err = capsys.readouterr().err
    assert "budget.html: plugin generic: 3 character(s)" in err and "U+FFFD" in err
    assert cli.main(["search", "--json", "--ledger", str(ledger), "budget"]) == 0
    quote_id = json.loads(capsys.readouterr().out)[0]["id"]
    assert cli.main(["show", "--json", "--ledger", str(ledger), quote_id]) == 0
    shown = capsys.readouterr().out
    assert '"headline": "Budget\ufffd talks resume"' in shown
    assert cli.main(["export", "--ledger", str(ledger)]) == 0
    article = json.loads(capsys.readouterr().out)["sightings"][0]["article"]
    assert (article["headline"], article["byline"], article["section"]) == (
        "Budget\ufffd talks resume", ["Ann\ufffdLee"], "Poli\ufffdtics")


class NulPlugin:
    """A plugin handing back a speaker's role and a cue holding NUL after the page was read."""

    outlet = Outlet(name="Nul Times", priority=100)

    @hookimpl
    def quoteledger_register_outlets(self, register):
        register(self.outlet)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        return 1.0 if outlet is self.outlet and "[nul]" in document.text else None

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if outlet is self.outlet:
            return Article(headline="Mayor speaks", paragraphs=[Paragraph(t) for t in document.text.split("\n\n")])

    @hookimpl
    def quoteledger_postprocess_quotes(self, article, quotations):
        for quotation in quotations:
            quotation.speaker.role = "mayor\x00of the town"
            quotation.cue = "sa\x00id"


def test_a_nul_a_plugin_sets_after_the_page_was_read_is_replaced_with_a_warning():
    host = PluginHost(entry_points=[], strict=False, stderr=io.StringIO())
    host.add_plugin(NulPlugin(), "nul")
    host._register_outlets()
    result = extract_document(Document("plugin-made.txt", "[nul]\n\n" + QUOTE, False), host)
    assert not result.failed, result.errors
    (record,) = result.records
    assert (record["speaker"]["role"], record["cue"]) == ("mayor\ufffdof the town", "sa\ufffdid")
    assert "\\u0000" not in result.record_texts()[0]
    assert any("plugin nul:" in w and "2 character(s)" in w for w in result.warnings), result.warnings


def test_valid_unicode_replaces_nul_one_for_one():
    assert valid_unicode("a\x00b\udfffc") == ("a\ufffdb\ufffdc", 2)
    assert valid_unicode("plain \u201ctext\u201d") == ("plain \u201ctext\u201d", 0)


def test_parse_says_what_it_made_valid_as_extract_does(tmp_path, capsys):
    path = tmp_path / "budget.html"
    path.write_text(page(NUL_FIELDS), encoding="utf-8")
    assert cli.main(["parse", str(path)]) == 0
    captured = capsys.readouterr()
    assert '"headline": "Budget\ufffd talks resume"' in captured.out
    assert "budget.html: plugin generic: 3 character(s) that are not valid Unicode" in captured.err
