"""The quote engine: every direct quotation in a story's paragraphs, with its kind, cue, speaker
and secondary source. Spans come from marks.py, cues from attribution.py, names from names.py.

Offsets are into the story text: the paragraphs joined by a blank line (Article.story_text)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Optional

from ..model import Quotation, Speaker
from .attribution import (LISTED_ORG_NAME, MASK, Cue, cue_after, cue_before, passive_by, secondary_source,
                          sentence_subject, split_prenominal)
from .lexicon import NAME_SEQ, HONORIFICS, ANONYMOUS_HEADS, GROUP_HEADS, NOT_NAMES, ORG_NOUNS, PRONOUNS, REPORTING_VERBS, ROLE_NOUNS
from .marks import ALL_MARKS, LEADERS, SENTENCE_END, Span, find_spans
from .names import Entity, StoryIndex, clean_name_tokens, kind_of, strip_titles

PARAGRAPH_SEPARATOR = "\n\n"
_ABBREVIATIONS = set("mr mrs ms dr st sen rep gov gen lt col sgt jr sr inc corp co ltd no vs u.s u.k u.n "
                     "jan feb aug sept oct nov dec a.m p.m e.g i.e etc prof rev capt maj adm cmdr mt ft "
                     # the titles a name may follow (lexicon.CAP_WORD): "said Del. Stacey Plaskett"
                     "del amb supt insp det cpl pvt msgr fr hon atty sec pres cllr coun".split())
_SENTENCE_BREAK = re.compile(r"(?<![.!?\u2026])[.!?\u2026]+[\"'\u201d\u2019)]*\s+(?=[A-Z" + MASK + r"\"'\u201c\u2018(])")
_WORD = re.compile(r"\w+")
_ORG_ROLE = re.compile(r"^(?P<org>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)['\u2019]s\s+"
                       r"(?P<role>(?:[A-Z][a-z]+\s+)?[a-z][a-z -]{1,40})$")
_VERB_BEFORE_QUOTE = re.compile(r"\b(?:said|says|told|asked|added|wrote|replied|declared)\s*[,:]\s*$", re.I)


@dataclass
class Found:
    paragraph: int
    span: Span
    text: str
    start: int                 # story offsets of the quoted words
    end: int
    sentence: tuple = (0, 0)   # paragraph offsets of the sentence holding the quotation
    cue: Optional[Cue] = None
    speaker: Optional[Speaker] = None
    kind: str = "full"
    confidence: float = 0.3
    secondary: Optional[dict] = None
    chained_to: Optional[int] = None      # index of the quotation this one continues (multi-paragraph)
    entity_name: Optional[str] = None
    turn: Optional[tuple] = None          # ("WALLACE", paragraph offset): a transcript turn's label


@dataclass
class StoryState:
    paragraphs: list
    offsets: list
    index: StoryIndex
    masked: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    history: list = field(default_factory=list)       # (story pos, Speaker) of attributed quotations
    sentence_speaker: dict = field(default_factory=dict)   # (paragraph, sentence) -> last speaker there
    sentence_starts: list = field(default_factory=list)    # story offsets of every sentence, in order
    sentence_spans: list = field(default_factory=list)


def find_quotations(paragraphs: list[str], kinds: Optional[list[str]] = None, style=None,
                    headline: Optional[str] = None) -> list[Quotation]:
    kinds = kinds or ["text"] * len(paragraphs)
    offsets, pos = [], 0
    for text in paragraphs:
        offsets.append(pos)
        pos += len(text) + len(PARAGRAPH_SEPARATOR)
    state = StoryState(paragraphs, offsets, StoryIndex(paragraphs, offsets, headline))
    found = _spans(paragraphs, kinds, offsets)
    _mask(state, found)
    for i, item in enumerate(found):
        _attribute(state, found, i)
    _continuations(state, found)
    _kinds(state, found)
    _subject_speaks(state, found)
    return [Quotation(f.text, f.start, f.end, f.paragraph, f.kind, f.cue.verb if f.cue else None,
                      f.speaker or Speaker(), round(f.confidence, 3), f.secondary) for f in found]


# -- spans ---------------------------------------------------------------------------------------

def _spans(paragraphs, kinds, offsets) -> list[Found]:
    found: list[Found] = []
    carried = _unmarked_continuations(paragraphs, kinds)
    for p, text in enumerate(paragraphs):
        if kinds[p] == "embed":
            continue
        nxt = paragraphs[p + 1] if p + 1 < len(paragraphs) else ""
        lost_opener = None if p in carried else _lost_opening_mark(paragraphs, kinds, p)
        if p in carried:
            spans = [_whole_paragraph(text)]
        elif lost_opener is not None:
            spans = [lost_opener]
        else:
            spans = find_spans(text, nxt)
        if kinds[p] == "blockquote" and not _mostly_quoted(text, spans):
            spans = [_whole_paragraph(text)]
        for span in spans:
            if not span.closed:
                _leave_out_swallowed_cue(text, span)
            turn = _TURN_LABEL.match(text, span.start) if span.open_pos <= 3 else None
            if turn and turn.end() < span.end:
                span.start = turn.end()        # '"WALLACE: Let's start ...': the label is no speech
            item = Found(p, span, text[span.start:span.end], offsets[p] + span.start, offsets[p] + span.end)
            if turn and turn.end() <= span.start:
                item.turn = (turn.group(1), turn.start(1))
                found.append(item)
                continue
            if found and span.reopens and found[-1].paragraph == p:
                item.chained_to = len(found) - 1
            elif found and found[-1].paragraph == p - 1 and not found[-1].span.closed and \
                    text[:span.open_pos].strip(LEADERS) == "":
                item.chained_to = len(found) - 1
            found.append(item)
    return found


_MAX_UNMARKED_RUN = 6


def _unmarked_continuations(paragraphs: list[str], kinds: list[str]) -> set:
    """Paragraphs inside one quotation whose page dropped the opening marks of its later
    paragraphs: opened at the start of one paragraph, then paragraphs with no quote mark at all,
    then one that ends with the closing mark and holds no other double mark (a BBC "Eyewitness"
    box). All of them are the quotation's."""
    carried: set = set()
    for p, text in enumerate(paragraphs):
        opened = text.lstrip()[:1]
        if opened not in "\u201c\"" or not opened or _double_marks(text) != 1:
            continue
        for q in range(p + 1, min(len(paragraphs), p + 1 + _MAX_UNMARKED_RUN)):
            if kinds[q] != kinds[p]:
                break
            marks = _double_marks(paragraphs[q])
            if marks == 1 and paragraphs[q].rstrip()[-1:] in "\u201d\"":
                if q > p + 1:
                    carried.update(range(p + 1, q + 1))
                break
            if marks:
                break
    return carried


_CLOSE_THEN_CUE = re.compile(r"[,.?!\u2026][\u201d\"]\s+(?=[a-z]|[A-Z][a-z]+\s+[a-z])")


def _lost_opening_mark(paragraphs: list[str], kinds: list[str], p: int) -> Optional[Span]:
    """'It cannot have any impact on the operation," he said.' right after a quoted paragraph:
    the page lost the opening mark, and the words up to the lone closing mark are the quotation."""
    text = paragraphs[p]
    if p == 0 or not text[:1].isupper():
        return None
    before = paragraphs[p - 1]
    if kinds[p - 1] != "blockquote" and not before.lstrip()[:1] in "\u201c\"":
        return None
    if _double_marks(text) != 1:
        return None
    m = _CLOSE_THEN_CUE.search(text)
    if m is None:
        return None
    close = m.start() + 1
    return Span(0, close, 0, close, closed=True)


def _double_marks(text: str) -> int:
    return sum(text.count(mark) for mark in "\u201c\u201d\"\u201e")


def _leave_out_swallowed_cue(text: str, span: Span) -> None:
    """'"You don't need permission, says Banzi. "If you have an idea ...': the closing mark was
    lost, so the words ran on over their own attribution; end them at the comma before it."""
    comma = text.rfind(",", span.start, span.end)
    if comma < 0 or span.end - comma > 60:
        return
    tail = text[comma:span.end]
    cue = cue_after(tail, 0)
    if cue is not None and cue.rule == "said-X" or (cue is not None and cue.rule == "X-said" and
                                                     tail.rstrip(" .").endswith(cue.verb or "\0")):
        span.end = span.close_pos = comma


# A transcript turn inside the marks: "WALLACE: ...", "SEN. JOHN SMITH: ..." (capitals, then a colon)
_TURN_LABEL = re.compile(r"([A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,3}):\s+(?=\S)")


def _mostly_quoted(text: str, spans: list[Span]) -> bool:
    return sum(s.end - s.start for s in spans) >= 0.6 * len(text.strip())


def _whole_paragraph(text: str) -> Span:
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in ALL_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ALL_MARKS):
        end -= 1
    return Span(0, len(text), start, end, closed=True)


def _mask(state: StoryState, found: list[Found]) -> None:
    by_paragraph: dict = {}
    for f in found:
        by_paragraph.setdefault(f.paragraph, []).append(f)
    for p, text in enumerate(state.paragraphs):
        here = by_paragraph.get(p, [])
        masked, last = [], 0
        for f in here:
            start, end = max(f.span.open_pos, last), min(len(text), f.span.close_pos + 1)
            if end > start:
                masked.append(text[last:start])
                masked.append(MASK * (end - start))
                last = end
        masked.append(text[last:])
        masked = "".join(masked)
        if "(" in masked:
            masked = _PARTY_AND_STATE.sub(_blank, masked)
        if "\u2015" in masked:
            masked = masked.replace("\u2015", "\u2014")     # a horizontal bar is a dash (HuffPost's "―")
        state.masked.append(masked)
        state.sentences.append(_sentence_bounds(masked, text, here))
    for p, sentences in enumerate(state.sentences):
        for s, e in sentences:
            state.sentence_starts.append(state.offsets[p] + s)
            state.sentence_spans.append((state.offsets[p] + s, state.offsets[p] + e))
    for f in found:
        sentences = state.sentences[f.paragraph]
        k = bisect_right([s for s, _ in sentences], f.span.open_pos) - 1 if len(sentences) < 64 else \
            bisect_right(_starts(state, f.paragraph), f.span.open_pos) - 1
        f.sentence = sentences[k] if k >= 0 else (0, len(state.paragraphs[f.paragraph]))


# "Rep. Jason Chaffetz (R-Utah) said", "Sen. Bernie Sanders (Vt.)": a member's party and state,
# blanked (same length, so positions hold) where cues and subjects are read.
# (It opens with the literal " (", which the regex engine finds fast; the letter before is checked after.)
_PARTY_AND_STATE = re.compile(r" \((?:(?:[RDI]|Rep|Dem|Ind)\.?\s?-\s?[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?"
                              r"|(?P<state>[A-Z][a-z]{1,5}\.|(?:[A-Z]\.){2}))\)")


def _blank(m: re.Match) -> str:
    before = m.string[m.start() - 1:m.start()]
    fits = before.islower() if m.group("state") else (before.isalnum() or before in (".", "_"))
    return " " * len(m.group()) if fits else m.group()


def _starts(state: StoryState, p: int) -> list:
    cache = state.sentence_speaker.setdefault(("starts", p), [s for s, _ in state.sentences[p]])
    return cache


def _sentence_bounds(masked: str, text: str, found: list[Found]) -> list[tuple[int, int]]:
    cuts = [0]
    for m in _SENTENCE_BREAK.finditer(masked):
        before = masked[max(0, m.start() - 24):m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        ends_quote = masked[m.end():m.end() + 1] == MASK
        if (last in _ABBREVIATIONS and not (ends_quote and last in ("u.s", "u.k", "u.n", "etc"))) or \
                (len(last) == 1 and last.isalpha()):
            continue
        cuts.append(m.end())
    # A quotation that ends its own sentence ("...ended." Then ...) ends the sentence too,
    # unless a cue follows it ("...ended." Smith said).
    for f in found:
        if not f.span.closed:
            continue
        ending = _QUOTE_ENDS_SENTENCE.search(text[f.span.start:f.span.close_pos].rstrip())
        if ending:
            after = f.span.close_pos + 1
            rest = masked[after:]
            m = _SPACE_BEFORE_CAPITAL.match(rest)
            # "...ended." Then -- a full stop ends the sentence; "...why?" Smith asked -- a cue may
            # follow ?, ! and a trailing-off ellipsis ("... the CFPB has ..." Alito asked)
            if m and (ending.group(1) == "." or not cue_after(rest, after)):
                cuts.append(after + m.end())
    cuts = sorted(set(cuts))
    return [(cuts[k], cuts[k + 1] if k + 1 < len(cuts) else len(masked)) for k in range(len(cuts))]


# -- attribution ---------------------------------------------------------------------------------

def _attribute(state: StoryState, found: list[Found], i: int) -> None:
    f = found[i]
    p, span = f.paragraph, f.span
    masked = state.masked[p]
    s_start, s_end = f.sentence
    left = masked[s_start:span.open_pos]
    right_start = min(len(masked), span.close_pos + 1)
    right = masked[right_start:s_end]
    f.secondary = secondary_source(masked[max(s_start, span.open_pos - 300):min(s_end, right_start + 300)])
    if f.turn is not None:
        label, at = f.turn
        f.cue = Cue(None, label.title(), at, None, "transcript")
        f.speaker = _speaker(state, label.title(), state.offsets[p] + at, None, f)
        f.confidence = 0.85 if f.speaker else 0.3
        if f.speaker and f.speaker.name:
            state.history.append((f.start, f.speaker))
        return

    aside = _NAME_BEFORE_DASH.search(left) if _DASH_AFTER.match(right) else None
    if aside and _person_like(aside.group(1)):
        # "including the former candidate Mitt Romney -- ''It is disqualifying ...'' -- and ...":
        # words set off by dashes right after a person's name are that person's
        f.cue = Cue(None, aside.group(1), s_start + aside.start(1), None, "dash-aside")
        f.speaker = _speaker(state, aside.group(1), state.offsets[p] + s_start + aside.start(1), None, f)
        f.confidence = 0.75
        return
    cue = passive_by(left, right, right_start) or cue_after(right, right_start)
    if cue and cue.rule in ("X-said", "said-X") and _VERB_BEFORE_QUOTE.search(left[-60:]):
        # 'he said, "...," the prosecutor's office said': the words are his; the office reported them
        before = cue_before(left, s_start)
        if before is not None and before.speaker_text:
            if f.secondary is None:
                f.secondary = {"description": cue.speaker_text, "kind": "statement"}
            cue = before
    if cue and cue.rule == "X-said" and left.strip() and not left.rstrip().endswith((",", ":")) and \
            f.text[:1].islower() and cue_before(left, s_start):
        # "X said that ... 'partial' ... Y said": the nearer, earlier cue governs a partial quotation
        cue = cue_before(left, s_start)
    cue = cue or cue_before(left, s_start) or _sentence_final_cue(f.text, right, right_start)
    if cue is None and not left.strip(LEADERS) and p > 0 and span.open_pos <= 3:
        cue = _lead_in_from_previous_paragraph(state, p)
    if cue is None:
        return
    f.cue = cue
    if cue.via_earlier:
        earlier = state.sentence_speaker.get((p, f.sentence))
        if earlier:
            f.speaker = earlier
        else:
            subject, pos = sentence_subject(masked[s_start:span.open_pos])
            f.speaker = _speaker(state, subject, state.offsets[p] + s_start + pos, None, f) if subject else None
        f.confidence = 0.7 if f.speaker else 0.3
        return
    if cue.speaker_text:
        pos = state.offsets[p] + cue.speaker_pos if cue.speaker_pos >= 0 else f.start
        f.speaker = _speaker(state, cue.speaker_text, pos, cue.appositive, f)
        f.confidence = {"said-X": 0.92, "X-said": 0.9, "according-to": 0.85, "dubbed-by": 0.8, "dash": 0.75,
                        "colon-lead-in": 0.88, "X-said-that": 0.8}.get(cue.rule, 0.7)
        if f.speaker and f.speaker.mention and f.speaker.mention.lower() in PRONOUNS:
            f.confidence *= 0.9
        if f.speaker and f.speaker.name:
            state.history.append((f.start, f.speaker))
            state.sentence_speaker[(p, f.sentence)] = f.speaker
        if cue.rule == "according-to" and f.secondary is None:
            f.secondary = {"description": cue.speaker_text, "kind": "statement"} if re.search(
                r"statement|readout|report", cue.speaker_text, re.I) else None


_NAME_BEFORE_DASH = re.compile(rf"\b({NAME_SEQ})\s*(?:--|\u2014|\u2013)\s*$")
_DASH_AFTER = re.compile(r"\s*(?:--|\u2014|\u2013)")


def _sentence_final_cue(f_text: str, right: str, base: int) -> Optional[Cue]:
    """'The city "will recover" quickly, he said.': an attribution closing the sentence (its
    last 100 characters, after a comma) covers a quotation set anywhere in it."""
    if MASK in right or ";" in right or len(_WORD.findall(f_text)) < 2:
        return None         # one word ("likely") is too little to carry a sentence's attribution
    floor = max(0, len(right) - 100)
    comma = right.rfind(",")
    for _ in range(3):
        if comma < floor or comma <= 0:
            return None
        cue = cue_after(right[comma:], base + comma)
        if cue is not None:
            return cue
        comma = right.rfind(",", 0, comma)
    return None


def _lead_in_from_previous_paragraph(state: StoryState, p: int) -> Optional[Cue]:
    """'Hugh Hill, a doctor, said:' closing the paragraph before, then the quotation."""
    prev = state.masked[p - 1].rstrip()
    if not prev.endswith(":"):
        return None
    s_start = state.sentences[p - 1][-1][0]
    cue = cue_before(prev[s_start:], s_start)
    if cue and cue.speaker_pos >= 0:
        # speaker_pos is relative to paragraph p-1: express it in paragraph p's frame
        cue.speaker_pos -= state.offsets[p] - state.offsets[p - 1]
    return cue


_QUOTE_ENDS_SENTENCE = re.compile(r"([.!?\u2026])['\"\u2019\u201d]?$")
_SPACE_BEFORE_CAPITAL = re.compile(r"\s+(?=[A-Z])")
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


def _speaker(state: StoryState, text: str, pos: int, appositive: Optional[str], f: Found) -> Optional[Speaker]:
    text = text.strip()
    low = text.lower()
    words = low.split()
    if not words:
        return None
    if low in PRONOUNS:
        resolved = _resolve_pronoun(state, low, pos, text)
        if resolved.name and any(s.name == resolved.name for _, s in state.history):
            return resolved          # someone already quoted goes on speaking
        subject = _profile_subject_says(state, low, pos, f)
        return subject if subject is not None else resolved
    owned = _ORG_S_THING.match(text)
    if owned and re.sub(r"^(?:the|a|an)\s+", "", owned.group("org"), flags=re.I)[:1].isupper():
        # "TNO's report said", "Apple's spokesman said": the organisation speaks
        entity = state.index.fullest(owned.group("org"))
        name = entity.name if entity is not None else owned.group("org")
        return Speaker(name, text, "organization", None, None)
    person_of = _ORG_S_PERSON.match(text)
    if person_of and not _REPORT_WORD.search(text):
        # "NYU's Donefer": the person, with the organisation they belong to
        entity = state.index.fullest(person_of.group("name"), before=pos + len(text))
        if entity is not None and entity.kind == "person":
            return Speaker(entity.name, text, "person", entity.role, person_of.group("org"))
    titled = _ORG_ROLE.match(text)
    if titled and (titled.group("role").split()[-1] in ROLE_NOUNS or titled.group("role").split()[-1] in HONORIFICS):
        # "Nato's secretary general": whoever the story gives that role, before or just after
        near = _nearest_person(state, pos, depth=2)
        if near is not None and near.role and titled.group("role").split()[-1].lower() not in near.role.lower():
            near = None            # "Nato's secretary general" is not the Ukrainian president named before
        entity = (state.index.with_role(titled.group("role"), pos) or near
                  or _person_named_after(state, pos) or _nearest_person(state, pos))
        if entity is not None:
            return Speaker(entity.name, text, "person", titled.group("role"), titled.group("org"))
    listed = LISTED_ORG_NAME.search(text)
    if listed and listed.start() <= 4 and words[0] in ("the", listed.group(0).split()[0].lower()):
        return Speaker(listed.group(0), text, "organization", None, None)    # commas inside its name
    if len(words) >= 2 and words[-1] in GROUP_HEADS and _NAMED_GROUP.match(text):
        # "Canadian regulators", "Hong Kong police": a people's or a place's group, not a person
        return Speaker(text, text, "organization" if words[-1] in ("police", "authorities") else "group", None, None)
    name_text, pre_role, pre_org = split_prenominal(text)
    from_org = _NAME_FROM_ORG.match(name_text)
    if from_org and pre_role is None and _person_like(from_org.group(1)):
        # "Mr Jones from Somerdale International"
        name_text, pre_org = from_org.group(1), from_org.group(2)
    trailing = _CAPITALISED_TAIL.search(name_text) \
        if _LOWERCASE_WORD.search(name_text) and not _one_organisation_name(name_text) and \
        words[0] not in ("a", "an", "one") else None    # "a spokesperson for X" describes someone
    if pre_role is None and trailing and len(trailing.group(1).split()) >= 2:
        # "Skipper for the night Jonny Evans": the name is what ends it
        pre_role, name_text = name_text[:trailing.start()].strip(), trailing.group(1)
    if pre_role is None and (words[0] in ("the", "a", "an", "one", "another") or not text[0].isupper()):
        return _common_noun_speaker(state, text, words, pos, appositive)
    entity = state.index.fullest(name_text, before=pos + len(text))
    if entity is None:
        return None
    role, organization = _role_from(appositive)
    role, organization = role or pre_role, organization or pre_org
    kind = entity.kind if entity.kind != "name" else "person"
    if _STATEMENT_WORD.search(low):
        kind = "organization"
    return Speaker(entity.name, text, kind, role or (entity.role if entity.role else None),
                   organization or entity.organization)


_CONNECTORS = frozenset(("and", "&", "of", "for", "the"))


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
    if determiner == "the" and len(words) <= 3 and words[-1] in ANONYMOUS_HEADS:
        anonymous = [s for _, s in state.history if s.kind == "anonymous"]
        same_head = [s for s in anonymous if words[-1] in (s.name or "").lower().split()]
        generic = words[-1] in ("person", "source", "sources", "individual", "insider")
        earlier = (same_head or (anonymous if generic else []))[-1:] 
        if earlier:
            return Speaker(earlier[0].name, text, "anonymous", earlier[0].role, earlier[0].organization)
    if determiner == "the" and _AGED.search(text):
        # "said the powerfully built and bearded 25-year-old": the person just written about
        entity = _nearest_person(state, pos)
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
    if role_key and (role_key in ROLE_NOUNS or ((words[-1] in ROLE_NOUNS or last_two in ROLE_NOUNS) and len(words) <= 5)):
        wanted = role_key if role_key in ROLE_NOUNS else (last_two if last_two in ROLE_NOUNS else words[-1])
        entity = state.index.with_role(wanted, pos)
        if entity:
            return Speaker(entity.name, text, "person", entity.role, entity.organization)
        entity = _nearest_person(state, pos) or state.index.central_person(pos)
        if entity is not None:
            return Speaker(entity.name, text, "person", entity.role, entity.organization)
        for _, earlier in reversed(state.history[-3:]):
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
        kind = "anonymous" if words[-1] in ANONYMOUS_HEADS else "group"
        return Speaker(text, text, kind, None, None)
    return None


_AGED = re.compile(r"\b\d{1,3}-year-old$")
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
    subject = _dominant_person(state, pos)
    if subject is None or _other_gender(state, subject, _PRONOUN_GENDER[pronoun]):
        return None
    return Speaker(subject.name, pronoun, "person", subject.role, subject.organization)


def _resolve_pronoun(state: StoryState, pronoun: str, pos: int, mention: str) -> Speaker:
    wanted = PRONOUNS[pronoun]
    subject = _subject_of_sentence_at(state, pos)
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
        if entity is not None and entity.kind != "person":
            return Speaker(entity.name, mention, "organization" if entity.kind == "organization" else "group", None, None)
    if wanted == "person":
        described = _described_speaker_just_before(state, pos)
        if described is not None:
            return Speaker(described.name, mention, "anonymous", described.role, described.organization)
        entity = _nearest_person(state, pos, gender=_PRONOUN_GENDER.get(pronoun))
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
        for at, earlier in reversed(state.history[-3:]):
            if earlier.kind == "organization" and pos - at < 1500:
                return Speaker(earlier.name, mention, "organization", None, None)
        # "it" never means a person: the nearest name not known to be a person's (by title or role)
        for p_pos, entity in reversed(state.index.mentions_between(max(0, pos - 300), pos)):
            if entity.kind in ("organization", "name") or (entity.role is None and not _spoke_as_person(state, entity)):
                return Speaker(entity.name, mention, "organization", None, None)
    for _, earlier in reversed(state.history):
        if earlier.kind in ("group", "organization") and wanted != "person":
            return Speaker(earlier.name, mention, earlier.kind, earlier.role, earlier.organization)
    return Speaker(None, mention, "unknown", None, None)


_PRONOUN_GENDER = {"he": "m", "she": "f"}


def _nearest_person(state: StoryState, pos: int, depth: int = 6, gender: Optional[str] = None):
    """Who "he" or "she" is: in the nearest sentence naming a person (this one first, then back),
    the person who is its subject; else the person quoted just before, if recent; else the first
    person that sentence names. A person the story gave the other gender is never a candidate."""
    recent = _recent_person_speaker(state, pos)
    if recent is not None and _other_gender(state, recent, gender):
        recent = None
    k = bisect_left(state.sentence_starts, pos)
    bounds = [(s, min(e, pos)) for s, e in state.sentence_spans[max(0, k - depth):k]]
    for s, e in reversed(bounds):
        people = []
        for at, entity in state.index.mentions_between(s, e):
            full = entity if entity.kind == "person" else state.index.fullest(entity.name, before=pos)
            if full is not None and full.kind == "person" and not _masked_at(state, at) and \
                    not _other_gender(state, full, gender):
                people.append((at, full))
        subject = _subject_span(state, s, e)
        if not people and subject:
            # "Elilla, a trans woman living in Germany, said ...": a lone name that is the subject
            # of a reporting sentence is a person
            for at, entity in state.index.mentions_between(subject[0], subject[1]):
                if entity.kind == "name" and _introduced_as_speaker(state, subject[1]):
                    people.append((at, entity))
        if not people:
            continue
        subject = _subject_span(state, s, e)
        for at, person in people:
            if subject and subject[0] <= at < subject[1]:
                return person
        if recent is not None:
            for _, person in people:
                if person.name == recent.name:
                    return person
        if subject and _is_personal_pronoun(state, subject):
            # "From his stall at the FHA show, he introduces ...": still the one before
            if recent is not None:
                return recent
            continue
        return people[0][1]
    return None


def _described_speaker_just_before(state: StoryState, pos: int) -> Optional[Speaker]:
    """'A spokesperson for UCEA said ...' then '"...," he said.': the one described, when they were
    the last speaker, in this paragraph or the one before, with nobody named since."""
    if not state.history:
        return None
    at, last = state.history[-1]
    if last.kind != "anonymous" or bisect_right(state.offsets, pos) - bisect_right(state.offsets, at) > 1:
        return None
    named_since = any(not _masked_at(state, m_at) and (entity.kind == "person" or getattr(
                          state.index.fullest(entity.name, before=pos), "kind", None) == "person")
                      for m_at, entity in state.index.mentions_between(at, pos))
    return None if named_since else last


_NAMED_SUBJECT = re.compile(rf"(?:[Tt]he\s+)?({NAME_SEQ})")


def _named_subject_at(state: StoryState, pos: int) -> Optional[str]:
    """The whole capitalised name the sentence at pos opens with: "The United Nations Security
    Council on Friday ..." -> "United Nations Security Council"."""
    text = _sentence_up_to(state, pos)
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


def _recent_person_speaker(state: StoryState, pos: int):
    """The person quoted last, if that was within the last two paragraphs."""
    for at, speaker in reversed(state.history[-3:]):
        if speaker.kind == "person" and speaker.name and pos - at < 1500:
            entity = state.index.entities.get(speaker.name)
            if entity is None:
                entity = Entity(speaker.name, "person", tuple(speaker.name.split()), speaker.role, speaker.organization)
            return entity
    return None


def _subject_span(state: StoryState, s: int, e: int):
    """Story offsets of the subject of the sentence at [s, e)."""
    p = bisect_right(state.offsets, s) - 1
    local = s - state.offsets[p]
    text = state.masked[p][local:local + min(e - s, 200)]
    subject, at = sentence_subject(text)
    if not subject:
        return None
    return (s + at, s + at + len(subject))


def _sentence_up_to(state: StoryState, pos: int) -> Optional[str]:
    """The masked text of the sentence holding pos, from its start to pos (200 characters at most)."""
    k = bisect_right(state.sentence_starts, pos) - 1
    if k < 0:
        return None
    s, _ = state.sentence_spans[k]
    p = bisect_right(state.offsets, s) - 1
    local = s - state.offsets[p]
    return state.masked[p][local:local + min(pos - s, 200)]


def _subject_of_sentence_at(state: StoryState, pos: int):
    text = _sentence_up_to(state, pos)
    return sentence_subject(text)[0] if text else None


def _masked_at(state: StoryState, pos: int) -> bool:
    p = bisect_right(state.offsets, pos) - 1
    if p < 0:
        return False
    local = pos - state.offsets[p]
    return local < len(state.masked[p]) and state.masked[p][local] == MASK


# -- continuations and kinds ---------------------------------------------------------------------

def _continuations(state: StoryState, found: list[Found]) -> None:
    """A quotation with no cue of its own continues the one before it (same speaker) when it is a
    full sentence and the earlier one is in the same or the previous paragraph."""
    for i, f in enumerate(found):
        if f.chained_to is not None and f.speaker is None:
            first = f.chained_to
            f.speaker, f.confidence = found[first].speaker, found[first].confidence * 0.95
            f.kind = "continuation"
    # A chain attributed at its end ("...," he said after the last paragraph) gives its speaker back.
    for i in range(len(found) - 1, -1, -1):
        f = found[i]
        if f.chained_to is not None and f.speaker is not None and found[f.chained_to].speaker is None:
            found[f.chained_to].speaker = f.speaker
            found[f.chained_to].confidence = f.confidence * 0.95
            found[f.chained_to].cue = found[f.chained_to].cue or f.cue
    _same_sentence_speaker(found)
    prev = None
    for i, f in enumerate(found):
        if f.speaker is None and f.cue is None and not _is_sentence_quote(state, f) and _first_person_speech(f.text):
            # a profile: the subject's own words, set inside the writer's sentence with no cue
            # ('In fact, McCarthy is ... and "the character ... It was a lesson my character needed"')
            f.speaker = _as_speaker(_dominant_person(state, f.start))
            if f.speaker:
                f.confidence = 0.4
        if f.speaker is not None or f.cue is not None or not _is_sentence_quote(state, f):
            if f.speaker is not None:
                prev = f
            continue
        said_before = _speaker_of_previous_sentence(state, f)
        answerer = _answerer(found, i, prev)
        if said_before is not None:
            f.speaker, f.confidence, prev = said_before, 0.6, f
        elif answerer is not None:
            # '"... Do you dispute that?" Alito asked.' then '"There can be a minimal risk ..."':
            # in an exchange, the answer is the other party's
            f.speaker, f.confidence, prev = answerer, 0.55, f
        elif prev is not None and prev.speaker.name and _next_to(state, prev.paragraph, f.paragraph):
            f.speaker, f.kind = prev.speaker, "continuation"
            f.confidence = 0.65
            prev = f
        elif f.span.open_pos <= 3 and f.paragraph > 0:
            f.speaker = _floating_speaker(state, f)
            if f.speaker:
                f.confidence, prev = 0.5, f
        else:
            # a profile or an interview: an answer set in the writer's own narration, with no
            # cue, is the subject's ("There were many long nights. "Oh my God, every month...")
            f.speaker = _as_speaker(_dominant_person(state, f.start))
            if f.speaker:
                f.confidence, prev = 0.4, f


# What follows a speaking subject: its verb, or an appositive's comma.
_WORD_AFTER_SUBJECT = re.compile(r"\s*(,|[a-z][\w'\u2019-]*)")
_POSSESSIVE_END = re.compile(r"['\u2019]s$")
_NOT_AN_ACT = frozenset("and or of is was are were be been being 's".split())


def _subject_speaks(state: StoryState, found: list[Found]) -> None:
    """'In late March, Dr Fauci estimated "between 100,000 and 200,000" could die', 'He compared
    the effort to "a final exam you forgot about ..."': words quoted inside a sentence with no
    reporting verb, whose subject is a person, are that person's. Only a guess (low confidence),
    and it neither feeds later pronouns nor changes the quotation's kind."""
    for f in found:
        if f.speaker is not None or f.cue is not None or f.kind != "partial":
            continue
        masked = state.masked[f.paragraph]
        left = masked[f.sentence[0]:f.span.open_pos]
        subject, pos = sentence_subject(left)
        if not subject or subject.split()[0].lower() in ("the", "a", "an", "it", "they", "police", "officials") \
                or _POSSESSIVE_END.search(subject):
            continue      # "Mastodon's covenant requires ...", "It's ...": not the subject who speaks
        after = _WORD_AFTER_SUBJECT.match(left, pos + len(subject))
        if after is None or after.group(1) in _NOT_AN_ACT:
            continue      # 'RT is "providing ..."' describes RT; 'Filmmaker and former host ...'
        speaker = _speaker(state, subject, state.offsets[f.paragraph] + f.sentence[0] + pos, None, f)
        if speaker is not None and speaker.kind == "person" and len((speaker.name or "").split()) >= 2:
            # (a full name the story gives: a lone capitalised word may be no one, "Family members")
            f.speaker, f.confidence = speaker, 0.35


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


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my|we|our|us)\b")


def _same_sentence_speaker(found: list[Found]) -> None:
    """'Mr. Trump treated her remark as a compliment -- "That makes me smart" -- and later
    asserted, "Of course, I pay taxes."': words with no cue of their own, in a sentence whose other
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


_SPEAKING_PRONOUN = re.compile(r"\b(?:I|me|my|we|us|our|you|your)\b")


def _answerer(found: list[Found], i: int, prev: Optional[Found]) -> Optional[Speaker]:
    """After a question closing the paragraph before, the other person of the exchange: the
    last one quoted, within a few paragraphs, who is not the one asking."""
    f = found[i]
    if prev is None or prev.paragraph != f.paragraph - 1 or not prev.text.rstrip().endswith("?") or \
            f.span.open_pos > 3:
        return None
    asker = prev.speaker.name
    for j in range(i - 1, -1, -1):      # (no slice copy: this runs once a paragraph)
        earlier = found[j]
        if f.paragraph - earlier.paragraph > 4:
            return None
        speaker = earlier.speaker
        if speaker is not None and speaker.name and speaker.name != asker and speaker.kind == "person":
            return speaker
    return None


def _first_person_speech(text: str) -> bool:
    """Somebody speaking for themselves, at sentence length: not a phrase borrowed as a label."""
    return len(text.split()) >= 6 and bool(_FIRST_PERSON.search(text))


def _is_sentence_quote(state: StoryState, f: Found) -> bool:
    masked = state.masked[f.paragraph]
    s_start, s_end = f.sentence
    left = masked[s_start:f.span.open_pos].strip(LEADERS + ":")
    return not left and f.text[:1].isupper()


def _kinds(state: StoryState, found: list[Found]) -> None:
    for f in found:
        if _is_stage_direction(f.text):
            # "(CROSSTALK.)", "(Laughter)": a transcript's note, nobody's words
            f.kind, f.confidence, f.speaker, f.cue = "scare", 0.2, None, None
            continue
        if f.chained_to is not None and f.speaker is not None:
            f.kind = "continuation"
        if f.kind == "continuation":
            continue
        masked = state.masked[f.paragraph]
        left = masked[f.sentence[0]:f.span.open_pos].strip(LEADERS)
        starts_sentence = not left or left.endswith(":") or (left.endswith(",") and f.cue is not None
                                                                and f.cue.rule in ("colon-lead-in", "X-said-that"))
        full = f.text[:1].isupper() or f.text[:1] in ALL_MARKS or f.text[:1].isdigit()
        f.kind = "full" if (starts_sentence and full) else "partial"
        if _is_scare(state, f):
            # a scare quote or a title is nobody's speech: it never keeps (or steals) a speaker
            f.kind, f.confidence, f.speaker, f.cue = "scare", 0.2, None, None
        if f.speaker is None:
            f.confidence = min(f.confidence, 0.3)


def _is_scare(state: StoryState, f: Found) -> bool:
    """Scare quotes and titles ("no limits", 'Reversed Front: Bonfire'): short, in the middle of a
    sentence, used as a word rather than reported as speech."""
    words = _WORD.findall(f.text)
    if f.kind == "partial" and _title_like(f.text):
        return True            # a title or a name: "Face the Nation", Marcia "Cia" Price
    if f.kind != "partial" or len(words) > 4:
        return False
    if f.cue is None or f.speaker is None or f.cue.naming_only:
        return True
    # A short phrase with a cue and a speaker is theirs even when it reads as an adjective
    # ('Amnesty slammed the "utterly unacceptable" hate crimes', 'pledged a "standing army" of
    # officers'), unless it labels a thing of someone's: 'affirmed his "no limits" partnership'.
    text = state.paragraphs[f.paragraph]
    before = text[max(0, f.span.open_pos - 8):f.span.open_pos].split()
    after = re.match(r"\s+([a-z][\w-]*)", text[f.span.close_pos + 1:f.span.close_pos + 30]) if f.span.closed else None
    return bool(before) and before[-1].lower() in _LABEL_DETERMINERS and after is not None and \
        after.group(1) not in _FUNCTION_WORDS


_STAGE_DIRECTION = re.compile(r"\([^()]+\)\.?")


def _is_stage_direction(text: str) -> bool:
    return len(text) < 40 and _STAGE_DIRECTION.fullmatch(text.strip()) is not None
_LABEL_DETERMINERS = frozenset("a an his her its their our my your".split())
_FUNCTION_WORDS = frozenset("by to and or if as in on at for of from with than that which but when before after "
                            "because while said says is was were are has have had will would could can may might "
                            "should must did does do about over since until into onto upon against across through "
                            "during among like near not never only just even still already soon also then now "
                            "so yet too".split())


_TITLE_SMALL = set("a an the of and or to in on for at by with from de la le du van von".split())


def _title_like(text: str) -> bool:
    """Every significant word capitalised, short, no sentence inside: a title, not speech."""
    words = re.findall(r"[\w'\u2019-]+", text)
    if not words or len(words) > 8 or re.search(r"[.!?]\s+\w", text) or len(words) == 1 and len(text) > 20:
        return False
    significant = [w for w in words if w.lower() not in _TITLE_SMALL]
    if not significant or words[0][:1].islower():
        return False
    if len(words) == 1 and words[0].lower() in ("i", "yes", "no", "ok", "okay"):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() for w in significant)


def _floating_speaker(state: StoryState, f: Found) -> Optional[Speaker]:
    """A quotation standing alone as a paragraph, with no cue: the person the paragraph before is
    about -- whoever said or did something there ("The president also admitted ..."), else the
    person last named there."""
    p = f.paragraph - 1
    masked = state.masked[p]
    if masked.rstrip().endswith("?") and MASK not in masked:
        # an interviewer's question, then the answer: the person the story is about answers
        return _as_speaker(state.index.central_person(f.start))
    for s_start, s_end in reversed(state.sentences[p][-3:]):
        cue = cue_before(masked[s_start:s_end], s_start)
        if cue and cue.speaker_text and not cue.naming_only:
            speaker = _speaker(state, cue.speaker_text, state.offsets[p] + max(cue.speaker_pos, 0), cue.appositive, f)
            if speaker and speaker.name and speaker.kind == "person":
                return speaker
    entity = _nearest_person(state, f.start)
    if entity is not None and entity.mentions and max(entity.mentions) >= state.offsets[p]:
        return Speaker(entity.name, None, "person", entity.role, entity.organization)
    return _as_speaker(_dominant_person(state, f.start))


def _as_speaker(entity) -> Optional[Speaker]:
    if entity is None:
        return None
    return Speaker(entity.name, None, "person", entity.role, entity.organization)


def _dominant_person(state: StoryState, pos: int):
    """The story's subject, when one person clearly dominates it (a profile, an interview)."""
    person = state.index.central_person(pos)
    if person is None:
        return None
    own, everyone = state.index.central_share
    return person if own >= 3 and own * 3 >= everyone else None


def _spoke_as_person(state: StoryState, entity) -> bool:
    return any(s.name == entity.name and s.kind == "person" for _, s in state.history)


def _person_like(name: str) -> bool:
    """"Mr Jones", "Stephen Jones" -- not "Department" or "Health Ministry"."""
    titles, tokens = strip_titles(clean_name_tokens(name))
    return bool(tokens) and (bool(titles) or kind_of(tokens) == "person")


def _is_personal_pronoun(state: StoryState, span: tuple) -> bool:
    p = bisect_right(state.offsets, span[0]) - 1
    local = span[0] - state.offsets[p]
    return state.masked[p][local:local + span[1] - span[0]].lower() in ("he", "she")


def _speaker_of_previous_sentence(state: StoryState, f: Found) -> Optional[Speaker]:
    """'Elilla, a trans woman living in Germany, said Mastodon felt safer. "What counts ..."':
    a quotation with no cue, right after a sentence of the same paragraph reporting someone."""
    sentences = state.sentences[f.paragraph]
    k = sentences.index(f.sentence) if f.sentence in sentences else 0
    if k == 0:
        return None
    s_start, s_end = sentences[k - 1]
    sentence = state.masked[f.paragraph][s_start:s_end]
    if MASK in sentence:
        return None
    cue = cue_before(sentence, s_start)
    if cue is None or not cue.speaker_text or cue.naming_only:
        return None
    pos = state.offsets[f.paragraph] + max(cue.speaker_pos, 0)
    return _speaker(state, cue.speaker_text, pos, cue.appositive, f)


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
