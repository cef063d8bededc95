"""The same pages read from a WARC.gz and as loose files: pages a second, peak memory, and whether
the two ledgers hold the same quotations, speakers and sightings (issue 16's bench line).

Run it from the repository, with ../shared beside it (some minutes on 2 cores):

    .venv/bin/python bench/bench_warc.py                 # 10,000 pages, --jobs 1 and 2
    .venv/bin/python bench/bench_warc.py --docs 2000 --jobs 2

It replicates the HTML pages of ../shared/corpus/html that give their own address (canonical link
or og:url; a page without one would be named by a made-up URL in the archive and by none as a
file, so its articles could not match) into --docs pages, each a little different (a comment
carrying its number, as bench_throughput.py does), and writes them twice: as files in folders,
and as one WARC.gz of --docs response records, a gzip member each, made by
quoteledger.archives.writer, each record's WARC-Target-URI the page's own address. It then runs
`quoteledger ingest` on each (subprocesses; the runs interleaved, files then archive, for each
--jobs) and prints pages/s (wall and per CPU second), the peak resident memory of the process
tree, the WARC's rate as a share of the files' (target: 0.9 or more), and a comparison of the two
ledgers: quotations, speakers and sightings must be the same; the article copies too once their
`document` (a file path, or FILE#RECORD-ID) and `fetched` (the archive's WARC-Date) are set aside.
Last, how fast FastWARC and warcio (when installed) go through the same WARC.gz, framing each
record and reading its bytes: why the warc extra is FastWARC. Figures, never assertions.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import SHARED, code_stamp, print_table, row, run_cli, verdict  # noqa: E402

from quoteledger.archives import writer  # noqa: E402
from quoteledger.plugin_base import page_url  # noqa: E402
from quoteledger.reading import load_document  # noqa: E402

TARGETS = {"warc_vs_files": 0.9, "rss_mib": 300}


# -- the corpus ---------------------------------------------------------------------------------

def seed_pages() -> list:
    """(bytes, address) of each corpus HTML page that states its own address."""
    seeds = []
    for path in sorted((SHARED / "corpus" / "html").glob("*.html")):
        url = page_url(load_document(str(path))[0])
        if url and url.startswith(("http://", "https://")):
            seeds.append((path.read_bytes(), url))
    if not seeds:
        sys.exit(f"bench: no HTML pages with an address of their own in {SHARED / 'corpus' / 'html'}")
    return seeds


def build(count: int, work: Path) -> tuple:
    """count pages as files under work/files and as response records in work/crawl.warc.gz.
    Returns (pages' total bytes, the WARC's bytes, seed pages used)."""
    seeds = seed_pages()
    folder = work / "files"
    folder.mkdir(parents=True)
    total = 0
    with open(work / "crawl.warc.gz", "wb") as out:
        records = []
        for n in range(count):
            page, url = seeds[n % len(seeds)]
            data = page.replace(b"</body>", f"<!-- replica {n} --></body>".encode(), 1)
            data = data if data != page else page + f"\n<!-- replica {n} -->\n".encode()
            path = folder / f"{n // 1000:03d}" / f"{n:06d}.html"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            total += len(data)
            # The content type a server would send with the page; the charset left to the page.
            records.append(writer.Response(url, data, content_type="text/html").record())
            if len(records) == 500:
                writer.write_warc(out, records)
                records = []
        writer.write_warc(out, records)
    return total, (work / "crawl.warc.gz").stat().st_size, len(seeds)


# -- comparing the ledgers ----------------------------------------------------------------------

def ledger_content(path: Path) -> dict:
    """What the two ledgers must share: sightings whole; article copies without the fields that
    name where and when the copy was read."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sightings = sorted(con.execute("SELECT quote_id, id, fingerprint, record FROM sighting_records"))
        copies = []
        for fingerprint, article_id, record in con.execute(
                "SELECT fingerprint, article_id, record FROM article_copies ORDER BY fingerprint"):
            data = json.loads(record)
            data.pop("document", None)
            data.pop("fetched", None)
            copies.append((fingerprint, article_id, json.dumps(data, sort_keys=True)))
    finally:
        con.close()
    speakers = {json.dumps(json.loads(record).get("speaker"), sort_keys=True) for *_, record in sightings}
    return {"quotations": {q for q, *_ in sightings}, "speakers": speakers, "sightings": sightings,
            "article copies": copies}


def compare(files_db: Path, warc_db: Path) -> bool:
    a, b = ledger_content(files_db), ledger_content(warc_db)
    same = True
    for key in a:
        equal = a[key] == b[key]
        same &= equal
        print(f"  {key:<15} files {len(a[key]):>7,}  warc {len(b[key]):>7,}  {'same' if equal else 'DIFFER'}")
    return same


# -- the WARC libraries -------------------------------------------------------------------------

def read_with_fastwarc(path: Path) -> tuple:
    from fastwarc.warc import ArchiveIterator

    records = size = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, parse_http=False):
            size += len(record.reader.read())
            records += 1
    return records, size


def read_with_warcio(path: Path) -> tuple:
    from warcio.archiveiterator import ArchiveIterator

    records = size = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            size += len(record.raw_stream.read())
            records += 1
    return records, size


def library_speeds(path: Path, rounds: int = 3) -> None:
    print(f"\nreading {path.name} ({path.stat().st_size / 1e6:.1f} MB): each record framed and its bytes read, "
          f"CPU seconds, best of {rounds}")
    for name, reader in (("fastwarc", read_with_fastwarc), ("warcio", read_with_warcio)):
        try:
            best = None
            for _ in range(rounds):
                started = time.process_time()
                records, size = reader(path)
                spent = time.process_time() - started
                best = spent if best is None else min(best, spent)
        except ImportError:
            print(f"  {name:<9} not installed")
            continue
        print(f"  {name:<9} {records:>7,} records {size / 1e6:8.1f} MB  {best:6.2f} s  {records / best:9,.0f} records/s")


# -- the run ------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, action="append", help="jobs to run with (repeatable; default 1 and 2)")
    parser.add_argument("--workdir", help="where to build the pages (default: a temporary folder, removed after)")
    args = parser.parse_args()
    jobs_list = args.jobs or [1, 2]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="quoteledger-bench-warc-"))
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}", flush=True)
    try:
        size, warc_size, seeds = build(args.docs, work)
        print(f"corpus: {args.docs:,} pages from {seeds} seed pages, {size / 1e6:.1f} MB as files, "
              f"{warc_size / 1e6:.1f} MB as one WARC.gz", flush=True)
        stamp, rows, verdicts = code_stamp(), [], []
        for jobs in jobs_list:
            runs = {}
            for kind, target in (("files", work / "files"), ("warc", work / "crawl.warc.gz")):
                ledger = work / f"{kind}-{jobs}.db"
                run = run_cli(["ingest", "--jobs", str(jobs), "--ledger", str(ledger), str(target)], f"ingest {kind}")
                runs[kind] = row("ingest", kind, jobs, args.docs, size, run["seconds"], run["peak"], run["cpu"])
                rows.append(runs[kind])
                r = runs[kind]
                print(f"  {kind} jobs={jobs}: {r['docs_per_s']:.1f} pages/s, {r['docs_per_cpu_s']:.1f} per CPU second, "
                      f"peak {r['peak_rss_mib']:.0f} MiB; {run['stderr_tail']}", flush=True)
            print(f"ledgers with --jobs {jobs}:")
            same = compare(work / f"files-{jobs}.db", work / f"warc-{jobs}.db")
            share = runs["warc"]["docs_per_s"] / runs["files"]["docs_per_s"]
            cpu_share = runs["warc"]["docs_per_cpu_s"] / runs["files"]["docs_per_cpu_s"]
            verdicts.append(f"  jobs {jobs}: WARC / files pages/s {share:.3f} ({verdict(share, TARGETS['warc_vs_files'])}); "
                            f"per CPU second {cpu_share:.3f}; ledgers {'the same' if same else 'DIFFER'}")
        print()
        print_table(rows)
        print("\nratios")
        print("\n".join(verdicts))
        peak = max(r["peak_rss_mib"] for r in rows if r["input"] == "warc")
        print(f"  peak RSS of a WARC run (process tree): {peak:.0f} MiB "
              f"({verdict(peak, TARGETS['rss_mib'], higher=False)})")
        if code_stamp() != stamp:
            print("  (the code changed while the benchmark ran: the runs compared different code)")
        library_speeds(work / "crawl.warc.gz")
        print(f"load average after: {os.getloadavg()[0]:.2f} (above 0.5 means other work shared these cores; "
              f"pages per CPU second is the figure it disturbs least)")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
