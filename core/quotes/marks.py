"""Quotation marks: which marks open, close, or are apostrophes, and how they pair.

One left-to-right pass with a small stack, so the time is linear in the paragraph whatever its
marks. Handles straight and curly, double and single, ''...'' pairs, nesting, mismatched pairs
('like this"), the news convention of reopening a quotation at each paragraph (even when a
scraper has run the paragraphs together), and marks that never close.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

DOUBLE_OPENERS = "\u201c\u201e\u00ab\u201f"      # “ „ « ‟
DOUBLE_CLOSERS = "\u201d\u00bb"                  # ” »
SINGLE_OPENERS = "\u2018\u201a\u2039\u201b"      # ‘ ‚ ‹ ‛
SINGLE_CLOSERS = "\u203a"                        # ›
SINGLE_CLOSE_OR_APOSTROPHE = "\u2019"            # ’
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
ALL_MARKS = (DOUBLE_OPENERS + DOUBLE_CLOSERS + SINGLE_OPENERS + SINGLE_CLOSERS
             + SINGLE_CLOSE_OR_APOSTROPHE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE)
OPENING_CONTEXT = "([{\u2014\u2013\u2015-/:"
CLOSING_CONTEXT = ".,;:!?)]}\u2014\u2013\u2015-/\u2026"
SENTENCE_END = ".!?\u2026"
# What may stand before a quotation that opens its paragraph: spaces, dashes, list bullets.
LEADERS = " \u2014\u2013-\u2022\u25aa\u2023\u25e6"
MAX_DEPTH = 12
# A single-quote "closer" after an s, far from its opener, is a plural possessive (voters').
MAX_POSSESSIVE_SPAN = 160


@dataclass
class Mark:
    pos: int
    family: str       # "double" | "single"
    role: str         # "open" | "close" | "either"


@dataclass
class Span:
    """A quotation found by its marks: content is text[start:end]; open/close are mark positions."""

    open_pos: int
    close_pos: int            # position of the closing mark, or len(text) when it runs to the end
    start: int
    end: int
    closed: bool = True       # False: runs to the paragraph's end (news convention) or was cut
    reopens: bool = False     # opened right after the previous span was cut at a sentence end
    mismatched: bool = False
    family: str = "double"
    # quotations inside this one's words, one level down ("the officers shouted 'Get down!'")
    inner: tuple = ()


# The sets classify tests every mark against, joined once (classify runs for every mark of a story).
_DOUBLE_FAMILY = DOUBLE_OPENERS + DOUBLE_CLOSERS + STRAIGHT_DOUBLE
_OPENERS = DOUBLE_OPENERS + SINGLE_OPENERS
_CLOSERS = DOUBLE_CLOSERS + SINGLE_CLOSERS + SINGLE_CLOSE_OR_APOSTROPHE
_APOSTROPHES = (STRAIGHT_SINGLE, SINGLE_CLOSE_OR_APOSTROPHE)


def _mark_positions(text: str) -> list[int]:
    """Where text holds a quotation mark or apostrophe, in order. A C-speed search for each kind
    of mark the text holds: about twice as fast as a regular expression's class, which tests
    every character of the story against the set."""
    found: list[int] = []
    for mark in ALL_MARKS:
        if mark in text:
            at = text.find(mark)
            while at >= 0:
                found.append(at)
                at = text.find(mark, at + 1)
    found.sort()
    return found


def classify(text: str) -> list[Mark]:
    marks: list[Mark] = []
    n = len(text)
    for i in _mark_positions(text):
        ch = text[i]
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch in _APOSTROPHES and prev and nxt and prev.isalnum() and nxt.isalnum():
            continue                       # Russia's, don't, you're
        if ch == STRAIGHT_SINGLE and (nxt == ch) != (prev == ch):
            doubled = _doubled_single_role(text, i if nxt == ch else i - 1)
            if doubled is not None:
                marks.append(Mark(i, "single", doubled))
                continue
        family = "double" if ch in _DOUBLE_FAMILY else "single"
        left_edge = not prev or prev.isspace() or prev in OPENING_CONTEXT or prev in ALL_MARKS
        right_edge = not nxt or nxt.isspace() or nxt in CLOSING_CONTEXT or nxt in ALL_MARKS
        can_open = left_edge and bool(nxt) and not nxt.isspace()
        can_close = right_edge and bool(prev) and not prev.isspace()
        if ch in DOUBLE_OPENERS and can_close and not can_open and prev in ",.!?\u2026":
            role = "close"                 # '"It's unusual,“ said Larry Noble': an opener typed as the closer
        elif ch in _OPENERS:
            role = "open"
        elif ch in _CLOSERS:
            if not can_close and ch == SINGLE_CLOSE_OR_APOSTROPHE and can_open:
                role = "open"              # ’ typed for ‘ at a word's start
            else:
                role = "close"
        elif can_open and can_close:
            role = "either"
        elif can_open:
            role = "open"
        elif can_close:
            role = "close"
        elif ch == STRAIGHT_DOUBLE and (prev in SENTENCE_END or prev == ",") and nxt.isupper():
            # 'said Tim Kaine."So that is ...', '"..., audiences,"Katie Packer said': a scrape lost the space
            role = "either"
        elif prev.isspace() and nxt.isspace():
            role = "spaced"                # ' Taiwan independence' or ...outreach,' " he told: decided in pair()
        else:
            continue
        if family == "single" and role == "open" and prev and prev.isalnum():
            continue
        marks.append(Mark(i, family, role))
    return marks


def _doubled_single_role(text: str, first: int) -> Optional[str]:
    """Two straight single marks typed for a double one (''like this''), set apart by spaces on both
    sides: 'coalitions, \'\' said Mr. Lee', '\'Park Avenue,\'  \'\' she noted'. Read one by one, the
    first would open and the second close; as one mark, it closes after a clause's end (a comma, a
    stop, an inner quotation's closing mark) and opens otherwise. None: the marks touch a word, and
    each is read on its own as before."""
    before = text[first - 1] if first > 0 else ""
    after = text[first + 2] if first + 2 < len(text) else ""
    if not before.isspace() or not (after.isspace() or not after):
        return None
    k = first - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return "close" if k >= 0 and text[k] in _CLAUSE_END_BEFORE_CLOSER else "open"


_CLAUSE_END_BEFORE_CLOSER = ",.;:!?\u2026'\u2019\u201d"
_INNER_CLOSE_BEFORE = re.compile("[,.!?\u2026]['\u2019]\\s$")


def _reopens_after_sentence(text: str, pos: int) -> bool:
    """An opening mark right after a sentence's end: in news copy run together from several
    paragraphs, this is the next paragraph of the same quotation reopening."""
    j = pos - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    if j == pos - 1:
        return False
    return j >= 0 and text[j] in SENTENCE_END


def _possessive(text: str, mark: Mark, opener: Mark) -> bool:
    prev = text[mark.pos - 1] if mark.pos else ""
    nxt = text[mark.pos + 1] if mark.pos + 1 < len(text) else ""
    return (mark.family == "single" and prev in "sSzZ" and (not nxt or nxt == " ")
            and mark.pos - opener.pos > MAX_POSSESSIVE_SPAN)


def _possessive_like(text: str, mark: Mark) -> bool:
    """s' followed by a word: "the voters' anger" as often as "'brunettes' by"."""
    prev = text[mark.pos - 1] if mark.pos else ""
    after = text[mark.pos + 1:mark.pos + 3]
    return mark.family == "single" and prev in "sSzZ" and len(after) == 2 and after[0] == " " and after[1].islower()


def _later_single_closer(marks: list[Mark]) -> list[bool]:
    """For each mark: is there a single-quote closer after it, before the next single opener?"""
    out = [False] * len(marks)
    seen = False
    for k in range(len(marks) - 1, -1, -1):
        out[k] = seen
        m = marks[k]
        if m.family == "single":
            if m.role == "open":
                seen = False
            elif m.role in ("close", "either"):
                seen = True
    return out


def pair(text: str) -> tuple[list[Span], list[Mark]]:
    """All spans (nested ones too) and the openers left unclosed at the end."""
    spans: list[Span] = []
    stack: list[tuple[Mark, bool]] = []     # (opener, reopens)
    marks = classify(text)
    closer_follows = _later_single_closer(marks)
    for k, mark in enumerate(marks):
        same = _last_of_family(stack, mark.family)
        if mark.role == "spaced":
            # a mark with space on both sides closes a pending quotation when speech words follow
            # ('...outreach,' " he told'), and otherwise opens one (' Taiwan independence')
            after = text[mark.pos + 1:mark.pos + 3].lstrip()
            # (and '... like, 'Oh, this is important,' " Magel said': an inner quotation just closed)
            inner_closed = _INNER_CLOSE_BEFORE.search(text, max(0, mark.pos - 4), mark.pos)
            mark.role = "close" if same is not None and (after[:1].islower() or inner_closed) else "open"
        if mark.role == "close" and closer_follows[k] and _possessive_like(text, mark):
            continue                       # 'The voters' anger is real,' -- the later mark closes
        if mark.role == "close" or (mark.role == "either" and same is not None):
            if same is not None and not _possessive(text, mark, stack[same][0]):
                opener, reopens = stack[same]
                del stack[same:]
                spans.append(Span(opener.pos, mark.pos, opener.pos + 1, mark.pos, reopens=reopens,
                                  family=mark.family))
            elif stack and mark.role == "close" and _mismatch_closes(text, mark, stack[-1][0]):
                opener, reopens = stack.pop()
                spans.append(Span(opener.pos, mark.pos, opener.pos + 1, mark.pos, reopens=reopens,
                                  mismatched=True, family=opener.family))
            continue
        reopens = False
        if same is not None and _reopens_after_sentence(text, mark.pos):
            opener, was_reopen = stack[same]
            del stack[same:]
            cut = mark.pos
            while cut > opener.pos + 1 and text[cut - 1].isspace():
                cut -= 1
            spans.append(Span(opener.pos, cut, opener.pos + 1, cut, closed=False, reopens=was_reopen,
                              family=opener.family))
            reopens = True
        if len(stack) >= MAX_DEPTH:
            del stack[0]
        stack.append((mark, reopens))
    spans.sort(key=lambda s: (s.open_pos, -s.close_pos))
    return spans, [m for m, _ in stack]


def _last_of_family(stack: list, family: str) -> Optional[int]:
    """Where in the stack the innermost opener of this family is, or None."""
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0].family == family:
            return k
    return None


def _mismatch_closes(text: str, mark: Mark, opener: Mark) -> bool:
    """'Reversed Front: Bonfire" -- a closer of the other family ends an opener with no partner."""
    if opener.family == mark.family:
        return False
    if mark.family == "double":
        return True
    prev = text[mark.pos - 1] if mark.pos else ""
    return prev in ",.!?"


def top_level(spans: list[Span]) -> list[Span]:
    """Outermost spans; a span whose whole content is one inner span (''like this'') is unwrapped."""
    out: list[Span] = []
    for span in spans:
        if out and span.open_pos < out[-1].close_pos:
            outer = out[-1]
            if span.open_pos == outer.start and span.close_pos + 1 == outer.close_pos:
                out[-1] = Span(outer.open_pos, outer.close_pos, span.start, span.end, outer.closed,
                               outer.reopens, outer.mismatched or span.mismatched, outer.family)
            continue
        out.append(span)
    return out


def find_spans(text: str, next_paragraph: str = "") -> list[Span]:
    """Top-level quotation spans of one paragraph. An opener left unclosed runs to the paragraph's
    end only when the next paragraph reopens with a mark (the news convention); otherwise it is
    dropped, so a stray mark never swallows the rest of the page."""
    spans, unclosed = pair(text)
    if unclosed:
        first = unclosed[0]
        nxt = next_paragraph.lstrip(LEADERS)
        # A paragraph that opens with a mark and never closes is a quotation to its end, whether the
        # next paragraph reopens (the news convention) or the scrape lost the closing mark.
        # So does one opened after a colon ('Alito cut her off: "No, I'm not ...' to the end).
        lead = text[:first.pos].strip(LEADERS)
        opens_paragraph = not lead or lead.endswith(":")
        if any(s.open_pos == first.pos + 1 for s in spans):
            opens_paragraph = False        # '""It was ...," he said': a doubled opening mark
        if (opens_paragraph or (nxt and nxt[0] in ALL_MARKS)) and all(s.close_pos <= first.pos or s.open_pos > first.pos for s in spans):
            end = len(text.rstrip())
            inner = [s for s in spans if s.open_pos > first.pos]
            spans = [s for s in spans if s.open_pos < first.pos] + [
                Span(first.pos, end, first.pos + 1, end, closed=False, family=first.family)] + inner
            spans.sort(key=lambda s: (s.open_pos, -s.close_pos))
    outer = top_level(spans)
    if len(outer) < len(spans):
        _attach_inner(outer, spans)
    result = []
    for span in outer:
        start, end = span.start, span.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and not (span.family == "single" and end - start <= 2 and text[start:end].isalpha()):
            span.start, span.end = start, end      # 'n' in rock 'n' roll is no quotation
            result.append(span)
    return result


def _attach_inner(outer: list[Span], spans: list[Span]) -> None:
    """Give each outermost span the closed spans one level inside its words (the marks of speech
    reported inside speech), leaving out the one an unwrapped ''pair'' already is."""
    k = 0
    for span in outer:
        while k < len(spans) and spans[k].open_pos < span.start:
            k += 1          # (both lists run in story order: one pass over the spans)
        if span.mismatched or (not span.closed and span.open_pos > 3):
            continue        # (an opener left open mid-paragraph may hold quotations of its own)
        children: list[Span] = []
        for candidate in spans[k:]:
            if candidate.open_pos >= span.close_pos:
                break
            if candidate.open_pos >= span.start and candidate.close_pos < span.close_pos and candidate.closed and \
                    not (children and candidate.open_pos < children[-1].close_pos):
                children.append(candidate)
        span.inner = tuple(children)
