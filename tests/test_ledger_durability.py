"""The ledger never loses data (issue 6): an ingest killed with SIGKILL at random points and then
re-run ends with the export of an uninterrupted run, every document all in or all out after each
kill; several processes ingesting into one ledger at once lose nothing and never report a lock."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.ledger import Ledger
from test_ledger_support import corpus, install_fake_pipeline

SUPPORT = Path(__file__).with_name("test_ledger_support.py")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def start_ingest(ledger: Path, docs, slow: float = 0.0) -> subprocess.Popen:
    env = dict(os.environ, QUOTELEDGER_TEST_SLOW=str(slow))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SUPPORT.parent), env.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, str(SUPPORT), "ingest", "--ledger", str(ledger), *map(str, docs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def export(ledger: Path, out: Path) -> bytes:
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
    return out.read_bytes()


def sightings_by_document(docs) -> dict:
    return {doc: {r["id"] for r in json.loads(doc.read_text())["records"]} for doc in docs}


def assert_each_document_all_or_nothing(ledger: Path, expected: dict) -> int:
    if not ledger.exists() or ledger.stat().st_size == 0:   # killed before the ledger was made: nothing is in
        return 0
    with Ledger(str(ledger), readonly=True) as opened:
        held = {sid for sid, in opened.con.execute("SELECT id FROM sighting_records")}
    complete = 0
    for doc, ids in expected.items():
        present = ids & held
        assert present in (set(), ids), f"{doc.name}: {len(present)} of {len(ids)} sightings after a kill"
        complete += bool(ids) and present == ids
    return complete


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    docs = corpus(folder, documents=120, seed=11)
    reference = folder / "reference.db"
    with pytest.MonkeyPatch.context() as patch:
        install_fake_pipeline(patch.setattr)
        assert cli.main(["ingest", "--ledger", str(reference), *map(str, docs)]) == 0
    expected = export(reference, folder / "reference.jsonl")
    assert expected.count(b"\n") > 50
    return docs, expected


def test_kill_at_random_points_then_resume_equals_an_uninterrupted_run(documents, tmp_path):
    docs, expected = documents
    ledger = tmp_path / "killed.db"
    by_document = sightings_by_document(docs)
    rng = random.Random(2024)
    progress = []
    for attempt in range(6):
        proc = start_ingest(ledger, docs, slow=0.002)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.1, 0.4) + 0.2 * attempt)   # later kills reach further in
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode in (-signal.SIGKILL, 0), proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        progress.append(assert_each_document_all_or_nothing(ledger, by_document))
    print("documents complete after each kill:", progress)
    assert any(0 < done < len(docs) for done in progress), f"no kill landed mid-run: {progress}"
    proc = start_ingest(ledger, docs)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert export(ledger, tmp_path / "resumed.jsonl") == expected


def test_concurrent_writers_lose_nothing_and_never_see_a_lock(documents, tmp_path):
    docs, expected = documents
    ledger = tmp_path / "shared.db"                       # created by whichever writer gets there first
    orders = [docs, docs[::-1], docs[::2] + docs[1::2], docs[1::2]]
    writers = [start_ingest(ledger, order, slow=0.0005) for order in orders]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert "locked" not in err and "busy" not in err
    assert export(ledger, tmp_path / "shared.jsonl") == expected
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".quoteledger-")]
    assert leftovers == []


def test_export_while_another_process_ingests_reads_a_consistent_snapshot(documents, tmp_path):
    docs, expected = documents
    ledger = tmp_path / "busy.db"
    writer = start_ingest(ledger, docs, slow=0.002)
    assert writer.stdout.readline().strip() == "ready"
    sizes = []
    while writer.poll() is None:
        if ledger.exists():
            out = tmp_path / f"during-{len(sizes)}.jsonl"
            assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
            lines = out.read_bytes().splitlines()
            assert all(json.loads(line)["sightings"] for line in lines)
            sizes.append(len(lines))
        time.sleep(0.1)
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert sizes == sorted(sizes) and len(sizes) >= 2, sizes
    assert export(ledger, tmp_path / "after.jsonl") == expected
