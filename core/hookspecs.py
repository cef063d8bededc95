"""The hooks an outlet plugin may implement. Every hook is documented here and tested in
tests/test_hookspecs.py; adding an argument to a hook never breaks an older plugin, because pluggy
passes an implementation only the arguments it names."""
import pluggy

HOOK_NAMESPACE = "quoteledger"
# Bumped when a hook is added or gains an argument; plugins may declare the version they target.
HOOKSPEC_VERSION = 1

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
