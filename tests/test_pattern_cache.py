"""The compiled-pattern cache (core/patterncache.py): a start-up that takes its patterns from the
file extracts exactly what one that compiles them does, and a file that is damaged, of another
Python build or not there at all never changes a result or ends a run."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quoteledger import patterncache

FIXTURES = Path(__file__).parent / "fixtures"

# Run in a fresh interpreter: how many patterns the cache gave, how many the run added to it, and
# what every pattern of the package's modules matches on a few lines of news text.
_PROBE = r"""
import re, sys
import quoteledger.patterncache as cache
loaded = len(cache._known)
import quoteledger.cli, quoteledger.pipeline, quoteledger_plugins.generic
from quoteledger.plugins import get_host
get_host()
added = cache.save()
text = ('"We will not back down," said Senator Jane Q. Doe of the Ministry of Health (MoH) on Monday. '
        'Mr. Smith, 54, told Reuters: \u201cIt was a mistake.\u201d <p class="x">\u2019Tis</p>')
seen = []
for module in sorted(sys.modules):
    if module.startswith(("quoteledger", "quoteledger_plugins")):
        for name, value in sorted(vars(sys.modules[module]).items()):
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                seen.append((module, name, [m.span() for m in value.finditer(text)]))
print(loaded, added, len(seen))
print(repr(seen))
"""


def probe(cache_dir: Path, enabled: bool = True) -> tuple:
    env = {**os.environ, "QUOTELEDGER_CACHE_DIR": str(cache_dir), "PYTHONHASHSEED": "0",
           "QUOTELEDGER_PATTERN_CACHE": "1" if enabled else "0"}
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    counts, matches = done.stdout.split("\n", 1)
    loaded, added, patterns = map(int, counts.split())
    return loaded, added, patterns, matches


def cache_files(folder: Path) -> list:
    return sorted(folder.glob("patterns-*.bin"))


def test_patterns_from_the_cache_match_what_compiled_ones_match(tmp_path):
    cold = probe(tmp_path)
    assert cold[0] == 0 and cold[1] > 100             # nothing to read; the run's patterns written
    assert len(cache_files(tmp_path)) == 1
    warm = probe(tmp_path)
    assert warm[0] >= cold[1] and warm[1] == 0         # all read back, nothing new to write
    off = probe(tmp_path / "unused", enabled=False)
    assert off[0] == 0 and off[1] == 0 and not (tmp_path / "unused").exists()
    assert cold[2] > 100 and cold[2:] == warm[2:] == off[2:]


def test_a_damaged_cache_file_is_ignored_and_written_again(tmp_path):
    probe(tmp_path)
    path, = cache_files(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF                       # one byte changed: the digest no longer holds
    path.write_bytes(bytes(data))
    damaged = probe(tmp_path)
    assert damaged[0] == 0 and damaged[1] > 100
    path.write_bytes(path.read_bytes()[:1000])         # cut short
    assert probe(tmp_path)[:2] == (0, damaged[1])
    assert probe(tmp_path)[1] == 0                     # whole again


def test_a_file_of_another_python_build_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTELEDGER_CACHE_DIR", str(tmp_path))
    entries = [("s", r"a(b)", 32, (32, [0], 0, {}, (None,)))]     # code that is not a(b)'s
    body = patterncache.marshal.dumps((b"another build", entries))
    path = patterncache.cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(patterncache.hashlib.sha256(body).digest() + body)
    assert patterncache.install() == 0
    assert re.compile(r"a(b)").match("ab").group(1) == "b"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file modes and owners are POSIX")
def test_a_cache_file_others_can_change_is_not_read(tmp_path):
    probe(tmp_path)
    path, = cache_files(tmp_path)
    assert probe(tmp_path)[0] > 100                    # read while only its owner can write it
    path.chmod(0o666)
    assert probe(tmp_path)[0] == 0                     # compiled as usual: any user could have put code there
    path.chmod(0o600)
    assert probe(tmp_path)[0] > 100


def test_an_entry_is_saved_only_if_it_is_the_pattern_re_compiles():
    args = patterncache._arguments(r"(?P<word>\w+)\s+(said|told)", re.IGNORECASE)
    rebuilt = patterncache._sre.compile(r"(?P<word>\w+)\s+(said|told)", *args)
    assert rebuilt == re.compile(r"(?P<word>\w+)\s+(said|told)", re.IGNORECASE)
    assert rebuilt.groupindex == {"word": 1} and rebuilt.groups == 2


@pytest.mark.skipif(not (FIXTURES / "text").is_dir(), reason="no text fixtures")
def test_extract_gives_the_same_bytes_with_and_without_the_cache(tmp_path):
    outputs = []
    for enabled in ("0", "1", "1"):                    # none, then writing the cache, then reading it
        env = {**os.environ, "QUOTELEDGER_CACHE_DIR": str(tmp_path / "cache"), "QUOTELEDGER_PATTERN_CACHE": enabled}
        done = subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", "--jobs", "1", str(FIXTURES / "text")],
                              env=env, capture_output=True, timeout=300)
        outputs.append((done.returncode, done.stdout, done.stderr))
    assert outputs[0][1] and outputs[0] == outputs[1] == outputs[2]
    assert cache_files(tmp_path / "cache")
