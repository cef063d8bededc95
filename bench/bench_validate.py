"""Benchmark for quoteledger validate: writes a large valid export and a corrupted copy, validates
both on one core through the same code the command runs, and prints records per second.

    .venv/bin/python bench/bench_validate.py [--records 200000] [--corrupt-every 100] [--keep DIR]

Target (issue 5): >= 20,000 valid records per second per core, with the precise error reports kept.
Also prints the jsonschema-only rate on a slice (the figure the compiled fast path is chosen
over) and the rate for ledger entries as `quoteledger export` writes them.
"""
from __future__ import annotations

import argparse
import copy
import os
import random
import shutil
import tempfile
import time

from quoteledger.commands.common import dumps
from quoteledger.ids import quote_id, sighting_id
from quoteledger.validation import Validator
from quoteledger.validation.sample import ledger_entries, quote_records


def _corrupt(record: dict, kind: int) -> str:
    """One defect of a rotating kind, as the fixture has them."""
    record = copy.deepcopy(record)
    if kind == 0:
        return dumps(record)[:-25]
    if kind == 1:
        del record["cue"]
    elif kind == 2:
        record["paragraph"] = str(record["paragraph"])
    elif kind == 3:
        record["speaker"]["kind"] = "robot"
    elif kind == 4:
        record["quote_id"] = quote_id(record["text"] + " x")
    elif kind == 5:
        record["span"]["end"] += 3
    else:
        record["schema_version"] = "0.1"
    # The sighting id follows from what the record claims, as the exporter that made the defect
    # would have derived it: so each defect is one error.
    record["id"] = sighting_id(record["quote_id"], record["article"]["fingerprint"], record["span"]["start"],
                               record["span"]["end"])
    return dumps(record)


def write_exports(folder: str, count: int, corrupt_every: int):
    valid_path, corrupt_path = os.path.join(folder, "valid.jsonl"), os.path.join(folder, "corrupted.jsonl")
    rng = random.Random(3)
    defects = 0
    with open(valid_path, "w", encoding="utf-8") as good, open(corrupt_path, "w", encoding="utf-8") as bad:
        for number, record in enumerate(quote_records(count)):
            line = dumps(record)
            good.write(line + "\n")
            if number % corrupt_every == corrupt_every - 1:
                line = _corrupt(record, rng.randrange(7))
                defects += 1
            bad.write(line + "\n")
    return valid_path, corrupt_path, defects


def write_entries(folder: str, count: int) -> str:
    path = os.path.join(folder, "ledger.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for entry in ledger_entries(count):
            out.write(dumps(entry) + "\n")
    return path


def timed(path: str, fast: bool = True, limit: int | None = None):
    """(records, errors, wall seconds, CPU seconds) validating path as the command would, errors
    kept in a list rather than printed. CPU time is the per-core figure: on a shared machine the
    wall clock also counts other processes' turns."""
    if limit:
        sliced = path + ".slice"
        with open(path, encoding="utf-8") as src, open(sliced, "w", encoding="utf-8") as dst:
            for _, line in zip(range(limit), src):
                dst.write(line)
        path = sliced
    errors = []
    start, cpu = time.perf_counter(), time.process_time()
    summary = Validator(fast=fast).run([path], errors.append)
    return summary.records, len(errors), time.perf_counter() - start, time.process_time() - cpu


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--corrupt-every", type=int, default=100, help="one record in N gets a defect")
    parser.add_argument("--keep", metavar="DIR", help="write the exports here and keep them")
    args = parser.parse_args(argv)
    folder = args.keep or tempfile.mkdtemp(prefix="quoteledger-bench-")
    os.makedirs(folder, exist_ok=True)
    try:
        start = time.perf_counter()
        valid, corrupted, defects = write_exports(folder, args.records, args.corrupt_every)
        print(f"wrote {args.records} records twice ({os.path.getsize(valid) / 1e6:.0f} MB each), "
              f"{defects} defects in the copy, in {time.perf_counter() - start:.1f} s")
        entries = write_entries(folder, args.records // 4)
        for label, path, fast, limit in (("valid", valid, True, None), ("corrupted", corrupted, True, None),
                                         ("valid, jsonschema only", valid, False, 5000),
                                         ("ledger entries (2 sightings)", entries, True, None)):
            records, errors, wall, cpu = timed(path, fast, limit)
            print(f"{label:28s} {records:>7} records {errors:>5} errors  {wall:6.2f} s wall "
                  f"{records / wall:>8,.0f} records/s  {cpu:6.2f} s CPU {records / cpu:>8,.0f} records/s per core")
    finally:
        if not args.keep:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
