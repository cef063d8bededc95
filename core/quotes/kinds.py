"""What kind of quotation each one is: a full sentence, a partial quotation inside the writer's
sentence, a continuation of the one before, or a scare quote or title (nobody's speech, never given
a speaker)."""
from __future__ import annotations

import re

from .marks import ALL_MARKS, LEADERS
from .story import Found, StoryState

_WORD = re.compile(r"\w+")


def set_kinds(state: StoryState, found: list[Found]) -> None:
    """Each quotation's kind; a scare quote or a stage direction loses any speaker it was given."""
    for f in found:
        if _is_stage_direction(f.text):
            # "(CROSSTALK.)", "(Laughter)": a transcript's note, nobody's words
            f.kind, f.confidence, f.speaker, f.cue, f.step = "scare", 0.2, None, None, None
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
            f.kind, f.confidence, f.speaker, f.cue, f.step = "scare", 0.2, None, None, None
        if f.speaker is None:
            f.confidence = min(f.confidence, 0.3)


def _is_scare(state: StoryState, f: Found) -> bool:
    """Scare quotes and titles ("no limits", 'Reversed Front: Bonfire'): short, in the middle of a
    sentence, used as a word rather than reported as speech."""
    if f.kind == "partial" and title_like(f.text):
        return True            # a title or a name: "Face the Nation", Marcia "Cia" Price
    if f.kind != "partial" or len(_WORD.findall(f.text)) > 4:
        return False           # (a full quotation's words are never counted: most are long)
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


def title_like(text: str) -> bool:
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

