"""Archives as an attacker writes them (an outside tester's sweep, issue 15): what --max-bytes
promises holds for memory too, whatever a gzip member inflates to, and a date an archive gives
that is not a date is said, never dropped in silence.

Before: a 300 kB .warc.gz whose one record inflates to 300 MB took 650 MB of memory to be refused
(the reader inflated a megabyte of the file at once to measure the member), and a 400 kB gzipped
crawl dump whose one line inflates to 400 MB took 1.7 GB (the line was read whole before its size
was checked); ten times the bomb is ten times the memory, and the run is killed with everything
read so far. The memory is measured here with tracemalloc on the pieces that read, at a size the
suite can afford (a 32 MB member)."""
from __future__ import annotations

import gzip
import io
import json
import tracemalloc
import zlib

import pytest

from quoteledger import cli
from quoteledger.archives import crawldump
from quoteledger.archives import warc as warc_module
from quoteledger.archives import writer as W

PAGE = (b'<!DOCTYPE html><html><head><title>Budget talks</title></head><body><article><h1>Budget talks</h1>'
        b'<p>The council met on Tuesday to discuss the plan for the old bridge and what it will cost.</p>'
        b'<p>\xe2\x80\x9cWe will hold the line on the budget,\xe2\x80\x9d said Jane Smith, the mayor.</p>'
        b'<p>The council will meet again next month to vote on the plan for the bridge.</p></article></body></html>')
BOMB = 32 * 1024 * 1024         # inflated bytes; the member holds about 32 kB


def bomb_member(size: int = BOMB) -> bytes:
    """A gzip member of one WARC response record whose page is `size` bytes of one letter."""
    body = b"<html><body><p>" + b"a" * size + b"</p></body></html>"
    record = W.Response("https://bomb.example/", body).record()
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(record) + packer.flush()


def peak_memory(function, *args) -> tuple:
    """(what function gives, the most memory Python held meanwhile)."""
    tracemalloc.start()
    try:
        result = function(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_measuring_a_bombs_gzip_member_never_holds_what_it_inflates_to(tmp_path):
    pytest.importorskip("fastwarc", reason="the warc extra is not installed")
    path = tmp_path / "bomb.warc.gz"
    member = bomb_member()
    path.write_bytes(member + gzip.compress(W.Response("https://fine.example/", PAGE).record()))
    with open(path, "rb") as fh:
        layout, peak = peak_memory(warc_module.gzip_layout, fh)
        assert layout == "record" and peak < 8 * 1024 * 1024
        tail, peak = peak_memory(warc_module._tail_after, fh, 0, True)
        assert tail > 0 and peak < 8 * 1024 * 1024          # what follows the member is measured from its end
        assert fh.seek(0) == 0 and warc_module.next_record_start(fh, 1, True) == len(member)


def test_a_warc_bomb_is_refused_by_its_size_and_the_records_after_it_read(tmp_path, capsys):
    pytest.importorskip("fastwarc", reason="the warc extra is not installed")
    path = tmp_path / "bomb.warc.gz"
    fine = gzip.compress(W.Response("https://fine.example/", PAGE).record())
    path.write_bytes(fine + bomb_member(8 * 1024 * 1024) + fine)
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "--jobs", "2", "--max-bytes", "1000000", "-o", str(out), str(path)]) == 1
    assert "more than the 1,000,000 a document may have" in capsys.readouterr().err
    assert len(out.read_text("utf-8").splitlines()) == 2


def dump_line(url: str, html: str, **more) -> bytes:
    return (json.dumps({"url": url, "html": html, **more}) + "\n").encode("utf-8")


def test_a_crawl_dump_line_is_never_held_longer_than_a_document_could_need():
    limit = crawldump.line_limit(100_000)
    lines = [b'{"a": 1}\n', b'{"html": "' + b"a" * (50 * limit) + b'"}\n', b'{"b": 2}\n', b"no end"]
    stream = io.BytesIO(gzip.compress(b"".join(lines), 1))
    # The long line is 33 MB; reading keeps the limit and a piece of a megabyte or so.
    read, peak = peak_memory(lambda: list(crawldump.bounded_lines(gzip.open(stream), limit)))
    assert peak < 8 * 1024 * 1024
    assert read == [
        (9, lines[0]), (len(lines[1]), None), (9, lines[2]), (6, b"no end")]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("compressed", [True, False])
def test_a_crawl_dump_line_too_long_for_any_document_costs_that_line_only(tmp_path, capsys, jobs, compressed):
    page = PAGE.decode("utf-8")
    data = (dump_line("https://a.example/1", page) + dump_line("https://a.example/2", "<p>" + "a" * 800_000 + "</p>")
            + dump_line("https://a.example/3", page))
    path = tmp_path / ("crawl.jsonl.gz" if compressed else "crawl.jsonl")
    path.write_bytes(gzip.compress(data) if compressed else data)
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "--jobs", jobs, "--max-bytes", "100000", "-o", str(out), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path.name}#line-2: a line longer than the {crawldump.line_limit(100_000):,} bytes" in err
    urls = [json.loads(line)["article"]["url"] for line in out.read_text("utf-8").splitlines()]
    assert urls == ["https://a.example/1", "https://a.example/3"]


@pytest.mark.parametrize("kind", ["warc", "dump"])
def test_a_fetched_date_an_archive_gives_that_is_not_a_date_is_said_not_dropped_in_silence(tmp_path, capsys, kind):
    bad = "2024-02-30T25:61:00Z"
    if kind == "warc":
        pytest.importorskip("fastwarc", reason="the warc extra is not installed")
        path = tmp_path / "crawl.warc"
        path.write_bytes(W.Response("https://a.example/1", PAGE, date=bad).record())
    else:
        path = tmp_path / "crawl.jsonl"
        path.write_bytes(dump_line("https://a.example/1", PAGE.decode("utf-8"), fetched=bad))
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "--jobs", "1", "-o", str(out), str(path)]) == 0
    err = capsys.readouterr().err
    assert f"fetched date {bad!r} is not a date it can read; left out" in err and path.name in err
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["article"].get("fetched") is None


def test_http_headers_past_the_limit_are_said_to_be_too_long_not_endless(tmp_path, capsys):
    pytest.importorskip("fastwarc", reason="the warc extra is not installed")
    crowded = W.Response("https://crowded.example/", PAGE, headers=[("X-Filler", "y")] * 30_000).record()
    path = tmp_path / "crowded.warc"
    path.write_bytes(crowded + W.Response("https://fine.example/", PAGE).record())
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", "--jobs", "1", "-o", str(out), str(path)]) == 1
    err = capsys.readouterr().err
    assert "its HTTP headers do not end within 262,144 bytes" in err and "never end" not in err
    assert [json.loads(line)["article"]["url"] for line in out.read_text("utf-8").splitlines()] == ["https://fine.example/"]
