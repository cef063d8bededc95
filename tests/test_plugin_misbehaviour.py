"""Plugins that misbehave in the ways a careless or hostile one can (issue 15, item 2): raising
anything (SystemExit, KeyboardInterrupt, GeneratorExit, a BaseException of its own) at import, at
registration or in any hook; printing to standard output; changing the working folder; taking a
built-in's entry point name. Each costs the documents it touched, is reported with the plugin's
name, and never ends the run, corrupts extract's output or moves its files, with --jobs 2 too;
while a real Ctrl-C or SIGTERM from the user still stops the run. The plugin is written here and
installed the way a third-party one is (a distribution with an entry point)."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from importlib import metadata
from pathlib import Path

import pytest

from quoteledger import cli, plugins as plugins_module
from quoteledger.interrupts import handling_signals
from quoteledger.model import Document
from quoteledger.pipeline import extract_document
from quoteledger.plugins import ENTRY_POINT_GROUP, PluginHost

PLUGIN = '''
"""A plugin whose behaviour each document chooses by a marker on its first line."""
import os
import sys
import time

from quoteledger.hookspecs import hookimpl
from quoteledger.model import Article, Paragraph
from quoteledger.outlet import Outlet

ON_IMPORT = os.environ.get("MISBEHAVE_ON_IMPORT")
if ON_IMPORT == "exit":
    sys.exit(4)
if ON_IMPORT == "print":
    print("chatter while being imported")


class OwnBaseException(BaseException):
    pass


def misbehave(marker, hook):
    if marker != hook.split(":")[0]:
        return
    what = hook.split(":")[1]
    print(f"plugin chatter from {what}")
    sys.stdout.flush()
    os.write(1, b"plugin chatter straight to fd 1\\n")
    if what == "exit":
        sys.exit(3)
    if what == "interrupt":
        raise KeyboardInterrupt
    if what == "generator-exit":
        raise GeneratorExit
    if what == "own":
        raise OwnBaseException("mine")
    if what == "chdir":
        os.chdir(os.path.dirname(os.getcwd()) or "/")
    if what == "sleep":
        time.sleep(60)


class Plugin:
    outlet = Outlet(name="Misbehaving Times", priority=100)

    @hookimpl
    def quoteledger_register_outlets(self, register):
        if os.environ.get("MISBEHAVE_ON_REGISTER") == "interrupt":
            raise KeyboardInterrupt
        register(self.outlet)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        if outlet is not self.outlet or not document.text.startswith("[misbehave "):
            return None
        misbehave("detect", document.text[len("[misbehave "):document.text.index("]")])
        return 1.0

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if outlet is not self.outlet:
            return None
        misbehave("parse", document.text[len("[misbehave "):document.text.index("]")])
        return Article(outlet=outlet.name, headline="Bridge talks resume at the hall",
                       paragraphs=[Paragraph(p) for p in document.text.split("\\n\\n")[1:]])

    @hookimpl
    def quoteledger_postprocess_quotes(self, article, quotations):
        if article.outlet == self.outlet.name:
            misbehave("postprocess", article.paragraphs[-1].text.split("|")[-1])


plugin = Plugin()
'''

QUOTE = "\u201cWe will rebuild the bridge by spring,\u201d said Jane Doe, the mayor."


def story(marker: str, n: int = 0) -> str:
    return f"[misbehave {marker}]\n\n{QUOTE.replace('spring', f'spring {n}')}\n\nMore words.|{marker}"


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The plugin as an installed distribution: a module and its dist-info on sys.path (and on
    PYTHONPATH, for the runs in a process of their own)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "misbehaving.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "misbehaving_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: misbehaving-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nmisbehaving = misbehaving:plugin\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    yield site
    sys.modules.pop("misbehaving", None)


def fresh_host(monkeypatch) -> PluginHost:
    sys.modules.pop("misbehaving", None)
    host = PluginHost(stderr=io.StringIO(), strict=False)
    monkeypatch.setattr(plugins_module, "_HOST", host)
    return host


RAISES = ["exit", "interrupt", "generator-exit", "own"]


@pytest.mark.parametrize("hook", ["detect", "parse", "postprocess"])
@pytest.mark.parametrize("what", RAISES)
def test_anything_a_hook_raises_costs_one_document(installed, monkeypatch, capfd, hook, what):
    host = fresh_host(monkeypatch)
    with handling_signals():            # as the command line runs: a KeyboardInterrupt no signal sent is the plugin's
        bad = extract_document(Document("bad.txt", story(f"{hook}:{what}"), False), host)
        good = extract_document(Document("good.txt", story("none"), False), host)
    raised = {"exit": "SystemExit", "interrupt": "KeyboardInterrupt", "generator-exit": "GeneratorExit",
              "own": "OwnBaseException"}[what]
    if hook == "detect":    # a broken detector loses the page to another plugin, reported once on the host's stderr
        assert not bad.failed and bad.records[0]["article"]["publisher"]["plugin"] == "generic"
        assert f"plugin misbehaving: quoteledger_detect raised {raised}" in host.stderr.getvalue()
    else:
        assert bad.failed and f"plugin misbehaving: quoteledger_{hook}" in bad.errors[0]
        assert f"raised {raised}" in bad.errors[0] and "bad.txt" in bad.errors[0]
        assert not good.failed and len(good.records) == 1


def test_outside_the_command_line_a_keyboard_interrupt_is_never_swallowed(installed, monkeypatch):
    """Without the command line's handlers nobody can tell a plugin's KeyboardInterrupt from the
    user's Ctrl-C, so it is taken for the user's."""
    host = fresh_host(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        extract_document(Document("bad.txt", story("parse:interrupt"), False), host)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ingest_goes_on_past_plugins_that_exit_or_interrupt(installed, monkeypatch, tmp_path, capsys, jobs):
    fresh_host(monkeypatch)
    folder = tmp_path / "docs"
    folder.mkdir()
    markers = ["none", "parse:exit", "none", "postprocess:interrupt", "parse:own", "none"]
    for n, marker in enumerate(markers):
        (folder / f"{n}.txt").write_text(story(marker, n), encoding="utf-8")
    ledger = tmp_path / "l.db"
    assert cli.main(["ingest", "--jobs", jobs, "--ledger", str(ledger), str(folder)]) == 1
    err = capsys.readouterr().err
    assert "6 documents (3 failed)" in err and "3 new" in err, err
    assert "quoteledger_parse raised SystemExit: 3" in err
    assert "quoteledger_postprocess_quotes raised KeyboardInterrupt" in err


def test_import_and_registration_may_raise_anything(installed, monkeypatch):
    monkeypatch.setenv("MISBEHAVE_ON_IMPORT", "exit")
    host = fresh_host(monkeypatch)
    assert "raised SystemExit: 4" in host.plugins["misbehaving"].error
    assert "generic" in host.outlet_owner.values()
    monkeypatch.delenv("MISBEHAVE_ON_IMPORT")
    monkeypatch.setenv("MISBEHAVE_ON_REGISTER", "interrupt")
    with handling_signals():
        host = fresh_host(monkeypatch)
    assert "quoteledger_register_outlets raised KeyboardInterrupt" in host.plugins["misbehaving"].error
    assert "Misbehaving Times" not in host.outlets


def run_cli(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quoteledger.cli", *args], capture_output=True, timeout=120,
                          **kwargs)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_plugin_printing_cannot_corrupt_extracts_output(installed, tmp_path, jobs):
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, marker in enumerate(["detect:print", "parse:print", "postprocess:print", "none"]):
        (folder / f"{n}.txt").write_text(story(marker, n), encoding="utf-8")
    done = run_cli("extract", "--jobs", jobs, str(folder), env={**os.environ, "MISBEHAVE_ON_IMPORT": "print"})
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(records) == 4
    err = done.stderr.decode("utf-8")
    assert "chatter while being imported" in err
    assert err.count("plugin chatter straight to fd 1") == 3 and err.count("plugin chatter from print") == 3


def test_a_plugin_changing_the_working_folder_moves_nothing(installed, monkeypatch, tmp_path, capsys):
    host = fresh_host(monkeypatch)
    work = tmp_path / "work"
    (work / "docs").mkdir(parents=True)
    monkeypatch.chdir(work)
    for n, marker in enumerate(["parse:chdir", "none", "detect:chdir", "none"]):
        (work / "docs" / f"{n}.txt").write_text(story(marker, n), encoding="utf-8")
    assert cli.main(["extract", "--jobs", "1", "-o", "out.jsonl", "docs"]) == 0
    assert len((work / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 4
    warned = host.stderr.getvalue()     # (with --jobs 2 the workers write theirs to their own stderr)
    assert warned.count("changed the working folder") == 1 and "quoteledger_parse changed" in warned
    assert cli.main(["ingest", "--jobs", "2", "--ledger", "l.db", "docs"]) == 0
    assert "4 documents (0 failed)" in capsys.readouterr().err
    assert os.getcwd() == str(work) and (work / "l.db").exists()
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "l.db").exists()


def test_a_namesake_of_a_builtin_is_refused_and_the_builtin_kept(installed, monkeypatch):
    (installed / "misbehaving_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ngeneric = misbehaving:plugin\n")
    err = io.StringIO()
    sys.modules.pop("misbehaving", None)
    eps = metadata.entry_points(group=ENTRY_POINT_GROUP)
    assert len([ep for ep in eps if ep.name == "generic"]) == 2
    for order in (list(eps), list(eps)[::-1]):
        host = PluginHost(entry_points=order, stderr=err, strict=False)
        assert host.plugins["generic"].builtin and host.plugins["generic"].error is None
        assert "Misbehaving Times" not in host.outlets
        assert host.outlet_owner[next(o for o, p in host.outlet_owner.items() if p == "generic")] == "generic"
        refused = [why for key, why in host.skipped.items() if key.startswith("generic from misbehaving-plugin")]
        assert refused and "the name generic is the built-in plugin's" in refused[0]
    assert "plugin generic from misbehaving-plugin (misbehaving:plugin) refused" in err.getvalue()


@pytest.mark.parametrize("signum,status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_real_signal_still_stops_the_run_and_cleans_up(installed, tmp_path, signum, status):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "0.txt").write_text(story("parse:interrupt"), encoding="utf-8")   # the plugin's own: a document's
    (folder / "1.txt").write_text(story("parse:sleep", 1), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "quoteledger.cli", "extract", "--jobs", "1", "-o", str(out),
                             str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = ""                       # (the plugin's own chatter comes first: it goes to stderr)
        while line is not None and "quoteledger:" not in line:
            line = proc.stderr.readline().decode() or None
        # The first document's error: the plugin's KeyboardInterrupt cost it, the run went on.
        assert "0.txt: plugin misbehaving: quoteledger_parse raised KeyboardInterrupt" in (line or ""), line
        assert any(p.name.startswith(".quoteledger-") for p in tmp_path.iterdir())
        time.sleep(0.5)                 # into the sleeping document
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    assert f"stopped by {signal.Signals(signum).name}" in err.decode()
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".quoteledger-")]


def test_parse_shows_what_plugins_read_whatever_they_do(installed, tmp_path):
    """`parse`, the command for checking a plugin, keeps the same guards as extract: a plugin's
    prints never enter its JSON, its SystemExit or KeyboardInterrupt costs that page, its chdir is
    undone, and a folder with nothing to read is said to be so (exit 1)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    markers = ["parse:print", "parse:exit", "parse:chdir", "parse:interrupt", "none"]
    for n, marker in enumerate(markers):
        (folder / f"{n}.txt").write_text(story(marker, n), encoding="utf-8")
    done = run_cli("parse", "docs", cwd=tmp_path)
    assert done.returncode == 1
    decoder, text, shown = json.JSONDecoder(), done.stdout.decode("utf-8"), []
    while text.strip():
        article, end = decoder.raw_decode(text.lstrip())
        shown.append(article["document"])
        text = text.lstrip()[end:]
    assert shown == [os.path.join("docs", f"{n}.txt") for n in (0, 2, 4)]
    err = done.stderr.decode("utf-8")
    assert "quoteledger_parse raised SystemExit: 3" in err and "quoteledger_parse raised KeyboardInterrupt" in err
    assert "changed the working folder" in err and "plugin chatter from print" in err
    (tmp_path / "empty").mkdir()
    nothing = run_cli("parse", "empty", cwd=tmp_path)
    assert nothing.returncode == 1 and b"no documents to read in empty" in nothing.stderr


def test_the_host_writes_to_the_stderr_of_the_moment_not_of_its_birth(monkeypatch):
    """The host lives as long as the process; the stream that was sys.stderr when it was made may be
    closed by the time a later command's warning comes (a test runner swaps streams per test)."""
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    host = PluginHost(entry_points=[])
    first.close()
    later = io.StringIO()
    monkeypatch.setattr(sys, "stderr", later)
    host._warn("someplugin", "something odd")
    assert "plugin someplugin: something odd" in later.getvalue()
    given = io.StringIO()
    host.stderr = given
    host._warn("someplugin", "again")
    assert "again" in given.getvalue() and "again" not in later.getvalue()
