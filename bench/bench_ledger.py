"""CPU cost of the ledger's own work: writing records into it, `export` and `merge`, against another
checkout of quoteledger (say the code before a change), interleaved run by run.

    .venv/bin/python bench/bench_ledger.py [--baseline DIR ...] [--copies 4] [--rounds 3] [--ingest N,M]

Records: `quoteledger extract` of ../shared/corpus/polnear-train and ../shared/corpus/html (this
checkout's engine, once; both checkouts are then given the same records, so the engine plays no
part). They are repeated --copies times, each copy a story copy of its own (new fingerprint,
document, URL and headline) whose quotations have words of their own (a marker word appended), and
every third copy a re-scrape of the copy before it (the same quotations seen in another story
copy), so entries have one to two sightings: about 36,000 quotations and 45,000 sightings by
default. All ids are recomputed from the content, as the ledger checks them.

For each checkout (a folder with its own .venv; this one is run with the interpreter running the
bench), each round, one after the other, as subprocesses timed in CPU seconds (user + system):
  write    the records merged into a new ledger one document (one transaction) at a time, then
           the plain tables refreshed where the checkout has them: the ledger's part of ingest
  export   `quoteledger export` of that ledger, --format jsonl and csv
  merge    `quoteledger merge` of that ledger into a new one, then again into the same (all known)
The figure is sightings per CPU second from the least disturbed round (the fewest CPU seconds:
other work on a shared machine only ever adds to them). Each checkout's export is compared byte
for byte between rounds and with the other checkout's.

--ingest N,M instead times `quoteledger extract` and `quoteledger ingest` (--jobs 1) of N text
stories and M HTML pages (bench_throughput's replicated corpus), per checkout, interleaved: the
difference between the two is ingest's own part (the ledger), apart from the engine's. Figures,
never assertions: timing never gates CI.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = ("polnear-train", "html")

# Run by each checkout's own interpreter: its Ledger writes the records, one document at a time.
_WRITE = """
import json, sys
from quoteledger.ledger import Ledger
by_document = {}
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        record = json.loads(line)
        by_document.setdefault(record["article"]["document"], []).append(record)
with Ledger(sys.argv[2]) as ledger:
    for records in by_document.values():
        ledger.add_document(records)
    if hasattr(ledger, "refresh_tables"):
        ledger.refresh_tables()
"""


def extract_records(work: Path) -> Path:
    """This checkout's records of the corpora (kept in work: a second run reuses them)."""
    out = work / "records.jsonl"
    if not out.exists():
        folders = [str(SHARED / "corpus" / name) for name in CORPORA]
        subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", "--jobs", "1", "-o", str(out), *folders],
                       check=False, stderr=subprocess.DEVNULL)
    if not out.exists() or not out.stat().st_size:
        sys.exit(f"bench: no records from {', '.join(CORPORA)} under {SHARED / 'corpus'}")
    return out


def _stamp(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def replicate(records_path: Path, copies: int, out: Path) -> int:
    """copies of the records, as the module says; returns the sightings written."""
    from quoteledger.ids import article_id, quote_id, sighting_id

    records = [json.loads(line) for line in records_path.open(encoding="utf-8")]
    written = 0
    with out.open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            words = copy - 1 if copy % 3 == 2 else copy     # every third copy re-scrapes the one before
            articles: dict = {}
            for record in records:
                record = json.loads(json.dumps(record))
                article = record["article"]
                key = article["fingerprint"]
                if key not in articles:
                    if copy:
                        article["fingerprint"] = _stamp("bench-copy", key, str(copy))
                        article["document"] = f"copy{copy}/{article['document']}"
                        article["url"] = f"https://copy{copy}.example/{_stamp(key)}" if article["url"] else None
                        if article["headline"]:
                            article["headline"] = f"{article['headline']} (copy {copy})"
                        article["id"] = article_id(article["headline"], article["url"], article["fingerprint"])
                    articles[key] = article
                article = record["article"] = articles[key]
                if words:
                    record["text"] = f"{record['text']} marker{words}"
                record["quote_id"] = quote_id(record["text"])
                span = record["span"]
                record["id"] = sighting_id(record["quote_id"], article["fingerprint"], span["start"], span["end"])
                for hop in record["source_chain"]:
                    if hop["role"] == "publisher":
                        hop["url"] = article["url"]
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return written


def timed(command: list, label: str, ok=(0,)) -> float:
    """CPU seconds (user + system) of one subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        sys.exit(f"bench: {label} failed with status {proc.returncode}:\n{proc.stderr[-2000:]}")
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def fresh(path: Path) -> Path:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def one_round(name: str, python: str, records: Path, work: Path) -> dict:
    """CPU seconds of each mode for one checkout; leaves its exports in work for comparing."""
    cli = [python, "-m", "quoteledger.cli"]
    ledger, merged = fresh(work / f"{name}.db"), fresh(work / f"{name}-merged.db")
    cpu = {"write": timed([python, "-c", _WRITE, str(records), str(ledger)], f"{name} write")}
    for fmt in ("jsonl", "csv"):
        out = work / f"{name}.{fmt}"
        cpu[f"export {fmt}"] = timed([*cli, "export", "--ledger", str(ledger), "--format", fmt, "-o", str(out)],
                                     f"{name} export {fmt}")
    cpu["merge new"] = timed([*cli, "merge", "--ledger", str(merged), str(ledger)], f"{name} merge")
    cpu["merge again"] = timed([*cli, "merge", "--ledger", str(merged), str(ledger)], f"{name} merge again")
    return cpu


def ingest_round(name: str, python: str, corpora: dict, work: Path) -> dict:
    """CPU seconds of extract and ingest (--jobs 1) of each corpus for one checkout."""
    cpu = {}
    for kind, folder in corpora.items():
        cli = [python, "-m", "quoteledger.cli"]
        out, ledger = fresh(work / f"{name}-{kind}.jsonl"), fresh(work / f"{name}-{kind}.db")
        cpu[f"extract {kind}"] = timed([*cli, "extract", "--jobs", "1", "-o", str(out), str(folder)], f"{name} extract", ok=(0, 1))
        cpu[f"ingest {kind}"] = timed([*cli, "ingest", "--jobs", "1", "--ledger", str(ledger), str(folder)],
                                      f"{name} ingest", ok=(0, 1))
    return cpu


def ingest_bench(args, checkouts: dict, work: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from bench_throughput import build_corpus

    counts = dict(zip(("text", "html"), map(int, args.ingest.split(","))))
    corpora = {}
    for kind, count in counts.items():
        if count and not (work / f"corpus-{kind}").exists():
            build_corpus(kind, count, work / f"corpus-{kind}")
        if count:
            corpora[kind] = work / f"corpus-{kind}"
    runs: dict = {name: [] for name in checkouts}
    for n in range(args.rounds):
        for name, python in checkouts.items():
            runs[name].append(ingest_round(name, python, corpora, work))
        print(f"  round {n + 1} done: " + "; ".join(
            f"{name} " + ", ".join(f"{mode} {cpu:.2f}" for mode, cpu in runs[name][-1].items()) for name in runs),
            flush=True)
    names = list(runs)
    print(f"\ndocuments per CPU second (CPU seconds), the least disturbed of {args.rounds} rounds; "
          f"change against {names[0]}")
    print(f"{'mode':<14}{'docs':>6}" + "".join(f"{name:>22}" + (f"{'change':>9}" if n else "")
                                             for n, name in enumerate(names)))
    for kind, folder in corpora.items():
        docs = counts[kind]
        best = {name: {mode: min(r[mode] for r in runs[name]) for mode in runs[name][0]} for name in names}
        for mode in (f"extract {kind}", f"ingest {kind}", f"ledger {kind}"):
            cpu = {name: (best[name][f"ingest {kind}"] - best[name][f"extract {kind}"] if mode.startswith("ledger")
                          else best[name][mode]) for name in names}
            print(f"{mode:<14}{docs:>6}" + "".join(f"{docs / cpu[name]:>14.1f} ({cpu[name]:5.2f})"
                                                  + (f"{cpu[names[0]] / cpu[name] - 1:>+9.1%}" if n else "")
                                                  for n, name in enumerate(names)))
    print("(ledger: ingest's CPU seconds less extract's, the least of each over the rounds)")


def digests(name: str, work: Path) -> dict:
    return {fmt: hashlib.sha256((work / f"{name}.{fmt}").read_bytes()).hexdigest() for fmt in ("jsonl", "csv")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", action="append", metavar="DIR",
                        help="another checkout with its own .venv, e.g. a worktree of the code before (repeatable; "
                             "changes are given against the first)")
    parser.add_argument("--copies", type=int, default=4, help="times the corpora's records are repeated (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--ingest", metavar="N,M", help="time extract and ingest of N text stories and M HTML pages")
    parser.add_argument("--workdir", help="where to keep records, ledgers and exports (default: temporary, removed)")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="quoteledger-bench-ledger-"))
    work.mkdir(parents=True, exist_ok=True)
    checkouts = {}
    for folder in args.baseline or ():
        python = Path(folder) / ".venv" / "bin" / "python"
        if not python.exists():
            sys.exit(f"bench: {python} not found (make the baseline's .venv first)")
        checkouts[Path(folder).name] = str(python)
    checkouts["this"] = sys.executable
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}", flush=True)
    try:
        if args.ingest:
            ingest_bench(args, checkouts, work)
            return
        records = work / "replicated.jsonl"
        sightings = replicate(extract_records(work), args.copies, records)
        quotations = len({json.loads(line)["quote_id"] for line in records.open(encoding="utf-8")})
        print(f"records: {sightings} sightings of {quotations} quotations ({records.stat().st_size / 1e6:.0f} MB)",
              flush=True)
        runs: dict = {name: [] for name in checkouts}
        seen: dict = {}
        for n in range(args.rounds):
            for name, python in checkouts.items():
                runs[name].append(one_round(name, python, records, work))
                found = digests(name, work)
                if seen.setdefault(name, found) != found:
                    print(f"  {name}: round {n + 1}'s exports DIFFER from round 1's")
            print(f"  round {n + 1} done: " + "; ".join(
                f"{name} " + ", ".join(f"{mode} {cpu:.2f}" for mode, cpu in runs[name][-1].items()) for name in runs),
                flush=True)
        report(runs, sightings)
        for name in list(seen)[:-1]:
            for fmt in ("jsonl", "csv"):
                same = seen[name][fmt] == seen["this"][fmt]
                print(f"export {fmt}: {'identical to' if same else 'DIFFERS from'} {name}'s, byte for byte")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def report(runs: dict, sightings: int) -> None:
    names = list(runs)
    print(f"\nsightings per CPU second (CPU seconds), the least disturbed of {len(runs[names[0]])} rounds; "
          f"change against {names[0]}")
    print(f"{'mode':<14}" + "".join(f"{name:>22}" + (f"{'change':>9}" if n else "") for n, name in enumerate(names)))
    for mode in runs[names[0]][0]:
        least = {name: min(r[mode] for r in runs[name]) for name in names}
        print(f"{mode:<14}" + "".join(f"{sightings / least[name]:>14.0f} ({least[name]:5.2f})"
                                      + (f"{least[names[0]] / least[name] - 1:>+9.1%}" if n else "")
                                      for n, name in enumerate(names)))


if __name__ == "__main__":
    main()
