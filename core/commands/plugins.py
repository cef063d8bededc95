"""quoteledger plugins [--json]: plugins, versions, outlets, hooks, replacements and load errors.
quoteledger plugins check [NAME...]: run the conformance checks and every example of each plugin,
printing for a mismatch the difference and a paste-ready expected block."""
from __future__ import annotations

import json

from ..hookspecs import HOOKSPEC_VERSION
from ..plugins import get_host
from ..validtext import one_line


def say(line: str) -> None:
    """One line of the listing: what a plugin names (its entry point, outlets, error text) may hold
    escape sequences, line breaks or lone surrogates, which would rewrite the terminal, forge lines
    or end the command."""
    print(one_line(line))


def add_parser(subparsers):
    p = subparsers.add_parser("plugins", help="list outlet plugins, or check them against their examples")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    actions = p.add_subparsers(dest="plugins_action", metavar="ACTION")
    check = actions.add_parser("check", help="run each plugin's examples and conformance checks")
    check.add_argument("names", nargs="*", metavar="NAME", help="plugins to check (default: all)")
    check.add_argument("--json", action="store_true", help="machine-readable results")
    return p


def describe(host) -> dict:
    replaced_by = {(old, outlet): new for new, outlet, old in host.replaced}
    plugins = []
    for name in sorted(host.plugins):
        info = host.plugins[name]
        folder = host.examples_folder(name) if not info.error else None
        plugins.append({"name": name, "distribution": info.distribution, "version": info.version,
                        "builtin": info.builtin, "hooks": info.hooks, "error": info.error,
                        "warnings": list(info.warnings), "hookspec_version": info.hookspec_version,
                        "examples": str(folder) if folder and folder.is_dir() else None,
                        "outlets": [_outlet(host, o) for o in sorted(info.outlets) if o in host.outlets],
                        "replaced_outlets": [{"outlet": o, "by": new} for (old, o), new
                                             in sorted(replaced_by.items()) if old == name]})
    return {"hookspec_version": HOOKSPEC_VERSION, "plugins": plugins,
            "replaced": [{"plugin": p, "outlet": o, "replaced_plugin": old} for p, o, old in host.replaced],
            "skipped": [{"plugin": n, "reason": r} for n, r in sorted(host.skipped.items())]}


def _outlet(host, name: str) -> dict:
    outlet = host.outlets[name]
    return {"name": name, "priority": outlet.priority, "publisher": outlet.publisher,
            "domains": list(outlet.domains), "aliases": list(outlet.aliases), "replaces": outlet.replaces}


def run(args) -> int:
    host = get_host()
    if getattr(args, "plugins_action", None) == "check":
        return run_check(host, args.names, args.json)
    data = describe(host)
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    print_listing(data)
    return 0


def print_listing(data: dict) -> None:
    for p in data["plugins"]:
        origin = "built-in" if p["builtin"] else (p["distribution"] or "local")
        say(f"{p['name']} ({origin} {p['version'] or ''})".rstrip())
        if p["error"]:
            say(f"  LOAD ERROR: {p['error']}")
        for o in p["outlets"]:
            replaces = f", replaces {o['replaces']}" if o["replaces"] else ""
            say(f"  outlet {o['name']} (priority {o['priority']}, publisher {o['publisher'] or '-'}, "
                f"domains {', '.join(o['domains']) or '-'}{replaces})")
        for r in data["replaced"]:
            if r["replaced_plugin"] == p["name"]:
                say(f"  outlet {r['outlet']} REPLACED by plugin {r['plugin']}")
        if p["hooks"]:
            say(f"  hooks: {', '.join(p['hooks'])}")
        for warning in p["warnings"]:
            say(f"  WARNING: {warning}")
    for r in data["replaced"]:
        say(f"{r['plugin']} replaces outlet {r['outlet']} of {r['replaced_plugin']}")
    for s in data["skipped"]:
        say(f"{s['plugin']} not loaded: {s['reason']}")


def print_recapture(host, name: str, example) -> None:
    """The paste-ready expected block and the capture command that writes it, only when capture
    would accept it; otherwise why capture would refuse, which is what to fix first."""
    from ..testing.examples import observe, render
    from .capture import installed_copy, refusal

    outcome = observe(host, example.input)
    installed = installed_copy(example.input.parent)
    why = refusal(name, example, outcome, force=True) or (
        f"the example is inside {installed}, an installed copy; install the plugin with `pip install -e PATH` "
        f"and check again" if installed else "")
    if why:
        print("     capture would refuse this page as it is: " + why.replace("\n", "\n     "))
        return
    print(f"     paste-ready expected block for {example.expected_path}"
          f" (review it, or run `quoteledger capture {example.input} --plugin {name} --force`):")
    print(render(outcome).rstrip())


def run_check(host, names: list, as_json: bool) -> int:
    from ..testing.conformance import check_plugin
    from ..testing.examples import find_examples

    unknown = [n for n in names if n not in host.plugins]
    if unknown:
        say(f"quoteledger: no plugin named {', '.join(unknown)}; installed: {', '.join(sorted(host.plugins))}")
        return 2
    results = {name: check_plugin(host, name) for name in (names or sorted(host.plugins))}
    failed = sum(1 for checks in results.values() for problems in checks.values() if problems)
    if as_json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 1 if failed else 0
    for name, checks in results.items():
        examples = {f"example {e.label}": e for e in find_examples(host, name)}
        for check, problems in checks.items():
            say(f"{'FAIL' if problems else 'ok  '} {name}: {check}")
            for problem in problems:
                for line in problem.rstrip().split("\n"):
                    say("     " + line)
            if problems and check in examples:
                print_recapture(host, name, examples[check])
    total = sum(len(c) for c in results.values())
    print(f"{total - failed} of {total} checks passed" + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0
