"""The ledger's plain tables (quotations, sightings, articles, speakers, outlets): they say what the
export says, follow every write, survive a crash between batches, are plain SQL columns, and a
ledger written by quoteledger 0.1.0 upgrades in place with nothing lost."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from quoteledger import cli, ledger_tables
from quoteledger.ids import article_id
from quoteledger.ledger import LEDGER_FORMAT, Ledger, MergeCounts, PartialLedger, canonical, speaker_key

from test_ledger_support import corpus, install_fake_pipeline, make_article, make_record, write_document

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "ledger"
RELEASE_LEDGER = FIXTURES / "release-ledger.db"
RELEASE_EXPORT = FIXTURES / "release-ledger.export.jsonl"
RELEASE = "be8640e16e28c5a483f36d216019a95dd55cb68c"      # make_release_ledger.RELEASE
OWN_PAGES = [*sorted((REPO / "core" / "demo").glob("*.html")), FIXTURES / "hostile-quotation.html"]


@pytest.fixture
def fake_pipeline(monkeypatch):
    install_fake_pipeline(monkeypatch.setattr)


def docs_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def export_bytes(ledger: Path, tmp_path: Path) -> bytes:
    out = tmp_path / f"export-{os.urandom(4).hex()}.jsonl"
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
    return out.read_bytes()


def plain_rows(con) -> dict:
    """Every plain table's rows, in a stable order (rowids left out: they are not content)."""
    out = {}
    for table in ledger_tables.PLAIN_TABLES:
        out[table] = sorted(con.execute(f"SELECT * FROM {table}"), key=repr)
    return out


def rebuilt_from_scratch(path: Path, tmp_path: Path) -> dict:
    """The plain tables of a copy of the ledger, emptied and built again from its records alone."""
    copy = tmp_path / f"scratch-{os.urandom(4).hex()}.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with Ledger(str(copy)) as ledger:
        with ledger._transaction() as con:
            for table in (*ledger_tables.PLAIN_TABLES, "pending_refresh"):
                con.execute(f"DELETE FROM {table}")
            ledger_tables.queue_everything(con)
        ledger.refresh_tables()
        return plain_rows(ledger.con)


def indexes(path: Path) -> dict:
    """{name: CREATE statement} of the ledger's indexes (SQLite's own automatic ones aside)."""
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    finally:
        con.close()


def assert_indexes_as_made(path: Path, tmp_path: Path) -> None:
    """The ledger has every index a new ledger is made with, each the same (a refresh or a merge
    that fills the tables from empty drops some and builds them again), and nothing is queued
    about them."""
    fresh = tmp_path / f"fresh-{os.urandom(4).hex()}.db"
    Ledger(str(fresh)).close()
    assert indexes(path) == indexes(fresh)
    con = sqlite3.connect(path)
    assert not con.execute("SELECT EXISTS (SELECT 1 FROM pending_refresh WHERE kind = ?)",
                           (ledger_tables.INDEXES[0],)).fetchone()[0]
    con.close()


def assert_search_index_in_step(path: Path) -> None:
    """The full-text index holds exactly the quotations table's words (rank 1: checked against
    that table, not only within the index), and finds each quotation by its words."""
    con = sqlite3.connect(path)
    if not ledger_tables.has_search_index(con):
        return
    con.execute("INSERT INTO quotations_fts (quotations_fts, rank) VALUES ('integrity-check', 1)")
    for rowid, text in con.execute("SELECT rowid, text FROM quotations"):
        phrase = '"' + " ".join(text.replace('"', " ").split()) + '"'
        assert rowid in {r for r, in con.execute("SELECT rowid FROM quotations_fts WHERE quotations_fts MATCH ?",
                                                 (phrase,))}
    con.close()


def assert_tables_match_export(path: Path) -> None:
    """Each plain row against the exported entries, computed here from the export alone."""
    with Ledger(str(path), readonly=True) as ledger:
        entries = list(ledger.entries())
        con = ledger.con
        assert con.execute("SELECT COUNT(*) FROM pending_refresh WHERE kind != 'search'").fetchone()[0] == 0
        quotations = {row[0]: row for row in con.execute(
            "SELECT id, text, kind, speaker, speaker_kind, speaker_role, speaker_organization, sightings, "
            "articles, outlets, first_seen, last_seen FROM quotations")}
        sightings = {row[0]: row for row in con.execute(
            "SELECT id, quotation, article, outlet, published, url, cue, paragraph, confidence, text FROM sightings")}
        assert set(quotations) == {e["id"] for e in entries}
        assert set(sightings) == {s["id"] for e in entries for s in e["sightings"]}
        by_speaker: Counter = Counter()
        by_outlet: dict = {}
        for entry in entries:
            speaker = entry["speaker"]
            arts = [s["article"] for s in entry["sightings"]]
            dates = sorted(a["published"][:10] for a in arts if a["published"])
            assert quotations[entry["id"]] == (
                entry["id"], entry["text"], entry["kind"], speaker["name"], speaker["kind"], speaker["role"],
                speaker["organization"], len(arts), len({a["id"] for a in arts}),
                len({a["publisher"]["outlet"] for a in arts if a["publisher"]["outlet"]}),
                dates[0] if dates else None, dates[-1] if dates else None)
            for s in entry["sightings"]:
                a = s["article"]
                assert sightings[s["id"]] == (s["id"], entry["id"], a["id"], a["publisher"]["outlet"], a["published"],
                                              a["url"], s["cue"], s["paragraph"], s["confidence"], s.get("text"))
                if a["publisher"]["outlet"]:
                    by_outlet.setdefault(a["publisher"]["outlet"], set()).add(entry["id"])
            if speaker["name"]:
                by_speaker[speaker_key(speaker["name"])] += 1
        assert dict(con.execute("SELECT key, quotations FROM speakers")) == dict(by_speaker)
        assert dict(con.execute("SELECT name, quotations FROM outlets")) == {o: len(q) for o, q in by_outlet.items()}


@pytest.fixture(scope="module")
def own_ledger(tmp_path_factory):
    """A ledger of our own pages: the built-in plugins' examples, the demo pages, a hostile page."""
    folder = tmp_path_factory.mktemp("own")
    path = folder / "own.db"
    examples = sorted(p for p in (REPO / "plugins" / "examples").glob("*/*")
                      if not p.name.endswith(".expected.json") and not p.name.startswith(("README", ".")))
    assert cli.main(["ingest", "--ledger", str(path), *map(str, examples), *map(str, OWN_PAGES)]) == 0
    return path


# ------------------------------------------------------------------------ the tables say what export says

def test_the_plain_tables_say_what_the_export_says(own_ledger):
    assert_tables_match_export(own_ledger)


def test_the_demo_quotation_has_three_sightings_in_date_order_with_the_changed_words(own_ledger):
    with Ledger(str(own_ledger), readonly=True) as ledger:
        quote_id, = ledger.con.execute("SELECT id FROM quotations WHERE text LIKE 'This line was taken%'").fetchone()
        rows = ledger.con.execute("SELECT outlet, substr(published, 1, 10), text FROM sightings WHERE quotation = ? "
                                  "ORDER BY published", (quote_id,)).fetchall()
    assert [r[:2] for r in rows] == [("Tidewater Herald", "2024-03-04"), ("Northfield Standard", "2024-03-05"),
                                     ("Lakeside Wire", "2024-03-06")]
    # The quotation keeps one wording; a sighting's own words are there only where they differ.
    assert rows[0][2] is not None and rows[1][2] is not None and rows[2][2] is None


def test_plain_sql_answers_quotations_per_speaker_and_outlet_without_json(own_ledger):
    con = sqlite3.connect(own_ledger)
    per_speaker = dict(con.execute("SELECT speaker, COUNT(*) FROM quotations WHERE speaker IS NOT NULL GROUP BY speaker"))
    per_pair = con.execute("SELECT s.outlet, q.speaker, COUNT(DISTINCT q.id) FROM quotations q "
                           "JOIN sightings s ON s.quotation = q.id GROUP BY s.outlet, q.speaker").fetchall()
    columns = {table: [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
               for table in ledger_tables.PLAIN_TABLES}
    assert per_speaker["Odile Marchetti"] == 2
    assert ("Northfield Standard", "Odile Marchetti", 1) in per_pair
    assert ("Lakeside Wire", "Odile Marchetti", 1) in per_pair
    # Plain columns: values a SQL user compares and groups, never a JSON document.
    for table, names in columns.items():
        for name in names:
            types = {t for t, in con.execute(f"SELECT DISTINCT typeof({name}) FROM {table}")}
            assert types <= {"text", "integer", "real", "null"}, (table, name, types)
            values = [v for v, in con.execute(f"SELECT {name} FROM {table}")]
            assert not any(isinstance(v, str) and v.lstrip().startswith(("{", "[")) for v in values), (table, name)
    con.close()
    assert {"id", "text", "speaker", "speaker_role", "speaker_organization", "first_seen", "sightings",
            "outlets"} <= set(columns["quotations"])
    assert {"quotation", "article", "outlet", "publisher", "published", "url", "paragraph", "cue", "confidence",
            "text"} <= set(columns["sightings"])


def test_the_export_is_the_records_export_and_the_tables_change_nothing_in_it(own_ledger, tmp_path):
    """Export reads the records alone: byte for byte what the same records give with no SQLite at all,
    and the same again after the plain tables are emptied and rebuilt."""
    with Ledger(str(own_ledger), readonly=True) as ledger:
        copies = dict(ledger.con.execute("SELECT fingerprint, record FROM article_copies"))
        sightings = dict(ledger.con.execute("SELECT id, record FROM sighting_records"))
    in_memory = "".join(canonical(e) + "\n" for e in PartialLedger(copies, sightings).entries()).encode()
    before = export_bytes(own_ledger, tmp_path)
    assert before == in_memory
    copy = tmp_path / "copy.db"
    with sqlite3.connect(own_ledger) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with Ledger(str(copy)) as ledger:
        with ledger._transaction() as con:
            for table in ledger_tables.PLAIN_TABLES:
                con.execute(f"DELETE FROM {table}")
        assert export_bytes(copy, tmp_path) == before
        with ledger._transaction() as con:
            ledger_tables.queue_everything(con)
        ledger.refresh_tables()
    assert export_bytes(copy, tmp_path) == before


# ------------------------------------------------------------------------ kept in step with every write

def test_incremental_tables_equal_tables_built_from_scratch_after_every_ingest(tmp_path, fake_pipeline):
    docs = corpus(docs_folder(tmp_path), documents=45, seed=11)
    path = tmp_path / "l.db"
    for start in range(0, len(docs), 9):
        assert cli.main(["ingest", "--ledger", str(path), *map(str, docs[start:start + 9])]) == 0
        with Ledger(str(path), readonly=True) as ledger:
            incremental = plain_rows(ledger.con)
        assert incremental == rebuilt_from_scratch(path, tmp_path)
        assert_search_index_in_step(path)       # built in one pass the first time, then kept up to date
    assert_tables_match_export(path)


def test_a_replaced_record_changes_the_rows_and_an_unchanged_one_queues_nothing(tmp_path):
    article = make_article(copy="one")
    path = tmp_path / "l.db"
    with Ledger(str(path)) as ledger:
        ledger.add_document([make_record("We will not accept this deal", article, speaker="Maria Lopez",
                                         confidence=0.9)])
        ledger.refresh_tables()
        ledger.add_document([make_record("We will not accept this deal", article, speaker="Maria Lopez",
                                         confidence=0.9)])
        assert ledger_tables.pending(ledger.con) == 0           # the same document again changes nothing
        # The same sighting with a smaller canonical record (another speaker) replaces it by the merge rule.
        ledger.add_document([make_record("We will not accept this deal", article, speaker="Ana Lopez",
                                         confidence=0.9)])
        assert ledger_tables.pending(ledger.con) == 1
        ledger.refresh_tables()
        assert ledger.con.execute("SELECT speaker FROM quotations").fetchall() == [("Ana Lopez",)]
        assert ledger.con.execute("SELECT key, quotations FROM speakers").fetchall() == [("ana lopez", 1)]
    assert_tables_match_export(path)
    assert_search_index_in_step(path)


def test_merge_and_partial_ledgers_keep_the_tables_in_step(tmp_path, fake_pipeline):
    docs = corpus(docs_folder(tmp_path), documents=30, seed=3)
    left, right, target = tmp_path / "left.db", tmp_path / "right.db", tmp_path / "target.db"
    assert cli.main(["ingest", "--ledger", str(left), *map(str, docs[:18])]) == 0
    assert cli.main(["ingest", "--ledger", str(right), *map(str, docs[12:])]) == 0
    assert cli.main(["merge", "--ledger", str(target), str(left), str(right)]) == 0
    assert_tables_match_export(target)
    assert plain_rows(sqlite3.connect(target)) == rebuilt_from_scratch(target, tmp_path)
    records = [r for doc in docs for r in json.loads(doc.read_text())["records"]]
    with Ledger(str(tmp_path / "partial.db")) as ledger:
        ledger.add_partial(PartialLedger.from_records(records))
        ledger.refresh_tables()
    assert_tables_match_export(tmp_path / "partial.db")


def test_a_crash_between_batches_loses_nothing_and_the_next_refresh_finishes(tmp_path, fake_pipeline, monkeypatch):
    docs = corpus(docs_folder(tmp_path), documents=30, seed=5)
    path = tmp_path / "l.db"
    monkeypatch.setattr(ledger_tables, "BATCH", 4)
    real = ledger_tables._refresh_quotations
    calls = []

    def crash_on_third_batch(con, ids, maintain_index):
        calls.append(len(ids))
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        real(con, ids, maintain_index)
    monkeypatch.setattr(ledger_tables, "_refresh_quotations", crash_on_third_batch)
    assert cli.main(["ingest", "--ledger", str(path), *map(str, docs)]) == 1     # reported, records kept
    # The first refresh of a new ledger dropped the quotations' and sightings' indexes to fill the
    # tables: stopped before its end, the note that they are to be built is still queued.
    assert not {"quotations_by_speaker", "sightings_by_article", "sightings_by_outlet"} & set(indexes(path))
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM pending_refresh WHERE kind = ? AND key = ?",
                                         ledger_tables.INDEXES).fetchone()[0] == 1
    with Ledger(str(path)) as ledger:
        assert ledger_tables.pending(ledger.con) > 0
        ledger.refresh_tables()
        assert ledger_tables.pending(ledger.con) == 0
    assert plain_rows(sqlite3.connect(path)) == rebuilt_from_scratch(path, tmp_path)
    assert_tables_match_export(path)
    assert_indexes_as_made(path, tmp_path)


# --------------------------------------------------------------------- with and without FTS5

def test_without_fts5_the_ledger_works_and_the_index_is_built_once_fts5_is_there(tmp_path, fake_pipeline,
                                                                                monkeypatch):
    docs = corpus(docs_folder(tmp_path), documents=12, seed=2)
    path = tmp_path / "l.db"
    monkeypatch.setattr(ledger_tables, "fts5_available", lambda con: False)
    assert cli.main(["ingest", "--ledger", str(path), *map(str, docs[:6])]) == 0
    with Ledger(str(path)) as ledger:
        names = {n for n, in ledger.con.execute("SELECT name FROM sqlite_master")}
        assert "quotations_fts" not in names and not ledger_tables.has_search_index(ledger.con)
    monkeypatch.undo()
    install_fake_pipeline(monkeypatch.setattr)
    assert cli.main(["ingest", "--ledger", str(path), *map(str, docs[6:])]) == 0
    with Ledger(str(path)) as ledger:
        assert ledger_tables.has_search_index(ledger.con)
        indexed = ledger.con.execute("SELECT COUNT(*) FROM quotations_fts").fetchone()[0]
        assert indexed == ledger.con.execute("SELECT COUNT(*) FROM quotations").fetchone()[0] > 0
    # Written once more where FTS5 is missing (the index cannot follow): marked stale, rebuilt later.
    monkeypatch.setattr(ledger_tables, "fts5_available", lambda con: False)
    extra = write_document(tmp_path / "extra.json", [make_record("A new quotation about harbour tolls",
                                                                 make_article(copy="extra"))])
    assert cli.main(["ingest", "--ledger", str(path), str(extra)]) == 0
    monkeypatch.undo()
    with Ledger(str(path)) as ledger:
        assert not ledger_tables.has_search_index(ledger.con)
        ledger.refresh_tables()
        assert ledger_tables.has_search_index(ledger.con)
        hits = ledger.con.execute("SELECT q.text FROM quotations_fts f JOIN quotations q ON q.rowid = f.rowid "
                                  "WHERE quotations_fts MATCH 'harbour tolls'").fetchall()
        assert hits == [("A new quotation about harbour tolls",)]


# ------------------------------------------------------------------ a ledger written by 0.1.0

def test_the_release_fixture_is_a_format_1_ledger():
    con = sqlite3.connect(f"file:{RELEASE_LEDGER}?mode=ro&immutable=1", uri=True)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {n for n, in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"meta", "article_copies", "sightings"}
    con.close()


def test_a_release_ledger_upgrades_in_place_with_nothing_lost(tmp_path):
    path = tmp_path / "release.db"
    shutil.copyfile(RELEASE_LEDGER, path)
    with Ledger(str(path)) as ledger:
        assert ledger.format == LEDGER_FORMAT
        ledger.refresh_tables()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == LEDGER_FORMAT
    assert dict(con.execute("SELECT key, value FROM meta"))["ledger_format"] == str(LEDGER_FORMAT)
    con.close()
    # Today's export of the upgraded ledger is, byte for byte, what 0.1.0 exported from it.
    assert export_bytes(path, tmp_path) == RELEASE_EXPORT.read_bytes()
    assert_tables_match_export(path)
    # And it opens again as it is.
    with Ledger(str(path)) as ledger:
        assert ledger_tables.pending(ledger.con) == 0


def test_a_release_ledger_opened_read_only_is_exported_unchanged_and_read_in_memory(tmp_path):
    path = tmp_path / "release.db"
    shutil.copyfile(RELEASE_LEDGER, path)
    before = path.read_bytes()
    assert export_bytes(path, tmp_path) == RELEASE_EXPORT.read_bytes()
    with Ledger(str(path), readonly=True) as ledger:
        assert ledger.format == 1
        refreshed = ledger_tables.build_in_memory(ledger)
        assert refreshed == len(RELEASE_EXPORT.read_text().splitlines())
        texts = {t for t, in ledger.con.execute("SELECT text FROM quotations")}
    assert texts == {json.loads(line)["text"] for line in RELEASE_EXPORT.read_text().splitlines()}
    assert path.read_bytes() == before


def test_the_fixture_script_rebuilds_the_same_ledger_with_the_release_code(tmp_path):
    has_release = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{RELEASE}^{{commit}}"],
                                 capture_output=True).returncode == 0
    if not has_release:
        pytest.skip(f"this clone lacks the release commit {RELEASE[:12]} (a shallow clone?)")
    subprocess.run([sys.executable, str(FIXTURES / "make_release_ledger.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    assert (tmp_path / RELEASE_EXPORT.name).read_bytes() == RELEASE_EXPORT.read_bytes()
    con = sqlite3.connect(tmp_path / RELEASE_LEDGER.name)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    con.close()


def test_the_tables_are_the_same_where_sqlite_lacks_its_json_functions(own_ledger, tmp_path, monkeypatch):
    """Python reads the records instead of SQLite's json_extract: the same rows to the byte."""
    with_sql = rebuilt_from_scratch(own_ledger, tmp_path)
    monkeypatch.setattr(ledger_tables, "json_functions_available", lambda con: False)
    assert rebuilt_from_scratch(own_ledger, tmp_path) == with_sql


def test_articles_of_one_copy_read_in_sql_are_the_articles_python_makes(tmp_path, monkeypatch):
    # Most articles have one story copy, and SQLite reads it (one statement for all of them); the
    # rest go through Python, which is the rule: the same rows, whatever the copy's fields hold.
    shapes = [dict(), dict(byline=[]), dict(byline=["Ann Lee", "Bo Chen", ""]), dict(publisher=None),
              dict(headline=""), dict(section="World", url="https://x.example/a"), dict(published=None),
              dict(publisher={"outlet": "", "edition": "UK", "organization": None, "plugin": None}),
              dict(headline="Caf\u00e9 \"quoted\" line\nbreak")]
    records = []
    for n, fields in enumerate(shapes):
        article = make_article(copy=f"shape-{n}", headline=f"A story about bridges, number {n}")
        records.append(make_record(f"Bridges will open in spring number {n}", article))
        article.update(fields)           # the record holds this article: its copy takes the fields
        article["id"] = article_id(article["headline"], article["url"], article["fingerprint"])
    twin = make_article(copy="shape-0-again", headline="A story about bridges, number 0")   # two copies of one
    records.append(make_record("Bridges will open in spring number 0", twin, start=5))
    path = tmp_path / "l.db"
    with Ledger(str(path)) as ledger:
        for record in records:
            ledger.add_document([record])
        ledger.refresh_tables()
        in_sql = sorted(ledger.con.execute("SELECT * FROM articles"), key=repr)
    monkeypatch.setattr(ledger_tables, "json_functions_available", lambda con: False)
    assert rebuilt_from_scratch(path, tmp_path)["articles"] == in_sql
    assert len(in_sql) == len(shapes)


@pytest.mark.parametrize("json_in_sql", [True, False])
def test_a_damaged_record_is_left_out_of_the_tables_and_stops_nothing(tmp_path, fake_pipeline, monkeypatch, json_in_sql):
    """As export leaves a damaged row out (ledger_rows), so do the plain tables, and the refresh goes on."""
    if not json_in_sql:
        monkeypatch.setattr(ledger_tables, "json_functions_available", lambda con: False)
    docs = docs_folder(tmp_path)
    story = make_article("Harbour news", copy="harbour", outlet="Example News")
    write_document(docs / "a.json", [make_record("The harbour will reopen in May", story, speaker="Ana Lopez"),
                                     make_record("Tolls will not rise this year", story, speaker="Ben Ode")])
    ledger = tmp_path / "l.db"
    assert cli.main(["ingest", "--ledger", str(ledger), str(docs)]) == 0
    con = sqlite3.connect(ledger)
    victim, = con.execute("SELECT quote_id FROM sighting_records WHERE record LIKE '%harbour%'").fetchone()
    for damage in ("'not json at all'", "'[1, 2]'", "json_set(record, '$.confidence', 'high')"):
        con.execute(f"UPDATE sighting_records SET record = {damage} WHERE quote_id = ?", (victim,))
        con.execute("INSERT OR IGNORE INTO pending_refresh VALUES ('quotation', ?)", (victim,))
        con.commit()
        with Ledger(str(ledger)) as opened:
            opened.refresh_tables()
            texts = [t for t, in opened.con.execute("SELECT text FROM quotations")]
        assert texts == ["Tolls will not rise this year"], damage
    con.close()


def test_a_merge_into_an_empty_ledger_makes_the_plain_rows_from_the_records_it_checked(tmp_path, fake_pipeline,
                                                                                      monkeypatch):
    # Into a ledger holding nothing, a merge makes each quotation's plain rows from the records it
    # has just checked and parsed, in batches, and queues none for the refresh to read again; a
    # quotation whose sightings do not come together is left whole to the refresh.
    docs = corpus(docs_folder(tmp_path), documents=24, seed=7)
    source = tmp_path / "source.db"
    assert cli.main(["ingest", "--ledger", str(source), *map(str, docs)]) == 0
    monkeypatch.setattr(ledger_tables, "BATCH", 5)
    with Ledger(str(source), readonly=True) as other:
        copies = other.con.execute("SELECT fingerprint, article_id, record FROM article_copies").fetchall()
        sightings = other.con.execute(
            "SELECT id, quote_id, fingerprint, record FROM sighting_records ORDER BY quote_id, id").fetchall()
    seen = Counter(row[1] for row in sightings)
    several = [row for row in sightings if seen[row[1]] > 1]
    assert several and len(seen) > 2 * ledger_tables.BATCH
    moved = several[::2]                 # some sightings of quotations seen several times, put last
    scattered = [row for row in sightings if row not in moved] + moved
    for name, rows, left_to_refresh in (("grouped", sightings, 0), ("scattered", scattered, {r[1] for r in moved})):
        target = tmp_path / f"{name}.db"
        with Ledger(str(target)) as into:
            with into._transaction() as con:
                counts = MergeCounts()
                into._merge_rows(con, copies, rows, counts, "source")
            queued = {key for key, in into.con.execute("SELECT key FROM pending_refresh WHERE kind = 'quotation'")}
            into.refresh_tables()
        assert not counts.damaged and counts.new == len(seen)
        assert queued == (left_to_refresh or set())
        assert plain_rows(sqlite3.connect(target)) == rebuilt_from_scratch(target, tmp_path)
        assert_tables_match_export(target)
        assert_search_index_in_step(target)
        assert_indexes_as_made(target, tmp_path)
        assert export_bytes(target, tmp_path) == export_bytes(source, tmp_path)


def test_a_new_ledger_notes_its_first_quotations_all_at_once_and_later_ones_one_by_one(tmp_path):
    # A new ledger's queue holds one note for every quotation until its first refresh: writes note
    # nothing one by one, pending() still counts them, a reader still sees them, the refresh
    # builds them all; after it, each write notes what it changed as before.
    first = [make_record(f"We will build {n} new schools this year", make_article(copy=f"c{n}"), start=n)
             for n in range(5)]
    path = tmp_path / "l.db"
    with Ledger(str(path)) as ledger:
        for record in first:
            ledger.add_document([record])
        assert ledger.con.execute("SELECT kind, key FROM pending_refresh WHERE kind != 'search'").fetchall() == \
            [ledger_tables.EVERYTHING]
        assert ledger_tables.pending(ledger.con) == len(first)
    with Ledger(str(path), readonly=True) as ledger:      # a reader that cannot write builds them all in memory
        ledger_tables.build_in_memory(ledger)
        assert ledger.con.execute("SELECT COUNT(*) FROM quotations").fetchone()[0] == len(first)
    with Ledger(str(path)) as ledger:
        assert ledger.refresh_tables() == len(first)
        assert ledger_tables.pending(ledger.con) == 0
        later = make_record("We will not accept this deal", make_article(copy="later"))
        ledger.add_document([later])
        assert ledger.con.execute("SELECT kind, key FROM pending_refresh WHERE kind = 'quotation'").fetchall() == \
            [("quotation", later["quote_id"])]
        ledger.refresh_tables()
    assert plain_rows(sqlite3.connect(path)) == rebuilt_from_scratch(path, tmp_path)
    assert_tables_match_export(path)
    assert_search_index_in_step(path)
