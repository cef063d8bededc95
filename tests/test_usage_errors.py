"""Clear errors and the right exit status instead of tracebacks (issue 15, item 14): a number that
is no length of time or size is a usage error (exit 2) before any work, never a run where every
document fails or a value quietly read as something else; a ledger behind a dangling link or in a
read-only folder is refused with what is wrong, never reported as damage and never made elsewhere."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.commands.common import MAX_SECONDS
from test_outputs import read_only

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "text" / sorted(os.listdir(FIXTURES / "text"))[0]


def exit_status(argv: list) -> int:
    """cli.main's status, whether argparse refuses (SystemExit) or the command returns it."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        return exc.code


BAD_NUMBERS = [
    ("extract", "--timeout", "inf"), ("extract", "--timeout", "nan"), ("extract", "--timeout", "-1"),
    ("extract", "--timeout", str(MAX_SECONDS + 1)), ("extract", "--max-bytes", "-1"),
    ("extract", "--max-bytes", "0"), ("extract", "--max-bytes", "1e6"),
    ("ingest", "--timeout", "inf"), ("ingest", "--timeout", "-1"), ("ingest", "--max-bytes", "-1"),
    ("ingest", "--max-bytes", "0"), ("ingest", "--busy-timeout", "nan"), ("ingest", "--busy-timeout", "inf"),
    ("ingest", "--busy-timeout", "-5"), ("merge", "--busy-timeout", "nan"), ("merge", "--busy-timeout", "inf"),
]


@pytest.mark.parametrize("command,option,value", BAD_NUMBERS)
def test_a_number_that_means_nothing_is_a_usage_error(tmp_path, capsys, command, option, value):
    ledger = tmp_path / "l.db"
    target = ["--ledger", str(ledger)] if command != "extract" else []
    source = str(tmp_path / "other.db") if command == "merge" else str(PAGE)
    assert exit_status([command, *target, f"{option}={value}", source]) == 2
    captured = capsys.readouterr()
    assert f"argument {option}: must be" in captured.err and repr(value) in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert not ledger.exists()


@pytest.mark.parametrize("option,value", [("--timeout", "0"), ("--timeout", "2.5"), ("--max-bytes", "1000000")])
def test_a_sound_number_is_taken(capsys, option, value):
    assert exit_status(["extract", "--jobs", "1", f"{option}={value}", str(PAGE)]) == 0
    assert capsys.readouterr().out.count('"quote_id"') > 0


def test_a_dangling_link_as_ledger_is_refused_and_nothing_made_through_it(tmp_path, capsys):
    link = tmp_path / "ledger.db"
    link.symlink_to("elsewhere/target.db")
    (tmp_path / "elsewhere").mkdir()
    assert exit_status(["ingest", "--jobs", "1", "--ledger", str(link), str(PAGE)]) == 2
    err = capsys.readouterr().err
    assert f"{link}: a link to elsewhere/target.db, which does not exist" in err and "Traceback" not in err
    assert link.is_symlink() and not (tmp_path / "elsewhere" / "target.db").exists()


def test_a_ledger_in_a_read_only_folder_is_said_to_be_read_only_not_corrupt(tmp_path, capsys):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    ledger = folder / "l.db"
    assert exit_status(["ingest", "--jobs", "1", "--ledger", str(ledger), str(PAGE)]) == 0
    before = ledger.read_bytes()
    capsys.readouterr()
    with read_only(folder):
        assert exit_status(["ingest", "--jobs", "1", "--ledger", str(ledger), str(PAGE)]) == 2
        err = capsys.readouterr().err
        assert "is read-only" in err and "corrupt" not in err and "damaged" not in err
        # Reading still works there: export needs no journal of its own.
        assert exit_status(["export", "--ledger", str(ledger)]) == 0
        assert capsys.readouterr().out.count('"id"') > 0
    assert ledger.read_bytes() == before


def test_a_read_only_ledger_file_is_said_to_be_read_only(tmp_path, capsys):
    ledger = tmp_path / "l.db"
    assert exit_status(["ingest", "--jobs", "1", "--ledger", str(ledger), str(PAGE)]) == 0
    capsys.readouterr()
    with read_only(ledger):
        assert exit_status(["ingest", "--jobs", "1", "--ledger", str(ledger), str(PAGE)]) == 2
    err = capsys.readouterr().err
    assert "the file is read-only" in err and "Traceback" not in err
