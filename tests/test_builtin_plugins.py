"""The built-in plugins through the same conformance kit a third-party plugin uses: one
PluginConformance class per built-in entry point, each running that plugin's examples in
plugins/examples/<plugin>/ against their reviewed output."""
from __future__ import annotations

from importlib import metadata

from quoteledger import cli
from quoteledger.plugins import BUILTIN_DISTRIBUTION, ENTRY_POINT_GROUP
from quoteledger.testing import PluginConformance

BUILTIN = sorted(ep.name for ep in metadata.distribution(BUILTIN_DISTRIBUTION).entry_points
                 if ep.group == ENTRY_POINT_GROUP)

for _name in BUILTIN:
    globals()[f"TestBuiltin_{_name}"] = type(f"TestBuiltin_{_name}", (PluginConformance,), {"plugin": _name})


def test_every_builtin_plugin_named_by_the_issue_is_checked():
    assert {"nbcnews", "bbc", "reuters", "thesun", "independent", "mirror", "generic", "daily8"} <= set(BUILTIN)


def test_plugins_check_passes_for_the_builtin_plugins(capsys):
    status = cli.main(["plugins", "check", *BUILTIN])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "FAIL" not in out and " checks passed" in out
