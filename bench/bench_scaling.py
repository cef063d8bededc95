"""How quote extraction time grows on adversarial text, HTML parsing on adversarial markup, and
export time on one speaker's many quotations: each case at 1x, 10x and 100x its base size, with the ratios. Linear growth gives ratios near 10 and 100; a ratio well above that is
super-linear behaviour, named with the case that shows it.

    .venv/bin/python bench/bench_scaling.py [--base CHARS] [--quotations N] [--cap SECONDS] [--only NAME] [--strict]

A measurement that runs past --cap is cut off (with the pipeline's own per-document deadline)
and its ratio printed as a lower bound. --strict exits 1 when any case grows super-linearly.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from typing import Callable

from quoteledger.htmltools import element_text, parse_html
from quoteledger.ledger import PartialLedger
from quoteledger.model import Document
from quoteledger.pipeline import DocumentTimeout, deadline, extract_document
from quoteledger.quotes import find_quotations

# A ratio this far above the size ratio counts as super-linear (timing noise and caches stay under).
SLACK = 2.0


def repeat_to(unit: str, chars: int) -> str:
    return unit * max(1, chars // len(unit))


def mark_soup(chars: int) -> str:
    rng = random.Random(1)
    pieces = ["\"", "'", "\u201c", "\u201d", "\u2018", "\u2019", " said", " Jane Doe", " the", " voters'", ", ", ". "]
    out, size = [], 0
    while size < chars:
        piece = rng.choice(pieces)
        out.append(piece)
        size += len(piece)
    return "".join(out)


# name -> (paragraphs for a size in characters). One paragraph unless the case is about many.
CASES: dict[str, Callable[[int], list]] = {
    "unbalanced-marks-line": lambda n: [repeat_to(' "a', n)],
    "apostrophes": lambda n: [repeat_to("'", n)],
    "plural-possessives": lambda n: [repeat_to("voters' ", n)],
    "curly-openers": lambda n: [repeat_to("\u201c", n)],
    "mark-soup": lambda n: [mark_soup(n)],
    "giant-paragraph-sentences": lambda n: [repeat_to("He went home. ", n)],
    "sentence-of-partial-quotes": lambda n: [repeat_to('He called it "x" and "y" ', n)],
    "sentence-of-bare-quotations": lambda n: [repeat_to('"a" ', n)],
    "sentence-of-attributed-quotes": lambda n: [repeat_to('"Hi there," said John Smith, ', n)],
    "paragraphs-of-pronoun-cues": lambda n: ['"Hi there," he said.'] * max(1, n // 20),
    "participle-cues": lambda n: [repeat_to('Smith said it, adding that "no" ', n)],
    "run-of-full-stops": lambda n: ["He said " + "." * n + " and left."],
    "run-of-ellipses": lambda n: ["He said " + "\u2026" * n + " and left."],
    "run-of-exclamation-marks": lambda n: ["Stop" + "!" * n + " he said."],
}


def timed(work: Callable[[], object], cap: float) -> float | None:
    """CPU seconds for one run of work (best of three when quick; CPU time, as the machine may be
    shared); None when it ran past cap."""
    best = None
    for _ in range(3):
        start = time.process_time()
        try:
            with deadline(cap):
                work()
        except DocumentTimeout:
            return None
        took = time.process_time() - start
        best = took if best is None else min(best, took)
        if took > 0.5:
            break
    return best


# -- ledger export: one speaker's many quotations ----------------------------------------------

def speaker_story(quotations: int, words: Callable[[int], str]) -> list:
    """The quote records of one story in which John Smith says `quotations` things, words(n) each."""
    text = "Mayor speaks\n\nBy Staff\n\n" + "".join(f'"{words(n)}," said John Smith.\n\n' for n in range(quotations))
    result = extract_document(Document(source="bench.txt", text=text, is_html=False), timeout=None)
    return result.records


def entries_of(records: list) -> Callable[[], list]:
    """What export computes from a ledger's rows (best sighting, containment links, entries), in memory."""
    partial = PartialLedger.from_records(records)
    return lambda: list(partial.entries())


# name -> (records for a size in quotations): export cases, sizes counted in quotations.
EXPORT_CASES: dict[str, Callable[[int], Callable]] = {
    "same-opening-words": lambda n: entries_of(speaker_story(n, lambda k: f"We will build the new bridge number {k}")),
    "nested-repeats": lambda n: entries_of(speaker_story(n, lambda k: " ".join(["again"] * (k % 40 + 1)) + f" bridge {k}")),
}


def crowded_tags(chars: int, attributes_per_tag: int, attribute: Callable[[int], str]) -> str:
    """A page of about `chars` characters of tags with `attributes_per_tag` attributes each."""
    tags, size, k = [], 0, 0
    while size < chars:
        tag = "<div " + " ".join(attribute(k + i) for i in range(attributes_per_tag)) + ">x</div>"
        tags.append(tag)
        size += len(tag)
        k += attributes_per_tag
    return "<html><body>" + "".join(tags) + "</body></html>"


# name -> (page for a size in characters): libxml2 compares each attribute of a tag with the
# tag's earlier ones, so one tag's attributes are quadratic unless cut before parsing.
HTML_CASES: dict[str, Callable[[int], str]] = {
    "one-tag-of-many-attributes": lambda n: crowded_tags(n, max(1, n // 7), lambda k: f"a{k}"),
    "one-tag-of-quoted-gt-attributes": lambda n: crowded_tags(n, max(1, n // 12), lambda k: f'a{k}=">"'),
    "tags-of-199-attributes": lambda n: crowded_tags(n, 199, lambda k: f"a{k % 199}"),
}


def many_authors(chars: int) -> str:
    """A story page whose JSON-LD names about chars / 30 authors, no two alike."""
    names = [{"@type": "Person", "name": f"Ann {_letters(k).capitalize()}"} for k in range(max(1, chars // 30))]
    ld = json.dumps({"@type": "NewsArticle", "headline": "Budget talks", "author": names})
    return (f'<html><head><script type="application/ld+json">{ld}</script></head><body><article>'
            "<p>\u201cWe will hold the line on the budget,\u201d said Jane Smith, the mayor.</p></article></body></html>")


def _letters(k: int) -> str:
    out = ""
    while True:
        out, k = "abcdefghijklmnopqrstuvwxyz"[k % 26] + out, k // 26
        if not k:
            return out


# name -> (page for a size in characters), read whole by the pipeline as one document.
PAGE_CASES: dict[str, Callable[[int], str]] = {
    "json-ld-many-authors": many_authors,
}


def nested_html(elements: int) -> float:
    html = "<html><body>" + "<div>" * elements + "<p>deep</p>" + "</div>" * elements + "</body></html>"
    start = time.perf_counter()
    element_text(parse_html(html))
    return time.perf_counter() - start


def fmt(seconds: float | None, cap: float) -> str:
    return f">{cap:.0f}s" if seconds is None else f"{seconds * 1000:.1f}ms"


def ratio(big: float | None, small: float | None, cap: float) -> tuple[str, float]:
    if small is None:
        return "n/a", float("inf")
    value = (cap if big is None else big) / max(small, 1e-6)
    return (">=" if big is None else "") + f"{value:.1f}", value


def run_case(name: str, make: Callable[[int], Callable], base: int, cap: float) -> bool:
    """make(size) -> the work to time at that size."""
    times = [timed(make(base * k), cap) for k in (1, 10)]
    times.append(timed(make(base * 100), cap) if times[1] is not None else None)
    r10, v10 = ratio(times[1], times[0], cap)
    r100, v100 = ratio(times[2], times[0], cap)
    linear = v10 <= 10 * SLACK and v100 <= 100 * SLACK
    print(f"{name:32s} {fmt(times[0], cap):>10s} {fmt(times[1], cap):>10s} {fmt(times[2], cap):>10s} "
          f"{r10:>8s} {r100:>8s}  {'linear' if linear else 'SUPER-LINEAR'}", flush=True)
    return linear


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2000, help="1x size in characters (default 2000)")
    parser.add_argument("--quotations", type=int, default=80, help="1x size of the export cases (default 80)")
    parser.add_argument("--cap", type=float, default=20.0, help="give up on one measurement after this")
    parser.add_argument("--only", help="run only cases whose name contains this")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a case grows super-linearly")
    args = parser.parse_args(argv)
    print(f"quote extraction on adversarial text, 1x = {args.base} characters")
    print(f"{'case':32s} {'1x':>10s} {'10x':>10s} {'100x':>10s} {'10x/1x':>8s} {'100x/1x':>8s}")
    slow = [name for name, make in CASES.items()
            if (not args.only or args.only in name)
            and not run_case(name, lambda n, make=make: lambda: find_quotations(make(n)), args.base, args.cap)]
    print(f"\nledger entries (export) of one speaker's quotations, 1x = {args.quotations} quotations")
    slow += [name for name, make in EXPORT_CASES.items()
             if (not args.only or args.only in name) and not run_case(name, make, args.quotations, args.cap)]
    print(f"\nHTML parsing and text of adversarial markup, 1x = {args.base} characters")
    slow += [name for name, make in HTML_CASES.items()
             if (not args.only or args.only in name)
             and not run_case(name, lambda n, make=make: lambda: element_text(parse_html(make(n))), args.base, args.cap)]
    print(f"\npages of adversarial metadata, read by the pipeline, 1x = {args.base} characters")
    slow += [name for name, make in PAGE_CASES.items()
             if (not args.only or args.only in name)
             and not run_case(name, lambda n, make=make: lambda: extract_document(Document("page.html", make(n), True)),
                              args.base, args.cap)]
    if not args.only or "nested" in args.only:
        small, large = nested_html(1000), nested_html(100_000)
        print(f"{'html-nested-elements (1k, 100k)':32s} {fmt(small, 0):>10s} {'':>10s} {fmt(large, 0):>10s} "
              f"{'':>8s} {large / max(small, 1e-6):>8.1f}  parse and text of 100,000 nested <div>")
    if slow:
        print(f"super-linear: {', '.join(slow)}")
    return 1 if slow and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
