"""Size and opening time of `quoteledger report` on a large ledger (issue 14: usable at 100,000
quotations).

    .venv/bin/python bench/bench_report.py [--quotations 100000] [--workdir DIR]

Builds a synthetic ledger in a temporary folder (our own made-up words: N quotations by 2,000
speakers in 20 outlets, ten to a story; one in ten carried again by one to three other outlets
with its case and punctuation changed, so it has a journey with changed words), then measures:
refreshing the plain tables from the records, writing the report (the real command, as a
subprocess, CPU seconds), the file's size, and in headless Chromium (the system's `chromium`, as
tests/test_report.py drives it) the time from navigation to the page being ready, and the time
one keystroke in the filter box takes to redraw the rows. Figures, never assertions: timing never
gates CI. Without Chromium the browser rows say why they are missing.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))          # headless_chromium: the browser driver the tests use

from quoteledger.ids import article_id, digest, quote_id, sighting_id  # noqa: E402
from quoteledger.ledger import Ledger, PartialLedger  # noqa: E402

OUTLETS = 20
SPEAKERS = 2000
PER_STORY = 10
SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tu", "vel", "dor", "an", "bri", "cos", "fen", "gal", "hu", "ist", "jor")


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def article(outlet: int, story: int, day: int) -> dict:
    headline = f"Story {story} of outlet {outlet}"
    url = f"https://outlet{outlet}.example/news/{story}"
    fingerprint = digest("bench-copy", str(outlet), str(story))
    return {"id": article_id(headline, url, fingerprint),
            "publisher": {"outlet": f"Outlet {outlet} News", "edition": None, "organization": f"Group {outlet % 7}",
                          "plugin": "bench"},
            "headline": headline, "byline": [], "published": f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}",
            "modified": None, "url": url, "section": None, "dateline": None, "document": f"outlet{outlet}-{story}.html",
            "fingerprint": fingerprint}


def record(text: str, story: dict, start: int, speaker: str) -> dict:
    qid = quote_id(text)
    return {"schema_version": "1.0", "id": sighting_id(qid, story["fingerprint"], start, start + len(text)),
            "quote_id": qid, "text": text, "kind": "full", "cue": "said",
            "speaker": {"name": speaker, "mention": speaker.split()[-1], "kind": "person", "role": "minister",
                        "organization": None},
            "span": {"start": start, "end": start + len(text)}, "paragraph": start // 100, "confidence": 0.9,
            "secondary_source": None,
            "source_chain": [{"role": "publisher", "name": story["publisher"]["outlet"],
                              "organization": story["publisher"]["organization"], "detail": None, "url": story["url"]}],
            "article": story}


def restyled(text: str, rng: random.Random) -> str:
    """The same words as another outlet prints them: a word in capitals, a comma gone or added."""
    words = text.split()
    n = rng.randrange(len(words))
    words[n] = words[n].upper() if rng.random() < 0.5 else words[n].rstrip(",") + ","
    return " ".join(words)


def build_ledger(path: Path, quotations: int, seed: int = 7) -> float:
    """Returns the CPU seconds the plain tables' refresh took."""
    rng = random.Random(seed)
    speakers = [f"{word(rng).title()} {word(rng).title()}" for _ in range(SPEAKERS)]
    records, stories = [], 0
    for n in range(0, quotations, PER_STORY):
        outlet = rng.randrange(OUTLETS)
        story = article(outlet, stories, rng.randrange(300))
        stories += 1
        for k in range(min(PER_STORY, quotations - n)):
            text = " ".join(word(rng) for _ in range(rng.randint(6, 30))).capitalize() + "."
            # a few speakers quoted very often, most now and then
            speaker = speakers[int(rng.paretovariate(1.2)) % SPEAKERS if rng.random() < 0.5 else rng.randrange(SPEAKERS)]
            records.append(record(text, story, k * 200, speaker))
            if rng.random() < 0.1:
                for other in rng.sample([o for o in range(OUTLETS) if o != outlet], rng.randint(1, 3)):
                    again = article(other, stories, rng.randrange(300))
                    stories += 1
                    records.append(record(restyled(text, rng), again, 0, speaker))
    with Ledger(str(path)) as ledger:
        chunk = 20_000
        for i in range(0, len(records), chunk):
            ledger.add_partial(PartialLedger.from_records(records[i:i + chunk]))
        started = time.process_time()
        ledger.refresh_tables()
        return time.process_time() - started


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_report(ledger: Path, page: Path) -> tuple:
    before, wall = child_cpu(), time.monotonic()
    subprocess.run([str(Path(sys.executable).parent / "quoteledger"), "report", "--ledger", str(ledger), "-o", str(page)],
                   check=True, capture_output=True)
    return child_cpu() - before, time.monotonic() - wall


def browser_figures(page: Path, runs: int = 3) -> dict:
    from headless_chromium import Browser, find_chromium

    executable = find_chromium()
    if executable is None:
        return {"error": "no Chromium on PATH (Debian: apt-get install chromium)"}
    opened, keystroke, heap = [], [], None
    with Browser(executable, timeout=300) as browser:
        for _ in range(runs):
            tab = browser.new_page()
            started = time.monotonic()
            tab.goto(page.as_uri())
            opened.append(time.monotonic() - started)
            tab.evaluate("document.getElementById('filter').focus()")
            started = time.monotonic()
            tab.type("k")
            tab.wait_for("document.getElementById('count').textContent.indexOf(' of ') > 0")
            keystroke.append(time.monotonic() - started)
            heap = tab.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
    return {"open_s": sorted(opened)[len(opened) // 2], "keystroke_s": sorted(keystroke)[len(keystroke) // 2],
            "heap_mb": heap / 1e6 if heap else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotations", type=int, default=100_000)
    parser.add_argument("--workdir", help="where to build the ledger (default: a temporary folder, removed after)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quoteledger-bench-report-") as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        ledger, page = work / "bench.db", work / "report.html"
        for leftover in (ledger, page):
            leftover.unlink(missing_ok=True)
        refresh = build_ledger(ledger, args.quotations)
        with Ledger(str(ledger), readonly=True) as opened:
            counts = opened.con.execute("SELECT (SELECT COUNT(*) FROM quotations), (SELECT COUNT(*) FROM sightings), "
                                        "(SELECT COUNT(*) FROM speakers)").fetchone()
        cpu, wall = write_report(ledger, page)
        seen = browser_figures(page)
        print(f"ledger: {counts[0]:,} quotations, {counts[1]:,} sightings, {counts[2]:,} speakers, "
              f"{ledger.stat().st_size / 1e6:.1f} MB")
        print(f"plain tables refresh      {refresh:8.2f} s CPU")
        print(f"report written            {cpu:8.2f} s CPU ({wall:.2f} s wall)")
        print(f"report size               {page.stat().st_size / 1e6:8.1f} MB")
        if "error" in seen:
            print(f"browser                   not measured: {seen['error']}")
        else:
            print(f"opened in Chromium        {seen['open_s']:8.2f} s (navigation to ready, median of 3)")
            print(f"one keystroke in filter   {seen['keystroke_s']:8.2f} s (filter {counts[0]:,} and redraw)")
            if seen["heap_mb"]:
                print(f"JavaScript heap           {seen['heap_mb']:8.0f} MB")


if __name__ == "__main__":
    main()
