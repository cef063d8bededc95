"""Throughput of quoteledger extract and ingest, against the floor of lxml parsing the same HTML.

Run it from the repository, with ../shared beside it (one command, a few minutes on 2 cores):

    .venv/bin/python bench/bench_throughput.py

It replicates the pages in ../shared/corpus (HTML in corpus/html, text stories in
corpus/polnear-dev) into a temporary folder, each copy made slightly different (a comment or a
counter line), so no work is skipped as a duplicate: 10,000 text stories and 1,000 HTML pages by
default (--text-docs, --html-docs). It then runs the real command (`quoteledger extract` and
`quoteledger ingest`, as subprocesses) for HTML and for text, with --jobs 1 and --jobs 2, and
prints documents/s, MB/s and the peak resident memory of the whole process tree; the time lxml
alone takes to parse the same HTML (the floor); the rate the ledger writes quotations; and the
ratios against the targets of issue 7. `--big` instead ingests 100,000 text stories and samples
resident memory along the way, to show it stays flat. Figures, never assertions: this is not a
test, and timing never gates CI.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TARGETS = {"text_docs_per_s": 370, "html_vs_lxml": 0.5, "jobs_speedup": 1.8, "rss_mib": 300, "quotes_per_s": 5000}


# -- the corpus ---------------------------------------------------------------------------------

def build_corpus(kind: str, count: int, folder: Path) -> tuple[list, int]:
    """`count` documents replicated from the seed pages, each a little different: an HTML comment
    or a trailing reference line carrying its number. Returns (paths, total bytes)."""
    source = SHARED / "corpus" / ("html" if kind == "html" else "polnear-dev")
    seeds = sorted(p for p in source.iterdir() if p.suffix in (".html", ".txt"))
    if not seeds:
        sys.exit(f"bench: no pages in {source}")
    pages = [p.read_bytes() for p in seeds]
    folder.mkdir(parents=True)
    paths, total = [], 0
    for n in range(count):
        page = pages[n % len(pages)]
        if kind == "html":
            data = page.replace(b"</body>", f"<!-- replica {n} --></body>".encode(), 1)
            data = data if data != page else page + f"\n<!-- replica {n} -->\n".encode()
        else:
            data = page.rstrip() + f"\n\nReference {n:06d}\n".encode()
        path = folder / f"{n // 1000:03d}" / f"{n:06d}{seeds[n % len(seeds)].suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    return paths, total


# -- measuring a run ----------------------------------------------------------------------------

def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc), 0 when gone."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


class RssSampler(threading.Thread):
    """Samples the process tree's resident memory every `every` seconds; keeps the peak and a trace."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.trace = pid, every, 0, []
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self.stop.wait(self.every):
            rss = _tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.trace.append((time.perf_counter() - start, rss))


def run_cli(args: list, label: str) -> dict:
    """Runs `quoteledger ARGS` and returns its wall time and peak tree RSS."""
    command = [sys.executable, "-m", "quoteledger.cli", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = RssSampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: {label} failed with status {proc.returncode}:\n{err[-2000:]}")
    failed = sum(1 for line in err.splitlines() if "not merged" in line or "cannot read" in line)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak": sampler.peak, "trace": sampler.trace, "status": proc.returncode,
            "stderr_tail": err.strip().splitlines()[-1:] if err.strip() else [], "failed_lines": failed}


def lxml_floor(paths: list) -> float:
    """Seconds lxml.html takes to parse every page (read from disk, as quoteledger must)."""
    from lxml import html

    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as fh:
            html.document_fromstring(fh.read())
    return time.perf_counter() - started


def ledger_write_rate(jsonl: Path, work: Path) -> tuple[int, float]:
    """Quotations a second the SQLite ledger writes: the records of an extract run merged one
    document (one transaction) at a time, timing the ledger alone."""
    from quoteledger.ledger import Ledger

    by_document: dict = {}
    with open(jsonl, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            by_document.setdefault(record["article"]["document"], []).append(record)
    path = work / "write-rate.db"
    with Ledger(str(path)) as ledger:
        started = time.perf_counter()
        for records in by_document.values():
            ledger.add_document(records)
        seconds = time.perf_counter() - started
    return sum(map(len, by_document.values())), seconds


# -- the report -------------------------------------------------------------------------------

def row(mode: str, kind: str, jobs, docs: int, size: int, seconds: float, peak: int, cpu: float) -> dict:
    return {"mode": mode, "input": kind, "jobs": jobs, "docs": docs, "MB": size / 1e6, "seconds": seconds,
            "cpu": cpu, "docs_per_cpu_s": docs / cpu,
            "docs_per_s": docs / seconds, "MB_per_s": size / 1e6 / seconds, "peak_rss_mib": peak / 2**20}


def print_table(rows: list) -> None:
    print(f"{'mode':<14}{'input':<6}{'jobs':>5}{'docs':>8}{'MB':>9}{'seconds':>9}{'docs/s':>9}{'MB/s':>8}"
          f"{'peak RSS MiB':>14}{'CPU s':>8}{'docs/CPU-s':>12}")
    for r in rows:
        rss = f"{r['peak_rss_mib']:.0f}" if r["peak_rss_mib"] else "-"
        print(f"{r['mode']:<14}{r['input']:<6}{r['jobs']:>5}{r['docs']:>8}{r['MB']:>9.1f}{r['seconds']:>9.2f}"
              f"{r['docs_per_s']:>9.1f}{r['MB_per_s']:>8.2f}{rss:>14}{r['cpu']:>8.1f}{r['docs_per_cpu_s']:>12.1f}")


def verdict(value: float, target: float, higher: bool = True) -> str:
    ok = value >= target if higher else value <= target
    return f"{'meets' if ok else 'MISSES'} target {target:g}"


def print_ratios(rows: list, writes: tuple) -> None:
    get = {(r["mode"], r["input"], r["jobs"]): r for r in rows}
    floor = get[("lxml parse", "html", 1)]["docs_per_s"]
    print("\nratios")
    for mode in ("extract", "ingest"):
        html1 = get[(mode, "html", 1)]["docs_per_s"]
        print(f"  {mode:<8} html, 1 job / lxml-parse floor: {html1 / floor:6.3f}   "
              f"({verdict(html1 / floor, TARGETS['html_vs_lxml'])})")
    for mode in ("extract", "ingest"):
        for kind in ("text", "html"):
            one, two = get[(mode, kind, 1)]["docs_per_s"], get[(mode, kind, 2)]["docs_per_s"]
            print(f"  {mode:<8} {kind}, jobs=2 / jobs=1:          {two / one:6.3f}   "
                  f"({verdict(two / one, TARGETS['jobs_speedup'])})")
    text1 = get[("extract", "text", 1)]["docs_per_s"]
    print(f"  extract  text, 1 job: {text1:.0f} docs/s   ({verdict(text1, TARGETS['text_docs_per_s'])})")
    quotes, seconds = writes
    print(f"  ledger writes: {quotes} quotations in {seconds:.2f} s = {quotes / seconds:.0f}/s   "
          f"({verdict(quotes / seconds, TARGETS['quotes_per_s'])})")
    peak = max(r["peak_rss_mib"] for r in rows)
    print(f"  peak RSS of any run (process tree): {peak:.0f} MiB   "
          f"({verdict(peak, TARGETS['rss_mib'], higher=False)}; --big for 100,000 documents)")


# -- the modes ----------------------------------------------------------------------------------

def code_stamp() -> float:
    """The newest modification time of the package's code: a change during the run (someone
    editing the checkout) makes the runs compare different code."""
    return max(p.stat().st_mtime for folder in ("core", "plugins") for p in (REPO / folder).rglob("*.py"))


def standard(args, work: Path) -> None:
    rows = []
    corpora = {}
    stamp = code_stamp()
    for kind, count in (("html", args.html_docs), ("text", args.text_docs)):
        paths, size = build_corpus(kind, count, work / kind)
        corpora[kind] = (paths, size)
        print(f"corpus: {count} {kind} documents, {size / 1e6:.1f} MB in {work / kind}", flush=True)
    html_paths, html_size = corpora["html"]
    floor = min(lxml_floor(html_paths) for _ in range(2))
    rows.append(row("lxml parse", "html", 1, len(html_paths), html_size, floor, 0, floor))
    for kind, (paths, size) in corpora.items():
        for jobs in (1, 2):
            out = work / f"extract-{kind}-{jobs}.jsonl"
            run = run_cli(["extract", "--jobs", str(jobs), "-o", str(out), str(work / kind)], f"extract {kind}")
            rows.append(row("extract", kind, jobs, len(paths), size, run["seconds"], run["peak"], run["cpu"]))
            ledger = work / f"ingest-{kind}-{jobs}.db"
            run = run_cli(["ingest", "--jobs", str(jobs), "--ledger", str(ledger), str(work / kind)], f"ingest {kind}")
            rows.append(row("ingest", kind, jobs, len(paths), size, run["seconds"], run["peak"], run["cpu"]))
            print(f"  {kind} jobs={jobs} done: {run['stderr_tail']}", flush=True)
        same = (work / f"extract-{kind}-1.jsonl").read_bytes() == (work / f"extract-{kind}-2.jsonl").read_bytes()
        print(f"  {kind}: extract output with 2 jobs {'identical to' if same else 'DIFFERS from'} 1 job", flush=True)
        if not same and code_stamp() != stamp:
            print("  (the code changed while the benchmark ran: the two runs compared different code)")
    writes = ledger_write_rate(work / "extract-text-1.jsonl", work)
    print()
    print_table(rows)
    print_ratios(rows, writes)


def big(args, work: Path) -> None:
    paths, size = build_corpus("text", args.big_docs, work / "text")
    print(f"corpus: {len(paths)} text documents, {size / 1e6:.1f} MB", flush=True)
    run = run_cli(["ingest", "--jobs", str(args.jobs), "--ledger", str(work / "big.db"), str(work / "text")], "big ingest")
    r = row("ingest", "text", args.jobs, len(paths), size, run["seconds"], run["peak"], run["cpu"])
    print_table([r])
    trace = run["trace"]
    print("\nresident memory of the process tree along the run (MiB):")
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        t, rss = trace[min(len(trace) - 1, int(share * len(trace)) - 1)]
        print(f"  at {share:>4.0%} ({t:7.1f} s): {rss / 2**20:6.0f}")
    print(f"  peak: {run['peak'] / 2**20:.0f} MiB ({verdict(run['peak'] / 2**20, TARGETS['rss_mib'], higher=False)})")
    print(f"  {run['stderr_tail']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text-docs", type=int, default=10_000)
    parser.add_argument("--html-docs", type=int, default=1_000)
    parser.add_argument("--big", action="store_true", help="ingest --big-docs text stories, tracing memory")
    parser.add_argument("--big-docs", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2, help="jobs for --big")
    parser.add_argument("--workdir", help="where to build the corpus (default: a temporary folder, removed after)")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="quoteledger-bench-"))
    # Other processes on the machine skew wall-clock figures (jobs=2 most): say how busy it was.
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}", flush=True)
    try:
        (big if args.big else standard)(args, work)
        print(f"load average after: {os.getloadavg()[0]:.2f} (above 0.5 means other work shared these cores; "
              f"docs/CPU-s is the figure it disturbs least)")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
