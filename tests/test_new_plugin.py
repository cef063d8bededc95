"""`quoteledger new-plugin` end to end: the package it writes is installed into a fresh virtual
environment together with quoteledger (python -m venv, pip install), `quoteledger plugins` lists it,
`quoteledger extract` uses it for a page of its domain, and its own tests (the conformance kit)
pass right after `pip install -e`. Also: what the scaffold refuses."""
from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from quoteledger.scaffold import ScaffoldError, check_collisions, make_spec
from quoteledger.plugins import PluginHost
from quoteledger.testing.venv import FreshVenv, project_root

PAGE = """<!DOCTYPE html><html><head><title>Lifeboat crew rescues two kayakers</title>
<link rel="canonical" href="https://www.harbourgazette.co.uk/news/lifeboat-kayakers">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Lifeboat crew rescues two kayakers",
"datePublished":"2025-01-04T10:00:00Z","author":{"@type":"Person","name":"Ivo Marsh"}}</script></head>
<body><article><h1>Lifeboat crew rescues two kayakers</h1>
<p>Two kayakers were rescued off Gull Point on Saturday after their boats capsized in a squall.</p>
<p>"They did everything right, they stayed with their boats," said coxswain Liam Tregear after the rescue.</p>
<p>Both were checked by paramedics and released.</p></article></body></html>"""


def quoteledger(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "quoteledger.cli", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A plugin made by new-plugin, installed with quoteledger into a fresh virtual environment."""
    root = tmp_path_factory.mktemp("new-plugin")
    made = quoteledger("new-plugin", "harbour-gazette", "--domain", "harbourgazette.co.uk",
                       "--outlet", "The Harbour Gazette", "--publisher", "Gazette Media", "--dir", str(root))
    assert made.returncode == 0, made.stderr
    package = root / "quoteledger-harbour-gazette"
    env = FreshVenv(root / "venv")
    env.pip_install(str(project_root()), "pytest")
    env.pip_install("-e", str(package))
    return env, package, root


def test_new_plugin_writes_a_complete_package(installed):
    env, package, root = installed
    project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["entry-points"]["quoteledger"] == {"harbour-gazette": "quoteledger_harbour_gazette:plugin"}
    module = (package / "quoteledger_harbour_gazette" / "__init__.py").read_text("utf-8")
    assert 'name="The Harbour Gazette"' in module and 'domains=("harbourgazette.co.uk",)' in module
    examples = package / "quoteledger_harbour_gazette" / "examples" / "harbour-gazette"
    assert sorted(p.name for p in examples.iterdir()) == ["sample-article.html", "sample-article.html.expected.json"]
    assert "PluginConformance" in (package / "tests" / "test_conformance.py").read_text("utf-8")
    assert "pip install -e ." in (package / "README.md").read_text("utf-8")


def test_quoteledger_plugins_lists_the_installed_plugin(installed):
    env, package, root = installed
    out = env.run("quoteledger", "plugins").stdout
    assert "harbour-gazette (quoteledger-harbour-gazette 0.1.0)" in out
    assert "outlet The Harbour Gazette (priority 100, publisher Gazette Media, domains harbourgazette.co.uk)" in out


def test_quoteledger_extract_uses_it_for_a_page_of_its_domain(installed):
    env, package, root = installed
    page = root / "lifeboat.html"
    page.write_text(PAGE, encoding="utf-8")
    records = [json.loads(line) for line in env.run("quoteledger", "extract", page).stdout.splitlines()]
    assert len(records) == 1
    publisher = records[0]["article"]["publisher"]
    assert (publisher["plugin"], publisher["outlet"], publisher["organization"]) == \
        ("harbour-gazette", "The Harbour Gazette", "Gazette Media")
    assert records[0]["speaker"]["name"] == "Liam Tregear"


def test_its_own_tests_pass_right_after_pip_install_e(installed):
    env, package, root = installed
    done = env.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=package)
    assert " passed" in done.stdout and "failed" not in done.stdout and "skipped" not in done.stdout, done.stdout
    assert "test_example[sample-article.html] PASSED" in env.run(
        "python", "-m", "pytest", "-v", "-p", "no:cacheprovider", cwd=package).stdout
    assert env.run("quoteledger", "plugins", "check", "harbour-gazette").returncode == 0


def test_scaffold_refuses_a_domain_an_installed_outlet_owns():
    host = PluginHost()
    with pytest.raises(ScaffoldError, match="bbc.co.uk already belongs to outlet 'BBC News' of plugin bbc; "
                                            "pass --replaces 'BBC News'"):
        check_collisions(make_spec("bbc-extra", "https://www.bbc.co.uk/news"), host)
    check_collisions(make_spec("bbc-extra", "bbc.co.uk", outlet="BBC Extra", replaces="BBC News"), host)
    with pytest.raises(ScaffoldError, match="already installed"):
        check_collisions(make_spec("bbc", "example.org"), host)


@pytest.mark.parametrize("name, domain, message", [
    ("Harbour Gazette", "harbourgazette.co.uk", "use lower-case letters"),
    ("harbour", "not a domain", "give the site's host name"),
])
def test_scaffold_refuses_bad_names(name, domain, message):
    with pytest.raises(ScaffoldError, match=message):
        make_spec(name, domain)


def test_new_plugin_never_writes_into_a_folder_that_holds_files(tmp_path):
    (tmp_path / "quoteledger-harbour").mkdir()
    (tmp_path / "quoteledger-harbour" / "keep.txt").write_text("mine")
    done = quoteledger("new-plugin", "harbour", "--domain", "harbour.example", "--dir", str(tmp_path))
    assert done.returncode == 2 and "exists and is not empty" in done.stderr
