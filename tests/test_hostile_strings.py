"""Property test of issue 15 ("What to build"): generated hostile strings (lone surrogates, control
characters, bidi marks, line separators, huge numbers, deep nesting) fed through page metadata,
file names and `validate`. Whatever they hold: the run never tracebacks, exits 0 or 1, every
record it writes is one `quoteledger validate` accepts, every output and every report line is
valid UTF-8, and a report line is one line (a name cannot forge another)."""
from __future__ import annotations

import json
import os
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoteledger import cli

# Pieces a hostile page or name is made of: each has broken something somewhere once.
HOSTILE = ["\udfff", "\ud800", "\udc80", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u202e", "\u2066",
           "\u2069", "\u200f", "\u061c", "\u2028", "\u2029", "\n", "\r", "\t", "\ufeff", "\ufffe", "\U0010ffff",
           "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", '"', "'", "\\", "<", ">", "&", "&amp;", "</script>",
           "2024-02-30", "25:61", "NaN", "1e999", "9" * 400, " ", "Ann Lee", "budget"]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=8).map("".join)
# A JSON value as a page's JSON-LD may hold it: hostile text, numbers past any float, deep nesting.
json_values = st.one_of(
    hostile_text.map(lambda s: json.dumps(s)),                     # ensure_ascii: "\udfff" escapes
    hostile_text.map(lambda s: json.dumps(s, ensure_ascii=False).encode("utf-8", "surrogatepass")
                     .decode("utf-8", "replace")),
    st.integers(min_value=1, max_value=5000).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.sampled_from(["NaN", "Infinity", "-1e999", "null", "true", "{}", '{"@type": "Person", "name": null}']))
LD_FIELDS = ["headline", "datePublished", "dateModified", "articleSection", "url", "author", "publisher",
             "description", "name", "inLanguage"]

STORY = ('<p>"We will not raise taxes this year, and every library stays open," Mayor Ann Lee said on '
         'Tuesday after the council voted on the budget for the coming year.</p>'
         "<p>Opponents said the plan relied on optimistic forecasts for the coming years and would leave "
         "the city short of money for repairs to its roads and schools.</p>")


def hostile_page(fields: dict, title: str) -> bytes:
    ld = "{" + ", ".join(['"@type": "NewsArticle"'] + [f'"{k}": {v}' for k, v in fields.items()]) + "}"
    text = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f'<script type="application/ld+json">{ld}</script></head>'
            f"<body><article><h1>{title}</h1>{STORY}</article></body></html>")
    return text.encode("utf-8", "surrogatepass")      # a lone surrogate as the raw bytes a broken page holds


def assert_clean_report(err: str) -> None:
    err.encode("utf-8")                               # raises on a lone surrogate
    for line in err.splitlines():
        assert not any(c in line for c in "\x00\x1b\x7f\x85\u2028\u2029\u202e\r"), repr(line)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(fields=st.dictionaries(st.sampled_from(LD_FIELDS), json_values, max_size=4), title=hostile_text)
def test_hostile_page_metadata_gives_records_validate_accepts(tmp_path_factory, capsys, fields, title):
    folder = tmp_path_factory.mktemp("page")
    path = folder / "page.html"
    path.write_bytes(hostile_page(fields, title))
    out = folder / "out.jsonl"
    status = cli.main(["extract", str(path), "--format", "jsonl", "-o", str(out)])
    assert status in (0, 1)
    data = out.read_bytes()
    data.decode("utf-8")                               # strict: valid UTF-8 or this raises
    assert data.strip() or status == 1                # the story's quotation, unless the page failed
    if data.strip():
        assert cli.main(["validate", str(out)]) == 0   # the tool writes only what its validator accepts
    ledger = folder / "l.db"
    assert cli.main(["ingest", "--ledger", str(ledger), str(path), "--jobs", "1"]) == status
    exported = folder / "export.csv"
    assert cli.main(["export", "--ledger", str(ledger), "--format", "csv", "-o", str(exported)]) == 0
    exported.read_bytes().decode("utf-8")
    assert_clean_report(capsys.readouterr().err)


# File names: whatever bytes a name holds (not UTF-8, newlines, controls, bidi), extract reads the
# file, and reports and output name it in valid UTF-8, one line each.
name_pieces = st.one_of(st.sampled_from([b"\xff", b"\xfe\xfd", b"\n", b"\r", b"\x1b[2J", b"\x07", b"\t",
                                         "\u202e".encode(), "\u2028".encode(), b" ", b"-", b"=", b"%s", b"{}"]),
                        st.binary(min_size=1, max_size=4))
file_names = st.lists(name_pieces, min_size=1, max_size=5).map(b"".join).filter(
    lambda n: b"/" not in n and b"\x00" not in n and n not in (b".", b"..") and len(n) < 200)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(name=file_names, broken=st.booleans())
def test_hostile_file_names_are_reported_on_one_line_in_valid_utf8(tmp_path_factory, capsys, name, broken):
    folder = tmp_path_factory.mktemp("names")
    os_name = os.fsencode(str(folder)) + b"/" + (b"." if name.startswith(b".") else b"") + name + b".html"
    body = b"\x00\x00 not a page" if broken else hostile_page({}, "Budget talks resume at the hall")
    with open(os_name, "wb") as fh:
        fh.write(body)
    out = folder / "out.jsonl"
    status = cli.main(["extract", os.fsdecode(os_name), "--format", "jsonl", "-o", str(out)])
    assert status in (0, 1)
    out.read_bytes().decode("utf-8")
    err = capsys.readouterr().err
    assert_clean_report(err)
    if status == 1:
        # The failure names the file, on the line that reports it.
        assert any(str(folder) in line and ".html" in line for line in err.splitlines()), err


# validate: hostile values in records given to it. It reports, never tracebacks, and its report
# is valid UTF-8 with one line per problem, in every format.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(value=json_values, key=st.sampled_from(["text", "quote_id", "confidence", "speaker", "span", "article"]),
       fmt=st.sampled_from(["text", "json", "github", "junit"]))
def test_validate_reports_hostile_records_in_valid_utf8(tmp_path_factory, capsys, value, key, fmt):
    folder = tmp_path_factory.mktemp("validate")
    record = ('{"schema_version": "1.0", "id": "s_0000000000000000", "quote_id": "q_0000000000000000", '
              f'"{key}": {value}}}')
    path = folder / "records.jsonl"
    path.write_bytes(record.encode("utf-8", "surrogatepass") + b"\n")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    status = cli.main(["validate", "--format", fmt, str(path)])
    assert status == 1                                 # every record here is broken somehow
    captured = capsys.readouterr()
    captured.out.encode("utf-8")
    assert_clean_report(captured.err)
    if fmt == "junit":
        from xml.etree import ElementTree
        ElementTree.fromstring(captured.out)           # well-formed XML whatever the values held
