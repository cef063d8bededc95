"""The hooks an outlet plugin may implement: the whole contract between quoteledger and its plugins.

Every hook is documented here and in docs/writing-plugins.md, and tested in tests/test_hookspecs.py
(a meta-test fails when a hook lacks either). The contract is versioned: HOOKSPEC_VERSION goes up
when a hook is added or gains an argument, and HOOK_HISTORY says what changed. Adding an argument
never breaks an older plugin, because the host passes an implementation only the arguments it names
(an implementation may name fewer arguments than the hookspec offers, never more).
"""
import pluggy

HOOK_NAMESPACE = "quoteledger"

# What each version of the contract added; a plugin may declare `hookspec_version = N`, the version it
# was written against, and a host older than N refuses it with a message saying to upgrade.
HOOK_HISTORY = {
    1: "quoteledger_register_outlets(register), quoteledger_detect(document, outlet), "
       "quoteledger_split(document, outlet), quoteledger_parse(document, outlet), "
       "quoteledger_postprocess_quotes(article, quotations)",
}
HOOKSPEC_VERSION = max(HOOK_HISTORY)

hookspec = pluggy.HookspecMarker(HOOK_NAMESPACE)
hookimpl = pluggy.HookimplMarker(HOOK_NAMESPACE)


@hookspec
def quoteledger_register_outlets(register):
    """Declare outlets by calling register(Outlet(...)) once for each.

    The core records which plugin registered each outlet, so it can report collisions and
    explicit replacements (Outlet.replaces)."""


@hookspec
def quoteledger_detect(document, outlet):
    """How sure this plugin is that document belongs to outlet (one of its own), in [0, 1].

    Return None or 0 for "not mine". The core asks every plugin about each of its outlets and
    chooses by (priority, -confidence, name), never by registration order."""


@hookspec(firstresult=True)
def quoteledger_split(document, outlet):
    """For a container page (an aggregator holding several stories), the stories in it as a
    list of Document, each with hints naming its outlet and the chain it came through.
    Return None when the document is a single story."""


@hookspec(firstresult=True)
def quoteledger_parse(document, outlet):
    """Parse one story of outlet into an Article (headline, byline, dates, URL, paragraphs).
    Return None when outlet is not this plugin's."""


@hookspec
def quoteledger_postprocess_quotes(article, quotations):
    """Adjust the quotations found in article in place (house-style fixes, dropping furniture)."""


def hook_names(module=None) -> list:
    """The hooks a hookspec module declares, sorted."""
    import sys

    module = module or sys.modules[__name__]
    marker = f"{HOOK_NAMESPACE}_spec"
    return sorted(n for n in dir(module) if n.startswith(HOOK_NAMESPACE + "_")
                  and hasattr(getattr(module, n), marker))
