"""Speech inside speech: words a speaker quotes someone else as saying are that someone's own
quotation, with its own speaker; the outer quotation stays whole and stays the outer speaker's.
Invented stories in the shapes news pages use (witness accounts, recollections, interviews)."""
import pytest

from quoteledger.pipeline import extract_path
from quoteledger.quotes.engine import read_story


def quotations(*paragraphs):
    return {f.text.rstrip(",."): f for f in read_story(list(paragraphs))}


def test_the_inner_words_are_the_police_and_the_outer_the_witness():
    found = quotations('Witness Ann Berg, 34, said: "Then the officers shouted \'Get down on the floor!\' and we '
                       'all lay down."')
    outer = found["Then the officers shouted 'Get down on the floor!' and we all lay down"]
    inner = found["Get down on the floor!"]
    assert outer.speaker.name == "Ann Berg"
    assert inner.speaker.name == "the officers" and inner.step == "speech-inside-speech"
    assert outer.start < inner.start < inner.end < outer.end


@pytest.mark.parametrize("paragraphs, inner, speaker", [
    # a cue after the inner words, inside the outer quotation
    (['"\u2018Drop the bag,\u2019 the guard yelled at him, and he ran," said Tom Reed.'], "Drop the bag", "the guard"),
    # the outer speaker quoting themselves
    (['\u201cI told him, \u2018Not in my house,\u2019 and he left,\u201d said Tom Reed.'], "Not in my house", "Tom Reed"),
    # someone the outer speaker calls their own
    (['\u201cThen my mother said, \u2018We are leaving tonight,\u2019 and we packed,\u201d said Tom Reed.'],
     "We are leaving tonight", "Tom Reed's mother"),
    # a group opening the sentence
    (['"People kept screaming \'Fire, fire!\' and ran for the doors," said Ann Berg.'], "Fire, fire!", "people"),
    # a person the story names in full
    (['Sergeant Ivo Marsh led the arrest.', '"Marsh told him, \u2018You are under arrest,\u2019 and the man ran," '
      'said Ann Berg.'], "You are under arrest", "Ivo Marsh"),
    # the news convention: a paragraph of a long quotation, with no closing mark of its own
    (['Ann Berg saw it all.', '"The doors were locked.', '"Then the guards started shouting \'Everybody out!\' and '
      'we ran.', '"It was over in minutes," she said.'], "Everybody out!", "the guards"),
])
def test_inner_speakers(paragraphs, inner, speaker):
    found = quotations(*paragraphs)
    assert inner.rstrip(",.") in found, sorted(found)
    assert found[inner.rstrip(",.")].speaker.name == speaker


@pytest.mark.parametrize("paragraphs", [
    # a title or a label inside the words is nobody's speech
    ['"We all read \'The Quiet Court\' that summer," said Tom Reed.'],
    # a pronoun inside the quotation names someone only its own context knows
    ['"He told me, \u2018Leave now,\u2019 and I did," said Tom Reed.'],
    # no cue of the inner words' own
    ['"The word \'sorry\' never came up," said Tom Reed.'],
    # the verb reports something else, far from the inner words
    ['"The chairman said that the budget, which the board approved last spring after a long fight, left out '
     '\'section nine\' entirely," said Tom Reed.'],
    # nobody is no speaker
    ['"Nobody said \'sorry\' to us," said Tom Reed.'],
])
def test_no_inner_quotation_without_a_speaker_of_its_own(paragraphs):
    found = read_story(paragraphs)
    assert [f.step for f in found if f.step == "speech-inside-speech"] == []
    assert len(found) == 1 and found[0].speaker.name == "Tom Reed"


def test_inner_quotations_are_records_of_their_own(tmp_path):
    story = tmp_path / "witness.txt"
    story.write_text("Shots were fired near the station on Friday.\n\n"
                     "Witness Ann Berg, 34, said: \"Then the officers shouted 'Get down on the floor!' and we all "
                     "lay down.\"\n", encoding="utf-8")
    result = extract_path(str(story))
    assert not result.failed, result.errors
    by_text = {r["text"]: r for r in result.records}
    inner = by_text["Get down on the floor!"]
    assert inner["speaker"]["name"] == "the officers"
    outer = next(r for t, r in by_text.items() if t.startswith("Then the officers"))
    assert outer["speaker"]["name"] == "Ann Berg"
    assert outer["span"]["start"] < inner["span"]["start"] < inner["span"]["end"] < outer["span"]["end"]


@pytest.mark.parametrize("paragraphs, start, speaker", [
    # no marks of their own: a witness who heard someone shout reports that one's words
    (['Anna Berg, 34, said she heard an officer shout "Get on the ground!" before the shots.'], "Get on the ground",
     "an officer"),
    (['Tom Reed said he saw Sergeant Ivo Marsh yell "Drop it!" twice.'], "Drop it", "Ivo Marsh"),
    # inside the witness's own quotation, the one heard is a description the story gives no name
    (['Shots were fired on Friday.', '"I heard the officer yell, \'Drop it!\' and then the shots," said Anna Berg.'],
     "Drop it", "the officer"),
])
def test_words_a_witness_heard_someone_shout_are_that_someone_s(paragraphs, start, speaker):
    found = [f for f in read_story(paragraphs) if f.text.startswith(start)]
    assert found and found[0].speaker.name == speaker


def test_a_witness_s_own_words_stay_the_witness_s():
    found = read_story(['Anna Berg said she heard the alarm and shouted "Everybody out!" at once.'])
    assert found[0].speaker.name == "Anna Berg"
