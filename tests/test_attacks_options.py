"""Numbers a careless user gives every numeric option (an outside tester's sweep, issue 15 item
14's class): each is a usage error (exit 2) naming the option, what it wants and the value given,
by the command the user ran, before anything is written. Before: `--partition-size 0` was told
"must be a whole number of processes"; `validate --max-errors nan` was told "invalid _positive
value" (the name of a function); `search --limit -1` was told "give 0 (all) or more", without
the value; `demo --jobs 0` was refused by "quoteledger ingest" after the demo had started, and `demo --jobs nan` as an "invalid int value"; `demo -o L.db --ledger L.db`
ingested into the ledger, then refused the report over it, exit 2 with the ledger written."""
from __future__ import annotations

import re

import pytest

from test_usage_errors import exit_status

EVERY_NUMBER = ["0", "-1", "nan", "inf", "1e3", "0x10", "", "  ", "1.5"]
WANTS = {
    ("validate", "--max-errors"): "must be a whole number, 1 or more",
    ("ingest", "--partition-size"): "must be a whole number of documents, 1 or more",
    ("ingest", "--jobs"): "must be a whole number of processes, 1 or more",
    ("extract", "--jobs"): "must be a whole number of processes, 1 or more",
    ("demo", "--jobs"): "must be a whole number of processes, 1 or more",
    ("search", "--limit"): "must be a whole number, 0 (all) or more",
    ("speakers", "--limit"): "must be a whole number, 0 (all) or more",
}


# Every option with every value it must refuse ("--limit 0" means all, as its help says: no refusal).
REFUSED = [(command, option, value) for command, option in sorted(WANTS) for value in EVERY_NUMBER
           if not (value == "0" and option == "--limit")]


@pytest.mark.parametrize("command,option,value", REFUSED)
def test_every_numeric_option_refuses_what_is_no_count_in_its_own_words(tmp_path, capsys, command, option, value):
    rest = {"validate": [str(tmp_path / "x.jsonl")], "search": ["words"], "speakers": [], "demo": [],
            "extract": [str(tmp_path / "x.html")], "ingest": [str(tmp_path / "x.html")]}[command]
    ledger = [] if command in ("validate", "extract") else ["--ledger", str(tmp_path / "l.db")]
    assert exit_status([command, *ledger, f"{option}={value}", *rest]) == 2
    captured = capsys.readouterr()
    said = f"quoteledger {command}: error: argument {option}(/-j)?: {re.escape(WANTS[command, option])}, not {re.escape(repr(value))}"
    assert re.search(said, captured.err), captured.err
    assert captured.out == "" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("end", ["", "-wal", "-journal"])
def test_demo_refuses_a_report_over_its_own_ledger_before_ingesting(tmp_path, capsys, end):
    ledger = tmp_path / "demo.db"
    assert exit_status(["demo", "--ledger", str(ledger), "-o", str(ledger) + end]) == 2
    assert "is the ledger (or its journal) this demo ingests into" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
