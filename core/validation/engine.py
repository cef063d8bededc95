"""Validating exports record by record: the schema of the record's own version (compiled fast path
first, jsonschema for the error reports), then the checks beyond the schema, then the checks
across records. Problems go to a reporter as they are found; nothing is held per record.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from .checks import CHECKS
from .compiled import Unsupported, compile_schema
from .crossref import CrossIndex
from .problems import NO_VALUE, Problem, from_schema_error, json_path, shorten
from .reader import Item, ReadFailure, iter_files, read_items, unreadable_value
from .versions import RECORD_SCHEMAS, SchemaStore

# Keys only one of the two record shapes has: how --schema auto tells them apart.
_ENTRY_KEYS = ("sightings", "contained_in")
# A surrogate written as an escape in a line's text (a pair decodes to one character; a lone one
# stays a surrogate): only records whose text holds one are searched for lone ones.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ENTRY_ID = re.compile(r"^q_[0-9a-f]{16}$")


@dataclass
class Summary:
    files: int = 0
    records: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    unreadable: int = 0
    stopped_at: Optional[str] = None  # "file:line" where --max-errors stopped the run

    @property
    def exit_status(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.errors else 0

    def line(self) -> str:
        text = (f"{self.records} record{'s' if self.records != 1 else ''} in {self.files} "
                f"file{'s' if self.files != 1 else ''}: "
                f"{self.valid} valid, {self.invalid} invalid; {self.errors} error{'s' if self.errors != 1 else ''}")
        if self.unreadable:
            text += f"; {self.unreadable} file{'s' if self.unreadable != 1 else ''} could not be read"
        if self.stopped_at:
            text += f"; stopped at {self.stopped_at} after {self.errors} errors (--max-errors)"
        return text


class _Stop(Exception):
    """--max-errors reached."""


@dataclass
class _Schemas:
    """Per (version, schema name): the compiled check (None when the schema cannot be compiled)
    and the jsonschema validator, each built once."""

    store: SchemaStore
    fast: bool = True
    _compiled: dict = field(default_factory=dict)
    _validators: dict = field(default_factory=dict)

    def compiled(self, version: str, name: str):
        key = (version, name)
        if key not in self._compiled:
            try:
                schemas = self.store.get(version).schemas
                self._compiled[key] = compile_schema(schemas, name, f"{version}/{name}") if self.fast else None
            except Unsupported:
                self._compiled[key] = None
        return self._compiled[key]

    def validator(self, version: str, name: str):
        key = (version, name)
        if key not in self._validators:
            self._validators[key] = self.store.get(version).validator(name)
        return self._validators[key]


class Validator:
    """refs_from: files or folders holding the rest of the set the inputs belong to; their ledger
    entries are read for their ids only, so that a contained_in may name one (not validated, not
    counted). partial: the inputs are part of a set validate cannot see (a pre-commit hook is
    given the changed files only), so a contained_in naming no entry among them is not an error,
    unless refs_from names the rest of the set."""

    def __init__(self, schema: str = "auto", store: Optional[SchemaStore] = None,
                 max_errors: Optional[int] = None, fast: bool = True, refs_from: tuple = (),
                 partial: bool = False):
        if schema != "auto" and schema not in RECORD_SCHEMAS:
            raise ValueError(f"unknown schema {schema!r}")
        self.schema = schema
        self.store = store or SchemaStore()
        self.schemas = _Schemas(self.store, fast)
        self.max_errors = max_errors
        self.index = CrossIndex()
        self.summary = Summary()
        self.refs_from = tuple(refs_from)
        self.partial = partial
        self._emit: Callable = print

    def run(self, paths: list, emit: Callable[[Problem], None]) -> Summary:
        """Validate every file (folders walked for exports); emit each Problem as found."""
        self._emit = emit
        try:
            inputs = list(iter_files(paths))
            for path in inputs:
                self._file(path)
            if self.refs_from or not self.partial:
                self._read_rest_of_set(inputs)
                hint = "" if self.refs_from else (
                    " (when these are some files of a larger set, name the rest with --refs-from)")
                for file, line, path, rule, message, value in self.index.dangling(hint):
                    self._report(Problem(file, line, path, rule, message, shorten(value)))
        except _Stop:
            pass
        return self.summary

    def _read_rest_of_set(self, inputs: list) -> None:
        """Learn the entry ids of the --refs-from files that are not inputs themselves. A file of
        them that cannot be read is reported (the run cannot check what it was asked to); its
        broken records are not: they are validated where they are inputs."""
        validated = {os.path.realpath(p) for p in inputs if p != "-"}
        for path in iter_files(list(self.refs_from)):
            if os.path.realpath(path) in validated:
                continue
            try:
                for item in read_items(path):
                    record = item.record
                    if isinstance(record, dict) and any(k in record for k in _ENTRY_KEYS) and \
                            isinstance(record.get("id"), str) and _ENTRY_ID.match(record["id"]):
                        self.index.know(record["id"])
            except ReadFailure as exc:
                self.summary.unreadable += 1
                self._report(Problem(path, None, "$", "unreadable", f"--refs-from: {exc}"))

    def _report(self, problem: Problem) -> None:
        self.summary.errors += 1
        problem = problem.printable()
        self._emit(problem)
        if self.max_errors is not None and self.summary.errors >= self.max_errors:
            self.summary.stopped_at = f"{problem.file}:{problem.line}" if problem.line else problem.file
            raise _Stop

    def _file(self, path: str) -> None:
        self.summary.files += 1
        file_no = self.index.file_number(path)
        try:
            for item in read_items(path):
                self._item(path, file_no, item)
        except ReadFailure as exc:
            self.summary.unreadable += 1
            self._report(Problem(path, None, "$", "unreadable", str(exc)))
        except (_Stop, KeyboardInterrupt):
            raise
        except Exception as exc:  # never a traceback: the file is reported, the run goes on
            self.summary.unreadable += 1
            self._report(Problem(path, None, "$", "unreadable",
                                 f"could not be checked: {type(exc).__name__}: {exc}"))

    def _item(self, path: str, file_no: int, item: Item) -> None:
        self.summary.records += 1
        try:
            issues = self.issues(item, file_no)
        except RecursionError as exc:
            # Nested deeper than the checks can follow (the reader takes a little more).
            issues = [("$", "json-syntax", unreadable_value(exc), NO_VALUE)]
        if not issues:
            self.summary.valid += 1
            return
        self.summary.invalid += 1
        prefix = "$" if item.index is None else f"$[{item.index}]"
        for where, rule, message, value in issues:
            self._report(Problem(path, item.line, prefix + where[1:], rule, message, shorten(value),
                                 item.column if rule == "json-syntax" else None))

    def issues(self, item: Item, file_no: int = 0) -> list:
        """[(path, rule, message, value)] for one item: empty when it is valid."""
        if item.syntax is not None:
            return [("$", "json-syntax", item.syntax, NO_VALUE)]
        record = item.record
        name = self._schema_name(record)
        version = record.get("schema_version") if isinstance(record, dict) else None
        if isinstance(version, str) and version not in self.store.versions:
            return [("$.schema_version", "schema-version", "not a schema version this quoteledger knows "
                     f"({', '.join(self.store.versions)})", version)]
        if not isinstance(version, str):
            version = self.store.current        # the schema will say what is wrong with it
        issues = self._schema_issues(record, version, name)
        if issues:
            return issues
        issues = self._record_checks(record, name, version)
        if not issues:
            issues = self._lone_surrogates(record, item)
        if not issues:
            issues = self._cross_checks(record, name, file_no, item)
        return issues

    @staticmethod
    def _lone_surrogates(record, item: Item) -> list:
        """A string holding half of a surrogate pair (written "\\udfff" in the JSON text) is no
        text at all: it cannot be written as UTF-8, so SQLite and every UTF-8 writer refuse it."""
        if item.raw is not None and not _SURROGATE_ESCAPE.search(item.raw):
            return []
        return [(path, "unicode", "holds a lone surrogate (half of a UTF-16 pair), which is not a "
                 "character and cannot be written as UTF-8", value) for path, value in _surrogate_strings(record)]

    def _schema_name(self, record) -> str:
        if self.schema != "auto":
            return self.schema
        if isinstance(record, dict) and any(key in record for key in _ENTRY_KEYS):
            return "ledger-entry"
        return "quote"

    def _schema_issues(self, record, version: str, name: str) -> list:
        check = self.schemas.compiled(version, name)
        if check is not None and check(record):
            return []
        errors = self.schemas.validator(version, name).iter_errors(record)
        issues = [from_schema_error(e) for e in errors]
        return sorted(issues, key=lambda issue: (issue[0], issue[1]))

    def _record_checks(self, record: dict, name: str, version: str) -> list:
        if version == self.store.current:
            return CHECKS[name](record)
        try:
            return CHECKS[name](record)
        except (KeyError, TypeError, AttributeError):
            # An older version without the fields these checks read: its schema is the whole test.
            return []

    def _cross_checks(self, record: dict, name: str, file_no: int, item: Item) -> list:
        duplicate = self.index.add(record, file_no, item.line, item.raw, item.offset)
        if name == "ledger-entry":
            self.index.want(record, file_no, item.line)
        return [duplicate] if duplicate else []


def _surrogate_strings(value, parts: tuple = ()):
    """(JSON path, string) for each key or string value below value holding a lone surrogate."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield json_path(parts), value
    elif isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                yield json_path(parts), key
            yield from _surrogate_strings(item, parts + (key,))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _surrogate_strings(item, parts + (number,))
