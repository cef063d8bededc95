"""The progress line: drawn on stderr when it is a terminal (a pseudo-terminal here), with the
documents done, the total when known, the rate and the failures, and cleared for the summary;
nothing of it in a pipe or with --quiet."""
from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from quoteledger.progress import Progress

EXAMPLES = Path(__file__).resolve().parents[1] / "plugins" / "examples"
PAGES = [str(p) for p in sorted(EXAMPLES.glob("*/*.html"))[:6]]


def run_with_terminal(args: list, cwd: Path) -> tuple:
    """Runs quoteledger with stderr on a pseudo-terminal: (status, what the terminal showed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "quoteledger.cli", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:         # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return proc.wait(60), shown.decode("utf-8", "replace")


def test_a_terminal_shows_the_progress_line_then_the_summary(tmp_path):
    status, shown = run_with_terminal(["ingest", "--jobs", "1", "--ledger", str(tmp_path / "l.db"), *PAGES,
                                       str(tmp_path / "missing.html")], tmp_path)
    assert status == 1
    lines = re.findall(r"\rquoteledger: (\d+) of 7 documents ingested, [\d.,]+/s, (\d+) failed\x1b\[K", shown)
    assert lines, shown
    assert lines[-1] == ("7", "1")
    # The line is wiped before each message and before the summary, which ends the output.
    assert "\r\x1b[Kquoteledger: " in shown
    assert re.search(r"l\.db: 7 documents \(1 failed\).*\d+ errors\r?\n$", shown)


def test_extract_on_a_terminal_ends_in_a_summary(tmp_path):
    status, shown = run_with_terminal(["extract", "--jobs", "1", "-o", str(tmp_path / "o.jsonl"), *PAGES], tmp_path)
    assert status == 0
    assert "documents extracted, " in shown
    assert re.search(r"quoteledger: 6 documents extracted \(0 failed\), [\d.,]+ a second\r?\n$", shown)


def test_quiet_draws_nothing_on_a_terminal(tmp_path):
    status, shown = run_with_terminal(["ingest", "--quiet", "--jobs", "1", "--ledger", str(tmp_path / "l.db"), *PAGES],
                                      tmp_path)
    assert status == 0
    assert "\r" not in shown.replace("\r\n", "\n") and "/s, " not in shown
    assert "6 documents (0 failed)" in shown


def test_a_pipe_gets_no_progress_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "quoteledger.cli", "ingest", "--jobs", "1", "--ledger",
                           str(tmp_path / "l.db"), *PAGES], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stderr.count("\n") == 1 and "\r" not in proc.stderr and "/s, " not in proc.stderr
    extract = subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", *PAGES], capture_output=True,
                             text=True, cwd=tmp_path)
    assert extract.returncode == 0 and extract.stderr == ""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_total_is_left_out_once_an_archive_is_among_the_inputs():
    progress = Progress("read", stream=FakeTerminal())
    progress.total = 10
    assert " of 10 " in progress.line()
    progress.uncountable()
    progress.tick(3, 1)
    assert re.fullmatch(r"quoteledger: 3 documents read, [\d.,]+/s, 1 failed", progress.line())
    progress.close()
    assert progress.stream.getvalue().endswith("\r\x1b[K")
