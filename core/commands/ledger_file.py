"""What the commands that open a ledger file share (ingest, merge, export and the reading
commands): its default name and bringing its plain tables up to date. Kept apart from ingest.py
so that export and merge start without importing the extraction engine."""
from __future__ import annotations

import sqlite3

from .common import report

DEFAULT_LEDGER = "quoteledger.db"


def refresh_plain_tables(ledger) -> bool:
    """The plain tables brought up to date with what was merged; False (reported) if that failed,
    which loses nothing: the records are in, and the next command on the ledger finishes the job."""
    try:
        ledger.refresh_tables()
        return True
    except sqlite3.Error as exc:
        report(f"{ledger.path}: the plain tables (quotations, sightings, ...) were not brought up to date: {exc}; "
               f"every record is in, and the next quoteledger command on this ledger brings them up to date")
        return False
