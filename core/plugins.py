"""The plugin host: loads outlet plugins from the `quoteledger` entry-point group, one at a
time and each inside its own guard, keeps the outlet registry, and answers "whose page is this?".

A broken plugin is reported and skipped (QUOTELEDGER_STRICT_PLUGINS=1 makes that fatal);
QUOTELEDGER_PLUGINS allow-lists entry points, QUOTELEDGER_DISABLE_PLUGINS blocks them.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Optional

import pluggy

from . import hookspecs
from .outlet import Outlet

ENTRY_POINT_GROUP = "quoteledger"
BUILTIN_DISTRIBUTION = "quoteledger"


class PluginError(Exception):
    """A plugin failed while handling a document; names the plugin."""

    def __init__(self, plugin: str, message: str):
        super().__init__(f"plugin {plugin}: {message}")
        self.plugin = plugin


@dataclass
class PluginInfo:
    name: str
    distribution: Optional[str] = None
    version: Optional[str] = None
    builtin: bool = False
    hooks: list = field(default_factory=list)
    outlets: list = field(default_factory=list)
    error: Optional[str] = None


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


class PluginHost:
    def __init__(self, entry_points: Optional[list] = None, strict: Optional[bool] = None,
                 stderr=None):
        self.pm = pluggy.PluginManager(hookspecs.HOOK_NAMESPACE)
        self.pm.add_hookspecs(hookspecs)
        self.strict = strict if strict is not None else os.environ.get("QUOTELEDGER_STRICT_PLUGINS") == "1"
        self.stderr = stderr if stderr is not None else sys.stderr
        self.plugins: dict[str, PluginInfo] = {}
        self.outlets: dict[str, Outlet] = {}
        self.outlet_owner: dict[str, str] = {}
        self.replaced: list[tuple] = []   # (replacing plugin, outlet name, replaced plugin)
        self.load(entry_points if entry_points is not None else self._entry_points())

    # -- loading -----------------------------------------------------------------------------

    @staticmethod
    def _entry_points() -> list:
        return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)

    def load(self, entry_points: list) -> None:
        allowed = _env_list("QUOTELEDGER_PLUGINS")
        disabled = _env_list("QUOTELEDGER_DISABLE_PLUGINS") or set()
        for ep in entry_points:
            if (allowed is not None and ep.name not in allowed) or ep.name in disabled:
                continue
            dist = getattr(ep, "dist", None)
            info = PluginInfo(name=ep.name, distribution=dist.name if dist else None,
                              version=dist.version if dist else None,
                              builtin=bool(dist and dist.name == BUILTIN_DISTRIBUTION))
            self.plugins[ep.name] = info
            try:
                self.add_plugin(ep.load(), ep.name, info)
            except Exception as exc:  # one broken plugin never ends the run
                self._load_failed(info, exc)
        self._register_outlets()

    def add_plugin(self, obj: Any, name: str, info: Optional[PluginInfo] = None) -> None:
        """Register one plugin object, refusing hooks the core does not know."""
        info = info or self.plugins.setdefault(name, PluginInfo(name=name))
        self.pm.register(obj, name=name)
        unknown = [h.name for h in self.pm.get_hookcallers(obj) or [] if not h.has_spec()]
        if unknown:
            self.pm.unregister(obj)
            known = ", ".join(sorted(n for n in dir(hookspecs) if n.startswith("quoteledger_")))
            raise pluggy.PluginValidationError(
                obj, f"implements unknown hook {', '.join(unknown)}; rename it to one of: {known}")
        info.hooks = sorted(h.name for h in self.pm.get_hookcallers(obj) or [])

    def _load_failed(self, info: PluginInfo, exc: BaseException) -> None:
        info.error = f"{type(exc).__name__}: {exc}"
        print(f"quoteledger: plugin {info.name} failed to load and is skipped: {info.error}",
              file=self.stderr)
        if self.strict:
            raise SystemExit(f"quoteledger: QUOTELEDGER_STRICT_PLUGINS=1 and plugin {info.name} failed to load")

    def _register_outlets(self) -> None:
        declared: list[tuple] = []
        for impl in self.pm.hook.quoteledger_register_outlets.get_hookimpls():
            plugin = impl.plugin_name
            try:
                impl.function(register=lambda outlet, _p=plugin: declared.append((_p, outlet)))
            except Exception as exc:
                self._load_failed(self.plugins.setdefault(plugin, PluginInfo(plugin)), exc)
        # Deterministic: replacements last, otherwise by plugin then outlet name.
        declared.sort(key=lambda po: (po[1].replaces is not None, po[0], po[1].name))
        for plugin, outlet in declared:
            self._add_outlet(plugin, outlet)

    def _add_outlet(self, plugin: str, outlet: Outlet) -> None:
        if not isinstance(outlet, Outlet):
            self._load_failed(self.plugins[plugin], TypeError(f"registered {outlet!r}, not an Outlet"))
            return
        if outlet.replaces:
            old = self.outlet_owner.get(outlet.replaces)
            if old is not None:
                del self.outlets[outlet.replaces]
                self.replaced.append((plugin, outlet.replaces, old))
        elif outlet.name in self.outlets:
            print(f"quoteledger: plugin {plugin} registers outlet {outlet.name!r}, already registered by "
                  f"{self.outlet_owner[outlet.name]}; declare replaces={outlet.name!r} to replace it",
                  file=self.stderr)
            return
        self.outlets[outlet.name] = outlet
        self.outlet_owner[outlet.name] = plugin
        self.plugins[plugin].outlets.append(outlet.name)

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
        try:
            return impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        except Exception as exc:
            raise PluginError(plugin, f"{hook_name} raised {type(exc).__name__}: {exc}") from exc

    def outlet_named(self, name: Optional[str]) -> Optional[Outlet]:
        for outlet in self.outlets.values():
            if outlet.matches_name(name):
                return outlet
        return None

    def choose(self, document) -> Optional[Choice]:
        """The outlet a document belongs to: by (priority, -confidence, name), never load order."""
        candidates = []
        for name in sorted(self.outlets):
            outlet, plugin = self.outlets[name], self.outlet_owner[name]
            confidence = self.call("quoteledger_detect", plugin, document=document, outlet=outlet)
            if confidence is None:
                continue
            try:
                confidence = float(confidence)
            except (TypeError, ValueError):
                raise PluginError(plugin, f"quoteledger_detect returned {confidence!r}, not a number")
            if confidence > 0:
                candidates.append((outlet.priority, -min(confidence, 1.0), outlet.name, plugin))
        if not candidates:
            return None
        candidates.sort()
        priority, neg_conf, name, plugin = candidates[0]
        runners = len(candidates) - 1
        return Choice(self.outlets[name], plugin, -neg_conf,
                      f"priority {priority}, confidence {-neg_conf:.2f}, over {runners} other candidate(s)")

    def postprocess(self, article, quotations) -> None:
        for impl in self.pm.hook.quoteledger_postprocess_quotes.get_hookimpls():
            self.call("quoteledger_postprocess_quotes", impl.plugin_name, article=article,
                      quotations=quotations)


_HOST: Optional[PluginHost] = None


def get_host() -> PluginHost:
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST
