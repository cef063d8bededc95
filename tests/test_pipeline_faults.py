"""Plugin faults: a plugin that raises, hangs, returns something that is not a Document,
Article or Quotation, or builds records breaking the schema is reported with its name and the
document; that document fails; every other document and plugin goes on."""
from __future__ import annotations

import datetime
import io

import pytest

from quoteledger.hookspecs import hookimpl
from quoteledger.model import Article, Document, Paragraph, Quotation
from quoteledger.outlet import Outlet
from quoteledger.pipeline import extract_document
from quoteledger.plugins import PluginHost

STORY = ['"We will rebuild the bridge by spring," said Jane Doe, the mayor.',
         '"It is a promise," she added.']


class EntryPoint:
    """Just enough of importlib.metadata.EntryPoint for PluginHost.load."""

    def __init__(self, name, obj):
        self.name, self.obj, self.dist = name, obj, None

    def load(self):
        return self.obj


class FakeOutlet:
    """An outlet that claims documents holding its marker; fault says how it misbehaves."""

    def __init__(self, name, fault=None, container=False):
        self.name, self.fault = name, fault
        self.outlet = Outlet(name=name.title(), priority=100, container=container)

    def _mine(self, outlet):
        return outlet is self.outlet

    @hookimpl
    def quoteledger_register_outlets(self, register):
        register(self.outlet)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        if not self._mine(outlet):
            return None
        if self.fault == "detect-raises":
            raise RuntimeError("detector broke")
        if self.fault == "detect-garbage":
            return "very likely"
        return 1.0 if f"[{self.name}]" in document.text else 0.0

    @hookimpl
    def quoteledger_split(self, document, outlet):
        if not self._mine(outlet):
            return None
        if self.fault == "split-int":
            return 42
        if self.fault == "split-mixed":
            return [Document(document.source, document.text.replace(f"[{self.name}]", "[steady]"), False),
                    "not a document"]
        return None

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if not self._mine(outlet):
            return None
        if self.fault == "parse-raises":
            raise ValueError("cannot read this page")
        if self.fault == "parse-hangs":
            while True:                      # a runaway loop that even swallows exceptions
                try:
                    sum(range(100))
                except Exception:
                    pass
        if self.fault == "parse-string":
            return "an article, honestly"
        if self.fault == "parse-bad-paragraphs":
            return Article(outlet=outlet.name, paragraphs=list(STORY))
        article = Article(outlet=outlet.name, headline="Bridge", paragraphs=[Paragraph(t) for t in STORY])
        if self.fault == "article-datetime":
            article.published = datetime.datetime(2024, 1, 1)
        return article

    @hookimpl
    def quoteledger_postprocess_quotes(self, article, quotations):
        if article.outlet != self.outlet.name:
            return
        if self.fault == "post-appends-string":
            quotations.append("a quotation")
        elif self.fault == "post-bad-kind":
            quotations[0].kind = "shouted"
        elif self.fault == "post-bad-span":
            quotations[0].start += 3
        elif self.fault == "post-raises":
            raise KeyError("speaker")


FAULTS = ["detect-raises", "detect-garbage", "split-int", "split-mixed", "parse-raises", "parse-hangs",
          "parse-string", "parse-bad-paragraphs", "article-datetime", "post-appends-string", "post-bad-kind",
          "post-bad-span", "post-raises"]


def host_with(fault):
    container = fault.startswith("split")
    plugins = [FakeOutlet("steady"), FakeOutlet("faulty", fault, container=container)]
    return PluginHost(entry_points=[EntryPoint(p.name, p) for p in plugins], strict=False, stderr=io.StringIO())


def texts(result):
    # The engine keeps punctuation that sits inside the marks ("...spring," said).
    return [r["text"].rstrip(",.") for r in result.records]


def doc(marker, name):
    return Document(source=name, text=f"[{marker}]\n" + "\n\n".join(STORY), is_html=False)


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_names_plugin_and_document_and_others_go_on(fault):
    host = host_with(fault)
    bad = extract_document(doc("faulty", "bad-page.txt"), host, timeout=1.0)
    assert bad.failed, f"{fault}: the document should be marked failed"
    assert all("bad-page.txt" in e for e in bad.errors)
    if fault.startswith("detect"):
        # The host reports a broken detector once a run, on stderr, and lets the others compete:
        # nobody else claims this page, so it fails as unclaimed.
        assert "plugin faulty" in host.stderr.getvalue(), host.stderr.getvalue()
    else:
        assert any("plugin faulty" in e for e in bad.errors), bad.errors
    # The same host, the next document: the steady plugin is untouched by its neighbour's fault.
    good = extract_document(doc("steady", "good-page.txt"), host, timeout=1.0)
    assert not good.failed, good.errors
    assert texts(good) == ["We will rebuild the bridge by spring", "It is a promise"]
    assert good.records[0]["speaker"]["name"] == "Jane Doe"


def test_a_hung_plugin_is_named_with_its_hook():
    result = extract_document(doc("faulty", "slow.txt"), host_with("parse-hangs"), timeout=0.5)
    assert any("time limit" in e and "plugin faulty (quoteledger_parse)" in e for e in result.errors), result.errors


def test_sound_records_of_a_document_survive_one_bad_record():
    result = extract_document(doc("faulty", "mixed.txt"), host_with("post-bad-kind"), timeout=5)
    assert result.failed
    assert any("breaks the quote schema at $.kind" in e for e in result.errors), result.errors
    assert texts(result) == ["It is a promise"]


def test_a_split_story_that_fails_does_not_take_its_siblings():
    result = extract_document(doc("faulty", "aggregator.txt"), host_with("split-mixed"), timeout=5)
    assert result.failed
    assert any("not a Document" in e for e in result.errors)


def test_no_deadline_off_the_main_thread_still_extracts():
    import threading

    out = {}
    thread = threading.Thread(target=lambda: out.setdefault("r", extract_document(
        doc("steady", "t.txt"), host_with("post-raises"), timeout=1.0)))
    thread.start()
    thread.join(30)
    assert not out["r"].failed and len(out["r"].records) == 2
