"""Regular expressions compiled once per machine, not once per run: what a command's start-up
would otherwise spend half its time on (some 400 patterns, 0.17 s of CPU before the first page).

Python compiles a pattern in Python code (re._parser, re._compiler) into a list of integers that
its C engine runs. That list depends only on the pattern, its flags and the Python build, so it is
kept in a file (the user's cache folder) and handed back to the engine (`_sre.compile`, what
re.compile itself ends with) at the next start: install() puts the ready patterns in the `re`
module's own cache, where re.compile finds them, so no module changes how it compiles. The
patterns a run compiled that the file lacked are added by save() (an atomic replace: a reader
never sees half a file). Nothing here is trusted blindly: a file of another Python build, or one
whose digest does not match, is ignored; each entry is checked, when it is saved, to give the
pattern re.compile gives (the same code, flags and groups); a Python whose `re` works otherwise
simply compiles as usual. QUOTELEDGER_PATTERN_CACHE=0 turns it off; QUOTELEDGER_CACHE_DIR moves it.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Optional

try:
    import _sre
    from re import _compiler, _parser
except ImportError:                     # Python 3.10 names them sre_compile and sre_parse
    try:
        import _sre
        import sre_compile as _compiler
        import sre_parse as _parser
    except ImportError:
        _sre = _compiler = _parser = None

# The file's entries this process knows (read or written), by re._cache's key.
_known: dict = {}
_saved = False
_FORMAT = 1
# A file larger than this is none of ours (the package's patterns take about 1 MB).
_LARGEST = 64 * 1024 * 1024


def _enabled() -> bool:
    return (_sre is not None and os.environ.get("QUOTELEDGER_PATTERN_CACHE", "1") != "0"
            and isinstance(getattr(re, "_cache", None), dict))


def _build_tag() -> bytes:
    """What the compiled code depends on besides the pattern: the Python build and its engine."""
    return repr((_FORMAT, sys.version, sys.implementation.cache_tag, sys.maxunicode,
                 getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))).encode()


def cache_file() -> Optional[Path]:
    folder = os.environ.get("QUOTELEDGER_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            return None                 # no home to keep it in
        folder = os.path.join(base, "quoteledger")
    tag = hashlib.sha256(_build_tag()).hexdigest()[:16]
    return Path(folder) / f"patterns-{tag}.bin"


def _own_file(status: os.stat_result) -> bool:
    """Whether the file is one this user wrote and only this user can change, of a size ours has:
    the code in it goes to the regular-expression engine, so a file another user could have put or
    changed there (a shared or loosely set-up cache folder) is never read, as ssh treats its keys."""
    owner_ok = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return owner_ok and not status.st_mode & 0o022 and status.st_size <= _LARGEST


def install() -> int:
    """Puts the patterns the cache file holds in re's cache; returns how many."""
    if not _enabled():
        return 0
    try:
        path = cache_file()
        if path is None:
            return 0
        if not _own_file(path.stat()):
            return 0
        data = path.read_bytes()
    except (OSError, ValueError):
        return 0
    digest, body = data[:32], data[32:]
    if hashlib.sha256(body).digest() != digest:
        return 0                        # damaged, or cut short: compiled as usual, rewritten later
    try:
        tag, entries = marshal.loads(body)
        if tag != _build_tag():
            return 0
        ready, known = {}, {}
        for entry in entries:
            kind, pattern, flags, args = entry
            key = (str if kind == "s" else bytes, pattern, flags)
            ready[key], known[key] = _sre.compile(pattern, *args), entry
    except Exception:                   # whatever the file holds, start-up goes on as usual
        return 0
    cache = re._cache
    put = [key for key in ready if key not in cache]
    for key in put:
        cache[key] = ready[key]
    # re looks its cache up this way on this Python, or the entries are no use: taken back out.
    if put and re.compile(put[0][1], put[0][2]) is not ready[put[0]]:
        for key in put:
            if cache.get(key) is ready[key]:
                del cache[key]
        return 0
    _known.update(known)
    return len(put)


def _arguments(pattern, flags: int) -> Optional[tuple]:
    """What _sre.compile takes after the pattern, as re._compiler.compile computes it; None when
    the result is not the very pattern re.compile gives here."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    args = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    compiled = _sre.compile(pattern, *args)
    usual = re.compile(pattern, flags)
    same = (compiled == usual and compiled.groups == usual.groups and compiled.groupindex == usual.groupindex)
    return args if same else None


def save() -> int:
    """Writes the file again when this process compiled patterns it lacked; returns how many new.
    Once a process, called before its first document (patterns made from a page's words, if a
    plugin compiles any, are no start-up's). Never raises: a cache that cannot be written only
    costs the next start-up its compiling."""
    global _saved
    if _saved or not _enabled():
        return 0
    _saved = True
    try:
        keys = [key for key in list(re._cache) if isinstance(key, tuple) and len(key) == 3
                and key[0] in (str, bytes) and isinstance(key[2], int)]
        new = [key for key in keys if key not in _known]
        path = cache_file() if new else None
        if path is None:
            return 0
        added = {}
        for key in new:
            kind, pattern, flags = key
            args = _arguments(pattern, flags)
            if args is not None:
                added[key] = ("s" if kind is str else "b", pattern, flags, args)
        # What this start-up compiled, no more: patterns of an older version of the code drop out.
        kept = [_known[key] for key in keys if key in _known]
        body = marshal.dumps((_build_tag(), kept + list(added.values())))
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".patterns-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(hashlib.sha256(body).digest() + body)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _known.update(added)
        return len(added)
    except Exception:
        return 0
