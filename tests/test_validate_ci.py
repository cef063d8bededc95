"""The CI integrations, run offline: the pre-commit hook's entry and file pattern, the composite
action's steps executed as GitHub would run them (with pip stubbed), and the docs' commands and
workflow inputs checked against the real CLI and action."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys

import pytest

from quoteledger.cli import build_parser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "validate")
DEFECTS = os.path.join(FIXTURES, "defects.jsonl")
VALID = os.path.join(FIXTURES, "valid.json")
BIN = os.path.dirname(sys.executable)


def _quoteledger():
    """The installed command, beside this Python first (a venv), else on PATH."""
    found = shutil.which("quoteledger", path=os.pathsep.join([BIN, os.environ.get("PATH", "")]))
    if not found:
        pytest.skip("the quoteledger command is not installed (pip install . puts it on PATH)")
    return found


def _scalar(text: str):
    text = text.strip()
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    return text


def parse_yaml(text: str):
    """The small block-style YAML subset these files use: mappings, lists, plain or quoted scalars,
    `|` blocks. No PyYAML in the project's dependencies, and these files must stay that simple."""
    lines = [(len(l) - len(l.lstrip(" ")), l.strip()) for l in text.splitlines()
             if l.strip() and not l.strip().startswith("#")]
    value, _ = _node(lines, 0, lines[0][0])
    return value


def _node(lines, at, indent):
    if lines[at][1].startswith("- "):
        return _list(lines, at, indent)
    return _mapping(lines, at, indent)


_KEY = re.compile(r"^([\w.-]+):(?:\s+|$)(.*)$")


def _list(lines, at, indent):
    items = []
    while at < len(lines) and lines[at][0] == indent and lines[at][1].startswith("- "):
        text = lines[at][1][2:]
        if not _KEY.match(text):
            items.append(_scalar(text))
            at += 1
            continue
        # "- key: value" opens a mapping whose keys sit two columns further in.
        lines[at] = (indent + 2, text)
        item, at = _node(lines, at, indent + 2)
        items.append(item)
    return items, at


def _mapping(lines, at, indent):
    result = {}
    while at < len(lines) and lines[at][0] == indent and not lines[at][1].startswith("- "):
        key, rest = _KEY.match(lines[at][1]).groups()
        rest = rest.strip()
        at += 1
        if rest == "|":
            block = []
            while at < len(lines) and lines[at][0] > indent:
                block.append(lines[at])
                at += 1
            base = block[0][0] if block else 0
            result[key] = "".join(" " * (i - base) + t + "\n" for i, t in block)
        elif rest:
            result[key] = _scalar(rest)
        elif at < len(lines) and lines[at][0] > indent:
            result[key], at = _node(lines, at, lines[at][0])
        else:
            result[key] = None
    return result, at


def _read(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as fh:
        return fh.read()


# -- pre-commit --------------------------------------------------------------------------------

def test_pre_commit_hook_declaration():
    hooks = parse_yaml(_read(".pre-commit-hooks.yaml"))
    hook = {h["id"]: h for h in hooks}["quoteledger-validate"]
    assert hook["language"] == "python" and hook["entry"] == "quoteledger validate --partial"
    pattern = re.compile(hook["files"])
    # Every file name validate itself reads from a folder.
    from quoteledger.validation.reader import EXPORT_SUFFIXES
    names = [f"exports/q{suffix}{gz}" for suffix in EXPORT_SUFFIXES for gz in ("", ".gz")]
    assert all(pattern.search(n) for n in names)
    assert not any(pattern.search(n) for n in ("notes.txt", "q.jsonl.bak", "q.json5"))


@pytest.mark.parametrize("files, status", [([DEFECTS], 1), ([VALID], 0), ([DEFECTS, VALID], 1)])
def test_pre_commit_hook_runs_like_pre_commit(files, status):
    """pre-commit runs `entry` with the staged file names appended."""
    hook = parse_yaml(_read(".pre-commit-hooks.yaml"))[0]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "quoteledger"
    done = subprocess.run([_quoteledger(), *entry[1:], *files], capture_output=True, text=True)
    assert done.returncode == status, done.stdout + done.stderr
    assert done.stdout.count("[") == (7 if DEFECTS in files else 0)


# -- the composite action ------------------------------------------------------------------------

def _action():
    return parse_yaml(_read("action.yml"))


def _step(name):
    return next(s for s in _action()["runs"]["steps"] if s.get("name") == name)


def _run_step(step, env, tmp_path, path_dirs=()):
    command_dir = os.path.dirname(_quoteledger())
    environment = {"PATH": os.pathsep.join([*path_dirs, command_dir, os.environ.get("PATH", "")]),
                   "RUNNER_TEMP": str(tmp_path), "HOME": str(tmp_path)}
    environment.update(env)
    return subprocess.run(["bash", "-e", "-c", step["run"]], env=environment, capture_output=True, text=True,
                          cwd=ROOT)


def _inputs_env(step, inputs):
    """The step's env with ${{ inputs.X }} filled in as GitHub would."""
    filled = {}
    for key, value in step.get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        if match:
            filled[key] = inputs.get(match.group(1), _action()["inputs"][match.group(1)].get("default", ""))
    return filled


def test_action_declares_what_its_steps_use():
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["path"]["required"] == "true"
    used = set(re.findall(r"\$\{\{ inputs\.([\w-]+) \}\}", _read("action.yml")))
    assert used == set(action["inputs"])
    assert all(s.get("shell") == "bash" for s in action["runs"]["steps"] if "run" in s)


def test_action_validate_step_annotates_and_fails(tmp_path):
    summary = tmp_path / "summary.md"
    env = _inputs_env(_step("Validate"), {"path": f"{DEFECTS} {VALID}"})
    done = _run_step(_step("Validate"), {**env, "GITHUB_STEP_SUMMARY": str(summary)}, tmp_path)
    assert done.returncode == 1, done.stderr
    assert sum(line.startswith("::error file=") for line in done.stdout.splitlines()) == 7
    assert summary.read_text() == "quoteledger validate: 15 records in 2 files: 8 valid, 7 invalid; 7 errors\n"


def test_action_validate_step_passes_and_honours_max_errors(tmp_path):
    step = _step("Validate")
    done = _run_step(step, _inputs_env(step, {"path": VALID}), tmp_path)
    assert done.returncode == 0 and "::error" not in done.stdout
    done = _run_step(step, _inputs_env(step, {"path": DEFECTS, "max-errors": "2"}), tmp_path)
    assert done.returncode == 1 and done.stdout.count("::error") == 2


def test_action_expands_glob_patterns_in_path(tmp_path):
    step = _step("Validate")
    pattern = os.path.join(FIXTURES, "*.jsonl") + " " + os.path.join(FIXTURES, "**", "valid.json")
    done = _run_step(step, _inputs_env(step, {"path": pattern}), tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert sum(line.startswith("::error file=") for line in done.stdout.splitlines()) == 7
    assert done.stdout.splitlines()[-1].startswith("15 records in 2 files")


def test_action_fails_on_a_pattern_matching_nothing(tmp_path):
    step = _step("Validate")
    done = _run_step(step, _inputs_env(step, {"path": f"{VALID} exports/*.nothing"}), tmp_path)
    assert done.returncode == 2
    assert "::error title=quoteledger validate::path input 'exports/*.nothing' matches no file" in done.stdout


def test_action_install_step_installs_its_own_checkout(tmp_path):
    """pip is stubbed: the step must ask it for the action's folder, or for the package input."""
    stub_dir = tmp_path / "stub"
    stub_dir.mkdir()
    stub = stub_dir / "python"
    stub.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/pip-args"\n')
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    step = _step("Install quoteledger")
    env = {**_inputs_env(step, {}), "QL_ACTION_PATH": "/actions/quoteledger"}
    assert _run_step(step, env, tmp_path, [str(stub_dir)]).returncode == 0
    assert (tmp_path / "pip-args").read_text().split()[-1] == "/actions/quoteledger"
    env = {**_inputs_env(step, {"package": "quoteledger==0.1.0"}), "QL_ACTION_PATH": "/actions/quoteledger"}
    assert _run_step(step, env, tmp_path, [str(stub_dir)]).returncode == 0
    assert (tmp_path / "pip-args").read_text().split()[-1] == "quoteledger==0.1.0"


# -- docs/ci.md ------------------------------------------------------------------------------------

def _doc_blocks(language):
    return re.findall(rf"^```{language}\n(.*?)^```", _read("docs/ci.md"), re.M | re.S)


def test_docs_commands_parse_with_the_real_cli():
    commands = []
    for block in _doc_blocks("yaml") + _doc_blocks("sh"):
        for line in block.splitlines():
            if "quoteledger validate" in line and "[" not in line:
                command = line.split("quoteledger validate", 1)[1].split(">")[0]
                commands.append(shlex.split(command))
    assert len(commands) >= 2
    for argv in commands:
        build_parser().parse_args(["validate", *argv])       # exits on an unknown option


def test_docs_workflow_uses_the_action_inputs():
    workflows = [parse_yaml(b) for b in _doc_blocks("yaml") if "jobs:" in b]
    steps = workflows[0]["jobs"]["validate"]["steps"]
    uses = next(s for s in steps if "quoteledger@" in s.get("uses", ""))
    assert set(uses["with"]) <= set(_action()["inputs"])


def test_docs_gitlab_job_writes_the_junit_report_it_publishes():
    job = next(parse_yaml(b) for b in _doc_blocks("yaml") if "artifacts:" in b)["validate-quote-exports"]
    report = job["artifacts"]["reports"]["junit"]
    assert any("--format junit" in line and line.endswith(f"> {report}") for line in job["script"])


def test_docs_pre_commit_config_names_the_hook():
    config = next(parse_yaml(b) for b in _doc_blocks("yaml") if "repos:" in b)
    hook = config["repos"][0]["hooks"][0]
    assert hook["id"] == parse_yaml(_read(".pre-commit-hooks.yaml"))[0]["id"]
    build_parser().parse_args(["validate", *hook["args"], "some.jsonl"])


def test_docs_pin_a_tag_that_the_version_names():
    """The docs pin v<version>; the tag itself is made on main when the hook ships (docs/ci.md)."""
    import tomllib
    version = tomllib.loads(_read("pyproject.toml"))["project"]["version"]
    pins = set(re.findall(r"(?:rev: |quoteledger@)(v[\d.]+)", _read("docs/ci.md")))
    assert pins == {f"v{version}"}


def test_docs_sample_output_is_what_the_command_prints(capsys):
    from quoteledger.cli import main
    block = next(b for b in _doc_blocks("text") if b.startswith("$ quoteledger validate"))
    command, *expected = block.splitlines()
    cwd = os.getcwd()
    os.chdir(ROOT)                    # the docs show paths relative to the checkout
    try:
        status = main(shlex.split(command)[2:])
    finally:
        os.chdir(cwd)
    assert status == 1
    assert capsys.readouterr().out.splitlines() == expected
