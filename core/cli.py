"""The quoteledger command: each subcommand lives in quoteledger/commands/<name>.py and exposes
add_parser(subparsers) and run(args) -> exit status (0 ok, 1 some input failed, 2 usage)."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from typing import Optional

from . import __version__
from .commands.common import OutputError, report
from .interrupts import Terminated, handling_signals

COMMANDS = ("extract", "parse", "ingest", "export", "merge", "search", "speakers", "show", "report", "demo", "validate",
            "schema", "plugins", "capture", "new_plugin")


def build_parser(only: Optional[str] = None, skip: Optional[str] = None) -> argparse.ArgumentParser:
    """The command line; only: a command's module name, to load that command alone (each command
    imports what it needs, and the extraction engine alone takes a quarter of a second to import:
    export and merge need none of it); skip: one not to load again."""
    parser = argparse.ArgumentParser(prog="quoteledger", description="Direct quotations from news pages, merged into one validated ledger.")
    parser.add_argument("--version", action="version", version=f"quoteledger {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.commands_loaded = 0
    for name in (only,) if only in COMMANDS else [name for name in COMMANDS if name != skip]:
        try:
            module = importlib.import_module(f"quoteledger.commands.{name}")
        except ModuleNotFoundError:
            continue
        except Exception as exc:  # one broken command must not take the others down
            print(f"quoteledger: command {name} is unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
        parser.commands_loaded += 1
    return parser


def _named_command(argv) -> Optional[str]:
    """The module of the command argv names first (`merge`, `new-plugin`), if any."""
    argv = sys.argv[1:] if argv is None else argv
    name = argv[0].replace("-", "_") if argv else None
    return name if name in COMMANDS else None


def main(argv=None) -> int:
    only = _named_command(argv)
    parser = build_parser(only)
    if only is not None and not parser.commands_loaded:
        parser = build_parser(skip=only)    # that command failed to load (said): the full parser lists the rest
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


def entry() -> None:
    """The console script: main's exit status. A thread a plugin started and left running
    (with --timeout 0 plugins run in this process) is not waited for: the interpreter would join
    it at exit and the finished run would never end. Outputs and the ledger are closed by now."""
    status = main()
    stray = [t for t in threading.enumerate() if t.is_alive() and not t.daemon and t is not threading.main_thread()]
    if not stray:
        sys.exit(status)
    report(f"not waiting for {len(stray)} thread(s) left running ({', '.join(sorted(t.name for t in stray))}); "
           f"a plugin started them and did not end them")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


if __name__ == "__main__":
    entry()
