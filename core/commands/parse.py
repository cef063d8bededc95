"""quoteledger parse PATH...: the articles the plugins read from each page (outlet, headline,
byline, dates, paragraphs, and the reader that found the story), as JSON: for checking a plugin,
not for the ledger; a page where no reader found a story is named in a warning. Pages are read
under the same deadline as extract's (--timeout), in a child process the kernel can stop when a
page holds C code past it (supervised.py): one stuck page costs itself, never the run."""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Optional

from ..archives import Problem, Skipped, add_input_options, documents, input_items, is_archive_item, skipped_summary
from ..archives.crawldump import FieldError, field_names
from ..interrupts import is_stop
from ..parallel import _cpu_limit, _record_place
from ..pipeline import (DEFAULT_TIMEOUT, DocumentResult, DocumentTimeout, _check_article, _split, deadline,
                        detector_faults, replaced_warning, take_origin)
from ..plugins import PluginError, get_host
from ..progress import Progress, rate
from ..readers import is_story
from ..reading import InputError, load_document
from ..validtext import clean_article, shown_path
from ..supervised import Skipping, SupervisedWorker, usable
from .common import AtomicOutput, Unread, no_documents, report, seconds, unusable_plugins_said


def add_parser(subparsers):
    p = subparsers.add_parser("parse", help="show the articles plugins parse from pages")
    p.add_argument("paths", nargs="+", metavar="PATH", help="pages, WARC files or crawl dumps, or folders of them")
    p.add_argument("--timeout", type=seconds("no limit"), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for reading and parsing one page (default {DEFAULT_TIMEOUT:g}; "
                        "0 for none); a page past it is an error and the run goes on")
    add_input_options(p)
    return p


def stories(document, host, depth=0, faults: Optional[list] = None, say=None):
    """(document, choice, article) for each story of a page. faults: given a list, the detectors
    that broke on a page are added to it (PluginHost.choose). say: given, it is told of text made
    valid (lone surrogates, NUL), as extract's warnings tell it."""
    choice = host.choose(document, faults)
    if choice is None:
        raise PluginError("-", "no plugin claims this document")
    if choice.outlet.container and depth < 3:
        parts = _split(document, host, choice.plugin, choice.outlet)
        if parts:
            for part in parts:
                part.fetched = part.fetched or document.fetched
                yield from stories(part, host, depth + 1, faults, say)
            return
    # Checked as the pipeline checks it: a plugin handing back the wrong thing is its error, not a traceback.
    article = _check_article(host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet),
                             choice.plugin)
    article.plugin = choice.plugin
    take_origin(article, document)
    replaced = clean_article(article)   # as the pipeline does: what is shown is what records would hold
    if replaced and say is not None:
        say(f"warning: {replaced_warning(shown_path(document.source), choice.plugin, replaced, 'in what it read from the page')}")
    yield document, choice, article


def _documents(item):
    """(document, warnings), Skipped or Problem for each document of one unit of input."""
    if not is_archive_item(item):
        try:
            yield load_document(item)
        except InputError as exc:
            message = str(exc)          # names its file already: shown once
            yield Problem(item, message[len(item) + 2:] if message.startswith(f"{item}: ") else message)
        return
    yield from documents(item)


@dataclass
class _Parsed:
    """What parse made of one document: its JSON text, the lines to report, whether it failed, or
    why it was skipped (an archive's record that is no page)."""

    source: str
    text: str = ""
    reports: list = field(default_factory=list)
    failed: bool = False
    skipped: Optional[str] = None
    faulted: bool = False      # a plugin broke on it without costing its reading (pipeline.plugin_faults)


class _ParseTask:
    """parse's work on one unit of input (a page, or an archive's slice), never an exception; run
    in the supervised child, or here when there is no deadline or no fork."""

    def __init__(self, timeout: Optional[float]):
        self.timeout = timeout

    def many(self, items: list) -> list:
        return [parsed for item in items for parsed in self.results(item)]

    def results(self, item) -> list:
        skip = {}
        if isinstance(item, Skipping):      # read again after its reader was stopped on one record
            item, skip = item.item, item.skip
        if not is_archive_item(item):
            return [self._guarded(item, lambda: self._page(item))]
        out = []
        for place, read in enumerate(_documents(item)):
            if not isinstance(read, tuple):
                out.append(_unread(read))
            elif place in skip:
                out.append(_Parsed(read[0].source, reports=[f"{read[0].source}: {skip[place]}"], failed=True))
            else:
                _record_place(place)
                out.append(self._guarded(read[0].source, lambda: self._parse(*read)))
                _record_place(-1)
        return out

    def _page(self, path: str) -> _Parsed:
        read = next(_documents(path))
        return self._parse(*read) if isinstance(read, tuple) else _unread(read)

    @staticmethod
    def _parse(document, warnings: list) -> _Parsed:
        parsed = _Parsed(document.source, reports=[f"warning: {warning}" for warning in warnings])
        texts: list = []
        faults: list = []
        host = get_host()
        with host.keep_signal_mask():
            parsed.failed = bool(_write_stories(document, host, _Collect(texts), parsed.reports.append, faults))
        parsed.faulted = bool(faults)
        parsed.text = "".join(texts)
        return parsed

    def _guarded(self, source: str, work) -> _Parsed:
        """work() under the page's deadline (and, in the child, its CPU limit): whatever it
        raises costs this page only, except a real stop (Ctrl-C, SIGTERM)."""
        try:
            with _cpu_limit(self.timeout), deadline(self.timeout):
                return work()
        except DocumentTimeout as exc:
            return _Parsed(source, reports=[f"{source}: {exc}"], failed=True)
        except RecursionError:
            return _Parsed(source, reports=[f"{source}: too deeply nested to read"], failed=True)
        except BaseException as exc:  # a bug in the engine or a plugin must cost one page
            if is_stop(exc):
                raise
            return _Parsed(source, reports=[f"{source}: parsing failed ({type(exc).__name__}: {exc})"],
                           failed=True)


class _Collect:
    """An output that keeps what is written, for the parent to write in its turn."""

    def __init__(self, texts: list):
        self.write = texts.append


def _unread(read) -> _Parsed:
    if isinstance(read, Skipped):
        return _Parsed(str(read.reason), skipped=read.reason)
    return _Parsed(read.source, reports=[f"{read.source}: {read.message}"], failed=True)


def _parsed_pages(items, timeout: Optional[float]):
    task = _ParseTask(timeout)
    if timeout and usable():
        for result in SupervisedWorker(task).map(items):
            # The supervisor's own report of a page whose child was stopped (DocumentResult).
            yield (_Parsed(result.source, reports=list(result.errors), failed=True)
                   if isinstance(result, DocumentResult) else result)
    else:
        for item in items:
            yield from task.results(item)


def run(args) -> int:
    try:
        fields = field_names(args.field)
    except FieldError as exc:
        report(str(exc))
        return 2
    host = get_host()
    progress = Progress("parsed", quiet=args.quiet)
    progress.count(args.paths)
    unread = Unread()
    done = failed = faulted = 0
    skips: Counter = Counter()
    started = time.monotonic()
    # A plugin's own prints go to stderr, not into the JSON; a plugin changing folder is put back.
    with AtomicOutput(None) as out, host.keep_folder():
        items = input_items(args.paths, fields, on_archive=progress.uncountable, skipped=unread)
        for parsed in _parsed_pages(items, args.timeout):
            if parsed.skipped:
                skips[parsed.skipped] += 1
                continue
            done += 1
            for line in parsed.reports:
                report(line)
            if parsed.text:
                out.write(parsed.text)
            failed += parsed.failed
            faulted += parsed.faulted
            progress.tick(done, failed)
    progress.close()
    if skips:
        report(skipped_summary(skips))
    if not done:
        no_documents(args.paths)
    elif progress.enabled:
        report(f"{done:,} documents parsed ({failed:,} failed), {rate(done, time.monotonic() - started)} a second")
    broken = unusable_plugins_said()
    return 1 if failed or faulted or broken or unread.lost or not done else 0


def _write_stories(document, host, out, say=report, faults: Optional[list] = None) -> int:
    """Write the document's articles; 1 when it failed (said), else 0. faults: the detectors that
    broke on it are added there, and said."""
    faults = [] if faults is None else faults
    try:
        return _write_articles(document, host, out, say, faults)
    finally:
        for line in detector_faults(document.source, faults):
            say(line)


def _write_articles(document, host, out, say, faults: list) -> int:
    try:
        for story, choice, article in stories(document, host, faults=faults, say=say):
            data = asdict(article)
            # Running text as plain strings; any other kind (heading, item, blockquote, embed) as
            # {"kind", "text"}, so the kind is shown in place without becoming words of the text.
            data["paragraphs"] = [p["text"] if p["kind"] == "text" else {"kind": p["kind"], "text": p["text"]}
                                  for p in data["paragraphs"]]
            data["document"] = shown_path(story.source)
            data["chosen_because"] = choice.reason
            out.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
            if not is_story(article.paragraphs, article.headline):
                tried = ", ".join(article.readers_tried) or "its own"
                say(f"warning: {shown_path(story.source)}: plugin {choice.plugin}: no story found "
                    f"on the page (readers tried: {tried})")
        return 0
    except PluginError as exc:
        say(f"{document.source}: {exc}")
        return 1
