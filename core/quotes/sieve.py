"""The attribution sieve: the order in which quotations get their speakers, written down in one place.

Two stages, after Muzny et al. 2017 (Stanford's quote attribution): from a quotation to the words
naming its speaker (a mention), then from the mention to the speaker (resolve.RESOLVERS). Most
reliable rules first; a quotation no rule reaches keeps an unknown speaker rather than a guess.

1. CUE_STEPS, for each quotation in story order: the first step that finds a cue in the
   quotation's own sentence (or, for a quotation opening its paragraph, in the lead-in closing the
   paragraph before) wins, and its mention is resolved at once, so "he" in a later cue can mean a
   speaker quoted earlier.
2. STORY_STEPS, over the whole story, for the quotations still without a cue: a multi-paragraph
   quotation's paragraphs share a speaker, words in a sentence whose other quotation has one share
   it, and then, for each quotation in turn, the first of CONTEXT_STEPS that names someone.
3. Then every quotation gets its kind (kinds.py: a scare quote or a title loses any speaker),
   and LAST_STEPS run on what is left.
4. NESTED_STEPS: words quoted inside a quotation, with a cue of their own inside it, become a
   quotation of their own with their own speaker (speech inside speech: the witness's words
   quoting what the police shouted).

Each step is a function with a docstring and its own examples (tests/test_sieve.py runs them and
checks the step named is the one that fires). To add a rule, write a step and put it in its list
at the place its reliability earns; `bench/bench_sieve.py` prints how many quotations each step
attributes on a gold set and how many of those are right.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Optional

from ..model import Speaker
from .attribution import (AFTER_PATTERNS, BEFORE_PATTERNS, LEFT_WINDOW, MASK, RIGHT_WINDOW, Cue,
                          according_to_before, as_x_put_it_before, before_window, cue_after, cue_before, passive_by,
                          plausible_subject, secondary_source, sentence_subject)
from .kinds import set_kinds, title_like
from .lexicon import (ANONYMOUS_HEADS, DESCRIPTION_HEADS, GROUP_HEADS, HONORIFICS, NAME_PARTICLES, NAME_SEQ, ORG_NOUNS,
                      PRONOUNS, ROLE_NOUNS)
from .marks import LEADERS, SENTENCE_END, Span
from .resolve import (as_speaker, dominant_person, nearest_person, person_asked_just_before, person_like,
                      resolve_mention, shaped_like_a_thing, shown_to_be_person, speaker_of)
from .steps import step
from .story import Found, StoryState

_WORD = re.compile(r"\w+")
_UNSET = object()


class QuoteContext:
    """One quotation as the cue steps see it: the masked words of its sentence before (left) and
    after (right) it. Each pattern is read at most once a quotation, however many steps ask."""

    __slots__ = ("state", "found", "i", "f", "p", "masked", "s_start", "left", "right", "right_start",
                 "_after_text", "_before_text", "_before_base", "_memo", "_after", "_before")

    def __init__(self, state: StoryState, found: list[Found], i: int):
        f = found[i]
        self.state, self.found, self.i, self.f, self.p = state, found, i, f, f.paragraph
        self.masked = masked = state.masked[f.paragraph]
        self.s_start, s_end = f.sentence
        self.left = masked[self.s_start:f.span.open_pos]
        self.right_start = min(len(masked), f.span.close_pos + 1)
        self.right = masked[self.right_start:s_end]
        self._after_text = self.right[:RIGHT_WINDOW]
        self._before_text, self._before_base = before_window(self.left, self.s_start)
        self._memo: dict = {}
        self._after = self._before = _UNSET

    def after_pattern(self, pattern) -> Optional[Cue]:
        cue = self._memo.get(pattern, _UNSET)
        if cue is _UNSET:
            cue = self._memo[pattern] = pattern(self._after_text, self.right_start)
        return cue

    def before_pattern(self, pattern) -> Optional[Cue]:
        cue = self._memo.get(pattern, _UNSET)
        if cue is _UNSET:
            cue = self._memo[pattern] = pattern(self._before_text, self._before_base)
        return cue

    @property
    def after(self) -> Optional[Cue]:
        """The cue after the quotation (attribution.cue_after)."""
        if self._after is _UNSET:
            self._after = next((c for c in map(self.after_pattern, AFTER_PATTERNS) if c is not None), None)
        return self._after

    @property
    def before(self) -> Optional[Cue]:
        """The cue before the quotation in its sentence (attribution.cue_before)."""
        if self._before is _UNSET:
            self._before = next((c for c in map(self.before_pattern, BEFORE_PATTERNS) if c is not None), None)
        return self._before


# -- stage 1: a cue in the quotation's own sentence ------------------------------------------------

@step("transcript-turn",
      (['"WALLACE: Let\'s start with the economy."'], "Let's start", "Wallace"))
def transcript_turn(q: QuoteContext) -> Optional[Cue]:
    """'"WALLACE: Let's start ...': a transcript's turn label inside the marks names the speaker."""
    if q.f.turn is None:
        return None
    label, at = q.f.turn
    return Cue(None, label.title(), at, None, "transcript")


_NAME_BEFORE_DASH = re.compile(rf"\b({NAME_SEQ})\s*(?:--|\u2014|\u2013)\s*$")
_DASH_AFTER = re.compile(r"\s*(?:--|\u2014|\u2013)")


@step("dash-aside",
      (['Many engineers agree, among them Maria Lopez -- "The bridge will open in May" -- and Tom Reed.'],
       "The bridge", "Maria Lopez"))
def dash_aside(q: QuoteContext) -> Optional[Cue]:
    """"including the former candidate Mitt Romney -- ''It is disqualifying ...'' -- and ...":
    words set off by dashes right after a person's name are that person's."""
    aside = _NAME_BEFORE_DASH.search(q.left) if _DASH_AFTER.match(q.right) else None
    if aside and person_like(aside.group(1)):
        return Cue(None, aside.group(1), q.s_start + aside.start(1), None, "dash-aside")
    return None


@step("named-by",
      (["The pair were dubbed 'the quiet twins' by gang leaders."], "the quiet twins", "gang leaders"))
def named_by(q: QuoteContext) -> Optional[Cue]:
    """'dubbed "killer sexy brunettes" by cell leaders': a naming verb before, its agent after."""
    return passive_by(q.left, q.right, q.right_start)


_VERB_BEFORE_QUOTE = re.compile(r"\b(?:said|says|told|asked|added|wrote|replied|declared)\s*[,:]\s*$", re.I)


@step("reported-by-another",
      (['Ann Berg called the man. During the call she said, "we will find you," the prosecutor\u2019s office said.'],
       "we will", "Ann Berg"))
def reported_by_another(q: QuoteContext) -> Optional[Cue]:
    """'he said, "...," the prosecutor's office said': the words are his (the cue before them); the
    office that reported them becomes the secondary source."""
    if not _VERB_BEFORE_QUOTE.search(q.left[-60:]):
        return None
    after = q.after
    if after is None or after.rule not in ("X-said", "said-X"):
        return None
    before = q.before
    if before is None or not before.speaker_text:
        return None
    if q.f.secondary is None:
        q.f.secondary = {"description": after.speaker_text, "kind": "statement"}
    return before


_THAT_BEFORE = re.compile(r"\bthat\s*$")


def _ends_with_that(left: str) -> bool:
    """'... said that': the search starts where "that" would have to begin (searching a giant
    sentence of many quotations from its start, once a quotation, is quadratic)."""
    return _THAT_BEFORE.search(left, max(0, len(left.rstrip()) - 4)) is not None


@step("partial-under-earlier-cue",
      (['Maria Lopez said the bridge was "nearly finished" and safe, Tom Reed said.'], "nearly finished",
       "Maria Lopez"))
def partial_under_earlier_cue(q: QuoteContext) -> Optional[Cue]:
    """'X said that ... "partial" ... Y said': the nearer, earlier cue governs a partial quotation."""
    left = q.left
    if not (q.f.text[:1].islower() or _ends_with_that(left)) or not left.strip() or \
            left.rstrip().endswith((",", ":")):
        return None         # ('claimed that "General Petraeus got in trouble ...," one of ... said': the same)
    after = q.after
    if after is None or after.rule != "X-said":
        return None
    return q.before


@step("said-X",
      (['"The bridge will open in May," said Maria Lopez.'], "The bridge", "Maria Lopez"))
def said_x(q: QuoteContext) -> Optional[Cue]:
    """'"...," said Maria Lopez': the verb right after the quotation, then its speaker."""
    return q.after_pattern(AFTER_PATTERNS[0])


@step("X-said",
      (['"The bridge will open in May," Maria Lopez said.'], "The bridge", "Maria Lopez"),
      (['"The bridge will open in May," Maria Lopez tweeted on Monday.'], "The bridge", "Maria Lopez"))
def x_said(q: QuoteContext) -> Optional[Cue]:
    """'"...," Maria Lopez (also) said': a subject after the quotation, then its verb."""
    return q.after_pattern(AFTER_PATTERNS[1])


@step("according-to",
      (['The bridge is "nearly finished and safe to use," according to Maria Lopez.'], "nearly", "Maria Lopez"))
def according_to(q: QuoteContext) -> Optional[Cue]:
    """'"...," according to Maria Lopez'."""
    return q.after_pattern(AFTER_PATTERNS[2])


@step("dash-signature",
      (['"The bridge will open in May" \u2014 Maria Lopez'], "The bridge", "Maria Lopez"),
      (['"We rewrote it and it got faster." -- Backend engineer at a payments company'], "We rewrote",
       "Backend engineer"))
def dash_signature(q: QuoteContext) -> Optional[Cue]:
    """'"..." -- Maria Lopez': a name after a dash, as a signature (or a description of someone
    unnamed: '-- Backend engineer at a payments company'). Not for words set inside the writer's
    sentence whose own cue names a speaker ('Rajoy said he will "..." and insisted his party was
    "still the top force."--Kim Hall': the reporter's signature closes the brief)."""
    cue = q.after_pattern(AFTER_PATTERNS[3])
    if cue is not None and q.left.rstrip()[-1:].islower():
        # (the words go on the writer's clause: "... his party was "..."" -- not a label, "Reviews | "...")
        before = q.before
        if before is not None and before.speaker_text and not before.naming_only:
            return None
    return cue


# Verbs too ambiguous to be cues anywhere ("notes", "states", "shares" are nouns as often), but not
# right after a quotation, between a name and the end of the clause: '"...," Ann Lee notes.'
_CLOSING_ONLY_VERBS = (r"points out|notes|states|stresses|shares|shared|advises|advised|inquired|inquires|enquired|opined|"
                       r"opines|clarified|clarifies|confessed|confesses|reflects|reflected|echoed|echoes|concurs|"
                       r"concurred|continued|remarks|answers|charged|charges")
_NAME_THEN_CLOSING_VERB = re.compile(rf"[\s,]*(?P<np>{NAME_SEQ}|he|she|they)\s+(?P<verb>{_CLOSING_ONLY_VERBS})"
                                     rf"(?=\s*(?:[.,;:!?]|$)|\s+(?:in|on|at|during|to|about|of|with|when)\b)")
_CLOSING_VERB_THEN_NAME = re.compile(rf"[\s,]*(?P<verb>{_CLOSING_ONLY_VERBS})\s+(?P<np>{NAME_SEQ})(?=\s*(?:[.,;]|$))")


@step("X-notes",
      (['"The roads are full by eight," Maria Lopez notes.'], "The roads", "Maria Lopez"),
      (['"Start small and keep going," advises Tom Reed.'], "Start small", "Tom Reed"),
      (['"You have called voters fools," Ana Costa charged in her opening question.'], "You have called",
       "Ana Costa"),
      (["Ana Costa is a dietitian in Ohio.", '"It is a matter of tolerance," she notes.'], "It is a matter",
       "Ana Costa"))
def x_notes(q: QuoteContext) -> Optional[Cue]:
    """'"...," Maria Lopez notes.', '"...," advises Tom Reed.', '"...," she states.': a verb that
    is no cue elsewhere ("notes", "states", "shares", "advises", "charged": "police charged him")
    is one between the quotation and a name (or "he", "she") that ends the clause."""
    right = q.right
    m = (_NAME_THEN_CLOSING_VERB.match(right) or _CLOSING_VERB_THEN_NAME.match(right)) if right else None
    if m is None or not (m.group("np") in ("he", "she", "they") or person_like(m.group("np")) or
                         q.state.index.fullest(m.group("np"))):
        return None
    return Cue(m.group("verb").lower(), m.group("np"), q.right_start + m.start("np"), None, "X-said")


@step("according-to-before",
      (['The bridge is in trouble. According to the Daily Courier, "Three pillars are cracked."'], "Three pillars",
       "Daily Courier"),
      (['According to Maria Lopez: "The bridge will open in May."'], "The bridge", "Maria Lopez"))
def according_to_before_step(q: QuoteContext) -> Optional[Cue]:
    """'According to the Daily Courier, "..."': the source named just before the words."""
    return q.before_pattern(according_to_before)


@step("as-X-put-it",
      (['Or, as Tom Reed, a former mayor, put it: "The barbarians are inside."'], "The barbarians", "Tom Reed"),
      (['As the columnist Ada Berg had written years earlier, "We could not do without him."'], "We could not",
       "Ada Berg"),
      (['Ada Berg spoke on Monday. The vote is "too close to call," as Berg said on the radio.'], "too close",
       "Ada Berg"))
def as_x_put_it(q: QuoteContext) -> Optional[Cue]:
    """'As Professor Foner put it: "..."', 'as the columnist had written years earlier, "..."':
    an aside naming whose words follow ("put" is no reporting verb, and "as" hides the subject
    from verb-before); or, after the words, whose they were ('the race "is a dead heat," as Cruz
    said on the radio')."""
    cue = q.before_pattern(as_x_put_it_before)
    if cue is not None or not q.right.lstrip(" ,")[:3] in ("as ", "As "):
        return cue
    aside = _AS_X_SAID_AFTER.match(q.right)
    if aside is None or not (aside.group("np") in ("he", "she", "they") or person_like(aside.group("np")) or
                             q.state.index.fullest(aside.group("np"))):
        return None
    return Cue(aside.group("verb").lower(), aside.group("np"), q.right_start + aside.start("np"), None, "as-X-put-it")


# '"...," as Cruz said on the radio', '"...," as she put it'
_AS_X_SAID_AFTER = re.compile(rf"\s*,?\s*[Aa]s\s+(?P<np>{NAME_SEQ}|he|she|they)\s+(?:(?:has|had|once|later|also|"
                              rf"recently|famously|memorably|then)\s+)*(?P<verb>said|says|put\s+it|puts\s+it|noted|"
                              rf"notes|wrote|writes|told|tells|observed|explained|argued|warned|declared|tweeted|"
                              rf"remarked)\b")


_IN_THE_WORDS_OF = re.compile(rf"(?:^|[,;(]\s*|\b(?:And|But|So)\s+)[Ii]n\s+(?:the\s+(?:immortal\s+|famous\s+)?words\s+of\s+"
                              rf"(?P<np>[^,;:!?{MASK}]{{2,80}}?)|(?P<own>{NAME_SEQ})['\u2019]s?\s+(?:own\s+)?words)\s*[,:]\s*$")


@step("in-the-words-of",
      (['In the words of Ada Berg, "A library is a promise kept."'], "A library", "Ada Berg"),
      (['In Tom Reed\u2019s own words: "We built it to last."'], "We built", "Tom Reed"))
def in_the_words_of(q: QuoteContext) -> Optional[Cue]:
    """'In the words of Ed Begley Jr., "..."', 'In Reed's own words: "..."': whose words follow."""
    # Only the words just before the quotation can hold the aside: searching from the window's
    # start (where "^" does not match) keeps a giant sentence of many quotations linear.
    start = max(0, len(q.left) - LEFT_WINDOW)
    if q.left.find("words", start) < 0:
        return None            # (the cheap test first)
    m = _IN_THE_WORDS_OF.search(q.left, start)
    if m is None:
        return None
    group = "np" if m.group("np") else "own"
    np = m.group(group).strip()
    if not np or not (np[:1].isupper() or np.split()[0].lower() in ("the", "a", "an", "one")):
        return None
    return Cue(None, np, q.s_start + m.start(group), None, "as-X-put-it")


@step("inverted-lead",
      (['Others disagree. Said Maria Lopez: "The bridge will open in May."'], "The bridge", "Maria Lopez"),
      (['Adds Maria Lopez, "The bridge will open in May."'], "The bridge", "Maria Lopez"))
def inverted_lead(q: QuoteContext) -> Optional[Cue]:
    """'Said Ellis: "..."': a sentence opening with its verb, then the speaker."""
    return q.before_pattern(BEFORE_PATTERNS[0])


@step("colon-lead-in",
      (['The New York Times reports: "The bridge will open in May."'], "The bridge", "The New York Times"),
      (['Maria Lopez was blunt: "The bridge will open in May."'], "The bridge", "Maria Lopez"))
def colon_lead_in(q: QuoteContext) -> Optional[Cue]:
    """'Maria Lopez was blunt: "..."': no reporting verb, a colon: the sentence's subject."""
    return q.before_pattern(BEFORE_PATTERNS[1])


# A clause opening the sentence that holds the quotation ("After ...", "Acknowledging that ...")
_OPENING_CLAUSE = re.compile(r"\s*(?:(?:But|And|Yet)\s+)?(?:[A-Z][a-z]+ing|After|Before|Despite|Although|Though|While|"
                             r"Since|Unlike)\b[^,;:()" + MASK + r"]{0,120}$")
_CLAUSE_CLOSES = re.compile(r"[^,;:.!?" + MASK + r"]{0,60},\s+(?:(?:though|however|too|also|then|still),\s+)?")
_LOWER_VERB_AFTER = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]+\b")


@step("opening-clause",
      (['After "doing enough at school to get into university", Tom Reed took a degree in Toronto.'], "doing enough",
       "Tom Reed"),
      (['Acknowledging that the mayor "says a lot of silly things," though, Ada Berg backed her.'], "says a lot",
       "Ada Berg"))
def opening_clause(q: QuoteContext) -> Optional[Cue]:
    """'After "doing enough at school to go to university", Mr Rodrigues took a degree': words quoted
    inside a clause that opens the sentence are the main clause's subject's, written after it (an
    opening participle's subject is that one too, never the participle: "Acknowledging that ...")."""
    if not _OPENING_CLAUSE.fullmatch(q.left) or len(_WORD.findall(q.f.text)) < 4:
        return None
    closes = _CLAUSE_CLOSES.match(q.right)
    if closes is None:
        return None
    main = q.right[closes.end():]
    subject, pos = sentence_subject(main)
    if not subject or pos != 0 or (subject.lower() in PRONOUNS and subject.lower() not in ("he", "she", "they")) or \
            not _LOWER_VERB_AFTER.match(main, len(subject)):
        return None
    return Cue(None, subject, q.right_start + closes.end(), None, "opening-clause")


# Nouns for words someone said: "Clinton's call to '...'", "Obama's '...' promise"
_SPEECH_NOUNS = (r"call|calls|promise|pledge|vow|claim|remark|comment|words|line|quip|slogan|mantra|warning|boast|"
                 r"insistence|assertion|assurance|plea|demand|retort|tweet|declaration|refrain|catchphrase|"
                 r"(?:rallying|battle)\s+cry")
_HOLDER_ADJECTIVES = r"(?:(?:famous|infamous|oft-repeated|now-famous|repeated|earlier|latest|signature)\s+)?"
# "Clinton's call earlier in the night to", "Ann Lee's promise that": the holder, the noun, a few
# words at most, then what introduces the words
_HOLDER_NOUN_BEFORE = re.compile(rf"(?:^|[\s(])(?P<np>{NAME_SEQ})['\u2019]s?\s+{_HOLDER_ADJECTIVES}(?:{_SPEECH_NOUNS})"
                                 rf"(?:\s+[a-z]+){{0,4}}?\s+(?:to|for|that|of)\s*$")
_HOLDER_BEFORE = re.compile(rf"(?:^|[\s(])(?P<np>{NAME_SEQ})['\u2019]s?\s+{_HOLDER_ADJECTIVES}$")
_SPEECH_NOUN_AFTER = re.compile(rf"[\s,]*(?:{_SPEECH_NOUNS})\b")


@step("possessive-holder",
      (['Ann Lee said Tom Reed\'s call earlier in the week to "close every bridge" was a mistake.'], "close every",
       "Tom Reed"),
      (['Voters still remember Tom Reed\'s "no new tolls, not one" promise.'], "no new tolls", "Tom Reed"))
def possessive_holder(q: QuoteContext) -> Optional[Cue]:
    """'Clinton's call earlier in the night to "make America whole again"', 'Obama's "if you like
    your plan, you can keep it" promise': words held by a person's noun of speech (a call, a
    promise, a remark, a line) are that person's, nearer to them than any verb of the sentence."""
    left = q.left[-160:]
    if "s" not in left[-60:] or ("\u2019" not in left and "'" not in left):
        return None            # (the cheap test first: no possessive near the words)
    held = _HOLDER_NOUN_BEFORE.search(left)
    if held is None:
        held = _HOLDER_BEFORE.search(left)
        if held is None or not _SPEECH_NOUN_AFTER.match(q.right):
            return None
    np = held.group("np")
    if np.split()[0].lower() in PRONOUNS:
        return None            # ("His call to ...")
    if not person_like(np):
        entity = q.state.index.fullest(np)
        if entity is None or entity.kind != "person":
            return None        # ("America's promise of ...": no person named)
    return Cue(None, np, q.s_start + len(q.left) - len(left) + held.start("np"), None, "possessive")


@step("verb-before",
      (['Maria Lopez said: "The bridge will open in May."'], "The bridge", "Maria Lopez"),
      (['Maria Lopez told reporters the bridge was "nearly finished and safe".'], "nearly", "Maria Lopez"),
      (['"We agree," said Xu Min, adding that the two sides "remain close partners".'], "remain close", "Xu Min"))
def verb_before(q: QuoteContext) -> Optional[Cue]:
    """'Maria Lopez said: "..."', 'X told reporters the bridge was "..."': the last reporting verb
    before the quotation in its sentence, and its subject ('adding that ...' takes the speaker of
    the sentence's earlier quotation). A thing for a subject ('The rejection of the treaty signals
    "the beginning of the end" for the EU, said Geert Wilders') gives way to a person named by an
    attribution closing the sentence."""
    cue = q.before_pattern(BEFORE_PATTERNS[2])
    thing = _A_THING.match(cue.speaker_text) if cue is not None and cue.speaker_text else None
    if thing and not _names_people(thing.group("head")):
        closing = sentence_final_cue.apply(q)
        if closing is not None and closing.speaker_text and closing.speaker_text[:1].isupper():
            return closing
    return cue


# "the rejection of the treaty": a determiner, then a noun (not one of people: see _names_people)
_A_THING = re.compile(r"(?i:the|a|an)\s+(?P<head>[a-z][\w-]*)(?:\s+(?:of|for|to|in|on)\s+.*)?$")


def _names_people(noun: str) -> bool:
    """"mayor", "spokesman", "officials", "company", "strategist": a noun for people or a body."""
    return noun in ROLE_NOUNS or noun in DESCRIPTION_HEADS or noun in ANONYMOUS_HEADS or noun in GROUP_HEADS or \
        noun in ORG_NOUNS or noun in HONORIFICS or noun.endswith(("er", "or", "ist", "ian", "man", "woman", "ers",
                                                                  "ors", "ists", "ians", "men", "ent", "ents"))


# "Hillary Clinton cracked, '...'", "Rep. Ann Lee retorted:": a name, a verb in -ed that no list holds,
# and nothing but a comma or a colon between it and the quotation
_NAME_VERBED_THEN_QUOTE = re.compile(rf"(?:^|[,;(]\s*|\s(?:and|but|then)\s+|\s-+\s+|[\u2014\u2013]\s*)"
                                     rf"(?P<np>{NAME_SEQ})\s+(?:(?-i:[a-z]+ly)\s+)?(?P<verb>(?-i:[a-z]{{3,}}ed))\s*[,:]\s*$")


@step("name-verbed-then-quote",
      (['During the first debate, Mara Lind cracked, "I build things, and then I finish them."'], "I build",
       "Mara Lind"))
def name_verbed_then_quote(q: QuoteContext) -> Optional[Cue]:
    """'During their first debate, Hillary Clinton cracked, "..."': a verb no list of reporting verbs
    holds ("cracked", "sniped", "mused"), set between a person's name and the comma or colon right
    before the words, reports them. Only a person's name: "The plan failed, '...'" names no one."""
    m = _NAME_VERBED_THEN_QUOTE.search(q.left[-160:])
    if m is None or not person_like(m.group("np")) or m.group("np").lower() in PRONOUNS:
        return None
    at = len(q.left) - len(q.left[-160:]) + m.start("np")
    return Cue(m.group("verb"), m.group("np"), q.s_start + at, None, "X-said")


@step("sentence-final-cue",
      (['Ada Berg visited. The city "will recover" quickly and fully, she said.'], "will recover", "Ada Berg"),
      (['"He can assert it, but it seems unlikely" that she can win, said Tom Reed, deputy manager of the 2004 '
        'campaign of a senator from the north of the state.'], "He can assert", "Tom Reed"))
def sentence_final_cue(q: QuoteContext) -> Optional[Cue]:
    """'The city "will recover" quickly, he said.': an attribution closing the sentence (its last
    100 characters, after a comma) covers a quotation set anywhere in it."""
    right = q.right
    if MASK in right or ";" in right or len(_WORD.findall(q.f.text)) < 2:
        return None         # one word ("likely") is too little to carry a sentence's attribution
    floor = max(0, len(right) - 100)
    comma = right.rfind(",")
    for _ in range(3):
        if comma < floor or comma <= 0:
            break
        cue = cue_after(right[comma:], q.right_start + comma)
        if cue is not None:
            return cue
        comma = right.rfind(",", 0, comma)
    # '"He can assert it" that Sanders can catch her, said Steve Elmendorf, deputy manager of ...':
    # the first comma, near the words, when a long description after the name pushed it back
    first = right.find(",")
    if 0 < first < min(floor, 80):
        cue = cue_after(right[first:], q.right_start + first)
        if cue is not None and cue.rule == "said-X":
            return cue
    return None


@step("according-to-opening",
      (['According to Ann Lee, the old bridge is now "a danger to every driver."'], "a danger", "Ann Lee"),
      (['According to the Daily Courier, the repairs will cost twice the estimate and leave the road "closed for a '
        'year."'], "closed for", "Daily Courier"))
def according_to_opening(q: QuoteContext) -> Optional[Cue]:
    """'According to Trump, he was once part of the establishment, but is now "the worst thing that
    ever happened to it."': a sentence that opens by naming its source covers words quoted later in
    it that no cue of their own reaches (a reporting verb with its own subject is verb-before's, an
    attribution closing the sentence sentence-final-cue's: both come first)."""
    opens = _ACCORDING_OPENS.match(q.left) if q.left.lstrip()[:1] in "AaBSY" else None
    if opens is None or MASK in q.left[:opens.end()] or not plausible_subject(opens.group("np")):
        return None
    cue = according_to_before(q.left[:opens.end()], q.s_start)
    return cue if cue is not None and cue.speaker_text else None


@step("lead-in-paragraph",
      (["Engineer Tom Reed, who led the survey, said:", '"Every pillar is sound."'], "Every pillar", "Tom Reed"),
      (["The queue reached the corner by noon.", "17-year-old Tom Reed echoed:", '"It was never this busy."'],
       "It was never", "Tom Reed"))
def lead_in_paragraph(q: QuoteContext) -> Optional[Cue]:
    """'Hugh Hill, a doctor, said:' closing the paragraph before, then the quotation opening its own."""
    if not _only_of(LEADERS, q.left) or q.p == 0 or q.f.span.open_pos > 3:
        return None
    state, p = q.state, q.p
    prev = state.masked[p - 1].rstrip()
    if not prev.endswith(":"):
        return None
    s_start = state.sentences[p - 1][-1][0]
    cue = cue_before(prev[s_start:], s_start)
    if cue and cue.speaker_pos >= 0:
        # speaker_pos is relative to paragraph p-1: express it in paragraph p's frame
        cue.speaker_pos -= state.offsets[p] - state.offsets[p - 1]
    return cue


@step("cue-after-closing-stop",
      (['The nominee spoke at length.', '"Russia, if you are listening, find the emails." Mr. Dole said.'],
       "Russia, if", "Dole"),
      (['"We will stay in the region." Defense Secretary Ash Lind added.'], "We will stay", "Ash Lind"))
def cue_after_closing_stop(q: QuoteContext) -> Optional[Cue]:
    """'"... the emails that are missing." Trump said.': a full stop inside the closing mark ends
    the sentence for the splitter, but a short sentence right after it that is only an
    attribution ("Trump said.", "said Ann Lee, the mayor.") is the quotation's cue."""
    if q.right.strip() or not q.f.text.rstrip().endswith((".", "!", "?")):
        return None
    sentences = q.state.sentences[q.p]
    k = sentences.index(q.f.sentence) + 1 if q.f.sentence in sentences else len(sentences)
    if k >= len(sentences):
        return None
    start, end = sentences[k]
    if q.masked[q.right_start:start].strip():
        return None
    following = q.masked[start:end]
    if MASK in following or len(following.split()) > 12:
        return None
    cue = cue_after(following, start)
    return cue if cue is not None and cue.rule in ("said-X", "X-said") else None


_SIGNATURE_LINE = re.compile(rf"^\s*(?:-+|\u2014|\u2013)\s*(?P<np>{NAME_SEQ})\s*(?:[,.].*)?$")


@step("signature-next-paragraph",
      (['"I will look into it. I do not know the status."', "- Ada Berg.", "Berg has said so before."], "I will look",
       "Ada Berg"))
def signature_next_paragraph(q: QuoteContext) -> Optional[Cue]:
    """A quotation standing as its own paragraph, then a line that only signs it: '"..."' and
    '- Hillary Clinton.', '-President Obama, tweeting after the speech.' (a fact-check's or a
    digest's layout)."""
    state, p = q.state, q.p
    if q.f.span.open_pos > 3 or q.right.strip(" .,") or p + 1 >= len(state.paragraphs) or \
            q.f.sentence[1] < len(q.masked.rstrip()) - 2:
        return None
    line = state.paragraphs[p + 1]
    signed = _SIGNATURE_LINE.match(line) if len(line) <= 120 else None
    if signed is None:
        return None
    # (expressed in this paragraph's frame, as lead-in-paragraph does for the one before)
    return Cue(None, signed.group("np"), state.offsets[p + 1] - state.offsets[p] + signed.start("np"), None, "dash")


CUE_STEPS = (transcript_turn, dash_aside, named_by, reported_by_another, partial_under_earlier_cue,
             said_x, x_said, according_to, dash_signature, x_notes, according_to_before_step, as_x_put_it,
             in_the_words_of, inverted_lead, colon_lead_in, opening_clause, possessive_holder, verb_before, name_verbed_then_quote,
             sentence_final_cue, according_to_opening, lead_in_paragraph, cue_after_closing_stop, signature_next_paragraph)

# How sure each cue pattern is of its speaker (a pronoun's resolution costs a tenth more).
_CUE_CONFIDENCE = {"opening-clause": 0.6, "as-X-put-it": 0.85, "said-X": 0.92, "X-said": 0.9, "according-to": 0.85, "dubbed-by": 0.8, "dash": 0.75,
                   "colon-lead-in": 0.88, "X-said-that": 0.8}


def attribute_by_cue(state: StoryState, found: list[Found], i: int) -> None:
    """Stage 1 for one quotation: the first of CUE_STEPS with a cue, its mention resolved."""
    q = QuoteContext(state, found, i)
    f = q.f
    f.secondary = secondary_source(q.masked[max(q.s_start, f.span.open_pos - 300):
                                            min(f.sentence[1], q.right_start + 300)])
    for cue_step in CUE_STEPS:
        cue = cue_step.apply(q)
        if cue is not None:
            _take_cue(q, cue)
            if f.speaker is not None:
                f.step = cue_step.name
            return


def _take_cue(q: QuoteContext, cue: Cue) -> None:
    state, f, p = q.state, q.f, q.p
    f.cue = cue
    if cue.rule == "transcript":
        f.speaker, f.resolver = resolve_mention(state, cue.speaker_text, state.offsets[p] + cue.speaker_pos, None, f)
        f.confidence = 0.85 if f.speaker else 0.3
        if f.speaker and f.speaker.name:
            state.history.append((f.start, f.speaker))
        return
    if cue.rule == "dash-description":
        # ('"..." -- Distinguished engineer working on ...': someone unnamed, as the page describes them)
        f.speaker, f.resolver = Speaker(cue.speaker_text, cue.speaker_text, "anonymous", None, None), "description"
        f.confidence = 0.6
        return
    if cue.rule == "dash-aside":
        f.speaker, f.resolver = resolve_mention(state, cue.speaker_text, state.offsets[p] + cue.speaker_pos, None, f)
        f.confidence = 0.75
        return
    if cue.via_earlier:
        # a participle ('adding that "..."'): the speaker of the sentence's earlier quotation
        earlier = state.sentence_speaker.get((p, f.sentence))
        if earlier:
            f.speaker, f.resolver = earlier, "sentence's-speaker"
        elif q.left.lstrip(LEADERS).lower().startswith(cue.verb or "\0"):
            # 'Maher said the report "wasn't good." Adding, "..."': a participle opening the sentence
            # goes on with the speaker quoted just before, in this paragraph or the one before
            last = state.history[-1] if state.history else None
            if last is not None and last[0] >= state.offsets[max(0, p - 1)]:
                f.speaker, f.resolver = last[1], "sentence's-speaker"
        else:
            subject, pos = _participle_subject(q.left, cue.verb)
            f.speaker, f.resolver = resolve_mention(state, subject, state.offsets[p] + q.s_start + pos, None, f) \
                if subject else (None, None)
        f.confidence = 0.7 if f.speaker else 0.3
        return
    if cue.speaker_text:
        # (a lead-in closing the paragraph before stands at a negative place in this one's frame; -1 is none)
        pos = state.offsets[p] + cue.speaker_pos if cue.speaker_pos != -1 else f.start
        f.speaker, f.resolver = resolve_mention(state, cue.speaker_text, pos, cue.appositive, f)
        f.confidence = _CUE_CONFIDENCE.get(cue.rule, 0.7)
        if f.speaker and f.speaker.mention and f.speaker.mention.lower() in PRONOUNS:
            f.confidence *= 0.9
        if f.speaker and f.speaker.name:
            state.history.append((f.start, f.speaker))
            state.sentence_speaker[(p, f.sentence)] = f.speaker
        if cue.rule == "according-to" and f.secondary is None:
            f.secondary = {"description": cue.speaker_text, "kind": "statement"} if re.search(
                r"statement|readout|report", cue.speaker_text, re.I) else None


# Subjects that speak no words: "It was a one-two punch ..., as Ann Lee echoed it, saying ...",
# "I remember Tom Reed going on TV, declaring ...": the writer, or no one
_SUBJECT_SPEAKING_NO_WORDS = frozenset("it it's it’s there there's there’s this that i i'm i’m we "
                                       "we're we’re you".split())
# a person's name, then the verb of its own clause ("Mrs. Lee echoed", "Tom Reed going")
_NAME_ACTING = re.compile(rf"({NAME_SEQ})\s+(?:(?-i:[a-z]+ly)\s+)?(?-i:[a-z]+(?:ed|ing))\b")


def _participle_subject(left: str, verb: Optional[str]) -> tuple[Optional[str], int]:
    """Who a participle's words ("..., saying ...") are said by: the sentence's subject; but where
    that subject speaks no words ("It was a potent punch by the two women, as Mrs. Lee echoed the
    criticism, saying "..."", "I remember President Reed going on TV, declaring "...""), the last
    person named before the participle as the subject of a clause of their own."""
    subject, pos = sentence_subject(left)
    if subject and subject.lower() not in _SUBJECT_SPEAKING_NO_WORDS:
        return subject, pos
    at = left.lower().rfind(verb) if verb else -1
    acting = [m for m in _NAME_ACTING.finditer(left, 0, at if at > 0 else len(left)) if person_like(m.group(1))]
    if acting:
        return acting[-1].group(1), acting[-1].start(1)
    return subject, pos


# -- stage 2: quotations with no cue of their own ------------------------------------------------

@step("chain-forward",
      (['Coach Ian Hale said: "We trained hard for this.', '"Next year we go again."'], "Next year", "Ian Hale"))
def chain_forward(state: StoryState, found: list[Found]) -> None:
    """A paragraph of a multi-paragraph quotation (reopened in the news convention) with no cue of
    its own is the first paragraph's speaker's."""
    for f in found:
        if f.chained_to is not None and f.speaker is None:
            first = f.chained_to
            f.speaker, f.confidence = found[first].speaker, found[first].confidence * 0.95
            f.kind = "continuation"
            if f.speaker is not None:
                f.step = "chain-forward"


@step("chain-back",
      (['"The first part of the plan is simple.', '"The second part is harder," said Jo Park.'], "The first part",
       "Jo Park"))
def chain_back(state: StoryState, found: list[Found]) -> None:
    """A multi-paragraph quotation attributed at its end ('...," he said' after the last paragraph)
    gives its speaker back to the paragraphs before."""
    for i in range(len(found) - 1, -1, -1):
        f = found[i]
        if f.chained_to is not None and f.speaker is not None and found[f.chained_to].speaker is None:
            earlier = found[f.chained_to]
            earlier.speaker = f.speaker
            earlier.confidence = f.confidence * 0.95
            earlier.cue = earlier.cue or f.cue
            earlier.step = "chain-back"


_SPEAKING_PRONOUN = re.compile(r"\b(?:I|me|my|we|us|our|you|your)\b")


@step("same-sentence",
      (['Mr. Reed treated her remark as a compliment -- "That makes me smart" -- and later asserted, '
        '"Of course, I pay taxes."'], "That makes me", "Reed"))
def same_sentence(state: StoryState, found: list[Found]) -> None:
    """'Mr. Trump treated her remark as a compliment -- "That makes me smart" -- and later asserted,
    "Of course, I pay taxes."': words with no cue of their own, in a sentence whose other
    quotation has a speaker, are that speaker's when they read as speech (a pronoun of a speaker
    or a listener, or five words and more), not as a label."""
    by_sentence: dict = {}
    for f in found:
        if f.speaker is not None and f.speaker.name:
            by_sentence.setdefault((f.paragraph, f.sentence), f.speaker)
    for f in found:
        if f.speaker is None and f.cue is None and (len(f.text.split()) >= 5 or _SPEAKING_PRONOUN.search(f.text)):
            speaker = by_sentence.get((f.paragraph, f.sentence))
            if speaker is not None:
                f.speaker, f.confidence = speaker, 0.6
                f.cue = Cue(None, None, rule="same-sentence")
                f.step = "same-sentence"


def each_uncued(state: StoryState, found: list[Found]) -> None:
    """For each quotation still without a cue or speaker, in story order: a quotation standing as
    its own sentence gets the first of CONTEXT_STEPS that names someone; words inside the writer's
    sentence, only the first-person reading of INSIDE_SENTENCE_STEPS."""
    prev = None          # the last quotation with a speaker
    for i, f in enumerate(found):
        if f.speaker is None and f.cue is None:
            steps = CONTEXT_STEPS if _is_sentence_quote(state, f) else INSIDE_SENTENCE_STEPS
            for context_step in steps:
                speaker = context_step.apply(state, found, i, prev)
                if speaker is not None:
                    f.speaker, f.confidence, f.step = speaker, _CONTEXT_CONFIDENCE[context_step.name], \
                        context_step.name
                    break
        if f.speaker is not None:
            prev = f


@step("previous-sentence",
      (['Lena Voss, a teacher in Bonn, said the school felt safer now. "We can finally talk."'], "We can",
       "Lena Voss"),
      (["Tom Reed studies robots.", 'According to Ann Lee, the machines are too heady. "If you play with them, you '
        'see where they fail."'], "If you play", "Ann Lee"))
def previous_sentence(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """'Elilla, a trans woman living in Germany, said Mastodon felt safer. "What counts ..."':
    a quotation with no cue, right after a sentence of the same paragraph reporting someone (or
    citing them: "According to Ann Lee, ...")."""
    f = found[i]
    sentences = state.sentences[f.paragraph]
    k = sentences.index(f.sentence) if f.sentence in sentences else 0
    if k == 0:
        return None
    s_start, s_end = sentences[k - 1]
    sentence = state.masked[f.paragraph][s_start:s_end]
    if MASK in sentence:
        return None
    cue = cue_before(sentence, s_start)
    if cue is not None and cue.via_earlier and not cue.speaker_text:
        # "Bolton distanced himself ... by saying he would help. "...": the sentence's subject
        subject, at = sentence_subject(sentence)
        speaker = speaker_of(state, subject, state.offsets[f.paragraph] + s_start + at, None, f) if subject else None
        return speaker if speaker is not None and speaker.kind == "person" else None
    if cue is None:
        return _according_to_in(state, sentence, state.offsets[f.paragraph] + s_start, f)
    if not cue.speaker_text or cue.naming_only:
        return None
    pos = state.offsets[f.paragraph] + max(cue.speaker_pos, 0)
    return speaker_of(state, cue.speaker_text, pos, cue.appositive, f)


# "According to Ann Lee, ...", "..., according to Ann Lee." (and what follows her name, if anything)
_ACCORDING_OPENS = re.compile(r"^\s*(?:(?:But|And|Yet|So)\s+)?[Aa]ccording\s+to\s+(?P<np>[^,;:()]{2,60}?)\s*,")
_ACCORDING_CLOSES = re.compile(r",\s+according\s+to\s+(?P<np>[^,;:()]{2,60}?)\s*(?:,[^;:]{0,120})?[.!?]?\s*$")


def _according_to_in(state: StoryState, sentence: str, base: int, f: Found) -> Optional[Speaker]:
    """'According to Bongard, that is because the machines are too heady. "If you play ..."': the
    person the sentence before cites (a person only: "according to the data" speaks no words)."""
    m = _ACCORDING_OPENS.match(sentence) or _ACCORDING_CLOSES.search(sentence)
    if m is None or not m.group("np")[:1].isupper():
        return None
    speaker = speaker_of(state, m.group("np"), base + m.start("np"), None, f)
    return speaker if speaker is not None and speaker.kind == "person" and speaker.name else None


@step("answer-in-exchange",
      (['"Do you dispute that?" Judge Sam Alito asked Ann Reyes.', '"There can be a minimal risk," Reyes said.',
        '"Is that all?" Alito asked.', '"There is nothing more."'], "There is nothing", "Ann Reyes"))
def answer_in_exchange(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """'"... Do you dispute that?" Alito asked.' then '"There can be a minimal risk ..."': after a
    question closing the paragraph before, the answer is the other party's -- the last one quoted,
    within a few paragraphs, who is not the one asking."""
    f = found[i]
    if prev is None or prev.paragraph != f.paragraph - 1 or not prev.text.rstrip().endswith("?") or \
            f.span.open_pos > 3:
        return None
    asker = prev.speaker.name
    for j in range(i - 1, -1, -1):      # (no slice copy: this runs once a paragraph)
        earlier = found[j]
        if f.paragraph - earlier.paragraph > 4:
            break
        speaker = earlier.speaker
        if speaker is not None and speaker.name and speaker.name != asker and speaker.kind == "person":
            return speaker
    # nobody else quoted yet: the one the question was put to ('"Will you run?" Reed asked Ann Lee.')
    asked = person_asked_just_before(state, state.offsets[prev.paragraph] + len(state.paragraphs[prev.paragraph]))
    return as_speaker(asked) if asked is not None and asked.name != asker else None


@step("reported-since-last-quotation",
      (['"We will appeal," said Tom Reed. But Ann Lee said the ruling was final.', '"It is over."'], "It is over",
       "Ann Lee"),
      (['"We will appeal," said Tom Reed, adding that the fight goes on. The council leader, Ann Lee, said the '
        'ruling was final.', '"It is over."'], "It is over", "Ann Lee"))
def reported_since_last_quotation(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """'"We will appeal," said Tom Reed. But Ann Lee said the ruling was final.' then '"It is over."':
    between the last speaker's words and a quotation with no cue, a sentence of the writer's reports
    what someone else said: the quotation goes on with that one, not with the last speaker."""
    f = found[i]
    if prev is None or not prev.speaker.name or not _next_to(state, prev.paragraph, f.paragraph):
        return None
    k = bisect_left(state.sentence_starts, prev.end)
    last = None
    for s, e in state.sentence_spans[k:]:
        if s >= f.start:
            break
        p = bisect_right(state.offsets, s) - 1
        base = state.offsets[p]
        sentence = state.masked[p][s - base:e - base]
        if MASK in sentence or not _REPORTING_HINT.search(sentence):
            continue          # (a quotation's own sentence, or none of the verbs: the cheap test first)
        cue = cue_before(sentence, s - base)
        if cue is not None and cue.speaker_text and not cue.naming_only and not cue.via_earlier and \
                cue.speaker_pos >= 0 and cue.speaker_text.lower() not in PRONOUNS:
            speaker = speaker_of(state, cue.speaker_text, base + cue.speaker_pos, cue.appositive, f)
            if speaker is not None and speaker.kind == "person" and len((speaker.name or "").split()) >= 2:
                last = speaker        # (a full name the story gives: "Rather, he said," names no one)
    if last is None or last.name == prev.speaker.name:
        return None
    return last


# (a reported sentence holds one of these; most sentences between two quotations hold none)
_REPORTING_HINT = re.compile(r"\b(?:said|says|told|tells|added|adds|argued|argues|insisted|insists|warned|warns|"
                             r"wrote|writes|explained|explains|claimed|claims|believes|believed|thinks|thought)\b")


@step("continues-previous-speaker",
      (['"We are proud," said coach Ian Hale.', '"Next year we go again."'], "Next year", "Ian Hale"))
def continues_previous_speaker(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """A quotation standing as its own sentence, with no cue, in the paragraph of the last speaker
    or the next one (captions between do not count), goes on with that speaker (a continuation)."""
    f = found[i]
    if prev is not None and prev.speaker.name and _next_to(state, prev.paragraph, f.paragraph):
        f.kind = "continuation"
        return prev.speaker
    return None


@step("paragraph-opening",
      (["Mayor Jo Park toured the flooded streets on Monday.", '"We will rebuild every house."'], "We will rebuild",
       "Jo Park"),
      (["Eyewitness - Ana Costa", '"I was taking photos when the roof caught fire."'], "I was taking", "Ana Costa"))
def paragraph_opening(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """A quotation standing alone as a paragraph, with no cue: the person the paragraph before is
    about -- whoever said or did something there ("The president also admitted ..."), else the
    person last named there. With no cue, that name is a guess, so it must be shown to be a
    person's (resolve.shown_to_be_person: a title, a role, a cue or a reporting verb elsewhere, a
    lead-in or a label line naming it): "Mentor Mode" or "Instagram Reels" on a blog's page is
    no one, and the speaker stays unknown."""
    f = found[i]
    if f.span.open_pos > 3 or f.paragraph == 0:
        return None
    return _floating_speaker(state, f)


@step("profile-subject",
      (["Actor Mara Quinn has made four films this year. Quinn grew up in Ohio.",
        "Quinn says the work never stops. Quinn laughs about it, and Quinn means it.",
        'There were many long nights. "Oh my God, every month was a fight."'], "Oh my God", "Mara Quinn"))
def profile_subject(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """A profile or an interview: an answer set in the writer's own narration, with no cue, is the
    subject's ("There were many long nights. "Oh my God, every month..."), when one person clearly
    dominates the story. (A quotation opening its paragraph is paragraph-opening's alone.)"""
    f = found[i]
    if f.span.open_pos <= 3 and f.paragraph > 0:
        return None
    return _shown_person(state, dominant_person(state, f.start), f.paragraph)


@step("continues-inside-sentence",
      (['"It is an enormous moment," said Sam Hale, a strategist. Unless rivals quit soon, "it is very hard '
        'to see how he is stopped."'], "it is very hard", "Sam Hale"))
def continues_inside_sentence(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """'"It's an enormous moment," said Steve Schmidt. Unless rivals quit, "it's very difficult
    to see how he is stopped."': words quoted at the end of the writer's sentence, right after the
    same speaker's quotation in the same paragraph, with nobody else named in the writer's words
    before them, go on with that speaker."""
    f = found[i]
    if i == 0 or prev is not found[i - 1] or prev.paragraph != f.paragraph or prev.cue is None or \
            not prev.speaker.name or len(f.text.split()) < 4:
        return None
    masked = state.masked[f.paragraph]
    if masked[f.span.close_pos + 1:f.sentence[1]].strip(" .,;!?\u201d\u2019\"'"):
        return None           # the sentence goes on after the words: the writer's, not a continuation
    if _ends_with_that(masked[f.sentence[0]:f.span.open_pos]):
        return None           # ("A meta-analysis ... concludes that "...": the sentence's own subject's)
    start = state.offsets[f.paragraph]
    between = state.index.mentions_between(start + max(f.sentence[0], prev.span.close_pos + 1), f.start)
    if any(_names_other_than(state, entity, prev.speaker) for _, entity in between):
        return None
    return prev.speaker


def _names_other_than(state: StoryState, entity, speaker: Speaker) -> bool:
    full = entity if entity.kind == "person" else state.index.fullest(entity.name)
    return full is not None and full.kind == "person" and full.name != speaker.name


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my|we|our|us)\b")


@step("first-person-in-profile",
      (["Actor Mara Quinn has made four films this year. Quinn grew up in Ohio.",
        "Quinn says the work never stops. Quinn laughs about it, and Quinn means it.",
        'Her co-star is calm on set and "the one who never panics when my lines go missing".'],
       "the one who", "Mara Quinn"))
def first_person_in_profile(state: StoryState, found: list[Found], i: int, prev) -> Optional[Speaker]:
    """A profile: the subject's own words (first person, sentence length) set inside the writer's
    sentence with no cue ('In fact, McCarthy is ... and "the character ... It was a lesson my
    character needed"')."""
    f = found[i]
    if len(f.text.split()) >= 6 and _FIRST_PERSON.search(f.text):
        return _shown_person(state, dominant_person(state, f.start), f.paragraph)
    return None


CONTEXT_STEPS = (previous_sentence, answer_in_exchange, reported_since_last_quotation, continues_previous_speaker,
                 paragraph_opening,
                 profile_subject)
INSIDE_SENTENCE_STEPS = (continues_inside_sentence, first_person_in_profile)
_CONTEXT_CONFIDENCE = {"previous-sentence": 0.6, "reported-since-last-quotation": 0.55, "answer-in-exchange": 0.55,
                       "continues-previous-speaker": 0.65,
                       "paragraph-opening": 0.5, "profile-subject": 0.4, "first-person-in-profile": 0.4,
                       "continues-inside-sentence": 0.55}
STORY_STEPS = (chain_forward, chain_back, same_sentence)


# -- stage 3: after the kinds ----------------------------------------------------------------------

# (a party label in brackets after the subject is skipped: "Gov. Pat McCrory (R) blamed")
_WORD_AFTER_SUBJECT = re.compile(r"\s*(?:\([A-Z][\w.-]{0,10}\)\s*)?(,|[a-z][\w'\u2019-]*)")
_POSSESSIVE_END = re.compile(r"['\u2019]s$")
_NOT_AN_ACT = frozenset("and or of is was are were be been being 's".split())


def _clause_subject(left: str) -> tuple[Optional[str], int]:
    """The subject of the clause the words sit in: "Jindal signed an order, while Mike Huckabee
    proposed we "..."" -- the second clause's own subject, where one opens it; else the sentence's."""
    joints = list(_CLAUSE_JOINT.finditer(left))
    if joints:
        at = joints[-1].end()
        subject, pos = sentence_subject(left[at:])
        if subject and subject[:1].isupper() and subject.split()[0].lower() not in ("the", "a", "an", "it", "they"):
            return subject, at + pos
    return sentence_subject(left)


# where a second clause with its own subject starts: ", while Ann Lee said", "; Tom Reed called it"
_CLAUSE_JOINT = re.compile(r"(?:,\s*(?:while|whereas|but|and\s+then)|;)\s+(?=[A-Z])")


@step("subject-of-sentence",
      (["Ada Berg runs the clinic.", 'In late March, Dr Ada Berg estimated "between 100 and 200 patients" could '
        'come.'], "between 100", "Ada Berg"))
def subject_of_sentence(state: StoryState, found: list[Found]) -> None:
    """'In late March, Dr Fauci estimated "between 100,000 and 200,000" could die', 'He compared
    the effort to "a final exam you forgot about ..."': words quoted inside a sentence with no
    reporting verb, whose subject is a person, are that person's. Only a guess (low confidence),
    and it neither feeds later pronouns nor changes the quotation's kind."""
    for f in found:
        if f.speaker is not None or f.cue is not None or f.kind != "partial":
            continue
        masked = state.masked[f.paragraph]
        left = masked[f.sentence[0]:f.span.open_pos]
        subject, pos = _clause_subject(left)
        if not subject:
            # "In the foul air of the engine room he found "...": an opening phrase with no comma,
            # then "he" or "she" and a verb right before the words
            bare = _PRONOUN_AND_VERB_BEFORE.search(left)
            subject, pos = (bare.group("pro"), bare.start("pro")) if bare else (None, -1)
        if not subject or subject.split()[0].lower() in ("the", "a", "an", "it", "they", "police", "officials") \
                or _POSSESSIVE_END.search(subject):
            continue      # "Mastodon's covenant requires ...", "It's ...": not the subject who speaks
        after = _WORD_AFTER_SUBJECT.match(left, pos + len(subject))
        if after is None or after.group(1) in _NOT_AN_ACT:
            continue      # 'RT is "providing ..."' describes RT; 'Filmmaker and former host ...'
        speaker = speaker_of(state, subject, state.offsets[f.paragraph] + f.sentence[0] + pos, None, f)
        if speaker is not None and speaker.kind == "person" and len((speaker.name or "").split()) >= 2:
            # (a full name the story gives: a lone capitalised word may be no one, "Family members")
            f.speaker, f.confidence, f.step = speaker, 0.35, "subject-of-sentence"


_PRONOUN_AND_VERB_BEFORE = re.compile(r"\s(?P<pro>he|she)\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|found|saw|heard|felt|knew|"
                                      r"met|kept|left|thought|took|got)\s+$")


LAST_STEPS = (subject_of_sentence,)


# -- stage 4: speech reported inside speech -----------------------------------------------------

_OWNED_BY_SPEAKER = re.compile(r"(?:my|our)\s+(?P<who>[a-z][\w'\u2019-]*(?:\s+[a-z][\w'\u2019-]*){0,2})", re.I)
_COUNTING_DETERMINERS = frozenset("the a an one two three some several other another".split())
_NO_ONE = frozenset(("nobody", "no one", "none", "no-one"))
_SENTENCE_GAP = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s+")


@step("speech-inside-speech",
      (['Witness Ann Berg said: "Then the officers shouted \'Get down on the floor!\' and we lay down."'], "Get down",
       "the officers"),
      (['\u201cThen my mother said, \u2018We are leaving tonight,\u2019 and we packed,\u201d said Tom Reed.'],
       "We are leaving", "Tom Reed's mother"),
      (['"I told him: \'Not in my house,\' and he left," said Tom Reed.'], "Not in my house", "Tom Reed"),
      (['Ann Berg saw the arrest. "Sergeant Ivo Marsh told him, \u2018You are under arrest,\u2019 and he ran," she '
        'said.'], "You are under", "Ivo Marsh"))
def speech_inside_speech(state: StoryState, found: list[Found]) -> None:
    """'"Then the officers shouted 'Get down!' and we lay down," said Ann Berg': words quoted inside
    a quotation, with a cue of their own inside it, are a quotation of their own -- the inner words
    are the officers', the outer the witness's. 'I told him ...' is the outer speaker's own; 'my
    mother said' is the outer speaker's mother. Inner words with no cue (a title, a sign), or whose
    speaker is only a pronoun the quotation's own context would tell ("he told me ..."), are left
    inside the outer quotation alone."""
    if not any(f.span.inner for f in found):
        return
    story: list[Found] = []
    for f in found:
        story.append(f)
        if f.span.inner and f.kind != "scare":
            story.extend(filter(None, (_nested_quotation(state, f, inner) for inner in f.span.inner)))
    found[:] = story


def _nested_quotation(state: StoryState, outer: Found, inner: Span) -> Optional[Found]:
    text, p = state.paragraphs[outer.paragraph], outer.paragraph
    start, end = inner.start, inner.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not _WORD.search(text[start:end]) or title_like(text[start:end]):
        return None            # ('Racist', 'Donald Trump Leads': a label or a headline, not speech)
    # the outer speaker's words around the inner marks, within their own sentence
    before = text[outer.span.start:inner.open_pos]
    gaps = list(_SENTENCE_GAP.finditer(before))
    cut = gaps[-1].end() if gaps else 0
    cue = cue_before(before[cut:], outer.span.start + cut)
    if cue is None or not cue.speaker_text:
        after = text[inner.close_pos + 1:outer.span.end]
        gap = _SENTENCE_GAP.search(after)
        cue = cue_after(after[:gap.start()] if gap else after, inner.close_pos + 1)
    else:
        verb_at = before.lower().rfind(cue.verb or "\0", cut)
        mention_end = cue.speaker_pos - outer.span.start + len(cue.speaker_text) if cue.speaker_pos >= 0 else -1
        if verb_at < 0 or len(before[verb_at:].split()) > 7 or not 0 <= mention_end <= verb_at or \
                len(before[mention_end:verb_at].split()) > 4:
            return None        # the verb, or its subject, is far from the inner words: no cue of theirs
    if cue is None or not cue.speaker_text or cue.naming_only or cue.speaker_pos < 0:
        return None
    speaker, resolver = _inner_speaker(state, outer, cue)
    if speaker is None or not speaker.name or (resolver == "name" and len(speaker.name.split()) < 2):
        return None            # ("Maybe you can say ...": a capitalised word the story names no one by)
    nested = Found(p, Span(inner.open_pos, inner.close_pos, start, end, family=inner.family), text[start:end],
                   state.offsets[p] + start, state.offsets[p] + end, sentence=outer.sentence, cue=cue,
                   speaker=speaker, kind="full" if text[start:start + 1].isupper() else "partial",
                   confidence=0.6, step="speech-inside-speech", resolver=resolver)
    return nested


def _inner_speaker(state: StoryState, outer: Found, cue: Cue) -> tuple[Optional[Speaker], Optional[str]]:
    """Who speaks inside the quotation: 'I' is the outer speaker, 'my mother' theirs; a name or a
    description is read as anywhere in the story; another pronoun ('he', 'they') is not guessed."""
    mention = cue.speaker_text.strip()
    low = mention.lower()
    own = outer.speaker if outer.speaker is not None and outer.speaker.name else None
    if low in ("i", "me"):
        return own, "outer-speaker"
    owned = _OWNED_BY_SPEAKER.fullmatch(mention)
    if owned:
        if own is None:
            return None, None
        who = owned.group("who")
        return Speaker(f"{own.name}'s {who}", mention, "anonymous", who, None), "outer-speaker's"
    if low in PRONOUNS or low.split()[0] in PRONOUNS or low in _NO_ONE:
        return None, None
    if low in GROUP_HEADS:
        # "People were screaming 'fire, fire'": a group opening the sentence, capitalised only for that
        return Speaker(low, mention, "organization" if low in ("police", "authorities") else "group", None, None), \
            "named-group"
    words = low.split()
    if words[0] in _COUNTING_DETERMINERS and len(words) > 1 and mention[len(words[0]):] == low[len(words[0]):]:
        # "the officer", "an officer": the one the story gave that role, else the description itself
        # (never simply the person the outer speaker's story is about)
        pos = state.offsets[outer.paragraph] + cue.speaker_pos
        entity = state.index.with_role(" ".join(words[1:]), pos)
        if entity is not None:
            return Speaker(entity.name, mention, "person", entity.role, entity.organization), "description"
        kind = "group" if words[-1] in GROUP_HEADS else "anonymous"
        return Speaker(mention, mention, kind, None, None), "description"
    return resolve_mention(state, mention, state.offsets[outer.paragraph] + cue.speaker_pos, cue.appositive, outer)


NESTED_STEPS = (speech_inside_speech,)


def attribute(state: StoryState, found: list[Found]) -> None:
    """The whole sieve over one story's quotations (found, masked): every stage in order."""
    for i in range(len(found)):
        attribute_by_cue(state, found, i)
    for story_step in STORY_STEPS:
        story_step.apply(state, found)
    each_uncued(state, found)
    set_kinds(state, found)
    for last_step in LAST_STEPS:
        last_step.apply(state, found)
    for nested_step in NESTED_STEPS:
        nested_step.apply(state, found)


# -- helpers of the context steps ------------------------------------------------------------------

def _next_to(state: StoryState, earlier: int, later: int) -> bool:
    """The same or the next paragraph, or the next but for captions between them (a photo's
    caption or a heading: no sentence ends in it), which interrupt the page, not the speech."""
    return later - earlier <= 1 or (later - earlier <= 3 and all(
        _is_caption(state.paragraphs[k]) and not _names_a_person(state, k) for k in range(earlier + 1, later)))


def _names_a_person(state: StoryState, p: int) -> bool:
    """(A line naming someone may be the label of the next speaker, as in a box of eyewitnesses.)"""
    start = state.offsets[p]
    return any(entity.kind == "person"
               for _, entity in state.index.mentions_between(start, start + len(state.paragraphs[p])))


def _is_caption(text: str) -> bool:
    text = text.rstrip()
    return 0 < len(text) <= 200 and text[-1] not in SENTENCE_END + "\"\u201d\u2019'" and not any(
        mark in text for mark in "\"\u201c\u201d")


def _only_of(chars: str, text: str, start: int = 0, end: Optional[int] = None) -> bool:
    """Whether text[start:end] holds nothing but chars. Its last few characters are read first, so
    that a giant sentence of many quotations is not copied once a quotation (which is quadratic)."""
    end = len(text) if end is None else end
    return all(ch in chars for ch in text[max(start, end - 8):end]) and not text[start:end].strip(chars)


def _is_sentence_quote(state: StoryState, f: Found) -> bool:
    """Words that open their sentence with a capital, or with an ellipsis ('"... they still go on"':
    a speaker's sentence taken up part way, whatever the case of the word after the dots)."""
    masked = state.masked[f.paragraph]
    s_start, s_end = f.sentence
    return (f.text[:1].isupper() or _OPENING_ELLIPSIS.match(f.text) is not None) and \
        _only_of(LEADERS + ":", masked, s_start, f.span.open_pos)


_OPENING_ELLIPSIS = re.compile(r"(?:\u2026|\.\.\.)\s*\w")


def _floating_speaker(state: StoryState, f: Found) -> Optional[Speaker]:
    p = f.paragraph - 1
    masked = state.masked[p]
    if masked.rstrip().endswith("?") and MASK not in masked:
        # an interviewer's question, then the answer: the person the story is about answers
        return _shown_person(state, state.index.central_person(f.start), p)
    for s_start, s_end in reversed(state.sentences[p][-3:]):
        cue = cue_before(masked[s_start:s_end], s_start)
        if cue and cue.speaker_text and not cue.naming_only:
            speaker = speaker_of(state, cue.speaker_text, state.offsets[p] + max(cue.speaker_pos, 0), cue.appositive, f)
            if speaker and speaker.name and speaker.kind == "person" and _name_shaped(speaker.name):
                return speaker
    # (no cue: a name nearby is only a guess, so it must be shown to be a person's, or the
    # speaker stays unknown -- "Mentor Mode" or "Instagram Reels" on a blog's page is no one)
    entity = nearest_person(state, f.start)
    if entity is not None and _named_in_paragraph(state, entity, p, f.start):
        return _shown_person(state, entity, p)
    return _shown_person(state, dominant_person(state, f.start), p)


def _name_shaped(name: str) -> bool:
    """"Ann Lee", "Anna van der Berg" -- not "Nearly 59%" or "Once we've got a list of options":
    every word capitalised (but a name's particles), no figure."""
    words = name.split()
    return not shaped_like_a_thing(words) and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)


_NAME_PARTICLES = frozenset(NAME_PARTICLES)


def _shown_person(state: StoryState, entity, p: int) -> Optional[Speaker]:
    return as_speaker(entity) if entity is not None and shown_to_be_person(state, entity, p) else None


def _named_in_paragraph(state: StoryState, entity, p: int, before: int) -> bool:
    """The paragraph names the person, in full or by a shorter form ("Carter" for Ash Carter)."""
    start = state.offsets[p]
    if entity.mentions and max(entity.mentions) >= start:
        return True
    return any(named is entity or (named.kind != "person" and state.index.fullest(named.name, before=before) is entity)
               for _, named in state.index.mentions_between(start, start + len(state.paragraphs[p])))
