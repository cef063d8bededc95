"""PluginConformance: the test class a plugin's tests subclass, naming the plugin. Its example test
is parametrized, one case per example file, by the pytest plugin in pytest_plugin.py."""
from __future__ import annotations

from functools import lru_cache

from ..plugins import PluginHost
from . import conformance
from .examples import find_examples


@lru_cache(maxsize=1)
def shared_host() -> PluginHost:
    """One host for a whole test session, loaded from the installed entry points like the CLI's."""
    return PluginHost()


def examples_for(plugin: str) -> list:
    return find_examples(shared_host(), plugin)


def _passes(problems: list) -> None:
    if problems:
        raise AssertionError("\n".join(problems))


class PluginConformance:
    """Subclass and set `plugin` to the entry-point name; pytest does the rest."""

    plugin: str = ""
    __test__ = False        # the base class itself is not a test; subclasses switch it back on

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__test__ = True

    def test_loads(self, quoteledger_host):
        _passes(conformance.check_loaded(quoteledger_host, self.plugin))

    def test_metadata(self, quoteledger_host):
        _passes(conformance.check_metadata(quoteledger_host, self.plugin))

    def test_has_examples(self, quoteledger_host):
        _passes(conformance.check_loaded(quoteledger_host, self.plugin)
                or conformance.check_has_examples(quoteledger_host, self.plugin))

    def test_example(self, quoteledger_host, quoteledger_example):
        _passes(conformance.check_example(quoteledger_host, quoteledger_example))

    def test_selectors_match_its_examples(self, quoteledger_host):
        _passes(conformance.check_selectors(quoteledger_host, self.plugin))

    def test_claims_no_other_plugins_examples(self, quoteledger_host):
        _passes(conformance.check_claims(quoteledger_host, self.plugin))
