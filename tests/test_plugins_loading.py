"""Loading third-party plugins: broken ones are reported clearly (naming plugin, hook and fix) and
skipped while the others go on working; explicit replacement of a built-in outlet; allow and deny
lists; strict mode. Each plugin here is a real module imported through an entry point."""
from __future__ import annotations

import io
import json
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from quoteledger import cli, plugins as plugins_module
from quoteledger.pipeline import extract_document, extract_path
from quoteledger.plugins import ENTRY_POINT_GROUP, PluginHost
from quoteledger.reading import read_document

EXAMPLES = Path(plugins_module.__file__).resolve().parent.parent / "plugins" / "examples"
BBC_PAGE = EXAMPLES / "bbc" / "bbc-2024-text-block.html"

GOOD_OUTLET = '''
"""A well-behaved third-party outlet plugin."""
from quoteledger.outlet import Outlet
from quoteledger_plugins.generic import PagePlugin

class Plugin(PagePlugin):
    outlets = (Outlet(name="{name}", publisher="{name} Ltd", domains=("{domain}",){extra}),)

plugin = Plugin()
'''

PLUGINS = {
    "raises_on_import": '''
        """Raises while being imported."""
        raise RuntimeError("cannot find my config file")
    ''',
    "unknown_hook": '''
        """Implements a hook quoteledger does not have (a typo)."""
        from quoteledger.hookspecs import hookimpl

        class Plugin:
            @hookimpl
            def quoteledger_detcet(self, document, outlet):
                return 1.0

        plugin = Plugin()
    ''',
    "extra_argument": '''
        """Names an argument the hookspec does not offer."""
        from quoteledger.hookspecs import hookimpl

        class Plugin:
            @hookimpl
            def quoteledger_detect(self, document, outlet, language):
                return 0.0

        plugin = Plugin()
    ''',
    "breaks_schema": '''
        """Reads its own outlet's pages but returns records the quote schema refuses."""
        from quoteledger.hookspecs import hookimpl
        from quoteledger.outlet import Outlet
        from quoteledger_plugins.generic import PagePlugin

        class Plugin(PagePlugin):
            outlets = (Outlet(name="Broken Times", publisher="Broken Times Ltd", domains=("brokentimes.example",)),)

            @hookimpl
            def quoteledger_postprocess_quotes(self, article, quotations):
                for quotation in quotations:
                    quotation.speaker.kind = "martian"

        plugin = Plugin()
    ''',
    "raising_detect": '''
        """Its detection raises on every page."""
        from quoteledger.hookspecs import hookimpl
        from quoteledger.outlet import Outlet
        from quoteledger_plugins.generic import PagePlugin

        class Plugin(PagePlugin):
            outlets = (Outlet(name="Shaky News", publisher="Shaky", domains=("shaky.example",)),)

            def detect(self, document, outlet):
                raise KeyError("og:title")

        plugin = Plugin()
    ''',
}

BROKEN_TIMES_PAGE = """<!DOCTYPE html><html><head><title>Mayor opens bridge</title>
<link rel="canonical" href="https://brokentimes.example/news/bridge"></head><body><article>
<h1>Mayor opens bridge</h1><p>The new bridge opened on Monday after two years of work on the river.</p>
<p>"It is a great day for the town," said Mayor Ann Holt at the ribbon cutting.</p></article></body></html>"""


def write_module(folder: Path, name: str, source: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def entry_point(name: str, value: str):
    return metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def builtin_entry_points() -> list:
    return sorted((ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
                   if ep.value.startswith("quoteledger_plugins.")), key=lambda ep: ep.name)


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    for name, source in PLUGINS.items():
        write_module(tmp_path, name, source)
    yield tmp_path
    # Each test writes its own modules: forget them so the next test imports its own.
    for name in [n for n, m in sys.modules.items() if str(getattr(m, "__file__", "")).startswith(str(tmp_path))]:
        del sys.modules[name]


def host_with(names, stderr=None, extra=()):
    eps = builtin_entry_points() + [entry_point(n, f"{n}:plugin") for n in names] + list(extra)
    return PluginHost(entry_points=eps, stderr=stderr or io.StringIO(), strict=False)


def test_plugin_that_raises_on_import_is_reported_with_its_file_and_skipped(plugin_dir):
    err = io.StringIO()
    host = host_with(["raises_on_import"], stderr=err)
    error = host.plugins["raises_on_import"].error
    assert "importing raises_on_import:plugin raised RuntimeError: cannot find my config file" in error
    assert "raises_on_import.py:3" in error
    assert "plugin raises_on_import failed to load and is skipped" in err.getvalue()
    assert extract_path(str(BBC_PAGE), host).records, "the built-in plugins must go on working"


def test_unknown_hook_is_refused_naming_plugin_hook_and_fix(plugin_dir):
    host = host_with(["unknown_hook"])
    error = host.plugins["unknown_hook"].error
    assert "plugin unknown_hook: implements unknown hook quoteledger_detcet" in error
    assert "fix: rename it to quoteledger_detect" in error
    assert host.pm.get_plugin("unknown_hook") is None
    assert extract_path(str(BBC_PAGE), host).records


def test_argument_the_hookspec_lacks_is_refused_naming_plugin_hook_and_fix(plugin_dir):
    host = host_with(["extra_argument"])
    error = host.plugins["extra_argument"].error
    assert "plugin extra_argument: hook quoteledger_detect names argument(s) language" in error
    assert "fix: remove them (the hook offers: document, outlet)" in error
    assert extract_path(str(BBC_PAGE), host).records


def test_pluggy_validation_errors_are_reported_the_same_way(plugin_dir):
    """pluggy's own refusals (here a wrapper that is not a generator) come back naming the plugin."""
    write_module(plugin_dir, "bad_wrapper", '''
        """A wrapper that is not a generator."""
        from quoteledger.hookspecs import hookimpl
        class Plugin:
            @hookimpl(wrapper=True)
            def quoteledger_parse(self, document, outlet):
                return None
        plugin = Plugin()
    ''')
    host = host_with(["bad_wrapper"])
    assert host.plugins["bad_wrapper"].error.startswith("plugin bad_wrapper: Plugin 'bad_wrapper' for hook 'quoteledger_parse'")


def test_records_breaking_the_schema_are_reported_and_never_written(plugin_dir, tmp_path):
    host = host_with(["breaks_schema"])
    page = tmp_path / "broken-times.html"
    page.write_text(BROKEN_TIMES_PAGE, encoding="utf-8")
    result = extract_path(str(page), host)
    assert result.records == []
    assert result.errors and all("plugin breaks_schema" in e for e in result.errors)
    assert "breaks the quote schema at $.speaker.kind" in result.errors[0]
    assert "'martian' is not one of" in result.errors[0]
    assert extract_path(str(BBC_PAGE), host).records, "other plugins' pages still give records"


def test_detection_that_raises_is_reported_once_and_the_page_goes_to_another_plugin(plugin_dir):
    err = io.StringIO()
    host = host_with(["raising_detect"], stderr=err)
    for _ in range(2):
        # Without its canonical link: a page's address alone picks its outlet, asking no detector.
        page = read_document(str(BBC_PAGE))
        page.text = page.text.replace('<link rel="canonical" href="https://www.bbc.com/news/articles/c9x2ferry11o">', "")
        assert "canonical" not in page.text
        result = extract_document(page, host)
        assert result.records and not result.errors
        # Each document tells it too, so the command says it on that file and exits 1.
        assert len(result.plugin_faults) == 1
        assert "plugin raising_detect: quoteledger_detect raised KeyError" in result.plugin_faults[0]
        assert result.plugin_faults[0].startswith(page.source)
    assert err.getvalue().count("plugin raising_detect: quoteledger_detect raised KeyError") == 1


FERRY_STORY = 'Ferry service resumes\n\n"We are back on the water," said harbour master Ann Kale.\n'


def assert_the_page_was_read(command: str, out: str, err: str) -> None:
    """What the other plugins read of FERRY_STORY is all there, whatever a broken plugin did."""
    if command == "extract":
        assert "We are back on the water" in out
    elif command == "ingest":
        assert "1 new" in err
    else:
        assert json.loads(out)["paragraphs"]


@pytest.mark.parametrize("command", ["extract", "ingest", "parse"])
def test_a_detector_that_raises_keeps_the_page_but_the_run_exits_1(plugin_dir, monkeypatch, capsys, tmp_path, command):
    # The page is read by the other plugins (nothing lost), and the broken plugin is never silent:
    # its fault is told with the file, and the exit status says something failed.
    page = tmp_path / "story.txt"
    page.write_text(FERRY_STORY)
    monkeypatch.setattr(plugins_module, "_HOST", host_with(["raising_detect"]))
    extra = ["--ledger", str(tmp_path / "l.db")] if command == "ingest" else ["--timeout", "0"]
    assert cli.main([command, str(page), *extra]) == 1
    out, err = capsys.readouterr()
    assert f"{page}: plugin raising_detect: quoteledger_detect raised KeyError" in err
    assert_the_page_was_read(command, out, err)


def test_on_the_dask_engine_a_partition_counts_the_pages_a_detector_broke_on(plugin_dir, monkeypatch, tmp_path):
    from quoteledger.distributed import combine, extract_partition

    page = tmp_path / "story.txt"
    page.write_text(FERRY_STORY)
    monkeypatch.setattr(plugins_module, "_HOST", host_with(["raising_detect"]))
    one = extract_partition([str(page)], timeout=0)
    assert one.faulted == 1 and not one.failed and one.partial.sightings
    assert any("plugin raising_detect: quoteledger_detect raised KeyError" in line for line in one.errors)
    assert combine(one, one).faulted == 2


@pytest.mark.parametrize("command", ["extract", "ingest", "parse"])
def test_a_plugin_that_fails_to_load_costs_nothing_read_but_the_run_exits_1(plugin_dir, monkeypatch, capsys, tmp_path,
                                                                          command):
    page = tmp_path / "story.txt"
    page.write_text(FERRY_STORY)
    monkeypatch.setattr(plugins_module, "_HOST", host_with(["raises_on_import"]))
    extra = ["--ledger", str(tmp_path / "l.db")] if command == "ingest" else []
    assert cli.main([command, str(page), *extra]) == 1
    out, err = capsys.readouterr()
    assert "1 installed plugin(s) could not be used (raises_on_import; why is said above): exit status 1" in err
    assert_the_page_was_read(command, out, err)


def test_strict_mode_makes_a_load_failure_fatal(plugin_dir):
    with pytest.raises(SystemExit, match="QUOTELEDGER_STRICT_PLUGINS=1 and plugin raises_on_import failed"):
        PluginHost(entry_points=[entry_point("raises_on_import", "raises_on_import:plugin")],
                   strict=True, stderr=io.StringIO())


def test_allow_list_and_deny_list(plugin_dir, monkeypatch):
    monkeypatch.setenv("QUOTELEDGER_PLUGINS", "bbc, generic")
    host = host_with(["unknown_hook"])
    assert sorted(host.plugins) == ["bbc", "generic"]
    assert host.skipped["unknown_hook"] == "not in QUOTELEDGER_PLUGINS"
    monkeypatch.delenv("QUOTELEDGER_PLUGINS")
    monkeypatch.setenv("QUOTELEDGER_DISABLE_PLUGINS", "bbc,raises_on_import")
    host = host_with(["raises_on_import"])
    assert "bbc" not in host.plugins and "raises_on_import" not in host.plugins
    assert host.skipped == {"bbc": "in QUOTELEDGER_DISABLE_PLUGINS", "raises_on_import": "in QUOTELEDGER_DISABLE_PLUGINS"}
    assert host.choose(read_document(str(BBC_PAGE))).plugin == "generic"


def test_declared_replacement_wins_whatever_the_load_order(plugin_dir):
    write_module(plugin_dir, "bbc_plus", GOOD_OUTLET.format(name="BBC News Plus", domain="bbc.com",
                                                            extra=', replaces="BBC News"'))
    ep = entry_point("aaa_bbc_plus", "bbc_plus:plugin")     # sorts before "bbc": load order must not matter
    for eps in ([ep] + builtin_entry_points(), builtin_entry_points() + [ep]):
        host = PluginHost(entry_points=eps, stderr=io.StringIO(), strict=False)
        assert "BBC News" not in host.outlets
        assert host.outlet_owner["BBC News Plus"] == "aaa_bbc_plus"
        assert host.replaced == [("aaa_bbc_plus", "BBC News", "bbc")]
        assert host.choose(read_document(str(BBC_PAGE))).plugin == "aaa_bbc_plus"


def test_an_outlet_name_collision_without_replaces_is_refused(plugin_dir):
    write_module(plugin_dir, "bbc_clash", GOOD_OUTLET.format(name="BBC News", domain="bbc.co.uk", extra=""))
    err = io.StringIO()
    host = host_with(["bbc_clash"], stderr=err)
    assert host.outlet_owner["BBC News"] == "bbc"
    assert "fix: declare replaces='BBC News' to replace it" in err.getvalue()


def test_plugins_command_shows_who_replaced_whom_and_load_errors(plugin_dir, monkeypatch, capsys):
    write_module(plugin_dir, "bbc_plus", GOOD_OUTLET.format(name="BBC News Plus", domain="bbc.co.uk",
                                                            extra=', replaces="BBC News"'))
    host = host_with(["raises_on_import", "unknown_hook"], extra=[entry_point("bbc_plus", "bbc_plus:plugin")])
    monkeypatch.setattr(plugins_module, "_HOST", host)
    assert cli.main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "outlet BBC News Plus (priority 100, publisher BBC News Plus Ltd, domains bbc.co.uk, replaces BBC News)" in out
    assert "outlet BBC News REPLACED by plugin bbc_plus" in out
    assert "bbc_plus replaces outlet BBC News of bbc" in out
    assert "LOAD ERROR: plugin unknown_hook: implements unknown hook quoteledger_detcet" in out
    assert cli.main(["plugins", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["replaced"] == [{"plugin": "bbc_plus", "outlet": "BBC News", "replaced_plugin": "bbc"}]
    bbc = next(p for p in data["plugins"] if p["name"] == "bbc")
    assert bbc["replaced_outlets"] == [{"outlet": "BBC News", "by": "bbc_plus"}]
