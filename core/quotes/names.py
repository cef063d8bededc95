"""Who the story names: every person and organisation mentioned, in its fullest form and with the
role the story gives it, so a surname, an honorific, a role noun or a pronoun at a cue can be
resolved to a name ("Gabuev" -> Alexander Gabuev, "Sir Keir" -> Keir Starmer, "he" -> the last
fitting person)."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from dataclasses import dataclass, field
from typing import Optional

from .lexicon import (DESCRIPTOR_TITLES, HONORIFICS, MONTHS, NAME_ADJECTIVES, NAME_RE, NAME_SEQ, NOT_NAMES, NOT_ROLE_WORDS,
                      OPENER_WORDS,
                      ORG_WORDS, ROLE_NOUNS, TITLE_WORDS_EXTRA, US_STATES)

def _load_public_figures() -> dict:
    text = resources.files(__package__).joinpath("public_figures.txt").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {short.strip(): full.strip() for short, full in rows}


PUBLIC_FIGURES = _load_public_figures()


def _load_place_names() -> frozenset:
    text = resources.files(__package__).joinpath("place_names.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


PLACE_NAMES = _load_place_names()
_PERSON_FROM = re.compile(rf"(?<=[a-z]) from ({NAME_SEQ})")
_POSSESSIVE_INSIDE = re.compile(r"['\u2019]s$")
_ROLE_WORDS = frozenset(k for k in ROLE_NOUNS if " " not in k)
_ACRONYM_DEFINED = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_NAME_BEFORE_ACRONYM = re.compile(rf"({NAME_SEQ}(?:\s+(?:for|of|on|and|&)\s+{NAME_SEQ})*)\s+$")
def _is_acronym(word: str) -> bool:
    """"TNO", "UCEA", "NYU", "GfK" -- not a word in brackets such as "(Reuters)" or "(Trump)"."""
    return sum(c.isupper() for c in word) >= 2


_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ese|ian|an|ish|ch|i|ic)$")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_ACRONYM = re.compile(r"^[A-Z]{2,6}s?$")


@dataclass
class Entity:
    name: str
    kind: str                       # person | organization | name (a single word: a place, a surname...)
    tokens: tuple
    role: Optional[str] = None
    organization: Optional[str] = None
    first_pos: int = 0
    mentions: list = field(default_factory=list)
    gender: Optional[str] = None    # "f" or "m" where the story says ("his wife Mae", "Mrs Tan")


# Words that tell a person's gender when written just before the name.
_FEMALE_WORDS = frozenset("wife mother daughter sister woman girl actress girlfriend widow grandmother aunt niece "
                          "mrs mrs. ms ms. miss lady queen princess duchess dame congresswoman chairwoman "
                          "spokeswoman businesswoman sportswoman policewoman councilwoman grandma mum mom".split())
_MALE_WORDS = frozenset("husband father son brother man boy boyfriend widower grandfather uncle nephew mr mr. "
                        "sir king prince duke lord congressman spokesman businessman sportsman policeman "
                        "councilman grandpa dad".split())


def gender_of_words(words: list[str]) -> Optional[str]:
    """"f", "m" or None from the word or two just before a name."""
    for word in reversed(words[-2:]):
        low = word.lower().strip(",")
        if low in _FEMALE_WORDS:
            return "f"
        if low in _MALE_WORDS:
            return "m"
    return None


def strip_titles(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(title tokens, name tokens): "Chinese President Xi Jinping" -> (Chinese President, Xi Jinping)."""
    titles: list[str] = []
    # "Florida Gov. Ron DeSantis", "U.N. Ambassador Nikki Haley": everything up to the last title
    last_title = max((k for k, t in enumerate(tokens[:-1]) if t.lower().rstrip(".") in HONORIFICS), default=-1)
    if last_title > 0:
        return tokens[:last_title + 1], tokens[last_title + 1:]
    i = 0
    while i < len(tokens) - 1:
        low = tokens[i].lower().rstrip(".")
        if low in HONORIFICS or (i == 0 and describes_a_person(low)):
            titles.append(tokens[i])
            i += 1
        elif _NATIONALITY.match(tokens[i]) and tokens[i + 1].lower().rstrip(".") in HONORIFICS:
            titles.append(tokens[i])
            i += 1
        elif len(tokens) - i > 2 and _glued_body(tokens[i]) and all(t[:1].isupper() for t in tokens[i + 1:]) and \
                _kind_of(tuple(tokens[i + 1:])) == "person":
            titles.append(tokens[i])      # "House Republican Thomas Massie": a body and a party, then the name
            i += 1
        else:
            break
    return titles, tokens[i:]


# "Mum-of-two", "Father-of-three", "Son-in-law", "Ex-boxer", "Ex-Tory": a description in one word
_HYPHENED_DESCRIPTION = re.compile(r"[a-z]+-(?:of|in|to)-[a-z]+|ex-[\w-]+")


def describes_a_person(low: str) -> bool:
    """A word that says what a person is ("prosecutor", "mum-of-two", "mother-to-be", "ex-boxer"),
    never a name: split off as a title when it opens a name, and "the mum-of-two" is the person
    the story gave it."""
    return low in DESCRIPTOR_TITLES or ("-" in low and _HYPHENED_DESCRIPTION.fullmatch(low) is not None)


_PARTIES = frozenset("Republican Republicans Democratic Democrat Democrats GOP Labour Conservative Tory".split())


def _glued_body(token: str) -> bool:
    """A word naming a body, a party or a state that a story glues before a person's name."""
    return token in _PARTIES or token.lower() in ORG_WORDS or token in US_STATES


_POSTNOMINALS = frozenset("MBE OBE CBE KBE DBE KC QC MP MSP MEP MLA TD PhD MD BEM RN".split())


def clean_name_tokens(text: str) -> list[str]:
    tokens = text.split()
    while len(tokens) > 1 and tokens[-1].rstrip(".,") in _POSTNOMINALS:
        tokens = tokens[:-1]              # "Afrasiab Anwar MBE"
    while tokens and (tokens[0].lower() in NOT_NAMES or (len(tokens) > 1 and (
            tokens[0].lower() in NAME_ADJECTIVES or tokens[0].lower() in OPENER_WORDS))):
        tokens = tokens[1:]      # ("Brave Lisa Grant", "Since Ann Lee": a mood or an opener, then the name)
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1]) if len(tokens[-1]) > 2 else tokens[-1]
        tokens[-1] = tokens[-1].rstrip(".") if not re.search(r"\.[A-Z]\.?$", tokens[-1]) else tokens[-1]
    return [t for t in tokens if t]


@lru_cache(maxsize=65536)
def _titles_and_tokens(mention: str) -> tuple[tuple, list]:
    titles, tokens = strip_titles(clean_name_tokens(mention))
    return tuple(titles), tokens


def kind_of(tokens: list[str]) -> str:
    return _kind_of(tuple(tokens))


@lru_cache(maxsize=65536)
def _kind_of(tokens: tuple) -> str:
    if any(_POSSESSIVE_INSIDE.search(t) for t in tokens[:-1]):
        return "name"            # "Musk's Twitter" is a thing of someone's, not a person
    if " ".join(tokens) in PLACE_NAMES:
        return "organization"    # "South Carolina": a place, never a person (see place_names.txt)
    if any(t.lower().strip(".'\u2019s") in ORG_WORDS or t.lower() in ORG_WORDS for t in tokens) or \
            (len(tokens) == 1 and _ACRONYM.match(tokens[0]) and tokens[0] not in _THING_ACRONYMS):
        return "organization"
    return "person" if len(tokens) >= 2 else "name"


_NOT_A_NAME = MONTHS | NOT_NAMES
# Capitals that name things, never a body that could speak ("told TV", "on CCTV")
_THING_ACRONYMS = frozenset("TV CCTV DNA GPS AI ID PDF SUV ATM USB GDP HIV AIDS COVID LGBT LGBTQ CPR IQ".split())


@lru_cache(maxsize=65536)
def _name_of(raw: str) -> Optional[tuple]:
    """(titles, name, name tokens) for a capitalised run of words, or None when it names no one.
    Cached across stories: the same names come back in story after story."""
    tokens = clean_name_tokens(raw)
    titles, name_tokens = strip_titles(tokens) if tokens else ([], [])
    if not name_tokens or all(t.lower().rstrip(".") in _NOT_A_NAME for t in name_tokens):
        return None
    return tuple(titles), " ".join(name_tokens), tuple(name_tokens)


def _kind_with_titles(tokens: list[str], titles) -> str:
    """"Patrol Chief James Hall": a person's title makes a two-word name a person's, even when
    the surname is also a word for a place or a body (Hall, Park, House, Church)."""
    kind = kind_of(tokens)
    return "person" if titles and kind == "organization" and len(tokens) == 2 and \
        " ".join(tokens) not in PLACE_NAMES else kind


def _used_as_adjective(text: str, start: int, end: int) -> bool:
    """Right after "a"/"an" and right before a lowercase word: "an English Ivy plant"."""
    if start < 2 or text[start - 1] != " " or end + 1 >= len(text) or text[end] != " " or \
            not text[end + 1].islower():
        return False
    return text[max(0, start - 4):start - 1].rsplit(" ", 1)[-1] in ("a", "an", "A", "An")


_PLACE_NOUN_AFTER = re.compile(r"\s+(?:prison|jail|hotel|hospital|school|airport|stadium|university|college|"
                               r"church|mosque|temple|synagogue|station|camp|park|bridge|street|road|river|valley|"
                               r"mall|market|restaurant|cafe|bar|pub|club|theatre|theater|museum|library|estate|"
                               r"centre|center|arena|beach|island|lake|mountain|county|district|province)\b")
_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_GENERATION = frozenset("Jr Jr. Sr Sr. II III IV".split())
_UNSEEN = object()
# How the text just before a name ends when an article ("a", "an") precedes it.
_ARTICLE_ENDINGS = ("a ", "A ", "n ")


# "Deputy Director of " right before a capitalised run: the run is a body's name, then a person's
_TITLE_OF_BEFORE = re.compile(r"\b([A-Za-z]+)\s+(?:of|for)\s+(?:the\s+)?$")


def _body_then_person(split: tuple) -> tuple:
    """"(Deputy Director of) Public Prosecution Anna Berg": the last two words (three with an
    initial between) are the person, the words before them the body, kept as their title."""
    titles, _, tokens = split
    k = 3 if len(tokens) >= 3 and re.fullmatch(r"[A-Z]\.", tokens[-2]) else 2
    person = tokens[-k:]
    if len(tokens) <= k or _kind_of(tuple(person)) != "person":
        return split          # ("Secretary of Homeland Security": a body's name to its end)
    return tuple(titles) + tuple(tokens[:-k]), " ".join(person), tuple(person)


def _title_word(token: str, at_an_end: bool = False) -> bool:
    """A word of a title: "CEO", "Director", "co-founder", "Co-Owner" (and, at either end of the
    joined titles, a noun for what someone does: "Lead Planner", "chief designer")."""
    low = token.lower().rstrip(".,")
    return low in HONORIFICS or low in _ROLE_WORDS or low in TITLE_WORDS_EXTRA or describes_a_person(low) or \
        (low.startswith("co-") and len(low) > 4) or (at_an_end and len(low) > 4 and low.endswith(("er", "or", "ist")))


def joint_titles_then_name(text: str) -> Optional[tuple[str, str, Optional[str]]]:
    """(name, role, organisation) for titles joined by "and" before a person's name: "Acme Corp CEO
    and co-founder Nina Vale", "Harbor Events Co-Owner and Lead Planner Nina Vale" -- the name is
    the last two words (three with an initial), never the titles glued to it. None for anything
    else ("Tom Reed and Anna Berg" are two people)."""
    tokens = text.split()
    k = 3 if len(tokens) >= 3 and re.fullmatch(r"[A-Z]\.", tokens[-2]) else 2
    before, name = tokens[:-k], tokens[-k:]
    if len(before) < 3 or not _title_word(before[-1], at_an_end=True) or not all(t[:1].isupper() for t in name):
        return None
    joints = [i for i, t in enumerate(before[:-1]) if t in ("and", "&")]
    if not joints or joints[-1] == 0 or not _title_word(before[joints[-1] - 1], at_an_end=True) or \
            _kind_of(tuple(name)) != "person":
        return None
    first = next((i for i, t in enumerate(before) if _title_word(t)), joints[-1] - 1)
    if any(t.lower() in NOT_ROLE_WORDS and t not in ("and", "&") for t in before[first:]) or \
            not all(t[:1].isupper() for t in before[:first]):
        return None
    return " ".join(name), " ".join(before[first:]), " ".join(before[:first]) or None


def _titles_joined_before(text: str, start: int, tokens: tuple) -> bool:
    """"Co-Owner and Lead Planner Nina Vale": a title just before the "and" that opens the run, and
    one ending the run's words before its last two (the name)."""
    k = 3 if len(tokens) >= 4 and re.fullmatch(r"[A-Z]\.", tokens[-2]) else 2
    before_and = text[max(0, start - 40):start].split()
    return len(before_and) >= 2 and _title_word(before_and[-2], at_an_end=True) and \
        _title_word(tokens[-k - 1], at_an_end=True)


def _without_suffix(tokens: tuple) -> tuple:
    """"James Roosevelt Jr" is the Roosevelt a later "Roosevelt" means too."""
    return tokens[:-1] if len(tokens) > 2 and tokens[-1] in _GENERATION else tokens


def _people_named_in(text: str) -> dict:
    """Surname -> full name for each person a line (a headline) names in full."""
    people = {}
    for m in NAME_RE.finditer(text):
        split = _name_of(m.group(0))
        if split is not None and len(split[2]) >= 2 and kind_of(list(split[2])) == "person":
            people[split[2][-1]] = split[1]
    return people


class StoryIndex:
    """Names found in a story's paragraphs, with their positions in the story text."""

    def __init__(self, paragraphs: list[str], offsets: list[int], headline: Optional[str] = None):
        self.entities: dict[str, Entity] = {}
        # "Rubin Carter's life story" in the headline, then only "Carter" in the story
        self.headline_people = _people_named_in(headline or "")
        self._split_cache: dict = {}
        self.mentions: list[tuple[int, Entity]] = []        # (story position, entity), in order
        for text, base in zip(paragraphs, offsets):
            self._index_paragraph(text, base)
        # "Radek Babicek from Fantastic Gardeners": what a person is from is an organisation
        for text in paragraphs:
            # (the pattern opens with a look-behind, so it cannot skip ahead to " from " by itself)
            for m in _PERSON_FROM.finditer(text) if " from " in text else ():
                entity = self.entities.get(" ".join(clean_name_tokens(m.group(1))))
                if entity is not None and entity.kind == "person" and not entity.role:
                    entity.kind = "organization"
        self.positions = [pos for pos, _ in self.mentions]
        self._by_token: dict = {}
        for entity in self.entities.values():
            if entity.kind == "person":
                for token in {entity.tokens[0], _without_suffix(entity.tokens)[-1]}:
                    self._by_token.setdefault(token, []).append(entity)
        self._groups: dict = {}
        self._central = None
        self.central_share = (0, 0)      # (mentions of the central person, mentions of all people)
        self.story = "\n\n".join(paragraphs)
        # "the Netherlands Organisation for Applied Scientific Research (TNO)": TNO is its short name
        self.acronyms = {}
        for m in _ACRONYM_DEFINED.finditer(self.story):
            # look back from "(TNO)" only over the words just before it
            window = self.story[max(0, m.start() - 160):m.start()]
            named = _NAME_BEFORE_ACRONYM.search(window) if _is_acronym(m.group(1)) else None
            full = " ".join(clean_name_tokens(named.group(1))) if named else ""
            if len(full.split()) >= 2:
                self.acronyms[m.group(1)] = full
        self._learn_gender_from_pronouns(paragraphs, offsets)

    def _index_paragraph(self, text: str, base: int) -> None:
        """Every name in one paragraph: its entity, mention, role and gender. The hot loop of a
        story's reading (about 70 names a story), so its cheap tests come first."""
        split_cache = self._split_cache
        for m in NAME_RE.finditer(text):
            raw = m.group(0)
            split = split_cache.get(raw, _UNSEEN)
            if split is _UNSEEN:
                split = split_cache[raw] = _name_of(raw)
            if split is None:
                continue      # "The", "But": a capitalised word that names no one
            start, end = m.span()
            if text[end:end + 1].isdigit():
                continue      # "QZ8501", "A320": a code, not a name
            # (an article just before is what _used_as_adjective needs first: a slice tells)
            if text[start - 2:start] in _ARTICLE_ENDINGS and _used_as_adjective(text, start, end):
                continue      # "an English Ivy plant", "a Trump supporter": no one to refer to
            if len(split[2]) >= 3 and text[max(0, start - 5):start].endswith((" of ", " for ", " the ")):
                title = _TITLE_OF_BEFORE.search(text, max(0, start - 40), start)
                if title and (title.group(1).lower() in HONORIFICS or title.group(1).lower() in TITLE_WORDS_EXTRA):
                    split = _body_then_person(split)
            elif len(split[2]) >= 3 and text[max(0, start - 5):start].endswith((" and ", " & ")) and \
                    _titles_joined_before(text, start, split[2]):
                split = _body_then_person(split)     # "CEO and Lead Planner Nina Vale": the titles, then the name
            entity = self._add_split_mention(split, base + start)
            if entity.kind == "person" and len(entity.mentions) == 1 and _PLACE_NOUN_AFTER.match(text, end):
                entity.kind = "organization"    # "La Esperanza prison", "Grand Plaza hotel"
            introducing = entity.gender is None and len(entity.mentions) <= 3
            if entity.role and not introducing:
                continue
            before = text[max(0, start - 30):start].split()
            if not entity.role and before and before[-1].rstrip(",") in _ROLE_WORDS:
                entity.role = before[-1].rstrip(",")      # "the UK's prime minister, Rishi Sunak,"
            if introducing:
                entity.gender = gender_of_words(before + raw.split()[:1])

    def _learn_gender_from_pronouns(self, paragraphs: list[str], offsets: list[int]) -> None:
        """"Prelogar is the government's lawyer. She responds ...": a sentence opening with "He" or
        "She" right after one whose subject is a person tells that person's gender, where no word
        before their name did."""
        for text, base in zip(paragraphs, offsets):
            if "He " not in text and "She " not in text:
                continue
            previous = 0
            for m in _SENTENCE_GAP.finditer(text):
                pronoun = text[m.end():m.end() + 4]
                gender = "m" if pronoun.startswith("He ") else "f" if pronoun == "She " else None
                if gender is not None:
                    self._set_gender_of_subject(text[previous:m.start()], gender)
                previous = m.end()

    def _set_gender_of_subject(self, sentence: str, gender: str) -> None:
        """Only when the sentence opens with that person and names nobody else, but for a
        possessive ("Alito questioned Prelogar. She ..." could be either)."""
        people = set()
        for m in NAME_RE.finditer(sentence):
            if not people and m.start() > 0:
                return                         # the sentence does not open with a name
            if m.group(0).endswith(("'s", "\u2019s")) or sentence[max(0, m.start() - 4):m.start()] in ("the ", "The "):
                continue                       # "Alito's consternation", "the Biden administration"
            split = _name_of(m.group(0))
            person = self.fullest(split[1]) if split is not None else None
            if person is not None and person.kind == "person" and person.name in self.entities:
                people.add(person.name)        # (a person the story itself names in full)
            elif not people:
                return
        if len(people) == 1:
            entity = self.entities.get(people.pop())
            if entity is not None and entity.gender is None:
                entity.gender = gender

    def _add_split_mention(self, split: tuple, pos: int) -> Entity:
        titles, name, name_tokens = split
        entity = self.entities.get(name)
        if entity is None:
            entity = Entity(name, _kind_with_titles(list(name_tokens), titles), name_tokens, first_pos=pos)
            self.entities[name] = entity
        if titles and not entity.role:
            entity.role = " ".join(titles)
        entity.mentions.append(pos)
        self.mentions.append((pos, entity))
        return entity

    # -- resolution --------------------------------------------------------------------------

    def fullest(self, mention: str, before: Optional[int] = None) -> Optional[Entity]:
        """The fullest name in the story for a mention: its own entry, or the longest person name
        that ends (or, for names written surname first, starts) with it -- one named before the
        mention when `before` is given, since stories give the full name first."""
        titles, tokens = _titles_and_tokens(mention)
        if not tokens:
            return None
        name = " ".join(tokens)
        if name in self.acronyms:
            full = self.acronyms[name]
            return Entity(full, "organization", tuple(full.split()))
        candidates = [e for e in self._by_token.get(tokens[0], []) + self._by_token.get(tokens[-1], [])
                      if e.kind == "person" and len(e.tokens) > len(tokens) and (before is None or e.first_pos < before)]
        ending = [e for e in candidates if list(_without_suffix(e.tokens)[-len(tokens):]) == tokens]
        starting = [e for e in candidates if list(e.tokens[:len(tokens)]) == tokens]
        for group in (ending, starting):
            if group:
                return max(group, key=lambda e: (len(e.mentions), len(e.tokens), -e.first_pos))
        own = self.entities.get(name)
        known = PUBLIC_FIGURES.get(name) or self.headline_people.get(name)
        if known and (own is None or own.kind != "organization"):
            return Entity(known, "person", tuple(known.split()), role=own.role if own else None)
        if own is not None:
            if own.kind == "name" and titles:
                own.kind = "person"
            return own
        return Entity(name, kind_of(tokens) if not titles else "person", tuple(tokens),
                      role=" ".join(titles) or None)

    def with_role(self, role_noun: str, before: int) -> Optional[Entity]:
        """"the PM", "the president": the person the story gave that role."""
        words = role_noun.lower().split()
        wanted = ROLE_NOUNS.get(" ".join(words), ROLE_NOUNS.get(words[-1], words[-1]))
        # "the England forward": England qualifies; "the prime minister": prime is the role's own
        qualifiers = [w for w in words[:-1] if w not in ("the", "a", "an") and w not in wanted.split()]
        scores: dict = {}
        for pos, entity in self.recent_mentions(before):
            role = (entity.role or "").lower()
            if entity.kind == "person" and role and (wanted in role or role.endswith(wanted.split()[-1])):
                qualified = all(q in role.split() or q in ("us", "u.s.") for q in qualifiers) and \
                    not (qualifiers and any(t[0].isupper() and t.lower() not in qualifiers and t.endswith(("an", "ese", "ish"))
                                            for t in (entity.role or "").split()))
                scores[entity.name] = (qualified, len(entity.mentions), entity)
        if not scores:
            return None
        best = max(scores.values(), key=lambda v: (v[0], v[1]))
        if qualifiers and not best[0]:
            return None        # "the England forward" is not whoever else is a forward
        return best[2]

    def mentions_between(self, start: int, end: int) -> list[tuple[int, Entity]]:
        lo = bisect_left(self.positions, start)
        hi = bisect_left(self.positions, end)
        return self.mentions[lo:hi]

    def recent_mentions(self, before: int, limit: int = 300) -> list[tuple[int, Entity]]:
        """The last `limit` mentions before a position, nearest last."""
        hi = bisect_left(self.positions, before)
        return self.mentions[max(0, hi - limit):hi]

    def group_in_full(self, noun: str) -> Optional[str]:
        """"police" -> "Hong Kong police" when the story names them so."""
        if noun not in self._groups:
            self._groups[noun] = self._group_in_full(noun)
        return self._groups[noun]

    def _group_in_full(self, noun: str) -> Optional[str]:
        m = re.search(r"((?:[A-Z][\w'\u2019.-]*\s+){1,3})" + re.escape(noun) + r"\b", self.story)
        if not m:
            return None
        words = m.group(1).split()
        while words and words[0].lower() in NOT_NAMES:
            words = words[1:]
        if not words or any(w.lower().rstrip(".") in MONTHS for w in words):
            return None
        return " ".join(words + [noun])

    def central_person(self, before: int) -> Optional[Entity]:
        """The person the story is about: the one it names most often (at least twice), when
        named before this point. Counted once per story."""
        if self._central is None:
            counts: dict = {}
            for pos, entity in self.mentions:
                full = entity if entity.kind == "person" else self.fullest(entity.name, before=pos + 1)
                if full is not None and full.kind == "person":
                    counts[full.name] = (counts.get(full.name, (0, full))[0] + 1, full)
            best = max(counts.values(), key=lambda v: (v[0], -v[1].first_pos)) if counts else (0, None)
            self._central = best[1] if best[0] >= 2 else False
            self.central_share = (best[0], sum(n for n, _ in counts.values()))
        person = self._central
        return person if person and person.first_pos < before else None
