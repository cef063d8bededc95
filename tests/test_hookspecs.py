"""Every hookspec: what it promises, one test each (named test_<hook>_...), the meta-tests that fail
when a new hook lacks documentation or a test, and the versioning promise: adding an argument to a
hook never breaks a plugin written before it."""
from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pluggy
import pytest

from quoteledger import hookspecs
from quoteledger.hookspecs import HOOK_HISTORY, HOOKSPEC_VERSION, hook_names, hookimpl, hookspec
from quoteledger.model import Article, Document, Paragraph, Quotation
from quoteledger.outlet import Outlet
from quoteledger.pipeline import extract_document
from quoteledger.plugins import PluginHost

DOCS = Path(__file__).resolve().parent.parent / "docs" / "writing-plugins.md"
PAGE = Document(source="mill.txt", text="The old mill reopened.\n\"It is good to be back,\" said Ada Lee.", is_html=False,
                url="https://millgazette.example/news/mill")
MILL = Outlet(name="Mill Gazette", publisher="Mill Press", domains=("millgazette.example",))


class MillPlugin:
    """A minimal hand-written plugin (no OutletPlugin base), one method per hook."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def quoteledger_register_outlets(self, register):
        register(MILL)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        return 1.0 if outlet is MILL and outlet.matches_url(document.url) else None

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if outlet is not MILL:
            return None
        lines = document.text.splitlines()
        return Article(headline=lines[0], paragraphs=[Paragraph(t) for t in lines[1:]], url=document.url)

    @hookimpl
    def quoteledger_postprocess_quotes(self, article, quotations):
        self.seen.append(len(quotations))
        for quotation in quotations:
            quotation.confidence = 0.99


def host_with(*plugins, spec_module=None) -> PluginHost:
    host = PluginHost(entry_points=[], stderr=io.StringIO(), strict=False, spec_module=spec_module)
    for n, plugin in enumerate(plugins):
        host.add_plugin(plugin, f"p{n}")
    host._register_outlets()
    return host


# -- one test per hook --------------------------------------------------------------------------

def test_quoteledger_register_outlets_records_the_registering_plugin():
    host = host_with(MillPlugin())
    assert host.outlets["Mill Gazette"] is MILL and host.outlet_owner["Mill Gazette"] == "p0"
    assert host.plugins["p0"].outlets == ["Mill Gazette"]


def test_quoteledger_detect_chooses_by_priority_then_confidence_then_name():
    class Other(MillPlugin):
        @hookimpl
        def quoteledger_register_outlets(self, register):
            register(Outlet(name="Aardvark Mill", publisher="A", domains=("millgazette.example",), priority=100))

        @hookimpl
        def quoteledger_detect(self, document, outlet):
            return 0.5 if outlet.name == "Aardvark Mill" else None

    host = host_with(Other(), MillPlugin())        # registration order must not matter
    choice = host.choose(PAGE)
    assert (choice.outlet.name, choice.plugin, choice.confidence) == ("Mill Gazette", "p1", 1.0)
    assert "over 1 other candidate" in choice.reason


def test_quoteledger_split_turns_a_container_into_stories():
    hub = Outlet(name="Hub", publisher="Hub", domains=("hub.example",), container=True, priority=90)

    class Hub(MillPlugin):
        @hookimpl
        def quoteledger_register_outlets(self, register):
            register(hub)

        @hookimpl
        def quoteledger_detect(self, document, outlet):
            return 1.0 if "hub.example" in (document.url or "") else None

        @hookimpl
        def quoteledger_split(self, document, outlet):
            return [Document(f"{document.source}#{i}", part, False, url=MILL.domains[0] and PAGE.url,
                             hints={"story_index": i}) for i, part in enumerate(document.text.split("\n---\n"))]

    host = host_with(Hub(), MillPlugin())
    page = Document("hub.txt", PAGE.text + "\n---\n" + PAGE.text.replace("Ada Lee", "Bo Kim"), False,
                    url="https://hub.example/")
    result = extract_document(page, host)
    assert [r["speaker"]["name"] for r in result.records] == ["Ada Lee", "Bo Kim"]


def test_quoteledger_parse_gives_the_article_the_quotations_are_read_from():
    result = extract_document(PAGE, host_with(MillPlugin()))
    assert not result.errors
    record = result.records[0]
    assert (record["text"], record["speaker"]["name"]) == ("It is good to be back,", "Ada Lee")
    assert record["article"]["headline"] == "The old mill reopened."
    assert record["article"]["publisher"]["plugin"] == "p0"


def test_quoteledger_postprocess_quotes_adjusts_quotations_in_place():
    plugin = MillPlugin()
    result = extract_document(PAGE, host_with(plugin))
    assert plugin.seen == [1] and result.records[0]["confidence"] == 0.99


# -- meta-tests: every hook documented and tested -----------------------------------------------

@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_docstring(hook):
    doc = getattr(hookspecs, hook).__doc__ or ""
    assert len(doc.split()) >= 8, f"hookspec {hook} needs a docstring saying what it is for and what to return"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_in_the_plugin_guide(hook):
    assert f"`{hook}" in DOCS.read_text("utf-8"), f"docs/writing-plugins.md must document {hook}"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_test(hook):
    tests = [n for n in dir(sys.modules[__name__]) if n.startswith(f"test_{hook}_")]
    assert tests, f"add a test named test_{hook}_... to tests/test_hookspecs.py"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_in_the_version_history(hook):
    assert any(hook + "(" in entry for entry in HOOK_HISTORY.values()), \
        f"{hook}: record in hookspecs.HOOK_HISTORY the version that added it"


def test_hookspec_version_is_the_latest_history_entry():
    assert HOOKSPEC_VERSION == max(HOOK_HISTORY) and sorted(HOOK_HISTORY) == list(range(1, HOOKSPEC_VERSION + 1))


# -- versioning: an argument added later never breaks an older plugin --------------------------

def future_hookspecs() -> types.ModuleType:
    """The hookspecs as a later version might have them: quoteledger_parse and quoteledger_detect
    each gain an argument."""
    module = types.ModuleType("future_hookspecs")
    for name in hook_names():
        setattr(module, name, getattr(hookspecs, name))

    @hookspec(firstresult=True)
    def quoteledger_parse(document, outlet, options):
        """Parse one story; options carry reader settings (a later version's argument)."""

    @hookspec
    def quoteledger_detect(document, outlet, context):
        """Detect, with context (a later version's argument)."""

    module.quoteledger_parse, module.quoteledger_detect = quoteledger_parse, quoteledger_detect
    module.HOOKSPEC_VERSION = HOOKSPEC_VERSION + 1
    return module


def test_a_plugin_written_for_version_1_works_when_hooks_gain_arguments():
    plugin = MillPlugin()
    plugin.hookspec_version = 1
    host = host_with(plugin, spec_module=future_hookspecs())
    assert host.plugins["p0"].error is None
    result = extract_document(PAGE, host)
    assert [r["speaker"]["name"] for r in result.records] == ["Ada Lee"]
    # pluggy's own calls pass an implementation only the arguments it names, too
    assert host.pm.hook.quoteledger_detect(document=PAGE, outlet=MILL, context={}) == [1.0]


def test_a_plugin_may_name_fewer_arguments_than_the_hook_offers():
    class Terse(MillPlugin):
        @hookimpl
        def quoteledger_detect(self, document):
            return 1.0 if "millgazette" in (document.url or "") else None

    assert host_with(Terse()).choose(PAGE).plugin == "p0"


def test_a_plugin_written_for_a_newer_hookspec_is_refused_with_the_fix():
    plugin = MillPlugin()
    plugin.hookspec_version = HOOKSPEC_VERSION + 1
    host = PluginHost(entry_points=[], stderr=io.StringIO(), strict=False)
    with pytest.raises(Exception, match=f"written for hookspec version {HOOKSPEC_VERSION + 1}.*fix: upgrade quoteledger"):
        host.add_plugin(plugin, "future")


def test_a_hook_method_without_the_marker_is_flagged():
    class Forgetful(MillPlugin):
        def quoteledger_split(self, document, outlet):
            return None

    host = host_with(Forgetful())
    assert any("quoteledger_split is not marked @hookimpl" in w for w in host.plugins["p0"].warnings)


def test_pluggy_itself_refuses_what_the_host_refuses():
    """The host's checks agree with pluggy's: an extra argument is a PluginValidationError there too."""
    class Extra:
        @hookimpl
        def quoteledger_parse(self, document, outlet, language):
            return None

    pm = pluggy.PluginManager(hookspecs.HOOK_NAMESPACE)
    pm.add_hookspecs(hookspecs)
    with pytest.raises(pluggy.PluginValidationError):
        pm.register(Extra())
