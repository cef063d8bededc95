"""The pipeline's own types: a document as read, an article as parsed, a quotation as found.

The JSON shape of what leaves the pipeline lives in schemas/; records.py turns these into it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class Document:
    """One input as read: a file, standard input, or one story cut out of a container page."""

    source: str
    text: str
    is_html: bool
    url: Optional[str] = None
    # When the page was fetched (ISO 8601), where the archive or crawl dump it came from says.
    fetched: Optional[str] = None
    # What a container page said about this story: {"outlet": "BBC News", "chain": [...], "headline": ...}
    hints: dict = field(default_factory=dict)
    _tree: Any = field(default=None, repr=False)
    # (text, its UTF-8 bytes) as read from a file: parsing and hashing a page take the bytes
    # instead of encoding it again. Kept beside the text it spells, so it is used only while
    # document.text is still that very string (a plugin may replace it).
    _utf8: Any = field(default=None, repr=False, compare=False)

    def keep_utf8(self, data: bytes) -> None:
        """Remember data as the UTF-8 spelling of the document's current text."""
        self._utf8 = (self.text, data)

    def utf8(self) -> Optional[bytes]:
        """The text's UTF-8 bytes when reading kept them, else None."""
        kept = self._utf8
        return kept[1] if kept is not None and kept[0] is self.text else None

    def tree(self):
        """The parsed HTML tree, parsed once and only when a plugin asks for it."""
        if self._tree is None and self.is_html:
            from .htmltools import parse_html

            self._tree = parse_html(self.text, self.utf8())
        return self._tree


@dataclass
class Paragraph:
    """One block of story text. kind 'blockquote' marks a quotation set apart without marks;
    'embed' an embedded social post (kept, but not the outlet's words); 'heading' a subheading
    inside the story and 'item' a list item, table row or code block (story text, not prose)."""

    text: str
    kind: str = "text"


@dataclass
class Article:
    outlet: Optional[str] = None
    publisher: Optional[str] = None
    edition: Optional[str] = None
    headline: Optional[str] = None
    byline: list = field(default_factory=list)
    published: Optional[str] = None
    modified: Optional[str] = None
    url: Optional[str] = None
    fetched: Optional[str] = None
    section: Optional[str] = None
    dateline: Optional[str] = None
    paragraphs: list = field(default_factory=list)
    chain: list = field(default_factory=list)
    plugin: Optional[str] = None
    # Which reader found the story (core/readers.py), and the readers tried; reader is None
    # when none found one.
    reader: Optional[str] = None
    readers_tried: list = field(default_factory=list)

    PARAGRAPH_SEPARATOR = "\n\n"

    # Not searched for quotations: a post is not the outlet's words; a subheading is a label, and
    # a news page's lists are summaries repeating the story's own quotations ("Story highlights").
    NOT_QUOTED = ("embed", "heading", "item")

    def story_paragraphs(self) -> list:
        """Paragraphs the quote engine reads: the outlet's own words and block quotations."""
        return [p for p in self.paragraphs if p.kind not in self.NOT_QUOTED]

    def story_text(self) -> str:
        return self.PARAGRAPH_SEPARATOR.join(p.text for p in self.story_paragraphs())


@dataclass
class Speaker:
    name: Optional[str] = None
    mention: Optional[str] = None
    kind: str = "unknown"
    role: Optional[str] = None
    organization: Optional[str] = None

    def as_dict(self) -> dict:
        return {"name": self.name, "mention": self.mention, "kind": self.kind,
                "role": self.role, "organization": self.organization}


@dataclass
class Quotation:
    """A quotation found in a story: offsets are into Article.story_text()."""

    text: str
    start: int
    end: int
    paragraph: int
    kind: str = "full"
    cue: Optional[str] = None
    speaker: Speaker = field(default_factory=Speaker)
    confidence: float = 0.5
    secondary_source: Optional[dict] = None
