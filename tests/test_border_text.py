"""Text at the border (issue 15, items 1 and 3): whatever a page, a plugin or a file name holds that
is not valid Unicode (lone surrogates from JSON "\\udfff" escapes, names whose bytes are not UTF-8)
is made valid once, with a warning, and never ends the run or reaches a record, the ledger or
standard output as invalid UTF-8; names with newlines or control characters cannot forge lines of
the error report. Every fixture is written here."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from quoteledger import cli
from quoteledger.hookspecs import hookimpl
from quoteledger.model import Article, Document, Paragraph
from quoteledger.outlet import Outlet
from quoteledger.pipeline import extract_document, extract_path
from quoteledger.plugins import PluginHost
from quoteledger.validtext import one_line, shown_path, valid_unicode

QUOTE = "\u201cWe will hold the line on the budget,\u201d said Jane Smith, the mayor."
FILLER = "<p>The council met on Tuesday to discuss the plan for the old bridge and what it will cost.</p>"
# Each JSON-LD field a page's metadata is read from, holding a lone surrogate escape (as the
# raw JSON text of the page spells it: backslash, u, four hex digits).
FIELDS = {
    "headline": '"headline": "Budget \\udfff talks resume at the hall"',
    "author": '"author": {"@type": "Person", "name": "Ann \\ud800Lee"}',
    "url": '"url": "https://news.example/budget-\\udc80"',
    "section": '"articleSection": "Pol\\udfffitics"',
    "publisher": '"publisher": {"@type": "Organization", "name": "Daily \\udbff Ledger"}',
}


def page(ld_field: str = "") -> str:
    fields = ", ".join(f for f in ('"@type": "NewsArticle"', ld_field) if f)
    return (f'<!DOCTYPE html><html><head><title>Budget talks resume at the hall</title>'
            f'<script type="application/ld+json">{{{fields}}}</script></head><body><article>'
            f"<h1>Budget talks resume at the hall</h1>{FILLER}<p>{QUOTE}</p>{FILLER}</article></body></html>")


def assert_valid_utf8_json_lines(data: bytes) -> list:
    text = data.decode("utf-8")              # strict: invalid UTF-8 raises here
    records = [json.loads(line) for line in text.splitlines() if line]
    for record in records:
        json.dumps(record, ensure_ascii=False).encode("utf-8")    # no surrogate escape came through either
    return records


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_lone_surrogate_in_json_ld_is_replaced_with_a_warning(tmp_path, field):
    path = tmp_path / f"{field}.html"
    path.write_text(page(FIELDS[field]), encoding="utf-8")
    result = extract_path(str(path))
    assert not result.failed, result.errors
    assert [r["text"].rstrip(",") for r in result.records] == ["We will hold the line on the budget"]
    for record, canonical in zip(result.records, result.record_texts()):
        canonical.encode("utf-8")                   # what extract writes and the ledger stores
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    warning = next(w for w in result.warnings if "not valid Unicode" in w)
    assert str(path) in warning and "plugin generic" in warning and "U+FFFD" in warning


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_extract_and_ingest_go_on_past_the_page_and_write_valid_utf8(tmp_path, jobs, capsys):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-bad.html").write_text(page(FIELDS["headline"] + ", " + FIELDS["author"]), encoding="utf-8")
    (folder / "b-good.html").write_text(page().replace("Jane Smith", "Joan Baker").replace("budget", "plan"),
                                        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "--jobs", jobs, "-o", str(out), str(folder)]) == 0
    records = assert_valid_utf8_json_lines(out.read_bytes())
    assert sorted(r["speaker"]["name"] for r in records) == ["Jane Smith", "Joan Baker"]
    assert "Budget \ufffd talks" in records[0]["article"]["headline"]

    ledger, export = tmp_path / "l.db", tmp_path / "export.jsonl"
    assert cli.main(["ingest", "--jobs", jobs, "--ledger", str(ledger), str(folder)]) == 0
    assert "2 documents (0 failed)" in capsys.readouterr().err
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(export)]) == 0
    assert len(assert_valid_utf8_json_lines(export.read_bytes())) == 2


class SurrogatePlugin:
    """An outlet whose plugin hands back text with lone surrogates at every step: the stories it
    cuts, the article it parses, the speakers it sets afterwards."""

    outlet = Outlet(name="Surrogate Times", priority=100, container=True)

    @hookimpl
    def quoteledger_register_outlets(self, register):
        register(self.outlet)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        return 1.0 if outlet is self.outlet and "[surrogate]" in document.text else None

    @hookimpl
    def quoteledger_split(self, document, outlet):
        if outlet is not self.outlet or document.hints.get("cut"):
            return None
        return [Document(document.source, document.text + " \udfff", False, hints={"cut": True})]

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if outlet is not self.outlet:
            return None
        return Article(outlet="Surrogate \udfff Times", headline="Mayor \ud800 speaks", byline=["Ann \udc00"],
                       chain=[{"role": "republisher", "name": "Agg \udfff", "organization": None,
                               "detail": None, "url": None}],
                       paragraphs=[Paragraph(t) for t in document.text.split("\n\n")])

    @hookimpl
    def quoteledger_postprocess_quotes(self, article, quotations):
        for quotation in quotations:
            quotation.speaker.role = "mayor \udfff of the town"


def test_whatever_a_plugin_hands_back_is_made_valid_once_and_reported():
    host = PluginHost(entry_points=[], strict=False, stderr=io.StringIO())
    host.add_plugin(SurrogatePlugin(), "surrogate")
    host._register_outlets()
    text = "[surrogate]\n\n" + QUOTE + " \ud83d"
    result = extract_document(Document("plugin-made.txt", text, False), host)
    assert not result.failed, result.errors
    assert len(result.records) == 1
    for record, canonical in zip(result.records, result.record_texts()):
        canonical.encode("utf-8")
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    record = result.records[0]
    assert record["article"]["headline"] == "Mayor \ufffd speaks"
    assert record["speaker"]["role"] == "mayor \ufffd of the town"
    # The caller's document, the story cut, the article, the record: each reported where it happened.
    assert len(result.warnings) == 4, result.warnings
    assert all("plugin-made.txt" in w for w in result.warnings)
    assert sum("plugin surrogate" in w for w in result.warnings) == 3


def bad_name(folder, raw: bytes):
    return os.path.join(os.fsdecode(bytes(folder)), os.fsdecode(raw))


def test_file_names_that_are_not_utf8_give_valid_records_outputs_and_ledgers(tmp_path, capsys):
    folder = tmp_path / "pages"
    folder.mkdir()
    try:
        with open(bad_name(folder, b"caf\xff.html"), "w", encoding="utf-8") as fh:
            fh.write(page())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    out = bad_name(tmp_path, b"out-\xfe.jsonl")
    assert cli.main(["extract", "-o", out, str(folder)]) == 0
    with open(out, "rb") as fh:
        records = assert_valid_utf8_json_lines(fh.read())
    assert records[0]["article"]["document"] == shown_path(bad_name(folder, b"caf\xff.html"))
    assert records[0]["article"]["document"].endswith("caf\\xff.html")
    for jobs in ("1", "2"):
        ledger = tmp_path / f"l{jobs}.db"
        assert cli.main(["ingest", "--jobs", jobs, "--ledger", str(ledger), str(folder)]) == 0
        assert cli.main(["export", "--ledger", str(ledger), "-o", str(tmp_path / "e.jsonl")]) == 0
        assert_valid_utf8_json_lines((tmp_path / "e.jsonl").read_bytes())


def test_plain_stdout_carries_valid_utf8_and_report_lines_cannot_be_forged(tmp_path):
    """A real process, so standard output is the file descriptor (whose Python stream would
    otherwise pass undecodable file name bytes through as they are)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    names = [b"caf\xff.html", b"x\nquoteledger: forged line.html", b"esc\x1b[2Jname.html"]
    try:
        for raw in names:
            with open(bad_name(folder, raw), "w", encoding="utf-8") as fh:
                fh.write(page(FIELDS["headline"]))
        with open(bad_name(folder, b"z\nquoteledger: forged error.txt"), "wb") as fh:
            fh.write(b"\x00\x01binary")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses such names")
    done = subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", str(folder)],
                          capture_output=True, timeout=120)
    assert done.returncode == 1, done.stderr          # the binary file failed; the rest did not
    records = assert_valid_utf8_json_lines(done.stdout)
    assert len(records) == 3
    err = done.stderr.decode("utf-8")
    assert not any(line.startswith("quoteledger: forged") for line in err.splitlines()), err
    assert all(line.startswith("quoteledger: ") for line in err.splitlines()), err
    assert "\x1b" not in err and "esc\\x1b[2Jname.html" in err
    assert "z\\nquoteledger: forged error.txt: binary data" in err


def test_one_line_escapes_what_could_forge_or_hide_a_line():
    assert one_line("plain words, accents é and “marks”") == "plain words, accents é and “marks”"
    assert one_line("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert one_line("bell\x07 esc\x1b del\x7f c1\x85") == "bell\\x07 esc\\x1b del\\x7f c1\\x85"
    assert one_line("line\u2028sep \u202eevil") == "line\\u2028sep \\u202eevil"
    assert one_line(os.fsdecode(b"caf\xff")) == "caf\\xff"
    assert one_line("lone \ud800") == "lone \\ud800"


def test_valid_unicode_keeps_offsets_and_shown_path_keeps_names_apart():
    assert valid_unicode("ab\udfffcd") == ("ab\ufffdcd", 1)
    assert valid_unicode("fine é") == ("fine é", 0)
    assert shown_path(os.fsdecode(b"a\xff")) != shown_path(os.fsdecode(b"a\xfe"))
    assert shown_path("plain/é.html") == "plain/é.html"
