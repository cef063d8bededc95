"""The four ways validate reports: text for people, JSON lines for tools, GitHub Actions workflow
commands for annotations on the pull request, JUnit XML for CI test tabs.

Each reporter takes problems one at a time and writes them out at once (JUnit spools them to a
temporary file, since its totals come first), so a run over millions of records never holds its
errors in memory. The summary line goes to stdout for text and github, to stderr for json and junit
so their stdout stays machine-readable.
"""
from __future__ import annotations

import json
import sys
import tempfile

from .problems import Problem, printable


def escape(text: str) -> str:
    return _saxutils().escape(text)


def quoteattr(text: str) -> str:
    return _saxutils().quoteattr(text)


def _saxutils():
    """xml.sax.saxutils, imported when a JUnit report is written: it imports urllib.request,
    http.client and ssl (some 8 ms), which every command's start-up would otherwise pay for,
    since the pipeline's records import this package."""
    from xml.sax import saxutils

    return saxutils


class TextReporter:
    def __init__(self, out=None):
        self.out = out or sys.stdout

    def problem(self, p: Problem) -> None:
        where = p.file
        if p.line is not None:
            where += f":{p.line}" + (f":{p.column}" if p.column else "")
        value = f" (value: {p.value})" if p.value is not None else ""
        path = f" {p.path}:" if p.line is not None else ""
        self.out.write(f"{where}:{path} {p.message} [{p.rule}]{value}\n")

    def finish(self, summary) -> None:
        self.out.write(summary.line() + "\n")


class JsonReporter(TextReporter):
    def problem(self, p: Problem) -> None:
        self.out.write(json.dumps(p.as_dict(), ensure_ascii=False) + "\n")

    def finish(self, summary) -> None:
        sys.stderr.write(summary.line() + "\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(TextReporter):
    """::error file=...,line=...:: lines, which GitHub Actions turns into annotations."""

    def problem(self, p: Problem) -> None:
        props = f"file={_gh_property(p.file)}"
        if p.line is not None:
            props += f",line={p.line}"
            if p.column:
                props += f",col={p.column}"
        props += f",title={_gh_property('quoteledger validate: ' + p.rule)}"
        value = f" (value: {p.value})" if p.value is not None else ""
        self.out.write(f"::error {props}::{_gh_data(f'{p.path}: {p.message}{value}')}\n")


class JunitReporter(TextReporter):
    """JUnit XML as the common schema (junit-10.xsd, which pytest and Jenkins use) allows it: one
    failing <testcase> per error, named by its file, line and JSON path (the schema gives a test
    case no file or line attributes, so they are in its name and its failure text), and one
    passing test case, always named "summary", carrying the summary line in its <system-out>: a
    clean run still shows a passed test, and a test's name is the same from run to run."""

    SUMMARY_CASE = "summary"

    def __init__(self, out=None):
        super().__init__(out)
        self.spool = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")

    def problem(self, p: Problem) -> None:
        where = f"{p.file}:{p.line}" if p.line is not None else p.file
        name = f"{where} {p.path}" if p.line is not None else where
        value = f"\nvalue: {p.value}" if p.value is not None else ""
        # Unreadable files fail too: junit-10.xsd has no <error> element in a test case.
        self.spool.write(
            f"  <testcase classname={quoteattr(p.file)} name={quoteattr(name)}>\n"
            f"   <failure type={quoteattr(p.rule)} message={quoteattr(p.message)}>"
            f"{escape(f'{where}: {p.path}: {p.message} [{p.rule}]{value}')}</failure>\n  </testcase>\n")

    def finish(self, summary) -> None:
        tests = summary.errors + 1
        counts = f'tests="{tests}" failures="{summary.errors}" errors="0"'
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="quoteledger validate" {counts}>\n')
        self.out.write(f' <testsuite name="quoteledger validate" {counts}>\n')
        self.out.write(f'  <testcase classname="quoteledger.validate" name="{self.SUMMARY_CASE}">\n'
                       f'   <system-out>{escape(printable(summary.line()))}</system-out>\n  </testcase>\n')
        self.spool.seek(0)
        for chunk in iter(lambda: self.spool.read(1 << 16), ""):
            self.out.write(chunk)
        self.out.write(" </testsuite>\n</testsuites>\n")
        self.spool.close()
        sys.stderr.write(summary.line() + "\n")


REPORTERS = {"text": TextReporter, "json": JsonReporter, "github": GithubReporter, "junit": JunitReporter}
