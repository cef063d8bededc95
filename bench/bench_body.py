"""Quality and speed of the generic article reader on the WCXB article pages, beside trafilatura.

Run it from the repository, with ../shared beside it:

    .venv/bin/python bench/bench_body.py [--limit N] [--no-trafilatura]

For each page of ../shared/corpus/wcxb-dev-articles it reads the story as `quoteledger parse`
does (plugin choice, metadata, the reader chain) and, when trafilatura is importable, with
trafilatura.extract on the same decoded HTML; pages are timed one by one in CPU seconds, the two
readers interleaved (which goes first alternates), so both see the same machine. Each body is
scored against the page's reference with WCXB's method (word-level precision, recall and F1 per
page, averaged; a page is lost below F1 0.5), as ../shared/eval/body_score.py does. trafilatura
is not a dependency of quoteledger: install it beside the bench to see it (it is skipped, and
said so, where absent). Figures, never assertions: this is not a test.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PAGES = SHARED / "corpus" / "wcxb-dev-articles"
GOLD = SHARED / "gold" / "wcxb-dev-articles.jsonl"
WORD = re.compile(r"\w+", re.UNICODE)


def word_bag(text: str) -> collections.Counter:
    return collections.Counter(WORD.findall((text or "").lower()))


def scores(predicted: str, reference: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of the predicted body's words against the reference's, as bags."""
    got, want = word_bag(predicted), word_bag(reference)
    if not want:
        return (1.0, 1.0, 1.0) if not got else (0.0, 1.0, 0.0)
    if not got:
        return 0.0, 0.0, 0.0
    overlap = sum((got & want).values())
    p, r = overlap / sum(got.values()), overlap / sum(want.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def quoteledger_reader():
    from quoteledger.commands.parse import stories
    from quoteledger.model import Document
    from quoteledger.plugins import get_host

    host = get_host()

    def read(name: str, html: str) -> str:
        texts = [p.text for _, _, article in stories(Document(name, html, True), host) for p in article.paragraphs]
        return "\n\n".join(texts)
    return read


def trafilatura_reader():
    try:
        import trafilatura
    except ImportError:
        return None, None

    def read(name: str, html: str) -> str:
        return trafilatura.extract(html) or ""
    return read, getattr(trafilatura, "__version__", "?")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="read only the first N pages")
    ap.add_argument("--no-trafilatura", action="store_true", help="time quoteledger alone")
    args = ap.parse_args(argv)
    if not GOLD.exists() or not PAGES.is_dir():
        print(f"bench_body: {GOLD} or {PAGES} is not here; nothing to measure")
        return 0
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").split("\n") if line.strip()]
    gold = gold[:args.limit] if args.limit else gold
    readers = {"quoteledger": quoteledger_reader()}
    other, version = (None, None) if args.no_trafilatura else trafilatura_reader()
    if other is not None:
        readers[f"trafilatura {version}"] = other
    elif not args.no_trafilatura:
        print("bench_body: trafilatura is not importable here; quoteledger alone "
              "(pip install trafilatura beside the bench to compare)")
    rows = {name: [] for name in readers}
    seconds = {name: 0.0 for name in readers}
    for n, page in enumerate(gold):
        html = gzip.decompress((PAGES / page["doc"]).read_bytes()).decode("utf-8", errors="replace")
        order = list(readers) if n % 2 == 0 else list(reversed(readers))
        for name in order:
            start = time.process_time()
            try:
                text = readers[name](page["doc"], html)
            except Exception as exc:        # one page's failure is a lost page, not the end of the bench
                print(f"bench_body: {name} failed on {page['doc']}: {type(exc).__name__}: {exc}", file=sys.stderr)
                text = ""
            seconds[name] += time.process_time() - start
            rows[name].append(scores(text, page["body"]))
    print(f"{len(gold)} pages of {PAGES.name}, CPU seconds, readers interleaved")
    print(f"{'reader':<22} {'P':>6} {'R':>6} {'F1':>6} {'lost':>9} {'pages/s':>8} {'ms/page':>8}")
    rate = {}
    for name, found in rows.items():
        count = len(found) or 1
        p, r, f = (sum(x[i] for x in found) / count for i in range(3))
        lost = sum(1 for x in found if x[2] < 0.5)
        rate[name] = count / seconds[name] if seconds[name] else float("inf")
        print(f"{name:<22} {p:6.3f} {r:6.3f} {f:6.3f} {lost:4d}/{count:<4d} {rate[name]:8.1f} "
              f"{1000 * seconds[name] / count:8.2f}")
    if len(rate) == 2:
        ours, theirs = rate.values()
        print(f"quoteledger reads {ours / theirs:.1f}x as many pages a CPU second as trafilatura (target: 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
