"""What the ledger tests share: quote records built by hand, a stand-in for the extraction pipeline
that reads those records from JSON files, and a driver that runs `quoteledger ingest` with it in a
separate process (for the kill-and-resume and concurrent-writer tests).

Run as a script: python test_ledger_support.py ingest --ledger FILE PATH... (the real ingest
command, with extraction replaced by reading records from each JSON document)."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from quoteledger.ids import article_id, digest, quote_id, sighting_id
from quoteledger.pipeline import DocumentResult

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def make_article(headline="Xi affirms no limits partnership with Putin", copy="copy-1", outlet="NBC News",
                 organization="NBCUniversal", url=None, document=None):
    fingerprint = digest("copy", copy)
    return {"id": article_id(headline, url, fingerprint),
            "publisher": {"outlet": outlet, "edition": None, "organization": organization, "plugin": "test"},
            "headline": headline, "byline": ["Jane Reporter"], "published": "2025-02-24", "modified": None,
            "url": url, "section": None, "dateline": None, "document": document or f"{copy}.txt",
            "fingerprint": fingerprint}


def make_record(text, article, start=0, speaker="Xi Jinping", kind="full", confidence=0.9, cue="said",
                speaker_kind=None, paragraph=0):
    qid = quote_id(text)
    return {"schema_version": "1.0", "id": sighting_id(qid, article["fingerprint"], start, start + len(text)),
            "quote_id": qid, "text": text, "kind": kind, "cue": cue,
            "speaker": {"name": speaker, "mention": speaker.split()[-1] if speaker else None,
                        "kind": speaker_kind or ("person" if speaker else "unknown"), "role": None,
                        "organization": None},
            "span": {"start": start, "end": start + len(text)}, "paragraph": paragraph,
            "confidence": confidence, "secondary_source": None,
            "source_chain": [{"role": "publisher", "name": article["publisher"]["outlet"],
                              "organization": article["publisher"]["organization"], "detail": None,
                              "url": article["url"]}],
            "article": article}


def write_document(path: Path, records=(), errors=(), articles=1) -> Path:
    """A document the fake pipeline reads: the records (or errors) extraction would give."""
    path.write_text(json.dumps({"records": list(records), "errors": list(errors), "articles": articles}),
                    encoding="utf-8")
    return path


def fake_extract(path, max_bytes=None, host=None):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return DocumentResult(path, errors=[f"{path}: cannot read: {exc}"])
    return DocumentResult(path, records=data["records"], errors=data["errors"], articles=data["articles"])


def fake_results(paths, jobs=None, max_bytes=None, **options):
    for path in paths:
        yield fake_extract(path)


def install_fake_pipeline(setattr_=setattr) -> None:
    """Makes `quoteledger ingest` read records from JSON documents instead of extracting them,
    through whichever seam the ingest command has: extract_results (documents extracted on a pool
    of processes) or extract_path (one at a time)."""
    from quoteledger.commands import ingest

    if hasattr(ingest, "extract_results"):
        setattr_(ingest, "extract_results", fake_results)
    else:
        setattr_(ingest, "extract_path", fake_extract)


_WORDS = ("we will not accept any deal that harms workers families or small businesses the talks "
          "resume next week after a long pause over tariffs energy prices and the border").split()
_SPEAKERS = ("Xi Jinping", "Vladimir Putin", "Donald Trump", None)


def corpus(folder: Path, documents: int = 40, seed: int = 7) -> list:
    """Synthetic documents that overlap the way news does: several copies of one story, the same
    quotation in several stories, partial quotations cut from full ones."""
    rng = random.Random(seed)
    pool = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 14))) for _ in range(60)]
    paths = []
    for n in range(documents):
        story = n % (documents // 3 or 1)          # every story is scraped about three times
        article = make_article(headline=f"Story number {story} on trade talks", copy=f"doc-{n}")
        records = []
        for k in range(rng.randint(0, 6)):
            which = rng.randrange(len(pool))
            text = pool[which]
            if rng.random() < 0.2:
                words = text.split()
                text = " ".join(words[: max(1, len(words) // 2)])
            # Mostly the same speaker for the same words, sometimes a rival attribution.
            speaker = _SPEAKERS[(which + (rng.random() < 0.15)) % len(_SPEAKERS)]
            records.append(make_record(text, article, start=k * 200, speaker=speaker,
                                       confidence=round(rng.random(), 3), kind=rng.choice(["full", "partial"])))
        paths.append(write_document(folder / f"doc-{n:04d}.json", records))
    return paths


def run_ingest(argv) -> int:
    """The real ingest command on fake documents. QUOTELEDGER_TEST_SLOW=seconds pauses after each
    record written, holding every document's transaction open so that a kill lands inside one."""
    import os
    import time

    from quoteledger import cli
    from quoteledger.ledger import Ledger

    install_fake_pipeline()
    pause = float(os.environ.get("QUOTELEDGER_TEST_SLOW", "0"))
    if pause:
        put = Ledger._put

        def slow_put(self, con, parts):
            counts = put(self, con, parts[:1])
            for part in parts[1:]:
                time.sleep(pause)
                counts.add(put(self, con, [part]))
            time.sleep(pause)
            return counts
        Ledger._put = slow_put
    print("ready", flush=True)
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(run_ingest(sys.argv[1:]))
