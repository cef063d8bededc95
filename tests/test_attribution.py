"""Attribution: each pattern of the core issue, on short stories written for these tests."""
import pytest

from quoteledger.quotes import find_quotations


def speakers(*paragraphs):
    return [(q.text, q.speaker.name, q.kind) for q in find_quotations(list(paragraphs))]


def only(paragraphs, text_start):
    for q in find_quotations(list(paragraphs)):
        if q.text.startswith(text_start):
            return q
    raise AssertionError(f"no quotation starting {text_start!r}")


@pytest.mark.parametrize("sentence, speaker", [
    ('"The bridge will open in May," said Maria Lopez.', "Maria Lopez"),
    ('"The bridge will open in May," Maria Lopez said.', "Maria Lopez"),
    ('Maria Lopez said: "The bridge will open in May."', "Maria Lopez"),
    ('Maria Lopez said that the bridge was "nearly finished" and safe.', "Maria Lopez"),
    ('The bridge is "nearly finished and safe to use," according to Maria Lopez.', "Maria Lopez"),
    ('Maria Lopez told reporters the bridge was "nearly finished and safe".', "Maria Lopez"),
    ('In a statement, Maria Lopez explained: "The bridge will open in May."', "Maria Lopez"),
    ('"The bridge will open in May," Maria Lopez added.', "Maria Lopez"),
    ('"The bridge will open in May," Maria Lopez tweeted on Monday.', "Maria Lopez"),
    ('"The bridge will open in May" \u2014 Maria Lopez', "Maria Lopez"),
    ('However, on Monday night engineer Maria Lopez told the council the bridge was "nearly finished".',
     "Maria Lopez"),
    ('"The bridge will open in May," Rep. Maria Lopez (D-Ore.) said.', "Maria Lopez"),
    ('Rep. Maria Lopez (R-Utah) said: "The bridge will open in May."', "Maria Lopez"),
    ('"The bridge will open in May," committee Chairman Rep. Maria Lopez (R-Utah) said after the vote.', "Maria Lopez"),
    ('Sen. Maria Lopez (Vt.), who chairs the panel, said: "The bridge will open in May."', "Maria Lopez"),
    ('Others disagree. Said Maria Lopez: "The bridge will open in May."', "Maria Lopez"),
    ('Adds Maria Lopez, "The bridge will open in May."', "Maria Lopez"),
    ('Many engineers agree, among them Maria Lopez -- "The bridge will open in May" -- and Tom Reed.',
     "Maria Lopez"),
    ('When Tom Reed noted that the bridge was late \u2015 as it was last year \u2015 Maria Lopez replied, '
     '"The bridge will open in May."', "Maria Lopez"),
])
def test_cue_patterns(sentence, speaker):
    q = find_quotations([sentence])[0]
    assert q.speaker.name == speaker
    assert q.cue is not None or "\u2014" in sentence or " -- " in sentence


def test_speaker_in_the_previous_paragraph_with_a_colon():
    q = only(["Engineer Tom Reed, who led the survey, said:", '"Every pillar is sound."'], "Every pillar")
    assert q.speaker.name == "Tom Reed"


def test_pronoun_resolves_to_the_last_fitting_person():
    q = only(["Anna Berg inspected the site on Friday.", '"It is safer than ever," she said.'], "It is safer")
    assert (q.speaker.name, q.speaker.mention) == ("Anna Berg", "she")


@pytest.mark.parametrize("mention", ["Mr Trask", "Trask", "Dr Trask"])
def test_surnames_and_honorifics_resolve_to_the_fullest_name(mention):
    q = only(["Finance chief Oliver Trask opened the meeting.", f'"We cut costs," {mention} said.'], "We cut")
    assert q.speaker.name == "Oliver Trask"


def test_role_noun_resolves_to_the_person_with_that_role():
    q = only(["Prime Minister Ada Quill met the mayors.", 'The prime minister said it was "a good day for towns".'],
              "a good day")
    assert q.speaker.name == "Ada Quill"


def test_appositive_gives_role_and_organisation():
    q = find_quotations(['"Prices will rise," said Lena Ortiz, director of the Baltic Trade Institute.'])[0]
    assert (q.speaker.name, q.speaker.role, q.speaker.organization) == (
        "Lena Ortiz", "director", "Baltic Trade Institute")


def test_anonymous_source_is_kept_as_its_description_and_the_person_refers_back():
    result = find_quotations([
        '"We cannot pay the duty," said an executive with a shipping firm that imports grain.',
        '"It will cost us," the person said, declining to be named.'])
    assert result[0].speaker.kind == "anonymous"
    assert result[0].speaker.name == "an executive with a shipping firm that imports grain"
    assert result[1].speaker.name == result[0].speaker.name


def test_organisations_and_groups_speak():
    result = find_quotations(['"The app is banned," police said.', 'The ministry said the rules were "final".'])
    assert result[0].speaker.name == "police" and result[0].speaker.kind in ("organization", "group")
    assert result[1].speaker.kind in ("organization", "group")


def test_continuation_in_the_next_sentence_and_paragraph():
    result = speakers('"We are proud," said coach Ian Hale. "We trained hard."', '"Next year we go again."')
    assert [r[1] for r in result] == ["Ian Hale"] * 3
    assert result[1][2] == "continuation" and result[2][2] == "continuation"


def test_a_report_by_a_body_whose_name_holds_for_is_that_body():
    q = only(['"Taxes will rise for most families," a report by Citizens for Fair Budgets said.'], "Taxes will")
    assert (q.speaker.name, q.speaker.kind) == ("Citizens for Fair Budgets", "organization")


def test_a_paragraph_opening_quotation_after_one_about_a_person_named_by_surname():
    # the paragraph before names the person only by the surname; the story gave the full name earlier
    q = only(["Prime Minister Mara Voss opened the summit. Voss spoke first, and Voss spoke last.",
              "Voss also met Defense Secretary Ash Lind on Friday.",
              "Lind is upbeat about the talks, in part because he sees the navy as ready.",
              '"This region is home to half the world."'], "This region")
    assert q.speaker.name == "Ash Lind"


def test_multi_paragraph_quotation_attributed_at_its_end():
    result = speakers('"The first part of the plan is simple.', '"The second part is harder," said Jo Park.')
    assert [r[1] for r in result] == ["Jo Park", "Jo Park"]


def test_participle_cue_takes_the_earlier_speaker():
    q = only(['"We agree," said Xu Min, adding that the two sides "remain close partners".'], "remain close")
    assert q.speaker.name == "Xu Min"


def test_dubbed_by_and_called_it():
    result = find_quotations([
        "The pair were dubbed 'the quiet twins' by gang leaders.",
        'Acme Foods opened what it called the "largest kitchen in Europe" last week.'])
    assert result[0].speaker.name == "gang leaders"
    assert result[1].speaker.kind == "organization"


def test_secondary_sources():
    q = find_quotations(['"Ties are strong," said Li Wei, according to the official readout published by state media.'])[0]
    assert q.speaker.name == "Li Wei"
    assert q.secondary_source["kind"] == "readout"
    q = find_quotations(['The ministry was informed "about the talks," according to a Kremlin statement.'])[0]
    assert q.speaker.name == "Kremlin"
    assert q.secondary_source["kind"] == "statement"


def test_scare_quotes_never_steal_a_speaker():
    result = find_quotations(["The treaty set up a 'no limits' partnership with 'long-term' plans.",
                              '"We will meet again," said Omar Said.'])
    kinds = [(q.text, q.kind) for q in result]
    assert kinds[0] == ("no limits", "scare") and kinds[1] == ("long-term", "scare")
    assert result[2].speaker.name == "Omar Said"


@pytest.mark.parametrize("verb", ["condemned", "highlighted"])
def test_a_short_phrase_with_a_cue_and_a_speaker_is_a_quotation_even_before_a_noun(verb):
    q = find_quotations([f'Amnesty International has {verb} the "utterly unacceptable" hate crimes.'])[0]
    assert (q.kind, q.speaker.name) == ("partial", "Amnesty International")


def test_unknown_speaker_rather_than_a_wrong_one():
    q = find_quotations(['"Nobody knows what comes next."'])[0]
    assert q.speaker.name is None and q.speaker.kind == "unknown"


def test_quotation_after_a_sentence_reporting_someone():
    q = only(['Lena Voss, a teacher in Bonn, said the school felt safer now. "We can finally talk."'], "We can")
    assert q.speaker.name == "Lena Voss"


def test_answer_after_an_interviewers_question_goes_to_the_profiled_person():
    result = find_quotations([
        "Actor Mara Quinn has made four films this year. Quinn grew up in Ohio.",
        "Quinn says the work never stops. Quinn laughs about it.",
        "Did she ever want to quit?",
        '"Never. Not for a single day."'])
    assert result[-1].speaker.name == "Mara Quinn"


PROFILE = ["Actor Mara Quinn has made four films this year. Quinn grew up in Ohio.",
           "Quinn says the work never stops. Quinn laughs about it, and Quinn means it."]


def test_uncued_first_person_words_in_a_profile_go_to_its_subject():
    result = find_quotations(PROFILE + [
        'The early years were hard. "I had no money and no agent, and I kept going anyway."',
        'Her co-star is calm on set and "the one who never panics when my lines go missing".'])
    assert [q.speaker.name for q in result] == ["Mara Quinn", "Mara Quinn"]
    assert all(q.confidence < 0.5 for q in result)


def test_uncued_words_in_a_story_about_nobody_in_particular_stay_unattributed():
    result = find_quotations(["Ada Berg and Tom Reed and Lia Moss met in Leeds.",
                              'The early years were hard. "I had no money and no agent, and I kept going anyway."'])
    assert result[-1].speaker.name is None


@pytest.mark.parametrize("sentence, speaker", [
    ('Devon and Cornwall Police confirmed a van was damaged and "arrests are ongoing".', "Devon and Cornwall Police"),
    ('Police and Crime Commissioner Matt Storey said: "I thank the public."', "Matt Storey"),
    ('And a teacher at the school said they were "just trying to fuel anger".', "a teacher at the school"),
    ('Among the helpers was councillor Margaret Clarke, who said they had shown "stone age thinking".',
     "Margaret Clarke"),
    ('The march was met by counter-protesters who have vowed to keep "Nazis off our streets".',
     "counter-protesters"),
])
def test_subjects_joined_by_and_or_before_a_relative_clause(sentence, speaker):
    assert find_quotations([sentence])[0].speaker.name == speaker


def test_the_person_spoken_to_in_a_relative_clause_is_not_the_speaker():
    q = find_quotations(['Marc Morial told a young woman who suggested people may not vote that '
                         '"this is not the first generation to be frustrated".'])[0]
    assert q.speaker.name == "Marc Morial"


def test_speaker_before_a_colon_keeps_the_words_over_the_office_reporting_them():
    q = only(['During the call he said, "we will find you," the prosecutor\u2019s office said.',
              ], "we will")
    assert q.speaker.mention == "he"
    assert q.secondary_source["description"] == "the prosecutor\u2019s office"


def test_verbs_of_judgement_attribute_short_quotations():
    q = only(["Health chief Ana Tull condemned the 'deplorable thuggery' on Friday."], "deplorable")
    assert (q.kind, q.speaker.name) == ("partial", "Ana Tull")


def test_acronym_defined_in_the_story_resolves_to_the_full_name():
    q = only(["The Dutch Institute for Road Safety (DIRS) studied the crash.",
              '"The brakes failed," the DIRS report said.'], "The brakes")
    assert (q.speaker.name, q.speaker.kind) == ("Dutch Institute for Road Safety", "organization")


def test_post_nominal_honours_and_name_from_organisation():
    result = find_quotations(['"We will rebuild," said Omar Haddad MBE.',
                              'When it comes to exports, Mr Cole from Vale Dairies agrees: "Quality sells."',
                              "Sam Cole joined the firm in 2001."])
    assert result[0].speaker.name == "Omar Haddad"
    assert result[1].speaker.organization == "Vale Dairies"


def test_a_described_person_keeps_the_description_for_he():
    q = only(['A fisherman on the quay was blunt: "It is finished," he laughs.'], "It is finished")
    assert (q.speaker.name, q.speaker.kind) == ("A fisherman on", "anonymous")


def test_organisation_role_resolves_to_the_person_named_just_after():
    q = only(["The league\u2019s chief executive has said he wants a 'fair deal' for clubs.",
              "Speaking in Leeds, Tom Hale said talks would go on."], "fair deal")
    assert (q.kind, q.speaker.name, q.speaker.role) == ("partial", "Tom Hale", "league\u2019s chief executive")


def test_passive_reporting_verb_is_no_cue():
    q = only(["Local councils said the pumps had arrived, and residents were told the paths were \u201ctreacherous\u201d."],
             "treacherous")
    assert q.speaker.name == "Local councils"


def test_a_place_with_a_two_word_name_is_never_he():
    q = only(["Mayor Tom Reed has pushed for gun control.",
              'After nine people were killed in South Carolina in June, he admitted "politics in this town" '
              "meant there were few options."], "politics")
    assert q.speaker.name == "Tom Reed"


def test_he_is_never_a_person_the_story_calls_a_wife():
    q = only(["Tom Reed spent years in prison.",
              'In the film, Reed gives up hope. His loyal wife Mae Lin visits him. "Divorce me," he says.'],
             "Divorce")
    assert q.speaker.name == "Tom Reed"


def test_a_surname_takes_the_full_name_the_headline_gives():
    paragraphs = ["The film starts in prison. Carter boxed well for years.", '"I am dead," Carter says.']
    assert only(paragraphs, "I am dead").speaker.name == "Carter"
    q = [q for q in find_quotations(paragraphs, headline="The facts of Rubin Carter's life story")
         if q.text.startswith("I am dead")][0]
    assert q.speaker.name == "Rubin Carter"


def test_he_after_a_described_spokesperson_is_that_spokesperson():
    result = find_quotations([
        "Jo Grady, the union's general secretary, said staff were shocked.",
        "But a spokesperson for the Employers' Association (EA) said its members had cut "
        "\"atypical contracts\" over the years.",
        '"We have worked with the unions for years," he said.'])
    assert result[-1].speaker.name.startswith("a spokesperson for the Employers")
    assert result[-1].speaker.kind == "anonymous"


def test_he_after_a_described_speaker_is_the_person_named_since():
    result = find_quotations([
        'A spokesperson for the firm said it was "looking into it".',
        'Chief executive Ada Berg met staff on Monday. "We will fix this," she said.'])
    assert result[-1].speaker.name == "Ada Berg"


def test_a_surname_finds_the_person_whose_name_ends_in_jr():
    q = only(["James Roosevelt Jr., a grandson of Franklin Roosevelt, spoke on Monday.",
              '"It is in good shape," Roosevelt said.'], "It is in good")
    assert q.speaker.name.startswith("James Roosevelt Jr")


def test_it_is_the_organisation_that_reported_in_the_sentence_before():
    result = find_quotations([
        'The Medical Union has condemned the "deplorable thuggery" seen in some towns.',
        "Police have made 378 arrests so far, the National Police Council (NPC) said.",
        'It also promised a "united and robust policing response" to the disorder.'])
    assert result[-1].speaker.name == "National Police Council"


def test_a_name_used_as_an_adjective_is_nobody():
    q = only(["Radek Babicek from Fantastic Gardeners gave advice.",
              "The experts recommend an English Ivy plant for the kitchen.",
              '"If you burn yourself, rub the gel on the burn," the expert explains.'], "If you burn")
    assert q.speaker.name == "Radek Babicek"


def test_a_role_with_a_capitalised_name_inside_it():
    q = find_quotations(['"She is ready to lead," retired Air Force general Lloyd Newton said.'])[0]
    assert (q.speaker.name, q.speaker.role) == ("Lloyd Newton", "retired Air Force general")


def test_a_label_of_someone_s_thing_stays_a_scare_quote_even_with_a_cue():
    q = find_quotations(["President Xi Jinping affirmed his 'no limits' partnership with Russia, state media said."])[0]
    assert q.kind == "scare" and q.speaker.name is None


@pytest.mark.parametrize("sentence, speaker", [
    ('If cars can stop themselves, "we need those kinds of controls" in markets too, he added.', "Ada Berg"),
    ('The city "will recover" quickly, said Tom Reed, the mayor.', "Tom Reed"),
    ('Many factors "are all thought to contribute", according to the Department of Conservation.',
     "Department of Conservation"),
])
def test_an_attribution_closing_the_sentence_covers_a_quotation_inside_it(sentence, speaker):
    q = only(["Ada Berg teaches economics.", sentence], sentence.split('"')[1][:8])
    assert q.speaker.name == speaker


@pytest.mark.parametrize("description", ["Resident", "Shopkeeper", "Eyewitness", "Pensioner"])
def test_a_capitalised_description_before_a_name_is_a_role_not_part_of_the_name(description):
    q = find_quotations([f'{description} Gareth Pugh, who lives nearby, said: "It was loud."'])[0]
    assert (q.speaker.name, q.speaker.role) == ("Gareth Pugh", description)


def test_a_cue_after_a_quotation_that_trails_off():
    q = find_quotations(['"What is your single best example of an agency like this \u2026" Alito asked.'])[0]
    assert q.speaker.name == "Alito"


EXCHANGE = ["Solicitor General Ada Prelogar defends the government. She faces Justice Sam Alito.",
            '"That can be true," Prelogar said.',
            '"But there is some risk," Alito interjected. "Do you dispute that?"',
            '"There can be a very minimal risk for some people."',
            'Alito told Prelogar it was odd. "Is that right?" he asked.',
            '"Then why talk about it," he rejoined.']


def test_an_uncued_answer_to_a_question_is_the_other_party_s():
    assert only(EXCHANGE, "There can be").speaker.name == "Ada Prelogar"


def test_he_is_the_subject_of_the_sentence_before_the_one_quoted_last():
    assert only(EXCHANGE, "Is that right").speaker.name == "Sam Alito"


def test_the_story_s_own_she_tells_a_person_s_gender():
    assert only(EXCHANGE, "Then why").speaker.name == "Sam Alito"


def test_a_long_subject_naming_a_person_with_their_organisation():
    q = find_quotations(['"We will decide tomorrow," Patrol Chief James Hall with the New York Police Department '
                         'said Wednesday.'])[0]
    assert (q.speaker.name, q.speaker.kind, q.speaker.organization) == (
        "James Hall", "person", "New York Police Department")


def test_uncued_speech_shares_the_speaker_of_its_sentence_and_a_possessive_remark_is_no_cue():
    result = find_quotations([
        "Hillary Clinton said he paid nothing in taxes.",
        "Mr. Tom Reed treated Mrs. Clinton's remark as a compliment -- \"That makes me smart\" -- and, "
        "when questioned after the debate, asserting, \"Of course, I pay federal taxes.\""])
    assert [(q.text, q.speaker.name) for q in result] == [
        ("That makes me smart", "Tom Reed"), ("Of course, I pay federal taxes.", "Tom Reed")]


def test_a_long_opening_clause_before_the_subject_of_a_colon_lead_in():
    q = find_quotations(["With Democratic leaders increasingly worried about a lack of passion for the party "
                         "among young black voters, President Tom Reed is rolling out a new message: "
                         "\"It's about me.\""])[0]
    assert q.speaker.name == "Tom Reed"


@pytest.mark.parametrize("sentence, speaker", [
    ("Jean-Marc Ayrault, the foreign minister of France, a permanent member of the council, said the "
     "test was a \"provocation that cannot be left without consequences\".", "Jean-Marc Ayrault"),
    ("Donna Sampson Rawlings, 59, of Ashton, Md., who watched on a screen, said it recalled "
     "\"all the people who weren't here\".", "Donna Sampson Rawlings"),
    ('Of Friar Lawrence, Ada Prelogar said at one point, "He just wanted to help."', "Ada Prelogar"),
])
def test_a_name_opening_a_chain_of_descriptions_is_the_subject(sentence, speaker):
    assert find_quotations([sentence])[0].speaker.name == speaker


LIVE_BLOG = ["Britain has no plans to send jets, the UK's prime minister Tom Reed's spokesperson said on Monday.",
             "Asked if Britain would send jets, the spokesperson said:",
             "There are no plans to do that.",
             "Asked about the aid, Kremlin spokesperson Dmitry Peskov said:",
             "We take an extremely negative view of this.",
             "It cannot have any major impact on the operation,\u201d he said, using the Kremlin's phrase.",
             "Ukraine's leader, Ada Berg, met the UK's prime minister, Tom Reed, at Chequers.",
             "Speaking after his talk with Ada Berg, the prime minister said:",
             "Another topic we discussed today is security."]
LIVE_KINDS = ["text", "text", "blockquote", "text", "blockquote", "text", "text", "text", "blockquote"]


@pytest.mark.parametrize("start, speaker", [
    ("There are no plans", "Tom Reed's spokesperson"),
    ("It cannot have", "Dmitry Peskov"),
    ("Another topic", "Tom Reed"),
])
def test_live_blog_speakers(start, speaker):
    q = [q for q in find_quotations(LIVE_BLOG, LIVE_KINDS) if q.text.startswith(start)]
    assert q and q[0].speaker.name == speaker


STANDING_ROCK = ["On Thanksgiving, Morton County sheriff Kyle Kirchmeier released a statement condemning the "
                 "actions of \u201cpaid agitators and protesters\u201d without offering evidence.",
                 "In another statement that week, the sheriff said activists were acting like \u201cevil agitators\u201d. "
                 "The Mandan, North Dakota, police chief, Jason Ziegler, has asserted that agencies "
                 "\u201ccan use whatever force necessary\u201d."]


@pytest.mark.parametrize("start, speaker, role", [
    ("paid agitators", "Kyle Kirchmeier", "sheriff"),
    ("evil agitators", "Kyle Kirchmeier", "sheriff"),
    ("can use whatever", "Jason Ziegler", "police chief"),
])
def test_roles_between_an_organisation_or_place_and_a_name(start, speaker, role):
    q = only(STANDING_ROCK, start)
    assert (q.speaker.name, q.speaker.role) == (speaker, role)


def test_the_aged_description_is_the_person_written_about_not_a_place_named_like_a_person():
    q = only(["For Yerbin Estrada, the worst part of the day is sunset. The inmates of La Esperanza prison "
              "must then go back to their cells.",
              '"That is when the hell really begins," said the bearded 25-year-old.'], "That is when")
    assert q.speaker.name == "Yerbin Estrada"


def test_transcript_turns_take_the_label_as_speaker_and_leave_it_out_of_the_words():
    result = find_quotations([
        "On Fox News Sunday, Gov. Mike Pence said the tweet was only \u201cto mock\u201d his rival. "
        "Chris Wallace asked him about it.",
        "Partial transcript as follows:",
        '"WALLACE: Let\u2019s start with the debate story.',
        '"PENCE: Well, look, this is serious business, Chris.',
        '"(CROSSTALK.)'])
    turns = [(q.text, q.speaker.name, q.kind) for q in result][1:]
    assert turns == [("Let\u2019s start with the debate story.", "Chris Wallace", "full"),
                     ("Well, look, this is serious business, Chris.", "Mike Pence", "full"),
                     ("(CROSSTALK.)", None, "scare")]
    assert result[0].speaker.name == "Mike Pence" and result[0].cue == "said"


def test_the_aged_description_before_a_colon_is_the_person_just_named():
    q = only(["Among those who helped was councillor Margaret Clarke, who said they showed "
              "\u201cstone age thinking\u201d.",
              "The 80-year-old, a member of the Soroptimists: \u201cI have lived here for over 50 years.\u201d"],
             "I have lived")
    assert q.speaker.name == "Margaret Clarke"


def test_she_says_in_a_profile_is_its_subject_unless_the_other_woman_was_quoted():
    profile = ["Actor Mara Quinn has made four films. Quinn grew up in Ohio, and Quinn still lives there.",
               "Quinn joined the show in 2005. Ada Berg was its head writer, which she used in her book. "
               'It was tough, she says, walking in: "Like going into someone\'s living room."']
    assert only(profile, "Like going").speaker.name == "Mara Quinn"
    quoted = [profile[0], '"The show changed me," Ada Berg said.', profile[1]]
    assert only(quoted, "Like going").speaker.name == "Ada Berg"


@pytest.mark.parametrize("title", ["Del.", "Cllr.", "Atty."])
def test_a_title_abbreviation_does_not_end_the_sentence(title):
    q = find_quotations([f'"This is a waste of time," said {title} Stacey Plaskett of the Virgin Islands.'])[0]
    assert q.speaker.name == "Stacey Plaskett"


def test_it_is_the_organisation_the_sentence_opens_with():
    q = find_quotations(["The United Nations Security Council on Friday condemned North Korea's latest test and "
                         'pledged sanctions against what it called "a clear threat to international peace".'])[0]
    assert q.speaker.name == "United Nations Security Council"


def test_a_person_subject_owns_words_quoted_without_a_reporting_verb():
    story = ["Dr Lena Ortiz, who leads the survey team, spoke on Monday.",
             'In early May, Dr Ortiz estimated "between 300 and 400 pillars" would need repair.',
             'Ortiz compared the work to "painting a bridge that never stops getting longer".']
    quotes = {q.text: q for q in find_quotations(story)}
    for text in ("between 300 and 400 pillars", "painting a bridge that never stops getting longer"):
        assert quotes[text].speaker.name == "Lena Ortiz"
        assert quotes[text].kind == "partial" and quotes[text].confidence < 0.5     # a guess, and says so


@pytest.mark.parametrize("sentence", [
    'The council is "working hard to fix every single pillar" this year.',              # not a person
    'Finally, the engineers suggest "checking each of the older pillars twice".',       # a group
    'Ortiz\u2019s report contains "a bridge in much better shape than expected".',      # a thing of hers
    'Ortiz is "the best engineer the county has had in years" by far.',                # described
])
def test_no_subject_speaker_for_a_thing_a_group_or_a_description(sentence):
    q = only(["Dr Lena Ortiz leads the survey team.", sentence], sentence.split('"')[1][:12])
    assert q.speaker.name != "Lena Ortiz"


@pytest.mark.parametrize("sentence, speaker, kind", [
    ('Canadian regulators said the merger was "likely to hurt competition for years".', "Canadian regulators", "group"),
    ('Canadian regulators are studying the deal and have concluded it is "likely to hurt competition".',
     "Canadian regulators", "group"),
    ('Hong Kong police said the march was "an unlawful assembly from the start".', "Hong Kong police", "organization"),
])
def test_a_group_named_by_its_country_or_city_is_a_group_not_a_person(sentence, speaker, kind):
    q = find_quotations([sentence])[0]
    assert (q.speaker.name, q.speaker.kind) == (speaker, kind)


@pytest.mark.parametrize("body", ["Department for Environment, Food & Rural Affairs",
                                  "Department for Digital, Culture, Media and Sport"])
def test_commas_inside_a_departments_name_keep_the_whole_name(body):
    q = find_quotations([f'When asked, the {body} (Defra) said: "Farmers come first in every deal."'])[0]
    assert (q.speaker.name, q.speaker.kind) == (body, "organization")


def test_a_code_with_digits_is_not_a_name_the_story_mentions():
    story = ["Sky Harbour Air said flight SH4021 lost contact over the sea.",
             'The airline said relatives were "being looked after by a dedicated team".']
    q = find_quotations(story)[0]
    assert q.speaker.name == "Sky Harbour Air"


def test_the_pronoun_after_said_is_the_reported_clauses_subject():
    q = only(["Dr Lena Ortiz joined the survey team in 1999.",
              'She said she recalls her first bridge being "a terrifying tangle of rust and cables".'], "a terrifying")
    assert q.speaker.name == "Lena Ortiz" and q.speaker.mention == "she"


def test_a_heading_in_capitals_before_a_dash_is_not_the_subject():
    story = ["Dr Lena Ortiz has advised the county for years.",
             'BRIDGES UNDER SCRUTINY \u2014 Ortiz\u2019s blunt survey earned her a hearing, where she was questioned '
             'for saying the bridge was "a hazard for every driver on the road".']
    q = only(story, "a hazard")
    assert q.speaker.name == "Lena Ortiz"


def test_a_name_beginning_with_the_introduces_the_next_paragraph():
    story = ["Maria Lopez runs the bridge authority.", "The County Herald reports:",
             '"Every bridge in the county was inspected this spring, and none was found unsafe."']
    q = only(story, "Every bridge")
    assert (q.speaker.name, q.speaker.kind) == ("The County Herald", "organization")


def test_a_photo_caption_between_quoted_paragraphs_does_not_interrupt_the_speaker():
    story = ["Tom Reed has inspected bridges for the county since 1990.",
             '"We check every pillar by hand," says Maria Lopez, his deputy.',
             "The old river bridge seen from the east bank at dawn",
             '"Nobody has found a crack in ten years, and we look hard."']
    assert only(story, "Nobody has found").speaker.name == "Maria Lopez"


def test_a_line_naming_someone_between_quoted_paragraphs_may_introduce_the_next_speaker():
    story = ['"We check every pillar by hand," says Maria Lopez, the county engineer.',
             "Tom Reed, 54, a lorry driver",
             '"I cross the bridge twice a day and it has never worried me."']
    assert only(story, "I cross the bridge").speaker.name != "Maria Lopez"


@pytest.mark.parametrize("paragraphs, start, speaker", [
    # the one asked answers; "she" is not the asker named as the sentence's subject
    (['Host Tom Reed asked Ann Lee about the vote. "We will win," she told him.'], "We will win", "Ann Lee"),
    (['"Will you run?" Tom Reed asked Ann Lee.', '"Of course I will," she said.'], "Of course", "Ann Lee"),
    (['Radio host Tom Reed asked Ann Lee about her remarks of the night before, when she claimed the plan was '
      '"the worst deal ever made."'], "the worst deal", "Ann Lee"),
    # an answer with no cue of its own, after a question put to someone no one has quoted yet
    (['"Will you run?" host Tom Reed asked Ann Lee.', '"Of course I will."'], "Of course", "Ann Lee"),
    # the one spoken to, after "said ... to", is never the speaker
    (['"We will win," said Ann Lee to host Tom Reed.'], "We will win", "Ann Lee"),
])
def test_the_one_asked_or_spoken_to_answers_and_never_the_reverse(paragraphs, start, speaker):
    assert only(paragraphs, start).speaker.name == speaker


@pytest.mark.parametrize("paragraphs, start, speaker", [
    # the pronoun asks the question itself: the asker
    (['Tom Reed met Ann Lee on Friday.', '"Why now?" he asked her.'], "Why now", "Tom Reed"),
    # "questioned X's logic" doubts, it asks no one
    (['Juan Vela, a former adviser, also questioned Ann Lee\'s logic.', '"There is no sense in it," he said.'],
     "There is no", "Juan Vela"),
])
def test_asking_that_is_not_putting_a_question_to_someone(paragraphs, start, speaker):
    assert only(paragraphs, start).speaker.name == speaker


def test_a_later_stage_never_takes_a_speaker_quoted_after_the_words():
    # 'She admonished him for trying to "..."' (no verb of speech: a later stage of the sieve reads
    # it): "she" is the one named before, not an anonymous source quoted further down the story
    story = ["Former Gov. Ada Quill and Gov. Ron Berg clashed on Tuesday.",
             'Later, Quill pushed back when Berg praised drilling. She admonished him for trying to "act like you '
             'were never a liberal" on the issue.',
             '"It was a rough night for both," said a veteran strategist who backs neither campaign.']
    assert only(story, "act like you").speaker.name == "Ada Quill"


@pytest.mark.parametrize("paragraphs, start, speaker, kind", [
    # a person's lawyer or spokesman speaks for them, and is not them
    (['Ann Lee\'s lawyer said: "She is innocent."'], "She is innocent", "Ann Lee's lawyer", "anonymous"),
    (['"She is innocent," said Ann Lee\'s spokesman.'], "She is innocent", "Ann Lee's spokesman", "anonymous"),
    # named right after, the spokesperson is that person
    (['"Costs will rise," said Acme\'s spokesman, Tom Reed.'], "Costs will", "Tom Reed", "person"),
    # a body's spokesman still speaks for the body
    (['"Costs will rise," Acme\'s spokesman said.'], "Costs will", "Acme", "organization"),
])
def test_someone_s_lawyer_or_spokesman_is_not_that_someone(paragraphs, start, speaker, kind):
    q = only(paragraphs, start)
    assert (q.speaker.name, q.speaker.kind) == (speaker, kind)


def test_capitals_that_name_a_thing_are_no_body_that_speaks():
    # "told TV" names no organisation: "the airline" is not "TV"
    q = only(['"My heart is with the families," airline boss Tony Reed told TV.',
              'The airline said it was sending "a dedicated team of care providers to each family."'], "a dedicated")
    assert q.speaker.name != "TV"


@pytest.mark.parametrize("paragraphs, start, speaker", [
    # a company that a role heads, then "which": never "he"
    (["Next year the chain will add 150 shops, said Omar Haddad, chief executive of Crumb Bakery North America, "
      "which is based in Ohio.", "Crumb Bakery North America also runs ten shops of its own.",
      "The division will lead growth across the region.", '"We already see interest there," he said.'],
     "We already see", "Omar Haddad"),
    # a product after a determiner: never "she"; the one who received it is
    (["Priya received a bright Lumen Velvet Wrap Dress that she wore to a wedding. She shared this:",
      '"I was thrilled with how it fitted."'], "I was thrilled", "Priya"),
    (["Dana tried out the winter box in December. When asked about her new Cosy Knit Cardigan she said, "
      '"Perfect for winter, and warm."'], "Perfect for winter", "Dana"),
])
def test_he_or_she_never_means_a_company_or_a_product(paragraphs, start, speaker):
    assert only(paragraphs, start).speaker.name == speaker


@pytest.mark.parametrize("paragraphs, start, speaker", [
    # a surname used before a noun ("a Reed rally") is still the person's
    (["Ann Lee spoke at a Reed rally on Monday, and voters cheered Tom Reed.", "Tom Reed thanked them.",
      '"We close one chapter and begin another," he said.'], "We close one", "Tom Reed"),
    # "their opposition to Reed": the determiner is another noun's
    (["Some senators reaffirmed their opposition to Tom Reed on Monday.",
      '"We close one chapter and begin another," he said.'], "We close one", "Tom Reed"),
])
def test_a_person_written_near_a_determiner_is_still_he_or_she(paragraphs, start, speaker):
    assert only(paragraphs, start).speaker.name == speaker


@pytest.mark.parametrize("paragraphs, start, speaker", [
    (["Readers told us what they value most:", '"We rewrote the parser and it got ten times faster." -- Senior '
      'engineer working on payments', '"Onboarding took a week, not a month." \u2014 Founder and CEO of a small '
      'studio'], "We rewrote", "Senior engineer"),
    (["Readers told us what they value most:", '"Onboarding took a week, not a month." \u2014 Founder and CEO of a '
      'small studio'], "Onboarding", "Founder"),
    (['"The cache saved us." -- Experienced Go developer at a retailer'], "The cache", "Experienced Go developer"),
])
def test_a_dash_then_a_description_of_someone_unnamed_signs_the_words(paragraphs, start, speaker):
    quotation = only(paragraphs, start)
    assert (quotation.speaker.name, quotation.speaker.kind) == (speaker, "anonymous")


def test_a_dash_then_a_description_of_no_person_signs_nothing():
    assert only(['"Prices rose again." -- Quarterly report of the retail index'], "Prices").speaker.name is None


def test_she_says_is_the_one_reported_speaking_just_before_not_the_profile_s_subject():
    story = ['"Protein is king," says Tom Reed, a dietitian.', "But Reed says the sources are changing. Reed says "
             "plant proteins will grow.", "Reed says the trend will last.", "It is also important to eat greens, "
             'says Ana Ruiz, author of The Green Plate. "It is not wise to focus only on protein," she says.']
    assert only(story, "It is not wise").speaker.name == "Ana Ruiz"


@pytest.mark.parametrize("verb", ["notes", "states", "shares", "advises", "remarks"])
def test_he_or_she_then_a_verb_that_is_a_cue_only_after_the_words(verb):
    story = ["Ana Costa is a dietitian in Ohio.", f'"It is a matter of tolerance," she {verb}.']
    assert only(story, "It is a matter").speaker.name == "Ana Costa"


def test_words_a_study_concludes_do_not_go_on_with_the_last_speaker():
    story = ['Both experts advise care, though Ana Costa notes that one cup can be too many. "It is a matter of '
             'tolerance," she states. A review of many trials published in a journal concludes that "coffee seems '
             'safe within usual levels of intake."']
    assert only(story, "coffee seems safe").speaker.name != "Ana Costa"


@pytest.mark.parametrize("paragraphs, start, speaker", [
    (["Tom Reed studies robots.", 'According to Ann Lee, the machines are too heady. "If you play with them, you '
      'see where they fail."'], "If you play", "Ann Lee"),
    (["Tom Reed studies robots.", 'The machines are too heady, according to Ann Lee, a roboticist. "If you play '
      'with them, you see where they fail."'], "If you play", "Ann Lee"),
    (["Tom Reed studies robots.", '"Everything alive does this," Ann Lee points out.'], "Everything alive", "Ann Lee"),
])
def test_the_one_a_sentence_cites_or_points_out_speaks_the_words_after_it(paragraphs, start, speaker):
    assert only(paragraphs, start).speaker.name == speaker


def test_according_to_data_names_no_speaker_for_the_words_after_it():
    story = ["Tom Reed studies robots.", 'Sales fell, according to the figures. "If you play with them, you see '
             'where they fail."']
    assert only(story, "If you play").speaker.name != "the figures"


@pytest.mark.parametrize("sentence, start, speaker", [
    ('Sources close to the prime minister said: "He is furious."', "He is furious", "Sources close to the prime minister"),
    ('"He will not resign," allies of the chancellor said.', "He will not", "allies of the chancellor"),
    ('Allies of the chancellor said she was "furious and upset" about the leak.', "furious", "Allies of the chancellor"),
    ('People familiar with the talks said: "The deal is dead."', "The deal", "People familiar with the talks"),
])
def test_people_unnamed_with_their_tie_to_someone_are_the_speakers(sentence, start, speaker):
    quotation = only([sentence], start)
    assert (quotation.speaker.name, quotation.speaker.kind) == (speaker, "group")


def test_they_after_the_words_is_the_body_reporting_in_the_sentence_before():
    story = ["Big Harbour have denied the claims.", '"We never agreed," they said.',
             "The company that runs the awards, Crestline Productions, denies that anything has been agreed.",
             '"Any deal must be made with her team," they said.']
    assert only(story, "Any deal").speaker.name == "Crestline Productions"
    assert only(story, "We never agreed").speaker.name == "Big Harbour"
