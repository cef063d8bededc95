"""Runs of sentence-ending marks ('.', '!', '?', '…'), tens of thousands long: sentences are still
cut after the whole run and nowhere inside it, and the quotations round it are still found and
attributed. (How the time grows with the run's length is bench/bench_scaling.py's run-of-* cases:
a pattern that retried the run from each of its characters took a minute on 60,000.)"""
from __future__ import annotations

import pytest

from quoteledger.quotes import find_quotations
from quoteledger.quotes.story import _sentence_bounds


@pytest.mark.parametrize("mark", [".", "!", "?", "\u2026"])
def test_a_long_run_is_one_sentence_end(mark):
    text = "It rained" + mark * 20000 + " Then it stopped" + mark * 3
    cut = text.index("Then")
    assert _sentence_bounds(text, text, []) == [(0, cut), (cut, len(text))]


@pytest.mark.parametrize("mark", [".", "\u2026"])
def test_a_run_not_followed_by_a_sentence_cuts_nothing(mark):
    text = "It rained" + mark * 20000 + "and then it stopped"
    assert _sentence_bounds(text, text, []) == [(0, len(text))]


def test_quotations_beside_a_huge_run_keep_their_speakers():
    paragraphs = ["The mayor paused" + "." * 60000 + " Then she spoke.",
                  "\u201cThe bridge will be rebuilt by spring,\u201d said Jane Doe, the mayor."]
    found = find_quotations(paragraphs)
    assert [(q.text, q.speaker.name) for q in found] == [("The bridge will be rebuilt by spring,", "Jane Doe")]
