"""Outputs never destroy what they name (issue 15, items 5 and 14; issue 17, item 10): a regular
file (or a link to one) is replaced atomically, with the mode open() would give; a device, a FIFO
or standard output by any of its names is written straight, never replaced; a folder, a missing
or unwritable folder, an SQLite file (a ledger) and an input of the same run are refused with a
clear message and exit 2 before anything is written; a full disk is exit 1 and leaves the old file
as it was; no hidden temporary file is left behind, whatever ends the run."""
from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.commands.common import AtomicOutput, OutputError, current_umask

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "text" / sorted(os.listdir(FIXTURES / "text"))[0]


def leftovers(folder: Path) -> list:
    return [p.name for p in folder.iterdir() if p.name.startswith(".quoteledger-")]


def extract_to(output, *extra) -> int:
    return cli.main(["extract", "--jobs", "1", "-o", str(output), str(PAGE), *extra])


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_a_new_file_gets_the_mode_open_would_give(tmp_path, umask_027):
    assert current_umask() == 0o027
    out = tmp_path / "new.jsonl"
    assert extract_to(out) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text(encoding="utf-8").count('"quote_id"') > 0


def test_a_replaced_file_keeps_its_mode_and_a_link_stays_a_link(tmp_path, umask_027):
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    target.chmod(0o604)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target.name)
    assert extract_to(link) == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").count('"quote_id"') > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    dangling = tmp_path / "dangling.jsonl"
    dangling.symlink_to("made-through-the-link.jsonl")
    assert extract_to(dangling) == 0
    assert dangling.is_symlink() and (tmp_path / "made-through-the-link.jsonl").stat().st_size > 0
    assert leftovers(tmp_path) == []


def test_a_fifo_is_written_straight_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert extract_to(fifo) == 0
    reader.join(30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got and got[0].count(b'"quote_id"') > 0
    assert leftovers(tmp_path) == []


def test_a_device_is_written_straight_not_replaced(tmp_path):
    """A private copy of /dev/null (never the machine's own: were this to regress as root, the
    real one would become a regular file for every process)."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc}); the FIFO test covers writing straight")
    assert extract_to(device) == 0
    assert stat.S_ISCHR(device.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_standard_output_by_name_is_written_through_not_reopened(tmp_path, capsys):
    for name in ("/dev/stdout", "/dev/fd/1", "-"):
        assert extract_to(name) == 0
        assert capsys.readouterr().out.count('"quote_id"') > 0, name


@pytest.mark.parametrize("case", ["missing folder", "file as folder", "a folder", "trailing slash"])
def test_where_nothing_can_be_written_is_a_clear_usage_error(tmp_path, capsys, case):
    (tmp_path / "plain").write_text("x")
    output = {"missing folder": tmp_path / "no" / "out.jsonl", "file as folder": tmp_path / "plain" / "out.jsonl",
              "a folder": tmp_path, "trailing slash": str(tmp_path / "new") + "/"}[case]
    assert extract_to(output) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"quoteledger: {output}: ") and "Traceback" not in err
    assert err.count("\n") == 1


def test_an_unwritable_folder_is_a_clear_usage_error(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        assert extract_to(locked / "out.jsonl") == 2
    assert "cannot write in the folder" in capsys.readouterr().err


class read_only:
    """A file or folder nobody may write, root included: a chmod for others, the immutable
    attribute for root (where chattr works); else the test is skipped with the reason."""

    def __init__(self, path: Path):
        self.path = path
        self.mode = path.stat().st_mode

    def __enter__(self):
        if os.geteuid() != 0:
            self.path.chmod(0o555 if self.path.is_dir() else 0o444)
        elif os.system(f"chattr +i '{self.path}' 2>/dev/null") != 0:
            pytest.skip("running as root where chattr cannot make a path read-only")
        return self

    def __exit__(self, *exc):
        if os.geteuid() != 0:
            self.path.chmod(self.mode)
        else:
            os.system(f"chattr -i '{self.path}' 2>/dev/null")


def test_a_ledger_is_never_overwritten_with_records(tmp_path, capsys):
    ledger = tmp_path / "quoteledger.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(ledger), str(PAGE)]) == 0
    before = ledger.read_bytes()
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(ledger)]) == 2
    assert extract_to(ledger) == 2
    link = tmp_path / "alias.jsonl"
    link.symlink_to(ledger.name)
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(link)]) == 2
    assert ledger.read_bytes() == before
    assert capsys.readouterr().err.count("is an SQLite database (a ledger?); refusing to overwrite it") == 3
    assert cli.main(["export", "--ledger", str(ledger)]) == 0     # still a sound ledger


def test_an_input_of_the_run_is_never_replaced_by_its_output(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE.read_bytes())
    assert cli.main(["extract", "-o", str(page), str(page)]) == 2
    assert page.read_bytes() == PAGE.read_bytes()
    assert "is also an input of this run" in capsys.readouterr().err
    # In a folder walked, last run's output is not read back as a document.
    assert cli.main(["extract", "--jobs", "1", "-o", str(tmp_path / "out.jsonl"), str(tmp_path)]) == 0
    assert cli.main(["extract", "--jobs", "1", "-o", str(tmp_path / "out.jsonl"), str(tmp_path)]) == 0
    assert "out.jsonl: skipped: the output this run writes" in capsys.readouterr().err


def test_a_full_disk_is_exit_1_and_the_old_file_is_kept(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text("last run's records\n")
    real_fsync = os.fsync

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", disk_full)
    assert extract_to(out) == 1
    monkeypatch.setattr(os, "fsync", real_fsync)
    err = capsys.readouterr().err
    assert f"{out}: cannot write: No space left on device; nothing written, {out} is as it was" in err
    assert out.read_text() == "last run's records\n" and leftovers(tmp_path) == []
    full = tmp_path / "full"            # a private /dev/full (never the machine's): a device always full
    try:
        os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except OSError:
        return
    assert extract_to(full) == 1
    assert f"{full}: cannot write: No space left on device" in capsys.readouterr().err
    assert stat.S_ISCHR(full.stat().st_mode)


@pytest.mark.parametrize("raised", [KeyboardInterrupt, OutputError, RuntimeError])
def test_the_temporary_file_is_removed_on_every_way_out(tmp_path, raised):
    out = tmp_path / "out.jsonl"
    with pytest.raises(raised):
        with AtomicOutput(str(out)) as fh:
            fh.write("half a record")
            assert len(leftovers(tmp_path)) == 1
            raise raised("stop") if raised is not KeyboardInterrupt else raised()
    assert leftovers(tmp_path) == [] and not out.exists()
