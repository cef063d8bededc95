"""The plugin host: loads outlet plugins from the `quoteledger` entry-point group, one at a
time and each inside its own guard, keeps the outlet registry, and answers "whose page is this?".

A broken plugin is reported and skipped (QUOTELEDGER_STRICT_PLUGINS=1 makes that fatal);
QUOTELEDGER_PLUGINS allow-lists entry points, QUOTELEDGER_DISABLE_PLUGINS blocks them.
"""
from __future__ import annotations

import difflib
import inspect
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

import pluggy

from . import hookspecs
from .interrupts import is_stop
from .outlet import Outlet
from .validtext import one_line

ENTRY_POINT_GROUP = "quoteledger"
BUILTIN_DISTRIBUTION = "quoteledger"


class PluginError(Exception):
    """A plugin failed while handling a document; names the plugin."""

    def __init__(self, plugin: str, message: str):
        super().__init__(f"plugin {plugin}: {message}")
        self.plugin = plugin
        self.detail = message


# What a report line shows of a plugin's exception or value: enough to find the fault, never a
# 30 MB message repeated for every document.
SHOWN_CHARACTERS = 300


def shown(value, as_repr: bool = False) -> str:
    """A plugin's exception message (str) or returned value (repr) for a report line: cut to
    SHOWN_CHARACTERS, and never raising, whatever the object's __str__ or __repr__ does."""
    try:
        text = repr(value) if as_repr else str(value)
        if not isinstance(text, str):
            raise TypeError(f"returned {type(text).__name__}")
    except BaseException as exc:  # a plugin's object may raise anything here, SystemExit included
        if is_stop(exc):
            raise
        return f"<{type(value).__name__} whose {'repr' if as_repr else 'str'} raised {type(exc).__name__}>"
    if len(text) > SHOWN_CHARACTERS:
        return f"{text[:SHOWN_CHARACTERS]}... ({len(text):,} characters)"
    return text


def raised(exc: BaseException) -> str:
    """'ValueError: what it said', safely (see shown)."""
    return f"{type(exc).__name__}: {shown(exc)}"


class PluginRefused(Exception):
    """A plugin the host will not load: the message names the plugin, the hook and the fix."""


@dataclass
class PluginInfo:
    name: str
    distribution: Optional[str] = None
    version: Optional[str] = None
    builtin: bool = False
    hooks: list = field(default_factory=list)
    outlets: list = field(default_factory=list)
    error: Optional[str] = None
    warnings: list = field(default_factory=list)
    module_file: Optional[str] = None
    hookspec_version: Optional[int] = None


@dataclass
class Choice:
    """Which outlet a document was given to, by which plugin, and why."""

    outlet: Outlet
    plugin: str
    confidence: float
    reason: str


def _env_list(name: str) -> Optional[set]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return {v.strip() for v in value.split(",") if v.strip()}


def _where(exc: BaseException) -> str:
    """file:line of the innermost frame, so an import error points at the plugin's own code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f" ({tb.tb_frame.f_code.co_filename}:{tb.tb_lineno})" if tb is not None else ""


def _distributions(entry_points: list) -> list:
    """(entry point, its distribution's name, its version) for each, in load order: by name; of
    entry points sharing a name, the built-in first, then by distribution, so the first keeps the
    name whatever order the environment lists them in. Each distribution's metadata is read once:
    every read of Distribution.name or .version parses its METADATA file again, and the built-ins
    are a dozen entry points of one distribution (four parses each were a third of start-up's
    plugin loading)."""
    read: dict = {}
    described = []
    for ep in entry_points:
        dist = getattr(ep, "dist", None)
        if dist is not None and id(dist) not in read:
            try:
                fields = dist.metadata
                read[id(dist)] = (dist, fields["Name"], fields["Version"])
            except Exception:          # a distribution of another shape: asked the usual way
                read[id(dist)] = (dist, getattr(dist, "name", None), getattr(dist, "version", None))
        _, name, version = read[id(dist)] if dist is not None else (None, None, None)
        described.append((ep, name, version))
    return sorted(described, key=lambda row: (row[0].name, (row[1] or "") != BUILTIN_DISTRIBUTION,
                                              row[1] or "", getattr(row[0], "value", "")))


def _required_args(function) -> list:
    """The arguments a hook implementation names (those without defaults), as pluggy counts them."""
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
            and p.name != "self"]


class PluginHost:
    def __init__(self, entry_points: Optional[list] = None, strict: Optional[bool] = None,
                 stderr=None, spec_module=None):
        self.spec_module = spec_module or hookspecs
        self.pm = pluggy.PluginManager(hookspecs.HOOK_NAMESPACE)
        self.pm.add_hookspecs(self.spec_module)
        self.strict = strict if strict is not None else os.environ.get("QUOTELEDGER_STRICT_PLUGINS") == "1"
        self._stderr = stderr         # None: sys.stderr as it is when a line is written
        self.plugins: dict[str, PluginInfo] = {}
        self.outlets: dict[str, Outlet] = {}
        self.outlet_owner: dict[str, str] = {}
        self.replaced: list[tuple] = []   # (replacing plugin, outlet name, replaced plugin)
        self.skipped: dict[str, str] = {}  # entry point -> why it was not loaded (allow/deny lists)
        self._faulted: set = set()
        self.refused: list = []        # entry points refused as namesakes of a loaded plugin
        self._last_called: Optional[str] = None     # the plugin of the last hook called (keep_signal_mask)
        # The working folder plugins must leave as they found it (see keep_folder); None: unwatched.
        self._folder: Optional[str] = None
        with self.keep_folder():
            self.load(entry_points if entry_points is not None else self._entry_points())

    @property
    def stderr(self):
        """Where the host's warnings go: the stream it was given, else the current sys.stderr. The
        host is made once per process and outlives the streams of one command (a test runner, or
        an embedding program, swaps sys.stderr between calls), so it never keeps one of its own."""
        return self._stderr if self._stderr is not None else sys.stderr

    @stderr.setter
    def stderr(self, stream) -> None:
        self._stderr = stream

    # -- loading -----------------------------------------------------------------------------

    @staticmethod
    def _entry_points() -> list:
        return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)

    def load(self, entry_points: list) -> None:
        allowed = _env_list("QUOTELEDGER_PLUGINS")
        disabled = _env_list("QUOTELEDGER_DISABLE_PLUGINS") or set()
        for ep, dist_name, dist_version in _distributions(entry_points):
            if allowed is not None and ep.name not in allowed:
                self.skipped[ep.name] = "not in QUOTELEDGER_PLUGINS"
                continue
            if ep.name in disabled:
                self.skipped[ep.name] = "in QUOTELEDGER_DISABLE_PLUGINS"
                continue
            info = PluginInfo(name=ep.name, distribution=dist_name, version=dist_version,
                              builtin=dist_name == BUILTIN_DISTRIBUTION)
            if ep.name in self.plugins:
                self._refuse_namesake(ep, info)
                continue
            self.plugins[ep.name] = info
            try:
                obj = ep.load()
            except BaseException as exc:  # one broken plugin never ends the run, even by sys.exit()
                if is_stop(exc):
                    raise
                self._load_failed(info, PluginRefused(
                    f"importing {ep.value} raised {raised(exc)}{_where(exc)}"))
                continue
            finally:
                self._check_folder(ep.name, "import")    # load runs inside keep_folder
            try:
                self.add_plugin(obj, ep.name, info)
            except BaseException as exc:
                if is_stop(exc):
                    raise
                self._load_failed(info, exc)
        self._register_outlets()

    def unusable(self) -> list:
        """The installed plugins this host could not use: those that failed to load or register
        (their error said at load), and the entry points refused as namesakes. A run with any
        of them said what failed, and its exit status says so too."""
        return sorted(name for name, info in self.plugins.items() if info.error) + self.refused

    def unusable_said(self) -> list:
        """What was said at load about each plugin unusable(), one line each: what a process that did
        not load the plugins itself (the Dask client) repeats from a worker's host."""
        failed = [_failed_to_load(info) for _, info in sorted(self.plugins.items()) if info.error]
        return failed + [self.skipped[name] for name in self.refused]

    def _refuse_namesake(self, ep, info: PluginInfo) -> None:
        """A second entry point with a name already loaded: the first (a built-in always loads first)
        keeps it, this one is refused and reported; it never evicts the plugin it is named after."""
        holder = self.plugins[ep.name]
        origin = f"{info.distribution} ({ep.value})" if info.distribution else ep.value
        owner = "the built-in plugin" if holder.builtin else f"the plugin from {holder.distribution or 'elsewhere'}"
        reason = (f"plugin {ep.name} from {origin} refused: the name {ep.name} is {owner}'s; fix: give the "
                  f"entry point another name (to take over a built-in's outlet, declare replaces= on yours)")
        self.skipped[f"{ep.name} from {origin}"] = reason
        self.refused.append(f"{ep.name} from {origin}")
        self._say(f"quoteledger: {reason}")
        if self.strict:
            raise SystemExit(f"quoteledger: QUOTELEDGER_STRICT_PLUGINS=1 and {reason}")

    def add_plugin(self, obj: Any, name: str, info: Optional[PluginInfo] = None) -> None:
        """Register one plugin object, refusing hooks the core does not know, arguments a hookspec
        lacks, and plugins written for a newer hookspec version than this host's."""
        if self.pm.has_plugin(name):
            raise PluginRefused(f"plugin {name}: a plugin of that name is loaded already; fix: choose another name")
        info = info or self.plugins.setdefault(name, PluginInfo(name=name))
        info.module_file = _module_file(obj)
        self._check_version(obj, name, info)
        self._check_hooks(obj, name, info)
        self._check_selectors(obj, name)
        try:
            self.pm.register(obj, name=name)
        except pluggy.PluginValidationError as exc:
            # Anything pluggy refuses that _check_hooks did not foresee, in the same words.
            raise PluginRefused(f"plugin {name}: " + " ".join(str(exc).split())) from exc
        info.hooks = sorted(h.name for h in self.pm.get_hookcallers(obj) or [])

    def _check_version(self, obj: Any, name: str, info: PluginInfo) -> None:
        wanted = getattr(obj, "hookspec_version", None)
        if wanted is None:
            return
        if not isinstance(wanted, int) or wanted < 1:
            raise PluginRefused(f"plugin {name}: hookspec_version must be a positive whole number, not {wanted!r}")
        info.hookspec_version = wanted
        have = getattr(self.spec_module, "HOOKSPEC_VERSION", hookspecs.HOOKSPEC_VERSION)
        if wanted > have:
            raise PluginRefused(f"plugin {name}: written for hookspec version {wanted}, but this quoteledger "
                                f"offers version {have}; fix: upgrade quoteledger")

    def _check_hooks(self, obj: Any, name: str, info: PluginInfo) -> None:
        known = hookspecs.hook_names(self.spec_module)
        for attr in dir(obj):
            if not attr.startswith(hookspecs.HOOK_NAMESPACE + "_"):
                continue
            opts = self.pm.parse_hookimpl_opts(obj, attr)
            if opts is None:
                if callable(getattr(obj, attr, None)):
                    info.warnings.append(f"{attr} is not marked @hookimpl and is never called; fix: decorate it "
                                         f"with quoteledger.hookspecs.hookimpl, or rename it")
                continue
            hook = opts.get("specname") or attr
            if hook not in known:
                close = difflib.get_close_matches(hook, known, n=1)
                hint = f"rename it to {close[0]}" if close else "rename it to one of: " + ", ".join(known)
                raise PluginRefused(f"plugin {name}: implements unknown hook {hook}; fix: {hint} "
                                    f"(hooks are listed in quoteledger/hookspecs.py)")
            offered = _required_args(getattr(self.spec_module, hook))
            extra = [a for a in _required_args(getattr(obj, attr)) if a not in offered]
            if extra:
                raise PluginRefused(f"plugin {name}: hook {hook} names argument(s) {', '.join(extra)} that the "
                                    f"hookspec does not offer; fix: remove them (the hook offers: "
                                    f"{', '.join(offered)})")

    @staticmethod
    def _check_selectors(obj: Any, name: str) -> None:
        """Selectors that can never match (not XPath, a string where a tuple is wanted) would
        be skipped on every page without a word: refused here, before any page is read."""
        if not hasattr(obj, "selectors") or inspect.ismodule(obj):
            return
        from .plugin_base import selector_problems

        problems = selector_problems(obj.selectors)
        if problems:
            raise PluginRefused(f"plugin {name}: " + "; ".join(problems))

    def _load_failed(self, info: PluginInfo, exc: BaseException) -> None:
        info.error = str(exc) if isinstance(exc, PluginRefused) else raised(exc)
        self._say(f"quoteledger: {_failed_to_load(info)}")
        if self.strict:
            raise SystemExit(f"quoteledger: QUOTELEDGER_STRICT_PLUGINS=1 and plugin {info.name} failed to load")

    def _register_outlets(self) -> None:
        declared: list[tuple] = []
        for impl in self.pm.hook.quoteledger_register_outlets.get_hookimpls():
            plugin = impl.plugin_name
            mine: list = []
            try:
                impl.function(register=mine.append)
            except BaseException as exc:
                if is_stop(exc):
                    raise
                self._unload(plugin, exc)
                continue
            finally:
                self._check_folder(plugin, "quoteledger_register_outlets")
            declared.extend((plugin, outlet) for outlet in mine)
        # Deterministic: replacements last, otherwise by plugin then outlet name.
        declared.sort(key=lambda po: (getattr(po[1], "replaces", None) is not None, po[0],
                                      str(getattr(po[1], "name", ""))))
        for plugin, outlet in declared:
            self._add_outlet(plugin, outlet)
        self._report_shared_domains()
        if self.strict:
            warned = sorted(n for n, info in self.plugins.items() if info.warnings and not info.error)
            if warned:
                raise SystemExit(f"quoteledger: QUOTELEDGER_STRICT_PLUGINS=1 and plugin(s) {', '.join(warned)} "
                                 f"loaded with warnings: " + "; ".join(
                                     w for n in warned for w in self.plugins[n].warnings))

    def _report_shared_domains(self) -> None:
        """Two plugins' outlets at one priority that read the same domain: both claim its pages with
        the same confidence, and the outlet name alone, not anyone's intent, picks the winner. Said
        to the plugin that is not built in (to both when both are, or neither)."""
        names = sorted(self.outlets)
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                a, b = self.outlets[first], self.outlets[second]
                pa, pb = self.outlet_owner[first], self.outlet_owner[second]
                if pa == pb or a.priority != b.priority:
                    continue
                shared = sorted(_overlapping(a.domains, b.domains))
                if not shared:
                    continue
                builtin_a, builtin_b = self.plugins[pa].builtin, self.plugins[pb].builtin
                for plugin, mine, other, owner in ((pa, first, second, pb), (pb, second, first, pa)):
                    if builtin_a != builtin_b and self.plugins[plugin].builtin:
                        continue
                    self._warn(plugin, f"outlet {mine!r} reads {', '.join(shared)}, as does outlet {other!r} of "
                                       f"plugin {owner} at the same priority {a.priority}; their pages go to "
                                       f"{min(first, second)!r} by name alone; fix: remove the domain, declare "
                                       f"replaces={other!r}, or give the outlets different priorities")

    def _unload(self, plugin: str, exc: BaseException) -> None:
        """A plugin that failed after registering (its outlets raised): take it out entirely."""
        if self.pm.get_plugin(plugin) is not None:
            self.pm.unregister(name=plugin)
        info = self.plugins.setdefault(plugin, PluginInfo(plugin))
        info.hooks = []
        self._load_failed(info, PluginRefused(
            f"plugin {plugin}: quoteledger_register_outlets raised {raised(exc)}{_where(exc)}"))

    def _add_outlet(self, plugin: str, outlet: Outlet) -> None:
        if not isinstance(outlet, Outlet):
            self._warn(plugin, f"registered {shown(outlet, as_repr=True)}, not an Outlet; fix: register(Outlet(name=...))")
            return
        if outlet.replaces:
            earlier = self._replaced_by(outlet.replaces)
            old = self.outlet_owner.get(outlet.replaces)
            if earlier is not None:
                self._warn(plugin, f"outlet {outlet.name!r} declares replaces={outlet.replaces!r}, but {earlier} "
                                   f"already replaced it; ignored (disable one of the two plugins)")
                return
            if old is None:
                self._warn(plugin, f"outlet {outlet.name!r} declares replaces={outlet.replaces!r}, but no plugin "
                                   f"registers that outlet; it is added alongside the others")
            else:
                del self.outlets[outlet.replaces]
                del self.outlet_owner[outlet.replaces]
                self.plugins[old].outlets.remove(outlet.replaces)
                self.replaced.append((plugin, outlet.replaces, old))
        if outlet.name in self.outlets:
            self._warn(plugin, f"registers outlet {outlet.name!r}, already registered by "
                               f"{self.outlet_owner[outlet.name]}; fix: declare replaces={outlet.name!r} to "
                               f"replace it, or choose another name")
            return
        self.outlets[outlet.name] = outlet
        self.outlet_owner[outlet.name] = plugin
        self.plugins[plugin].outlets.append(outlet.name)

    def _replaced_by(self, outlet_name: str) -> Optional[str]:
        return next((p for p, o, _ in self.replaced if o == outlet_name), None)

    def _warn(self, plugin: str, message: str) -> None:
        self.plugins.setdefault(plugin, PluginInfo(plugin)).warnings.append(message)
        self._say(f"quoteledger: plugin {plugin}: {message}")

    def _say(self, line: str) -> None:
        """One line on the host's stderr; one that cannot be written (stderr closed or full) is
        lost, never the run."""
        stream = self.stderr
        if stream is None:
            return
        try:
            print(one_line(line), file=stream)
        except (OSError, ValueError):
            pass

    # -- where a plugin keeps its examples ---------------------------------------------------

    def examples_folder(self, plugin: str) -> Optional[Path]:
        """The folder of a plugin's examples: the plugin object's `examples` attribute (a path,
        relative to the plugin's module), else examples/<plugin name>/ beside the module."""
        obj = self.pm.get_plugin(plugin)
        info = self.plugins.get(plugin)
        base = Path(info.module_file).parent if info and info.module_file else None
        declared = getattr(obj, "examples", None) if obj is not None else None
        if isinstance(declared, (str, os.PathLike)):
            path = Path(declared)
            return path if path.is_absolute() or base is None else base / path
        return base / "examples" / plugin if base is not None else None

    # -- calling plugins ---------------------------------------------------------------------

    def _impl(self, hook_name: str, plugin: str):
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name == plugin:
                return impl
        return None

    def call(self, hook_name: str, plugin: str, **kwargs):
        """Call one plugin's implementation, passing only the arguments it names (older plugins
        keep working when a hook gains an argument). Faults come back as PluginError."""
        impl = self._impl(hook_name, plugin)
        if impl is None:
            return None
        pid, depth, signals = os.getpid(), sys.getrecursionlimit(), _signal_state()
        self._last_called = plugin
        try:
            return impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        except Exception as exc:
            raise PluginError(plugin, f"{hook_name} raised {raised(exc)}") from exc
        except BaseException as exc:
            # SystemExit, KeyboardInterrupt, GeneratorExit raised by the plugin itself cost the
            # document; a deadline or a real signal (a Stop, a Ctrl-C) goes on up and ends it.
            if is_stop(exc):
                raise
            raise PluginError(plugin, f"{hook_name} raised {raised(exc)}") from exc
        finally:
            self._check_process(plugin, hook_name, pid, depth, signals)
            if self._folder is not None:
                self._check_folder(plugin, hook_name)

    def _check_process(self, plugin: str, hook_name: str, pid: int, depth: int, signals) -> None:
        """What a hook may change in the process beyond its document, put back: a process it
        forked that came back out of the hook (it would run the rest of the run a second time,
        writing every later record twice) ends at once, silently; a recursion limit it lowered
        (every later page would fail as too deeply nested), and the handlers of the signals that
        stop the run or end a document's deadline (SIG_IGN for SIGTERM made the run deaf to the
        user) are restored, and the plugin reported once for each."""
        if os.getpid() != pid:
            os._exit(0)
        if _signal_state() != signals:
            _restore_signals(signals)
            if (plugin, "signals") not in self._faulted:
                self._faulted.add((plugin, "signals"))
                self._warn(plugin, f"{hook_name} changed how this process handles SIGINT, SIGTERM, SIGHUP or SIGALRM; "
                                   f"put back (fix: leave signal handlers alone)")
        if sys.getrecursionlimit() != depth:
            sys.setrecursionlimit(depth)
            if (plugin, "recursion") not in self._faulted:
                self._faulted.add((plugin, "recursion"))
                self._warn(plugin, f"{hook_name} changed the interpreter's recursion limit; put back to {depth} "
                                   f"(fix: leave sys.setrecursionlimit alone)")

    @contextmanager
    def keep_signal_mask(self):
        """While inside (one document), the signals this thread blocks are checked on the way out
        and put back: a plugin that blocked SIGINT or SIGTERM (signal.pthread_sigmask) would leave
        a run with --timeout 0 deaf to the user, one that blocked SIGALRM without a deadline.
        Reported once a run, naming the last plugin called. Checked once a document, not around
        each call (the check is a system call, about 1 µs)."""
        if not hasattr(signal, "pthread_sigmask"):
            yield
            return
        before = signal.pthread_sigmask(signal.SIG_BLOCK, ())
        try:
            yield
        finally:
            if signal.pthread_sigmask(signal.SIG_BLOCK, ()) != before:
                signal.pthread_sigmask(signal.SIG_SETMASK, before)
                plugin = self._last_called or "?"
                if (plugin, "sigmask") not in self._faulted:
                    self._faulted.add((plugin, "sigmask"))
                    self._warn(plugin, "a document's hooks blocked signals (signal.pthread_sigmask), this plugin's "
                                       "last; put back (fix: leave the signal mask alone)")

    @contextmanager
    def keep_folder(self):
        """While inside, each plugin call is checked for changing the working folder, which the
        paths of the run are relative to (the next file read, the output, the ledger's companions):
        a change is undone at once and the plugin reported, once a run."""
        try:
            self._folder, outer = os.getcwd(), self._folder
        except OSError:                     # no working folder to keep (it was removed)
            yield
            return
        try:
            yield
        finally:
            self._folder = outer

    def _check_folder(self, plugin: str, hook_name: str) -> None:
        if self._folder is None:
            return
        try:
            now = os.getcwd()
        except OSError:
            now = None                      # the plugin removed it: go back all the same
        if now == self._folder:
            return
        try:
            os.chdir(self._folder)
        except OSError as exc:
            self._warn(plugin, f"{hook_name} changed the working folder, and {self._folder} cannot be entered "
                               f"again ({exc.strerror}): relative paths now fail")
            self._folder = None
            return
        if (plugin, "chdir") not in self._faulted:
            self._faulted.add((plugin, "chdir"))
            self._warn(plugin, f"{hook_name} changed the working folder to {now}; put back to {self._folder} "
                               f"(fix: use absolute paths, never os.chdir)")

    def outlet_named(self, name: Optional[str]) -> Optional[Outlet]:
        for outlet in self.outlets.values():
            if outlet.matches_name(name):
                return outlet
        return None

    def choose(self, document, faults: Optional[list] = None) -> Optional[Choice]:
        """The outlet a document belongs to: the one whose domain holds the document's address,
        when one does; else (or among several sharing that domain) by detection, ranked by
        (priority, -confidence, name), never by load order. faults: given a list, each detector
        that broke on this document is added to it (the PluginError), so the caller can tell it
        with the document; it is reported once a run here in any case."""
        by_address, address = self._outlets_by_address(document)
        if len(by_address) == 1:
            name = by_address[0]
            return Choice(self.outlets[name], self.outlet_owner[name], 1.0, f"by address: {address}")
        candidates = []
        for name in by_address or sorted(self.outlets):
            outlet, plugin = self.outlets[name], self.outlet_owner[name]
            try:
                confidence = self._confidence(plugin, document, outlet)
            except PluginError as exc:
                # A plugin whose detection is broken loses the page; the others still compete for it.
                self._fault(plugin, exc)
                if faults is not None:
                    faults.append(exc)
                continue
            if confidence is None:
                continue
            if confidence > 0:
                candidates.append((outlet.priority, -min(confidence, 1.0), outlet.name, plugin))
        if not candidates and by_address:
            # Outlets sharing the domain, none of whose detectors speaks up: the address still decides.
            name = min(by_address, key=lambda n: (self.outlets[n].priority, n))
            return Choice(self.outlets[name], self.outlet_owner[name], 1.0, f"by address: {address}")
        if not candidates:
            return None
        candidates.sort()
        priority, neg_conf, name, plugin = candidates[0]
        runners = len(candidates) - 1
        return Choice(self.outlets[name], plugin, -neg_conf,
                      f"priority {priority}, confidence {-neg_conf:.2f}, over {runners} other candidate(s)")

    def _outlets_by_address(self, document) -> tuple:
        """([outlet names], what was seen): the outlets whose domains hold the document's address,
        the closest domain only (news.bbc.co.uk: bbc.co.uk before co.uk), where the address is
        known: the one an archive fetched the page from, else the page's canonical link or og:url.
        Content detection is not asked, except to choose between outlets sharing a domain."""
        if document.hints.get("outlet"):
            return [], None         # a container page named this story's outlet
        from .plugin_base import page_url

        for url, what in ((document.url, "fetched from"), (page_url(document), "its canonical address is")):
            matches = {name: outlet.url_match(url) for name, outlet in self.outlets.items()}
            best = max(matches.values(), default=0)
            if best:
                names = sorted(name for name, score in matches.items() if score == best)
                return names, f"{what} {url}, on a domain of {' and '.join(names)}"
        return [], None

    def _confidence(self, plugin: str, document, outlet: Outlet) -> Optional[float]:
        confidence = self.call("quoteledger_detect", plugin, document=document, outlet=outlet)
        if confidence is None:
            return None
        try:
            value = float(confidence)
        except BaseException as exc:     # its __float__ is the plugin's code too: it may raise anything
            if is_stop(exc):
                raise
            raise PluginError(plugin, f"quoteledger_detect returned {shown(confidence, as_repr=True)}, "
                                      f"not a number") from None
        if value != value:              # NaN: no comparison holds, so the plugin lost its pages in silence
            raise PluginError(plugin, f"quoteledger_detect returned {shown(confidence, as_repr=True)}, not a number")
        return value

    def _fault(self, plugin: str, exc: PluginError) -> None:
        """Report a plugin's fault once per run, not once per page."""
        if plugin not in self._faulted:
            self._faulted.add(plugin)
            self._warn(plugin, f"{exc.detail}; it loses each page it breaks on to the other plugins until fixed")


# The signals that stop a run (interrupts.STOPPING_SIGNALS) and the one that ends a document's deadline.
_WATCHED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGALRM")
                         if hasattr(signal, name))
try:                    # the C function: signal.getsignal wraps each answer in an enum, 15 times slower
    from _signal import getsignal as _getsignal
except ImportError:     # not CPython
    _getsignal = signal.getsignal


def _signal_state(g=_getsignal, watched=_WATCHED_SIGNALS) -> tuple:
    """The handlers of the watched signals: about 0.15 µs, for it runs around every plugin call."""
    if len(watched) == 4:
        return g(watched[0]), g(watched[1]), g(watched[2]), g(watched[3])
    return tuple([g(signum) for signum in watched])


def _restore_signals(handlers) -> None:
    """Only the main thread may set handlers (Python runs them there); elsewhere nothing to do."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum, handler in zip(_WATCHED_SIGNALS, handlers):
        if handler is not None and _getsignal(signum) is not handler:
            signal.signal(signum, handler)


def _overlapping(domains: tuple, others: tuple) -> set:
    """The domains of either list whose pages the other list's domains also match."""
    found = set()
    for d in domains:
        for o in others:
            if d == o or d.endswith("." + o):
                found.add(d)
            elif o.endswith("." + d):
                found.add(o)
    return found


def _module_file(obj: Any) -> Optional[str]:
    """The file a plugin object was defined in (a module, or an instance of a class)."""
    module = obj if inspect.ismodule(obj) else sys.modules.get(getattr(type(obj), "__module__", ""), None)
    if inspect.isclass(obj):
        module = sys.modules.get(obj.__module__)
    return getattr(module, "__file__", None)


_HOST: Optional[PluginHost] = None


def _failed_to_load(info: PluginInfo) -> str:
    return f"plugin {info.name} failed to load and is skipped: {info.error}"


def loaded_host() -> Optional[PluginHost]:
    """The host, when this process has loaded one (get_host), else None: what a run used."""
    return _HOST


def get_host() -> PluginHost:
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST
