"""docs/datasette-metadata.json, the labels datasette shows for the ledger's tables: it describes
every table and every column of a ledger as today's code writes it, names no column that is not
there, and its facets, sort orders and full-text index are columns and tables the ledger has."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from quoteledger import ledger_tables
from quoteledger.ledger import Ledger

REPO = Path(__file__).resolve().parents[1]
METADATA = REPO / "docs" / "datasette-metadata.json"


def ledger_layout(path: Path) -> dict:
    """{table: [columns]} of a new ledger, leaving out SQLite's and FTS5's own tables."""
    Ledger(str(path)).close()
    con = sqlite3.connect(path)
    tables = [name for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'quotations_fts%'")]
    layout = {table: [row[1] for row in con.execute(f"PRAGMA table_info({table})")] for table in tables}
    con.close()
    return layout


def test_the_metadata_labels_every_table_and_column_the_ledger_has(tmp_path):
    tables = json.loads(METADATA.read_text("utf-8"))["databases"]["quoteledger"]["tables"]
    layout = ledger_layout(tmp_path / "quoteledger.db")
    assert set(tables) == set(layout)
    for table, columns in layout.items():
        described = tables[table]
        assert described["description"].strip(), table
        if table in ledger_tables.PLAIN_TABLES or table in ("sighting_records", "article_copies"):
            assert set(described["columns"]) == set(columns), table
            assert all(text.strip() for text in described["columns"].values()), table
        for key in ("sort", "sort_desc", "label_column"):
            assert described.get(key, columns[0]) in columns, (table, key)
        assert set(described.get("facets", ())) <= set(columns), table


def test_the_full_text_index_it_names_is_the_ledgers(tmp_path):
    quotations = json.loads(METADATA.read_text("utf-8"))["databases"]["quoteledger"]["tables"]["quotations"]
    path = tmp_path / "quoteledger.db"
    Ledger(str(path)).close()
    con = sqlite3.connect(path)
    if not ledger_tables.fts5_available(con):
        con.close()
        pytest.skip("this SQLite lacks FTS5, so the ledger has no full-text index to name")
    names = {name for name, in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    assert quotations["fts_table"] in names and quotations["fts_pk"] == "rowid"
