"""Property-based tests (hypothesis): the quote engine never raises, every span lies inside the
story and holds its quotation, extraction is deterministic; the CLI on random bytes exits 0 or 1
with a reported error, never a traceback. And the seeded run over 10,000 hostile inputs."""
from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoteledger.cli import main
from quoteledger.quotes import find_quotations

PARAGRAPH_SEPARATOR = "\n\n"
MARKS = "\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb\u2039\u203a`"
WORDS = ["said", "told", "according to", "Jane Doe", "he", "she", "Mr Smith", "police", "the mayor", "added",
         "voters'", "Russia's", "it's", ",", ".", ":", "—", "-", "\n", "(", ")", "'n'", "Sir Keir", "by", "that"]

# Text built from the pieces quotations are made of, so the engine's rules actually fire.
news_text = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(list(MARKS)),
                               st.text(min_size=1, max_size=8)), max_size=60).map(" ".join)
paragraphs = st.lists(st.one_of(news_text, st.text(max_size=80)), min_size=0, max_size=6)
kinds = st.sampled_from(["text", "blockquote", "embed"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs, st.data())
def test_engine_spans_hold_their_quotations(paras, data):
    para_kinds = data.draw(st.lists(kinds, min_size=len(paras), max_size=len(paras)))
    quotations = find_quotations(paras, para_kinds)
    story = PARAGRAPH_SEPARATOR.join(paras)
    for q in quotations:
        assert 0 <= q.start <= q.end <= len(story)
        assert story[q.start:q.end] == q.text
        assert 0 <= q.paragraph < len(paras) and para_kinds[q.paragraph] != "embed"
        assert 0.0 <= q.confidence <= 1.0
        assert q.kind in ("full", "partial", "continuation", "scare")


@settings(max_examples=200, deadline=None)
@given(paragraphs)
def test_engine_is_deterministic(paras):
    first = find_quotations(list(paras))
    again = find_quotations(list(paras))
    assert [(q.text, q.start, q.end, q.kind, q.cue, q.speaker, q.confidence) for q in first] == \
           [(q.text, q.start, q.end, q.kind, q.cue, q.speaker, q.confidence) for q in again]


def _run_cli(tmp_path, data: bytes, capsys) -> tuple[int, str]:
    path = tmp_path / "page"
    path.write_bytes(data)
    code = main(["extract", str(path), "--timeout", "30"])
    return code, capsys.readouterr().err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=2000),
                 news_text.map(lambda t: ("Headline\n\n" + t).encode("utf-8")),
                 st.text(max_size=500).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode("utf-8",
                                                                                                  "surrogatepass"))))
def test_cli_on_random_bytes_exits_0_or_1_with_reported_errors(tmp_path, capsys, data):
    code, err = _run_cli(tmp_path, data, capsys)
    assert code in (0, 1)
    assert "Traceback" not in err
    if code == 1:
        assert "quoteledger:" in err and str(tmp_path / "page") in err


def test_cli_process_on_random_bytes_never_tracebacks(tmp_path):
    # A few real processes too: what a user sees, start-up and exit status included.
    import random

    rng = random.Random(7)
    paths = []
    for n in range(5):
        path = tmp_path / f"random-{n}"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.choice((0, 10, 5000)))))
        paths.append(str(path))
    proc = subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", *paths],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    if proc.returncode == 1:
        assert all(line.startswith("quoteledger: ") for line in proc.stderr.splitlines())


def test_fuzz_run_over_hostile_inputs(capsys):
    """The CI fuzz run: QUOTELEDGER_FUZZ_COUNT inputs (10,000 by default) from the fixed seed."""
    from hostile.run import run

    count = int(os.environ.get("QUOTELEDGER_FUZZ_COUNT", "10000"))
    summary = run(count)
    with capsys.disabled():
        print(f"\n{summary.line()}")
    assert summary.tried == count
    assert summary.crashes == [], summary.crashes[:5]
    assert summary.lost == [], summary.lost[:5]
