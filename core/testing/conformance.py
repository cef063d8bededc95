"""The conformance checks every outlet plugin must pass, built-in or third-party: it loads, it
declares the metadata a reader of the ledger relies on, its examples give their reviewed output with
records that fit the schemas, and its pages and the other plugins' pages are told apart.

Each check returns a list of problems (strings naming the plugin and, where there is one, the
example file); empty means it passed. `quoteledger plugins check` and the pytest kit both use them.
"""
from __future__ import annotations

import re
import sys
import weakref
from dataclasses import fields
from typing import Optional

from lxml import etree

from ..htmlarticle import Selectors
from ..outlet import Outlet, QuoteStyle
from ..plugin_base import NAME_FIELDS, PATTERN_FIELDS, selector_problems
from ..plugins import PluginHost
from .examples import (EXPECTED_SUFFIX, LOCAL_FOLDER, Example, difference, find_examples, load_document,
                       observe)

QUOTE_STYLES = ("double", "single")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def check_loaded(host: PluginHost, plugin: str) -> list[str]:
    info = host.plugins.get(plugin)
    if info is None:
        skipped = host.skipped.get(plugin)
        why = f"it is {skipped}" if skipped else "no entry point of that name in the group 'quoteledger'"
        return [f"plugin {plugin} is not loaded: {why}"]
    return [f"plugin {plugin} failed to load: {info.error}"] if info.error else []


def check_metadata(host: PluginHost, plugin: str) -> list[str]:
    """What a plugin must declare: a docstring saying what it reads, and for each outlet a name,
    a publisher, where its pages come from, a priority and a house quote style."""
    problems = check_loaded(host, plugin)
    if problems:
        return problems
    obj = host.pm.get_plugin(plugin)
    module = sys.modules.get(getattr(type(obj), "__module__", ""), obj)
    if not (getattr(module, "__doc__", None) or "").strip():
        problems.append(f"plugin {plugin}: its module has no docstring; say which sites and page templates it reads")
    problems.extend(f"plugin {plugin}: {w}" for w in host.plugins[plugin].warnings)
    for name in host.plugins[plugin].outlets:
        problems.extend(f"plugin {plugin}, outlet {name!r}: {p}" for p in outlet_problems(host.outlets[name], obj))
    return problems


def outlet_problems(outlet: Outlet, obj) -> list[str]:
    problems = []
    if not outlet.name or not outlet.name.strip():
        problems.append("has no name")
    if outlet.priority < 300 and not (outlet.publisher or "").strip():
        problems.append("names no publisher (the organisation behind the outlet)")
    if not (outlet.domains or outlet.url_patterns or getattr(obj, "text_markers", ()) or outlet.priority >= 300):
        problems.append("declares no domains, url_patterns or text_markers, so no page can be told to be its")
    for domain in outlet.domains:
        if not _DOMAIN.match(domain):
            problems.append(f"domain {domain!r} is not a bare lower-case host name (no scheme, path or port)")
    for pattern in outlet.url_patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"url pattern {pattern!r} is not a regular expression: {exc}")
    if not isinstance(outlet.priority, int):
        problems.append(f"priority {outlet.priority!r} is not a whole number")
    style = outlet.quote_style
    if not isinstance(style, QuoteStyle) or style.body not in QUOTE_STYLES or style.headline not in QUOTE_STYLES:
        problems.append(f"quote_style {style!r} must be QuoteStyle(body=..., headline=...) with 'double' or 'single'")
    if any(not isinstance(a, str) or not a.strip() for a in outlet.aliases):
        problems.append(f"aliases {outlet.aliases!r} must be non-empty strings")
    return problems


def check_has_examples(host: PluginHost, plugin: str) -> list[str]:
    """The plugin has examples of its own (the scaffold's invented sample does not count), and no
    reviewed output has lost its page."""
    if not host.plugins.get(plugin) or not host.plugins[plugin].outlets:
        return []           # a plugin with no outlets of its own (or replaced ones) reads no pages
    orphans = orphaned_expected(host, plugin)
    if orphans:
        return orphans
    if any(not e.is_scaffold_sample for e in find_examples(host, plugin)):
        return []
    return [f"plugin {plugin} has no examples of its own (the invented sample new-plugin writes does not count): "
            f"write a small page modelled on one of the site's page templates and run `quoteledger capture FILE "
            f"--plugin {plugin} --invented`, or save a page of the site and run `quoteledger capture FILE --plugin "
            f"{plugin}` (kept in {host.examples_folder(plugin)}/local/, out of git and the wheel)"]


def orphaned_expected(host: PluginHost, plugin: str) -> list[str]:
    """Reviewed outputs whose page is gone: each is an example that silently stopped running."""
    folder = host.examples_folder(plugin)
    places = [p for p in (folder, folder / LOCAL_FOLDER) if folder is not None and p.is_dir()]
    return [f"{path}: reviewed output of a page that is not there ({path.name[:-len(EXPECTED_SUFFIX)]}); fix: put "
            f"the page back (from git, or capture it again), or delete this file"
            for place in places for path in sorted(place.glob("*" + EXPECTED_SUFFIX))
            if not path.with_name(path.name[:-len(EXPECTED_SUFFIX)]).is_file()]


def check_example(host: PluginHost, example: Example) -> list[str]:
    """The example gives its reviewed output, every record fits the schema, and it is this plugin's."""
    expected = example.expected()
    if expected is None:
        return [f"{example.input}: no expected output; run `quoteledger capture {example.input} "
                f"--plugin {example.plugin}` and review what it writes"]
    actual = observe(host, example.input)
    problems = [f"{example.input}: {e}" for e in actual.get("errors", [])]
    if actual["plugin"] != example.plugin:
        problems.append(f"{example.input}: claimed by plugin {actual['plugin']}, not by {example.plugin}, "
                        f"whose example it is")
    diff = difference(expected, actual, example.name)
    if diff:
        problems.append(f"{example.input}: output differs from the reviewed {example.expected_path.name}:\n{diff}")
    return problems


def check_selectors(host: PluginHost, plugin: str) -> list[str]:
    """Every XPath selector of the plugin finds something on at least one of its example pages:
    one that matches nothing anywhere is a typo, or a template no example shows, and would be
    skipped on every page without a word. A selector kept for a template no example shows yet is
    listed, in plain sight, in the plugin's `untested_selectors`."""
    obj = host.pm.get_plugin(plugin)
    selectors = getattr(obj, "selectors", None) if obj is not None else None
    if not isinstance(selectors, Selectors) or selector_problems(selectors):
        return []           # no selectors, or broken ones (then the plugin is refused at load)
    wanted = [(f.name, expr) for f in fields(Selectors) if f.name not in PATTERN_FIELDS + NAME_FIELDS
              for expr in getattr(selectors, f.name)]
    untested = tuple(getattr(obj, "untested_selectors", ()) or ())
    problems = [f"plugin {plugin}: untested_selectors lists {expr!r}, which is none of its XPath selectors; "
                f"fix: take it off the list" for expr in untested if expr not in {e for _, e in wanted}]
    examples = [e for e in find_examples(host, plugin) if not e.is_scaffold_sample]
    pages = [(e, d.tree()) for e, d in ((e, load_document(e.input)) for e in examples) if d.is_html]
    if not wanted or not pages:
        return problems     # check_has_examples says when there are no examples
    for name, expr in wanted:
        find = etree.XPath(expr)
        found = next((e for e, tree in pages if _found(find, tree)), None)
        if found is None and expr not in untested:
            problems.append(f"plugin {plugin}: selectors.{name} {expr!r} matches nothing on any of its "
                            f"{len(pages)} example page(s); fix: correct it, or capture an example of the page "
                            f"template it is for, or remove it (or, to keep it for a template no example shows "
                            f"yet, list it in the plugin's untested_selectors)")
        elif found is not None and expr in untested:
            problems.append(f"plugin {plugin}: selectors.{name} {expr!r} is listed in untested_selectors but "
                            f"matches example {found.label}; fix: take it off the list")
    return problems


def _found(find, tree) -> bool:
    try:
        return bool(find(tree))
    except etree.XPathError:
        return False


def check_claims(host: PluginHost, plugin: str) -> list[str]:
    """This plugin claims none of the other plugins' examples (yt-dlp's test_all_urls idea)."""
    replaced = {old for new, _, old in host.replaced if new == plugin}
    problems = []
    for other in sorted(host.plugins):
        if other == plugin or other in replaced or not host.plugins[other].outlets:
            continue
        for example in find_examples(host, other):
            if winner(host, example) == plugin:
                problems.append(f"plugin {plugin} claims {example.input}, an example of plugin {other}")
    return problems


def winner(host: PluginHost, example: Example) -> Optional[str]:
    """The plugin the host gives the example's page to (remembered per host: pages are read once)."""
    claims = _CLAIMS.setdefault(host, {})
    if example.input not in claims:
        choice = host.choose(load_document(example.input))
        claims[example.input] = choice.plugin if choice else None
    return claims[example.input]


_CLAIMS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def check_plugin(host: PluginHost, plugin: str) -> dict:
    """Every check for one plugin: {check name: [problems]}."""
    results = {"loads": check_loaded(host, plugin)}
    if results["loads"]:
        return results
    if not host.plugins[plugin].outlets and any(old == plugin for _, _, old in host.replaced):
        # Its outlets were replaced on purpose: its pages now belong to the replacing plugin.
        return results
    results["metadata"] = check_metadata(host, plugin)
    results["examples"] = check_has_examples(host, plugin)
    for example in find_examples(host, plugin):
        results[f"example {example.label}"] = check_example(host, example)
    results["selectors"] = check_selectors(host, plugin)
    results["claims"] = check_claims(host, plugin)
    return results
