"""Ingest on a Dask cluster: extraction mapped over partitions of the input on the workers, their
partial ledgers reduced pairwise on the cluster with the ledger's own merge, the result written
into the SQLite ledger here.

The merge is associative, commutative and idempotent (ledger.merge_keyed), so neither the way the
input is partitioned nor the order partial ledgers meet changes the ledger: its export is the same
bytes as a local `quoteledger ingest` of the same paths. Dask is an optional extra, imported only
when this engine is asked for.
"""
from __future__ import annotations

import inspect
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from typing import Iterable, Optional

from .archives import input_items
from .ledger import (DEFAULT_BUSY_TIMEOUT, Ledger, LedgerError, MergeCounts, PartialLedger,
                     SplitRecord, merge_keyed, split_records)
from .pipeline import DEFAULT_TIMEOUT
from .reading import DEFAULT_MAX_BYTES, own_files

# Partitions per worker: enough that a slow partition does not hold the whole run back.
PARTITIONS_PER_WORKER = 4
MAX_PARTITION = 2000


class DaskMissing(RuntimeError):
    """--engine dask without Dask installed."""


def _dask():
    try:
        import distributed
    except ImportError as exc:
        raise DaskMissing(f"--engine dask needs Dask, which is not installed ({exc}); install it with "
                          f"pip install 'quoteledger[dask]'") from exc
    return distributed


@dataclass
class PartitionResult:
    """What one partition (or a reduction of several) hands back: its partial ledger and tallies."""

    partial: PartialLedger = field(default_factory=PartialLedger)
    documents: int = 0
    failed: int = 0
    stories: int = 0
    errors: list = field(default_factory=list)      # in input order, each naming its file (and warnings)
    error_count: int = 0                              # the documents' own errors, not the "not merged" lines
    skipped: Counter = field(default_factory=Counter)  # archive records with no page, by reason
    faulted: int = 0                                  # documents a plugin broke on, read all the same
    unusable: tuple = ()                              # the workers' plugins that failed to load, as said there


@dataclass
class DaskIngestReport:
    documents: int
    failed: int
    stories: int
    counts: MergeCounts
    errors: list
    error_count: int = 0
    skipped: Counter = field(default_factory=Counter)
    faulted: int = 0
    unusable: tuple = ()


# -- on the workers ---------------------------------------------------------------------------

def extract_partition(paths: list, max_bytes: Optional[int] = None,
                      timeout: Optional[float] = DEFAULT_TIMEOUT) -> PartitionResult:
    """Extract one partition into a partial ledger. As in a local ingest, a document with any
    error is left out whole (all or nothing), and reported. A path may be a slice of an archive
    (archives.input_items), which the worker reads from the shared file.

    With a deadline, the documents run in a child of the Dask worker (supervised.py), as with
    --jobs 1: there the Python deadline holds (a Dask task runs off the main thread, where no
    SIGALRM deadline can), and the kernel stops a document stuck in C code by its CPU limit.
    The child dies, never the Dask worker: the document is reported as past its deadline and the
    partition goes on, so the scheduler never retries or loses it."""
    from .parallel import _Extract
    from .supervised import SupervisedWorker, usable

    task = _Extract(max_bytes, timeout)
    out = PartitionResult()
    parts = []
    if timeout and usable():
        results = SupervisedWorker(task).map(paths)
    else:
        results = (result for item in paths for result in task.results(item))
    for result in results:
        if result.skipped:
            out.skipped[result.skipped] += 1
            continue
        path = result.source
        out.documents += 1
        out.stories += result.articles
        # Reported in input order with the errors, as a local ingest reports them (not counted).
        out.errors.extend(f"warning: {warning}" for warning in result.warnings)
        out.errors.extend(result.plugin_faults)
        out.faulted += bool(result.plugin_faults)
        if result.failed:
            out.failed += 1
            out.error_count += len(result.errors)
            out.errors.extend(result.errors + [f"{path}: not merged into the ledger"])
            continue
        try:
            parts.extend(split_records(result.records, result.record_texts()))
        except LedgerError as exc:
            out.failed += 1
            out.error_count += 1
            out.errors.append(f"{path}: not merged: {exc}")
    out.unusable = _unusable_plugins()
    # One merge over the whole partition (merge_keyed with one part per record is linear).
    out.partial = PartialLedger(merge_keyed(*({p.fingerprint: p.article} for p in parts)),
                                merge_keyed(*({p.sighting_id: p.sighting} for p in parts)))
    return out


def _unusable_plugins() -> tuple:
    """What this worker's plugin host said of the plugins it could not use. The worker loaded its
    own plugins, so its load errors went to its log only: they travel back with the partition, for
    the client to repeat them and exit 1 as a local ingest does."""
    from .plugins import loaded_host

    host = loaded_host()
    return tuple(host.unusable_said()) if host is not None else ()


def combine(left: PartitionResult, right: PartitionResult) -> PartitionResult:
    """Two partitions' results as one: the ledgers by the core's merge, the errors left first;
    a plugin unusable on several workers said once."""
    return PartitionResult(left.partial.merge(right.partial), left.documents + right.documents,
                           left.failed + right.failed, left.stories + right.stories,
                           left.errors + right.errors, left.error_count + right.error_count,
                           left.skipped + right.skipped, left.faulted + right.faulted,
                           tuple(sorted(set(left.unusable) | set(right.unusable))))


# -- on the client ----------------------------------------------------------------------------

def partitions(paths: list, workers: int, size: Optional[int] = None) -> list:
    """Consecutive runs of about `size` documents: a path counts one, an archive's slice the
    documents it roughly holds (so a WARC is spread over the workers, who read it in place)."""
    weights = [getattr(item, "weight", 1) for item in paths]
    size = size or max(1, min(MAX_PARTITION, math.ceil(sum(weights) / (max(1, workers) * PARTITIONS_PER_WORKER))))
    out, run, weight = [], [], 0
    for item, w in zip(paths, weights):
        run.append(item)
        weight += w
        if weight >= size:
            out.append(run)
            run, weight = [], 0
    return out + [run] if run else out


def _tree_reduce(client, futures: list):
    """Pairwise on the cluster, neighbours with neighbours, so errors keep their input order."""
    while len(futures) > 1:
        paired = [client.submit(combine, futures[i], futures[i + 1], pure=False)
                  for i in range(0, len(futures) - 1, 2)]
        if len(futures) % 2:
            paired.append(futures[-1])
        futures = paired
    return futures[0]


def records_of(partial: PartialLedger) -> Iterable[tuple]:
    """(fingerprint, records) per story copy: quote records rebuilt from the partial ledger's two
    sets; split_record gives back exactly the stored canonical forms."""
    import json

    rows = []
    for sighting in partial.sightings.values():
        record = json.loads(sighting)
        fingerprint = record["article"]["fingerprint"]
        rows.append((fingerprint, record["id"], record))
    rows.sort(key=lambda row: (row[0], row[1]))
    for fingerprint, group in groupby(rows, key=lambda row: row[0]):
        article = json.loads(partial.copies[fingerprint])
        yield fingerprint, [dict(record, article=article) for _, _, record in group]


def rows_of(partial: PartialLedger) -> Iterable[tuple]:
    """(fingerprint, ledger rows) per story copy, as records_of orders them: the rows split_record
    would make from records_of's records, taken from the partial ledger's own canonical texts
    instead of rebuilding the records and encoding them again."""
    import json

    rows = []
    for sighting_id, sighting in partial.sightings.items():
        loaded = json.loads(sighting)
        rows.append((loaded["article"]["fingerprint"], sighting_id, loaded["quote_id"], sighting))
    rows.sort(key=lambda row: (row[0], row[1]))
    for fingerprint, group in groupby(rows, key=lambda row: row[0]):
        article = partial.copies[fingerprint]
        article_id = json.loads(article)["id"]
        yield fingerprint, [SplitRecord(fingerprint, article_id, article, sighting_id, quote_id, sighting)
                            for _, sighting_id, quote_id, sighting in group]


def write_partial(partial: PartialLedger, ledger: Ledger) -> MergeCounts:
    """Into the SQLite ledger by its own merge, one transaction per story copy."""
    counts = MergeCounts()
    for _, rows in rows_of(partial):
        counts.add(ledger.add_split(rows))
    return counts


def ingest_dask(paths: Iterable[str], ledger: str, scheduler: Optional[str] = None, client=None,
                workers: Optional[int] = None, partition_size: Optional[int] = None,
                max_bytes: Optional[int] = None, timeout: Optional[float] = DEFAULT_TIMEOUT,
                busy_timeout: float = DEFAULT_BUSY_TIMEOUT, skipped=None,
                fields: Optional[tuple] = None) -> DaskIngestReport:
    """Ingest `paths` (files or folders, which the workers must see under the same names) into
    the ledger file `ledger` on a Dask cluster: `client`, else the scheduler at `scheduler`, else
    a local cluster of `workers` processes. skipped: as iter_paths' (the ledger's own files are
    never read). Raises DaskMissing, LedgerError."""
    distributed = _dask()
    target = Ledger(ledger, busy_timeout=busy_timeout)      # refused before any work is sent out
    with target:
        owned = None
        if client is None:
            owned = client = (distributed.Client(scheduler) if scheduler else
                              distributed.Client(distributed.LocalCluster(
                                  n_workers=workers or 2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0")))
        try:
            items = list(input_items(list(paths), fields, max_bytes or DEFAULT_MAX_BYTES, read_here=False,
                                     skipped=skipped, exclude=own_files(ledger=ledger)))
            result = _run(client, items, partition_size, max_bytes, timeout)
        finally:
            if owned is not None:
                cluster = owned.cluster
                owned.close()
                if cluster is not None and not scheduler:
                    cluster.close()
        counts = write_partial(result.partial, target)
        target.refresh_tables()
    return DaskIngestReport(result.documents, result.failed, result.stories, counts, result.errors,
                            result.error_count, result.skipped, result.faulted, result.unusable)


def _run(client, paths: list, partition_size: Optional[int], max_bytes, timeout) -> PartitionResult:
    if not paths:
        return PartitionResult()
    workers = max(1, sum(client.nthreads().values()))
    futures = client.map(extract_partition, partitions(paths, workers, partition_size),
                         max_bytes=max_bytes, timeout=timeout, pure=False)
    return _tree_reduce(client, futures).result()


def run_ingest(args) -> int:
    """`quoteledger ingest --engine dask`: the same summary and exit status as a local ingest."""
    from .archives import skipped_summary
    from .commands.common import Unread, no_documents, report
    from .commands.ingest import summary

    unread = Unread()
    try:
        outcome = ingest_dask(args.paths, args.ledger, scheduler=args.scheduler, workers=args.jobs,
                              partition_size=args.partition_size, max_bytes=args.max_bytes,
                              timeout=getattr(args, "timeout", DEFAULT_TIMEOUT), busy_timeout=args.busy_timeout,
                              skipped=unread, fields=getattr(args, "fields", None))
    except (DaskMissing, LedgerError) as exc:
        report(str(exc))
        return 2
    except (OSError, TimeoutError) as exc:      # what distributed raises for a scheduler it cannot reach
        report(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}")
        return 2
    except sqlite3.Error as exc:
        report(f"{args.ledger}: stopped writing the cluster's results: {exc}; re-running the same command "
               f"is safe (ingest is idempotent)")
        return 1
    for line in outcome.unusable:
        report(f"on the Dask workers: {line}")
    for error in outcome.errors:
        report(error)
    if outcome.skipped:
        report(skipped_summary(outcome.skipped))
    if not outcome.documents:
        no_documents(args.paths)
    tallies = [args.ledger, outcome.documents, outcome.failed, outcome.stories, outcome.counts]
    # The local summary line, word for word; it gained an error count while this engine was written.
    if len(inspect.signature(summary).parameters) > len(tallies):
        tallies.append(outcome.error_count)
    report(summary(*tallies))
    if outcome.unusable:
        report(f"{len(outcome.unusable)} installed plugin(s) could not be used on the Dask workers (said above): "
               f"exit status 1")
    return 1 if outcome.failed or outcome.faulted or outcome.unusable or unread.lost or not outcome.documents else 0
