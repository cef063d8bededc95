"""Speakers in plain-text stories, one class of the misses found on PolNeAR's training stories per
test (the fixtures are invented, in the shape of the real sentences)."""
import pytest

from quoteledger.quotes.engine import read_story


def _quotation(paragraphs, text_start):
    for f in read_story(list(paragraphs)):
        if f.text.startswith(text_start):
            return f
    raise AssertionError(f"no quotation starting {text_start!r} in {paragraphs!r}")


def _speaker(paragraphs, text_start):
    f = _quotation(paragraphs, text_start)
    return f.speaker.name if f.speaker is not None else None


# -- a paragraph reopening the speaker's words part way, after an ellipsis ----------------------

@pytest.mark.parametrize("reopened", ["\u201c\u2026 they still go on saying that I am the one who is wrong. I know it.\u201d",
                                      "\u201c\u2026 There is proof that the count was rigged in three towns.\u201d",
                                      '"... and that is why we stay in the race until the end."'])
def test_a_paragraph_taken_up_after_an_ellipsis_goes_on_with_the_last_speaker(reopened):
    story = ["Flood town counts its losses.",
             '"We stood side by side at the ceremony. She misled me," Pat Quill said. "She told me it was rain."',
             reopened]
    assert _speaker(story, reopened[1:6]) == "Pat Quill"


def test_an_ellipsis_inside_the_writers_sentence_is_no_continuation():
    story = ['"We will rebuild," Pat Quill said.',
             'The council called the plan "\u2026 a dream with no budget" in its minutes.']
    assert _speaker(story, "\u2026 a dream") != "Pat Quill"


# -- a passive verb of speech: its agent speaks ---------------------------------------------------

@pytest.mark.parametrize("sentence, speaker", [
    ('Reyes was asked by moderator Tom Baker whether his plan would risk "adding another costly program to the '
     'budget."', "Tom Baker"),
    ('Reyes was asked by host Nia Bell, who backs him, "Now, you said the emails did not matter. Has that changed?"',
     "Nia Bell"),
    ('The crowd was told by Sheriff Amos Dunn that the road would stay "closed until the bridge is checked."',
     "Amos Dunn"),
])
def test_the_agent_of_a_passive_verb_of_speech_is_the_speaker(sentence, speaker):
    assert _speaker(["Debate night.", sentence], sentence[sentence.index('"') + 1:][:8]) == speaker


def test_the_one_spoken_to_in_a_passive_without_an_agent_is_still_not_the_speaker():
    story = ["Mayor Ann Voss visited the shelter.",
             'Residents were told by letter to "leave the building before noon."']
    assert _speaker(story, "leave the") != "Residents"
