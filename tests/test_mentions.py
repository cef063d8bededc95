"""Mentions with clean boundaries: the words the sieve takes for a speaker are a person or a body,
never a sentence opener, a place, a title alone or a word glued to the name. Each row is an
invented sentence in the style of one outlet or another, and the speaker it must get."""
import pytest

from quoteledger.quotes.engine import read_story


def _quotation(paragraphs, start):
    """The first quotation of the story that starts with start (the test fails if there is none)."""
    found = [f for f in read_story(paragraphs) if f.text.startswith(start)]
    assert found, f"no quotation starting {start!r}"
    return found[0]


CASES = [
    # a clause opening the sentence, then the subject (issue 13: sentence openers read as names)
    ("participle-opener", ['Appearing before cheering crowds at the party office, Mara Lind said it was early but '
                           'added, "I think you all know the result."'], "I think", "Mara Lind"),
    ("passive-opener", ['Reached by the Courier, Olaf Brenn denied it, explaining that he was "taking a day off."'],
     "taking a day", "Olaf Brenn"),
    ("conjunction-alone", ['But Sen. Pia Holt refused to campaign with him, responding that she is "not going '
                           'there."'], "not going", "Pia Holt"),
    ("lowercase-second-clause", ['On Thursday, after weeks of silence, Ines Varga endorsed the plan, saying, "It is '
                                 'time."'], "It is time", "Ines Varga"),
    ("town-then-state", ['At a rally in Portsmouth, N.H., on Tuesday, Senator Tom Aske backed her, saying she would '
                         '"make a fine leader."'], "make a fine", "Tom Aske"),
    ("town-then-state-name", ['At a town hall in Ames, Iowa, on Sunday, Dana Roe spoke at length, saying that the '
                              'state should "lead again."'], "lead again", "Dana Roe"),
    ("here-in", ['Here in Columbia, Rita Moss stepped up her attacks, saying, "We will not wait."'], "We will not",
     "Rita Moss"),
    ("stretch-of-time", ['But a few days later, Mayor Ivo Brandt reversed himself, telling the Courier that the rules '
                         '"are fine as they are."'], "are fine", "Ivo Brandt"),
    ("body-with-the", ['The Halvorsen Family Foundation declined to comment, telling the Ledger that it is focused on '
                       '"helping the families."'], "helping the", "The Halvorsen Family Foundation"),
    ("possessive-description-then-name", ["Holt's son, Arne, defended his father on Facebook, saying: \"He never "
                                          "meant it.\""], "He never", "Arne"),
    ("possessive-role-after-opener", ['In early May, the mayor\u2019s campaign manager, Vera Kunz, wrote to the '
                                      'board, writing in an email: "We want it soon."'], "We want", "Vera Kunz"),
    # a participle hangs on the reporting clause right before it, not on the sentence's first name
    ("participle-after-said", ['Dirk Lenz left before the vote, Ana Vidal said, adding, "He was not very keen."'],
     "He was not", "Ana Vidal"),
    ("participle-after-told", ['The two leaders will meet next week, Piet Laar told reporters, adding, "They need '
                               'to talk."'], "They need", "Piet Laar"),
    ("progressive-is-no-participle", ['Mayor Ivo Brandt is telling supporters after his win that "winning is '
                                      'beautiful."'], "winning is", "Ivo Brandt"),
    ("inverted-lead-with-description", ['The house is now a museum. Said Rosa Dunne, who grew up on the street, '
                                        '"We were all so proud of him."'], "We were all", "Rosa Dunne"),
    ("as-x-put-it-after-a-title", ["As Ivo Marsh, professor of law and author of ''The Quiet Court,'' put it, "
                                   "''The senators should take the deal.''"], "The senators", "Ivo Marsh"),
    ("as-x-had-written-just", ['As the columnist Ada Berg had written just a few years earlier, "We could not '
                               'do without him."'], "We could not", "Ada Berg"),
    ("one-letter-party-label", ['In appealing for the inquiry, Attorney General Lisa M. Hale (D) asserted that '
                                '"trust in the police is broken."'], "trust in the", "Lisa M. Hale"),
    ("surname-ending-in-ly", ['Ray Skelly is a strategist.', 'And Skelly called his colleague "a real smart guy, '
                                                               'one of the best."'],
     "a real smart", "Ray Skelly"),
    # a clause of the reported words holds a verb of speech of its own: the reporter's verb governs
    ("verb-in-a-restrictive-relative", ['Ivo Marsh, a strategist, said the way the party treated members who '
                                        'complained about it "would be disqualifying today."'], "would be",
     "Ivo Marsh"),
    ("relative-clause-with-its-own-subject", ['She said the plan was sound, to which Ada Quill interjected: "It is '
                                              'just not true."'], "It is just", "Ada Quill"),
    ("said-x-who-said", ['"It sounds normal to us," said Tom Weaver, who said that executives forget there are "no '
                         'secrets in politics."'], "no secrets", "Tom Weaver"),
    ("writer-sentence-goes-on-after-the-words", ['Lena Voss met the mayor.', 'The mayor "felt a duty to do something '
                                                 'about" the floods, Voss said.'], "felt a duty", "Lena Voss"),
    ("that-clause-then-another-speaker", ['But even as Ivo Marsh claimed on Tuesday that "General Holt got in trouble '
                                          'for far less," one of the former prosecutors said the cases differ.'],
     "General Holt", "Ivo Marsh"),
    ("two-speakers-one-sentence", ['Asked about the plan, Ann Lee said "not too likely" and Tom Reed said "not at '
                                   'all likely."'], "not at all", "Tom Reed"),
    ("person-of-town-and-state", ['Stacy Holm of Columbia, South Carolina says she thinks the senator can win if he '
                                  'keeps "doing what he is doing."'], "doing what", "Stacy Holm"),
    ("participle-opening-the-sentence-alone", ['Later in the show, Bill Marsh said the report "was not good." Adding, '
                                               '"Now, like with all such scandals, nothing ever comes of it."'],
     "Now, like", "Bill Marsh"),
    ("quotation-inside-the-description", ['"We have had better conventions than this one," Texas delegate Bill '
                                          'Eastland, wearing a cowboy hat and "Ted Cruz" campaign pins, said.'],
     "We have had", "Bill Eastland"),
    ("body-role-name", ['Former Obama speechwriter Jon Favreau published a column, entitled, "Why Electing Her in 2016 is '
                        'More Important Than Ever."'], "Why Electing", "Jon Favreau"),
    ("verb-between-two-names", ['In 2016, Mrs. Ada Holm endorsed Donald J. Trump for president, saying he had "the '
                                'courage and the energy" to win.'], "the courage", "Ada Holm"),
    ("ever-since", ['Ever since Ms. Ada Quill left office, Ms. Vera Lind has been a surrogate with a simple message: '
                    '"Do not mess this up!"'], "Do not mess", "Vera Lind"),
    ("participle-after-the-words-has-no-subject", ["Pastor Ivo Brandt, citing Exodus (''select out of all the people "
                                                   "able men who fear God''), endorsed the senator, urging a vote."],
     "select out", "Ivo Brandt"),
    ("one-description-then-name", ['One early supporter, Representative Ivo Marsh, Republican of Ohio, gave the idea a '
                                   'whirl in an interview on Tuesday: "You can easily argue the point."'], "You can",
     "Ivo Marsh"),
    ("party-label-before-the-act", ['And after the court refused to act, Gov. Ada Holm (R) blamed the court\'s "four '
                                    'liberal justices who blocked the law."'], "four liberal", "Ada Holm"),
    ("parenthetical-says-x", ['The paradox of her, says Carl Lind, a historian at the library, is that she was "one '
                              'of the most powerful first ladies of the era."'], "one of the most", "Carl Lind"),
    ("role-that-ends-in-the-name", ['He posted an image likened to the Star of David, Speaker of the House Rep. Paul '
                                    'Holm (R-WI) said "such images have no place in a campaign."'], "such images",
     "Paul Holm"),
    ("a-thing-then-a-closing-attribution", ['The rejection of the treaty signals "the beginning of the end" for the '
                                            'union, said Geert Holm, founder of a party.'], "the beginning",
     "Geert Holm"),
    ("a-person-description-keeps-its-verb", ['Ada Berg runs the city.', 'The mayor told the council the bridge was '
                                             '"nearly finished," Tom Reed, an engineer, recalled later.'],
     "nearly finished", "Ada Berg"),
    ("determiner-description-then-name-after-said", ['"We are anxious," said another Twitter user, Johanna '
                                                      'Berg.'], "We are anxious", "Johanna Berg"),
    ("questioned-after-the-words", ['"We lost," said Ada Quill. Glenn Holt pointed out the change.',
                                    '"What was the pivot point?" Holt questioned.'], "What was", "Glenn Holt"),
    ("previous-sentence-by-saying", ['"He will win," said Ada Quill.', 'John Berg distanced himself from the group by '
                                     'saying he would help if asked. "I am going to support him."'], "I am going",
     "John Berg"),
    ("party-label-before-said-after-the-words", ['"We are tying their hands," state Sen. Jason Holm (D) said about '
                                                 'halfway through the filibuster.'], "We are tying", "Jason Holm"),
    ("inverted-lead-any-verb-of-speech", ['Roger Holt spoke for an hour.', 'Continued Holt: "So I think it is a very '
                                                                            'real problem."'], "So I think",
     "Roger Holt"),
    ("kin-then-first-name", ['Tom Lee died in May.', 'His mother, Jane, said: "He was always kind."'], "He was always",
     "Jane"),
    ("participle-not-after-relative", ['Mayor Ulla Brink was defensive about a builder who said he was never paid, '
                                       'saying, "Maybe he did a bad job."'], "Maybe he", "Ulla Brink"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker):
    f = _quotation(paragraphs, start)
    assert f.speaker is not None and f.speaker.name == speaker


DESCRIBED = [
    # a description written before the name ends in a noun of role, then the name follows
    ("party-candidate", ['Green candidate Lena Ortiz said the plan was fine and said that the mayor "lost the '
                         'room."'], "lost the room", "Lena Ortiz"),
    ("band-member", ['Band member Koji Tan shared the news last week, writing "Feels great to play."'], "Feels great",
     "Koji Tan"),
    ("long-description", ['Liberal presidential candidate Sen. Ada Holm (I-Vt.) on Saturday criticized the accord, '
                          'saying it goes "nowhere near far enough."'], "nowhere near", "Ada Holm"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in DESCRIBED], ids=[c[0] for c in DESCRIBED])
def test_a_description_before_the_name_is_not_the_speaker(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


AFTER_THE_VERB = [
    # a description after the verb, then the name: the name speaks, whatever places or parties the
    # description holds
    ("place-in-description", ['"There is talk," said former Ohio governor Mark Lund, a close friend.'], "There is",
     "Mark Lund"),
    ("party-in-description", ['"I do not know," said undecided Green voter Ana Pires of Derry, N.H., at noon.'],
     "I do not", "Ana Pires"),
    ("possessive-body", ['"It is a first," said the senator\u2019s top policy aide Rui Costa.'], "It is a first",
     "Rui Costa"),
    ("rank-after-body", ['"I waited," said Air Force 1st Lt. Tim Vey.'], "I waited", "Tim Vey"),
    ("description-comma-name", ['"The odds are long," said another leading trial advocate, Ida M. Strand of the firm '
                                'Strand Lowe.'], "The odds", "Ida M. Strand"),
    ("unnamed-description", ['"They stand out," said a veteran Labour strategist who backs no one.'], "They stand",
     "a veteran Labour strategist who backs no one"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in AFTER_THE_VERB],
                         ids=[c[0] for c in AFTER_THE_VERB])
def test_a_description_after_the_verb_gives_the_name_it_ends_with(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


VERBS_OF_TEMPER = [
    # verbs of manner that report speech as much as "said" does
    ("barked", ['The anchor kept asking.', '"Go back to your seat," Mayor Jo Park barked.'], "Go back", "Jo Park"),
    ("scoffed", ['"Silly boys," scoffed Lia Marsh, 22, who founded the club.'], "Silly boys", "Lia Marsh"),
    ("retaliated", ['"This town will always be this town," an angry Tom Reyes retaliated.'], "This town", "Tom Reyes"),
    ("remembered", ['"Analysts said no," remembered Roy Vale, the former spokesman.'], "Analysts said", "Roy Vale"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in VERBS_OF_TEMPER],
                         ids=[c[0] for c in VERBS_OF_TEMPER])
def test_verbs_of_manner_are_cues(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_a_reporting_clause_inside_the_subject_gives_the_reporter():
    # "Ada Berg said critics had predicted ...": critics predicted, but Ada Berg is the one reporting
    [f] = read_story(["Ada Berg said critics had predicted a withdrawal.", '"We will stay in the region."'])
    assert f.speaker is not None and f.speaker.name == "Ada Berg"


def test_an_opening_clause_with_a_reporting_verb_does_not_hide_a_colon_lead_in():
    [f] = read_story(["Asked whether the campaign would apologise, Mr. Olaf Brenn shot back: \"That would be good.\""])
    assert f.speaker is not None and f.speaker.name == "Olaf Brenn"


APPOSITIVE_CHAINS = [
    # a name opening the sentence, then descriptions set off by commas up to the verb
    ("body-in-chain", ['Rolf Haas, the president of Civic Watch, a group that has sued the city, said that "the '
                       'damage is done."'], "the damage", "Rolf Haas"),
    ("place-in-chain", ['Mark Olsen, a 55-year-old salesman from Sumter, South Carolina, says the mayor will "leave '
                        'with momentum."'], "leave with", "Mark Olsen"),
    ("clause-in-chain", ['Senator Ruth Shell, the Alabama Republican who heads the banking committee, which oversees '
                         'the bank, said the gifts "call into question its independence."'], "call into", "Ruth Shell"),
    ("party-label", ['After the vote, Speaker of the House Rep. Paul Rian (R-Wis.) said "such images have no '
                     'place."'], "such images", "Paul Rian"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in APPOSITIVE_CHAINS],
                         ids=[c[0] for c in APPOSITIVE_CHAINS])
def test_the_name_opening_a_chain_of_descriptions_speaks(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_a_digest_line_names_whose_words_follow_the_dash():
    # "Topic of the item - Name: '...'": a roundup's line; the topic is no speaker
    [f] = read_story(["Pollsters agree on one lesson - Carl Bialek: \u201cKeep on contacting voters late.\u201d"])
    assert f.speaker is not None and f.speaker.name == "Carl Bialek"


PHRASAL = [
    ("shot-back", ['"He wants to be a tough guy tonight," Mayor Jo Park shot back. "Let me talk."'], "He wants",
     "Jo Park"),
    ("fired-back", ['Ines Varga fired back that the "voters chose me twice" in the city.'], "voters chose", "Ines Varga"),
    ("went-on", ['"You know, it happens, right?" Tom Aske went on, as if he had not heard.'], "You know", "Tom Aske"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in PHRASAL], ids=[c[0] for c in PHRASAL])
def test_two_word_verbs_of_speech_are_cues(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


GLUED = [
    # a body, a party or a state written before a person's name is their role, not part of the name
    ("body-and-party", ['Senate Democrat Tom Massey backed Rand Paul, but now said the mayor had "the chance to bring us '
                        'together."'], "the chance", "Tom Massey"),
    ("state-and-party", ['"We won," said Iowa Republican Jeff Kaufman.'], "We won", "Jeff Kaufman"),
    ("a-body-stays-whole", ['"The committee will meet," the Senate Banking Committee said.'], "The committee",
     "the Senate Banking Committee"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in GLUED], ids=[c[0] for c in GLUED])
def test_a_body_glued_before_a_name_is_its_role(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_a_name_after_and_is_the_subject_of_its_own_clause():
    [f] = read_story(["At one point, a woman asked for a photo and Rita Moss said, \"As long as it is legal.\""])
    assert f.speaker is not None and f.speaker.name == "Rita Moss"


def test_a_surname_that_is_also_a_verb_before_said_is_the_speaker():
    # '"...," Read said.': "Read" opens the words after the quotation, capitalised, then "said"
    [f] = read_story(["Chief executive Ian Read spoke to analysts.", '"We have assessed the risk," Read said.'])
    assert f.speaker is not None and f.speaker.name == "Ian Read"


def test_a_surname_of_a_place_is_the_person_from_there():
    # "Butterfield of North Carolina": the person, with the state as where they are from
    [f] = read_story(["Al Butterfield chairs the caucus.",
                      'Butterfield of North Carolina said he was "outraged" by it.'])
    assert f.speaker is not None and f.speaker.name == "Al Butterfield"


def test_a_document_is_never_the_speaker():
    # its issuer when named, else no speaker at all
    [f] = read_story(['"Roads will reopen on Monday," a statement from the Harbour Board said.'])
    assert f.speaker is not None and f.speaker.name == "Harbour Board"
    [f] = read_story(["The Harbour Board met on Friday.", '"Roads will reopen on Monday," the report said.'])
    assert f.speaker is None or (f.speaker.name is None and f.speaker.mention == "the report")


TITLE_OF_BODY = [
    # "<title> of <body> <name>": the body is neither the name nor glued to it (issue 13's example)
    ("title-of-body", ['Deputy Director of Public Prosecution Anna Berg said: "We will appeal."'], "We will appeal",
     "Anna Berg"),
    ("title-of-body-initial", ['Secretary of State Jon F. Kerr said: "We remain open."'], "We remain", "Jon F. Kerr"),
    ("title-of-body-later", ['Chief of Staff Dan McDunn wrote the memo.', '"Thanks for the work," McDunn wrote.'],
     "Thanks for", "Dan McDunn"),
    # the same after the verb: "said <title> of <body> <name>" ("Director" alone is no one)
    ("said-title-of-body", ['"We will appeal," said Director of Public Prosecutions Lise Ammer.'], "We will appeal",
     "Lise Ammer"),
    ("said-head-of-body", ['"The line is closed," said Head of Operations Ravi Lall, who ran the night shift.'],
     "The line is", "Ravi Lall"),
    ("said-chief-of-body", ['"Fares will rise," said Chief Executive of Northline Rail Group Tove Sand.'],
     "Fares will", "Tove Sand"),
]


def test_a_title_of_a_body_after_the_verb_is_the_role_and_the_body():
    found = read_story(['"We will appeal," said Deputy Director of Public Prosecution Anna Berg.'])
    speaker = found[0].speaker
    assert (speaker.name, speaker.role, speaker.organization) == \
        ("Anna Berg", "Deputy Director", "Public Prosecution")


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in TITLE_OF_BODY],
                         ids=[c[0] for c in TITLE_OF_BODY])
def test_a_title_of_a_body_before_a_name_is_not_the_name(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


JOINED_TITLES = [
    # titles joined by "and", or a title set off by a comma, before the name: the name is what ends it
    ("said-titles-and-titles", ['"Bookings doubled," says Lantern Events Co-Owner and Lead Planner Mira Sol.'],
     "Bookings doubled", "Mira Sol"),
    ("titles-and-titles-said", ['"Bookings doubled," Keel Labs CEO and co-founder Oren Pask said.'], "Bookings",
     "Oren Pask"),
    ("titles-and-titles-lead-in", ['Lantern Events Founder and Lead Planner Mira Sol said: "We book a year out."',
                                   '"It was never this busy," Sol added.'], "It was never", "Mira Sol"),
    ("title-comma-name", ['"Listen first," says Co-Founder, Mira Sol.'], "Listen first", "Mira Sol"),
    ("owners-title-comma-name", ['Keel is where "good rates meet good work," says Keel Moving\'s Vice President, '
                                 'Oren Pask.'], "good rates", "Oren Pask"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in JOINED_TITLES],
                         ids=[c[0] for c in JOINED_TITLES])
def test_titles_joined_by_and_or_a_comma_are_not_the_name(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_titles_joined_by_and_are_the_role_and_the_body():
    speaker = read_story(['"Bookings doubled," Keel Labs CEO and co-founder Oren Pask said.'])[0].speaker
    assert (speaker.name, speaker.role, speaker.organization) == ("Oren Pask", "CEO and co-founder", "Keel Labs")


def test_two_people_joined_by_and_are_not_titles_and_a_name():
    from quoteledger.quotes.names import joint_titles_then_name
    assert joint_titles_then_name("Tom Reed and Anna Berg") is None
    assert joint_titles_then_name("President Tom Reed and First Lady Anna Berg") is None


def test_the_owner_of_a_body_is_a_description_not_the_body():
    # "the owner of X told us": the one who speaks is the owner (unnamed), never the business
    speaker = read_story(['"Tracking costs is vital," the owner of Harbour Care Packages told us.'])[0].speaker
    assert speaker.name == "the owner of Harbour Care Packages" and speaker.kind == "anonymous"
    assert (speaker.role, speaker.organization) == ("owner", "Harbour Care Packages")
    # and a role the story gave someone is that person
    found = read_story(['Mayor Tove Lund opened the bridge.', '"We will grow," the mayor of Eastvale said.'])
    assert found[0].speaker.name == "Tove Lund"


GLUED_DESCRIPTIONS = [
    # a tabloid's description opening the sentence, capitalised, before the name (issue 13: boundaries)
    ("occupation", ['Footballer Rory Vance said: "We gave everything tonight."'], "We gave", "Rory Vance"),
    ("occupation-with-postnominal", ['Prosecutor Ines Dahl KC told jurors: "This was planned."'], "This was planned",
     "Ines Dahl"),
    ("hyphened-family", ['Mum-of-two Kerry Anne Voss, 34, said: "I grabbed the children and ran."'], "I grabbed",
     "Kerry Anne Voss"),
    ("hyphened-ex", ['Ex-boxer Dario Fell said: "I never lost my temper in the ring."'], "I never lost",
     "Dario Fell"),
    ("mood-adjective", ['Tearful Nola Prent said: "He was my whole world."'], "He was my", "Nola Prent"),
    ("former-opening", ['Former Tom Askew said: "I never wanted this job."'], "I never wanted", "Tom Askew"),
    ("opener-preposition", ['Unlike Hal Brenner, the mayor stayed.', 'Brenner said: "I had no choice."'],
     "I had no", "Hal Brenner"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in GLUED_DESCRIPTIONS],
                         ids=[c[0] for c in GLUED_DESCRIPTIONS])
def test_a_capitalised_description_or_opener_is_not_part_of_the_name(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_a_description_glued_to_the_name_is_kept_as_its_role():
    found = read_story(['Footballer Rory Vance said: "We gave everything tonight."'])
    assert found[0].speaker.name == "Rory Vance" and found[0].speaker.role == "Footballer"


def test_a_first_name_that_is_also_a_word_stays_a_name():
    # "Hunter", "Grace", "Will" open names as often as sentences: only the listed words are split off
    for name in ("Hunter Vale", "Grace Orme", "Will Dacre"):
        found = read_story([f'{name} said: "We are ready for the vote."'])
        assert found[0].speaker.name == name


ANAPHORIC_DESCRIPTIONS = [
    # "the 34-year-old", "the Dutchman", "the footballer": the person the story named with it
    ("age-after-name", ['Lena Marsh, 34, was driving home when the storm hit.', 'Her neighbour Ivo Tan called for '
                        'help.', 'The 34-year-old said: "I thought I would die in there."'], "I thought",
     "Lena Marsh"),
    ("age-before-name", ['34-year-old Lena Marsh was driving home when the storm hit.', 'Her neighbour Ivo Tan, 61, '
                         'called for help.', 'The 34-year-old said: "I thought I would die in there."'], "I thought",
     "Lena Marsh"),
    ("nationality", ['Head coach Ruud Vell watched his side lose again.', '"We were poor," said Vell.',
                     'The Dutchman added: "We must improve quickly."'], "We must", "Ruud Vell"),
    ("occupation", ['Footballer Rory Vance scored twice on Saturday.', 'The footballer said: "It was a dream."'],
     "It was a dream", "Rory Vance"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in ANAPHORIC_DESCRIPTIONS],
                         ids=[c[0] for c in ANAPHORIC_DESCRIPTIONS])
def test_the_description_of_a_named_person_is_that_person(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


WRITER_OR_READER = [
    # the writer's "I"/"we" or the reader's "you" at a cue is never a person named nearby (issue 13)
    ("writer-i", ['Mara Quinn runs the clinic on Elm Street.', 'When I met her last year, I asked, "Is the work '
                  'getting any easier for the staff?"'], "Is the work"),
    ("writer-we", ['Tom Reed reviewed the kettle for us.', 'As we often say here, "Cheap kettles are a false '
                   'economy in the long run."'], "Cheap kettles"),
    ("reader-you", ['Ada Berg teaches negotiation.', 'You can simply say, "I would like to discuss the salary range '
                    'for this role."'], "I would like"),
    ("writer-contraction", ['Ivo Marsh wrote the library.', 'I\u2019ve been telling other creators: "You need to '
                            'understand your own data first."'], "You need"),
]


@pytest.mark.parametrize("paragraphs, start", [c[1:] for c in WRITER_OR_READER], ids=[c[0] for c in WRITER_OR_READER])
def test_the_writers_or_readers_pronoun_names_no_one(paragraphs, start):
    f = _quotation(paragraphs, start)
    assert f.speaker is None or f.speaker.name is None


def test_a_quoted_speaker_saying_i_is_still_that_speaker():
    found = read_story(['"When I saw it, I said, \u2018We are leaving tonight,\u2019 and we went," said Ada Berg.'])
    assert found[0].speaker.name == "Ada Berg"


LONE_OPENING_WORDS = [
    # one capitalised word opening its sentence, written in lower case elsewhere: no name
    ("imperative", ['Consider the question: "Where are we, and where should we be by the end of the year?" Then '
                    'consider the cost.'], "Where are we"),
    ("heading", ['The team tracked every release for a year.', 'Reliability:', '"We have not had a single outage '
                 'since the spring."', 'Reliability matters more than speed: users notice reliability.'], "We have not"),
    # one capitalised word opening its sentence and read as an imperative or a gerund (the word after
    # it is no verb of its), even where the story never writes it in lower case
    ("imperative-never-lower", ['Fit the shelf in an afternoon.', 'Tighten both brackets and maintain the "level '
                                'line" across the wall.'], "level line"),
    ("gerund-asking", ['Sorting a wardrobe takes a weekend.', 'Decluttering each drawer starts with asking "does '
                       'this still fit me?" of every shirt.'], "does this"),
]


@pytest.mark.parametrize("paragraphs, start", [c[1:] for c in LONE_OPENING_WORDS], ids=[c[0] for c in LONE_OPENING_WORDS])
def test_a_lone_opening_word_written_in_lower_case_elsewhere_is_no_name(paragraphs, start):
    f = _quotation(paragraphs, start)
    assert f.speaker is None or f.speaker.name is None


def test_a_lone_surname_opening_its_sentence_is_still_a_name():
    # never in lower case, or written capitalised inside a sentence too: a name
    found = read_story(['The hearing lasted an hour.', 'Halvorsen said: "I have nothing to add to my statement."'])
    assert found[0].speaker.name == "Halvorsen"
    found = read_story(['Respondents said: "We would pay more for a safer road."', 'The respondents were drivers.'])
    assert found[0].speaker.name == "Respondents"
    # a surname then a verb of its own with no -ed: still the subject
    found = read_story(['The hearing lasted an hour.', 'Halvorsen went on to say, "I have nothing to add."'])
    assert found[0].speaker.name == "Halvorsen"


NEWSROOM_STYLES = [
    # an anonymous source qualified after the noun (a wire's and a US network's style)
    ("source-familiar", ['"The talks have stalled," a source familiar with the negotiations told the Ledger.'],
     "The talks", "a source familiar with the negotiations"),
    ("person-close-to", ['"She is devastated," a person close to the singer said.'], "She is",
     "a person close to the singer"),
    ("source-speaking-to-an-outlet", ['Another source speaking to Harbour News said, "The agents are still looking."'],
     "The agents", "Another source speaking to Harbour News"),
    # "the" + party + title + full name, all capitalised (a British paper's house style)
    ("the-party-mp-name", ['"This is a scandal," the Labour MP Ines Dahl said.'], "This is", "Ines Dahl"),
    ("the-party-mp-name-before", ['The Green MP Ines Dahl said: "This is a scandal."'], "This is", "Ines Dahl"),
    # two particles inside one name
    ("two-particles", ['"We will not wait," the commission president, Anna van der Berg, said.'], "We will not",
     "Anna van der Berg"),
    ("two-particles-after-verb", ['"We will not wait," said Anna van der Berg, the commission president.'],
     "We will not", "Anna van der Berg"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in NEWSROOM_STYLES],
                         ids=[c[0] for c in NEWSROOM_STYLES])
def test_newsroom_styles_of_naming_a_speaker(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_a_body_with_a_party_word_is_no_titled_person():
    found = read_story(['The Democratic National Convention said in a statement: "We condemn it."'])
    assert found[0].speaker.name != "National Convention"


NOUNS_IN_LY = [
    # a noun ending in -ly is no adverb to strip from the subject ("reportedly said" is)
    ("family-after-lead", ['Tom Reed died on Friday.', 'In a statement, his family said: "Tom was the best of us."'],
     "Tom was", "his family"),
    ("the-family", ['Tom Reed died on Friday.', 'The family said: "Tom was the best of us."'], "Tom was",
     "The family"),
    ("ally", ['A close ally of the mayor said: "She will not resign."'], "She will not", "A close ally of the mayor"),
    ("adverb-still-stripped", ['Tom Reed reportedly said: "We will sell the club."'], "We will sell", "Tom Reed"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in NOUNS_IN_LY], ids=[c[0] for c in NOUNS_IN_LY])
def test_a_noun_in_ly_stays_in_the_subject(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_with_a_name_then_an_adverb_then_a_participle_names_the_speaker():
    # "with Trump reportedly yelling: ...", "with Cruz recently promising to ...": the adverb between
    found = read_story(['Some fans booed at the rally in Leeds, with Ivo Marsh reportedly yelling: "Get him out of '
                        'here!"'])
    assert found[0].speaker.name == "Ivo Marsh"


DOCUMENTS_WITHOUT_ISSUER = [
    # a document with no issuer named at the cue: no speaker, never the document (the words stay
    # a quotation, the document kept as the mention)
    ("modified-report", ['"Trackers help people walk more," the trends report said.'], "Trackers help",
     "the trends report"),
    ("dated-study", ['A 2015 study concluded that "short sets of heavy lifts build the most strength."'],
     "short sets", "A 2015 study"),
    ("complaint", ['The complaint said the firm "failed to protect its customers\u2019 records."'], "failed to protect",
     "The complaint"),
    ("review", ['A systematic review concluded that fasting "shows promise for some patients."'], "shows promise",
     "A systematic review"),
]


@pytest.mark.parametrize("paragraphs, start, mention", [c[1:] for c in DOCUMENTS_WITHOUT_ISSUER],
                         ids=[c[0] for c in DOCUMENTS_WITHOUT_ISSUER])
def test_a_document_with_no_issuer_named_gives_no_speaker_but_stays_a_quotation(paragraphs, start, mention):
    f = _quotation(paragraphs, start)
    assert f.speaker is not None and f.speaker.name is None
    assert f.speaker.mention == mention and f.kind != "scare"


def test_the_issuer_named_before_a_document_speaks_for_it():
    found = read_story(['The Harbour Board complaint says the firm would "raise prices on the day of the move."'])
    assert found[0].speaker.name == "Harbour Board"


def test_words_before_the_verb_that_end_on_no_one_name_no_speaker():
    # an adverb, a modal, a preposition or a figure ends the words the subject rule took: a cue of
    # speech, but no one named (never "the more you should" as a group of speakers)
    for text, start in [('The more you practise, the more you should add "small changes" each week.', "small changes"),
                        ('The biggest makers of 2022 claimed "the longest range in the world."', "the longest")]:
        [f] = [f for f in read_story(["The season opened in May.", text]) if f.text.startswith(start)]
        assert f.speaker is None or f.speaker.name is None, (text, f.speaker)


def test_a_frequency_adverb_after_the_subject_is_not_part_of_it():
    for text in ['He often said "we will win this" at rallies.', '"We will win this," Ann Lee often said.',
                 'Ann Lee always says "we will win this" at rallies.', 'Since 2019 she has often said "we will win this."']:
        [f] = read_story(["Ann Lee, the mayor, spoke first.", text])
        assert f.speaker is not None and f.speaker.name == "Ann Lee", (text, f.speaker)


OPENING_WORDS_ARE_NO_ONE = [
    # a label or a sentence's first word before a colon, with no verb of speech: no speaker
    ("label-colon", ['Lunch: leftover soup.', "Supper: 'Harvest Moon' stew with beans and rice."], "Harvest Moon"),
    ("adverb-opener-colon", ['Thus, I did what I always do when I am unsure: \u201cjust begin\u201d.'], "just begin"),
    ("label-closing-paragraph", ['Heading:', '\u201cThe kiln runs hot on damp days, so we fire it twice.\u201d'],
     "The kiln"),
    ("opener-closing-paragraph", ['It matters. Therefore, your kiln needs a vent of its own size:',
                                  '\u201cA small kiln needs a small vent and a long cooling time.\u201d'], "A small kiln"),
]


@pytest.mark.parametrize("paragraphs, start", [c[1:] for c in OPENING_WORDS_ARE_NO_ONE],
                         ids=[c[0] for c in OPENING_WORDS_ARE_NO_ONE])
def test_a_label_or_opening_word_before_a_colon_is_no_speaker(paragraphs, start):
    f = _quotation(paragraphs, start)
    assert f.speaker is None or f.speaker.name is None


def test_a_name_before_a_colon_still_speaks():
    # the same shape with a person: the surname of someone named in full, or a verb after the name
    assert _quotation(['Tom Reed chairs the board.', 'Reed: "We will not sell the club."'],
                      "We will not").speaker.name == "Tom Reed"
    assert _quotation(['The board met.', 'Reed was blunt: "We will not sell the club."'],
                      "We will not").speaker.name == "Reed"
    assert _quotation(['The audit was long. Vantor Labs noted:', '"Patching is fast."'],
                      "Patching").speaker.name == "Vantor Labs"


def test_it_and_they_never_mean_a_sentences_first_word():
    # "More often than not, ... they respond with:" -- "More" opens a sentence; it is no group
    f = _quotation(['I read every letter. More often than not, when I write back, they respond with:',
                    '\u201cCan you not just tell us what to do? We are lost.\u201d', 'There is more to say.'],
                   "Can you not")
    assert f.speaker is None or f.speaker.name != "More"
    f = _quotation(['Over time, the watch got better. It has added a flashlight that people "actually use at '
                    'night," and it goes over budget.'], "actually use")
    assert f.speaker is None or f.speaker.name != "Over"


BUSINESS_IN_ONE_WORD = [
    # "the company", "the airline": a business the story named in one word, acting as a body
    ("subject-of-a-verb", ['Quillo cancelled 40 flights from Dunmore on Monday.', '"Safety comes first," the airline '
                           'said.'], "Safety comes", "Quillo"),
    ("owner", ['Marlow\u2019s new plant opened in Ostrava.', '"We hired 300 people," the company said in a '
               'statement.'], "We hired", "Marlow"),
    ("named-in-a-quotation-before", ['Quillo\u2019s Flight 22 lost contact early on Sunday.', '"On behalf of '
                                     'Quillo, my condolences," its chief tweeted.', 'The airline said in a statement '
                                     'that it would help families, "wherever they are".'], "wherever", "Quillo"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in BUSINESS_IN_ONE_WORD],
                         ids=[c[0] for c in BUSINESS_IN_ONE_WORD])
def test_the_company_is_a_business_named_in_one_word(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_the_company_is_never_a_place_a_surname_or_the_quoted_words():
    # a town, a person's surname, a word inside the quotation itself: none is the business
    for paragraphs in (['Shares fell in Dunmore on Monday.', '"We are on track," the company said.'],
                       ['Mr. Hale spoke first.', '"We are on track," the company said.'],
                       ['Sales doubled, citing data from Vantor.', '"Demand is strong," the company said.']):
        name = read_story(paragraphs)[0].speaker.name
        assert name not in ("Dunmore", "Hale", "Demand"), paragraphs


ADDRESSED_PRONOUNS = [
    # "he asked her", "Reed told him": the one a question or an answer was put to answers, not the asker
    ("name-asked-her", ['Ivo Marsh interviewed Lena Quist.', 'Marsh asked her about the vote.',
                        '"It was rigged," she said.'], "It was rigged", "Lena Quist"),
    ("he-asked-her", ['Ivo Marsh met Lena Quist on Friday.', 'He asked her about the vote. "It was rigged," she '
                      'said.'], "It was rigged", "Lena Quist"),
    ("she-told-him", ['Lena Quist met Ivo Marsh on Friday.', 'She told him the vote was fixed. "It was rigged," he '
                      'replied.'], "It was rigged", "Ivo Marsh"),
    ("question-then-answer", ['Ivo Marsh called Lena Quist.', '"Where are you?" he asked her.', '"At home," she '
                              'said.'], "At home", "Lena Quist"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in ADDRESSED_PRONOUNS],
                         ids=[c[0] for c in ADDRESSED_PRONOUNS])
def test_the_one_asked_or_told_answers_not_the_asker(paragraphs, start, speaker):
    test_the_speaker_is_the_name_not_the_words_around_it(paragraphs, start, speaker)


def test_her_as_a_possessive_is_no_one_addressed():
    # "told her lawyer": "her" owns the lawyer; the one who told goes on speaking
    f = _quotation(['Lena Quist met Ivo Marsh.', 'Quist told her lawyer she was innocent. "I did nothing," she said.'],
                   "I did nothing")
    assert f.speaker.name == "Lena Quist"


STATEMENTS_OF_ISSUERS = [
    # "the statement said": the body that issued it in the sentences just before, never "the statement"
    ("issued-a-statement", ['The Harbour Board issued a statement on Monday.', '"The road will reopen," the statement '
                            'said.'], "The road", "Harbour Board"),
    ("said-in-a-statement", ['Vantor Labs said in a statement that it regretted the delay.', '"We apologise to every '
                             'customer," the statement said.'], "We apologise", "Vantor Labs"),
    ("in-a-statement-said", ['In a statement, the Harbour Board said the road would open.', '"It is safe," the '
                             'statement added.'], "It is safe", "Harbour Board"),
    ("person-released", ['Mayor Ana Lind released a statement.', '"The road will reopen," the statement said.'],
     "The road", "Ana Lind"),
]


@pytest.mark.parametrize("paragraphs, start, speaker", [c[1:] for c in STATEMENTS_OF_ISSUERS],
                         ids=[c[0] for c in STATEMENTS_OF_ISSUERS])
def test_the_statement_is_its_issuers(paragraphs, start, speaker):
    f = _quotation(paragraphs, start)
    assert f.speaker is not None and f.speaker.name is not None and f.speaker.name.endswith(speaker)


def test_a_statement_no_one_issued_nearby_stays_unknown():
    # a body that only obtained or reported on the document is not its issuer
    f = _quotation(['The Courier obtained a report on the pier.', '"The pier is unsafe," the report said.'],
                   "The pier")
    assert f.speaker is None or f.speaker.name is None


def test_a_party_title_and_a_seat_before_the_name_are_the_role_and_the_body():
    # the UK style "Labour MP for Leeds East Ana Lind": the seat is no part of the name
    for paragraphs in (['"We will win," Labour MP for Eastmoor Vale Ana Lind said.'],
                       ['"We will win," said Labour MP for Eastmoor Vale Ana Lind.'],
                       ['Labour MP for Eastmoor Vale Ana Lind said: "We will win."']):
        speaker = read_story(paragraphs)[0].speaker
        assert (speaker.name, speaker.role, speaker.organization) == ("Ana Lind", "Labour MP", "Eastmoor Vale")


def test_a_portfolio_completes_the_title():
    # "Secretary of State", "Chief of Staff": one title, no body
    speaker = read_story(['"We will win," Former Secretary of State Anna Berg said.'])[0].speaker
    assert (speaker.name, speaker.role, speaker.organization) == ("Anna Berg", "Former Secretary of State", None)
    speaker = read_story(['"We will win," said Chief of Staff Dan Holm.'])[0].speaker
    assert (speaker.name, speaker.role) == ("Dan Holm", "Chief of Staff")


def test_the_one_a_relative_clause_picks_out_is_the_person_named_next():
    # a feature's portrait: "the woman who ... says", then '"...," says Ada Berg from ...' -- not the
    # woman quoted earlier
    f = _quotation(['"Tinned pies?" asks one shopper with a frown.', 'But the woman who first brought the cake to '
                    'Asia says it took "years of tastings" to sell it.', '"Food is a key export," says Ada Berg from '
                    'Luna 57, a deli in Singapore.'], "years of tastings")
    assert f.speaker.name == "Ada Berg"
    # with no one named next, the one described earlier goes on (the man held is the man held)
    f = _quotation(['A man was held on Monday. "I did nothing," a man at the scene said.', 'The man who was held '
                    'said he was "just walking home".', 'Police said nothing more.'], "just walking")
    assert f.speaker.name == "a man at the scene"


def test_he_and_a_verb_after_an_opening_phrase_with_no_comma():
    # "In the foul air of the engine room he found "..."": the subject is "he", not the phrase
    f = _quotation(['Ivo Brandt was a stoker on the boat.', 'In the foul air of the engine room he found "the '
                    'bodies of a dozen men".'], "the bodies")
    assert f.speaker is not None and f.speaker.name == "Ivo Brandt"


def test_a_question_opening_with_a_negative_verb_is_not_part_of_the_name():
    # "Didn't Benjamin Franklin quip that ...?": the name is what follows the opener
    for opener in ("Didn't", "Didn\u2019t", "Wasn't"):
        f = _quotation([f'{opener} Ada Berg once quip that "a bicycle is proof of good sense"?'], "a bicycle")
        assert f.speaker.name == "Ada Berg", opener
