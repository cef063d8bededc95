"""What several commands share: writing records atomically and reporting failures."""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import stat
import sys
import tempfile

from ..interrupts import signals_held
from ..progress import clear_line
from ..validtext import one_line


# json.dumps with these options, without building an encoder on every call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def dumps(record) -> str:
    """One canonical JSON form, so the same records give the same bytes."""
    return _ENCODE(record)


class OutputError(Exception):
    """An output that cannot be written. exit_status 2: refused before anything was written (a
    missing folder, a ledger in the way); 1: writing failed on the way (a full disk), and the
    file named is as it was before the run."""

    def __init__(self, message: str, exit_status: int = 2):
        super().__init__(message)
        self.exit_status = exit_status


# The first bytes of SQLite's database, write-ahead log and rollback journal files: a ledger (or
# its companions) is never overwritten with records.
_SQLITE_MAGICS = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",
                  b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")


def _is_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head.startswith(_SQLITE_MAGICS)


def _is_ledger_companion(path: str) -> bool:
    """The -wal, -shm or -journal file beside an SQLite database, there or not yet: SQLite
    reads it as part of that database (the -shm has no header to tell it by)."""
    return any(path.endswith(suffix) and _is_sqlite(path[:-len(suffix)]) for suffix in ("-wal", "-shm", "-journal"))


def current_umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc), else by the
    set-and-restore dance."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_DESCRIPTOR_NAMES = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_PATH = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)")


def _descriptor(path: str):
    """The file descriptor a name stands for (/dev/stdout, /dev/fd/3, /proc/self/fd/1), else None."""
    full = os.path.normpath(os.path.abspath(path))
    if full in _DESCRIPTOR_NAMES:
        return _DESCRIPTOR_NAMES[full]
    m = _DESCRIPTOR_PATH.fullmatch(full)
    return int(m.group(1)) if m else None


class _Writer:
    """The open output: write() turns a failing write (a full disk, a lost device) into an
    OutputError naming the file; a closed pipe stays BrokenPipeError (a reader such as head
    that has read enough is no failure)."""

    def __init__(self, fh, name: str, atomic: bool):
        self.fh, self.name, self.atomic = fh, name, atomic

    def write(self, text: str) -> int:
        try:
            return self.fh.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _write_failed(self.name, exc, self.atomic) from exc

    def flush(self) -> None:
        try:
            self.fh.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _write_failed(self.name, exc, self.atomic) from exc


def _write_failed(name: str, exc: OSError, atomic: bool) -> OutputError:
    kept = f"; nothing written, {name} is as it was" if atomic else ""
    return OutputError(f"{name}: cannot write: {exc.strerror or exc}{kept}", exit_status=1)


class _StdoutDiversion:
    """While records are written, standard output is a channel only quoteledger writes into: the
    records go to a private handle on it, and sys.stdout (and, when it is the process's own
    standard output, file descriptor 1, which forked workers and child processes inherit) lead to
    stderr. A plugin's print(), or a library writing to fd 1, then cannot corrupt the records."""

    def __init__(self):
        self.saved = sys.stdout
        self.private_fd = None
        self.records = None

    def begin(self):
        stdout = self.saved
        try:
            if stdout is not None:
                stdout.flush()
            if stdout is not None and stdout is sys.__stdout__ and stdout.fileno() == 1:
                self.private_fd = os.dup(1)
                os.dup2(2, 1)
                self.records = open(self.private_fd, "w", encoding="utf-8", newline="\n", closefd=False,
                                    buffering=1 if stdout.line_buffering else -1)
        except (OSError, ValueError, AttributeError):
            self._restore_fd()
        if self.records is None:
            self.records = stdout       # captured (a test) or unusual: the Python-level diversion only
        sys.stdout = sys.stderr if sys.stderr is not None else open(os.devnull, "w")
        return self.records

    def end(self, failing: bool) -> None:
        try:
            if self.records is not None:
                try:
                    # The private handle is closed (its descriptor is ours); a captured one flushed.
                    self.records.close() if self.private_fd is not None else self.records.flush()
                except BrokenPipeError:
                    if not failing:
                        raise
                except OSError as exc:
                    if not failing:
                        raise _write_failed("standard output", exc, atomic=False) from exc
        finally:
            sys.stdout = self.saved
            self._restore_fd()

    def _restore_fd(self) -> None:
        if self.private_fd is not None:
            try:
                os.dup2(self.private_fd, 1)
            finally:
                os.close(self.private_fd)
                self.private_fd = None


class AtomicOutput:
    """Where a command's records go: '-' or None is standard output; a regular file (or a link
    to one, or a name not there yet) is written to a hidden temporary file beside the real target
    and renamed into place on success, so it is never left half-written; a device, a pipe or a
    terminal (-o /dev/null, /dev/stdout, a FIFO) is written straight, never replaced. A folder, a
    missing or unwritable folder, and an SQLite file (a ledger) are refused before anything is
    written. A new file gets the mode open() would give (0666 less the umask); a file replaced
    keeps its mode. The temporary file is removed on every way out: an error, Ctrl-C, SIGTERM
    (which the command line turns into exceptions, see interrupts.py). Throughout, a plugin's
    writes to standard output go to stderr instead (see _StdoutDiversion)."""

    def __init__(self, path):
        # Standard output by any of its names is written through the diversion, never reopened
        # (reopening /dev/stdout truncates a file the shell opened with >>).
        self.path = None if path in (None, "-") or _descriptor(path) == 1 else path
        self.fh = None
        self.tmp = None
        self.target = None
        self.diversion = None

    def __enter__(self) -> _Writer:
        try:
            if self.path is not None:
                self._open_file()       # before the diversion: -o /dev/stderr is the real one
            self.diversion = _StdoutDiversion()
            stream = self.diversion.begin()
        except BaseException:
            if self.tmp is not None:
                self._finish_file(failing=True)
            raise
        if self.path is None:
            return _Writer(stream, "standard output", atomic=False)
        return _Writer(self.fh, self.path, atomic=self.tmp is not None)

    def _open_file(self) -> None:
        path = self.path
        if not path:
            raise OutputError("-o names no file (an empty name); name a file to write, or - for standard output")
        try:
            st = os.stat(path)          # follows links: what the name leads to
        except FileNotFoundError:
            st = None                   # a new file (or a link to one not made yet)
        except OSError as exc:          # a link loop, a folder we may not enter, a file in the path
            raise OutputError(f"{path}: cannot write here: {exc.strerror}") from None
        if st is not None and stat.S_ISDIR(st.st_mode) or path.endswith(os.sep):
            raise OutputError(f"{path}: is a folder; name a file to write")
        if st is not None and (not stat.S_ISREG(st.st_mode) or _descriptor(path) is not None):
            self._open_straight()
            return
        real = os.path.realpath(path)
        if st is not None and _is_sqlite(real):
            raise OutputError(f"{path}: is an SQLite database (a ledger?); refusing to overwrite it "
                              f"with records; name another file")
        if _is_ledger_companion(real):
            raise OutputError(f"{path}: is the journal of the SQLite database beside it (a ledger?); refusing "
                              f"to write records there; name another file")
        folder = os.path.dirname(real)
        if not os.path.isdir(folder):
            raise OutputError(f"{path}: cannot write: there is no folder {folder}")
        try:
            with signals_held():        # made and recorded for removal in one step
                fd, self.tmp = tempfile.mkstemp(prefix=".quoteledger-", dir=folder)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write in the folder {folder}: {exc.strerror}") from None
        self.target = real
        try:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~current_umask())
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            os.close(fd)
            self._remove_tmp()
            raise

    def _open_straight(self) -> None:
        fd = _descriptor(self.path)
        try:
            if fd is not None:          # /dev/stderr, /dev/fd/3: that descriptor as it is
                self.fh = open(os.dup(fd), "w", encoding="utf-8", newline="\n")
            else:
                self.fh = open(self.path, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write: {exc.strerror}") from None

    def __exit__(self, exc_type, exc, tb):
        failing = exc_type is not None
        try:
            self.diversion.end(failing)
        finally:
            if self.path is not None:
                self._finish_file(failing)
        return False

    def _finish_file(self, failing: bool) -> None:
        if self.tmp is None:            # written straight
            try:
                self.fh.close()
            except OSError as exc:
                if not failing:
                    raise _write_failed(self.path, exc, atomic=False) from exc
            return
        try:
            if not failing:
                try:
                    self.fh.flush()
                    os.fsync(self.fh.fileno())   # the rename must not land before the data
                    self.fh.close()
                    os.replace(self.tmp, self.target)
                except OSError as exc:
                    raise _write_failed(self.path, exc, atomic=True) from exc
                self.tmp = None
        finally:
            if self.tmp is not None:
                try:
                    self.fh.close()
                except OSError:
                    pass
                self._remove_tmp()

    def _remove_tmp(self) -> None:
        try:
            os.unlink(self.tmp)
        except OSError:
            pass
        self.tmp = None


def unusable_plugins_said() -> bool:
    """Whether the run's plugin host could not use an installed plugin (failed to load, refused as
    a namesake: said when it loaded); if so, said again at the end, since it makes the exit status 1.
    A run whose documents a broken plugin may have belonged to is no clean run."""
    from ..plugins import loaded_host

    host = loaded_host()
    unusable = host.unusable() if host is not None else []
    if unusable:
        report(f"quoteledger: {len(unusable)} installed plugin(s) could not be used ({', '.join(unusable)}; "
               f"why is said above): exit status 1 (quoteledger plugins lists them)")
    return bool(unusable)


def report(message: str) -> None:
    """One line on stderr: what it names (a file name with a newline, a plugin's exception text)
    cannot forge another line."""
    clear_line()            # a progress line being drawn gives way; it is redrawn below
    if sys.stderr is None:  # started with stderr closed (2>&-): print would write into stdout
        return
    try:
        print(f"quoteledger: {one_line(message)}", file=sys.stderr)
    except (OSError, ValueError):
        # stderr full (2>/dev/full), closed or gone: the message has nowhere to go, but the run,
        # its output and its exit status go on; losing the records for a lost warning would be worse.
        pass


# SQLite keeps a busy timeout in milliseconds in a 32-bit int; the deadline is a timer: past
# about 24 days neither means what it says (SQLite silently stops waiting at all).
MAX_SECONDS = 2_147_483


def seconds(none_word: str = None):
    """argparse type for a length of time: a finite number of seconds, 0 to MAX_SECONDS. NaN,
    infinities and negative numbers are usage errors (exit 2), never quietly read as something
    else; none_word says what 0 means, when it means something."""
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = None
        zero = f" (0 for {none_word})" if none_word else ""
        if number is None or not math.isfinite(number) or number < 0 or number > MAX_SECONDS:
            raise argparse.ArgumentTypeError(f"must be a number of seconds from 0 to {MAX_SECONDS}{zero}, "
                                             f"not {value!r}")
        return number
    return parse


def byte_count(value: str) -> int:
    """argparse type for a size cap: a whole number of bytes, 1 or more (0 would read nothing)."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be a whole number of bytes above 0, not {value!r}")
    return n


class Unread:
    """iter_paths' `skipped` for a command: each thing not read is reported; `lost` counts those
    whose documents went unread (a folder that cannot be read), which make the run fail."""

    def __init__(self):
        self.lost = 0

    def __call__(self, skipped) -> None:
        report(skipped.message())
        self.lost += bool(skipped.lost)


def no_documents(paths) -> None:
    report(f"no documents to read in {', '.join(paths)}; nothing done")


def refuse_output_among_inputs(output, paths) -> None:
    """-o naming one of the files given to read would replace it with records: refused (exit 2)."""
    if output in (None, "-") or not os.path.isfile(output):
        return
    for path in paths:
        try:
            if path != "-" and os.path.isfile(path) and os.path.samefile(path, output):
                raise OutputError(f"{output}: is also an input of this run; refusing to replace it with records")
        except OSError:
            continue
