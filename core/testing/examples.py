"""A plugin's examples: pages it must read, each beside the output a person reviewed.

An example is any file in the plugin's examples folder (see PluginHost.examples_folder), or in its
`local/` folder, together with `<file name>.expected.json` next to it. The folder itself holds pages
the plugin's author wrote, modelled on the site's markup: committed and shipped. `local/` holds
pages saved from the site, someone else's articles: `capture` keeps them out of git (a .gitignore)
and out of the wheel (package-data does not reach into it), so they are checked on the author's
machine only. The expected output holds what matters to a reader of the ledger: for each story on
the page its outlet, edition, headline, publication date and authors, and its quotations with their
kind (full, partial, continuation, scare) and speakers. It is written by `quoteledger capture`,
never by hand.
"""
from __future__ import annotations

import difflib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..commands.parse import stories as parsed_stories
from ..model import Document
from ..pipeline import extract_document
from ..plugins import PluginError, PluginHost
from ..reading import InputError, read_document
from ..scaffold import SAMPLE_NAME
from ..schemas import errors_for

EXPECTED_SUFFIX = ".expected.json"
# The file name of the invented sample page the scaffold writes.
SCAFFOLD_SAMPLE = SAMPLE_NAME
# The examples folder's subfolder for pages saved from the site (never committed, never shipped).
LOCAL_FOLDER = "local"
# Files in an examples folder that are not example inputs.
NOT_INPUTS = ("README", "README.md", "README.txt")


@dataclass(frozen=True)
class Example:
    plugin: str
    input: Path

    @property
    def expected_path(self) -> Path:
        return self.input.with_name(self.input.name + EXPECTED_SUFFIX)

    @property
    def label(self) -> str:
        """The file name, with local/ before it for a page saved from the site."""
        return f"{LOCAL_FOLDER}/{self.input.name}" if self.input.parent.name == LOCAL_FOLDER else self.input.name

    @property
    def name(self) -> str:
        return f"{self.plugin}/{self.label}"

    @property
    def is_scaffold_sample(self) -> bool:
        """The invented page `new-plugin` writes: it shows the plugin runs, not that it reads the
        site's pages, so it never counts as one of the plugin's examples."""
        return self.label == SCAFFOLD_SAMPLE

    def expected(self) -> Optional[dict]:
        """The reviewed output, or None when it has not been captured yet."""
        if not self.expected_path.exists():
            return None
        with open(self.expected_path, encoding="utf-8") as fh:
            return json.load(fh)


def find_examples(host: PluginHost, plugin: str) -> list[Example]:
    """The plugin's examples: its own pages, then those saved from the site (local/)."""
    folder = host.examples_folder(plugin)
    if folder is None or not folder.is_dir():
        return []
    return [Example(plugin, path) for place in (folder, folder / LOCAL_FOLDER) if place.is_dir()
            for path in sorted(place.iterdir())
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(EXPECTED_SUFFIX)
            and path.name not in NOT_INPUTS]


def load_document(path: Path, name: Optional[str] = None) -> Document:
    """The example as the pipeline reads it, named by its file name only (or name), so the
    outcome does not depend on where the plugin happens to be installed."""
    document = read_document(str(path))
    document.source = name or path.name
    return document


def observe(host: PluginHost, path: Path, name: Optional[str] = None) -> dict:
    """What the plugins make of one page now, in the shape of an expected block; name: the file
    name the page will have as an example, when it is read from elsewhere."""
    name = name or path.name
    outcome: dict = {"input": name, "plugin": None, "stories": []}
    try:
        document = load_document(path, name)
    except InputError as exc:
        outcome["errors"] = [str(exc)]
        return outcome
    choice = host.choose(document)
    outcome["plugin"] = choice.plugin if choice else None
    result = extract_document(document, host)
    errors = list(result.errors)
    for record in result.records:
        errors.extend(f"{name}: record {record.get('text', '')[:40]!r} breaks the quote schema at {p}: {m}"
                      for p, m in errors_for(record, "quote"))
    try:
        parsed = [(doc.source, article) for doc, _, article in parsed_stories(document, host)]
    except (PluginError, AttributeError) as exc:
        parsed = []
        errors.append(f"{name}: {exc}")
    outcome["stories"] = _stories(parsed, result.records)
    if errors:
        outcome["errors"] = errors
    return outcome


def _stories(parsed: list, records: list) -> list:
    """Every story on the page in the order the plugins read it, stories without quotations too,
    each with the quotations sighted in it."""
    stories, by_key = [], {}
    for source, article in parsed:
        story = {"outlet": article.outlet, "edition": article.edition, "headline": article.headline,
                 "published": article.published, "byline": list(article.byline), "quotations": []}
        stories.append(story)
        by_key.setdefault((source, article.outlet, article.headline), story)
    for record in records:
        article = record["article"]
        key = (article["document"], article["publisher"]["outlet"], article["headline"])
        story = by_key.get(key)
        if story is None:       # the pipeline read a story the parser did not: show it, never drop it
            story = by_key[key] = {"outlet": key[1], "edition": article["publisher"]["edition"],
                                   "headline": key[2], "published": article["published"],
                                   "byline": article["byline"], "quotations": []}
            stories.append(story)
        story["quotations"].append({"text": record["text"], "kind": record["kind"],
                                    "speaker": record["speaker"]["name"]})
    return stories


def render(block: dict) -> str:
    """The one text form of an expected block: stable, readable, diff-friendly."""
    return json.dumps(block, ensure_ascii=False, indent=2) + "\n"


def difference(expected: dict, actual: dict, label: str = "") -> str:
    """A unified diff from the reviewed output to what the plugins give now ('' when they agree)."""
    if expected == actual:
        return ""
    return "".join(difflib.unified_diff(render(expected).splitlines(True), render(actual).splitlines(True),
                                        fromfile=f"expected {label}".strip(), tofile=f"actual {label}".strip()))


def write_expected(example: Example, outcome: dict) -> None:
    write_atomically(example.expected_path, render(outcome).encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside path, then rename into place: a reader never sees half a file, and a failure
    leaves what was there. A new file gets the mode open() gives (0666 less the umask)."""
    from ..commands.common import current_umask

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777 if path.exists() else 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def summary(outcome: dict) -> str:
    """A short account of an outcome for the person reviewing it."""
    lines = [f"plugin {outcome['plugin']}"]
    for story in outcome["stories"]:
        lines.append(f"  {story['outlet']}{' (' + story['edition'] + ')' if story['edition'] else ''}: "
                     f"{story['headline']!r}, {story['published'] or 'no date'}, "
                     f"by {', '.join(story['byline']) or 'no author'}")
        for q in story["quotations"]:
            text = q["text"] if len(q["text"]) <= 70 else q["text"][:67] + "..."
            kind = "" if q.get("kind", "full") == "full" else f" ({q['kind']})"
            lines.append(f"    {q['speaker'] or '(speaker unknown)'}{kind}: \u201c{text}\u201d")
    if not outcome["stories"]:
        lines.append("  no quotations found")
    return "\n".join(lines)


__all__ = ["EXPECTED_SUFFIX", "LOCAL_FOLDER", "SCAFFOLD_SAMPLE", "Example", "PluginError", "difference", "find_examples", "load_document",
           "observe", "render", "summary", "write_expected"]
