"""Property tests for the ledger's merge (issue 6): whatever records, however split into partial
ledgers, merged in any grouping and order, and whether in memory or in SQLite, the entries are the
same; merging a ledger with itself changes nothing."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is a test extra: pip install .[test]")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quoteledger.ledger import Ledger, PartialLedger, containment  # noqa: E402
from test_ledger_support import make_article, make_record  # noqa: E402

WORDS = ["we", "will", "not", "accept", "any", "deal", "that", "harms", "workers"]
SPEAKERS = [None, "Xi Jinping", "xi jinping", "Vladimir Putin"]

# Few headlines, copies and documents, so ids collide often: the same article scraped twice, the
# same sighting read from two paths (same id, different record), the same words in two stories.
articles = st.builds(lambda headline, copy, document: make_article(headline=f"Story {headline} about trade talks",
                                                                   copy=f"copy-{copy}", document=document),
                     st.integers(0, 2), st.integers(0, 3), st.sampled_from(["a.txt", "b.txt", "c.html#card-1"]))
records = st.builds(lambda words, article, start, speaker, kind, confidence:
                    make_record(" ".join(words), article, start=start, speaker=speaker, kind=kind,
                                confidence=confidence),
                    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), articles, st.integers(0, 3),
                    st.sampled_from(SPEAKERS), st.sampled_from(["full", "partial", "continuation", "scare"]),
                    st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]))
record_lists = st.lists(records, min_size=1, max_size=25)


def entries(partial: PartialLedger) -> list:
    return list(partial.entries())


@settings(max_examples=150, deadline=None)
@given(record_lists, st.randoms(use_true_random=False))
def test_merge_is_associative_commutative_idempotent(batch, rng):
    shuffled = list(batch)
    rng.shuffle(shuffled)
    cut1, cut2 = sorted(rng.randint(0, len(batch)) for _ in range(2))
    a, b, c = (PartialLedger.from_records(part) for part in (batch[:cut1], batch[cut1:cut2], batch[cut2:]))
    whole = entries(PartialLedger.from_records(batch))
    assert entries(a.merge(b).merge(c)) == whole
    assert entries(a.merge(b.merge(c))) == whole
    assert entries(c.merge(a).merge(b)) == whole
    assert entries(PartialLedger.from_records(shuffled)) == whole
    assert a.merge(a) == a


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_lists, st.randoms(use_true_random=False))
def test_sqlite_ledger_in_any_order_equals_the_pure_merge(batch, rng):
    shuffled = list(batch)
    rng.shuffle(shuffled)
    expected = entries(PartialLedger.from_records(batch))
    with tempfile.TemporaryDirectory() as folder:
        for n, order in enumerate((batch, shuffled)):
            with Ledger(str(Path(folder) / f"{n}.db")) as ledger:
                for record in order:                      # each record its own document
                    ledger.add_document([record])
                ledger.add_document(order)                # and everything again at once: no change
                assert list(ledger.entries()) == expected


def brute_force_containment(summaries) -> dict:
    links: dict = {}
    for quote_id, key, words in summaries:
        for other_id, other_key, fuller in summaries:
            if key is not None and key == other_key and len(words.split()) < len(fuller.split()) \
                    and f" {words} " in f" {fuller} ":
                links.setdefault(quote_id, []).append(other_id)
    return {quote_id: sorted(set(holders)) for quote_id, holders in links.items()}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "a", "b"]),
                          st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=9)),
                max_size=12, unique_by=lambda pair: " ".join(pair[1])))
def test_containment_finds_exactly_what_comparing_all_pairs_finds(quotations):
    summaries = [(f"q_{n}", key, " ".join(words)) for n, (key, words) in enumerate(quotations)]
    assert containment(summaries) == brute_force_containment(summaries)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["x", "y"]), max_size=8), min_size=1, max_size=30, unique_by=tuple),
       st.integers(0, 6))
def test_containment_of_quotations_sharing_their_opening_words(tails, shared):
    """Many quotations by one speaker opening with the same words (what made the old scan
    quadratic) and runs of one repeated word: the automaton finds exactly the all-pairs links."""
    head = ["we", "will", "build", "the", "new", "bridge"][:shared]
    summaries = [(f"q_{n}", "smith", " ".join(head + tail)) for n, tail in enumerate(tails) if head + tail]
    summaries += [(f"q_r{n}", "smith", " ".join(["again"] * n)) for n in range(1, 6)]
    assert containment(summaries) == brute_force_containment(summaries)
