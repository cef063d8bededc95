"""Where a document's time goes: milliseconds a page for each stage of the pipeline, in one process.

Run it from the repository, with ../shared beside it (under a minute):

    .venv/bin/python bench/bench_stages.py            # the HTML pages of ../shared/corpus/html
    .venv/bin/python bench/bench_stages.py --text     # the PolNeAR text stories

Each stage is timed over every page (CPU time, best of --rounds), calling the pipeline's own
functions in the order the pipeline does, so the stages add up to about the whole: reading and
decoding, the lxml parse (beside plain lxml.html.fromstring on the same bytes, the floor), the
outlet's detection, reading the article, finding and attributing quotations, and building,
checking and encoding the records. Figures, never assertions: this is not a test.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lxml import html as lxml_html

from quoteledger.pipeline import extract_document
from quoteledger.plugins import get_host
from quoteledger.quotes import find_quotations
from quoteledger.reading import load_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def best_ms(work, pages: int, rounds: int) -> float:
    """CPU milliseconds a page for work() over all pages, the best of `rounds` (after a warm-up)."""
    work()
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best / pages * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", action="store_true", help="the text stories instead of the HTML pages")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per stage (default 5)")
    args = parser.parse_args()
    folder = SHARED / "corpus" / ("polnear-dev" if args.text else "html")
    paths = sorted(str(p) for p in folder.glob("*.txt" if args.text else "*.html"))
    if not paths:
        sys.exit(f"bench_stages: no pages in {folder}")
    host = get_host()
    n, rounds = len(paths), args.rounds
    rows = []

    documents = [load_document(p)[0] for p in paths]
    rows.append(("read and decode", best_ms(lambda: [load_document(p) for p in paths], n, rounds)))
    if not args.text:
        def parse_trees():
            for d in documents:
                d._tree = None
                d.tree()
        data = [Path(p).read_bytes() for p in paths]
        rows.append(("parse (lxml, as the pipeline calls it)", best_ms(parse_trees, n, rounds)))
        floor = best_ms(lambda: [lxml_html.fromstring(b) for b in data], n, rounds)

    def detect():
        for d in documents:
            d.__dict__.pop("_detect_signals", None)     # what detection caches on the document
            host.choose(d)
    rows.append(("detect the outlet", best_ms(detect, n, rounds)))
    choices = [host.choose(d) for d in documents]

    def read_articles():
        return [host.call("quoteledger_parse", c.plugin, document=d, outlet=c.outlet)
                for d, c in zip(documents, choices)]
    rows.append(("read the article", best_ms(read_articles, n, rounds)))
    articles = read_articles()

    def quotations():
        for a in articles:
            story = a.story_paragraphs()
            find_quotations([p.text for p in story], [p.kind for p in story], headline=a.headline)
    rows.append(("find and attribute quotations", best_ms(quotations, n, rounds)))
    whole = best_ms(lambda: [extract_document(load_document(p)[0], host) for p in paths], n, rounds)
    rows.append(("records and the rest (whole minus the above)", whole - sum(ms for _, ms in rows)))

    print(f"{n} {'text stories' if args.text else 'HTML pages'} from {folder}, CPU ms a page, best of {rounds}")
    for name, ms in rows:
        print(f"  {name:<46} {ms:7.3f}")
    print(f"  {'whole extract_document':<46} {whole:7.3f}   ({1000 / whole:.0f} documents/s on one core)")
    if not args.text:
        print(f"  {'plain lxml.html.fromstring (the floor)':<46} {floor:7.3f}   (ratio {floor / whole:.3f})")


if __name__ == "__main__":
    main()
