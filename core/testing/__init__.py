"""The conformance kit for outlet plugins, built-in or third-party.

One line in a plugin package's tests runs it (the kit is a pytest plugin, loaded through the
`pytest11` entry point when quoteledger is installed):

    from quoteledger.testing import PluginConformance

    class TestMyOutlet(PluginConformance):
        plugin = "myoutlet"          # the entry-point name in [project.entry-points.quoteledger]

It loads the plugin as quoteledger would, checks its metadata, runs each of its examples against
the reviewed output, validates every record against the schemas, and checks that its pages and the
other installed plugins' pages are told apart.
"""
from .conformance import check_plugin
from .examples import EXPECTED_SUFFIX, Example, find_examples, observe
from .kit import PluginConformance

__all__ = ["EXPECTED_SUFFIX", "Example", "PluginConformance", "check_plugin", "find_examples", "observe"]
