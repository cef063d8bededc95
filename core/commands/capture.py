"""quoteledger capture FILE --plugin NAME: run a page through a plugin and write a new example, the
page and its output (outlet, edition, headline, date, authors, quotations with speakers), into the
plugin's examples folder, for a person to review before it is committed."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..plugins import get_host
from .common import report


def add_parser(subparsers):
    p = subparsers.add_parser("capture", help="write a plugin example from a page, for review")
    p.add_argument("file", metavar="FILE", help="the page (HTML or text); copied into the examples folder")
    p.add_argument("--plugin", required=True, metavar="NAME", help="the plugin whose example this is")
    p.add_argument("--name", metavar="FILE_NAME", help="file name for the example (default: FILE's name)")
    p.add_argument("--force", action="store_true", help="overwrite an existing example's expected output")
    return p


def run(args) -> int:
    from ..testing.examples import Example, difference, observe, summary, write_expected

    host = get_host()
    info = host.plugins.get(args.plugin)
    if info is None or info.error:
        why = f"it failed to load: {info.error}" if info else f"installed: {', '.join(sorted(host.plugins))}"
        report(f"capture: no working plugin named {args.plugin}; {why}")
        return 2
    source = Path(args.file)
    if not source.is_file():
        report(f"capture: {source}: no such file")
        return 2
    folder = host.examples_folder(args.plugin)
    target = folder / (args.name or source.name)
    copied = _place(source, target)
    example = Example(args.plugin, target)
    outcome = observe(host, target)
    problem = _refusal(args, example, outcome)
    if problem:
        if copied:
            target.unlink()
        report(f"capture: {problem}")
        return 1
    previous = example.expected()
    if previous is not None and previous != outcome:
        print(difference(previous, outcome, example.name), end="")
    write_expected(example, outcome)
    print(summary(outcome))
    print(f"wrote {_shown(example.expected_path)}\nreview it: every headline, author, quotation and speaker must be "
          f"right before you commit it; `quoteledger plugins check {args.plugin}` runs it from now on")
    return 0


def _shown(path: Path) -> str:
    """The path relative to the current folder when it is below it: shorter to read and to paste."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _place(source: Path, target: Path) -> bool:
    """Copy the page into the examples folder unless it is already there; True when copied."""
    if target.exists() and target.resolve() == source.resolve():
        return False
    if target.exists() and target.read_bytes() != source.read_bytes():
        raise SystemExit(f"quoteledger: capture: {target} exists with other content; pass --name to choose another")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return True


def _refusal(args, example, outcome) -> str:
    """Why this outcome must not become an example, or '' when it may."""
    if outcome.get("errors"):
        return f"{example.input}: not written, the pipeline reported errors:\n  " + "\n  ".join(outcome["errors"])
    if outcome["plugin"] != args.plugin:
        return (f"{example.input}: plugin {args.plugin} does not claim this page, plugin {outcome['plugin']} "
                f"does; fix {args.plugin}'s detection (domains, url_patterns, text_markers) or capture it "
                f"for {outcome['plugin']}")
    if example.expected() is not None and example.expected() != outcome and not args.force:
        return (f"{example.expected_path} exists and differs (see `quoteledger plugins check {args.plugin}`); "
                f"pass --force to replace it once you have reviewed the difference")
    return ""
