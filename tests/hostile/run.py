"""The fuzz run: every generated hostile input through reading and the whole pipeline, in this
process (one subprocess per input would spend the time budget on interpreter start-up).

A crash is an uncaught exception, or a failed document whose error does not name it. A lost
record is a canary quotation that did not come out.

    python tests/hostile/run.py [COUNT] [SEED]
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from hostile.generate import DEFAULT_SEED, generate  # noqa: E402
from quoteledger.pipeline import DocumentResult, extract_document  # noqa: E402
from quoteledger.plugins import get_host  # noqa: E402
from quoteledger.reading import InputError, load_source, source_from_bytes  # noqa: E402

PER_INPUT_TIMEOUT = 20.0


@dataclass
class Summary:
    tried: int = 0
    failed_documents: int = 0
    records: int = 0
    crashes: list = field(default_factory=list)     # (input name, what happened)
    lost: list = field(default_factory=list)        # (input name, canary text)
    by_family: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"hostile inputs tried: {self.tried}, crashes: {len(self.crashes)}, lost records: {len(self.lost)} "
                f"(documents failed with a reported error: {self.failed_documents}, records: {self.records}, "
                f"{self.seconds:.1f} s)")


def run_one(name: str, data: bytes, host) -> DocumentResult:
    try:
        document, warnings = load_source(source_from_bytes(name, data))
    except InputError as exc:
        return DocumentResult(name, errors=[str(exc)])
    result = extract_document(document, host, timeout=PER_INPUT_TIMEOUT)
    result.warnings[:0] = warnings
    return result


def check(item, result: DocumentResult, summary: Summary) -> None:
    if any(item.name not in e for e in result.errors):
        summary.crashes.append((item.name, f"an error that does not name the input: {result.errors}"))
    texts = {r["text"] for r in result.records}
    for quoted in item.canaries:
        if quoted not in texts:
            summary.lost.append((item.name, quoted))
    summary.failed_documents += result.failed
    summary.records += len(result.records)


def run(count: int = 10_000, seed: int = DEFAULT_SEED) -> Summary:
    host = get_host()
    summary = Summary()
    start = time.perf_counter()
    for item in generate(count, seed):
        summary.tried += 1
        summary.by_family[item.family] += 1
        try:
            result = run_one(item.name, item.data, host)
        except BaseException as exc:  # noqa: B036 -- anything escaping is exactly what we count
            if isinstance(exc, KeyboardInterrupt):
                raise
            summary.crashes.append((item.name, "".join(traceback.format_exception(exc))[-2000:]))
            continue
        check(item, result, summary)
    summary.seconds = time.perf_counter() - start
    return summary


if __name__ == "__main__":
    found = run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
                int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_SEED)
    print(found.line())
    for name, what in (found.crashes + found.lost)[:20]:
        print(f"  {name}: {what}")
    sys.exit(1 if found.crashes or found.lost else 0)
