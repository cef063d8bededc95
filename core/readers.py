"""The chain of readers that find a page's story: the plugin's own body selectors, the generic body
finder, the page's JSON-LD articleBody, then the longest run of paragraphs. The first that finds a
story wins and is named on the Article (`quoteledger parse` shows it); when none does, the Article
keeps the most any of them found and the names of the readers tried, and the pipeline warns."""
from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

from .htmltools import clean_text, element_text
from .model import Article, Paragraph

SELECTORS = "plugin selectors"
GENERIC = "generic"
JSON_LD = "json-ld articleBody"
PARAGRAPH_RUN = "longest paragraph run"

# Less text than this beyond the headline is no story: a page giving its headline and a line of
# labels ("Share", "2 min read") has not been read.
MIN_STORY_CHARS = 80
_WORDS = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r?\n")


def story_chars(paragraphs: list, headline: Optional[str]) -> int:
    """How much story text paragraphs hold: the outlet's words and quotations, the headline's
    repetition and embedded posts left out."""
    return sum(_story_lengths(paragraphs, headline))


def is_story(paragraphs: list, headline: Optional[str]) -> bool:
    """At least MIN_STORY_CHARS of story text. Counted only as far as that: every page is asked,
    and a story's first paragraph or two settle it (reading a whole story's words cost a text
    story a twentieth of its extraction)."""
    total = 0
    for length in _story_lengths(paragraphs, headline):
        total += length
        if total >= MIN_STORY_CHARS:
            return True
    return False


def _story_lengths(paragraphs: list, headline: Optional[str]) -> Iterable[int]:
    """The length of each paragraph of story text, in order (see story_chars)."""
    head = _WORDS.findall((headline or "").lower())
    for p in paragraphs:
        if p.kind != "embed" and not _same_words(p.text, head):
            yield len(p.text)


def _same_words(text: str, words: list) -> bool:
    """text's words, in lower case, are words: compared one by one, so that a paragraph is left
    at its first word unlike the headline's rather than split into words whole."""
    found = _WORDS.finditer(text.lower())
    for word in words:
        match = next(found, None)
        if match is None or match.group() != word:
            return False
    return next(found, None) is None


def read_story(article: Article, readers: Iterable[tuple[str, Callable[[], list]]]) -> None:
    """Try each (name, reader) in order; the first giving a story sets article.paragraphs and
    article.reader. Readers are called lazily: a page read by its first pays for no other."""
    tried: list[str] = []
    most: list = []
    for name, reader in readers:
        tried.append(name)
        paragraphs = reader() or []
        if is_story(paragraphs, article.headline):
            article.paragraphs, article.reader, article.readers_tried = paragraphs, name, tried
            return
        if story_chars(paragraphs, article.headline) > story_chars(most, article.headline):
            most = paragraphs
    article.paragraphs, article.reader, article.readers_tried = most, None, tried


def json_ld_paragraphs(ld: dict) -> list[Paragraph]:
    """The story as the page's JSON-LD gives it (articleBody): plain text, one paragraph a line,
    or HTML, read for its text."""
    body = ld.get("articleBody") if isinstance(ld, dict) else None
    if isinstance(body, list):
        body = "\n".join(b for b in body if isinstance(b, str))
    if not isinstance(body, str) or not body.strip():
        return []
    if "<" in body and re.search(r"</?(?:p|br|div)\b", body, re.I):
        from .htmltools import parse_html
        tree = parse_html(f"<html><body>{body}</body></html>")
        parts = [element_text(p) for p in tree.iter("p")] or [element_text(tree)]
    else:
        parts = _PARAGRAPH_BREAK.split(body)
    return [Paragraph(text) for text in (clean_text(p) for p in parts) if text]


def paragraph_run(tree) -> list[Paragraph]:
    """The last resort: the paragraphs of the element holding the most paragraph text."""
    from .htmlarticle import densest_paragraphs
    out = []
    for el in densest_paragraphs(tree):
        text = element_text(el)
        if text:
            out.append(Paragraph(text, "blockquote" if el.tag == "blockquote" else "text"))
    return out


def fallbacks(tree, ld: dict) -> list[tuple[str, Callable[[], list]]]:
    """The readers every page may fall back on, after its plugin's and the generic one."""
    return [(JSON_LD, lambda: json_ld_paragraphs(ld)), (PARAGRAPH_RUN, lambda: paragraph_run(tree))]
