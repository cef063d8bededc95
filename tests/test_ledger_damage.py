"""Damaged rows in a ledger (issue 15 item 4): every row read from a ledger is checked before it
is trusted. Merging a ledger with a damaged row reports the row and merges the rest; the damage
never reaches the target, never wins the merge rule, and never stops a later export. Exporting a
damaged ledger reports each damaged row and writes the rest. The damage is made here with plain
sqlite3, as a disk fault, a hand edit or a faulty tool would leave it."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoteledger import cli
from quoteledger.ledger import Ledger, canonical
from test_ledger import FULL, OTHER, PARTIAL, plain_validator
from test_ledger_support import make_article, make_record

NBC = make_article(copy="nbc")
BBC = make_article(headline="Putin and Xi hold call on war anniversary", copy="bbc", outlet="BBC News")
RECORDS = [make_record(FULL, NBC, start=10), make_record(OTHER, NBC, start=200),
           make_record(PARTIAL, BBC, start=30, kind="partial")]
VICTIM = RECORDS[1]             # the row each test damages: a sighting of OTHER, in NBC's story


def build(path: Path, records=RECORDS) -> Path:
    with Ledger(str(path)) as ledger:
        ledger.add_document(records)
    return path


def set_sighting(path: Path, record_sql: str, params=(), sighting=VICTIM) -> None:
    """Overwrites one sighting's record column with what record_sql gives, as raw SQL."""
    con = sqlite3.connect(path)
    con.execute(f"UPDATE sighting_records SET record = {record_sql} WHERE id = ?", (*params, sighting["id"]))
    con.commit()
    con.close()


def export_lines(path: Path, tmp_path: Path, status=0, fmt="jsonl") -> list:
    out = tmp_path / f"out-{os.urandom(4).hex()}.{fmt}"
    assert cli.main(["export", "--ledger", str(path), "--format", fmt, "-o", str(out)]) == status
    return out.read_text("utf-8").splitlines()


def without_victim(record: dict) -> bool:
    return record["id"] != VICTIM["id"]


def truncated(path):
    text = canonical(dict(VICTIM, article={"id": NBC["id"], "fingerprint": NBC["fingerprint"]}))
    set_sighting(path, "?", (text[: len(text) // 2],))


def shorter_but_broken(path):
    # The tester's case: a cut record is shorter, so "the smaller text wins" would pick it.
    set_sighting(path, "substr(record, 1, 40)")


def not_utf8(path):
    set_sighting(path, "CAST(? AS TEXT)", (b'{"id": "\xff\xfe"}',))


def lone_surrogate(path):
    set_sighting(path, "replace(record, 'long-term', ?)", ("long-term \\udfff",))


def wrong_shape(path):
    set_sighting(path, "json_set(record, '$.confidence', 'very')")


def nan_confidence(path):
    set_sighting(path, "replace(record, '\"confidence\":0.9', '\"confidence\":NaN')")


def keys_disagree(path):
    # A record that belongs under another quotation's key: it would join the wrong entry.
    other = canonical(dict(RECORDS[0], article={"fingerprint": NBC["fingerprint"], "id": NBC["id"]}))
    set_sighting(path, "?", (other,))


def not_text(path):
    # A BLOB keeps its type in a TEXT column: the record's own bytes, stored as the wrong type.
    set_sighting(path, "CAST(record AS BLOB)")


DAMAGE = {"truncated": (truncated, "not JSON"), "shorter but broken": (shorter_but_broken, "not JSON"),
          "not UTF-8": (not_utf8, "not valid UTF-8"), "lone surrogate": (lone_surrogate, "lone surrogate"),
          "wrong shape": (wrong_shape, "$.confidence"), "NaN": (nan_confidence, "not JSON"),
          "keys disagree": (keys_disagree, "key columns"), "not text": (not_text, "not text")}


@pytest.mark.parametrize("name", DAMAGE)
def test_merging_a_damaged_ledger_reports_the_row_and_never_spreads_the_damage(tmp_path, capsys, name):
    damage, words = DAMAGE[name]
    source = build(tmp_path / "source.db")
    damage(source)
    before = source.read_bytes()
    # The target already holds the sound sighting: the damaged one must not replace it.
    target = build(tmp_path / "target.db", [RECORDS[1]])
    assert cli.main(["merge", str(source), "--ledger", str(target)]) == 1
    err = capsys.readouterr().err
    assert str(source) in err and VICTIM["id"] in err and words in err and "not merged" in err
    assert source.read_bytes() == before
    # The target is exactly the sound ledger: export works, exit 0, every entry valid.
    assert export_lines(target, tmp_path) == export_lines(build(tmp_path / "sound.db"), tmp_path)
    # And a target that lacked the sighting does not get it either.
    fresh = tmp_path / "fresh.db"
    assert cli.main(["merge", str(source), "--ledger", str(fresh)]) == 1
    partial = build(tmp_path / "partial.db", [RECORDS[0], RECORDS[2]])
    assert export_lines(fresh, tmp_path) == export_lines(partial, tmp_path)


@pytest.mark.parametrize("name", DAMAGE)
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_exporting_a_damaged_ledger_reports_the_row_and_writes_the_rest(tmp_path, capsys, name, fmt):
    damage, words = DAMAGE[name]
    ledger = build(tmp_path / "l.db")
    damage(ledger)
    lines = export_lines(ledger, tmp_path, status=1, fmt=fmt)
    err = capsys.readouterr().err
    assert VICTIM["id"] in err and words in err and "left out" in err and str(ledger) in err
    assert lines == export_lines(build(tmp_path / "sound.db", [RECORDS[0], RECORDS[2]]), tmp_path, fmt=fmt)


def test_a_damaged_story_copy_takes_its_sightings_out_and_is_reported(tmp_path, capsys):
    source = build(tmp_path / "source.db")
    con = sqlite3.connect(source)
    con.execute("UPDATE article_copies SET record = substr(record, 2) WHERE fingerprint = ?", (BBC["fingerprint"],))
    con.commit()
    con.close()
    target = tmp_path / "target.db"
    assert cli.main(["merge", str(source), "--ledger", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"story copy {BBC['fingerprint']}" in err and RECORDS[2]["id"] in err
    assert export_lines(target, tmp_path) == export_lines(build(tmp_path / "sound.db", RECORDS[:2]), tmp_path)
    export_lines(source, tmp_path, status=1)
    assert RECORDS[2]["id"] in capsys.readouterr().err


def test_a_sound_row_merged_in_replaces_a_damaged_one_and_says_so(tmp_path, capsys):
    target = build(tmp_path / "target.db")
    shorter_but_broken(target)
    source = build(tmp_path / "source.db", [RECORDS[1]])
    assert cli.main(["merge", str(source), "--ledger", str(target)]) == 0
    err = capsys.readouterr().err
    assert VICTIM["id"] in err and "replaced by the sound sighting" in err
    assert export_lines(target, tmp_path) == export_lines(build(tmp_path / "sound.db"), tmp_path)


def test_every_entry_exported_from_a_damaged_ledger_is_valid(tmp_path):
    ledger = build(tmp_path / "l.db")
    for damage in (wrong_shape, lambda p: set_sighting(p, "?", ("{}",), sighting=RECORDS[0])):
        damage(ledger)
    validator = plain_validator("ledger-entry")
    lines = export_lines(ledger, tmp_path, status=1)
    assert [json.loads(line)["text"] for line in lines] == [PARTIAL]
    assert all(not list(validator.iter_errors(json.loads(line))) for line in lines)


# Damage of any kind, anywhere in one row: the merge reports or accepts it, never crashes, and
# the target always exports cleanly.
_cuts = st.tuples(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400),
                  st.one_of(st.binary(max_size=6), st.sampled_from([b"\xff", b"\\udfff", b"\x00", b'"', b"}", b"NaN"])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(_cuts, min_size=1, max_size=3), table=st.sampled_from(["sighting_records", "article_copies"]))
def test_any_damage_to_a_row_is_reported_or_harmless_and_never_spreads(tmp_path_factory, cuts, table):
    folder = tmp_path_factory.mktemp("damage")
    source = build(folder / "source.db")
    con = sqlite3.connect(source)
    con.text_factory = bytes
    key = "id" if table == "sighting_records" else "fingerprint"
    row_key, record = con.execute(f"SELECT {key}, record FROM {table} ORDER BY {key} LIMIT 1").fetchone()
    for start, length, insert in cuts:
        start = min(start, len(record))
        record = record[:start] + insert + record[start + length:]
    con.execute(f"UPDATE {table} SET record = CAST(? AS TEXT) WHERE {key} = ?", (record, row_key))
    con.commit()
    con.close()
    target = folder / "target.db"
    status = cli.main(["merge", str(source), "--ledger", str(target)])
    assert status in (0, 1)
    out = folder / "out.jsonl"
    assert cli.main(["export", "--ledger", str(target), "-o", str(out)]) == 0
    validator = plain_validator("ledger-entry")
    for line in out.read_text("utf-8").splitlines():
        entry = json.loads(line)
        assert not list(validator.iter_errors(entry))
        # Nothing but the sound records' words reach the target.
        assert entry["text"] in (FULL, OTHER, PARTIAL)
    # Export checks the rows as merge does, bar the canonical form merge needs to compare texts.
    assert cli.main(["export", "--ledger", str(source), "-o", str(folder / "source.jsonl")]) <= status


def test_copies_of_an_article_leave_a_damaged_copy_out(tmp_path):
    other_copy = make_article(copy="nbc-again")
    ledger = build(tmp_path / "l.db", RECORDS + [make_record(FULL, other_copy, start=10)])
    con = sqlite3.connect(ledger)
    con.execute("UPDATE article_copies SET record = substr(record, 3) WHERE fingerprint = ?", (NBC["fingerprint"],))
    con.commit()
    con.close()
    with Ledger(str(ledger), readonly=True) as opened:
        assert [copy["fingerprint"] for copy in opened.copies_of(NBC["id"])] == [other_copy["fingerprint"]]


def test_what_exports_entry_check_leaves_to_the_row_checks_is_what_they_check():
    """export checks each entry against ledger-entry.schema.json less the parts of its sightings
    that are objects of rows Ledger.entries() has just checked (export.CHECKED_WITH_THEIR_ROWS): each
    such part must be required of an entry's sighting, and defined exactly as the row checks define
    it, or a change to one schema would let a part go unchecked."""
    from quoteledger.commands.export import CHECKED_WITH_THEIR_ROWS, entry_of_checked_rows
    from quoteledger.ledger_rows import row_schemas
    from quoteledger.schemas import load_schema

    entry = load_schema("ledger-entry")
    items = entry["properties"]["sightings"]["items"]
    rows = row_schemas()
    for name in CHECKED_WITH_THEIR_ROWS:
        assert name in items["required"]
        held_by_row = {"$ref": rows["copy"]["$ref"]} if name == "article" else rows["sighting"]["properties"][name]
        # The entry schema's $refs are relative to it, the rows' to the quote schema: same folder.
        assert items["properties"][name] == held_by_row, name
    reduced = entry_of_checked_rows(entry)
    kept = reduced["properties"]["sightings"]["items"]
    assert {k: v for k, v in kept["properties"].items() if k not in CHECKED_WITH_THEIR_ROWS} == \
        {k: v for k, v in items["properties"].items() if k not in CHECKED_WITH_THEIR_ROWS}
    assert kept["required"] == items["required"] and entry["$id"] != reduced["$id"]


def test_a_row_whose_keys_disagree_is_reported_even_when_its_record_is_the_one_the_target_holds(tmp_path, capsys):
    # A merge does not check again a row that is byte for byte the one the target holds; a row
    # whose record is that one but whose key column is not is damaged, and is still reported.
    source = build(tmp_path / "source.db")
    con = sqlite3.connect(source)
    con.execute("UPDATE sighting_records SET fingerprint = ? WHERE id = ?", (BBC["fingerprint"], VICTIM["id"]))
    con.commit()
    con.close()
    target = build(tmp_path / "target.db")
    assert cli.main(["merge", str(source), "--ledger", str(target)]) == 1
    err = capsys.readouterr().err
    assert VICTIM["id"] in err and "key columns" in err and "not merged" in err
    assert export_lines(target, tmp_path) == export_lines(build(tmp_path / "sound.db"), tmp_path)


def test_merging_into_an_empty_ledger_counts_and_writes_as_merging_row_by_row(tmp_path):
    # Into a ledger holding no records the sound rows go in bulk; anywhere else row by row. Both
    # give the same counts, and the same ledger, bar the one unrelated record the second held.
    again = make_record(FULL, BBC, start=60)              # FULL seen twice: one new, one merged
    source = build(tmp_path / "source.db", RECORDS + [again])
    shorter_but_broken(source)
    unrelated = make_record("An unrelated quotation, said elsewhere.", make_article(headline="Elsewhere", copy="x"))
    counts = {}
    for name, held in (("empty", []), ("holding", [unrelated])):
        target = build(tmp_path / f"{name}.db", held) if held else tmp_path / f"{name}.db"
        with Ledger(str(target)) as into, Ledger(str(source), readonly=True) as other:
            counts[name] = into.absorb(other)
            into.refresh_tables()
    assert counts["empty"].damaged and len(counts["empty"].damaged) == len(counts["holding"].damaged) == 1
    assert counts["empty"] == counts["holding"]
    assert (counts["empty"].new, counts["empty"].merged, counts["empty"].known) == (2, 1, 0)
    assert (counts["empty"].new_copies, counts["empty"].new_articles) == (2, 2)
    sound = build(tmp_path / "sound.db", [RECORDS[0], RECORDS[2], again, unrelated])
    assert export_lines(tmp_path / "holding.db", tmp_path) == export_lines(sound, tmp_path)
    assert export_lines(tmp_path / "empty.db", tmp_path) == export_lines(
        build(tmp_path / "sound-alone.db", [RECORDS[0], RECORDS[2], again]), tmp_path)
