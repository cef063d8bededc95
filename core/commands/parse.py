"""quoteledger parse PATH...: the articles the plugins read from each page (outlet, headline,
byline, dates, paragraphs), as JSON: for checking a plugin, not for the ledger."""
from __future__ import annotations

import json
from dataclasses import asdict

from ..pipeline import _check_article, _split
from ..plugins import PluginError, get_host
from ..reading import InputError, iter_paths, read_document
from ..validtext import clean_article, shown_path
from .common import AtomicOutput, Unread, no_documents, report


def add_parser(subparsers):
    p = subparsers.add_parser("parse", help="show the articles plugins parse from pages")
    p.add_argument("paths", nargs="+", metavar="PATH")
    return p


def stories(document, host, depth=0):
    choice = host.choose(document)
    if choice is None:
        raise PluginError("-", "no plugin claims this document")
    if choice.outlet.container and depth < 3:
        parts = _split(document, host, choice.plugin, choice.outlet)
        if parts:
            for part in parts:
                yield from stories(part, host, depth + 1)
            return
    # Checked as the pipeline checks it: a plugin handing back the wrong thing is its error, not a traceback.
    article = _check_article(host.call("quoteledger_parse", choice.plugin, document=document, outlet=choice.outlet),
                             choice.plugin)
    article.plugin = choice.plugin
    clean_article(article)          # as the pipeline does: what is shown is what records would hold
    yield document, choice, article


def run(args) -> int:
    host = get_host()
    failed = documents = 0
    unread = Unread()
    # A plugin's own prints go to stderr, not into the JSON; a plugin changing folder is put back.
    with AtomicOutput(None) as out, host.keep_folder():
        for path in iter_paths(args.paths, skipped=unread):
            documents += 1
            try:
                for document, choice, article in stories(read_document(path), host):
                    data = asdict(article)
                    data["paragraphs"] = [f"[{p['kind']}] {p['text']}" if p["kind"] != "text" else p["text"]
                                          for p in data["paragraphs"]]
                    data["document"] = shown_path(document.source)
                    data["chosen_because"] = choice.reason
                    out.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
            except InputError as exc:           # names its file already
                report(str(exc))
                failed = 1
            except PluginError as exc:
                report(f"{path}: {exc}")
                failed = 1
    if not documents:
        no_documents(args.paths)
    return 1 if failed or unread.lost or not documents else 0
