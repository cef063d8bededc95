"""quoteledger new-plugin NAME --domain DOMAIN [--dir PATH]: write a complete, installable outlet
plugin package (pyproject.toml with the entry point, the plugin module as data, an examples folder
with a first captured example, a test file running the conformance kit, a README)."""
from __future__ import annotations

from pathlib import Path

from ..scaffold import SAMPLE_NAME, ScaffoldError, check_collisions, installed_host, make_spec, write_package
from .common import report


def add_parser(subparsers):
    p = subparsers.add_parser("new-plugin", help="write a new outlet plugin package, ready to install")
    p.add_argument("name", metavar="NAME", help="the plugin's name, e.g. harbour-gazette")
    p.add_argument("--domain", required=True, help="the site's host name, e.g. harbourgazette.co.uk")
    p.add_argument("--dir", default=".", metavar="PATH", help="where to create quoteledger-NAME/ (default: here)")
    p.add_argument("--outlet", help="the outlet's name as readers know it (default: from NAME)")
    p.add_argument("--publisher", help="the organisation that publishes it (default: the outlet's name)")
    p.add_argument("--replaces", metavar="OUTLET", help="an installed outlet this plugin replaces, e.g. 'The Guardian'")
    return p


def run(args) -> int:
    try:
        spec = make_spec(args.name, args.domain, args.outlet, args.publisher, args.replaces)
        check_collisions(spec, installed_host())
        folder = Path(args.dir) / spec.dist
        written = write_package(spec, folder)
    except ScaffoldError as exc:
        report(f"new-plugin: {exc}")
        return 2
    for path in written:
        print(f"wrote {path}")
    print(f"\nnext:\n  pip install -e {folder}\n  quoteledger plugins            # lists {spec.name}\n"
          f"  quoteledger capture PAGE --plugin {spec.name} --invented   # a page you wrote, modelled on {spec.domain}\n"
          f"  cd {folder} && pytest          # the conformance kit runs every example\n"
          f"(the kit asks for an example of your own: {SAMPLE_NAME} is invented and does not count)")
    return 0
