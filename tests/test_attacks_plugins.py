"""A plugin's detector answering NaN (an outside tester's sweep, issue 15 item 2's class): no
comparison holds for NaN, so the plugin lost every page it meant to claim to the others, with
exit 0 and not a word, where a detector answering [1] or 1+1j was reported. NaN is no number
either: the page goes to the other plugins, the fault is said on that file, and the run exits 1."""
from __future__ import annotations

import io

import pytest

from quoteledger.hookspecs import hookimpl
from quoteledger.model import Article, Document, Paragraph
from quoteledger.outlet import Outlet
from quoteledger.pipeline import extract_document
from quoteledger.plugins import PluginHost
from test_border_text import QUOTE


class Answering:
    outlet = Outlet(name="Answering Times", priority=100)

    def __init__(self, answer):
        self.answer = answer

    @hookimpl
    def quoteledger_register_outlets(self, register):
        register(self.outlet)

    @hookimpl
    def quoteledger_detect(self, document, outlet):
        return self.answer if outlet is self.outlet else None

    @hookimpl
    def quoteledger_parse(self, document, outlet):
        if outlet is self.outlet:
            return Article(headline="Mayor speaks", paragraphs=[Paragraph(t) for t in document.text.split("\n\n")])


def extracted(answer):
    host = PluginHost(strict=False, stderr=io.StringIO())        # the built-in plugins, generic among them
    host.add_plugin(Answering(answer), "answering")
    host._register_outlets()
    return extract_document(Document("story.txt", "Mayor speaks\n\n" + QUOTE, False), host)


@pytest.mark.parametrize("answer", [float("nan"), "nan", -float("nan")])
def test_a_detector_answering_nan_is_reported_and_the_page_read_by_the_others(answer):
    result = extracted(answer)
    assert not result.failed and len(result.records) == 1
    assert result.records[0]["article"]["publisher"]["plugin"] != "answering"
    assert any("plugin answering: quoteledger_detect returned" in fault and "not a number" in fault
               for fault in result.plugin_faults), result.plugin_faults


@pytest.mark.parametrize("answer", [1.0, 0.5, float("inf"), "0.9"])
def test_a_detector_answering_a_number_claims_its_page(answer):
    result = extracted(answer)
    assert not result.plugin_faults
    assert result.records[0]["article"]["publisher"]["plugin"] == "answering"
