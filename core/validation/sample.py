"""Deterministic sample records in the current schema's shape, built with the same builders the
pipeline uses (records.py): for the benchmark, the tests and the fixtures, never hand-typed ids."""
from __future__ import annotations

import random

from ..model import Article, Paragraph, Quotation, Speaker
from ..records import article_record, quote_record

_WORDS = ("the minister said talks would resume next week after a long pause in the negotiations "
          "over trade tariffs energy prices and the border we will not accept any deal that harms "
          "workers families or small businesses across the country").split()
_PEOPLE = (("Keir Starmer", "the PM", "person", "prime minister", "UK government"),
           ("Alexander Gabuev", "Gabuev", "person", "director", "Carnegie Russia Eurasia Center"),
           ("police", "police", "organization", None, None),
           ("an official", "an official", "anonymous", None, None))
_OUTLETS = (("NBC News", "NBCUniversal", "nbcnews"), ("BBC News", "BBC", "bbc"), ("Reuters", "Thomson Reuters", "reuters"))


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize()


def story(rng: random.Random, index: int):
    """An article with three paragraphs, one of which quotes someone; returns (article, quotation)."""
    name, mention, kind, role, org = _PEOPLE[index % len(_PEOPLE)]
    outlet, publisher, plugin = _OUTLETS[index % len(_OUTLETS)]
    quoted = _sentence(rng, rng.randint(6, 20)) + "."
    paragraphs = [_sentence(rng, 12) + ".", f"\u201c{quoted}\u201d {mention} said.", _sentence(rng, 15) + "."]
    article = Article(outlet=outlet, publisher=publisher, headline=f"Story {index}: " + _sentence(rng, 6),
                      byline=["Jane Reporter"], published=f"2024-0{1 + index % 9}-1{index % 10}T08:30:00Z",
                      modified=f"2024-0{1 + index % 9}-1{index % 10}T09:45:00+01:00",
                      url=f"https://example.com/news/{index}", section="World", plugin=plugin,
                      paragraphs=[Paragraph(p) for p in paragraphs])
    start = len(paragraphs[0]) + 2 + 1
    quotation = Quotation(text=quoted, start=start, end=start + len(quoted), paragraph=1, cue="said",
                          speaker=Speaker(name, mention, kind, role, org), confidence=0.9)
    return article, quotation


def quote_records(count: int, seed: int = 5, with_story_text: bool = False):
    """count valid quote records (sightings), each from its own story."""
    rng = random.Random(seed)
    for index in range(count):
        article, quotation = story(rng, index)
        text = article.story_text()
        rec = article_record(article, f"pages/{index}.html", f"{index:016x}")
        if with_story_text:
            rec["story_text"] = text
        yield quote_record(quotation, article, rec)


def ledger_entries(count: int, seed: int = 7, sightings: int = 2):
    """count valid ledger entries, each seen in `sightings` copies of its story."""
    rng = random.Random(seed)
    for index in range(count):
        article, quotation = story(rng, index)
        sights = []
        for copy in range(sightings):
            record = quote_record(quotation, article, article_record(article, f"pages/{index}-{copy}.txt",
                                                                      f"{index:012x}{copy:04x}"))
            sights.append({key: record[key] for key in ("id", "article", "span", "paragraph", "cue", "speaker",
                                                        "confidence", "secondary_source", "source_chain")})
        yield {"schema_version": record["schema_version"], "id": record["quote_id"], "text": record["text"],
               "kind": record["kind"], "speaker": record["speaker"], "contained_in": [], "sightings": sights}
