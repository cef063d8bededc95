"""From pipeline objects to the JSON records the schemas describe."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from . import SCHEMA_VERSION
from .ids import article_id, quote_id, sighting_id
from .model import Article, Quotation, Speaker
from .schemas import load_schema, registry
from .validation.checks import check_dates


def article_record(article: Article, document_source: str, fingerprint: str) -> dict:
    record = {
        "id": article_id(article.headline, article.url, fingerprint),
        "publisher": {"outlet": article.outlet, "edition": article.edition,
                      "organization": article.publisher, "plugin": article.plugin},
        "headline": article.headline,
        "byline": list(article.byline),
        "published": article.published,
        "modified": article.modified,
        "url": article.url,
        "section": article.section,
        "dateline": article.dateline,
        "document": document_source,
        "fingerprint": fingerprint,
    }
    if article.fetched is not None:
        # Only where an archive says when the page was fetched: a page read from a file gives
        # the same record as before the field existed.
        record["fetched"] = article.fetched
    return record


def source_chain(article: Article, quotation: Quotation) -> list:
    """From the words' origin outwards: secondary source, the outlet, then whoever republished it."""
    chain = []
    if quotation.secondary_source:
        chain.append({"role": "secondary-source", "name": quotation.secondary_source["description"],
                      "organization": None, "detail": quotation.secondary_source.get("kind"), "url": None})
    chain.append({"role": "publisher", "name": article.outlet, "organization": article.publisher,
                  "detail": article.edition, "url": article.url})
    chain.extend(article.chain)
    return chain


def quote_record(quotation: Quotation, article: Article, article_rec: dict) -> dict:
    qid = quote_id(quotation.text)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": sighting_id(qid, article_rec["fingerprint"], quotation.start, quotation.end),
        "quote_id": qid,
        "text": quotation.text,
        "kind": quotation.kind,
        "cue": quotation.cue,
        "speaker": quotation.speaker.as_dict(),
        "span": {"start": quotation.start, "end": quotation.end},
        "paragraph": quotation.paragraph,
        "confidence": round(float(quotation.confidence), 3),
        "secondary_source": quotation.secondary_source,
        "source_chain": source_chain(article, quotation),
        "article": article_rec,
    }


@lru_cache(maxsize=1)
def _date_form() -> re.Pattern:
    """The form a date must have, from schemas/defs.schema.json (the one source of it)."""
    return re.compile(load_schema("defs")["$defs"]["datetime"]["pattern"])


def drop_unreal_dates(article: Article) -> list:
    """Sets to None an article's published, modified or fetched date that `quoteledger validate` would
    reject, whatever reader or plugin gave it: not of the schema's form, not a real
    calendar date and time (2024-02-30, 25:61, a +25:00 zone), or a modified date before the
    published one (the modified date is dropped: it is the one pages get wrong). Returns a
    message for each date dropped, naming it."""
    dropped = []
    for key in ("published", "modified", "fetched"):
        value = getattr(article, key, None)
        if not isinstance(value, str):
            continue        # None, or a plugin's wrong type: the record's schema check refuses that
        if not _date_form().search(value) or check_dates("$", {key: value}):
            dropped.append(f"{key} date {value!r:.80} is not a real date or time; dropped")
            setattr(article, key, None)
    if isinstance(article.published, str) and isinstance(article.modified, str) \
            and check_dates("$", {"published": article.published, "modified": article.modified}):
        dropped.append(f"modified date {article.modified} is before the published date {article.published}; "
                       f"dropped")
        article.modified = None
    return dropped


_SPEAKER_KINDS = frozenset(load_schema("defs")["$defs"]["speaker"]["properties"]["kind"]["enum"])


def speaker_fault(speaker) -> Optional[str]:
    """What makes a speaker break the schema's speaker definition (defs.schema.json), or None.
    A cheap test of the usual case first; jsonschema says precisely what is wrong otherwise."""
    if isinstance(speaker, Speaker) and (speaker.name is None or (isinstance(speaker.name, str) and speaker.name)) \
            and speaker.kind in _SPEAKER_KINDS and all(v is None or isinstance(v, str) for v in (
                speaker.mention, speaker.role, speaker.organization)):
        return None
    if not isinstance(speaker, Speaker):
        return f"the speaker is {type(speaker).__name__}, not a Speaker"
    errors = list(_speaker_validator().iter_errors(speaker.as_dict()))
    return f"{errors[0].message[:200]} (speaker.{'.'.join(map(str, errors[0].absolute_path))})" if errors else None


@lru_cache(maxsize=1)
def _speaker_validator():
    from jsonschema import Draft202012Validator

    defs = load_schema("defs")
    return Draft202012Validator({"$ref": defs["$id"] + "#/$defs/speaker"}, registry=registry())
