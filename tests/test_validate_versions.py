"""Schema versions: a record is checked against the version it names, older versions live in
schemas/versions/<v>/, `quoteledger schema` prints any of them, and every schema example in the
docs validates."""
from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from quoteledger import SCHEMA_VERSION
from quoteledger.cli import main
from quoteledger.validation import SchemaStore, UnknownSchema, Validator
from quoteledger.validation.sample import quote_records
from quoteledger.validation.versions import SCHEMA_FILES, default_root

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _freeze_older(root, version: str, change) -> None:
    """Write schemas/versions/<version>/ as a copy of the current files, renamed to that version and
    changed by change(name, schema), as the CHANGELOG says older versions are kept."""
    folder = root / "versions" / version
    folder.mkdir(parents=True)
    for name, filename in SCHEMA_FILES.items():
        text = (root / filename).read_text("utf-8").replace(f"/schemas/{SCHEMA_VERSION}/", f"/schemas/{version}/")
        schema = json.loads(text)
        schema["schema_version"] = version
        if name == "defs":
            schema["$defs"]["schema_version"]["enum"] = [version]
        change(name, schema)
        (folder / filename).write_text(json.dumps(schema, indent=2), "utf-8")


@pytest.fixture
def store_with_older(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(default_root(), root, ignore=shutil.ignore_patterns("versions", "__pycache__"))

    def confidence_was_a_word(name, schema):
        if name == "quote":
            schema["properties"]["confidence"] = {"enum": ["low", "medium", "high"]}
    _freeze_older(root, "0.9", confidence_was_a_word)
    return SchemaStore(root)


def _old_record():
    record = list(quote_records(2))[1]
    record["schema_version"], record["confidence"] = "0.9", "high"
    return record


def _problems(store, records, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    problems = []
    summary = Validator(store=store).run([str(path)], problems.append)
    return [(p.line, p.path, p.rule) for p in problems], summary


def test_versions_are_listed_oldest_first(store_with_older):
    assert store_with_older.versions == ("0.9", SCHEMA_VERSION)
    assert '"schema_version": "0.9"' in store_with_older.text("quote", "0.9")


def test_each_record_is_checked_against_its_own_version(store_with_older, tmp_path):
    old, current = _old_record(), next(quote_records(1))
    old_claiming_current = dict(old, schema_version=SCHEMA_VERSION)
    current_claiming_old = dict(current, schema_version="0.9")
    found, summary = _problems(store_with_older, [old, current, old_claiming_current, current_claiming_old], tmp_path)
    assert found == [(3, "$.confidence", "type"), (4, "$.confidence", "enum")]
    assert summary.valid == 2


def test_unknown_version_is_one_error(tmp_path):
    record = dict(next(quote_records(1)), schema_version="2.0")
    found, _ = _problems(SchemaStore(), [record], tmp_path)
    assert found == [(1, "$.schema_version", "schema-version")]


def test_missing_version_is_reported_by_the_schema(tmp_path):
    record = next(quote_records(1))
    del record["schema_version"]
    found, _ = _problems(SchemaStore(), [record], tmp_path)
    assert found == [(1, "$.schema_version", "required")]


def test_store_refuses_unknown_names_and_versions(store_with_older):
    with pytest.raises(UnknownSchema, match="knows 0.9, 1.0"):
        store_with_older.get("3.0")
    with pytest.raises(UnknownSchema, match="unknown schema 'article'"):
        store_with_older.text("article")


def test_frozen_version_must_say_its_version(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(default_root(), root, ignore=shutil.ignore_patterns("versions", "__pycache__"))
    _freeze_older(root, "0.8", lambda name, schema: schema.update(schema_version="0.7"))
    with pytest.raises(UnknownSchema, match="says schema_version '0.7'"):
        SchemaStore(root).get("0.8")


def test_schema_command_prints_the_current_schema(capsys):
    assert main(["schema", "ledger-entry"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["schema_version"] == SCHEMA_VERSION and printed["title"] == "Ledger entry"
    assert main(["schema", "quote", "--version", SCHEMA_VERSION]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].endswith(f"/{SCHEMA_VERSION}/quote.schema.json")


def test_schema_command_unknown_version_exits_two(capsys):
    assert main(["schema", "quote", "--version", "0.0"]) == 2
    assert "unknown schema version '0.0'" in capsys.readouterr().err


def test_schema_command_lists_versions(capsys):
    assert main(["schema", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{SCHEMA_VERSION}  (current)"


def _doc_files():
    names = [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "schemas", "CHANGELOG.md")]
    docs = os.path.join(ROOT, "docs")
    if os.path.isdir(docs):
        names += [os.path.join(docs, n) for n in sorted(os.listdir(docs)) if n.endswith(".md")]
    return [n for n in names if os.path.isfile(n)]


_BLOCK = re.compile(r"^```(json|jsonl)\s*\n(.*?)^```", re.M | re.S)


def _doc_examples():
    for name in _doc_files():
        with open(name, encoding="utf-8") as fh:
            text = fh.read()
        for match in _BLOCK.finditer(text):
            if '"schema_version"' in match.group(2):
                line = text.count("\n", 0, match.start()) + 2
                yield f"{os.path.relpath(name, ROOT)}:{line}", match.group(1), match.group(2)


def test_docs_hold_schema_examples():
    assert any(where.startswith("docs/ci.md") for where, _, _ in _doc_examples())


@pytest.mark.parametrize("where, kind, body", list(_doc_examples()), ids=lambda v: v if ":" in str(v) else "")
def test_every_schema_example_in_the_docs_validates(where, kind, body, tmp_path):
    path = tmp_path / ("example.jsonl" if kind == "jsonl" else "example.json")
    path.write_text(body, "utf-8")
    problems = []
    summary = Validator().run([str(path)], problems.append)
    assert [f"{p.path}: {p.message} [{p.rule}]" for p in problems] == [], where
    assert summary.records >= 1
