"""Plain-text stories (as aggregators and scrapers republish them): headline, dateline, paragraphs,
with site furniture left out."""
from __future__ import annotations

import re
from typing import Optional

from .model import Article, Document, Paragraph

# Lines that are a site's furniture, never story text.
FURNITURE_LINE = re.compile(
    r"^\s*(?:logo|hashtags|comments|no comments yet\.*|related articles|try our ai features|"
    r"explore what .{0,40} can do for you:?|download the app|get started now:?.*|orange background|"
    r"app-store\s*play-store|read (?:the rest|more) here\.?|advertisement|share this article|"
    r"sign up for (?:the )?[\w ]{1,40} newsletter|click to share on [\w/ ]+(?: \(opens in new window\))?|"
    r"follow us on [\w ]{1,30}|read more:?)\s*$", re.I)
# Furniture glued inside a scraped line.
FURNITURE_INLINE = re.compile(
    r"Click to share on [\w/ ]+ \(Opens in new window\)\s*|"
    r"Sign up for (?:the )?[\w ]{1,40}? newsletter Sign up\s*|"
    r"Unlock even more award-winning articles as The Sun launches brand new membership programme - Sun Club\.?\s*|"
    r"\bread more on [a-z]+ [A-Z][A-Z' ]+[A-Z] [^.!?]*?(?=\s[A-Z][a-z]+ [a-z])\s*",
)
# "7 Caption text Credit: PA" gallery captions pasted into the body.
CAPTION_INLINE = re.compile(r"(?:(?<=\s)|^)\d{1,2} (?:[^.!?]{0,160}?)Credit: [A-Z][\w ]{0,30}?(?=\s\d{1,2}\s|\s[A-Z]|$)\s*")
_DIGIT_GAP = re.compile(r"\d \d|\d\s*$")
STRAY_COUNTERS = re.compile(r"(?:(?<=\s)|^)(?:\d{1,2} ){2,}(?=\S|$)|(?:(?<=\s)\d{1,2})+\s*$")
_SPACE_RUN = re.compile(r"\s{2,}")
# "NBC News25-02-2025": the outlet and date line some scrapes keep
_OUTLET_DATE = re.compile(r"^(?P<outlet>[A-Z][\w .&']{1,40}?)\s*(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})$")
RELATIVE_TIME = re.compile(r"^\s*(?:time)?\s*(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\s*$", re.I)

# "SINGAPORE, Aug 14 (Reuters) -", "BEIJING —", "WASHINGTON (AP) —"
DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[A-Z][A-Z.'\-]+(?:[ /][A-Z][A-Z.'\-]+)*)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?\s*(?:\((?P<agency>[A-Za-z .]+)\))?\s*[-\u2013\u2014]+)\s+")


def split_dateline(text: str) -> tuple[Optional[str], Optional[str], str]:
    """(dateline, agency, rest) when the paragraph opens with a dateline."""
    m = DATELINE.match(text)
    if not m:
        return None, None, text
    return m.group("dateline").strip(), m.group("agency"), text[m.end():]


def clean_inline(line: str) -> str:
    # cheap substring checks first: these patterns are costly to run over every line
    if "Click to share" in line or "Sign up" in line or "Unlock even more" in line or "read more on" in line:
        line = FURNITURE_INLINE.sub("", line)
    if "Credit:" in line:
        line = CAPTION_INLINE.sub("", line)
    if _may_hold_digits(line) and _DIGIT_GAP.search(line):
        line = STRAY_COUNTERS.sub("", line)
    # Every space character but " " is unprintable: a printable line without "  " has no run.
    if "  " in line or not line.isprintable():
        line = _SPACE_RUN.sub(" ", line)
    return line.strip()


def _may_hold_digits(line: str) -> bool:
    """False only when line surely has no \\d: ASCII (an O(1) test) and none of 0-9 in it."""
    return not line.isascii() or any(d in line for d in "0123456789")


def story_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or FURNITURE_LINE.match(line) or RELATIVE_TIME.match(line):
            continue
        line = clean_inline(line)
        if line:
            lines.append(line)
    return lines


def parse_text_story(document: Document, outlet_name: Optional[str] = None) -> Article:
    """First line the headline (unless the container named it), the rest paragraphs."""
    lines = story_lines(document.text)
    headline = document.hints.get("headline")
    if headline:
        if lines and lines[0] == headline:
            lines = lines[1:]
    elif lines:
        headline, lines = lines[0], lines[1:]
    while lines and lines[0] == headline:   # scrapes repeat the headline
        lines = lines[1:]
    article = Article(outlet=outlet_name, headline=(headline or "").rstrip(".") or None)
    published = document.hints.get("published")
    for line in lines:
        # The outlet and date line comes before the story's first paragraph, or it is story text.
        m = _OUTLET_DATE.match(line) if not article.paragraphs else None
        if m:
            published = published or f"{m['y']}-{m['m']}-{m['d']}"
            document.hints.setdefault("outlet", m["outlet"].strip())
            continue
        if not article.paragraphs:
            dateline, agency, rest = split_dateline(line)
            if dateline:
                article.dateline = dateline
                if agency:
                    document.hints.setdefault("agency", agency.strip())
                line = rest
        article.paragraphs.append(Paragraph(line))
    article.published = published
    return article
