"""Quotation marks: every hazard named in the core issue, on sentences written for these tests."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quoteledger.quotes import find_quotations
from quoteledger.quotes.marks import ALL_MARKS, _mark_positions, find_spans


def texts(paragraph, next_paragraph=""):
    return [paragraph[s.start:s.end] for s in find_spans(paragraph, next_paragraph)]


@pytest.mark.parametrize("paragraph, expected", [
    ('"We will win," she said.', ["We will win,"]),
    ("\u201cWe will win,\u201d she said.", ["We will win,"]),
    ("'We will win,' she said.", ["We will win,"]),
    ("\u2018We will win,\u2019 she said.", ["We will win,"]),
    ("''We will win,'' she said.", ["We will win,"]),
])
def test_straight_curly_double_single_and_doubled_singles(paragraph, expected):
    assert texts(paragraph) == expected


@pytest.mark.parametrize("paragraph", [
    "Norway's minister said who's in charge: you're not.",
    "The Associated Press' request and the voters' anger were noted.",
    "It was the 1990's and rock 'n' roll.",
])
def test_apostrophes_are_not_quotation_marks(paragraph):
    assert texts(paragraph) == []


def test_plural_possessive_inside_a_single_quoted_quotation():
    paragraph = "'The voters' anger is real,' the mayor said."
    assert texts(paragraph) == ["The voters' anger is real,"]


def test_nested_quotation_keeps_the_inner_marks():
    paragraph = "''Silver Lake: Dawn' was released to promote rebellion,' officers said."
    assert texts(paragraph) == ["'Silver Lake: Dawn' was released to promote rebellion,"]


@pytest.mark.parametrize("paragraph, expected", [
    ("Parents were told not to install the 'Silver Lake: Dawn\" game.", ["Silver Lake: Dawn"]),
    ("She explained: 'We plan to train 9,000 pilots by 2030.\" The rest followed.",
     ["We plan to train 9,000 pilots by 2030."]),
])
def test_mismatched_pairs_close(paragraph, expected):
    assert texts(paragraph) == expected


def test_unbalanced_mark_never_swallows_the_rest():
    paragraph = "He said 'this never closes and the text goes on. Then \"a real quote,\" she said."
    assert texts(paragraph) == ["a real quote,"]


def test_unclosed_quote_runs_to_paragraph_end_when_it_opens_the_paragraph_or_the_next_reopens():
    first = '"We begin the work tomorrow, and we will not stop.'
    assert texts(first, '"It will take years," he said.') == ["We begin the work tomorrow, and we will not stop."]
    assert texts(first, "Critics disagreed.") == ["We begin the work tomorrow, and we will not stop."]
    middle = 'The mayor said "we begin the work tomorrow, and we will not stop.'
    assert texts(middle, "Critics disagreed.") == []
    assert texts(middle, '"It will take years," he said.') == ["we begin the work tomorrow, and we will not stop."]


def test_spaced_mark_closes_before_speech_words_and_opens_before_a_name():
    assert texts("\"I hate the term 'outreach,' \" he told the group.") == ["I hate the term 'outreach,'"]
    assert texts("'They promote ' Free Ports' and 'Open Water' for profit,' the police said.") == [
        "They promote ' Free Ports' and 'Open Water' for profit,"]


def test_paragraphs_run_together_reopen_at_a_sentence_end():
    paragraph = "The chief said: 'We are ready to help. 'We will also keep the pressure on.' Talks went on."
    assert texts(paragraph) == ["We are ready to help.", "We will also keep the pressure on."]


@pytest.mark.parametrize("paragraph", [
    "'" * 5000, '"' * 5001, "a'b " * 3000, "\u201c" * 2000 + "text", "it's " * 4000 + "'",
])
def test_pathological_marks_never_crash_and_spans_hold_their_text(paragraph):
    quotations = find_quotations([paragraph, paragraph])
    story = paragraph + "\n\n" + paragraph
    for q in quotations:
        assert story[q.start:q.end] == q.text


def test_spans_point_at_their_text_in_the_story():
    paragraphs = ["Intro line.", "\u201cFirst,\u201d she said. \u2018Second,\u2019 he said."]
    story = "\n\n".join(paragraphs)
    quotations = find_quotations(paragraphs)
    assert [q.text for q in quotations] == ["First,", "Second,"]
    assert all(story[q.start:q.end] == q.text for q in quotations)
    assert [q.paragraph for q in quotations] == [1, 1]


def test_a_quotation_whose_later_paragraphs_lost_their_opening_marks():
    paragraphs = ["Eyewitness - Ana Lima",
                  '"I was taking photos of the band on stage.',
                  "I saw the fire going through the club.",
                  "People were screaming 'fire' and ran.",
                  'It took minutes to get out."',
                  "The club had one exit, officials said."]
    found = find_quotations(paragraphs)
    quotes = [q.text for q in found]
    # (and the people's 'fire' inside the eyewitness's words is a quotation of its own: speech inside speech)
    assert quotes[1:5] == ["I saw the fire going through the club.", "People were screaming 'fire' and ran.",
                           "fire", "It took minutes to get out."]
    assert found[3].speaker.name == "people"
    assert not any("officials" in q for q in quotes)


def test_unmarked_paragraphs_after_an_unclosed_quotation_stay_narration_without_a_closing_mark():
    paragraphs = ['"We will win the vote.', "The party met on Monday.", "Voting starts on Friday."]
    assert [q.text for q in find_quotations(paragraphs)] == ["We will win the vote."]


def test_a_quotation_opened_after_a_colon_and_never_closed_runs_to_the_paragraph_end():
    assert texts('Alito cut her off: "No, I am not making that point. There is a risk, right?') == [
        "No, I am not making that point. There is a risk, right?"]


def test_a_quotation_that_lost_its_closing_mark_ends_before_its_own_attribution():
    paragraphs = ["Massimo Banzi spoke at the conference.",
                  '"You need nobody\'s permission to make something great, says Banzi. '
                  '"If you have an idea, you just go and make it."']
    result = [(q.text, q.speaker.name) for q in find_quotations(paragraphs)]
    assert result == [("You need nobody's permission to make something great", "Massimo Banzi"),
                      ("If you have an idea, you just go and make it.", "Massimo Banzi")]


def test_a_scrape_that_lost_the_space_before_an_opening_mark_still_opens_it():
    assert texts('"The bridge is safe," said Maria Lopez."It will open in May."') == \
        ["The bridge is safe,", "It will open in May."]
    assert texts('"It will open in May."He smiled.') == ["It will open in May."]


def test_bulleted_quotations_that_never_close_run_to_their_paragraph_end():
    bullets = ['\u2022 "Republicans promise once again to cut your pension.',
               '\u2022 "The pension has been a promise for 75 years.']
    assert texts(bullets[0], bullets[1]) == ["Republicans promise once again to cut your pension."]
    assert texts(bullets[1]) == ["The pension has been a promise for 75 years."]


def test_an_opening_curly_mark_typed_as_the_closer_after_a_comma_closes():
    # '"It's unusual,“ said Larry Noble': the writer's closing mark is an opener, the words end there
    found = find_quotations(['\u201cIt\'s unusual,\u201c said Tom Reed, an attorney. \u201cIt\'s a hard thing to do.\u201d'])
    assert [(q.text, q.speaker.name) for q in found] == [("It's unusual,", "Tom Reed"),
                                                         ("It's a hard thing to do.", "Tom Reed")]


def test_a_spaced_double_mark_after_an_inner_quotation_closes_before_a_name():
    # '... like, 'Oh, this is important,' " Magel said': the double mark closes the outer quotation
    found = find_quotations(['"They treat it like, \'Oh, this is important,\' " Ann Magel said at the rally.'])
    assert found[0].text.startswith("They treat it like") and found[0].speaker.name == "Ann Magel"


@given(st.text(alphabet=st.sampled_from(list(ALL_MARKS) + list("ab .,\u2014\n\u00e9")), max_size=60))
@settings(max_examples=300, deadline=None)
def test_every_mark_is_found_in_order(text):
    """classify's scan for marks (a search for each kind the text holds) sees every mark of every
    kind, once, in the order they stand, as a scan of each character would."""
    assert _mark_positions(text) == [i for i, c in enumerate(text) if c in ALL_MARKS]
