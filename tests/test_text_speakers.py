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


# -- two straight single marks typed for a double one, set apart by spaces ----------------------

def test_a_spaced_doubled_single_mark_closes_the_words_before_the_cue():
    story = ["Plan survives.",
             "''The reason it works is that the coalition held, '' said Mr. Dorn, who now works on Mr. Kapp's "
             "campaign. ''He does not see himself as a partisan.''"]
    assert _quotation(story, "The reason").text.rstrip(",") == "The reason it works is that the coalition held"
    assert _speaker(story, "The reason") == "Dorn"
    assert _speaker(story, "He does not") == "Dorn"


def test_a_spaced_doubled_single_mark_after_an_inner_quotation_closes_the_outer_one():
    story = ["Sales slow.",
             "''There was a backlash against 'Primates of the Bay,'  '' Ms. Ferr noted, referring to a memoir. "
             "''That suggests to me that this might not sell.''"]
    f = _quotation(story, "There was")
    assert f.text.endswith("Bay,'") and f.speaker.name == "Ferr"
    assert _speaker(story, "That suggests") == "Ferr"


# -- the boundaries of the mention ----------------------------------------------------------------

def test_a_pronoun_right_before_the_verb_is_its_subject_not_the_noun_it_follows():
    story = ["Tom Carr, the party's political director, released a statement.",
             'The move, Carr explained, was years in the making -- an investment he concludes has given them a '
             '"head start on the other side."']
    assert _speaker(story, "head start") == "Tom Carr"


@pytest.mark.parametrize("after", ["exhorted Reyes's introducer, actress Jane Polk.",
                                   "said the mayor's chief of staff, Tom Reed."])
def test_someones_role_then_a_name_after_the_verb_gives_the_name_not_the_owner(after):
    story = ["Mayor Dan Reyes spoke last.", f'"It is about time we had a new face," {after}']
    assert _speaker(story, "It is about") == after.rstrip(".").split(", ")[-1].replace("actress ", "")


def test_an_age_written_before_the_subjects_name_does_not_hide_the_subject():
    story = ["Endorsements roll in.",
             "76-year-old Morton Bell, founder of the Civic Institute, member since the 1960s and long time "
             'committeeman from Ohio, endorsed Reyes last week, saying he "has shown a deep commitment to the cause."']
    assert _speaker(story, "has shown") == "Morton Bell"


def test_a_titled_name_then_where_they_are_from_before_the_verb():
    story = ["Others were not satisfied.",
             "''The mayor should retract his comments,'' former Gov. Jeb Hale of Ohio said on Twitter."]
    assert _speaker(story, "The mayor should") == "Jeb Hale"


def test_a_closing_mark_run_into_the_speakers_name_still_closes():
    story = ["Ad war.",
             '"This new ad raises questions about the plan, and voters see it,"Kate Poole, who chairs Better Roads '
             'Pac said in a statement. "More and more, the mayor looks weak."']
    assert _speaker(story, "This new ad") == "Kate Poole"
    assert _speaker(story, "More and more") == "Kate Poole"


def test_the_words_said_after_the_verb_are_never_the_speaker():
    story = ["Mr. Marlow, citing ''the unique pull of the mayor,'' said the candidate could be in a strong position "
             "in states like Ohio."]
    assert _speaker(story, "the unique pull") != "the candidate could be in a strong position in states like Ohio"


def test_as_the_role_comma_name_put_it_gives_the_name():
    story = ["Mark Lane, an analyst at a bank, agreed: ''They have a great brand.''",
             "As the Acme chief executive, Jeff Waite, put it in his memo to employees explaining the deal, "
             "''Imagine a world where we lead.''"]
    assert _speaker(story, "Imagine a world") == "Jeff Waite"


def test_a_reporters_signature_closing_a_brief_does_not_take_words_with_a_cue_of_their_own():
    story = ['Premier Rafael Ruiz said Monday that he will "try to form a stable government" and insisted that his '
             'party was "still the top force in Spain."--Kim Hall.']
    assert _speaker(story, "still the top") == "Rafael Ruiz"


def test_a_signature_after_a_label_still_names_the_reviewer():
    story = ["What Readers Say | \u201cThe meals were easy to make and tasted fresh every single day.\u201d \u2013 Ana Costa."]
    assert _speaker(story, "The meals") == "Ana Costa"


# -- a verb no list holds, and the subject of the clause the words sit in ------------------------

@pytest.mark.parametrize("verb", ["cracked", "sniped", "mused", "deadpanned"])
def test_a_name_then_an_unlisted_verb_then_a_comma_reports_the_words(verb):
    story = [f'During the first debate, Mara Lind {verb}, "I build things, and then I finish them."']
    assert _speaker(story, "I build") == "Mara Lind"


@pytest.mark.parametrize("sentence", ['The plan failed, "a total flop from the first day to the last."',
                                      'He was shocked, "a total flop from the first day to the last."'])
def test_no_name_before_the_unlisted_verb_names_no_one(sentence):
    f = _quotation(["Results are in.", sentence], "a total flop")
    assert f.step != "name-verbed-then-quote"


def test_words_in_a_second_clause_belong_to_that_clauses_subject():
    story = ["Gov. Bobby Jinks on Monday signed an order to block the plan, while Mike Hucks, the former governor, "
             'proposed we "wake up and smell the coffee" and said the speaker should resign.']
    assert _speaker(story, "wake up") == "Mike Hucks"


@pytest.mark.parametrize("sentence, start", [
    ('Cuts are "the worst idea in a decade," Ann Lee, the former governor, proclaimed to a cheering crowd.', "the worst"),
    ("Ann Lee confided to her friend that her parents were ''the first family to move in.''", "the first family"),
    ('While Ann Lee proclaims the article a "terrific piece and well worth the trip," her aide disagrees.', "terrific"),
    ('It has become such a presence that Ann Lee on Sunday thanked its members "for their support in my campaign."',
     "for their support"),
])
def test_verbs_of_speech_the_lists_missed(sentence, start):
    assert _speaker(["The council met.", sentence], start) == "Ann Lee"


def test_a_surname_that_is_also_a_common_word_speaks_after_the_words():
    story = ["Brown and Al From founded the council in 1985.",
             'Many voters saw the party as "the party of big government," From said. "Our task was clear."']
    assert _speaker(story, "the party of") == "Al From"
    assert _speaker(story, "Our task") == "Al From"


@pytest.mark.parametrize("sentence", [
    "The Slate columnist David Auer went so far as to say: ''Twitter as we know it is over.''",
    'The Slate columnist David Auer was quick to add, "Twitter as we know it is over."'])
def test_the_one_who_went_on_to_say_speaks(sentence):
    assert _speaker(["Investors fled, and critics piled on.", sentence], "Twitter as") == "David Auer"


def test_a_described_person_closing_the_clause_before_a_colon_speaks():
    story = ['The surge does not surprise Republican pollster Dan Shaw: "Lesser-known candidates who win early see '
             'the biggest boost."']
    assert _speaker(story, "Lesser-known") == "Dan Shaw"


def test_a_name_after_by_before_a_colon_is_not_handed_the_words():
    story = ['The report was written by Dan Shaw: "Lesser-known candidates who win early see the biggest boost."']
    assert _quotation(story, "Lesser-known").step != "colon-lead-in"


def test_a_body_and_a_role_before_a_name_describe_that_one_person():
    story = ["Graduates told to stay humble.",
             "Yahoo News and former TV network anchor Kate Cora has promoted a humble approach, advising graduates "
             'to "become members of the two-H club: hard work and humility," and telling another class, "If you are '
             'too big for a small job, you are too small for a big one."']
    assert _speaker(story, "become members") == "Kate Cora"
    assert _speaker(story, "If you are") == "Kate Cora"


def test_two_bodies_joined_by_and_stay_the_subject():
    story = ['Devon and Cornwall Police and local councils said the road would stay "closed until further notice."']
    assert _speaker(story, "closed until") != "Cornwall Police"


# -- a sentence opening with its source: "According to X, ..." -----------------------------------

@pytest.mark.parametrize("sentence, words, speaker", [
    ('According to Ann Lee, the ferry was once the town\'s pride but is now "a danger to every passenger."',
     "a danger", "Ann Lee"),
    ('But according to Mayor Tom Reed, the repairs will take a year and leave the road "closed to all trucks."',
     "closed to", "Tom Reed"),
])
def test_a_sentence_opening_with_according_to_gives_its_later_words_that_source(sentence, words, speaker):
    assert _speaker(["Harbour town waits.", sentence], words) == speaker


def test_a_reporting_verb_with_its_own_subject_still_wins_over_the_opening_source():
    story = ["Harbour town waits.",
             'According to the Daily Courier, Tom Reed said the ferry was "a danger to every passenger."']
    assert _speaker(story, "a danger") == "Tom Reed"


def test_according_to_that_does_not_open_the_sentence_gives_no_speaker_to_later_words():
    story = ["Harbour town waits.",
             'The ferry, according to the timetable, runs twice a day and is "a danger to every passenger."']
    assert _speaker(story, "a danger") != "timetable"


# -- a participle ("..., saying ...") whose sentence's subject speaks no words ----------------------

@pytest.mark.parametrize("sentence, words, speaker", [
    ('It was a double blow from the two rivals, as Mrs. Ann Lee echoed the charge, saying the mayor "never '
     'read the budget."', "never read", "Ann Lee"),
    ('I remember Governor Tom Reed going on the radio in 1980, declaring a "war on potholes" across the state.',
     "war on potholes", "Tom Reed"),
])
def test_a_participle_whose_sentence_opens_with_it_or_i_is_said_by_the_person_acting_before_it(sentence, words,
                                                                                                 speaker):
    assert _speaker(["Road fund runs dry.", sentence], words) == speaker


def test_a_participle_still_goes_with_a_subject_who_speaks():
    story = ["Road fund runs dry.",
             'Ann Lee answered the council after Tom Reed spoke, saying the fund was "empty by June."']
    assert _speaker(story, "empty by") == "Ann Lee"


# -- "X said he ...": the pronoun opening a reported clause is the one reporting ------------------

@pytest.mark.parametrize("reported", [
    'Rafe said he began calling the harbour crews and making an effort to "keep the boats in."',
    'Rafe told reporters that he began calling the crews, urging them to "keep the boats in."',
])
def test_he_opening_the_clause_a_person_reports_is_that_person_not_the_last_one_named(reported):
    story = ["The harbour master, known only as Rafe, spoke for the first time.",
             "Rafe said the mayor, Tom Reed, had phoned him at midnight.", reported]
    assert _speaker(story, "keep the boats") == "Rafe"


def test_a_reporter_of_the_other_gender_is_not_the_he_of_her_clause():
    story = ["Mayor Tom Reed was out all night. Ms. Ann Lee, his deputy, stayed at the office.",
             'Ms. Lee said he began calling the harbour crews, urging them to "keep the boats in."']
    assert _speaker(story, "keep the boats") == "Tom Reed"


# -- a running story's present progressive: "X is praising Y as '...'" ---------------------------

@pytest.mark.parametrize("sentence, words, speaker", [
    ('Senator Ann Lee is praising the outgoing mayor, who left office Friday, as "a builder who never quit."',
     "a builder", "Ann Lee"),
    ('Governor Tom Reed is questioning whether the council would have met "if the storm had hit on a Sunday."',
     "if the storm", "Tom Reed"),
])
def test_a_progressive_verb_of_judging_or_asking_reports_its_subjects_words(sentence, words, speaker):
    assert _speaker(["11:40 a.m.", sentence], words) == speaker


def test_the_same_words_alone_report_nothing():
    story = ["11:40 a.m.", 'After questioning by the council, the plan was called "a builder\'s dream" in the minutes.']
    assert _speaker(story, "a builder") is None


# -- words held by a person's noun of speech: "X's call to '...'", "X's '...' promise" -----------------

@pytest.mark.parametrize("sentence, words, speaker", [
    ('Ann Lee said Tom Reed\u2019s call earlier in the night to "rebuild every pier" was only a slogan.',
     "rebuild every", "Tom Reed"),
    ('Ann Lee still answers for Tom Reed\'s "no new tolls, not one cent" pledge.', "no new tolls", "Tom Reed"),
])
def test_words_held_by_a_persons_call_or_promise_are_that_persons(sentence, words, speaker):
    assert _speaker(["Tom Reed ran the port for ten years.", sentence], words) == speaker


def test_a_possessive_that_names_no_person_gives_no_speaker():
    story = ["The port reopened.", 'The council renewed Harbourside\'s call for "a bridge that never closes."']
    assert _speaker(story, "a bridge that") is None


# -- an aside after the words: '"...," as X said' ------------------------------------------------------

def test_an_aside_after_the_words_names_whose_they_were():
    story = ["Senator Ann Lee toured the county.",
             'Turnout will be high, because the race "is a dead heat right now," as Lee said on the radio.']
    assert _speaker(story, "is a dead heat") == "Ann Lee"


def test_as_opening_a_clause_of_time_after_the_words_names_no_one():
    story = ["Senator Ann Lee toured the county.", 'The race was "a dead heat right now" as Tom Reed arrived.']
    assert _speaker(story, "a dead heat") != "Tom Reed"


# -- "X calls Y '...'": "calls" after a name or a pronoun is the verb ----------------------------------

@pytest.mark.parametrize("sentence, words, speaker", [
    ('The pier is a landmark, one which the historian Ann Lee calls "the spine of the old town."', "the spine",
     "Ann Lee"),
    ('He calls the new toll "a tax on the poorest drivers in the county."', "a tax on", "Tom Reed"),
])
def test_calls_after_a_name_names_with_that_persons_words(sentence, words, speaker):
    assert _speaker(["The old pier reopened. Tom Reed runs the depot.", sentence], words) == speaker


def test_calls_after_a_determiner_is_a_noun():
    story = ["The old pier reopened.", 'The calls to the council were about "a tax on the poorest drivers in the county."']
    assert _speaker(story, "a tax on") is None
