"""A ledger carrying SQL of its own (an outside tester's attack, issue 15): quoteledger's ledgers
hold tables and indexes only, so a trigger or a view in one was planted, and SQLite would run it
on our reads and writes. A trigger wiping the records on every insert emptied the ledger under an
ingest that exited 0; a view standing in for the records table, yielding rows without end, held
merge and export for ever (deaf to SIGTERM, inside SQLite). Such a ledger is refused before any
statement of ours touches its tables, with what it holds, by every command alike."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.ledger import Ledger
from test_ledger import FULL, OTHER
from test_ledger_support import make_article, make_record

DEMO_PAGE = Path(cli.__file__).resolve().parent / "demo" / "lakeside-wire-rail-line.html"
ARTICLE = make_article()

WIPE_ON_INSERT = ("CREATE TRIGGER keep_tidy AFTER INSERT ON sighting_records "
                  "BEGIN DELETE FROM sighting_records; DELETE FROM article_copies; END")
# The tester's view had no end; this one stops at 500 copies of each row, so that without the
# refusal the tests fail instead of hanging.
ENDLESS_VIEW = ("CREATE VIEW sighting_records AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                "WHERE x < 500) "
                "SELECT r.quote_id, r.id || x AS id, r.fingerprint, r.record FROM n, real_records AS r")


def planted(path: Path, *statements: str) -> Path:
    with Ledger(str(path)) as ledger:
        ledger.add_document([make_record(FULL, ARTICLE, start=10), make_record(OTHER, ARTICLE, start=200)])
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path


@pytest.fixture
def endless(tmp_path):
    return planted(tmp_path / "endless.db", "ALTER TABLE sighting_records RENAME TO real_records", ENDLESS_VIEW)


def test_ingest_into_a_ledger_with_a_planted_trigger_is_refused_and_the_ledger_kept(tmp_path, capsys):
    ledger = planted(tmp_path / "trap.db", WIPE_ON_INSERT)
    before = ledger.read_bytes()
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(ledger), str(DEMO_PAGE)]) == 2
    err = capsys.readouterr().err
    assert "trap.db" in err and "trigger 'keep_tidy'" in err and "refusing" in err
    assert ledger.read_bytes() == before
    con = sqlite3.connect(ledger)
    assert con.execute("SELECT count(*) FROM sighting_records").fetchone()[0] == 2


def test_merging_a_ledger_whose_records_are_an_endless_view_is_refused_at_once(tmp_path, endless, capsys):
    target = tmp_path / "target.db"
    assert cli.main(["merge", "--ledger", str(target), str(endless)]) == 1
    err = capsys.readouterr().err
    assert "endless.db" in err and "view 'sighting_records'" in err and "not merged" in err


@pytest.mark.parametrize("command", [["export"], ["search", "neighbors"], ["speakers"], ["report", "-o", "-"],
                                     ["show", "q_0000000000000000"]])
def test_every_reading_command_refuses_a_ledger_holding_sql_of_its_own(tmp_path, endless, capsys, command):
    assert cli.main([*command, "--ledger", str(endless)]) == 2
    captured = capsys.readouterr()
    assert "view 'sighting_records'" in captured.err and captured.out == ""


def test_a_view_standing_in_for_the_ledgers_metadata_is_refused_before_it_is_read(tmp_path, capsys):
    ledger = planted(tmp_path / "meta.db", "ALTER TABLE meta RENAME TO real_meta",
                     "CREATE VIEW meta AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 500) "
                     "SELECT m.key, m.value FROM n, real_meta AS m")
    assert cli.main(["export", "--ledger", str(ledger)]) == 2
    assert "view 'meta'" in capsys.readouterr().err


def test_merging_into_a_target_with_a_planted_trigger_is_refused(tmp_path, capsys):
    target = planted(tmp_path / "target.db", WIPE_ON_INSERT)
    source = planted(tmp_path / "source.db")
    before = target.read_bytes()
    assert cli.main(["merge", "--ledger", str(target), str(source)]) == 2
    assert "trigger 'keep_tidy'" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_a_damaged_search_index_costs_search_its_speed_never_its_answer(tmp_path, capsys):
    ledger = planted(tmp_path / "l.db")
    assert cli.main(["search", "--json", "--ledger", str(ledger), "good neighbors"]) == 0     # builds the index
    expected = capsys.readouterr().out
    con = sqlite3.connect(ledger)
    con.execute("UPDATE quotations_fts_data SET block = x'00ff00ff00ff'")
    con.commit()
    con.close()
    assert cli.main(["search", "--json", "--ledger", str(ledger), "good neighbors"]) == 0
    captured = capsys.readouterr()
    assert captured.out == expected
    assert "l.db: its search index is damaged" in captured.err
    assert cli.main(["search", "--ledger", str(ledger), "no such words"]) == 1


def test_a_ledger_padded_past_its_pages_is_refused_in_one_short_line(tmp_path, capsys):
    ledger = planted(tmp_path / "padded.db")
    with open(ledger, "r+b") as fh:
        header = bytearray(fh.read(100))
        page_size = int.from_bytes(header[16:18], "big")
        pages = 16 * 1024 * 1024 // page_size
        header[28:32] = pages.to_bytes(4, "big")     # the header promises every page of the padding
        fh.seek(0)
        fh.write(header)
        fh.truncate(pages * page_size)              # sparse: empty pages no table owns
    assert cli.main(["export", "--ledger", str(ledger)]) == 2
    err = capsys.readouterr().err
    assert "padded.db: corrupt ledger (" in err and "more); refusing to use it" in err
    assert len(err) < 400 and err.count("\n") == 1
