"""The quote ledger: every sighting of every quotation, kept in SQLite and merged by content-derived ids.

The ledger stores two sets keyed by id and nothing else: story copies (an article as read from one
document, keyed by its fingerprint) and quotation sightings (keyed by sighting id). Merging two
ledgers is the union of those sets; when both hold the same key, the smaller canonical JSON wins.
That rule is associative, commutative and idempotent, so ingesting in any order, twice, or on many
workers whose partial ledgers are merged afterwards gives the same ledger. Ledger entries (one
quotation with all its sightings, ledger-entry.schema.json) are computed from the sets at export,
never stored, so no choice ever depends on which document came first.
"""
from __future__ import annotations

import json
import os
import sqlite3
import struct
import tempfile
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Mapping, Optional
from urllib.parse import quote

from . import SCHEMA_VERSION, __version__
from . import ledger_tables
from .validtext import one_line
from .ledger_rows import DamagedRow, copy_row_name, load_copy, load_sighting, shown_key, sighting_row_name, words_of

APPLICATION_ID = 0x51544C47          # "QTLG" in the SQLite header: marks a file as a quoteledger ledger
LEDGER_FORMAT = 2                    # the table layout; a ledger with a higher number is refused
# 1: the records alone (sightings, article_copies; quoteledger 0.1.0). 2: the records' sightings
# table renamed sighting_records, beside the plain tables of ledger_tables. A format 1 ledger is
# upgraded in place when opened for writing, and read as it is when opened read-only.
DEFAULT_BUSY_TIMEOUT = 60.0          # seconds a writer waits for another writer's document to commit
SQLITE_MAGIC = b"SQLite format 3\x00"
KIND_RANK = {"full": 0, "continuation": 1, "partial": 2, "scare": 3}
# How a ledger's text is read: bytes that are not UTF-8 (a damaged file) become lone surrogates,
# which the row checks report, where sqlite3's own decoding would end the whole read.
_READ_TEXT = partial(str, encoding="utf-8", errors="surrogateescape")

# Both record tables are rowid tables (rows in the order written, their keys in an index), not
# WITHOUT ROWID tables clustered by key as ledgers made before 2026-12-08 have them. A record is
# some 400 to 600 bytes, and a B-tree clustered by key keeps whole rows in its inner pages too
# (five to a page, a tree six deep): each document written scattered its sightings over random
# pages that split often, some 49 pages of 4 KB written to the WAL for a document of 12 sightings,
# now about 24 (the key index's leaves and the table's last pages). The SQL is the same for both
# layouts, so a ledger of either kind is read and written as it is.
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- One row per copy of a story as read (an article sighting): the article as quote records carry it.
CREATE TABLE article_copies (
    fingerprint TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX article_copies_by_article ON article_copies (article_id);
-- One row per sighting of a quotation: the quote record, its article reduced to {id, fingerprint}.
-- Read by quotation through its key (quote_id, id), so export takes each entry's sightings
-- together. The id alone is unique too (it hashes the quote id with the copy and span), so no
-- second index is needed.
CREATE TABLE sighting_records (
    quote_id    TEXT NOT NULL,
    id          TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    record      TEXT NOT NULL,
    PRIMARY KEY (quote_id, id)
);
"""

# The merge rule in SQL, the same as merge_keyed's: on a shared key keep the smaller canonical JSON.
# SQLite compares TEXT with memcmp on UTF-8 and Python compares str by code point: the same order.
_PUT_COPY = ("INSERT INTO article_copies (fingerprint, article_id, record) VALUES (?, ?, ?) "
             "ON CONFLICT (fingerprint) DO UPDATE SET article_id = excluded.article_id, record = excluded.record "
             "WHERE excluded.record < article_copies.record")
_PUT_SIGHTING = ("INSERT INTO sighting_records (id, quote_id, fingerprint, record) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (quote_id, id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                 "record = excluded.record WHERE excluded.record < sighting_records.record")

# A sighting the ledger does not hold yet; one it holds is left for the merge rule (rowcount 0).
_ADD_SIGHTING = ("INSERT INTO sighting_records (id, quote_id, fingerprint, record) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (quote_id, id) DO NOTHING")

# What a merge reads of the row it meets in this ledger: the held record, a key column, and whether
# the ledger holds the article (copies) or the quotation (sightings) at all.
_HELD_COPY = ("SELECT c.record, c.article_id, EXISTS (SELECT 1 FROM article_copies WHERE article_id = ?2) "
              "FROM (SELECT 1) LEFT JOIN article_copies c ON c.fingerprint = ?1")
_HELD_SIGHTING = ("SELECT s.record, s.fingerprint, EXISTS (SELECT 1 FROM sighting_records WHERE quote_id = ?1) "
                  "FROM (SELECT 1) LEFT JOIN sighting_records s ON s.quote_id = ?1 AND s.id = ?2")


class LedgerError(Exception):
    """A ledger that cannot be used (corrupt, foreign, newer, damaged): the message names the file."""


def canonical_encoder() -> Callable[[object], str]:
    """json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")), the same
    text, with json's C encoder built once instead of on every call (JSONEncoder.encode builds it
    each time) and without its check for containers that hold themselves (a record is parsed
    JSON, or the pipeline's records, already encoded once: a cycle would end in RecursionError
    instead of ValueError). A sighting's record encodes in about 18% less time."""
    options = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        build = json.encoder.c_make_encoder(None, options.default, json.encoder.encode_basestring, None,
                                            ":", ",", True, False, True)
    except TypeError:                    # no C accelerator here, or another signature: the plain way
        return options.encode
    return lambda value: "".join(build(value, 0))


_CANONICAL = canonical_encoder()


def canonical(value) -> str:
    """The one JSON form a stored record has: equal content, equal bytes, on every machine."""
    return _CANONICAL(value)


# ---------------------------------------------------------------------------------------------
# The pure part: a ledger as two keyed sets, merged by key. SQLite below applies the same rule;
# a distributed run (extract on workers, reduce partial ledgers) can use PartialLedger directly.
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SplitRecord:
    """A quote record as the ledger keeps it: its story copy and its sighting, each canonical."""

    fingerprint: str
    article_id: str
    article: str
    sighting_id: str
    quote_id: str
    sighting: str


def split_record(record: Mapping, article_text: Optional[str] = None) -> SplitRecord:
    """Raises KeyError or TypeError for a record without the ids the ledger keys on.
    article_text: canonical(record["article"]) when the caller has it already."""
    article = record["article"]
    fingerprint, article_id = article["fingerprint"], article["id"]
    sighting = dict(record)
    sighting["article"] = {"id": article_id, "fingerprint": fingerprint}
    article_text = canonical(article) if article_text is None else article_text
    return SplitRecord(fingerprint, article_id, article_text, record["id"], record["quote_id"], canonical(sighting))


def split_records(records: Iterable[Mapping], texts: Optional[list] = None) -> list:
    """split_record over one document's records. Its stories' records share one article object,
    encoded once here, and the copies then share one string (pickled once, compared once).
    texts: canonical(record) of each record, when the caller has them: each sighting is then cut
    from its record's text instead of encoded again. Raises LedgerError for a record without the
    ids the ledger keys on."""
    articles: dict = {}             # id(article) -> canonical: the records keep each article alive
    parts = []
    try:
        for n, record in enumerate(records):
            known = articles.get(id(record["article"]))
            part = split_record(record, known) if texts is None else _split_text(record, known, texts[n])
            articles[id(record["article"])] = part.article
            parts.append(part)
    except (KeyError, TypeError) as exc:
        raise LedgerError(f"a record lacks the ids the ledger keys on ({exc})") from exc
    return parts


def _split_text(record: Mapping, article_text: Optional[str], record_text: str) -> SplitRecord:
    """split_record, given canonical(record). With sorted keys "article" comes first in a quote
    record's text, and the sighting differs from the record in that value alone: its text is the
    record's with the article's text swapped for {fingerprint, id}'s (a record whose text does not
    open with its article is encoded whole)."""
    article = record["article"]
    fingerprint, article_id = article["fingerprint"], article["id"]
    article_text = canonical(article) if article_text is None else article_text
    head = '{"article":' + article_text
    if not record_text.startswith(head):
        return split_record(record, article_text)
    sighting = '{"article":' + canonical({"fingerprint": fingerprint, "id": article_id}) + record_text[len(head):]
    return SplitRecord(fingerprint, article_id, article_text, record["id"], record["quote_id"], sighting)


def _field(text: str, *keys: str):
    """One key column from a row's JSON text, None when the text is damaged (the row's check then
    says how)."""
    try:
        value = json.loads(text)
        for key in keys:
            value = value[key]
        return value
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def merge_keyed(*parts: Mapping[str, str]) -> dict:
    """Union of keyed sets of canonical JSON; on a shared key the smaller text wins. Associative,
    commutative and idempotent, so partial ledgers can be reduced in any grouping and order."""
    merged: dict = {}
    for part in parts:
        for key, value in part.items():
            _keep_smaller(merged, key, value)
    return merged


def _keep_smaller(held: dict, key: str, value: str) -> None:
    if key not in held or value < held[key]:
        held[key] = value


@dataclass
class PartialLedger:
    """A ledger held in memory: story copies by fingerprint, sightings by id (values canonical JSON)."""

    copies: dict = field(default_factory=dict)
    sightings: dict = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: Iterable[Mapping]) -> "PartialLedger":
        copies: dict = {}
        sightings: dict = {}
        for part in map(split_record, records):
            _keep_smaller(copies, part.fingerprint, part.article)
            _keep_smaller(sightings, part.sighting_id, part.sighting)
        return cls(copies, sightings)

    def merge(self, other: "PartialLedger") -> "PartialLedger":
        return PartialLedger(merge_keyed(self.copies, other.copies), merge_keyed(self.sightings, other.sightings))

    def _copy_text(self, fingerprint: str) -> Optional[str]:
        row = self.con.execute("SELECT record FROM article_copies WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return row and row[0]

    def entries(self) -> Iterator[dict]:
        return compute_entries(self._groups)

    def _groups(self, with_articles: bool = True) -> Iterator[tuple]:
        rows = []
        for sid, sighting in self.sightings.items():
            loaded = json.loads(sighting)
            rows.append((loaded["quote_id"], sid, sighting,
                         self.copies[loaded["article"]["fingerprint"]] if with_articles else loaded))
        rows.sort(key=lambda row: row[:2])
        for quote_id, group in groupby(rows, key=lambda row: row[0]):
            yield quote_id, [(sighting, second) for _, _, sighting, second in group]


# ---------------------------------------------------------------------------------------------
# From sightings to ledger entries: deterministic choices, containment links.
# ---------------------------------------------------------------------------------------------

def speaker_key(name: Optional[str]) -> Optional[str]:
    """Case and spacing do not make a different speaker; None is 'unknown'."""
    return " ".join(name.casefold().split()) or None if name else None


def _millis(confidence) -> int:
    # Whole thousandths: sums of floats depend on the order they are added in, sums of ints do not.
    return round(float(confidence) * 1000)


def best_sighting(sightings: list) -> dict:
    """The sighting whose speaker, kind and words the entry takes. A known speaker beats unknown;
    among known speakers the one with the most confidence summed over sightings, then the single
    most confident, then the name; within that speaker the most confident sighting, then the
    fullest kind, then the smallest canonical JSON. Never the order sightings arrived in.
    sightings: [(canonical JSON, parsed dict)]."""
    votes: dict = {}
    read = []                       # (speaker key, thousandths, pair): each sighting read once
    for pair in sightings:
        sighting = pair[1]
        key = speaker_key(sighting["speaker"]["name"])
        millis = _millis(sighting["confidence"])
        read.append((key, millis, pair))
        total, most = votes.get(key, (0, 0))
        votes[key] = (total + millis, max(most, millis))
    winner = next(iter(votes)) if len(votes) == 1 else min(
        votes, key=lambda k: (k is None, -votes[k][0], -votes[k][1], k or ""))
    _, _, (_, best) = min((entry for entry in read if entry[0] == winner),
                          key=lambda entry: (-entry[1], KIND_RANK.get(entry[2][1]["kind"], 9), entry[2][0]))
    return best


def containment(summaries: Iterable[tuple]) -> dict:
    """{quote id: sorted ids of fuller quotations by the same known speaker whose words hold its
    words as a run}. summaries: (quote id, speaker key, normalised words)."""
    by_speaker: dict = {}
    for quote_id, key, words in summaries:
        if key is not None and words:
            by_speaker.setdefault(key, []).append((quote_id, words))
    links: dict = {}
    for quotations in by_speaker.values():
        for quote_id, holders in _contained(quotations).items():
            links[quote_id] = sorted(holders)
    return links


def _contained(quotations: list) -> dict:
    """{quote id: ids of the fuller quotations holding its words as a run}, among one speaker's
    quotations [(quote id, normalised words)]. Every quotation is a pattern of one Aho-Corasick
    automaton over words, and every quotation is then read through it once: time linear in the
    speaker's words plus the links found, whatever the words share. (Filing quotations under their
    first words and checking each filed one was quadratic when thousands open with the same words.)"""
    vocabulary: dict = {}
    patterns = [[vocabulary.setdefault(word, len(vocabulary)) for word in words.split()]
                for _, words in quotations]
    trie = _WordAutomaton(patterns, len(vocabulary))
    found: dict = {}
    for fuller_index, fuller in enumerate(patterns):
        for index in trie.patterns_in(fuller):
            if len(patterns[index]) < len(fuller):
                found.setdefault(quotations[index][0], set()).add(quotations[fuller_index][0])
    return found


class _WordAutomaton:
    """Aho-Corasick over word numbers. A node is an int; its child by a word is looked up in one
    dict keyed node * vocabulary + word (a dict per node would cost far more memory)."""

    def __init__(self, patterns: list, vocabulary: int):
        self.width = max(1, vocabulary)
        self.children: dict = {}
        parent, word, depth = array("q", [0]), array("q", [0]), array("q", [0])
        self.ends: dict = {}                       # node -> indexes of the patterns spelt up to it
        for index, pattern in enumerate(patterns):
            node = 0
            for w in pattern:
                key = node * self.width + w
                child = self.children.get(key)
                if child is None:
                    child = self.children[key] = len(parent)
                    parent.append(node)
                    word.append(w)
                    depth.append(depth[node] + 1)
                node = child
            self.ends.setdefault(node, []).append(index)
        self.fail = array("q", bytes(8 * len(parent)))
        self.output = array("q", bytes(8 * len(parent)))   # nearest node down the fail links that ends a pattern
        for node in sorted(range(1, len(parent)), key=depth.__getitem__):   # a node's fail link is shallower
            fail = self._step(self.fail[parent[node]], word[node]) if parent[node] else 0
            self.fail[node] = fail
            self.output[node] = fail if fail in self.ends else self.output[fail]

    def _step(self, node: int, w: int) -> int:
        """The node after reading word w in node: its child, else the fail links' first child."""
        while True:
            child = self.children.get(node * self.width + w)
            if child is not None:
                return child
            if node == 0:
                return 0
            node = self.fail[node]

    def patterns_in(self, text: list) -> set:
        """Indexes of the patterns that occur in text, each once. A pattern node's fail chain is
        walked once per text: a node seen before had its whole chain walked then."""
        found, seen, node = set(), set(), 0
        for w in text:
            node = self._step(node, w)
            hit = node if node in self.ends else self.output[node]
            while hit and hit not in seen:
                seen.add(hit)
                found.update(self.ends[hit])
                hit = self.output[hit]
        return found


def _entry_sighting(sighting: dict, article: dict, entry_text: str) -> dict:
    out = {key: sighting[key] for key in ("id", "span", "paragraph", "cue", "speaker", "confidence",
                                           "secondary_source", "source_chain", "kind")}
    out["article"] = article
    if sighting["text"] != entry_text:
        out["text"] = sighting["text"]
    return out


def build_entry(quote_id: str, pairs: list, contained_in: list, load_article: Callable[[str], dict] = json.loads) -> dict:
    """One ledger entry from its sightings: pairs of (canonical sighting, article), where
    load_article(article) gives the article's record: by default the article is its canonical
    text; the SQLite ledger gives fingerprints and reads them through an ArticleCache."""
    sightings = [(text, json.loads(text)) for text, _ in pairs]
    best = best_sighting(sightings)
    entry_sightings = [_entry_sighting(sighting, load_article(article), best["text"])
                       for (_, sighting), (_, article) in zip(sightings, pairs)]
    entry_sightings.sort(key=lambda s: s["id"])
    return {"schema_version": SCHEMA_VERSION, "id": quote_id, "text": best["text"], "kind": best["kind"],
            "speaker": best["speaker"], "contained_in": list(contained_in), "sightings": entry_sightings}


def compute_entries(groups: Callable[..., Iterator[tuple]],
                    load_article: Callable[[str], dict] = json.loads) -> Iterator[dict]:
    """Ledger entries in id order. groups(with_articles) yields (quote id, [(sighting, article)])
    in quote id order and is called twice: once without articles, giving [(sighting, the sighting
    parsed)], to link partial quotations to fuller ones, once to build the entries. Both calls
    must give the same sightings. load_article: as build_entry's."""
    def summaries():
        for quote_id, pairs in groups(with_articles=False):
            best = best_sighting(pairs)
            yield quote_id, speaker_key(best["speaker"]["name"]), words_of(best["text"])
    links = containment(summaries())
    for quote_id, pairs in groups():
        yield build_entry(quote_id, pairs, links.get(quote_id, []), load_article)


class ArticleCache:
    """Parsed story copies by fingerprint, for building entries: a story's copy is shared by its
    quotations, which id order scatters over the whole ledger, so a copy read and parsed once
    serves all of them while it is held. The entries then share the copy's object (they are
    written, never changed). Holds the last `size` copies read, a few MB. read(fingerprint):
    the copy's text, or None when the ledger has none."""

    def __init__(self, read: Callable[[str], Optional[str]], size: int = 4096):
        self.read, self.size = read, size
        self.parsed: dict = {}

    def __call__(self, fingerprint: str) -> Optional[dict]:
        article = self.parsed.get(fingerprint)
        if article is None:
            text = self.read(fingerprint)
            if text is None:
                return None
            if len(self.parsed) >= self.size:
                del self.parsed[next(iter(self.parsed))]      # the oldest read
            article = self.parsed[fingerprint] = json.loads(text)
        return article


# ---------------------------------------------------------------------------------------------
# The SQLite ledger.
# ---------------------------------------------------------------------------------------------

@dataclass
class MergeCounts:
    """What one document (or one merged ledger) added: for the summary, never stored."""

    new: int = 0            # sightings of quotations the ledger did not hold: a new entry each
    merged: int = 0         # new sightings of quotations already in the ledger
    known: int = 0          # sightings the ledger already held
    new_articles: int = 0   # article ids the ledger did not hold
    new_copies: int = 0     # story copies (article sightings) the ledger did not hold
    damaged: list = field(default_factory=list)     # rows merged in that were damaged: skipped, each told
    repaired: list = field(default_factory=list)    # damaged rows of this ledger a sound row replaced

    def add(self, other: "MergeCounts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def check_header(path: str) -> None:
    """Refuses, before SQLite touches the file, anything that is not an intact quoteledger ledger."""
    size = os.path.getsize(path)
    if size == 0:
        raise LedgerError(f"{path}: empty file, not a quoteledger ledger (refusing to use it)")
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise LedgerError(f"{path}: not a quoteledger ledger: not an SQLite database (corrupt, or some other file)")
    application_id, = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise LedgerError(f"{path}: an SQLite database, but not a quoteledger ledger "
                          f"(application id {application_id:#010x}); refusing to touch it")
    page_size, = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    page_count, = struct.unpack(">I", header[28:32])
    counts_valid = header[24:28] == header[92:96]
    wal = path + "-wal"
    # With a WAL beside it the file may lag its header until the WAL is checkpointed.
    wal_pending = os.path.exists(wal) and os.path.getsize(wal) > 0
    if counts_valid and not wal_pending and size < page_count * page_size:
        raise LedgerError(f"{path}: truncated ledger: {size} bytes where its header promises "
                          f"{page_count * page_size}; refusing to use it")


def _create(path: str) -> None:
    """Builds an empty ledger beside path and links it into place, so a crash never leaves a
    half-made ledger, and two processes creating the same ledger at once both end up using one."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".quoteledger-new-", suffix=".db", dir=folder)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)                       # mkstemp's 0600 is for secrets, not ledgers
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {LEDGER_FORMAT}")
            con.execute("PRAGMA journal_mode = WAL")    # kept in the file: every later open is WAL
            con.execute("BEGIN")
            for statement in filter(str.strip, _TABLES.split(";")):
                con.execute(statement)
            ledger_tables.create(con)
            ledger_tables.queue_all_later(con)
            con.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("application", "quoteledger"), ("ledger_format", str(LEDGER_FORMAT)),
                ("schema_version", SCHEMA_VERSION), ("created_by", f"quoteledger {__version__}")])
            con.execute("COMMIT")
        finally:
            con.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass                                        # another process made it first: use theirs
        except OSError:
            if not os.path.exists(path):                # no hard links here: a rename is nearly as good
                os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _check_writable(path: str) -> None:
    """A ledger written in WAL mode needs its file writable and its folder too (SQLite makes the
    -wal and -shm files beside it): said plainly here, before SQLite's 'unable to open database
    file' could read as damage."""
    folder = os.path.dirname(os.path.realpath(path))      # a link's target keeps its journal beside it
    if not os.path.isdir(folder):
        raise LedgerError(f"{path}: cannot make a ledger there: there is no folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise LedgerError(f"{path}: cannot write the ledger: its folder {folder} is read-only (SQLite keeps "
                          f"its journal beside the ledger); export reads it, ingest and merge need a writable folder")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise LedgerError(f"{path}: cannot write the ledger: the file is read-only; export reads it, ingest "
                          f"and merge need write access")


class Ledger:
    """An open ledger file. Writers take the write lock per document (BEGIN IMMEDIATE) and wait up
    to busy_timeout for other writers, so several processes can ingest into one ledger at once."""

    def __init__(self, path: str, *, readonly: bool = False, create: bool = True,
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.path = path
        self.readonly = readonly
        if os.path.isdir(path):
            raise LedgerError(f"{path}: is a folder, not a ledger file")
        if os.path.islink(path) and not os.path.exists(path):
            raise LedgerError(f"{path}: a link to {os.readlink(path)}, which does not exist; refusing to make "
                              f"a ledger through it (point the link at a ledger, or name another file)")
        if not readonly:
            _check_writable(path)
        if not os.path.exists(path):
            if readonly or not create:
                raise LedgerError(f"{path}: no ledger here (ingest something first)")
            try:
                _create(path)
            except (OSError, sqlite3.Error) as exc:
                raise LedgerError(f"{path}: cannot create a ledger: {exc}") from exc
        check_header(path)
        self.con = self._connect(busy_timeout)
        try:
            self._check_contents()
        except BaseException:
            self.con.close()
            raise

    def _connect(self, busy_timeout: float) -> sqlite3.Connection:
        try:
            if self.readonly:
                con = self._connect_readonly(busy_timeout)
            else:
                con = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout)
            con.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        except sqlite3.Error as exc:
            raise LedgerError(f"{self.path}: cannot open the ledger: {exc}") from exc
        con.text_factory = _READ_TEXT
        return con

    def _connect_readonly(self, busy_timeout: float) -> sqlite3.Connection:
        uri = "file:" + quote(os.path.abspath(self.path)) + "?mode=ro"
        con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_timeout)
        try:
            con.execute("PRAGMA user_version").fetchone()
            return con
        except sqlite3.OperationalError:
            con.close()
            if os.path.exists(self.path + "-wal"):
                raise
        # A WAL ledger in a folder we cannot write (an archive, a read-only mount) cannot get its
        # -shm file. With no -wal beside it nobody is writing it, so it can be read as immutable.
        return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, timeout=busy_timeout)

    def _check_contents(self) -> None:
        try:
            fmt = self.con.execute("PRAGMA user_version").fetchone()[0]
            if fmt > LEDGER_FORMAT:
                raise LedgerError(f"{self.path}: written by a newer quoteledger (ledger format {fmt}; this "
                                  f"version {__version__} reads up to {LEDGER_FORMAT}); upgrade quoteledger")
            self._refuse_foreign_sql()      # before any table is read: a view may stand in for one
            meta = dict(self.con.execute("SELECT key, value FROM meta"))
            if meta.get("application") != "quoteledger" or fmt < 1:
                raise LedgerError(f"{self.path}: not a quoteledger ledger (no ledger metadata)")
            verdict = self.con.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                # SQLite lists every fault, a line each: a ledger padded with empty pages gave a
                # message of a hundred lines. The first three tell what is wrong.
                faults = verdict.split("\n")
                shown = "; ".join(faults[:3]) + (f"; and {len(faults) - 3} more" if len(faults) > 3 else "")
                raise LedgerError(f"{self.path}: corrupt ledger ({shown}); refusing to use it")
            if not self.readonly and self.con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.con.execute("PRAGMA journal_mode = WAL")
            self.format = fmt
            if fmt < LEDGER_FORMAT:
                self._upgrade_or_adapt()
            # A crash loses at most the last few documents on power failure, never consistency;
            # ingest is idempotent, so re-running recovers them. FULL would fsync every document.
            self.con.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints fsync; doing them every 40 MB of WAL rather than every 4 MB doubles the
            # documents a second, and journal_size_limit stops the WAL file staying that large.
            self.con.execute("PRAGMA wal_autocheckpoint = 10000")
            self.con.execute(f"PRAGMA journal_size_limit = {64 * 1024 * 1024}")
            self.con.execute("PRAGMA cache_size = -32768")    # 32 MB of pages: export joins every sighting to its copy
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: corrupt or unreadable ledger ({exc}); refusing to use it") from exc

    def _refuse_foreign_sql(self) -> None:
        """quoteledger's ledgers hold tables and indexes only. A trigger or a view in one was put
        there by someone else, and SQLite would run it on our reads and writes: a trigger wiping
        the records on every insert, a view standing in for a table that yields rows without end."""
        foreign = self.con.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') "
                                   "ORDER BY type, name LIMIT 4").fetchall()
        if foreign:
            shown = ", ".join(f"{kind} {one_line(name)!r}" for kind, name in foreign[:3])
            raise LedgerError(f"{self.path}: not a ledger as quoteledger writes one: it holds SQL that would run "
                              f"on every read or write ({shown}{', ...' if len(foreign) > 3 else ''}); refusing to use it")

    def _upgrade_or_adapt(self) -> None:
        """A format 1 ledger (quoteledger 0.1.0): upgraded in place when writable, one transaction,
        nothing of the records changed but a table's name; read-only, its records table is seen
        under today's name through a view of this connection alone."""
        if self.readonly:
            self.con.execute("CREATE TEMP VIEW sighting_records AS "
                             "SELECT quote_id, id, fingerprint, record FROM main.sightings")
            return
        with self._transaction() as con:
            if con.execute("PRAGMA user_version").fetchone()[0] == 1:     # another process may have done it
                con.execute("ALTER TABLE sightings RENAME TO sighting_records")
                ledger_tables.create(con)
                ledger_tables.queue_everything(con)
                con.execute("UPDATE meta SET value = ? WHERE key = 'ledger_format'", (str(LEDGER_FORMAT),))
                con.execute("INSERT OR REPLACE INTO meta VALUES ('upgraded_by', ?)", (f"quoteledger {__version__}",))
                con.execute(f"PRAGMA user_version = {LEDGER_FORMAT}")
        self.format = LEDGER_FORMAT

    def refresh_tables(self) -> int:
        """Brings the plain tables (ledger_tables) up to date with the records: what the writes
        since the last refresh changed. Returns the quotations refreshed. Raises sqlite3.Error."""
        return ledger_tables.refresh(self)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self):
        """One write transaction: everything in it lands, or (on any error, even a kill) nothing."""
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _put(self, con, parts: Iterable[SplitRecord]) -> MergeCounts:
        counts = MergeCounts()
        seen_copies: set = set()
        put_copies: set = set()
        changes = ledger_tables.ChangeLog(con)
        held_quotes = self._held_quotes(con, {part.quote_id for part in parts})
        for part in parts:
            # A story's records all carry its copy: merging the same copy again changes nothing.
            if (part.fingerprint, part.article) not in put_copies:
                put_copies.add((part.fingerprint, part.article))
                self._merge_copy(con, part.fingerprint, part.article_id, part.article, counts, changes,
                                 count=part.fingerprint not in seen_copies)
                seen_copies.add(part.fingerprint)
            # Most sightings are new: inserted straight, with no read first (a held row is left
            # as it is, and then merged by the rule below).
            if con.execute(_ADD_SIGHTING, (part.sighting_id, part.quote_id, part.fingerprint, part.sighting)).rowcount:
                if part.quote_id in held_quotes:
                    counts.merged += 1
                else:
                    counts.new += 1
                    held_quotes.add(part.quote_id)
                changes.sighting_written(part.quote_id)
            else:
                self._merge_sighting(con, part.sighting_id, part.quote_id, part.fingerprint, part.sighting, counts,
                                     changes)
        changes.queue()
        return counts

    @staticmethod
    def _held_quotes(con, quote_ids: set) -> set:
        """Which of these quotations the ledger holds a sighting of."""
        held, ids = set(), sorted(quote_ids)
        for start in range(0, len(ids), 500):            # within any SQLite's limit of bound values
            chunk = ids[start:start + 500]
            held.update(q for q, in con.execute(f"SELECT DISTINCT quote_id FROM sighting_records WHERE quote_id IN "
                                                f"({', '.join('?' * len(chunk))})", chunk))
        return held

    def _merge_copy(self, con, fingerprint: str, article_id: str, record: str, counts: MergeCounts,
                    changes: "ledger_tables.ChangeLog", count: bool = True, held: Optional[tuple] = None) -> None:
        """One story copy, by the merge rule; a damaged copy held here loses to a sound one.
        changes: told of a write, for the plain tables. held: _HELD_COPY's row, when read already."""
        held, _, article_held = held or con.execute(_HELD_COPY, (fingerprint, article_id)).fetchone()
        if count:
            counts.new_copies += held is None
            counts.new_articles += not article_held
        if held == record:
            return
        if held is None or record < held:
            con.execute(_PUT_COPY, (fingerprint, article_id, record))
            changes.copy_written(fingerprint, replaced=held is not None)
            return
        held_id, = con.execute("SELECT article_id FROM article_copies WHERE fingerprint = ?", (fingerprint,)).fetchone()
        try:
            load_copy(fingerprint, held_id, held, canonical)
        except DamagedRow as exc:
            con.execute("UPDATE article_copies SET article_id = ?, record = ? WHERE fingerprint = ?",
                        (article_id, record, fingerprint))
            changes.copy_written(fingerprint, replaced=True)
            counts.repaired.append(self._damage(copy_row_name(fingerprint), exc, "replaced by the sound copy merged in"))

    def _merge_sighting(self, con, sighting_id: str, quote_id: str, fingerprint: str, record: str,
                        counts: MergeCounts, changes: "ledger_tables.ChangeLog", held: Optional[tuple] = None) -> None:
        """One sighting, by the merge rule; a damaged sighting held here loses to a sound one.
        held: _HELD_SIGHTING's row, when read already."""
        held, held_copy, quote_held = held or con.execute(_HELD_SIGHTING, (quote_id, sighting_id)).fetchone()
        if held is not None:
            counts.known += 1
        elif quote_held:
            counts.merged += 1
        else:
            counts.new += 1
        if held == record:
            return
        if held is None or record < held:
            con.execute(_PUT_SIGHTING, (sighting_id, quote_id, fingerprint, record))
            changes.sighting_written(quote_id)
            return
        try:
            load_sighting(sighting_id, quote_id, held_copy, held, canonical)
        except DamagedRow as exc:
            con.execute("UPDATE sighting_records SET fingerprint = ?, record = ? WHERE quote_id = ? AND id = ?",
                        (fingerprint, record, quote_id, sighting_id))
            changes.sighting_written(quote_id)
            counts.repaired.append(self._damage(sighting_row_name(sighting_id, quote_id), exc,
                                                "replaced by the sound sighting merged in"))

    def _damage(self, row: str, exc: DamagedRow, outcome: str) -> str:
        """How a damaged row is told: this ledger, the row, what is wrong, what was done."""
        return f"{self.path}: damaged row, {row}: {exc}; {outcome}"

    def add_document(self, records: Iterable[Mapping]) -> MergeCounts:
        """Merges one document's quote records in one transaction. A record the ledger cannot key
        raises LedgerError and the document leaves no trace."""
        return self.add_split(split_records(records))

    def add_split(self, parts: list) -> MergeCounts:
        """add_document for records split_records has already split (say, on a worker process)."""
        if not parts:
            return MergeCounts()      # nothing to write: do not queue for the write lock
        with self._transaction() as con:
            return self._put(con, parts)

    def add_partial(self, partial: PartialLedger, source: str = "the ledger merged in") -> MergeCounts:
        """Merges a ledger built in memory (say, reduced from workers' results) in one transaction.
        Its rows are checked as another ledger's are (see absorb)."""
        counts = MergeCounts()
        copies = ((fingerprint, _field(record, "id"), record) for fingerprint, record in sorted(partial.copies.items()))
        # In the order a ledger keeps them (by quotation, then id): a merge takes each quotation whole.
        sightings = sorted(((sighting_id, _field(record, "quote_id"), _field(record, "article", "fingerprint"), record)
                            for sighting_id, record in partial.sightings.items()),
                           key=lambda row: (str(row[1]), row[0]))
        with self._transaction() as con:
            self._merge_rows(con, copies, sightings, counts, source)
        return counts

    def absorb(self, other: "Ledger") -> MergeCounts:
        """Merges another ledger into this one, in one transaction, by the same rule as ingest.
        Every row read from it is checked first (ledger_rows): a damaged one is skipped, and so is
        a sighting whose story copy is damaged or missing there; each is told in counts.damaged."""
        counts = MergeCounts()
        with self._transaction() as con:
            # Read in the order both ledgers keep their rows (their primary keys): no sort of the
            # records, and the new rows go in where the last ones went, not all over the table.
            copies = other.con.execute("SELECT fingerprint, article_id, record FROM article_copies ORDER BY fingerprint")
            sightings = other.con.execute(
                "SELECT id, quote_id, fingerprint, record FROM sighting_records ORDER BY quote_id, id")
            self._merge_rows(con, copies, sightings, counts, other.path)
        return counts

    def _merge_rows(self, con, copies: Iterable[tuple], sightings: Iterable[tuple], counts: MergeCounts,
                    source: str) -> None:
        """Another ledger's rows, copies first, each checked before it is merged. Into a ledger
        that holds no records yet they go in bulk (_fill_rows). Otherwise a row that is byte for
        byte the one this ledger holds under the same keys changes nothing, and is not checked
        again: the held row was checked (or written by quoteledger) when it came in."""
        changes = ledger_tables.ChangeLog(con)
        if not con.execute("SELECT EXISTS (SELECT 1 FROM article_copies) OR "
                           "EXISTS (SELECT 1 FROM sighting_records)").fetchone()[0]:
            self._fill_rows(con, copies, sightings, counts, source, changes)
            changes.queue()
            return
        sound_copies = set()
        for fingerprint, article_id, record in copies:
            held = con.execute(_HELD_COPY, (fingerprint, article_id)).fetchone()
            if held[0] != record or held[1] != article_id:
                try:
                    load_copy(fingerprint, article_id, record, canonical)
                except DamagedRow as exc:
                    counts.damaged.append(f"{source}: damaged row, {copy_row_name(fingerprint)}: {exc}; not merged")
                    continue
            sound_copies.add(fingerprint)
            self._merge_copy(con, fingerprint, article_id, record, counts, changes, held=held)
        for sighting_id, quote_id, fingerprint, record in sightings:
            held = con.execute(_HELD_SIGHTING, (quote_id, sighting_id)).fetchone()
            try:
                if fingerprint not in sound_copies:
                    raise DamagedRow(f"its story copy {shown_key(fingerprint)} is damaged or missing there")
                if held[0] != record or held[1] != fingerprint:
                    load_sighting(sighting_id, quote_id, fingerprint, record, canonical)
            except DamagedRow as exc:
                counts.damaged.append(f"{source}: damaged row, {sighting_row_name(sighting_id, quote_id)}: {exc}; "
                                      f"not merged")
                continue
            self._merge_sighting(con, sighting_id, quote_id, fingerprint, record, counts, changes, held=held)
        changes.queue()

    def _fill_rows(self, con, copies: Iterable[tuple], sightings: Iterable[tuple], counts: MergeCounts,
                   source: str, changes: "ledger_tables.ChangeLog") -> None:
        """_merge_rows into a ledger that holds no records: each row checked as there, the sound
        ones written in bulk (nothing here to compare them with, or to count them against). The
        plain tables' rows of each quotation are made from the records just parsed, when the
        tables are empty too (ledger_tables.MergedRows); sightings come grouped by quotation."""
        stories: dict = {}                 # fingerprint -> the sound story copy, parsed
        articles, quotations = set(), set()
        for fingerprint, article_id, record in copies:
            try:
                stories[fingerprint] = load_copy(fingerprint, article_id, record, canonical)
            except DamagedRow as exc:
                counts.damaged.append(f"{source}: damaged row, {copy_row_name(fingerprint)}: {exc}; not merged")
                continue
            articles.add(article_id)
            con.execute(_PUT_COPY, (fingerprint, article_id, record))
        plain = None if con.execute("SELECT EXISTS (SELECT 1 FROM quotations) OR EXISTS (SELECT 1 FROM sightings)"
                                    ).fetchone()[0] else ledger_tables.MergedRows(con, changes)
        written: list = []
        for quote_id, group in groupby(sightings, key=itemgetter(1)):
            loaded = []
            for sighting_id, _, fingerprint, record in group:
                try:
                    if fingerprint not in stories:
                        raise DamagedRow(f"its story copy {shown_key(fingerprint)} is damaged or missing there")
                    sighting = load_sighting(sighting_id, quote_id, fingerprint, record, canonical)
                except DamagedRow as exc:
                    counts.damaged.append(f"{source}: damaged row, {sighting_row_name(sighting_id, quote_id)}: "
                                          f"{exc}; not merged")
                    continue
                written.append((sighting_id, quote_id, fingerprint, record))
                loaded.append((sighting_id, record, sighting, stories[fingerprint]))
            if not loaded:
                continue
            counts.merged += len(loaded)
            quotations.add(quote_id)
            if plain is None:
                changes.sighting_written(quote_id)
            else:
                plain.add(quote_id, loaded)
            if len(written) >= ledger_tables.BATCH:
                con.executemany(_PUT_SIGHTING, written)
                written = []
        con.executemany(_PUT_SIGHTING, written)
        if plain is not None:
            plain.close()
        counts.new_copies += len(stories)
        counts.new_articles += len(articles)
        counts.new += len(quotations)            # a new quotation's first sighting is new, the rest merged
        counts.merged -= len(quotations)

    def stats(self) -> dict:
        one = lambda sql: self.con.execute(sql).fetchone()[0]  # noqa: E731
        return {"entries": one("SELECT COUNT(DISTINCT quote_id) FROM sighting_records"),
                "sightings": one("SELECT COUNT(*) FROM sighting_records"),
                "articles": one("SELECT COUNT(DISTINCT article_id) FROM article_copies"),
                "copies": one("SELECT COUNT(*) FROM article_copies")}

    def copies_of(self, article_id: str) -> list:
        """The story copies (article sightings) of one article, by fingerprint; a damaged row is
        left out (entries() reports it)."""
        rows = self.con.execute("SELECT fingerprint, article_id, record FROM article_copies WHERE article_id = ? "
                                "ORDER BY fingerprint", (article_id,))
        copies = []
        for fingerprint, key_id, record in rows:
            try:
                copies.append(load_copy(fingerprint, key_id, record))
            except DamagedRow:
                continue
        return copies

    def _groups(self, with_articles: bool = True) -> Iterator[tuple]:
        """compute_entries' groups, leaving out the sightings entries() found damaged."""
        if not with_articles:
            yield from self._checked_groups()
            return
        # The story copies are read by fingerprint through entries()' ArticleCache, not joined here.
        rows = self.con.execute("SELECT quote_id, id, record, fingerprint FROM sighting_records ORDER BY quote_id, id")
        for quote_id, group in groupby(rows, key=lambda row: row[0]):
            pairs = [(sighting, fingerprint) for _, sighting_id, sighting, fingerprint in group
                     if (quote_id, sighting_id) not in self._left_out]
            if pairs:
                yield quote_id, pairs

    def _checked_groups(self) -> Iterator[tuple]:
        """The first pass: each sighting checked (and parsed once), with whether its copy is sound."""
        rows = self.con.execute("SELECT quote_id, id, fingerprint, record FROM sighting_records ORDER BY quote_id, id")
        sound_copies = self._sound_copies
        for quote_id, group in groupby(rows, key=lambda row: row[0]):
            pairs = []
            for _, sighting_id, fingerprint, record in group:
                try:
                    loaded = load_sighting(sighting_id, quote_id, fingerprint, record)
                    if fingerprint not in sound_copies:
                        raise DamagedRow(f"its story copy {shown_key(fingerprint)} is "
                                         f"{'damaged' if fingerprint in self._damaged_copies else 'not in the ledger'}")
                except DamagedRow as exc:
                    self._left_out.add((quote_id, sighting_id))
                    self.damage.append(self._damage(sighting_row_name(sighting_id, quote_id), exc, "left out"))
                    continue
                pairs.append((record, loaded))
            if pairs:
                yield quote_id, pairs

    def _check_copies(self) -> None:
        """Each story copy checked; their fingerprints kept, sound and damaged, for the sightings'
        check (a set lookup a sighting costs less than joining the copies in SQL)."""
        self._damaged_copies, self._sound_copies = set(), set()
        for fingerprint, article_id, record in self.con.execute(
                "SELECT fingerprint, article_id, record FROM article_copies ORDER BY fingerprint"):
            try:
                load_copy(fingerprint, article_id, record)
                self._sound_copies.add(fingerprint)
            except DamagedRow as exc:
                self._damaged_copies.add(fingerprint)
                self.damage.append(self._damage(copy_row_name(fingerprint), exc, "left out"))

    def _copy_text(self, fingerprint: str) -> Optional[str]:
        row = self.con.execute("SELECT record FROM article_copies WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return row and row[0]

    def entries(self) -> Iterator[dict]:
        """Ledger entries in id order, streamed: memory holds one entry and, for linking partial
        quotations, one short summary per entry. Every row is checked before it is used: a damaged
        one is left out, and so is a sighting whose story copy is damaged or missing; each is told
        in self.damage (by the time the entries are all read), the rest make the entries. Entries
        holding the same story copy share its object: read them, do not change them."""
        self.damage: list = []
        self._left_out: set = set()
        try:
            self.con.execute("BEGIN")      # both passes read the same snapshot
            try:
                self._check_copies()
                yield from compute_entries(self._groups, ArticleCache(self._copy_text))
            finally:
                self.con.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: cannot read the ledger: {exc}") from exc
