"""The pre-commit hook through the real pre-commit (a test extra): the repository's own
.pre-commit-hooks.yaml run by `pre-commit try-repo`, and docs/ci.md's .pre-commit-config.yaml run as
written by `pre-commit run`, on good and broken exports in a repository of exports.

pre-commit installs the hook as a user's machine would: it clones quoteledger (a snapshot of this
checkout, committed to a scratch git repository and tagged as the docs pin it) and pip-installs it
into a virtual environment of its own, from the package index. Slow (two such installs, about a
minute), so it is all one module sharing them."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quoteledger.commands.common import dumps
from quoteledger.validation.sample import ledger_entries, quote_records

ROOT = Path(__file__).resolve().parent.parent
# What `pip install` of quoteledger needs from the checkout.
SNAPSHOT = ("pyproject.toml", "README.md", "core", "plugins", "schemas", ".pre-commit-hooks.yaml")
HOOK = "quoteledger-validate"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
                                reason="needs pre-commit (pip install -e '.[test]') and git")


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.email=tests@example.org", "-c", "user.name=tests", *args], cwd=cwd,
                   check=True, capture_output=True)


def version() -> str:
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    """(quoteledger snapshot repository, a repository of exports, pre-commit's cache folder)."""
    root = tmp_path_factory.mktemp("pre-commit")
    snapshot = root / "quoteledger"
    snapshot.mkdir()
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, snapshot / name)
    git("init", "-q", cwd=snapshot)
    git("add", "-A", cwd=snapshot)
    git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    git("tag", "-a", f"v{version()}", "-m", "release", cwd=snapshot)
    exports = root / "exports-repo"
    (exports / "exports").mkdir(parents=True)
    git("init", "-q", cwd=exports)
    return snapshot, exports, root / "cache"


def write_exports(exports: Path) -> dict:
    """Good and broken exports, and two files of one set referring across each other."""
    full, part = list(ledger_entries(2))
    part["contained_in"] = [full["id"]]
    dangling = json.loads(dumps(part))
    dangling["contained_in"] = ["q_" + "0" * 15 + "1"]
    files = {
        "exports/good.jsonl": "".join(dumps(r) + "\n" for r in quote_records(3)),
        "exports/bad.jsonl": (ROOT / "tests" / "fixtures" / "validate" / "defects.jsonl").read_text("utf-8"),
        "exports/set-full.jsonl": dumps(full) + "\n",
        "exports/set-part.json": json.dumps([part], indent=1),
        "exports/dangling.jsonl": dumps(dangling) + "\n",
        "package.json": '{"name": "not-an-export", "version": "1.0.0"}\n',
    }
    for rel, text in files.items():
        (exports / rel).write_text(text, encoding="utf-8")
    git("add", "-A", cwd=exports)
    return files


def pre_commit(cache: Path, cwd: Path, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUOTELEDGER_", "VIRTUAL_ENV", "PYTHON"))}
    env["PRE_COMMIT_HOME"] = str(cache)
    done = subprocess.run([sys.executable, "-m", "pre_commit", *args, "--color", "never"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)
    if "An unexpected error has occurred" in done.stdout + done.stderr and not _index_reachable():
        pytest.skip("pre-commit could not install the hook's environment: no package index is reachable")
    return done


def _index_reachable() -> bool:
    """Whether pip can fetch from the package index (the hook's environment needs it)."""
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / "quoteledger-index-probe"
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(scratch),
                           "pluggy"], capture_output=True, text=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return done.returncode == 0


def test_hook_through_try_repo_and_the_docs_config_as_written(repos):
    snapshot, exports, cache = repos
    write_exports(exports)

    # The repository's own .pre-commit-hooks.yaml, through try-repo.
    good = pre_commit(cache, exports, "try-repo", str(snapshot), HOOK, "--files", "exports/good.jsonl")
    assert good.returncode == 0 and "Passed" in good.stdout, good.stdout + good.stderr
    bad = pre_commit(cache, exports, "try-repo", str(snapshot), HOOK, "--files", "exports/bad.jsonl",
                     "exports/good.jsonl")
    assert bad.returncode == 1 and "Failed" in bad.stdout, bad.stdout + bad.stderr
    assert "exports/bad.jsonl:4: $.cue: required property 'cue' is missing [required]" in bad.stdout
    assert "13 records in 2 files: 6 valid, 7 invalid; 7 errors" in bad.stdout
    # Only one file of a set changed: its reference into the unchanged one is no false failure.
    part = pre_commit(cache, exports, "try-repo", str(snapshot), HOOK, "--files", "exports/set-part.json")
    assert part.returncode == 0, part.stdout + part.stderr

    # docs/ci.md's configuration, as written but for where quoteledger is cloned from.
    block = re.search(r"```yaml\n(repos:\n.*?)```", (ROOT / "docs" / "ci.md").read_text("utf-8"), re.S).group(1)
    assert f"rev: v{version()}" in block
    config = re.sub(r"repo: \S+", f"repo: {snapshot.as_uri()}", block)
    (exports / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git("add", ".pre-commit-config.yaml", cwd=exports)
    run = pre_commit(cache, exports, "run", "--files", "exports/set-part.json", "package.json")
    assert run.returncode == 0 and "Passed" in run.stdout, run.stdout + run.stderr
    dangling = pre_commit(cache, exports, "run", "--files", "exports/dangling.jsonl")
    assert dangling.returncode == 1, dangling.stdout + dangling.stderr
    assert "exports/dangling.jsonl:1: $.contained_in[0]: names no ledger entry in the files validated [quote-ref]" \
        in dangling.stdout
    everything = pre_commit(cache, exports, "run", "--all-files")
    assert everything.returncode == 1 and "package.json" not in everything.stdout
    assert "exports/bad.jsonl:4:" in everything.stdout and "[quote-ref]" in everything.stdout
