"""The deadline where Python's cannot reach (issue 15 item 7): a document stuck inside C code,
where the SIGALRM deadline cannot interrupt it, is stopped by the kernel once it has used more CPU
than its deadline allows, with --jobs 1 (a supervised child), --jobs 2 (pool workers) and the
Dask engine alike; it is reported as such and the run goes on. The plugin below hogs the CPU in
one C call (hashlib's PBKDF2), as a C library on a hostile page would, or loops in Python; it is
written here and installed as a third-party plugin is."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import sys
import textwrap

import pytest

from quoteledger.plugins import ENTRY_POINT_GROUP

PLUGIN = '''
import hashlib

from quoteledger.hookspecs import hookimpl
from quoteledger.model import Article, Paragraph
from quoteledger.outlet import Outlet


class Plugin:
    outlet = Outlet(name="Hog Times", priority=100)

    @hookimpl
    def quoteledger_register_outlets(self, register):
        register(self.outlet)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        return 1.0 if outlet is self.outlet and document.text.startswith("[hog-times") else None

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if outlet is not self.outlet:
            return None
        if document.text.startswith("[hog-times stuck]"):
            hashlib.pbkdf2_hmac("sha256", b"page", b"salt", 2 ** 31 - 1)   # minutes in one C call
        while document.text.startswith("[hog-times loop]"):
            pass                                                            # forever, in Python
        return Article(outlet=outlet.name, headline="Bridge talks resume at the hall",
                       paragraphs=[Paragraph(p) for p in document.text.split("\\n\\n")[1:]])


plugin = Plugin()
'''

QUOTE = "\u201cWe will rebuild the bridge by spring {n},\u201d said Jane Doe, the mayor."


@pytest.fixture
def hog_plugin(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "hog_times.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "hog_times-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hog-times\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nhog_times = hog_times:plugin\n")
    return site


POSIX = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux", reason="the CPU limit is a POSIX rlimit")


def write_pages(folder, markers):
    folder.mkdir()
    for n, marker in enumerate(markers):
        (folder / f"doc-{n}.txt").write_text(f"[hog-times {marker}]\n\n{QUOTE.format(n=n)}\n\nMore words.",
                                            encoding="utf-8")


def run_cli(hog_plugin, tmp_path, *args, stdin=None):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(hog_plugin), os.environ.get("PYTHONPATH")]))}
    # Without the limit this run takes many minutes; the subprocess timeout only keeps a broken
    # build from hanging the suite.
    return subprocess.run([sys.executable, "-m", "quoteledger.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300, cwd=tmp_path, input=stdin)


def reported(stderr: str, name: str) -> str:
    lines = [line for line in stderr.splitlines() if name in line]
    assert lines, stderr
    return lines[0]


@POSIX
def test_a_document_stuck_in_c_is_stopped_and_the_run_goes_on(hog_plugin, tmp_path, jobs="2"):
    write_pages(tmp_path / "docs", ["fine", "stuck", "fine", "fine"])
    out = tmp_path / "out.jsonl"
    done = run_cli(hog_plugin, tmp_path, "extract", "--jobs", jobs, "--timeout", "0.5", "docs", "-o", str(out))
    assert done.returncode == 1, done.stderr
    assert "past its deadline inside C code" in reported(done.stderr, "doc-1.txt")
    written = out.read_text("utf-8")
    assert all(f"spring {n}" in written for n in (0, 2, 3)) and "spring 1" not in written
    # The stopped process left no core dump in the folder it ran in.
    assert not [p for p in tmp_path.iterdir() if p.name == "core" or p.name.startswith("core.")]


@POSIX
def test_with_one_job_two_stuck_documents_cost_themselves_only(hog_plugin, tmp_path):
    """The child stopped for the first is replaced, and its successor is stopped for the second."""
    write_pages(tmp_path / "docs", ["stuck", "fine", "loop", "stuck", "fine"])
    done = run_cli(hog_plugin, tmp_path, "ingest", "--jobs", "1", "--timeout", "0.5", "--ledger", "l.db", "docs")
    assert done.returncode == 1, done.stderr
    for stuck in ("doc-0.txt", "doc-3.txt"):
        assert "past its deadline inside C code" in reported(done.stderr, stuck)
    assert "0.5 s time limit" in reported(done.stderr, "doc-2.txt")     # Python code: its own deadline
    exported = run_cli(hog_plugin, tmp_path, "export", "--ledger", "l.db")
    assert exported.returncode == 0, exported.stderr
    assert "spring 1" in exported.stdout and "spring 4" in exported.stdout
    assert not any(f"spring {n}" in exported.stdout for n in (0, 2, 3))


@POSIX
def test_a_page_on_standard_input_stuck_in_c_is_stopped(hog_plugin, tmp_path):
    """Standard input is read by the parent (its deadline covers the reading); the page is then
    extracted in the child, where the kernel can stop it."""
    write_pages(tmp_path / "docs", ["fine"])
    page = f"[hog-times stuck]\n\n{QUOTE.format(n=9)}\n\nMore words."
    done = run_cli(hog_plugin, tmp_path, "extract", "--jobs", "1", "--timeout", "0.5", "-", "docs", stdin=page)
    assert done.returncode == 1, done.stderr
    assert "past its deadline inside C code" in reported(done.stderr, "-: ")
    assert "spring 0" in done.stdout and "spring 9" not in done.stdout


@POSIX
def test_on_the_dask_engine_a_stuck_document_costs_itself_only(hog_plugin, tmp_path):
    """A Dask task runs off the main thread, where no Python deadline can fire: the documents run
    in a child of the Dask worker, where both deadlines hold, so the worker never dies and the
    scheduler never retries or loses the partition."""
    pytest.importorskip("distributed", reason="Dask is not installed (pip install 'quoteledger[dask]')")
    write_pages(tmp_path / "docs", ["fine", "stuck", "loop", "fine"])
    done = run_cli(hog_plugin, tmp_path, "ingest", "--engine", "dask", "--jobs", "1", "--timeout", "0.5",
                   "--ledger", "l.db", "docs")
    assert done.returncode == 1, done.stderr
    assert "past its deadline inside C code" in reported(done.stderr, "doc-1.txt")
    assert "0.5 s time limit" in reported(done.stderr, "doc-2.txt")
    assert "4 documents" in done.stderr or "4 document" in done.stderr, done.stderr
    exported = run_cli(hog_plugin, tmp_path, "export", "--ledger", "l.db")
    assert "spring 0" in exported.stdout and "spring 3" in exported.stdout
    assert "spring 1" not in exported.stdout and "spring 2" not in exported.stdout


@POSIX
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_in_a_crawl_dump_a_stuck_record_costs_itself_not_its_slice(hog_plugin, tmp_path, jobs):
    """An archive is read in slices of several records: the slice is read again, the record its
    reader was stopped on reported by its own name, the records around it extracted."""
    lines = [{"url": f"https://hog.example/{n}", "text": f"[hog-times {marker}]\n\n{QUOTE.format(n=n)}\n\nMore words."}
             for n, marker in enumerate(["fine", "fine", "stuck", "fine", "fine"])]
    (tmp_path / "crawl.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = run_cli(hog_plugin, tmp_path, "extract", "--jobs", jobs, "--timeout", "0.5", "crawl.jsonl", "-o", str(out))
    assert done.returncode == 1, done.stderr
    assert "past its deadline inside C code" in reported(done.stderr, "crawl.jsonl#line-3")
    written = out.read_text("utf-8")
    assert all(f"spring {n}" in written for n in (0, 1, 3, 4)) and "spring 2" not in written, done.stderr


# -- how the supervisor tells a child stopped for its CPU from one that crashed ---------------------

def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


class _Ends:
    """A task whose child ends on some items: 'cpu' as the kernel's hard limit ends it (SIGKILL
    after the document's CPU limit was reached), 'crash' with an exit status, 'killed' by SIGKILL
    within its limit (as the kernel's OOM killer ends a process)."""

    def many(self, items):
        from quoteledger import parallel

        item = items[0]
        if item == "cpu":
            _burn(0.3)
            parallel._record_limit(0.25)            # the limit in force, and already used up
            os.kill(os.getpid(), signal.SIGKILL)
        if item == "crash":
            os._exit(3)
        if item == "killed":
            parallel._record_limit(1000.0)
            os.kill(os.getpid(), signal.SIGKILL)
        return [item.upper()]


@POSIX
def test_the_supervisor_classifies_each_death_from_the_childs_own_exit():
    from quoteledger.supervised import SupervisedWorker

    items = ["a", "cpu", "b", "crash", "c", "killed", "d"] + [f"e{n}" for n in range(40)]
    results = list(SupervisedWorker(_Ends(), batch=4).map(items))
    assert len(results) == len(items)
    assert [r for r in results if isinstance(r, str)] == [i.upper() for i in items if i not in ("cpu", "crash", "killed")]
    by_source = {r.source: r.errors[0] for r in results if not isinstance(r, str)}
    assert "past its deadline" in by_source["cpu"]
    assert "died (exit status 3" in by_source["crash"]
    assert "died (killed by SIGKILL" in by_source["killed"]


# -- parse, the plugin author's command, keeps the same deadlines -----------------------------------

@POSIX
def test_parse_stops_a_page_stuck_in_c_or_looping_and_shows_the_others(hog_plugin, tmp_path):
    write_pages(tmp_path / "docs", ["fine", "stuck", "loop", "fine"])
    done = run_cli(hog_plugin, tmp_path, "parse", "--timeout", "0.5", "docs")
    assert done.returncode == 1, done.stderr
    assert "past its deadline inside C code" in reported(done.stderr, "doc-1.txt")
    assert "0.5 s time limit" in reported(done.stderr, "doc-2.txt")
    shown = [json.loads(chunk) for chunk in done.stdout.replace("}\n{", "}\x00{").split("\x00")]
    assert [a["document"] for a in shown] == ["docs/doc-0.txt", "docs/doc-3.txt"]
    assert all(a["outlet"] == "Hog Times" for a in shown)


@POSIX
def test_parse_in_a_crawl_dump_a_stuck_record_costs_itself(hog_plugin, tmp_path):
    lines = [{"url": f"https://hog.example/{n}", "text": f"[hog-times {marker}]\n\n{QUOTE.format(n=n)}\n\nMore words."}
             for n, marker in enumerate(["fine", "stuck", "fine"])]
    (tmp_path / "crawl.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = run_cli(hog_plugin, tmp_path, "parse", "--timeout", "0.5", "crawl.jsonl")
    assert done.returncode == 1, done.stderr
    assert "past its deadline inside C code" in reported(done.stderr, "crawl.jsonl#line-2")
    assert "spring 0" in done.stdout and "spring 2" in done.stdout and "spring 1" not in done.stdout
