"""The pipeline: read, detect the outlet, split containers, parse each story, find and attribute
quotations, let the outlet's plugin post-process them, build records and validate them.

One document never ends a run: whatever a page or a plugin does (raise, hang, hand back
something that is not a Document, Article or Quotation, build records that break the schema),
the document gets an error naming the file and, where one is to blame, the plugin; its other
stories and every other document go on. A per-document deadline ends runaway work.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Optional

from .ids import digest
from .interrupts import Stop, is_stop
from .model import Article, Document, Paragraph, Quotation, Speaker
from .plugins import PluginError, PluginHost, get_host, raised
from .quotes import find_quotations
from .readers import is_story
from .reading import InputError, load_document
from .records import article_record, drop_unreal_dates, quote_record, speaker_fault
from .schemas import SCHEMA_FILES, errors_for, load_schema
from .validtext import clean_article, clean_strings, is_valid, shown_path, valid_unicode
from .validation.compiled import Unsupported, compile_schema

MAX_SPLIT_DEPTH = 3
DEFAULT_TIMEOUT = 60.0
# After a deadline fires, it fires again this often, in case a plugin swallowed the first one.
_REFIRE_SECONDS = 0.5
# ledger.canonical, refusing NaN and infinities: checks a record is plain JSON and keeps its text.
_canonical_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")).encode


@dataclass
class DocumentResult:
    source: str
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)      # human-readable, each naming file (and plugin)
    articles: int = 0
    warnings: list = field(default_factory=list)    # reported, but the document did not fail
    # Each record's canonical JSON (sorted keys, compact, as ledger.canonical), made when the record
    # was checked to be plain JSON: what extract writes and the ledger splits, so no record is
    # encoded twice. Holds one text per record while records is as the pipeline left it.
    texts: list = field(default_factory=list)
    # The records as the command that asked for them consumes them (JSON text, ledger rows),
    # made where the document was extracted; None when not asked for (see parallel.extract_results).
    encoded: Any = None
    # Why an archive's record is no document (a request, a revisit, not HTML): counted, not read.
    skipped: Optional[str] = None
    # A plugin that broke on this document without costing its reading (a detector that raised:
    # the other plugins read the page). Told with the document, its records kept; the run's exit
    # status says something failed, so a broken plugin is never silent.
    plugin_faults: list = field(default_factory=list)

    def record_texts(self) -> Optional[list]:
        """texts, when they still spell records one for one; else None (encode the records)."""
        return self.texts if len(self.texts) == len(self.records) else None

    @property
    def failed(self) -> bool:
        return bool(self.errors)


class DocumentTimeout(Stop):
    """The document ran past its deadline. Raised by quoteledger itself (a Stop), so a plugin's
    `except Exception` cannot swallow it and PluginHost.call does not dress it up as the plugin's
    own error."""

    def __init__(self, seconds: float, plugin: Optional[str], hook: Optional[str]):
        where = f" in plugin {plugin} ({hook})" if plugin else ""
        super().__init__(f"gave up after the {seconds:g} s time limit a document may take{where} "
                         f"(set --timeout to change it)")


def extract_path(path: str, host: Optional[PluginHost] = None, max_bytes: Optional[int] = None,
                 timeout: Optional[float] = DEFAULT_TIMEOUT) -> DocumentResult:
    """Read and extract one file. The deadline covers the reading too: a FIFO nobody writes, a
    stalled pipe or network file system costs that document, not the run."""
    host = host or get_host()
    result = DocumentResult(path)

    def read_and_extract():
        document, warnings = load_document(path, max_bytes)
        result.warnings.extend(warnings)
        _extract_whole(document, host, result)
    with host.keep_folder():
        _guarded(read_and_extract, result, path, timeout)
    return result


def extract_document(document: Document, host: Optional[PluginHost] = None,
                     timeout: Optional[float] = DEFAULT_TIMEOUT) -> DocumentResult:
    host = host or get_host()
    result = DocumentResult(document.source)
    with host.keep_folder(), host.keep_signal_mask():
        _guarded(lambda: _extract_whole(document, host, result), result, document.source, timeout)
    return result


def _extract_whole(document: Document, host: PluginHost, result: DocumentResult) -> None:
    if document.utf8() is None:         # not straight from UTF-8 bytes: a caller's own text may hold anything
        document.text, replaced = valid_unicode(document.text)
        _warn_replaced(result, document.source, None, replaced, "in the document's text")
    _extract_story(document, host, result, _document_digest(document), depth=0)


def _guarded(work, result: DocumentResult, source: str, timeout: Optional[float]) -> None:
    """Run work under the document's deadline; whatever it raises costs this document only,
    except a real stop (Ctrl-C, SIGTERM), which ends the run."""
    try:
        with deadline(timeout):
            work()
    except InputError as exc:
        result.errors.append(str(exc))
    except DocumentTimeout as exc:
        result.errors.append(f"{source}: {exc}")
    except RecursionError:
        result.errors.append(f"{source}: too deeply nested to read")
    except MemoryError:
        result.errors.append(f"{source}: ran out of memory reading this document")
    except BaseException as exc:  # a fault of ours, or a plugin's SystemExit outside its hooks: one document
        if is_stop(exc) or os.environ.get("QUOTELEDGER_DEBUG") == "1":
            raise
        result.errors.append(f"{source}: internal error: {raised(exc)} (QUOTELEDGER_DEBUG=1 shows where)")


def _document_digest(document: Document) -> str:
    """digest("document", document.text), from the UTF-8 bytes reading kept when it did (the
    same hash: digest joins its parts with \x1f and hashes their UTF-8), saving an encode."""
    data = document.utf8()
    if data is None:
        return digest("document", document.text)
    h = hashlib.sha256(b"document\x1f")
    h.update(data)
    return h.hexdigest()[:16]


# -- the deadline -----------------------------------------------------------------------------

@contextmanager
def deadline(seconds: Optional[float]):
    """Raise DocumentTimeout in this thread after `seconds`. SIGALRM-based, so it costs two
    system calls a document; off (no limit) when seconds is falsy, off the main thread, or on
    platforms without setitimer. It interrupts Python code, not a single long call into C."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expired(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, _REFIRE_SECONDS)
        raise DocumentTimeout(seconds, *_plugin_at(frame))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _plugin_at(frame) -> tuple[Optional[str], Optional[str]]:
    """(plugin, hook) when the interrupted code runs inside PluginHost.call: who hung."""
    while frame is not None:
        if frame.f_code is PluginHost.call.__code__:
            return frame.f_locals.get("plugin"), frame.f_locals.get("hook_name")
        frame = frame.f_back
    return None, None


# -- validation ---------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _compiled_quote_checks():
    """(the quote schema's check with its article left unchecked, the article's own check), or
    None. The quote schema constrains each property apart, so a record is valid exactly when both
    say so; every record of a story holds the same article record, checked once (_StoryRecords)."""
    schemas = {name: load_schema(name) for name in SCHEMA_FILES}
    quote = schemas["quote"]
    without_article = {**quote, "properties": {**quote["properties"], "article": {}}}
    article = {"$id": quote["$id"].rsplit("/", 1)[0] + "/article-of-quote.json",
               "$ref": quote["properties"]["article"]["$ref"]}
    try:
        return (compile_schema({**schemas, "quote": without_article}, "quote", "quote"),
                compile_schema({**schemas, "article-of-quote": article}, "article-of-quote", "article"))
    except Unsupported:
        return None


_ABSENT = object()


class _StoryRecords:
    """What every quotation record of one story shares, checked and encoded once: the article
    record (the same dict in each), the yes/no of its schema check and its canonical JSON."""

    def __init__(self, article_rec: dict):
        self.article_rec = article_rec
        self._article_valid: Optional[bool] = None
        self._article_json: Optional[tuple] = None      # (text, error): one of them None

    def quick_valid(self, record: dict) -> bool:
        """The compiled yes/no check (jsonschema costs milliseconds a record); a no goes on to
        jsonschema for the precise report, so a record is never refused on the fast path alone."""
        checks = _compiled_quote_checks()
        if not checks or record.get("article", _ABSENT) is not self.article_rec:
            return False
        if self._article_valid is None:
            self._article_valid = bool(checks[1](self.article_rec))
        return self._article_valid and bool(checks[0](record))

    def canonical_json(self, record: dict) -> str:
        """_canonical_json(record), the article's part encoded once a story: "article" is the
        first of the record's keys in sorted order, so its text opens the record's."""
        rest = {key: value for key, value in record.items() if key != "article"}
        if record.get("article", _ABSENT) is not self.article_rec or not rest or min(rest) < "article":
            return _canonical_json(record)
        if self._article_json is None:
            try:
                self._article_json = (_canonical_json(self.article_rec), None)
            except (TypeError, ValueError) as exc:
                self._article_json = (None, exc)
        text, error = self._article_json
        if error is not None:
            raise type(error)(*error.args)      # the article's fault, as encoding the record says it
        return '{"article":' + text + "," + _canonical_json(rest)[1:]


# -- one story ----------------------------------------------------------------------------------

def _extract_story(document: Document, host: PluginHost, result: DocumentResult, whole: str, depth: int) -> None:
    choice = _choose(document, host, result)
    if choice is None:
        return
    if choice.outlet.container and depth < MAX_SPLIT_DEPTH:
        try:
            stories = _split(document, host, choice.plugin, choice.outlet)
        except PluginError as exc:
            result.errors.append(f"{document.source}: {exc}")
            return
        if stories:
            for story in stories:
                story.text, replaced = valid_unicode(story.text)
                _warn_replaced(result, document.source, choice.plugin, replaced, "in a story it cut from the page")
                story.fetched = story.fetched or document.fetched
                # One story's failure is that story's; its siblings go on.
                _extract_story(story, host, result, whole, depth + 1)
            return
    try:
        _extract_article(document, host, choice, result, whole)
    except PluginError as exc:
        result.errors.append(f"{document.source}: {exc}")


def _choose(document: Document, host: PluginHost, result: DocumentResult):
    # A faulty detector loses the page to the others; the document tells it (see plugin_faults).
    faults: list = []
    try:
        choice = host.choose(document, faults)
    except PluginError as exc:
        result.errors.append(f"{document.source}: {exc}")
        return None
    finally:
        result.plugin_faults.extend(detector_faults(document.source, faults))
    if choice is None:
        result.errors.append(f"{document.source}: no plugin claims this document")
    return choice


def detector_faults(source: str, faults: list) -> list:
    """The report lines of the detectors that broke on one document (PluginHost.choose's faults)."""
    return [f"{source}: {fault}; the page went to the other plugins" for fault in faults]


def _split(document: Document, host: PluginHost, plugin: str, outlet) -> list:
    stories = host.call("quoteledger_split", plugin, document=document, outlet=outlet)
    if stories is None:
        return []
    if not isinstance(stories, (list, tuple)):
        raise PluginError(plugin, f"quoteledger_split returned {type(stories).__name__}, not a list of Documents")
    for story in stories:
        if not isinstance(story, Document):
            raise PluginError(plugin, f"quoteledger_split returned {type(story).__name__}, not a Document")
        fault = _story_fault(story)
        if fault:
            raise PluginError(plugin, f"quoteledger_split returned a Document whose {fault}")
    return list(stories)


def _story_fault(story: Document) -> Optional[str]:
    """What is wrong with the fields of a Document a plugin cut from a page (the pipeline reads
    each of them), or None."""
    if not isinstance(story.text, str):
        return f"text is {type(story.text).__name__}, not text"
    if not isinstance(story.source, str):
        return f"source is {type(story.source).__name__}, not text"
    for name in ("url", "fetched"):
        if not isinstance(getattr(story, name), (str, type(None))):
            return f"{name} is {type(getattr(story, name)).__name__}, not text or None"
    if not isinstance(story.hints, dict):
        return f"hints is {type(story.hints).__name__}, not a dict"
    if not isinstance(story.hints.get("chain", []), list):
        return "hints['chain'] is not a list"
    for key, kinds in _HINT_TYPES.items():
        if not isinstance(story.hints.get(key), kinds):
            return f"hints[{key!r}] is {type(story.hints[key]).__name__}"
    return None


# The hints the pipeline and the built-in readers read, and what each may hold.
_HINT_TYPES = {"story_index": (int, str, type(None)), "outlet": (str, type(None)), "agency": (str, type(None)),
               "headline": (str, type(None)), "published": (str, type(None))}


def _check_article(article, plugin: str) -> Article:
    if article is None:
        raise PluginError(plugin, "quoteledger_parse returned nothing for its own outlet")
    if not isinstance(article, Article):
        raise PluginError(plugin, f"quoteledger_parse returned {type(article).__name__}, not an Article")
    if not isinstance(article.paragraphs, list) or not all(
            isinstance(p, Paragraph) and isinstance(p.text, str) for p in article.paragraphs):
        raise PluginError(plugin, "quoteledger_parse returned an Article whose paragraphs are not all "
                                  "Paragraph objects with text")
    if not isinstance(article.chain, list) or not isinstance(article.byline, list):
        raise PluginError(plugin, "quoteledger_parse returned an Article whose chain or byline is not a list")
    return article


def take_origin(article: Article, document: Document) -> None:
    """Where and when an archive or crawl dump fetched the page: the address is where the page was
    seen, whatever link the page gives itself (a syndicated copy points at the original)."""
    if document.url:
        article.url = document.url
    article.fetched = document.fetched


def _extract_article(document: Document, host: PluginHost, choice, result: DocumentResult, whole: str) -> None:
    plugin = choice.plugin
    article = _check_article(host.call("quoteledger_parse", plugin, document=document, outlet=choice.outlet),
                             plugin)
    article.plugin = plugin
    article.chain = list(document.hints.get("chain", [])) + list(article.chain)
    take_origin(article, document)
    # The border: the page's text, as the plugin read it, made valid Unicode once, here.
    _warn_replaced(result, document.source, plugin, clean_article(article), "in what it read from the page")
    result.articles += 1
    _warn_no_story(result, document.source, plugin, article)

    paragraphs = article.story_paragraphs()
    story_text = article.story_text()
    quotations = find_quotations([p.text for p in paragraphs], [p.kind for p in paragraphs],
                                 style=choice.outlet.quote_style, headline=article.headline)
    _leave_invalid_speakers_unknown(quotations, result)
    host.call("quoteledger_postprocess_quotes", plugin, article=article, quotations=quotations)
    fingerprint = digest("copy", whole, str(document.hints.get("story_index", 0)), story_text)
    # A date validate would reject is never written (the plugin's hooks have all run by now).
    for problem in drop_unreal_dates(article):
        result.warnings.append(f"{document.source}: plugin {plugin}: {problem}")
    try:
        article_rec = article_record(article, shown_path(document.source), fingerprint)
    except Exception as exc:
        raise PluginError(plugin, f"its Article cannot be made a record: {raised(exc)}") from exc
    if not isinstance(quotations, list):
        raise PluginError(plugin, f"quoteledger_postprocess_quotes left {type(quotations).__name__}, not a list")
    shared = _StoryRecords(article_rec)
    for quotation in quotations:
        problem = _record_problem(quotation, article, shared, story_text, result)
        if problem:
            result.errors.append(f"{document.source}: plugin {plugin}: {problem}")


def _warn_no_story(result: DocumentResult, source: str, plugin: str, article: Article) -> None:
    """A page where no reader found a story (nothing, or only its headline) is never passed over
    in silence: its quotations would all be lost without a word."""
    if is_story(article.paragraphs, article.headline):
        return
    tried = ", ".join(article.readers_tried) if article.readers_tried else "its own"
    result.warnings.append(f"{shown_path(source)}: plugin {plugin}: no story found on the page, nothing "
                           f"beyond its headline (readers tried: {tried}); no quotations can come from it")


def _warn_replaced(result: DocumentResult, source: str, plugin: Optional[str], replaced: int, where: str) -> None:
    if replaced:
        result.warnings.append(replaced_warning(source, plugin, replaced, where))


def replaced_warning(source: str, plugin: Optional[str], replaced: int, where: str) -> str:
    who = f" plugin {plugin}:" if plugin else ""
    return (f"{source}:{who} {replaced} character(s) that are not valid Unicode (lone surrogates, as a JSON "
            f"\\udfff escape makes, or NUL) {where}, replaced with U+FFFD")


def _leave_invalid_speakers_unknown(quotations: list, result: DocumentResult) -> None:
    """A speaker the engine named that would break the schema (an empty name) costs that speaker
    only: the quotation keeps an unknown speaker, with a warning, and the document goes on. (A
    plugin's postprocessing that breaks a record is that plugin's error, reported as such.)"""
    for quotation in quotations:
        fault = speaker_fault(quotation.speaker)
        if fault:
            result.warnings.append(f"{shown_path(result.source)}: speaker of {quotation.text[:40]!r} left unknown: {fault}")
            quotation.speaker = Speaker()


def _record_problem(quotation, article: Article, shared: _StoryRecords, story_text: str,
                    result: DocumentResult) -> Optional[str]:
    """Build and check one record; append it when sound, else say what is wrong with it."""
    if not isinstance(quotation, Quotation):
        return f"quotations hold {type(quotation).__name__}, not a Quotation"
    if not isinstance(quotation.text, str) or not isinstance(quotation.start, int) \
            or not isinstance(quotation.end, int):
        return f"quotation {quotation.text!r:.60} has a text or span of the wrong type"
    try:
        record = quote_record(quotation, article, shared.article_rec)
    except Exception as exc:
        return f"record for {quotation.text[:40]!r} cannot be built: {type(exc).__name__}: {exc}"
    problems = [] if shared.quick_valid(record) else errors_for(record, "quote")
    if problems:
        path, message = problems[0]
        return f"record for {quotation.text[:40]!r} breaks the quote schema at {path}: {message[:200]}"
    if story_text[quotation.start:quotation.end] != quotation.text:
        return f"span {quotation.start}-{quotation.end} does not hold {quotation.text[:40]!r}"
    try:
        text = shared.canonical_json(record)
    except (TypeError, ValueError) as exc:
        return f"record for {quotation.text[:40]!r} is not plain JSON: {exc}"
    if not is_valid(text) or "\\u0000" in text:
        # What a plugin set after the page was read (a speaker, a cue): made valid here instead.
        # (JSON writes a NUL as an escape, which a plain backslash-u0000 in a text also matches.)
        replaced = [0]
        record = clean_strings(record, replaced)
        text = _canonical_json(record)
        _warn_replaced(result, result.source, article.plugin, replaced[0], "in a quotation's record")
    result.records.append(record)
    result.texts.append(text)
    return None
