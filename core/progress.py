"""The progress line of a long run: documents done (of how many, when that is known), documents a
second, failures so far, redrawn in place on stderr and cleared for the final summary.

Only on a terminal: in a pipe, a log file or CI, and with --quiet, nothing is drawn, so stderr
holds exactly the errors and the summary. The total comes from a walk of the inputs' file names on
a thread of its own (the run does not wait for it); an archive's documents cannot be counted
without reading it, so the line then says only how many are done.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Optional

# Drawn from the first document on; redrawn at most this often (a terminal is slow to write).
FIRST_DRAW = 0.0
REDRAW = 0.2

_active: Optional["Progress"] = None


def clear_line() -> None:
    """Wipe the progress line, if one is drawn, so that a message printed next starts clean."""
    if _active is not None:
        _active.wipe()


class Progress:
    def __init__(self, verb: str, quiet: bool = False, stream=None):
        global _active
        self.verb = verb
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and _isatty(self.stream)
        self.total: Optional[int] = None
        self.countable = True
        self.started = self.shown = time.monotonic()
        self.done = self.failed = 0
        self.drawn = False
        self._counter: Optional[threading.Thread] = None
        if self.enabled:
            _active = self

    # -- the total ----------------------------------------------------------------------------

    def count(self, paths: list) -> None:
        """Count the documents the paths hold on a background thread; the line shows the total
        once the count is done (never for standard input, or once an archive is met)."""
        if not self.enabled or "-" in paths:
            return
        from .reading import iter_paths

        def walk():
            try:
                # What the walk passes over is the command's own walk to report, not this count's.
                total = sum(1 for _ in iter_paths(paths, skipped=lambda _skipped: None))
            except OSError:
                return
            if self.countable:
                self.total = total
        self._counter = threading.Thread(target=walk, name="quoteledger-count", daemon=True)
        self._counter.start()

    def uncountable(self) -> None:
        """An archive is among the inputs: its documents are not known until it is read."""
        self.countable = False
        self.total = None

    # -- drawing ------------------------------------------------------------------------------

    def tick(self, done: int, failed: Optional[int] = None) -> None:
        self.done = done
        if failed is not None:
            self.failed = failed
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started >= FIRST_DRAW and now - self.shown >= REDRAW:
            self._draw(now)

    def line(self, now: Optional[float] = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        total = self.total if self.countable else None
        of = f" of {total:,}" if total is not None and total >= self.done else ""
        return (f"quoteledger: {self.done:,}{of} documents {self.verb}, {self.done / elapsed:,.1f}/s, "
                f"{self.failed:,} failed")

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.line(now) + "\033[K")
        self.stream.flush()
        self.shown, self.drawn = now, True

    def wipe(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False
            self.shown = 0.0        # redraw with the next document, below the message

    def close(self) -> None:
        """Draw the final count once (a short run may end before the first redraw), then clear
        the line: the command's summary takes its place."""
        global _active
        if self.enabled and self.done:
            if self._counter is not None:
                self._counter.join(0.5)     # a walk of file names; past that, the total is left out
            self._draw(time.monotonic())
        self.wipe()
        if _active is self:
            _active = None


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def rate(done: int, seconds: float) -> str:
    return f"{done / seconds:,.1f}" if seconds > 0 else "-"
