"""--jobs: extract and ingest on several processes give the same bytes as one job, a failing
document costs itself only (even one that kills its worker), and work streams in bounded chunks."""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from quoteledger import cli
from quoteledger.parallel import OrderedPool, extract_results

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [FIXTURES / "text", FIXTURES / "html"]


def extract(tmp_path, jobs: int, *paths, fmt: str = "jsonl") -> tuple[int, bytes]:
    out = tmp_path / f"out-{jobs}.{fmt}"
    status = cli.main(["extract", "--jobs", str(jobs), "--format", fmt, "-o", str(out), *map(str, paths)])
    return status, out.read_bytes()


def ingest_and_export(tmp_path, jobs: int, *paths) -> tuple[int, bytes]:
    ledger, out = tmp_path / f"ledger-{jobs}.db", tmp_path / f"export-{jobs}.jsonl"
    status = cli.main(["ingest", "--jobs", str(jobs), "--ledger", str(ledger), *map(str, paths)])
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
    return status, out.read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_extract_with_two_jobs_is_byte_identical_to_one(tmp_path, fmt):
    one = extract(tmp_path, 1, *INPUTS, fmt=fmt)
    two = extract(tmp_path, 2, *INPUTS, fmt=fmt)
    assert one[0] == two[0] == 0
    assert one[1].count(b'"quote_id"') > 20          # real work, not two empty files
    assert one[1] == two[1]


def test_extract_writes_each_records_canonical_json(tmp_path):
    """Workers hand back the text the pipeline made when it checked each record; it must be the
    records themselves in the one canonical form."""
    from quoteledger.commands.common import dumps

    paths = sorted(str(p) for folder in INPUTS for p in folder.iterdir())
    expected = "".join(dumps(record) + "\n" for result in extract_results(paths, jobs=1) for record in result.records)
    assert extract(tmp_path, 2, *paths)[1].decode("utf-8") == expected
    assert expected.count("\n") > 20


def test_ingest_with_two_jobs_exports_byte_identical_ledger(tmp_path):
    one = ingest_and_export(tmp_path, 1, *INPUTS)
    two = ingest_and_export(tmp_path, 2, *INPUTS)
    assert one[0] == two[0] == 0
    assert one[1].count(b"\n") > 20
    assert one[1] == two[1]


def test_broken_documents_cost_themselves_only_in_order(tmp_path, capsys):
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "text", folder)
    (folder / "b_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "c_empty.txt").write_bytes(b"")
    one = extract(tmp_path, 1, folder, tmp_path / "missing.html")
    err_one = capsys.readouterr().err
    two = extract(tmp_path, 2, folder, tmp_path / "missing.html")
    err_two = capsys.readouterr().err
    assert one[0] == two[0] == 1
    assert one[1] == two[1] and one[1]
    assert "b_binary.txt" in err_two and "missing.html" in err_two
    assert err_one == err_two                              # errors reported in input order too


def test_results_come_back_in_input_order_with_small_chunks():
    paths = sorted(str(p) for p in (FIXTURES / "html").iterdir()) * 3
    results = list(extract_results(paths, jobs=2, chunk=1))
    assert [r.source for r in results] == paths


class _KillOn:
    """A task that kills its own worker process on one item, as a segfault in C would."""

    def __init__(self, fatal: str):
        self.fatal = fatal

    def many(self, items):
        if self.fatal in items:
            os._exit(1)
        return [item.upper() for item in items]


def test_a_worker_that_dies_costs_only_its_document():
    items = [f"doc{n}" for n in range(40)]
    results = list(OrderedPool(_KillOn("doc17"), jobs=2, chunk=4).map(items))
    assert len(results) == 40
    assert [r for r in results if isinstance(r, str)] == [i.upper() for i in items if i != "doc17"]
    died = results[17]
    assert died.source == "doc17" and "died" in died.errors[0]


class _FrozenCount:
    """A task that answers how many inherited objects its worker's garbage collector sets aside."""

    def many(self, items):
        import gc

        return [gc.get_freeze_count() for _ in items]


def test_pool_workers_keep_what_they_inherit_out_of_their_collections():
    import gc

    before = gc.get_freeze_count()
    counts = list(OrderedPool(_FrozenCount(), jobs=2, chunk=1).map(range(6)))
    assert len(counts) == 6 and min(counts) > before + 1000        # the modules and patterns, at least
    assert gc.get_freeze_count() == before                          # here they are collected as before


def test_work_streams_from_an_endless_input():
    """An endless input still yields: chunks are submitted a few at a time, never all at once."""
    endless = itertools.cycle(str(p) for p in sorted((FIXTURES / "text").iterdir()))
    results = extract_results(endless, jobs=2, chunk=2)
    first = list(itertools.islice(results, 30))
    results.close()
    assert len(first) == 30 and all(not r.failed for r in first)


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["extract", "--jobs", "0", str(FIXTURES / "text")])
    assert exc.value.code == 2
    assert "--jobs" in capsys.readouterr().err
