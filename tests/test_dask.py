"""--engine dask on a LocalCluster of two worker processes: the export is byte-identical to a
local ingest of the same paths; failures are reported and cost their documents only; a missing
Dask is a clear usage error."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from quoteledger import cli

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [str(FIXTURES / "text"), str(FIXTURES / "html")]


def export(ledger: Path) -> bytes:
    out = ledger.with_suffix(".jsonl")
    assert cli.main(["export", "--ledger", str(ledger), "-o", str(out)]) == 0
    return out.read_bytes()


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'quoteledger[dask]')")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


def test_dask_export_is_byte_identical_to_a_local_ingest(tmp_path, cluster):
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(local), *INPUTS]) == 0
    # Small partitions, so several partial ledgers really are reduced.
    assert cli.main(["ingest", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--partition-size", "2", "--ledger", str(dask), *INPUTS]) == 0
    expected = export(local)
    assert expected.count(b"\n") > 20
    assert export(dask) == expected


def test_from_python_into_an_existing_ledger_is_idempotent(tmp_path, cluster):
    from distributed import Client
    from quoteledger.distributed import ingest_dask

    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(local), *INPUTS]) == 0
    with Client(cluster) as client:
        first = ingest_dask(INPUTS, str(dask), client=client, partition_size=3)
        again = ingest_dask(INPUTS[::-1], str(dask), client=client, partition_size=5)
    assert first.failed == 0 and first.counts.new > 0
    assert again.counts.new == again.counts.merged == 0
    assert export(dask) == export(local)


def test_failures_are_reported_and_cost_their_documents_only(tmp_path, cluster, capsys):
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "text", folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(local), str(folder)]) == 1
    capsys.readouterr()
    assert cli.main(["ingest", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--ledger", str(dask), str(folder)]) == 1
    err = capsys.readouterr().err
    assert "broken.txt" in err and "1 failed" in err
    assert export(dask) == export(local)


def test_missing_dask_is_a_clear_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)      # import distributed now fails
    status = cli.main(["ingest", "--engine", "dask", "--ledger", str(tmp_path / "l.db"), INPUTS[0]])
    assert status == 2
    assert "pip install 'quoteledger[dask]'" in capsys.readouterr().err


def test_a_page_with_lone_surrogates_costs_nothing_on_dask(tmp_path, cluster, capsys):
    """Issue 15 item 1 on this engine: the page's text is made valid where it is read, on the
    worker, so the page and every later one reach the ledger, with the warning reported."""
    from test_border_text import FIELDS, page

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-bad.html").write_text(page(FIELDS["headline"]), encoding="utf-8")
    shutil.copytree(FIXTURES / "text", folder / "text")
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(local), str(folder)]) == 0
    capsys.readouterr()
    assert cli.main(["ingest", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--ledger", str(dask), str(folder)]) == 0
    err = capsys.readouterr().err
    assert "a-bad.html" in err and "U+FFFD" in err and "(0 failed)" in err
    exported = export(dask)
    assert exported == export(local) and "Budget \ufffd talks".encode() in exported


def test_a_warc_is_split_by_record_over_the_workers_and_gives_the_local_ledger(tmp_path, cluster, monkeypatch):
    pytest.importorskip("fastwarc", reason="the warc extra is not installed (pip install 'quoteledger[warc]')")
    from quoteledger.archives import warc, writer

    pages = sorted((Path(__file__).resolve().parents[1] / "plugins" / "examples").glob("*/*.html"))
    archive = tmp_path / "crawl.warc.gz"
    with open(archive, "wb") as fh:
        writer.write_warc(fh, [writer.Response(f"https://news.example.org/{n}", page.read_bytes()).record()
                               for n, page in enumerate(pages)])
    # Slices of a few kB: the file is cut into many, each read in place by a worker.
    monkeypatch.setattr(warc, "SLICE_GZIP", 4096)
    assert len(warc.slices(str(archive), archive.stat().st_size, True)) > 4
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(local), str(archive)]) == 0
    assert cli.main(["ingest", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--partition-size", "2", "--ledger", str(dask), str(archive)]) == 0
    expected = export(local)
    assert expected.count(b"\n") > 20
    assert export(dask) == expected


def _load_broken_plugin_host(folder: str) -> None:
    """On a worker: a plugin host with the built-ins and one plugin that raises on import."""
    import sys as worker_sys
    from importlib import metadata

    from quoteledger import plugins

    worker_sys.path.insert(0, folder)
    builtins = [ep for ep in metadata.entry_points(group=plugins.ENTRY_POINT_GROUP)
                if ep.value.startswith("quoteledger_plugins.")]
    broken = metadata.EntryPoint(name="needs_config", value="needs_config:plugin", group=plugins.ENTRY_POINT_GROUP)
    plugins._HOST = plugins.PluginHost(entry_points=builtins + [broken], strict=False)


def _forget_plugin_host() -> None:
    from quoteledger import plugins

    plugins._HOST = None


def test_a_plugin_that_fails_to_load_on_the_workers_is_said_here_and_the_run_exits_1(tmp_path, cluster, capsys):
    from distributed import Client

    (tmp_path / "needs_config.py").write_text('raise RuntimeError("cannot find my config file")\n')
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert cli.main(["ingest", "--jobs", "1", "--ledger", str(local), *INPUTS]) == 0
    capsys.readouterr()
    with Client(cluster) as client:
        client.run(_load_broken_plugin_host, str(tmp_path))
        try:
            status = cli.main(["ingest", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                               "--ledger", str(dask), *INPUTS])
        finally:
            client.run(_forget_plugin_host)
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("on the Dask workers: plugin needs_config failed to load and is skipped: importing "
                     "needs_config:plugin raised RuntimeError: cannot find my config file") == 1
    assert "1 installed plugin(s) could not be used on the Dask workers (said above): exit status 1" in err
    assert export(dask) == export(local), "what the other plugins read is all merged"
