"""quoteledger parse PATH...: the articles the plugins read from each page (outlet, headline,
byline, dates, paragraphs, and the reader that found the story), as JSON: for checking a plugin,
not for the ledger; a page where no reader found a story is named in a warning."""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict

from ..archives import Problem, Skipped, add_input_options, documents, input_items, is_archive_item, skipped_summary
from ..archives.crawldump import FieldError, field_names
from ..pipeline import _check_article, _split, take_origin
from ..plugins import PluginError, get_host
from ..progress import Progress, rate
from ..readers import is_story
from ..reading import InputError, load_document
from ..validtext import clean_article, shown_path
from .common import AtomicOutput, Unread, no_documents, report


def add_parser(subparsers):
    p = subparsers.add_parser("parse", help="show the articles plugins parse from pages")
    p.add_argument("paths", nargs="+", metavar="PATH", help="pages, WARC files or crawl dumps, or folders of them")
    add_input_options(p)
    return p


def stories(document, host, depth=0):
    choice = host.choose(document)
    if choice is None:
        raise PluginError("-", "no plugin claims this document")
    if choice.outlet.container and depth < 3:
        parts = _split(document, host, choice.plugin, choice.outlet)
        if parts:
            for part in parts:
                part.fetched = part.fetched or document.fetched
                yield from stories(part, host, depth + 1)
            return
    # Checked as the pipeline checks it: a plugin handing back the wrong thing is its error, not a traceback.
    article = _check_article(host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet),
                             choice.plugin)
    article.plugin = choice.plugin
    take_origin(article, document)
    clean_article(article)          # as the pipeline does: what is shown is what records would hold
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
    done = failed = 0
    skips: Counter = Counter()
    started = time.monotonic()
    # A plugin's own prints go to stderr, not into the JSON; a plugin changing folder is put back.
    with AtomicOutput(None) as out, host.keep_folder():
        for item in input_items(args.paths, fields, on_archive=progress.uncountable, skipped=unread):
            for read in _documents(item):
                if isinstance(read, Skipped):
                    skips[read.reason] += 1
                    continue
                done += 1
                if isinstance(read, Problem):
                    report(f"{read.source}: {read.message}")
                    failed += 1
                else:
                    document, warnings = read
                    for warning in warnings:
                        report(f"warning: {warning}")
                    failed += _write_stories(document, host, out)
                progress.tick(done, failed)
    progress.close()
    if skips:
        report(skipped_summary(skips))
    if not done:
        no_documents(args.paths)
    elif progress.enabled:
        report(f"{done:,} documents parsed ({failed:,} failed), {rate(done, time.monotonic() - started)} a second")
    return 1 if failed or unread.lost or not done else 0


def _write_stories(document, host, out) -> int:
    """Write the document's articles; 1 when it failed (reported), else 0."""
    try:
        for story, choice, article in stories(document, host):
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
                report(f"warning: {shown_path(story.source)}: plugin {choice.plugin}: no story found "
                       f"on the page (readers tried: {tried})")
        return 0
    except PluginError as exc:
        report(f"{document.source}: {exc}")
        return 1
