"""Stage two of the sieve: from the words at a cue (a mention: "Gabuev", "she", "the airline",
"NYU's Donefer", "a spokesperson for X") to the speaker it means, with their fullest name, role and
organisation. RESOLVERS is the order: the first resolver that claims a mention decides it."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Optional

from ..model import Speaker
from .attribution import (ANONYMOUS_WITH_KNOWLEDGE, DOCUMENT_FROM, GROUP_WITH_TIES, LISTED_ORG_NAME, MASK, cue_before, sentence_subject,
                          split_prenominal, title_and_body, title_of_body_then_name)
from .lexicon import (ANONYMOUS_HEADS, AUXILIARIES, GROUP_HEADS, HONORIFICS, NAME_SEQ, NOT_NAMES, ORG_NOUNS, PREPOSITIONS, PRONOUNS,
                      REPORTING_VERBS, ROLE_NOUNS)
from .names import PUBLIC_FIGURES, Entity, clean_name_tokens, describes_a_person, kind_of, strip_titles
from .steps import step
from .story import (Found, StoryState, is_personal_pronoun, masked_at, sentence_up_to, subject_of_sentence_at,
                    subject_span)

_ORG_ROLE = re.compile(r"^(?P<org>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)['\u2019]s\s+"
                       r"(?P<role>(?:[A-Z][a-z]+\s+)?[a-z][a-z -]{1,40})$")
_ORG_S_THING = re.compile(r"^(?P<org>.+?)['\u2019]s\s+(?:report|statement|analysis|study|findings|website|account|"
                          r"filing|release|announcement|readout|spokesperson|spokesman|spokeswoman|lawyers?|"
                          r"attorneys?)$")
_ORG_S_PERSON = re.compile(r"^(?P<org>.+?)['\u2019]s\s+(?P<name>[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+)*)$")
_REPORT_WORD = re.compile(r"\b(?:report|statement)\b")
_STATEMENT_WORD = re.compile(r"\b(?:statement|readout|report)\b")
_NAME_FROM_ORG = re.compile(rf"^({NAME_SEQ})\s+(?:from|of|at|with)\s+(?:the\s+)?([A-Z].*)$")
_NAMED_GROUP = re.compile(r"^(?:[A-Z][\w'\u2019.-]*\s+)+[a-z]+$")
_CAPITALISED_TAIL = re.compile(r"\s([A-Z][^\s]*(?:\s+[A-Z][^\s]*)+)$")
_LOWERCASE_WORD = re.compile(r"\s[a-z]")

_OF_WORDS = frozenset("of for at with from".split())

# A resolver's answer that ends the search with no speaker (None lets the next resolver try).
NOBODY = Speaker(None, None, "unknown", None, None)


class Mention:
    """The words at a cue naming the speaker, with where they stand and the description set after
    them ("Lena Ortiz" + "director of the Baltic Trade Institute")."""

    __slots__ = ("text", "low", "words", "pos", "appositive", "_parts")

    def __init__(self, text: str, pos: int, appositive: Optional[str]):
        self.text = text.strip()
        self.low = self.text.lower()
        self.words = self.low.split()
        self.pos = pos
        self.appositive = appositive
        self._parts = None

    @property
    def parts(self) -> tuple[str, Optional[str], Optional[str]]:
        """(name, role, organisation) written around the name: "airline boss Tony Fernandes",
        "Mr Jones from Somerdale International", "Skipper for the night Jonny Evans"."""
        if self._parts is None:
            text, words = self.text, self.words
            name_text, pre_role, pre_org = split_prenominal(text)
            from_org = _NAME_FROM_ORG.match(name_text)
            titled = title_of_body_then_name(name_text) if from_org and pre_role is None else None
            if titled:
                # "Deputy Director of Public Prosecution Anna Berg": a title of a body, then the name
                name_text, (pre_role, pre_org) = titled.group("name"), title_and_body(titled)
            elif from_org and pre_role is None and (person_like(from_org.group(1)) or
                                                    _surname_alone(from_org.group(1))):
                # "Mr Jones from Somerdale International"
                name_text, pre_org = from_org.group(1), from_org.group(2)
            trailing = _CAPITALISED_TAIL.search(name_text) \
                if _LOWERCASE_WORD.search(name_text) and not _one_organisation_name(name_text) and \
                words[0] not in ("a", "an", "one") and not ANONYMOUS_WITH_KNOWLEDGE.match(text) else None
            # ("a spokesperson for X", "another source speaking to Fox News" describe someone)
            if pre_role is None and trailing and len(trailing.group(1).split()) >= 2 and \
                    name_text[:trailing.start()].rsplit(None, 1)[-1] not in _OF_WORDS:
                # (but "the owner of Harbor Bakery" is a description: the body is whose, not a name)
                # "Skipper for the night Jonny Evans": the name is what ends it
                pre_role, name_text = name_text[:trailing.start()].strip(), trailing.group(1)
            self._parts = (name_text, pre_role, pre_org)
        return self._parts


# -- the resolvers, in order ---------------------------------------------------------------------

@step("pronoun",
      (["Anna Berg inspected the site on Friday.", '"It is safer than ever," she said.'], "It is safer", "Anna Berg"),
      (["Big Harbour have denied the claims.", '"We never agreed," they said.', "Crestline Productions denies that "
        'anything has been agreed.', '"Any deal must be made with her team," they said.'], "Any deal",
       "Crestline Productions"))
def pronoun(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"he", "she", "they", "it": the last fitting person, group or organisation (see
    _resolve_pronoun); someone already quoted goes on speaking; in a profile, "she says" is its subject.
    "I", "we" and "you" in the writer's own sentence ("As I told them, ...", "you can say ...") are
    the writer or the reader, never the person named nearby: no speaker."""
    if m.words[0] in _WRITER_OR_READER or m.words[-1] in _WRITER_OR_READER:
        # "I told them", "we often say", "you can say": the writer or the reader, speaking (a cue
        # of speech all the same, so the words stay a quotation), but no one to name
        return Speaker(None, m.text, "unknown", None, None)
    low = m.low
    if len(m.words) > 1 and m.words[-1] in PRONOUNS and all(w.isdigit() for w in m.words[:-1]):
        low = m.words[-1]        # "(since) 2008 she has often told": a year, then the pronoun
    if low not in PRONOUNS:
        return None
    if low == "they" and f is not None and f.cue is not None and f.cue.rule == "X-said":
        reporting = _organisation_reporting_just_before(state, m.pos)
        if reporting is not None and reporting.name[:1].isupper():
            # "Crestline Productions denies that anything was agreed. '...,' they said." (a body
            # reporting in the sentence before, not the last one quoted, speaks on)
            return Speaker(reporting.name, m.text, "organization", None, None)
    resolved = _resolve_pronoun(state, low, m.pos, m.text)
    if resolved.name and any(s.name == resolved.name for _, s in state.history):
        return resolved          # someone already quoted goes on speaking
    if resolved.name and _reported_just_before(state, resolved.name, m.pos):
        return resolved          # "..., says Keri Gans. '...,' she says": the one just reported speaking
    subject = _profile_subject_says(state, low, m.pos, f)
    return subject if subject is not None else resolved


# The writer's and the reader's pronouns, as a cue's subject in the writer's own sentence (the words
# a speaker quotes themself saying are speech-inside-speech's, read before any resolver)
_WRITER_OR_READER = frozenset("i i'm i’m i'd i’d i'll i’ll i've i’ve we we're we’re we've we’ve we'll we’ll we'd "
                              "we’d you you're you’re you've you’ve you'll you’ll you'd you’d let's let’s".split())


@step("organisation's-document",
      (['"Costs will rise," TNO\'s report said.'], "Costs will", "TNO"))
def organisations_document(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"TNO's report said", "Apple's spokesman said": the organisation speaks."""
    owned = _ORG_S_THING.match(m.text)
    if owned and re.sub(r"^(?:the|a|an)\s+", "", owned.group("org"), flags=re.I)[:1].isupper():
        entity = state.index.fullest(owned.group("org"))
        name = entity.name if entity is not None else owned.group("org")
        thing = re.sub(r"^['\u2019]s\s+", "", m.text[owned.end("org"):]).strip()
        if entity is not None and (entity.kind == "person" or person_like(entity.name)) and thing in _PERSONS_AGENTS:
            # "Ann Lee's lawyer said": the lawyer speaks, for her -- not Ann Lee, and no organisation
            return Speaker(f"{entity.name}'s {thing}", m.text, "anonymous", thing, None)
        return Speaker(name, m.text, "organization", None, None)
    return None


_PERSONS_AGENTS = frozenset("lawyer lawyers attorney attorneys spokesperson spokesman spokeswoman".split())


@step("document-issuer",
      (['"Roads will reopen on Monday," a statement from the Harbour Board said.'], "Roads will", "Harbour Board"),
      (['"Fares will rise by a tenth," the Harbour Board’s March 2024 report said.'], "Fares will",
       "Harbour Board"),
      (['Tolls were "too high for most drivers," according to a June report by the Motorists Union.'], "too high",
       "Motorists Union"))
def document_issuer(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"a statement from the mayor's office said", "the Justice Department complaint says", "the
    Census Bureau's May 2025 report said": whoever issued the document speaks, the issuer it
    names (after "from" or "by", or capitalised among the words before the document, its date
    left out); "the report said", "the trends report said", "a 2015 study found", with no issuer
    named at the cue, leave the speaker unknown (the report is no speaker, and the body last
    named is too often another one to guess), the words still a quotation."""
    issued = DOCUMENT_FROM.match(m.text)
    if issued:
        issuer = re.sub(r"^(?:the|The)\s+(?=[A-Z])", "", issued.group("issuer").strip())
        words = issuer.split()
        if len(words) >= 3 and words[0][:1].isupper() and words[-1][:1].isupper() and \
                all(w[:1].isupper() or w in _CONNECTORS for w in words) and any(w in ("for", "of", "and")
                                                                               for w in words):
            # "a report by Citizens for Tax Justice": a body whose name holds "for", whole
            return Speaker(issuer, m.text, "organization", None, None)
        speaker = speaker_of(state, issuer, m.pos + issued.start("issuer"), None, f)
        return speaker if speaker is not None else NOBODY
    if len(m.words) == 2 and m.words[0] in ("the", "its") and m.words[1] in _DOCUMENTS:
        # "The Harbour Board issued a statement. The statement said: ...": the body that issued it
        issuer = _issued_just_before(state, m.pos, m.words[1])
        if issuer is not None:
            return issuer
    if len(m.words) == 2 and m.words[0] in ("the", "a", "its") and m.words[1] in _DOCUMENTS:
        # "the report said", its issuer not named here: unknown, never "the report" (but a cue of
        # speech all the same: the words stay a quotation)
        return Speaker(None, m.text, "unknown", None, None)
    named = _DOCUMENT_WITH_MODIFIERS.match(m.text)
    if named:
        # "The Department of Justice complaint", "the Acme Corp's May 2025 report": the issuer is
        # the capitalised name among the words before the document; "the trends report", "a 2015
        # study" name none: unknown
        issuer = _issuer_among(named.group("mods"))
        if issuer is None:
            return Speaker(None, m.text, "unknown", None, None)
        speaker = speaker_of(state, issuer, m.pos + max(0, m.text.find(issuer)), None, f)
        if speaker is not None and speaker.name:
            return Speaker(speaker.name, m.text, speaker.kind, speaker.role, speaker.organization)
        return Speaker(issuer, m.text, "organization", None, None)
    return None


def _issued_just_before(state: StoryState, pos: int, document: str) -> Optional[Speaker]:
    """The body that, in the two sentences before, issued the document "the statement" means:
    "The Harbour Board issued a statement on Monday.", "Acme said in a statement that ...", "In a
    statement, Acme said ..." (the last such issuer; a body that only reported on it is none)."""
    k = bisect_right(state.sentence_starts, pos) - 1
    if k < 0:
        return None
    start = state.sentence_starts[max(0, k - 2)]
    window = _masked_between(state, start, pos)
    noun = re.escape(document)
    found = list(re.finditer(rf"(?P<np>{NAME_SEQ}|(?i:the|a|an)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:[a-z]+ly\s+)?"
                             rf"(?:issued|released|published|put\s+out|sent|posted|circulated|(?:said|says|announced|"
                             rf"added)\s+in)\s+(?:a|an|its|their)\s+(?:[\w-]+\s+){{0,3}}?{noun}s?\b"
                             rf"|\b[Ii]n\s+(?:a|an|its|their)\s+(?:[\w-]+\s+){{0,3}}?{noun},\s+(?P<np2>(?:(?i:the)\s+)?{NAME_SEQ}|"
                             rf"(?i:the)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:said|says|announced|added)\b", window))
    if not found:
        return None
    last = found[-1]
    group = "np" if last.group("np") else "np2"
    issuer = last.group(group)
    speaker = speaker_of(state, issuer, start + last.start(group), None, None)
    name = re.sub(r"^(?:the|The)\s+", "", speaker.name or "")
    if not name[:1].isupper() or speaker.kind not in ("organization", "group", "person"):
        return None              # ("the business mogul released a statement": no one named)
    return Speaker(name, issuer, speaker.kind, speaker.role, speaker.organization)


def _masked_between(state: StoryState, start: int, end: int) -> str:
    """The story's words from start to end with every quotation masked (the writer's own words)."""
    p0, p1 = bisect_right(state.offsets, start) - 1, bisect_right(state.offsets, max(start, end - 1)) - 1
    text = "\n\n".join(state.masked[p0:p1 + 1])
    base = state.offsets[p0]
    return text[start - base:end - base]


_DOCUMENTS = frozenset("statement report release readout memo filing study announcement complaint survey "
                       "article analysis paper letter documents findings research review".split())
_DOCUMENT_WITH_MODIFIERS = re.compile(r"^(?:the|a|an)\s+(?P<mods>(?:\S+\s+){1,5}?)(?:" + "|".join(sorted(_DOCUMENTS))
                                      + r")s?(?:\s*\[\d+\])?$", re.I)
# words before a document that are its date, not its issuer
_DATE_WORDS = frozenset("january february march april may june july august september october november december "
                        "monday tuesday wednesday thursday friday saturday sunday".split())


def _issuer_among(modifiers: str) -> Optional[str]:
    """The first run of capitalised words (joined by "of", "for", "and") among a document's
    modifiers, without a possessive or a date: "U.S. Census Bureau's May 2025" -> "U.S. Census
    Bureau"."""
    run: list = []
    for word in modifiers.split():
        bare = re.sub(r"['\u2019]s?$", "", word)
        if bare[:1].isupper() and bare.lower().rstrip(".,") not in _DATE_WORDS and not bare[:1].isdigit():
            run.append(bare)
            if bare != word:
                break          # (a possessive ends the issuer's name)
        elif run and word in _CONNECTORS and word != "the":
            run.append(word)
        elif run:
            break
    while run and run[-1] in _CONNECTORS:
        run.pop()
    return " ".join(run) or None


@step("organisation's-person",
      (["Professor Ruth Donefer teaches at NYU.", '"It works," NYU\'s Donefer said.'], "It works", "Ruth Donefer"))
def organisations_person(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"NYU's Donefer": the person, with the organisation they belong to."""
    person_of = _ORG_S_PERSON.match(m.text)
    if person_of and not _REPORT_WORD.search(m.text):
        entity = state.index.fullest(person_of.group("name"), before=m.pos + len(m.text))
        if entity is not None and entity.kind == "person":
            return Speaker(entity.name, m.text, "person", entity.role, person_of.group("org"))
    return None


@step("organisation's-role",
      (["Jens Stoltenberg flew to Kyiv.", '"We stand firm," Nato\'s secretary general said.'], "We stand",
       "Jens Stoltenberg"))
def organisations_role(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"Nato's secretary general": whoever the story gives that role, before or just after."""
    titled = _ORG_ROLE.match(m.text)
    if titled and (titled.group("role").split()[-1] in ROLE_NOUNS or titled.group("role").split()[-1] in HONORIFICS):
        pos = m.pos
        near = nearest_person(state, pos, depth=2)
        if near is not None and near.role and titled.group("role").split()[-1].lower() not in near.role.lower():
            near = None            # "Nato's secretary general" is not the Ukrainian president named before
        entity = (state.index.with_role(titled.group("role"), pos) or near
                  or _person_named_after(state, pos) or nearest_person(state, pos))
        if entity is not None:
            return Speaker(entity.name, m.text, "person", titled.group("role"), titled.group("org"))
    return None


@step("listed-organisation",
      (['The Department for Digital, Culture, Media & Sport said: "Rules change."'], "Rules change",
       "Department for Digital, Culture, Media & Sport"))
def listed_organisation(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"the Department for Digital, Culture, Media & Sport": commas inside its name."""
    listed = LISTED_ORG_NAME.search(m.text)
    if listed and listed.start() <= 4 and m.words[0] in ("the", listed.group(0).split()[0].lower()):
        return Speaker(listed.group(0), m.text, "organization", None, None)
    return None


@step("named-group",
      (['"The ban stands," Canadian regulators said.'], "The ban", "Canadian regulators"))
def named_group(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """"Canadian regulators", "Hong Kong police": a people's or a place's group, not a person."""
    words = m.words
    if len(words) >= 2 and words[-1] in GROUP_HEADS and _NAMED_GROUP.match(m.text):
        return Speaker(m.text, m.text, "organization" if words[-1] in ("police", "authorities") else "group", None, None)
    return None


@step("description",
      (['"We cannot pay the duty," said an executive with a shipping firm.'], "We cannot",
       "an executive with a shipping firm"),
      (["Prime Minister Ada Quill met the mayors.", 'The prime minister said it was "a good day for towns".'],
       "a good day", "Ada Quill"),
      (['"This town will always be this town," an angry Tom Reyes retaliated.'], "This town", "Tom Reyes"))
def description(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """A description rather than a name ("the airline", "a spokesperson for X", "police", "the
    prime minister"): the one the story gave that role, or the description itself."""
    if GROUP_WITH_TIES.match(m.text):
        # "Sources close to the prime minister said", "allies of the chancellor": no one named
        return Speaker(m.text, m.text, "group", None, None)
    name_text, pre_role, pre_org = m.parts
    if pre_role is None and (m.words[0] in ("the", "a", "an", "one", "another") or not m.text[0].isupper()):
        named = _ADJECTIVES_THEN_NAME.match(m.text)
        entity = state.index.fullest(named.group(1), before=m.pos + len(m.text)) if named else None
        if entity is not None and entity.kind == "person":
            # "an angry Hollande", "a smiling Ada Berg": the person, not a description
            return Speaker(entity.name, m.text, "person", entity.role, entity.organization)
        titled = _titled_person(state, m)
        if titled is not None:
            return titled
        return _common_noun_speaker(state, m.text, m.words, m.pos, m.appositive) or NOBODY
    return None


_THE_TITLED_NAME = re.compile(rf"^(?:the|The)\s+({NAME_SEQ})$")


def _titled_person(state: StoryState, m: Mention) -> Optional[Speaker]:
    """"the Labour MP Stella Creasy", "The Tory MP Ann Lee": "the", then capitalised titles and a
    full name (the house style of some outlets) -- the person, with the titles as the role."""
    named = _THE_TITLED_NAME.match(m.text)
    if named is None:
        return None
    titles, tokens = strip_titles(clean_name_tokens(named.group(1)))
    last_title = titles[-1].lower().rstrip(".") if titles else ""
    if not (last_title in HONORIFICS or last_title in ROLE_NOUNS) or len(tokens) < 2 or kind_of(tokens) != "person":
        return None            # ("The Democratic National Convention": a body, no title before a name)
    entity = state.index.fullest(" ".join(tokens), before=m.pos + len(m.text))
    if entity is None or entity.kind != "person":
        return None
    return Speaker(entity.name, m.text, "person", " ".join(titles), entity.organization)


# "an angry Hollande": a determiner and a word or two of mood before a person's name ("the owner of X": no mood)
_ADJECTIVES_THEN_NAME = re.compile(rf"^(?:a|an|the)\s+(?:(?!(?:of|for|at|with|from|to|in|on)\s)[a-z][\w-]*\s+){{1,2}}({NAME_SEQ})$")


@step("name",
      (["Finance chief Oliver Trask opened the meeting.", '"We cut costs," Mr Trask said.'], "We cut",
       "Oliver Trask"),
      (['"Prices will rise," said Lena Ortiz, director of the Baltic Trade Institute.'], "Prices", "Lena Ortiz"))
def full_name(state: StoryState, m: Mention, f) -> Optional[Speaker]:
    """A name: the fullest form the story gives it ("Trask" -> Oliver Trask), with the role and
    organisation written before it or in the description after it."""
    name_text, pre_role, pre_org = m.parts
    entity = state.index.fullest(name_text, before=m.pos + len(m.text))
    if entity is None:
        return NOBODY
    if _lone_opening_word(state, m, entity) or _label_before_colon(state, m, entity, f):
        return Speaker(None, m.text, "unknown", None, None)    # (the words stay a quotation)
    role, organization = _role_from(m.appositive)
    role, organization = role or pre_role, organization or pre_org
    kind = entity.kind if entity.kind != "name" else "person"
    if _STATEMENT_WORD.search(m.low):
        kind = "organization"
    return Speaker(entity.name, m.text, kind, role or (entity.role if entity.role else None),
                   organization or entity.organization)


def _lone_opening_word(state: StoryState, m: Mention, entity) -> bool:
    """"Consider", "Photo", "Tighten", "Efficiency": one capitalised word, with no title, opening its
    sentence, that the story writes in lower case elsewhere (or that reads as an imperative or a
    gerund: "Tighten both brackets", "Tidying up starts with"), never capitalised inside a
    sentence, and gives no fuller name: a sentence's first word (an imperative, an adverb, a
    heading), not a name. (A body named once, "Politico reported ...", is never written in lower
    case, and a verb of its own follows it.)"""
    if len(entity.tokens) != 1 or entity.kind != "name" or len(m.words) != 1 or entity.name in PUBLIC_FIGURES or \
            (entity.name.endswith("s") and not entity.name.endswith("ss")):
        return False             # ("Respondents said", "Democrats argue": a group may speak)
    k = bisect_right(state.sentence_starts, m.pos) - 1
    story = state.index.story
    if k < 0 or story[state.sentence_starts[k]:m.pos].strip(_OPENING_MARKS):
        return False             # (inside the sentence: a name there is written capitalised for a reason)
    word = re.escape(entity.name)
    if re.search(rf"\b{word.lower()}\b", story) is None and not _reads_as_imperative(story, m.pos + len(m.text)):
        return False
    return not _capitalised_inside_a_sentence(story, word)


def _capitalised_inside_a_sentence(story: str, word: str) -> bool:
    """The (escaped) word is written capitalised after a lowercase word or another name somewhere:
    a name ("met Politico", "Acme Politico"), not only a sentence's first word."""
    return re.search(rf"[a-z0-9,;)]\s+{word}\b|[A-Z][\w.'\u2019-]*\s+{word}\b", story) is not None


def _only_an_opening_word(state: StoryState, entity) -> bool:
    """"More (often than not)", "Six (products)", "Over (time)", "Beyond": one capitalised word
    the story also writes in lower case and never capitalised inside a sentence -- a sentence's
    first word, no body or group that "it" or "they" could mean."""
    if len(entity.tokens) != 1 or entity.kind != "name" or entity.name in PUBLIC_FIGURES:
        return False
    word = re.escape(entity.name)
    story = state.index.story
    return re.search(rf"\b{word.lower()}\b", story) is not None and not _capitalised_inside_a_sentence(story, word)


def _label_before_colon(state: StoryState, m: Mention, entity, f) -> bool:
    """"Dinner: '...'", "Photo by: '...'", "Thus, I did what I always do: '...'", "Title:": a colon
    lead-in with no reporting verb whose subject is one capitalised word, followed by the colon, a
    comma or a word that is no verb of its, and that the story never shows to be anyone -- no
    fuller name, no body, no verb of speech next to it anywhere, no owner's "'s" -- is a label or a
    sentence's opening word, not who speaks. ("Reed: '...'" after "Tom Reed", and
    "SRLabs noted:", keep their speaker.)"""
    cue = f.cue if f is not None else None
    if cue is None or cue.rule != "colon-lead-in" or cue.verb is not None or len(m.words) != 1 or \
            len(entity.tokens) != 1 or entity.kind != "name" or entity.name in PUBLIC_FIGURES or \
            m.text.endswith(("'s", "\u2019s")):
        return False
    end = m.pos + len(m.text)
    story = state.index.story
    if not (story[end:end + 1] in (":", ",") or _reads_as_imperative(story, end)):
        return False             # ("Reed was blunt:": a verb of its own follows the word)
    return not _named_with_reporting_verb(state, entity)


_WORD_AFTER = re.compile(r"\s+([a-z][\w'\u2019-]*)")


def _reads_as_imperative(story: str, end: int) -> bool:
    """"Tighten the bolts and ...", "Remember saying ...", "Please note ...": the opening word is
    followed by a lowercase word that is no verb of its (no reporting verb, auxiliary or adverb,
    as in "Politico reported", "Reuters also said", "Acme quickly denied")."""
    after = _WORD_AFTER.match(story, end, end + 40)
    if after is None:
        return False
    word = after.group(1)
    return not (word in REPORTING_VERBS or word in AUXILIARIES or word in _IRREGULAR_PAST or
                word.endswith(("ly", "ed", "s")))


# Past forms with no -ed ("Byrne went on to say"): the opening word is then the subject
_IRREGULAR_PAST = frozenset("went got gave took made came thought knew left put ran saw sent set spent felt kept "
                            "began became brought bought built held heard led lost met paid rose sat stood spoke won "
                            "drew fell grew hit let meant fought sought taught caught chose broke drove flew forgot "
                            "found gave hid hung lay lit paid quit rang rode sang shot shut slept sold stuck swore "
                            "threw understood woke wore".split())


_OPENING_MARKS = " \t\n\"'\u201c\u2018([\u2014\u2013-"


RESOLVERS = (pronoun, organisations_document, document_issuer, organisations_person, organisations_role, listed_organisation,
             named_group, description, full_name)


def resolve_mention(state: StoryState, text: str, pos: int, appositive: Optional[str],
                    f) -> tuple[Optional[Speaker], Optional[str]]:
    """(speaker, the resolver that decided) for the mention `text` at story position pos."""
    m = Mention(text, pos, appositive)
    if not m.words:
        return None, None
    for resolver in RESOLVERS:
        speaker = resolver.apply(state, m, f)
        if speaker is not None:
            return (None if speaker is NOBODY else speaker), resolver.name
    return None, None


def speaker_of(state: StoryState, text: str, pos: int, appositive: Optional[str], f) -> Optional[Speaker]:
    """The speaker a mention means, or None."""
    return resolve_mention(state, text, pos, appositive, f)[0]


# -- helpers -------------------------------------------------------------------------------------

_CONNECTORS = frozenset(("and", "&", "of", "for", "the"))


def _surname_alone(text: str) -> bool:
    """"Butterfield" in "Butterfield of North Carolina": one capitalised word that is no body,
    title or role, before "of", "from" or "at" a place or a body, is a person's surname."""
    words = text.split()
    return len(words) == 1 and kind_of(words) == "name" and words[0].lower().rstrip(".") not in HONORIFICS and \
        words[0].lower() not in ROLE_NOUNS and words[0].lower() not in NOT_NAMES


def _one_organisation_name(text: str) -> bool:
    """"Devon and Cornwall Police", "Royal College of Nursing": capitalised words joined by "and"
    or "of", ending in an organisation's word -- one name, not a role before a name."""
    words = text.split()
    return kind_of(words[-1:]) == "organization" and all(w[:1].isupper() or w in _CONNECTORS for w in words)


def _role_from(appositive: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    if not appositive or re.match(r"(?:who|whose|which|where|when|whom)\b", appositive):
        return None, None        # "Gareth Pugh, who lives nearby,": a clause, not a role
    m = re.match(r"^(?:the |a |an |its |his |her )?(?P<role>[a-z][\w\s'-]*?)\s+(?:of|at|for|with|from|in)\s+"
                 r"(?:the\s+)?(?P<org>[A-Z][^,;]*)$", appositive)
    if m:
        return m.group("role").strip(), m.group("org").strip().rstrip(".")
    if len(appositive.split()) <= 6 and appositive[:1].islower():
        return re.sub(r"^(?:the|a|an)\s+", "", appositive), None
    return None, None


def _common_noun_speaker(state, text, words, pos, appositive) -> Optional[Speaker]:
    head = re.sub(r"['\u2019]s?$", "", words[-1]) if len(words) < 4 else None
    determiner = words[0]
    # "the person", "the source": the anonymous source already introduced
    introduced = _person_introduced_next(state, pos) if determiner == "the" and len(words) <= 3 and \
        words[-1] in ANONYMOUS_HEADS and _RELATIVE_AFTER.match(state.index.story, pos + len(text)) else None
    if introduced is not None:
        # "the woman who introduced the treat to Asia says", then '"...," says Ada Berg from ...': a
        # feature's portrait of the person it names next, not the woman quoted earlier
        return Speaker(introduced.name, text, "person", introduced.role, introduced.organization)
    if determiner == "the" and len(words) <= 3 and words[-1] in ANONYMOUS_HEADS:
        anonymous = [s for _, s in state.history if s.kind == "anonymous"]
        same_head = [s for s in anonymous if words[-1] in (s.name or "").lower().split()]
        generic = words[-1] in ("person", "source", "sources", "individual", "insider")
        earlier = (same_head or (anonymous if generic else []))[-1:] 
        if earlier:
            return Speaker(earlier[0].name, text, "anonymous", earlier[0].role, earlier[0].organization)
    of_body = _ROLE_OF_BODY.match(text)
    if of_body and _names_one_role(of_body.group("head")):
        # "the owner of Harbor Bakery", "the mayor of Springfield": the one the story gave that role,
        # else the description (a role and its body), never the body alone
        head, body = of_body.group("head"), of_body.group("body")
        entity = state.index.with_role(head, pos) if determiner == "the" else None
        if entity is not None:
            return Speaker(entity.name, text, "person", entity.role, entity.organization or body)
        return Speaker(text, text, "anonymous", " ".join(words[1:len(of_body.group("role").split()) + 1]), body)
    if determiner == "the" and _AGED.search(text):
        # "said the powerfully built and bearded 25-year-old": the person the story gave that age,
        # else the person just written about
        entity = _person_of_age(state, _AGED.search(text).group(1), pos) or nearest_person(state, pos)
        if entity is not None:
            return Speaker(entity.name, text, "person", entity.role, entity.organization)
    if determiner == "the" and len(words) == 2 and words[1] in _SPOKES:
        # "Rishi Sunak's spokesperson said ... Asked ..., the spokesperson said:" -- whose it is
        whose = _whose_spokesperson(state, pos)
        if whose:
            return Speaker(whose, text, "anonymous", words[1], None)
    # "the PM", "the president": the person the story gave that role, else the last person quoted
    role_key = " ".join(words[1:]) if determiner == "the" else None
    last_two = " ".join(words[-2:])
    if role_key and (role_key in ROLE_NOUNS or ((words[-1] in ROLE_NOUNS or last_two in ROLE_NOUNS or
                                                 _describes_one_person(words[-1])) and len(words) <= 5)):
        wanted = role_key if role_key in ROLE_NOUNS else (last_two if last_two in ROLE_NOUNS else words[-1])
        entity = state.index.with_role(wanted, pos)
        if entity:
            return Speaker(entity.name, text, "person", entity.role, entity.organization)
        entity = nearest_person(state, pos) or state.index.central_person(pos)
        if entity is not None:
            return Speaker(entity.name, text, "person", entity.role, entity.organization)
        for _, earlier in reversed(_history_before(state, pos, 3)):
            if earlier.kind == "person":
                return Speaker(earlier.name, text, "person", earlier.role, earlier.organization)
        entity = _person_named_after(state, pos)
        if entity is not None:
            return Speaker(entity.name, text, "person", role_key, None)
        return Speaker(text, text, "person", ROLE_NOUNS.get(role_key, role_key), None)
    m = re.match(r"^(?:a|an|the)\s+(?P<org>[A-Z][\w'\u2019&. -]*?)\s+(?:statement|readout|report|release|"
                 r"announcement|filing)s?$", text)
    if m:
        entity = state.index.fullest(m.group("org"), before=pos)
        name = entity.name if entity is not None and entity.kind == "organization" else m.group("org")
        return Speaker(name, text, "organization", None, None)
    if determiner == "the" and len(words) == 2 and words[1] in _BUSINESS_NOUNS:
        # "Ryanair cancelled 40 flights. '...,' the airline said": a business named in one word too
        business = _business_named_before(state, pos, words[1])
        if business is not None:
            return Speaker(business.name, text, "organization", None, None)
    if determiner == "the" and len(words) == 2 and words[1] in ORG_NOUNS:
        # "the airline said": the organisation the story last named
        for _, entity in reversed(state.index.recent_mentions(pos)):
            if entity.kind == "organization" or words[1] in entity.name.lower():
                return Speaker(entity.name, text, "organization", None, None)
    if determiner in ("a", "an", "one", "another") or (words[-1] in ANONYMOUS_HEADS and determiner == "two"):
        return Speaker(text, text, "anonymous", None, None)
    if head in GROUP_HEADS and not any(w[0].isupper() for w in text.split()):
        full = state.index.group_in_full(head) if len(words) <= 2 else None
        kind = "organization" if head in ("police", "authorities") else "group"
        return Speaker(full or text, text, kind, None, None)
    if any(w[:1].isupper() for w in text.split()[1:]):
        return Speaker(text, text, "organization", None, None)
    if len(words) <= 6:
        if _ends_as_no_noun(words[-1]):
            # "the next time we ...", "people often", "the alternative to": the words before the verb
            # end on no one (an adverb, a verb, a preposition, a figure): a cue, but no one named
            return Speaker(None, text, "unknown", None, None)
        kind = "anonymous" if words[-1] in ANONYMOUS_HEADS else "group"
        return Speaker(text, text, kind, None, None)
    return None


# "the owner of Harbor Bakery", "a spokeswoman for the Northline Group": a role, then the body it is of
_ROLE_OF_BODY = re.compile(r"^(?:the|a|an|one)\s+(?P<role>(?:[a-z][\w-]*\s+){0,2}(?P<head>[a-z][\w-]*))\s+"
                           r"(?:of|for|at|with)\s+(?:the\s+)?(?P<body>[A-Z][^,;]*)$")


def _names_one_role(head: str) -> bool:
    """"owner", "mayor", "spokeswoman", "founder": a noun for one person's role."""
    return head in ROLE_NOUNS or head in HONORIFICS or _describes_one_person(head)


# Nouns a story uses for a business it has named ("the company said", "the planemaker said")
_BUSINESS_NOUNS = frozenset("company firm airline carrier retailer manufacturer lender bank insurer studio network "
                            "club startup brand broadcaster publisher operator chain supermarket planemaker "
                            "automaker carmaker chipmaker drugmaker".split())
_NATIONALITY_WORD = re.compile(r"^[A-Z][a-z]+(?:ese|ian|an|ish|ch|i|ic)$")


def _business_named_before(state: StoryState, pos: int, noun: str):
    """The business "the company" means: the last body named before it -- an organisation's name,
    or one capitalised word the story writes acting as a body ("Ryanair cancelled", "Nvidia
    said", "AirAsia's flight"), not a place, a person's surname or a sentence's first word -- or
    one whose name holds the noun ("Skyways Airlines" for "the airline")."""
    acting: dict = {}
    for _, entity in reversed(state.index.recent_mentions(pos)):
        if entity.kind == "person" or not entity.name[:1].isupper():
            continue
        if entity.kind == "organization" or noun in entity.name.lower().split():
            return entity
        if entity.name not in acting:
            acting[entity.name] = _acts_as_a_body(state, entity)
        if acting[entity.name]:
            return entity
    return None


def _acts_as_a_body(state: StoryState, entity) -> bool:
    """One capitalised word written as a body somewhere: the subject of a verb ("Ryanair cancelled",
    "Nvidia says") or an owner ("AirAsia's"), and not a nationality or a sentence's first word."""
    name = entity.name
    if len(entity.tokens) != 1 or entity.kind != "name" or _NATIONALITY_WORD.match(name) or name.lower() in NOT_NAMES or \
            (name.endswith("s") and not name.endswith("ss")) or _only_an_opening_word(state, entity):
        return False             # ("Democrats", "Several": a group, a sentence's first word)
    if entity.role or entity.gender or re.search(rf"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?\s+{re.escape(name)}\b",
                                                 state.index.story):
        return False             # ("Mr. Weiner": a person's surname, not a body)
    full = state.index.fullest(name)
    if full is not None and full.kind == "person" and (full.role or full.gender or _spoke_as_person(state, full)):
        return False             # ("Sen. Marco Rubio", then "Rubio")
    story = _masked_between(state, 0, len(state.index.story))   # (the writer's words: "Demand is strong" quoted says nothing of a body)
    for m in re.finditer(rf"\b{re.escape(name)}(?:['\u2019]s\b|\s+(?:[a-z]+ly\s+)?([a-z]+)\b)", story):
        verb = m.group(1)      # (a word in -s is as often a plural noun: "Orlando shootings")
        if verb is None or verb in REPORTING_VERBS or verb in AUXILIARIES or verb in _IRREGULAR_PAST or verb.endswith("ed"):
            return True
    return False


_RELATIVE_AFTER = re.compile(r"\s+(?:who|whose)\b")


def _person_introduced_next(state: StoryState, pos: int):
    """The person first named in the paragraph after pos's, next to a verb of speech ("says Ada
    Berg", "Ada Berg said"), or None."""
    p = bisect_right(state.offsets, pos) - 1
    if p + 1 >= len(state.offsets):
        return None
    start = state.offsets[p + 1]
    end = start + len(state.paragraphs[p + 1])
    story = state.index.story
    for at, entity in state.index.mentions_between(start, end):
        if entity.kind == "person" and len(entity.tokens) >= 2 and entity.first_pos == at and \
                not masked_at(state, at) and _next_to_reporting_verb(story, at, entity):
            return entity
    return None


# words a description of who speaks never ends with
_NO_NOUN_ENDINGS = frozenset("often always never sometimes usually also just even still only really then now "
                             "should would could can may might must will shall has have had is was are were be been "
                             "do does did came went made make making ago to of and or but that which who e.g. i.e. "
                             "etc. (".split())


def _ends_as_no_noun(word: str) -> bool:
    word = word.strip("[]")          # ("a few [people]": an editor's brackets)
    return word in _NO_NOUN_ENDINGS or word in PREPOSITIONS or word.endswith(("n't", "n\u2019t", "'ll", "\u2019ll")) \
        or "(" in word or "%" in word or re.fullmatch(r"[\d.,$\u00a3\u20ac]+", word) is not None


# "the Dutchman", "the Portuguese", "the Scot": a nationality standing for the person (sports pages)
_NATIONALITY_NOUNS = frozenset("dutchman frenchman englishman irishman welshman scotsman scot spaniard portuguese "
                               "italian german brazilian argentine argentinian australian american canadian belgian "
                               "croatian serbian swede norwegian dane finn pole swiss austrian mexican colombian "
                               "uruguayan nigerian ghanaian senegalese egyptian japanese korean".split())


def _describes_one_person(noun: str) -> bool:
    """"the mum-of-two", "the footballer", "the Dutchman": a noun a story uses for one person it has
    named, as "the singer" is (ROLE_NOUNS): the one given it, else the person just written about."""
    return describes_a_person(noun) or noun in _NATIONALITY_NOUNS


_AGED = re.compile(r"\b(\d{1,3})-year-old$")


def _person_of_age(state: StoryState, age: str, pos: int):
    """'Lisa Grant, 34, ...' or '34-year-old Lisa Grant' or 'Lisa Grant (34)', then 'the 34-year-old
    said': the last person the story introduced with that age before pos."""
    window = state.index.story[max(0, pos - 3000):pos]
    if age not in window:
        return None           # (the cheap test first)
    last = None
    for last in re.finditer(rf"(?P<a>{NAME_SEQ}),\s+(?:aged\s+)?{age}\b|(?P<b>{NAME_SEQ})\s+\({age}\)|"
                            rf"\b{age}-year-old\s+(?:[a-z][\w-]*\s+){{0,3}}(?P<c>{NAME_SEQ})", window):
        pass
    if last is None:
        return None
    entity = state.index.fullest(last.group("a") or last.group("b") or last.group("c"), before=pos)
    return entity if entity is not None and entity.kind == "person" else None
_SPOKES = frozenset(("spokesperson", "spokesman", "spokeswoman"))
_OWNED_SPOKESPERSON = re.compile(rf"{NAME_SEQ}['\u2019]s\s+(?:[a-z]+\s+)?spokes(?:person|man|woman)\b")


def _whose_spokesperson(state: StoryState, pos: int) -> Optional[str]:
    """The last "X's spokesperson" the story wrote in the 1,500 characters before."""
    window = state.index.story[max(0, pos - 1500):pos]
    last = None
    for last in _OWNED_SPOKESPERSON.finditer(window):
        pass
    return last.group(0) if last else None


def _profile_subject_says(state: StoryState, pronoun: str, pos: int, f: Found) -> Optional[Speaker]:
    """In a profile, "she says" in the present tense is the writer reporting the interview:
    the story's subject, even when another woman, never quoted, was named in the sentence before."""
    if pronoun not in _PRONOUN_GENDER or f.cue is None or f.cue.verb not in ("says", "adds", "explains"):
        return None
    subject = dominant_person(state, pos)
    if subject is None or _other_gender(state, subject, _PRONOUN_GENDER[pronoun]):
        return None
    return Speaker(subject.name, pronoun, "person", subject.role, subject.organization)


def _resolve_pronoun(state: StoryState, pronoun: str, pos: int, mention: str) -> Speaker:
    wanted = PRONOUNS[pronoun]
    subject = subject_of_sentence_at(state, pos)
    if subject and wanted == "person" and re.match(r"(?:a|an)\s+\w", subject, re.I):
        # "A Malaysian man nearby was less hesitant: '...,' he laughs."
        return Speaker(subject, mention, "anonymous", None, None)
    plural = _plural_named_subject(state, pos) if wanted == "group" else None
    if plural is not None:
        # "Big Machine have denied it. '...,' they said"
        return Speaker(plural, mention, "organization", None, None)
    if subject and wanted == "group" and subject[:1].isupper() and subject.lower() not in PRONOUNS:
        # "Big Machine have denied it. '...,' they said."
        entity = state.index.fullest(subject, before=pos)
        if entity is not None and entity.kind != "person" and not _only_an_opening_word(state, entity):
            return Speaker(entity.name, mention, "organization" if entity.kind == "organization" else "group", None, None)
    if wanted == "person":
        asked = None if _ASKING_AFTER.match(state.index.story, pos + len(mention), pos + len(mention) + 40) else \
            person_asked_just_before(state, pos, _PRONOUN_GENDER.get(pronoun))
        if asked is not None:
            return Speaker(asked.name, mention, "person", asked.role, asked.organization)
        described = _described_speaker_just_before(state, pos)
        if described is not None:
            return Speaker(described.name, mention, "anonymous", described.role, described.organization)
        reporter = _reporter_of_own_clause(state, pos, _PRONOUN_GENDER.get(pronoun))
        if reporter is not None:
            return Speaker(reporter.name, mention, "person", reporter.role, reporter.organization)
        entity = nearest_person(state, pos, gender=_PRONOUN_GENDER.get(pronoun))
        if entity is not None:
            return Speaker(entity.name, mention, "person", entity.role, entity.organization)
        for _, earlier in reversed(state.history):
            if earlier.kind == "person":
                return Speaker(earlier.name, mention, "person", earlier.role, earlier.organization)
    elif wanted == "organization":
        named = _named_subject_at(state, pos)
        own = state.index.fullest(named, before=pos) if named else None
        if own is not None and own.kind == "organization" and len(own.tokens) >= 2:
            # "The Security Council ... pledged sanctions against what it called '...'"
            return Speaker(own.name, mention, "organization", None, None)
        reporting = _organisation_reporting_just_before(state, pos)
        if reporting is not None:
            # "..., the National Police Chiefs' Council said. It also promised ..."
            return Speaker(reporting.name, mention, "organization", None, None)
        for at, earlier in reversed(_history_before(state, pos, 3)):
            if earlier.kind == "organization" and pos - at < 1500:
                return Speaker(earlier.name, mention, "organization", None, None)
        # "it" never means a person: the nearest name not known to be a person's (by title or role)
        for p_pos, entity in reversed(state.index.mentions_between(max(0, pos - 300), pos)):
            if (entity.kind in ("organization", "name") or (entity.role is None and not _spoke_as_person(state, entity))) \
                    and not _only_an_opening_word(state, entity):
                return Speaker(entity.name, mention, "organization", None, None)
    for _, earlier in reversed(state.history):
        if earlier.kind in ("group", "organization") and wanted != "person":
            return Speaker(earlier.name, mention, earlier.kind, earlier.role, earlier.organization)
    return Speaker(None, mention, "unknown", None, None)


# "Bob said he", "Ann Lee told reporters that she": the name, its reporting verb (and whom it was told
# to), then the pronoun that opens the reported clause
_REPORTER_BEFORE = re.compile(rf"\b({NAME_SEQ})\s+(?:(?-i:[a-z]+ly)\s+)?(?:said|says|told\s+(?:[a-z]+\s+){{0,2}}?"
                              rf"(?:reporters|[a-z]+ers|him|her|them|us|me)|tells\s+(?:reporters|[a-z]+ers)|added|adds|"
                              rf"wrote|writes|explained|insisted|argued|claimed|acknowledged|admitted|recalled|"
                              rf"recalls|noted|stressed|conceded)\s+(?:that\s+)?$")


def _reporter_of_own_clause(state: StoryState, pos: int, gender: Optional[str]):
    """'Bob said he began calling groups and making an effort to "help get eyes up"': "he" opening
    the clause a person reports is that person (the news convention: someone else would be
    named), not the last other person the story named. A name of the other gender is not it."""
    story = state.index.story
    m = _REPORTER_BEFORE.search(story, max(0, pos - 120), pos)
    if m is None:
        return None
    entity = state.index.fullest(m.group(1), before=pos)
    if entity is None or entity.kind not in ("person", "name") or _other_gender(state, entity, gender):
        return None
    first = entity.tokens[0].lower() if entity.tokens else ""
    if entity.kind == "name" and (first in NOT_NAMES or first in GROUP_HEADS or first in PRONOUNS):
        return None          # ("Police said he", "Officials said she": not the one who reports)
    return entity


_PRONOUN_GENDER = {"he": "m", "she": "f"}
# How far before a pronoun its sentence and the one before are read for someone asked.
ASKED_REACH = 1000
# "Reed asked Ann Lee about the vote", "pressed Lee on": the one asked, named right after the verb
# ("questioned Trump's logic" doubts, it asks no one)
_ASKED_SOMEONE = re.compile(rf"\b(?:asked|asks|pressed|presses|quizzed|interviewed|interviews)\s+"
                            rf"(?:the\s+[a-z]+\s+)?(?P<np>{NAME_SEQ})(?!['\u2019]s)")
_ASKING_STEMS = ("asked", "asks", "pressed", "presses", "quizzed", "interview")
_ASKING_AFTER = re.compile(r"\s+(?:\w+ly\s+)?(?:asked|asks|pressed|wondered|wonders|questioned)\b", re.I)


def person_asked_just_before(state: StoryState, pos: int, gender: Optional[str] = None):
    """'Host Tom Reed asked Ann Lee about the vote. "We will win," she told him.': who was asked in
    this sentence or the one before -- the one answering, not the asker."""
    k = bisect_right(state.sentence_starts, pos) - 1
    # (only the words near the pronoun: reading back to the sentence's start, once a pronoun, is
    # quadratic in a giant sentence of many quotations)
    reach = pos - ASKED_REACH
    window = state.index.story[max(reach, state.sentence_starts[max(0, k - 1)]):pos] if k >= 0 else ""
    asking = any(verb in window for verb in _ASKING_STEMS)
    object_pronoun = _OBJECT_PRONOUN.get(gender)
    if not asking and (object_pronoun is None or f" {object_pronoun}" not in window):
        return None        # (the cheap test first: most pronouns follow no question put to anyone)
    for s, e in reversed(state.sentence_spans[max(0, k - 1):k + 1]):
        if min(e, pos) <= reach:
            continue
        p = bisect_right(state.offsets, s) - 1
        base = state.offsets[p]
        text = state.masked[p][s - base:min(e, pos) - base]
        found = list(_ASKED_SOMEONE.finditer(text, max(0, reach - s))) if asking else []
        if found:
            entity = state.index.fullest(found[-1].group("np"), before=pos)
            if entity is not None and entity.kind == "person" and not _other_gender(state, entity, gender):
                return entity
            return None
        put_to = [m for m in _ASKED_OR_TOLD_PRONOUN.finditer(text) if m.group("obj") == object_pronoun]
        if put_to:
            return _the_one_addressed(state, put_to[-1], s, gender)
    return None


# "Reed asked her", "he told him": a question or an answer put to someone written as a pronoun (not
# "told her lawyer": a possessive)
_ASKED_OR_TOLD_PRONOUN = re.compile(rf"(?P<subj>{NAME_SEQ}|\b[Hh]e|\b[Ss]he)\s+(?:[a-z]+ly\s+)?(?:asked|asks|pressed|"
                                    rf"presses|quizzed|told|tells|interviewed)\s+(?P<obj>him|her(?=\s*(?:[,.;:!?]|$)|\s+(?:about|that|to|if|"
                                    rf"whether|what|how|why|when|where|she|he|it|they|the|a|an|on|over|for|in|at|after|"
                                    rf"again|directly|later|so)\b))\b")
_OBJECT_PRONOUN = {"f": "her", "m": "him"}


def _the_one_addressed(state: StoryState, put_to, s: int, gender: Optional[str]):
    """'Tom Reed met Ann Lee. He asked her about the vote. "It was rigged," she said.': "she" is
    the one asked, never the asker -- the last person named before the asking sentence who is
    not its subject (the asker, by name or as the person "he" or "she" means there)."""
    at = s + put_to.start("subj")
    subject = put_to.group("subj")
    if subject.lower() in ("he", "she"):
        asker = nearest_person(state, at, gender=_PRONOUN_GENDER.get(subject.lower()))
    else:
        asker = state.index.fullest(subject, before=at + len(subject))
    if asker is None or asker.kind != "person":
        return None
    for named_at, entity in reversed(state.index.recent_mentions(at, limit=40)):
        full = entity if entity.kind == "person" else state.index.fullest(entity.name, before=at)
        if full is not None and full.kind == "person" and full.name != asker.name and not masked_at(state, named_at) \
                and not _other_gender(state, full, gender):
            return full
    return None


def nearest_person(state: StoryState, pos: int, depth: int = 6, gender: Optional[str] = None):
    """Who "he" or "she" is: in the nearest sentence naming a person (this one first, then back),
    the person who is its subject; else the person quoted just before, if recent; else the first
    person that sentence names. A person the story gave the other gender is never a candidate."""
    recent = _recent_person_speaker(state, pos)
    if recent is not None and _other_gender(state, recent, gender):
        recent = None
    k = bisect_left(state.sentence_starts, pos)
    bounds = [(s, min(e, pos)) for s, e in state.sentence_spans[max(0, k - depth):k]]
    for s, e in reversed(bounds):
        named = state.index.mentions_between(s, e)
        if not named:
            continue        # (a sentence naming no one offers no one, not even by its subject)
        people = []
        for at, entity in named:
            full = entity if entity.kind == "person" else state.index.fullest(entity.name, before=pos)
            if full is not None and full.kind == "person" and not masked_at(state, at) and \
                    not _other_gender(state, full, gender) and (gender is None or _may_be_he_or_she(state, full)):
                people.append((at, full))
        subject = subject_span(state, s, e)
        if not people and subject:
            # "Elilla, a trans woman living in Germany, said ...": a lone name that is the subject
            # of a reporting sentence is a person
            for at, entity in state.index.mentions_between(subject[0], subject[1]):
                if entity.kind == "name" and (_introduced_as_speaker(state, subject[1]) or gender is not None and
                                              _singular_verb_after(state, subject[1]) and
                                              _subject_going_on_as_he_or_she(state, at, entity)):
                    people.append((at, entity))   # (or "Becca tried the box. When asked, she said")
        if not people:
            continue
        for at, person in people:
            if subject and subject[0] <= at < subject[1]:
                return person
        if recent is not None:
            for _, person in people:
                if person.name == recent.name:
                    return person
        if subject and is_personal_pronoun(state, subject):
            # "From his stall at the FHA show, he introduces ...": still the one before
            if recent is not None:
                return recent
            continue
        return people[0][1]
    return None


_SINGULAR_VERB = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b")


def _singular_verb_after(state: StoryState, end: int) -> bool:
    """"Becca tried", "Christen received" (not "Bakers come"): one person's verb after the name."""
    return _SINGULAR_VERB.match(state.index.story, end, end + 30) is not None


def _reported_just_before(state: StoryState, name: str, pos: int) -> bool:
    """The sentence at pos or the one before writes the person's name next to a reporting verb
    ("..., says Keri Gans, author of ...", "Gans says that ...")."""
    k = bisect_right(state.sentence_starts, pos) - 1
    if k < 0:
        return False
    story = state.index.story
    start = state.sentence_spans[max(0, k - 1)][0]
    for at, named in state.index.mentions_between(start, pos):
        if named.name != name and not (named.tokens and named.tokens[-1] == name.split()[-1]):
            continue
        if _next_to_reporting_verb(story, at, named):
            return True
    return False


def _may_be_he_or_she(state: StoryState, entity) -> bool:
    """Whether "he" or "she" may mean a capitalised name: not when the story writes it as a
    thing's -- after a determiner or a possessive ("a chic Alice McCall Midi Dress", "her new
    CeCe Knit Top"), as the body a role belongs to ("CEO of Paris Baguette North America"), or
    before "which" ("Paris Baguette North America, which is based in ...") -- unless it also shows
    it to be a person's (a title, a role, a gender, a quotation of theirs)."""
    if entity.role or entity.gender or _spoke_as_person(state, entity):
        return True
    if shaped_like_a_thing(entity.tokens):
        return False
    if state.thing_mentions is None:
        state.thing_mentions = {}
    # Only the entity's own mentions are read for how they are written (each once a story): the
    # name test is a few comparisons, the reading a search of the words around the mention.
    written_as_a_thing, story = state.thing_mentions, state.index.story
    surname = entity.tokens[-1:]
    for at, named in state.index.mentions:
        # (_same_person wants the whole name or the surname: most mentions end in another word)
        if named.tokens[-1:] != surname and named.name != entity.name or not _same_person(state, named, at, entity):
            continue
        thing = written_as_a_thing.get(at)
        if thing is None:
            thing = written_as_a_thing[at] = _written_as_a_thing(story, at, at + len(named.name))
        if thing:
            return False
    return True


# "a chic ", "her new ": a determiner or a possessive (and a word or two) before a name
_THING_BEFORE = re.compile(r"(?:^|[^\w'\u2019])(?:a|an|her|his|their|its|my|our|your)(?P<between>(?:\s+[a-z][\w-]*){0,2})\s+$")
# "chief executive of ", "founder of ", "spokesperson for ": the body a role belongs to
_BODY_OF_ROLE_BEFORE = re.compile(r"\b(?:ceo|chief executive|president|chairman|chairwoman|chair|founder|co-founder|"
                                  r"director|head|owner|co-owner|spokesperson|spokesman|spokeswoman|employees?|"
                                  r"staff|partner)\s+(?:of|for|at)\s+(?:the\s+)?$", re.I)
_WHICH_AFTER = re.compile(r",?\s+which\b")


_LINKING_WORDS = frozenset("to of about against as than and or but like toward towards".split())
# after a name a determiner governs: no noun of its own ("a Trump rally" is a rally)
_NO_NOUN_AFTER = re.compile(r"\s*(?:[^\w\s'\u2019]|$)|\s+(?:that|which|she|he|they|it|is|was|from|by|in|on|at|with|and|or|"
                            r"for|to|of)\b")


def _written_as_a_thing(story: str, start: int, end: int) -> bool:
    before = story[max(0, start - 40):start]
    determined = _THING_BEFORE.search(before)
    if determined and any(w in PREPOSITIONS or w in AUXILIARIES or w in _LINKING_WORDS
                          for w in determined.group("between").split()):
        determined = None     # ("their opposition to Trump": the determiner is another noun's)
    return bool((determined and _NO_NOUN_AFTER.match(story, end, end + 12)) or
                _BODY_OF_ROLE_BEFORE.search(before) or _WHICH_AFTER.match(story, end, end + 12))


def _described_speaker_just_before(state: StoryState, pos: int) -> Optional[Speaker]:
    """'A spokesperson for UCEA said ...' then '"...," he said.': the one described, when they were
    the last speaker, in this paragraph or the one before, with nobody named since."""
    earlier = _history_before(state, pos, 1)
    if not earlier:
        return None
    at, last = earlier[-1]
    if last.kind != "anonymous" or bisect_right(state.offsets, pos) - bisect_right(state.offsets, at) > 1:
        return None
    named_since = any(not masked_at(state, m_at) and (entity.kind == "person" or getattr(
                          state.index.fullest(entity.name, before=pos), "kind", None) == "person")
                      for m_at, entity in state.index.mentions_between(at, pos))
    return None if named_since else last


_NAMED_SUBJECT = re.compile(rf"(?:[Tt]he\s+)?({NAME_SEQ})")


def _named_subject_at(state: StoryState, pos: int) -> Optional[str]:
    """The whole capitalised name the sentence at pos opens with: "The United Nations Security
    Council on Friday ..." -> "United Nations Security Council"."""
    text = sentence_up_to(state, pos)
    subject, at = sentence_subject(text) if text else (None, -1)
    named = _NAMED_SUBJECT.match(text, at) if subject else None
    return named.group(1) if named else None


def _organisation_reporting_just_before(state: StoryState, pos: int):
    """The organisation that reported something, with no quotation, in the sentence before."""
    k = bisect_right(state.sentence_starts, pos) - 1
    if k < 1:
        return None
    s, e = state.sentence_spans[k - 1]
    p = bisect_right(state.offsets, s) - 1
    local = s - state.offsets[p]
    sentence = state.masked[p][local:local + (e - s)]
    if MASK in sentence:
        return None
    cue = cue_before(sentence, local)
    if cue is None or not cue.speaker_text or cue.speaker_text.lower() in PRONOUNS:
        return None
    entity = state.index.fullest(cue.speaker_text, before=pos)
    return entity if entity is not None and entity.kind == "organization" else None


def _other_gender(state: StoryState, entity, gender: Optional[str]) -> bool:
    if gender is None:
        return False
    known = entity.gender if entity.gender is not None else \
        getattr(state.index.entities.get(entity.name), "gender", None)
    return known is not None and known != gender


def _history_before(state: StoryState, pos: int, last: int) -> list:
    """The last `last` speakers quoted before pos, in order. (The later stages of the sieve run
    after every quotation of the story has its cue, so the history then also holds speakers quoted
    after pos.)"""
    history = state.history
    if not history or history[-1][0] < pos:
        return history[-last:]
    found = []
    for entry in reversed(history):
        if entry[0] < pos:
            found.append(entry)
            if len(found) == last:
                break
    return found[::-1]


def _recent_person_speaker(state: StoryState, pos: int):
    """The person quoted last, if that was within the last two paragraphs."""
    for at, speaker in reversed(_history_before(state, pos, 3)):
        if speaker.kind == "person" and speaker.name and pos - at < 1500:
            entity = state.index.entities.get(speaker.name)
            if entity is None:
                entity = Entity(speaker.name, "person", tuple(speaker.name.split()), speaker.role, speaker.organization)
            return entity
    return None


def as_speaker(entity) -> Optional[Speaker]:
    if entity is None:
        return None
    return Speaker(entity.name, None, "person", entity.role, entity.organization)


def dominant_person(state: StoryState, pos: int):
    """The story's subject, when one person clearly dominates it (a profile, an interview)."""
    person = state.index.central_person(pos)
    if person is None:
        return None
    own, everyone = state.index.central_share
    return person if own >= 3 and own * 3 >= everyone else None


def _spoke_as_person(state: StoryState, entity) -> bool:
    return any(s.name == entity.name and s.kind == "person" for _, s in state.history)


def shown_to_be_person(state: StoryState, entity, p: int) -> bool:
    """Whether the story shows a capitalised name to be a person's, for the rules that give a
    quotation with no cue to someone named nearby (a capitalised run of words is "person" to the
    index, and on a blog or a shop's page it is as often "Mentor Mode", "Instagram Reels" or
    "Helios HR"). The story shows it when it gives the name a title, a role or a gender ("Dr Ann
    Lee", "the mayor, Ann Lee", "Ann Lee ... She"), quotes the name with a cue elsewhere, writes
    it next to a reporting verb ("Lee commented", "says Lee"), or, in the paragraph p before the
    quotation, makes it the subject of a lead-in ("Ann Lee, 17, echoed:"), or of a sentence that
    goes on about "her" or "him" ("Ann Lee tried the dress. Here is what she thought:"), or the
    whole of a label line ("Eyewitness - Ann Lee"). A name shaped like a thing's ("Junge SVP",
    "U.S. P", "Route 66") never is."""
    if shaped_like_a_thing(entity.tokens):
        return False
    return bool(entity.role or entity.gender) or _spoke_as_person(state, entity) or \
        _named_with_reporting_verb(state, entity) or _subject_in_paragraph(state, entity, p) or \
        _label_line(state, entity, p)


def shaped_like_a_thing(tokens) -> bool:
    """A word in capitals ("SVP", "AI", "FULL TEXT"), a lone letter with no stop closing it ("U.S.
    P"; a middle initial, "Ann B Lee", is a name's) or a digit: a product, a headline or a code,
    not a person's name."""
    return bool(tokens) and (len(tokens[-1]) == 1 and tokens[-1].isalpha() or any(
        (len(t) >= 2 and t.isalpha() and t.isupper()) or any(c.isdigit() for c in t) for t in tokens))


_VERB_AFTER_NAME = re.compile(r"\s+(?:[a-z]+ly\s+)?([a-z]+)")
# (only verbs that put the speaker after them: "wrote JavaScript", "told Car Talk" have an object)
_SAID_BEFORE_NAME = re.compile(r"\b(?:said|says|added|adds|explained|explains|recalled|recalls)\s+$")


def _same_person(state: StoryState, named, pos: int, entity) -> bool:
    """A mention is the entity's: its whole name, or its surname ("Lee" for Ann Lee; not
    "Google" for Google Shopping)."""
    if named is entity or named.name == entity.name:
        return True
    tokens = named.tokens
    if len(tokens) >= len(entity.tokens) or tuple(entity.tokens[-len(tokens):]) != tuple(tokens):
        return False
    full = state.index.fullest(named.name, before=pos + 1)
    return full is not None and full.name == entity.name


def _named_with_reporting_verb(state: StoryState, entity) -> bool:
    """"Lee commented", "Ann Lee repeatedly warned", "says Lee": the story writes the name as
    the subject of a reporting verb."""
    story = state.index.story
    for pos, named in state.index.mentions:
        if not _same_person(state, named, pos, entity):
            continue
        if _next_to_reporting_verb(story, pos, named):
            return True
    return False


def _next_to_reporting_verb(story: str, at: int, named) -> bool:
    """The mention at `at` is the subject of a reporting verb ("Lee commented") or follows one
    ("says Lee")."""
    end = at + len(named.name)
    after = _VERB_AFTER_NAME.match(story, end, end + 30)
    return bool((after and after.group(1) in REPORTING_VERBS) or _SAID_BEFORE_NAME.search(story, max(0, at - 20), at))


def _subject_in_paragraph(state: StoryState, entity, p: int) -> bool:
    """The entity is the subject of the lead-in that closes paragraph p ("Ann Lee echoed:"; not a
    heading, "The Mental Model:"), or of a sentence of the story that goes on about it as "he"
    or "she" ("Ann Lee tried the dress. Here is what she thought")."""
    base = state.offsets[p]
    for at, named in state.index.mentions_between(base, base + len(state.paragraphs[p])):
        if _LEAD_IN_AFTER_NAME.match(state.masked[p], at - base + len(named.name)) and \
                _same_person(state, named, at, entity):
            return True
    for at, named in state.index.mentions:
        if _same_person(state, named, at, entity) and _subject_going_on_as_he_or_she(state, at, named):
            return True
    return False


# after the name: a few lowercase words, then the colon that closes the paragraph
_LEAD_IN_AFTER_NAME = re.compile(r"(?:\s+[a-z][\w'\u2019-]*){1,6}\s*:\s*$")


def _subject_going_on_as_he_or_she(state: StoryState, at: int, named) -> bool:
    k = bisect_right(state.sentence_starts, at) - 1
    if k < 0:
        return False
    s, e = state.sentence_spans[k]
    span = subject_span(state, s, e)
    if span is None or not span[0] <= at < span[1]:
        return False
    p = bisect_right(state.offsets, s) - 1
    base, masked = state.offsets[p], state.masked[p]
    if _possessive_at(masked, at - base, named):
        return False          # "Lee's children went ...": the subject is the children
    # (in the sentence, or at the start of the next one)
    return bool(_THIRD_PERSON.search(masked, span[1] - base, min(len(masked), e - base + 40)))


def _possessive_at(masked: str, local: int, named) -> bool:
    end = masked.find(named.tokens[-1], local)
    end = end + len(named.tokens[-1]) if end >= 0 else local
    return masked[end:end + 1] in ("'", "\u2019")


_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|himself|herself)\b", re.I)


def _label_line(state: StoryState, entity, p: int) -> bool:
    """Paragraph p is a short line that ends with the entity's name after nothing but a label and
    a dash or colon ("Eyewitness - Ann Lee", "Ann Lee"), the heading of what that person says
    ("Photo by Ann Lee" is a credit, not a label)."""
    text = state.paragraphs[p].rstrip(" .,")
    if len(text) > 80:
        return False
    base = state.offsets[p]
    for at, named in state.index.mentions_between(base, base + len(text)):
        if not text.endswith(named.name):
            continue
        label = text[:len(text) - len(named.name)].rstrip()
        if (not label or label[-1] in "-\u2013\u2014:|") and _same_person(state, named, at, entity):
            return True
    return False
    base = state.offsets[p]
    for at, named in state.index.mentions_between(base, base + len(text)):
        local = at - base
        if local + len(named.name) >= len(text) and _LABEL_BEFORE_NAME.search(text[:local].rstrip() + (
                "" if not text[:local].strip() else "")) and _same_person(state, named, at, entity):
            return True
    return False


def person_like(name: str) -> bool:
    """"Mr Jones", "Stephen Jones" -- not "Department" or "Health Ministry"."""
    titles, tokens = strip_titles(clean_name_tokens(name))
    return bool(tokens) and (bool(titles) or kind_of(tokens) == "person")


def _person_named_after(state: StoryState, pos: int):
    """The first person the story names in the next few hundred characters."""
    for at, entity in state.index.mentions_between(pos, pos + 400):
        full = entity if entity.kind == "person" else state.index.fullest(entity.name)
        if full is not None and full.kind == "person":
            return full
    return None


_PLURAL_VERB = re.compile(r"\s+(?:have|are|were|say|do|insist|deny|claim)\b")


def _plural_named_subject(state: StoryState, pos: int) -> Optional[str]:
    """A name the story treats as plural ("Big Machine have denied ...") in one of the two
    sentences before: who "they" are."""
    k = bisect_right(state.sentence_starts, pos) - 1
    for s, e in reversed(state.sentence_spans[max(0, k - 2):max(0, k)]):
        p = bisect_right(state.offsets, s) - 1
        local = s - state.offsets[p]
        text = state.masked[p][local:local + min(e - s, 200)]
        subject, at = sentence_subject(text)
        if subject and subject[:1].isupper() and subject.split()[0].lower() not in NOT_NAMES and \
                _PLURAL_VERB.match(text, at + len(subject)):
            entity = state.index.fullest(subject, before=pos)
            return entity.name if entity is not None else subject
    return None


_DESCRIBED_OR_SAYING = re.compile(r"\s*,\s+(?:a|an|the)\s|\s+(?:[a-z]+\s+)?([a-z]+)\b")


def _introduced_as_speaker(state: StoryState, end: int) -> bool:
    """After a lone name: ", a trans woman living in Germany," or a reporting verb."""
    p = bisect_right(state.offsets, end) - 1
    local = end - state.offsets[p]
    m = _DESCRIBED_OR_SAYING.match(state.masked[p], local)
    return bool(m) and (m.group(1) is None or m.group(1) in REPORTING_VERBS)

