"""quoteledger validate never tracebacks and never wrongly accepts: hostile exports (a 5000-digit
integer, 100,000 nested arrays, NaN, duplicate keys, lone surrogates, a truncated gzip file, a
file name holding control characters) give a clear error with file and line in every format,
output that is valid UTF-8, and JUnit XML that follows the schema CI servers read."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from quoteledger.cli import main

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "validate")
FORMATS = ("text", "json", "github", "junit")
JUNIT_RULES = etree.XMLSchema(etree.parse(os.path.join(FIXTURES, "junit-rules.xsd")))


def good_record() -> dict:
    with open(os.path.join(FIXTURES, "valid.json"), encoding="utf-8") as fh:
        return json.load(fh)[0]


def good_line() -> str:
    return json.dumps(good_record(), ensure_ascii=False)


# name -> (file name, content as bytes, the message the error must give)
def hostile_files() -> dict:
    line = good_line()
    whole = gzip.compress((line + "\n").encode() * 200)
    return {
        "huge integer": ("bigint.jsonl", b'{"paragraph": ' + b"9" * 5000 + b"}\n", "a number longer than"),
        "deep arrays": ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "levels deep"),
        "deep objects in a line": ("deep2.jsonl", b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n",
                                   "levels deep"),
        "deep arrays in a JSON array": ("deep.json", b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", "levels deep"),
        "NaN": ("nan.jsonl", line.replace('"confidence": 0.', '"confidence": NaN, "_": 0.').encode() + b"\n",
                "NaN is not a JSON value"),
        "Infinity in an array": ("inf.json", ("[" + line.replace('"confidence": 0.', '"confidence": -Infinity, "_": 0.')
                                              + "]").encode(), "-Infinity is not a JSON value"),
        "duplicate key": ("dup.jsonl", (line[:-1] + ', "text": "something else"}\n').encode(),
                          'the key "text" appears twice'),
        "duplicate key inside": ("dup2.jsonl", line.replace('"kind": "person"', '"kind": "person", "kind": "group"')
                                 .encode() + b"\n", 'the key "kind" appears twice'),
        "lone surrogate in an invalid value": ("surrogate.jsonl", line.replace('"kind": "full"', '"kind": "\\udfff"')
                                               .encode() + b"\n", "not one of"),
        "lone surrogate in a valid-looking value": ("surrogate2.jsonl", line.replace('"cue": "said"',
                                                    '"cue": "sa\\ud800id"').encode() + b"\n", "lone surrogate"),
        "truncated gzip": ("cut.jsonl.gz", whole[:len(whole) // 2], "broken gzip file"),
        "control characters in the file name": ("a\x01b\x1b[31m\nc.jsonl", b'{"schema_version": 1}\n', "expected string"),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, (file_name, content, message) in hostile_files().items():
        path = folder / file_name
        path.write_bytes(content)
        paths[name] = (str(path), message)
    return paths


def run(capsys, *argv):
    status = main(["validate", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(hostile_files()))
def test_hostile_input_is_one_clear_error_in_every_format(hostile, capsys, case, fmt):
    path, message = hostile[case]
    status, out, err = run(capsys, path, "--format", fmt)
    assert status == (2 if case == "truncated gzip" else 1), out + err
    out.encode("utf-8")                             # no lone surrogate reaches the output
    said = " ".join(json.loads(line)["message"] for line in out.splitlines()) if fmt == "json" else out
    assert message in said
    shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if fmt == "text":
        problems = out.splitlines()[:-1]
        assert problems and all(p.startswith(shown.replace("\x01", "\\x01").replace("\x1b", "\\x1b")
                                             .replace("\n", "\\x0a")) for p in problems)
        assert case == "truncated gzip" or all(":1" in p for p in problems)
    if fmt == "json":
        problems = [json.loads(line) for line in out.splitlines()]
        assert problems and all(p["line"] == (None if case == "truncated gzip" else 1) for p in problems)
    if fmt == "junit":
        assert JUNIT_RULES.validate(etree.fromstring(out.encode("utf-8"))), JUNIT_RULES.error_log
        assert len(ET.fromstring(out).findall(".//failure")) >= 1


def test_nan_and_infinity_are_refused_where_they_are(hostile, capsys):
    status, out, _ = run(capsys, hostile["NaN"][0])
    first = out.splitlines()[0]
    column = int(first.split(":")[2])
    with open(hostile["NaN"][0], encoding="utf-8") as fh:
        assert fh.read()[column - 1:column + 2] == "NaN"
    assert "[json-syntax]" in first


def test_a_surrogate_pair_is_a_character_and_passes(tmp_path, capsys):
    line = good_line().replace('"cue": "said"', '"cue": "\\ud83d\\ude00"')
    (tmp_path / "pair.jsonl").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "pair.json").write_text("[" + line + "]", encoding="utf-8")
    status, out, _ = run(capsys, str(tmp_path / "pair.jsonl"), str(tmp_path / "pair.json"))
    assert status == 0, out


def test_lone_surrogate_is_found_in_a_json_array_too(tmp_path, capsys):
    line = good_line().replace('"cue": "said"', '"cue": "\\udc00x"')
    (tmp_path / "lone.json").write_text("[" + line + "]", encoding="utf-8")
    status, out, _ = run(capsys, str(tmp_path / "lone.json"))
    assert status == 1 and "$[0].cue: holds a lone surrogate" in out and "[unicode]" in out


def test_a_truncated_gzip_gives_a_junit_report_with_the_failure(hostile, capsys):
    status, out, err = run(capsys, hostile["truncated gzip"][0], "--format", "junit")
    root = ET.fromstring(out)
    assert status == 2 and root.get("tests") == "2" and root.get("failures") == "1"
    assert next(root.iter("failure")).get("type") == "unreadable"
    assert "could not be read" in err


def test_junit_output_follows_the_schema_for_every_fixture(capsys):
    for paths in ([os.path.join(FIXTURES, "defects.jsonl")], [os.path.join(FIXTURES, "valid.json")],
                  ["no/such/file.jsonl"]):
        status, out, _ = run(capsys, *paths, "--format", "junit")
        assert JUNIT_RULES.validate(etree.fromstring(out.encode("utf-8"))), JUNIT_RULES.error_log
        assert out.endswith("\n")


def test_the_rules_refuse_what_the_old_report_wrote():
    """The schema rules are not a formality: file and line attributes on a test case fail them."""
    old = ('<testsuites><testsuite name="q" tests="1" failures="1" errors="0">'
           '<testcase classname="x" name="x:2 $" file="x" line="2"><failure type="t">m</failure></testcase>'
           '</testsuite></testsuites>')
    assert not JUNIT_RULES.validate(etree.fromstring(old))


def test_the_real_command_never_tracebacks(hostile):
    """All the hostile files in one run of the installed command, as CI runs it."""
    paths = [path for path, _ in hostile.values()]
    for fmt in FORMATS:
        done = subprocess.run([sys.executable, "-m", "quoteledger.cli", "validate", "--format", fmt, *paths],
                              capture_output=True)
        assert done.returncode == 2, done.stderr
        assert b"Traceback" not in done.stderr and b"Traceback" not in done.stdout
        done.stdout.decode("utf-8")
        assert len(done.stdout) > 0
