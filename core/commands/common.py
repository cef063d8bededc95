"""What several commands share: writing records atomically and reporting failures."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time


# json.dumps with these options, without building an encoder on every call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def dumps(record) -> str:
    """One canonical JSON form, so the same records give the same bytes."""
    return _ENCODE(record)


class AtomicOutput:
    """Writes to a temporary file beside the target and renames it into place on success, so an
    output file is never left half-written. '-' or None writes to standard output."""

    def __init__(self, path):
        self.path = None if path in (None, "-") else path
        self.fh = None
        self.tmp = None

    def __enter__(self):
        if self.path is None:
            self.fh = sys.stdout
        else:
            folder = os.path.dirname(os.path.abspath(self.path))
            fd, self.tmp = tempfile.mkstemp(prefix=".quoteledger-", dir=folder)
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.fh

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            self.fh.flush()
            return False
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)
        return False


def report(message: str) -> None:
    print(f"quoteledger: {message}", file=sys.stderr)


class Progress:
    """A document counter on stderr, only when it is a terminal and the run is long."""

    def __init__(self, verb: str = "read"):
        self.verb = verb
        self.enabled = sys.stderr.isatty()
        self.started = self.shown = time.monotonic()
        self.drawn = False

    def tick(self, done: int) -> None:
        now = time.monotonic()
        if self.enabled and now - self.started > 2 and now - self.shown > 0.25:
            sys.stderr.write(f"\rquoteledger: {done} documents {self.verb}")
            sys.stderr.flush()
            self.shown, self.drawn = now, True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\033[K")
