"""Crawl dumps, JSON lines as news crawlers write them: a dump of pages gives the same ledger as
the same pages read as files; extracted text is read as a story with its title and date; the
outlet comes from each article's URL; other crawlers' field names are read or mapped with
--field; a bad line is reported with its line number and the lines after it are read."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path


from quoteledger import cli
from quoteledger.archives import crawldump, documents, input_items
from quoteledger.archives.crawldump import DumpSlice

EXAMPLES = Path(__file__).resolve().parents[1] / "plugins" / "examples"
PAGES = sorted(EXAMPLES.glob("*/*.html"))
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
STORY = EXAMPLES / "reuters" / "reuters-2023-paragraph-testid.html"


def canonical(text: str) -> str:
    return CANONICAL.search(text).group(1)


def write_lines(path: Path, objects: list) -> Path:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects), "utf-8")
    return path


def ingest_export(tmp_path: Path, name: str, *inputs, options=()) -> tuple:
    ledger, out = tmp_path / f"{name}.db", tmp_path / f"{name}.jsonl"
    status = cli.main(["ingest", "--ledger", str(ledger), *options, *map(str, inputs)])
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
    return status, out.read_text("utf-8")


def without_documents(export: str) -> list:
    entries = [json.loads(line) for line in export.splitlines()]
    for entry in entries:
        for sighting in entry["sightings"]:
            assert sighting["article"].pop("document")
    return entries


def test_a_dump_of_pages_gives_the_same_ledger_as_the_pages_as_files(tmp_path):
    pages = [p.read_text("utf-8") for p in PAGES]
    dump = write_lines(tmp_path / "crawl.jsonl", [{"url": canonical(text), "html": text} for text in pages])
    status_files, files = ingest_export(tmp_path, "files", *PAGES)
    status_dump, from_dump = ingest_export(tmp_path, "dump", dump, options=["--jobs", "2"])
    assert status_files == status_dump == 0
    assert files.count("\n") > 40
    assert without_documents(from_dump) == without_documents(files)
    assert f'"document":"{dump}#line-1"' in from_dump


def test_extracted_text_is_a_story_with_its_title_date_url_and_outlet(tmp_path):
    text = ('A port strike halted grain exports on Tuesday.\n\n"We will not go back until the contract is signed," '
            'union leader Maria Costa told reporters outside the gates.')
    dump = write_lines(tmp_path / "articles.jsonl", [{
        "url": "https://www.reuters.com/world/europe/port-strike-2023-09-12/", "title": "Port strike halts grain exports",
        "text": text, "published": "2023-09-12 08:15:00", "fetched": "2023-09-12T09:00:00Z"}])
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "-o", str(out), str(dump)]) == 0
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    article = record["article"]
    assert record["speaker"]["name"] == "Maria Costa"
    assert (article["headline"], article["published"], article["url"], article["fetched"]) == (
        "Port strike halts grain exports", "2023-09-12T08:15:00", "https://www.reuters.com/world/europe/port-strike-2023-09-12/",
        "2023-09-12T09:00:00Z")
    assert article["publisher"]["plugin"] == "reuters"


def test_other_crawlers_field_names_are_read(tmp_path):
    page = STORY.read_text("utf-8")
    url = canonical(page)
    dump = write_lines(tmp_path / "mixed.jsonl", [
        {"html": {"content": page, "responded_url": url, "crawl_date": "2024-01-02 03:04:05"}, "title": "x"},   # fundus
        {"url": url, "title": "Port strike halts grain exports", "date_publish": "2023-09-12 08:15:00",          # news-please
         "maintext": 'Dockers walked out. "We stay out," said union leader Maria Costa.'},
        {"source": url, "title": "Port strike", "text": '"We stay out," said Maria Costa.', "date": "2023-09-12"},  # trafilatura
    ])
    reads = [read for item in input_items([str(dump)]) for read in documents(item)]
    assert all(isinstance(read, tuple) for read in reads), reads
    fundus, news_please, trafilatura = (document for document, _ in reads)
    assert fundus.is_html and fundus.url == url and fundus.fetched == "2024-01-02T03:04:05"
    assert not news_please.is_html and news_please.hints["published"] == "2023-09-12T08:15:00"
    assert news_please.text.startswith("Port strike halts grain exports\n\n")
    assert trafilatura.url == url and trafilatura.hints["published"] == "2023-09-12"


def test_field_maps_a_name_no_crawler_default_covers(tmp_path, capsys):
    dump = write_lines(tmp_path / "custom.jsonl", [
        {"link_to_story": "https://www.bbc.com/news/x", "head": "Dockers walk out",
         "article_body": 'Dockers walked out. "We stay out," said Maria Costa.'}])
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "-o", str(out), str(dump)]) == 0 and not out.read_text()
    assert "not a JSON object" not in capsys.readouterr().err      # not a dump by default: read as text
    assert cli.main(["extract", "-o", str(out), "--field", "text=article_body", "--field", "url=link_to_story",
                     "--field", "title=head", str(dump)]) == 0
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (record["article"]["url"], record["article"]["publisher"]["plugin"]) == ("https://www.bbc.com/news/x", "bbc")
    assert cli.main(["extract", "--field", "body", str(dump)]) == 2
    assert "--field 'body': expected NAME=KEY" in capsys.readouterr().err


def test_a_bad_line_is_reported_with_its_number_and_the_rest_read(tmp_path, capsys):
    page = STORY.read_text("utf-8")
    good = {"url": canonical(page), "html": page}
    dump = write_lines(tmp_path / "crawl.jsonl", [good, '{"url": "https://x.example/", "html": "<p>cut', "", "[1, 2]",
                                                   {"url": "https://x.example/empty", "title": "no body"}, good])
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "-o", str(out), str(dump)]) == 1
    documents_read = {json.loads(line)["article"]["document"] for line in out.read_text().splitlines()}
    assert documents_read == {f"{dump}#line-1", f"{dump}#line-6"}
    err = capsys.readouterr().err
    assert f"{dump}#line-2: not a JSON object" in err
    assert f"{dump}#line-4: a JSON list, not an object" in err
    assert f"{dump}#line-5: holds neither HTML nor text" in err
    assert "line-3" not in err          # a blank line is no article


def test_a_gzipped_dump_is_read(tmp_path):
    page = STORY.read_text("utf-8")
    plain = write_lines(tmp_path / "crawl.jsonl", [{"url": canonical(page), "html": page}] * 3)
    packed = tmp_path / "crawl.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, packed):
        reads = [read for item in input_items([str(path)]) for read in documents(item)]
        assert [read[0].source for read in reads] == [f"{path}#line-{n}" for n in (1, 2, 3)]


def test_slices_of_a_dump_number_their_lines_from_where_they_start(tmp_path, monkeypatch):
    lines = [{"url": f"https://a.example/{n}", "text": f"Story {n}.\n\nIt happened. " + "x" * (n * 37 % 500)}
             for n in range(1, 200)]
    dump = write_lines(tmp_path / "crawl.jsonl", lines)
    monkeypatch.setattr(crawldump, "SLICE_BYTES", 1000)
    items = list(input_items([str(dump)]))
    assert len(items) > 10 and all(isinstance(item, DumpSlice) for item in items)
    reads = [read for item in items for read in documents(item)]
    assert [(read[0].source, read[0].url) for read in reads] == [
        (f"{dump}#line-{n}", f"https://a.example/{n}") for n in range(1, 200)]


def test_a_json_file_that_is_no_dump_is_read_as_a_page_as_before(tmp_path):
    notes = write_lines(tmp_path / "notes.jsonl", [{"name": "a", "value": 1}, {"name": "b"}])
    assert list(input_items([str(notes)])) == [str(notes)]


def test_a_dump_whose_first_line_opens_with_white_space_past_the_first_glance_is_a_dump(tmp_path):
    # sniff looks at a file's first bytes, and further only when they are all white space (or gzip)
    story = {"url": "https://a.example/1", "text": "Story.\n\nIt happened."}
    for blank in (10, 5000, 70000):
        dump = tmp_path / f"crawl-{blank}.jsonl"
        dump.write_text(" " * blank + json.dumps(story) + "\n", "utf-8")
        items = list(input_items([str(dump)]))
        # past the 64 KiB every reader looks at, a file is a page, as it always was
        assert (items == [str(dump)]) == (blank > 65536), blank
