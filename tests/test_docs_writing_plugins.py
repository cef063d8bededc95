"""docs/writing-plugins.md cannot rot: every ```sh block in it is run, in order, in one shell in a
fresh virtual environment with quoteledger installed, and the ```output block that follows a
command block is what that block printed, line for line; a line `...` in it stands for lines the
guide leaves out, and nothing is left out anywhere else."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from quoteledger.testing.venv import FreshVenv, project_root

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "writing-plugins.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.M | re.S)
MARK = "=== quoteledger-guide-block {} ==="


def guide_blocks() -> list[tuple[str, str]]:
    """(command block, expected output or '') pairs, in the guide's order."""
    pairs: list[tuple[str, str]] = []
    for kind, body in FENCE.findall(GUIDE.read_text("utf-8")):
        if kind == "sh":
            pairs.append((body, ""))
        elif kind == "output":
            assert pairs and not pairs[-1][1], "an ```output block must follow a ```sh block"
            pairs[-1] = (pairs[-1][0], body)
    return pairs


def script(pairs) -> str:
    lines = ["set -euo pipefail"]
    for n, (commands, _) in enumerate(pairs):
        lines += [f"echo '{MARK.format(n)}'", commands]
    return "\n".join(lines) + "\n"


def test_the_guide_has_commands_and_outputs_to_check():
    pairs = guide_blocks()
    assert len(pairs) >= 8 and sum(1 for _, out in pairs if out) >= 8
    assert any("new-plugin" in c for c, _ in pairs) and any("capture" in c for c, _ in pairs)


@pytest.fixture(scope="module")
def guide_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("guide")
    env = FreshVenv(root / "venv")
    env.pip_install(str(project_root()))
    work = root / "work"
    work.mkdir()
    (root / "guide.sh").write_text(script(guide_blocks()), encoding="utf-8")
    done = env.run("bash", root / "guide.sh", cwd=work, check=False)
    return done


def test_every_command_in_the_guide_succeeds(guide_run):
    assert guide_run.returncode == 0, f"stdout:\n{guide_run.stdout[-6000:]}\nstderr:\n{guide_run.stderr[-4000:]}"


@pytest.mark.parametrize("n", [n for n, (_, out) in enumerate(guide_blocks()) if out])
def test_the_guide_shows_what_the_commands_print(guide_run, n):
    commands, expected = guide_blocks()[n]
    printed = guide_run.stdout.split(MARK.format(n) + "\n", 1)[1].split("=== quoteledger-guide-block", 1)[0]
    assert shown_as(expected, printed), (f"the guide says `{commands.strip()}` prints\n{expected}\n"
                                         f"but it printed:\n{printed}")


def shown_as(expected: str, printed: str) -> bool:
    """printed, line for line (trailing spaces aside), but for the lines `...` stands for."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line.strip() == "..." else re.escape(line.rstrip()) + r"[ \t]*\n"
                      for line in expected.splitlines())
    lines = "".join(line.rstrip() + "\n" for line in printed.splitlines())
    return re.fullmatch(pattern, lines) is not None


def test_an_output_block_leaves_out_only_what_it_marks():
    printed = "one\ntwo\nthree\n"
    assert shown_as("one\ntwo\nthree\n", printed) and shown_as("one\n...\n", printed)
    assert shown_as("...\nthree\n", printed) and shown_as("...\ntwo\n...\n", printed)
    assert not shown_as("one\nthree\n", printed) and not shown_as("one\ntwo\n", printed)
    assert not shown_as("two\n...\n", printed)
