"""The quoteledger command: each subcommand lives in quoteledger/commands/<name>.py and exposes
add_parser(subparsers) and run(args) -> exit status (0 ok, 1 some input failed, 2 usage)."""
from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .commands.common import OutputError, report
from .interrupts import Terminated, handling_signals

COMMANDS = ("extract", "parse", "ingest", "export", "merge", "search", "speakers", "show", "report", "demo", "validate",
            "schema", "plugins", "capture", "new_plugin")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quoteledger", description="Direct quotations from news pages, merged into one validated ledger.")
    parser.add_argument("--version", action="version", version=f"quoteledger {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"quoteledger.commands.{name}")
        except ModuleNotFoundError:
            continue
        except Exception as exc:  # one broken command must not take the others down
            print(f"quoteledger: command {name} is unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    # Signals raise instead of killing outright, so an interrupted run cleans up as it unwinds.
    with handling_signals():
        try:
            return args.run(args)
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            report("stopped by SIGINT; nothing half-written")
            return 130
        except Terminated as exc:
            report(f"{exc}; nothing half-written")
            return exc.exit_status
        except OutputError as exc:
            report(str(exc))
            return exc.exit_status


if __name__ == "__main__":
    sys.exit(main())
