"""The plugin base (PagePlugin) honours every Selectors field the guide documents, keeps the generic
furniture removal inside a body selector's choice, and selector mistakes are never silent: a
selector that is not XPath (or a lone string) is refused at load, strict mode makes that fatal,
one matching nothing on any example fails the conformance check, and a domain two plugins claim
at the same priority is reported. Plugins here are real modules loaded through entry points."""
from __future__ import annotations

import io
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from quoteledger.plugins import ENTRY_POINT_GROUP, PluginHost
from quoteledger.reading import read_document
from quoteledger.testing.conformance import check_metadata, check_selectors

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plugin_author"
# A page modelled on a broadcaster's story template: the story sits in div.storytext among a
# sponsor box, a photo with its caption, a share bar and a newsletter section.
PAGE = (FIXTURES / "ferry-plan.html").read_text("utf-8")

EVERY_FIELD = '''
"""The Harbour Gazette (harbourgazette.co.uk): story pages with div.storytext."""
from quoteledger.htmlarticle import Selectors
from quoteledger.outlet import Outlet
from quoteledger_plugins.generic import PagePlugin

class Plugin(PagePlugin):
    outlets = (Outlet(name="The Harbour Gazette", publisher="Gazette Media", domains=("harbourgazette.co.uk",)),)
''' + (FIXTURES / "selectors.txt").read_text("utf-8") + '''
plugin = Plugin()
'''


def entry_point(name: str):
    return metadata.EntryPoint(name=name, value=f"{name}:plugin", group=ENTRY_POINT_GROUP)


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """Write plugin modules into tmp_path and load them, each through its own entry point."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written = []

    def load(sources: dict, strict: bool = False, stderr=None) -> PluginHost:
        for name, source in sources.items():
            (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            written.append(name)
        builtin = [ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.value.startswith("quoteledger_plugins.")]
        return PluginHost(entry_points=sorted(builtin, key=lambda ep: ep.name) + [entry_point(n) for n in sources],
                          strict=strict, stderr=stderr or io.StringIO())

    yield load
    for name in written:
        sys.modules.pop(name, None)


def parsed(host: PluginHost, plugin: str, tmp_path: Path, page: str = PAGE):
    path = tmp_path / "ferry-plan.html"
    path.write_text(page, encoding="utf-8")
    document = read_document(str(path))
    choice = host.choose(document)
    assert choice.plugin == plugin
    return host.call("quoteledger_parse", plugin, document=document, outlet=choice.outlet)


def test_every_documented_selector_field_is_honoured(modules, tmp_path):
    host = modules({"gazette": EVERY_FIELD})
    assert host.plugins["gazette"].error is None
    article = parsed(host, "gazette", tmp_path)
    texts = [p.text for p in article.paragraphs]
    kinds = {p.text: p.kind for p in article.paragraphs}
    assert article.headline == "Island ferry will run all winter"                       # headline
    assert article.byline == ["Mara Quist"]                                              # byline, not_authors
    assert article.published.startswith("2025-03-04T08:15")                              # published
    assert article.modified.startswith("2025-03-05T10:00")                               # modified
    assert article.section == "Local News"                                               # section
    assert article.dateline == "PORT ELLIS"                                              # dateline
    assert texts[0].startswith("The ferry to Gull Island")
    assert "What the islanders said" in texts                                            # headings
    assert "Share this story on every network you use today please" in texts             # keep
    assert kinds["Great news for Gull Island this morning, everyone!"] == "embed"         # embeds
    assert not any("ten years" in t for t in texts)                                      # remove
    assert not any(t.startswith("Listen to this story") for t in texts)                  # furniture_text
    assert not any("morning briefing" in t for t in texts)                               # furniture_headings


def test_a_body_selector_keeps_the_generic_furniture_removal(modules, tmp_path):
    """The sponsor box and the photo caption inside the chosen body stay out, as they do when the
    generic body finder reads the page."""
    host = modules({"gazette": EVERY_FIELD})
    texts = [p.text for p in parsed(host, "gazette", tmp_path).paragraphs]
    assert "Sponsor Message" not in texts
    assert not any("at its berth" in t for t in texts)
    assert any(t.startswith('"We heard the islanders') for t in texts)


def test_fields_shaping_the_body_apply_without_a_body_selector(modules, tmp_path):
    """No body selector: the generic finder says where the story is, the plugin's remove and
    furniture_text still apply inside it."""
    source = EVERY_FIELD.replace("body=(\"//div[@id='storytext']\",),", "")
    assert source != EVERY_FIELD
    host = modules({"gazette": source})
    texts = [p.text for p in parsed(host, "gazette", tmp_path).paragraphs]
    assert any(t.startswith("Skipper Tom Hale") for t in texts)
    assert not any("ten years" in t for t in texts)
    assert not any(t.startswith("Listen to this story") for t in texts)


def test_without_selectors_the_page_is_read_as_the_generic_plugin_reads_it(modules, tmp_path):
    host = modules({"plain": EVERY_FIELD.replace("selectors = Selectors(", "unused = dict(")})
    article = parsed(host, "plain", tmp_path)
    generic = host.call("quoteledger_parse", "generic", document=read_document(str(tmp_path / "ferry-plan.html")),
                        outlet=host.outlets["(generic)"])
    assert [p.text for p in article.paragraphs] == [p.text for p in generic.paragraphs]
    assert article.headline == "JSON-LD headline" and article.byline == ["Ld Author"]


@pytest.mark.parametrize("selectors, message", [
    ("body=(\"//div[@id='storytext'\",)", "selectors.body \"//div[@id='storytext'\" is not valid XPath"),
    ("headline=\"//h1\"", "selectors.headline is a string; fix: make it a tuple, ('//h1',)"),
    ("section=('matches(//a, \"x\")',)", "cannot be evaluated (Unregistered function)"),
    ("furniture_text=('(unclosed',)", "selectors.furniture_text '(unclosed' is not a regular expression"),
    ("dateline_text=('^X',)", "selectors.dateline_text must be one regular expression (a string)"),
])
def test_a_selector_that_can_never_work_is_refused_at_load(modules, selectors, message):
    source = EVERY_FIELD + f"import dataclasses\nPlugin.selectors = dataclasses.replace(Plugin.selectors, {selectors})\n"
    err = io.StringIO()
    host = modules({"gazette": source}, stderr=err)
    assert message in host.plugins["gazette"].error
    assert "plugin gazette failed to load and is skipped" in err.getvalue()
    assert "gazette" not in host.outlet_owner.values()


def test_strict_mode_makes_a_broken_selector_fatal(modules):
    source = EVERY_FIELD.replace("//div[@id='storytext']", "//div[@id='storytext'")
    with pytest.raises(SystemExit, match="QUOTELEDGER_STRICT_PLUGINS=1 and plugin gazette failed to load"):
        modules({"gazette": source}, strict=True)


def example_folder(tmp_path: Path, plugin: str) -> Path:
    folder = tmp_path / "examples" / plugin
    folder.mkdir(parents=True)
    (folder / "ferry-plan.html").write_text(PAGE, encoding="utf-8")
    return folder


def test_a_selector_matching_nothing_on_any_example_fails_the_check(modules, tmp_path):
    example_folder(tmp_path, "gazette")
    typo = EVERY_FIELD.replace("//div[@class='slug']/a", "//div[@class='slugs']/a")
    host = modules({"gazette": typo})
    problems = check_selectors(host, "gazette")
    assert problems == ["plugin gazette: selectors.section \"//div[@class='slugs']/a\" matches nothing on any "
                        "of its 1 example page(s); fix: correct it, or capture an example of the page template it "
                        "is for, or remove it (or, to keep it for a template no example shows yet, list it in the "
                        "plugin's untested_selectors)"]


def test_untested_selectors_must_be_selectors_that_match_no_example(modules, tmp_path):
    example_folder(tmp_path, "gazette")
    source = EVERY_FIELD.replace("//div[@class='slug']/a", "//div[@class='slugs']/a").replace(
        "plugin = Plugin()", "Plugin.untested_selectors = (\"//div[@class='slugs']/a\", \"//h1\", "
                             "\"//div[@class='storytitle']/h1\")\nplugin = Plugin()")
    host = modules({"gazette": source})
    assert check_selectors(host, "gazette") == [
        "plugin gazette: untested_selectors lists '//h1', which is none of its XPath selectors; fix: take it off the list",
        "plugin gazette: selectors.headline \"//div[@class='storytitle']/h1\" is listed in untested_selectors but "
        "matches example ferry-plan.html; fix: take it off the list"]


def test_every_selector_matching_an_example_passes(modules, tmp_path):
    example_folder(tmp_path, "gazette")
    host = modules({"gazette": EVERY_FIELD})
    assert check_selectors(host, "gazette") == []


SECOND = '''
"""A second plugin reading one of the first one's domains."""
from quoteledger.outlet import Outlet
from quoteledger_plugins.generic import PagePlugin

class Plugin(PagePlugin):
    outlets = (Outlet(name="Coast Weekly", publisher="Coast Weekly Ltd", domains=({domains}),{extra}),)

plugin = Plugin()
'''


def test_a_domain_another_plugin_claims_at_the_same_priority_is_reported(modules):
    err = io.StringIO()
    host = modules({"gazette": EVERY_FIELD,
                    "coastweekly": SECOND.format(domains="'coastweekly.example', 'news.harbourgazette.co.uk'",
                                                 extra="")}, stderr=err)
    expected = ("outlet 'Coast Weekly' reads news.harbourgazette.co.uk, as does outlet 'The Harbour Gazette' of "
                "plugin gazette at the same priority 100; their pages go to 'Coast Weekly' by name alone; fix: "
                "remove the domain, declare replaces='The Harbour Gazette', or give the outlets different priorities")
    assert expected in host.plugins["coastweekly"].warnings
    assert expected in err.getvalue()
    assert any("as does outlet 'Coast Weekly'" in w for w in host.plugins["gazette"].warnings)
    assert any(expected in p for p in check_metadata(host, "coastweekly"))


def test_a_different_priority_is_no_tie(modules):
    host = modules({"gazette": EVERY_FIELD,
                    "coastweekly": SECOND.format(domains="'coastline-radio.example',", extra=" priority=150")})
    assert host.plugins["coastweekly"].warnings == [] and host.plugins["gazette"].warnings == []


def test_a_builtin_outlets_domain_is_reported_to_the_newcomer_only(modules):
    host = modules({"coastweekly": SECOND.format(domains="'edition.cnn.com',", extra="")})
    assert any("as does outlet 'CNN' of plugin cnn" in w for w in host.plugins["coastweekly"].warnings)
    assert host.plugins["cnn"].warnings == []


def test_strict_mode_makes_a_shared_domain_fatal(modules):
    with pytest.raises(SystemExit, match="QUOTELEDGER_STRICT_PLUGINS=1 and plugin\\(s\\) coastweekly loaded with "
                                         "warnings: outlet 'Coast Weekly' reads edition.cnn.com"):
        modules({"coastweekly": SECOND.format(domains="'edition.cnn.com',", extra="")}, strict=True)
