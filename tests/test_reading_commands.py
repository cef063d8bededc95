"""quoteledger search, speakers and show as a person and a script use them: on a ledger of our own
pages (the built-in plugins' examples, the demo pages, a hostile page) and on the seeds' ledger
(the NBC story scraped three times), with FTS5 and with the plain scan, and their errors."""
from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from quoteledger import cli, ledger_queries, ledger_tables
from quoteledger.ledger import Ledger
from quoteledger.ledger_queries import SearchQuery, phrases_of, search

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "ledger"
OWN_PAGES = [*sorted((REPO / "core" / "demo").glob("*.html")), FIXTURES / "hostile-quotation.html"]
SEEDS = sorted(glob.glob(str(REPO.parent / "shared" / "seeds" / "*.txt")))
RAIL = "This line was taken from Kelby once"          # the demo quotation three outlets carried


def example_pages() -> list:
    return sorted(p for p in (REPO / "plugins" / "examples").glob("*/*")
                  if not p.name.endswith(".expected.json") and not p.name.startswith(("README", ".")))


@pytest.fixture(scope="module")
def own_ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("own") / "own.db"
    assert cli.main(["ingest", "--ledger", str(path), *map(str, example_pages()), *map(str, OWN_PAGES)]) == 0
    return path


@pytest.fixture(scope="module")
def seeds_ledger(tmp_path_factory):
    if len(SEEDS) < 3:
        pytest.skip("the seed pages are not in ../shared/seeds beside the checkout")
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    assert cli.main(["ingest", "--ledger", str(path), *SEEDS]) == 0
    return path


def run(capsys, *argv) -> tuple:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv):
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


# ------------------------------------------------------------------------------------------ search

def test_search_finds_a_quotation_by_a_phrase_of_its_words(own_ledger, capsys):
    found = run_json(capsys, "search", "--ledger", str(own_ledger), "taken from KELBY once")
    assert [q["speaker"] for q in found] == ["Odile Marchetti"]
    assert found[0]["text"].startswith(RAIL) and found[0]["outlets"] == 3 and found[0]["sightings"] == 3
    # Each argument is a phrase: the same words in another order are another phrase.
    status, _, err = run(capsys, "search", "--ledger", str(own_ledger), "Kelby from taken")
    assert status == 1 and "no quotation matches" in err
    # Two arguments: both phrases must be there, anywhere.
    both = run_json(capsys, "search", "--ledger", str(own_ledger), "generation", "taken from")
    assert [q["id"] for q in both] == [found[0]["id"]]


def test_search_filters_by_speaker_outlet_and_dates(own_ledger, capsys):
    ledger = str(own_ledger)
    rail = run_json(capsys, "search", "--ledger", ledger, "Kelby")
    assert {q["speaker"] for q in rail} == {"Odile Marchetti"}
    assert run_json(capsys, "search", "--ledger", ledger, "best news", "--speaker", "raman")
    status, _, _ = run(capsys, "search", "--ledger", ledger, "best news", "--speaker", "marchetti")
    assert status == 1
    # An outlet matches by its words; dates bound the sightings at that outlet.
    assert run_json(capsys, "search", "--ledger", ledger, "Kelby", "--outlet", "lakeside")
    assert run_json(capsys, "search", "--ledger", ledger, "Kelby", "--since", "2024-03-06")
    assert run_json(capsys, "search", "--ledger", ledger, "Kelby", "--until", "2024-03")
    status, _, _ = run(capsys, "search", "--ledger", ledger, "Kelby", "--outlet", "tidewater", "--since", "2024-03-05")
    assert status == 1                         # Tidewater carried it on the 4th only
    for not_a_date in ("March", "2024-13", "2024-02-30"):
        status, _, err = run(capsys, "search", "--ledger", ledger, "Kelby", "--since", not_a_date)
        assert status == 2 and "YYYY-MM-DD" in err, not_a_date
    status, _, err = run(capsys, "search", "--ledger", ledger, "Kelby", "--outlet", "Daily Planet")
    assert status == 1 and "no outlet called 'Daily Planet'" in err
    status, _, err = run(capsys, "search", "--ledger", ledger, "!!!")
    assert status == 2 and "some words" in err


def test_a_speaker_or_outlet_of_punctuation_alone_is_a_usage_error_not_a_match_for_everyone(own_ledger, capsys):
    # "Every word of NAME" holds vacuously for a NAME with no words: it must not select everything.
    ledger = str(own_ledger)
    for argv in (("search", "Kelby", "--speaker", "..."), ("search", "Kelby", "--outlet", "!!!"),
                 ("speakers", "--outlet", " - ")):
        with pytest.raises(SystemExit) as usage:
            cli.main([*argv, "--ledger", ledger])
        out, err = capsys.readouterr()
        assert usage.value.code == 2 and "holds no word to match" in err and not out, argv


def test_search_gives_the_same_answers_with_fts5_and_with_the_plain_scan(own_ledger):
    with ledger_queries.open_for_reading(str(own_ledger)) as ledger:
        assert ledger_tables.has_search_index(ledger.con)
        texts = [t for t, in ledger.con.execute("SELECT text FROM quotations")]
        queries = [["Kelby"], ["taken from kelby once"], ["script"], ["img src"], ["the"], ["we", "would"],
                   ["cafe"], ["it's the best"], ["30 years"], ["thirty years"]]
        queries += [[" ".join(t.split()[1:4])] for t in texts[::5] if len(t.split()) > 4]
        for words in queries:
            query = SearchQuery(phrases_of(words))
            indexed = search(ledger.con, query, use_index=True)
            scanned = search(ledger.con, query, use_index=False)
            assert indexed == scanned, words
            assert indexed[1] > 0 or words in (["cafe"],), words


def test_search_works_where_sqlite_lacks_fts5(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ledger_tables, "fts5_available", lambda con: False)
    path = tmp_path / "no-fts.db"
    assert cli.main(["ingest", "--ledger", str(path), *map(str, OWN_PAGES)]) == 0
    names = {n for n, in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "quotations_fts" not in names
    found = run_json(capsys, "search", "--ledger", str(path), "taken from kelby")
    assert [q["speaker"] for q in found] == ["Odile Marchetti"]


def test_search_prints_an_aligned_table_and_says_when_it_stops(own_ledger, capsys):
    status, out, err = run(capsys, "search", "--ledger", str(own_ledger), "the", "--limit", "3")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "first", "seen", "seen", "outlets", "speaker", "quotation"]
    assert len(lines) == 4
    start = lines[0].index("speaker")
    assert all(line[start - 2:start] == "  " for line in lines[1:])          # each row's speaker in the column
    assert "the first 3 shown (--limit 0 for all)" in err


# ---------------------------------------------------------------------------------------- speakers

def test_speakers_most_quoted_first_and_as_one_outlet_quotes_them(own_ledger, capsys):
    everyone = run_json(capsys, "speakers", "--ledger", str(own_ledger))
    counts = [s["quotations"] for s in everyone]
    assert counts == sorted(counts, reverse=True)
    marchetti = next(s for s in everyone if s["name"] == "Odile Marchetti")
    assert (marchetti["quotations"], marchetti["sightings"], marchetti["outlets"]) == (2, 4, 3)
    assert marchetti["role"] == "Transport Minister"
    northfield = run_json(capsys, "speakers", "--ledger", str(own_ledger), "--outlet", "Northfield Standard")
    assert {(s["name"], s["quotations"]) for s in northfield} == {("Odile Marchetti", 1), ("Declan Rourke", 1)}
    status, out, _ = run(capsys, "speakers", "--ledger", str(own_ledger), "--limit", "2")
    assert status == 0 and len(out.splitlines()) == 3 and out.startswith("speaker")
    status, _, err = run(capsys, "speakers", "--ledger", str(own_ledger), "--outlet", "Daily Planet")
    assert status == 1 and "outlets:" in err


# -------------------------------------------------------------------------------------------- show

def test_show_lists_every_sighting_in_date_order_with_the_changed_words(own_ledger, capsys):
    quote_id = run_json(capsys, "search", "--ledger", str(own_ledger), RAIL)[0]["id"]
    shown = run_json(capsys, "show", "--ledger", str(own_ledger), quote_id)
    journey = shown["journey"]
    assert [(s["outlet"], s["published"][:10]) for s in journey] == [
        ("Tidewater Herald", "2024-03-04"), ("Northfield Standard", "2024-03-05"), ("Lakeside Wire", "2024-03-06")]
    assert all(s["url"].startswith("https://") and s["cue"] == "said" for s in journey)
    assert journey[0]["changes"] is None
    changed = [(op, a, b) for op, a, b in journey[1]["changes"] if op != "same"]
    assert changed == [("replaced", "once, and", "once. And")]
    changed = [(op, a, b) for op, a, b in journey[2]["changes"] if op != "same"]
    assert changed == [("replaced", "once. And", "once, and"), ("replaced", "not", "NOT")]
    # As text: a short id is enough, and the changes read as git's word diff.
    status, out, _ = run(capsys, "show", "--ledger", str(own_ledger), quote_id[:10])
    assert status == 0
    assert out.index("Tidewater Herald") < out.index("Northfield Standard") < out.index("Lakeside Wire")
    assert "[-once, and-] {+once. And+}" in out and "[-not-] {+NOT+}" in out
    assert "3 sightings in 3 articles, 3 outlets; first seen 2024-03-04" in out


def test_show_an_unknown_id_and_a_missing_or_empty_ledger_are_clear_errors(own_ledger, tmp_path, capsys):
    status, _, err = run(capsys, "show", "--ledger", str(own_ledger), "q_0000000000000000")
    assert status == 1 and "no quotation q_0000000000000000" in err
    status, _, err = run(capsys, "show", "--ledger", str(tmp_path / "none.db"), "q_0000000000000000")
    assert status == 2 and "no ledger here" in err
    assert not (tmp_path / "none.db").exists()            # reading never creates a ledger
    Ledger(str(tmp_path / "empty.db")).close()
    for argv in (["show", "q_0000000000000000"], ["search", "words"], ["speakers"], ["report", "-o", str(tmp_path / "r.html")]):
        status, _, err = run(capsys, argv[0], "--ledger", str(tmp_path / "empty.db"), *argv[1:])
        assert status == 2 and "holds no quotations yet" in err, argv
    assert not (tmp_path / "r.html").exists()
    (tmp_path / "junk.db").write_bytes(b"not a ledger at all" * 20)
    status, _, err = run(capsys, "speakers", "--ledger", str(tmp_path / "junk.db"))
    assert status == 2 and "not a quoteledger ledger" in err


# ------------------------------------------------------------------ ledgers from elsewhere

def test_reading_a_release_ledger_upgrades_it_and_answers(tmp_path, capsys):
    path = tmp_path / "release.db"
    shutil.copyfile(FIXTURES / "release-ledger.db", path)
    found = run_json(capsys, "search", "--ledger", str(path), "taken from kelby")
    assert len(found) == 1 and found[0]["outlets"] == 3
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_ledger_that_cannot_be_written_is_read_in_memory_and_left_as_it_was(tmp_path, capsys, monkeypatch):
    path = tmp_path / "release.db"
    shutil.copyfile(FIXTURES / "release-ledger.db", path)
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(ledger_queries.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    found = run_json(capsys, "search", "--ledger", str(path), "taken from kelby")
    assert len(found) == 1
    shown = run_json(capsys, "show", "--ledger", str(path), found[0]["id"])
    assert len(shown["journey"]) == 3
    assert path.read_bytes() == before


# --------------------------------------------------------------------------------------- the seeds

def test_on_the_seeds_search_finds_xi_and_show_lists_three_sightings(seeds_ledger, capsys):
    found = run_json(capsys, "search", "--ledger", str(seeds_ledger), "internal driving force")
    assert len(found) == 1 and found[0]["speaker"] == "Xi Jinping"
    shown = run_json(capsys, "show", "--ledger", str(seeds_ledger), found[0]["id"])
    assert len(shown["journey"]) == 3
    assert len({s["url"] or s["document"] for s in shown["journey"]}) == 3      # three copies of the story
    status, out, _ = run(capsys, "show", "--ledger", str(seeds_ledger), found[0]["id"])
    assert status == 0 and "Xi Jinping (Chinese President)" in out and "3 sightings in 1 article" in out


def test_on_the_seeds_plain_sql_counts_quotations_per_speaker_and_outlet(seeds_ledger):
    con = sqlite3.connect(seeds_ledger)
    per_speaker = dict(con.execute("SELECT speaker, COUNT(*) FROM quotations GROUP BY speaker"))
    per_outlet = dict(con.execute("SELECT s.outlet, COUNT(DISTINCT s.quotation) FROM sightings s GROUP BY s.outlet"))
    assert per_speaker["Xi Jinping"] >= 2
    assert per_outlet["NBC News"] >= 5


def test_page_text_never_reaches_the_terminal_as_control_characters():
    """A page's words may hold ESC sequences (cursor moves, window titles) or bidirectional
    overrides: the tables and the journey print them as escapes, never raw."""
    from quoteledger.commands.show import describe
    from quoteledger.terminal import Column, render

    hostile = "we will\x1b]0;owned\x07 win \u202eniw\u202c\x9b2J"
    table = render([Column("speaker"), Column("quotation", flexible=True)], [("Ana\x1b[31m", hostile)], width=80)
    quotation = {"id": "q_0123456789abcdef", "speaker": "Ana\x1b[2J", "speaker_role": "mayor\u202e",
                 "speaker_organization": None, "text": hostile, "kind": "full", "sightings": 2, "articles": 2,
                 "outlets": 2, "first_seen": "2024-01-01",
                 "journey": [{"published": "2024-01-01", "outlet": "A\x1b[1m", "via": None, "cue": "said", "url": None,
                              "document": "a.html", "changes": None},
                             {"published": "2024-01-02", "outlet": "B", "via": None, "cue": "said\x1b[0m",
                              "url": "https://b.example/\u202e", "document": None,
                              "changes": [["same", "we", "we"], ["replaced", "will\x1b[5m", "shall\u202e"]]}]}
    for colour in (False, True):
        shown = describe(quotation, 100, colour) + table
        raw = [c for c in shown if c in "\x07\x9b\u202c\u202e" or (c == "\x1b" and not colour)]
        assert raw == [], raw
        assert "\\x1b" in shown and "\\u202e" in shown
    coloured = describe(quotation, 100, True)
    assert coloured.count("\x1b[") == coloured.count("\x1b[3") + coloured.count("\x1b[0m")   # only our colours
