"""The attribution sieve: its order is written down in one place, and every step's own examples
come out with the speaker they name, attributed by that very step (or resolver)."""
import pytest

from quoteledger.quotes import resolve, sieve
from quoteledger.quotes.engine import read_story

CUE_AND_CONTEXT_STEPS = (sieve.CUE_STEPS + sieve.STORY_STEPS + sieve.CONTEXT_STEPS + sieve.INSIDE_SENTENCE_STEPS
                         + sieve.LAST_STEPS + sieve.NESTED_STEPS)


def _quotation(paragraphs, text_start):
    for f in read_story(list(paragraphs)):
        if f.text.startswith(text_start):
            return f
    raise AssertionError(f"no quotation starting {text_start!r} in {paragraphs!r}")


def test_every_step_has_a_unique_name_a_docstring_and_examples():
    steps = CUE_AND_CONTEXT_STEPS + resolve.RESOLVERS
    names = [s.name for s in steps]
    assert len(names) == len(set(names))
    for s in steps:
        assert s.doc, f"{s.name} has no docstring"
        assert s.examples, f"{s.name} has no examples"


@pytest.mark.parametrize("step, example", [(s, e) for s in CUE_AND_CONTEXT_STEPS for e in s.examples],
                         ids=lambda v: getattr(v, "name", None) or str(v[1])[:20])
def test_each_step_attributes_its_own_examples(step, example):
    paragraphs, text_start, speaker = example
    f = _quotation(paragraphs, text_start)
    assert f.speaker is not None and f.speaker.name == speaker
    assert f.step == step.name


@pytest.mark.parametrize("resolver, example", [(r, e) for r in resolve.RESOLVERS for e in r.examples],
                         ids=lambda v: getattr(v, "name", None) or str(v[1])[:20])
def test_each_resolver_reads_its_own_examples(resolver, example):
    paragraphs, text_start, speaker = example
    f = _quotation(paragraphs, text_start)
    assert f.speaker is not None and f.speaker.name == speaker
    assert f.resolver == resolver.name


def test_a_quotation_no_rule_reaches_is_left_unattributed_by_every_step():
    f = _quotation(['"Nobody knows what comes next."'], "Nobody")
    assert f.speaker is None and f.step is None and f.resolver is None
