"""What is read from the input (issue 15, items 8, 12 and 14): a folder gives only its regular files
and says what it passed over (FIFOs, sockets, devices, broken links, folders it cannot read);
links to folders are followed, and a folder reached twice (a loop) is read once; a FIFO named
explicitly is read within the document's deadline, never forever; empty files and runs with no
documents are reported with exit 1; `ingest .` never reads its own ledger, journal included."""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.reading import Skipped, iter_paths

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = FIXTURES / "text"
PAGE = sorted(TEXT.iterdir())[0]


def walk(*paths, exclude=None):
    skipped: list = []
    found = list(iter_paths([str(p) for p in paths], skipped=skipped.append, exclude=exclude))
    return found, skipped


def test_only_regular_files_are_read_and_the_rest_is_reported(tmp_path):
    (tmp_path / "b.txt").write_bytes(PAGE.read_bytes())
    (tmp_path / "a.txt").write_bytes(PAGE.read_bytes())
    os.mkfifo(tmp_path / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "sock"))
        (tmp_path / "dangling").symlink_to("nowhere")
        (tmp_path / "linked.txt").symlink_to("a.txt")
        (tmp_path / ".hidden").write_text("x")
        found, skipped = walk(tmp_path)
    finally:
        sock.close()
    assert [Path(p).name for p in found] == ["a.txt", "b.txt", "linked.txt"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons == {"dangling": "a link to nothing (nowhere)",
                       "fifo": "a FIFO (named pipe), not a regular file",
                       "sock": "a socket, not a regular file"}
    assert not any(s.lost for s in skipped)


def test_a_folder_that_cannot_be_read_is_reported_and_fails_the_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "page.txt").write_bytes(PAGE.read_bytes())
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path="."):              # (root reads any folder: its refusal is simulated)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    found, skipped = walk(tmp_path)
    assert [Path(p).name for p in found] == ["page.txt"]
    assert [(Path(s.path).name, s.lost) for s in skipped] == [("locked", True)]
    assert "cannot read this folder: Permission denied" in skipped[0].reason
    assert cli.main(["extract", "--jobs", "1", "-o", str(tmp_path / "out.jsonl"), str(tmp_path)]) == 1
    assert f"{tmp_path / 'locked'}: not read: cannot read this folder" in capsys.readouterr().err


def test_links_to_folders_are_followed_and_loops_read_once(tmp_path):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "page.txt").write_bytes(PAGE.read_bytes())
    (real / "sub" / "loop").symlink_to("..")            # real/sub/loop -> real
    (tmp_path / "alias").symlink_to("real")
    found, skipped = walk(tmp_path)
    assert [os.path.relpath(p, tmp_path) for p in found] == [os.path.join("alias", "sub", "page.txt")]
    assert sorted(os.path.relpath(s.path, tmp_path) for s in skipped) == [
        os.path.join("alias", "sub", "loop"), "real"]
    assert all("the same folder as" in s.reason and not s.lost for s in skipped)
    # A link to a folder given by name is walked like the folder.
    assert [Path(p).name for p in walk(tmp_path / "alias")[0]] == ["page.txt"]


def test_the_order_is_files_then_folders_each_sorted(tmp_path):
    for name in ("b/2.txt", "b/1.txt", "a/x.txt", "z.txt", "c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [os.path.relpath(p, tmp_path) for p in walk(tmp_path)[0]] == [
        "c.txt", "z.txt", os.path.join("a", "x.txt"), os.path.join("b", "1.txt"), os.path.join("b", "2.txt")]


def test_a_fifo_named_explicitly_is_read_within_the_deadline(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert cli.main(["extract", "--jobs", "1", "--timeout", "1", str(fifo)]) == 1
    assert time.monotonic() - started < 20
    assert f"{fifo}: gave up after the 1 s time limit" in capsys.readouterr().err
    # With a writer, it is a document like any other.
    writer = threading.Thread(target=lambda: fifo.write_bytes(PAGE.read_bytes()))
    writer.start()
    assert cli.main(["extract", "--jobs", "1", "--timeout", "20", str(fifo)]) == 0
    writer.join(20)
    assert capsys.readouterr().out.count('"quote_id"') > 0


def test_empty_files_and_runs_without_documents_are_reported_with_exit_1(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert cli.main(["extract", str(tmp_path / "empty")]) == 1
    err = capsys.readouterr().err
    assert "no documents in this folder" in err and "no documents to read in" in err
    assert cli.main(["ingest", "--ledger", str(tmp_path / "l.db"), str(tmp_path / "empty")]) == 1
    assert "no documents to read in" in capsys.readouterr().err
    (tmp_path / "zero.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\r\n")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf")
    for name in ("zero.txt", "blank.txt", "bom.txt"):
        assert cli.main(["extract", str(tmp_path / name)]) == 1, name
        assert "nothing to read" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ingest_dot_never_reads_its_own_ledger(tmp_path, monkeypatch, capsys, jobs):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.txt").write_bytes(PAGE.read_bytes())
    assert cli.main(["ingest", "--jobs", jobs, "."]) == 0
    for suffix in ("-wal", "-shm", "-journal"):         # whatever SQLite leaves beside it, now or later
        (tmp_path / f"quoteledger.db{suffix}").write_bytes((tmp_path / "quoteledger.db").read_bytes()[:4096])
    capsys.readouterr()
    assert cli.main(["ingest", "--jobs", jobs, "."]) == 0
    err = capsys.readouterr().err
    assert "1 documents (0 failed)" in err, err
    assert "quoteledger.db: skipped: the ledger this run writes" in err
    # The same through a link to the ledger, and with the ledger named as an input.
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ledger-link.db").symlink_to(tmp_path / "quoteledger.db")
    assert cli.main(["ingest", "--jobs", jobs, "--ledger", "quoteledger.db", "sub", "quoteledger.db", "page.txt"]) == 0
    assert "1 documents (0 failed)" in capsys.readouterr().err


def test_skipped_says_what_it_is():
    assert Skipped("x", "why").message() == "x: skipped: why"
    assert Skipped("x", "why", lost=True).message() == "x: not read: why"
