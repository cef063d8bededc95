"""The pytest side of the conformance kit (entry point `pytest11`): the quoteledger_host fixture,
and one test case per example file for every PluginConformance subclass."""
from __future__ import annotations

import pytest

from .kit import PluginConformance, examples_for, shared_host


@pytest.fixture(scope="session")
def quoteledger_host():
    """The plugin host, loaded once per session from the installed entry points."""
    return shared_host()


def pytest_generate_tests(metafunc):
    cls = metafunc.cls
    if "quoteledger_example" not in metafunc.fixturenames:
        return
    if cls is None or not issubclass(cls, PluginConformance) or not cls.plugin:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: quoteledger_example is only offered to "
                                f"PluginConformance subclasses that set `plugin`")
    examples = examples_for(cls.plugin)
    if examples:
        metafunc.parametrize("quoteledger_example", examples, ids=[e.label for e in examples])
    else:
        # test_has_examples reports the missing examples; this case says the same, never passes empty.
        metafunc.parametrize("quoteledger_example", [pytest.param(None, marks=pytest.mark.skip(
            reason=f"plugin {cls.plugin} has no examples (test_has_examples fails for it)"))], ids=["none"])
