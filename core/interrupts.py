"""Stopping a run: a signal from the user or a supervisor ends it, cleanly; the same exception raised
by a plugin does not.

A plugin may raise anything, KeyboardInterrupt and SystemExit included, and that costs one document.
A real Ctrl-C (SIGINT) or a supervisor's SIGTERM or SIGHUP must still stop the run, and stop it by
unwinding, so that every `finally` runs: temporary output files are removed, the ledger's open
transaction is rolled back, worker processes are ended. The command line installs handlers that
remember which signal came before raising; an exception is the user's when a signal came, never
when the same class is raised by code while no signal did.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Optional

# The signals that end a run: each raises in the main thread instead of killing the process outright.
STOPPING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stop(BaseException):
    """Raised by quoteledger itself into running code (a deadline, a signal): never a plugin's
    fault, so never reported as one, and never swallowed by a plugin's `except Exception`."""


class Terminated(Stop):
    """SIGTERM or SIGHUP arrived: end the run as the default action would, after cleaning up."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


# What this process knows about where a KeyboardInterrupt comes from: "cli" (our handler is
# installed, a real one sets _received), "worker" (SIGINT is ignored: the parent handles it), or
# None (a library caller: we cannot tell, so it is treated as the user's, never swallowed).
_mode: Optional[str] = None
_received: Optional[int] = None


def _on_signal(signum, frame):
    global _received
    if _received is None:
        _received = signum
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


@contextmanager
def handling_signals():
    """For the command line's whole run: SIGINT raises KeyboardInterrupt, SIGTERM and SIGHUP raise
    Terminated, each remembered as real. Outside the main thread, nothing is installed."""
    global _mode, _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in STOPPING_SIGNALS}
    saved_mode, _mode, _received = _mode, "cli", None
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _mode = saved_mode


@contextmanager
def signals_held():
    """Signals that end a run wait until the block is done (a temporary file made and recorded
    for removal in one step): one arriving meanwhile is handled on the way out."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def worker_started() -> None:
    """In a worker process the parent owns the run: Ctrl-C reaches the parent (which ends the
    workers), and SIGTERM ends a worker at once, as by default (it holds nothing to clean up)."""
    global _mode, _received
    _mode, _received = "worker", None
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in STOPPING_SIGNALS:
        if signum != signal.SIGINT:
            signal.signal(signum, signal.SIG_DFL)


def is_stop(exc: BaseException) -> bool:
    """True when exc must end the run (or the document's deadline) rather than be reported as
    the fault of the code that raised it."""
    if isinstance(exc, Stop):
        return True
    if isinstance(exc, KeyboardInterrupt):
        return _mode is None or _received is not None
    return False
