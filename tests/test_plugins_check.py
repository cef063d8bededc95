"""`quoteledger capture` and `quoteledger plugins check`: an example is captured for review (a
page saved from the site into local/, out of git and the wheel; an invented one into the examples
folder), a changed output is shown as a difference with a paste-ready expected block, and a
refused capture never loses, moves or leaves a file."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from quoteledger import cli, plugins as plugins_module
from quoteledger.plugins import PluginHost

EXAMPLES = Path(plugins_module.__file__).resolve().parent.parent / "plugins" / "examples"


@pytest.fixture
def scratch_host(tmp_path, monkeypatch):
    """The installed plugins, with the BBC plugin's examples in a scratch folder."""
    host = PluginHost(stderr=io.StringIO())
    folder = tmp_path / "bbc-examples"
    folder.mkdir()
    monkeypatch.setattr(host.pm.get_plugin("bbc"), "examples", str(folder), raising=False)
    monkeypatch.setattr(plugins_module, "_HOST", host)
    yield host, folder
    monkeypatch.delattr(host.pm.get_plugin("bbc"), "examples", raising=False)


def test_capture_writes_the_example_and_its_expected_output(scratch_host, tmp_path, capsys):
    host, folder = scratch_host
    page = tmp_path / "ferry.html"
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", page)
    assert cli.main(["capture", str(page), "--plugin", "bbc"]) == 0
    out = capsys.readouterr().out
    assert "Euan Craig: \u201cWe got it wrong" in out and "review it" in out
    assert "out of git and the wheel" in out
    local = folder / "local"
    expected = json.loads((local / "ferry.html.expected.json").read_text("utf-8"))
    assert expected["plugin"] == "bbc" and expected["stories"][0]["outlet"] == "BBC News"
    assert expected["stories"][0]["byline"] == ["Iona Baird"]
    assert (local / "ferry.html").read_bytes() == page.read_bytes()
    assert (local / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert not (folder / "ferry.html").exists()
    capsys.readouterr()
    cli.main(["plugins", "check", "bbc"])
    assert "ok   bbc: example local/ferry.html" in capsys.readouterr().out


def test_an_invented_page_goes_into_the_examples_folder_itself(scratch_host, tmp_path, capsys):
    host, folder = scratch_host
    page = tmp_path / "ferry.html"
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", page)
    assert cli.main(["capture", str(page), "--plugin", "bbc", "--invented"]) == 0
    assert "out of git" not in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["ferry.html", "ferry.html.expected.json"]
    # The same name cannot then be captured as a saved page too: one name, one example.
    assert cli.main(["capture", str(page), "--plugin", "bbc"]) == 1
    assert "an example named ferry.html is already in" in capsys.readouterr().err
    assert not (folder / "local").exists()

def test_check_prints_the_difference_and_a_paste_ready_block(scratch_host, tmp_path, capsys):
    host, folder = scratch_host
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", folder / "ferry.html")
    assert cli.main(["capture", str(folder / "ferry.html"), "--plugin", "bbc"]) == 0
    assert not (folder / "local").exists(), "a page already in the examples folder stays where it is"
    reviewed = folder / "ferry.html.expected.json"
    data = json.loads(reviewed.read_text("utf-8"))
    data["stories"][0]["quotations"][0]["speaker"] = "Someone Else"
    reviewed.write_text(json.dumps(data, indent=2), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["plugins", "check", "bbc"]) == 1
    out = capsys.readouterr().out
    assert "FAIL bbc: example ferry.html" in out
    assert '-          "speaker": "Someone Else"' in out and '+          "speaker": "Euan Craig"' in out
    assert "paste-ready expected block for" in out
    block = out[out.index("paste-ready"):].split("\n", 1)[1]
    pasted = json.loads(block[:block.index("\n}\n") + 2])
    assert pasted["stories"][0]["quotations"][0]["speaker"] == "Euan Craig"
    # capture refuses to overwrite a reviewed example unless told to
    assert cli.main(["capture", str(folder / "ferry.html"), "--plugin", "bbc"]) == 1
    assert cli.main(["capture", str(folder / "ferry.html"), "--plugin", "bbc", "--force"]) == 0
    capsys.readouterr()
    cli.main(["plugins", "check", "bbc"])     # its other checks fail: one example shows few of its selectors
    assert "ok   bbc: example ferry.html" in capsys.readouterr().out


def test_capture_refuses_a_page_another_plugin_claims(scratch_host, tmp_path, capsys):
    host, folder = scratch_host
    page = tmp_path / "sun.html"
    shutil.copy(EXAMPLES / "thesun" / "thesun-2024-article-content.html", page)
    assert cli.main(["capture", str(page), "--plugin", "bbc"]) == 1
    err = capsys.readouterr().err
    assert "plugin bbc does not claim this page, plugin thesun does" in err
    assert not list(folder.iterdir()), "a refused page is not left in the examples folder"


def test_check_reports_a_missing_expected_output_and_an_unknown_plugin(scratch_host, capsys):
    host, folder = scratch_host
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", folder / "new.html")
    assert cli.main(["plugins", "check", "bbc"]) == 1
    assert "no expected output; run `quoteledger capture" in capsys.readouterr().out
    assert cli.main(["plugins", "check", "no-such-plugin"]) == 2


def test_a_plugin_without_examples_fails_the_check(scratch_host, capsys):
    assert cli.main(["plugins", "check", "bbc"]) == 1
    assert "plugin bbc has no examples" in capsys.readouterr().out


def test_a_refused_recapture_loses_nothing(scratch_host, tmp_path, capsys):
    """Re-capturing a copy of an example's page without --force, when the reviewed output differs,
    is refused and leaves the page and its reviewed output as they were (it once deleted the page)."""
    host, folder = scratch_host
    page = tmp_path / "ferry.html"
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", page)
    assert cli.main(["capture", str(page), "--plugin", "bbc", "--invented"]) == 0
    reviewed = folder / "ferry.html.expected.json"
    reviewed.write_text(reviewed.read_text("utf-8").replace("Euan Craig", "Someone Else"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()
    assert cli.main(["capture", str(page), "--plugin", "bbc", "--invented"]) == 1
    assert "exists and differs" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize("name", ["../outside.html", "/tmp/outside.html", "sub/x.html", ".hidden.html",
                                  "x.html.expected.json", ".."])
def test_capture_never_writes_outside_the_examples_folder(scratch_host, tmp_path, capsys, name):
    host, folder = scratch_host
    page = tmp_path / "ferry.html"
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", page)
    assert cli.main(["capture", str(page), "--plugin", "bbc", "--name", name]) == 2
    assert "capture: " in capsys.readouterr().err
    assert not list(folder.iterdir()) and not (tmp_path / "outside.html").exists()


def test_capture_refuses_to_write_into_an_installed_copy(scratch_host, tmp_path, monkeypatch, capsys):
    """After a non-editable install the examples folder is in site-packages: writing there would be
    lost on reinstall and shadow the author's checkout."""
    host, folder = scratch_host
    installed = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "quoteledger_x" / "examples" / "bbc"
    installed.mkdir(parents=True)
    monkeypatch.setattr(host.pm.get_plugin("bbc"), "examples", str(installed), raising=False)
    page = tmp_path / "ferry.html"
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", page)
    assert cli.main(["capture", str(page), "--plugin", "bbc"]) == 2
    err = capsys.readouterr().err
    assert "an installed copy of the package" in err and "pip install -e PATH" in err
    assert not list(installed.iterdir())


def test_check_suggests_capture_force_only_where_capture_accepts_it(scratch_host, tmp_path, capsys):
    """An example another plugin now claims: check says why capture would refuse it, and offers
    neither a paste-ready block nor a --force that would be refused."""
    host, folder = scratch_host
    shutil.copy(EXAMPLES / "thesun" / "thesun-2024-article-content.html", folder / "sun.html")
    (folder / "sun.html.expected.json").write_text('{"input": "sun.html", "plugin": "bbc", "stories": []}\n',
                                                   encoding="utf-8")
    assert cli.main(["plugins", "check", "bbc"]) == 1
    out = capsys.readouterr().out
    assert "capture would refuse this page as it is: sun.html: plugin bbc does not claim this page" in out
    assert "--force" not in out and "paste-ready" not in out
    assert cli.main(["capture", str(folder / "sun.html"), "--plugin", "bbc", "--force"]) == 1
