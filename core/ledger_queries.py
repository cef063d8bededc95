"""The questions the reading commands (search, speakers, show) and the report ask of the ledger's
plain tables: quotations by their words, the speakers, one quotation's journey from outlet to
outlet with what changed in its words, and the totals. Plain SQL over ledger_tables' columns."""
from __future__ import annotations

import datetime
import difflib
import os
import re
import sqlite3
from dataclasses import dataclass
from typing import Optional

from . import ledger_tables
from .ids import normalise_words
from .ledger import Ledger, LedgerError

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class NotFound(Exception):
    """A quotation id (or outlet, or speaker) the ledger does not hold: the message says which."""


def open_for_reading(path: str) -> Ledger:
    """The ledger with its plain tables up to date: refreshed in place where the file can be
    written, built in this process's memory where it cannot (a read-only copy, a 0.1.0 ledger on
    a read-only mount). Raises LedgerError for a missing, unusable or empty ledger."""
    folder = os.path.dirname(os.path.abspath(path))
    writable = os.access(path, os.W_OK) and os.access(folder, os.W_OK)
    ledger = Ledger(path, readonly=not writable, create=False)
    try:
        if writable:
            ledger.refresh_tables()
        elif ledger.format < 2 or ledger_tables.pending(ledger.con):
            ledger_tables.build_in_memory(ledger)
        _register_functions(ledger.con)
        if not ledger.con.execute("SELECT EXISTS (SELECT 1 FROM quotations)").fetchone()[0]:
            raise LedgerError(f"{path}: the ledger holds no quotations yet (quoteledger ingest PAGES, "
                              f"or quoteledger demo for the built-in examples)")
    except sqlite3.Error as exc:
        ledger.close()
        raise LedgerError(f"{path}: cannot read the ledger's tables: {exc}") from exc
    except BaseException:
        ledger.close()
        raise
    return ledger


def _register_functions(con) -> None:
    con.create_function("ql_phrase_in", 2, phrase_in, deterministic=True)
    con.create_function("ql_name_matches", 2, name_matches, deterministic=True)


def phrase_in(text: Optional[str], phrase: str) -> bool:
    """Whether the words of `phrase` (already normalised) stand together in `text`, case, accents
    and punctuation aside: the LIKE-style search where SQLite lacks FTS5, as FTS5 reads a phrase."""
    return bool(text) and f" {phrase} " in f" {normalise_words(text)} "


def name_matches(name: Optional[str], query: str) -> bool:
    """Every word of `query` is a word of `name`: 'xi' finds Xi Jinping, 'bbc' finds BBC News."""
    if not name:
        return False
    words = set(normalise_words(name).split())
    return all(word in words for word in normalise_words(query).split())


def check_date(value: Optional[str], option: str) -> Optional[str]:
    """YYYY, YYYY-MM or YYYY-MM-DD; raises ValueError naming the option otherwise."""
    if value is None:
        return None
    if not DATE.match(value) or not _real_date(value):
        raise ValueError(f"{option} {value!r}: give a date as YYYY-MM-DD (or YYYY-MM, or YYYY)")
    return value


def _real_date(value: str) -> bool:
    """2025-02-30 or 2025-13 is no date: it would match nothing and look like an empty answer."""
    try:
        datetime.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
        return True
    except ValueError:
        return False


def _until_bound(value: str) -> str:
    # '2025-02' runs to the end of February: compare the first 10 characters against '2025-02\uffff'.
    return value if len(value) == 10 else value + "\uffff"


# ------------------------------------------------------------------------------------------ search

@dataclass
class SearchQuery:
    phrases: list                 # the words of each argument, normalised: each one a phrase
    speaker: Optional[str] = None
    outlet: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None


def phrases_of(arguments: list) -> list:
    """Each argument a phrase of normalised words; ValueError when there are no words at all."""
    phrases = [normalise_words(arg) for arg in arguments]
    phrases = [p for p in phrases if p]
    if not phrases:
        raise ValueError("give some words to search for (punctuation alone matches nothing)")
    return phrases


def search(con, query: SearchQuery, limit: Optional[int] = None, use_index: Optional[bool] = None) -> tuple:
    """(quotations matching, oldest first, at most `limit`; how many match in all). use_index:
    FTS5 (True) or the phrase scan (False); by default FTS5 where the ledger has its index."""
    if use_index is None:
        use_index = ledger_tables.has_search_index(con)
    where, params = [], []
    if use_index:
        where.append("q.rowid IN (SELECT rowid FROM quotations_fts WHERE quotations_fts MATCH ?)")
        params.append(" ".join('text : "' + phrase + '"' for phrase in query.phrases))
    else:
        for phrase in query.phrases:
            where.append("ql_phrase_in(q.text, ?)")
            params.append(phrase)
    if query.speaker:
        where.append("ql_name_matches(q.speaker, ?)")
        params.append(query.speaker)
    sighting_filters, sighting_params = _sighting_filters(query)
    if sighting_filters:
        where.append(f"EXISTS (SELECT 1 FROM sightings s WHERE s.quotation = q.id AND {' AND '.join(sighting_filters)})")
        params.extend(sighting_params)
    sql = (f"SELECT q.id, q.first_seen, q.sightings, q.outlets, q.speaker, q.speaker_role, q.text, q.kind, "
           f"q.first_outlet FROM quotations q WHERE {' AND '.join(where)} "
           f"ORDER BY q.first_seen IS NULL, q.first_seen, q.id")
    rows = con.execute(sql, params).fetchall()
    keys = ("id", "first_seen", "sightings", "outlets", "speaker", "speaker_role", "text", "kind", "first_outlet")
    found = [dict(zip(keys, row)) for row in rows]
    return (found if limit is None else found[:limit]), len(found)


def _sighting_filters(query) -> tuple:
    filters, params = [], []
    if query.outlet:
        filters.append("ql_name_matches(s.outlet, ?)")
        params.append(query.outlet)
    if query.since:
        filters.append("substr(s.published, 1, 10) >= ?")
        params.append(query.since)
    if query.until:
        filters.append("substr(s.published, 1, 10) <= ?")
        params.append(_until_bound(query.until))
    return filters, params


def matching_outlets(con, outlet: str) -> list:
    return [name for name, in con.execute("SELECT name FROM outlets WHERE ql_name_matches(name, ?) ORDER BY name",
                                          (outlet,))]


# ---------------------------------------------------------------------------------------- speakers

SPEAKER_KEYS = ("name", "kind", "role", "organization", "quotations", "sightings", "outlets", "first_seen", "last_seen")


def speakers(con, outlet: Optional[str] = None, limit: Optional[int] = None) -> list:
    """Speakers, most quoted first. With `outlet`, counted over that outlet's sightings alone."""
    if outlet is None:
        rows = con.execute("SELECT name, kind, role, organization, quotations, sightings, outlets, first_seen, "
                           "last_seen FROM speakers ORDER BY quotations DESC, sightings DESC, name")
    else:
        rows = con.execute(
            "SELECT sp.name, sp.kind, sp.role, sp.organization, COUNT(DISTINCT q.id), COUNT(*), "
            "COUNT(DISTINCT s.outlet), MIN(substr(s.published, 1, 10)), MAX(substr(s.published, 1, 10)) "
            "FROM sightings s JOIN quotations q ON q.id = s.quotation JOIN speakers sp ON sp.key = q.speaker_key "
            "WHERE ql_name_matches(s.outlet, ?) GROUP BY sp.key "
            "ORDER BY COUNT(DISTINCT q.id) DESC, COUNT(*) DESC, sp.name", (outlet,))
    out = [dict(zip(SPEAKER_KEYS, row)) for row in rows]
    return out if limit is None else out[:limit]


# ------------------------------------------------------------------------------------- the journey

def resolve_id(con, given: str) -> str:
    """The quotation id `given` names: itself, or the one id it begins (at least 6 characters,
    as git takes a short hash). Raises NotFound."""
    given = given.strip()
    if con.execute("SELECT 1 FROM quotations WHERE id = ?", (given,)).fetchone():
        return given
    if len(given) >= 6:
        found = [q for q, in con.execute("SELECT id FROM quotations WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                                         (given, given + "\uffff"))]
        if len(found) == 1:
            return found[0]
        if found:
            raise NotFound(f"{given} begins {len(found) if len(found) < 6 else 'several'} quotation ids "
                           f"({', '.join(found[:5])}...): give more of it")
    raise NotFound(f"no quotation {given} in this ledger (quoteledger search WORDS finds ids)")


SIGHTING_KEYS = ("id", "outlet", "publisher", "via", "published", "url", "document", "headline", "cue",
                 "confidence", "speaker", "according_to", "paragraph", "text")


def journey(con, quote_id: str) -> dict:
    """One quotation and every sighting of it in date order (undated last), each with its words
    and, from the second on, the word-level changes from the sighting before. Raises NotFound."""
    keys = ledger_tables.QUOTATION_COLUMNS
    row = con.execute(f"SELECT {', '.join(keys)} FROM quotations WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise NotFound(f"no quotation {quote_id} in this ledger")
    quotation = dict(zip(keys, row))
    sightings = [dict(zip(SIGHTING_KEYS, r)) for r in con.execute(
        f"SELECT {', '.join(SIGHTING_KEYS)} FROM sightings WHERE quotation = ?", (quote_id,))]
    sightings.sort(key=lambda s: ledger_tables.journey_order(s["published"], s["outlet"], s["id"]))
    previous = None
    for sighting in sightings:
        sighting["words_differ"] = sighting["text"] is not None
        sighting["text"] = sighting["text"] if sighting["text"] is not None else quotation["text"]
        sighting["changes"] = None if previous is None else word_changes(previous, sighting["text"])
        previous = sighting["text"]
    quotation["journey"] = sightings
    return quotation


def word_changes(before: str, after: str) -> list:
    """The word-level diff of two wordings: [[op, words before, words after]] with op one of
    'same', 'replaced', 'removed', 'added'. An empty list when the words are identical."""
    a, b = before.split(), after.split()
    if a == b:
        return []
    ops = []
    names = {"equal": "same", "replace": "replaced", "delete": "removed", "insert": "added"}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        ops.append([names[tag], " ".join(a[i1:i2]), " ".join(b[j1:j2])])
    return ops


# ------------------------------------------------------------------------------------------ totals

def totals(con) -> dict:
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    return {"quotations": one("SELECT COUNT(*) FROM quotations"),
            "sightings": one("SELECT COUNT(*) FROM sightings"),
            "articles": one("SELECT COUNT(*) FROM articles"),
            "speakers": one("SELECT COUNT(*) FROM speakers"),
            "outlets": one("SELECT COUNT(*) FROM outlets"),
            "seen_more_than_once": one("SELECT COUNT(*) FROM quotations WHERE sightings > 1"),
            "in_several_outlets": one("SELECT COUNT(*) FROM quotations WHERE outlets > 1"),
            "first_seen": one("SELECT MIN(first_seen) FROM quotations"),
            "last_seen": one("SELECT MAX(last_seen) FROM quotations")}


def top_outlets(con, limit: Optional[int] = None) -> list:
    keys = ("name", "publisher", "articles", "quotations", "sightings", "speakers", "first_seen", "last_seen")
    rows = con.execute(f"SELECT {', '.join(keys)} FROM outlets ORDER BY quotations DESC, sightings DESC, name"
                       + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
    return [dict(zip(keys, row)) for row in rows]


def who_quotes_whom(con, outlets: list, speaker_keys: list) -> dict:
    """{(outlet, speaker key): quotations by that speaker the outlet carried}, for the outlets and
    speakers given (the report's table of the most quoted)."""
    if not outlets or not speaker_keys:
        return {}
    rows = con.execute(
        f"SELECT s.outlet, q.speaker_key, COUNT(DISTINCT q.id) FROM sightings s JOIN quotations q ON q.id = s.quotation "
        f"WHERE s.outlet IN ({', '.join('?' * len(outlets))}) AND q.speaker_key IN ({', '.join('?' * len(speaker_keys))}) "
        f"GROUP BY s.outlet, q.speaker_key", (*outlets, *speaker_keys))
    return {(outlet, key): n for outlet, key, n in rows}
