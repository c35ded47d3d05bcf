"""The compact layout (`"layout": "per_shard"`): the demo request run in both layouts holds the same rows.

- Objects: one per dataset per shard under `dataset=<d>_per_shard/…/shard_id=S/part-0.parquet`, nothing under the
  per-point trees; the manifest records the layout.
- Rows: read with pyarrow and with DuckDB's Python package, the per_shard files hold exactly the per-point files'
  rows in point order, with point_index as a column.
- Readers: the local views, `query`, `ingest` and `status` give the same answers for both layouts.
"""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pyarrow.parquet as pq
import pytest

import e2e_support as e2e


@pytest.fixture(scope="module")
def compact_run(cli, demo_run, tmp_path_factory):
    request = dict(demo_run.request, layout="per_shard")
    path = tmp_path_factory.mktemp("compact") / "request.json"
    path.write_text(json.dumps(request))
    results = path.parent / "results"
    result = e2e.run_request(cli, path, results, "--threads", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return results


def _per_shard_files(results_dir, dataset):
    files = sorted((e2e.results_root(results_dir) / f"dataset={dataset}_per_shard").rglob("*.parquet"))
    return sorted(files, key=lambda f: int(e2e.partitions_of(f).get("shard_id",
                                                                      e2e.partitions_of(f).get("shard_id_partition"))))


def test_one_object_per_dataset_per_shard_and_the_manifest_records_the_layout(compact_run, demo_run):
    for dataset in e2e.POINT_DATASETS:
        assert e2e.dataset_files(compact_run, dataset) == []
        files = _per_shard_files(compact_run, dataset)
        assert len(files) == 4, dataset
        for path in files:
            assert path.name == "part-0.parquet"
            assert e2e.partitions_of(path)["run_date"] == demo_run.run_date
    assert len(e2e.dataset_files(compact_run, "shard_outcomes")) == 4
    manifest = json.loads((e2e.results_root(compact_run) / "runs" / f"run_id={demo_run.run_id}" /
                           "manifest.json").read_text())
    assert manifest["normalized_request"]["layout"] == "per_shard"
    per_point = json.loads((e2e.results_root(demo_run.results_dir) / "runs" / f"run_id={demo_run.run_id}" /
                            "manifest.json").read_text())
    assert "layout" not in per_point["normalized_request"]  # the default is not written


@pytest.mark.parametrize("dataset", e2e.POINT_DATASETS)
def test_rows_equal_the_per_point_rows_in_pyarrow_and_duckdb(compact_run, demo_run, dataset):
    expected = []
    for path in e2e.dataset_files(demo_run.results_dir, dataset):
        parts = e2e.partitions_of(path)
        point = int(parts.get("point_index", parts.get("point_index_partition")))
        for row in pq.read_table(path).to_pylist():
            row.setdefault("point_index", point)
            expected.append(row)
    expected.sort(key=lambda row: row["point_index"])  # stable: a point's rows keep their file order
    actual = []
    for path in _per_shard_files(compact_run, dataset):
        table = pq.read_table(path)
        if dataset != "effective_parameters":
            assert table.schema.names[-1] == "point_index"
        actual.extend(table.to_pylist())
    assert actual == expected
    con = duckdb.connect()
    try:
        files = [str(p) for p in _per_shard_files(compact_run, dataset)]
        cursor = con.execute("SELECT * FROM read_parquet(?, hive_partitioning = false)", [files])
        names = [d[0] for d in cursor.description]
        assert [dict(zip(names, row)) for row in cursor.fetchall()] == expected
    finally:
        con.close()


def _query(cli, name, run_id, results_dir):
    proc = cli.run("query", name, "--run-id", run_id, "--results-dir", results_dir)
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


@pytest.mark.parametrize("name", ["query_run_readiness", "query_trip_snapshot_join",
                                  "query_outcome_configuration_smoke", "query_shard_coverage"])
def test_queries_answer_the_same_for_both_layouts(cli, compact_run, demo_run, name):
    compact = _query(cli, name, demo_run.run_id, compact_run)
    assert compact
    assert compact == _query(cli, name, demo_run.run_id, demo_run.results_dir)


def test_ingest_and_status_read_the_compact_run(cli, compact_run, demo_run):
    ingest = cli.run("ingest", "--run-id", demo_run.run_id, "--results-dir", compact_run)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert ingest.stdout.splitlines()[-1] == "Readiness check passed."
    status = cli.run("status", "--run-id", demo_run.run_id, "--results-dir", compact_run, "--json")
    assert status.returncode == 0, status.stderr
    progress = json.loads(status.stdout)
    assert (progress["points_done"], progress["points_planned"], progress["complete"]) == (8, 8, True)


def test_report_and_runs_list_read_the_compact_run(cli, compact_run, demo_run, tmp_path):
    report = cli.run("report", "--run-id", demo_run.run_id, "--results-dir", compact_run, "--out", tmp_path / "r.html")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.html").stat().st_size > 1000
    listing = cli.run("runs", "list", "--json", "--results-dir", compact_run)
    assert listing.returncode == 0, listing.stderr
    assert '"layout":"per_shard"' in listing.stdout.replace(" ", ""), listing.stdout


def test_a_missing_shard_object_fails_ingest_and_a_rerun_repairs_it(cli, compact_run, demo_run, tmp_path):
    import shutil
    copy = tmp_path / "results"
    shutil.copytree(compact_run, copy)
    _per_shard_files(copy, "trip_data")[1].unlink()
    ingest = cli.run("ingest", "--run-id", demo_run.run_id, "--results-dir", copy)
    assert ingest.returncode == 1, ingest.stdout + ingest.stderr
    request = tmp_path / "request.json"
    request.write_text(json.dumps(dict(demo_run.request, layout="per_shard")))
    rerun = e2e.run_request(cli, request, copy, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert e2e.tree_digest(e2e.results_root(copy) / "dataset=trip_data_per_shard") == \
        e2e.tree_digest(e2e.results_root(compact_run) / "dataset=trip_data_per_shard")
