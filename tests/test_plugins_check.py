"""`quoteledger capture` and `quoteledger plugins check`: an example is captured for review, a
changed output is shown as a difference with a paste-ready expected block, and a page another
plugin claims is refused."""
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
    expected = json.loads((folder / "ferry.html.expected.json").read_text("utf-8"))
    assert expected["plugin"] == "bbc" and expected["stories"][0]["outlet"] == "BBC News"
    assert expected["stories"][0]["byline"] == ["Iona Baird"]
    assert (folder / "ferry.html").read_bytes() == page.read_bytes()


def test_check_prints_the_difference_and_a_paste_ready_block(scratch_host, tmp_path, capsys):
    host, folder = scratch_host
    shutil.copy(EXAMPLES / "bbc" / "bbc-2024-text-block.html", folder / "ferry.html")
    assert cli.main(["capture", str(folder / "ferry.html"), "--plugin", "bbc"]) == 0
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
