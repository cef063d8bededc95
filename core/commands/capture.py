"""quoteledger capture FILE --plugin NAME: run a page through a plugin and write a new example, the
page and its output (outlet, edition, headline, date, authors, quotations with kind and speaker),
into the plugin's examples folder, for a person to review before it is committed.

A page is read and judged where it is; only a page that may become an example is written, page
first, then its output, each atomically, so a refusal or a failure never loses or moves a file.
A page saved from the site goes to the examples folder's local/ (kept out of git and the wheel);
one the author wrote (--invented) goes to the examples folder itself."""
from __future__ import annotations

import os
import site
import sysconfig
from pathlib import Path
from typing import Optional

from ..plugins import get_host
from ..validtext import one_line
from .common import report

# What local/ holds: someone else's articles, for checks on this machine only.
LOCAL_GITIGNORE = ("# Pages saved from the site and their expected output: someone else's articles, checked on\n"
                   "# this machine only (quoteledger capture puts them here). Never committed, never shipped.\n*\n")


def add_parser(subparsers):
    p = subparsers.add_parser("capture", help="write a plugin example from a page, for review")
    p.add_argument("file", metavar="FILE", help="the page (HTML or text); copied into the examples folder")
    p.add_argument("--plugin", required=True, metavar="NAME", help="the plugin whose example this is")
    p.add_argument("--name", metavar="FILE_NAME", help="file name for the example (default: FILE's name)")
    p.add_argument("--invented", action="store_true",
                   help="the page is your own, written for the example (committed and shipped); without it the "
                        "page is taken to be saved from the site and kept in local/ (out of git and the wheel)")
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
        report(f"capture: {source}: no such file" if not source.exists() else f"capture: {source}: not a regular file")
        return 2
    folder = host.examples_folder(args.plugin)
    problem = usage_problem(args, source, folder)
    if problem:
        report(f"capture: {problem}")
        return 2
    target = example_target(source, folder, args.name, args.invented)
    example = Example(args.plugin, target)
    problem = place_problem(source, target)
    if problem:
        report(f"capture: {problem}")
        return 1
    try:
        outcome = observe(host, source, target.name)
        problem = refusal(args.plugin, example, outcome, args.force)
        if problem:
            report(f"capture: {problem}")
            return 1
        previous = example.expected()
        if previous is not None and previous != outcome:
            print(difference(previous, outcome, example.name), end="")
        _place(source, target, folder)
        write_expected(example, outcome)
    except OSError as exc:      # a full disk, a folder that cannot be written: each file is written whole or not at all
        report(f"capture: {exc.filename or target}: not written: {exc.strerror or exc}")
        return 1
    print(summary(outcome))
    where = ("" if args.invented or target.parent != folder / _local() else
             f"\nthe page is kept in {_shown(target.parent)}/, out of git and the wheel (pass --invented for a "
             f"page you wrote yourself)")
    print(f"wrote {_shown(example.expected_path)}{where}\nreview it: every headline, author, quotation and speaker "
          f"must be right before you commit it; `quoteledger plugins check {args.plugin}` runs it from now on")
    return 0


def _local() -> str:
    """The folder for pages from the site (imported late: the examples module loads the pipeline)."""
    from ..testing.examples import LOCAL_FOLDER

    return LOCAL_FOLDER


def usage_problem(args, source: Path, folder: Optional[Path]) -> str:
    """Why this capture cannot be done whatever the page says, or ''."""
    if folder is None:
        return f"plugin {args.plugin} has no examples folder (it is not a module on disk)"
    installed = installed_copy(folder)
    if installed:
        return (f"plugin {args.plugin}'s examples folder {folder} is inside {installed}, an installed copy of "
                f"the package, not its source; an example written there is lost on reinstall and shadows your "
                f"checkout; fix: install the plugin from its source folder with `pip install -e PATH`, then capture")
    name = args.name
    if name is not None and (not name or name in (".", "..") or Path(name).name != name or "\\" in name
                             or name.startswith(".") or "\0" in name):
        return (f"--name {name!r}: give a plain file name (no folder, no leading dot); the example goes into "
                f"{folder}")
    from ..testing.examples import EXPECTED_SUFFIX, NOT_INPUTS

    chosen = name or source.name
    if chosen.endswith(EXPECTED_SUFFIX) or chosen in NOT_INPUTS or chosen.startswith("."):
        return f"{chosen!r} cannot be an example's file name; pass --name with another"
    # An example is committed and listed in reports: its name is one plain line of valid text,
    # and leaves room for its expected output's name beside it.
    if one_line(chosen) != chosen:
        return (f"'{one_line(chosen)}': an example's file name cannot hold control characters, line breaks, "
                f"bidirectional controls or bytes that are not UTF-8; pass --name with another")
    if len(os.fsencode(chosen)) + len(EXPECTED_SUFFIX) > NAME_MAX:
        return f"{chosen[:40]!r}...: too long for an example's file name; pass --name with a shorter one"
    return ""


# The longest file name most file systems take, in bytes.
NAME_MAX = 255


def installed_copy(folder: Path) -> Optional[str]:
    """The site-packages folder holding folder, when the plugin runs from an installed (not
    editable) copy; None when folder is in a source tree."""
    places = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    places.update(getattr(site, "getsitepackages", lambda: [])())
    user = getattr(site, "getusersitepackages", lambda: None)()
    if user:
        places.add(user)
    resolved = folder.resolve()
    for place in sorted(places):
        try:
            resolved.relative_to(Path(place).resolve())
            return place
        except (ValueError, OSError):
            continue
    parts = resolved.parts
    return next((str(Path(*parts[:i + 1])) for i, p in enumerate(parts) if p in ("site-packages", "dist-packages")),
                None)


def example_target(source: Path, folder: Path, name: Optional[str], invented: bool) -> Path:
    """Where the example goes: a page already in the examples folder (or its local/) stays where
    it is; otherwise the folder itself for an invented page, local/ for a page from the site."""
    here = source.resolve().parent
    for place in (folder, folder / _local()):
        if place.is_dir() and here == place.resolve() and (name is None or name == source.name):
            return place / source.name
    return (folder if invented else folder / _local()) / (name or source.name)


def place_problem(source: Path, target: Path) -> str:
    """Why the page cannot go to target without losing or hiding another file, or ''."""
    if target.exists() and not target.is_file():
        return f"{target} exists and is not a regular file; pass --name to choose another name"
    if target.exists() and not _same_file(source, target) and target.read_bytes() != source.read_bytes():
        return f"{target} exists with other content; pass --name to choose another name"
    other = (target.parent.parent if target.parent.name == _local() else target.parent / _local()) / target.name
    if other.exists():
        return (f"an example named {target.name} is already in {other.parent}; one name, one example: pass --name "
                f"to choose another, or recapture that one")
    return ""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _place(source: Path, target: Path, folder: Path) -> None:
    """Copy the page into place (atomically) unless it is there already; a new local/ gets its
    .gitignore first, so the page is never once visible to git."""
    from ..testing.examples import write_atomically

    local = folder / _local()
    if target.parent == local and not (local / ".gitignore").exists():
        write_atomically(local / ".gitignore", LOCAL_GITIGNORE.encode("utf-8"))
    if target.exists() and _same_file(source, target):
        return
    write_atomically(target, source.read_bytes())


def _shown(path: Path) -> str:
    """The path relative to the current folder when it is below it: shorter to read and to paste."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def refusal(plugin: str, example, outcome: dict, force: bool) -> str:
    """Why this outcome must not become the example's reviewed output, or '' when it may. The one
    rule capture follows and `plugins check` quotes when it suggests a capture."""
    if outcome.get("errors"):
        return f"{example.input}: not written, the pipeline reported errors:\n  " + "\n  ".join(outcome["errors"])
    if outcome["plugin"] != plugin:
        claimed = f"plugin {outcome['plugin']} does" if outcome["plugin"] else "no plugin does"
        return (f"{example.input.name}: plugin {plugin} does not claim this page, {claimed}; fix {plugin}'s "
                f"detection (domains, url_patterns, text_markers)"
                + (f" or capture it for {outcome['plugin']}" if outcome["plugin"] else ""))
    if example.expected() is not None and example.expected() != outcome and not force:
        return (f"{example.expected_path} exists and differs (see `quoteledger plugins check {plugin}`); "
                f"pass --force to replace it once you have reviewed the difference")
    return ""
