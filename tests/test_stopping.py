"""Stopping a run from outside (issue 15, item 13): SIGTERM, SIGINT or even SIGKILL sent to the parent
alone (as a supervisor does) leaves no worker process behind, and SIGTERM and SIGINT end it with
the conventional status and no hidden temporary file. The workers here are held by FIFOs no one
writes (with no deadline), so they would wait forever if nothing ended them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def children(pid: int) -> set:
    found = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.update(int(c) for c in fh.read().split())
    except OSError:
        pass
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"      # a zombie has ended
    except OSError:
        return False


def wait_until(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc to see worker processes")
@pytest.mark.parametrize("command", ["ingest", "extract"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_signal_to_the_parent_alone_leaves_no_worker_behind(tmp_path, command, signum):
    fifos = []
    for n in range(4):
        fifos.append(tmp_path / f"fifo{n}")
        os.mkfifo(fifos[-1])
    page = sorted((FIXTURES / "text").iterdir())[0]
    where = ["--ledger", str(tmp_path / "l.db")] if command == "ingest" else ["-o", str(tmp_path / "out.jsonl")]
    proc = subprocess.Popen([sys.executable, "-m", "quoteledger.cli", command, "--jobs", "2", "--timeout", "0",
                             *where, str(page), *map(str, fifos)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert wait_until(lambda: len(children(proc.pid)) >= 2, 60), "the pool never started"
        workers = children(proc.pid)
        time.sleep(0.3)                 # the workers are inside their FIFOs' open()
        os.kill(proc.pid, signum)       # the parent alone, not its process group
        _, err = proc.communicate(timeout=60)
        assert wait_until(lambda: not any(alive(w) for w in workers), 30), \
            f"workers left behind: {[w for w in workers if alive(w)]}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for worker in children(proc.pid):
            os.kill(worker, signal.SIGKILL)
    if signum != signal.SIGKILL:
        assert proc.returncode == 128 + signum, err
        assert f"stopped by {signal.Signals(signum).name}" in err.decode()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".quoteledger-")]
