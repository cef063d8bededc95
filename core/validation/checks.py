"""Checks a schema cannot express, run on records whose shape is already valid.

- id-hash: quote_id (or a ledger entry's id) is the hash of the normalised text; a sighting id is the
  hash of the quote id, the article fingerprint and the span, when the fingerprint is there. Each id
  is checked against the inputs the record itself claims, so one wrong value is one error.
- article-ref: a sighting's article id is the one its own headline, URL or fingerprint give, so the
  sighting points at an article quoteledger knows rather than at a made-up or stale id.
- span: the span is as long as the text; when the record carries its story text
  (article.story_text) the span must cut exactly the text out of it.
- date: published, modified and fetched are real calendar dates and times, and modified is not
  before published.
Cross-record checks (duplicate ids, contained_in references) live in crossref.py.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime

# _WORD is ids.py's own word pattern, so the fast path cannot drift from it.
from ..ids import _WORD, article_id, digest, normalise_words, sighting_id

Issue = tuple  # (path, rule, message, value)


def fast_normalise_words(text: str) -> str:
    """ids.normalise_words without its per-character loop when there is nothing to strip: ASCII
    has no combining marks. Tests hold it equal to ids.normalise_words."""
    folded = unicodedata.normalize("NFKD", text or "")
    if not folded.isascii():
        return normalise_words(text)
    return " ".join(_WORD.findall(folded.lower()))


def expected_quote_id(text: str) -> str:
    return "q_" + digest("quote", fast_normalise_words(text))


def expected_article_id(article: dict):
    """The id ids.article_id gives this article, or None when it needs a fingerprint that is absent."""
    headline, url = article.get("headline"), article.get("url")
    fingerprint = article.get("fingerprint")
    words = fast_normalise_words(headline or "")
    if words.count(" ") >= 2:                   # three words or more, as ids.article_id counts them
        return "a_" + digest("headline", words)
    if url or fingerprint:
        return article_id(headline, url, fingerprint or "")
    return None


def _parse_date(value: str):
    try:
        return datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None


def check_dates(path: str, article: dict) -> list:
    issues, parsed = [], {}
    for key in ("published", "modified", "fetched"):
        value = article.get(key)
        if value is None:
            continue
        when = _parse_date(value)
        if when is None:
            issues.append((f"{path}.{key}", "date", "not a real date or time", value))
        parsed[key] = when
    published, modified = parsed.get("published"), parsed.get("modified")
    if published and modified and _before(modified, published):
        issues.append((f"{path}.modified", "date", f"before the published date {article['published']}",
                       article["modified"]))
    return issues


def _before(later: datetime, earlier: datetime) -> bool:
    """True when `later` is surely before `earlier`. Times without a zone cannot be placed exactly
    against times with one, so mixed pairs are only compared to the day, with a day's slack."""
    if (later.tzinfo is None) == (earlier.tzinfo is None):
        return later < earlier
    # Counted in days, not as dates: a date a day before 0001-01-01 does not exist (OverflowError).
    return later.toordinal() < earlier.toordinal() - 1


def check_span(path: str, span: dict, text: str, story_text) -> list:
    start, end = span["start"], span["end"]
    if story_text is not None:
        if story_text[start:end] != text:
            return [(f"{path}.span", "span", "the span does not cut the quotation's text out of the story text "
                     f"(it holds {story_text[start:end][:40]!r})", span)]
        return []
    if end - start != len(text):
        return [(f"{path}.span", "span", f"the span is {end - start} characters long but the text has {len(text)}",
                 span)]
    return []


def check_sighting(path: str, sighting: dict, qid: str, text: str) -> list:
    """The checks one sighting needs, whether a quote record (path "$") or inside a ledger entry."""
    article = sighting["article"]
    issues = []
    fingerprint = article.get("fingerprint")
    span = sighting["span"]
    if fingerprint is not None:
        wanted = sighting_id(qid, fingerprint, span["start"], span["end"])
        if sighting["id"] != wanted:
            issues.append((f"{path}.id", "id-hash", f"not the hash of its quote id, article fingerprint and span "
                           f"(expected {wanted})", sighting["id"]))
    wanted = expected_article_id(article)
    if wanted is not None and article["id"] != wanted:
        issues.append((f"{path}.article.id", "article-ref", "names no article quoteledger knows: its headline, url "
                       f"and fingerprint give {wanted}", article["id"]))
    issues += check_span(path, span, text, article.get("story_text"))
    issues += check_dates(f"{path}.article", article)
    return issues


def check_quote(record: dict) -> list:
    issues = []
    wanted = expected_quote_id(record["text"])
    if record["quote_id"] != wanted:
        issues.append(("$.quote_id", "id-hash", f"not the hash of the text (expected {wanted})", record["quote_id"]))
    return issues + check_sighting("$", record, record["quote_id"], record["text"])


def check_entry(entry: dict) -> list:
    issues = []
    wanted = expected_quote_id(entry["text"])
    if entry["id"] != wanted:
        issues.append(("$.id", "id-hash", f"not the hash of the text (expected {wanted})", entry["id"]))
    seen = {}
    for number, sighting in enumerate(entry["sightings"]):
        path = f"$.sightings[{number}]"
        issues += check_sighting(path, sighting, entry["id"], sighting.get("text", entry["text"]))
        first = seen.setdefault(sighting["id"], number)
        if first != number and sighting != entry["sightings"][first]:
            issues.append((f"{path}.id", "duplicate-id", f"sightings[{first}] has the same id with other content",
                           sighting["id"]))
    return issues


CHECKS = {"quote": check_quote, "ledger-entry": check_entry}
