"""quoteledger validate: the defects fixture in all four formats, the checks beyond the schema,
the file layouts, exit statuses and --max-errors."""
from __future__ import annotations

import copy
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from quoteledger.cli import main
from quoteledger.commands.common import dumps
from quoteledger.ids import quote_id, sighting_id
from quoteledger.validation import Validator
from quoteledger.validation.sample import ledger_entries, quote_records

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "validate")
DEFECTS = os.path.join(FIXTURES, "defects.jsonl")

# (line, JSON path, rule): one per defect injected by fixtures/validate/make_fixtures.py.
EXPECTED = [
    (2, "$", "json-syntax"),
    (4, "$.cue", "required"),
    (5, "$.paragraph", "type"),
    (6, "$.speaker.kind", "enum"),
    (7, "$.quote_id", "id-hash"),
    (8, "$.span", "span"),
    (9, "$.schema_version", "schema-version"),
]


def run_cli(capsys, *argv):
    status = main(["validate", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def validate_lines(lines, **kwargs):
    """Problems for in-memory records written to a temporary JSON lines file."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        fh.write("".join((line if isinstance(line, str) else dumps(line)) + "\n" for line in lines))
    try:
        problems = []
        summary = Validator(**kwargs).run([fh.name], problems.append)
        return problems, summary
    finally:
        os.unlink(fh.name)


def test_fixture_is_what_the_generator_writes():
    sys.path.insert(0, FIXTURES)
    try:
        import make_fixtures
    finally:
        sys.path.remove(FIXTURES)
    with open(DEFECTS, encoding="utf-8") as fh:
        assert fh.read().splitlines() == make_fixtures.defects()


def test_text_format_one_error_per_defect(capsys):
    status, out, _ = run_cli(capsys, DEFECTS)
    lines = out.splitlines()
    assert status == 1
    found = []
    for line in lines[:-1]:
        where, path = line.split(": ", 2)[:2]
        rule = line.rsplit("[", 1)[1].split("]")[0]
        found.append((int(where.split(":")[1]), path, rule))
    assert found == EXPECTED
    assert lines[0].startswith(f"{DEFECTS}:2:")           # the column of the syntax error
    assert lines[-1] == "10 records in 1 file: 3 valid, 7 invalid; 7 errors"


def test_json_format_one_object_per_error(capsys):
    status, out, err = run_cli(capsys, DEFECTS, "--format", "json")
    errors = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert [(e["line"], e["path"], e["rule"]) for e in errors] == EXPECTED
    assert all(e["file"] == DEFECTS for e in errors)
    assert errors[0]["column"] > 1 and all(e["column"] is None for e in errors[1:])
    assert json.loads(errors[3]["value"]) == "robot"
    assert "10 records" in err and "7 errors" in err


def test_github_format_annotations(capsys):
    status, out, _ = run_cli(capsys, DEFECTS, "--format", "github")
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert status == 1
    found = []
    for line in annotations:
        props, message = line[len("::error "):].split("::", 1)
        fields = dict(part.split("=", 1) for part in props.split(","))
        assert fields["file"] == DEFECTS
        found.append((int(fields["line"]), message.split(": ", 1)[0], fields["title"].rsplit(" ", 1)[1]))
    assert found == EXPECTED
    assert "col=" in annotations[0] and "col=" not in annotations[1]
    assert out.splitlines()[-1].startswith("10 records")


def test_junit_format_one_failure_per_defect(capsys):
    status, out, _ = run_cli(capsys, DEFECTS, "--format", "junit")
    root = ET.fromstring(out)
    assert status == 1
    assert root.get("failures") == "7" and root.get("errors") == "0"
    cases = [case for case in root.iter("testcase") if case.find("failure") is not None]
    found = [(int(c.get("name").split(" ", 1)[0].rsplit(":", 1)[1]), c.get("name").split(" ", 1)[1],
              c.find("failure").get("type")) for c in cases]
    assert found == EXPECTED
    assert all(c.get("classname") == DEFECTS and c.find("failure").text.startswith(c.get("name").split(" ")[0] + ": ")
               for c in cases)
    passing = [c for c in root.iter("testcase") if c.find("failure") is None]
    assert [c.get("name") for c in passing] == ["summary"]      # the same name every run: test history holds
    assert passing[0].find("system-out").text == "10 records in 1 file: 3 valid, 7 invalid; 7 errors"
    assert out.endswith("</testsuites>\n")


def test_valid_export_exits_zero(capsys):
    status, out, _ = run_cli(capsys, os.path.join(FIXTURES, "valid.json"))
    assert status == 0
    assert out == "5 records in 1 file: 5 valid, 0 invalid; 0 errors\n"


def test_missing_file_exits_two_and_names_it(capsys):
    status, out, _ = run_cli(capsys, DEFECTS, "no/such/export.jsonl")
    assert status == 2
    assert "no/such/export.jsonl: cannot read: No such file or directory [unreadable]" in out


def test_max_errors_stops_early(capsys):
    status, out, _ = run_cli(capsys, DEFECTS, "--max-errors", "2")
    lines = out.splitlines()
    assert status == 1
    assert len(lines) == 3
    assert lines[-1].endswith(f"stopped at {DEFECTS}:4 after 2 errors (--max-errors)")


def test_standard_input(monkeypatch, capsys):
    with open(DEFECTS, "rb") as fh:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(fh.read())))
    status, out, _ = run_cli(capsys, "-")
    assert status == 1
    assert out.splitlines()[1].startswith("-:4: $.cue: required property")


def test_gzip_and_folders(tmp_path, capsys):
    with open(DEFECTS, "rb") as fh, gzip.open(tmp_path / "export.jsonl.gz", "wb") as out:
        out.write(fh.read())
    (tmp_path / "notes.txt").write_text("not an export")
    status, out, _ = run_cli(capsys, str(tmp_path))
    assert status == 1
    assert out.splitlines()[-1] == "10 records in 1 file: 3 valid, 7 invalid; 7 errors"


def test_pretty_printed_objects_and_array_paths(tmp_path):
    records = list(quote_records(2))
    records[1]["confidence"] = 1.5
    (tmp_path / "pretty.json").write_text("\n".join(json.dumps(r, indent=2) for r in records) + "\n")
    (tmp_path / "array.json").write_text(json.dumps(records, indent=2) + "\n")
    problems = []
    summary = Validator().run([str(tmp_path / "pretty.json"), str(tmp_path / "array.json")], problems.append)
    assert summary.records == 4 and summary.valid == 2
    second_start = json.dumps(records[0], indent=2).count("\n") + 2
    assert [(p.line, p.path, p.rule) for p in problems] == [
        (second_start, "$.confidence", "maximum"), (second_start + 1, "$[1].confidence", "maximum")]


def test_syntax_error_inside_a_json_array_has_line_and_column(tmp_path):
    (tmp_path / "broken.json").write_text('[\n  {"a": 1},\n  {"b": tru}\n]\n')
    problems = []
    Validator().run([str(tmp_path / "broken.json")], problems.append)
    assert [(p.line, p.column, p.path, p.rule) for p in problems[-1:]] == [(3, 9, "$[1]", "json-syntax")]


def test_ids_in_a_ledger_entry_and_its_sightings():
    entry = next(ledger_entries(1))
    entry["sightings"][1]["id"] = "s_" + "0" * 16
    entry["sightings"][0]["article"]["id"] = "a_" + "1" * 16
    problems, _ = validate_lines([entry])
    assert [(p.path, p.rule) for p in problems] == [("$.sightings[0].article.id", "article-ref"),
                                                    ("$.sightings[1].id", "id-hash")]


def test_span_length_checked_without_story_text():
    record = next(quote_records(1))
    record["span"]["end"] += 1
    record["id"] = sighting_id(record["quote_id"], record["article"]["fingerprint"], record["span"]["start"],
                               record["span"]["end"])
    problems, _ = validate_lines([record])
    assert [(p.path, p.rule) for p in problems] == [("$.span", "span")]
    assert "long but the text has" in problems[0].message


@pytest.mark.parametrize("published, modified, path", [
    ("2024-02-30T10:00:00Z", None, "$.article.published"),
    ("2024-03-01T10:00:00Z", "2024-03-01T09:00:00Z", "$.article.modified"),
    ("2024-03-01T10:00:00+02:00", "2024-03-01T08:30:00Z", None),          # same instant plus 30 min
    ("2024-03-03", "2024-03-01T08:30:00Z", "$.article.modified"),
    ("2024-03-01", "2024-03-01T08:30:00Z", None),
    ("2024-03-01T25:00", None, "$.article.published"),
])
def test_dates_real_and_in_order(published, modified, path):
    record = next(quote_records(1))
    record["article"]["published"], record["article"]["modified"] = published, modified
    problems, _ = validate_lines([record])
    assert [(p.path, p.rule) for p in problems] == ([(path, "date")] if path else [])


def test_duplicate_ids_with_other_content():
    first, second = list(quote_records(2))
    changed = copy.deepcopy(first)
    changed["confidence"] = 0.1
    same_reordered = json.dumps(dict(reversed(list(first.items()))))
    problems, summary = validate_lines([first, second, same_reordered, changed])
    assert [(p.line, p.path, p.rule) for p in problems] == [(4, "$.id", "duplicate-id")]
    assert ":1, with other content" in problems[0].message


def test_contained_in_must_name_an_entry_in_the_run():
    full, partial = list(ledger_entries(2))
    partial["contained_in"] = [full["id"]]
    dangling = copy.deepcopy(partial)
    dangling["contained_in"] = [quote_id("words nobody exported")]
    problems, _ = validate_lines([partial, full])
    assert problems == []
    problems, _ = validate_lines([dangling])
    assert [(p.line, p.path, p.rule) for p in problems] == [(1, "$.contained_in[0]", "quote-ref")]


def test_references_across_files_scoped_by_refs_from_and_partial(tmp_path, capsys):
    """A pre-commit run sees only the changed export: --partial never fails on a reference it
    cannot see; --refs-from names the rest of the set, and then each reference is checked."""
    full, partial = list(ledger_entries(2))
    partial["contained_in"] = [full["id"]]
    dangling = copy.deepcopy(partial)
    dangling["contained_in"] = [quote_id("words nobody exported")]
    (tmp_path / "set").mkdir()
    whole, part, broken = tmp_path / "set" / "full.jsonl", tmp_path / "set" / "part.jsonl", tmp_path / "broken.jsonl"
    whole.write_text(dumps(full) + "\n", encoding="utf-8")
    part.write_text(dumps(partial) + "\n", encoding="utf-8")
    broken.write_text(dumps(dangling) + "\n", encoding="utf-8")
    status, out, _ = run_cli(capsys, str(part))
    assert status == 1 and "names no ledger entry in the files validated (when these are some files of a " \
                           "larger set, name the rest with --refs-from) [quote-ref]" in out
    assert run_cli(capsys, str(part), "--partial")[0] == 0
    assert run_cli(capsys, str(part), "--refs-from", str(tmp_path / "set")) == \
        (0, "1 record in 1 file: 1 valid, 0 invalid; 0 errors\n", "")
    status, out, _ = run_cli(capsys, str(broken), "--partial", "--refs-from", str(tmp_path / "set"))
    assert status == 1 and out.count("[quote-ref]") == 1
    assert run_cli(capsys, str(broken), "--partial")[0] == 0
    status, out, _ = run_cli(capsys, str(part), "--refs-from", str(tmp_path / "missing"))
    assert status == 2 and "--refs-from: cannot read" in out


def test_schema_option_forces_the_shape():
    entry = next(ledger_entries(1))
    problems, _ = validate_lines([entry], schema="quote")
    extra = [p for p in problems if p.rule == "additionalProperties"]
    assert [p.path for p in extra] == ["$"] and "'sightings'" in extra[0].message


def test_real_pipeline_output_validates(tmp_path):
    """What extract writes from the seed pages passes every check (skipped without ../shared)."""
    seeds = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "seeds")
    if not os.path.isdir(seeds):
        pytest.skip("../shared/seeds is not beside the checkout")
    out = tmp_path / "seeds.jsonl"
    assert main(["extract", seeds, "-o", str(out)]) in (0, 1)
    problems = []
    summary = Validator().run([str(out)], problems.append)
    assert problems == [] and summary.records > 0


def test_command_line_entry_point():
    """The installed command, as CI runs it."""
    exe = shutil.which("quoteledger", path=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    if not exe:
        pytest.skip("the quoteledger command is not installed (pip install . puts it on PATH)")
    done = subprocess.run([exe, "validate", DEFECTS, "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 1 and len(done.stdout.splitlines()) == 7


@pytest.mark.parametrize("chunk", [7, 64, 1000])
@pytest.mark.parametrize("layout", ["array", "objects"])
def test_json_read_in_small_chunks(monkeypatch, tmp_path, chunk, layout):
    """Records, strings and numbers cut by the reader's buffer boundary still parse, with lines."""
    from quoteledger.validation import reader
    monkeypatch.setattr(reader, "CHUNK", chunk)
    records = list(quote_records(3)) + list(ledger_entries(2))
    records[3]["sightings"][0]["confidence"] = 12345.678      # a long number, breaks maximum
    records[4]["sightings"][0]["article"]["byline"] = ["Caf\u00e9 \u201cno\u201d \\ \"quoted\""]  # escapes to cut
    if layout == "array":
        text, opening, prefix = json.dumps(records, indent=1), " {", "$[3]"
    else:
        text, opening, prefix = "\n".join(json.dumps(r, indent=1) for r in records), "{", "$"
    (tmp_path / "export.json").write_text(text, "utf-8")
    problems = []
    summary = Validator().run([str(tmp_path / "export.json")], problems.append)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == opening]
    assert summary.records == 5
    assert [(p.line, p.path, p.rule, p.value) for p in problems] == [
        (starts[3], prefix + ".sightings[0].confidence", "maximum", "12345.678")]


def test_array_truncated_mid_record_is_one_syntax_error(tmp_path):
    text = json.dumps(list(quote_records(2)), indent=1)
    (tmp_path / "cut.json").write_text(text[: len(text) * 3 // 4])
    problems = []
    summary = Validator().run([str(tmp_path / "cut.json")], problems.append)
    assert summary.valid == 1
    assert [(p.path, p.rule) for p in problems] == [("$[1]", "json-syntax")]


def test_id_table_grows_and_keeps_every_entry():
    from quoteledger.validation.crossref import IdTable
    table = IdTable(capacity=8)
    keys = [0, 1, 8, 16, 2**64 - 1] + [(i * 0x9E3779B97F4A7C15) & (2**64 - 1) for i in range(1, 5000)]
    for number, key in enumerate(keys):
        table.put(key, number, number * 2, number * 3)
    assert all(table.get(key) == (n, n * 2, n * 3) for n, key in enumerate(keys))
    assert 12345 not in table and table.mask + 1 >= len(keys) / 0.7
    table.put(8, 7, 7, 7)                                   # overwriting is not a new entry
    assert table.get(8) == (7, 7, 7) and table.count == len(keys) - 1


def test_junit_reports_an_unreadable_file_as_a_failure(capsys):
    """junit-10.xsd has no <error> in a test case: an unreadable file is a failure of type unreadable."""
    status, out, _ = run_cli(capsys, "no/such/export.jsonl", "--format", "junit")
    root = ET.fromstring(out)
    assert status == 2 and root.get("errors") == "0" and root.get("failures") == "1"
    failure = next(root.iter("failure"))
    assert failure.get("type") == "unreadable" and "No such file" in failure.get("message")


def test_fast_and_slow_paths_report_the_same(capsys):
    """--slow (jsonschema for every record) is the reference the compiled fast path must match."""
    for fmt in ("text", "json"):
        fast = run_cli(capsys, DEFECTS, os.path.join(FIXTURES, "valid.json"), "--format", fmt)
        slow = run_cli(capsys, DEFECTS, os.path.join(FIXTURES, "valid.json"), "--format", fmt, "--slow")
        assert fast == slow


def test_binary_file_is_one_unreadable_error(tmp_path, capsys):
    (tmp_path / "ledger.jsonl").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    status, out, _ = run_cli(capsys, str(tmp_path / "ledger.jsonl"))
    assert status == 2
    assert out.splitlines()[0].endswith("binary data (or UTF-16 text), not a JSON export [unreadable]")


def test_github_escapes_file_names_and_messages():
    from quoteledger.validation.problems import Problem
    from quoteledger.validation.reporters import GithubReporter
    out = io.StringIO()
    GithubReporter(out).problem(Problem("a,b:c%.jsonl", 3, "$.x", "enum", "100% wrong\nsecond line", '"y"'))
    assert out.getvalue() == ("::error file=a%2Cb%3Ac%25.jsonl,line=3,title=quoteledger validate%3A enum::"
                              "$.x: 100%25 wrong%0Asecond line (value: \"y\")\n")
