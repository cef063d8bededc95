"""The ledger: merge rules, idempotence, order-freedom, schema-valid export, refusing ledgers it
must not touch, and all-or-nothing documents. Records are built by hand (test_ledger_support), so
these tests do not depend on what the quote engine finds; the seed tests at the end do."""
from __future__ import annotations

import glob
import itertools
import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from quoteledger import cli
from quoteledger.ledger import (LEDGER_FORMAT, Ledger, LedgerError, PartialLedger, best_sighting, canonical,
                                containment, merge_keyed, split_record, split_records)
from test_ledger_support import SCHEMAS, corpus, install_fake_pipeline, make_article, make_record, write_document

FULL = "China and Russia are good neighbors that cannot be moved apart"
PARTIAL = "good neighbors that cannot be moved apart"
OTHER = "The development strategies of China and Russia are long-term"


@pytest.fixture
def fake_pipeline(monkeypatch):
    install_fake_pipeline(monkeypatch.setattr)


def plain_validator(name: str) -> Draft202012Validator:
    """A validator built with jsonschema alone from the files in schemas/, not through quoteledger."""
    schemas = [json.loads(p.read_text("utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema, registry=registry)


def ingest(ledger, *paths) -> int:
    return cli.main(["ingest", "--ledger", str(ledger), *map(str, paths)])


def export(ledger, tmp_path, fmt="jsonl") -> bytes:
    out = tmp_path / f"export-{os.urandom(4).hex()}.{fmt}"
    assert cli.main(["export", "--ledger", str(ledger), "--format", fmt, "-o", str(out)]) == 0
    return out.read_bytes()


def entries_of(ledger_path) -> dict:
    with Ledger(str(ledger_path), readonly=True) as ledger:
        return {entry["id"]: entry for entry in ledger.entries()}


# ------------------------------------------------------------------------------------------ rules

def test_hand_built_records_are_valid_quote_records():
    validator = plain_validator("quote")
    record = make_record(FULL, make_article())
    assert list(validator.iter_errors(record)) == []


def test_same_quotation_in_two_outlets_is_one_entry_with_a_sighting_each(tmp_path):
    nbc = make_article(copy="nbc")
    bbc = make_article(headline="Putin and Xi hold call on war anniversary", copy="bbc", outlet="BBC News")
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.add_document([make_record(FULL, nbc, start=10)])
        counts = ledger.add_document([make_record(FULL.upper() + "!", bbc, start=40, confidence=0.8)])
        assert (counts.new, counts.merged) == (0, 1)
        entries = list(ledger.entries())
    assert len(entries) == 1
    outlets = sorted(s["article"]["publisher"]["outlet"] for s in entries[0]["sightings"])
    assert outlets == ["BBC News", "NBC News"]
    # The words as the other story gives them are kept on its sighting.
    assert sorted(s.get("text", "") for s in entries[0]["sightings"]) == ["", FULL.upper() + "!"]


def test_same_story_scraped_twice_is_one_article_with_two_copies(tmp_path):
    first, second = make_article(copy="scrape-1"), make_article(copy="scrape-2")
    assert first["id"] == second["id"] and first["fingerprint"] != second["fingerprint"]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        one = ledger.add_document([make_record(FULL, first), make_record(OTHER, first, start=100)])
        two = ledger.add_document([make_record(FULL, second), make_record(OTHER, second, start=100)])
        assert (one.new_articles, one.new_copies, two.new_articles, two.new_copies) == (1, 1, 0, 1)
        assert ledger.stats() == {"entries": 2, "sightings": 4, "articles": 1, "copies": 2}
        assert [c["fingerprint"] for c in ledger.copies_of(first["id"])] == sorted([first["fingerprint"],
                                                                                    second["fingerprint"]])
        entries = list(ledger.entries())
    for entry in entries:
        assert {s["article"]["id"] for s in entry["sightings"]} == {first["id"]}
        assert len(entry["sightings"]) == 2


def test_partial_quotation_is_linked_to_the_fuller_one_by_the_same_speaker(tmp_path):
    article = make_article()
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.add_document([make_record(FULL, article),
                             make_record(PARTIAL, article, start=200, kind="partial"),
                             make_record("good neighbors", article, start=300, speaker="Vladimir Putin"),
                             make_record("cannot be moved", article, start=400, speaker=None),
                             make_record("neighbors that cannot", article, start=500, speaker="xi  JINPING")])
        entries = {e["text"]: e for e in ledger.entries()}
    full_id = entries[FULL]["id"]
    assert entries[PARTIAL]["contained_in"] == [full_id]
    assert entries["neighbors that cannot"]["contained_in"] == sorted([full_id, entries[PARTIAL]["id"]])
    assert entries["good neighbors"]["contained_in"] == []          # another speaker said it
    assert entries["cannot be moved"]["contained_in"] == []         # nobody known said it
    assert entries[FULL]["contained_in"] == []


def test_containment_needs_whole_words_in_a_run():
    links = containment([("q_a", "x", "neighbors that"), ("q_b", "x", "good neighbors that cannot"),
                         ("q_c", "x", "bors that"), ("q_d", "x", "good that")])
    assert links == {"q_a": ["q_b"]}


def test_speaker_is_chosen_from_sightings_never_by_arrival_order():
    def pair(name, confidence, kind="full", start=0):
        record = make_record(FULL, make_article(copy=f"{name}-{confidence}-{start}"), start=start, speaker=name,
                             confidence=confidence, kind=kind)
        return canonical(record), record
    known_beats_unknown = [pair(None, 0.99), pair("Xi Jinping", 0.4)]
    most_confidence_summed = [pair("Vladimir Putin", 0.8), pair("Xi Jinping", 0.5), pair("Xi Jinping", 0.5, start=9)]
    tie_goes_to_the_name = [pair("Vladimir Putin", 0.5), pair("Xi Jinping", 0.5)]
    for sightings, name in ((known_beats_unknown, "Xi Jinping"), (most_confidence_summed, "Xi Jinping"),
                            (tie_goes_to_the_name, "vladimir putin")):
        for order in itertools.permutations(sightings):
            assert best_sighting(list(order))["speaker"]["name"].casefold() == name.casefold()


def test_merge_rule_is_associative_commutative_idempotent():
    a, b, c = {"k": "b", "x": "1"}, {"k": "a", "y": "2"}, {"k": "c", "x": "0"}
    assert merge_keyed(a, b) == merge_keyed(b, a)
    assert merge_keyed(merge_keyed(a, b), c) == merge_keyed(a, merge_keyed(b, c))
    assert merge_keyed(a, a) == a
    assert merge_keyed(a, b, c) == {"k": "a", "x": "0", "y": "2"}


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES)
def test_canonical_is_json_dumps_with_the_ledgers_options(value):
    # The ledger's encoder is json's C encoder built once: the same text as json.dumps gives.
    assert canonical(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_records_split_from_their_canonical_text_give_the_rows_split_record_gives():
    """A worker cuts each sighting out of the record's canonical JSON instead of encoding it
    again; the rows must be the ones split_record makes, whatever keys the record has."""
    article, other = make_article(), make_article(headline="Another story about the talks", copy="copy-2")
    records = [make_record(FULL, article), make_record(OTHER, article, start=100), make_record(PARTIAL, other)]
    odd = make_record(OTHER, other, start=300)
    odd["aardvark"] = "a key that sorts before article"   # its text no longer opens with the article
    records.append(odd)
    expected = [split_record(record) for record in records]
    assert split_records(records) == expected
    assert split_records(records, [canonical(record) for record in records]) == expected
    for broken in ({"id": "s_1"}, {"article": object()}, {"article": {"fingerprint": "f"}}):
        with pytest.raises((KeyError, TypeError)) as reason:
            split_record(broken)
        with pytest.raises(LedgerError) as exc:                 # the same reason split_record gives
            split_records([broken])
        assert str(exc.value) == f"a record lacks the ids the ledger keys on ({reason.value})"


# ------------------------------------------------------------------- idempotence, order, validity

def test_ingesting_again_changes_nothing(tmp_path, fake_pipeline):
    docs = corpus(tmp_path, documents=30)
    ledger = tmp_path / "l.db"
    assert ingest(ledger, *docs) == 0
    before = export(ledger, tmp_path)
    with Ledger(str(ledger), readonly=True) as opened:
        stats = opened.stats()
    assert ingest(ledger, *docs) == 0
    assert export(ledger, tmp_path) == before
    with Ledger(str(ledger), readonly=True) as opened:
        assert opened.stats() == stats
    assert stats["entries"] > 10 and stats["sightings"] > stats["entries"] and stats["copies"] > stats["articles"]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_any_file_order_gives_a_byte_identical_export(tmp_path, fake_pipeline, fmt):
    docs = corpus(tmp_path, documents=24)
    exports = set()
    for n, order in enumerate([docs, docs[::-1], docs[1::2] + docs[::2], sorted(docs, key=lambda p: hash(p.name))]):
        ledger = tmp_path / f"order-{n}.db"
        assert ingest(ledger, *order) == 0
        exports.add(export(ledger, tmp_path, fmt))
    assert len(exports) == 1 and len(exports.pop()) > 1000


def test_same_document_read_from_two_paths_exports_the_same_whatever_the_order(tmp_path, fake_pipeline):
    article = make_article(copy="one-copy")
    first = write_document(tmp_path / "a.json", [make_record(FULL, {**article, "document": "a.json"})])
    second = write_document(tmp_path / "b.json", [make_record(FULL, {**article, "document": "b.json"})])
    assert ingest(tmp_path / "ab.db", first, second) == 0
    assert ingest(tmp_path / "ba.db", second, first) == 0
    assert export(tmp_path / "ab.db", tmp_path) == export(tmp_path / "ba.db", tmp_path)


def test_every_exported_entry_validates_with_plain_jsonschema(tmp_path, fake_pipeline):
    docs = corpus(tmp_path, documents=30)
    ledger = tmp_path / "l.db"
    assert ingest(ledger, *docs) == 0
    validator = plain_validator("ledger-entry")
    lines = export(ledger, tmp_path).decode("utf-8").splitlines()
    assert len(lines) > 10
    for line in lines:
        entry = json.loads(line)
        assert list(validator.iter_errors(entry)) == [], entry["id"]
    assert any(json.loads(line)["contained_in"] for line in lines)
    as_array = json.loads(export(ledger, tmp_path, "json"))
    assert [canonical(e) for e in as_array] == lines


def test_sqlite_ledger_equals_the_pure_in_memory_merge(tmp_path, fake_pipeline):
    docs = corpus(tmp_path, documents=30)
    ledger = tmp_path / "l.db"
    assert ingest(ledger, *docs) == 0
    records = [r for doc in docs for r in json.loads(doc.read_text())["records"]]
    halves = PartialLedger.from_records(records[::2]).merge(PartialLedger.from_records(records[1::2]))
    assert list(halves.entries()) == list(entries_of(ledger).values())


def test_export_reports_an_entry_that_breaks_the_schema_and_writes_the_rest(tmp_path, capsys):
    article = make_article()
    bad = make_record(OTHER, article, start=100)
    bad["confidence"] = 7                                  # outside [0, 1]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.add_document([make_record(FULL, article), bad])
    out = tmp_path / "out.jsonl"
    assert cli.main(["export", "--ledger", str(tmp_path / "l.db"), "-o", str(out)]) == 1
    assert [json.loads(line)["text"] for line in out.read_text().splitlines()] == [FULL]
    err = capsys.readouterr().err
    # The row is refused as it is read, before any entry is built from it.
    assert bad["id"] in err and bad["quote_id"] in err and "$.confidence" in err


# ------------------------------------------------------------------------------------------ merge

def test_merge_command_gives_the_ledger_one_ingest_would(tmp_path, fake_pipeline):
    docs = corpus(tmp_path, documents=30)
    assert ingest(tmp_path / "all.db", *docs) == 0
    parts = []
    for n in range(3):
        part = tmp_path / f"part-{n}.db"
        assert ingest(part, *docs[n::3]) == 0
        parts.append(part)
    expected = export(tmp_path / "all.db", tmp_path)
    for n, order in enumerate([parts, parts[::-1]]):
        target = tmp_path / f"merged-{n}.db"
        assert cli.main(["merge", *map(str, order), "--ledger", str(target)]) == 0
        assert export(target, tmp_path) == expected
    # Merging again, or merging a ledger into itself, changes nothing.
    assert cli.main(["merge", *map(str, parts), str(tmp_path / "merged-0.db"), "--ledger",
                     str(tmp_path / "merged-0.db")]) == 0
    assert export(tmp_path / "merged-0.db", tmp_path) == expected


def _record_tables_clustered(path) -> dict:
    """{table: whether it is a WITHOUT ROWID table} for the two record tables of a ledger."""
    con = sqlite3.connect(str(path))
    try:
        return {name: "WITHOUT ROWID" in sql for name, sql in con.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN ('sighting_records', 'article_copies')")}
    finally:
        con.close()


def test_a_ledger_with_its_records_clustered_by_key_is_read_written_and_merged_as_it_is(tmp_path, fake_pipeline,
                                                                                         monkeypatch):
    # Ledgers made before 2026-12-08 keep their two record tables as WITHOUT ROWID tables; today's
    # are rowid tables. The same statements serve both: nothing to upgrade, the same entries.
    from quoteledger import ledger as ledger_module

    docs = corpus(tmp_path, documents=30)
    old = tmp_path / "clustered.db"
    with monkeypatch.context() as patch:
        patch.setattr(ledger_module, "_TABLES", ledger_module._TABLES.replace("\n);", "\n) WITHOUT ROWID;"))
        assert ingest(old, *docs[:20]) == 0
    assert _record_tables_clustered(old) == {"sighting_records": True, "article_copies": True}
    new = tmp_path / "rowid.db"
    assert ingest(new, *docs[:20]) == 0
    assert _record_tables_clustered(new) == {"sighting_records": False, "article_copies": False}
    for ledger in (old, new):                  # written again by today's code: the rest, and all again
        assert ingest(ledger, *docs[10:]) == 0
    assert export(old, tmp_path) == export(new, tmp_path) == export(_ingested(tmp_path, docs), tmp_path)
    for source, target in ((old, tmp_path / "into-new.db"), (new, tmp_path / "into-new.db"),
                           (new, old), (old, new)):
        assert cli.main(["merge", str(source), "--ledger", str(target)]) == 0
        assert export(target, tmp_path) == export(new, tmp_path)
    assert _record_tables_clustered(old)["sighting_records"]


def _ingested(tmp_path, docs):
    ledger = tmp_path / f"all-{os.urandom(4).hex()}.db"
    assert ingest(ledger, *docs) == 0
    return ledger


def test_merge_reports_a_bad_ledger_and_merges_the_rest(tmp_path, fake_pipeline, capsys):
    docs = corpus(tmp_path, documents=9)
    good = tmp_path / "good.db"
    assert ingest(good, *docs) == 0
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a ledger at all" * 10)
    target = tmp_path / "target.db"
    assert cli.main(["merge", str(bad), str(good), "--ledger", str(target)]) == 1
    assert export(target, tmp_path) == export(good, tmp_path)
    assert "bad.db" in capsys.readouterr().err
    assert bad.read_bytes() == b"not a ledger at all" * 10


# --------------------------------------------------------------------- ledgers it must not touch

def _foreign(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.execute("INSERT INTO notes VALUES ('my precious data')")
    con.commit()
    con.close()


def _newer(path: Path) -> None:
    with Ledger(str(path)) as ledger:
        ledger.add_document([make_record(FULL, make_article())])
        ledger.con.execute(f"PRAGMA user_version = {LEDGER_FORMAT + 1}")
        ledger.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _truncated(path: Path) -> None:
    with Ledger(str(path)) as ledger:
        ledger.add_document([make_record(f"{FULL} {n}", make_article(), start=n * 100) for n in range(300)])
        ledger.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt(path: Path) -> None:
    with Ledger(str(path)) as ledger:
        ledger.add_document([make_record(f"{FULL} {n}", make_article(), start=n * 100) for n in range(300)])
        ledger.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[3 * page: 6 * page] = os.urandom(3 * page)             # scribble over whole pages of the tables
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(200)), "not a quoteledger ledger"),
    (lambda p: p.write_text("id,text\n1,hello\n"), "not an SQLite database"),
    (_foreign, "not a quoteledger ledger"),
    (_newer, "newer quoteledger"),
    (_truncated, "truncated"),
    (_corrupt, "corrupt"),
])
def test_an_unusable_ledger_is_refused_and_left_as_it_was(tmp_path, fake_pipeline, capsys, make, words):
    ledger = tmp_path / "ledger.db"
    make(ledger)
    before = ledger.read_bytes()
    doc = write_document(tmp_path / "doc.json", [make_record(OTHER, make_article(copy="new"))])
    assert ingest(ledger, doc) == 2
    assert cli.main(["export", "--ledger", str(ledger)]) == 2
    assert cli.main(["merge", str(ledger), "--ledger", str(tmp_path / "other.db")]) == 1
    err = capsys.readouterr().err
    assert words in err and str(ledger) in err
    assert ledger.read_bytes() == before
    assert not os.path.exists(f"{ledger}-wal") or os.path.getsize(f"{ledger}-wal") == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_ledger_in_a_folder_nobody_may_write_can_still_be_exported(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    with Ledger(str(folder / "l.db")) as ledger:
        ledger.add_document([make_record(FULL, make_article())])
    folder.chmod(0o555)
    try:
        with Ledger(str(folder / "l.db"), readonly=True) as ledger:
            assert [e["text"] for e in ledger.entries()] == [FULL]
    finally:
        folder.chmod(0o755)


# ------------------------------------------------------------------- all-or-nothing documents

def _snapshot(ledger_path) -> tuple:
    with Ledger(str(ledger_path), readonly=True) as ledger:
        return (tuple(ledger.con.execute("SELECT * FROM sighting_records ORDER BY id")),
                tuple(ledger.con.execute("SELECT * FROM article_copies ORDER BY fingerprint")))


def test_a_failed_document_leaves_the_ledger_unchanged_and_the_run_goes_on(tmp_path, fake_pipeline, capsys):
    ledger = tmp_path / "l.db"
    first = write_document(tmp_path / "1.json", [make_record(FULL, make_article(copy="one"))])
    assert ingest(ledger, first) == 0
    before = _snapshot(ledger)
    article = make_article(copy="two")
    failed = write_document(tmp_path / "2.json", [make_record(OTHER, article)],
                            errors=[f"{tmp_path / '2.json'}: plugin test: record breaks the quote schema"])
    unkeyed = write_document(tmp_path / "3.json", [make_record(PARTIAL, article), {"text": "no ids"}])
    assert ingest(ledger, failed, unkeyed) == 1
    assert _snapshot(ledger) == before
    err = capsys.readouterr().err
    assert "2.json: not merged" in err and "3.json: not merged" in err and "2 failed" in err
    later = write_document(tmp_path / "4.json", [make_record(PARTIAL, article)])
    assert ingest(ledger, failed, later) == 1
    assert len(_snapshot(ledger)[0]) == 2


def test_a_crash_in_the_middle_of_a_document_rolls_it_back(tmp_path, monkeypatch):
    ledger_path = tmp_path / "l.db"
    article = make_article()
    with Ledger(str(ledger_path)) as ledger:
        ledger.add_document([make_record(FULL, article)])
    before = _snapshot(ledger_path)
    calls = []

    class Boom(Exception):
        pass

    with Ledger(str(ledger_path)) as ledger:
        real_put = ledger._put

        def put_then_crash(con, parts):
            real_put(con, parts)
            calls.append(len(parts))
            raise Boom("power cut")
        monkeypatch.setattr(ledger, "_put", put_then_crash)
        with pytest.raises(Boom):
            ledger.add_document([make_record(OTHER, article, start=100), make_record(PARTIAL, article, start=300)])
    assert calls == [2]
    assert _snapshot(ledger_path) == before


# ------------------------------------------------------------------------------------ the seeds

SEEDS = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "seeds", "*.txt")))


@pytest.fixture(scope="module")
def seed_ledgers(tmp_path_factory):
    if len(SEEDS) < 3:
        pytest.skip("the three seed pages are not in ../shared/seeds beside the checkout")
    folder = tmp_path_factory.mktemp("seeds")
    forward, backward, twice = folder / "forward.db", folder / "backward.db", folder / "twice.db"
    assert cli.main(["ingest", "--ledger", str(forward), *SEEDS]) == 0
    with Ledger(str(forward), readonly=True) as ledger:
        if ledger.stats()["sightings"] == 0:
            pytest.skip("the quote engine finds no quotations in the seeds yet")
    assert cli.main(["ingest", "--ledger", str(backward), *SEEDS[::-1]]) == 0
    assert cli.main(["ingest", "--ledger", str(twice), *SEEDS, *SEEDS]) == 0
    return folder, forward, backward, twice


def test_seeds_nbc_main_story_is_one_article_seen_three_times(seed_ledgers):
    folder, forward, _, _ = seed_ledgers
    entries = entries_of(forward)
    copies: dict = {}
    for entry in entries.values():
        for sighting in entry["sightings"]:
            article = sighting["article"]
            if "affirms" in (article["headline"] or "") and "no limits" in article["headline"]:
                copies.setdefault(article["id"], set()).add(article["fingerprint"])
    assert len(copies) == 1, f"the NBC story (Xi affirms 'no limits' partnership) should be one article: {copies}"
    (nbc_id, fingerprints), = copies.items()
    assert len(fingerprints) == 3
    # Scare quotes ('no limits') are not quotations, and one copy lacks the paragraph with one of them.
    nbc_entries = [e for e in entries.values() if e["kind"] != "scare"
                   and any(s["article"]["id"] == nbc_id for s in e["sightings"])]
    assert len(nbc_entries) >= 5
    for entry in nbc_entries:
        seen = [s["article"]["fingerprint"] for s in entry["sightings"] if s["article"]["id"] == nbc_id]
        assert sorted(seen) == sorted(fingerprints), entry["text"]


def test_seeds_export_is_byte_identical_twice_or_reversed(seed_ledgers, tmp_path):
    folder, forward, backward, twice = seed_ledgers
    expected = export(forward, tmp_path)
    assert export(backward, tmp_path) == expected
    assert export(twice, tmp_path) == expected
    validator = plain_validator("ledger-entry")
    for line in expected.decode("utf-8").splitlines():
        assert list(validator.iter_errors(json.loads(line))) == []


def test_a_partial_ledger_reduced_in_memory_lands_as_ingest_would(tmp_path, fake_pipeline):
    docs = corpus(tmp_path, documents=21)
    assert ingest(tmp_path / "ingested.db", *docs) == 0
    partials = [PartialLedger.from_records(json.loads(doc.read_text())["records"]) for doc in docs]
    reduced = partials[0]
    for partial in partials[1:]:
        reduced = reduced.merge(partial)
    with Ledger(str(tmp_path / "reduced.db")) as ledger:
        counts = ledger.add_partial(reduced)
        assert counts.known == 0 and counts.new == ledger.stats()["entries"]
        assert ledger.add_partial(reduced).known == len(reduced.sightings)
    assert export(tmp_path / "reduced.db", tmp_path) == export(tmp_path / "ingested.db", tmp_path)
