"""The cue patterns: where a quotation's speaker is written in the words around it ("..., said X" /
"..., X said" / "according to X" / "X said: ..." / "X said that ... '...'" / "... by X" after a
naming verb / a dash attribution), each returning a Cue with the mention it found. sieve.py
decides the order they are tried in. Contexts are the paragraph with every quotation masked out,
so a quotation's own words never become a speaker."""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Optional

from .names import _titles_and_tokens, joint_titles_then_name, kind_of
from .lexicon import (AUXILIARIES, CAP_WORD, DESCRIPTION_HEADS, GROUP_HEADS, HONORIFICS, NAME_PARTICLE, NAME_RE, NAME_SEQ,
                      NAMING_VERBS, NOT_NAMES, NOT_ROLE_WORDS, ORG_WORDS, PARTICIPLES, PREPOSITIONS, PRONOUNS,
                      PROGRESSIVE_REPORTING, REPORTING_VERBS, ROLE_NOUNS, TITLE_WORDS_EXTRA, US_STATES_RE)

# The readings of a phrase or a sentence that the rules ask for again and again within one story
# (the same subject is judged plausible by several rules, the same sentence read for its subject by
# several steps and resolvers) are remembered: pure functions of their text, each with a small
# cache that holds about a story's worth.
_ONE_STORY = 256

MASK = "\u00a7"          # stands in for a quotation's characters in the masked paragraph
_AUX = "|".join(sorted(AUXILIARIES, key=lambda word: (-len(word), word)))     # the same pattern every run
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|later|earlier|again|afterwards?)"
_ADVERBIAL = (rf"(?:(?:on|in|at|last|this|late|early|earlier|later|during|after|before|over)\s+"
              rf"(?:[\w'\u2019-]+\s+){{0,3}}?(?:{_DAYS}|week|weekend|month|year|night|morning|afternoon|evening|"
              rf"statement|interview|message|post|briefing|conference|call|email|letter|speech|hearing|tweet|"
              rf"release|video|podcast|remarks|court|filing|radio|television|TV|X|Twitter|Facebook)\b,?\s+"
              rf"|{_DAYS},?\s+|in\s+a\s+[\w\s-]{{1,30}}?\s+with\s+{CAP_WORD}(?:\s+{CAP_WORD})*,?\s+)")
DETERMINERS = ("the", "a", "an", "one", "another", "two", "three", "four", "several", "some", "many", "both",
               "its", "his", "her", "their", "our", "other", "most", "few", "all")
_NAME_FROM_ORG = re.compile(rf"^{NAME_SEQ}\s+(?:from|of|at|with)\s+(?:the\s+)?[A-Z][^,;]*$")
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being|be|get|got|gets)\s+$", re.I)
_LEADING_PARTICIPLES = set("speaking writing asked responding answering addressing talking reacting commenting "
                           "interviewed appearing".split())
_SUBJECT_STOP = set("and or nor then is was were are be been being that which who whom whose when while as if because but so "
                    "than where what how why after before since until though although whether not to from into "
                    "with by about against without under over between through there".split())
_LEAD_WORDS = (r"In|On|At|After|Before|During|Speaking|Asked|Earlier|Later|Meanwhile|However|"
               r"Also|Still|Instead|Separately|Writing|Responding|Addressing|Since|Ever\s+since|When|While|"
               r"Last|This|Then|Now|Today|Yesterday|Previously|Elsewhere|Overall|Additionally|With|As|Amid|Despite|"
               r"Following|Under|For|Like|Unlike|Given|Throughout|Because|If|Although|Though|Once|Until|"
               r"By|From|Over|Within|Without|Thanks|Ahead|Back|Even|Indeed|Often|Sometimes|Among|Amongst|"
               r"Outside|Inside|Near|Across|Around|Nearby|Here")
_LEAD_CLAUSE = re.compile(r"^(?:(?:And|But|Yet|So|Or)\s+(?=[A-Za-z]))?"   # a conjunction alone is no clause
                          r"(?:(?i:" + _LEAD_WORDS + r")\b[^," + MASK + r"]{0,160},\s+|"
                          # a participle opening the sentence: "Appearing before cheering supporters, ...",
                          # "Reached by POLITICO, ..." (its next word tells it from a name: "Manning said")
                          r"[A-Z][a-z]+ing\s+(?:to|that|before|after|on|in|at|with|from|about|the|a|an|his|her|their|"
                          r"its|for|up|out|back|over|through|into|by|as|what|how|why|whether)\b[^," + MASK
                          + r"]{0,160},\s+|"
                          r"[A-Z][a-z]+ed\s+(?:by|about|on|in|at|with|for|whether|if|why|how|what|to)\b[^," + MASK
                          + r"]{0,160},\s+|"
                          # "A few days later, ...", "Two weeks ago, ...": a stretch of time
                          r"(?i:an?|one|two|three|four|five|six|several|a\s+few|few|many)\s+(?:\w+\s+)?"
                          r"(?i:seconds|minutes|hours|days|weeks|months|years|decades)\s+"
                          r"(?i:later|earlier|ago|before|after|on)\b[^," + MASK + r"]{0,80},\s+|"
                          # sentence adverbs, only right before their comma ("First Minister ..." is a subject)
                          r"(?:Finally|Ultimately|Importantly|Similarly|Likewise|Unfortunately|Fortunately|"
                          r"Interestingly|Notably|Specifically|Eventually|Initially|Moreover|Furthermore|"
                          r"Nevertheless|Nonetheless|Subsequently|Consequently|Recently|Currently|Ironically|"
                          r"Alternatively|Otherwise|Afterwards|Lastly|Originally|First|Second|Third|Next|Again|"
                          r"Yet|Still|But|And|So),\s+)*")
_SENTENCE_SUBJECT = re.compile(rf"^\s*(?P<np>(?i:the|a|an)\s+[\w'\u2019-]+(?:\s+[\w'\u2019-]+)?|"
                               rf"{NAME_SEQ}(?:\s+(?:and|&)\s+{NAME_SEQ})?|(?i:he|she|they|it|police|officials))\b"
                               rf"(?!\s*[" + MASK + "])")


@dataclass
class Cue:
    verb: Optional[str]
    speaker_text: Optional[str]           # as written: "Alexander Gabuev", "he", "an executive with ..."
    speaker_pos: int = -1                 # offset in the paragraph where the speaker text starts
    appositive: Optional[str] = None
    rule: str = ""
    naming_only: bool = False             # a naming verb ("called", "dubbed") with no speaker of its own
    via_earlier: bool = False             # a participle ("adding that") whose speaker is the sentence's


_TRAILING_ADVERB = re.compile(r"(?:\s+(?:instead|too|also|though|however|then|now|again|later|earlier|yesterday|today|"
                              r"tonight|recently|previously|afterwards|himself|herself|itself|themselves))+$", re.I)


def _clean_np(np: str) -> str:
    return _TRAILING_ADVERB.sub("", np.strip(" \t,;:\u2014\u2013-")).strip()


_ADVERBS = frozenset("now then later also still again once too however instead earlier recently previously today "
                     "yesterday tonight soon meanwhile afterwards finally".split())


# "a statement from the mayor's office", "the report by the inspector general": a document, its issuer
DOCUMENT_FROM = re.compile(r"^(?:a|an|the|its|his|her|their)\s+(?:(?:joint|written|brief|short|new|final|annual|"
                           r"official|January|February|March|April|May|June|July|August|September|October|"
                           r"November|December|\d{4})\s+){0,2}(?P<doc>statement|report|release|letter|readout|memo|filing|study|"
                           r"email|post|tweet|announcement|transcript)s?\s+(?:from|by|of|issued\s+by|released\s+by)\s+"
                           r"(?P<issuer>\S.{0,80})$", re.I)


@lru_cache(maxsize=_ONE_STORY)
def plausible_subject(np: str) -> bool:
    words = np.split()
    if not words or len(words) > 14 or MASK in np or not any(c.isalpha() for c in np):
        return False
    if _NAME_FROM_ORG.match(np):
        return True            # "Patrol Chief James Hall with the New York Police Department"
    if len(words) > 9:
        return False
    first = words[0]
    low = [w.lower().strip(",.") for w in words]
    if all(w in _ADVERBS for w in low):
        return False               # "..., but now said": an adverb is no subject
    if DOCUMENT_FROM.match(np):
        return True            # "a statement from the mayor's office": a document and its issuer
    if low[0] in _ANONYMOUS_DETERMINERS and ANONYMOUS_WITH_KNOWLEDGE.match(np):
        return True            # "a source familiar with the talks", "a person close to the star"
    if GROUP_WITH_TIES.match(np):
        return True            # "sources close to the prime minister", "allies of the chancellor"
    if any(w in _SUBJECT_STOP and not _joins_a_name(words, i) for i, w in enumerate(low)):
        return "and" in low and split_prenominal(np)[1] is not None     # "Acme CEO and co-founder Nina Vale"
    if low[0] in PREPOSITIONS:
        return False               # "on Facebook, Colomy said"
    if first[0].isupper() or low[0] in DETERMINERS or low[0] in PRONOUNS:
        return True
    if split_prenominal(np)[1] is not None:
        return True            # "airline boss Tony Fernandes"
    return len(words) <= 3 and not (low[0].endswith(("ly", "ing", "ed")) and not _NOUN_IN_LY.fullmatch(low[0]))


# An anonymous source and what qualifies them to speak, written after the noun: "a source familiar
# with the talks", "two people briefed on the plan", "an official who asked not to be named"
_ANONYMOUS_DETERMINERS = frozenset("a an the one two three several other another some".split())
ANONYMOUS_WITH_KNOWLEDGE = re.compile(
    r"(?i:a|an|the|one|two|three|several|other|another|some)\s+(?:[\w-]+\s+){0,3}?(?:source|sources|person|people|"
    r"official|officials|aide|aides|insider|insiders|diplomat|diplomats|executive|executives|adviser|advisers|"
    r"advisor|advisors|member|members|figure|figures|ally|allies|friend|friends)\s+(?:familiar|close|knowledgeable|"
    r"briefed|involved|speaking|with\s+(?:direct\s+|first-hand\s+|close\s+)?(?:knowledge|ties|links)|who\s+"
    r"(?:spoke|asked|requested|declined|was|were|is|are|has|had|works?|worked|attended)|in\s+the\s+room)\b"
    r"[^,;:]{0,80}$")


# People unnamed, in the plural and with no determiner, and their tie to someone or something:
# "sources close to the prime minister", "allies of the chancellor", "those familiar with the talks"
GROUP_WITH_TIES = re.compile(
    r"(?i:sources|people|those|allies|friends|aides|insiders|officials|diplomats|executives|advisers|advisors|"
    r"members|figures|supporters|colleagues|relatives|associates)\s+(?:close\s+to|familiar\s+with|loyal\s+to|"
    r"briefed\s+on|involved\s+in|with\s+(?:direct\s+|first-hand\s+)?knowledge\s+of|of|to|around)\s+"
    r"(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?[\w'\u2019-]+(?:\s+[\w'\u2019-]+){0,5}$")


# nouns in -ly, no adverbs: "his family said", "a close ally said"
NOUNS_IN_LY = r"family|ally|assembly|rally|supply|daily|monopoly|anomaly|bully|homily|belly|folly|reply"
_NOUN_IN_LY = re.compile(NOUNS_IN_LY)


def _joins_a_name(words: list[str], i: int) -> bool:
    """"Devon and Cornwall Police", "Police and Crime Commissioner Matt Storey": an "and" inside
    one capitalised name, not one joining two clauses."""
    return words[i] in ("and", "&") and 0 < i < len(words) - 1 and words[i - 1][:1].isupper() and \
        words[i + 1][:1].isupper()


_KIN_THEN_FIRST_NAME = re.compile(r"(?i:his|her|their|our|my)\s+(?:[a-z-]+\s+)?(?:mother|father|son|daughter|wife|"
                                  r"husband|brother|sister|partner|friend|grandmother|grandfather|aunt|uncle|cousin|"
                                  r"niece|nephew|fiancee?|girlfriend|boyfriend|stepmother|stepfather|mum|dad)")


def prefer_named(np: str, appositive: Optional[str]) -> tuple[str, Optional[str]]:
    """"A local journalist, Marcelo Gonzatto, said", "NATO's secretary general, Jens Stoltenberg,
    said": the name is the speaker, the description their role."""
    if appositive and re.fullmatch(NAME_SEQ, appositive) and len(appositive.split()) >= 2 and \
            (np[:1].islower() or np.split()[0].lower() in ("a", "an", "the", "one") or
             not re.fullmatch(NAME_SEQ, np)):
        return appositive, np
    if appositive and _KIN_THEN_FIRST_NAME.fullmatch(np) and re.fullmatch(NAME_SEQ, appositive) and \
            appositive.lower() not in NOT_NAMES:
        return appositive, np      # "His mother, Jane, said": the one named, by the first name the story gives
    return np, appositive


def _appositive_split(np: str) -> tuple[str, Optional[str]]:
    """"Mr. Smith, a doctor at X," -> ("Mr. Smith", "a doctor at X")."""
    if "," not in np:
        return np, None
    head, _, rest = np.partition(",")
    return head.strip(), _clean_np(rest) or None


# -- after the quotation --------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z]+")
_R_LEAD = re.compile(r"[\s,;\u2014\u2013-]*")
_R_LEAD_WORD = re.compile(r"[\s,;\u2014\u2013-]*(?P<verb>[A-Za-z]+)\b\s+")
_R_ADVERBIALS = re.compile(rf"(?:{_ADVERBIAL})*")
_R_STOP_CHARS = re.compile(rf"[;:!?{MASK}]")
_R_ACCORDING = re.compile(r"^[\s,;\u2014\u2013-]*according\s+to\s+(?P<rest>.*)$", re.S | re.I)
_R_BY = re.compile(r"^[\s,]*by\s+(?P<rest>.*)$", re.S | re.I)
_R_DASH = re.compile(rf"^\s*(?:[\u2014\u2013\u2015]+|--)\s*(?P<np>{NAME_SEQ})\s*(?:,|$|\.)")
_ROLE_WORD = r"(?:[a-z][\w/-]*|\d+/\d+)"
# "MSNBC host Chris Matthews", "retired Air Force general Lloyd Newton", "Clinton spokesman Jesse Lehrich"
PRENOMINAL = re.compile(rf"(?P<org>(?:{NAME_SEQ})(?:['\u2019]s)?\s+)?(?P<role>(?:{_ROLE_WORD}\s+){{1,3}}?)(?P<name>{NAME_SEQ})$")
# "retired Air Force general Lloyd Newton": capitalised words inside the role, which ends lowercase
_PRENOMINAL_MIXED = re.compile(rf"(?P<org>)(?P<role>{_ROLE_WORD}\s+(?:{NAME_SEQ}\s+)(?:{_ROLE_WORD}\s+){{1,2}}?)"
                               rf"(?P<name>{NAME_SEQ})$")


_PARTICLE = re.compile(NAME_PARTICLE)


@lru_cache(maxsize=_ONE_STORY)
def split_prenominal(np: str) -> tuple[str, Optional[str], Optional[str]]:
    """(name, role, organisation) for a name with its role written before it."""
    if " of " in np or " for " in np:
        titled = title_of_body_then_name(np.strip())     # "Labour MP for Leeds East Ana Lind"
        if titled is not None:
            return (titled.group("name"),) + title_and_body(titled)
    m = PRENOMINAL.match(np.strip()) or _PRENOMINAL_MIXED.match(np.strip())
    if (" and " in np or " & " in np) and (not m or any(w in ("and", "&") for w in m.group("role").split())):
        joint = joint_titles_then_name(np.strip())      # "Acme CEO and co-founder Nina Vale"
        if joint is not None:
            return joint
    if not m or any(w in NOT_ROLE_WORDS for w in m.group("role").split()) or \
            (m.group("org") and all(_PARTICLE.fullmatch(w) for w in m.group("role").split())):
        return np, None, None      # ("Ursula von der Leyen": particles inside one name, no role)
    org = (m.group("org") or "").strip()
    org = re.sub(r"['\u2019]s$", "", org) or None
    return m.group("name"), m.group("role").strip(), org


# "Deputy Director of Public Prosecution Anna Berg": title, "of", a body's name, then a first name and
# surname (an initial between them allowed)
_TITLE_OF_BODY_THEN_NAME = re.compile(r"^(?P<title>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)\s+(?:of|for|at)\s+(?:the\s+)?"
                                      r"(?P<body>[A-Z][\w'\u2019.&-]*(?:\s+(?:of|for|and|&)?\s*[A-Z][\w'\u2019.&-]*)*?)"
                                      r"\s+(?P<name>[A-Z][a-z][\w'\u2019-]*(?:\s+[A-Z]\.)?\s+[A-Z][\w'\u2019-]+)$")


def _titles_only(text: str) -> bool:
    """"Deputy Director", "Secretary", "Chief Executive": titles and roles, no name among them."""
    return all(w.lower().rstrip(".") in HONORIFICS or w.lower() in ROLE_NOUNS or w.lower() in TITLE_WORDS_EXTRA
               for w in text.split())


def title_of_body_then_name(np: str):
    """The match (groups title, body, name) when np is a title of a body and then a person's name:
    "Deputy Director of Public Prosecution Anna Berg", "Head of Operations Tom Reed"; else None."""
    titled = _TITLE_OF_BODY_THEN_NAME.match(np)
    if titled and (_titles_only(titled.group("title")) or _party_title(titled.group("title"))) and \
            kind_of(titled.group("name").split()) == "person":
        return titled
    return None


# Portfolios that complete a title rather than name a body: "Secretary of State", "Chief of Staff"
_PORTFOLIOS = frozenset("State Staff Defense Defence Health Education Energy Commerce Labor Labour Agriculture Justice "
                        "Transportation Transport Treasury Exchequer Interior Finance Housing".split())


def title_and_body(titled) -> tuple[str, Optional[str]]:
    """(role, organisation) of a title_of_body_then_name match: "Deputy Director", "Public
    Prosecution"; but "Secretary of State", None (the portfolio is the title's own)."""
    body = titled.group("body")
    if body.split()[-1] in _PORTFOLIOS and len(body.split()) <= 2:
        return f"{titled.group('title')} of {body}", None
    return titled.group("title"), body


def _party_title(text: str) -> bool:
    """A word or two of a party or a body, then a title: "Labour MP", "Tory councillor", "Green
    Party MSP" (in "Labour MP for Leeds East Ana Lind" the body after "for" is the seat)."""
    words = text.split()
    return 2 <= len(words) <= 3 and words[-1].lower().rstrip(".") in HONORIFICS


_OF_NAME = re.compile(rf"\s+(?:of|for)\s+(?:the\s+)?{NAME_SEQ}")
_APPOSITIVE_TAIL = re.compile(rf"\s*,\s*(?P<app>[^,.;{MASK}]{{2,120}}?)\s*(?=[,.;]|$)")


_OWNED_AGENT_AFTER = re.compile(rf"\s*(?P<np>{NAME_SEQ}['\u2019]s\s+(?:lawyers?|attorneys?|spokes(?:person|man|woman)))\b"
                                rf"(?:,\s+(?P<name>{NAME_SEQ}))?")


# "said the candidate could be in a strong position": the words after the verb are what was said (an
# auxiliary before any relative pronoun makes them a clause), not who said it ("said a man who was there")
_HOLDS_A_VERB = re.compile(r"(?:(?!\b(?:who|whom|whose|which|that)\b)[^\n])*?\b(?:could|would|will|can|may|might|"
                           r"should|must|is|was|are|were|has|have|had|does|did)\b", re.I)


# the capitalised words right after the verb, up to the end of the clause: "said Head of Operations Tom Reed."
_TITLED_LEAD = re.compile(rf"\s*(?:the\s+)?(?P<np>[A-Z][^,.;:!?()\"{MASK}]{{3,100}}?)(?=\s*(?:[,.;)]|$))")


_OWNER = re.compile(r"^.*['\u2019]s\s+")


def speaker_after_verb(rest: str) -> tuple[Optional[str], Optional[str], int]:
    """The speaker written after the verb: "said Alexander Gabuev, director of X" -> name, appositive."""
    m = re.match(r"\s*(he|she|they|it|we|I)\b", rest)
    if m:
        return m.group(1), None, m.start(1)
    owned = _OWNED_AGENT_AFTER.match(rest) if ("'s " in rest[:80] or "\u2019s " in rest[:80]) else None
    if owned and owned.group("name") and _is_full_name(owned.group("name")):
        return owned.group("name"), owned.group("np"), owned.start("name")   # "..., Tom Reed": the one named
    if owned:
        return owned.group("np"), None, owned.start("np")     # "said Ann Lee's spokesman": the spokesman
    titled = _TITLED_LEAD.match(rest) if " of " in rest[:60] or " for " in rest[:60] else None
    if titled and title_of_body_then_name(titled.group("np")):
        # "said Head of Operations Tom Reed": the title of a body and the name, split by the resolver
        return titled.group("np"), None, titled.start("np")
    described = described_name(rest)
    if described is not None:
        return described
    m = re.match(rf"\s*(?:the\s+)?(?P<np>(?:(?:{NAME_SEQ})(?:['\u2019]s)?\s+)?(?:{_ROLE_WORD}\s+){{1,3}}?{NAME_SEQ}|{NAME_SEQ})(?P<tail>\s*,\s*(?P<app>[^,.;{MASK}]{{2,120}}?)\s*(?=[,.;]|$))?", rest)
    if m and split_prenominal(m.group("np"))[1] is None and re.search(r"(?:^|\s)[a-z]", m.group("np")):
        m = re.match(rf"\s*(?:the\s+)?(?P<np>{NAME_SEQ})(?P<tail>\s*,\s*(?P<app>[^,.;{MASK}]{{2,120}}?)\s*(?=[,.;]|$))?", rest)
    if m and not m.group("np").split()[0].lower() in ("the", "a", "an"):
        app = m.group("app")
        if app and _is_full_name(app) and _titles_only(_OWNER.sub("", m.group("np"))):
            # "says Co-Founder, Nina Vale", "said Acme Moving's Vice President, Ivo Tan": a title, then the name
            return app, m.group("np"), m.start("app")
        if app and (app.split()[0][0].isupper() and app.split()[0].lower() not in DETERMINERS):
            app = None
        if app and re.match(r"(?:according|adding|saying|noting|who|which|as|in|on|when|but|and)\b", app):
            app = None
        np = m.group("np")
        longer = _OF_NAME.match(rest, m.end("np")) if np.split()[-1].lower() in ORG_WORDS else None
        if longer:
            # "the New Zealand Department of Conservation": the organisation's name goes on
            np = rest[m.start("np"):longer.end()]
            tail = _APPOSITIVE_TAIL.match(rest, longer.end())
            app = tail.group("app") if tail and tail.group("app")[:1].islower() else None
        return np, app, m.start("np")
    m = re.match(rf"\s*(?P<np>(?:{'|'.join(DETERMINERS)})\s+[^,.;!?{MASK}]{{1,200}}?)\s*(?=[,.;!?]|$)", rest, re.I)
    if m and not _HOLDS_A_VERB.match(m.group("np")):
        return m.group("np"), None, m.start("np")
    m = re.match(r"\s*(?P<np>[a-z][\w-]+(?:\s+[a-z][\w-]+)?)\s*(?=[,.;]|$)", rest)
    if m and m.group("np").split()[0] not in PREPOSITIONS:
        return m.group("np"), None, m.start("np")
    return None, None, -1


# "another leading Supreme Court advocate, Andrew J. Pincus", "the ambassador at the time, John Herbst"
_DESCRIPTION_THEN_NAME = re.compile(rf"\s*(?P<desc>[a-z][^,.;:!?()\"{MASK}]{{0,100}}?),\s+(?P<np>{NAME_SEQ})"
                                    rf"(?=\s*(?:[,.;)]|$|\s+(?:of|from|at|with|who|and)\b))")
# "Clinton's introducer, actress Jane Polk", "the mayor's chief of staff, Tom Reed"
_OWNERS_DESCRIPTION_THEN_NAME = re.compile(rf"\s*(?P<desc>(?:the\s+)?{NAME_SEQ}['\u2019]s\s+(?:[a-z][\w-]*\s+){{0,3}}"
                                           rf"[a-z][\w-]*),\s+(?P<pre>(?:[a-z][\w-]*\s+){{1,3}})?(?P<np>{NAME_SEQ})"
                                           rf"(?=\s*(?:[,.;)]|$))")
# the words of a description written before a name: "former Utah governor", "L2 president"
_DESCRIPTION_WORDS = re.compile(r"\s*(?:[\w'\u2019&/-]+\.?\s+){1,7}")
_CLAUSE_WORDS = frozenset("said says told added asked who whom which that is was were are has have had will would "
                          "when while if because".split())


def _role_head(word: str) -> bool:
    word = word.lower().strip(",.")
    return word in HONORIFICS or word in ROLE_NOUNS or word in DESCRIPTION_HEADS


def described_name(rest: str) -> Optional[tuple[str, Optional[str], int]]:
    """(name, description, where the name starts) when the words after a verb describe a person
    and then name them: "said former Utah governor Michael Leavitt", "said another leading
    advocate, Andrew Pincus". The name is the speaker, the description their role: a place or a
    party in the description ("Utah", "Republican") is never taken for the name."""
    owned = _OWNERS_DESCRIPTION_THEN_NAME.match(rest) if ("'s " in rest[:60] or "\u2019s " in rest[:60]) else None
    if owned and _is_full_name(owned.group("np")) and \
            (_role_head(owned.group("desc").split()[-1]) or owned.group("desc").endswith(_AGENT_SUFFIXES)):
        # "exhorted Clinton's introducer, actress Jamie Lee Curtis": the one named, not the owner
        desc = owned.group("desc") + (", " + owned.group("pre").strip() if owned.group("pre") else "")
        return owned.group("np"), desc, owned.start("np")
    m = _DESCRIPTION_THEN_NAME.match(rest)
    if m and _is_full_name(m.group("np")):
        words = m.group("desc").split()
        # ("said another Twitter user, Johanna Bayer": a description opened by a determiner, then the name)
        if (any(map(_role_head, words)) or words[0] in ("a", "an", "another", "one")) and \
                not any(w.lower() in _CLAUSE_WORDS for w in words):
            return m.group("np"), _clean_np(m.group("desc")), m.start("np")
    window = rest[:160]
    for name in NAME_RE.finditer(window):
        desc = window[:name.start()]
        if not desc.strip():
            if _is_full_name(name.group(0)) and not _role_head(name.group(0).split()[0]):
                return None       # "said Ann Lee to host Tom Reed": the name right after the verb speaks
            continue
        if not _DESCRIPTION_WORDS.fullmatch(desc):
            return None           # punctuation or too many words: no description of this name
        words = desc.split()
        if words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not words or not any(w[:1].islower() or w[:1].isdigit() for w in words) or \
                any(w.lower() in _CLAUSE_WORDS for w in words):
            continue
        titled = name.group(0).split()[0].lower().rstrip(".") in HONORIFICS
        if (_role_head(words[-1]) or titled) and (titled or _is_full_name(name.group(0))):
            # (a person's name: "a veteran GOP strategist" names no one)
            return name.group(0), " ".join(words), name.start()
    return None


# Cues sit next to their quotation: looking further than this only costs time (and, over a
# giant sentence with many quotations, would make the work quadratic).
LEFT_WINDOW = 400
RIGHT_WINDOW = 300


def reporting_verbs(text: str) -> list:
    """Matches of the reporting verbs in text, in order. A word scan and a set lookup: far
    cheaper than one regular expression alternating hundreds of verbs."""
    found = [m for m in _TOKEN.finditer(text) if ((verb := m.group().lower()) in REPORTING_VERBS or (
                 verb in PROGRESSIVE_REPORTING and _BE_BEFORE.search(text, max(0, m.start() - 20), m.start())) or (
                 verb == "calls" and _NAMER_BEFORE.search(text, max(0, m.start() - 40), m.start())))
             and not _NOUN_BEFORE.search(text, max(0, m.start() - 7), m.start())
             and text[m.start() - 1:m.start()] != "-"]     # "self-described", "so-called": adjectives
    if "back" in text or " on" in text or " in" in text:
        phrasal = list(_PHRASAL_VERB.finditer(text))
        if phrasal:
            found = sorted(found + phrasal, key=lambda m: m.start())
    return found


# "is praising", "was also questioning": the -ing form is its clause's own verb
_BE_BEFORE = re.compile(r"\b(?:is|are|was|were)\s+(?:(?-i:[a-z]+ly)\s+|also\s+|now\s+|still\s+)?$")


# "Baick calls", "she calls": "calls" after a name or a pronoun is the verb, not the noun ("the calls")
_NAMER_BEFORE = re.compile(r"(?:\b(?:he|she|they|He|She|They)|(?<![.!?]\s)\b[A-Z][\w.'\u2019-]*[a-z][\w'\u2019-]*)"
                           r"\s+(?:(?-i:[a-z]+ly)\s+|also\s+|now\s+|still\s+|even\s+)?$")


# Verbs of two words that report speech: '"...," Trump shot back', 'Clinton fired back that ...'
_PHRASAL_VERB = re.compile(r"\b(?:shot|fires|fired|hit|hits|struck|pushed|pushes)\s+back\b|"
                           r"\bwent\s+on(?=\s*[,.:;]|\s+to\s+say\b)|\bchimed\s+in\b", re.I)


# "the tweet", "his post", "a statement": after a determiner the word is a noun, not a verb
# ("her" and "that" are left out: "behind her shouting", "officials that said")
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|their|its|my|our|your|this)\s+$", re.I)


def _verb_first(right: str):
    """'..., said X': the verb opens the context (after punctuation) and whitespace follows it."""
    m = _R_LEAD_WORD.match(right)
    if not m or m.group("verb").lower() not in REPORTING_VERBS:
        return None
    if m.group("verb")[0].isupper():
        following = _TOKEN.match(right, m.end())
        if following and following.group().lower() in REPORTING_VERBS:
            return None    # '"...," Read said.': a name that is also a verb, then the verb
    rest_at = _R_ADVERBIALS.match(right, m.end()).end()
    return m.group("verb").lower(), rest_at


def _masked_in_appositive(segment: str, at: int) -> bool:
    """'Bill Eastland, wearing a cowboy hat and "Ted Cruz" campaign pins, said': a quotation inside a
    description set off by commas after the subject does not end the subject's clause."""
    comma = segment.find(",")
    return 0 < comma < at and segment.rstrip().endswith(",") and \
        not _R_STOP_CHARS.search(segment.replace(MASK, " "))


def _subject_then_verb(right: str):
    """'..., Maria Lopez (also) said': the first reporting verb with a subject before it that holds
    no sentence punctuation. Returns (np start, np text, verb) or None."""
    start = _R_LEAD.match(right).end()
    for v in reporting_verbs(right):
        if v.start() <= start:
            continue
        segment = right[start:v.start()]
        stop = _R_STOP_CHARS.search(segment)
        if (stop and not _masked_in_appositive(segment, stop.start())) or len(segment.rstrip()) > 160:
            return None
        if not segment[-1:].isspace():
            continue
        words = segment.split()
        while len(words) > 1 and words[-1].lower() in AUXILIARIES:
            words.pop()
        end = segment.rfind(words[-1]) + len(words[-1]) if words else 0
        np = segment[:end]
        if np.strip():
            return start, np, v.group().lower()
    return None


def said_x_after(right: str, base: int) -> Optional[Cue]:
    """'"...," said Maria Lopez': the verb opens the words after the quotation, its speaker follows."""
    first = _verb_first(right)
    if first and not first[0].endswith("ing"):
        verb, rest_at = first
        name, app, pos = speaker_after_verb(right[rest_at:])
        if name:
            return Cue(verb, _clean_np(name), base + rest_at + pos, app, "said-X")
    return None


def x_said_after(right: str, base: int) -> Optional[Cue]:
    """'"...," Maria Lopez (also) said': a subject, then its reporting verb."""
    found = _subject_then_verb(right)
    if found and found[2].endswith("ing") and not _PROGRESSIVE_BEFORE.search(found[1] + " "):
        found = None        # ('"...''), endorsed Cruz, urging ...': a participle has no subject of its own
    if found:
        np_start, np_text, verb = found
        raw = _clean_np(np_text)
        if raw.endswith(")"):
            raw = _ACRONYM_IN_BRACKETS.sub("", raw)      # 'state Sen. Jason Holsman (D) said'
        np, app = prefer_named(*_appositive_split(raw))
        if app and np[:1].islower() and re.fullmatch(NAME_SEQ, app) and "," not in app and \
                (np.split()[0].lower() not in DETERMINERS or not np_text.rstrip().endswith(",")):
            # (not "the mayor, Voss, said": a description set off by commas on both sides)
            # 'Obama "felt an obligation to do something about" climate change, Axelrod said': the
            # writer's sentence goes on after the words; the name before the verb is its subject
            return Cue(verb, app, base + np_start + raw.rfind(app), None, "X-said")
        if plausible_subject(np) or _SURNAME_LIKE_A_WORD.fullmatch(np):
            return Cue(verb, np, base + np_start, app, "X-said")
        placed = _OF_PLACE_TAIL.fullmatch(np)
        if placed and split_prenominal(placed.group(1))[1] is not None:
            # "former Gov. Jeb Bush of Florida said": a titled name, then where they are from
            return Cue(verb, placed.group(1), base + np_start + raw.find(placed.group(1)), app, "X-said")
        last = _clean_np(raw.rsplit(",", 1)[-1])
        if "," in raw and plausible_subject(last) and (last[:1].isupper() or last.split()[0].lower() in DETERMINERS):
            return Cue(verb, last, base + np_start + raw.rfind(last), None, "X-said")
    return None


# '"...," From said': after the words and their comma, a capitalised function word alone before the
# verb can only be a surname (Al From, George Will); the story's full name resolves it
_SURNAME_LIKE_A_WORD = re.compile(r"(?!I\b)[A-Z][a-z]+")
_OF_PLACE_TAIL = re.compile(rf"(.+?)\s+(?:of|from)\s+{NAME_SEQ}")


def according_to_after(right: str, base: int) -> Optional[Cue]:
    """'"...," according to Maria Lopez'."""
    m = _R_ACCORDING.match(right)
    if m:
        name, app, pos = speaker_after_verb(m.group("rest"))
        if name:
            return Cue("according to", _clean_np(name), base + m.start("rest") + pos, app, "according-to")
    return None


def dash_after(right: str, base: int) -> Optional[Cue]:
    """'"..." -- Maria Lopez': a name set after a dash, as a signature; or a description of
    someone unnamed ('"..." -- Backend engineer at a payments company', a survey's or a reader's
    testimony): that description."""
    m = _R_DASH.match(right)
    if m:
        return Cue(None, m.group("np"), base + m.start("np"), None, "dash")
    m = _R_DASH_DESCRIPTION.match(right)
    if m:
        words = m.group("np").split()
        for k, word in enumerate(words[:6]):
            if word.lower() in _SIGNING_PEOPLE:
                return Cue(None, " ".join(words[:k + 1]), base + m.start("np"), None, "dash-description")
    return None


# '-- Distinguished engineer working on cloud services': a capitalised description, then more
_R_DASH_DESCRIPTION = re.compile(r"^\s*(?:[\u2014\u2013\u2015]+|--)\s*(?P<np>[A-Z][a-z]+(?:[ -][A-Za-z][\w-]*){0,7})"
                                 r"(?:[\s,.;]|$)")
# who signs such a testimony: a person's occupation or standing, never a thing ("-- Reuters")
_SIGNING_PEOPLE = frozenset("engineer engineers developer developers founder co-founder professor executive "
                            "consultant expert designer architect researcher scientist student teacher nurse doctor "
                            "lawyer manager owner user reader customer parent mother father resident worker "
                            "organizer organiser analyst officer director programmer maintainer contributor "
                            "volunteer patient member".split())


# The patterns read after a quotation, in the order they are tried (the sieve lists them too).
AFTER_PATTERNS = (said_x_after, x_said_after, according_to_after, dash_after)


def cue_after(right: str, base: int) -> Optional[Cue]:
    """The first of AFTER_PATTERNS that finds a cue in the words after a quotation."""
    right = right[:RIGHT_WINDOW]
    for pattern in AFTER_PATTERNS:
        cue = pattern(right, base)
        if cue is not None:
            return cue
    return None


_NAMING_VERB_BEFORE = re.compile(r"\b(?P<verb>[a-z]+)\s+(?:(?:as|the|a|an)\s+)?$")


def passive_by(left: str, right: str, base: int) -> Optional[Cue]:
    """'dubbed "killer sexy brunettes" by cell leaders'."""
    left, right = left[-60:], right[:RIGHT_WINDOW]
    lm = _NAMING_VERB_BEFORE.search(left)
    if not lm or lm.group("verb").lower() not in NAMING_VERBS:
        return None
    m = _R_BY.match(right)
    if not m:
        return None
    name, app, pos = speaker_after_verb(m.group("rest"))
    if not name:
        return None
    return Cue(lm.group("verb").lower(), _clean_np(name), base + m.start("rest") + pos, app, "dubbed-by")


# -- before the quotation -------------------------------------------------------------------------

# (an adverb in -ly is lowercase: "Skelly", "Kelly" are names; and a noun in -ly is no adverb: "his
# family said", "a close ally said")
_AUX_TAIL = re.compile(rf"(?:\s+(?:{_AUX}|(?-i:(?!(?:{NOUNS_IN_LY})\b)[a-z]+ly)))+\s*$", re.I)
_BOUNDARY = re.compile(rf"[;:(){MASK}\u2014\u2013\"\u201c\u201d]|\s-\s|\b(?:that|which|who|when|while|as|if|because|"
                       rf"but|so|than|after|before|where|what|whom|until|since|though|although|whether|and then)\b",
                       re.I)


_NP_TAIL_STOP = _SUBJECT_STOP | PREPOSITIONS | AUXILIARIES | {"of", "to", "among", "amongst", "like", "including"}


# Verbs written before their subject ('"...," said Weaver'), unlike "told" or "asked" before the one spoken to
_INVERTING_VERBS = frozenset("said says added adds wrote writes explained explains continued continues".split())


def _relative_antecedent(before: str, clause: str) -> Optional[tuple[str, Optional[str], int]]:
    """"councillor Margaret Clarke, who said", "counter-protesters who have vowed", "the officer who
    made the arrest said": the relative clause's own subject is the noun phrase before "who"."""
    clause = clause.strip()
    if clause and not (clause[:1].islower() and clause.split()[0] not in PRONOUNS):
        return None
    words = before.rstrip(" ,").split()
    tail: list[str] = []
    stop = ""
    for word in reversed(words[-6:]):
        bare = word.strip(",;.").lower()
        if bare in _NP_TAIL_STOP or word.endswith((",", ";", ".")) or MASK in word or \
                (bare in _INVERTING_VERBS and tail and tail[0][:1].isupper()):
            stop = bare
            break
        tail.insert(0, word)
        if bare in DETERMINERS:
            stop = words[len(words) - len(tail) - 1].lower() if len(tail) < len(words) else ""
            break
    np = " ".join(tail)
    if not np or not plausible_subject(np) or np.lower() in ("those", "anyone", "people", "others"):
        return None
    if stop in _INVERTING_VERBS and np[:1].isupper():
        return np, None, before.rfind(np)      # '"...," said Weaver, who said ...': Weaver
    if stop in REPORTING_VERBS or (stop in PREPOSITIONS | {"of", "to"} and tail[-1][:1].isupper()):
        # "told a young woman who suggested": the one spoken to; "a man from the Netherlands who":
        # the place, not the man -- the sentence's own subject is the better guess
        return None
    return np, None, before.rfind(np)


# "(UCEA)", and a party label "(R-Wis.)", "(D)": a short name or a label in brackets after the subject
_ACRONYM_IN_BRACKETS = re.compile(r"\s*\((?:[A-Z][A-Za-z.&]{0,9}|[A-Z]-[A-Z][A-Za-z.]{1,5})\)(?=\s*$)")
# (what is left after a boundary cut at a quotation: its closing mark, then "and" before the next subject)
_PERSON_FROM_TOWN_REGION = re.compile(rf"(?:^|[,;]\s+|\b(?:and|but)\s+)(?P<np>{NAME_SEQ})\s+(?:of|from)\s+{NAME_SEQ},\s+"
                                      rf"(?:{US_STATES_RE}|[A-Z][a-z]{{0,4}}\.(?:\s?[A-Z][a-z]?\.)?),?$")
_AFTER_QUOTATION = re.compile(r"^[\"'\u201d\u2019]*\s*(?:(?:and|but|or|while|then)\s+(?=\S))?")
_TIME_TAIL = re.compile(rf"(?:\s+(?:on|last|this|late|early|earlier|later)\s+(?:[\w'\u2019-]+\s+){{0,2}}?"
                        rf"(?:{_DAYS}|week|weekend|month|year|night|morning|afternoon|evening)|\s+{_DAYS})$")
# (and a sentence adverb with no comma: "Ultimately the vote-no campaign is saying")
_LEAD_CONJUNCTION = re.compile(r"^(?:(?:And|But|Yet|So|Or|Now|Then)\s+(?=\S)|[A-Z][a-z]{3,}ly\s+(?=[a-z]))")


@lru_cache(maxsize=_ONE_STORY)
def subject_before(text: str) -> tuple[Optional[str], Optional[str], int]:
    """The subject written just before a verb: "Speaking after the meeting, Sir Keir" -> "Sir Keir"."""
    # "the Employers' Association (UCEA) said": a short name in brackets belongs to the subject
    s = text.rstrip()
    tail = _TIME_TAIL.search(s, max(0, len(s) - 50))   # "Sen. Ada Holm (I-Vt.) on Saturday criticized"
    if tail:
        s = s[:tail.start()]
    if s.endswith(")"):
        s = _ACRONYM_IN_BRACKETS.sub("", s)
    s = _AUX_TAIL.sub("", s)
    from_town = _PERSON_FROM_TOWN_REGION.search(s, max(0, len(s) - 120)) \
        if (" of " in s or " from " in s) else None
    if from_town:
        # "Stacy Baker of Columbia, South Carolina says": the person, not the state
        return from_town.group("np"), None, from_town.start("np")
    appositive = None
    if s.endswith(","):
        prev = s.rfind(",", 0, len(s) - 1)
        if prev > 0:
            appositive = _clean_np(s[prev + 1:-1])
            s = s[:prev]
        else:
            s = s[:-1]
    cut, last = 0, None
    for b in _BOUNDARY.finditer(s):
        cut, last = b.end(), b
    if last is not None and last.group().lower() == "who" and \
            ("," not in s[cut:] or not plausible_subject(_clean_np(s[s.rfind(",") + 1:]))):
        # unless a subject follows the clause: "Mr Schultz, who works for RT and, Mr King said"
        antecedent = _relative_antecedent(s[:last.start()], s[cut:])
        if antecedent:
            return antecedent
    comma = s.rfind(",")
    listed = LISTED_ORG_NAME.search(s) if comma >= cut else None
    if listed and listed.start() >= cut:
        # "the Department for Environment, Food & Rural Affairs": the comma is inside the name
        return listed.group(0), None, listed.start()
    if comma >= cut:
        cut = comma + 1
    else:
        comma = -1
    np = _AFTER_QUOTATION.sub("", _clean_np(s[cut:]))  # '21 percent said "..." and 14 percent said'
    lead = _LEAD_CONJUNCTION.match(np)
    if lead:
        np = np[lead.end():]          # "And a teacher at the venue said"
    if not np:
        return None, None, -1
    first = np.split()[0].lower()
    # "Cllr Louise Gittins, Chair of the Local Government Association said": a role of an organisation
    role_first = (first in HONORIFICS or first in ROLE_NOUNS) and bool(re.search(r"\s(?:of|at|for)\s", np))
    named_after = bool(appositive) and _is_full_name(appositive) and bool(re.fullmatch(NAME_SEQ, appositive))
    ends_named = re.search(rf"({NAME_SEQ})$", np) if role_first else None
    if (np[:1].islower() or role_first) and first not in DETERMINERS and first not in PRONOUNS and comma > 0 \
            and not named_after and first not in PREPOSITIONS and \
            not (ends_named and _is_full_name(ends_named.group(1))):
        # (not "..., Speaker of the House Rep. Paul Ryan said": the role ends with the name itself)
        # (not "The Mandan, North Dakota, police chief, Jason Ziegler, said", where the name follows,
        # nor "However, on Sunday FBI director X", a preposition before the subject: see below)
        # "Kevin Turner, chief operating officer at Microsoft said": the name stands before the comma
        named = re.search(rf"({NAME_SEQ})\s*$", s[:comma])
        if named and split_prenominal(np)[1] is None:
            return named.group(1), np, named.start(1)
    if first in PREPOSITIONS or first in _LEADING_PARTICIPLES:
        # "In a Tumblr post at the time she", "on a day-to-day basis Mr Rodrigues": the subject ends it
        tail = re.search(rf"(?:\b(?:he|she|they|it|we|I)|{NAME_SEQ})$", np)
        if not tail:
            return None, None, -1
        np = tail.group(0)
    np, appositive = prefer_named(np, appositive)
    leading = _LEADING_PERSON.match(s)
    if leading and comma > 0 and leading.end(1) <= comma and _is_full_name(leading.group(1)) and \
            leading.group(1).split()[0].lower() not in NOT_NAMES and \
            (np[:1].islower() or (len(np.split()) == 1 and np.endswith("."))):
        # "Jean-Marc Ayrault, the foreign minister of France, a permanent member ..., said",
        # "Donna Rawlings, 59, of Ashton, Md., who watched ..., said": a chain of descriptions
        # after a name that opens the sentence -- the name is the subject
        description = _clean_np(s[leading.end():].split(",")[0])
        return leading.group(1), description or None, leading.start(1)
    words = np.split()
    if len(words) > 9:
        np = " ".join(words[-9:])
    start = s.rfind(np)
    if start < 0:
        start = text.rfind(np)      # the name was the appositive cut from s
    return np, appositive, start


# A body named by a list of its remits: "Department for Digital, Culture, Media & Sport".
LISTED_ORG_NAME = re.compile(r"\b(?:Department|Ministry|Office|Committee|Commission|Secretary|Minister|Council)"
                              r"\s+(?:for|of)\s+[A-Z][\w'\u2019]*(?:,\s+[A-Z][\w'\u2019]*)+(?:\s+[A-Z][\w'\u2019]*)*"
                              r"\s+(?:&|and)\s+[A-Z][\w'\u2019]*(?:\s+[A-Z][\w'\u2019]*)*$")
_LEADING_PERSON = re.compile(rf"\s*({NAME_SEQ}),\s")


def _is_full_name(text: str) -> bool:
    """Two or more capitalised words naming a person: "Jean-Marc Ayrault", not "Md." or "In Washington"."""
    titles, tokens = _titles_and_tokens(text)
    return len(tokens) >= 2 and tokens[0][:1].isupper() and tokens[-1][:1].isupper() and \
        kind_of(tokens) == "person"


# "The UK's prime minister, Rishi Sunak,", "Schilling's son, Grant,": a description, then the name
_DESCRIBED_NAME = re.compile(rf"\s*(?:(?i:the|a|an|one|another)|{NAME_SEQ}['\u2019]s)\s[^,{MASK}]{{1,60}},\s+"
                             rf"(?P<np>{NAME_SEQ}),")


_BODY_AND_ROLE_THEN_NAME = re.compile(rf"\s*{NAME_SEQ}\s+and\s+(?P<role>(?:(?:[a-z][\w-]*|[A-Z]{{2,5}})\s+){{1,5}})"
                                      rf"(?P<np>{NAME_SEQ})\s+(?-i:[a-z])")


@lru_cache(maxsize=_ONE_STORY)
def sentence_subject(sentence: str) -> tuple[Optional[str], int]:
    heading = _CAPITALS_HEADING.match(sentence)
    start = heading.end() if heading else 0
    offset = _after_lead(sentence, start)
    aged = _AGE_BEFORE_NAME.match(sentence, offset)
    if aged:
        offset = aged.end()          # "76-year-old Morton Bell, founder of ..., endorsed": the name
    named = _DESCRIBED_NAME.match(sentence, offset)
    if named:
        # "The UK's prime minister, Rishi Sunak, has said": the name
        return named.group("np"), named.start("np")
    joined = _BODY_AND_ROLE_THEN_NAME.match(sentence, offset)
    if joined and _role_head(joined.group("role").split()[-1]) and _is_full_name(joined.group("np")):
        # "Yahoo News and former TV network anchor Katie Couric has promoted": one person, the name
        # ending the subject, described by the body and the role before it
        return joined.group("np"), joined.start("np")
    m = _SENTENCE_SUBJECT.match(sentence[offset:])
    if not m or m.group("np").split()[0].lower() in NOT_NAMES - {"the", "a", "an", "he", "she", "they", "it"}:
        return None, -1
    np = m.group("np")
    if np.split()[0].lower() in ("the", "a", "an"):
        named = _DETERMINED_NAME.match(sentence, offset + m.start("np"))
        if named and named.end() > offset + m.end("np"):
            np = named.group(0)          # "The Trayvon Martin Foundation did": the whole name, not three words
    group = _GROUP_AFTER_NAME.match(sentence, offset + m.start("np") + len(np))
    if np[:1].isupper() and group and group.group(1) in GROUP_HEADS:
        return np + group.group(0), offset + m.start("np")       # "Canadian regulators have concluded"
    if np[:1].isupper():
        # "Morton County sheriff Kyle Kirchmeier released ...": an organisation, a role, the name
        longer = _ROLE_THEN_NAME.match(sentence, offset + m.start("np") + len(np))
        if longer and (_heads_a_description(longer.group("role").split()[-1]) or (
                len(longer.group("role").split()) == 1 and longer.group("role").rstrip().endswith(_AGENT_SUFFIXES)
                and longer.group("role").strip() not in _NP_TAIL_STOP and _is_full_name(longer.group("name")))):
            # ("Former Obama speechwriter Jon Favreau published": one lowercase word between a
            # capitalised body and a person's full name is a role)
            np = sentence[offset + m.start("np"):longer.end()]
    return np, offset + m.start("np")


# the endings of nouns for people by what they do ("speechwriter", "strategist", "organizer")
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman")


def _heads_a_description(word: str) -> bool:
    """"sheriff", "candidate", "member": a noun that ends a description written before a name."""
    return word in HONORIFICS or word in ROLE_NOUNS or word in DESCRIPTION_HEADS


def _after_lead(sentence: str, start: int) -> int:
    """Where the subject may start: after the clauses that open the sentence ("In Ames, Iowa, on
    Sunday, ..."), where a region set after the town a clause named is part of that clause."""
    while True:
        lead = _LEAD_CLAUSE.match(sentence[start:] if start else sentence)   # (its ^ anchors at 0 only)
        end = start + lead.end()
        if end == start or not _TOWN_ENDS_CLAUSE.search(sentence, max(0, end - 60), end):
            return end
        region = _REGION.match(sentence, end)
        if region is None:
            return end
        start = region.end()


# "... in Portsmouth, " then "N.H., " or "Iowa, ": a clause ending in a town, then its region
_TOWN_ENDS_CLAUSE = re.compile(rf"\b(?:in|at|from|of|near|outside)\s+{NAME_SEQ},\s+$")
_REGION = re.compile(rf"(?:[A-Z][a-z]{{0,4}}\.(?:\s?[A-Z][a-z]?\.)?|{US_STATES_RE}),\s+")
_GROUP_AFTER_NAME = re.compile(r"\s+([a-z]+)\b")
_DETERMINED_NAME = re.compile(rf"(?i:the|a|an)\s+{NAME_SEQ}")
# "CONGRESS HAS INVESTIGATED HIM — Oz's dubious advice ...": a newsletter's heading, then the sentence
_CAPITALS_HEADING = re.compile(r"\s*[A-Z0-9][A-Z0-9'\u2019,.&-]*(?:\s+[A-Z0-9][A-Z0-9'\u2019,.&-]*)+\s+(?:\u2014|\u2013|--)\s+")
_ROLE_THEN_NAME = re.compile(rf"\s+(?P<role>(?:[a-z][\w-]*\s+){{1,3}}?)(?P<name>{NAME_SEQ})")


_AGE_BEFORE_NAME = re.compile(r"\d{1,3}-year-old\s+(?=[A-Z])")
_THE_AGED = re.compile(r"The\s+\d{1,3}-year-old$")
# "The New York Times reports:": a name that has "The" as its first word
_THE_NAMED = re.compile(r"(The\s+[A-Z][\w.'\u2019&-]*(?:\s+[A-Z][\w.'\u2019&-]*)*)\s+[a-z]+\s*:\s*$")
_REPORTED_PRONOUN = re.compile(r"\s(?:said|says)\s+(he|she|they|we|I)$")
_PRONOUN_ENDS_SUBJECT = re.compile(r"(?<=[a-z])\s+(he|she|they|we|I)$")
# A sentence that opens with its verb: "Said Ellis:", "Adds Dr Lena Ortiz,".
_INVERTED_LEAD = re.compile(rf"(?:^|[.!?]\s+)(?P<verb>[A-Z][a-z]{{1,14}}(?:ed|ds|ys|es|ts|id|ote|ks))"
                            rf"\s+(?P<np>{NAME_SEQ})"
                            # "Said Dorothy Poynter, who grew up with Ali,": a description after the name
                            rf"(?:,\s+(?:who|whose|an?|the|[a-z][\w-]*)\b[^:;{MASK}]{{1,150}}?)?\s*[:,]\s*$")


def before_window(left: str, base: int) -> tuple[str, int]:
    """The last LEFT_WINDOW characters before a quotation, and their offset."""
    if len(left) > LEFT_WINDOW:
        cut = len(left) - LEFT_WINDOW
        left, base = left[cut:], base + cut
    return left, base


def inverted_lead_before(left: str, base: int) -> Optional[Cue]:
    """'Said Ellis: "..."', 'Adds Dr Lena Ortiz, "..."', 'Continued Stone: "..."': the verb first,
    then its speaker."""
    inverted = _INVERTED_LEAD.search(left) if left.rstrip()[-1:] in (":", ",") else None
    if inverted and inverted.group("verb").lower() in REPORTING_VERBS and not inverted.group("verb").endswith("ing"):
        return Cue(inverted.group("verb").lower(), inverted.group("np"), base + inverted.start("np"), None, "said-X")
    return None


# "According to the Daily Caller, '...'": the source named just before the words, nothing between.
_ACCORDING_BEFORE = re.compile(rf"(?:^|[,;(]\s*|\b(?:And|But|Yet|So|Or)\s+)[Aa]ccording\s+to\s+"
                               rf"(?P<np>[^,;:!?{MASK}]{{2,120}}?)\s*[,:]\s*$")
# "As Tom Ridge, a former secretary of homeland security, put it: '...'", "as the columnist had
# written years earlier, '...'": an aside naming whose words follow.
_AS_X_PUT_IT = re.compile(rf"(?:^|[,;(]\s*|\b(?:And|But|Yet|So|Or)\s+)[Aa]s\s+(?P<np>[^,;:!?{MASK}]{{2,120}}?)"
                          rf"(?P<app>,[^;:!?]{{1,200}}?(?:,|(?<={MASK})))?\s+(?:(?:had|has|have|once|later|famously|recently|"
                          rf"memorably|then|also|so|aptly|bluntly|succinctly)\s+)*(?P<verb>put|puts|said|says|wrote|"
                          rf"writes|written|noted|notes|observed|observes|remarked|remarks|explained|explains|"
                          rf"told|tells|tweeted|argued|argues|warned|warns|declared|quipped|joked)\b"
                          rf"(?P<tail>[^,;:!?{MASK}]{{0,80}}?)\s*[,:]\s*$")


def according_to_before(left: str, base: int) -> Optional[Cue]:
    """'According to the Daily Caller, "..."': the source named right before the quotation."""
    m = _ACCORDING_BEFORE.search(left)
    if m is None or not plausible_subject(m.group("np")):
        return None
    np, start = _clean_np(m.group("np")), m.start("np")
    if re.match(r"(?:the|The)\s+[A-Z]", np):
        np, start = np[4:], start + 4      # "the Daily Caller": the paper's name
    return Cue("according to", np, base + start, None, "according-to")


def as_x_put_it_before(left: str, base: int) -> Optional[Cue]:
    """'As Professor Foner put it: "..."', 'Or, as Tom Ridge, a former secretary, put it,
    "..."': the one named in the aside."""
    m = _AS_X_PUT_IT.search(left)
    if m is None:
        return None
    tail = m.group("tail").split()
    if tail and tail[0].lower() not in ("it", "this", "that", "them", "in", "on", "at", "to", "of", "last", "this",
                                        "earlier", "recently", "years", "once", "so", "later", "then", "just", "only",
                                        "long"):
        return None        # "as he said the plan would fail,": a clause of its own, not an aside
    np = _clean_np(m.group("np"))
    if not plausible_subject(np):
        return None
    app = _clean_np(m.group("app")) if m.group("app") else None
    named, role = prefer_named(np, app)
    if named is not np:
        # "As the LinkedIn chief executive, Jeff Weiner, put it": the name set off by commas
        return Cue(m.group("verb").lower(), named, base + m.start("app") + m.group("app").find(named), role,
                   "as-X-put-it")
    return Cue(m.group("verb").lower(), np, base + m.start("np"), app, "as-X-put-it")


_DASH_NAME_COLON = re.compile(rf"\s(?:-+|\u2014|\u2013)\s*(?:More\s+from\s+)?(?P<np>{NAME_SEQ}(?:\s+(?:and|&)\s+{NAME_SEQ})?)"
                              rf"\s*:\s*$")


def colon_lead_in_before(left: str, base: int) -> Optional[Cue]:
    """'Margaret Clarke ... The 80-year-old, a member of the Soroptimists: "..."': a sentence with no
    reporting verb, ending in a colon, introduces the quotation with its subject."""
    if not left.rstrip().endswith(":"):
        return None
    signed = _DASH_NAME_COLON.search(left)
    if signed:
        # "Pollsters agree - Carl Bialik: '...'": a digest's line, its topic, a dash, whose words
        return Cue(None, signed.group("np"), base + signed.start("np"), None, "colon-lead-in")
    subject, pos = sentence_subject(left)
    if reporting_verbs(left[max(pos, 0):]):
        return None        # (a reporting verb in an opening clause, "Asked whether ..., X shot back:", is no cue)
    named = _THE_NAMED.match(left, pos) if subject and subject.startswith("The ") else None
    if named:
        subject = named.group(1)        # "The New York Times reports:" (the whole name)
    described = _DESCRIBED_PERSON_BEFORE_COLON.search(left) if not named else None
    if described and _role_head(described.group("role")) and _is_full_name(described.group("np")) and \
            (not subject or subject.split()[0].lower() in ("the", "a", "an", "it", "this", "that")):
        # "The surge doesn't surprise Republican pollster Daron Shaw: '...'": the person the clause
        # ends on, described by their role, is the one the colon hands the words to
        return Cue(None, described.group("np"), base + described.start("np"), None, "colon-lead-in")
    if subject and subject[:1].isupper() and (subject.split()[0].lower() not in ("the", "a", "an", "it")
                                              or _THE_AGED.match(subject) or named):
        return Cue(None, subject, base + pos, None, "colon-lead-in")
    return None


_DESCRIBED_PERSON_BEFORE_COLON = re.compile(rf"\b(?P<role>[a-z][\w-]*)\s+(?P<np>{NAME_SEQ})\s*:\s*$")
_OPENING_NAME = re.compile(rf"({NAME_SEQ}),\s")


def appositive_chain_subject(text: str) -> Optional[tuple[str, Optional[str], int]]:
    """'Tom Fitton, the president of Judicial Watch, a conservative group that has sued ...,
    said': a sentence that opens with a person's name, then descriptions set off by commas up to the
    verb -- the name is the subject, however many names the descriptions hold."""
    s = _AUX_TAIL.sub("", text.rstrip())
    if not s.endswith(","):
        return None
    start = _after_lead(s, 0)
    named = _OPENING_NAME.match(s, start)
    if named is None or not _names_a_person(named.group(1)):
        return None
    chain = s[named.end():-1]
    if not chain.strip() or len(chain) > 250 or MASK in chain or reporting_verbs(chain):
        return None
    description = _clean_np(chain.split(",")[0])
    if not description or description.split()[0].lower() in PREPOSITIONS | _SUBJECT_STOP:
        description = None         # "Clinton, during a town hall in Columbus, said": no role
    return named.group(1), description, named.start(1)


def _names_a_person(name: str) -> bool:
    """A person's full name, or one capitalised word that is no opener, place or body ("Clinton")."""
    titles, tokens = _titles_and_tokens(name)
    if tokens and (_is_full_name(name) or (titles and tokens[-1][:1].isupper())):
        return True        # ("Dean Johnson": a title or a first name, either way a person)
    words = name.split()
    return len(words) == 1 and words[0].lower() not in NOT_NAMES and kind_of(words) == "name" and \
        not re.fullmatch(US_STATES_RE, words[0]) and not words[0].isupper()


_SAYING = frozenset("said says told tells added adds wrote writes".split())
# "is telling", "were screaming", "kept yelling", "began shouting": the -ing verb is its clause's own
_PROGRESSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be|am|kept|keeps|keep|started|starts|began|begins|"
                                 r"continued|continues)\s+(?:(?-i:[a-z]+ly)\s+|still\s+|also\s+|now\s+|on\s+)?$", re.I)
# (no comma before "who": "women who complained", not "said Weaver, who said ...", whose own words they are;
# not "that", which opens a reported clause as often as a relative one: "said that companies tell")
_RESTRICTIVE_RELATIVE_BEFORE = re.compile(r"(?<![,\s])\s+(?:who|which|whom)\s+(?:(?-i:[a-z][\w'\u2019-]*)\s+){0,2}$",
                                          re.I)
# Verbs of the voice, and a witness's "heard/saw X shout": speech the witness reports hearing
# (the bare or -ing form a perception verb takes: "heard him shout", never "heard the alarm and shouted")
_VOCAL_VERBS = frozenset("shout shouting yell yelling scream screaming cry crying chant chanting say saying".split())
_HEARD_SOMEONE = re.compile(rf"\b(?:heard|hear|hears|hearing|saw|see|sees|watched|watch)\s+(?P<np>(?:(?:an?|the|one|some|"
                            rf"two|three|several|other)\s+)?(?!(?:and|or|but|then|to|at|in|on)\b)[a-z][\w-]*"
                            rf"(?:\s+(?!(?:and|or|but|then|to|at|in|on)\b)[a-z][\w-]*)?|{NAME_SEQ})\s+$")
_CALL_ON = re.compile(r"\s+(?:on|upon|for)\b", re.I)
_CLAUSE_BEFORE_PARTICIPLE = re.compile(r",\s*(?:and\s+)?$")
# "who said", "that had also said" (not "to which O'Malley interjected": a clause with its own subject)
_RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that|whom)\s+(?:(?-i:[a-z][\w'\u2019-]*)\s+){0,2}$", re.I)


def participle_governor(left: str, base: int) -> Optional[Cue]:
    """'Mateen left early, Nefzi said, adding, "..."', 'Ryan and Trump will meet, Spicer said,
    adding ...': a participle set off by a comma hangs on the reporting clause just before it,
    whose speaker is its speaker too -- not the first name of the sentence."""
    if not _CLAUSE_BEFORE_PARTICIPLE.search(left):
        return None
    finite = next((v for v in reversed(reporting_verbs(left)) if not v.group().lower().endswith("ing")), None)
    if finite is None or _RELATIVE_BEFORE.search(left, max(0, finite.start() - 40), finite.start()):
        return None         # "an architect who said he was stiffed ..., saying": not the clause it hangs on
    cue = verb_before(left, base)
    if cue is None or not cue.speaker_text or cue.naming_only or cue.via_earlier:
        return None
    return cue


# "was asked by the host", "were told by a guard": a passive verb of speech whose agent speaks
_SPOKEN_BY = re.compile(r"\s+by(?=\s)")
_AGENT_SPEAKS = frozenset("asked told questioned pressed warned urged reminded challenged".split())


_RAISED_INFINITIVE = re.compile(r"\b(?:(?:went|go|goes|going|gone)\s+(?:so\s+far\s+as|on)|(?:was|is|were|are|been)\s+"
                                r"(?:quick|careful|eager|keen|happy|willing|the\s+first|the\s+last))\s+to\s+$")


def verb_before(left: str, base: int) -> Optional[Cue]:
    """The last reporting verb before the quotation in its sentence, and its subject."""
    verbs = reporting_verbs(left)
    for m in reversed(verbs):
        verb = m.group().lower()
        heard = _HEARD_SOMEONE.search(left, max(0, m.start() - 80), m.start()) if verb in _VOCAL_VERBS else None
        if heard:
            # 'she heard an officer shout "Get on the ground!"': the one heard speaks, not the witness
            return Cue(verb, heard.group("np"), base + heard.start("np"), None, "X-said-that")
        head_end = m.start()         # where the words before the verb (its subject) end
        progressive = _PROGRESSIVE_BEFORE.search(left, max(0, m.start() - 30), m.start()) \
            if verb.endswith("ing") else None
        if progressive:
            head_end = progressive.start()     # (not "Cruz is praising Bush as ...": the clause's own verb)
        elif verb in PARTICIPLES or (verb.endswith("ing") and verb not in ("bring",)):
            own = re.search(rf"\b(?:of|shows?|showed|showing|heard|hear|saw|see|watch|watched|featuring|with)\s+"
                            rf"(?P<np>{NAME_SEQ})\s+(?:(?-i:[a-z]+ly)\s+)?$", left[:m.start()])
            if own:
                return Cue(verb, own.group("np"), base + own.start("np"), None, "X-saying")
            governor = participle_governor(left[:m.start()], base)
            if governor is not None and governor.speaker_text.lower() not in ("i", "we", "you"):
                # ("I remember Tom Reed going on TV, declaring ...": the writer governs nothing)
                return Cue(verb, governor.speaker_text, governor.speaker_pos, governor.appositive, governor.rule)
            return Cue(verb, None, -1, None, "participle", via_earlier=True)
        if not verb.endswith("ing") and _PASSIVE_BEFORE.search(left, max(0, m.start() - 12), m.start()):
            agent = _SPOKEN_BY.match(left, m.end()) if verb in _AGENT_SPEAKS else None
            if agent:
                # "Rubio was asked by moderator Ann Lee whether ... '...'": the one asking speaks
                name, app2, pos2 = speaker_after_verb(left[agent.end():])
                if name and name.lower() not in PRONOUNS and \
                        (name[:1].isupper() or split_prenominal(name)[1] is not None):
                    return Cue(verb, _clean_np(name), base + agent.end() + pos2, app2, "asked-by")
            continue               # "residents were told": they were spoken to, not speaking
        if m is not verbs[0] and _RESTRICTIVE_RELATIVE_BEFORE.search(left, max(0, m.start() - 40), m.start()):
            continue               # "X said the way Y treated women who complained ...": X's verb governs
        if verb in _INVERTING_VERBS and left[max(0, m.start() - 3):m.start()].rstrip().endswith(","):
            # "The paradox of Nancy, says Carl Anthony, historian at ..., is that she was '...'":
            # a parenthetical attribution, its speaker after the verb
            name, app2, pos2 = speaker_after_verb(left[m.end():])
            if name and name[:1].isupper() and name.split()[0].lower() not in DETERMINERS and \
                    re.match(r"\s*[,(]", left[m.end() + pos2 + len(name):]):
                return Cue(verb, _clean_np(name), base + m.end() + pos2, app2, "said-X")
        np, app, pos = appositive_chain_subject(left[:head_end]) or subject_before(left[:head_end])
        raised = _RAISED_INFINITIVE.search(left, max(0, head_end - 40), head_end)
        if raised:
            # "David Auerbach went so far as to say:", "she was quick to add": the one who went on speaks
            np, app, pos = subject_before(left[:raised.start()])
        if np and not _REPORTED_PRONOUN.search(np) and any(w.lower() in _SAYING for w in np.split()[1:]):
            continue       # "Carter said critics had predicted ...": the earlier verb's subject reports
        reported = _REPORTED_PRONOUN.search(np) if np else None
        if reported:
            # "She said she recalls": a reported clause's own subject is the pronoun after "said"
            np, pos = reported.group(1), pos + reported.start(1)
        elif np and " " in np and verb not in NAMING_VERBS and head_end == m.start():
            own = _PRONOUN_ENDS_SUBJECT.search(np)
            if own and not left[pos + own.end():m.start()].strip():
                # "an investment he concludes has given them a '...'": the noun's relative clause
                # (its "that" left out) has the pronoun for its subject, and the pronoun speaks
                np, pos, app = own.group(1), pos + own.start(1), None
        if np and not plausible_subject(np):
            # "Manchester City and Argentina striker Sergio Aguero has said": the name ends it
            tail = re.search(rf"\b([a-z][\w-]*)\s+({NAME_SEQ})$", np)
            if tail and tail.group(1) not in NOT_ROLE_WORDS:
                np, pos = tail.group(2), pos + tail.start(2)
            elif tail and tail.group(1) in ("and", "but") and " " in np[:tail.start()].strip() and \
                    _names_a_person(tail.group(2)):
                # "a woman asked for a photo and Clinton said": the clause after "and" has its own subject
                np, pos, app = tail.group(2), pos + tail.start(2), None
        if (not np or not plausible_subject(np)) and \
                re.search(r"(?:\bbut|\band|,|\bwho|\bwhere|\bwhich)\s+(?:[\w'\u2019-]+\s+){0,12}$", left[:head_end]):
            # "X was criticised ..., but in an interview argued": the sentence's subject speaks
            had_subject = bool(np)
            np, pos = sentence_subject(left)
            app = None
            if np and (np.lower() in ("the", "a", "an") or (had_subject and not np[:1].isupper())):
                np = None
        if np and plausible_subject(np):
            # ("calling on Clinton to 'stop ...'", "called for": a demand, not a name given)
            naming = verb in NAMING_VERBS and not _CALL_ON.match(left, m.end())
            return Cue(verb, np, base + pos, app, "colon-lead-in" if left.rstrip().endswith(":") else "X-said-that",
                       naming_only=naming and not (np.lower() in PRONOUNS or np[0].isupper()))
        if verb in NAMING_VERBS:
            return Cue(verb, None, -1, None, "naming", naming_only=True)
        if m.start() > 0 and left[:m.start()].rstrip().endswith(","):
            # "..., said X, adding ..." style: the verb's speaker follows it
            name, app2, pos2 = speaker_after_verb(left[m.end():])
            if name:
                return Cue(verb, _clean_np(name), base + m.end() + pos2, app2, "said-X")
    return None


# The patterns read before a quotation, in the order they are tried (the sieve lists them too).
BEFORE_PATTERNS = (inverted_lead_before, colon_lead_in_before, verb_before)


def cue_before(left: str, base: int) -> Optional[Cue]:
    """The first of BEFORE_PATTERNS that finds a cue in the words of the sentence before a quotation."""
    left, base = before_window(left, base)
    for pattern in BEFORE_PATTERNS:
        cue = pattern(left, base)
        if cue is not None:
            return cue
    return None


# (pattern, kind, words one of which the sentence must hold for the pattern to have a chance)
_SECONDARY = [
    (re.compile(r"\baccording\s+to\s+(?P<d>(?:an?|the)\s+[^,.;" + MASK + r"]{0,80}?(?:statement|readout|report|"
                r"transcript|filing|document|release|post|interview|letter|memo|email|recording|video|media|"
                r"statement published[^,.;]*)(?:\s+(?:published|released|issued)\s+by\s+[^,.;" + MASK + r"]{1,60})?)",
                re.I), "statement", None),
    (re.compile(r"\b(?P<d>[Ii]n\s+an?\s+(?:written\s+|joint\s+|brief\s+|short\s+)?statement(?:\s+(?:on|to|released|"
                r"issued|posted)\s+[^,.;" + MASK + r"]{1,50})?)"), "statement", ("statement",)),
    (re.compile(r"\btold\s+(?P<d>(?:The\s+Associated\s+Press|the\s+AP|Reuters|NBC\s+News|CNN|the\s+BBC|BBC|"
                r"AFP|Sky\s+News|(?:the\s+)?[A-Z][\w]+\s+(?:News|Times|Post|Journal|Herald|Guardian|Telegraph|"
                r"Mail|Press)))"), "interview", ("told",)),
    (re.compile(r"\b(?P<d>[Ii]n\s+an?\s+interview\s+with\s+[^,.;" + MASK + r"]{1,50})"), "interview", ("interview",)),
    (re.compile(r"\b(?P<d>(?:on|in\s+a\s+post\s+on)\s+(?:X|Twitter|Facebook|Instagram|Truth\s+Social|TikTok|"
                r"Threads|Bluesky))\b"), "social-media",
     ("X", "Twitter", "Facebook", "Instagram", "Truth", "TikTok", "Threads", "Bluesky")),
]


def secondary_source(sentence: str) -> Optional[dict]:
    lowered = None
    for pattern, kind, hints in _SECONDARY:
        if hints is None:
            # the one case-insensitive pattern: "According to", "according to"
            lowered = lowered or sentence.lower()
            if "according" not in lowered:
                continue
        elif not any(hint in sentence for hint in hints):
            continue
        m = pattern.search(sentence)
        if m:
            description = _clean_np(m.group("d"))
            if "readout" in description.lower():
                kind = "readout"
            return {"description": description, "kind": kind}
    return None
