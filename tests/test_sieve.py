"""The attribution sieve: its order is written down in one place, and every step's own examples
come out with the speaker they name, attributed by that very step (or resolver)."""
import pytest
from hypothesis import given, strategies as st

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


# -- the fallbacks that guess from a name nearby: only a name the story shows to be a person's -----

@pytest.mark.parametrize("paragraphs, text_start", [
    # a product's name on a blog's page, the nearest capitalised words before the quotation
    (["We switched the editor to Mentor Mode last week, which explains each line of code.",
      '"This is far too slow for my deadlines."'], "This is far"),
    # a label in capitals, a headline's words
    (["The rally was called by Junge SVP in the old town.", '"Stop the deal now!"'], "Stop the deal"),
    # a brand the page names again and again (the story's "dominant person" by count)
    (["Instagram Reels reward short clips. Instagram Reels favour faces. Instagram Reels are everywhere.",
      "Plan each week ahead.", '"Consistency is about more than posting often."'], "Consistency is"),
    # a photo credit is no one's lead-in
    (["Shoppers queue at the counter. | Photo by Lena Voss", '"For me, the bakery was the heart of the street."'],
     "For me"),
])
def test_a_name_never_shown_to_be_a_person_gives_no_speaker_to_a_quotation_with_no_cue(paragraphs, text_start):
    f = _quotation(paragraphs, text_start)
    assert f.speaker is None, f.speaker


@pytest.mark.parametrize("paragraphs, text_start, speaker", [
    # the subject of a sentence the story goes on about as "she"
    (["Mara Quinn tried the service last spring, and she kept two of the dresses.",
      '"I own nothing like this top."'], "I own nothing", "Mara Quinn"),
    # a reporting verb next to the surname elsewhere in the story
    (["Ivo Marsh has written about reason for decades. Marsh argues that doubt undoes itself.",
      "The new book by Ivo Marsh opens with a challenge.", '"Reason must be a form of thought beyond appeal."'], "Reason must",
     "Ivo Marsh"),
])
def test_a_name_the_story_shows_to_be_a_person_still_gets_a_quotation_with_no_cue(paragraphs, text_start, speaker):
    f = _quotation(paragraphs, text_start)
    assert f.speaker is not None and f.speaker.name == speaker


def test_a_name_is_shown_to_be_a_persons_by_a_title_a_reporting_verb_or_a_label_line_only():
    from quoteledger.quotes.engine import read_story as read
    cases = {"Dr Ann Lee runs the clinic.": True, "Ann Lee runs the clinic.": False,
             "Ann Lee runs the clinic. Lee said it was full.": True, "Ann Lee runs the clinic.\n\nAsk Ann Lee": False}
    for text, shown in cases.items():
        paragraphs = text.split("\n\n") + ['"The clinic is full."']
        f = [f for f in read(paragraphs) if f.text.startswith("The clinic")][0]
        assert (f.speaker is not None and f.speaker.name == "Ann Lee") is shown, (text, f.speaker)


def test_a_lead_in_whose_subject_is_no_name_gives_the_next_paragraph_no_speaker():
    # the paragraph-opening rule reads a cue in the paragraph before; a figure or a run of lowercase
    # words at that cue is no one
    for lead_in in ("Nearly 59% said they trust products backed by research.",
                    "Once you have a list of options, ask for a ranking. Here is what should come next."):
        f = _quotation([lead_in, '"Rank these options by how well they meet my goals."'], "Rank these")
        assert f.speaker is None or f.speaker.name is None, (lead_in, f.speaker)


def test_a_modal_after_the_subject_is_no_part_of_the_name():
    f = _quotation(["The debate ran late.", 'Ann Lee can say "I won every county" with a straight face.'],
                   "I won every")
    assert f.speaker is not None and f.speaker.name == "Ann Lee"


# -- a giant sentence of many quotations: each quotation reads only the words near it ----------------

def test_in_the_words_of_is_found_after_a_long_run_of_the_same_sentence():
    # (the step searches only the window before the quotation: what lies before it cannot match)
    long_opening = "The council met, " + "and argued about the bridge, " * 30
    f = _quotation([long_opening + 'in the words of Ada Berg, "A library is a promise kept."'], "A library")
    assert f.speaker is not None and f.speaker.name == "Ada Berg"
    assert f.step == "in-the-words-of"


def test_in_the_words_of_far_before_the_quotation_names_no_one():
    far = "In the words of Ada Berg, " + "the council argued about the bridge and the road, " * 12
    f = _quotation([far + '"A library is a promise kept."'], "A library")
    assert f.step != "in-the-words-of"


def test_a_sentence_of_many_bare_quotations_is_read_whole():
    paragraph = "He listed them: " + " ".join(f'"item {k}"' for k in range(2000)) + "."
    found = read_story([paragraph])
    assert [f.text for f in found][:3] == ["item 0", "item 1", "item 2"]
    assert len(found) == 2000


@given(st.text(alphabet=" :-\u2014\u2022ab", max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_only_of_agrees_with_stripping_the_whole_slice(text, start, end):
    for chars in (sieve.LEADERS, sieve.LEADERS + ":"):
        assert sieve._only_of(chars, text, start, end) == (not text[start:end].strip(chars))
    assert sieve._only_of(sieve.LEADERS, text) == (not text.strip(sieve.LEADERS))


@given(st.text(alphabet="that x_\u00e9\n\t\u00a0", max_size=30))
def test_ends_with_that_agrees_with_searching_the_whole_left(left):
    assert sieve._ends_with_that(left) == (sieve._THAT_BEFORE.search(left) is not None)


def test_a_sentence_of_many_attributed_quotations_is_read_whole_and_names_no_one_else():
    paragraph = "".join(f'"Point {k}," said John Smith, ' for k in range(300)) + "and left."
    found = read_story([paragraph])
    assert len(found) == 300
    assert found[0].speaker is not None and found[0].speaker.name == "John Smith"
    assert {f.speaker.name for f in found if f.speaker} == {"John Smith"}


def test_someone_asked_just_before_a_pronoun_late_in_a_long_sentence_still_answers():
    opening = "The hearing ran long, " + "with questions about the budget and the roads, " * 30
    found = read_story([opening + 'and the host asked Ann Lee about the vote. "We will win," she said.'])
    f = next(f for f in found if f.text.startswith("We will win"))
    assert f.speaker is not None and f.speaker.name == "Ann Lee"
