"""The ledger's plain tables: quotations, sightings, articles, speakers and outlets as ordinary SQL
columns, for sqlite3, datasette and the reading commands (search, speakers, show, report).

They are derived from the records (sighting_records and article_copies), never the other way
round: export reads the records alone, and the plain tables can be rebuilt from them at any time.
Each write notes the quotations it changed in pending_refresh, in the same transaction as the
records (a new ledger holds one note for all of them until its first refresh, EVERYTHING); refresh() recomputes those quotations' rows, choosing their words and speaker exactly as
export does (ledger.best_sighting), then the articles, speakers and outlets they touch. So the
tables always equal the records as of the last refresh, and the queue says what is left to do.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from itertools import groupby
from typing import Iterable

from . import ledger as _ledger    # a cycle (ledger imports this module): read at call time only

BATCH = 4000                  # quotations refreshed in one transaction: bounds the WAL and the lock (a
                              # few tenths of a second; 1000 cost a seventh more, each batch reading its copies)

# {schema} is "" for the ledger file, "temp." for tables built in memory beside a read-only ledger.
_DDL = """
-- What the plain tables still lack from the records: (kind, key) with kind quotation, article,
-- speaker or outlet, ('search', '') while the full-text index must be (re)built, ('indexes', '')
-- while the quotations' and sightings' indexes must be (see INDEXES), and ('everything', '') for
-- every quotation the records hold (see EVERYTHING).
CREATE TABLE {schema}pending_refresh (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
-- One row per quotation (a ledger entry): its words and speaker as export chooses them.
CREATE TABLE {schema}quotations (
    id                   TEXT PRIMARY KEY,
    text                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    speaker              TEXT,
    speaker_kind         TEXT NOT NULL,
    speaker_role         TEXT,
    speaker_organization TEXT,
    speaker_key          TEXT,
    first_seen           TEXT,
    last_seen            TEXT,
    first_outlet         TEXT,
    sightings            INTEGER NOT NULL,
    articles             INTEGER NOT NULL,
    outlets              INTEGER NOT NULL
);
CREATE INDEX {schema}quotations_by_speaker ON quotations (speaker_key, first_seen);
CREATE INDEX {schema}quotations_by_first_seen ON quotations (first_seen);
CREATE INDEX {schema}quotations_by_first_outlet ON quotations (first_outlet);
-- One row per sighting: where and how one story carried a quotation (clustered by quotation,
-- so a journey is read in one place).
CREATE TABLE {schema}sightings (
    quotation    TEXT NOT NULL,
    id           TEXT NOT NULL,
    article      TEXT NOT NULL,
    copy         TEXT NOT NULL,
    outlet       TEXT,
    publisher    TEXT,
    edition      TEXT,
    via          TEXT,
    published    TEXT,
    url          TEXT,
    document     TEXT,
    headline     TEXT,
    paragraph    INTEGER,
    cue          TEXT,
    confidence   REAL,
    speaker      TEXT,
    kind         TEXT,
    according_to TEXT,
    text         TEXT,
    PRIMARY KEY (quotation, id)
) WITHOUT ROWID;
CREATE INDEX {schema}sightings_by_outlet ON sightings (outlet, published);
CREATE INDEX {schema}sightings_by_article ON sightings (article);
-- One row per article (a story, however many copies of it were read).
CREATE TABLE {schema}articles (
    id         TEXT PRIMARY KEY,
    headline   TEXT,
    outlet     TEXT,
    publisher  TEXT,
    edition    TEXT,
    published  TEXT,
    url        TEXT,
    byline     TEXT,
    section    TEXT,
    copies     INTEGER NOT NULL,
    quotations INTEGER NOT NULL,
    sightings  INTEGER NOT NULL
);
CREATE INDEX {schema}articles_by_outlet ON articles (outlet, published);
-- One row per named speaker (names equal but for case and spacing are one speaker).
CREATE TABLE {schema}speakers (
    key          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT,
    role         TEXT,
    organization TEXT,
    quotations   INTEGER NOT NULL,
    sightings    INTEGER NOT NULL,
    outlets      INTEGER NOT NULL,
    first_seen   TEXT,
    last_seen    TEXT
);
CREATE INDEX {schema}speakers_by_name ON speakers (name);
-- One row per outlet that carried a quotation.
CREATE TABLE {schema}outlets (
    name       TEXT PRIMARY KEY,
    publisher  TEXT,
    articles   INTEGER NOT NULL,
    quotations INTEGER NOT NULL,
    sightings  INTEGER NOT NULL,
    speakers   INTEGER NOT NULL,
    first_seen TEXT,
    last_seen  TEXT
)
"""
# The full-text index over quotations (rowid = quotations.rowid), where SQLite has FTS5. Its
# content is the quotations table itself (external content): the words are stored once, and a
# full build is one 'rebuild' reading that table. (A ledger made before this keeps its index with
# its own copy of the words until the index is next rebuilt; both are kept up to date the same way.)
_FTS = ("CREATE VIRTUAL TABLE {schema}quotations_fts USING fts5(text, speaker, content = 'quotations', "
        "content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2')")

PLAIN_TABLES = ("quotations", "sightings", "articles", "speakers", "outlets")
SIGHTING_COLUMNS = ("quotation", "id", "article", "copy", "outlet", "publisher", "edition", "via", "published", "url",
                    "document", "headline", "paragraph", "cue", "confidence", "speaker", "kind", "according_to", "text")
QUOTATION_COLUMNS = ("id", "text", "kind", "speaker", "speaker_kind", "speaker_role", "speaker_organization",
                     "speaker_key", "first_seen", "last_seen", "first_outlet", "sightings", "articles", "outlets")
_INSERT_SIGHTING = f"INSERT INTO sightings ({', '.join(SIGHTING_COLUMNS)}) VALUES ({', '.join('?' * len(SIGHTING_COLUMNS))})"
_UPSERT_QUOTATION = (f"INSERT INTO quotations ({', '.join(QUOTATION_COLUMNS)}) "
                     f"VALUES ({', '.join('?' * len(QUOTATION_COLUMNS))}) ON CONFLICT (id) DO UPDATE SET "
                     + ", ".join(f"{c} = excluded.{c}" for c in QUOTATION_COLUMNS[1:]))


def _bulk_indexes() -> list:
    """(name, CREATE INDEX statement) of the secondary indexes of the quotations and sightings
    tables in the ledger file, as create() makes them."""
    found = []
    for statement in _DDL.format(schema="").split(";"):
        words = statement.split()
        if words[:2] == ["CREATE", "INDEX"] and words[4] in ("quotations", "sightings"):
            found.append((words[2], statement.strip()))
    return found


# The hops of a story's source chain that name who passed it on.
VIA_ROLES = ("republisher", "feed")


def fts5_available(con) -> bool:
    """Whether this SQLite was built with FTS5 (Python's usually is; some system builds are not)."""
    try:
        return bool(con.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0])
    except Exception:  # noqa: BLE001 - an SQLite without compile-option introspection: assume not
        return False


def create(con, schema: str = "") -> None:
    """The plain tables, empty, with the full-text index where FTS5 exists (else queued)."""
    for statement in filter(str.strip, _DDL.format(schema=schema).split(";")):
        con.execute(statement)
    if fts5_available(con):
        con.execute(_FTS.format(schema=schema))
    else:
        con.execute("INSERT INTO pending_refresh VALUES ('search', '')")


# A new ledger's queue holds one note, ('everything', ''), standing for every quotation its records
# will hold until the first refresh: while it is there a write notes nothing quotation by
# quotation (a first ingest would note each of its quotations, some 10 us each), and the refresh
# turns it into the quotations themselves in one statement, in key order.
EVERYTHING = ("everything", "")


def queue_all_later(con) -> None:
    """The note that every quotation of the records is to be refreshed: for a ledger made empty."""
    con.execute("INSERT OR IGNORE INTO pending_refresh VALUES (?, ?)", EVERYTHING)


def _everything_queued(con) -> bool:
    return con.execute("SELECT EXISTS (SELECT 1 FROM pending_refresh WHERE kind = ? AND key = ?)",
                       EVERYTHING).fetchone()[0]


def _queue_everything_now(con) -> None:
    """EVERYTHING turned into the quotations it stands for."""
    con.execute("INSERT OR IGNORE INTO pending_refresh SELECT DISTINCT 'quotation', quote_id FROM sighting_records")
    con.execute("DELETE FROM pending_refresh WHERE kind = ? AND key = ?", EVERYTHING)


# While the quotations and sightings tables fill from empty (a new ledger's first refresh, an
# upgrade), their secondary indexes are dropped and this note queued, in the first batch's
# transaction; the last transaction builds them again, a sort each, before anything reads the
# tables by them, and removes the note. Kept up to date row by row, in hash order, they cost more.
# A refresh stopped between batches leaves the note, and the next refresh builds them.
INDEXES = ("indexes", "")


def _drop_bulk_indexes(con) -> None:
    con.execute("INSERT OR IGNORE INTO pending_refresh VALUES (?, ?)", INDEXES)
    for name, _ in _bulk_indexes():
        con.execute(f"DROP INDEX IF EXISTS {name}")


def _build_bulk_indexes_if_queued(con) -> None:
    if not con.execute("SELECT EXISTS (SELECT 1 FROM pending_refresh WHERE kind = ? AND key = ?)",
                       INDEXES).fetchone()[0]:
        return
    held = {name for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name, statement in _bulk_indexes():
        if name not in held:
            con.execute(statement)
    con.execute("DELETE FROM pending_refresh WHERE kind = ? AND key = ?", INDEXES)


def _fills_from_empty(con) -> bool:
    """Whether a refresh of the ledger file's plain tables starts with its quotations and
    sightings tables empty (a new ledger's first, an upgrade's): the time to drop their indexes."""
    in_memory = con.execute("SELECT EXISTS (SELECT 1 FROM sqlite_temp_master WHERE name = 'quotations')").fetchone()[0]
    return not in_memory and not con.execute("SELECT EXISTS (SELECT 1 FROM quotations) "
                                             "OR EXISTS (SELECT 1 FROM sightings)").fetchone()[0]


def queue(con, quote_ids: Iterable[str]) -> None:
    con.executemany("INSERT OR IGNORE INTO pending_refresh VALUES ('quotation', ?)", ((q,) for q in quote_ids))


def queue_everything(con) -> None:
    """Every quotation in the records, for a first build (an upgraded or in-memory ledger)."""
    con.execute("INSERT OR IGNORE INTO pending_refresh SELECT DISTINCT 'quotation', quote_id FROM sighting_records")
    con.execute("INSERT OR IGNORE INTO pending_refresh VALUES ('search', '')")


class ChangeLog:
    """The quotations one write transaction changed, for the refresh: each whose sighting was
    written or replaced, and each with a sighting in a story copy that was replaced. Rows merged
    unchanged (a document ingested again) queue nothing."""

    def __init__(self, con):
        self.con = con
        self.quotes: set = set()
        self.replaced_copies: set = set()

    def sighting_written(self, quote_id: str) -> None:
        self.quotes.add(quote_id)

    def copy_written(self, fingerprint: str, replaced: bool) -> None:
        """A new copy changes no quotation until its sightings are written (they queue themselves);
        a replaced one may be held by sightings written long ago."""
        if replaced:
            self.replaced_copies.add(fingerprint)

    def queue(self) -> None:
        if not (self.quotes or self.replaced_copies) or _everything_queued(self.con):
            return
        queue(self.con, self.quotes)
        for fingerprint in sorted(self.replaced_copies):        # rare: a full read of the records
            self.con.execute("INSERT OR IGNORE INTO pending_refresh SELECT DISTINCT 'quotation', quote_id "
                             "FROM sighting_records WHERE fingerprint = ?", (fingerprint,))


# ---------------------------------------------------------------------------------------------
# Refreshing: the queue drained in batches, each batch one transaction.
# ---------------------------------------------------------------------------------------------

def has_search_index(con) -> bool:
    """Whether search can use FTS5 now: SQLite has it, the index exists and is not waiting to be rebuilt."""
    if not fts5_available(con):
        return False
    exists = con.execute("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'quotations_fts') "
                         "OR EXISTS (SELECT 1 FROM sqlite_temp_master WHERE name = 'quotations_fts')").fetchone()[0]
    stale = con.execute("SELECT EXISTS (SELECT 1 FROM pending_refresh WHERE kind = 'search')").fetchone()[0]
    return bool(exists) and not stale


def pending(con) -> int:
    """Quotations the plain tables have not caught up with yet."""
    if _everything_queued(con):
        return con.execute("SELECT COUNT(DISTINCT quote_id) FROM sighting_records").fetchone()[0]
    return con.execute("SELECT COUNT(*) FROM pending_refresh WHERE kind = 'quotation'").fetchone()[0]


def refresh(ledger, transaction=None) -> int:
    """Drains the queue: quotations in batches, then articles, speakers and outlets, then the
    search index where FTS5 can be had. Returns the quotations refreshed. A crash between batches
    loses nothing: what is not done is still queued. transaction: the context manager each batch
    runs in (by default the ledger's write transaction)."""
    con = ledger.con
    transaction = transaction or ledger._transaction
    kinds = {kind for kind, in con.execute("SELECT DISTINCT kind FROM pending_refresh")}
    if EVERYTHING[0] in kinds:
        with transaction():
            _queue_everything_now(con)
        kinds = {kind for kind, in con.execute("SELECT DISTINCT kind FROM pending_refresh")}
    fts = fts5_available(con)
    if not kinds or kinds == {"search"} and not fts:
        return 0
    done = 0
    rebuild_index = fts and _cheaper_to_rebuild_index(con)
    fill_from_empty = _fills_from_empty(con)
    while True:
        with transaction():
            if rebuild_index:           # committed with the first batch: until the end, search scans
                con.execute("INSERT OR IGNORE INTO pending_refresh VALUES ('search', '')")
                rebuild_index = False
            if fill_from_empty:         # likewise: until the end, the tables are read without them
                _drop_bulk_indexes(con)
                fill_from_empty = False
            maintain_index = fts and not con.execute(
                "SELECT EXISTS (SELECT 1 FROM pending_refresh WHERE kind = 'search')").fetchone()[0]
            ids = [key for key, in con.execute(
                "SELECT key FROM pending_refresh WHERE kind = 'quotation' ORDER BY key LIMIT ?", (BATCH,))]
            if ids:
                _refresh_quotations(con, ids, maintain_index)
        if not ids:
            break
        done += len(ids)
    with transaction():
        _build_bulk_indexes_if_queued(con)      # the articles', outlets' and speakers' rows read by them
        if json_functions_available(con):
            _refresh_one_copy_articles(con)
        for kind, refresh_one in (("article", _refresh_article), ("outlet", _refresh_outlet)):
            for key, in con.execute("SELECT key FROM pending_refresh WHERE kind = ? ORDER BY key", (kind,)).fetchall():
                refresh_one(con, key)
            con.execute("DELETE FROM pending_refresh WHERE kind = ?", (kind,))
        _refresh_speakers(con)
        if fts:
            _rebuild_search_index_if_queued(con)
    return done


def _cheaper_to_rebuild_index(con) -> bool:
    """Whether the search index is better built again in one pass at the end than kept up to date
    batch by batch: when more quotations are queued than the table holds (a first ingest, a
    large one). One pass costs about half as much CPU per quotation, and reads every quotation."""
    queued = pending(con)
    return queued > 0 and queued > con.execute("SELECT COUNT(*) FROM quotations").fetchone()[0]


def _rebuild_search_index_if_queued(con) -> None:
    """The search index built afresh from the quotations table (one statement), if queued."""
    if not con.execute("SELECT EXISTS (SELECT 1 FROM pending_refresh WHERE kind = 'search')").fetchone()[0]:
        return
    schema = "temp." if con.execute("SELECT EXISTS (SELECT 1 FROM sqlite_temp_master "
                                    "WHERE name = 'quotations')").fetchone()[0] else ""
    con.execute(f"DROP TABLE IF EXISTS {schema}quotations_fts")
    con.execute(_FTS.format(schema=schema))
    con.execute("INSERT INTO quotations_fts (quotations_fts) VALUES ('rebuild')")
    con.execute("DELETE FROM pending_refresh WHERE kind = 'search'")


def _queue_touched(con) -> None:
    """The articles, speakers and outlets of the batch's quotations, as their rows stand now."""
    con.execute("INSERT OR IGNORE INTO pending_refresh SELECT 'speaker', speaker_key FROM quotations "
                "WHERE id IN (SELECT id FROM refresh_batch) AND speaker_key IS NOT NULL")
    con.execute("INSERT OR IGNORE INTO pending_refresh SELECT DISTINCT 'outlet', outlet FROM sightings "
                "WHERE quotation IN (SELECT id FROM refresh_batch) AND outlet IS NOT NULL")
    con.execute("INSERT OR IGNORE INTO pending_refresh SELECT DISTINCT 'article', article FROM sightings "
                "WHERE quotation IN (SELECT id FROM refresh_batch)")


def _refresh_quotations(con, ids: list, maintain_index: bool) -> None:
    con.execute("CREATE TEMP TABLE IF NOT EXISTS refresh_batch (id TEXT PRIMARY KEY) WITHOUT ROWID")
    con.execute("DELETE FROM refresh_batch")
    con.executemany("INSERT INTO refresh_batch VALUES (?)", ((q,) for q in ids))
    _queue_touched(con)                   # what the old rows touched (a speaker may lose a quotation)
    if maintain_index:
        con.execute("DELETE FROM quotations_fts WHERE rowid IN "
                    "(SELECT rowid FROM quotations WHERE id IN (SELECT id FROM refresh_batch))")
    else:
        con.execute("INSERT OR IGNORE INTO pending_refresh VALUES ('search', '')")
    con.execute("DELETE FROM sightings WHERE quotation IN (SELECT id FROM refresh_batch)")
    found = _rows_by_sql(con) if json_functions_available(con) else _rows_by_python(con)
    con.executemany("DELETE FROM quotations WHERE id = ?", [(q,) for q in ids if q not in found])
    if maintain_index:
        con.execute("INSERT INTO quotations_fts (rowid, text, speaker) SELECT rowid, text, speaker FROM quotations "
                    "WHERE id IN (SELECT id FROM refresh_batch)")
    _queue_touched(con)                   # and what the new rows touch
    con.execute("DELETE FROM pending_refresh WHERE kind = 'quotation' AND key IN (SELECT id FROM refresh_batch)")


def json_functions_available(con) -> bool:
    """Whether SQLite has its JSON functions (built in since 3.38, and in nearly every build before)."""
    try:
        con.execute("SELECT json_extract('{}', '$')").fetchone()
        return True
    except Exception:  # noqa: BLE001 - sqlite3.OperationalError: no such function
        return False


# A hop's role as canonical JSON writes it: most records have no republisher, and a plain search
# of the text spares reading their source chain (a quotation's own words cannot hold the mark
# unescaped, so it never matches where it should not; at worst the chain is read for nothing).
_ROLE_MARK = '"role":"%s"'
_VIA = f"""
CASE WHEN ({' OR '.join(f"instr(s.record, '{_ROLE_MARK % role}')" for role in VIA_ROLES)}) AND json_valid(s.record) THEN
    (SELECT group_concat(name, ' / ') FROM (
         SELECT json_extract(hop.value, '$.name') AS name FROM json_each(s.record, '$.source_chain') AS hop
         WHERE json_extract(hop.value, '$.role') IN ({', '.join(repr(r) for r in VIA_ROLES)})
           AND json_extract(hop.value, '$.name') != '' ORDER BY hop.key)) END"""
# The batch's sightings whose records can be read: a damaged row (see ledger_rows) is left out of
# the plain tables as export leaves it out of the entries, and never stops the refresh. SQLite
# (before 3.45) parses a record again for every json_extract, and several statements want a
# sighting's fields: so each record is parsed once here, its fields taken in one json_extract (a
# short JSON array) and kept as columns of the batch's temporary table. MATERIALIZED keeps SQLite
# from copying that extraction into each column (3.35+; an older SQLite gives the same rows, slower).
_MATERIALIZED = "MATERIALIZED" if sqlite3.sqlite_version_info >= (3, 35) else ""
_SIGHTING_FIELDS = ("text", "kind", "speaker", "article.id", "confidence", "paragraph", "cue",
                    "secondary_source.description")
_FILL_SOUND_SIGHTINGS = f"""
WITH read AS {_MATERIALIZED} (
    SELECT s.quote_id, s.id, s.fingerprint, {_VIA} AS via,
           CASE WHEN json_valid(s.record) THEN json_extract(s.record, {', '.join(f"'$.{f}'" for f in _SIGHTING_FIELDS)}) END AS f
    FROM refresh_batch b CROSS JOIN sighting_records s ON s.quote_id = b.id)
INSERT INTO refresh_sightings
SELECT quote_id, id, fingerprint, via, json_extract(f, '$[0]'), json_extract(f, '$[1]'), json_extract(f, '$[2].name'),
       json_extract(f, '$[2].kind'), json_extract(f, '$[2].role'), json_extract(f, '$[2].organization'),
       json_extract(f, '$[3]'), json_extract(f, '$[4]'), json_extract(f, '$[5]'), json_extract(f, '$[6]'),
       json_extract(f, '$[7]')
FROM read
WHERE json_type(f, '$[0]') = 'text' AND json_type(f, '$[1]') = 'text' AND json_type(f, '$[2].kind') = 'text'
  AND json_type(f, '$[3]') = 'text' AND json_type(f, '$[2].name') IN ('text', 'null')
  AND json_type(f, '$[4]') IN ('real', 'integer')"""
_REFRESH_SIGHTINGS = ("CREATE TEMP TABLE IF NOT EXISTS refresh_sightings (quote_id TEXT, id TEXT, fingerprint TEXT, "
                      "via, text, kind, speaker, speaker_kind, speaker_role, speaker_organization, article_id, "
                      "confidence, paragraph, cue, according_to, PRIMARY KEY (quote_id, id)) WITHOUT ROWID")
# The batch's story copies with their fields read once each (a story's quotations share its copy).
_COPY_FIELDS = ("publisher.outlet", "publisher.organization", "publisher.edition", "published", "url", "document",
                "headline")
_FILL_COPIES = f"""
WITH read AS {_MATERIALIZED} (
    SELECT c.fingerprint, c.article_id,
           CASE WHEN json_valid(c.record) AND json_type(c.record) = 'object'
                THEN json_extract(c.record, {', '.join(f"'$.{f}'" for f in _COPY_FIELDS)}) END AS f
    FROM article_copies c
    WHERE c.fingerprint IN (SELECT fingerprint FROM refresh_sightings))
INSERT INTO refresh_copies
SELECT fingerprint, article_id, {', '.join(f"json_extract(f, '$[{n}]')" for n in range(len(_COPY_FIELDS)))}
FROM read WHERE f IS NOT NULL"""
# What choosing a quotation's words and speaker needs of each sighting, and what its counts need.
_SIGHTING_FACTS = """
SELECT s.quote_id, s.id, r.record, s.speaker, s.confidence, s.kind, c.published, c.outlet,
       COALESCE(c.article_id, s.article_id), s.text, s.speaker_kind, s.speaker_role, s.speaker_organization
FROM refresh_several b JOIN refresh_sightings s ON s.quote_id = b.id
JOIN sighting_records r ON r.quote_id = s.quote_id AND r.id = s.id LEFT JOIN refresh_copies c ON c.fingerprint = s.fingerprint
ORDER BY s.quote_id, s.id"""
# A quotation seen once (most are) takes that sighting's words and speaker: its row in one
# statement, as quotation_row would make it (a date or outlet given as "" counts as none).
_PUT_SEEN_ONCE = f"""
INSERT INTO quotations ({', '.join(QUOTATION_COLUMNS)})
SELECT quote_id, text, kind, speaker, speaker_kind, speaker_role, speaker_organization, ql_speaker_key(speaker),
       day, day, outlet, 1, 1, outlet IS NOT NULL
FROM (SELECT s.quote_id, s.text, s.kind, s.speaker, s.speaker_kind, s.speaker_role, s.speaker_organization,
             substr(NULLIF(c.published, ''), 1, 10) AS day, NULLIF(c.outlet, '') AS outlet
      FROM refresh_sightings s LEFT JOIN refresh_copies c ON c.fingerprint = s.fingerprint
      WHERE s.quote_id NOT IN (SELECT id FROM refresh_several))
WHERE true ON CONFLICT (id) DO UPDATE SET """ + ", ".join(f"{c} = excluded.{c}" for c in QUOTATION_COLUMNS[1:])
_FILL_SIGHTINGS = f"""
INSERT INTO sightings ({', '.join(SIGHTING_COLUMNS)})
SELECT s.quote_id, s.id, COALESCE(c.article_id, s.article_id), s.fingerprint, c.outlet, c.publisher, c.edition, s.via,
       c.published, c.url, c.document, c.headline, s.paragraph, s.cue, s.confidence, s.speaker, s.kind, s.according_to,
       NULLIF(s.text, q.text)
FROM refresh_sightings s JOIN quotations q ON q.id = s.quote_id
LEFT JOIN refresh_copies c ON c.fingerprint = s.fingerprint"""


def _rows_by_sql(con) -> set:
    """The batch's rows with SQLite reading the JSON: Python sees a few fields of each sighting
    (to choose the words and speaker as export does) and parses one record a quotation. Five
    times faster than parsing every record in Python, which matters at the end of a long ingest.
    Returns the quotations found."""
    from .ledger import best_sighting, speaker_key    # ledger imports this module: resolved at call time

    con.execute(_REFRESH_SIGHTINGS)
    con.execute("DELETE FROM refresh_sightings")
    con.execute(_FILL_SOUND_SIGHTINGS)
    con.execute("CREATE TEMP TABLE IF NOT EXISTS refresh_copies (fingerprint TEXT PRIMARY KEY, article_id, outlet, "
                "publisher, edition, published, url, document, headline) WITHOUT ROWID")
    con.execute("DELETE FROM refresh_copies")
    con.execute(_FILL_COPIES)
    seen = con.execute("SELECT quote_id, COUNT(*) FROM refresh_sightings GROUP BY quote_id").fetchall()
    con.execute("CREATE TEMP TABLE IF NOT EXISTS refresh_several (id TEXT PRIMARY KEY) WITHOUT ROWID")
    con.execute("DELETE FROM refresh_several")
    con.executemany("INSERT INTO refresh_several VALUES (?)", ((q,) for q, n in seen if n > 1))
    con.create_function("ql_speaker_key", 1, speaker_key, deterministic=True)
    con.execute(_PUT_SEEN_ONCE)
    found = {q for q, _ in seen}
    rows = []
    for quote_id, group in groupby(con.execute(_SIGHTING_FACTS).fetchall(), key=lambda row: row[0]):
        facts = list(group)
        # best_sighting reads a sighting's speaker name, confidence and kind, and its canonical
        # text for the last tie: given just those, it makes export's choice. The chosen one's
        # words and speaker are the fields read from its record already (the record's own values).
        pairs = [(fact[2], {"speaker": {"name": fact[3]}, "confidence": fact[4], "kind": fact[5]}) for fact in facts]
        chosen = best_sighting(pairs)
        fact = next(fact for fact, (_, light) in zip(facts, pairs) if light is chosen)
        best = {"text": fact[9], "kind": fact[5],
                "speaker": {"name": fact[3], "kind": fact[10], "role": fact[11], "organization": fact[12]}}
        rows.append(quotation_row(quote_id, best, [(f[1], f[6], f[7], f[8]) for f in facts]))
    con.executemany(_UPSERT_QUOTATION, rows)
    con.execute(_FILL_SIGHTINGS)
    return found


def _rows_by_python(con) -> set:
    """The batch's rows with Python reading every record: where SQLite lacks its JSON functions."""
    rows = con.execute("SELECT s.quote_id, s.id, s.record, c.record FROM refresh_batch b CROSS "
                       "JOIN sighting_records s ON s.quote_id = b.id "
                       "LEFT JOIN article_copies c ON c.fingerprint = s.fingerprint ORDER BY s.quote_id, s.id").fetchall()
    rows = [(q, sid, record, copy if _loads_object(copy) else None) for q, sid, record, copy in rows
            if _sound_sighting(record)]
    articles: dict = {}                   # copy text -> parsed: a story's quotations share its copy
    found = set()
    for quote_id, group in groupby(rows, key=lambda row: row[0]):
        quotation, sightings = quotation_rows(quote_id, [row[1:] for row in group], articles)
        con.execute(_UPSERT_QUOTATION, quotation)
        con.executemany(_INSERT_SIGHTING, sightings)
        found.add(quote_id)
    return found


def _loads_object(text):
    """The JSON object a record holds, or None when it is damaged (not JSON, or not an object)."""
    try:
        value = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _sound_sighting(text) -> bool:
    """What _FILL_SOUND_SIGHTINGS asks of a sighting record, asked in Python."""
    record = _loads_object(text)
    speaker = record.get("speaker") if record else None
    return (isinstance(speaker, dict) and isinstance(record.get("text"), str) and isinstance(record.get("kind"), str)
            and isinstance(speaker.get("kind"), str) and isinstance(speaker.get("name", ""), (str, type(None)))
            and isinstance((record.get("article") or {}).get("id") if isinstance(record.get("article"), dict) else None, str)
            and isinstance(record.get("confidence"), (int, float)) and not isinstance(record.get("confidence"), bool))


def _date(value):
    return value[:10] if value else None


def journey_order(published, outlet, sighting_id) -> tuple:
    """Sightings in the order a quotation travelled: by publication time, undated last."""
    return (published is None, published or "", outlet or "", sighting_id)


def quotation_rows(quote_id: str, sightings: list, articles: dict) -> tuple:
    """The quotations row and the sightings rows of one quotation. sightings: (sighting id,
    canonical sighting, canonical story copy or None when the ledger lost it) in id order."""
    loaded = []
    for sighting_id, text, copy_text in sightings:
        sighting = json.loads(text)
        if copy_text is None:
            article = {"id": sighting["article"]["id"], "fingerprint": sighting["article"]["fingerprint"]}
        else:
            article = articles.get(copy_text)
            if article is None:
                article = articles[copy_text] = json.loads(copy_text)
        loaded.append((sighting_id, text, sighting, article))
    return rows_of_loaded(quote_id, loaded)


def rows_of_loaded(quote_id: str, sightings: list) -> tuple:
    """quotation_rows, given its sightings parsed: (sighting id, canonical sighting, the sighting
    parsed, its story copy parsed), in id order."""
    best = sightings[0][2] if len(sightings) == 1 else _ledger.best_sighting(
        [(text, sighting) for _, text, sighting, _ in sightings])
    best_text = best["text"]
    rows = []
    for sighting_id, _, sighting, article in sightings:
        publisher = article.get("publisher") or {}
        secondary = sighting.get("secondary_source")
        via = [hop["name"] for hop in sighting.get("source_chain") or () if hop["role"] in VIA_ROLES and hop["name"]]
        text = sighting["text"]
        rows.append((quote_id, sighting_id, article["id"], article["fingerprint"], publisher.get("outlet"),
                     publisher.get("organization"), publisher.get("edition"), " / ".join(via) or None,
                     article.get("published"), article.get("url"), article.get("document"), article.get("headline"),
                     sighting.get("paragraph"), sighting.get("cue"), sighting.get("confidence"),
                     sighting["speaker"]["name"], sighting.get("kind"),
                     secondary["description"] if secondary else None, text if text != best_text else None))
    return quotation_row(quote_id, best, [(r[1], r[8], r[4], r[2]) for r in rows]), rows


class MergedRows:
    """The plain rows of whole quotations a merge brings into a ledger whose plain tables hold
    none of them yet, made from the records the merge has just checked and parsed (the refresh
    would read and parse them all again): as _rows_by_python makes them. add() each quotation once,
    with all its sightings; a quotation given again is left to the refresh. The articles, speakers,
    outlets and the search index they touch are queued for it."""

    def __init__(self, con, changes: "ChangeLog", batch: int = 0):
        self.con, self.changes, self.batch = con, changes, batch or BATCH
        # The ledger holds no records: EVERYTHING stands for none, and this merge accounts for
        # each quotation it brings (made here, or queued by the change log).
        con.execute("DELETE FROM pending_refresh WHERE kind = ? AND key = ?", EVERYTHING)
        # The tables fill from empty in this transaction: their indexes are built at the end (see
        # INDEXES; the refresh that follows builds them if this merge does not get to close).
        _drop_bulk_indexes(con)
        self.done: set = set()
        self.quotations: list = []
        self.sightings: list = []

    def add(self, quote_id: str, sightings: list) -> None:
        """sightings: as rows_of_loaded's, each with its story copy."""
        if quote_id in self.done:                  # not grouped by quotation: the refresh does it whole
            self.changes.sighting_written(quote_id)
            return
        self.done.add(quote_id)
        quotation, rows = rows_of_loaded(quote_id, sightings)
        self.quotations.append(quotation)
        self.sightings.extend(rows)
        if len(self.quotations) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.quotations:
            return
        con = self.con
        con.executemany(_UPSERT_QUOTATION, self.quotations)
        con.executemany(_INSERT_SIGHTING, self.sightings)
        con.executemany("INSERT OR IGNORE INTO pending_refresh VALUES (?, ?)", sorted(
            {("speaker", q[7]) for q in self.quotations if q[7] is not None}
            | {("article", s[2]) for s in self.sightings} | {("outlet", s[4]) for s in self.sightings if s[4] is not None}))
        con.execute("INSERT OR IGNORE INTO pending_refresh VALUES ('search', '')")
        self.quotations, self.sightings = [], []

    def close(self) -> None:
        """The last rows written and the indexes built again: call once, after the last add."""
        self.flush()
        _build_bulk_indexes_if_queued(self.con)


def quotation_row(quote_id: str, best: dict, sightings: list) -> tuple:
    """The quotations row: words and speaker from the chosen sighting `best`, dates and counts
    from its sightings, given as (sighting id, published, outlet, article id)."""
    speaker = best["speaker"]
    head = (quote_id, best["text"], best["kind"], speaker["name"], speaker["kind"], speaker.get("role"),
            speaker.get("organization"), _ledger.speaker_key(speaker["name"]))
    if len(sightings) == 1:              # most quotations: one sighting, its date and outlet
        _, published, outlet, _ = sightings[0]
        day = _date(published)
        return head + (day, day, outlet or None, 1, 1, 1 if outlet else 0)
    dates = [_date(s[1]) for s in sightings if s[1]]
    travelled = [s for s in sightings if s[2]]
    first = min(travelled, key=lambda s: journey_order(s[1], s[2], s[0]))[2] if travelled else None
    return head + (min(dates, default=None), max(dates, default=None), first, len(sightings),
                   len({s[3] for s in sightings}), len({s[2] for s in travelled}))


def _most_often(values: Iterable):
    """The value given most often (None never wins over a value), ties to the smallest."""
    given = [v for v in values if v is not None and v != ""]
    if len(given) < 2:                   # most articles have one copy: nothing to count
        return given[0] if given else None
    counts = Counter(given)
    return min(counts, key=lambda v: (-counts[v], v))


# The queued articles read from one story copy (most are) whose fields have the types the schemas
# give them, in three statements: a single copy's value is the one given most often (an empty one
# none), as _most_often has it. The others (several copies, or a copy of another shape) are left
# queued for _refresh_article.
_SCALAR = "IFNULL(json_type(c.record, '$.{field}'), 'null') IN ('text', 'null')"
_FILL_ONE_COPY_ARTICLES = f"""
INSERT INTO refresh_articles
SELECT c.article_id, c.record FROM pending_refresh p JOIN article_copies c ON c.article_id = p.key
WHERE p.kind = 'article'
  AND NOT EXISTS (SELECT 1 FROM article_copies o WHERE o.article_id = c.article_id AND o.fingerprint != c.fingerprint)
  AND json_valid(c.record) AND json_type(c.record) = 'object'
  AND {' AND '.join(_SCALAR.format(field=f) for f in ('headline', 'published', 'url', 'section', 'publisher.outlet',
                                                           'publisher.organization', 'publisher.edition'))}
  AND IFNULL(json_type(c.record, '$.publisher'), 'null') IN ('object', 'null')
  AND IFNULL(json_type(c.record, '$.byline'), 'null') IN ('array', 'null')
  AND NOT EXISTS (SELECT 1 FROM json_each(c.record, '$.byline') WHERE type != 'text')"""
_PUT_ONE_COPY_ARTICLES = """
INSERT OR REPLACE INTO articles
SELECT a.id, NULLIF(json_extract(a.record, '$.headline'), ''), NULLIF(json_extract(a.record, '$.publisher.outlet'), ''),
       NULLIF(json_extract(a.record, '$.publisher.organization'), ''),
       NULLIF(json_extract(a.record, '$.publisher.edition'), ''), NULLIF(json_extract(a.record, '$.published'), ''),
       NULLIF(json_extract(a.record, '$.url'), ''),
       CASE WHEN json_type(a.record, '$.byline') = 'array' THEN NULLIF((SELECT group_concat(value, ', ') FROM (
           SELECT value FROM json_each(a.record, '$.byline') ORDER BY key)), '') END,
       NULLIF(json_extract(a.record, '$.section'), ''), 1, n.quotations, n.sightings
FROM refresh_articles a
JOIN (SELECT article, COUNT(DISTINCT quotation) AS quotations, COUNT(*) AS sightings FROM sightings
      WHERE article IN (SELECT id FROM refresh_articles) GROUP BY article) n ON n.article = a.id"""


def _refresh_one_copy_articles(con) -> None:
    """The queued articles of one story copy (see _FILL_ONE_COPY_ARTICLES), taken off the queue."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS refresh_articles (id TEXT PRIMARY KEY, record) WITHOUT ROWID")
    con.execute("DELETE FROM refresh_articles")
    con.execute(_FILL_ONE_COPY_ARTICLES)
    con.execute(_PUT_ONE_COPY_ARTICLES)
    con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM refresh_articles) "
                "AND NOT EXISTS (SELECT 1 FROM sightings WHERE article = articles.id)")
    con.execute("DELETE FROM pending_refresh WHERE kind = 'article' AND key IN (SELECT id FROM refresh_articles)")


def _refresh_article(con, article_id: str) -> None:
    copies = [json.loads(record) for record, in con.execute(
        "SELECT record FROM article_copies WHERE article_id = ? ORDER BY fingerprint", (article_id,))]
    quotations, sightings = con.execute("SELECT COUNT(DISTINCT quotation), COUNT(*) FROM sightings WHERE article = ?",
                                        (article_id,)).fetchone()
    if not copies or not sightings:
        con.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return
    pick = lambda get: _most_often(get(c) for c in copies)  # noqa: E731
    con.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        article_id, pick(lambda c: c.get("headline")), pick(lambda c: (c.get("publisher") or {}).get("outlet")),
        pick(lambda c: (c.get("publisher") or {}).get("organization")),
        pick(lambda c: (c.get("publisher") or {}).get("edition")), pick(lambda c: c.get("published")),
        pick(lambda c: c.get("url")), pick(lambda c: ", ".join(c.get("byline") or ())),
        pick(lambda c: c.get("section")), len(copies), quotations, sightings))


# A speaker's name, kind, role and organisation as its quotations give them most often (an empty
# value never wins, ties go to the smallest), as _most_often chooses: one statement for all the
# queued speakers, as most speakers are queued at the end of a long ingest.
_MOST_OFTEN = ("(SELECT v FROM (SELECT {column} AS v, COUNT(*) AS n FROM quotations WHERE speaker_key = k.key "
               "AND {column} IS NOT NULL AND {column} != '' GROUP BY v) ORDER BY n DESC, v LIMIT 1)")
_PUT_SPEAKERS = f"""
INSERT OR REPLACE INTO speakers
SELECT k.key, {_MOST_OFTEN.format(column='speaker')}, {_MOST_OFTEN.format(column='speaker_kind')},
       {_MOST_OFTEN.format(column='speaker_role')}, {_MOST_OFTEN.format(column='speaker_organization')},
       c.quotations, c.sightings,
       (SELECT COUNT(DISTINCT s.outlet) FROM quotations q JOIN sightings s ON s.quotation = q.id WHERE q.speaker_key = k.key),
       c.first_seen, c.last_seen
FROM pending_refresh k
JOIN (SELECT speaker_key, COUNT(*) AS quotations, SUM(sightings) AS sightings, MIN(first_seen) AS first_seen,
             MAX(last_seen) AS last_seen FROM quotations
      WHERE speaker_key IN (SELECT key FROM pending_refresh WHERE kind = 'speaker') GROUP BY speaker_key) c
  ON c.speaker_key = k.key
WHERE k.kind = 'speaker'"""


def _refresh_speakers(con) -> None:
    """The queued speakers' rows, from their quotations; a speaker left with none is removed."""
    con.execute("DELETE FROM speakers WHERE key IN (SELECT key FROM pending_refresh WHERE kind = 'speaker') "
                "AND key NOT IN (SELECT speaker_key FROM quotations WHERE speaker_key IN "
                "(SELECT key FROM pending_refresh WHERE kind = 'speaker'))")
    con.execute(_PUT_SPEAKERS)
    con.execute("DELETE FROM pending_refresh WHERE kind = 'speaker'")


def _refresh_outlet(con, name: str) -> None:
    sightings, quotations, articles, first, last = con.execute(
        "SELECT COUNT(*), COUNT(DISTINCT quotation), COUNT(DISTINCT article), MIN(substr(published, 1, 10)), "
        "MAX(substr(published, 1, 10)) FROM sightings WHERE outlet = ?", (name,)).fetchone()
    if not sightings:
        con.execute("DELETE FROM outlets WHERE name = ?", (name,))
        return
    speakers, = con.execute("SELECT COUNT(DISTINCT q.speaker_key) FROM sightings s JOIN quotations q "
                            "ON q.id = s.quotation WHERE s.outlet = ?", (name,)).fetchone()
    publisher = _most_often(p for p, in con.execute("SELECT publisher FROM sightings WHERE outlet = ?", (name,)))
    con.execute("INSERT OR REPLACE INTO outlets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, publisher, articles, quotations, sightings, speakers, first, last))


# ---------------------------------------------------------------------------------------------
# A ledger that cannot be written (read-only file, or format 1 opened read-only): the plain
# tables are built in this connection's memory from its records, shadowing the file's.
# ---------------------------------------------------------------------------------------------

def build_in_memory(ledger) -> int:
    con = ledger.con
    create(con, schema="temp.")
    con.execute("DELETE FROM temp.pending_refresh")
    con.execute("INSERT INTO temp.pending_refresh SELECT DISTINCT 'quotation', quote_id FROM sighting_records")
    con.execute("INSERT INTO temp.pending_refresh VALUES ('search', '')")
    return refresh(ledger, transaction=lambda: _plain_transaction(con))


class _plain_transaction:
    """BEGIN (not IMMEDIATE: the file is never written) ... COMMIT, for temp tables."""

    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.execute("BEGIN")
        return self.con

    def __exit__(self, exc_type, *_):
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
