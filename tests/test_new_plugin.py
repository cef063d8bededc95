"""`quoteledger new-plugin` end to end, as a newcomer meets it: the package it writes is installed
into a fresh virtual environment together with quoteledger (python -m venv, pip install),
`quoteledger plugins` lists it, `quoteledger extract` uses it for a page of its domain; its own
tests (the conformance kit) ask for an example of its own, pass once one is captured and selectors
of every documented kind are added, and fail, naming the fix, for each mistake an author makes.
Also: what the scaffold refuses."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

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
    assert sorted(p.name for p in examples.iterdir()) == ["invented-sample.html", "invented-sample.html.expected.json"]
    sample = (examples / "invented-sample.html").read_text("utf-8")
    assert "harbourgazette.co.uk" not in sample and "Invented by `quoteledger new-plugin`" in sample
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


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plugin_author"


def kit(env, package):
    return env.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=package, check=False)


def test_right_after_install_the_kit_asks_for_an_example_of_its_own(installed):
    """The invented sample runs, but only test_has_examples fails, naming the fix."""
    env, package, root = installed
    examples = package / "quoteledger_harbour_gazette" / "examples" / "harbour-gazette"
    assert sorted(p.name for p in examples.iterdir())[0] == "invented-sample.html"
    first = kit(env, package)
    assert first.returncode == 1 and "1 failed" in first.stdout, first.stdout
    assert "test_has_examples" in first.stdout and "has no examples of its own" in first.stdout
    assert "--plugin harbour-gazette --invented" in first.stdout


@pytest.fixture(scope="module")
def authored(installed):
    """The plugin after its author captured an invented page and added selectors of every kind:
    the kit first shows the changed output, then --force records it."""
    env, package, root = installed
    page = root / "ferry-plan.html"
    shutil.copy(FIXTURES / "ferry-plan.html", page)
    assert env.run("quoteledger", "capture", page, "--plugin", "harbour-gazette", "--invented").returncode == 0
    module = package / "quoteledger_harbour_gazette" / "__init__.py"
    source = module.read_text("utf-8")
    assert "    selectors = Selectors()\n" in source
    module.write_text(source.replace("    selectors = Selectors()\n", (FIXTURES / "selectors.txt").read_text("utf-8")),
                      encoding="utf-8")
    changed = kit(env, package)
    assert changed.returncode == 1 and "output differs from the reviewed" in changed.stdout, changed.stdout
    examples = package / "quoteledger_harbour_gazette" / "examples" / "harbour-gazette"
    assert env.run("quoteledger", "capture", examples / "ferry-plan.html", "--plugin", "harbour-gazette",
                   "--force").returncode == 0
    return env, package, examples


def test_with_selectors_of_every_kind_the_kit_passes(authored):
    env, package, examples = authored
    expected = json.loads((examples / "ferry-plan.html.expected.json").read_text("utf-8"))
    story = expected["stories"][0]
    assert (story["headline"], story["byline"]) == ("Island ferry will run all winter", ["Mara Quist"])
    assert {q["kind"] for q in story["quotations"]} == {"full"}
    done = kit(env, package)
    assert done.returncode == 0 and "failed" not in done.stdout, done.stdout
    assert env.run("quoteledger", "plugins", "check", "harbour-gazette").returncode == 0


MISTAKES = [
    ("an XPath that is not XPath", "//div[@id='storytext']", "//div[@id='storytext'", None,
     ["is not valid XPath", "fix: correct the expression"]),
    ("a lone string for a tuple", 'section=("//div[@class=\'slug\']/a",)', 'section="//div[@class=\'slug\']/a"', None,
     ["selectors.section is a string; fix: make it a tuple"]),
    ("a selector matching nothing", "//div[@class='slug']/a", "//div[@class='slugs']/a", None,
     ["matches nothing on any of its 1 example page(s); fix: correct it"]),
    ("a domain another plugin reads", 'domains=("harbourgazette.co.uk",)', 'domains=("harbourgazette.co.uk", "cnn.com")',
     None, ["as does outlet 'CNN' of plugin cnn at the same priority 100", "fix: remove the domain"]),
    ("an example page deleted", None, None, "ferry-plan.html",
     ["reviewed output of a page that is not there", "fix: put the page back"]),
]


@pytest.mark.parametrize("what, old, new, delete, messages", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_fails_the_kit_naming_the_fix(authored, what, old, new, delete, messages):
    env, package, examples = authored
    module = package / "quoteledger_harbour_gazette" / "__init__.py"
    source, page = module.read_text("utf-8"), (examples / "ferry-plan.html").read_bytes()
    try:
        if old is not None:
            assert old in source
            module.write_text(source.replace(old, new, 1), encoding="utf-8")
        if delete:
            (examples / delete).unlink()
        broken = kit(env, package)
        assert broken.returncode == 1, broken.stdout
        for message in messages:
            assert message in broken.stdout, f"{what}: the kit does not say {message!r}:\n{broken.stdout[-3000:]}"
    finally:
        module.write_text(source, encoding="utf-8")
        (examples / "ferry-plan.html").write_bytes(page)
    assert kit(env, package).returncode == 0


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
    assert done.returncode == 2 and "exists and is not an empty folder" in done.stderr


def test_new_plugin_works_whatever_the_allow_and_deny_lists_say(tmp_path):
    """QUOTELEDGER_PLUGINS once made new-plugin fail with a KeyError and leave half a package."""
    env = {**os.environ, "QUOTELEDGER_PLUGINS": "bbc", "QUOTELEDGER_DISABLE_PLUGINS": "harbour"}
    done = subprocess.run([sys.executable, "-m", "quoteledger.cli", "new-plugin", "harbour", "--domain",
                           "harbour.example", "--dir", str(tmp_path)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    examples = tmp_path / "quoteledger-harbour" / "quoteledger_harbour" / "examples" / "harbour"
    assert json.loads((examples / "invented-sample.html.expected.json").read_text("utf-8"))["plugin"] == "harbour"
    clash = subprocess.run([sys.executable, "-m", "quoteledger.cli", "new-plugin", "bbc-two", "--domain", "bbc.co.uk",
                            "--dir", str(tmp_path)], capture_output=True, text=True,
                           env={**os.environ, "QUOTELEDGER_DISABLE_PLUGINS": "bbc"})
    assert clash.returncode == 2 and "already belongs to outlet 'BBC News'" in clash.stderr


@pytest.mark.parametrize("option", [["--outlet", "Harbour\nGazette"], ["--publisher", "Gazette\x1bMedia"],
                                    ["--outlet", " Harbour"]])
def test_names_that_would_break_the_package_are_refused(tmp_path, option):
    done = quoteledger("new-plugin", "harbour", "--domain", "harbour.example", "--dir", str(tmp_path), *option)
    assert done.returncode == 2 and "names cannot" in done.stderr
    assert not list(tmp_path.iterdir())


def test_a_failure_while_making_the_package_leaves_nothing(tmp_path, monkeypatch):
    import quoteledger.scaffold as scaffold

    def fails(spec, folder):
        raise scaffold.ScaffoldError("the sample page is not read by the new plugin as it should be")
    monkeypatch.setattr(scaffold, "capture_sample", fails)
    with pytest.raises(ScaffoldError):
        scaffold.write_package(make_spec("harbour", "harbour.example"), tmp_path / "quoteledger-harbour")
    assert not list(tmp_path.iterdir())


def test_the_wheel_ships_the_authors_examples_only(authored, tmp_path):
    """A page saved from the site (local/) and the invented sample stay out of the built package."""
    env, package, examples = authored
    saved = tmp_path / "saved-from-the-site.html"
    shutil.copy(FIXTURES / "ferry-plan.html", saved)
    assert env.run("quoteledger", "capture", saved, "--plugin", "harbour-gazette").returncode == 0
    assert (examples / "local" / "saved-from-the-site.html").is_file()
    assert (examples / "local" / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    try:
        env.run("python", "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path / "dist", package)
        shipped = zipfile.ZipFile(next((tmp_path / "dist").glob("*.whl"))).namelist()
    finally:
        shutil.rmtree(examples / "local")
    inside = sorted(n.split("examples/harbour-gazette/", 1)[1] for n in shipped if "examples/harbour-gazette/" in n)
    assert inside == ["ferry-plan.html", "ferry-plan.html.expected.json"], shipped


def test_capture_refuses_a_plugin_installed_without_e(authored, tmp_path):
    """After a plain `pip install` the plugin's examples folder is in the venv's site-packages:
    capture refuses to write there (it once did, and the copy later shadowed the checkout)."""
    env, package, examples = authored
    page = tmp_path / "saved.html"
    shutil.copy(FIXTURES / "ferry-plan.html", page)
    env.run("python", "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", package)
    try:
        done = env.run("quoteledger", "capture", page, "--plugin", "harbour-gazette", check=False)
        assert done.returncode == 2 and "an installed copy of the package" in done.stderr, done.stderr
        assert "pip install -e PATH" in done.stderr
        site = env.run("python", "-c", "import quoteledger_harbour_gazette as m; print(m.__file__)").stdout.strip()
        assert "site-packages" in site and not list(Path(site).parent.glob("examples/*/local"))
    finally:
        env.run("python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", package)
    assert env.run("quoteledger", "capture", page, "--plugin", "harbour-gazette").returncode == 0
    shutil.rmtree(examples / "local")
