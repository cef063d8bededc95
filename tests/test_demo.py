"""The first run needs nothing beside the clone: the README's first command, run in a copy of the
clone with no ../shared beside it, ingests the built-in example pages, writes the report and says
where the ledger and the report are."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def readme_first_command() -> list:
    """The commands of the README's first code line, split on '&&'."""
    readme = (REPO / "README.md").read_text("utf-8")
    line = next(line.strip() for line in readme.splitlines() if line.startswith("    ") and "quoteledger" in line)
    return [shlex.split(part) for part in line.split("&&")]


def tracked_files() -> list:
    try:
        listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: cannot tell the clone's files from local ones")
    return [name for name in listed.decode("utf-8").split("\0") if name]


def copy_of_the_clone(folder: Path) -> Path:
    clone = folder / "clone"
    for name in tracked_files():
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    return clone


def installed_layout(clone: Path, folder: Path) -> Path:
    """The clone's packages as pip lays them out (package-dir of pyproject.toml), for PYTHONPATH:
    the code run is the copy's, not this checkout's."""
    packages = folder / "site"
    shutil.copytree(clone / "core", packages / "quoteledger")
    shutil.copytree(clone / "schemas", packages / "quoteledger" / "schema_files")
    shutil.copytree(clone / "plugins", packages / "quoteledger_plugins")
    return packages


def test_the_readmes_first_command_runs_in_a_bare_copy_of_the_clone(tmp_path):
    commands = readme_first_command()
    assert commands[0][:3] == ["python3", "-m", "venv"] and "pip" in commands[1][0]
    main_job = commands[2:]
    assert [c[0] for c in main_job] == [".venv/bin/quoteledger"] * len(main_job) and main_job[0][1] == "demo"
    clone = copy_of_the_clone(tmp_path)
    assert not (clone.parent / "shared").exists()              # nothing beside the clone
    packages = installed_layout(clone, tmp_path)
    env = dict(os.environ, PYTHONPATH=str(packages), NO_COLOR="1")
    where = subprocess.run([sys.executable, "-c", "import quoteledger; print(quoteledger.__file__)"], env=env,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(packages))
    for command in main_job:          # what the installed script runs, with the copy's code
        run = subprocess.run([sys.executable, "-m", "quoteledger.cli", *command[1:]], cwd=clone, env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
    ledger = clone / "quoteledger-demo.db"
    report = clone / "quoteledger-demo.html"
    assert f"ledger  {ledger}" in run.stdout and f"report  {report}" in run.stdout
    con = sqlite3.connect(ledger)
    outlets = con.execute("SELECT COUNT(*) FROM outlets").fetchone()[0]
    travelled = con.execute("SELECT MAX(outlets) FROM quotations").fetchone()[0]
    con.close()
    assert outlets >= 10 and travelled == 3                 # every built-in plugin's example, and the demo's journey
    assert "<!doctype html>" in report.read_text("utf-8")[:100]
    shown = re.search(r"quoteledger show --ledger quoteledger-demo.db (q_[0-9a-f]{16})", run.stdout)
    assert shown, run.stdout
