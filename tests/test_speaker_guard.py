"""A speaker the engine names that would break the schema (an empty name, a kind outside the list) costs
that speaker only: the quotation is kept with its speaker unknown, a warning names the document and
the quotation, and the document's other quotations are untouched (issue 13, item 5)."""
from __future__ import annotations

from quoteledger import pipeline
from quoteledger.model import Document, Speaker
from quoteledger.quotes.engine import read_story

STORY = ["Bridge plan agreed",      # (a text document's first line is its headline)
         '"We will rebuild the bridge by spring," said Jane Doe, the mayor.',
         '"It is a promise," she added.']


def _extract_with_first_speaker(monkeypatch, speaker: Speaker):
    real = pipeline.find_quotations

    def spoiled(*args, **kwargs):
        quotations = real(*args, **kwargs)
        quotations[0].speaker = speaker
        return quotations

    monkeypatch.setattr(pipeline, "find_quotations", spoiled)
    return pipeline.extract_document(Document(source="story.txt", text="\n\n".join(STORY), is_html=False))


def test_an_empty_speaker_name_leaves_that_speaker_unknown_and_keeps_the_document(monkeypatch):
    result = _extract_with_first_speaker(monkeypatch, Speaker("", "Trump", "organization"))
    assert not result.failed, result.errors
    assert [r["speaker"]["name"] for r in result.records] == [None, "Jane Doe"]
    assert result.records[0]["speaker"]["kind"] == "unknown"
    assert any("story.txt" in w and "We will rebuild" in w and "speaker.name" in w for w in result.warnings), \
        result.warnings


def test_a_speaker_kind_outside_the_schema_is_left_unknown(monkeypatch):
    result = _extract_with_first_speaker(monkeypatch, Speaker("Jane Doe", "Jane Doe", "celebrity"))
    assert not result.failed
    assert result.records[0]["speaker"]["kind"] == "unknown" and len(result.records) == 2


def test_a_word_in_brackets_is_no_acronym_for_the_words_before_it():
    # "(Reuters)" after a dateline, "(Trump)" after a sentence: neither is a body's short name, so
    # "Trump" later means the Donald Trump the story names, not an empty organisation
    paragraphs = ["MACAU (Reuters) - Sheldon Adelson met Donald Trump this week.",
                  "Then came the answer (Trump) to the question.",
                  'On the subject of trade, Trump added, "Nobody will be tougher than me."']
    [f] = [f for f in read_story(paragraphs) if f.text.startswith("Nobody")]
    assert f.speaker.name == "Donald Trump"


def test_a_short_name_in_brackets_still_names_its_body():
    paragraphs = ["The Netherlands Organisation for Applied Scientific Research (TNO) studied costs.",
                  '"Costs will rise," TNO said.']
    [f] = read_story(paragraphs)
    assert f.speaker.name == "Netherlands Organisation for Applied Scientific Research"
