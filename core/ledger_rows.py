"""Checks on the rows read from a ledger file, before anything trusts them.

A ledger may be damaged on disk, edited by hand or written by a faulty tool. A row is *damaged*
when its record is not valid UTF-8, not JSON, not the shape the schemas give the rows (a story
copy is the article of quote.schema.json; a sighting is a quote record whose article is cut down
to {id, fingerprint}), when its ids are not the ones its content gives (ids.py: an edited
quotation would otherwise join another's entry), or when the row's key columns disagree with its
record. A damaged row is
reported with its ledger and its key, and is never merged, exported, or let win the merge rule.
The row shapes are derived from schemas/ at first use, so they cannot drift from the record shape.
"""
from __future__ import annotations

import copy
import json
import re
from typing import Callable, Optional

from .ids import article_id, normalise_words, quote_id_of_words, sighting_id
from .schemas import SCHEMA_FILES, load_schema, registry

_ROW_BASE = "https://quoteledger.dev/schemas/{version}/ledger-{kind}-row.json"
# What a key column shows in a report: ids as they are, anything else escaped and cut short.
_PLAIN_KEY = re.compile(r"[\w.:-]{1,40}")


class DamagedRow(ValueError):
    """A row whose record cannot be trusted; the message says what is wrong with it."""


def shown_key(value) -> str:
    """A key column as a report shows it: a control character or a newline in a damaged key
    must not forge a line of the report."""
    if isinstance(value, str) and _PLAIN_KEY.fullmatch(value):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    text = json.dumps(value, ensure_ascii=True) if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def row_schemas() -> dict:
    """{"copy": schema, "sighting": schema} for the rows, built from the quote schema."""
    quote = load_schema("quote")
    version = quote["schema_version"]
    article_ref = quote["properties"]["article"]["$ref"]            # defs.schema.json#/$defs/article
    sighting = copy.deepcopy(quote)
    sighting["$id"] = _ROW_BASE.format(version=version, kind="sighting")
    sighting["title"] = "Ledger row: a quotation sighting, its article held as a story copy"
    sighting["properties"]["article"] = {
        "type": "object", "required": ["id", "fingerprint"], "additionalProperties": False,
        "properties": {key: {"$ref": f"{article_ref}/properties/{key}"} for key in ("id", "fingerprint")}}
    story_copy = {"$schema": quote["$schema"], "$id": _ROW_BASE.format(version=version, kind="copy"),
                  "title": "Ledger row: a story copy", "$ref": article_ref}
    return {"copy": story_copy, "sighting": sighting}


_SHAPE_CHECKS: dict = {}      # kind -> its check, compiled once a process


def _shape_check(kind: str) -> Callable[[dict], Optional[str]]:
    """record -> None when it has the row's shape, else where and how it breaks it. The compiled
    check answers 'valid' in microseconds; jsonschema (imported only then) says why one is not."""
    from .validation.compiled import Unsupported, compile_schema

    schemas = {name: load_schema(name) for name in SCHEMA_FILES}
    schema = row_schemas()[kind]
    schemas["row"] = schema
    try:
        fast = compile_schema(schemas, "row", f"ledger {kind} row")
    except Unsupported:
        fast = None

    def problem(record) -> Optional[str]:
        if fast is not None and fast(record):
            return None
        from jsonschema import Draft202012Validator

        slow = Draft202012Validator(schema, registry=registry())
        error = min(slow.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)), default=None)
        if error is None:
            return None
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        return f"breaks the ledger's record shape at {path}: {error.message[:200]}"
    return _SHAPE_CHECKS.setdefault(kind, problem)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


# One decoder for every row: json.loads(text, parse_constant=...) would build a new one (and its
# scanner) for each row read.
_decode = json.JSONDecoder(parse_constant=_refuse_constant).decode


def load_row(text, kind: str, canonical: Optional[Callable[[object], str]] = None) -> dict:
    """The record of a row, parsed and checked against the row's shape; raises DamagedRow.
    canonical: when given, the text must also be exactly canonical(record), the form quoteledger
    writes (what a merge needs, as the smaller text wins there)."""
    if not isinstance(text, str):
        raise DamagedRow(f"holds {type(text).__name__}, not text")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise DamagedRow("is not valid UTF-8") from None
    try:
        record = _decode(text)
    except (ValueError, RecursionError) as exc:
        raise DamagedRow(f"is not JSON ({str(exc)[:120]})") from None
    if canonical is not None:
        # The text was found valid UTF-8 above, so when it is its own canonical form that form is
        # too; only a text that differs may hide an escaped lone surrogate (ASCII JSON that no
        # UTF-8 output can hold: the canonical form writes characters, not escapes).
        written = canonical(record)
        if written != text:
            _refuse_lone_surrogates(written)
            raise DamagedRow("is not in the canonical form quoteledger writes")
    elif "\\u" in text:
        _refuse_lone_surrogates(_canonical(record))
    problem = _SHAPE_CHECKS.get(kind) or _shape_check(kind)
    problem = problem(record)
    if problem:
        raise DamagedRow(problem)
    return record


def _refuse_lone_surrogates(written: str) -> None:
    try:
        written.encode("utf-8")
    except UnicodeEncodeError:
        raise DamagedRow("holds a lone surrogate (not Unicode text)") from None


_canonical = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def load_copy(fingerprint, key_id, text, canonical=None) -> dict:
    """A story copy row (fingerprint, article_id, record), checked; raises DamagedRow."""
    record = load_row(text, "copy", canonical)
    if record.get("fingerprint") != fingerprint or record["id"] != key_id:
        raise DamagedRow(f"its key columns (fingerprint {shown_key(fingerprint)}, article {shown_key(key_id)}) "
                         f"are not its record's ({shown_key(record.get('fingerprint'))}, {record['id']})")
    if record["id"] != article_id(record["headline"], record["url"], fingerprint):
        raise DamagedRow(f"its id {record['id']} is not the one its headline, url and fingerprint give")
    return record


# (text, normalise_words(text), its quote id) of the last quotation checked
_last_words = ("", normalise_words(""), quote_id_of_words(normalise_words("")))


def _words_and_id(text: str) -> tuple:
    """(text, normalise_words(text), quote id of those words), remembering the last answer: a
    quotation's sightings come one after another (the ledger keeps them by quote id) and mostly
    give the same words, and export then wants the words of the one it chooses."""
    global _last_words
    last = _last_words
    if text != last[0]:
        words = normalise_words(text)
        last = _last_words = (text, words, quote_id_of_words(words))   # swapped in whole: no thread sees half
    return last


def words_of(text: str) -> str:
    """normalise_words(text), remembered as _words_and_id says."""
    return _words_and_id(text)[1]


def load_sighting(key_id, key_quote, key_copy, text, canonical=None) -> dict:
    """A sighting row (id, quote_id, fingerprint, record), checked; raises DamagedRow."""
    record = load_row(text, "sighting", canonical)
    if record["quote_id"] != _words_and_id(record["text"])[2]:
        raise DamagedRow(f"its quote id {shown_key(record['quote_id'])} is not the one its text gives")
    span = record["span"]
    if record["id"] != sighting_id(record["quote_id"], record["article"]["fingerprint"], span["start"], span["end"]):
        raise DamagedRow(f"its id {shown_key(record['id'])} is not the one its quotation, story copy and span give")
    if (record["id"], record["quote_id"], record["article"]["fingerprint"]) != (key_id, key_quote, key_copy):
        raise DamagedRow(f"its key columns (id {shown_key(key_id)}, quote {shown_key(key_quote)}, copy "
                         f"{shown_key(key_copy)}) are not its record's ({record['id']}, {record['quote_id']}, "
                         f"{shown_key(record['article']['fingerprint'])})")
    return record


def copy_row_name(fingerprint) -> str:
    return f"story copy {shown_key(fingerprint)}"


def sighting_row_name(sighting_id, quote_id) -> str:
    return f"sighting {shown_key(sighting_id)} of quotation {shown_key(quote_id)}"
