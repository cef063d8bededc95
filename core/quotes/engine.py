"""The quote engine: every direct quotation in a story's paragraphs, with its kind, cue, speaker
and secondary source. Spans come from marks.py (via story.py), the order of attribution rules
from sieve.py, cues from attribution.py, speakers from resolve.py, names from names.py.

Offsets are into the story text: the paragraphs joined by a blank line (Article.story_text)."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Optional

from ..model import Quotation, Speaker
from .sieve import attribute
from .story import Found, StoryState, mask_story, quotations_by_marks

# Where a development tool collects which sieve step attributed each quotation (see tracing()).
_TRACE: ContextVar[Optional[list]] = ContextVar("quoteledger_sieve_trace", default=None)


def find_quotations(paragraphs: list[str], kinds: Optional[list[str]] = None, style=None,
                    headline: Optional[str] = None) -> list[Quotation]:
    found = read_story(paragraphs, kinds, headline)
    trace = _TRACE.get()
    if trace is not None:
        trace.extend(found)
    return [Quotation(f.text, f.start, f.end, f.paragraph, f.kind, f.cue.verb if f.cue else None,
                      f.speaker or Speaker(), round(f.confidence, 3), f.secondary) for f in found]


def read_story(paragraphs: list[str], kinds: Optional[list[str]] = None,
               headline: Optional[str] = None) -> list[Found]:
    """The story's quotations as the sieve leaves them: each with the step (and resolver) that
    gave its speaker."""
    kinds = kinds or ["text"] * len(paragraphs)
    state = StoryState.of(paragraphs, headline)
    found = quotations_by_marks(paragraphs, kinds, state.offsets)
    mask_story(state, found)
    attribute(state, found)
    return found


@contextmanager
def tracing() -> Iterator[list]:
    """Collect, for every story read inside the block (in this thread), its Found records, which
    name the sieve step that attributed each quotation: `with tracing() as found: ...`."""
    collected: list = []
    token = _TRACE.set(collected)
    try:
        yield collected
    finally:
        _TRACE.reset(token)
