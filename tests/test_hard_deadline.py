"""The deadline where Python's cannot reach (issue 15 item 7): a document stuck inside C code,
where the SIGALRM deadline cannot interrupt it, is stopped by the kernel in a pool worker once it
has used more CPU than its deadline allows; it is reported as such and the run goes on. The
plugin below hogs the CPU in one C call (hashlib's PBKDF2), as a C library on a hostile page
would; it is written here and installed as a third-party plugin is."""
from __future__ import annotations

import os
import subprocess
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


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux", reason="the CPU limit is a POSIX rlimit")
def test_a_document_stuck_in_c_is_stopped_and_the_run_goes_on(hog_plugin, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, marker in enumerate(["fine", "stuck", "fine", "fine"]):
        (folder / f"doc-{n}.txt").write_text(f"[hog-times {marker}]\n\n{QUOTE.format(n=n)}\n\nMore words.",
                                            encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(hog_plugin), os.environ.get("PYTHONPATH")]))}
    # Without the limit this run takes many minutes; the subprocess timeout only keeps a broken
    # build from hanging the suite.
    done = subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", "--jobs", "2", "--timeout", "0.5",
                           str(folder), "-o", str(out)], env=env, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    stuck = [line for line in done.stderr.splitlines() if "doc-1.txt" in line]
    assert stuck and "past its deadline inside C code" in stuck[0], done.stderr
    written = out.read_text("utf-8")
    assert all(f"spring {n}" in written for n in (0, 2, 3)) and "spring 1" not in written
    # The stopped worker left no core dump in the folder it ran in.
    assert not [p for p in tmp_path.iterdir() if p.name == "core" or p.name.startswith("core.")]
