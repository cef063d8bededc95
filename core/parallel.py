"""Extraction on several processes, results in input order: what `--jobs N` runs on.

Documents are cut into small chunks handed to a process pool; at most a few chunks per worker
are in flight, so memory stays flat however long the input is, and results come back in the
order the paths were given, so the output is the same bytes whatever the number of jobs. A
worker that dies (a crash in C, the kernel's OOM killer) costs the documents it was reading, each
reported by name, never the run: the pool is rebuilt and the rest goes on.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional

from . import patterncache
from .interrupts import is_stop, worker_started
from .model import Document
from .pipeline import DEFAULT_TIMEOUT, DocumentResult, _guarded, extract_document, extract_path
from .reading import load_document
from .reading import DEFAULT_MAX_BYTES
from .plugins import get_host
from .supervised import Skipping, SupervisedWorker, frozen_heap, record_limit, record_place, usable as supervision_usable

# Chunks amortise the cost of a round trip between processes (a few hundred microseconds)
# over several documents; small enough that workers finish together at the end of a run.
DEFAULT_CHUNK = 8
# Chunks in flight per worker: enough that a worker never waits for the parent, few enough that
# results the parent has not written yet stay a handful of documents.
IN_FLIGHT_PER_JOB = 4
# The document deadline is a Python one: it cannot stop a call into C. In a worker the kernel
# also stops the process once the document has used this much CPU (in seconds, from the deadline
# of T seconds: T * factor + grace), so a C library stuck on one page costs that page, not the run.
HARD_LIMIT_FACTOR = 1.5
HARD_LIMIT_GRACE = 2.0
_in_worker = False
# In a supervised child (supervised.py): memory shared with the parent, where each document's
# CPU limit is written, so the parent can tell a child stopped for its CPU from one that crashed.
_limit_record = None


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:          # not Linux
        return max(1, os.cpu_count() or 1)


def positive_jobs(value: str, what: str = "processes") -> int:
    """argparse type for --jobs: a whole number of processes, 1 or more."""
    import argparse

    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of {what}, 1 or more, not {value!r}")
    return n


def positive_documents(value: str) -> int:
    """argparse type for --partition-size: a whole number of documents, 1 or more (it was told
    'must be a whole number of processes')."""
    return positive_jobs(value, "documents")


# More processes than this is never a machine's cores: a typo (--jobs 10000000) would fork until
# the system has no processes left.
MAX_JOBS = 1024


def job_count(value: str) -> int:
    """argparse type for --jobs: positive_jobs, at most MAX_JOBS."""
    import argparse

    n = positive_jobs(value)
    if n > MAX_JOBS:
        raise argparse.ArgumentTypeError(f"at most {MAX_JOBS} processes, not {value!r}")
    return n


def extract_results(paths: Iterable, jobs: Optional[int] = None, max_bytes: Optional[int] = None,
                    timeout: Optional[float] = DEFAULT_TIMEOUT, chunk: int = DEFAULT_CHUNK,
                    encode: Optional[Callable[[DocumentResult], None]] = None) -> Iterator[DocumentResult]:
    """One DocumentResult per path, in the order given, extracted on `jobs` processes. A path may
    also be a unit of an archive (archives.input_items): its records' results come in file order.

    encode: a picklable function run on each result where its document was extracted, which sets
    result.encoded to the records in the form the caller consumes them (and may empty
    result.records). The encoding then runs on the workers, beside the extraction, and what comes
    back to this process is a few strings a document instead of nested records to rebuild: the
    parent, which shares the cores with the workers, only writes. A result made here instead (a
    worker that died) has encoded None."""
    patterncache.save()     # the patterns start-up compiled, for the next run (once a process)
    task = _Extract(max_bytes, timeout, encode)
    jobs = min(jobs or default_jobs(), MAX_JOBS)
    paths = iter(paths)
    # Read ahead as many items as there are jobs (names, not contents): never more workers than
    # items to give them, so a short run starts no idle processes.
    head = list(islice(paths, max(2, jobs)))
    jobs = min(jobs, len(head))
    if jobs == 1 or len(head) < 2:
        # One job, or one document: a pool would only add its start-up time. With a deadline the
        # documents still run in a child process, where the kernel can stop a stuck C call.
        if timeout and supervision_usable():
            yield from SupervisedWorker(task).map(_chain(head, paths))
            return
        for path in _chain(head, paths):
            yield from task.results(path)
        return
    yield from OrderedPool(task, jobs, chunk).map(_chain(head, paths))


def _next_chunk(items: Iterator, size: int) -> list:
    """The next few items, about `size` documents' worth: a path counts one, an archive's slice
    the documents it roughly holds (its weight), so a task stays a fraction of a second."""
    chunk, weight = [], 0
    for item in items:
        chunk.append(item)
        weight += getattr(item, "weight", 1)
        if weight >= size:
            break
    return chunk


def _chain(head: list, rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


class _Extract:
    """The work on one path, a picklable callable: extract_path, and never an exception."""

    def __init__(self, max_bytes: Optional[int], timeout: Optional[float],
                 encode: Optional[Callable[[DocumentResult], None]] = None):
        self.max_bytes, self.timeout, self.encode = max_bytes, timeout, encode

    def __call__(self, path: str) -> DocumentResult:
        return self._guarded(path, lambda: extract_path(path, max_bytes=self.max_bytes, timeout=self.timeout))

    def results(self, item) -> list:
        """The results of one unit of work: a path's, or each record's of an archive's slice."""
        if isinstance(item, str):
            return [self(item)]
        from .archives import documents

        if isinstance(item, Loaded):
            return [self.document(item.document, item.warnings)]
        skip = {}
        if isinstance(item, Skipping):      # read again after its reader was stopped on one record
            item, skip = item.item, item.skip
        out = []
        for place, read in enumerate(documents(item, self.max_bytes or DEFAULT_MAX_BYTES)):
            if not isinstance(read, tuple):
                out.append(_archive_result(read))
            elif place in skip:
                out.append(failure(read[0].source, skip[place]))
            else:
                _record_place(place)
                out.append(self.document(*read))
                _record_place(-1)
        return out

    def read_here(self, path: str):
        """Standard input, which belongs to this process: read here, under the deadline, and
        handed to a child as a Loaded page, or the failed DocumentResult."""
        result = DocumentResult(path)
        loaded = []
        _guarded(lambda: loaded.append(load_document(path, self.max_bytes)), result, path, self.timeout)
        return Loaded(*loaded[0]) if loaded else result

    def document(self, document, warnings: list) -> DocumentResult:
        """extract_document on a document read from an archive, and never an exception."""
        def extract() -> DocumentResult:
            result = extract_document(document, timeout=self.timeout)
            result.warnings[:0] = warnings
            return result
        return self._guarded(document.source, extract)

    def _guarded(self, source: str, extract: Callable[[], DocumentResult]) -> DocumentResult:
        """extract() under the document's CPU limit, encoded; never an exception but a real stop."""
        try:
            with _cpu_limit(self.timeout):
                result = extract()
            if self.encode is not None:
                self.encode(result)
            return result
        except BaseException as exc:  # a bug in the engine or a plugin must cost one document
            if is_stop(exc):
                raise
            return failure(source, f"extraction failed ({type(exc).__name__}: {exc})")

    def many(self, paths: list) -> list:
        return [result for path in paths for result in self.results(path)]


@dataclass
class Loaded:
    """A page read in the parent (standard input), extracted in a child."""

    document: Document
    warnings: list

    def __str__(self) -> str:
        return self.document.source


def _archive_result(outcome) -> DocumentResult:
    """A record with no page (counted) or one that cannot be read (an error naming it)."""
    from .archives import Skipped

    if isinstance(outcome, Skipped):
        return DocumentResult(outcome.source, skipped=outcome.reason)
    return failure(outcome.source, outcome.message)


@contextmanager
def _cpu_limit(seconds: Optional[float]):
    """In a pool worker: the kernel ends this process (SIGXCPU) if the document uses more CPU
    than its deadline allows, even inside C code where the deadline cannot reach. Elsewhere, or
    with no deadline, nothing."""
    if not (_in_worker and seconds):
        yield
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        limit = math.ceil(usage.ru_utime + usage.ru_stime + seconds * HARD_LIMIT_FACTOR + HARD_LIMIT_GRACE)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    except (ImportError, ValueError, OSError):
        yield                       # no such limit here: the Python deadline is all there is
        return
    _record_limit(limit)
    try:
        yield
    finally:
        _record_limit(0.0)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _record_limit(seconds: float) -> None:
    if _limit_record is not None:
        record_limit(_limit_record, seconds)


def _record_place(place: int) -> None:
    """Which record of an archive's slice is being extracted (-1: none), for the supervisor."""
    if _limit_record is not None:
        record_place(_limit_record, place)


def failure(path: str, message: str) -> DocumentResult:
    return DocumentResult(path, errors=[f"{path}: {message}"])


def _worker_started(parent: Optional[int] = None) -> None:
    """In each worker: signals as interrupts.worker_started sets them, and, on Linux, a SIGKILL
    from the kernel when the parent dies however it dies (even by SIGKILL), so no worker is ever
    left behind waiting for work that will not come. parent: its pid, when not a multiprocessing
    child."""
    global _in_worker
    worker_started()
    _die_with_parent(parent)
    _in_worker = True
    if parent is None:
        _end_without_stray_threads()
    try:
        import resource

        # A worker the CPU limit stops (see _cpu_limit) must not leave a core file behind.
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    except (ImportError, ValueError, OSError):
        pass


def _end_without_stray_threads() -> None:
    """A pool worker's last act, once its work is done: end the process, not waiting for the
    threads a plugin started and left running (multiprocessing would join them, and the pool's
    shutdown would wait for the worker forever). multiprocessing runs this among a process's
    exit finalizers; made first at the lowest priority that runs, it runs last."""
    from multiprocessing import util

    def leave() -> None:
        if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.current_thread()):
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError, AttributeError):
                    pass
            os._exit(0)

    util.Finalize(None, leave, exitpriority=0)


def _die_with_parent(parent_pid: Optional[int] = None) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        # SIGKILL: a plugin may ignore or block SIGTERM; a worker holds nothing to save.
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return                      # not Linux: the parent's own clean-up is all there is
    if parent_pid is None:
        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else None
    if parent_pid is not None and os.getppid() != parent_pid:      # it died before the request was made
        os._exit(1)


def _pool_context():
    # fork: workers inherit the plugin host the parent has loaded (its load errors reported once,
    # plugins registered in-process included) and start in milliseconds. Elsewhere, the default.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# How long workers sent SIGTERM have to end before they are killed.
TERMINATE_GRACE_SECONDS = 1.0


class OrderedPool:
    """Maps a picklable task (with a .many(list) method) over items on a process pool, yielding
    results in input order with a bounded number of chunks in flight."""

    def __init__(self, task, jobs: int, chunk: int = DEFAULT_CHUNK, in_flight: Optional[int] = None):
        self.task, self.jobs, self.chunk = task, jobs, max(1, chunk)
        self.in_flight = in_flight or jobs * IN_FLIGHT_PER_JOB
        self.executor: Optional[ProcessPoolExecutor] = None

    def map(self, items: Iterable[str]) -> Iterator:
        get_host()          # loaded once here, inherited by every forked worker
        pending: deque = deque()
        items = iter(items)
        try:
            while True:
                while len(pending) < self.in_flight:
                    chunk = _next_chunk(items, self.chunk)
                    if not chunk:
                        break
                    pending.append((chunk, self._submit(chunk)))
                if not pending:
                    return
                chunk, future = pending.popleft()
                yield from self._collect(chunk, future, pending)
        except BaseException:
            # Ctrl-C, SIGTERM, the reader gone (a closed pipe, the generator closed): the work in
            # flight is not wanted, and waiting for it could take a document's whole deadline.
            self._end_workers()
            raise
        finally:
            self._shutdown()

    def _start(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.jobs, mp_context=_pool_context(), initializer=_worker_started)
        return self.executor

    def _end_workers(self) -> None:
        """Terminate the pool's processes now (they hold nothing that needs saving: results come
        back to this process, which alone writes outputs and the ledger)."""
        if self.executor is None:
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for process in processes:
            try:
                process.terminate()
            except (OSError, AttributeError):
                pass
        # A plugin may have set SIGTERM aside in a worker (ignored, or blocked): waited for a
        # moment, then killed, or the pool's shutdown would wait for that worker for ever.
        give_up = time.monotonic() + TERMINATE_GRACE_SECONDS
        for process in processes:
            try:
                process.join(max(0.0, give_up - time.monotonic()))
                if process.is_alive():
                    process.kill()
            except (OSError, AttributeError, ValueError, AssertionError):
                pass

    def _submit(self, chunk: list) -> Future:
        if "-" in chunk:
            # Standard input belongs to the parent (workers have none): read it here, in its turn.
            done: Future = Future()
            done.set_result(self.task.many(chunk))
            return done
        try:
            return self._submit_now(chunk)
        except BrokenProcessPool:
            self._restart()
            return self._submit_now(chunk)

    def _submit_now(self, chunk: list) -> Future:
        if self.executor is not None:
            return self.executor.submit(self.task.many, chunk)
        executor = self._start()
        # A new pool's first task forks all its workers (the fork context starts them together):
        # what they inherit is set aside from their garbage collections (supervised.frozen_heap).
        with frozen_heap():
            return executor.submit(self.task.many, chunk)

    def _collect(self, chunk: list, future: Future, pending: deque) -> list:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
        except Exception as exc:  # the result could not come back (say, it would not pickle)
            return [failure(str(item), f"extraction failed in a worker process ({type(exc).__name__}: {exc})")
                    for item in chunk]
        # A worker died: every chunk in flight went down with the pool. Run this chunk again in a
        # supervised child, which answers item by item: the item it dies on is the culprit, and
        # how it died is read from its own exit (supervised.py). Then resubmit the others.
        self._restart()
        if supervision_usable():
            results = list(SupervisedWorker(self.task).map(chunk))
        else:
            results = [result for item in chunk for result in self._alone(item)]
        for i, (other, _) in enumerate(pending):
            pending[i] = (other, self._submit(other))
        return results

    def _alone(self, item) -> list:
        try:
            return self._submit_now([item]).result()
        except BrokenProcessPool:
            over_time = self._ended_by(signal.SIGXCPU) if hasattr(signal, "SIGXCPU") else False
            self._restart()
            if over_time:
                return [failure(str(item), "ran past its deadline inside C code, where the deadline cannot stop "
                                           "it (the worker reading it was stopped for the CPU time it used); "
                                           "skipped, the rest goes on")]
            return [failure(str(item), "the worker process reading it died (a crash, or killed for its memory); "
                                       "skipped, the rest goes on")]

    def _ended_by(self, signum: int) -> bool:
        """Whether a process of the (broken) pool was ended by this signal."""
        processes = (getattr(self.executor, "_processes", None) or {}).values() if self.executor else ()
        for process in list(processes):
            process.join(timeout=1)
            if process.exitcode == -signum:
                return True
        return False

    def _restart(self) -> None:
        self._shutdown()
        self.executor = None

    def _shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def add_scale_options(parser) -> None:
    """--jobs, and the Dask engine's options, for commands that ingest (argparse only: nothing
    here imports Dask)."""
    parser.add_argument("--jobs", "-j", type=job_count, default=default_jobs(), metavar="N",
                        help="processes extracting at once on this machine (default: the number of "
                             "cores); the ledger is the same whatever N")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local (default): this machine's processes; dask: the workers of a Dask "
                             "cluster (needs the dask extra: pip install 'quoteledger[dask]')")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: a "
                             "local cluster with --jobs workers)")
    parser.add_argument("--partition-size", type=positive_documents, default=None, metavar="DOCS",
                        help="with --engine dask: documents per task (default: chosen from the input size)")
