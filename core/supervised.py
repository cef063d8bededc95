"""Documents run in a child process the kernel can stop, one after another, results in input
order: what `--jobs 1`, the Dask engine's tasks and the pool's search for a culprit run on.

The document deadline (SIGALRM) cannot interrupt a single call into C, so the child also sets
the kernel's CPU limit for each document (parallel._cpu_limit): a C library stuck on one page
gets the child stopped (SIGXCPU). This process, which alone writes outputs and the ledger, sees
the child's pipe close, reports the document it was reading, in its place in the output, as past
its deadline or as having killed its reader, starts a new child and hands it the rest. The
culprit is known at once, never searched for by running documents again: the child counts the
items it starts in memory it shares with this process. It answers a batch at a time (a few
thousand documents cost a few hundred round trips); the items of the batch it finished but had
not sent yet are simply run again by its successor.

The child is forked (it inherits the loaded plugins, and starts in milliseconds) and reaped by
this code alone, with os.wait4, so how it ended and the CPU it used are read without a race.
What the plugin host prints in the child (its once-a-run warnings) comes back with each answer
and is printed here, where the caller's stderr is.
"""
from __future__ import annotations

import gc
import io
import mmap
import os
import pickle
import signal
import struct
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Pipe
from typing import Any, Iterable, Iterator, Optional

# Items handed to the child at once (by weight: an archive's slice counts its documents), and
# at most two such batches outstanding, so the child never waits for this process and a dying
# child takes back only those few unanswered items, to hand to its successor. Bigger batches save
# round trips but not CPU: 64 text stories' answer (some 150 kB pickled) is a fresh buffer each
# time, on both sides, whose page faults cost what the saved round trips did.
BATCH = 16
# A batch bigger than this (pickled) is sent only when the child has nothing left to do: both
# processes then never wait on each other's full pipe (a pipe holds 64 KiB).
_SMALL_REQUEST = 16384
# Memory the child shares with this process: the CPU limit (seconds) in force for its current
# document (a child that died having used that much was stopped for it), how many items it has
# started (the last one started is the one it died on), and, in an archive's slice, the place of
# the record being extracted (-1: none), so one record costs itself, not its slice.
_SHARED = struct.Struct("dqq")


def record_limit(shared, seconds: float) -> None:
    struct.pack_into("d", shared, 0, seconds)


def record_place(shared, place: int) -> None:
    struct.pack_into("q", shared, 16, place)


@dataclass
class Skipping:
    """An archive's slice to read again, the records at these places reported with these
    messages instead of extracted (their reader was stopped on them)."""

    item: Any
    skip: dict
    weight: int = 1

    def __str__(self) -> str:
        return str(self.item)


def usable() -> bool:
    """Whether documents can run in a forked, CPU-limited child here (POSIX with fork)."""
    return hasattr(os, "fork") and hasattr(os, "wait4") and sys.platform != "win32"


class SupervisedWorker:
    """Maps task.many([item]) over items in one child process, replaced whenever it dies; yields
    the results in input order. An item "-" (standard input, this process's) is read here, by
    task.read_here when the task has one (then extracted in the child), else run here whole."""

    def __init__(self, task, batch: int = BATCH):
        self.task, self.batch = task, max(1, batch)
        self.pid: Optional[int] = None
        self.conn = None
        self.shared = None              # see _SHARED
        self.answered = 0               # items the current child has answered

    def map(self, items: Iterable) -> Iterator:
        pending: deque = deque()        # items sent to the child and not answered yet
        queued, weight = [], 0
        try:
            for item in items:
                if item == "-":
                    # Standard input is this process's: read here, in its turn; extracted in the
                    # child when the task can hand it a page read here.
                    yield from self._drain(pending, queued)
                    queued, weight = [], 0
                    read_here = getattr(self.task, "read_here", None)
                    if read_here is None:
                        yield from self.task.many([item])
                        continue
                    from .parallel import Loaded

                    item = read_here(item)
                    if not isinstance(item, Loaded):
                        yield item
                        continue
                queued.append(item)
                weight += getattr(item, "weight", 1)
                if weight >= self.batch:
                    yield from self._send(queued, pending)
                    queued, weight = [], 0
                    while len(pending) > self.batch:
                        yield from self._receive(pending)
            yield from self._drain(pending, queued)
        except BaseException:
            # Ctrl-C, SIGTERM, the reader gone: the child's work is not wanted.
            self._end_child(kill=True)
            raise
        finally:
            self._end_child(kill=False)

    # -- this side ----------------------------------------------------------------------------

    def _drain(self, pending: deque, queued: list) -> Iterator:
        if queued:
            yield from self._send(queued, pending)
        while pending:
            yield from self._receive(pending)

    def _send(self, batch: list, pending: deque) -> Iterator:
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > _SMALL_REQUEST:
            while pending:              # see _SMALL_REQUEST
                yield from self._receive(pending)
        if self.pid is None:
            self._start()
        pending.extend(batch)
        self._write(data)

    def _write(self, data: bytes) -> None:
        try:
            self.conn.send_bytes(data)
        except OSError:
            pass                        # the child is gone: _receive finds out and hands the batch on

    def _receive(self, pending: deque) -> Iterator:
        """The child's next answer: the results of the items of one batch, in order."""
        try:
            answers, printed = self.conn.recv()
        except (EOFError, OSError):
            yield from self._child_died(pending)
            return
        if printed:
            _host_stream().write(printed)
        self.answered += len(answers)
        for results in answers:
            yield from _reported(pending)
            pending.popleft()
            yield from results
        yield from _reported(pending)

    def _child_died(self, pending: deque) -> Iterator:
        """The child ended: the item it was reading is reported, in its turn; the items it had
        finished without sending and those it had not started go to a new child."""
        from .parallel import failure

        yield from _reported(pending)
        limit, started, place = _SHARED.unpack_from(self.shared, 0)
        places = [i for i, item in enumerate(pending) if not isinstance(item, _Reported)]
        # Started and answered count this child's items; a child that died before starting any
        # (it cannot have been the document's doing) still costs the first, so the run advances.
        at = places[min(max(started - self.answered - 1, 0), len(places) - 1)]
        message = self._why_it_ended(limit)
        pending[at] = _resumed(pending[at], place, message) or _Reported(failure(str(pending[at]), message))
        rest = [item for item in pending if not isinstance(item, _Reported)]
        if rest:
            self._start()
            self._write(pickle.dumps(rest, protocol=pickle.HIGHEST_PROTOCOL))
        yield from _reported(pending)

    def _why_it_ended(self, limit: float) -> str:
        pid = self.pid
        self.pid = None
        self._close()
        status, cpu = _reap(pid)
        over_time = (hasattr(signal, "SIGXCPU") and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU) \
            or (limit > 0 and cpu >= limit - 0.05)
        if over_time:
            return ("ran past its deadline inside C code, where the deadline cannot stop it (the process "
                    f"reading it was stopped after {cpu:.1f} s of CPU); skipped, the rest goes on")
        how = (f"killed by {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
               else f"exit status {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else "ended")
        return (f"the process reading it died ({how}: a crash, or killed for its memory); skipped, "
                f"the rest goes on")

    def _start(self) -> None:
        from .plugins import get_host

        get_host()                      # loaded here once, inherited by every child
        parent_end, child_end = Pipe(duplex=True)
        self.shared = mmap.mmap(-1, _SHARED.size)
        record_place(self.shared, -1)
        self.answered = 0
        _flush_standard_streams()
        parent = os.getpid()
        pid = -1
        with frozen_heap():
            pid = os.fork()
        if pid == 0:                    # the child: never returns into the caller's code
            status = 1
            try:
                parent_end.close()
                _serve(self.task, child_end, self.shared, parent)
                status = 0
            finally:
                _flush_standard_streams()
                os._exit(status)
        child_end.close()
        self.pid, self.conn = pid, parent_end

    def _close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.shared is not None:
            self.shared.close()
            self.shared = None

    def _end_child(self, kill: bool) -> None:
        """Closing the pipe tells an idle child to exit; kill=True ends a busy one too."""
        pid = self.pid
        if pid is None:
            return
        self.pid = None
        self._close()
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap(pid)


@contextmanager
def frozen_heap():
    """Around a fork: the objects the children inherit (modules, plugins, compiled patterns) are
    set aside from their garbage collections, which would otherwise write into their headers and
    so copy each page holding one (a quarter of the pages a text run's child copies). In this
    process they go back at once: it may live long (a Dask worker) and its garbage must be freed.
    A forked child never leaves the block (it ends inside it), so it keeps them set aside."""
    pid = os.getpid()
    gc.freeze()
    try:
        yield
    finally:
        if os.getpid() == pid:
            gc.unfreeze()


def _resumed(item, place: int, message: str) -> Optional[Skipping]:
    """An archive's slice whose reader died on the record at `place`: the slice again, that
    record reported in its place. None for a page, or when the reader died between records or
    twice on one (reading the slice itself is what fails): then the item is reported whole."""
    if place < 0 or isinstance(item, str) or not hasattr(item, "weight"):
        return None
    item, skip = (item.item, dict(item.skip)) if isinstance(item, Skipping) else (item, {})
    if place in skip:
        return None
    skip[place] = message
    return Skipping(item, skip, getattr(item, "weight", 1))


class _Reported:
    """In the queue of pending items: a culprit already reported, yielded in its turn."""

    def __init__(self, result):
        self.result = result


def _reported(pending: deque) -> Iterator:
    """The culprits at the head of the queue, in their turn."""
    while pending and isinstance(pending[0], _Reported):
        yield pending.popleft().result


def _reap(pid: int) -> tuple:
    """(wait status, CPU seconds) of the child, once it has ended."""
    while True:
        try:
            _, status, usage = os.wait4(pid, 0)
            return status, usage.ru_utime + usage.ru_stime
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0, 0.0


def _host_stream():
    from .plugins import get_host

    return get_host().stderr or sys.stderr


def _flush_standard_streams() -> None:
    """What this process has buffered must not be written twice, once by the child too."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass


# -- the child ------------------------------------------------------------------------------------

def _serve(task, conn, shared, parent: int) -> None:
    """Answer batches of items until the parent closes the pipe, counting in `shared` the items
    started. Answers go back a batch at a time, or sooner when one has waited _PROMPT seconds
    (a slow document after it must not hold back its report)."""
    from . import parallel
    from .plugins import get_host

    parallel._worker_started(parent)
    parallel._limit_record = shared
    sys.stdin = open(os.devnull)        # standard input is the parent's
    answers = _Answers(conn)
    get_host().stderr = answers.printed
    answers.start()
    started = 0
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        for item in batch:
            started += 1
            struct.pack_into("q", shared, 8, started)
            answers.add(item, task.many([item]))
        if not answers.send():
            return                      # the parent is gone


# Seconds an answer may wait in the child for the rest of its batch: what bounds both how late a
# report comes after its document and what a dying child's successor runs again. Shorter (it was
# 0.05), and the answers of fast documents go back a few at a time on a loaded machine, each
# paying a round trip: 16 text stories take 50 ms, twice that when another process shares the core.
_PROMPT = 0.25


class _Answers:
    """The child's answers not sent yet, sent by the main thread at the end of a batch or by a
    helper thread once the oldest has waited _PROMPT seconds."""

    def __init__(self, conn):
        self.conn, self.lock = conn, threading.Lock()
        self.items, self.results, self.since = [], [], 0.0
        self.printed = io.StringIO()    # what the plugin host prints, passed on to the parent

    def start(self) -> None:
        threading.Thread(target=self._prompt, daemon=True).start()

    def add(self, item, results: list) -> None:
        with self.lock:
            if not self.results:
                self.since = time.monotonic()
            self.items.append(item)
            self.results.append(results)

    def send(self) -> bool:
        """False when the parent is gone."""
        with self.lock:
            if not self.results:
                return True
            message = (self.results, self.printed.getvalue())
            try:
                data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:           # a result that will not pickle costs its document only
                data = pickle.dumps(([_picklable(item, results) for item, results in zip(self.items, self.results)],
                                     message[1]), protocol=pickle.HIGHEST_PROTOCOL)
            self.items, self.results = [], []
            self.printed.seek(0)
            self.printed.truncate()
            try:
                self.conn.send_bytes(data)
            except OSError:
                return False
            return True

    def _prompt(self) -> None:
        while True:
            time.sleep(_PROMPT)
            if self.results and time.monotonic() - self.since >= _PROMPT and not self.send():
                return


def _picklable(item, results: list) -> list:
    from .parallel import failure

    try:
        pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        return results
    except Exception as exc:
        return [failure(str(item), f"extraction failed in a worker process ({type(exc).__name__}: {exc})")]
