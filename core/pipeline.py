"""The pipeline: read, detect the outlet, split containers, parse each story, find and attribute
quotations, let the outlet's plugin post-process them, build records and validate them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .ids import digest
from .model import Document
from .plugins import PluginError, PluginHost, get_host
from .quotes import find_quotations
from .reading import InputError, read_document
from .records import article_record, quote_record
from .schemas import errors_for

MAX_SPLIT_DEPTH = 3


@dataclass
class DocumentResult:
    source: str
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)      # human-readable, each naming file (and plugin)
    articles: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def extract_path(path: str, host: Optional[PluginHost] = None, max_bytes: Optional[int] = None) -> DocumentResult:
    try:
        document = read_document(path, max_bytes)
    except InputError as exc:
        return DocumentResult(path, errors=[str(exc)])
    return extract_document(document, host)


def extract_document(document: Document, host: Optional[PluginHost] = None) -> DocumentResult:
    host = host or get_host()
    result = DocumentResult(document.source)
    whole = digest("document", document.text)
    try:
        _extract_story(document, host, result, whole, depth=0)
    except PluginError as exc:
        result.errors.append(f"{document.source}: {exc}")
    except RecursionError:
        result.errors.append(f"{document.source}: too deeply nested to read")
    return result


def _extract_story(document: Document, host: PluginHost, result: DocumentResult, whole: str, depth: int) -> None:
    choice = host.choose(document)
    if choice is None:
        result.errors.append(f"{document.source}: no plugin claims this document")
        return
    if choice.outlet.container and depth < MAX_SPLIT_DEPTH:
        stories = host.call("quoteledger_split", choice.plugin, document=document, outlet=choice.outlet)
        if stories:
            for story in stories:
                if not isinstance(story, Document):
                    raise PluginError(choice.plugin, f"quoteledger_split returned {type(story).__name__}, not a Document")
                _extract_story(story, host, result, whole, depth + 1)
            return
    article = host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet)
    if article is None:
        raise PluginError(choice.plugin, "quoteledger_parse returned nothing for its own outlet")
    if not hasattr(article, "story_paragraphs"):
        raise PluginError(choice.plugin, f"quoteledger_parse returned {type(article).__name__}, not an Article")
    article.plugin = choice.plugin
    article.chain = list(document.hints.get("chain", [])) + list(article.chain)
    result.articles += 1

    paragraphs = article.story_paragraphs()
    story_text = article.story_text()
    quotations = find_quotations([p.text for p in paragraphs], [p.kind for p in paragraphs],
                                 style=choice.outlet.quote_style)
    host.call("quoteledger_postprocess_quotes", choice.plugin, article=article, quotations=quotations)
    fingerprint = digest("copy", whole, str(document.hints.get("story_index", 0)), story_text)
    article_rec = article_record(article, document.source, fingerprint)
    for quotation in quotations:
        record = quote_record(quotation, article, article_rec)
        problems = errors_for(record, "quote")
        if problems:
            path, message = problems[0]
            result.errors.append(f"{document.source}: plugin {choice.plugin}: record for {quotation.text[:40]!r} "
                                 f"breaks the quote schema at {path}: {message}")
            continue
        if story_text[quotation.start:quotation.end] != quotation.text:
            result.errors.append(f"{document.source}: plugin {choice.plugin}: span {quotation.start}-{quotation.end} "
                                 f"does not hold {quotation.text[:40]!r}")
            continue
        result.records.append(record)
