"""A story as the quote engine reads it: its quotations found by their marks (the Found records
the sieve fills in), its paragraphs with every quotation masked out, and its sentences.

Offsets are into the story text: the paragraphs joined by a blank line (Article.story_text)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from ..model import Speaker
from .attribution import MASK, Cue, cue_after, sentence_subject
from .marks import ALL_MARKS, LEADERS, Span, find_spans
from .names import StoryIndex

PARAGRAPH_SEPARATOR = "\n\n"
_ABBREVIATIONS = set("mr mrs ms dr st sen rep gov gen lt col sgt jr sr inc corp co ltd no vs u.s u.k u.n "
                     "jan feb aug sept oct nov dec a.m p.m e.g i.e etc prof rev capt maj adm cmdr mt ft "
                     # the titles a name may follow (lexicon.CAP_WORD): "said Del. Stacey Plaskett"
                     "del amb supt insp det cpl pvt msgr fr hon atty sec pres cllr coun".split())
# A run of stops (not the tail of a longer run), closing marks, space, and what opens a sentence.
# (It opens with the stop itself, its look-behind after it: the regex engine then skips straight
# to the next stop instead of trying the whole pattern at every character.)
_SENTENCE_BREAK = re.compile(r"[.!?\u2026](?<![.!?\u2026][.!?\u2026])[.!?\u2026]*[\"'\u201d\u2019)]*\s+"
                             r"(?=[A-Z" + MASK + r"\"'\u201c\u2018(])")


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
    turn: Optional[tuple] = None          # ("WALLACE", paragraph offset): a transcript turn's label
    step: Optional[str] = None            # the sieve step that gave the speaker (see sieve.py)
    resolver: Optional[str] = None        # the resolver that read the mention (see resolve.py)


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
    thing_mentions: Optional[dict] = None                  # mention's place -> written as a thing's (resolve.py)

    @classmethod
    def of(cls, paragraphs: list[str], headline: Optional[str] = None) -> "StoryState":
        offsets, pos = [], 0
        for text in paragraphs:
            offsets.append(pos)
            pos += len(text) + len(PARAGRAPH_SEPARATOR)
        return cls(paragraphs, offsets, StoryIndex(paragraphs, offsets, headline))


# -- spans ---------------------------------------------------------------------------------------

def quotations_by_marks(paragraphs: list[str], kinds: list[str], offsets: list[int]) -> list[Found]:
    """Every quotation of the story, found by its marks, in story order."""
    found: list[Found] = []
    carried = _unmarked_continuations(paragraphs, kinds)
    for p, text in enumerate(paragraphs):
        if kinds[p] == "embed":
            continue
        nxt = paragraphs[p + 1] if p + 1 < len(paragraphs) else ""
        lost_opener = None if p in carried else _lost_opening_mark(paragraphs, kinds, p)
        if p in carried:
            spans = [_whole_paragraph(text, find_spans(text, nxt) if "'" in text or "\u2018" in text else ())]
        elif lost_opener is not None:
            spans = [lost_opener]
        else:
            spans = find_spans(text, nxt)
        if kinds[p] == "blockquote" and not _mostly_quoted(text, spans):
            spans = [_whole_paragraph(text, spans)]
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


def _whole_paragraph(text: str, marked=()) -> Span:
    """The paragraph as one quotation; the closed quotations its marks show are inside it."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in ALL_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ALL_MARKS):
        end -= 1
    inner = tuple(s for s in marked if s.closed and not s.mismatched and start <= s.open_pos and s.close_pos < end)
    return Span(0, len(text), start, end, closed=True, inner=inner)


def mask_story(state: StoryState, found: list[Found]) -> None:
    """Each paragraph with its quotations masked (so a quotation's own words never become a
    speaker), its sentences, and the sentence holding each quotation."""
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


_QUOTE_ENDS_SENTENCE = re.compile(r"([.!?\u2026])['\"\u2019\u201d]?$")
_SPACE_BEFORE_CAPITAL = re.compile(r"\s+(?=[A-Z])")


# -- looking things up in the masked story ---------------------------------------------------------

def masked_at(state: StoryState, pos: int) -> bool:
    """Is the story character at pos inside a quotation?"""
    p = bisect_right(state.offsets, pos) - 1
    if p < 0:
        return False
    local = pos - state.offsets[p]
    return local < len(state.masked[p]) and state.masked[p][local] == MASK


def sentence_up_to(state: StoryState, pos: int) -> Optional[str]:
    """The masked text of the sentence holding pos, from its start to pos (200 characters at most)."""
    k = bisect_right(state.sentence_starts, pos) - 1
    if k < 0:
        return None
    s, _ = state.sentence_spans[k]
    p = bisect_right(state.offsets, s) - 1
    local = s - state.offsets[p]
    return state.masked[p][local:local + min(pos - s, 200)]


def subject_span(state: StoryState, s: int, e: int):
    """Story offsets of the subject of the sentence at [s, e)."""
    p = bisect_right(state.offsets, s) - 1
    local = s - state.offsets[p]
    text = state.masked[p][local:local + min(e - s, 200)]
    subject, at = sentence_subject(text)
    if not subject:
        return None
    return (s + at, s + at + len(subject))


def subject_of_sentence_at(state: StoryState, pos: int):
    text = sentence_up_to(state, pos)
    return sentence_subject(text)[0] if text else None


def is_personal_pronoun(state: StoryState, span: tuple) -> bool:
    p = bisect_right(state.offsets, span[0]) - 1
    local = span[0] - state.offsets[p]
    return state.masked[p][local:local + span[1] - span[0]].lower() in ("he", "she")
