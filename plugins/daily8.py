"""Daily8, an aggregator: a main story, then "Related Articles" cards, each naming its outlet
and a relative time. Each card becomes a story of its own, attributed to the outlet it names."""
from __future__ import annotations

import re

from quoteledger.hookspecs import hookimpl
from quoteledger.model import Document
from quoteledger.outlet import PRIORITY_AGGREGATOR, Outlet
from quoteledger.plugin_base import OutletPlugin
from quoteledger.textparse import RELATIVE_TIME

DAILY8 = Outlet(name="Daily8", publisher="Daily8", domains=("daily8.com", "daily8.ai"),
                priority=PRIORITY_AGGREGATOR, container=True)
# Each with the words a match must hold: a substring test skips a line-anchored search through the
# whole text of every page that does not hold them (most pages, and about half of a text story's
# outlet detection).
MARKERS = (("Related Articles", re.compile(r"^Related Articles\s*$", re.M)),
           ("Try Our AI Features", re.compile(r"^Try Our AI Features\s*$", re.M)),
           ("Daily8", re.compile(r"Daily8")),
           ("No comments yet", re.compile(r"^No comments yet\.*\s*$", re.M)))
# The site's own footer after the last card.
PAGE_FOOTER = re.compile(r"^\s*(?:DOWNLOAD THE APP|Get Started Now\b.*|Ready to dive into the world of .*|app-store\s*play-store)\s*$",
                         re.I)
CARD_BULLET = re.compile(r"^\s*[-\u2022\u00b7*]\s+(?P<outlet>\S.{0,60}?)\s*$")


class Daily8(OutletPlugin):
    outlets = (DAILY8,)

    def detect(self, document, outlet):
        if document.hints.get("outlet"):
            return 0.0
        if outlet.matches_url(document.url):
            return 1.0
        if document.is_html:
            return 0.0
        text = document.text
        hits = sum(1 for words, marker in MARKERS if words in text and marker.search(text))
        return 0.9 if hits >= 2 and MARKERS[0][0] in text and MARKERS[0][1].search(text) else 0.0

    @hookimpl
    def quoteledger_split(self, document, outlet):
        if not self.owns(outlet):
            return None
        return split_aggregator_page(document)


def _card_starts(lines: list[str]) -> list[tuple]:
    """(header_start, bullet_index, outlet) for each card: a bullet naming an outlet, just after a
    relative time ("21 minutes ago", "time7 minutes ago") and the outlet's name on its own line."""
    cards = []
    for i, line in enumerate(lines):
        m = CARD_BULLET.match(line)
        if not m:
            continue
        prev = [j for j in range(max(0, i - 6), i) if lines[j].strip()]
        if not prev or not RELATIVE_TIME.match(lines[prev[-1]]):
            continue
        outlet_name = m.group("outlet")
        start = prev[-1]
        named = [j for j in prev[:-1] if lines[j].strip() == outlet_name]
        if named:
            start = named[-1]
        title = next((lines[j].strip() for j in range(i + 1, len(lines)) if lines[j].strip()), "")
        # Some layouts repeat the card's title above the outlet name.
        j = start - 1
        while j >= 0 and (not lines[j].strip() or lines[j].strip() == title):
            if lines[j].strip() == title:
                start = j
            j -= 1
        cards.append((start, i, outlet_name, title))
    return cards


def split_aggregator_page(document: Document) -> list[Document]:
    lines = document.text.splitlines()
    cards = _card_starts(lines)
    related = next((i for i, l in enumerate(lines) if l.strip().lower() == "related articles"), None)
    main_end = related if related is not None else (cards[0][0] if cards else len(lines))
    republisher = {"role": "republisher", "name": "Daily8", "organization": "Daily8",
                   "detail": None, "url": None}
    main_hints = {"chain": [republisher], "story_index": 0, "container_outlet": "Daily8"}
    main_hints.update(_outlet_line(lines[:min(main_end, 12)]))
    stories = [Document(source=document.source, text="\n".join(lines[:main_end]), is_html=False,
                        url=None, hints=main_hints)]
    for n, (start, bullet, outlet_name, title) in enumerate(cards):
        end = cards[n + 1][0] if n + 1 < len(cards) else _footer_start(lines, bullet)
        body = "\n".join(lines[bullet + 1:end])
        card = {"role": "card", "name": "Related Articles", "organization": "Daily8",
                "detail": f"card {n + 1}: {outlet_name}", "url": None}
        stories.append(Document(source=f"{document.source}#card-{n + 1}", text=body, is_html=False,
                                hints={"outlet": outlet_name, "headline": title, "chain": [republisher, card],
                                       "story_index": n + 1, "container_outlet": "Daily8"}))
    return stories


# "NBC News25-02-2025": the main story's outlet and date, as some scrapes of the page keep them.
OUTLET_DATE_LINE = re.compile(r"^(?P<outlet>[A-Z][\w .&'-]{1,40}?)\s*(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})\s*$")


def _outlet_line(head: list[str]) -> dict:
    for line in head:
        m = OUTLET_DATE_LINE.match(line.strip())
        if m:
            return {"outlet": m["outlet"].strip(), "published": f"{m['y']}-{m['m']}-{m['d']}"}
    return {}


def _footer_start(lines: list[str], after: int) -> int:
    return next((i for i in range(after + 1, len(lines)) if PAGE_FOOTER.match(lines[i])), len(lines))


plugin = Daily8()
