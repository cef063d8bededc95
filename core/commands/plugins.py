"""quoteledger plugins [--json]: plugins, versions, outlets, hooks and load errors."""
from __future__ import annotations

import json

from ..plugins import get_host


def add_parser(subparsers):
    p = subparsers.add_parser("plugins", help="list outlet plugins and their outlets")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    return p


def describe(host) -> dict:
    plugins = []
    for name in sorted(host.plugins):
        info = host.plugins[name]
        plugins.append({"name": name, "distribution": info.distribution, "version": info.version,
                        "builtin": info.builtin, "hooks": info.hooks, "error": info.error,
                        "outlets": [{"name": o, "priority": host.outlets[o].priority,
                                     "publisher": host.outlets[o].publisher,
                                     "domains": list(host.outlets[o].domains),
                                     "aliases": list(host.outlets[o].aliases)}
                                    for o in sorted(info.outlets) if o in host.outlets]})
    return {"plugins": plugins,
            "replaced": [{"plugin": p, "outlet": o, "replaced_plugin": old} for p, o, old in host.replaced]}


def run(args) -> int:
    host = get_host()
    data = describe(host)
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    for p in data["plugins"]:
        origin = "built-in" if p["builtin"] else (p["distribution"] or "local")
        print(f"{p['name']} ({origin} {p['version'] or ''})".rstrip())
        if p["error"]:
            print(f"  LOAD ERROR: {p['error']}")
        for o in p["outlets"]:
            print(f"  outlet {o['name']} (priority {o['priority']}, publisher {o['publisher'] or '-'}, "
                  f"domains {', '.join(o['domains']) or '-'})")
        if p["hooks"]:
            print(f"  hooks: {', '.join(p['hooks'])}")
    for r in data["replaced"]:
        print(f"{r['plugin']} replaces outlet {r['outlet']} of {r['replaced_plugin']}")
    return 0
