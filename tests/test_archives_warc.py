"""WARC input: archives made here, record by record, from the built-in plugins' example pages
(quoteledger.archives.writer), read by extract, ingest and parse: gzip per record, for the whole
file, or none; chunked and compressed payloads; request, revisit, metadata, non-HTML and non-200
records skipped and counted; truncated and corrupt records reported with their offsets while the
rest is read; each page's URL and fetch time carried through; its outlet chosen by its URL."""
from __future__ import annotations

import io
import json
import random
import re
import sys
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.archives import documents, input_items, writer as W
from quoteledger.archives import warc as warc_module
from quoteledger.archives.warc import WarcSlice, next_record_start

pytest.importorskip("fastwarc", reason="the warc extra is not installed (pip install 'quoteledger[warc]')")

EXAMPLES = Path(__file__).resolve().parents[1] / "plugins" / "examples"
PAGES = sorted(EXAMPLES.glob("*/*.html"))
CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)">')
DATE = "2024-05-06T07:08:09Z"


def canonical(page: Path) -> str:
    return CANONICAL.search(page.read_bytes()).group(1).decode()


def example_records(pages=PAGES, url=canonical, **response) -> list:
    """For each page: the request a crawler sent, the response it got, a metadata record."""
    records = [W.warcinfo_record()]
    for page in pages:
        records += [W.request_record(url(page)), W.Response(url(page), page.read_bytes(), date=DATE, **response).record(),
                    W.metadata_record(url(page))]
    return records


def write(path: Path, records: list, compress="record") -> list:
    with open(path, "wb") as fh:
        return W.write_warc(fh, records, compress)


def extract(path, *options) -> tuple:
    out = Path(str(path) + ".jsonl")
    status = cli.main(["extract", "-o", str(out), *options, str(path)])
    return status, [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def plugin_of(page: Path) -> str:
    return page.parent.name


@pytest.mark.parametrize("compress", ["record", "file", None])
def test_each_quotation_carries_its_page_url_fetch_time_and_plugin(tmp_path, capsys, compress):
    archive = tmp_path / "crawl.warc.gz"
    # The address each page was fetched from differs from the one it gives itself: the fetched one wins.
    write(archive, example_records(url=lambda page: canonical(page) + "?from=crawl"), compress)
    status, records = extract(archive, "--jobs", "2")
    assert status == 0
    by_url = {canonical(page) + "?from=crawl": page for page in PAGES}
    assert {r["article"]["url"] for r in records} == set(by_url)    # every page gave quotations
    for record in records:
        page = by_url[record["article"]["url"]]
        assert record["article"]["publisher"]["plugin"] == plugin_of(page), page.name
        assert record["article"]["fetched"] == DATE
        assert re.fullmatch(re.escape(str(archive)) + r"#urn:uuid:[0-9a-f-]{36}", record["article"]["document"])
        assert record["source_chain"][-1]["url"] == record["article"]["url"]
    err = capsys.readouterr().err
    pages = len(PAGES)
    assert (f"{2 * pages + 1} archive records hold no page and were skipped: {pages} metadata record, "
            f"{pages} request record, 1 warcinfo record") in err


def test_records_from_a_warc_validate_against_the_schemas(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    write(archive, example_records(PAGES[:4]))
    status, records = extract(archive)
    assert status == 0 and records
    assert cli.main(["validate", str(archive) + ".jsonl"]) == 0


def test_the_same_pages_give_the_same_ledger_from_a_warc_as_from_files(tmp_path):
    """Only the document names differ (and the fetch time, which a file does not have)."""
    archive = tmp_path / "crawl.warc.gz"
    write(archive, example_records())
    exports = {}
    for name, inputs, jobs in (("files", [str(p) for p in PAGES], "1"), ("warc1", [str(archive)], "1"),
                               ("warc2", [str(archive)], "2")):
        ledger = tmp_path / f"{name}.db"
        assert cli.main(["ingest", "--jobs", jobs, "--ledger", str(ledger), *inputs]) == 0
        out = tmp_path / f"{name}.jsonl"
        assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
        exports[name] = out.read_text("utf-8")
    assert exports["warc1"] == exports["warc2"], "the ledger does not depend on the number of jobs"
    assert without_origin(exports["warc1"]) == without_origin(exports["files"])
    assert exports["warc1"] != exports["files"]
    assert exports["files"].count("\n") > 40


def without_origin(export: str) -> list:
    entries = [json.loads(line) for line in export.splitlines()]
    for entry in entries:
        for sighting in entry["sightings"]:
            assert sighting["article"].pop("document")
            sighting["article"].pop("fetched", None)
    return entries


def test_a_page_on_a_built_in_outlets_domain_goes_to_that_plugin_whatever_its_content(tmp_path):
    # A page with no outlet's marks (its own canonical link removed): as a file the generic reader
    # takes it; fetched from reuters.com, the Reuters plugin does.
    page = (EXAMPLES / "generic" / "generic-jsonld-article.html").read_bytes()
    page = CANONICAL.sub(b"", page)
    loose = tmp_path / "page.html"
    loose.write_bytes(page)
    url = "https://www.reuters.com/world/harbour-town-ferry-vote-2024-03-05/"
    archive = tmp_path / "crawl.warc.gz"
    write(archive, [W.Response(url, page).record()])
    assert cli.main(["extract", "-o", str(tmp_path / "loose.jsonl"), str(loose)]) == 0
    loose_records = [json.loads(l) for l in (tmp_path / "loose.jsonl").read_text().splitlines()]
    assert {r["article"]["publisher"]["plugin"] for r in loose_records} == {"generic"}
    status, records = extract(archive)
    assert status == 0 and records
    assert {(r["article"]["publisher"]["plugin"], r["article"]["url"]) for r in records} == {("reuters", url)}


def test_parse_reads_a_warc_and_says_why_each_outlet_was_chosen(tmp_path, capsys):
    archive = tmp_path / "crawl.warc.gz"
    page = EXAMPLES / "bbc" / "bbc-2024-text-block.html"
    write(archive, example_records([page], url=lambda p: "https://www.bbc.co.uk/news/articles/c9x2ferry11o"))
    assert cli.main(["parse", str(archive)]) == 0
    out = capsys.readouterr().out
    article = json.loads(out)
    assert article["plugin"] == "bbc" and article["url"] == "https://www.bbc.co.uk/news/articles/c9x2ferry11o"
    assert article["fetched"] == DATE
    assert article["chosen_because"].startswith("by address: fetched from https://www.bbc.co.uk/")


# -- what a crawler stores -----------------------------------------------------------------------

PAGE = EXAMPLES / "guardian" / "guardian-2019-article-body.html"


@pytest.mark.parametrize("response", [dict(chunked=True), dict(encoding="gzip"), dict(encoding="deflate"),
                                      dict(encoding="br"), dict(chunked=True, encoding="gzip")],
                         ids=["chunked", "gzip", "deflate", "br", "chunked+gzip"])
def test_transfer_and_content_codings_are_undone(tmp_path, response):
    if response.get("encoding") == "br":
        pytest.importorskip("brotli", reason="Brotli comes with FastWARC; not installed here")
    plain, coded = tmp_path / "plain.warc.gz", tmp_path / "coded.warc.gz"
    write(plain, example_records([PAGE]))
    write(coded, example_records([PAGE], **response))
    expected = without_documents(extract(plain)[1])
    assert expected and without_documents(extract(coded)[1]) == expected


def without_documents(records: list) -> list:
    for record in records:
        assert record["article"].pop("document")
    return records


def test_a_body_stored_decoded_under_coding_headers_is_read_as_it_is(tmp_path, capsys):
    # Some crawlers undo the codings and keep the headers: the body is taken as it stands.
    body = PAGE.read_bytes()
    record = W.Response(canonical(PAGE), body, headers=[("Content-Encoding", "gzip"),
                                                        ("Transfer-Encoding", "chunked")]).record()
    archive = tmp_path / "crawl.warc.gz"
    write(archive, [record])
    status, records = extract(archive)
    assert status == 0 and records
    err = capsys.readouterr().err
    assert "says chunked, but its body is not in chunks" in err and "says gzip, but its body is not gzip" in err


def test_the_http_charset_reads_a_page_that_declares_none(tmp_path):
    html = ("<html><head><title>Новости</title></head><body><article><h1>Мэр открыл мост</h1>"
            "<p>«Это большой день для города», — сказал мэр Иван Петров журналистам в понедельник.</p>"
            "<p>Строительство моста заняло два года и обошлось городу в миллион рублей.</p>"
            "</article></body></html>")
    archive = tmp_path / "crawl.warc.gz"
    write(archive, [W.Response("https://gorod.example/most", html.encode("cp1251"),
                               content_type="text/html; charset=windows-1251").record()])
    (read,) = list(documents(WarcSlice(str(archive), 0, archive.stat().st_size)))
    document, warnings = read
    assert "сказал мэр Иван Петров" in document.text and not warnings


def test_records_that_hold_no_page_are_skipped_and_counted(tmp_path, capsys):
    url = canonical(PAGE)
    records = [W.request_record(url), W.Response(url, PAGE.read_bytes()).record(), W.revisit_record(url, "<urn:uuid:x>"),
               W.Response("https://x.example/report.pdf", b"%PDF-1.4 not a page", content_type="application/pdf").record(),
               W.Response("https://x.example/old", b"<html><body>Moved</body></html>", status=301).record(),
               W.Response("https://x.example/404", b"<html><body>Not found</body></html>", status=404).record(),
               W.Response("https://x.example/data", b"\x89PNG\r\n\x1a\n binary", content_type=None).record(),
               W.metadata_record(url)]
    archive = tmp_path / "crawl.warc"
    write(archive, records, None)
    status, out = extract(archive)
    assert status == 0 and {r["article"]["url"] for r in out} == {url}
    err = capsys.readouterr().err
    assert ("7 archive records hold no page and were skipped: 1 HTTP status 301, 1 HTTP status 404, 1 metadata record, "
            "1 not HTML (application/pdf), 1 not HTML (its bytes do not read as a page and no Content-Type says so), "
            "1 request record, 1 revisit record") in err


# -- damage ------------------------------------------------------------------------------------------

def test_a_truncated_last_record_is_reported_with_its_offset_and_the_rest_read(tmp_path, capsys):
    archive = tmp_path / "crawl.warc.gz"
    pages = PAGES[:3]
    offsets = write(archive, [W.Response(canonical(p), p.read_bytes()).record() for p in pages])
    data = archive.read_bytes()
    archive.write_bytes(data[:offsets[-1] + (len(data) - offsets[-1]) // 2])
    status, records = extract(archive)
    assert status == 1
    assert {r["article"]["url"] for r in records} == {canonical(p) for p in pages[:2]}
    err = capsys.readouterr().err
    assert re.search(rf"record at offset {offsets[-1]} is truncated: [\d,]+ of its [\d,]+ bytes are in the file", err)


def test_a_file_cut_inside_a_record_header_is_reported(tmp_path, capsys):
    archive = tmp_path / "crawl.warc.gz"
    pages = PAGES[:3]
    offsets = write(archive, [W.Response(canonical(p), p.read_bytes()).record() for p in pages])
    archive.write_bytes(archive.read_bytes()[:offsets[-1] + 30])
    status, records = extract(archive)
    assert status == 1 and len({r["article"]["url"] for r in records}) == 2
    assert f"30 bytes after the record at offset {offsets[-2]} are no record (the file is cut short?)" \
        in capsys.readouterr().err


@pytest.mark.parametrize("damage", ["corrupt member", "garbage between records"])
def test_a_corrupt_record_in_the_middle_is_reported_and_the_records_after_it_read(tmp_path, capsys, damage):
    archive = tmp_path / "crawl.warc.gz"
    pages = PAGES[:5]
    offsets = write(archive, [W.Response(canonical(p), p.read_bytes()).record() for p in pages])
    data = archive.read_bytes()
    if damage == "corrupt member":
        # The third record's member keeps its header but loses bytes from its middle.
        data = data[:offsets[2] + 200] + data[offsets[3] - 100:]
    else:
        garbage = b"\x00 not a record \x1f\x8b\x08 nor this " * 20
        data = data[:offsets[2]] + garbage + data[offsets[2]:]
    archive.write_bytes(data)
    status, records = extract(archive, "--jobs", "1")
    urls = {r["article"]["url"] for r in records}
    err = capsys.readouterr().err
    if damage == "corrupt member":
        assert status == 1 and urls == {canonical(p) for p in pages if p != pages[2]}
        assert f"record at offset {offsets[2]} cannot be read (corrupt:" in err
    else:
        assert status == 1 and urls == {canonical(p) for p in pages}
        assert (f"unreadable data after the record at offset {offsets[1]}, up to offset "
                f"{offsets[2] + len(garbage)}") in err


def test_a_20_mb_record_is_read_and_one_past_the_cap_reported(tmp_path, capsys):
    """A big page spans many of the slices workers split the file into: read once, whole. (Its
    bulk is scripts, as on real pages, which the engine passes over quickly.)"""
    rng = random.Random(7)
    page = PAGE.read_text("utf-8")
    script = "<script>" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ;\n", k=99_983)) + "</script>"
    scripts = script * ((20_000_000 - len(page.encode("utf-8"))) // len(script))
    big = page.replace("</head>", scripts + "</head>", 1).encode("utf-8")
    assert 19_900_000 < len(big) <= 20_000_000
    too_big = big + b"<!--" + b"x" * 2_000_000 + b"-->"
    first, last = PAGES[0], PAGES[1]
    records = [W.Response(canonical(first), first.read_bytes()).record(),
               W.Response("https://www.theguardian.com/big", big).record(),
               W.Response("https://www.theguardian.com/too-big", too_big).record(),
               W.Response(canonical(last), last.read_bytes()).record()]
    archive = tmp_path / "crawl.warc.gz"
    offsets = write(archive, records)
    items = list(input_items([str(archive)]))
    assert len(items) > 3, "the big record lies across several slices"
    reads = [read for item in items for read in documents(item)]
    assert [type(read).__name__ for read in reads] == ["tuple", "tuple", "Problem", "tuple"]
    document, warnings = reads[1]
    assert (document.url, len(document.text), warnings) == ("https://www.theguardian.com/big", len(big), [])
    assert f"record at offset {offsets[2]} holds 21,9" in reads[2].message
    status, out = extract(archive, "--jobs", "2")
    assert status == 1
    assert [r["article"]["url"] for r in out] == sorted((r["article"]["url"] for r in out),
                                                        key=[canonical(first), canonical(last)].index)
    err = capsys.readouterr().err
    assert f"record at offset {offsets[2]} holds" in err and err.count("offset") == 1


# -- splitting a file between workers ------------------------------------------------------------------

@pytest.mark.parametrize("compress", ["record", None])
def test_every_record_belongs_to_exactly_one_slice_wherever_the_file_is_cut(tmp_path, monkeypatch, compress):
    pages = PAGES[:8]
    archive = tmp_path / "crawl.warc"
    records = [W.Response(f"https://www.bbc.com/news/{n}", p.read_bytes()).record() for n, p in enumerate(pages)]
    records.insert(4, b"WARC/1.1\r\nbroken header, no length\r\n\r\n")
    write(archive, records, compress)
    whole = [_name(read) for read in documents(WarcSlice(str(archive), 0, archive.stat().st_size))]
    for step in (997, 4096, 7001):
        monkeypatch.setattr(warc_module, "SLICE_GZIP", step)
        monkeypatch.setattr(warc_module, "SLICE_PLAIN", step)
        items = list(input_items([str(archive)]))
        assert len(items) >= 2 and all(isinstance(item, WarcSlice) for item in items)
        assert [_name(read) for item in items for read in documents(item)] == whole
    assert len([n for n in whole if n.startswith("page")]) == len(pages)
    assert len([n for n in whole if n.startswith("problem")]) == 1


def _name(read) -> str:
    if isinstance(read, tuple):
        return f"page {read[0].url}"
    return f"{type(read).__name__.lower()} {getattr(read, 'reason', getattr(read, 'message', ''))}"


def test_finding_the_next_record_skips_bytes_that_only_look_like_one(tmp_path):
    data = io.BytesIO()
    offsets = W.write_warc(data, [W.Response("https://a.example/", b"<html>\x1f\x8b\x08 WARC/1.1\r\n</html>").record()] * 3)
    raw = data.getvalue()
    fh = io.BytesIO(raw)
    assert next_record_start(fh, 1, True) == offsets[1]
    plain = io.BytesIO()
    offsets = W.write_warc(plain, [W.Response("https://a.example/", b"<p>\nWARC/1.1\r\nfake</p>").record()] * 3, None)
    assert next_record_start(io.BytesIO(plain.getvalue()), 1, False) == offsets[1]


# -- without the extra ---------------------------------------------------------------------------------

def test_without_fastwarc_a_warc_is_a_clear_error_and_other_inputs_are_read(tmp_path, monkeypatch, capsys):
    archive = tmp_path / "crawl.warc.gz"
    write(archive, example_records([PAGE]))
    monkeypatch.setitem(sys.modules, "fastwarc", None)      # import fastwarc now raises ImportError
    status, records = extract(archive)
    assert status == 1 and records == []
    err = capsys.readouterr().err
    assert err.count("reading WARC files needs FastWARC") == 1
    assert "pip install 'quoteledger[warc]'" in err
    assert cli.main(["extract", "-o", str(tmp_path / "page.jsonl"), str(PAGE)]) == 0
